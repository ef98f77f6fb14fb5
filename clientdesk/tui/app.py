"""The clientdesk App: the views (tui/views.py) as modes, app-wide keys, undo/redo, the palette."""

from __future__ import annotations

from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain import journal
from clientdesk.domain.errors import ClientdeskError
from clientdesk.tui.commands import ClientCommands
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.screens.overview import OverviewScreen
from clientdesk.tui.views import VIEWS


class ClientdeskApp(App):
    """One desk for every client."""

    TITLE = "clientdesk"
    # The first view's rules are read with the app's: a screen's own CSS_PATH makes
    # Textual parse every stylesheet again when the screen first shows (~5 ms of the
    # launch). The other views keep theirs, read when they are first shown.
    CSS_PATH = ["styles/app.tcss", "styles/overview.tcss"]
    # The first view is imported at start; the others when first shown (faster launch).
    MODES = {v.mode: (OverviewScreen if v.mode == "overview" else v.make) for v in VIEWS}
    COMMANDS = App.COMMANDS | {ClientCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        *(Binding(v.key, f"goto('{v.mode}')", v.title, id=f"go-{v.mode}", show=False) for v in VIEWS),
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

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    # -- navigation -------------------------------------------------------------
    def action_goto(self, mode: str) -> None:
        """A view key shows that view itself, from anywhere but a modal: a
        screen opened over the current view (the client detail) is closed first,
        so `1` from a client opened in the Overview shows the Overview."""
        if isinstance(self.screen, ModalScreen):
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            self.pop_screen()
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

        try:
            view = get_task(task_id)
        except ClientdeskError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return

        def after(result: str | None) -> None:
            if result == "edit":
                self.edit_task(task_id)

        self.push_screen(TaskDetailModal(view), after)

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
        for screen in self.screen_stack:
            screen.post_message(DataChanged())
        for mode, stack in self._screen_stacks.items():
            for screen in stack:
                if screen not in self.screen_stack:
                    screen.post_message(DataChanged())

    # -- palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for v in VIEWS:
            yield SystemCommand(f"view: {v.mode}", f"{v.blurb} ({v.key})", lambda mode=v.mode: self.action_goto(mode))
        yield SystemCommand("view: export this view as SVG", "Write the screen to an .svg file", lambda: self.export_current("svg"))
        yield SystemCommand("view: export this view as text", "Write the screen to a .txt file", lambda: self.export_current("txt"))
        yield SystemCommand("edit: undo", "Undo the last change (u)", self.action_undo)
        yield SystemCommand("edit: redo", "Redo the change undone last (U)", self.action_redo)

    def export_current(self, fmt: str) -> None:
        """This view as SVG or text, to a new dated file in the export folder."""
        from clientdesk.exports import slug, write_export
        from clientdesk.tui.export import screen_text

        name = getattr(self.screen, "VIEW_TITLE", "view").lower() or "view"
        try:
            content = self.export_screenshot(title=f"clientdesk · {name}") if fmt == "svg" else screen_text(self)
            path = write_export(f"clientdesk-{slug(name, 'view')}", fmt, content, self.settings)
        except OSError as exc:
            self.notify(f"cannot write the export: {exc.strerror}: {exc.filename}", severity="error", markup=False)
            return
        self.notify(f"written to {path}", title="Exported", markup=False)

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
