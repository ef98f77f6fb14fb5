"""Numbers and time zones as people type them."""

from __future__ import annotations

import pytest

from clientdesk.domain.clients import ClientInput, create_client, validate_client
from clientdesk.domain.errors import InputError
from clientdesk.domain.parse import parse_duration_minutes, parse_number, parse_timezone, timezone_suggestions
from clientdesk.formats.i18n import unsupported_language_note


@pytest.mark.parametrize("typed, value", [
    ("85,50", 85.5), ("85.50", 85.5), ("1,5", 1.5), ("0,125", 0.125), ("-3,5", -3.5), (" 12,75 ", 12.75),
    ("1 080,50", 1080.5), ("1\u202f080,50", 1080.5), ("1\u00a0080", 1080), ("1.080,50", 1080.5), ("1,080.50", 1080.5),
    ("1,000,000", 1_000_000), ("1.000.000", 1_000_000), ("12", 12), ("1e3", 1000),
])
def test_a_decimal_comma_and_grouped_thousands_are_read(typed, value):
    assert parse_number(typed, "rate", minimum=None) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1.2.3", "1,08.5", "12 5", ",", "1,,5", "1e", "--1"])
def test_junk_is_still_not_a_number(typed):
    with pytest.raises(InputError, match=r"^rate: not a number: "):
        parse_number(typed, "rate", minimum=None)


def test_a_lone_comma_before_three_digits_is_ambiguous_and_says_both_readings():
    with pytest.raises(InputError, match=r"^cost: 1,080 could be 1080 or 1\.080"):
        parse_number("1,080", "cost")


def test_durations_take_a_decimal_comma():
    assert parse_duration_minutes("1,5h") == 90
    assert parse_duration_minutes("0,25h") == 15


@pytest.mark.parametrize("typed, zone", [
    ("Europe/Berlin", "Europe/Berlin"), ("europe/paris", "Europe/Paris"), ("UTC", "UTC"), ("utc", "UTC"),
])
def test_iana_names_are_taken_in_any_case(typed, zone):
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize("typed, meant", [
    ("Berlin", ["Europe/Berlin"]), ("berlin", ["Europe/Berlin"]), ("new york", ["America/New_York"]),
    ("New_York", ["America/New_York"]), ("Europe/Berlim", ["Europe/Berlin"]), ("Tokio", ["Asia/Tokyo"]),
])
def test_a_city_or_a_near_spelling_suggests_the_iana_name(typed, meant):
    assert timezone_suggestions(typed)[: len(meant)] == meant
    with pytest.raises(InputError, match=rf"^unknown time zone: {typed} \({meant[0]}\?"):
        parse_timezone(typed)


def test_nothing_like_a_zone_gets_an_example():
    with pytest.raises(InputError, match=r"^unknown time zone: Mars/Olympus \(an IANA name such as Europe/Paris\)$"):
        parse_timezone("Mars/Olympus")


def test_a_client_saved_with_a_lower_case_zone_stores_the_iana_spelling(db):
    assert validate_client(ClientInput(name="Acme", timezone="europe/berlin"))["timezone"] == "Europe/Berlin"
    with pytest.raises(InputError, match=r"Europe/Berlin\?"):
        create_client(ClientInput(name="Acme", timezone="Berlin"))


def test_a_language_reports_do_not_speak_is_named_with_the_supported_list():
    assert unsupported_language_note("fr") is None and unsupported_language_note("zh_CN") is None
    assert unsupported_language_note("de") == "reports are written in en, fr, tr, zh: this client's reports will be in English, not 'de'"
