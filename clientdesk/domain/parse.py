"""Strict parsers for user-typed dates, times and amounts (one clear error each)."""

from __future__ import annotations

import re

import pendulum

from clientdesk.domain.errors import InputError
from clientdesk.limits import MAX_YEAR, MIN_YEAR, check_year

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_date(text: object, what: str = "date") -> pendulum.Date:
    """A calendar date written YYYY-MM-DD; anything else is refused."""
    if isinstance(text, pendulum.Date) and not isinstance(text, pendulum.DateTime):
        return text
    if not isinstance(text, str):
        raise InputError(f"{what}: not a date: {text!r}")
    value = text.strip()
    if not _DATE_RE.match(value):
        raise InputError(f"{what}: not a date (YYYY-MM-DD): {text}")
    try:
        parsed = pendulum.parse(value, exact=True)
    except Exception:
        raise InputError(f"{what}: not a date: {text}") from None
    if isinstance(parsed, pendulum.DateTime) or not isinstance(parsed, pendulum.Date):
        raise InputError(f"{what}: not a date: {text}")
    return check_year(parsed, what)


def parse_datetime(text: object, what: str = "time", tz: str | pendulum.Timezone | None = None) -> pendulum.DateTime:
    """An ISO 8601 instant; a value without offset is read in `tz` (default UTC)."""
    if isinstance(text, pendulum.DateTime):
        return text
    if not isinstance(text, str) or "T" not in text and " " not in text.strip():
        raise InputError(f"{what}: not a date and time: {text!r}")
    try:
        parsed = pendulum.parse(text.strip(), tz=tz or "UTC", exact=True)
    except Exception:
        raise InputError(f"{what}: not a date and time: {text}") from None
    if not isinstance(parsed, pendulum.DateTime):
        raise InputError(f"{what}: not a date and time: {text}")
    return check_year(parsed, what)


def parse_week(text: str, what: str = "--week") -> pendulum.Date:
    """An ISO week YYYY-Www; returns its Monday."""
    match = _WEEK_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise InputError(f"{what}: not an ISO week (YYYY-Www): {text}")
    year, week = int(match[1]), int(match[2])
    if not MIN_YEAR <= year <= MAX_YEAR - 1:  # its Sunday, and the week after it, stay in range too
        raise InputError(f"{what}: the year must be {MIN_YEAR}..{MAX_YEAR - 1}: {text}")
    try:
        import datetime as _dt

        monday = _dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError(f"{what}: no such week: {text}") from None
    return pendulum.date(monday.year, monday.month, monday.day)


def iso_week_label(day: pendulum.Date) -> str:
    """The ISO week a date falls in, written YYYY-Www."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


_DURATION_RE = re.compile(r"^\s*(?:([0-9]+(?:\.[0-9]+)?)h)?\s*(?:([0-9]+)m)?\s*$", re.ASCII)
MAX_DURATION_MINUTES = 7 * 24 * 60  # a week: anything longer is a typo, not an estimate


def parse_duration_minutes(text: str, what: str = "duration") -> int:
    """'2h', '90m', '1h30m', '1.5h' or a bare number of minutes, as minutes > 0."""
    value = str(text).strip().lower()
    if value.isascii() and value.isdigit():
        minutes = int(value)
    else:
        match = _DURATION_RE.match(value)
        if not value or not match or not (match[1] or match[2]):
            raise InputError(f"{what}: not a duration (e.g. 90m, 2h, 1h30m): {text}")
        minutes = round(float(match[1] or 0) * 60) + int(match[2] or 0)
    if minutes <= 0:
        raise InputError(f"{what}: must be more than zero: {text}")
    if minutes > MAX_DURATION_MINUTES:
        raise InputError(f"{what}: more than a week ({MAX_DURATION_MINUTES} minutes): {text}")
    return minutes


def parse_number(text: object, what: str, *, minimum: float | None = 0, integer: bool = False) -> float | int:
    """A number typed by the user, with a floor; refuses bools and junk."""
    if isinstance(text, bool):
        raise InputError(f"{what}: not a number: {text!r}")
    try:
        value = float(text) if not isinstance(text, (int, float)) else text
    except (TypeError, ValueError):
        raise InputError(f"{what}: not a number: {text}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{what}: not a number: {text}")
    if integer:
        if float(value) != int(value):
            raise InputError(f"{what}: not a whole number: {text}")
        value = int(value)
    if minimum is not None and value < minimum:
        raise InputError(f"{what}: must be at least {minimum:g}: {text}")
    return value
