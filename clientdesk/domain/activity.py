"""Who did what: the journal read back as lines for people ("Alice moved it to review, 10:42").

A task's detail shows its own history; a client's detail shows the latest
changes to anything of that client (the client itself, its projects, tasks,
log entries, change requests, milestones, risks and feedback). Lines are
built from the journal, so only changes made through actions appear, and an
undone action is left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pendulum
from peewee import JOIN

from clientdesk.domain.journal import RowChange, row_history
from clientdesk.models import (Action, ChangeRequest, Feedback, Interaction, Milestone, Person, Project, Risk, Task,
                               database)
from clientdesk.safe_text import terminal_safe

#: how far back a client's activity looks (the journal keeps 500 actions a person)
RECENT_ACTIONS = 400
_TITLES = ("title", "name", "summary", "comment")
_KINDS = {"task": "task", "project": "project", "interaction": "log entry", "change_request": "change request",
          "milestone": "milestone", "risk": "risk", "feedback": "feedback", "client": "client"}


@dataclass(frozen=True)
class ActivityLine:
    person: str
    at: pendulum.DateTime
    text: str  # 'alice moved 'Draft invoice' to review, 10:42' (terminal-safe)


def task_activity(task_id: int, limit: int = 8) -> list[str]:
    """The task's own history, newest first: 'bob moved it to review, 10:42'."""
    return [c.line() for c in row_history("task", task_id, limit=limit)][:limit]


def _owned(client_id: int) -> dict[str, dict[int, str]]:
    """Every row of the client a line can name, by table: id -> its title."""
    projects = dict(database.execute(Project.select(Project.id, Project.name).where(Project.client == client_id)))
    pids = list(projects)
    out: dict[str, dict[int, str]] = {"project": projects}
    if pids:
        out["task"] = dict(database.execute(Task.select(Task.id, Task.title).where(Task.project.in_(pids))))
        out["change_request"] = dict(database.execute(
            ChangeRequest.select(ChangeRequest.id, ChangeRequest.title).where(ChangeRequest.project.in_(pids))))
        out["milestone"] = dict(database.execute(Milestone.select(Milestone.id, Milestone.name)
                                                 .where(Milestone.project.in_(pids))))
        out["risk"] = dict(database.execute(Risk.select(Risk.id, Risk.title).where(Risk.project.in_(pids))))
    out["interaction"] = dict(database.execute(Interaction.select(Interaction.id, Interaction.summary)
                                               .where(Interaction.client == client_id)))
    out["feedback"] = dict(database.execute(Feedback.select(Feedback.id, Feedback.comment)
                                            .where(Feedback.client == client_id)))
    return out


def _title(change: dict) -> str | None:
    for row in (change.get("after"), change.get("before")):
        for name in _TITLES:
            if row and row.get(name):
                return str(row[name])
    return None


def client_activity(client_id: int, limit: int = 12) -> list[ActivityLine]:
    """The latest changes to anything of this client, newest first, one line each."""
    owned = _owned(client_id)
    project_ids = set(owned["project"])
    q = (Action.select(Action, Person).join(Person, JOIN.LEFT_OUTER)
         .where(Action.undone == False)  # noqa: E712
         .order_by(Action.id.desc()).limit(RECENT_ACTIONS))
    out: list[ActivityLine] = []
    for a in q:
        person = a.person.name if a.person_id is not None else "someone"
        for change in reversed(json.loads(a.changes)):
            table, pk, op = change["table"], change["id"], change["op"]
            row = change.get("after") or change.get("before") or {}
            if table == "client":
                mine = pk == client_id
                title = _title(change) or None
            elif table in owned:
                mine = pk in owned[table] or row.get("client") == client_id or row.get("project") in project_ids
                title = owned[table].get(pk) or _title(change)
            else:
                continue
            if not mine:
                continue
            what = f"'{terminal_safe(title, newlines=False)[:50]}'" if title else f"a {_KINDS[table]}"
            if table == "client":
                what = "the profile" if op == "update" else what
            fields = tuple(change.get("after") or ()) if op == "update" else ()
            rc = RowChange(person, a.at, op, fields, change.get("after") or {}, a.label)
            out.append(ActivityLine(person, a.at, f"{terminal_safe(person, newlines=False)} {rc.words(what)}, "
                                                  f"{rc.when()}"))
            if len(out) >= limit:
                return out
    return out


__all__ = ["ActivityLine", "client_activity", "task_activity"]
