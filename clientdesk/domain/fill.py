"""Fill my week: plan the top open tasks into the week's free slots, as a proposal to accept or discard.

The algorithm, in one paragraph (also in the README):

Fill my week plans the shown week's remaining days (days before today are
left alone; today starts at the current time) and is deterministic: the same
data, settings and time give the same plan. The free time of each day is its
working hours minus every existing block (routines included) and every busy
event of an imported calendar, cut to the slot grid (`slot_minutes`); each
day also keeps its buffer, so at most its capacity (working hours less
`buffer_share`) minus what is already planned or busy that day is filled. The candidates are the open tasks of active clients and
projects not already in a block that week, scored in one query with the
triage score and taken in Today-list order (score high to low, then due date,
then id). Clients with a weekly target are served first, each only up to its
target (existing blocks count); clients without a target then share what is
left, in the same order. Each candidate opens a unit: an untagged task alone
("focus"), or a tagged task together with the next tasks of the same client
and first tag, in score order, up to 3 hours ("batch"). A task without an
estimate counts as 60 minutes, and a unit lasts the sum of its estimates
rounded up to the slot grid. A unit goes into the earliest free slot long
enough, on a day with enough capacity left, and no later than the earliest
due date among its members (a task already overdue goes to the first free
slot); if it does not fit, its last member is dropped and retried later, one
by one, down to the first task alone. Only a single task of more than 3 hours
may be split, and only when no free slot holds it whole, into pieces of at
least an hour, earliest first. A task that still does not fit is left out
with its reason (client target reached, no free slot long enough, none before
its due date, no free time left); the first 100 are listed and all are
counted by reason. Accepting writes the chosen blocks in one undoable action
("fill week"); a batch becomes consecutive blocks, one per task.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import pendulum

from clientdesk import clock
from clientdesk.config import Settings
from clientdesk.domain.errors import InputError, StaleEdit
from clientdesk.domain.journal import action
from clientdesk.domain.periods import week_bounds, week_start
from clientdesk.domain.busy import week_busy
from clientdesk.domain.planner import week_blocks, week_load
from clientdesk.domain.triage import PRIORITY_POINTS, TotalScorer
from clientdesk.models import Client, Project, Task, TimeBlock, database
from clientdesk.models.base import instant_text

BATCH_MAX_MINUTES = 180  # a batch holds up to 3 hours of same-tag tasks
SPLIT_OVER_MINUTES = 180  # only a task longer than this may be split across slots
MIN_PIECE_MINUTES = 60  # the shortest piece of a split task
ASSUMED_MINUTES = 60  # the length of a task without an estimate
LEFT_OUT_SHOWN = 100  # left-out tasks listed (all are counted)

REASON_CODES = ("target", "no_slot", "due", "no_time", "week_full")


@dataclass(frozen=True)
class ProposedPart:
    """One block that accepting writes: a task's share of a proposed block."""

    task_id: int
    title: str
    start: pendulum.DateTime
    end: pendulum.DateTime


@dataclass(frozen=True)
class ProposedBlock:
    """A ghost block: one focus task (or a piece of one) or a batch of same-tag tasks."""

    index: int  # position in FillProposal.blocks, what accept_fill(indices=) takes
    client_id: int
    client: str
    colour: str
    start: pendulum.DateTime  # local zone
    end: pendulum.DateTime
    kind: str  # "focus" or "batch"
    task_ids: tuple[int, ...]
    titles: tuple[str, ...]
    tag: str  # the batch's tag ("" for an untagged task)
    parts: tuple[ProposedPart, ...]
    piece: tuple[int, int] = (1, 1)  # (n, of) for a split task

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def label(self) -> str:
        if self.kind == "batch":
            return f"#{self.tag} x{len(self.task_ids)}"
        title = self.titles[0]
        return f"{title} ({self.piece[0]}/{self.piece[1]})" if self.piece[1] > 1 else title


@dataclass(frozen=True)
class TaskNote:
    """A task with something to say about it: why it was left out, or what was assumed."""

    task_id: int
    title: str
    client: str
    score: float
    code: str  # left out: target, no_slot, due, no_time, week_full; assumed: estimate, overdue
    reason: str


@dataclass(frozen=True)
class ClientFill:
    client_id: int
    client: str
    target_hours: float | None
    planned_hours: float  # already in blocks that week
    proposed_hours: float

    @property
    def total_hours(self) -> float:
        return self.planned_hours + self.proposed_hours


@dataclass(frozen=True)
class FillProposal:
    monday: pendulum.Date
    blocks: list[ProposedBlock] = field(default_factory=list)
    clients: list[ClientFill] = field(default_factory=list)  # every active client, by name
    left_out: list[TaskNote] = field(default_factory=list)  # the first LEFT_OUT_SHOWN, best score first
    left_out_count: int = 0
    left_out_by_reason: dict[str, int] = field(default_factory=dict)
    assumed: list[TaskNote] = field(default_factory=list)  # planned tasks with an assumption
    already_planned: int = 0  # open tasks skipped because a block of that week holds them
    free_hours_after: float = 0.0  # plannable hours left in the week if all is accepted
    person_id: int | None = None  # whose week: their blocks, their assigned and the unassigned tasks

    @property
    def hours_by_client(self) -> dict[str, float]:
        return {c.client: c.proposed_hours for c in self.clients if c.proposed_hours}

    @property
    def proposed_hours(self) -> float:
        return sum(b.minutes for b in self.blocks) / 60


# ---------------------------------------------------------------- scoring


def _ordinal(cache: dict[str, int], text: str) -> int:
    value = cache.get(text)
    if value is None:
        value = cache[text] = _dt.date.fromisoformat(text[:10]).toordinal()
    return value


def fast_score(priority: int, due: str | None, created: str | None, weight: float, today: pendulum.Date) -> float:
    """One task's triage score total from its stored text (see triage.TotalScorer)."""
    return TotalScorer(today)(priority, due, created, weight)


# ---------------------------------------------------------------- free time


class _Day:
    __slots__ = ("date", "budget", "intervals")

    def __init__(self, date, budget, intervals):
        self.date = date
        self.budget = budget  # minutes that may still be planned (capacity less planned, on the grid)
        self.intervals = intervals  # [[start, end], ...] free, on the grid, in minutes after local midnight

    def avail(self) -> int:
        """The longest unit this day can take."""
        longest = max((e - s for s, e in self.intervals), default=0)
        return min(longest, self.budget)


def _subtract(spans, busy):
    """Spans minus busy intervals (all in minutes)."""
    out = []
    for s, e in spans:
        cur = s
        for bs, be in busy:
            if be <= cur or bs >= e:
                continue
            if bs > cur:
                out.append([cur, bs])
            cur = max(cur, be)
            if cur >= e:
                break
        if cur < e:
            out.append([cur, e])
    return out


def _free_days(monday, settings, blocks, load, today, now_local) -> list[_Day]:
    slot = settings.slot_minutes
    days = []
    for i in range(7):
        day = monday.add(days=i)
        if day < today:
            continue
        spans = settings.spans(day.weekday())
        if not spans:
            continue
        busy = []
        for b in blocks:
            s_day, e_day = b.start.date(), b.end.date()
            if e_day < day or s_day > day:
                continue
            s = 0 if s_day < day else b.start.hour * 60 + b.start.minute + (1 if b.start.second else 0)
            e = 1440 if e_day > day else b.end.hour * 60 + b.end.minute + (1 if b.end.second else 0)
            if e > s:
                busy.append((s, e))
        if day == now_local.date():
            cut = now_local.hour * 60 + now_local.minute + (1 if now_local.second or now_local.microsecond else 0)
            busy.append((0, cut))
        busy.sort()
        intervals = []
        for s, e in _subtract(spans, busy):
            s = -(-s // slot) * slot
            e = e // slot * slot
            if e - s >= slot:
                intervals.append([s, e])
        planned = (load.days[i].planned_hours + load.days[i].busy_hours) * 60
        budget = int(max(0.0, settings.capacity_minutes(day.weekday()) - planned + 1e-6) // slot) * slot
        if intervals and budget >= slot:
            days.append(_Day(day, budget, intervals))
    return days


@dataclass(frozen=True)
class FreeDay:
    """One day's free time as fill my week sees it (minutes after local midnight, on the slot grid)."""

    date: pendulum.Date
    budget_minutes: int  # what may still be planned that day: its capacity (buffer kept) less what is planned
    intervals: tuple[tuple[int, int], ...]  # free spans inside working hours, after `now`, between blocks

    def first_fit(self, minutes: int) -> int | None:
        """The start of the earliest free span holding `minutes` within the day's budget, else None."""
        if minutes > self.budget_minutes:
            return None
        return next((s for s, e in self.intervals if e - s >= minutes), None)


def free_days(
    monday: pendulum.Date,
    settings: Settings | None = None,
    *,
    now: pendulum.DateTime | None = None,
    blocks=None,
) -> list[FreeDay]:
    """The free time of the week holding `monday`, from `now` on (default: the clock), as fill my week plans it:
    working hours less every block (routines laid), cut to the slot grid, each day within its capacity.

    Days before `now`'s day, days off and days already at capacity are left out.
    """
    settings = settings or Settings()
    monday = week_start(monday)
    now_local = pendulum.instance(now or clock.now()).in_timezone(clock.local_tz())
    today = now_local.date()
    if blocks is None:
        blocks = week_blocks(monday)
    busy = week_busy(monday)
    load = week_load(monday, settings, blocks=blocks, today=today, busy=busy)
    return [
        FreeDay(d.date, d.budget, tuple((s, e) for s, e in d.intervals))
        for d in _free_days(monday, settings, [*blocks, *busy], load, today, now_local)
    ]


def _hm(minutes: float) -> str:
    minutes = int(round(minutes))
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}" if h and m else (f"{h}h" if h else f"{m}m")


# ---------------------------------------------------------------- the proposal


def propose_fill(
    monday: pendulum.Date,
    settings: Settings | None = None,
    *,
    today: pendulum.Date | None = None,
    now: pendulum.DateTime | None = None,
    person_id: int | None = None,
) -> FillProposal:
    """A plan for the free slots of the week holding `monday` (see the module's paragraph).

    `person_id`: one person's week (on a team desk): around their blocks, with the
    tasks assigned to them and those assigned to nobody.

    `now` (default: clientdesk's clock) is where today's free time starts; with
    only `today` given, today counts from midnight. Lays the week's routines
    first; writes nothing else.
    """
    settings = settings or Settings()
    zone = clock.local_tz()
    monday = week_start(monday)
    if now is None:
        if today is None:
            now, today = clock.now(), clock.today()
        else:
            now = pendulum.datetime(today.year, today.month, today.day, tz=zone)
    now_local = pendulum.instance(now).in_timezone(zone)
    today = today or now_local.date()
    slot = settings.slot_minutes

    blocks = week_blocks(monday, person_id=person_id)
    busy = week_busy(monday)  # imported calendar events: never planned over
    load = week_load(monday, settings, blocks=blocks, today=today, busy=busy)
    days = _free_days(monday, settings, [*blocks, *busy], load, today, now_local)

    clients = {c.client_id: c for c in load.clients if c.status == "active"}
    remaining: dict[int, float | None] = {}
    for cid, c in clients.items():
        remaining[cid] = None if c.target_hours is None else c.target_hours * 60 - c.planned_hours * 60
    planned_tasks = {b.task_id for b in blocks if b.task_id is not None}

    # -- candidates: one query, scored in Python with the triage formula
    q = (
        Task.select(Task.id, Task.priority, Task.due, Task.created, Task.tags, Task.estimate_minutes, Project.client, Client.weight)
        .join(Project)
        .join(Client)
        # != "done" is tasks.OPEN_STATUSES (the column's CHECK keeps its vocabulary) and plans better than IN
        .where(Task.status != "done", Client.status == "active", Project.status == "active")
    )
    if person_id is not None:
        q = q.where((Task.assignee == person_id) | Task.assignee.is_null())
    today_ord = today.toordinal()
    cache: dict[str, int] = {}
    rows = []
    already = 0
    scorer = TotalScorer(today)
    due_terms, age_of, prio_points, ages = scorer.due, scorer.age, PRIORITY_POINTS.get, scorer.ages
    for tid, prio, due, created, tags, est, cid, weight in database.execute(q):
        if tid in planned_tasks:
            already += 1
            continue
        due_pts, over_pts = due_terms(due)
        age = ages.get(created[:10]) if created else 0.0
        if age is None:
            age = age_of(created)
        score = round(sum((prio_points(prio, 0.0), due_pts, over_pts, age, float(weight))), 2)
        first_tag = tags.split(None, 1)[0] if tags and not tags.isspace() else ""
        rows.append((-score, due or "9999", tid, cid, first_tag, est))
    rows.sort()
    n = len(rows)

    done = bytearray(n)
    groups: dict[tuple[int, str], list[int]] = {}
    for i, row in enumerate(rows):
        if row[4]:
            groups.setdefault((row[3], row[4]), []).append(i)
    group_pos: dict[tuple[int, str], int] = {}

    def minutes_of(i: int) -> int:
        est = rows[i][5]
        return est if est else ASSUMED_MINUTES

    def deadline_of(members: list[int]):
        limit = None
        for i in members:
            due = rows[i][1]
            if due != "9999" and _ordinal(cache, due) >= today_ord:
                d = _ordinal(cache, due)
                limit = d if limit is None or d < limit else limit
        return limit

    def round_up(m: int) -> int:
        return -(-m // slot) * slot

    def find(need: int, limit):
        for d in days:
            if limit is not None and d.date.toordinal() > limit:
                break
            if d.budget < need:
                continue
            for iv in d.intervals:
                if iv[1] - iv[0] >= need:
                    return d, iv
        return None

    def take(d: _Day, iv: list, minutes: int) -> int:
        start = iv[0]
        iv[0] += minutes
        if iv[1] - iv[0] < slot:
            d.intervals.remove(iv)
        d.budget -= minutes
        return start

    def max_avail() -> int:
        return max((d.avail() for d in days), default=0)

    placed: list[tuple] = []  # (client_id, day, start_min, end_min, kind, members, tag, piece)
    left: list[tuple[int, str, str]] = []  # (row index, code, reason)
    avail = max_avail()

    for targeted in (True, False):
        for i in range(n):
            if done[i]:
                continue
            cid = rows[i][3]
            rem = remaining.get(cid)
            if (rem is not None) != targeted:
                continue
            if avail < slot:
                done[i] = 1
                left.append((i, "week_full", "no free time left this week"))
                continue
            if rem is not None and rem < slot:
                done[i] = 1
                left.append((i, "target", "client target reached"))
                continue
            tag = rows[i][4]
            first = minutes_of(i)
            members = [i]
            if tag and first <= BATCH_MAX_MINUTES:
                key = (cid, tag)
                g = groups[key]
                p = group_pos.get(key, 0)
                while p < len(g) and done[g[p]]:
                    p += 1
                group_pos[key] = p
                total = first
                for j in g[p:]:
                    if j == i or done[j]:
                        continue
                    m = minutes_of(j)
                    if total + m > BATCH_MAX_MINUTES:
                        break
                    members.append(j)
                    total += m
            # place the unit, dropping its last member while it does not fit
            result = None
            while True:
                need = round_up(sum(minutes_of(j) for j in members))
                fits_target = rem is None or need <= rem
                if fits_target and need <= avail:
                    limit = deadline_of(members)
                    spot = find(need, limit)
                    if spot is not None:
                        result = (spot, need)
                        break
                if len(members) == 1:
                    break
                members.pop()
            if result is not None:
                (d, iv), need = result
                start = take(d, iv, need)
                placed.append((cid, d.date, start, start + need, "batch" if len(members) > 1 else "focus", tuple(members), tag, (1, 1)))
                for j in members:
                    done[j] = 1
                if rem is not None:
                    remaining[cid] = rem - need
                avail = max_avail()
                continue
            # a single task that does not fit whole
            need = round_up(first)
            done[i] = 1
            if rem is not None and need > rem:
                left.append((i, "target", f"client target reached ({_hm(rem)} left, needs {_hm(need)})"))
                continue
            limit = deadline_of([i])
            if first > SPLIT_OVER_MINUTES:
                pieces, todo = [], need
                shadow = {id(d): (d.budget, [list(iv) for iv in d.intervals]) for d in days}
                for d in days:
                    if limit is not None and d.date.toordinal() > limit:
                        break
                    for iv in list(d.intervals):
                        size = min(iv[1] - iv[0], d.budget, todo) // slot * slot
                        if size < min(MIN_PIECE_MINUTES, todo):
                            continue
                        pieces.append((d.date, take(d, iv, size), size))
                        todo -= size
                        if todo <= 0:
                            break
                    if todo <= 0:
                        break
                if todo <= 0:
                    for k, (day, start, size) in enumerate(pieces, 1):
                        placed.append((cid, day, start, start + size, "focus", (i,), tag, (k, len(pieces))))
                    if rem is not None:
                        remaining[cid] = rem - need
                    avail = max_avail()
                    continue
                for d in days:  # roll back
                    d.budget, d.intervals = shadow[id(d)]
                due_txt = "" if limit is None else f" on or before its due date ({_dt.date.fromordinal(limit):%a %d %b})"
                left.append((i, "no_time", f"not enough free time{due_txt} (needs {_hm(need)})"))
                continue
            if limit is not None and need <= avail and find(need, None) is not None:
                day = _dt.date.fromordinal(limit)
                left.append((i, "due", f"no free slot on or before its due date ({day:%a %d %b}, needs {_hm(need)})"))
            else:
                left.append((i, "no_slot", f"no free slot long enough (needs {_hm(need)})"))

    # -- titles and names for what is shown
    left.sort()
    shown = left[:LEFT_OUT_SHOWN]
    placed_ids = {rows[j][2] for p in placed for j in p[5]}
    need_titles = placed_ids | {rows[i][2] for i, _, _ in shown}
    titles = {}
    if need_titles:
        titles = dict(Task.select(Task.id, Task.title).where(Task.id.in_(sorted(need_titles))).tuples())

    def name(cid):
        c = clients.get(cid)
        return c.client if c else str(cid)

    def local(day, minute):
        if minute >= 1440:
            day, minute = day.add(days=1), minute - 1440
        return pendulum.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tz=zone)

    placed.sort(key=lambda p: (p[1], p[2], p[0]))
    proposed_blocks = []
    assumed = []
    proposed_minutes: dict[int, int] = {}
    for index, (cid, day, s, e, kind, members, tag, piece) in enumerate(placed):
        start, end = local(day, s), local(day, e)
        parts, cursor = [], start
        for k, j in enumerate(members):
            tid = rows[j][2]
            part_end = end if k == len(members) - 1 else cursor.add(minutes=minutes_of(j))
            parts.append(ProposedPart(tid, titles.get(tid, ""), cursor, part_end))
            cursor = part_end
        proposed_blocks.append(
            ProposedBlock(
                index=index, client_id=cid, client=name(cid), colour=clients[cid].colour if cid in clients else "",
                start=start, end=end, kind=kind, task_ids=tuple(rows[j][2] for j in members),
                titles=tuple(titles.get(rows[j][2], "") for j in members), tag=tag,
                parts=tuple(parts), piece=piece,
            )
        )
        proposed_minutes[cid] = proposed_minutes.get(cid, 0) + (e - s)
        if piece[0] == 1:
            for j in members:
                tid, score = rows[j][2], -rows[j][0]
                if not rows[j][5]:
                    assumed.append(TaskNote(tid, titles.get(tid, ""), name(cid), score, "estimate", f"no estimate; assumed {ASSUMED_MINUTES}m"))
                due = rows[j][1]
                if due != "9999" and _ordinal(cache, due) < today_ord:
                    assumed.append(
                        TaskNote(tid, titles.get(tid, ""), name(cid), score, "overdue",
                                 f"overdue since {_dt.date.fromisoformat(due):%a %d %b}; planned at the first free slot")
                    )
    by_reason: dict[str, int] = {}
    for _, code, _ in left:
        by_reason[code] = by_reason.get(code, 0) + 1
    left_notes = [
        TaskNote(rows[i][2], titles.get(rows[i][2], ""), name(rows[i][3]), -rows[i][0], code, reason) for i, code, reason in shown
    ]
    summary = [
        ClientFill(c.client_id, c.client, c.target_hours, c.planned_hours, proposed_minutes.get(c.client_id, 0) / 60)
        for c in sorted(clients.values(), key=lambda c: c.client)
    ]
    return FillProposal(
        monday=monday,
        blocks=proposed_blocks,
        clients=summary,
        left_out=left_notes,
        left_out_count=len(left),
        left_out_by_reason={k: by_reason[k] for k in REASON_CODES if k in by_reason},
        assumed=assumed,
        already_planned=already,
        free_hours_after=sum(d.budget for d in days) / 60,
        person_id=person_id,
    )


def accept_fill(proposal: FillProposal, indices: list[int] | None = None) -> list[int]:
    """Write the proposed blocks (all, or those at `indices`) in one undoable action, "fill week".

    A batch becomes consecutive blocks, one per task (kind "batch", note "#tag").
    Refuses (StaleEdit) when the week changed so that a block would now overlap
    another or a task is gone. Returns the new blocks' ids.
    """
    if indices is None:
        chosen = list(proposal.blocks)
    else:
        picked = []
        for i in indices:
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(proposal.blocks):
                raise InputError(f"no proposed block {i}")
            if i not in picked:
                picked.append(i)
        chosen = [proposal.blocks[i] for i in sorted(picked)]
    if not chosen:
        raise InputError("nothing to accept")
    lo, hi = week_bounds(proposal.monday)
    mine = TimeBlock.start < instant_text(hi)
    if proposal.person_id is not None:
        mine &= (TimeBlock.person == proposal.person_id) | TimeBlock.person.is_null()
    existing = [
        (s, e)
        for s, e in TimeBlock.select(TimeBlock.start, TimeBlock.end)
        .where(mine, TimeBlock.end > instant_text(lo))
        .tuples()
    ]
    for b in chosen:
        for s, e in existing:
            if s < b.end and b.start < e:
                raise StaleEdit(f"the week changed since the proposal ({b.client} {b.start:%a %H:%M} is taken); propose again")
    task_ids = sorted({p.task_id for b in chosen for p in b.parts})
    alive = {tid for (tid,) in Task.select(Task.id).where(Task.id.in_(task_ids), Task.status != "done").tuples()}
    if set(task_ids) - alive:
        raise StaleEdit("a proposed task was deleted or done since the proposal; propose again")
    from clientdesk.domain.people import me

    ids = []
    with action("fill week") as rec:
        person = proposal.person_id or me()
        for b in chosen:
            note = f"#{b.tag}" if b.tag else ""
            for p in b.parts:
                row = rec.create(TimeBlock, client=b.client_id, task=p.task_id, start=p.start, end=p.end, kind=b.kind,
                                 note=note, person=person)
                ids.append(row.id)
    return ids


__all__ = [
    "FreeDay", "free_days",
    "FillProposal", "ProposedBlock", "ProposedPart", "TaskNote", "ClientFill", "propose_fill", "accept_fill", "fast_score",
    "BATCH_MAX_MINUTES", "SPLIT_OVER_MINUTES", "MIN_PIECE_MINUTES", "ASSUMED_MINUTES", "LEFT_OUT_SHOWN",
]
