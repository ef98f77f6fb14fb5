"""The time-entry form behind `T` (log time by hand) and `e` on an entry: it
validates and returns an EntryInput, and writes nothing (the caller saves)."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from clientdesk import clock
from clientdesk.domain.errors import InputError
from clientdesk.domain.parse import parse_time_spent
from clientdesk.domain.time_entries import EntryInput, EntryView, duration_text, parse_log_day
from clientdesk.tui.modals.form_base import CheckedForm

NO_TASK = 0


@dataclass(frozen=True)
class EntryChoices:
    """What the form offers: the clients, and each client's open tasks (read before it opens)."""

    clients: list[tuple[int, str]]
    tasks: dict[int, list[tuple[int, str]]]


def read_choices(include_task: int | None = None) -> EntryChoices:
    """Active clients and their open tasks (plus `include_task`, even when done)."""
    from clientdesk.domain.clients import list_clients
    from clientdesk.domain.time_entries import open_tasks_by_client

    clients = [(c.id, c.name) for c in list_clients()]
    return EntryChoices(clients, open_tasks_by_client(include_task))


class TimeEntryForm(CheckedForm[EntryInput | None]):
    """Duration first (`1h30`, `90m`, `1,5h`, `0`), then client, task, day, start, note, billable."""

    ERROR_LABEL = "#entry-form-error"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]
    DEFAULT_CSS = """
    TimeEntryForm { align: center middle; }
    TimeEntryForm .form-box { width: 76; max-width: 95%; height: auto; max-height: 95%; border: thick $accent;
                              background: $surface; padding: 1 2; }
    TimeEntryForm .form-title { height: 1; margin-bottom: 1; }
    TimeEntryForm .form-grid { grid-size: 2; grid-columns: 12 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto; }
    TimeEntryForm .form-label { color: $text-muted; width: 100%; text-align: right; }
    TimeEntryForm .form-error { color: $error; height: auto; margin-top: 1; }
    TimeEntryForm .form-hint { color: $text-muted; height: 1; }
    TimeEntryForm Input, TimeEntryForm Select > SelectCurrent { background: $boost; }
    TimeEntryForm Input:focus { background: $primary 30%; }
    TimeEntryForm Checkbox { height: 1; border: none; padding: 0; background: $surface; }
    """

    def __init__(self, choices: EntryChoices, *, client_id: int | None = None, task_id: int | None = None,
                 day: pendulum.Date | None = None, entry: EntryView | None = None) -> None:
        super().__init__()
        self.choices = choices
        self.entry = entry
        if entry is not None:
            client_id, task_id, day = entry.client_id, entry.task_id, entry.local_start.date()
        known = [cid for cid, _ in choices.clients]
        self.client_id = client_id if client_id in known else (known[0] if known else None)
        self.task_id = task_id
        self.day = day or clock.today()

    def _task_options(self, client_id: int | None) -> list[tuple[str, int]]:
        tasks = self.choices.tasks.get(client_id or -1, [])
        return [("(no task)", NO_TASK)] + [(title, tid) for tid, title in tasks]

    def compose(self) -> ComposeResult:
        e = self.entry
        with Vertical(classes="form-box"):
            yield Label(Text("Edit time entry" if e else "Log time", style="bold"), classes="form-title")
            with Grid(classes="form-grid"):
                yield Label("Duration", classes="form-label")
                yield Input(duration_text(e.minutes) if e else "", placeholder="1h30, 90m, 1,5h, 0",
                            id="entry-duration", compact=True)
                yield Label("Client", classes="form-label")
                yield Select([(name, cid) for cid, name in self.choices.clients], value=self.client_id,
                             allow_blank=self.client_id is None, id="entry-client", compact=True)
                yield Label("Task", classes="form-label")
                options = self._task_options(self.client_id)
                value = self.task_id if any(v == self.task_id for _, v in options) else NO_TASK
                yield Select(options, value=value, allow_blank=False, id="entry-task", compact=True)
                yield Label("Day", classes="form-label")
                yield Input(self.day.to_date_string(), placeholder="today, yesterday, fri, -2d, 2026-11-20",
                            id="entry-day", compact=True)
                yield Label("Start", classes="form-label")
                yield Input(e.local_start.format("HH:mm") if e else "", placeholder="HH:MM (empty: 09:00)",
                            id="entry-start", compact=True)
                yield Label("Note", classes="form-label")
                yield Input(e.note if e else "", placeholder="what was done", id="entry-note", compact=True)
                yield Label("", classes="form-label")
                yield Checkbox("billable", e.billable if e else True, id="entry-billable", compact=True)
            yield Label("", id="entry-form-error", classes="form-error")
            yield Label("enter or ctrl+s saves · tab next field · esc cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#entry-duration", Input).focus()

    @on(Select.Changed, "#entry-client")
    def _client_changed(self, event: Select.Changed) -> None:
        client_id = event.value if isinstance(event.value, int) else None
        self.query_one("#entry-task", Select).set_options(self._task_options(client_id))

    def _text(self, name: str) -> str:
        return self.query_one(f"#entry-{name}", Input).value.strip()

    def read(self) -> EntryInput:
        minutes = parse_time_spent(self._text("duration"))
        client = self.query_one("#entry-client", Select).value
        if not isinstance(client, int):
            raise InputError("client: choose the client the time was for")
        task = self.query_one("#entry-task", Select).value
        day = parse_log_day(self._text("day"))
        start = self._text("start")
        start_time = None
        if start:
            hh, sep, mm = start.partition(":")
            if not sep or not hh.isdigit() or not mm.isdigit() or int(hh) > 23 or int(mm) > 59:
                raise InputError(f"start: not a time of day (HH:MM): {start}")
            start_time = (int(hh), int(mm))
        return EntryInput(client, minutes, day, task if isinstance(task, int) and task != NO_TASK else None,
                          self._text("note"), self.query_one("#entry-billable", Checkbox).value, start_time)
