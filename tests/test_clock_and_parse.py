"""The clock honours --today and CLIENTDESK_TODAY; parsers refuse what is not exact."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk import clock
from clientdesk.domain.errors import InputError
from clientdesk.domain.parse import parse_date, parse_datetime, parse_duration_minutes, parse_number, parse_week


def test_env_then_override(monkeypatch):
    monkeypatch.setenv("CLIENTDESK_TODAY", "2026-02-27")
    assert clock.today() == pendulum.date(2026, 2, 27)
    clock.set_today("2026-03-01")
    assert clock.today() == pendulum.date(2026, 3, 1)
    assert clock.now().date() == pendulum.date(2026, 3, 1)


def test_bad_today_is_a_clear_error(monkeypatch):
    with pytest.raises(InputError, match="--today"):
        clock.set_today("2026-02-30")
    monkeypatch.setenv("CLIENTDESK_TODAY", "tomorrow")
    with pytest.raises(InputError, match="CLIENTDESK_TODAY"):
        clock.today()


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "26-01-01", "2025-01-31T10:00", "", "today", "2026-1-5"])
def test_parse_date_refuses(text):
    with pytest.raises(InputError):
        parse_date(text)


def test_parse_date_and_datetime():
    assert parse_date("2024-02-29") == pendulum.date(2024, 2, 29)
    dt = parse_datetime("2026-11-23T09:00:00+01:00")
    assert dt.in_timezone("UTC").hour == 8
    assert parse_datetime("2026-11-23T09:00:00", tz="Europe/Istanbul").in_timezone("UTC").hour == 6
    with pytest.raises(InputError):
        parse_datetime("2026-11-23")


def test_weeks_durations_numbers():
    assert parse_week("2026-W48") == pendulum.date(2026, 11, 23)
    assert parse_week("2020-W53") == pendulum.date(2020, 12, 28)
    for bad in ("2026-W54", "2026-48", "W48"):
        with pytest.raises(InputError):
            parse_week(bad)
    assert [parse_duration_minutes(x) for x in ("90m", "2h", "1h30m", "1.5h", "45")] == [90, 120, 90, 90, 45]
    for bad in ("0", "-5m", "abc", "h"):
        with pytest.raises(InputError):
            parse_duration_minutes(bad)
    assert parse_number("12.5", "hours") == 12.5
    for bad in ("-1", "x", True, "nan"):
        with pytest.raises(InputError):
            parse_number(bad, "hours")


def test_now_can_be_pinned(monkeypatch):
    monkeypatch.setenv("CLIENTDESK_NOW", "2026-11-23T08:30:00")
    assert clock.now().format("YYYY-MM-DD HH:mm") == "2026-11-23 08:30"
    assert clock.now().timezone_name == "Europe/Paris"


def test_absurd_durations_and_intervals_are_refused():
    from clientdesk.domain.recurrence import validate_rule

    for bad in ("²", "١٢m", "99999999h", "20000"):
        with pytest.raises(InputError):
            parse_duration_minutes(bad)
    with pytest.raises(InputError):
        validate_rule("every 99999999999999999999 days")
    assert validate_rule("every 2 weeks") == "every 2 weeks"
