"""The facts of one client's weekly status report, gathered for the renderers.

The report's week is an ISO week (Monday to Sunday), by default the week of
`clock.today()`, cut at the **client's** local midnights: an instant belongs
to the week the client's wall clock shows it in. A task completed on Sunday
23:30 in Shanghai is in that week, although Paris still reads Sunday 16:30;
one completed on Monday 00:30 in Shanghai is in the next week, although Paris
still reads Sunday. The week is the half-open interval [start, end) of UTC
instants `week_bounds(monday, client_zone)`.

Definitions, the README's "rules behind every figure" applied to that week:

- report day: the week's Sunday or today, whichever is earlier (for a week
  still to come: today). Overdue is measured against it.
- "as of": figures are taken as at the end of the week (the instant `end`),
  so the report on a past week reads the same when run again later. A task
  counts as open then unless it was done before `end` (status not done, or
  completed at or after `end`). Creation time is not consulted, so tasks
  added on Monday morning for the week ahead still appear in last week's
  "planned next week".
- done this week: tasks now done whose completed instant lies in the week;
  and done tasks with no completion time (imported that way) that were due
  in the week, shown as "done, date unknown": never invented, never late.
- this week: the open work the client wants to see beside what is done:
  tasks open as of the week's end due from the report day to Sunday, and
  tasks now in progress or in review (their current status), each once and
  never one already listed as overdue.
- planned next week: tasks open as of the week's end, in a project that is
  neither done nor cancelled, due in the next ISO week; and the client's time
  blocks that start in the next week (client's zone), each with its task's
  title. `planned_hours_next_week` sums those blocks.
- overdue: the same open tasks with due < report day, with their due date
  and the number of days late on the report day.
- hours this week: time entries starting in the week.
- hours this month: the calendar month (client's zone) that holds the report
  day, month to date: entries from the month's first local midnight up to
  the week's end (or the month's end if sooner). For the current week this
  is `clientdesk status`'s "logged this month", cut in the client's zone
  rather than the user's; on a week that straddles two months it is the
  month the report is written in (a report sent on Friday 4 December speaks
  of December, not of November).
- burn: hours this month / budget_hours_month (None without a budget).
- projects: each project neither done nor cancelled, with its deadline, its
  tasks done of its tasks in all, and the hours logged on its tasks before
  the week's end against its budget in hours.
- milestones: all of the client's, reached when done_on <= report day;
  late when not reached and due < report day.
- open risks: the risks open now, highest likelihood × impact first.
- change requests: those received by the report day that are open now
  (new, assessing, approved) or were decided during the week, with their
  decision note; `decided_this_week` tells which.
- decisions: interactions of kind "decision" dated within the week (their
  dates are the client's calendar dates already), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from peewee import Case, fn

from clientdesk import clock
from clientdesk.domain.changes import ChangeView, Decision, list_changes, read_decision
from clientdesk.domain.clients import RiskView, client_profile, find_client, milestones, risks
from clientdesk.domain.errors import InputError
from clientdesk.domain.periods import month_bounds, week_bounds, week_start
from clientdesk.models import ChangeRequest, Interaction, Project, Task, TimeBlock, TimeEntry
from clientdesk.models.base import instant_text
from clientdesk.models.change import OPEN_CHANGE_STATUSES

CLOSED_PROJECT_STATUSES = ("done", "cancelled")


@dataclass(frozen=True)
class ReportTask:
    id: int
    title: str
    project: str
    status: str
    priority: int
    due: pendulum.Date | None
    completed: pendulum.DateTime | None  # in the client's zone
    days_late: int | None = None  # overdue tasks: days past due on the report day


@dataclass(frozen=True)
class ReportBlock:
    start: pendulum.DateTime  # in the client's zone
    end: pendulum.DateTime
    kind: str
    task: str | None  # the task's title, if the block is for a task
    project: str | None
    note: str
    task_id: int | None = None

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class ReportProject:
    name: str
    deadline: pendulum.Date | None
    tasks_done: int
    tasks_total: int
    hours_logged: float  # on the project's tasks, before the week's end
    budget_hours: float | None


@dataclass(frozen=True)
class ReportMilestone:
    project: str
    name: str
    due: pendulum.Date | None
    done_on: pendulum.Date | None
    reached: bool  # done on or before the report day
    late: bool  # not reached and due before the report day


@dataclass(frozen=True)
class ReportDecision:
    """A decision logged this week; `decision` when it is one the app wrote
    (approving or rejecting a request), so the report can word it in the client's language."""

    on: pendulum.Date
    summary: str
    decision: Decision | None = None


@dataclass(frozen=True)
class ReportChange:
    change: ChangeView
    decided_this_week: bool


@dataclass(frozen=True)
class WeeklyReport:
    client_id: int
    client: str
    language: str  # the client's stored language tag
    timezone: str  # the client's IANA zone, the one the week is cut in
    iso_year: int
    iso_week: int
    week_start: pendulum.Date  # Monday
    week_end: pendulum.Date  # Sunday
    starts_at: pendulum.DateTime  # the week's first instant, UTC
    ends_at: pendulum.DateTime  # the first instant after it, UTC
    report_day: pendulum.Date
    generated_on: pendulum.Date
    month_start: pendulum.Date  # first day of the month the hours are counted in
    hours_week: float
    hours_month: float
    budget_hours_month: float | None
    burn: float | None
    weekly_target_hours: float | None
    planned_hours_next_week: float
    done: list[ReportTask] = field(default_factory=list)
    this_week: list[ReportTask] = field(default_factory=list)
    projects: list[ReportProject] = field(default_factory=list)
    planned_tasks: list[ReportTask] = field(default_factory=list)
    planned_blocks: list[ReportBlock] = field(default_factory=list)
    overdue: list[ReportTask] = field(default_factory=list)
    milestones: list[ReportMilestone] = field(default_factory=list)
    risks: list[RiskView] = field(default_factory=list)
    changes: list[ReportChange] = field(default_factory=list)
    decisions: list[ReportDecision] = field(default_factory=list)
    currency: str = "EUR"  # the client's, for the costs

    @property
    def next_week_start(self) -> pendulum.Date:
        return self.week_end.add(days=1)

    @property
    def next_week_end(self) -> pendulum.Date:
        return self.week_end.add(days=7)


def _currency(client_id: int) -> str:
    from clientdesk.domain.money import currency_of
    from clientdesk.models import Client

    return currency_of(Client.get_by_id(client_id).currency)


def _zone(name: str, client: str) -> pendulum.Timezone:
    try:
        return pendulum.timezone(name or "UTC")
    except Exception:
        raise InputError(f"client '{client}' has an unknown time zone: {name}") from None


def _minutes(client_id: int, lo: pendulum.DateTime, hi: pendulum.DateTime) -> int:
    if hi <= lo:
        return 0
    total = (
        TimeEntry.select(fn.SUM(TimeEntry.minutes))
        .where(TimeEntry.client == client_id, TimeEntry.start >= instant_text(lo), TimeEntry.start < instant_text(hi))
        .scalar()
    )
    return int(total or 0)


def _task(row: Task, zone, report_day: pendulum.Date | None = None) -> ReportTask:
    late = (report_day - row.due).days if report_day is not None and row.due is not None else None
    return ReportTask(
        id=row.id,
        title=row.title,
        project=row.project.name,
        status=row.status,
        priority=row.priority,
        due=row.due,
        completed=row.completed.in_timezone(zone) if row.completed else None,
        days_late=late,
    )


def _decisions(client_id: int, first: pendulum.Date, last: pendulum.Date) -> list[ReportDecision]:
    """The client's decisions dated first..last, oldest first.

    (Queried here rather than through clients.interactions(), whose outer
    join is written `join_type="LEFT OUTER"`, which Peewee renders as invalid
    SQL; the change request's title is looked up separately instead.)
    """
    rows = list(
        Interaction.select()
        .where(
            Interaction.client == client_id,
            Interaction.kind == "decision",
            Interaction.on >= first.to_date_string(),
            Interaction.on <= last.to_date_string(),
        )
        .order_by(Interaction.on, Interaction.id)
    )
    ids = {i.change_request_id for i in rows if i.change_request_id}
    titles = dict(ChangeRequest.select(ChangeRequest.id, ChangeRequest.title).where(ChangeRequest.id.in_(list(ids))).tuples()) if ids else {}
    return [ReportDecision(i.on, i.summary, read_decision(i.summary, titles.get(i.change_request_id))) for i in rows]


def _projects(client_id: int, until: str) -> list[ReportProject]:
    """The client's running projects: deadline, tasks done of total, hours logged before `until`."""
    rows = list(
        Project.select()
        .where(Project.client == client_id, Project.status.not_in(CLOSED_PROJECT_STATUSES))
        .order_by(Project.deadline.is_null(), Project.deadline, Project.name, Project.id)
    )
    if not rows:
        return []
    ids = [p.id for p in rows]
    done = fn.SUM(Case(None, [(Task.status == "done", 1)], 0))
    counts = {
        pid: (int(d or 0), int(n or 0))
        for pid, d, n in Task.select(Task.project, done, fn.COUNT(Task.id))
        .where(Task.project.in_(ids)).group_by(Task.project).tuples()
    }
    minutes = dict(
        TimeEntry.select(Task.project, fn.SUM(TimeEntry.minutes))
        .join(Task)
        .where(Task.project.in_(ids), TimeEntry.start < until)
        .group_by(Task.project)
        .tuples()
    )
    return [
        ReportProject(p.name, p.deadline, *counts.get(p.id, (0, 0)), int(minutes.get(p.id) or 0) / 60, p.budget_hours)
        for p in rows
    ]


def weekly_report(client_name: str, week: pendulum.Date | None = None, *, today: pendulum.Date | None = None) -> WeeklyReport:
    """The report's facts for the ISO week holding `week` (default: today's week).

    Raises NotFound for an unknown client (see `find_client`).
    """
    ref = find_client(client_name)
    profile = client_profile(ref.id)
    zone = _zone(profile.timezone, profile.name)
    today = today or clock.today()
    monday = week_start(week or today)
    sunday = monday.add(days=6)
    report_day = min(sunday, today)
    lo, hi = week_bounds(monday, zone)
    next_lo, next_hi = week_bounds(monday.add(days=7), zone)
    hi_s = instant_text(hi)
    cid = profile.id

    # Tasks -----------------------------------------------------------------
    done_q = (
        Task.select(Task, Project)
        .join(Project)
        .where(Project.client == cid, Task.status == "done", Task.completed >= instant_text(lo), Task.completed < hi_s)
        .order_by(Task.completed, Task.id)
    )
    done = [_task(t, zone) for t in done_q]
    undated_q = (
        Task.select(Task, Project)
        .join(Project)
        .where(Project.client == cid, Task.status == "done", Task.completed.is_null(),
               Task.due >= monday.to_date_string(), Task.due <= sunday.to_date_string())
        .order_by(Task.due, Task.id)
    )
    done += [_task(t, zone) for t in undated_q]

    open_then = (
        (Project.client == cid)
        & Project.status.not_in(CLOSED_PROJECT_STATUSES)
        & ((Task.status != "done") | (Task.completed >= hi_s))
    )
    overdue_q = (
        Task.select(Task, Project)
        .join(Project)
        .where(open_then, Task.due.is_null(False), Task.due < report_day.to_date_string())
        .order_by(Task.due, Task.priority, Task.id)
    )
    overdue = [_task(t, zone, report_day) for t in overdue_q]

    overdue_ids = {t.id for t in overdue}
    this_week_q = (
        Task.select(Task, Project)
        .join(Project)
        .where(
            open_then,
            (Task.status.in_(("doing", "review")))
            | ((Task.due >= report_day.to_date_string()) & (Task.due <= sunday.to_date_string())),
        )
    )
    stage = {"doing": 0, "review": 1}
    this_week = sorted(
        (_task(t, zone) for t in this_week_q if t.id not in overdue_ids),
        key=lambda t: (stage.get(t.status, 2), t.due is None, t.due or sunday, t.priority, t.id),
    )

    nxt_mon, nxt_sun = monday.add(days=7), monday.add(days=13)
    planned_q = (
        Task.select(Task, Project)
        .join(Project)
        .where(open_then, Task.due >= nxt_mon.to_date_string(), Task.due <= nxt_sun.to_date_string())
        .order_by(Task.due, Task.priority, Task.position, Task.id)
    )
    planned_tasks = [_task(t, zone) for t in planned_q]

    blocks: list[ReportBlock] = []
    block_rows = list(
        TimeBlock.select()
        .where(TimeBlock.client == cid, TimeBlock.start >= instant_text(next_lo), TimeBlock.start < instant_text(next_hi))
        .order_by(TimeBlock.start, TimeBlock.id)
    )
    task_ids = {b.task_id for b in block_rows if b.task_id}
    titles = {
        t.id: (t.title, t.project.name)
        for t in Task.select(Task, Project).join(Project).where(Task.id.in_(list(task_ids)))
    } if task_ids else {}
    for b in block_rows:
        title, project = titles.get(b.task_id, (None, None))
        blocks.append(ReportBlock(b.start.in_timezone(zone), b.end.in_timezone(zone), b.kind, title, project, b.note,
                                  b.task_id if title is not None else None))
    planned_hours = sum(b.hours for b in blocks)

    # Hours -----------------------------------------------------------------
    hours_week = _minutes(cid, lo, hi) / 60
    mo_lo, mo_hi = month_bounds(report_day, zone)
    hours_month = _minutes(cid, mo_lo, min(mo_hi, hi)) / 60
    budget = profile.budget_hours_month
    burn = hours_month / budget if budget else None

    projects = _projects(cid, hi_s)

    # Milestones, risks, changes, decisions ------------------------------------
    stones = [
        ReportMilestone(
            m.project, m.name, m.due, m.done_on,
            reached=m.done_on is not None and m.done_on <= report_day,
            late=not (m.done_on is not None and m.done_on <= report_day) and m.due is not None and m.due < report_day,
        )
        for m in milestones(cid)
    ]
    stones.sort(key=lambda m: (m.due is None, m.due or report_day, m.project, m.name))

    changes = []
    for c in list_changes(client_id=cid):
        if c.received_on > report_day:
            continue
        decided = c.decided_on is not None and monday <= c.decided_on <= sunday
        if decided or c.status in OPEN_CHANGE_STATUSES:
            changes.append(ReportChange(c, decided))

    decisions = _decisions(cid, monday, sunday)

    year, number, _ = monday.isocalendar()
    return WeeklyReport(
        client_id=cid,
        client=profile.name,
        currency=_currency(cid),
        language=profile.language,
        timezone=zone.name,
        iso_year=year,
        iso_week=number,
        week_start=monday,
        week_end=sunday,
        starts_at=lo,
        ends_at=hi,
        report_day=report_day,
        generated_on=today,
        month_start=report_day.start_of("month"),
        hours_week=hours_week,
        hours_month=hours_month,
        budget_hours_month=budget,
        burn=burn,
        weekly_target_hours=profile.weekly_target_hours,
        planned_hours_next_week=planned_hours,
        done=done,
        this_week=this_week,
        projects=projects,
        planned_tasks=planned_tasks,
        planned_blocks=blocks,
        overdue=overdue,
        milestones=stones,
        risks=risks(cid, open_only=True),
        changes=changes,
        decisions=decisions,
    )


__all__ = ["ReportBlock", "ReportChange", "ReportMilestone", "ReportProject", "ReportTask", "WeeklyReport", "weekly_report"]
