"""Routines: recurring blocks defined once (every N weeks, a weekday, a local time) and laid into each week.

A routine's occurrence is a date (the rule's weekday in a week the rule hits).
Laying a week creates a TimeBlock for every occurrence that has neither a block
nor a skip yet; the block keeps `routine` and `occurrence`, so an occurrence
the user moved or resized keeps its own time (its row exists and is never
re-laid), and one the user deleted leaves a RoutineSkip behind (see
planner.delete_block). The time of day is local to the routine's zone, so
"Monday 09:00" stays 09:00 on both sides of a daylight-saving change and its
UTC instant moves instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pendulum
from peewee import JOIN

from clientdesk import clock
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.domain.journal import action
from clientdesk.domain.periods import local_day_bounds, week_start
from clientdesk.models import Client, Project, Routine, RoutineSkip, Task, TimeBlock
from clientdesk.models.base import instant_text
from clientdesk.models.work import BLOCK_KINDS

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class RoutineView:
    id: int
    client_id: int
    client: str
    task_id: int | None
    task: str | None
    kind: str
    weekday: int  # Monday = 0
    start_time: str  # HH:MM, local to `timezone`
    minutes: int
    every_weeks: int
    anchor: pendulum.Date  # a Monday of a week the routine occurs in
    until: pendulum.Date | None
    timezone: str
    note: str
    active: bool

    @property
    def label(self) -> str:
        """'every Mon 09:00-10:00' or 'every 2 weeks on Fri 14:00-14:30'."""
        h, m = (int(x) for x in self.start_time.split(":"))
        end = h * 60 + m + self.minutes
        span = f"{self.start_time}-{(end // 60) % 24:02d}:{end % 60:02d}"
        day = _DAY_NAMES[self.weekday]
        if self.every_weeks == 1:
            return f"every {day} {span}"
        return f"every {self.every_weeks} weeks on {day} {span}"


def parse_time_of_day(text: str, what: str = "start time") -> tuple[int, int]:
    """'HH:MM' as (hour, minute), or InputError."""
    m = _TIME_RE.match(str(text).strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InputError(f"{what}: not a time of day (HH:MM): {text}")
    return int(m[1]), int(m[2])


def occurs_in(routine: Routine | RoutineView, monday: pendulum.Date) -> pendulum.Date | None:
    """The routine's occurrence date in the week of `monday`, or None when the rule skips that week."""
    monday = week_start(monday)
    weeks = (monday - routine.anchor).days // 7
    if weeks < 0 or weeks % routine.every_weeks:
        return None
    day = monday.add(days=routine.weekday)
    if routine.until is not None and day > routine.until:
        return None
    return day


def occurrence_bounds(routine: Routine | RoutineView, day: pendulum.Date) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """Start and end of the occurrence on `day`: the local time in the routine's zone, as UTC."""
    h, m = parse_time_of_day(routine.start_time)
    start = pendulum.datetime(day.year, day.month, day.day, h, m, tz=pendulum.timezone(routine.timezone))
    return start.in_timezone("UTC"), start.add(minutes=routine.minutes).in_timezone("UTC")


def _view(r: Routine) -> RoutineView:
    return RoutineView(
        id=r.id, client_id=r.client_id, client=r.client.name, task_id=r.task_id,
        task=r.task.title if r.task_id else None, kind=r.kind, weekday=r.weekday, start_time=r.start_time,
        minutes=r.minutes, every_weeks=r.every_weeks, anchor=r.anchor, until=r.until, timezone=r.timezone,
        note=r.note, active=r.active,
    )


def _query():
    return (
        Routine.select(Routine, Client, Task)
        .join(Client)
        .switch(Routine)
        .join(Task, JOIN.LEFT_OUTER)
    )


def get_routine(routine_id: int) -> RoutineView:
    row = _query().where(Routine.id == routine_id).first()
    if row is None:
        raise NotFound(f"no routine {routine_id}")
    return _view(row)


def list_routines(client_id: int | None = None) -> list[RoutineView]:
    """Every routine (or one client's), by weekday and time."""
    q = _query()
    if client_id:
        q = q.where(Routine.client == client_id)
    return [_view(r) for r in q.order_by(Routine.weekday, Routine.start_time, Routine.id)]


def create_routine(
    client_id: int,
    weekday: int,
    start_time: str,
    minutes: int,
    every_weeks: int = 1,
    anchor: pendulum.Date | None = None,
    kind: str = "focus",
    task_id: int | None = None,
    note: str = "",
    timezone: str | None = None,
    until: pendulum.Date | None = None,
) -> RoutineView:
    """Define a recurring block: `every_weeks` weeks on `weekday` (Monday = 0) at local `start_time`.

    `anchor` is any date in a week the routine occurs in (default: this week);
    `timezone` the zone its time of day is in (default: the local zone).
    """
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise InputError(f"weekday must be 0 (Monday) .. 6 (Sunday): {weekday}")
    h, m = parse_time_of_day(start_time)
    if not isinstance(minutes, int) or minutes <= 0:
        raise InputError(f"a routine lasts more than zero minutes: {minutes}")
    if minutes > 24 * 60:
        raise InputError(f"a routine lasts at most a day: {minutes} minutes")
    if not isinstance(every_weeks, int) or every_weeks < 1:
        raise InputError(f"every_weeks must be at least 1: {every_weeks}")
    if kind not in BLOCK_KINDS:
        raise InputError(f"kind must be one of {', '.join(BLOCK_KINDS)}: {kind}")
    zone = timezone or clock.local_tz().name
    try:
        pendulum.timezone(zone)
    except Exception:
        raise InputError(f"unknown time zone: {zone}") from None
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    if task_id is not None:
        task = Task.select(Task, Project).join(Project).where(Task.id == task_id).first()
        if task is None:
            raise NotFound(f"no task {task_id}")
        if task.project.client_id != client_id:
            raise InputError(f"task '{task.title}' belongs to another client")
    monday = week_start(anchor or clock.today())
    if until is not None and until < monday.add(days=weekday):
        raise InputError("the routine would end before its first occurrence")
    with action(f"add routine for '{client.name}'") as rec:
        r = rec.create(
            Routine, client=client_id, task=task_id, kind=kind, weekday=weekday, start_time=f"{h:02d}:{m:02d}",
            minutes=minutes, every_weeks=every_weeks, anchor=monday, until=until, timezone=zone, note=note.strip(),
        )
    return get_routine(r.id)


def delete_routine(routine_id: int) -> None:
    """End a routine: its blocks from today on go, earlier ones stay as plain blocks (u undoes)."""
    r = Routine.get_or_none(Routine.id == routine_id)
    if r is None:
        raise NotFound(f"no routine {routine_id}")
    from_today, _ = local_day_bounds(clock.today())
    with action(f"delete routine '{r.note or r.kind}'") as rec:
        for block in TimeBlock.select().where(TimeBlock.routine == routine_id, TimeBlock.start >= instant_text(from_today)):
            rec.delete(block)
        rec.delete(r)


def lay_routines(monday: pendulum.Date) -> list[int]:
    """Create the week's missing routine occurrences as blocks; returns the new blocks' ids.

    Idempotent (unique routine + occurrence), skips occurrences the user
    deleted, and leaves existing (possibly moved) occurrences alone. Only
    active routines of active clients are laid. Not an undoable action, but
    one transaction. Three queries when there is nothing to lay.
    """
    monday = week_start(monday)
    sunday = monday.add(days=6)
    routines = list(
        Routine.select(Routine)
        .join(Client)
        .where(
            Routine.active == True,  # noqa: E712
            Client.status == "active",
            Routine.anchor <= sunday,
            (Routine.until.is_null()) | (Routine.until >= monday),
        )
        .order_by(Routine.id)
    )
    due = [(r, day) for r in routines if (day := occurs_in(r, monday)) is not None]
    if not due:
        return []
    ids = [r.id for r, _ in due]
    lo, hi = monday.to_date_string(), sunday.to_date_string()
    taken = {
        (rid, str(occ))
        for rid, occ in TimeBlock.select(TimeBlock.routine, TimeBlock.occurrence)
        .where(TimeBlock.routine.in_(ids), TimeBlock.occurrence >= lo, TimeBlock.occurrence <= hi)
        .tuples()
    }
    taken |= {
        (rid, str(occ))
        for rid, occ in RoutineSkip.select(RoutineSkip.routine, RoutineSkip.occurrence)
        .where(RoutineSkip.routine.in_(ids), RoutineSkip.occurrence >= lo, RoutineSkip.occurrence <= hi)
        .tuples()
    }
    rows = []
    for r, day in due:
        if (r.id, day.to_date_string()) in taken:
            continue
        start, end = occurrence_bounds(r, day)
        rows.append(
            {
                "client": r.client_id, "task": r.task_id, "start": start, "end": end, "kind": r.kind,
                "note": r.note, "routine": r.id, "occurrence": day,
            }
        )
    if not rows:
        return []
    with action("lay routines", journal=False):
        TimeBlock.insert_many(rows).on_conflict_ignore().execute()
        new_ids = [
            bid
            for (bid,) in TimeBlock.select(TimeBlock.id)
            .where(TimeBlock.routine.in_([row["routine"] for row in rows]), TimeBlock.occurrence >= lo, TimeBlock.occurrence <= hi)
            .order_by(TimeBlock.id)
            .tuples()
        ]
    return new_ids


__all__ = [
    "RoutineView", "create_routine", "list_routines", "get_routine", "delete_routine", "lay_routines", "occurs_in",
    "occurrence_bounds", "parse_time_of_day",
]
