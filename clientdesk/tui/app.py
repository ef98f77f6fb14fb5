"""The clientdesk App: the views (tui/views.py) as modes, app-wide keys, undo/redo, the palette."""

from __future__ import annotations

from typing import Iterable

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.signal import Signal

from clientdesk.domain import journal
from clientdesk.domain.changeset import ChangeSet
from clientdesk.domain.errors import ClientdeskError, InputError
from clientdesk.tui import safe_render
from clientdesk.tui.commands import ClientCommands
from clientdesk.tui.live import LiveChange, LiveFeed
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.notices import say_refusal
from clientdesk.tui.screens.overview import OverviewScreen
from clientdesk.tui.typing_order import move_focus_in_order, paste_as_text
from clientdesk.tui.views import VIEWS
from clientdesk.tui.timer_clock import TimerClock
from clientdesk.tui.writer import SAVING_AFTER, WriteFinished, WriteJob, Writer


#: seconds after the app mounts before the other views' modules are imported (see `_warm_views`)
WARM_VIEWS_AFTER = 1.0


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
        Binding("t", "timer", "Timer", id="timer", tooltip="Start the timer on this task or client; again stops it"),
        Binding("T", "log_time", "Log time", id="log-time", tooltip="Log time by hand: duration, day, note, billable"),
        Binding("question_mark", "help", "Keys", id="help"),
        Binding("N", "new_client", "New client", id="new-client", show=False),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("U", "redo", "Redo", id="redo", show=False),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, *, mode: str = "overview", client_id: int | None = None, keymap: dict[str, str] | None = None,
                 settings=None, live: bool = True) -> None:
        # Start in the first view's mode itself, not in Textual's blank default screen
        # switched away from on mount: that switch made a full render inside the
        # start-up batch, thrown away, and resumed the view twice (launch time).
        self.DEFAULT_MODE = mode
        safe_render.install()
        super().__init__()
        self.initial_mode = mode
        self.client_id = client_id  # the Board's client; None: the Board takes the first active one
        self.user_keymap = keymap or {}
        self.settings = settings
        self.early_overview = None  # a Future of OverviewData started by the command line
        self.writer = Writer(self)
        #: DataChanged for every committed change, this app's or (live) anyone's
        self.data_changed_signal: Signal[DataChanged] = Signal(self, "data-changed")
        #: True while a write has waited longer than SAVING_AFTER ("saving…" in the header)
        self.saving_signal: Signal[bool] = Signal(self, "saving")
        self.saving = False
        self.timer_clock = TimerClock(self)  # the running timer, as every header shows it
        #: the watcher of other people's commits (tui/live.py); None when off (a headless export)
        self.live = LiveFeed(self) if live else None

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.timer_clock.start()
        if self.live is not None:
            self.live.start()
        self.set_timer(WARM_VIEWS_AFTER, self._warm_views)

    def _warm_views(self) -> None:
        """Import the other views' modules in a thread while the first view is read (after the launch).

        A view's first switch imported its screen, its widgets and its domain
        modules (50-200 ms each of the 200 ms it may take); imported beforehand,
        the switch builds and reads only. A key pressed meanwhile shares the
        GIL with the import for those few hundred milliseconds; a switch to a
        view being imported waits for that import (Python's module lock), never
        imports twice.
        """
        import sys
        import threading
        from importlib import import_module

        modules = [v.screen.partition(":")[0] for v in VIEWS]
        wanted = [m for m in modules if m not in sys.modules]
        if not wanted:
            return

        def run() -> None:
            for name in wanted:
                try:
                    import_module(name)
                except Exception:  # a broken view says so when it is opened, as before
                    pass
            try:
                self.call_from_thread(self._read_views_css)
            except Exception:  # the app has gone meanwhile
                pass

        threading.Thread(target=run, name="warm-views", daemon=True).start()

    def _read_views_css(self) -> None:
        """Add the other views' stylesheets to the app's, in one re-parse (UI thread, once, after the launch).

        Textual reads a screen's CSS_PATH when the screen is first shown, and
        then parses every stylesheet of the app again (each widget's default
        CSS included) and restyles every widget: most of a view's first switch
        after its import. Read here beforehand, the switch finds them read.
        """
        import inspect
        import sys
        from pathlib import Path, PurePath

        paths = []
        for v in VIEWS:
            module, _, name = v.screen.partition(":")
            cls = getattr(sys.modules.get(module), name, None)
            css = getattr(cls, "CSS_PATH", None)
            if not css:
                continue
            for item in ([css] if isinstance(css, (str, PurePath)) else css):
                path = (Path(inspect.getfile(cls)).parent / item).resolve()  # as Textual resolves it
                if not self.stylesheet.has_source(str(path), "") and path not in paths:
                    paths.append(path)
        if not paths:
            return
        try:
            for path in paths:
                self.stylesheet.read(path)
            self.stylesheet.reparse()
            self.stylesheet.update(self)
        except Exception:  # a broken stylesheet is reported by its screen when shown, as before
            pass

    async def on_event(self, event: events.Event) -> None:
        # a burst of keys lands where it was typed: see tui/typing_order.py
        if isinstance(event, events.Key) and move_focus_in_order(self, event):
            return
        if isinstance(event, events.Paste) and paste_as_text(self, event):
            return
        await super().on_event(event)

    # -- navigation -------------------------------------------------------------
    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification is plain text (tui/notices.py says why); `markup` is accepted and ignored."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

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

        from clientdesk.domain.burn import logged_minutes_by_task

        from clientdesk.domain.activity import task_activity

        try:
            view = get_task(task_id)
            logged = logged_minutes_by_task([task_id]).get(task_id, 0)
            activity = task_activity(task_id)
        except ClientdeskError as exc:
            say_refusal(self, exc, title="")
            return

        def after(result: str | None) -> None:
            if result == "edit":
                self.edit_task(task_id)

        self.push_screen(TaskDetailModal(view, logged, activity), after)

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

    # -- making things: the generated forms (tui/flows.py) --------------------------------
    def action_new_client(self) -> None:
        from clientdesk.tui import flows

        flows.new_client(self)

    def context_client(self) -> int | None:
        """The client the current view is about (the client detail's, the Board's, the Overview's row), if any."""
        pick = getattr(self.screen, "context_client", None)
        return pick() if callable(pick) else None

    def context_project(self) -> tuple[int, str] | None:
        """The project the current view points at (a row on the client detail, the Board's filter), if any."""
        pick = getattr(self.screen, "context_project", None)
        return pick() if callable(pick) else None

    def with_client(self, then) -> None:
        """Run `then(client_id)` for the view's client, or for one picked from the list."""
        from clientdesk.domain.clients import list_clients
        from clientdesk.tui.flows import read_or_say
        from clientdesk.tui.modals.pickers import PickerModal

        client_id = self.context_client()
        if client_id:
            then(client_id)
            return
        clients = read_or_say(self, list_clients)
        if clients is None:
            return
        if not clients:
            self.notify("no client yet: N adds the first one", severity="warning")
            return
        self.push_screen(PickerModal("For which client?", [(c.id, c.name) for c in clients]),
                         lambda chosen: then(chosen) if chosen is not None else None)

    def new_project(self) -> None:
        from clientdesk.tui import flows

        self.with_client(lambda cid: flows.new_project(self, cid))

    def new_milestone(self) -> None:
        from clientdesk.tui import flows

        project = self.context_project()
        self.with_client(lambda cid: flows.new_milestone(self, cid, project[0] if project else None))

    def new_risk(self) -> None:
        from clientdesk.tui import flows

        project = self.context_project()
        self.with_client(lambda cid: flows.new_risk(self, cid, project[0] if project else None))

    def template_from_project(self) -> None:
        from clientdesk.domain.clients import list_projects
        from clientdesk.tui import flows
        from clientdesk.tui.modals.pickers import PickerModal

        project = self.context_project()
        if project is not None:
            flows.template_from_project(self, *project)
            return

        def pick(client_id: int) -> None:
            projects = flows.read_or_say(self, list_projects, client_id)
            if not projects:
                if projects is not None:
                    self.notify("this client has no project yet: P adds one", severity="warning")
                return
            names = {p.id: p.name for p in projects}
            self.push_screen(PickerModal("Which project becomes a template?", list(names.items())),
                             lambda pid: flows.template_from_project(self, pid, names[pid]) if pid is not None else None)

        self.with_client(pick)

    def manage_templates(self) -> None:
        from clientdesk.tui import flows

        flows.manage_templates(self)

    def action_help(self) -> None:
        from clientdesk.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    # -- writes -------------------------------------------------------------------
    def write(self, job: WriteJob) -> None:
        """Run one user action in the writer, off the UI thread; its outcome comes back as WriteFinished."""
        job.stamp_before = self._stamp()
        self.writer.submit(job)
        if not self.saving:
            self.set_timer(SAVING_AFTER, self._show_saving)

    def _show_saving(self) -> None:
        if self.writer.pending and not self.saving:
            self.saving = True
            self.saving_signal.publish(True)

    @on(WriteFinished)
    def _write_finished(self, message: WriteFinished) -> None:
        self.writer.finished()
        if self.saving and not self.writer.pending:
            self.saving = False
            self.saving_signal.publish(False)
        job, error = message.job, message.error
        if error is not None:
            if not isinstance(error, ClientdeskError) and not _is_database_error(error):
                raise error  # a bug, not a refusal: reported as any crash is
            if job.on_refused is None or job.notify_refusal:
                severity = "warning" if job.mild and isinstance(error, ClientdeskError) else "error"
                say_refusal(self, error, title=job.refused_title, severity=severity)
            if job.on_refused is not None:
                job.on_refused(error)
            return
        if job.on_done is not None:
            job.on_done(message.result)
        if message.changed:  # an action that changed nothing (p1 raised again) reads nothing again
            self.data_changed(message.changed, before=job.stamp_before, after=self._stamp())

    @on(LiveChange)
    def _live_change(self, message: LiveChange) -> None:
        """Someone else committed: the same news as this app's own writes, marked not local."""
        self.data_changed(message.changed, local=False)

    def data_changed(self, changed: ChangeSet | None = None, *, local: bool = True, before: tuple | None = None,
                     after: tuple | None = None) -> None:
        """Tell the open views what changed (everything, when not known), and read the timer again.

        `before`/`after`: the change stamps around the write, when known (see DataChanged)."""
        self.timer_clock.reload()
        self.data_changed_signal.publish(DataChanged(changed if changed else ChangeSet.unknown(), local=local,
                                                     before=before, after=after))

    @staticmethod
    def _stamp() -> tuple | None:
        from clientdesk.db import DATABASE_ERRORS, change_stamp

        try:
            return change_stamp()
        except DATABASE_ERRORS:
            return None

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
        self.write(WriteJob(step, on_done=lambda label: self.notify(f"{verb}: {label}", markup=False), mild=True))

    # -- palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for v in VIEWS:
            yield SystemCommand(f"view: {v.mode}", f"{v.blurb} ({v.key})", lambda mode=v.mode: self.action_goto(mode))
        yield from self._time_commands()
        yield SystemCommand("view: export this view as SVG", "Write the screen to an .svg file", lambda: self.export_current("svg"))
        yield SystemCommand("view: export this view as text", "Write the screen to a .txt file", lambda: self.export_current("txt"))
        yield SystemCommand("new client", "Add a client (N)", self.action_new_client)
        yield SystemCommand("new project", "Add a project to this client, optionally from a template (P)", self.new_project)
        yield SystemCommand("new milestone", "Add a milestone to one of this client's projects", self.new_milestone)
        yield SystemCommand("new risk", "Add a risk (likelihood × impact) to one of this client's projects", self.new_risk)
        yield SystemCommand("new template from this project", "Keep the project's tasks for the next client",
                            self.template_from_project)
        yield SystemCommand("templates", "Every saved template: rename or delete", self.manage_templates)
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
        """This view as SVG or text, to a new dated file in the export folder."""
        from clientdesk.exports import slug, write_export
        from clientdesk.tui.export import screen_text, screenshot_svg

        name = getattr(self.screen, "VIEW_TITLE", "view").lower() or "view"
        try:
            content = screenshot_svg(self, f"clientdesk · {name}") if fmt == "svg" else screen_text(self)
            path = write_export(f"clientdesk-{slug(name, 'view')}", fmt, content, self.settings)
        except OSError as exc:
            self.notify(f"cannot write the export: {exc.strerror}: {exc.filename}", severity="error", markup=False)
            return
        self.notify(f"written to {path}", title="Exported", markup=False)


def _is_database_error(error: BaseException) -> bool:
    from clientdesk.db import DATABASE_ERRORS

    return isinstance(error, DATABASE_ERRORS)


def create_app(**kwargs) -> ClientdeskApp:
    """The app as the command line and the tests build it, with the user's keymap."""
    from clientdesk.config import load_settings

    settings = kwargs.pop("settings", None) or load_settings()
    keymap = dict(getattr(settings, "keymap", {}) or {})
    if keymap:
        from clientdesk.tui.keymap_check import check_keymap

        check_keymap(keymap, f"config file {getattr(settings, 'path', None) or 'config.toml'}: keymap")
    app = ClientdeskApp(keymap=keymap, settings=settings, **kwargs)
    apply_theme(app, getattr(settings, "theme", None), getattr(settings, "path", None))
    return app


def apply_theme(app: ClientdeskApp, theme: str | None, path=None) -> None:
    """The config's `theme`: one of Textual's themes (textual-dark, textual-light, nord, gruvbox, ...);
    an unknown name is refused in one line, with the names there are."""
    if not theme or theme == app.theme:
        return
    if theme not in app.available_themes:
        raise InputError(f"config file {path or 'config.toml'}: theme: no theme {theme!r} "
                         f"(one of {', '.join(sorted(app.available_themes))})")
    app.theme = theme


def run_app(early_overview=None) -> None:
    """Run the app; `early_overview` is a Future of the Overview's data read during start-up."""
    app = create_app()
    app.early_overview = early_overview
    app.run()
