"""The top line of every view: the five views with the current one lit, the day,
context, "saving…" while a write waits on the database, and at the right who
you are and the running timer (elapsed, task, client)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from clientdesk import clock
from clientdesk.identity import current_user
from clientdesk.safe_text import terminal_safe
from clientdesk.tui.text import WEEKDAYS, day_month
from clientdesk.tui.views import VIEWS as _VIEWS

VIEWS = tuple((v.key, v.title) for v in _VIEWS)  # the one list of views: tui/views.py
#: the most cells the person's name takes (a longer one ends in "…")
PERSON_CELLS = 16


class ViewHeader(Widget):
    """Shows where you are; `context` is plain user text (a client name, a week).

    The timer's part comes from the app's TimerClock, which repaints the
    header of the view in front once a second while a timer runs: one line
    drawn, nothing read (idle CPU)."""

    DEFAULT_CSS = """
    ViewHeader { height: 1; background: $panel; color: $text; }
    """

    def __init__(self, current: str, context: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.current = current
        self.context = context
        self._line = Text()
        self._compact = Text()
        self._person = person_text(current_user())

    def on_mount(self) -> None:
        signal = getattr(self.app, "saving_signal", None)
        if signal is not None:
            signal.subscribe(self, self._saving_changed)
        self.set_context(self.context)
        timer_clock = getattr(self.app, "timer_clock", None)
        if timer_clock is not None:
            timer_clock.headers.add(self)

    def on_unmount(self) -> None:
        timer_clock = getattr(self.app, "timer_clock", None)
        if timer_clock is not None:
            timer_clock.headers.discard(self)

    def _saving_changed(self, saving: bool) -> None:
        self.set_context(self.context)

    def set_context(self, context: str) -> None:
        self.context = context
        self._line = self._build(context, names=True)
        self._compact = self._build(context, names=False)
        self.refresh()

    def _build(self, context: str, *, names: bool) -> Text:
        """The line; without `names` the other views show their keys only (narrow terminals)."""
        line = Text(" clientdesk ", style="bold #5fafd7")
        for key, name in VIEWS:
            if name == self.current:
                line.append(f" {key} {name} ", style="bold black on #5fafd7")
            else:
                line.append(f" {key}", style="bold")
                if names:
                    line.append(f" {name} ", style="dim")
        if not names:
            line.append(" ")
        today = clock.today()
        line.append(f"  {WEEKDAYS[today.weekday()]} {day_month(today, 'YYYY')} · W{today.isocalendar()[1]:02d}", style="bold")
        if context:
            line.append("  ")
            line.append(context, style="italic")
        if getattr(self.app, "saving", False):
            line.append("  saving…", style="bold reverse #d4a017")
        return line

    def render(self) -> Text:
        """The line at the left, who you are and the timer at the right; the line gives way first
        (its compact form, then cut with "…"), then the name, never the timer."""
        timer_clock = getattr(self.app, "timer_clock", None)
        badge = timer_clock.badge() if timer_clock is not None else None
        width = self.size.width
        right = Text()
        right.append_text(self._person)
        if badge is not None:
            right.append_text(badge)
        if right.cell_len + 12 > width:  # too narrow for both: the timer alone
            right = badge.copy() if badge is not None else Text()
        room = width - (right.cell_len + 1 if right else 0)
        line = self._line if self._line.cell_len <= room else self._compact
        line = line.copy()
        if line.cell_len > room:
            line.truncate(max(0, room), overflow="ellipsis")
        line.append(" " * max(1 if right else 0, width - line.cell_len - right.cell_len))
        line.append_text(right)
        line.no_wrap = True
        return line

    @property
    def plain(self) -> str:
        """The line as text (tests and exports)."""
        return self.render().plain


def person_text(name: str) -> Text:
    """The current person as the header shows them: terminal-safe, at most PERSON_CELLS cells."""
    shown = Text(terminal_safe(name, newlines=False), style="bold #5fafd7")
    if shown.cell_len > PERSON_CELLS:
        shown.truncate(PERSON_CELLS, overflow="ellipsis")
    out = Text(" ")
    out.append_text(shown)
    out.append(" ")
    return out
