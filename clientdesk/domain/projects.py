"""Projects and what hangs off them (milestones, risks): created, edited, closed and deleted.

Every function is one user action, one transaction, one journal entry that
`u` undoes. Values are whole field dicts checked by the entity's field
specification (`domain/fields.py`); an edit may give only some fields.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum

from clientdesk import clock
from clientdesk.domain.clients import ProjectRef
from clientdesk.domain.errors import NotFound, RuleError
from clientdesk.domain.fields import MILESTONE, PROJECT, RISK, FieldError
from clientdesk.domain.journal import action
from clientdesk.domain.names import name_key
from clientdesk.models import Client, Milestone, Project, Risk, Task, TimeEntry


@dataclass(frozen=True)
class ProjectDetail:
    """A project's every field, for its form and the client detail."""

    id: int
    client_id: int
    client: str
    values: dict
    tasks: int = 0
    open_tasks: int = 0

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def status(self) -> str:
        return self.values["status"]


def _ref(p: Project) -> ProjectRef:
    return ProjectRef(p.id, p.name, p.client_id, p.status, p.deadline, p.budget_hours)


def _project(project_id: int) -> Project:
    p = Project.get_or_none(Project.id == project_id)
    if p is None:
        raise NotFound(f"no project {project_id} (deleted?)")
    return p


def _check_dates(values: dict) -> None:
    start, deadline = values.get("start"), values.get("deadline")
    if start is not None and deadline is not None and deadline < start:
        raise FieldError("deadline", "deadline", f"before the start ({start.to_date_string()}): {deadline.to_date_string()}")


def _refuse_same_name(client_id: int, name: str, other_than: int | None = None) -> None:
    key = name_key(name)
    for pid, existing in Project.select(Project.id, Project.name).where(Project.client == client_id).tuples():
        if pid != other_than and name_key(existing) == key:
            raise FieldError("name", "name", f"the client already has a project named '{existing}'")


def check_project(values: dict) -> dict:
    """A project's fields checked without the database (the form's own check): FieldError for the first bad one."""
    fields = PROJECT.validate(values, partial=True)
    _check_dates(fields)
    return fields


def create_project(client_id: int, values: dict) -> ProjectRef:
    """Add a project to a client: a name, and any of deadline, budgets, scope, rate."""
    fields = PROJECT.validate(values)
    _check_dates(fields)
    if Client.get_or_none(Client.id == client_id) is None:
        raise NotFound(f"no client {client_id}")
    _refuse_same_name(client_id, fields["name"])
    with action(f"add project '{fields['name']}'") as rec:
        p = rec.create(Project, client=client_id, **fields)
    return _ref(p)


def project_detail(project_id: int) -> ProjectDetail:
    p = _project(project_id)
    values = {name: getattr(p, name) for name in PROJECT.names}
    tasks = Task.select().where(Task.project == project_id)
    return ProjectDetail(p.id, p.client_id, p.client.name, values, tasks.count(),
                         tasks.where(Task.status != "done").count())


def update_project(project_id: int, values: dict) -> ProjectRef:
    """Save some or all of a project's fields (the deadline never before the start)."""
    p = _project(project_id)
    fields = PROJECT.validate(values, partial=True)
    merged = {name: getattr(p, name) for name in PROJECT.names} | fields
    _check_dates(merged)
    if "name" in fields:
        _refuse_same_name(p.client_id, fields["name"], other_than=project_id)
    with action(f"edit project '{merged['name']}'") as rec:
        rec.update(p, **fields)
    return _ref(p)


def set_project_status(project_id: int, status: str) -> ProjectRef:
    """Close (done), pause, cancel or reopen (active) a project."""
    status = PROJECT["status"].check(status)
    p = _project(project_id)
    if p.status == status:
        raise RuleError(f"project '{p.name}' is already {status}")
    verb = {"done": "close", "active": "reopen", "paused": "pause", "cancelled": "cancel"}[status]
    with action(f"{verb} project '{p.name}'") as rec:
        rec.update(p, status=status)
    return _ref(p)


def delete_project(project_id: int, *, with_time_entries: bool = False) -> str:
    """Delete a project with its tasks, milestones, risks and change requests (`u` brings them back)."""
    p = _project(project_id)
    logged = TimeEntry.select().join(Task).where(Task.project == project_id).count()
    if logged and not with_time_entries:
        raise RuleError(f"project '{p.name}' has time logged on {logged} entr{'y' if logged == 1 else 'ies'}: "
                        "close it instead, or confirm")
    with action(f"delete project '{p.name}'") as rec:
        rec.delete(p)
    return p.name


# -- milestones ------------------------------------------------------------------------
def _milestone(milestone_id: int) -> Milestone:
    m = Milestone.get_or_none(Milestone.id == milestone_id)
    if m is None:
        raise NotFound(f"no milestone {milestone_id} (deleted?)")
    return m


def create_milestone(project_id: int, values: dict) -> int:
    fields = MILESTONE.validate(values)
    _project(project_id)
    with action(f"add milestone '{fields['name']}'") as rec:
        m = rec.create(Milestone, project=project_id, **fields)
    return m.id


def milestone_values(milestone_id: int) -> dict:
    m = _milestone(milestone_id)
    return {name: getattr(m, name) for name in MILESTONE.names} | {"project_id": m.project_id}


def update_milestone(milestone_id: int, values: dict) -> None:
    m = _milestone(milestone_id)
    project_id = values.pop("project_id", None) if "project_id" in values else None
    fields = MILESTONE.validate(values, partial=True)
    if project_id is not None and project_id != m.project_id:
        _project(project_id)
        fields["project"] = project_id
    with action(f"edit milestone '{fields.get('name', m.name)}'") as rec:
        rec.update(m, **fields)


def toggle_milestone_done(milestone_id: int, *, on: pendulum.Date | None = None) -> bool:
    """Mark a milestone done today (or undone again); True when it is now done."""
    m = _milestone(milestone_id)
    done = m.done_on is None
    with action(f"{'complete' if done else 'reopen'} milestone '{m.name}'") as rec:
        rec.update(m, done_on=(on or clock.today()) if done else None)
    return done


def delete_milestone(milestone_id: int) -> None:
    m = _milestone(milestone_id)
    with action(f"delete milestone '{m.name}'") as rec:
        rec.delete(m)


# -- risks -----------------------------------------------------------------------------
def _risk(risk_id: int) -> Risk:
    r = Risk.get_or_none(Risk.id == risk_id)
    if r is None:
        raise NotFound(f"no risk {risk_id} (deleted?)")
    return r


def create_risk(project_id: int, values: dict) -> int:
    """Add a risk: likelihood and impact 1..5 (their product is its score)."""
    fields = RISK.validate(values)
    _project(project_id)
    with action(f"add risk '{fields['title']}'") as rec:
        r = rec.create(Risk, project=project_id, **fields)
    return r.id


def risk_values(risk_id: int) -> dict:
    r = _risk(risk_id)
    return {name: getattr(r, name) for name in RISK.names} | {"project_id": r.project_id}


def update_risk(risk_id: int, values: dict) -> None:
    r = _risk(risk_id)
    project_id = values.pop("project_id", None) if "project_id" in values else None
    fields = RISK.validate(values, partial=True)
    if project_id is not None and project_id != r.project_id:
        _project(project_id)
        fields["project"] = project_id
    with action(f"edit risk '{fields.get('title', r.title)}'") as rec:
        rec.update(r, **fields)


def toggle_risk_closed(risk_id: int) -> str:
    """Close an open risk, or open a closed one again; returns the new status."""
    r = _risk(risk_id)
    status = "closed" if r.status == "open" else "open"
    with action(f"{'close' if status == 'closed' else 'reopen'} risk '{r.title}'") as rec:
        rec.update(r, status=status)
    return status


def delete_risk(risk_id: int) -> None:
    r = _risk(risk_id)
    with action(f"delete risk '{r.title}'") as rec:
        rec.delete(r)


def find_project(client_id: int, name: str) -> ProjectRef:
    """A client's project by name (the same name, case aside), else by unique prefix."""
    key = name_key(name)
    projects = list(Project.select().where(Project.client == client_id))
    exact = [p for p in projects if name_key(p.name) == key]
    if exact:
        return _ref(exact[0])
    starts = [p for p in projects if key and name_key(p.name).startswith(key)]
    if len(starts) == 1:
        return _ref(starts[0])
    if starts:
        raise NotFound(f"project name is ambiguous: {name} ({', '.join(p.name for p in starts[:5])})")
    raise NotFound(f"no such project: {name}")


__all__ = [
    "ProjectDetail", "check_project", "create_milestone", "create_project", "create_risk", "delete_milestone",
    "delete_project", "delete_risk", "find_project", "milestone_values", "project_detail", "risk_values",
    "set_project_status", "toggle_milestone_done", "toggle_risk_closed", "update_milestone", "update_project",
    "update_risk",
]
