"""The planner: time blocks on a week grid, their conflicts, each day's load and
each client's planned-vs-target hours, and the check-ins due in the week.

Blocks are stored in UTC and shown in the local zone (clock.local_tz()); a week
is the local ISO week (periods.week_bounds). Every change goes through
journal.action, so `u` undoes it. Reading a week lays its routines first
(routines.lay_routines), so the grid, the load, the conflicts and "fill my
week" all see the routine blocks. A TUI refresh should fetch `week_blocks`
once and hand the list to `conflicts(..., blocks=)` and `week_load(..., blocks=)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from peewee import JOIN

from clientdesk import clock
from clientdesk.config import Settings
from clientdesk.domain.checkins import last_contacts, next_checkin
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.domain.journal import action
from clientdesk.domain.periods import local_day_bounds, overlap_hours, week_bounds, week_start
from clientdesk.models import Client, Project, RoutineSkip, Task, TimeBlock
from clientdesk.models.base import instant_text
from clientdesk.models.work import BLOCK_KINDS

CONFLICT_KINDS = ("overlap", "outside_hours", "paused_client", "after_due", "busy")
_UNSET = object()


@dataclass(frozen=True)
class BlockView:
    """A time block as the planner shows it (start/end in the local zone)."""

    id: int
    client_id: int
    client: str
    colour: str
    task_id: int | None
    task: str | None  # the task's title
    start: pendulum.DateTime
    end: pendulum.DateTime
    kind: str  # focus, batch, meeting, buffer
    note: str
    routine_id: int | None
    is_routine: bool
    occurrence: pendulum.Date | None = None  # the routine's date this block stands for
    client_status: str = "active"
    task_due: pendulum.Date | None = None
    task_status: str | None = None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def title(self) -> str:
        """'<client>: <task or kind>', the line a calendar shows."""
        return f"{self.client}: {self.task or self.kind}"


@dataclass(frozen=True)
class Conflict:
    kind: str  # overlap, outside_hours, paused_client, after_due
    block_ids: tuple[int, ...]
    message: str


@dataclass(frozen=True)
class ClientLoad:
    client_id: int
    client: str
    colour: str
    status: str
    target_hours: float | None
    planned_hours: float
    starved: bool  # below half the target, judged from Wednesday on

    @property
    def remaining_hours(self) -> float | None:
        """Hours still to plan to reach the target (never negative); None without a target."""
        if self.target_hours is None:
            return None
        return max(0.0, self.target_hours - self.planned_hours)

    @property
    def share(self) -> float | None:
        """planned / target (None without a target or with a zero target)."""
        return self.planned_hours / self.target_hours if self.target_hours else None


@dataclass(frozen=True)
class DayLoad:
    date: pendulum.Date
    working_hours: float  # the day's working hours in the settings
    capacity_hours: float  # working hours less the buffer share
    planned_hours: float  # blocks on that local day, buffer blocks excepted
    overbooked: bool
    busy_hours: float = 0.0  # imported calendar events inside the day's working hours

    @property
    def free_hours(self) -> float:
        return max(0.0, self.capacity_hours - self.planned_hours - self.busy_hours)


@dataclass(frozen=True)
class WeekLoad:
    monday: pendulum.Date
    judged_on: pendulum.Date | None  # the day "starved" was judged on (None: a future week)
    clients: list[ClientLoad] = field(default_factory=list)
    days: list[DayLoad] = field(default_factory=list)


@dataclass(frozen=True)
class CheckinView:
    client_id: int
    client: str
    colour: str
    channel: str
    due: pendulum.Date  # last interaction + cadence; today when never contacted
    late: bool
    never_contacted: bool
    last_contact: pendulum.Date | None
    block_id: int | None  # the client's first meeting block in that week, if any


# ---------------------------------------------------------------- reading


def _tz():
    return clock.local_tz()


def _block_query():
    return (
        TimeBlock.select(TimeBlock, Client, Task)
        .join(Client)
        .switch(TimeBlock)
        .join(Task, JOIN.LEFT_OUTER)
    )


def _view(b: TimeBlock, zone) -> BlockView:
    c = b.client
    t = b.task if b.task_id else None
    return BlockView(
        id=b.id,
        client_id=b.client_id,
        client=c.name,
        colour=c.colour,
        task_id=b.task_id,
        task=t.title if t is not None else None,
        start=b.start.in_timezone(zone),
        end=b.end.in_timezone(zone),
        kind=b.kind,
        note=b.note,
        routine_id=b.routine_id,
        is_routine=b.routine_id is not None,
        occurrence=b.occurrence,
        client_status=c.status,
        task_due=t.due if t is not None else None,
        task_status=t.status if t is not None else None,
    )


def list_blocks(
    *, client_id: int | None = None, start: pendulum.DateTime | None = None, end: pendulum.DateTime | None = None
) -> list[BlockView]:
    """Blocks overlapping [start, end) (either bound optional), by start then id; one query."""
    q = _block_query()
    if client_id:
        q = q.where(TimeBlock.client == client_id)
    if start is not None:
        q = q.where(TimeBlock.end > instant_text(start))
    if end is not None:
        q = q.where(TimeBlock.start < instant_text(end))
    zone = _tz()
    return [_view(b, zone) for b in q.order_by(TimeBlock.start, TimeBlock.id)]


def week_blocks(monday: pendulum.Date, *, client_id: int | None = None, lay: bool = True) -> list[BlockView]:
    """The blocks of the local ISO week holding `monday`, its routines laid first (lay=False: read only)."""
    monday = week_start(monday)
    if lay:
        from clientdesk.domain.routines import lay_routines

        lay_routines(monday)
    lo, hi = week_bounds(monday)
    return list_blocks(client_id=client_id, start=lo, end=hi)


def get_block(block_id: int) -> BlockView:
    row = _block_query().where(TimeBlock.id == block_id).first()
    if row is None:
        raise NotFound(f"no block {block_id} (deleted?)")
    return _view(row, _tz())


# ---------------------------------------------------------------- writing


def _instant(value, what: str) -> pendulum.DateTime:
    """An aware instant; a naive datetime is read in the local zone."""
    import datetime as _dt

    if isinstance(value, str):
        from clientdesk.domain.parse import parse_datetime

        return parse_datetime(value, what, tz=_tz())
    if not isinstance(value, _dt.datetime):
        raise InputError(f"{what}: not a date and time: {value!r}")
    if value.tzinfo is None:
        return pendulum.instance(value, tz=_tz())
    return pendulum.instance(value)


def _checked(client_id, start, end, kind, task_id) -> tuple[Client, pendulum.DateTime, pendulum.DateTime]:
    start = _instant(start, "start")
    end = _instant(end, "end")
    if end <= start:
        raise InputError("a block must end after it starts")
    if (end - start).total_seconds() < 60:
        raise InputError("a block lasts at least a minute")
    if kind not in BLOCK_KINDS:
        raise InputError(f"kind must be one of {', '.join(BLOCK_KINDS)}: {kind}")
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    if task_id is not None:
        row = Task.select(Task.title, Project.client).join(Project).where(Task.id == task_id).tuples().first()
        if row is None:
            raise NotFound(f"no task {task_id}")
        if row[1] != client.id:
            raise InputError(f"task '{row[0]}' belongs to another client")
    return client, start, end


def create_block(
    client_id: int,
    start: pendulum.DateTime,
    end: pendulum.DateTime,
    kind: str = "focus",
    task_id: int | None = None,
    note: str = "",
) -> BlockView:
    """Add a block (naive times are local). Paused clients and odd hours are allowed and flagged by conflicts()."""
    client, start, end = _checked(client_id, start, end, kind, task_id)
    with action(f"add block for '{client.name}'") as rec:
        b = rec.create(TimeBlock, client=client.id, task=task_id, start=start, end=end, kind=kind, note=note.strip())
    return get_block(b.id)


def _load(block_id: int) -> TimeBlock:
    b = TimeBlock.get_or_none(TimeBlock.id == block_id)
    if b is None:
        raise NotFound(f"no block {block_id} (deleted?)")
    return b


def update_block(
    block_id: int, *, client_id=_UNSET, start=_UNSET, end=_UNSET, kind=_UNSET, task_id=_UNSET, note=_UNSET
) -> BlockView:
    """Edit a block; only the fields given change (task_id=None unlinks the task)."""
    b = _load(block_id)
    new = {
        "client_id": b.client_id if client_id is _UNSET else client_id,
        "start": b.start if start is _UNSET else start,
        "end": b.end if end is _UNSET else end,
        "kind": b.kind if kind is _UNSET else kind,
        "task_id": b.task_id if task_id is _UNSET else task_id,
    }
    if client_id is not _UNSET and task_id is _UNSET and client_id != b.client_id:
        new["task_id"] = None  # a task belongs to one client
    client, s, e = _checked(new["client_id"], new["start"], new["end"], new["kind"], new["task_id"])
    fields = {"client": client.id, "start": s, "end": e, "kind": new["kind"], "task": new["task_id"]}
    if note is not _UNSET:
        fields["note"] = str(note).strip()
    with action(f"edit block for '{client.name}'") as rec:
        rec.update(b, **fields)
    return get_block(block_id)


def _shift(instant: pendulum.DateTime, minutes: int) -> pendulum.DateTime:
    """`instant` moved by `minutes` on the local wall clock (a day stays a day across DST)."""
    zone = _tz()
    naive = instant.in_timezone(zone).naive().add(minutes=minutes)
    return pendulum.datetime(naive.year, naive.month, naive.day, naive.hour, naive.minute, naive.second, tz=zone)


def move_block(block_id: int, minutes: int) -> BlockView:
    """Move a block by `minutes` (negative: earlier), keeping its length on the local wall clock."""
    b = _load(block_id)
    return update_block(block_id, start=_shift(b.start, minutes), end=_shift(b.end, minutes))


def resize_block(block_id: int, minutes: int) -> BlockView:
    """Make a block longer (positive) or shorter (negative) by moving its end."""
    b = _load(block_id)
    end = _shift(b.end, minutes)
    if end <= b.start:
        raise InputError("a block cannot get shorter than that; delete it instead")
    return update_block(block_id, end=end)


def delete_block(block_id: int) -> None:
    """Delete a block; a routine's occurrence is remembered as skipped, so it is not laid again."""
    b = _load(block_id)
    client = Client.get_by_id(b.client_id)
    with action(f"delete block for '{client.name}'") as rec:
        if b.routine_id is not None and b.occurrence is not None:
            if RoutineSkip.get_or_none(RoutineSkip.routine == b.routine_id, RoutineSkip.occurrence == b.occurrence) is None:
                rec.create(RoutineSkip, routine=b.routine_id, occurrence=b.occurrence)
        rec.delete(b)


# ---------------------------------------------------------------- conflicts and load


def _when(b: BlockView) -> str:
    return f"{b.start.format('ddd D MMM HH:mm')}-{b.end.format('HH:mm')}"


def _wall_minutes(b: BlockView) -> tuple[pendulum.Date, float, float]:
    """The block's local day and its start/end in minutes after that day's midnight (end > 1440 when it runs over)."""
    day = b.start.date()
    s = b.start.hour * 60 + b.start.minute + b.start.second / 60
    end_day = b.end.date()
    e = b.end.hour * 60 + b.end.minute + b.end.second / 60 + 1440 * (end_day - day).days
    return day, s, e


def _outside_hours(b: BlockView, settings: Settings) -> bool:
    day, s, e = _wall_minutes(b)
    return not any(a <= s and e <= z for a, z in settings.spans(day.weekday()))


def conflicts(monday: pendulum.Date, settings: Settings | None = None, *, blocks: list[BlockView] | None = None,
              busy: list | None = None) -> list[Conflict]:
    """Everything wrong with the week's plan, ordered by time: overlapping blocks,
    blocks outside working hours, blocks for a paused (or archived) client,
    blocks for an open task on a day after its due date, and blocks over busy
    time from an imported calendar (`busy`: domain.busy.week_busy, read when None)."""
    settings = settings or Settings()
    if blocks is None:
        blocks = week_blocks(monday)
    if busy is None:
        from clientdesk.domain.busy import week_busy

        busy = week_busy(monday)
    ordered = sorted(blocks, key=lambda b: (b.start, b.id))
    found: list[tuple[tuple, Conflict]] = []
    kind_order = {k: i for i, k in enumerate(CONFLICT_KINDS)}

    def add(kind, bs, message):
        key = (min(b.start for b in bs), kind_order[kind], tuple(b.id for b in bs))
        found.append((key, Conflict(kind, tuple(b.id for b in bs), message)))

    for i, a in enumerate(ordered):
        for other in ordered[i + 1 :]:
            if other.start >= a.end:
                break
            add("overlap", (a, other), f"{a.client} {_when(a)} overlaps {other.client} {_when(other)}")
    for b in ordered:
        if _outside_hours(b, settings):
            hours = settings.hours_label(b.start.weekday())
            add("outside_hours", (b,), f"{b.client} {_when(b)} is outside working hours ({hours})")
        if b.client_status != "active":
            add("paused_client", (b,), f"{b.client} is {b.client_status}: block {_when(b)}")
        if b.task_id is not None and b.task_due is not None and b.task_status != "done" and b.start.date() > b.task_due:
            add(
                "after_due",
                (b,),
                f"'{b.task}' ({b.client}) is due {b.task_due.format('ddd D MMM')} but planned {_when(b)}",
            )
        for ev in busy:
            if ev.start < b.end and b.start < ev.end:
                add("busy", (b,), f"{b.client} {_when(b)} is over busy time: {ev.summary} "
                                  f"{ev.start.format('HH:mm')}-{ev.end.format('HH:mm')}")
    found.sort(key=lambda kc: kc[0])
    return [c for _, c in found]


def _busy_in_hours(busy: list, day: pendulum.Date, settings: Settings) -> float:
    """Hours of `day`'s working spans that busy events cover (overlapping events counted once)."""
    spans = settings.spans(day.weekday())
    if not spans or not busy:
        return 0.0
    covered = []
    for ev in busy:
        s_day, e_day = ev.start.date(), ev.end.date()
        if e_day < day or s_day > day:
            continue
        s = 0 if s_day < day else ev.start.hour * 60 + ev.start.minute
        e = 1440 if e_day > day else ev.end.hour * 60 + ev.end.minute
        for a, z in spans:
            lo, hi = max(a, s), min(z, e)
            if hi > lo:
                covered.append((lo, hi))
    covered.sort()
    total, end = 0.0, float("-inf")
    for lo, hi in covered:
        if hi > end:
            total += hi - max(lo, end)
            end = hi
    return total / 60


def judge_day(monday: pendulum.Date, today: pendulum.Date | None = None) -> pendulum.Date | None:
    """The day a week's starvation is judged on: today in the current week, its Sunday for a past week, None for a future one."""
    monday = week_start(monday)
    today = today or clock.today()
    sunday = monday.add(days=6)
    if today > sunday:
        return sunday
    if today < monday:
        return None
    return today


def week_load(
    monday: pendulum.Date,
    settings: Settings | None = None,
    *,
    blocks: list[BlockView] | None = None,
    today: pendulum.Date | None = None,
    busy: list | None = None,
) -> WeekLoad:
    """Per client planned vs target hours (every active client, plus any other with a block that week),
    and per day working hours, capacity (less the buffer), planned hours, busy time from imported
    calendars inside working hours (`busy`, read when None) and overbooking (planned + busy > capacity)."""
    settings = settings or Settings()
    monday = week_start(monday)
    if blocks is None:
        blocks = week_blocks(monday)
    if busy is None:
        from clientdesk.domain.busy import week_busy

        busy = week_busy(monday)
    lo, hi = week_bounds(monday)
    planned: dict[int, float] = {}
    for b in blocks:
        planned[b.client_id] = planned.get(b.client_id, 0.0) + overlap_hours(b.start, b.end, lo, hi)
    ids = sorted(planned)
    cond = Client.status == "active"
    if ids:
        cond = cond | Client.id.in_(ids)
    judged = judge_day(monday, today)
    starving = judged is not None and judged.weekday() >= 2  # Wednesday or later
    clients = []
    for c in Client.select().where(cond).order_by(Client.name):
        hours = planned.get(c.id, 0.0)
        target = c.weekly_target_hours
        starved = bool(starving and c.status == "active" and target and hours < target / 2)
        clients.append(ClientLoad(c.id, c.name, c.colour, c.status, target, hours, starved))
    days = []
    for i in range(7):
        day = monday.add(days=i)
        d_lo, d_hi = local_day_bounds(day)
        used = sum(overlap_hours(b.start, b.end, d_lo, d_hi) for b in blocks if b.kind != "buffer")
        working = settings.working_minutes(day.weekday()) / 60
        capacity = settings.capacity_minutes(day.weekday()) / 60
        taken = _busy_in_hours(busy, day, settings)
        days.append(DayLoad(day, working, capacity, used, used + taken > capacity + 1e-9, taken))
    return WeekLoad(monday, judged, clients, days)


# ---------------------------------------------------------------- check-ins


def checkins_in_week(monday: pendulum.Date, *, today: pendulum.Date | None = None) -> list[CheckinView]:
    """Active clients whose next check-in falls in the week (status rules: last interaction
    up to today + cadence; never contacted = today). A late check-in also shows in today's week."""
    monday = week_start(monday)
    sunday = monday.add(days=6)
    today = today or clock.today()
    this_week = monday <= today <= sunday
    active = list(Client.select().where(Client.status == "active").order_by(Client.name))
    last = last_contacts([c.id for c in active], today)
    found = []
    for c in active:
        last_date = last.get(c.id)
        due = next_checkin(last_date, c.checkin_every_days, today)
        late = due < today
        if monday <= due <= sunday or (this_week and late):
            found.append((c, due, late, last_date))
    if not found:
        return []
    lo, hi = week_bounds(monday)
    booked: dict[int, int] = {}
    for bid, cid in (
        TimeBlock.select(TimeBlock.id, TimeBlock.client)
        .where(
            TimeBlock.kind == "meeting",
            TimeBlock.client.in_([c.id for c, *_ in found]),
            TimeBlock.start < instant_text(hi),
            TimeBlock.end > instant_text(lo),
        )
        .order_by(TimeBlock.start, TimeBlock.id)
        .tuples()
    ):
        booked.setdefault(cid, bid)
    out = [
        CheckinView(c.id, c.name, c.colour, c.channel, due, late, last is None, last, booked.get(c.id))
        for c, due, late, last in found
    ]
    return sorted(out, key=lambda v: (v.due, v.client))


def checkin_to_block(client_id: int, start: pendulum.DateTime, minutes: int = 30) -> BlockView:
    """Book a client's check-in as a meeting block of `minutes` from `start` (one key in the planner)."""
    if not isinstance(minutes, int) or minutes <= 0:
        raise InputError(f"a check-in lasts more than zero minutes: {minutes}")
    start = _instant(start, "start")
    client, start, end = _checked(client_id, start, start.add(minutes=minutes), "meeting", None)
    with action(f"book check-in with '{client.name}'") as rec:
        b = rec.create(TimeBlock, client=client.id, start=start, end=end, kind="meeting", note="check-in")
    return get_block(b.id)


# ---------------------------------------------------------------- block time for a task


def block_task_next_free(
    task_id: int,
    settings: Settings | None = None,
    *,
    minutes: int | None = None,
    now: pendulum.DateTime | None = None,
) -> BlockView:
    """Put a focus block for the task into the earliest free slot from `now` (default: the clock) in the
    working hours of this week or the next, as one undoable action ("block time" from any screen).

    The length is `minutes`, else the task's estimate, else 60, rounded up to the slot grid. The free
    time is fill my week's (fill.free_days): between existing blocks (routines included), on the slot
    grid, and only on a day whose capacity (the buffer kept free) still holds the block.
    """
    from clientdesk.domain.fill import free_days

    settings = settings or Settings()
    row = (
        Task.select(Task.id, Task.title, Task.status, Task.estimate_minutes, Project.client)
        .join(Project)
        .where(Task.id == task_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(f"no task {task_id}")
    _, title, status, estimate, client_id = row
    if status == "done":
        raise InputError(f"'{title}' is done: nothing to block time for")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0):
        raise InputError(f"a block lasts more than zero minutes: {minutes}")
    slot = settings.slot_minutes
    need = minutes or estimate or 60
    need = -(-need // slot) * slot
    zone = _tz()
    now = pendulum.instance(now or clock.now()).in_timezone(zone)
    monday = week_start(now.date())
    for week in (monday, monday.add(weeks=1)):
        for day in free_days(week, settings, now=now):
            start_minute = day.first_fit(need)
            if start_minute is None:
                continue
            d = day.date
            start = pendulum.datetime(d.year, d.month, d.day, start_minute // 60, start_minute % 60, tz=zone)
            end = _shift(start, need)
            client, start, end = _checked(client_id, start, end, "focus", task_id)
            with action(f"block time for '{title}'") as rec:
                b = rec.create(TimeBlock, client=client.id, task=task_id, start=start, end=end, kind="focus", note="")
            return get_block(b.id)
    hm = f"{need // 60}h{need % 60:02d}" if need % 60 else f"{need // 60}h"
    raise InputError(f"no free slot of {hm} in the working hours of this week or next (the buffer is kept free)")


__all__ = [
    "block_task_next_free", "BLOCK_KINDS",
    "BlockView", "Conflict", "ClientLoad", "DayLoad", "WeekLoad", "CheckinView", "CONFLICT_KINDS",
    "list_blocks", "week_blocks", "get_block", "create_block", "update_block", "move_block", "resize_block",
    "delete_block", "conflicts", "week_load", "judge_day", "checkins_in_week", "checkin_to_block",
]
