"""The task form (`A` on the Board, `e` on a card or in the task detail).

`TaskForm` validates every field inline and returns a `TaskInput`; it writes
nothing. `add_task_flow` and `edit_task_flow` open it and save through the
domain; when saving is refused (a stale edit, a project gone) the form opens
again with what was typed and the reason, so no typing is lost.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain.clients import ProjectRef
from clientdesk.domain.errors import ClientdeskError, InputError
from clientdesk.domain.journal import RowConflict
from clientdesk.domain.quickadd import WHEN_HELP, parse_estimate, parse_when
from clientdesk.domain.recurrence import validate_rule
from clientdesk.domain.tasks import OPEN_STATUSES, TaskInput, TaskView
from clientdesk.tui.modals.form_base import CheckedForm
from clientdesk.tui.text import minutes_label, short_date
from clientdesk.tui.writer import WriteJob

TASK_STATUSES = (*OPEN_STATUSES, "done")  # the board's columns, left to right
PRIORITIES = ((Text("p1 · highest"), 1), (Text("p2 · high"), 2), (Text("p3 · normal"), 3), (Text("p4 · low"), 4))
FIELDS = ("title", "project", "status", "priority", "due", "estimate", "tags", "recurrence", "assignee")
NOBODY = ""  # the assignee choice for "nobody"


def parse_tags(text: str) -> tuple[str, ...]:
    """'dev seo', '#dev, #seo' -> ('dev', 'seo'); letters, digits, '-' and '_' only."""
    out: list[str] = []
    for word in text.replace(",", " ").split():
        tag = word.lstrip("#").lower()
        if not tag:
            continue
        if not all(ch.isalnum() or ch in "-_" for ch in tag):
            raise InputError(f"tags: letters, digits, '-' and '_' only: {word}")
        if tag not in out:
            out.append(tag)
    return tuple(out)


def parse_form_due(text: str):
    """'' is no due date; anything else goes through the quick-add date words."""
    return parse_when(text, clock.today()) if text.strip() else None


class TaskForm(CheckedForm[TaskInput | None]):
    """Add or edit a task. Returns the TaskInput to save, or None when cancelled."""

    DEFAULT_CSS = """
    TaskForm { align: center middle; }
    TaskForm #form-box {
        width: 76; max-width: 98%; height: auto; max-height: 98%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    TaskForm #form-title { text-style: bold; height: 1; margin-bottom: 1; }
    TaskForm #form-grid {
        grid-size: 2; grid-columns: 12 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto;
    }
    TaskForm .form-label { width: 100%; text-align: right; color: $text-muted; height: 1; }
    TaskForm .form-hint { color: $text-muted; height: 1; padding-left: 13; }
    TaskForm Input.-invalid { background: $error 25%; }
    TaskForm #form-error { color: $error; height: auto; min-height: 1; margin-top: 1; }
    TaskForm #form-buttons { height: 1; margin-top: 1; align-horizontal: right; }
    TaskForm #form-buttons Button { margin-left: 2; min-width: 10; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def __init__(self, projects: Sequence[ProjectRef], *, task: TaskView | None = None,
                 initial: TaskInput | None = None, project_id: int | None = None, status: str = "todo",
                 error: str = "", people: Sequence[str] = ()) -> None:
        super().__init__()
        self.projects = list(projects)
        self.people = list(people)
        self.editing = task
        self.error = error
        if initial is None and task is not None:
            initial = TaskInput(title=task.title, project_id=task.project_id, status=task.status,
                                priority=task.priority, due=task.due, estimate_minutes=task.estimate_minutes,
                                tags=task.tags, recurrence=task.recurrence, assignee=task.assignee or None)
        default_project = project_id or (self.projects[0].id if self.projects else None)
        self.initial = initial or TaskInput(title="", project_id=default_project or 0, status=status)
        if task is not None and task.assignee and task.assignee not in self.people:
            self.people.append(task.assignee)
        if task is not None and all(p.id != task.project_id for p in self.projects):
            self.projects.append(ProjectRef(task.project_id, task.project, task.client_id, "", None, None))

    def compose(self) -> ComposeResult:
        data = self.initial
        heading = f"Edit task #{self.editing.id}" if self.editing else "Add task"
        if self.editing:
            heading += f" · {self.editing.client}"
        with Vertical(id="form-box"):
            yield Label(Text(heading), id="form-title")
            with Grid(id="form-grid"):
                yield Label("Title", classes="form-label")
                yield Input(data.title, id="f-title", compact=True, placeholder="what to do")
                yield Label("Project", classes="form-label")
                yield Select([(Text(p.name), p.id) for p in self.projects], value=data.project_id
                             if any(p.id == data.project_id for p in self.projects) else Select.NULL,
                             allow_blank=False, id="f-project", compact=True)
                yield Label("Status", classes="form-label")
                yield Select([(Text(s), s) for s in TASK_STATUSES], value=data.status, allow_blank=False,
                             id="f-status", compact=True)
                yield Label("Priority", classes="form-label")
                yield Select(PRIORITIES, value=data.priority, allow_blank=False, id="f-priority", compact=True)
                yield Label("Due", classes="form-label")
                yield Input(data.due.to_date_string() if data.due else "", id="f-due", compact=True,
                            placeholder="fri, tomorrow, +3d, 25 dec, 2026-12-25; empty: none")
                yield Label("Estimate", classes="form-label")
                yield Input(minutes_label(data.estimate_minutes), id="f-estimate", compact=True,
                            placeholder="90m, 2h, 1h30; empty: none")
                yield Label("Tags", classes="form-label")
                yield Input(" ".join(data.tags), id="f-tags", compact=True, placeholder="dev seo (kinds of work)")
                yield Label("Repeats", classes="form-label")
                yield Input(data.recurrence, id="f-recurrence", compact=True,
                            placeholder="daily, weekly, every 2 weeks, monthly, monthly:last, yearly")
                yield Label("Assignee", classes="form-label")
                assigned = data.assignee if isinstance(data.assignee, str) and data.assignee in self.people else NOBODY
                yield Select([(Text("nobody"), NOBODY), *((Text(n), n) for n in self.people)], value=assigned,
                             allow_blank=False, id="f-assignee", compact=True)
            yield Label("", id="form-due-hint", classes="form-hint")
            yield Label(Text(self.error), id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save ^s", id="form-save", variant="primary", compact=True)
                yield Button("Cancel esc", id="form-cancel", compact=True)

    def on_mount(self) -> None:
        self._due_hint(self.query_one("#f-due", Input).value)
        self.query_one("#f-title", Input).focus()

    # -- live hints -------------------------------------------------------------
    @on(Input.Changed, "#f-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self._due_hint(event.value)

    def _due_hint(self, value: str) -> None:
        hint = self.query_one("#form-due-hint", Label)
        try:
            due = parse_form_due(value)
        except InputError:
            hint.update(Text(f"due: {WHEN_HELP}"))
            return
        today = clock.today()
        hint.update(Text(f"due → {short_date(due, today)}" if due else "no due date"))

    # -- saving -----------------------------------------------------------------
    def read(self) -> TaskInput:
        """The form as a TaskInput, or InputError for the first bad field (which gets marked)."""
        def field(name: str):
            return self.query_one(f"#f-{name}")

        def check(name: str, fn: Callable[[], object]):
            try:
                return fn()
            except InputError:
                widget = field(name)
                widget.add_class("-invalid")
                widget.focus()
                raise

        def title() -> str:
            value = field("title").value.strip()
            if not value:
                raise InputError("title: a task needs a title")
            return value

        def project() -> int:
            value = field("project").value
            if value is Select.NULL or value is None:
                raise InputError("project: choose a project")
            return int(value)

        def estimate():
            text = field("estimate").value.strip()
            return parse_estimate(text) if text else None

        return TaskInput(
            title=check("title", title),
            project_id=check("project", project),
            status=str(field("status").value),
            priority=int(field("priority").value),
            due=check("due", lambda: parse_form_due(field("due").value)),
            estimate_minutes=check("estimate", estimate),
            tags=check("tags", lambda: parse_tags(field("tags").value)),
            recurrence=check("recurrence", lambda: validate_rule(field("recurrence").value)),
            assignee=str(field("assignee").value or "") or None,
        )

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


# -- flows: open the form, save through the domain ---------------------------------
def _refused(app, exc: Exception) -> str:
    return str(exc) if isinstance(exc, ClientdeskError) else f"database error: {exc}"


def add_task_flow(app, client_id: int, *, status: str = "todo", project_id: int | None = None,
                  on_saved: Callable[[TaskView], None] | None = None, initial: TaskInput | None = None,
                  error: str = "") -> None:
    """Open an empty form for this client's work and create the task it returns."""
    from clientdesk.domain.clients import list_projects
    from clientdesk.domain.people import team_names
    from clientdesk.domain.tasks import create_task

    try:
        projects = list_projects(client_id, active_only=True) or list_projects(client_id)
        people = team_names()
    except (ClientdeskError, *DATABASE_ERRORS) as exc:
        app.notify(_refused(app, exc), title="Cannot add", severity="error", markup=False)
        return
    if not projects:
        app.notify("this client has no project yet: P on its board adds one", title="Cannot add", severity="warning")
        return
    status = status if status in TASK_STATUSES else "todo"

    def save(data: TaskInput | None) -> None:
        if data is None:
            return

        def refused(exc: Exception) -> None:  # the form comes back with what was typed and why
            add_task_flow(app, client_id, status=status, project_id=project_id, on_saved=on_saved, initial=data,
                          error=_refused(app, exc))

        app.write(WriteJob(create_task, (data,), on_done=saved, on_refused=refused, notify_refusal=False))

    def saved(view: TaskView) -> None:
        app.notify(f"added '{view.title}' to {view.status}", markup=False)
        if on_saved is not None:
            on_saved(view)

    app.push_screen(TaskForm(projects, initial=initial, project_id=project_id, status=status, error=error,
                             people=people), save)


def edit_task_flow(app, task_id: int, *, initial: TaskInput | None = None, error: str | ClientdeskError = "",
                   on_saved: Callable[[TaskView], None] | None = None, seen_version: int | None = None) -> None:
    """Open the form on a task and save what it returns.

    The save is compared with the version the form first opened at
    (`seen_version` keeps it across a refusal and a reopening): when a teammate
    changed the task since, `conflict_flow` says who changed what and offers
    reload or overwrite, and a second save never overwrites them silently.
    """
    from clientdesk.domain.clients import list_projects
    from clientdesk.domain.people import team_names
    from clientdesk.domain.tasks import get_task, update_task
    from clientdesk.tui.flows import conflict_flow

    try:
        view = get_task(task_id)
        projects = list_projects(view.client_id)
        people = team_names()
    except (ClientdeskError, *DATABASE_ERRORS) as exc:
        app.notify(_refused(app, exc), title="Cannot edit", severity="error", markup=False)
        return
    version = view.version if seen_version is None else seen_version

    def save(data: TaskInput | None, at: int = version) -> None:
        if data is None:
            return

        def refused(exc: Exception) -> None:
            if isinstance(exc, RowConflict):
                conflict_flow(
                    app, exc,
                    reload=lambda: edit_task_flow(app, task_id, on_saved=on_saved),
                    overwrite=lambda: save(data, exc.version if exc.version is not None else at),
                    back=lambda: edit_task_flow(app, task_id, initial=data, error=exc, on_saved=on_saved,
                                                seen_version=at))
                return
            # the form comes back with what was typed and why, still against the version it opened at
            edit_task_flow(app, task_id, initial=data, error=_refused(app, exc), on_saved=on_saved, seen_version=at)

        app.write(WriteJob(update_task, (task_id, data), {"expect_version": at}, on_done=saved,
                           on_refused=refused, notify_refusal=False))

    def saved(task: TaskView) -> None:
        app.notify(f"saved '{task.title}'", markup=False)
        if on_saved is not None:
            on_saved(task)

    app.push_screen(TaskForm(projects, task=view, initial=initial, error=str(error), people=people), save)


__all__ = ["TaskForm", "add_task_flow", "edit_task_flow", "parse_tags"]
