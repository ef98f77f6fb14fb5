"""User data turned into Rich Text for widgets: never markup, always literal."""

from __future__ import annotations

import pendulum
from rich.text import Text

from clientdesk.safe_text import terminal_safe
from clientdesk.domain.quickadd import minutes_text

HEALTH_STYLE = {"red": "bold white on #b03a2e", "amber": "bold black on #d4a017", "green": "bold black on #3c9a5f"}
HEALTH_MARK = {"red": "● red", "amber": "▲ amber", "green": "✔ green"}


def literal(value: object, style: str = "") -> Text:
    """Any user text as a Text that shows exactly what was typed (controls as visible escapes, never markup)."""
    return Text(terminal_safe(value), style=style, no_wrap=True, overflow="ellipsis")


def health_badge(health: str) -> Text:
    """Colour and a word, never colour alone."""
    return Text(f" {HEALTH_MARK.get(health, health)} ", style=HEALTH_STYLE.get(health, ""))


def bar(fraction: float | None, width: int = 8, *, warn: float = 0.8, bad: float = 1.0) -> Text:
    """A horizontal bar with its percentage; '-' when there is nothing to measure."""
    if fraction is None:
        return Text("—".ljust(width + 5), style="dim")
    filled = max(0, min(width, round(fraction * width)))
    style = "#b03a2e" if fraction > bad else ("#d4a017" if fraction > warn else "#3c9a5f")
    out = Text("█" * filled, style=style)
    out.append("█" * (width - filled), style="#3a3a3a")
    out.append(f" {fraction:>4.0%}", style=style if fraction > warn else "")
    return out


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".") + "h"


# pendulum's English names, written out: `Date.format` loads its locale and
# tokenizes the pattern on every call (~60 us), and the Overview formats ~80
# dates at every reload. tests/tui/test_text.py checks them against pendulum.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(day, year: str = "") -> str:
    """'23 Nov' (pendulum's "D MMM"), with year "YY" '23 Nov 26', with "YYYY" '23 Nov 2026'."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    if year == "YYYY":
        return f"{text} {day.year}"
    if year == "YY":
        return f"{text} {day.year % 100:02d}"
    return text


def short_date(day: pendulum.Date | None, today: pendulum.Date | None = None) -> str:
    """'Mon 23 Nov', or '' for none; the year only when it is not today's."""
    if day is None:
        return ""
    if today is not None and day.year != today.year:
        return day_month(day, "YYYY")
    return f"{WEEKDAYS[day.weekday()]} {day_month(day)}"


#: 90 -> '1h30', as the forms and the quick-add read it back
minutes_label = minutes_text


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], lo: float | None = None, hi: float | None = None) -> str:
    """A one-line trend of values (e.g. feedback scores 1..5)."""
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    span = (hi - lo) or 1
    return "".join(SPARK[min(len(SPARK) - 1, int((v - lo) / span * (len(SPARK) - 1)))] for v in values)
