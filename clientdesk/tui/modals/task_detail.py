"""A task's detail: every field, and the triage score broken into its terms."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from clientdesk import clock
from clientdesk.domain.tasks import TaskView
from clientdesk.safe_text import terminal_safe
from clientdesk.tui.text import minutes_label, short_date


def logged_line(logged: int | None, estimate: int | None) -> Text:
    """'2h30 logged of 4h estimated (63%)', red past the estimate."""
    text = Text(minutes_label(logged or 0) or "0m", style="bold")
    text.append(" logged")
    if estimate:
        share = (logged or 0) / estimate
        text.append(f" of {minutes_label(estimate)} estimated ", style="dim")
        text.append(f"({share:.0%})", style="bold #b03a2e" if share > 1 else ("#d4a017" if share > 0.8 else "dim"))
    return text


def task_detail_renderable(task: TaskView, logged_minutes: int | None = None,
                           activity: list[str] | None = None) -> Table:
    """The detail as a Rich table: user text stays literal."""
    today = clock.today()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", justify="right")
    grid.add_column()
    grid.add_row("Task", Text(task.title, style="bold"))
    grid.add_row("Client", Text(task.client))
    grid.add_row("Project", Text(task.project))
    grid.add_row("Status", Text(task.status))
    grid.add_row("Priority", Text(f"p{task.priority}"))
    grid.add_row("Assignee", Text(task.assignee or "nobody", style="" if task.assignee else "dim"))
    due = Text(short_date(task.due, today) or "—")
    if task.overdue_on(today):
        due.append(f"  overdue {(today - task.due).days}d", style="bold #b03a2e")
    grid.add_row("Due", due)
    grid.add_row("Estimate", Text(minutes_label(task.estimate_minutes) or "—"))
    if logged_minutes is not None:
        grid.add_row("Logged", logged_line(logged_minutes, task.estimate_minutes))
    grid.add_row("Tags", Text(" ".join(f"#{t}" for t in task.tags) or "—"))
    if task.recurrence:
        grid.add_row("Repeats", Text(task.recurrence))
    if task.change_request_id:
        grid.add_row("From", Text(f"change request #{task.change_request_id}"))
    grid.add_row("Created", Text(task.created.in_timezone(clock.local_tz()).format("D MMM YYYY HH:mm")))
    if task.notes:
        grid.add_row("Notes", Text(terminal_safe(task.notes)))
    if activity:
        grid.add_row("History", Text("\n".join(activity)))
    if task.score is not None:
        grid.add_row("", "")
        score = Table(title=None, box=None, padding=(0, 1), show_header=True, header_style="bold")
        score.add_column("term")
        score.add_column("why")
        score.add_column("points", justify="right")
        for term in task.score.terms:
            score.add_row(term.name, Text(term.label), f"{term.points:.2f}")
        score.add_row(Text("total", style="bold"), Text(task.score.explanation, style="italic"),
                      Text(f"{task.score.total:.2f}", style="bold"))
        grid.add_row("Triage", score)
    return grid


class TaskDetailModal(ModalScreen[str | None]):
    """Shows one task; returns 'edit' when the user asks to edit it."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss(None)", "Close", id="detail-close"),
        Binding("e", "dismiss('edit')", "Edit", id="detail-edit"),
    ]

    def __init__(self, task: TaskView, logged_minutes: int | None = None, activity: list[str] | None = None) -> None:
        super().__init__()
        self.task_view = task
        self.logged_minutes = logged_minutes
        self.activity = activity

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="task-detail"):
            yield Static(task_detail_renderable(self.task_view, self.logged_minutes, self.activity))
