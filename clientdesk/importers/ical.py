"""An iCalendar file (.ics, e.g. Google Calendar's export) read as busy time, not as tasks.

Recurring events are expanded with `recurring-ical-events` (which also
applies Google's X-WR-TIMEZONE to times written without a zone) over a
window around today; each occurrence is known by (UID, original start), so
re-importing a newer copy of the calendar updates events in place and drops
those that are gone. Events marked free (TRANSP:TRANSPARENT) or cancelled
are left out; all-day events are busy for their whole local days; floating
times are read in --timezone.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from clientdesk.importers.base import ImportOptions, SourceError, zone

NAME = "ics"
LABEL = "iCalendar (.ics) as busy time"
KIND = "ics"
WINDOW_BACK_DAYS = 365
WINDOW_AHEAD_DAYS = 730
_UTC = _dt.timezone.utc


@dataclass(frozen=True)
class BusyEvent:
    uid: str
    occurrence: str  # the original start (UTC) of a recurring event's instance, "" for a single event
    summary: str
    start: str  # UTC, 'YYYY-MM-DDTHH:MM:SS'
    end: str


@dataclass
class CalendarTranslation:
    calendar: str  # X-WR-CALNAME, else the file's name
    events: list[BusyEvent]
    notes: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    rows: int = 0  # VEVENTs in the file
    format: str = NAME


def recognises(text: str) -> bool:
    return text.lstrip().upper().startswith("BEGIN:VCALENDAR")


def _utc_text(value, tz) -> str:
    if isinstance(value, _dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=tz)
    else:  # a date: local midnight
        moment = _dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    return moment.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _check_events(cal, filename: str) -> tuple[int, set[str]]:
    """Every VEVENT has a UID and a DTSTART, and ends after it starts: else one line naming it.

    Returns the number of VEVENTs and the UIDs of recurring events (a rule, extra dates or a moved instance).
    """
    count = 0
    recurring: set[str] = set()
    for i, ev in enumerate(cal.walk("VEVENT")):
        count += 1
        uid = str(ev.get("UID") or "").strip()
        if any(ev.get(k) is not None for k in ("RRULE", "RDATE", "RECURRENCE-ID")):
            recurring.add(uid)
        where = f"VEVENT[{i}]" + (f" (UID {uid})" if uid else "")
        if not uid:
            raise SourceError(filename, where, "UID: missing")
        start = ev.get("DTSTART")
        if start is None:
            raise SourceError(filename, where, "DTSTART: missing")
        end = ev.get("DTEND")
        if end is not None:
            a, b = start.dt, end.dt
            if isinstance(a, _dt.datetime) != isinstance(b, _dt.datetime):
                raise SourceError(filename, where, "DTEND: a date where DTSTART has a time (or the reverse)")
            if isinstance(a, _dt.datetime) and (a.tzinfo is None) != (b.tzinfo is None):
                a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
            if b < a:
                raise SourceError(filename, where, f"DTEND: before DTSTART ({b.isoformat()} < {a.isoformat()})")
    return count, recurring


def translate(text: str, filename: str, options: ImportOptions, *, today: _dt.date) -> CalendarTranslation:
    import icalendar
    import recurring_ical_events

    tz = zone(options.timezone, filename)
    try:
        cal = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise SourceError(filename, "", f"not a valid iCalendar file: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    count, recurring_uids = _check_events(cal, filename)
    name = str(cal.get("X-WR-CALNAME") or "").strip() or Path(filename).stem
    lo = today - _dt.timedelta(days=WINDOW_BACK_DAYS)
    hi = today + _dt.timedelta(days=WINDOW_AHEAD_DAYS)
    out = CalendarTranslation(name, [], rows=count)
    try:
        occurrences = recurring_ical_events.of(cal, skip_bad_series=False).between(lo, hi)
    except Exception as exc:  # the library's own errors name the bad rule
        raise SourceError(filename, "", f"cannot expand a recurring event: {exc}") from None
    seen: set[tuple[str, str]] = set()
    recurring = 0
    for ev in occurrences:
        uid = str(ev.get("UID")).strip()
        if str(ev.get("TRANSP") or "").upper() == "TRANSPARENT":
            out.skipped["marked free"] += 1
            continue
        if str(ev.get("STATUS") or "").upper() == "CANCELLED":
            out.skipped["cancelled"] += 1
            continue
        start = ev.get("DTSTART").dt
        end_prop = ev.get("DTEND")
        if end_prop is not None:
            end = end_prop.dt
        elif ev.get("DURATION") is not None:
            end = start + ev.get("DURATION").dt
        else:
            end = start + _dt.timedelta(days=1) if not isinstance(start, _dt.datetime) else start
        s, e = _utc_text(start, tz), _utc_text(end, tz)
        if e <= s:
            out.skipped["no length"] += 1
            continue
        occurrence = ""
        if uid in recurring_uids:
            rid = ev.get("RECURRENCE-ID")
            occurrence = _utc_text(rid.dt, tz) if rid is not None else s
            recurring += 1
        if (uid, occurrence) in seen:
            continue
        seen.add((uid, occurrence))
        out.events.append(BusyEvent(uid, occurrence, str(ev.get("SUMMARY") or "").strip() or "Busy", s, e))
    if recurring:
        out.notes.append(f"recurring events expanded from {lo.isoformat()} to {hi.isoformat()}")
    out.events.sort(key=lambda ev: (ev.start, ev.uid, ev.occurrence))
    return out


__all__ = ["BusyEvent", "CalendarTranslation", "NAME", "LABEL", "recognises", "translate"]
