"""Client detail (placeholder until its screen lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from clientdesk.tui.base import DeskScreen


class ClientScreen(DeskScreen):
    VIEW_TITLE = "Client"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="client-back")]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        yield Static("The client detail is being built.")
        yield Footer(compact=True)
