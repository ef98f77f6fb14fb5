"""Notifications said one way: as plain text (never markup), a refusal in the rule's own words.

A message often carries user text (a client's name, a task's title) or an
error's reason (a file name, what the database said); read as markup, "[red]"
would colour it and a stray "[/]" would crash the app. The app's `notify`
also turns markup off, so a call that forgets this helper is still safe.
"""

from __future__ import annotations

from typing import Literal

from clientdesk.tui.writer import refusal_text

Severity = Literal["information", "warning", "error"]


def say(node, message: str, *, severity: Severity = "information", title: str = "") -> None:
    """A notification of `message`, as text, from any widget, screen or the app."""
    node.notify(message, title=title, severity=severity, markup=False)


def say_refusal(node, error: BaseException | str, *, title: str = "Not done", severity: Severity = "error") -> None:
    """A refused action or a failed read, said in one line (the rule's words, or the database's)."""
    say(node, error if isinstance(error, str) else refusal_text(error), severity=severity, title=title)


__all__ = ["say", "say_refusal"]
