"""The top line of every view: the four views with the current one lit, the day, context,
and "saving…" while a write waits on the database."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from clientdesk import clock
from clientdesk.tui.text import WEEKDAYS, day_month

VIEWS = (("1", "Overview"), ("2", "Board"), ("3", "Planner"), ("4", "Changes"))


class ViewHeader(Static):
    """Shows where you are; `context` is plain user text (a client name, a week)."""

    DEFAULT_CSS = """
    ViewHeader { height: 1; background: $panel; color: $text; }
    """

    def __init__(self, current: str, context: str = "", **kwargs) -> None:
        super().__init__("", **kwargs)
        self.current = current
        self.context = context

    def on_mount(self) -> None:
        signal = getattr(self.app, "saving_signal", None)
        if signal is not None:
            signal.subscribe(self, self._saving_changed)
        self.set_context(self.context)

    def _saving_changed(self, saving: bool) -> None:
        self.set_context(self.context)

    def set_context(self, context: str) -> None:
        self.context = context
        line = Text(" clientdesk ", style="bold #5fafd7")
        for key, name in VIEWS:
            if name == self.current:
                line.append(f" {key} {name} ", style="bold black on #5fafd7")
            else:
                line.append(f" {key}", style="bold")
                line.append(f" {name} ", style="dim")
        today = clock.today()
        line.append(f"  {WEEKDAYS[today.weekday()]} {day_month(today, 'YYYY')} · W{today.isocalendar()[1]:02d}", style="bold")
        if context:
            line.append("  ")
            line.append(context, style="italic")
        if getattr(self.app, "saving", False):
            line.append("  saving…", style="bold reverse #d4a017")
        self.update(line)
