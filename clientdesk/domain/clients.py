"""Clients and their projects, interaction log, feedback, risks and milestones."""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from peewee import JOIN

from clientdesk import clock
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.domain.parse import parse_timezone
from clientdesk.domain.journal import action
from clientdesk.models import ChangeRequest, Client, Feedback, Interaction, Milestone, Project, Risk
from clientdesk.models.client import CHANNELS, CLIENT_STATUSES
from clientdesk.models.interaction import INTERACTION_KINDS


@dataclass(frozen=True)
class ClientRef:
    id: int
    name: str
    status: str
    colour: str = ""


@dataclass(frozen=True)
class ProjectRef:
    id: int
    name: str
    client_id: int
    status: str
    deadline: pendulum.Date | None
    budget_hours: float | None


@dataclass(frozen=True)
class InteractionView:
    id: int
    on: pendulum.Date
    kind: str
    summary: str
    change_request_id: int | None
    change_request: str | None


@dataclass(frozen=True)
class FeedbackView:
    on: pendulum.Date
    score: int
    comment: str


@dataclass(frozen=True)
class RiskView:
    id: int
    project: str
    title: str
    likelihood: int
    impact: int
    mitigation: str
    status: str

    @property
    def exposure(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class MilestoneView:
    project: str
    name: str
    due: pendulum.Date | None
    done_on: pendulum.Date | None


@dataclass(frozen=True)
class ClientProfile:
    id: int
    name: str
    status: str
    contact: str
    channel: str
    checkin_every_days: int
    language: str
    timezone: str
    hourly_rate: float | None
    budget_hours_month: float | None
    weekly_target_hours: float | None
    weight: float
    colour: str
    notes: str
    projects: list[ProjectRef] = field(default_factory=list)


@dataclass(frozen=True)
class ClientInput:
    name: str
    status: str = "active"
    contact: str = ""
    channel: str = "email"
    checkin_every_days: int = 14
    language: str = "en"
    timezone: str = "UTC"
    hourly_rate: float | None = None
    budget_hours_month: float | None = None
    weekly_target_hours: float | None = None
    weight: float = 1.0
    colour: str = ""
    notes: str = ""


def list_clients(*, include_inactive: bool = False) -> list[ClientRef]:
    q = Client.select().order_by(Client.name)
    if not include_inactive:
        q = q.where(Client.status == "active")
    return [ClientRef(c.id, c.name, c.status, c.colour) for c in q]


def find_client(name: str) -> ClientRef:
    """A client by exact name, else by unique case-insensitive prefix."""
    c = Client.get_or_none(Client.name == name)
    if c is None:
        matches = [x for x in Client.select() if x.name.casefold().startswith(name.casefold())]
        if len(matches) == 1:
            c = matches[0]
        elif len(matches) > 1:
            raise NotFound(f"client name is ambiguous: {name} ({', '.join(m.name for m in matches[:5])})")
    if c is None:
        raise NotFound(f"no such client: {name}")
    return ClientRef(c.id, c.name, c.status, c.colour)


def list_projects(client_id: int | None = None, *, active_only: bool = False) -> list[ProjectRef]:
    q = Project.select().order_by(Project.name)
    if client_id:
        q = q.where(Project.client == client_id)
    if active_only:
        q = q.where(Project.status == "active")
    return [ProjectRef(p.id, p.name, p.client_id, p.status, p.deadline, p.budget_hours) for p in q]


def client_profile(client_id: int) -> ClientProfile:
    c = Client.get_or_none(Client.id == client_id)
    if c is None:
        raise NotFound(f"no client {client_id}")
    return ClientProfile(
        id=c.id, name=c.name, status=c.status, contact=c.contact, channel=c.channel,
        checkin_every_days=c.checkin_every_days, language=c.language, timezone=c.timezone,
        hourly_rate=c.hourly_rate, budget_hours_month=c.budget_hours_month,
        weekly_target_hours=c.weekly_target_hours, weight=c.weight, colour=c.colour, notes=c.notes,
        projects=list_projects(c.id),
    )


def validate_client(data: ClientInput) -> dict:
    """The fields to store, or InputError naming the first bad one."""
    if not data.name.strip():
        raise InputError("a client needs a name")
    if data.status not in CLIENT_STATUSES:
        raise InputError(f"status must be one of {', '.join(CLIENT_STATUSES)}: {data.status}")
    if data.channel not in CHANNELS:
        raise InputError(f"channel must be one of {', '.join(CHANNELS)}: {data.channel}")
    if int(data.checkin_every_days) < 1:
        raise InputError("check-in cadence must be at least 1 day")
    zone = parse_timezone(data.timezone)
    for name in ("hourly_rate", "budget_hours_month", "weekly_target_hours", "weight"):
        value = getattr(data, name)
        if value is not None and value < 0:
            raise InputError(f"{name.replace('_', ' ')} must be zero or more")
    fields = {k: getattr(data, k) for k in data.__dataclass_fields__}
    fields["name"] = data.name.strip()
    fields["timezone"] = zone
    return fields


def create_client(data: ClientInput) -> ClientRef:
    fields = validate_client(data)
    if Client.get_or_none(Client.name == fields["name"]):
        raise InputError(f"a client named '{fields['name']}' already exists")
    with action(f"add client '{fields['name']}'") as rec:
        c = rec.create(Client, **fields)
    return ClientRef(c.id, c.name, c.status, c.colour)


def update_client(client_id: int, data: ClientInput) -> ClientRef:
    fields = validate_client(data)
    c = Client.get_or_none(Client.id == client_id)
    if c is None:
        raise NotFound(f"no client {client_id}")
    other = Client.get_or_none(Client.name == fields["name"])
    if other and other.id != client_id:
        raise InputError(f"a client named '{fields['name']}' already exists")
    with action(f"edit client '{fields['name']}'") as rec:
        rec.update(c, **fields)
    return ClientRef(c.id, c.name, c.status, c.colour)


def create_project(client_id: int, name: str, *, deadline=None, budget_hours=None) -> ProjectRef:
    if not name.strip():
        raise InputError("a project needs a name")
    if Project.get_or_none(Project.client == client_id, Project.name == name.strip()):
        raise InputError(f"the client already has a project named '{name.strip()}'")
    with action(f"add project '{name.strip()}'") as rec:
        p = rec.create(Project, client=client_id, name=name.strip(), deadline=deadline, budget_hours=budget_hours)
    return ProjectRef(p.id, p.name, p.client_id, p.status, p.deadline, p.budget_hours)


def interactions(client_id: int, *, kinds: tuple[str, ...] | None = None, since: pendulum.Date | None = None,
                 until: pendulum.Date | None = None) -> list[InteractionView]:
    """The client's log, newest first, filtered by kind and period."""
    q = (
        Interaction.select(Interaction, ChangeRequest)
        .join(ChangeRequest, on=(Interaction.change_request == ChangeRequest.id), join_type=JOIN.LEFT_OUTER)
        .where(Interaction.client == client_id)
    )
    if kinds:
        q = q.where(Interaction.kind.in_(kinds))
    if since:
        q = q.where(Interaction.on >= since)
    if until:
        q = q.where(Interaction.on <= until)
    out = []
    for i in q.order_by(Interaction.on.desc(), Interaction.id.desc()):
        cr = i.change_request if i.change_request_id else None
        out.append(InteractionView(i.id, i.on, i.kind, i.summary, i.change_request_id, cr.title if cr else None))
    return out


def log_interaction(client_id: int, kind: str, summary: str, *, on: pendulum.Date | None = None,
                    change_request_id: int | None = None) -> InteractionView:
    if kind not in INTERACTION_KINDS:
        raise InputError(f"kind must be one of {', '.join(INTERACTION_KINDS)}: {kind}")
    if not summary.strip():
        raise InputError("an interaction needs a summary")
    if Client.get_or_none(Client.id == client_id) is None:
        raise NotFound(f"no client {client_id}")
    with action(f"log {kind}") as rec:
        i = rec.create(Interaction, client=client_id, on=on or clock.today(), kind=kind, summary=summary.strip(),
                       change_request=change_request_id)
    return InteractionView(i.id, i.on, i.kind, i.summary, change_request_id, None)


def feedback(client_id: int) -> list[FeedbackView]:
    """Scores over time, oldest first (for the trend)."""
    q = Feedback.select().where(Feedback.client == client_id).order_by(Feedback.on, Feedback.id)
    return [FeedbackView(f.on, f.score, f.comment) for f in q]


def add_feedback(client_id: int, score: int, comment: str = "", *, on: pendulum.Date | None = None) -> FeedbackView:
    if score not in (1, 2, 3, 4, 5):
        raise InputError(f"a score is 1..5: {score}")
    with action("add feedback") as rec:
        f = rec.create(Feedback, client=client_id, on=on or clock.today(), score=score, comment=comment.strip())
    return FeedbackView(f.on, f.score, f.comment)


def risks(client_id: int, *, open_only: bool = False) -> list[RiskView]:
    q = Risk.select(Risk, Project).join(Project).where(Project.client == client_id)
    if open_only:
        q = q.where(Risk.status == "open")
    rows = [RiskView(r.id, r.project.name, r.title, r.likelihood, r.impact, r.mitigation, r.status) for r in q]
    return sorted(rows, key=lambda r: (r.status != "open", -r.exposure, r.title))


def milestones(client_id: int) -> list[MilestoneView]:
    q = Milestone.select(Milestone, Project).join(Project).where(Project.client == client_id).order_by(Milestone.due)
    return [MilestoneView(m.project.name, m.name, m.due, m.done_on) for m in q]
