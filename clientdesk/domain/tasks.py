"""Tasks: the board, the Today triage list, and every triage action."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable

import pendulum
from peewee import SQL, fn

from clientdesk import clock, limits
from clientdesk.domain.errors import InputError, NotFound, RuleError, StaleEdit
from clientdesk.domain.journal import action
from clientdesk.domain.triage import (
    AGE_MAX, DUE_HORIZON_DAYS, OVERDUE_CAP, PRIORITY_POINTS, SQL_SCORE_MARGIN, TotalScorer, TriageScore, sql_score,
    triage_score,
)
from clientdesk.models import Client, Project, Task, database
from clientdesk.models.work import PRIORITIES, TASK_STATUSES, is_open_task
from clientdesk.safe_text import terminal_safe

OPEN_STATUSES = tuple(s for s in TASK_STATUSES if s != "done")


@dataclass(frozen=True)
class TaskView:
    """A task as every screen and report sees it."""

    id: int
    title: str
    status: str
    priority: int
    due: pendulum.Date | None
    estimate_minutes: int | None
    tags: tuple[str, ...]
    position: float
    project_id: int
    project: str
    client_id: int
    client: str
    change_request_id: int | None
    recurrence: str
    created: pendulum.DateTime
    completed: pendulum.DateTime | None
    version: int
    score: TriageScore | None = field(default=None, compare=False)
    notes: str = ""  # free text (imported annotations, checklists); lists leave it empty

    def overdue_on(self, today: pendulum.Date) -> bool:
        return self.status != "done" and self.due is not None and self.due < today


@dataclass(frozen=True)
class TaskInput:
    """What a form or the quick-add line gives to create or edit a task."""

    title: str
    project_id: int
    status: str = "todo"
    priority: int = 3
    due: pendulum.Date | None = None
    estimate_minutes: int | None = None
    tags: tuple[str, ...] = ()
    recurrence: str = ""


def normalise_tags(tags) -> str:
    """Tags as stored: lower case, unique, space-separated, without '#'."""
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    seen: list[str] = []
    for tag in tags:
        t = str(tag).strip().lstrip("#").lower()
        if t and t not in seen:
            seen.append(t)
    return " ".join(seen)


def _view(task: Task, project: Project, client: Client, today: pendulum.Date | None = None) -> TaskView:
    score = None
    if today is not None and task.status != "done":
        score = triage_score(priority=task.priority, due=task.due, created=task.created, client_weight=client.weight, today=today)
    return TaskView(
        id=task.id,
        title=task.title,
        status=task.status,
        priority=task.priority,
        due=task.due,
        estimate_minutes=task.estimate_minutes,
        tags=tuple(task.tag_list),
        position=task.position,
        project_id=project.id,
        project=project.name,
        client_id=client.id,
        client=client.name,
        change_request_id=task.change_request_id,
        recurrence=task.recurrence,
        created=task.created,
        completed=task.completed,
        version=task.version,
        score=score,
        notes=task.notes,
    )


def _task_query():
    return Task.select(Task, Project, Client).join(Project).join(Client)


def get_task(task_id: int, today: pendulum.Date | None = None) -> TaskView:
    """One task with its triage score broken into terms."""
    row = _task_query().where(Task.id == task_id).first()
    if row is None:
        raise NotFound(f"no task {task_id}")
    return _view(row, row.project, row.project.client, today or clock.today())


def _board_query(client_id: int, project_id: int | None, tag: str | None, text: str | None, *, base=None):
    q = (_task_query() if base is None else base).where(Project.client == client_id)
    if project_id:
        q = q.where(Task.project == project_id)
    if tag:
        t = tag.lstrip("#").lower()
        q = q.where((Task.tags == t) | Task.tags.startswith(t + " ") | Task.tags.endswith(" " + t) | Task.tags.contains(f" {t} "))
    if text:
        q = q.where(Task.title.contains(text))
    return q


def board_tasks(client_id: int, *, project_id: int | None = None, tag: str | None = None, text: str | None = None,
                done_limit: int | None = None, scored: bool = True) -> list[TaskView]:
    """A client's tasks for the board, ordered by column position.

    With `done_limit`, only the most recently finished done tasks come back:
    a client's history grows for years, the board shows the latest.

    `scored=False` leaves out the triage score (the cards do not show it) and
    reads plain rows instead of models: the same views, several times faster.
    """
    if not scored:
        q = _board_query(client_id, project_id, tag, text, base=_light_query())
        if done_limit is None:
            return _light_views(q.order_by(Task.position, Task.id))
        done_q = (_board_query(client_id, project_id, tag, text, base=_light_query()).where(_is_done())
                  .order_by(Task.completed.desc(), Task.id.desc()).limit(done_limit))
        return _light_views(q.where(Task.status != "done").order_by(Task.position, Task.id)) + _light_views(done_q)
    q = _board_query(client_id, project_id, tag, text)
    if done_limit is not None:
        open_q = q.where(Task.status != "done").order_by(Task.position, Task.id)
        done_q = (_board_query(client_id, project_id, tag, text).where(Task.status == "done")
                  .order_by(Task.completed.desc(), Task.id.desc()).limit(done_limit))
        rows = list(open_q) + list(done_q)
    else:
        rows = list(q.order_by(Task.position, Task.id))
    today = clock.today()
    return [_view(t, t.project, t.project.client, today) for t in rows]


def board_done_count(client_id: int, *, project_id: int | None = None, tag: str | None = None,
                     text: str | None = None) -> int:
    """`count_done`'s number, read through the client's projects (see `_is_done`): ~0.1 ms instead of ~5 ms."""
    base = Task.select(fn.COUNT(Task.id)).join(Project)
    return _board_query(client_id, project_id, tag, text, base=base).where(_is_done()).scalar() or 0


def _is_done():
    return _has_status("done")


def _has_status(status: str):
    """status = `status`, written so that SQLite does not use the (status, due) index
    for it when the query also names a client.

    On the bare column SQLite walks every task of that status of every client
    through that index (~7,000 at 24,000 tasks, ~5 ms) to keep one client's;
    through the client's projects it reads only theirs (~0.15 ms). `status || ''`
    is plain SQL (PostgreSQL too), unlike SQLite's unary `+`.
    """
    return Task.status.concat("") == status


def tasks_by_ids(ids: Iterable[int]) -> list[TaskView]:
    """These tasks as the board shows them (no triage score), in the order given; deleted ones are left out.

    One query for a few cards: how the Board re-reads the cards a triage key acted on.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    found: dict[int, TaskView] = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        chunk = wanted[start:start + _IDS_PER_QUERY]
        for view in _light_views(_light_query().where(Task.id.in_(chunk))):
            found[view.id] = view
    return [found[i] for i in wanted if i in found]


_IDS_PER_QUERY = 500  # well under SQLite's limit on bound parameters


def _light_query():
    """The columns a TaskView needs, as plain rows (building models with joins costs most of a board read)."""
    return (Task.select(Task.id, Task.title, Task.status, Task.priority, Task.due, Task.estimate_minutes, Task.tags,
                        Task.position, Project.id, Project.name, Client.id, Client.name, Task.change_request,
                        Task.recurrence, Task.created, Task.completed, Task.version)
            .join(Project).join(Client))


def _instant(value) -> pendulum.DateTime | None:
    """What InstantField reads back (a UTC DateTime), built directly: pendulum.instance is ~10x slower."""
    if isinstance(value, str) and len(value) >= 19:
        try:
            n = _dt.datetime.fromisoformat(value[:19])
        except ValueError:
            return Task.created.python_value(value)
        return pendulum.DateTime(n.year, n.month, n.day, n.hour, n.minute, n.second, n.microsecond, tzinfo=pendulum.UTC)
    return None if value is None else Task.created.python_value(value)


def _light_views(q) -> list[TaskView]:
    due_value = Task.due.python_value
    out = []
    for (tid, title, status, priority, due, estimate, tags, position, project_id, project, client_id, client,
         change_request_id, recurrence, created, completed, version) in database.execute(q):
        out.append(TaskView(
            id=tid,
            title=title,
            status=status,
            priority=priority,
            due=due_value(due),
            estimate_minutes=estimate,
            tags=tuple(tags.split()),
            position=float(position) if position is not None else position,
            project_id=project_id,
            project=project,
            client_id=client_id,
            client=client,
            change_request_id=change_request_id,
            recurrence=recurrence,
            created=_instant(created),
            completed=_instant(completed),
            version=version,
        ))
    return out


def count_done(client_id: int, *, project_id: int | None = None, tag: str | None = None, text: str | None = None) -> int:
    """How many done tasks the board's filters match (the done column shows only the latest)."""
    return _board_query(client_id, project_id, tag, text).where(Task.status == "done").count()


def today_list(limit: int = 30, *, today: pendulum.Date | None = None, client_id: int | None = None) -> list[TaskView]:
    """The highest-scoring open tasks across active clients (ties: due, then id)."""
    return today_ranking(limit, today=today, client_id=client_id).tasks


@dataclass(frozen=True)
class TodayRanking:
    """The top of the Today ranking, exactly ordered.

    `complete`: every candidate is in `tasks` (there are no more open tasks of
    active clients), so a change to any task can be placed without a new read.
    """

    tasks: list[TaskView]
    complete: bool


def today_sort_key(task: TaskView) -> tuple:
    """The Today order: score (highest first), then due date, then id."""
    return (-task.score.total, task.due.to_date_string() if task.due else "9999-12-31", task.id)


def _today_scope(*fields, client_id: int | None = None):
    """Open tasks of active clients and projects, read through the open-task index."""
    q = (Task.select(*fields).join(Project).join(Client)
         .where(is_open_task(), Client.status == "active", Project.status == "active"))
    return q.where(Client.id == client_id) if client_id else q


def today_ranking(limit: int, *, today: pendulum.Date | None = None, client_id: int | None = None) -> TodayRanking:
    """The `limit` highest-scoring open tasks across active clients, with the terms of each score."""
    today = today or clock.today()
    fields = (Task.id, Task.priority, Task.due, Task.created, Client.weight)
    rows, cut = None, float("-inf")
    if limit > 0:
        rows, cut = _today_candidates(today, limit, client_id)
    if rows is None:
        rows = database.execute(_today_scope(*fields, client_id=client_id))
    # Exact totals from the stored text (TotalScorer), then full terms only for the
    # top rows: scoring 16,000 open tasks through pendulum took most of a second.
    scorer = TotalScorer(today)
    scored = []
    for tid, prio, due, created, weight, *_ in rows:
        total = scorer(prio, due, created, weight)
        if total >= cut:  # below it, a task left unread could rank higher
            scored.append((-total, due or "9999-12-31", tid))
    scored.sort()
    top_ids = [tid for _, _, tid in scored[:limit]]
    found = {t.id: t for t in _task_query().where(Task.id.in_(top_ids))} if top_ids else {}
    views = [_view(found[i], found[i].project, found[i].project.client, today) for i in top_ids if i in found]
    return TodayRanking(views, complete=cut == float("-inf") and len(scored) <= limit)


def today_candidates_by_ids(ids: Iterable[int], today: pendulum.Date) -> dict[int, tuple[TaskView, TaskView | None]]:
    """These tasks as they are now: id -> (the task, its scored Today row or None if it is no candidate).

    A candidate is open, of an active client and an active project. Deleted
    tasks are left out. One query: how the Overview re-reads what a key changed.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    out: dict[int, tuple[TaskView, TaskView | None]] = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        for row in _task_query().where(Task.id.in_(wanted[start:start + _IDS_PER_QUERY])):
            project, client = row.project, row.project.client
            candidate = row.status != "done" and client.status == "active" and project.status == "active"
            view = _view(row, project, client, today if candidate else None)
            out[row.id] = (view, view if candidate else None)
    return out


#: rows beyond the limit that the SQL ranking hands over, to show the cut is clear
TODAY_SPARE_ROWS = 25


def _today_candidates(today: pendulum.Date, limit: int, client_id: int | None) -> tuple[list[tuple], float]:
    """The open tasks that can be in the top `limit`, ranked by SQLite, and the exact score they are sure above.

    The database estimates scores in C, without holding the GIL (the launch
    reads the Today list while the UI loads), within SQL_SCORE_MARGIN of the
    exact totals. It reads the open-task index only, and from the top down: a
    task's score can reach a level only if its priority and due date allow it
    (`_reaching`, index ranges), so the first passes read just the few tasks
    near the top and the read does not grow with the number of open tasks.
    A level is enough once the limit-th estimate clears it by the margin.
    Within it, when the last row handed over is more than twice the margin
    below the limit-th, nothing left out can rank in the top `limit`; else (a
    long tie across the cut, e.g. hundreds of tasks at the capped score) one
    more pass reads the whole band within twice the margin of the limit-th.

    The float returned: an exact total at or above it beats every task not
    returned (-inf: every candidate is returned).
    """
    weights = Client.select(fn.MAX(Client.weight)).where(Client.status == "active")
    top_weight = (weights.where(Client.id == client_id) if client_id else weights).scalar()
    if top_weight is None:
        return [], float("-inf")
    wanted = limit + TODAY_SPARE_ROWS
    estimate = sql_score(today, priority=Task.priority, due=Task.due, created=Task.created, weight=Client.weight)
    fields = (Task.id, Task.priority, Task.due, Task.created, Client.weight, estimate.alias("estimate"))

    def ranked(level: float | None, floor: float | None = None, n: int | None = None) -> list[tuple]:
        parts = []
        for where in _reaching(today, level, top_weight):
            q = _today_scope(*fields, client_id=client_id)
            q = q.where(where) if where is not None else q
            parts.append(q.where(estimate >= floor) if floor is not None else q)
        if not parts:
            return []
        q = parts[0]
        for part in parts[1:]:
            q = q + part  # UNION ALL: each part an index range of its own
        if n is not None:
            q = q.order_by(SQL('"estimate"').desc()).limit(n)
        return list(database.execute(q))

    top = max(PRIORITY_POINTS.values()) + OVERDUE_CAP + AGE_MAX + top_weight
    level: float | None = top - TODAY_LEVEL_STEP
    while True:
        rows = ranked(level, n=wanted)
        bar = float("-inf") if level is None else level  # every task outside the level scores below it
        if level is None or (len(rows) >= limit and rows[limit - 1][-1] - SQL_SCORE_MARGIN >= bar):
            break
        level = level - TODAY_LEVEL_STEP
        if level <= AGE_MAX + top_weight:  # every priority reaches it: no range left to cut
            level = None
    if len(rows) < wanted:
        return rows, bar
    if rows[-1][-1] < rows[limit - 1][-1] - 2 * SQL_SCORE_MARGIN:
        return rows, max(bar, rows[-1][-1] + SQL_SCORE_MARGIN)
    floor = rows[limit - 1][-1] - 2 * SQL_SCORE_MARGIN
    return ranked(floor - SQL_SCORE_MARGIN, floor=floor), floor + SQL_SCORE_MARGIN


#: how far each pass of the Today ranking lowers the score it reads down to
TODAY_LEVEL_STEP = 4.0


def _reaching(today: pendulum.Date, level: float | None, top_weight: float) -> list:
    """One condition per priority whose tasks can score `level` or more (None: no condition).

    A task's score is at most its priority's points + its due points + the
    largest age term + the largest client weight; due points only fall as the
    due date moves later, so "can reach" is `priority = p AND due <= D`, a
    range of the open-task index.
    """
    if level is None:
        return [None]
    scorer = TotalScorer(today)
    days = [today.add(days=d) for d in range(-DUE_HORIZON_DAYS, DUE_HORIZON_DAYS + 1)]
    out = []
    for priority, points in PRIORITY_POINTS.items():
        need = level - points - AGE_MAX - top_weight
        if need <= 0:
            out.append(Task.priority == priority)
            continue
        reach = [d for d in days if sum(scorer.due(d.to_date_string())) >= need]
        if reach:
            out.append((Task.priority == priority) & (Task.due <= reach[-1].to_date_string()))
    return out


def _load(task_id: int, expect_version: int | None = None) -> Task:
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFound(f"no task {task_id} (deleted?)")
    if expect_version is not None and task.version != expect_version:
        raise StaleEdit(f"task '{task.title}' was changed elsewhere; reload and try again")
    return task


def _checked(data: TaskInput) -> dict:
    """The task's fields to store, each checked by the task's field specification (`fields.TASK`);
    FieldError names the first bad one. The project is checked by the caller, in its transaction."""
    from clientdesk.domain.fields import TASK

    return TASK.validate({name: getattr(data, name) for name in TASK.names})


def _project_exists(project_id: int) -> None:
    if Project.get_or_none(Project.id == project_id) is None:
        raise NotFound(f"no project {project_id} (deleted?)")


def end_of_column(project_id: int, status: str) -> float:
    client_id = Project.get_by_id(project_id).client_id
    top = (
        Task.select(Task.position)
        .join(Project)
        .where(Project.client == client_id, _has_status(status))
        .order_by(Task.position.desc())
        .scalar()
    )
    return (top or 0) + 1


def create_task(data: TaskInput) -> TaskView:
    """Add a task at the bottom of its column."""
    fields = _checked(data)
    now = clock.now()
    with action(f"add task '{fields['title']}'") as rec:
        _project_exists(data.project_id)
        task = rec.create(
            Task,
            project=data.project_id,
            **fields,
            position=end_of_column(data.project_id, fields["status"]),
            created=now,
            updated=now,
            completed=now if fields["status"] == "done" else None,
        )
    return get_task(task.id)


def update_task(task_id: int, data: TaskInput, *, expect_version: int | None = None) -> TaskView:
    """Save an edited task; refuses when someone else changed it since it was read (checked in the
    transaction that writes, so of two saves at one version exactly one wins)."""
    fields = _checked(data)
    status = fields.pop("status")
    with action(f"edit task '{fields['title']}'") as rec:
        _project_exists(data.project_id)
        task = _load(task_id, expect_version)
        unchanged = all(getattr(task, k) == v for k, v in fields.items()) and task.project_id == data.project_id
        if unchanged and status == task.status:
            return get_task(task_id)  # nothing to save, nothing to undo
        rec.update(task, project=data.project_id, **fields, updated=clock.now())
        if status != task.status:
            _set_status(rec, task, status)
    return get_task(task_id)


def _set_status(rec, task: Task, status: str) -> None:
    now = clock.now()
    fields = {"status": status, "updated": now, "position": end_of_column(task.project_id, status)}
    fields["completed"] = now if status == "done" else None
    rec.update(task, **fields)
    if status == "done" and task.recurrence:
        _create_next_occurrence(rec, task)


def _create_next_occurrence(rec, task: Task) -> None:
    """A recurring task, once done, comes back at its next due date."""
    from clientdesk.domain.recurrence import next_due

    base = task.due or clock.today()
    try:
        nxt = next_due(task.recurrence, base)
    except (ValueError, OverflowError):  # past year 9999: a desk from before the date bounds
        return
    if nxt.year > limits.MAX_YEAR:  # a yearly task due 31 Dec 2200 is done for good
        return
    now = clock.now()
    rec.create(
        Task,
        project=task.project_id,
        title=task.title,
        status="todo",
        priority=task.priority,
        due=nxt,
        estimate_minutes=task.estimate_minutes,
        tags=task.tags,
        recurrence=task.recurrence,
        position=end_of_column(task.project_id, "todo"),
        created=now,
        updated=now,
    )


def _bulk(task_ids: list[int] | int, label: str, change) -> list[int]:
    ids = [task_ids] if isinstance(task_ids, int) else list(task_ids)
    if not ids:
        raise InputError("no task selected")
    tasks = [_load(i) for i in ids]
    name = f"'{tasks[0].title}'" if len(tasks) == 1 else f"{len(tasks)} tasks"
    with action(f"{label} {name}") as rec:
        for task in tasks:
            change(rec, task)
    return ids


def change_priority(task_ids: list[int] | int, step: int) -> list[int]:
    """Raise (step -1, towards p1) or lower (step +1) priority; stops at p1 and p4.

    When every task is already at that end, nothing is journaled and the
    InputError says so ("'Logo' is already p1"), rather than a silent key.
    """
    ids = [task_ids] if isinstance(task_ids, int) else list(task_ids)
    highest, lowest = min(PRIORITIES), max(PRIORITIES)
    limit = highest if step < 0 else lowest
    at_limit = list(Task.select(Task.id, Task.title).where(Task.id.in_(ids), Task.priority == limit)) if ids else []
    if ids and len(at_limit) == len(set(ids)):
        who = f"'{terminal_safe(at_limit[0].title, newlines=False)}' is" if len(at_limit) == 1 else f"all {len(at_limit)} are"
        raise InputError(f"{who} already p{limit}, the {'highest' if limit == highest else 'lowest'} priority")

    def change(rec, task):
        new = min(lowest, max(highest, task.priority + step))
        if new != task.priority:
            rec.update(task, priority=new, updated=clock.now())

    return _bulk(task_ids, "raise priority of" if step < 0 else "lower priority of", change)


def move_task(task_ids: list[int] | int, step: int) -> list[int]:
    """Move to the next (+1) or previous (-1) status column."""

    def change(rec, task):
        i = TASK_STATUSES.index(task.status) + step
        if 0 <= i < len(TASK_STATUSES):
            _set_status(rec, task, TASK_STATUSES[i])

    return _bulk(task_ids, "move", change)


def set_status(task_ids: list[int] | int, status: str) -> list[int]:
    """Put tasks in a given column."""
    if status not in TASK_STATUSES:
        raise InputError(f"unknown status: {status}")

    def change(rec, task):
        if task.status != status:
            _set_status(rec, task, status)

    return _bulk(task_ids, f"set {status}", change)


def mark_done(task_ids: list[int] | int) -> list[int]:
    """Mark done (a recurring task comes back at its next date)."""
    return set_status(task_ids, "done")


def set_due(task_ids: list[int] | int, due: pendulum.Date | None) -> list[int]:
    """Set or clear the due date."""

    def change(rec, task):
        rec.update(task, due=due, updated=clock.now())

    return _bulk(task_ids, "set due date of", change)


def reorder_task(task_id: int, step: int) -> None:
    """Move a card up (-1) or down (+1) inside its column."""
    task = _load(task_id)
    client_id = Project.get_by_id(task.project_id).client_id
    siblings = list(
        Task.select().join(Project).where(Project.client == client_id, Task.status == task.status).order_by(Task.position, Task.id)
    )
    i = next(n for n, t in enumerate(siblings) if t.id == task.id)
    j = i + step
    if not 0 <= j < len(siblings):
        return
    other = siblings[j]
    with action(f"reorder '{task.title}'") as rec:
        a, b = task.position, other.position
        if a == b:
            b = a + step
        rec.update(task, position=b)
        rec.update(other, position=a)


def delete_task(task_id: int) -> None:
    """Delete a task (undo brings it back with its blocks' links)."""
    task = _load(task_id)
    with action(f"delete task '{task.title}'") as rec:
        rec.delete(task)


def all_tags(client_id: int | None = None) -> list[str]:
    """Every tag in use, for filters and batching."""
    q = Task.select(Task.tags).where(Task.tags != "").distinct()
    if client_id:
        q = q.join(Project).where(Project.client == client_id)
    tags = set()
    for (value,) in q.tuples():
        tags.update(value.split())
    return sorted(tags)


__all__ = [
    "TaskView", "TaskInput", "OPEN_STATUSES", "board_tasks", "board_done_count", "tasks_by_ids", "today_list",
    "today_ranking", "TodayRanking", "today_sort_key", "today_candidates_by_ids",
    "get_task", "create_task", "update_task", "change_priority", "move_task", "set_status", "mark_done", "set_due",
    "reorder_task", "delete_task", "all_tags", "normalise_tags", "RuleError",
]
