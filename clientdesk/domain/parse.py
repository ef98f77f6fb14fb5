"""Strict parsers for user-typed dates, times, amounts and time zones (one clear error each).

Numbers take a decimal comma as well as a point ("85,50", "1,5h"), since
half the world writes them so; thousands may be grouped by commas, points or
spaces when the decimal mark is the other one ("1,080.50", "1.080,50",
"1 080,50"). A lone comma before exactly three digits ("1,080") could be
either and is refused with both readings. A time zone that is not an IANA
name is refused with the names it probably meant ("Berlin" -> Europe/Berlin).
"""

from __future__ import annotations

import re

import pendulum

from clientdesk.domain.errors import InputError
from clientdesk.limits import MAX_YEAR, MIN_YEAR, check_year
from clientdesk.safe_text import terminal_safe

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


_DURATION_RE = re.compile(r"^\s*(?:([0-9]+(?:[.,][0-9]+)?)h)?\s*(?:([0-9]+)m)?\s*$", re.ASCII)
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
        minutes = round(float((match[1] or "0").replace(",", ".")) * 60) + int(match[2] or 0)
    if minutes <= 0:
        raise InputError(f"{what}: must be more than zero: {text}")
    if minutes > MAX_DURATION_MINUTES:
        raise InputError(f"{what}: more than a week ({MAX_DURATION_MINUTES} minutes): {text}")
    return minutes


_GROUPED = {",": re.compile(r"^\d{1,3}(?:,\d{3})+$"), ".": re.compile(r"^\d{1,3}(?:\.\d{3})+$")}
_SPACE_GROUPED = re.compile(r"^(\d{1,3}(?: \d{3})+)(?:[.,](\d+))?$")
_SPACE_MARKS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "'": " ", "\u2019": " "})


def decimal_text(text: str, what: str = "number") -> str:
    """A typed number in Python's own spelling: '85,50' -> '85.50', '1 080,5'
    -> '1080.5', '1,080.50' -> '1080.50'. Text that is no number comes back
    as it is (the caller's float() refuses it); an ambiguous '1,080' raises."""
    value = " ".join(str(text).translate(_SPACE_MARKS).split())
    sign = ""
    if value[:1] in ("+", "-"):
        sign, value = value[0], value[1:].lstrip()
    if " " in value:  # thousands grouped by spaces, a decimal comma or point after
        m = _SPACE_GROUPED.match(value)
        return sign + m[1].replace(" ", "") + ("." + m[2] if m[2] else "") if m else str(text)
    if "," in value and "." in value:  # the last mark is the decimal one
        mark = "," if value.rfind(",") > value.rfind(".") else "."
        whole, _, frac = value.rpartition(mark)
        other = "." if mark == "," else ","
        if not (_GROUPED[other].match(whole) and frac.isdigit()):
            return str(text)
        return sign + whole.replace(other, "") + "." + frac
    for mark in (",", "."):
        if value.count(mark) > 1:
            return sign + value.replace(mark, "") if _GROUPED[mark].match(value) else str(text)
    if "," in value:
        head, _, frac = value.partition(",")
        if head.isdigit() and frac.isdigit() and len(frac) == 3 and head != "0":
            raise InputError(f"{what}: {terminal_safe(text, newlines=False)} could be {head}{frac} or {head}.{frac}: "
                             f"write it without the comma, or with a point for a fraction")
        return sign + head + "." + frac
    return sign + value


def parse_number(text: object, what: str, *, minimum: float | None = 0, integer: bool = False) -> float | int:
    """A number typed by the user, with a floor; refuses bools and junk.
    A decimal comma is accepted ("85,50")."""
    if isinstance(text, bool):
        raise InputError(f"{what}: not a number: {text!r}")
    try:
        value = float(decimal_text(str(text), what)) if not isinstance(text, (int, float)) else text
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


_SPENT_RE = re.compile(
    r"^(?:(?P<h>[0-9]+(?:[.,][0-9]+)?)\s*h(?:\s*(?P<hm>[0-9]+)\s*m?)?|(?P<m>[0-9]+)\s*m(?:in)?|(?P<bare>[0-9]+)"
    r"|(?P<ch>[0-9]+):(?P<cm>[0-5][0-9]))$",
    re.ASCII,
)
MAX_ENTRY_MINUTES = 24 * 60  # one entry is at most a day: more is a typo


def parse_time_spent(text: object, what: str = "duration") -> int:
    """Time worked as people type it: '1h30', '1h30m', '90m', '90', '1,5h', '1.5h', '1:30'; 0 is allowed.

    Returns whole minutes, at most a day (MAX_ENTRY_MINUTES)."""
    value = str(text if text is not None else "").strip().lower()
    if value.startswith("-"):
        raise InputError(f"{what}: time spent cannot be negative: {text}")
    match = _SPENT_RE.match(value)
    if not match:
        raise InputError(f"{what}: not a duration (1h30, 90m, 1,5h, 1:30): {text}")
    if match["h"] is not None:
        if match["hm"] is not None and (not match["h"].isdigit() or int(match["hm"]) >= 60):
            raise InputError(f"{what}: not a duration (1h30, 90m, 1,5h, 1:30): {text}")
        minutes = round(float(match["h"].replace(",", ".")) * 60) + int(match["hm"] or 0)
    elif match["m"] is not None:
        minutes = int(match["m"])
    elif match["bare"] is not None:
        minutes = int(match["bare"])
    else:
        minutes = int(match["ch"]) * 60 + int(match["cm"])
    if minutes > MAX_ENTRY_MINUTES:
        raise InputError(f"{what}: more than a day in one entry (at most 24h; log each day apart): {text}")
    return minutes


_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str, what: str = "--month") -> tuple[pendulum.Date, pendulum.Date]:
    """A calendar month YYYY-MM; returns its first and last day."""
    match = _MONTH_RE.match(text.strip()) if isinstance(text, str) else None
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2099:
        raise InputError(f"{what}: not a month (YYYY-MM, 2000..2099): {text}")
    first = pendulum.date(int(match[1]), int(match[2]), 1)
    return first, first.end_of("month")
def _zone_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


def city_timezone(name: str) -> str | None:
    """The one IANA zone whose city is `name` ('paris', 'New York' -> America/New_York), else None
    (no such city, or several: 'Melbourne' is not one zone)."""
    key = _zone_key(name)
    if not key or "/" in name:
        return None
    by_city = [z for z in pendulum.timezones() if "/" in z and _zone_key(z.rsplit("/", 1)[-1]) == key]
    return by_city[0] if len(by_city) == 1 else None


def timezone_suggestions(name: str, limit: int = 3) -> list[str]:
    """IANA zone names the user probably meant by `name`: 'Berlin' ->
    ['Europe/Berlin'], 'new york' -> ['America/New_York'], 'paris' ->
    ['Europe/Paris'], then near spellings ('Europe/Berlim' -> Europe/Berlin)."""
    import difflib

    key = _zone_key(name)
    if not key:
        return []
    zones = sorted(pendulum.timezones())
    exact = [z for z in zones if _zone_key(z) == key]
    if exact:
        return exact[:limit]
    by_city = [z for z in zones if _zone_key(z.rsplit("/", 1)[-1]) == key]
    if by_city:
        return by_city[:limit]
    contains = [z for z in zones if "/" in z and key in _zone_key(z.rsplit("/", 1)[-1])]
    if contains:
        return contains[:limit]
    keys = {_zone_key(z): z for z in zones}
    cities = {_zone_key(z.rsplit("/", 1)[-1]): z for z in zones if "/" in z}
    close = difflib.get_close_matches(key, list(keys), n=limit, cutoff=0.8)
    close += [k for k in difflib.get_close_matches(key, list(cities), n=limit, cutoff=0.75)]
    out: list[str] = []
    for k in close:
        zone = keys.get(k) or cities.get(k)
        if zone and zone not in out:
            out.append(zone)
    return out[:limit]


def parse_timezone(text: object, what: str = "time zone") -> str:
    """An IANA time zone name, as pendulum spells it ('europe/paris' ->
    'Europe/Paris'); anything else is refused with the names it may mean."""
    value = str(text or "").strip()
    if value:
        try:
            return pendulum.timezone(value).name
        except Exception:
            pass
        exact = [z for z in pendulum.timezones() if z.casefold() == value.casefold()]
        if exact:
            return exact[0]
    hints = timezone_suggestions(value)
    hint = f" ({' or '.join(h + '?' for h in hints)})" if hints else " (an IANA name such as Europe/Paris)"
    raise InputError(f"unknown {what}: {terminal_safe(value, newlines=False)}{hint}")
