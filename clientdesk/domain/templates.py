"""Templates: a project's task list kept for reuse across clients, with due dates relative to its start.

A template's items are a JSON list of tasks: `title`, `priority`, `status`
(backlog or todo), `estimate_minutes`, `tags` (a list) and `due_after_days`
(days after the project's start, or null). Saving a project as a template
takes every task of the project; a due date counts from the project's start,
or, for a project without a start, from the day its first task was created.
Starting a project from a template lays the due dates from the new project's
start (today when none is given). Each of these is one undoable action.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pendulum

from clientdesk import clock
from clientdesk.domain.clients import ProjectRef
from clientdesk.domain.errors import InputError, NotFound, RuleError
from clientdesk.domain.fields import PROJECT, TASK, TEMPLATE, FieldError
from clientdesk.domain.journal import action
from clientdesk.domain.names import name_key
from clientdesk.domain.tasks import end_of_column, normalise_tags
from clientdesk.models import Client, Project, Task, Template

_STATUS_ORDER = {s: i for i, s in enumerate(("backlog", "todo", "doing", "review", "done"))}
_ITEM_KEYS = {"title", "priority", "status", "estimate_minutes", "tags", "due_after_days"}
MAX_DUE_AFTER_DAYS = 3660


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    tasks: int
    estimate_minutes: int
    span_days: int | None  # the latest relative due date

    def words(self) -> str:
        hours = self.estimate_minutes / 60
        span = f", due dates over {self.span_days} days" if self.span_days is not None else ""
        return f"{self.tasks} task{'' if self.tasks == 1 else 's'}, {hours:g}h estimated{span}"


def _items(template: Template) -> list[dict]:
    try:
        items = json.loads(template.items or "[]")
    except ValueError:
        raise InputError(f"template '{template.name}' is damaged (its task list is not JSON)") from None
    if not isinstance(items, list):
        raise InputError(f"template '{template.name}' is damaged (its task list is not a list)")
    return items


def _view(t: Template) -> TemplateView:
    items = [i for i in _items(t) if isinstance(i, dict)]
    dues = [i["due_after_days"] for i in items if isinstance(i.get("due_after_days"), int)]
    estimate = sum(i["estimate_minutes"] for i in items if isinstance(i.get("estimate_minutes"), int))
    return TemplateView(t.id, t.name, len(items), estimate, max(dues) if dues else None)


def list_templates() -> list[TemplateView]:
    return [_view(t) for t in Template.select().order_by(Template.name)]


def find_template(name: str) -> TemplateView:
    """A template by name (case and Unicode forms aside)."""
    key = name_key(name)
    for t in Template.select():
        if name_key(t.name) == key:
            return _view(t)
    known = ", ".join(t.name for t in Template.select().order_by(Template.name).limit(8))
    raise NotFound(f"no such template: {name}" + (f" (there are: {known})" if known else " (none saved yet)"))


def _refuse_same_name(name: str, other_than: int | None = None) -> None:
    key = name_key(name)
    for t in Template.select(Template.id, Template.name):
        if t.id != other_than and name_key(t.name) == key:
            raise FieldError("name", "name", f"a template named '{t.name}' already exists")


def _project_start(project: Project, tasks: list[Task]) -> pendulum.Date:
    if project.start is not None:
        return project.start
    created = [t.created.in_timezone(clock.local_tz()).date() for t in tasks if t.created is not None]
    return min(created) if created else clock.today()


def save_template(project_id: int, name: str) -> TemplateView:
    """Keep a project's tasks (estimates, tags, relative due dates) as a template named `name`."""
    fields = TEMPLATE.validate({"name": name})
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise NotFound(f"no project {project_id}")
    _refuse_same_name(fields["name"])
    tasks = sorted(Task.select().where(Task.project == project_id),
                   key=lambda t: (_STATUS_ORDER.get(t.status, 9), t.position, t.id))
    if not tasks:
        raise RuleError(f"project '{project.name}' has no task to keep in a template")
    start = _project_start(project, tasks)
    items = []
    for t in tasks:
        items.append({
            "title": t.title,
            "priority": t.priority,
            "status": "backlog" if t.status == "backlog" else "todo",
            "estimate_minutes": t.estimate_minutes,
            "tags": t.tag_list,
            "due_after_days": (t.due - start).days if t.due is not None else None,
        })
    with action(f"save template '{fields['name']}'") as rec:
        row = rec.create(Template, name=fields["name"], items=json.dumps(items, ensure_ascii=False))
    return _view(row)


def rename_template(template_id: int, name: str) -> TemplateView:
    fields = TEMPLATE.validate({"name": name})
    t = Template.get_or_none(Template.id == template_id)
    if t is None:
        raise NotFound(f"no template {template_id} (deleted?)")
    _refuse_same_name(fields["name"], other_than=template_id)
    with action(f"rename template '{t.name}' to '{fields['name']}'") as rec:
        rec.update(t, name=fields["name"])
    return _view(t)


def delete_template(template_id: int) -> str:
    t = Template.get_or_none(Template.id == template_id)
    if t is None:
        raise NotFound(f"no template {template_id} (deleted?)")
    with action(f"delete template '{t.name}'") as rec:
        rec.delete(t)
    return t.name


def _task_fields(item, where: str, start: pendulum.Date) -> dict:
    """One template item as the fields of a new task (refused, naming the item, when damaged)."""
    if not isinstance(item, dict) or not isinstance(item.get("title"), str):
        raise InputError(f"{where}: not a task (a title is needed)")
    unknown = set(item) - _ITEM_KEYS
    if unknown:
        raise InputError(f"{where}: unknown field: {sorted(unknown)[0]}")
    try:
        fields = TASK.validate({k: item[k] for k in ("title", "priority", "status", "estimate_minutes") if k in item},
                               partial=True)
    except FieldError as exc:
        raise InputError(f"{where}.{exc.field}: {exc.reason}") from None
    fields.setdefault("priority", 3)
    if fields.get("status") not in ("backlog", "todo"):
        fields["status"] = "todo"
    fields["tags"] = normalise_tags(item.get("tags") or [])
    offset = item.get("due_after_days")
    if offset is not None:
        if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > MAX_DUE_AFTER_DAYS:
            raise InputError(f"{where}.due_after_days: not a number of days: {offset!r}")
        fields["due"] = start.add(days=offset)
    return fields


def create_project_from_template(client_id: int, values: dict, template_name: str) -> ProjectRef:
    """A new project with the template's tasks, due dates laid from its start, as one action."""
    from clientdesk.domain.projects import _check_dates, _refuse_same_name as refuse_project_name

    template = Template.get_or_none(Template.id == find_template(template_name).id)
    fields = PROJECT.validate(values)
    if fields.get("start") is None:
        fields["start"] = clock.today()
    _check_dates(fields)
    if Client.get_or_none(Client.id == client_id) is None:
        raise NotFound(f"no client {client_id}")
    refuse_project_name(client_id, fields["name"])
    tasks = [_task_fields(item, f"template '{template.name}' item {i + 1}", fields["start"])
             for i, item in enumerate(_items(template))]
    now = clock.now()
    with action(f"add project '{fields['name']}' from template '{template.name}'") as rec:
        project = rec.create(Project, client=client_id, **fields)
        positions: dict[str, float] = {}
        for task in tasks:
            status = task["status"]
            if status not in positions:
                positions[status] = end_of_column(project.id, status)
            rec.create(Task, project=project.id, position=positions[status], created=now, updated=now, **task)
            positions[status] += 1
    return ProjectRef(project.id, project.name, project.client_id, project.status, project.deadline, project.budget_hours)


__all__ = [
    "TemplateView", "create_project_from_template", "delete_template", "find_template", "list_templates",
    "rename_template", "save_template",
]
