"""Clients and their projects, interaction log, feedback, risks and milestones."""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from peewee import JOIN

from clientdesk import clock
from clientdesk.domain.errors import NotFound, RuleError
from clientdesk.domain.fields import CLIENT, FEEDBACK, INTERACTION, FieldError
from clientdesk.domain.money import currency_of
from clientdesk.domain.journal import action
from clientdesk.domain.names import name_key
from clientdesk.models import ChangeRequest, Client, Feedback, Interaction, Milestone, Project, Risk, database
from clientdesk.models.interaction import INTERACTION_KINDS as INTERACTION_KINDS  # re-exported: the kinds a screen offers


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
    id: int = 0


@dataclass(frozen=True)
class RiskView:
    id: int
    project: str
    title: str
    likelihood: int
    impact: int
    mitigation: str
    status: str
    project_id: int = 0

    @property
    def exposure(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class MilestoneView:
    project: str
    name: str
    due: pendulum.Date | None
    done_on: pendulum.Date | None
    id: int = 0
    project_id: int = 0


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
    currency: str = ""  # the client's own, else the config's default (ISO 4217)


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
    """A client by name (the same name: case and Unicode forms aside), else by unique prefix."""
    c = Client.get_or_none(Client.name == name)
    if c is None:
        key = name_key(name)
        everyone = list(Client.select())
        c = next((x for x in everyone if name_key(x.name) == key), None)
    if c is None:
        matches = [x for x in everyone if key and name_key(x.name).startswith(key)]
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
        projects=list_projects(c.id), currency=currency_of(c.currency),
    )


def _client_values(data: ClientInput | dict) -> dict:
    return dict(data) if isinstance(data, dict) else {k: getattr(data, k) for k in data.__dataclass_fields__}


def validate_client(data: ClientInput | dict) -> dict:
    """The fields to store (every field of the client's specification), or FieldError naming the first bad one."""
    return CLIENT.validate(_client_values(data))


def client_named(name: str, *, other_than: int | None = None) -> ClientRef | None:
    """The client whose name is the same name (case, Unicode forms, invisible characters), if any."""
    key = name_key(name)
    for c in Client.select(Client.id, Client.name, Client.status, Client.colour):
        if c.id != other_than and name_key(c.name) == key:
            return ClientRef(c.id, c.name, c.status, c.colour)
    return None


def _refuse_duplicate(name: str, other_than: int | None = None) -> None:
    same = client_named(name, other_than=other_than)
    if same is not None:
        shown = f"'{name}'" if same.name == name else f"'{name}' (as '{same.name}')"
        raise FieldError("name", "name", f"a client named {shown} already exists")


def create_client(data: ClientInput | dict) -> ClientRef:
    """Add a client; every field of the specification may be given, the name is required and unique."""
    fields = validate_client(data)
    with action(f"add client '{fields['name']}'") as rec:
        _refuse_duplicate(fields["name"])  # in the transaction: two processes cannot both add one name
        c = rec.create(Client, **fields)
    return ClientRef(c.id, c.name, c.status, c.colour)


def update_client(client_id: int, data: ClientInput | dict) -> ClientRef:
    """Save a client's fields: a dict may give only some of them (the rest stay as they are)."""
    values = _client_values(data)
    fields = CLIENT.validate(values, partial=isinstance(data, dict))
    with database.atomic():  # the checks read in the transaction that writes
        c = Client.get_or_none(Client.id == client_id)
        if c is None:
            raise NotFound(f"no client {client_id}")
        if "name" in fields:
            _refuse_duplicate(fields["name"], other_than=client_id)
        with action(f"edit client '{fields.get('name', c.name)}'") as rec:
            rec.update(c, **fields)
    return ClientRef(c.id, c.name, c.status, c.colour)


#: the label each status change is journaled under
_STATUS_VERBS = {"active": "restore", "paused": "pause", "archived": "archive"}


def set_client_status(client_id: int, status: str) -> ClientRef:
    """Pause, archive or restore (make active again) a client, one undoable action."""
    status = CLIENT["status"].check(status)
    with database.atomic():  # read in the transaction that writes: two hands, one status
        c = Client.get_or_none(Client.id == client_id)
        if c is None:
            raise NotFound(f"no client {client_id} (deleted?)")
        if c.status == status:
            raise RuleError(f"'{c.name}' is already {status}")
        with action(f"{_STATUS_VERBS[status]} client '{c.name}'") as rec:
            rec.update(c, status=status)
    return ClientRef(c.id, c.name, c.status, c.colour)


@dataclass(frozen=True)
class ClientFootprint:
    """What deleting a client takes with it, for the confirmation."""

    name: str
    projects: int
    tasks: int
    time_entries: int
    interactions: int

    def words(self) -> str:
        parts = [f"{n} {what}{'' if n == 1 else 's'}" for n, what in (
            (self.projects, "project"), (self.tasks, "task"), (self.time_entries, "time entry"),
            (self.interactions, "log entry"))]
        return ", ".join(p.replace("entrys", "entries") for p in parts)


def client_footprint(client_id: int) -> ClientFootprint:
    from clientdesk.models import Task, TimeEntry

    c = Client.get_or_none(Client.id == client_id)
    if c is None:
        raise NotFound(f"no client {client_id}")
    return ClientFootprint(
        name=c.name,
        projects=Project.select().where(Project.client == client_id).count(),
        tasks=Task.select().join(Project).where(Project.client == client_id).count(),
        time_entries=TimeEntry.select().where(TimeEntry.client == client_id).count(),
        interactions=Interaction.select().where(Interaction.client == client_id).count(),
    )


def delete_client(client_id: int, *, with_time_entries: bool = False) -> ClientFootprint:
    """Delete a client and everything of theirs, one action that `u` undoes.

    Logged time is billing history: a client that has time entries is only
    deleted when the caller says so (`with_time_entries`, the second confirmation).
    """
    footprint = client_footprint(client_id)
    if footprint.time_entries and not with_time_entries:
        raise RuleError(f"'{footprint.name}' has {footprint.time_entries} time "
                        f"entr{'y' if footprint.time_entries == 1 else 'ies'}: confirm deleting them too, or archive the client")
    with action(f"delete client '{footprint.name}'") as rec:
        rec.delete(Client.get_by_id(client_id))
    return footprint


def create_project(client_id: int, name: str, *, deadline=None, budget_hours=None) -> ProjectRef:
    """Add a project by name (the full form is `projects.create_project`)."""
    from clientdesk.domain import projects

    return projects.create_project(client_id, {"name": name, "deadline": deadline, "budget_hours": budget_hours})


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
    """Log a call, email, meeting, check-in, note or decision, on any date (default today)."""
    fields = INTERACTION.validate({"kind": kind, "summary": summary, "on": on or clock.today()})
    if Client.get_or_none(Client.id == client_id) is None:
        raise NotFound(f"no client {client_id}")
    with action(f"log {fields['kind']}") as rec:
        i = rec.create(Interaction, client=client_id, change_request=change_request_id, **fields)
    return InteractionView(i.id, i.on, i.kind, i.summary, change_request_id, None)


def _one(model, row_id: int, what: str):
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFound(f"no {what} {row_id} (deleted?)")
    return row


def get_interaction(interaction_id: int) -> InteractionView:
    i = _one(Interaction, interaction_id, "log entry")
    cr = i.change_request if i.change_request_id else None
    return InteractionView(i.id, i.on, i.kind, i.summary, i.change_request_id, cr.title if cr else None)


def update_interaction(interaction_id: int, values: dict) -> InteractionView:
    """Save an edited log entry (its date, kind or summary)."""
    fields = INTERACTION.validate(values, partial=True)
    i = _one(Interaction, interaction_id, "log entry")
    with action(f"edit {fields.get('kind', i.kind)} of {i.on.to_date_string()}") as rec:
        rec.update(i, **fields)
    return get_interaction(interaction_id)


def delete_interaction(interaction_id: int) -> None:
    i = _one(Interaction, interaction_id, "log entry")
    with action(f"delete {i.kind} of {i.on.to_date_string()}") as rec:
        rec.delete(i)


def feedback(client_id: int) -> list[FeedbackView]:
    """Scores over time, oldest first (for the trend)."""
    q = Feedback.select().where(Feedback.client == client_id).order_by(Feedback.on, Feedback.id)
    return [FeedbackView(f.on, f.score, f.comment, f.id) for f in q]


def add_feedback(client_id: int, score: int, comment: str = "", *, on: pendulum.Date | None = None) -> FeedbackView:
    fields = FEEDBACK.validate({"score": score, "comment": comment, "on": on or clock.today()})
    if Client.get_or_none(Client.id == client_id) is None:
        raise NotFound(f"no client {client_id}")
    with action("add feedback") as rec:
        f = rec.create(Feedback, client=client_id, **fields)
    return FeedbackView(f.on, f.score, f.comment, f.id)


def update_feedback(feedback_id: int, values: dict) -> FeedbackView:
    fields = FEEDBACK.validate(values, partial=True)
    f = _one(Feedback, feedback_id, "feedback")
    with action(f"edit feedback of {f.on.to_date_string()}") as rec:
        rec.update(f, **fields)
    return FeedbackView(f.on, f.score, f.comment, f.id)


def delete_feedback(feedback_id: int) -> None:
    f = _one(Feedback, feedback_id, "feedback")
    with action(f"delete feedback of {f.on.to_date_string()}") as rec:
        rec.delete(f)


def risks(client_id: int, *, open_only: bool = False) -> list[RiskView]:
    q = Risk.select(Risk, Project).join(Project).where(Project.client == client_id)
    if open_only:
        q = q.where(Risk.status == "open")
    rows = [RiskView(r.id, r.project.name, r.title, r.likelihood, r.impact, r.mitigation, r.status, r.project_id) for r in q]
    return sorted(rows, key=lambda r: (r.status != "open", -r.exposure, r.title))


def milestones(client_id: int) -> list[MilestoneView]:
    # undated first, then by date, then as entered: the same order on every engine (NULLs sort apart by default)
    q = (Milestone.select(Milestone, Project).join(Project).where(Project.client == client_id)
         .order_by(Milestone.due.asc(nulls="FIRST"), Milestone.id))
    return [MilestoneView(m.project.name, m.name, m.due, m.done_on, m.id, m.project_id) for m in q]
