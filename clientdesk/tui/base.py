"""What every top-level view shares: data loaded in a thread worker, actions
through the domain layer with errors as notifications, and a reload after
every change."""

from __future__ import annotations

from typing import Any, Callable

from textual import on, work
from textual.screen import Screen
from textual.widgets import Input

from clientdesk.db import DATABASE_ERRORS, read_session
from clientdesk.domain.errors import ClientdeskError
from clientdesk.tui.messages import DataChanged, DataLoaded


class DeskScreen(Screen):
    """A top-level view. Subclasses implement `load` (worker thread, no widgets)
    and `show` (UI thread, no SQL)."""

    #: the screen's name in the header, help and exports
    VIEW_TITLE = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._load_token = 0
        self.loaded = False

    # -- data -----------------------------------------------------------------
    def load(self) -> Any:  # pragma: no cover - overridden
        """Read what the view shows. Runs in a thread: no widget access here."""
        return None

    def show(self, payload: Any) -> None:  # pragma: no cover - overridden
        """Put loaded data into the widgets. Runs on the UI thread: no SQL here."""

    def reload(self) -> None:
        """Read the view's data again, discarding any older read still running."""
        self._load_token += 1
        self._load_in_thread(self._load_token)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_in_thread(self, token: int) -> None:
        try:
            with read_session():
                payload = self.load()
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Cannot read", severity="error", markup=False)
            return
        self.post_message(DataLoaded(payload, token))

    @on(DataLoaded)
    def _on_data_loaded(self, message: DataLoaded) -> None:
        message.stop()
        if message.token == self._load_token:
            self.show(message.payload)
            self.loaded = True

    @on(DataChanged)
    def _on_data_changed(self, message: DataChanged) -> None:
        message.stop()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- actions --------------------------------------------------------------
    def perform(self, fn: Callable[..., Any], *args, done: str | Callable[[Any], str] | None = None, **kwargs) -> Any:
        """Run one domain action; a refusal becomes a notification, success a reload."""
        try:
            result = fn(*args, **kwargs)
        except ClientdeskError as exc:
            self.notify(str(exc), title="Not done", severity="error", markup=False)
            return None
        except DATABASE_ERRORS as exc:
            self.notify(f"database error: {exc}", title="Not done", severity="error", markup=False)
            return None
        if done:
            self.notify(done(result) if callable(done) else done, markup=False)
        self.reload()
        return result

    def block_time(self, task_id: int) -> None:
        """Put a focus block for the task into the earliest free slot (triage key `b`)."""
        from clientdesk.domain.planner import block_task_next_free

        self.perform(
            block_task_next_free, task_id, getattr(self.app, "settings", None),
            done=lambda b: f"blocked {b.start.format('ddd D MMM HH:mm')}-{b.end.format('HH:mm')} for {b.task or b.client}",
        )


class FilteredDeskScreen(DeskScreen):
    """A view with a `/` filter: an Input with id "filter", hidden until asked for.

    Subclasses re-render in `apply_filter` and name, in FILTER_HOME, the
    widget that takes focus back when the filter is done.
    """

    FILTER_HOME = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filter_text = ""

    def apply_filter(self) -> None:  # pragma: no cover - overridden
        """Show what matches `filter_text`."""

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        if self.FILTER_HOME:
            self.query_one(self.FILTER_HOME).focus()

    def close_filter(self) -> None:
        """Empty and hide the filter, show everything, focus home."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.apply_filter()
        self._filter_done()
