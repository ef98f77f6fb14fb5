"""The app's top-level views in one list: mode, key, title and screen class.

The app builds its modes, its view keys (`1`-`5`), their palette commands
and the `?` screen's "other views" from this list, so a new view is one line
here. Screens are named by import path and loaded when first needed (the
first view's import is the only one paid at launch).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class View:
    mode: str
    key: str
    title: str
    blurb: str  # what the palette says of it
    screen: str  # "package.module:Class"

    def screen_class(self):
        return screen_class(self.screen)

    def make(self):
        return self.screen_class()()


VIEWS = (
    View("overview", "1", "Overview", "Every client's health and the Today list", "clientdesk.tui.screens.overview:OverviewScreen"),
    View("board", "2", "Board", "The board of the current client", "clientdesk.tui.screens.board:BoardScreen"),
    View("planner", "3", "Planner", "The week's time blocks", "clientdesk.tui.screens.planner:PlannerScreen"),
    View("changes", "4", "Changes", "The change-request queue", "clientdesk.tui.screens.changes:ChangesScreen"),
    View("timesheet", "5", "Timesheet", "The week's logged time, billing", "clientdesk.tui.screens.timesheet:TimesheetScreen"),
)

# Screens opened over a view (not modes), listed in `?` with the views' keys.
OTHER_SCREENS = (("Client detail", "clientdesk.tui.screens.client:ClientScreen"),)


def screen_class(path: str):
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


__all__ = ["OTHER_SCREENS", "VIEWS", "View", "screen_class"]
