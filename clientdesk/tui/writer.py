"""The app's one writer: every user action runs off the UI thread, one at a time, in order.

A key never waits on the database: the action is queued, a thread worker runs
it as its one transaction (the domain function's `journal.action`), and the
outcome comes back to the UI thread as a `WriteFinished` message. A slow or
locked database shows as "saving…" in the header, never as a frozen screen.
Jobs run in the order they were asked for, so two quick keys on one card
apply one after the other, as typed.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from textual.message import Message

from clientdesk.domain.changeset import ChangeSet, collecting
from clientdesk.domain.errors import ClientdeskError

#: a queued write that has not come back after this long shows "saving…"
SAVING_AFTER = 0.12


@dataclass(eq=False)
class WriteJob:
    """One user action to run: `fn(*args, **kwargs)` and what to do with its outcome on the UI thread."""

    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    #: called with the result after a success
    on_done: Callable[[Any], None] | None = None
    #: called with the exception after a refusal (a ClientdeskError or a database error)
    on_refused: Callable[[Exception], None] | None = None
    #: the notification title of a refusal
    refused_title: str = "Not done"
    #: refusals arrive as warnings rather than errors (undo with nothing left)
    mild: bool = False
    #: notify a refusal even though on_refused handles it (False: on_refused says it, e.g. in a form)
    notify_refusal: bool = True
    #: the database's change stamp when the job was queued (set by the app, UI thread), see DataChanged
    stamp_before: tuple | None = None


class WriteFinished(Message):
    """A job ran (posted to the app from the writer's thread)."""

    def __init__(self, job: WriteJob, result: Any, error: BaseException | None, changed: ChangeSet) -> None:
        super().__init__()
        self.job = job
        self.result = result
        self.error = error
        self.changed = changed


def refusal_text(error: BaseException) -> str:
    """One line for a refused write: the rule's own words, or what the database said."""
    from clientdesk.safe_text import terminal_safe

    if isinstance(error, ClientdeskError):
        return terminal_safe(str(error))
    return terminal_safe(f"database error: {error}")


@dataclass
class Batch:
    """What `each` did: the results of the actions that ran, and the refusal that stopped it."""

    results: list[Any]
    error: Exception | None = None


def each(fn: Callable[..., Any], items: list[Any], *args, **kwargs) -> Batch:
    """Run `fn(item, *args)` for each item, one action (transaction) each, stopping at the first refusal.

    For keys that act on several marked rows while each stays undoable alone.
    """
    from clientdesk.db import DATABASE_ERRORS

    results = []
    for item in items:
        try:
            results.append(fn(item, *args, **kwargs))
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            return Batch(results, exc)
    return Batch(results)


class Writer:
    """The queue of the app's writes and the worker that drains it."""

    def __init__(self, app) -> None:
        self._app = app
        self._jobs: deque[WriteJob] = deque()
        self._lock = threading.Lock()
        self._draining = False
        self.pending = 0  # queued or running; read on the UI thread

    def submit(self, job: WriteJob) -> None:
        """Queue a job (UI thread); it runs after every job queued before it."""
        with self._lock:
            self._jobs.append(job)
            start = not self._draining
            self._draining = True
        self.pending += 1
        if start:
            self._app.run_worker(self._drain, thread=True, group="writer", name="writer", exit_on_error=False)

    def _drain(self) -> None:
        """Run queued jobs until none is left (writer thread: no widgets here)."""
        from clientdesk.db import DATABASE_ERRORS, read_session

        while True:
            with self._lock:
                if not self._jobs:
                    self._draining = False
                    return
                job = self._jobs.popleft()
            result, error = None, None
            with collecting() as collector:
                try:
                    with read_session():
                        result = job.fn(*job.args, **job.kwargs)
                except (ClientdeskError, *DATABASE_ERRORS) as exc:
                    error = exc
                except Exception as exc:  # a bug: raised again on the UI thread, where it is reported
                    error = exc
            self._app.post_message(WriteFinished(job, result, error, collector.result()))

    def finished(self) -> None:
        """A job's outcome reached the UI thread."""
        self.pending = max(0, self.pending - 1)


__all__ = ["Batch", "each", "SAVING_AFTER", "WriteFinished", "WriteJob", "Writer", "refusal_text"]
