"""The `?` screen: every key of the view below it and of the app, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from clientdesk.tui.keys import format_key


class HelpScreen(ModalScreen[None]):
    """Lists the bindings active on `target` (the view) and the app's own."""

    CSS_PATH = "../styles/help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help-close")]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        title = getattr(self.target, "VIEW_TITLE", "") or type(self.target).__name__
        with Vertical(id="help-box"):
            yield Label(Text(f"Keys · {title}", style="bold"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Label(Text("esc closes · keys can be rebound by id in config.toml [keymap]", style="dim"), id="help-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Where", "Id")
        seen = set()
        for key, active in self.target.active_bindings.items():
            binding = active.binding
            if not binding.description or (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            where = "everywhere" if active.node is self.app else (getattr(self.target, "VIEW_TITLE", "") or "this view")
            if active.node is not self.app and active.node is not self.target:
                where = f"{where}: {type(active.node).__name__}"
            table.add_row(Text(format_key(binding.key_display or key), style="bold"), Text(binding.description),
                          Text(where, style="dim"), Text(binding.id or "", style="dim"))
        table.focus()
