"""What every top-level view shares: data loaded in a thread worker, actions
run by the app's writer with errors as notifications, and a read of what
changed after every change (the app's `data_changed_signal`)."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from textual import events, on, work
from textual.screen import Screen
from textual.widgets import Input

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS, change_stamp, read_session
from clientdesk.domain.changeset import ChangeSet
from clientdesk.domain.errors import ClientdeskError
from clientdesk.tui.messages import DataChanged, DataLoaded
from clientdesk.tui.notices import say_refusal
from clientdesk.tui.writer import WriteJob


class DeskScreen(Screen):
    """A top-level view. Subclasses implement `load` (worker thread, no widgets)
    and `show` (UI thread, no SQL)."""

    #: the screen's name in the header, help and exports
    VIEW_TITLE = ""
    #: re-read on return only when the database (or the day) changed since the last read
    REREAD_ONLY_WHEN_CHANGED = False
    #: the tables whose changes make this view read again (None: any change); a teammate's
    #: write to other tables leaves it as it is
    RELOAD_ON: frozenset[str] | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._load_token = 0
        self._settled_token = 0  # the newest read shown or failed; behind _load_token while one runs
        self._away = True  # suspended (or never shown): the next resume reads
        self.loaded = False
        #: (the database's change stamp, the day) up to which the data on screen, with `_pending` applied, is in step
        self._read_stamp: tuple | None = None
        self._pending: ChangeSet | None = None  # this app's changes that arrived while away, to apply on return

    # -- data -----------------------------------------------------------------
    def load(self) -> Any:  # pragma: no cover - overridden
        """Read what the view shows. Runs in a thread: no widget access here."""
        return None

    def show(self, payload: Any) -> None:  # pragma: no cover - overridden
        """Put loaded data into the widgets. Runs on the UI thread: no SQL here."""

    def early_read(self) -> Future | None:
        """A read of this view's data already started elsewhere (the launch's), taken once."""
        return None

    @property
    def reading(self) -> bool:
        """A read started and not yet shown (or failed)."""
        return self._settled_token != self._load_token

    def reload(self, early: Future | None = None) -> None:
        """Read the view's data again, discarding any older read still running.

        `early`: a read already running in another thread, awaited instead of a new one.
        """
        self._load_token += 1
        self._read_stamp = self.early_stamp(early) if early is not None else self.stamp_now()
        self._pending = None
        self._load_in_thread(self._load_token, early)

    @staticmethod
    def early_stamp(early: Future) -> tuple | None:
        """The stamp taken before an early read began (`launch.py` notes it on the Future), with the day."""
        stamp = getattr(early, "change_stamp", None)
        return None if stamp is None else (stamp, clock.today())

    def keep_in_step(self, change: DataChanged) -> bool:
        """The data on screen now includes `change`: move the stamp past it when the view was in step
        just before it (nothing else committed in between); else drop the stamp, so that the next return reads."""
        stamp = self._read_stamp
        if (stamp is not None and change.before is not None and change.after is not None
                and stamp == (change.before, clock.today())):
            self._read_stamp = (change.after, stamp[1])
            return True
        self._read_stamp = None
        return False

    def stamp_now(self) -> tuple | None:
        """The database's change stamp and the day, as the view's read depends on both (UI thread)."""
        try:
            stamp = change_stamp()
        except DATABASE_ERRORS:
            return None
        return None if stamp is None else (stamp, clock.today())

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_in_thread(self, token: int, early: Future | None = None) -> None:
        try:
            payload = early.result() if early is not None else None
        except Exception:  # the early read failed: read again here, where errors are reported
            early = None
        try:
            if early is None:
                with read_session():
                    payload = self.load()
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            self.app.call_from_thread(self._read_failed, token, str(exc))
            return
        self.post_message(DataLoaded(payload, token))

    def _read_failed(self, token: int, reason: str) -> None:
        self._settled_token = max(self._settled_token, token)
        self._read_stamp = None
        say_refusal(self, reason, title="Cannot read")

    @on(DataLoaded)
    def _on_data_loaded(self, message: DataLoaded) -> None:
        message.stop()
        self._settled_token = max(self._settled_token, message.token)
        if message.token == self._load_token:
            self.show(message.payload)
            self.loaded = True

    @on(events.Mount)
    def _listen_for_changes(self) -> None:
        signal = getattr(self.app, "data_changed_signal", None)
        if signal is not None:
            signal.subscribe(self, self._changes_arrived)

    def _changes_arrived(self, change: DataChanged) -> None:
        if self._away:
            self._note_while_away(change)
            return
        self.data_changed(change)

    def _note_while_away(self, change: DataChanged) -> None:
        """Out of view: a view that re-reads only when something changed keeps this app's changes, to put
        them in place on return, as long as the stamps show nothing else was committed; else it reads then."""
        if not self.REREAD_ONLY_WHEN_CHANGED:
            return  # the next resume reads everything anyway
        if not self.loaded or self.reading or change.everything or not self.keep_in_step(change):
            self._read_stamp, self._pending = None, None
            return
        self._pending = change.changed if self._pending is None else self._pending.merged(change.changed)

    def data_changed(self, change: DataChanged) -> None:
        """Rows changed while this view is shown: read again if they touch it (views that can patch override)."""
        if self.RELOAD_ON is not None and not change.touches(*self.RELOAD_ON):
            return
        self.reload()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        """Back in view: read again, since other views or processes may have changed
        things. Only once per return (Textual resumes a new mode's screen twice)
        and not while a read runs (the launch starts the Overview's read early)."""
        was_away, self._away = self._away, False
        if not was_away or self.reading:
            return
        pending, self._pending = self._pending, None
        if (self.REREAD_ONLY_WHEN_CHANGED and self.loaded and self._read_stamp is not None
                and self._read_stamp == self.stamp_now()):
            if pending:  # only this app's own changes since: put them in place (or read, if the view cannot)
                stamp = self._read_stamp[0]
                self.data_changed(DataChanged(pending, before=stamp, after=stamp))
            return
        early = self.early_read()
        if early is not None and early.done() and early.exception() is None:
            self._load_token += 1  # shown now, in the first frame: no round trip through a worker
            self._settled_token = self._load_token
            self._read_stamp = self.early_stamp(early)
            self.show(early.result())
            self.loaded = True
            return
        self.reload(early)

    # -- actions --------------------------------------------------------------
    def perform(self, fn: Callable[..., Any], *args, done: str | Callable[[Any], str] | None = None,
                then: Callable[[Any], None] | None = None, refused: Callable[[Exception], None] | None = None,
                **kwargs) -> None:
        """Run one domain action in the app's writer (off the UI thread) and return at once.

        After a success, on the UI thread: the `done` notification, then
        `then(result)`, then every view reads what changed. A refusal becomes
        a notification, `refused(exc)` if given, and this view reads the
        database's truth again. Returns None: the result exists only later.
        """

        def succeeded(result: Any) -> None:
            if done:
                self.notify(done(result) if callable(done) else done, markup=False)
            if then is not None:
                then(result)

        def failed(exc: Exception) -> None:
            if refused is not None:
                refused(exc)
            self.reload()

        self.app.write(WriteJob(fn, args, kwargs, on_done=succeeded, on_refused=failed))

    def block_time(self, task_id: int) -> None:
        """Put a focus block for the task into the earliest free slot (triage key `b`)."""
        from clientdesk.domain.planner import block_task_next_free

        self.perform(
            block_task_next_free, task_id, getattr(self.app, "settings", None),
            done=lambda b: f"blocked {b.start.format('ddd D MMM HH:mm')}-{b.end.format('HH:mm')} for {b.task or b.client}",
        )


class FilteredDeskScreen(DeskScreen):
    """A view with a `/` filter: an Input with id "filter", made the first time
    it is asked for (one widget less to build when the view first paints).

    Subclasses re-render in `apply_filter`, word the box in FILTER_PLACEHOLDER
    and name, in FILTER_HOME, the widget that takes focus back when the filter
    is done (none: the focus is dropped, as the Board's keys want).
    """

    FILTER_HOME = ""
    FILTER_PLACEHOLDER = "filter (esc clears)"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filter_text = ""

    def apply_filter(self) -> None:  # pragma: no cover - overridden
        """Show what matches `filter_text`."""

    def filter_box(self) -> Input | None:
        """The filter's Input, once it has been opened."""
        boxes = self.query("#filter")
        return boxes.first(Input) if boxes else None

    def action_filter(self) -> None:
        box = self.filter_box()
        if box is None:
            box = Input(placeholder=self.FILTER_PLACEHOLDER, id="filter")
            self.mount(box)
        box.display = True
        self.call_after_refresh(box.focus)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        if self.FILTER_HOME:
            self.query_one(self.FILTER_HOME).focus()
        else:  # no widget takes focus (the Board's keys work on the screen): none has it
            self.set_focus(None)

    def close_filter(self) -> None:
        """Empty and hide the filter, show everything, focus home."""
        box = self.filter_box()
        if box is not None:
            box.value = ""
            box.display = False
        self.filter_text = ""
        self.apply_filter()
        self._filter_done()
