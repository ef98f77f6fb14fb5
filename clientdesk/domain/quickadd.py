"""The quick-add line and the date words people type: `Hero copy p1 due:fri 2h #dev +Website`.

A quick-add line is a title with optional markers, in any order:

- `p1` .. `p4`: the priority (1 highest);
- `due:WHEN` or `@WHEN`: the due date, WHEN being any word `parse_when` reads
  (`due:fri`, `@tomorrow`, `due:25 dec`, `due:next week`); a bare `+3d` or
  `+2w` is a due date too;
- `90m`, `2h`, `1h30`, `1h30m`, `1.5h`: the estimate;
- `#dev`: a tag (several allowed);
- `+Website`: the project, by name or unique prefix, case-insensitive
  (`_` and `-` stand for spaces: `+seo_audit`);
- a word starting with `\\` is kept in the title as typed, without the `\\`
  (`\\#1`, `\\p1`).

Every other word is the title. A marker given twice, an impossible date or an
unknown project is refused with an InputError that says which word is wrong.

Date words (`parse_when`), all relative to `today`:

- `today`, `tomorrow`, `yesterday`;
- `mon` .. `sun`, `monday` .. `sunday`: the next such day, today excluded
  (on a Friday, `fri` is next week's Friday: `today` already says today);
- `next week`: next Monday; `next fri`: the Friday of next week;
  `next month`: the first day of next month;
- `+3d`, `+2w`: in 3 days, in 2 weeks;
- `eom`: the last day of this month; `eow`: this week's Friday (next week's
  once this Friday has passed);
- `2026-12-25`; `25 dec`, `dec 25`, `25 december`: the next such date,
  today included (this year, or next year once it has passed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import pendulum

from clientdesk.domain.errors import InputError

WEEKDAYS = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
WHEN_HELP = "today, tomorrow, fri, next week, next fri, +3d, +2w, eom, 25 dec, 2026-12-25"
MAX_ESTIMATE_MINUTES = 1000 * 60  # a thousand hours: anything more is a typo
MAX_OFFSET_DAYS = 3660  # ten years ahead

_OFFSET = re.compile(r"^\+([0-9]{1,6})([dw])$", re.ASCII)
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$", re.ASCII)
_DAY = re.compile(r"^[0-9]{1,2}$", re.ASCII)
_PRIORITY = re.compile(r"^[pP]([0-9]+)$", re.ASCII)
_ESTIMATE = re.compile(
    r"^(?:(?P<h>[0-9]{1,5}(?:[.,][0-9]{1,2})?)h(?:(?P<hm>[0-9]{1,2})m?)?|(?P<m>[0-9]{1,6})m(?:in)?)$",
    re.ASCII | re.IGNORECASE,
)
_TAG = re.compile(r"^#([\w-]+)$")


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add line says; `priority` is None when the line does not give one."""

    title: str
    priority: int | None = None
    due: pendulum.Date | None = None
    estimate_minutes: int | None = None
    tags: tuple[str, ...] = ()
    project: str | None = None  # the project's name as found (or as typed when no list was given)
    project_id: int | None = None
    words: dict[str, str] = field(default_factory=dict, compare=False)  # marker -> the words typed


def _next_day_month(today: pendulum.Date, month: int, day: int, typed: str) -> pendulum.Date:
    """`25 dec`: this year's if still ahead (or today), else next year's; 29 feb finds the next leap year."""
    if not 1 <= day <= 31:
        raise InputError(f"due: no such date: {typed}")
    for year in range(today.year, today.year + 9):
        try:
            candidate = pendulum.date(year, month, day)
        except ValueError:
            if day <= 29 and month == 2:
                continue  # 29 feb: look for the next leap year
            raise InputError(f"due: no such date: {typed}") from None
        if candidate >= today:
            return candidate
    raise InputError(f"due: no such date: {typed}")  # pragma: no cover - a leap year comes within 8


def _next_weekday(today: pendulum.Date, weekday: int) -> pendulum.Date:
    """The next such weekday strictly after today (Monday = 0)."""
    ahead = (weekday - today.weekday()) % 7 or 7
    return today.add(days=ahead)


def parse_when(text: str, today: pendulum.Date) -> pendulum.Date:
    """A date from the words people type (see the module doc), or InputError saying what is understood."""
    if not isinstance(text, str):
        raise InputError(f"due: not a date: {text!r}")
    raw = text.strip()
    value = raw
    if value.lower().startswith("due:"):
        value = value[4:].strip()
    elif value.startswith("@"):
        value = value[1:].strip()
    words = value.lower().split()
    if not words:
        raise InputError(f"due: a date is missing (try {WHEN_HELP})")
    one = " ".join(words)
    if len(words) == 1:
        word = words[0]
        if word == "today":
            return today
        if word in ("tomorrow", "tmrw"):
            return today.add(days=1)
        if word == "yesterday":
            return today.subtract(days=1)
        if word in WEEKDAYS:
            return _next_weekday(today, WEEKDAYS[word])
        if word == "eom":
            return today.end_of("month")
        if word == "eow":
            friday = today.add(days=4 - today.weekday())
            return friday if friday >= today else friday.add(weeks=1)
        if m := _OFFSET.match(word):
            days = int(m[1]) * (7 if m[2] == "w" else 1)
            if days > MAX_OFFSET_DAYS:
                raise InputError(f"due: too far ahead (ten years at most): {raw}")
            return today.add(days=days)
        if m := _ISO.match(word):
            try:
                return pendulum.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise InputError(f"due: no such date: {word}") from None
    elif len(words) == 2:
        first, second = words
        if first == "next":
            if second == "week":
                return _next_weekday(today, 0)
            if second == "month":
                return today.add(months=1).start_of("month")
            if second in WEEKDAYS:
                return today.start_of("week").add(weeks=1, days=WEEKDAYS[second])
        if _DAY.match(first) and second in MONTHS:
            return _next_day_month(today, MONTHS[second], int(first), value)
        if first in MONTHS and _DAY.match(second):
            return _next_day_month(today, MONTHS[first], int(second), value)
    raise InputError(f"due: not a date: {one} (try {WHEN_HELP})")


def _two_word_date(first: str, second: str) -> bool:
    """Whether two words have the shape of a date (`25 dec`, `dec 25`, `next week`), possible or not."""
    a, b = first.lower(), second.lower()
    if a == "next":
        return b in ("week", "month") or b in WEEKDAYS
    return (bool(_DAY.match(a)) and b in MONTHS) or (a in MONTHS and bool(_DAY.match(b)))


def parse_estimate(text: str, what: str = "estimate") -> int:
    """'90m', '2h', '1h30', '1h30m', '1.5h' as minutes (more than zero, a thousand hours at most)."""
    m = _ESTIMATE.match(str(text).strip())
    if not m:
        raise InputError(f"{what}: not a duration (90m, 2h, 1h30): {text}")
    if m["m"] is not None:
        minutes = int(m["m"])
    else:
        minutes = round(float(m["h"].replace(",", ".")) * 60) + int(m["hm"] or 0)
        if m["hm"] is not None and int(m["hm"]) >= 60:
            raise InputError(f"{what}: minutes after the hours must be under 60: {text}")
    if minutes <= 0:
        raise InputError(f"{what}: must be more than zero: {text}")
    if minutes > MAX_ESTIMATE_MINUTES:
        raise InputError(f"{what}: more than a thousand hours: {text}")
    return minutes


def minutes_text(minutes: int | None) -> str:
    """Minutes as `parse_estimate` reads them back: 90 -> '1h30', 120 -> '2h', 45 -> '45m'; none -> ''."""
    if not minutes:
        return ""
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}" if h and m else (f"{h}h" if h else f"{m}m")


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("_", " ").replace("-", " ").split())


def match_project(hint: str, projects: Iterable) -> tuple[int | None, str]:
    """The project a `+hint` names: exact name first, then a unique prefix (case and `_`/`-` ignored)."""
    items = [(getattr(p, "id", None), getattr(p, "name", p)) for p in projects]
    key = _key(hint)
    if not key:
        raise InputError("project: a name is missing after '+'")
    exact = [p for p in items if _key(str(p[1])) == key]
    if len(exact) == 1:
        return exact[0]
    prefix = [p for p in items if _key(str(p[1])).startswith(key)]
    if len(prefix) == 1:
        return prefix[0]
    if not prefix:
        known = ", ".join(str(p[1]) for p in items[:6]) or "none"
        raise InputError(f"project: no project matches '+{hint}' (projects: {known})")
    names = ", ".join(str(p[1]) for p in prefix[:6])
    raise InputError(f"project: '+{hint}' could be {names}")


def parse_quick_add(text: str, today: pendulum.Date, projects: Iterable | None = None) -> QuickAdd:
    """Read a quick-add line; `projects` (objects with .id and .name, or names) resolve `+Project`."""
    if not isinstance(text, str):
        raise InputError("quick add: not text")
    tokens = text.split()
    title: list[str] = []
    found: dict[str, str] = {}
    priority = due = estimate = None
    tags: list[str] = []
    project_hint: str | None = None

    def once(marker: str, word: str) -> None:
        if marker in found:
            raise InputError(f"{marker} given twice: {found[marker]} and {word}")
        found[marker] = word

    i = 0
    while i < len(tokens):
        word = tokens[i]
        i += 1
        lower = word.lower()
        if word.startswith("\\") and len(word) > 1:
            title.append(word[1:])
            continue
        if lower.startswith("due:") or (word.startswith("@") and len(word) > 1):
            value = word[4:] if lower.startswith("due:") else word[1:]
            if not value:  # "due: fri": the date is the next word(s)
                if i >= len(tokens):
                    raise InputError(f"due: a date is missing (try {WHEN_HELP})")
                value = tokens[i]
                i += 1
            typed = value
            if i < len(tokens) and _two_word_date(value, tokens[i]):  # "25 dec", "dec 25", "next week"
                typed = f"{value} {tokens[i]}"
                i += 1
            once("due", typed)
            due = parse_when(typed, today)
            continue
        if _OFFSET.match(lower):
            once("due", word)
            due = parse_when(word, today)
            continue
        if m := _PRIORITY.match(word):
            level = int(m[1])
            if not 1 <= level <= 4:
                raise InputError(f"priority: p1 (highest) to p4 (lowest), not {word}")
            once("priority", word)
            priority = level
            continue
        if _ESTIMATE.match(word):
            once("estimate", word)
            estimate = parse_estimate(word)
            continue
        if word.startswith("#"):
            m = _TAG.match(word)
            if not m:
                raise InputError(f"tag: letters, digits, '-' and '_' after '#', not {word}")
            tag = m[1].lower()
            if tag not in tags:
                tags.append(tag)
            continue
        if word.startswith("+") and len(word) > 1:
            once("project", word)
            project_hint = word[1:]
            continue
        title.append(word)

    if not title:
        raise InputError("a task needs a title (the words that are not p1, due:…, 2h, #tag or +Project)")
    project_id = None
    project_name = project_hint
    if project_hint is not None:
        if projects is None:
            project_name = project_hint
        else:
            project_id, project_name = match_project(project_hint, projects)
            project_name = str(project_name)
    return QuickAdd(
        title=" ".join(title),
        priority=priority,
        due=due,
        estimate_minutes=estimate,
        tags=tuple(tags),
        project=project_name,
        project_id=project_id,
        words=found,
    )


__all__ = ["QuickAdd", "parse_quick_add", "parse_when", "parse_estimate", "match_project", "WHEN_HELP"]
