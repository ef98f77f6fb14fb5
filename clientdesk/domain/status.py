"""Each active client's figures and health, by the README's "rules behind every figure".

The overview, `clientdesk status` and the reports all read these figures from
here. The queries are aggregates, a fixed number of them whatever the number
of clients or tasks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pendulum
from peewee import Case, fn

from clientdesk import clock
from clientdesk.domain.checkins import last_contacts
from clientdesk.domain.checkins import next_checkin as checkin_date
from clientdesk.domain.periods import month_bounds, overlap_hours, week_bounds
from clientdesk.models import ChangeRequest, Client, Feedback, Project, Task, TimeBlock, TimeEntry
from clientdesk.models.base import instant_text
from clientdesk.models.change import OPEN_CHANGE_STATUSES, WAITING_CHANGE_STATUSES
from clientdesk.models.work import PRIORITIES, is_open_task

DUE_SOON_DAYS = 2
CHANGE_WAIT_DAYS = 3
BURN_AMBER = 0.8
BURN_RED = 1.0


@dataclass
class ClientStatus:
    client_id: int
    client: str
    open: int
    overdue: int
    due_week: int
    due_soon: int
    planned_hours_week: float
    weekly_target_hours: float | None
    logged_hours_month: float
    budget_hours_month: float | None
    burn: float | None
    last_contact: pendulum.Date | None
    next_checkin: pendulum.Date
    checkin_late: bool
    open_changes: int
    oldest_waiting_change_days: int | None
    feedback_dropped: bool
    health: str
    reasons: list[str] = field(default_factory=list)
    colour: str = ""

    def as_json(self) -> dict:
        """The status JSON object: exactly the keys the README lists for `status --format json`."""
        return {
            "client": self.client,
            "open": self.open,
            "overdue": self.overdue,
            "due_week": self.due_week,
            "planned_hours_week": round(self.planned_hours_week, 2),
            "logged_hours_month": round(self.logged_hours_month, 2),
            "burn": None if self.burn is None else round(self.burn, 4),
            "next_checkin": self.next_checkin.to_date_string(),
            "checkin_late": self.checkin_late,
            "open_changes": self.open_changes,
            "health": self.health,
            "reasons": list(self.reasons),
        }


def health_of(
    *, overdue: int, checkin_late: bool, late_days: int, never_contacted: bool, burn: float | None,
    due_soon: int, oldest_waiting_change_days: int | None,
) -> tuple[str, list[str]]:
    """Red, amber or green, with every reason that made it so (worst first)."""
    red, amber = [], []
    if overdue:
        red.append(f"{overdue} overdue")
    if checkin_late:
        red.append(f"check-in late {late_days}d")
    if burn is not None and burn > BURN_RED:
        red.append(f"burn {burn:.0%}")
    if due_soon:
        amber.append(f"{due_soon} due within {DUE_SOON_DAYS}d")
    if burn is not None and BURN_AMBER < burn <= BURN_RED:
        amber.append(f"burn {burn:.0%}")
    if oldest_waiting_change_days is not None and oldest_waiting_change_days > CHANGE_WAIT_DAYS:
        amber.append(f"change request waiting {oldest_waiting_change_days}d")
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", ["never contacted: check in today" if never_contacted else "on track"]


def client_statuses(today: pendulum.Date | None = None, *, client_ids: list[int] | None = None,
                    active_only: bool = False) -> list[ClientStatus]:
    """The figures of every active client (or of the given ones, active or not unless `active_only`), sorted by name."""
    today = today or clock.today()
    clients_q = Client.select().order_by(Client.name)
    if client_ids is not None:
        clients_q = clients_q.where(Client.id.in_(client_ids))
    if client_ids is None or active_only:
        clients_q = clients_q.where(Client.status == "active")
    clients = list(clients_q)
    if not clients:
        return []
    # every active client: a subquery, not hundreds of bound ids rebuilt into each statement
    ids = [c.id for c in clients] if client_ids is not None else Client.select(Client.id).where(Client.status == "active")

    today_s = today.to_date_string()
    week_end_s = today.add(days=6).to_date_string()
    soon_s = today.add(days=DUE_SOON_DAYS).to_date_string()

    def count(cond):
        return fn.SUM(Case(None, [(cond, 1)], 0))

    # Open tasks only, as ranges of the open-task index (project, priority, due):
    # counting its entries is cheap, evaluating conditions row by row is not
    # (one CASE-summing pass took 3x as long at 200,000 tasks).
    def open_tasks(*fields):
        return (Task.select(Project.client, *fields).join(Project)
                .where(Project.client.in_(ids), is_open_task()).group_by(Project.client).tuples())

    any_priority = Task.priority.in_(PRIORITIES)  # lets the due ranges below use the index
    tasks: dict[int, list[int]] = {cid: [n, 0, 0, 0] for cid, n in open_tasks(fn.COUNT(Task.id))}
    for cid, n in open_tasks(fn.COUNT(Task.id)).where(any_priority, Task.due < today_s):
        tasks[cid][1] = n
    for cid, week, soon in open_tasks(fn.COUNT(Task.id), count(Task.due <= soon_s)).where(
            any_priority, Task.due >= today_s, Task.due <= week_end_s):
        tasks[cid][2:] = [week, soon]

    wk_lo, wk_hi = week_bounds(today)
    planned: dict[int, float] = defaultdict(float)
    for cid, start, end in (
        TimeBlock.select(TimeBlock.client, TimeBlock.start, TimeBlock.end)
        .where(TimeBlock.start < instant_text(wk_hi), TimeBlock.end > instant_text(wk_lo), TimeBlock.client.in_(ids))
        .tuples()
    ):
        planned[cid] += overlap_hours(TimeBlock.start.python_value(start), TimeBlock.end.python_value(end), wk_lo, wk_hi)

    mo_lo, mo_hi = month_bounds(today)
    logged = dict(
        TimeEntry.select(TimeEntry.client, fn.SUM(TimeEntry.minutes))
        .where(TimeEntry.start >= instant_text(mo_lo), TimeEntry.start < instant_text(mo_hi), TimeEntry.client.in_(ids))
        .group_by(TimeEntry.client)
        .tuples()
    )

    last_contact = last_contacts(ids, today)

    is_waiting = ChangeRequest.status.in_(WAITING_CHANGE_STATUSES)
    change_rows = (
        ChangeRequest.select(
            Project.client,
            fn.SUM(Case(None, [(ChangeRequest.status.in_(OPEN_CHANGE_STATUSES), 1)], 0)),
            fn.MIN(Case(None, [(is_waiting, ChangeRequest.received_on)], None)),
        )
        .join(Project)
        .where(Project.client.in_(ids))
        .group_by(Project.client)
        .tuples()
    )
    changes = {row[0]: row[1:] for row in change_rows}

    scores: dict[int, list[int]] = defaultdict(list)
    for cid, score in (
        Feedback.select(Feedback.client, Feedback.score)
        .where(Feedback.client.in_(ids), Feedback.on <= today_s)
        .order_by(Feedback.client, Feedback.on, Feedback.id)
        .tuples()
    ):
        scores[cid].append(score)

    out = []
    for c in clients:
        open_, overdue, due_week, due_soon = (int(v or 0) for v in tasks.get(c.id, (0, 0, 0, 0)))
        logged_h = (logged.get(c.id) or 0) / 60
        burn = logged_h / c.budget_hours_month if c.budget_hours_month else None
        last_date = last_contact.get(c.id)
        next_checkin = checkin_date(last_date, c.checkin_every_days, today)
        late = next_checkin < today
        n_changes, oldest = changes.get(c.id, (0, None))
        oldest_days = (today - ChangeRequest.received_on.python_value(oldest)).days if oldest else None
        fb = scores.get(c.id, [])
        dropped = len(fb) >= 2 and fb[-1] < fb[-2]
        health, reasons = health_of(
            overdue=overdue,
            checkin_late=late,
            late_days=(today - next_checkin).days,
            never_contacted=last_date is None,
            burn=burn,
            due_soon=due_soon,
            oldest_waiting_change_days=oldest_days,
        )
        out.append(
            ClientStatus(
                client_id=c.id,
                client=c.name,
                open=open_,
                overdue=overdue,
                due_week=due_week,
                due_soon=due_soon,
                planned_hours_week=planned.get(c.id, 0.0),
                weekly_target_hours=c.weekly_target_hours,
                logged_hours_month=logged_h,
                budget_hours_month=c.budget_hours_month,
                burn=burn,
                last_contact=last_date,
                next_checkin=next_checkin,
                checkin_late=late,
                open_changes=int(n_changes or 0),
                oldest_waiting_change_days=oldest_days,
                feedback_dropped=dropped,
                health=health,
                reasons=reasons,
                colour=c.colour,
            )
        )
    return out


__all__ = ["ClientStatus", "client_statuses", "health_of", "asdict"]
