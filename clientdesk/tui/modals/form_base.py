"""What every form shares: `read()` validates and returns the result (raising
an error for the first bad field, shown in the form), enter saves, esc cancels, and a field
loses its error mark as soon as it is edited."""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from clientdesk.domain.errors import ClientdeskError

FormResult = TypeVar("FormResult")


class CheckedForm(ModalScreen[FormResult]):
    """A form that writes nothing: it dismisses with what `read()` returns, or None."""

    #: the Label that shows why the form cannot be saved
    ERROR_LABEL = "#form-error"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def read(self) -> FormResult:  # pragma: no cover - overridden
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            data = self.read()
        except ClientdeskError as exc:
            self.query_one(self.ERROR_LABEL, Label).update(Text(str(exc)))
            return
        self.dismiss(data)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Input.Changed)
    def _clear_invalid(self, event: Input.Changed) -> None:
        self.field_edited(event.input, event.value)

    def field_edited(self, field: Input, value: str) -> None:
        """A field was typed in: its error mark goes (a form may keep it longer)."""
        field.remove_class("-invalid")
