"""Board view (placeholder until its screen lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from clientdesk.tui.base import DeskScreen
from clientdesk.tui.widgets.view_header import ViewHeader


class BoardScreen(DeskScreen):
    VIEW_TITLE = "Board"

    def compose(self) -> ComposeResult:
        yield ViewHeader("Board")
        yield Static("The Board view is being built.")
        yield Footer(compact=True)

    def set_client(self, client_id: int) -> None:
        self.client_id = client_id
