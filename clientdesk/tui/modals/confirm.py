"""The one-key confirmation before a delete: y (or enter) does it, anything else keeps everything."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmModal(ModalScreen[bool]):
    """Asks once; dismisses True for y or enter, False for any other key (esc, n ...)."""

    CSS_PATH = "../styles/forms.tcss"

    def __init__(self, question: str, detail: str = "", *, yes: str = "delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(Text(self.question), id="confirm-question")
            if self.detail:
                yield Label(Text(self.detail), id="confirm-detail")
            yield Label(Text.assemble(("y", "bold"), f" {self.yes} · ", ("any other key", "bold"), " keeps it · u undoes"),
                        id="confirm-hint")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(event.key in ("y", "enter"))
