"""The bounds every input is held to: file sizes, text lengths, numbers and dates.

They live in one place so that the importer, the domain functions (and so
every form) and the command line refuse the same things with the same words.
A value beyond them is not data but a mistake or an attack: a 10 MB name made
the board export take 8 s and 600 MB; a year 1 date was stored as
"1-01-01" (strftime does not pad years below 1000) and broke every export
afterwards; a check-in every 10^7 days overflowed the date arithmetic.
"""

from __future__ import annotations

import datetime as _dt
from typing import TypeVar, cast

from clientdesk.domain.errors import InputError

#: the largest file `clientdesk import` reads (a whole-desk export of the
#: 200,000-task benchmark is ~70 MB)
MAX_IMPORT_BYTES = 256 * 1024 * 1024
#: names and titles: a client, project, task, change request, milestone, risk
MAX_NAME_CHARS = 500
#: free text: notes, descriptions, summaries, comments
MAX_TEXT_CHARS = 100_000
#: digits in a whole number read from a file (JSON itself allows any)
MAX_DIGITS = 20
#: nesting of JSON arrays and objects (the interchange format needs 6)
MAX_JSON_DEPTH = 64

MIN_YEAR = 1900
MAX_YEAR = 2200
#: a cadence or a delay in days (ten years)
MAX_DAYS = 3650
#: hours in a budget, an estimate of impact, a weekly target
MAX_HOURS = 1_000_000
#: money: rates, costs, amounts
MAX_AMOUNT = 1_000_000_000_000
#: minutes of one estimate or time entry (a year)
MAX_MINUTES = 525_600


def shown(value: str, limit: int = 60) -> str:
    """A long user value cut for an error message (a 10 MB value is not echoed whole)."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value):,} characters)"


def check_length(value: str, what: str, limit: int = MAX_NAME_CHARS) -> str:
    """`value` unless it is longer than `limit` characters."""
    if len(value) > limit:
        raise InputError(f"{what}: too long ({len(value):,} characters; at most {limit:,}): {shown(value, 40)}")
    return value


# A date or a datetime (plain or pendulum) comes back as the type it came in.
_D = TypeVar("_D", bound=_dt.date)


def check_year(day: _D, what: str) -> _D:
    """`day` (a date or a datetime) unless its year is outside MIN_YEAR..MAX_YEAR."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(f"{what}: the year must be {MIN_YEAR}..{MAX_YEAR}: {day.isoformat()}")
    return day


def check_range(value: float, what: str, lo: float, hi: float) -> float:
    """`value` unless it is outside lo..hi."""
    if not lo <= value <= hi:
        raise InputError(f"{what}: must be {lo:g}..{hi:g}: {value:g}")
    return value


def add_days(day: _D, days: int, what: str) -> _D:
    """`day` moved by `days`, refused (not an OverflowError) when it leaves MIN_YEAR..MAX_YEAR."""
    try:
        moved = cast(_D, day + _dt.timedelta(days=days))  # pendulum's Date + timedelta is a Date
    except OverflowError:
        raise InputError(f"{what}: {day.isoformat()} {'+' if days >= 0 else '-'} {abs(days):,} days is past the "
                         f"years {MIN_YEAR}..{MAX_YEAR}") from None
    return check_year(moved, what)


__all__ = [
    "MAX_IMPORT_BYTES", "MAX_NAME_CHARS", "MAX_TEXT_CHARS", "MAX_DIGITS", "MAX_JSON_DEPTH", "MIN_YEAR", "MAX_YEAR",
    "MAX_DAYS", "MAX_HOURS", "MAX_AMOUNT", "MAX_MINUTES", "shown", "check_length", "check_year", "check_range",
    "add_days",
]
