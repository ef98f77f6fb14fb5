"""Planner view (placeholder until its screen lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from clientdesk.tui.base import DeskScreen
from clientdesk.tui.widgets.view_header import ViewHeader


class PlannerScreen(DeskScreen):
    VIEW_TITLE = "Planner"

    def compose(self) -> ComposeResult:
        yield ViewHeader("Planner")
        yield Static("The Planner view is being built.")
        yield Footer(compact=True)

    def set_client(self, client_id: int) -> None:
        self.client_id = client_id
