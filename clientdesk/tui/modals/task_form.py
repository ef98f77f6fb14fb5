"""The task form (`A` on the Board, `e` on a card or in the task detail): the generated form on the task's fields.

The fields are the task's specification (`domain/fields.py`, TASK) with its
project after the title, so a field added to the specification is in the
form, the domain's checks and the importer at once. `add_task_flow` and
`edit_task_flow` open it through `flows.form_flow` and save through the
domain; when saving is refused (a stale edit, a project gone) the form
opens again with what was typed and the reason.
"""

from __future__ import annotations

from typing import Any, Callable

from clientdesk.domain.fields import TASK
from clientdesk.domain.tasks import TaskInput, TaskView


def _task_input(values: dict[str, Any]) -> TaskInput:
    return TaskInput(**values)


def add_task_flow(app, client_id: int, *, status: str = "todo", project_id: int | None = None,
                  on_saved: Callable[[TaskView], None] | None = None) -> None:
    """Open an empty form for this client's work and create the task it returns."""
    from clientdesk.domain.tasks import create_task
    from clientdesk.tui import flows

    options = flows.project_options(app, client_id)
    if options is None:
        return
    values = TASK.defaults() | {"project_id": project_id if project_id in {v for _, v in options} else options[0][1],
                                "status": status if status in TASK["status"].choices else "todo"}
    flows.form_flow(app, "Add task", flows.with_project(TASK.fields), values, lambda v: create_task(_task_input(v)),
                    lambda t: f"added '{t.title}' to {t.status} · u undoes", options={"project_id": options},
                    then=on_saved)


def edit_task_flow(app, task_id: int, *, on_saved: Callable[[TaskView], None] | None = None) -> None:
    """Open the form on a task and save what it returns (refused if someone changed the task meanwhile)."""
    from clientdesk.domain.tasks import get_task, update_task
    from clientdesk.tui import flows

    view = flows.read_or_say(app, get_task, task_id)
    if view is None:
        return
    options = flows.project_options(app, view.client_id)
    if options is None:
        return
    values = {name: getattr(view, name) for name in TASK.names} | {"project_id": view.project_id}
    flows.form_flow(app, f"Edit task #{view.id} · {view.client}", flows.with_project(TASK.fields), values,
                    lambda v: update_task(task_id, _task_input(v), expect_version=view.version),
                    lambda t: f"saved '{t.title}' · u undoes", options={"project_id": options}, then=on_saved)


__all__ = ["add_task_flow", "edit_task_flow"]
