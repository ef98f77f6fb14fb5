"""Time entries: logged by hand or written by the timer, edited, deleted, and
the week's timesheet (hours per client and task, per day, billable apart).

An invoiced entry is locked: editing or deleting it is refused until it is
uninvoiced, so an issued invoice never disagrees with the entries behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from peewee import JOIN

from clientdesk import clock
from clientdesk.domain.errors import InputError, NotFound, RuleError
from clientdesk.domain.journal import action
from clientdesk.domain.money import currency_of, effective_rate
from clientdesk.domain.names import name_key
from clientdesk.domain.parse import MAX_ENTRY_MINUTES
from clientdesk.domain.periods import local_day_bounds, week_bounds, week_start
from clientdesk.models import Client, Project, Task, TimeEntry
from clientdesk.models.base import instant_text

DEFAULT_START = (9, 0)  # a hand-logged entry without a time starts at 09:00 local
FIRST_DAY = pendulum.date(2000, 1, 1)
LAST_DAY = pendulum.date(2099, 12, 31)


def duration_text(minutes: int | None) -> str:
    """'1h30', '2h', '45m', '0m'."""
    h, m = divmod(int(minutes or 0), 60)
    if h and m:
        return f"{h}h{m:02d}"
    return f"{h}h" if h else f"{m}m"


def hours_text(minutes: int | None) -> str:
    """Minutes as a timesheet writes them: '1:30', '0:00'."""
    h, m = divmod(int(minutes or 0), 60)
    return f"{h}:{m:02d}"


@dataclass(frozen=True)
class EntryInput:
    """What the `T` form or `clientdesk log` gives to log or edit an entry."""

    client_id: int
    minutes: int
    day: pendulum.Date
    task_id: int | None = None
    note: str = ""
    billable: bool = True
    start_time: tuple[int, int] | None = None  # (hour, minute) local; None: 09:00, or the entry's own on edit


@dataclass(frozen=True)
class EntryView:
    id: int
    client_id: int
    client: str
    task_id: int | None
    task: str | None
    project: str | None
    start: pendulum.DateTime  # UTC
    minutes: int
    billable: bool
    invoiced: bool
    invoice_ref: str
    note: str
    rate: float | None = None
    currency: str = ""
    language: str = "en"

    @property
    def local_start(self) -> pendulum.DateTime:
        return self.start.in_timezone(clock.local_tz())

    def as_json(self) -> dict:
        """The `timesheet --format json` object (DESIGN's keys, in that order)."""
        return {
            "client": self.client, "task": self.task, "start": self.local_start.to_iso8601_string(),
            "minutes": self.minutes, "billable": self.billable, "invoiced": self.invoiced,
            "invoice_ref": self.invoice_ref, "note": self.note,
        }


def _entry_query():
    return (
        TimeEntry.select(TimeEntry, Client, Task, Project)
        .join(Client, on=(TimeEntry.client == Client.id))
        .switch(TimeEntry)
        .join(Task, JOIN.LEFT_OUTER, on=(TimeEntry.task == Task.id))
        .join(Project, JOIN.LEFT_OUTER, on=(Task.project == Project.id))
    )


def _view(e: TimeEntry) -> EntryView:
    client = e.client
    task = e.task if e.task_id else None
    project = task.project if task is not None else None
    rate = effective_rate(project.hourly_rate if project else None, client.hourly_rate)
    return EntryView(
        e.id, client.id, client.name, task.id if task else None, task.title if task else None,
        project.name if project else None, e.start, e.minutes, bool(e.billable), bool(e.invoiced),
        e.invoice_ref, e.note, rate, currency_of(client.currency), client.language,
    )


def get_entry(entry_id: int) -> EntryView:
    row = _entry_query().where(TimeEntry.id == entry_id).first()
    if row is None:
        raise NotFound(f"no such time entry: {entry_id}")
    return _view(row)


def entries_between(lo: pendulum.DateTime, hi: pendulum.DateTime, *, client_id: int | None = None) -> list[EntryView]:
    """Entries starting in [lo, hi), oldest first."""
    q = _entry_query().where(TimeEntry.start >= instant_text(lo), TimeEntry.start < instant_text(hi))
    if client_id is not None:
        q = q.where(TimeEntry.client == client_id)
    return [_view(e) for e in q.order_by(TimeEntry.start, TimeEntry.id)]


def find_task(client_id: int, title: str) -> int:
    """A task of the client by title (the same name by name_key, else a unique prefix); its id."""
    key = name_key(title)
    if not key:
        raise InputError("a task title is empty")
    rows = list(Task.select(Task.id, Task.title).join(Project).where(Project.client == client_id).tuples())
    exact = [tid for tid, t in rows if name_key(t) == key]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        exact = [tid for tid, t in rows if name_key(t).startswith(key)]
        if len(exact) == 1:
            return exact[0]
    if not exact:
        raise NotFound(f"no such task of this client: {title}")
    raise NotFound(f"task title is ambiguous ({len(exact)} tasks match): {title}")


def _fields(data: EntryInput, existing: TimeEntry | None = None) -> dict:
    """The columns to store for `data`, or the error naming what is wrong."""
    if isinstance(data.minutes, bool) or not isinstance(data.minutes, int):
        raise InputError(f"minutes: not a whole number: {data.minutes!r}")
    if data.minutes < 0:
        raise InputError(f"time spent cannot be negative: {data.minutes} minutes")
    if data.minutes > MAX_ENTRY_MINUTES:
        raise InputError(f"more than a day in one entry ({duration_text(data.minutes)}); log each day apart")
    if not FIRST_DAY <= data.day <= LAST_DAY:
        raise InputError(f"date out of range (2000-01-01 .. 2099-12-31): {data.day}")
    client = Client.get_or_none(Client.id == data.client_id)
    if client is None:
        raise NotFound(f"no such client: {data.client_id}")
    if data.task_id is not None:
        task = Task.select(Task, Project).join(Project).where(Task.id == data.task_id).first()
        if task is None:
            raise NotFound(f"no such task: {data.task_id}")
        if task.project.client_id != client.id:
            raise InputError(f"the task '{task.title}' belongs to another client")
    if data.start_time is not None:
        hour, minute = data.start_time
    elif existing is not None:
        local = existing.start.in_timezone(clock.local_tz())
        hour, minute = local.hour, local.minute
    else:
        hour, minute = DEFAULT_START
    start = pendulum.datetime(data.day.year, data.day.month, data.day.day, hour, minute, tz=clock.local_tz())
    return {"client": client.id, "task": data.task_id, "start": start.in_timezone("UTC"), "minutes": data.minutes,
            "billable": bool(data.billable), "note": (data.note or "").strip()}


def log_time(data: EntryInput) -> EntryView:
    """Log time by hand (the `T` form, `clientdesk log`): one undoable action."""
    fields = _fields(data)
    with action(f"log {duration_text(data.minutes)}") as rec:
        entry = rec.create(TimeEntry, **fields)
    return get_entry(entry.id)


def _unlocked(entry_id: int, verb: str) -> TimeEntry:
    entry = TimeEntry.get_or_none(TimeEntry.id == entry_id)
    if entry is None:
        raise NotFound(f"no such time entry: {entry_id}")
    if entry.invoiced:
        ref = f" ({entry.invoice_ref})" if entry.invoice_ref else ""
        raise RuleError(f"this entry is invoiced{ref}: uninvoice it before you {verb} it")
    return entry


def update_entry(entry_id: int, data: EntryInput) -> EntryView:
    entry = _unlocked(entry_id, "edit")
    fields = _fields(data, entry)
    with action(f"edit time entry ({duration_text(data.minutes)})") as rec:
        rec.update(entry, **fields)
    return get_entry(entry_id)


def delete_entry(entry_id: int) -> None:
    entry = _unlocked(entry_id, "delete")
    with action(f"delete time entry ({duration_text(entry.minutes)})") as rec:
        rec.delete(entry)


def uninvoice_entry(entry_id: int) -> EntryView:
    """Unlock an invoiced entry (it counts as unbilled again); the invoice itself stays as issued."""
    entry = TimeEntry.get_or_none(TimeEntry.id == entry_id)
    if entry is None:
        raise NotFound(f"no such time entry: {entry_id}")
    if not entry.invoiced:
        raise RuleError("this entry is not invoiced")
    with action(f"uninvoice time entry ({entry.invoice_ref or 'no reference'})") as rec:
        rec.update(entry, invoiced=False, invoice_ref="", invoice=None)
    return get_entry(entry_id)


# -- the week's timesheet --------------------------------------------------------

@dataclass
class SheetRow:
    """One line of the grid: a client (level 0) or one of its tasks (level 1)."""

    key: int
    client_id: int
    label: str
    level: int
    task_id: int | None = None
    billable: list[int] = field(default_factory=lambda: [0] * 7)
    nonbillable: list[int] = field(default_factory=lambda: [0] * 7)
    target_minutes: int | None = None

    def day(self, i: int) -> int:
        return self.billable[i] + self.nonbillable[i]

    @property
    def total_billable(self) -> int:
        return sum(self.billable)

    @property
    def total_nonbillable(self) -> int:
        return sum(self.nonbillable)

    @property
    def total(self) -> int:
        return self.total_billable + self.total_nonbillable


@dataclass
class Timesheet:
    monday: pendulum.Date
    clients: list[SheetRow]
    tasks: dict[int, list[SheetRow]]  # client id -> its task rows (and "no task")
    entries: list[EntryView]
    day_billable: list[int]
    day_nonbillable: list[int]

    @property
    def days(self) -> list[pendulum.Date]:
        return [self.monday.add(days=i) for i in range(7)]

    @property
    def total(self) -> int:
        return sum(self.day_billable) + sum(self.day_nonbillable)

    @property
    def target_minutes(self) -> int:
        return sum(r.target_minutes or 0 for r in self.clients)


def task_row_key(client_id: int, task_id: int | None) -> int:
    """Grid keys: a task row is its task id; a client's entries without a task are below zero."""
    return task_id if task_id is not None else -(10**9) - client_id


def timesheet(day: pendulum.Date | None = None, *, client_id: int | None = None) -> Timesheet:
    """The ISO week holding `day` (default today), cut in the local zone."""
    monday = week_start(day or clock.today())
    lo, hi = week_bounds(monday)
    entries = entries_between(lo, hi, client_id=client_id)
    day_starts = [local_day_bounds(monday.add(days=i))[0] for i in range(7)] + [hi]

    targets = Client.select(Client.id, Client.name, Client.weekly_target_hours).where(
        Client.status == "active", Client.weekly_target_hours > 0)
    if client_id is not None:
        targets = targets.where(Client.id == client_id)
    clients: dict[int, SheetRow] = {}
    for cid, name, target in targets.tuples():
        clients[cid] = SheetRow(-cid, cid, name, 0, target_minutes=round(target * 60))
    tasks: dict[int, dict[int, SheetRow]] = {}
    day_b, day_nb = [0] * 7, [0] * 7
    for e in entries:
        i = next(k for k in range(7) if day_starts[k] <= e.start < day_starts[k + 1])
        row = clients.get(e.client_id)
        if row is None:
            row = clients[e.client_id] = SheetRow(-e.client_id, e.client_id, e.client, 0)
        key = task_row_key(e.client_id, e.task_id)
        sub = tasks.setdefault(e.client_id, {}).get(key)
        if sub is None:
            label = e.task if e.task else "(no task)"
            sub = tasks[e.client_id][key] = SheetRow(key, e.client_id, label, 1, task_id=e.task_id)
        for r in (row, sub):
            (r.billable if e.billable else r.nonbillable)[i] += e.minutes
        (day_b if e.billable else day_nb)[i] += e.minutes
    ordered = sorted(clients.values(), key=lambda r: name_key(r.label))
    task_rows = {cid: sorted(rows.values(), key=lambda r: (r.task_id is None, name_key(r.label)))
                 for cid, rows in tasks.items()}
    return Timesheet(monday, ordered, task_rows, entries, day_b, day_nb)


__all__ = [
    "EntryInput", "EntryView", "SheetRow", "Timesheet", "delete_entry", "duration_text", "entries_between",
    "find_task", "get_entry", "hours_text", "parse_log_day", "log_time", "task_row_key", "timesheet", "uninvoice_entry", "update_entry",
]


_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_log_day(text: str, today: pendulum.Date | None = None) -> pendulum.Date:
    """The day time was worked: '' or 'today', 'yesterday', '-2d', a weekday (the latest one,
    today included: 'fri' on a Monday is last Friday), or YYYY-MM-DD."""
    from clientdesk.domain.parse import parse_date

    today = today or clock.today()
    value = (text or "").strip().lower()
    if value in ("", "today", "tod"):
        return today
    if value in ("yesterday", "yest", "y"):
        return today.subtract(days=1)
    if value.startswith("-") and value.endswith("d") and value[1:-1].isdigit():
        return today.subtract(days=int(value[1:-1]))
    if value[:3] in _WEEKDAY_NAMES and len(value) >= 3:
        back = (today.weekday() - _WEEKDAY_NAMES.index(value[:3])) % 7
        return today.subtract(days=back)
    return parse_date(text, "date")


def open_tasks_by_client(include_task: int | None = None) -> dict[int, list[tuple[int, str]]]:
    """Each active client's open tasks (id, title), for the time-entry form; one query."""
    cond = Task.status != "done"
    if include_task is not None:
        cond = cond | (Task.id == include_task)
    q = (Task.select(Project.client, Task.id, Task.title).join(Project).join(Client)
         .where(Client.status == "active", cond).order_by(Task.title))
    out: dict[int, list[tuple[int, str]]] = {}
    for cid, tid, title in q.tuples():
        out.setdefault(cid, []).append((tid, title))
    return out
