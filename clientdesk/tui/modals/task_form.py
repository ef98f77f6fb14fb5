"""The task form (`A` on the Board, `e` on a card or in the task detail): the generated form on the task's fields.

The fields are the task's specification (`domain/fields.py`, TASK) with its
project after the title, so a field added to the specification is in the
form, the domain's checks and the importer at once. `add_task_flow` and
`edit_task_flow` open it through `flows.form_flow` and save through the
domain; when saving is refused (a project gone) the form opens again with
what was typed and the reason. An edit keeps the version it opened at: when
a teammate changed the task since, the conflict modal says who changed what
(reload, overwrite or back), and a second save never overwrites silently.
The assignee (a person of the desk, or nobody) follows the project.
"""

from __future__ import annotations

from typing import Any, Callable

from clientdesk.domain.fields import TASK, Field
from clientdesk.domain.tasks import TaskInput, TaskView

ASSIGNEE = Field("ref", name="assignee", label="Assignee", nullable=True)
NOBODY = ""  # the assignee choice for "nobody"


def _task_input(values: dict[str, Any]) -> TaskInput:
    values = dict(values)
    values["assignee"] = values.get("assignee") or None
    return TaskInput(**values)


def _fields(flows) -> list[Field]:
    """The task's fields, its project after the title and its assignee after the project."""
    fields = flows.with_project(TASK.fields)
    return [fields[0], fields[1], ASSIGNEE, *fields[2:]]


def _people_options(app, flows, current: str = "") -> list[tuple[str, str]] | None:
    from clientdesk.domain.people import team_names

    names = flows.read_or_say(app, team_names)
    if names is None:
        return None
    if current and current not in names:
        names.append(current)
    return [("nobody", NOBODY), *((n, n) for n in names)]


def add_task_flow(app, client_id: int, *, status: str = "todo", project_id: int | None = None,
                  on_saved: Callable[[TaskView], None] | None = None) -> None:
    """Open an empty form for this client's work and create the task it returns."""
    from clientdesk.domain.tasks import create_task
    from clientdesk.tui import flows

    options = flows.project_options(app, client_id)
    people = _people_options(app, flows)
    if options is None or people is None:
        return
    values = TASK.defaults() | {"project_id": project_id if project_id in {v for _, v in options} else options[0][1],
                                "status": status if status in TASK["status"].choices else "todo",
                                "assignee": NOBODY}
    flows.form_flow(app, "Add task", _fields(flows), values, lambda v: create_task(_task_input(v)),
                    lambda t: f"added '{t.title}' to {t.status} · u undoes",
                    options={"project_id": options, "assignee": people}, then=on_saved)


def edit_task_flow(app, task_id: int, *, on_saved: Callable[[TaskView], None] | None = None) -> None:
    """Open the form on a task and save what it returns (refused if someone changed the task meanwhile)."""
    from clientdesk.domain.tasks import get_task, update_task
    from clientdesk.tui import flows

    view = flows.read_or_say(app, get_task, task_id)
    if view is None:
        return
    options = flows.project_options(app, view.client_id)
    people = _people_options(app, flows, view.assignee)
    if options is None or people is None:
        return
    values = {name: getattr(view, name) for name in TASK.names} | {"project_id": view.project_id,
                                                                  "assignee": view.assignee or NOBODY}
    flows.form_flow(app, f"Edit task #{view.id} · {view.client}", _fields(flows), values,
                    lambda v: update_task(task_id, _task_input(v)),
                    lambda t: f"saved '{t.title}' · u undoes", options={"project_id": options, "assignee": people},
                    then=on_saved, row=("task", task_id), reopen=lambda: edit_task_flow(app, task_id, on_saved=on_saved))


__all__ = ["add_task_flow", "edit_task_flow"]
