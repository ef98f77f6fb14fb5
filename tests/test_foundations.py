"""The small shared rules every feature leans on: terminal-safe text, name keys, who you are."""

from __future__ import annotations

import pytest

from clientdesk import identity
from clientdesk.domain.names import name_key
from clientdesk.safe_text import terminal_safe


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("\x1b]2;owned\x1b\\", "\\x1b]2;owned\\x1b\\"),
        ("\x1b]52;c;cm0gLXJmIH4=\x07", "\\x1b]52;c;cm0gLXJmIH4=\\x07"),
        ("\x1b[2J\x1bc\x1b[6n", "\\x1b[2J\\x1bc\\x1b[6n"),
        ("\x9b31m", "\\x9b31m"),
        ("abc\u202edef", "abc<U+202E>def"),
        ("lone \ud800", "lone <U+D800>"),
        ("Café 北京 İ", "Café 北京 İ"),
    ],
)
def test_terminal_safe_shows_controls_instead_of_obeying_them(raw, shown):
    out = terminal_safe(raw)
    assert out == shown
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_terminal_safe_keeps_or_shows_newlines():
    assert terminal_safe("a\nb\tc") == "a\nb\tc"
    assert terminal_safe("a\nb\tc", newlines=False) == "a\\nb\\tc"
    assert terminal_safe(None) == ""


@pytest.mark.parametrize(
    "a, b",
    [("Émile", "E\u0301mile"), ("ACME", "acme"), ("Ａｃｍｅ", "Acme"), ("Acme\u00a0Ltd", "Acme Ltd"),
     ("Ac\u200dme", "Acme"), ("  Acme   Ltd ", "Acme Ltd"), ("STRASSE", "straße")],
)
def test_lookalike_names_share_a_key(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys():
    assert name_key("Acme") != name_key("Acne")
    assert name_key("İstanbul") != name_key("Istanbul")  # a dotted capital I is not a plain I


def test_current_user_follows_env_then_config_then_login(monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "alice")
    identity.set_user("bob")
    try:
        assert identity.current_user() == "alice"
        monkeypatch.delenv("CLIENTDESK_USER")
        assert identity.current_user() == "bob"
        identity.set_user(None)
        assert identity.current_user()  # the login name, never empty
    finally:
        identity.set_user(None)
