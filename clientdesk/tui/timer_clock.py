"""The running timer as every view's header shows it.

The timer is read from the database once when the app starts and again after
every change (this app's or, on return to a view, another process's), in a
thread. Between reads the elapsed time is counted from a monotonic base, so
the once-a-second tick reads nothing and repaints only the header in front:
an idle app with a running timer stays far under 1% of a core.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text

from clientdesk.db import DATABASE_ERRORS, read_session
from clientdesk.domain.errors import ClientdeskError
from clientdesk.track_status import clock_text

if TYPE_CHECKING:
    from textual.app import App

    from clientdesk.domain.timer import RunningTimer
    from clientdesk.tui.widgets.view_header import ViewHeader


class TimerClock:
    """Holds the person's running timer and ticks the headers while it runs."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.running: RunningTimer | None = None
        self.headers: set[ViewHeader] = set()
        self._elapsed_at_read = 0
        self._read_at = 0.0
        self._ticker = None
        self._shown = ""

    def start(self) -> None:
        self._ticker = self.app.set_interval(1.0, self.tick, pause=True, name="timer-tick")
        self.reload()

    def reload(self) -> None:
        """Read the timer again, in a thread (the database may be busy)."""
        self.app.run_worker(self._read, thread=True, exclusive=True, group="timer-read", exit_on_error=False)

    def _read(self) -> None:
        from clientdesk import clock
        from clientdesk.domain.timer import running_timer

        try:
            with read_session():
                running = running_timer()
                elapsed = running.elapsed_seconds(clock.now()) if running else 0
        except (ClientdeskError, *DATABASE_ERRORS):
            return
        self.app.call_from_thread(self.set, running, elapsed)

    def set(self, running: RunningTimer | None, elapsed: int | None = None) -> None:
        """Show `running` (None: no timer), `elapsed` seconds in now."""
        from clientdesk import clock

        self.running = running
        self._elapsed_at_read = elapsed if elapsed is not None else (running.elapsed_seconds(clock.now()) if running else 0)
        self._read_at = time.monotonic()
        if self._ticker is not None:
            (self._ticker.resume if running else self._ticker.pause)()
        self.tick()

    def elapsed(self) -> int:
        return self._elapsed_at_read + int(time.monotonic() - self._read_at)

    def badge(self) -> Text | None:
        """'⏱ 0:12:34 Hero copy · Acme', or None when no timer runs."""
        running = self.running
        if running is None:
            return None
        badge = Text(f" ⏱ {clock_text(self.elapsed())} ", style="bold black on #d4a017")
        badge.append(" ")
        badge.append(running.task or running.client, style="bold")
        if running.task:
            badge.append(" · ")
            badge.append(running.client, style="italic")
        badge.append(" ")
        return badge

    def tick(self) -> None:
        """Repaint the header of the view in front, when what it shows changed."""
        badge = self.badge()
        shown = badge.plain if badge is not None else ""
        if shown == self._shown:
            return
        self._shown = shown
        screen = self.app.screen
        for header in self.headers:
            if header.screen is screen:  # the others are drawn afresh when their view comes back
                header.refresh()
