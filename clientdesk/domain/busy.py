"""Busy time from calendars: kept in step with an imported .ics file, and read by the Planner, its
conflicts and capacity, and fill my week, which plans around it.

A calendar is replaced as a whole on each import (by its name): events are
matched by (UID, occurrence), so a moved meeting is updated in place, a new
one added and one that is gone from the file removed; one transaction.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pendulum

from clientdesk import clock
from clientdesk.models import BusyTime, database

if TYPE_CHECKING:  # the Planner reads busy time without loading the importers
    from clientdesk.importers.ical import BusyEvent, CalendarTranslation
from clientdesk.models.base import instant_text


@dataclass(frozen=True)
class BusyView:
    """A busy event as the Planner shows it (start/end in the local zone)."""

    id: int
    calendar: str
    summary: str
    start: pendulum.DateTime
    end: pendulum.DateTime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass
class CalendarReport:
    calendar: str
    events: int = 0  # occurrences in the file (after expansion)
    hours: float = 0.0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    written: bool = False
    rows: int = 0
    skipped: dict | None = None
    notes: list[str] | None = None

    def lines(self) -> list[str]:
        verb = "" if self.written else "to be "
        out = [f"read {self.rows} event{'s' if self.rows != 1 else ''} of calendar '{self.calendar}' "
               f"({self.events} occurrence{'s' if self.events != 1 else ''}, {self.hours:.2f} h busy)",
               f"busy time {verb}added: {self.added}, {verb}updated: {self.updated}, {verb}removed: {self.removed}, "
               f"unchanged: {self.unchanged}"]
        for reason, n in sorted((self.skipped or {}).items()):
            out.append(f"skipped: {n} {reason}")
        out.extend(f"note: {n}" for n in self.notes or [])
        return out


def _hours(events: list[BusyEvent]) -> float:
    return sum((_dt.datetime.fromisoformat(e.end) - _dt.datetime.fromisoformat(e.start)).total_seconds()
               for e in events) / 3600


def sync_calendar(translation: CalendarTranslation, *, dry_run: bool = False) -> CalendarReport:
    """Make the desk's copy of this calendar equal to the file's events (or only count, with `dry_run`)."""
    report = CalendarReport(translation.calendar, events=len(translation.events), hours=_hours(translation.events),
                            rows=translation.rows, skipped=dict(translation.skipped), notes=list(translation.notes))
    wanted: dict[tuple[str, str], BusyEvent] = {(e.uid, e.occurrence): e for e in translation.events}
    with database.atomic():
        have = {
            (uid, occ): (rid, summary, str(start)[:19], str(end)[:19])
            for rid, uid, occ, summary, start, end in database.execute(
                BusyTime.select(BusyTime.id, BusyTime.uid, BusyTime.occurrence, BusyTime.summary, BusyTime.start,
                                BusyTime.end).where(BusyTime.calendar == translation.calendar)
            )
        }
        gone = [row[0] for key, row in have.items() if key not in wanted]
        new, changed = [], []
        for key, ev in wanted.items():
            row = have.get(key)
            if row is None:
                new.append(ev)
            elif (row[1], row[2], row[3]) != (ev.summary, ev.start, ev.end):
                changed.append((row[0], ev))
            else:
                report.unchanged += 1
        report.added, report.updated, report.removed = len(new), len(changed), len(gone)
        if dry_run:
            return report
        for start in range(0, len(gone), 500):
            BusyTime.delete().where(BusyTime.id.in_(gone[start:start + 500])).execute()
        for rid, ev in changed:
            BusyTime.update(summary=ev.summary, start=ev.start, end=ev.end).where(BusyTime.id == rid).execute()
        rows = [{"calendar": translation.calendar, "uid": e.uid, "occurrence": e.occurrence, "summary": e.summary,
                 "start": e.start, "end": e.end} for e in new]
        for start in range(0, len(rows), 500):
            BusyTime.insert_many(rows[start:start + 500]).execute()
    report.written = True
    return report


def busy_between(lo: pendulum.DateTime, hi: pendulum.DateTime) -> list[BusyView]:
    """Busy events overlapping [lo, hi), by start, in the local zone; one query."""
    zone = clock.local_tz()
    q = (BusyTime.select().where(BusyTime.end > instant_text(lo), BusyTime.start < instant_text(hi))
         .order_by(BusyTime.start, BusyTime.id))
    return [BusyView(b.id, b.calendar, b.summary, b.start.in_timezone(zone), b.end.in_timezone(zone)) for b in q]


def week_busy(monday: pendulum.Date) -> list[BusyView]:
    """The busy events of the local ISO week holding `monday`."""
    from clientdesk.domain.periods import week_bounds, week_start

    lo, hi = week_bounds(week_start(monday))
    return busy_between(lo, hi)


def calendars() -> list[tuple[str, int]]:
    """Each imported calendar with its number of events."""
    from peewee import fn

    q = BusyTime.select(BusyTime.calendar, fn.COUNT(BusyTime.id)).group_by(BusyTime.calendar).order_by(BusyTime.calendar)
    return [(name, n) for name, n in database.execute(q)]


__all__ = ["BusyView", "CalendarReport", "busy_between", "calendars", "sync_calendar", "week_busy"]
