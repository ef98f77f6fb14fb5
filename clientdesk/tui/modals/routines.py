"""Routines (`R` in the Planner): the list of recurring blocks, and the form that defines one.

Both write nothing. `RoutinesModal` returns what the user asked for (add, or
delete a routine); `RoutineForm` returns a `RoutineInput`. The Planner saves
through the domain and opens the list again, so `u` undoes as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from clientdesk.domain.errors import InputError
from clientdesk.domain.routines import RoutineView
from clientdesk.domain.planner import BLOCK_KINDS
from clientdesk.tui.modals.block_form import FORM_CSS, ClientChooser, ClientFieldsForm, hhmm, parse_hhmm, parse_length
from clientdesk.tui.text import minutes_label

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class RoutineInput:
    client_id: int
    weekday: int  # Monday = 0
    start_time: str  # HH:MM
    minutes: int
    every_weeks: int = 1
    kind: str = "focus"
    note: str = ""


@dataclass(frozen=True)
class RoutineRequest:
    """What the user asked for in the list: "add", or "delete" with the routine's id."""

    what: str
    routine_id: int | None = None


def routine_line(r: RoutineView) -> Text:
    """'every Mon 09:00-10:00  Acme · meeting · weekly call' (user text literal)."""
    line = Text(r.label, style="bold")
    line.append("  ")
    line.append(r.client)
    line.append(f" · {r.kind}", style="dim")
    extra = r.task or r.note
    if extra:
        line.append(" · ", style="dim")
        line.append(extra, style="italic")
    if not r.active:
        line.append(" (paused)", style="dim")
    return line


class RoutinesModal(ModalScreen[RoutineRequest | None]):
    """Every routine with its rule; `a` asks for a new one, `d` for deleting the highlighted one."""

    DEFAULT_CSS = """
    RoutinesModal { align: center middle; }
    RoutinesModal #routines-box {
        width: 84; max-width: 98%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    RoutinesModal #routines-title { text-style: bold; height: 1; margin-bottom: 1; }
    RoutinesModal #routines-list { height: auto; max-height: 20; border: none; padding: 0; }
    RoutinesModal #routines-empty { color: $text-muted; height: auto; }
    RoutinesModal #routines-hint { color: $text-muted; height: 1; margin-top: 1; }
    """

    BINDINGS = [
        Binding("a", "add", "Add routine", id="routine-add"),
        Binding("d,delete", "delete", "Delete routine", id="routine-delete"),
        Binding("escape,R", "close", "Close", id="routines-close"),
    ]

    def __init__(self, routines: Sequence[RoutineView], *, current: int | None = None) -> None:
        super().__init__()
        self.routines = list(routines)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="routines-box"):
            yield Label(Text(f"Routines · {len(self.routines)}"), id="routines-title")
            yield OptionList(*(Option(routine_line(r), id=str(r.id)) for r in self.routines), id="routines-list",
                             compact=True)
            if not self.routines:
                yield Label(Text("No routines yet: a adds one (e.g. every Monday 09:00 admin)."), id="routines-empty")
            yield Label(Text("a add · d delete (future blocks go, u undoes) · esc closes"), id="routines-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.routines:
            options.highlighted = next((n for n, r in enumerate(self.routines) if r.id == self.current), 0)

    def action_add(self) -> None:
        self.dismiss(RoutineRequest("add"))

    def action_delete(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.routines:
            self.notify("no routine to delete", severity="warning")
            return
        self.dismiss(RoutineRequest("delete", self.routines[index].id))

    def action_close(self) -> None:
        self.dismiss(None)


class RoutineForm(ClientFieldsForm[RoutineInput | None]):
    """Define a routine: client, weekday, start, length, every N weeks, kind, note."""

    DEFAULT_CSS = FORM_CSS.format(cls="RoutineForm")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="routine-form-cancel"),
        Binding("ctrl+s", "save", "Save", id="routine-form-save"),
        Binding("down", "client_move(1)", "Next client", show=False),
        Binding("up", "client_move(-1)", "Previous client", show=False),
    ]

    def __init__(self, clients: Sequence[tuple[int, str]], *, client_id: int | None = None, weekday: int = 0,
                 start_minute: int = 9 * 60, minutes: int = 60) -> None:
        super().__init__()
        self.clients = list(clients)
        self.client_id = client_id
        self.weekday = weekday
        self.start_minute = start_minute
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Label(Text("Add routine · laid into every week it falls in"), id="form-title")
            with Grid(id="form-grid"):
                yield Label("Client", classes="form-label")
                yield ClientChooser(self.clients, self.client_id, id="f-client")
                yield Label("Weekday", classes="form-label")
                yield Select([(Text(name), n) for n, name in enumerate(WEEKDAY_NAMES)], value=self.weekday,
                             allow_blank=False, id="f-weekday", compact=True)
                yield Label("Start", classes="form-label")
                yield Input(hhmm(self.start_minute), id="f-start", compact=True, placeholder="HH:MM")
                yield Label("Length", classes="form-label")
                yield Input(minutes_label(self.minutes), id="f-length", compact=True, placeholder="30m, 1h, 1h30")
                yield Label("Every", classes="form-label")
                yield Input("1", id="f-every", compact=True, placeholder="weeks: 1 weekly, 2 every other week")
                yield Label("Kind", classes="form-label")
                yield Select([(Text(k), k) for k in BLOCK_KINDS], value="focus", allow_blank=False, id="f-kind",
                             compact=True)
                yield Label("Note", classes="form-label")
                yield Input("", id="f-note", compact=True, placeholder="e.g. admin, weekly call")
            yield Label("", id="form-error")
            yield Label(Text("type to filter · ↑↓ client · tab next · enter saves · esc cancels"),
                        id="form-hint")

    def on_mount(self) -> None:
        self.query_one(ClientChooser).filter_input.focus()

    def action_client_move(self, step: int) -> None:
        chooser = self.query_one(ClientChooser)
        if self.focused is chooser.filter_input:
            chooser.move(step)

    @on(ClientChooser.Changed)
    def _client_changed(self, event: ClientChooser.Changed) -> None:
        event.stop()

    def read(self) -> RoutineInput:
        client_id = self.chosen_client()
        check = self.check

        def every(text: str) -> int:
            text = text.strip() or "1"
            if not text.isdigit() or not 1 <= int(text) <= 52:
                raise InputError(f"every: a number of weeks from 1 to 52: {text}")
            return int(text)

        start = check("#f-start", parse_hhmm)
        return RoutineInput(
            client_id=client_id,
            weekday=int(self.query_one("#f-weekday", Select).value),
            start_time=hhmm(start),
            minutes=check("#f-length", parse_length),
            every_weeks=check("#f-every", every),
            kind=str(self.query_one("#f-kind", Select).value),
            note=self.query_one("#f-note", Input).value.strip(),
        )

__all__ = ["RoutinesModal", "RoutineForm", "RoutineInput", "RoutineRequest", "routine_line"]
