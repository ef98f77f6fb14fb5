"""The clientdesk App: four views as modes, app-wide keys, undo/redo, the palette."""

from __future__ import annotations

from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain import journal
from clientdesk.domain.errors import ClientdeskError
from clientdesk.tui.commands import ClientCommands
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.screens.overview import OverviewScreen
from clientdesk.tui.timer_clock import TimerClock

MODE_KEYS = {"overview": "1", "board": "2", "planner": "3", "changes": "4", "timesheet": "5"}


def _board() -> Screen:
    from clientdesk.tui.screens.board import BoardScreen

    return BoardScreen()


def _planner() -> Screen:
    from clientdesk.tui.screens.planner import PlannerScreen

    return PlannerScreen()


def _changes() -> Screen:
    from clientdesk.tui.screens.changes import ChangesScreen

    return ChangesScreen()


def _timesheet() -> Screen:
    from clientdesk.tui.screens.timesheet import TimesheetScreen

    return TimesheetScreen()


class ClientdeskApp(App):
    """One desk for every client."""

    TITLE = "clientdesk"
    # The first view's rules are read with the app's: a screen's own CSS_PATH makes
    # Textual parse every stylesheet again when the screen first shows (~5 ms of the
    # launch). The other views keep theirs, read when they are first shown.
    CSS_PATH = ["styles/app.tcss", "styles/overview.tcss"]
    # The first view is imported at start; the others when first shown (faster launch).
    MODES = {"overview": OverviewScreen, "board": _board, "planner": _planner, "changes": _changes,
             "timesheet": _timesheet}
    COMMANDS = App.COMMANDS | {ClientCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("1", "goto('overview')", "Overview", id="go-overview", show=False),
        Binding("2", "goto('board')", "Board", id="go-board", show=False),
        Binding("3", "goto('planner')", "Planner", id="go-planner", show=False),
        Binding("4", "goto('changes')", "Changes", id="go-changes", show=False),
        Binding("5", "goto('timesheet')", "Timesheet", id="go-timesheet", show=False),
        Binding("t", "timer", "Timer", id="timer", tooltip="Start the timer on this task or client; again stops it"),
        Binding("T", "log_time", "Log time", id="log-time", tooltip="Log time by hand: duration, day, note, billable"),
        Binding("question_mark", "help", "Keys", id="help"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("U", "redo", "Redo", id="redo", show=False),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, *, mode: str = "overview", client_id: int | None = None, keymap: dict[str, str] | None = None,
                 settings=None) -> None:
        # Start in the first view's mode itself, not in Textual's blank default screen
        # switched away from on mount: that switch made a full render inside the
        # start-up batch, thrown away, and resumed the view twice (launch time).
        self.DEFAULT_MODE = mode
        super().__init__()
        self.initial_mode = mode
        self.client_id = client_id  # the Board's client; None: the Board takes the first active one
        self.user_keymap = keymap or {}
        self.settings = settings
        self.early_overview = None  # a Future of OverviewData started by the command line
        self.timer_clock = TimerClock(self)  # the running timer, as every header shows it

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.timer_clock.start()

    # -- navigation -------------------------------------------------------------
    def action_goto(self, mode: str) -> None:
        self.switch_mode(mode)

    def open_board(self, client_id: int) -> None:
        """The board of one client (separation: only that client in view)."""
        self.client_id = client_id
        self.switch_mode("board")
        screen = self.screen
        if hasattr(screen, "set_client"):
            screen.set_client(client_id)

    def open_client(self, client_id: int) -> None:
        from clientdesk.tui.screens.client import ClientScreen

        self.client_id = client_id
        self.push_screen(ClientScreen(client_id))

    def open_task(self, task_id: int) -> None:
        """The task detail, with its triage score explained; `e` there edits."""
        from clientdesk.domain.tasks import get_task
        from clientdesk.tui.modals.task_detail import TaskDetailModal

        from clientdesk.domain.burn import logged_minutes_by_task

        try:
            view = get_task(task_id)
            logged = logged_minutes_by_task([task_id]).get(task_id, 0)
        except ClientdeskError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return

        def after(result: str | None) -> None:
            if result == "edit":
                self.edit_task(task_id)

        self.push_screen(TaskDetailModal(view, logged), after)

    def new_task(self, client_id: int) -> None:
        """The task form for a client, from anywhere (the palette's 'task: new task for X')."""
        from clientdesk.tui.modals.task_form import add_task_flow

        self.client_id = client_id
        add_task_flow(self, client_id)

    def edit_task(self, task_id: int) -> None:
        """Open the task form (the Board's) for this task."""
        try:
            from clientdesk.tui.modals.task_form import edit_task_flow
        except ImportError:
            self.notify("editing lands with the Board", severity="warning", markup=False)
            return
        edit_task_flow(self, task_id)

    def action_help(self) -> None:
        from clientdesk.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    # -- time -------------------------------------------------------------------
    def action_timer(self) -> None:
        from clientdesk.tui.time_actions import timer_key

        timer_key(self)

    def action_log_time(self) -> None:
        from clientdesk.tui.time_actions import log_time_key

        log_time_key(self)

    # -- undo -------------------------------------------------------------------
    def action_undo(self) -> None:
        self._journal_step(journal.undo, "undone")

    def action_redo(self) -> None:
        self._journal_step(journal.redo, "redone")

    def _journal_step(self, step, verb: str) -> None:
        try:
            label = step()
        except ClientdeskError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        except DATABASE_ERRORS as exc:
            self.notify(f"database error: {exc}", severity="error", markup=False)
            return
        self.notify(f"{verb}: {label}", markup=False)
        self.data_changed()

    def data_changed(self) -> None:
        """Tell every open view to reload."""
        self.timer_clock.reload()
        for screen in self.screen_stack:
            screen.post_message(DataChanged())
        for mode, stack in self._screen_stacks.items():
            for screen in stack:
                if screen not in self.screen_stack:
                    screen.post_message(DataChanged())

    # -- palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("view: overview", "Every client's health and the Today list (1)", lambda: self.switch_mode("overview"))
        yield SystemCommand("view: board", "The board of the current client (2)", lambda: self.switch_mode("board"))
        yield SystemCommand("view: planner", "The week's time blocks (3)", lambda: self.switch_mode("planner"))
        yield SystemCommand("view: changes", "The change-request queue (4)", lambda: self.switch_mode("changes"))
        yield SystemCommand("view: timesheet", "The week's logged time, billing (5)", lambda: self.switch_mode("timesheet"))
        yield from self._time_commands()
        yield SystemCommand("view: export this view as SVG", "Write the screen to an .svg file", lambda: self.export_current("svg"))
        yield SystemCommand("view: export this view as text", "Write the screen to a .txt file", lambda: self.export_current("txt"))
        yield SystemCommand("edit: undo", "Undo the last change (u)", self.action_undo)
        yield SystemCommand("edit: redo", "Redo the change undone last (U)", self.action_redo)

    def _time_commands(self) -> Iterable[SystemCommand]:
        from clientdesk.tui import time_actions

        yield SystemCommand("start timer", "On the task or client under the cursor (t)", self.action_timer)
        yield SystemCommand("stop timer", "Stop your timer and log its time", lambda: time_actions.stop_key(self))
        yield SystemCommand("log time", "Log time by hand (T)", self.action_log_time)
        yield SystemCommand("invoice", "Invoice a client's unbilled time of a month (HTML and CSV)",
                            lambda: time_actions.invoice_flow(self, None))

    def export_current(self, fmt: str) -> None:
        from clientdesk.tui.export import screen_text

        name = getattr(self.screen, "VIEW_TITLE", "view").lower() or "view"
        path = f"clientdesk-{name}.{fmt}"
        try:
            content = self.export_screenshot(title=f"clientdesk · {name}") if fmt == "svg" else screen_text(self)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(content)
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(f"written to {path}", markup=False)

    # -- errors -----------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """A refused action or a database hiccup is a notification, not a crash."""
        if isinstance(error, (ClientdeskError, *DATABASE_ERRORS)):
            self.notify(str(error), title="Not done", severity="error", markup=False)
            return
        super()._handle_exception(error)


def create_app(**kwargs) -> ClientdeskApp:
    """The app as the command line and the tests build it, with the user's keymap."""
    from clientdesk.config import load_settings

    settings = kwargs.pop("settings", None) or load_settings()
    return ClientdeskApp(keymap=dict(getattr(settings, "keymap", {}) or {}), settings=settings, **kwargs)


def run_app(early_overview=None) -> None:
    """Run the app; `early_overview` is a Future of the Overview's data read during start-up."""
    app = create_app()
    app.early_overview = early_overview
    app.run()
