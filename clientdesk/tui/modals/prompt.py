"""A one-line question (a due date, a reason, a search) with an inline error."""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from clientdesk.domain.errors import ClientdeskError


class PromptModal(ModalScreen[Any]):
    """Asks for one value; `parse` turns the text into the result or raises an error shown inline."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(self, question: str, *, value: str = "", placeholder: str = "",
                 parse: Callable[[str], Any] | None = None, hint: str = "",
                 preview: Callable[[str], str] | None = None) -> None:
        """`preview(text)`, when given, says under the field what the text reads as, while it is typed."""
        super().__init__()
        self.question = question
        self.initial = value
        self.placeholder = placeholder
        self.parse = parse or (lambda text: text)
        self.hint = hint
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Label(Text(self.question), id="prompt-question")
            yield Input(value=self.initial, placeholder=self.placeholder, id="prompt-input")
            if self.preview is not None:
                yield Label(Text(self.preview(self.initial)), id="prompt-preview")
            yield Label(Text(self.hint), id="prompt-hint")
            yield Label("", id="prompt-error", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.preview is not None:
            self.query_one("#prompt-preview", Label).update(Text(self.preview(event.value)))
            self.query_one("#prompt-error", Label).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            result = self.parse(event.value)
        except ClientdeskError as exc:
            self.query_one("#prompt-error", Label).update(str(exc))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
