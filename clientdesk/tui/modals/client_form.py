"""The one-letter picker behind "l" (log an entry in two keys); it returns the kind and writes nothing.

The client's own form is the generated one (`entity_form.py`, opened by `tui/flows.py`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


#: the second key after `l`, and the kind of entry it logs
LOG_KIND_KEYS = {"c": "call", "e": "email", "m": "meeting", "i": "check-in", "n": "note", "d": "decision"}


class LogKindPicker(ModalScreen[str | None]):
    """`l` opened this: one letter picks the kind of log entry, esc cancels."""

    CSS_PATH = "../styles/client.tcss"
    BINDINGS = [Binding("escape,l", "dismiss(None)", "Cancel", id="log-kind-cancel")] + [
        Binding(key, f"dismiss('{kind}')", kind.capitalize(), id=f"log-kind-{kind}") for key, kind in LOG_KIND_KEYS.items()
    ]

    def compose(self) -> ComposeResult:
        line = Text.assemble(("Log a ", "bold"))
        for i, (key, kind) in enumerate(LOG_KIND_KEYS.items()):
            if i:
                line.append(" · ", style="dim")
            line.append(key, style="bold #5fafd7")
            line.append(f" {kind}")
        line.append("   esc cancels", style="dim")
        with Vertical(id="log-kind-box"):
            yield Label(line)
