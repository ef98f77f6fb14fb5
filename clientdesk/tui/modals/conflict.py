"""A save refused because a teammate changed the row since the form opened: reload, overwrite, or go back.

Nothing is overwritten silently: the modal says who changed which fields
(the domain's `RowConflict` message) and waits for one key. `r` reloads the
row as it is now (what was typed is dropped), `o` saves what was typed over
the teammate's change (on purpose, so it is undoable like any save), and
`esc` goes back to the form with what was typed, still against the version
it opened at (saving again is refused again).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from clientdesk.safe_text import terminal_safe

RELOAD, OVERWRITE, BACK = "reload", "overwrite", "back"


class ConflictModal(ModalScreen[str]):
    """Dismisses with RELOAD, OVERWRITE or BACK."""

    CSS_PATH = "../styles/forms.tcss"
    BINDINGS = [
        Binding("r", "choose('reload')", "Reload theirs", id="conflict-reload"),
        Binding("o", "choose('overwrite')", "Overwrite with mine", id="conflict-overwrite"),
        Binding("escape", "choose('back')", "Back to the form", id="conflict-back"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Label(Text("Changed by someone else since you opened it", style="bold"), id="conflict-title")
            yield Label(Text(terminal_safe(self.message)), id="conflict-detail")
            yield Label(Text.assemble(("r", "bold"), " reload theirs (drops what you typed) · ",
                                      ("o", "bold"), " overwrite with yours · ", ("esc", "bold"), " back to the form"),
                        id="conflict-hint")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


__all__ = ["BACK", "ConflictModal", "OVERWRITE", "RELOAD"]
