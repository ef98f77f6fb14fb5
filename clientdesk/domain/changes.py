"""Change requests: logged, assessed (hours, days, cost), then approved or rejected.

Approval needs an assessed impact; it adds the hours to the project budget,
moves the deadline by the days, creates a backlog task linked to the request
and writes a "decision" to the client's log, all in one undoable action.
Rejection needs a reason, also logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pendulum

from clientdesk import clock, limits
from clientdesk.domain.errors import InputError, NotFound, RuleError
from clientdesk.domain.fields import ASSESSMENT, CHANGE
from clientdesk.domain.money import currency_of, effective_rate
from clientdesk.domain.journal import action
from clientdesk.domain.tasks import end_of_column
from clientdesk.models import ChangeRequest, Client, Interaction, Project, Task, database
from clientdesk.models.change import CHANGE_STATUSES, OPEN_CHANGE_STATUSES


@dataclass(frozen=True)
class ChangeView:
    id: int
    title: str
    description: str
    requested_by: str
    status: str
    received_on: pendulum.Date
    age_days: int
    project_id: int
    project: str
    client_id: int
    client: str
    impact_hours: float | None
    impact_days: int | None
    impact_cost: float | None  # the cost that counts: override, else hours x rate
    cost_overridden: bool
    decision_note: str
    decided_on: pendulum.Date | None
    hourly_rate: float | None = None  # the rate that applies (the project's, else the client's), for "18h x 75"
    currency: str = ""  # the client's, for showing the cost
    language: str = "en"

    def money(self, value: float | None) -> str:
        """An amount of this request's client, as the client's language writes it."""
        from clientdesk.domain.money import currency_of, format_money

        return format_money(value, currency_of(self.currency or None), self.language)

    @property
    def assessed(self) -> bool:
        return self.impact_hours is not None


@dataclass(frozen=True)
class ChangeInput:
    project_id: int
    title: str
    description: str = ""
    requested_by: str = ""
    received_on: pendulum.Date | None = None


@dataclass(frozen=True)
class ApprovalResult:
    change: ChangeView
    budget_before: float | None
    budget_after: float | None
    deadline_before: pendulum.Date | None
    deadline_after: pendulum.Date | None
    task_id: int

    def describe(self) -> str:
        parts = [f"approved '{self.change.title}'"]
        if self.budget_after is not None:
            parts.append(f"budget {_fmt_h(self.budget_before)} -> {_fmt_h(self.budget_after)}")
        if self.deadline_after is not None and self.deadline_after != self.deadline_before:
            parts.append(f"deadline {self.deadline_before} -> {self.deadline_after}")
        parts.append("backlog task added")
        return "; ".join(parts)


def _fmt_h(hours: float | None) -> str:
    return "none" if hours is None else f"{hours:g}h"


@dataclass(frozen=True)
class Decision:
    """A decision on a change request as the client's log records it.

    The log keeps an English sentence (`summary`), what the app shows;
    `read_decision` recovers this from it, so that a report tells the decision
    in the client's language. A summary edited by hand is not recovered and is
    shown as written.
    """

    verdict: str  # "approved" or "rejected"
    title: str
    impact_hours: float | None = None
    impact_days: int = 0
    cost: float | None = None
    reason: str = ""

    @property
    def summary(self) -> str:
        if self.verdict == "rejected":
            return f"Rejected change request '{self.title}': {self.reason}"
        text = f"Approved change request '{self.title}': +{self.impact_hours or 0:g}h"
        if self.impact_days:
            text += f", +{self.impact_days}d"
        if self.cost is not None:
            text += f", cost {self.cost:,.2f}"
        return text


_APPROVED_TAIL = re.compile(r"\+(?P<hours>[0-9.e+-]+)h(?:, \+(?P<days>[0-9]+)d)?(?:, cost (?P<cost>[0-9,]+\.[0-9]{2}))?")


def read_decision(summary: str, title: str | None) -> Decision | None:
    """The decision `Decision.summary` wrote for the request titled `title`; None
    when the text is not one it wrote (edited by hand, or the request renamed or deleted)."""
    if not title:
        return None
    rejected = f"Rejected change request '{title}': "
    if summary.startswith(rejected) and summary[len(rejected):].strip():
        return Decision("rejected", title, reason=summary[len(rejected):])
    approved = f"Approved change request '{title}': "
    match = _APPROVED_TAIL.fullmatch(summary[len(approved):]) if summary.startswith(approved) else None
    if match is None:
        return None
    try:
        hours = float(match["hours"])
    except ValueError:
        return None
    cost = float(match["cost"].replace(",", "")) if match["cost"] else None
    decision = Decision("approved", title, hours, int(match["days"] or 0), cost)
    return decision if decision.summary == summary else None


def change_cost(impact_hours: float | None, impact_cost: float | None, hourly_rate: float | None) -> float | None:
    """DESIGN: impact_hours x the client's hourly rate, unless a cost was set."""
    if impact_cost is not None:
        return impact_cost
    if impact_hours is None or hourly_rate is None:
        return None
    return round(impact_hours * hourly_rate, 2)


def _view(cr: ChangeRequest, project: Project, client: Client, today: pendulum.Date) -> ChangeView:
    rate = effective_rate(project.hourly_rate, client.hourly_rate)
    return ChangeView(
        id=cr.id,
        title=cr.title,
        description=cr.description,
        requested_by=cr.requested_by,
        status=cr.status,
        received_on=cr.received_on,
        age_days=max(0, (today - cr.received_on).days),
        project_id=project.id,
        project=project.name,
        client_id=client.id,
        client=client.name,
        impact_hours=cr.impact_hours,
        impact_days=cr.impact_days,
        impact_cost=change_cost(cr.impact_hours, cr.impact_cost, rate),
        cost_overridden=cr.impact_cost is not None,
        decision_note=cr.decision_note,
        decided_on=cr.decided_on,
        hourly_rate=rate,
        currency=currency_of(client.currency),
        language=client.language,
    )


def _query():
    return ChangeRequest.select(ChangeRequest, Project, Client).join(Project).join(Client)


def list_changes(*, statuses: tuple[str, ...] | None = None, client_id: int | None = None) -> list[ChangeView]:
    """The queue: open requests first, oldest first."""
    today = clock.today()
    q = _query()
    if statuses:
        q = q.where(ChangeRequest.status.in_(statuses))
    if client_id:
        q = q.where(Client.id == client_id)
    rows = [_view(c, c.project, c.project.client, today) for c in q.order_by(ChangeRequest.received_on, ChangeRequest.id)]
    order = {s: i for i, s in enumerate(CHANGE_STATUSES)}
    return sorted(rows, key=lambda v: (v.status not in OPEN_CHANGE_STATUSES, order[v.status], v.received_on, v.id))


def change_queue(*, statuses: tuple[str, ...] | None = None, client_id: int | None = None) -> list[ChangeView]:
    """`list_changes` read as plain rows: the same views, in the same order.

    For the Changes view, which reads the whole queue again after every
    decision: building three models per row (request, project and client with
    every column) was most of that read (600 requests: 30 ms, now ~6 ms).
    Dates are converted once per distinct text, as DateField reads them."""
    today = clock.today()
    today_ordinal = today.toordinal()
    q = (
        ChangeRequest.select(
            ChangeRequest.id, ChangeRequest.title, ChangeRequest.description, ChangeRequest.requested_by,
            ChangeRequest.status, ChangeRequest.received_on, ChangeRequest.impact_hours, ChangeRequest.impact_days,
            ChangeRequest.impact_cost, ChangeRequest.decision_note, ChangeRequest.decided_on,
            Project.id, Project.name, Client.id, Client.name, Client.hourly_rate, Project.hourly_rate,
            Client.currency, Client.language,
        )
        .join(Project)
        .join(Client)
        .order_by(ChangeRequest.received_on, ChangeRequest.id)
    )
    if statuses:
        q = q.where(ChangeRequest.status.in_(statuses))
    if client_id:
        q = q.where(Client.id == client_id)
    date_value = ChangeRequest.received_on.python_value
    dates: dict[object, pendulum.Date | None] = {None: None}

    def as_date(text):
        day = dates.get(text, dates)
        if day is dates:
            day = dates[text] = date_value(text)
        return day

    def as_float(value):
        return None if value is None else float(value)

    rows = []
    for (cid, title, description, requested_by, status, received_text, impact_hours, impact_days, impact_cost,
         decision_note, decided_text, project_id, project, client_id_, client, rate, project_rate, currency,
         language) in database.execute(q):
        received_on = as_date(received_text)
        rate = effective_rate(as_float(project_rate), as_float(rate))
        impact_hours, impact_cost = as_float(impact_hours), as_float(impact_cost)
        rows.append(ChangeView(
            id=cid,
            title=title,
            description=description,
            requested_by=requested_by,
            status=status,
            received_on=received_on,
            age_days=max(0, today_ordinal - received_on.toordinal()),  # (today - received_on).days
            project_id=project_id,
            project=project,
            client_id=client_id_,
            client=client,
            impact_hours=impact_hours,
            impact_days=None if impact_days is None else int(impact_days),
            impact_cost=change_cost(impact_hours, impact_cost, rate),
            cost_overridden=impact_cost is not None,
            decision_note=decision_note,
            decided_on=as_date(decided_text),
            hourly_rate=rate,
            currency=currency_of(currency),
            language=language,
        ))
    order = {s: i for i, s in enumerate(CHANGE_STATUSES)}
    return sorted(rows, key=lambda v: (v.status not in OPEN_CHANGE_STATUSES, order[v.status], v.received_on, v.id))


def get_change(change_id: int) -> ChangeView:
    row = _query().where(ChangeRequest.id == change_id).first()
    if row is None:
        raise NotFound(f"no change request {change_id}")
    return _view(row, row.project, row.project.client, clock.today())


def _load(change_id: int) -> ChangeRequest:
    cr = ChangeRequest.get_or_none(ChangeRequest.id == change_id)
    if cr is None:
        raise NotFound(f"no change request {change_id}")
    return cr


def create_change(data: ChangeInput) -> ChangeView:
    """Log a new request (status new), its fields checked by the change request's specification."""
    fields = CHANGE.validate({"title": data.title, "description": data.description, "requested_by": data.requested_by,
                              "received_on": data.received_on or clock.today()}, partial=True)
    with action(f"log change request '{fields['title']}'") as rec:
        if Project.get_or_none(Project.id == data.project_id) is None:
            raise NotFound(f"no project {data.project_id} (deleted?)")
        cr = rec.create(ChangeRequest, project=data.project_id, status="new", **fields)
    return get_change(cr.id)


def assess_change(change_id: int, *, impact_hours: float, impact_days: int = 0, impact_cost: float | None = None) -> ChangeView:
    """Record the impact (the assessment's fields: hours needed, days 0 or more, a cost set by hand or
    none); the request moves to 'assessing' until decided."""
    fields = ASSESSMENT.validate({"impact_hours": impact_hours, "impact_days": impact_days, "impact_cost": impact_cost})
    with database.atomic():  # the status is read in the transaction that writes (two hands, one request)
        cr = _load(change_id)
        if cr.status not in ("new", "assessing"):
            raise RuleError(f"'{cr.title}' is {cr.status}; only new or assessing requests can be assessed")
        with action(f"assess '{cr.title}'") as rec:
            rec.update(cr, **fields, status="assessing")
    return get_change(change_id)


def approve_change(change_id: int) -> ApprovalResult:
    """Approve with every effect of an approval (README: change requests), as one undoable action."""
    cr = _load(change_id)
    if cr.status not in ("new", "assessing"):
        raise RuleError(f"'{cr.title}' is already {cr.status}")
    if cr.impact_hours is None:
        raise RuleError(f"'{cr.title}' has no assessed impact; assess its hours first (e)")
    project = Project.get_by_id(cr.project_id)
    client = Client.get_by_id(project.client_id)
    today = clock.today()
    cost = change_cost(cr.impact_hours, cr.impact_cost, effective_rate(project.hourly_rate, client.hourly_rate))
    budget_before, deadline_before = project.budget_hours, project.deadline
    budget_after = (budget_before or 0) + cr.impact_hours
    deadline_after = limits.add_days(deadline_before, cr.impact_days or 0, "the new deadline") if deadline_before else None
    with action(f"approve '{cr.title}'") as rec:
        # the money budget grows by the cost as the hours budget by the hours (none yet: it starts at the cost)
        amount_after = (project.budget_amount or 0) + cost if cost is not None else project.budget_amount
        rec.update(project, budget_hours=budget_after, deadline=deadline_after, budget_amount=amount_after)
        rec.update(cr, status="approved", decided_on=today)
        now = clock.now()
        task = rec.create(
            Task,
            project=project.id,
            title=cr.title,
            status="backlog",
            priority=2,
            estimate_minutes=max(1, round(cr.impact_hours * 60)) if cr.impact_hours else None,
            change_request=cr.id,
            position=end_of_column(project.id, "backlog"),
            created=now,
            updated=now,
        )
        summary = Decision("approved", cr.title, cr.impact_hours, cr.impact_days or 0, cost).summary
        rec.create(Interaction, client=client.id, on=today, kind="decision", summary=summary, change_request=cr.id)
    return ApprovalResult(get_change(change_id), budget_before, budget_after, deadline_before, deadline_after, task.id)


def reject_change(change_id: int, reason: str) -> ChangeView:
    """Reject; the reason is required and goes to the client's log."""
    cr = _load(change_id)
    if not reason or not reason.strip():
        raise InputError("a rejection needs a reason")
    if cr.status not in ("new", "assessing"):
        raise RuleError(f"'{cr.title}' is already {cr.status}")
    project = Project.get_by_id(cr.project_id)
    today = clock.today()
    with action(f"reject '{cr.title}'") as rec:
        rec.update(cr, status="rejected", decision_note=reason.strip(), decided_on=today)
        rec.create(
            Interaction,
            client=project.client_id,
            on=today,
            kind="decision",
            summary=Decision("rejected", cr.title, reason=reason.strip()).summary,
            change_request=cr.id,
        )
    return get_change(change_id)


def complete_change(change_id: int) -> ChangeView:
    """An approved request whose work is delivered becomes done."""
    cr = _load(change_id)
    if cr.status != "approved":
        raise RuleError(f"'{cr.title}' is {cr.status}; only approved requests can be marked done")
    with action(f"complete '{cr.title}'") as rec:
        rec.update(cr, status="done")
    return get_change(change_id)
