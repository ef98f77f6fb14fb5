"""The block form (`a` and `e` in the Planner) and the check-in picker (`c`).

`BlockForm` validates inline and returns a `BlockInput`; it writes nothing.
The client is picked from a list that narrows as you type; the task list of
the chosen client comes from a loader the screen hands in, run in a thread
worker so the form never waits on the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence

import pendulum
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from clientdesk import clock
from clientdesk.domain.errors import InputError
from clientdesk.domain.planner import BLOCK_KINDS
from clientdesk.tui.modals.form_base import CheckedForm, FormResult
from clientdesk.tui.notices import say_refusal
from clientdesk.tui.text import minutes_label

NO_TASK = 0
_LENGTH_RE = re.compile(r"^(?:(\d+(?:[.,]\d+)?)\s*h)?\s*(?:(\d+)\s*m?)?$")
_HHMM_RE = re.compile(r"^(\d{1,2})[:h.]?(\d{2})$")

#: what loads a client's open tasks as (id, title), best first; run in a worker thread
TaskLoader = Callable[[int], Sequence[tuple[int, str]]]


def parse_length(text: str, what: str = "length") -> int:
    """'90', '90m', '1h', '1h30', '1.5h', '1:30' -> minutes (1 .. 24h)."""
    raw = text.strip().lower().replace(" ", "")
    minutes = None
    if ":" in raw:
        h, _, m = raw.partition(":")
        if h.isdigit() and m.isdigit() and len(m) == 2:
            minutes = int(h) * 60 + int(m)
    else:
        match = _LENGTH_RE.match(raw)
        if raw and match and (match[1] or match[2]):
            hours = float(match[1].replace(",", ".")) if match[1] else 0.0
            minutes = round(hours * 60) + (int(match[2]) if match[2] else 0)
    if minutes is None:
        raise InputError(f"{what}: not a length (90m, 1h, 1h30): {text}")
    if not 0 < minutes <= 24 * 60:
        raise InputError(f"{what}: between 1 minute and 24 hours: {text}")
    return minutes


def parse_hhmm(text: str, what: str = "start") -> int:
    """'09:30', '9:30', '0930' -> minutes after midnight."""
    match = _HHMM_RE.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"{what}: not a time of day (HH:MM): {text}")
    return int(match[1]) * 60 + int(match[2])


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class BlockInput:
    """What the form gives back: the caller saves it."""

    client_id: int
    task_id: int | None
    kind: str
    start: pendulum.DateTime  # local
    minutes: int
    note: str = ""

    @property
    def end(self) -> pendulum.DateTime:
        return self.start.add(minutes=self.minutes)


class ClientChooser(Vertical):
    """A filter line over a list of clients; the highlighted client is the choice. Posts `Changed`."""

    DEFAULT_CSS = """
    ClientChooser { height: auto; }
    ClientChooser #chooser-filter { margin: 0; }
    ClientChooser #chooser-list { height: auto; max-height: 6; border: none; padding: 0; }
    """

    class Changed(Message):
        def __init__(self, chooser: "ClientChooser", client_id: int | None) -> None:
            super().__init__()
            self.chooser = chooser
            self.client_id = client_id

    def __init__(self, clients: Sequence[tuple[int, str]], current: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.clients = list(clients)
        self.current = current
        self._shown: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to filter clients", id="chooser-filter", compact=True)
        yield OptionList(id="chooser-list", compact=True)

    def on_mount(self) -> None:
        self._refill("")

    @property
    def filter_input(self) -> Input:
        return self.query_one("#chooser-filter", Input)

    @property
    def client_id(self) -> int | None:
        options = self.query_one("#chooser-list", OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index][0]

    def _refill(self, needle: str) -> None:
        words = needle.casefold().split()
        self._shown = [(cid, name) for cid, name in self.clients if all(w in name.casefold() for w in words)]
        options = self.query_one("#chooser-list", OptionList)
        options.set_options(Option(Text(name), id=str(cid)) for cid, name in self._shown)
        if self._shown:
            keep = self.current if self.current in {cid for cid, _ in self._shown} else self._shown[0][0]
            options.highlighted = next(i for i, (cid, _) in enumerate(self._shown) if cid == keep)
        self._changed()

    def _changed(self) -> None:
        client_id = self.client_id
        if client_id is not None:
            self.current = client_id
        self.post_message(self.Changed(self, client_id))

    @on(Input.Changed, "#chooser-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._refill(event.value)

    @on(OptionList.OptionHighlighted, "#chooser-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._changed()

    @on(OptionList.OptionSelected, "#chooser-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.screen.focus_next()

    def move(self, step: int) -> None:
        options = self.query_one("#chooser-list", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, current + step))


FORM_CSS = """
{cls} {{ align: center middle; }}
{cls} #form-box {{
    width: 72; max-width: 98%; height: auto; max-height: 98%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{cls} #form-title {{ text-style: bold; height: 1; margin-bottom: 1; }}
{cls} #form-grid {{ grid-size: 2; grid-columns: 10 1fr; grid-rows: auto; grid-gutter: 0 1; height: auto; }}
{cls} .form-label {{ width: 100%; text-align: right; color: $text-muted; height: 1; }}
{cls} Input.-invalid {{ background: $error 25%; }}
{cls} #form-error {{ color: $error; height: auto; min-height: 1; margin-top: 1; }}
{cls} #form-hint {{ color: $text-muted; height: 1; }}
"""


class ClientFieldsForm(CheckedForm[FormResult]):
    """What the block and routine forms share: a client chooser, fields checked
    on save with the first bad one marked, enter saves, esc cancels."""

    def chosen_client(self) -> int:
        chooser = self.query_one(ClientChooser)
        if chooser.client_id is None:
            chooser.filter_input.add_class("-invalid")
            chooser.filter_input.focus()
            raise InputError("client: no client matches")
        return chooser.client_id

    def check(self, widget_id: str, parse):
        """`parse` of the field's text; on InputError the field is marked and focused."""
        widget = self.query_one(widget_id, Input)
        try:
            return parse(widget.value)
        except InputError:
            widget.add_class("-invalid")
            widget.focus()
            raise


class BlockForm(ClientFieldsForm[BlockInput | None]):
    """Add or edit a time block. Returns the BlockInput to save, or None when cancelled."""

    DEFAULT_CSS = FORM_CSS.format(cls="BlockForm")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="block-form-cancel"),
        Binding("ctrl+s", "save", "Save", id="block-form-save"),
        Binding("down", "client_move(1)", "Next client", show=False),
        Binding("up", "client_move(-1)", "Previous client", show=False),
    ]

    def __init__(self, clients: Sequence[tuple[int, str]], day: pendulum.Date, start_minute: int, *,
                 tasks: TaskLoader | None = None, initial: BlockInput | None = None, client_id: int | None = None,
                 task_title: str | None = None, minutes: int = 60, title: str = "") -> None:
        super().__init__()
        self.clients = list(clients)
        self.day = day
        self.start_minute = start_minute
        self.tasks_loader = tasks
        self.initial = initial
        self.client_id = initial.client_id if initial else client_id
        self.task_title = task_title
        self.minutes = initial.minutes if initial else minutes
        self.heading = title or ("Edit block" if initial else "Add block")
        self._task_options: dict[int, list[tuple[int, str]]] = {}

    def compose(self) -> ComposeResult:
        data = self.initial
        kind = data.kind if data else "focus"
        task_options = [(Text("— no task —", style="dim"), NO_TASK)]
        if data and data.task_id:
            task_options.append((Text(self.task_title or f"task {data.task_id}"), data.task_id))
        with Vertical(id="form-box"):
            yield Label(Text(f"{self.heading} · {self.day.format('ddd D MMM YYYY')}"), id="form-title")
            with Grid(id="form-grid"):
                yield Label("Client", classes="form-label")
                yield ClientChooser(self.clients, self.client_id, id="f-client")
                yield Label("Task", classes="form-label")
                yield Select(task_options, value=data.task_id if data and data.task_id else NO_TASK,
                             allow_blank=False, id="f-task", compact=True)
                yield Label("Kind", classes="form-label")
                yield Select([(Text(k), k) for k in BLOCK_KINDS], value=kind, allow_blank=False, id="f-kind",
                             compact=True)
                yield Label("Start", classes="form-label")
                yield Input(hhmm(self.start_minute), id="f-start", compact=True, placeholder="HH:MM")
                yield Label("Length", classes="form-label")
                yield Input(minutes_label(self.minutes), id="f-length", compact=True, placeholder="30m, 1h, 1h30")
                yield Label("Note", classes="form-label")
                yield Input(data.note if data else "", id="f-note", compact=True, placeholder="optional")
            yield Label("", id="form-error")
            yield Label(Text("type to filter · ↑↓ client · tab next · enter saves · esc cancels"),
                        id="form-hint")

    def on_mount(self) -> None:
        self.query_one(ClientChooser).filter_input.focus()

    # -- the chosen client's tasks ------------------------------------------------
    @on(ClientChooser.Changed)
    def _client_changed(self, event: ClientChooser.Changed) -> None:
        event.stop()
        if event.client_id is None or self.tasks_loader is None:
            return
        if event.client_id in self._task_options:
            self._set_tasks(event.client_id, self._task_options[event.client_id])
        else:
            self._load_tasks(event.client_id)

    @work(thread=True, exclusive=True, group="block-form-tasks", exit_on_error=False)
    def _load_tasks(self, client_id: int) -> None:
        try:
            tasks = list(self.tasks_loader(client_id))
        except Exception as exc:  # the form still works without a task list
            self.app.call_from_thread(say_refusal, self, f"cannot list tasks: {exc}", severity="warning")
            return
        self.app.call_from_thread(self._set_tasks, client_id, tasks)

    def _set_tasks(self, client_id: int, tasks: list[tuple[int, str]]) -> None:
        self._task_options[client_id] = tasks
        if self.query_one(ClientChooser).client_id != client_id:
            return
        select = self.query_one("#f-task", Select)
        keep = select.value if select.value is not Select.NULL else NO_TASK
        options = [(Text("— no task —", style="dim"), NO_TASK)] + [(Text(title), tid) for tid, title in tasks]
        initial = self.initial
        if initial and initial.task_id and initial.client_id == client_id and all(t != initial.task_id for t, _ in tasks):
            options.append((Text(self.task_title or f"task {initial.task_id}"), initial.task_id))
        select.set_options(options)
        ids = {value for _, value in options}
        select.value = keep if keep in ids else NO_TASK

    # -- keys -------------------------------------------------------------------
    def action_client_move(self, step: int) -> None:
        chooser = self.query_one(ClientChooser)
        if self.focused is chooser.filter_input:
            chooser.move(step)
        elif self.focused is not None and hasattr(self.focused, "action_cursor_down"):
            getattr(self.focused, "action_cursor_down" if step > 0 else "action_cursor_up")()

    def read(self) -> BlockInput:
        """The form as a BlockInput, or InputError for the first bad field (which gets marked)."""
        client_id = self.chosen_client()
        check = self.check

        start_minute = check("#f-start", parse_hhmm)
        minutes = check("#f-length", parse_length)
        task = self.query_one("#f-task", Select).value
        start = pendulum.datetime(self.day.year, self.day.month, self.day.day, start_minute // 60, start_minute % 60,
                                  tz=clock.local_tz())
        return BlockInput(
            client_id=client_id,
            task_id=int(task) if task not in (Select.NULL, None, NO_TASK) else None,
            kind=str(self.query_one("#f-kind", Select).value),
            start=start,
            minutes=minutes,
            note=self.query_one("#f-note", Input).value.strip(),
        )

class CheckinPicker(ModalScreen[int | None]):
    """Pick one of the week's check-ins (by client id) to book as a meeting at the cursor."""

    DEFAULT_CSS = """
    CheckinPicker { align: center middle; }
    CheckinPicker #picker-box {
        width: 64; max-width: 98%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CheckinPicker #picker-title { text-style: bold; height: auto; margin-bottom: 1; }
    CheckinPicker #picker-list { height: auto; max-height: 16; border: none; padding: 0; }
    CheckinPicker #picker-hint { color: $text-muted; height: 1; margin-top: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="checkin-picker-cancel")]

    def __init__(self, title: str, items: Sequence[tuple[Hashable, Text]], *, current: Hashable | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(Text(self.title_text), id="picker-title")
            yield OptionList(*(Option(label, id=str(n)) for n, (_, label) in enumerate(self.items)), id="picker-list",
                             compact=True)
            yield Label(Text("↑↓ choose · enter books it · esc cancels"), id="picker-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.items:
            options.highlighted = next((n for n, (key, _) in enumerate(self.items) if key == self.current), 0)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.items[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["BlockForm", "BlockInput", "CheckinPicker", "ClientChooser", "parse_length", "parse_hhmm", "hhmm", "FORM_CSS"]
