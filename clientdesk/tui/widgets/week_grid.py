"""The planner's week grid: days side by side, one row per slot, blocks drawn in their client's colour.

One widget draws the whole grid line by line (the Line API): a week of 7 days
x 48 half-hour rows would be 336 widgets otherwise, each ~0.5 ms and ~25 KiB.
Every cell is fitted by terminal cells (rich.cells.set_cell_size), so a client
named in CJK or with emoji never pushes a column out of line. The screen gives
the grid a `GridModel` and the cursor (attributes down); the grid only posts
`CellClicked` (a message up) and never queries anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pendulum
from rich.cells import cell_len, set_cell_size
from rich.color import Color, ColorParseError
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from clientdesk.safe_text import terminal_safe

#: a stable colour per client id when the client has none (Tableau 10)
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
CONFLICT = "#d0342c"
ACCENT = "#5fafd7"
GUTTER = 6  # "09:00 "
MAX_LINES_PER_SLOT = 3

_SEP = Style(color="#3b4252")
_SEP_TODAY = Style(color=ACCENT)
_GUTTER_HOUR = Style(color="#c0c8d4", bold=True)
_GUTTER_HALF = Style(color="#6b7280")
_SCROLL_MARK = Style(color=ACCENT, bold=True)
_WORK_EVEN = Style(bgcolor="#20252e")
_WORK_ODD = Style(bgcolor="#1b1f27")
_OFF = Style(color="#2c313a", bgcolor="#121418")
_CURSOR = Style(color="#000000", bgcolor=ACCENT, bold=True)
_CONFLICT_MARK = Style(color="#ffffff", bgcolor=CONFLICT, bold=True)
_GHOST_BG = "#15181e"
_HEADER = Style(color="#d8dee9", bold=True)
_HEADER_TODAY = Style(color="#000000", bgcolor=ACCENT, bold=True)
_LOAD = Style(color="#8a93a3")
_BUSY = Style(color="#aab2bf", bgcolor="#2e333d")
_BUSY_HATCH = Style(color="#4b5263", bgcolor="#2e333d")
_LOAD_OVER = Style(color=CONFLICT, bold=True)


def client_colour(colour: str | None, client_id: int) -> str:
    """The client's own colour when it is one a terminal can show, else a palette colour fixed by its id."""
    if colour:
        try:
            parsed = Color.parse(colour.strip())
            if parsed.triplet is not None or parsed.number is not None:
                return colour.strip()
        except ColorParseError:
            pass
    return PALETTE[client_id % len(PALETTE)]


@lru_cache(maxsize=256)
def tint(colour: str, share: float = 0.22, base: str = _GHOST_BG) -> str:
    """`colour` mixed into the dark `base` (a ghost block's background)."""
    try:
        c = Color.parse(colour).get_truecolor()
        b = Color.parse(base).get_truecolor()
    except ColorParseError:
        return base
    r, g, bl = (round(b[i] + (c[i] - b[i]) * share) for i in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


@lru_cache(maxsize=256)
def ink(background: str) -> str:
    """Black or white text, whichever reads better on `background`."""
    try:
        triplet = Color.parse(background).get_truecolor()
    except ColorParseError:
        return "#ffffff"
    r, g, b = (c / 255 for c in triplet)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111111" if luminance > 0.45 else "#ffffff"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with '…' (never half a wide character)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…" if width > 1 else "…"


@dataclass(frozen=True)
class GridDay:
    """One column: a date, its working spans (minutes after midnight) and the header's load figure."""

    date: pendulum.Date
    spans: tuple[tuple[int, int], ...]
    load: str = ""  # "7/7.7h"
    overbooked: bool = False
    today: bool = False


@dataclass(frozen=True)
class GridItem:
    """A block (or a ghost block of a proposal, or busy time) on one day, in minutes after that day's local midnight."""

    key: tuple[str, int]  # ("block", id), ("ghost", proposal index) or ("busy", busy time id)
    day: int  # index into GridModel.days
    start: int
    end: int
    lines: tuple[str, ...]  # what is written in the block, top down (user text, shown literally)
    colour: str
    ghost: bool = False
    chosen: bool = True  # a ghost the accept would write
    conflict: bool = False
    busy: bool = False  # an event of an imported calendar: drawn hatched, not a block of clientdesk's

    def __post_init__(self) -> None:
        # drawn as raw segments (no Text in between): controls made visible here, once
        object.__setattr__(self, "lines", tuple(terminal_safe(line, newlines=False) for line in self.lines))


@dataclass(frozen=True)
class GridModel:
    days: tuple[GridDay, ...] = ()
    items: tuple[GridItem, ...] = ()
    slot: int = 30
    first: int = 9 * 60  # the first row's minute
    last: int = 18 * 60  # the end of the last row

    @property
    def rows(self) -> int:
        return max(1, (self.last - self.first) // self.slot)


@dataclass
class _Placed:
    item: GridItem
    row0: int
    row1: int  # exclusive
    lane: int = 0
    lanes: int = 1

    def lines(self, model: GridModel, per_slot: int) -> tuple[int, int]:
        """The grid lines (rows × lines per slot, from the first row) the item's
        time covers, end exclusive: at least one, from the line its start is in."""
        first, slot = model.first, model.slot
        line0 = max(0, (self.item.start - first) * per_slot // slot)
        line1 = max(line0 + 1, -(-(self.item.end - first) * per_slot // slot))
        return line0, line1


@dataclass
class _Layout:
    """Per day and row, the items drawn there, with their lane."""

    cells: list[list[list[_Placed]]] = field(default_factory=list)
    days: list[list[_Placed]] = field(default_factory=list)  # per day, by start
    _drawn: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)

    def drawn_lines(self, model: GridModel, per_slot: int) -> dict[int, tuple[int, int]]:
        """Per item (by id) the lines it is drawn on at `per_slot` lines a row.

        In a lane, an item whose first line is still taken by the one before
        (both inside one line: 10:30-10:45 then 10:45-11:15 at one line per
        half hour) starts on the next line, so each keeps its first line (its
        title) and neither is hidden; the items are in time order either way.
        """
        cached = self._drawn.get(per_slot)
        if cached is not None:
            return cached
        drawn: dict[int, tuple[int, int]] = {}
        for placed in self.days:
            lane_end: dict[int, int] = {}
            for p in placed:
                line0, line1 = p.lines(model, per_slot)
                line0 = max(line0, lane_end.get(p.lane, 0))
                line1 = max(line1, line0 + 1)
                lane_end[p.lane] = line1
                drawn[id(p)] = (line0, line1)
        self._drawn[per_slot] = drawn
        return drawn


def _layout(model: GridModel) -> _Layout:
    """Lanes by time: items side by side only when their times overlap. Two
    short blocks one after the other (10:30-10:45, 10:45-11:15) share a lane,
    and so are drawn one under the other, even inside one 30-minute row."""
    slot, first, rows = model.slot, model.first, model.rows
    per_day: list[list[_Placed]] = [[] for _ in model.days]
    for item in model.items:
        if not 0 <= item.day < len(model.days):
            continue
        r0 = max(0, (item.start - first) // slot)
        r1 = min(rows, max(r0 + 1, -(-(item.end - first) // slot)))
        if r1 <= 0 or r0 >= rows:
            continue
        per_day[item.day].append(_Placed(item, r0, r1))
    cells = [[[] for _ in range(rows)] for _ in model.days]
    for placed in per_day:
        placed.sort(key=lambda p: (p.item.start, -p.item.end, p.item.key))
        cluster: list[_Placed] = []
        lane_ends: list[int] = []
        cluster_end = -1

        def close() -> None:
            for p in cluster:
                p.lanes = len(lane_ends)

        for p in placed:
            start, end = p.item.start, max(p.item.end, p.item.start + 1)
            if start >= cluster_end and cluster:
                close()
                cluster, lane_ends = [], []
            lane = next((i for i, lane_end in enumerate(lane_ends) if lane_end <= start), None)
            if lane is None:
                lane_ends.append(end)
                lane = len(lane_ends) - 1
            else:
                lane_ends[lane] = end
            p.lane = lane
            cluster.append(p)
            cluster_end = max(cluster_end, end)
        if cluster:
            close()
    layout = _Layout(cells, per_day)
    for d, placed in enumerate(per_day):
        for p in placed:
            line0, line1 = layout.drawn_lines(model, 1).get(id(p), (p.row0, p.row1))
            for r in range(p.row0, min(rows, max(p.row1, line1))):
                cells[d][r].append(p)
    return layout


class WeekGrid(Widget, can_focus=True):
    """Draws a GridModel with a cursor cell; scrolls itself so the cursor row stays in view."""

    DEFAULT_CSS = """
    WeekGrid { height: 1fr; min-height: 4; }
    """

    class CellClicked(Message):
        """The user clicked a cell: the screen may move the cursor there."""

        def __init__(self, day: int, minute: int) -> None:
            super().__init__()
            self.day = day
            self.minute = minute

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.model = GridModel()
        self._layout = _layout(self.model)
        self.cursor: tuple[int, int] = (0, self.model.first)  # (day index, minute)
        self.selected: tuple[str, int] | None = None  # the item the cursor acts on
        self.top_row = 0

    # -- attributes down ------------------------------------------------------
    def set_model(self, model: GridModel) -> None:
        self.model = model
        self._layout = _layout(model)
        self.top_row = min(self.top_row, max(0, model.rows - 1))
        self._follow_cursor()
        self.refresh()

    def set_cursor(self, day: int, minute: int, selected: tuple[str, int] | None) -> None:
        self.cursor = (day, minute)
        self.selected = selected
        self._follow_cursor()
        self.refresh()

    # -- geometry -------------------------------------------------------------
    @property
    def lines_per_slot(self) -> int:
        body = max(1, self.size.height - 1)
        return max(1, min(MAX_LINES_PER_SLOT, body // self.model.rows))

    @property
    def visible_rows(self) -> int:
        return max(1, (self.size.height - 1) // self.lines_per_slot)

    def column_widths(self) -> list[int]:
        """The width of each day column (a separator cell comes before each)."""
        n = max(1, len(self.model.days))
        room = max(n * 2, self.size.width - GUTTER)
        base, extra = divmod(room, n)
        return [base - 1 + (1 if i < extra else 0) for i in range(n)]

    def _follow_cursor(self) -> None:
        row = (self.cursor[1] - self.model.first) // self.model.slot
        visible = self.visible_rows
        if row < self.top_row:
            self.top_row = max(0, row)
        elif row >= self.top_row + visible:
            self.top_row = row - visible + 1
        self.top_row = max(0, min(self.top_row, max(0, self.model.rows - visible)))

    def on_resize(self) -> None:
        self._follow_cursor()

    # -- drawing --------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not self.model.days:
            return Strip.blank(width)
        widths = self.column_widths()
        segments = self._header(widths) if y == 0 else self._body(y - 1, widths)
        return Strip(segments).adjust_cell_length(width)

    def _header(self, widths: list[int]) -> list[Segment]:
        out = [Segment(" " * GUTTER)]
        for day, w in zip(self.model.days, widths):
            out.append(Segment("│", _SEP_TODAY if day.today else _SEP))
            name = day.date.format("ddd D") if w < 16 else day.date.format("ddd D MMM")
            style = _HEADER_TODAY if day.today else _HEADER
            load = day.load + ("!" if day.overbooked else "")
            if load and cell_len(name) + cell_len(load) + 3 <= w:
                left = fit(" " + name, w - cell_len(load) - 1)
                out.append(Segment(left, style))
                out.append(Segment(load + " ", _LOAD_OVER if day.overbooked else (style if day.today else _LOAD)))
            else:
                out.append(Segment(fit(" " + name, w), style))
        return out

    def _body(self, line: int, widths: list[int]) -> list[Segment]:
        model, lps = self.model, self.lines_per_slot
        row, sub = self.top_row + line // lps, line % lps
        if row >= model.rows:
            return []
        minute = model.first + row * model.slot
        out = [self._gutter(line, row, sub, minute)]
        for d, (day, w) in enumerate(zip(model.days, widths)):
            out.append(Segment("│", _SEP_TODAY if day.today else _SEP))
            out.extend(self._cell(d, day, w, row, sub, minute))
        return out

    def _gutter(self, line: int, row: int, sub: int, minute: int) -> Segment:
        label = ""
        style = _GUTTER_HALF
        if sub == 0:
            if minute % 60 == 0:
                label, style = f"{minute // 60:02d}:00", _GUTTER_HOUR
            else:
                label = f"  :{minute % 60:02d}"
        mark = " "
        if line == 0 and self.top_row > 0:
            mark = "▲"
        elif line == self.visible_rows * self.lines_per_slot - 1 and self.top_row + self.visible_rows < self.model.rows:
            mark = "▼"
        if mark != " ":
            return Segment(fit(label, GUTTER - 1) + mark, _SCROLL_MARK)
        return Segment(fit(label, GUTTER), style)

    def _free(self, day: GridDay, minute: int, width: int, cursor: bool = False, label: bool = False) -> list[Segment]:
        if cursor:
            text = f"▸ {minute // 60:02d}:{minute % 60:02d}" if label else ""
            return [Segment(fit(text, width), _CURSOR)]
        working = any(a <= minute < b for a, b in day.spans)
        if not working:
            return [Segment(fit("", width), _OFF)]
        return [Segment(" " * width, _WORK_EVEN if (minute // 60) % 2 == 0 else _WORK_ODD)]

    def _cell(self, d: int, day: GridDay, width: int, row: int, sub: int, minute: int) -> list[Segment]:
        in_row = self._layout.cells[d][row] if d < len(self._layout.cells) else []
        cursor_here = self.cursor[0] == d and (self.cursor[1] - self.model.first) // self.model.slot == row
        lps = self.lines_per_slot
        line = row * lps + sub
        # the items drawn on this very line, one per lane
        drawn = self._layout.drawn_lines(self.model, lps)
        here: dict[int, tuple[_Placed, int]] = {}
        for p in in_row:
            line0, line1 = drawn[id(p)]
            if line0 <= line < line1:
                here[p.lane] = (p, line0)
        if not here:
            return self._free(day, minute, width, cursor_here, sub == 0)
        lanes = max(p.lanes for p, _ in here.values())
        bounds = [width * i // lanes for i in range(lanes + 1)]
        pieces: list[list[Segment] | None] = [None] * lanes
        for lane_no, (p, line0) in here.items():
            lane = min(lane_no, lanes - 1)
            pieces[lane] = self._item_piece(p, bounds[lane + 1] - bounds[lane], line - line0, cursor_here)
        out: list[Segment] = []
        for i, piece in enumerate(pieces):
            w = bounds[i + 1] - bounds[i]
            if piece is None:
                out.extend(self._free(day, minute, w))
            else:
                out.extend(piece)
        return out

    def _item_piece(self, p: _Placed, width: int, k: int, cursor_row: bool) -> list[Segment]:
        """Line `k` of the item (0: its first line)."""
        item = p.item
        if width <= 0:
            return []
        text = item.lines[k] if k < len(item.lines) else ""
        selected = item.key == self.selected
        colour = item.colour
        if item.busy:
            edge = Segment("┃" if selected else "▒", _CURSOR if (cursor_row and selected) else _BUSY_HATCH)
            room = width - 1
            if room <= 0:
                return [edge]
            shown = fit(text, room) if cell_len(text) >= room else text
            body = [Segment(shown, _CURSOR if (cursor_row and selected) else _BUSY)] if shown else []
            rest = room - cell_len(shown)
            if rest > 0:
                body.append(Segment(" " + "▒" * (rest - 1) if shown else "▒" * rest, _BUSY_HATCH))
            return [edge, *body]
        if item.ghost:
            bg = tint(colour) if item.chosen else _GHOST_BG
            fg = colour if item.chosen else "#5c6370"
            text_style = Style(color=fg, bgcolor=bg, bold=item.chosen and k == 0, strike=not item.chosen)
            hatch_style = Style(color=fg, bgcolor=bg, dim=not item.chosen)
            hatch = "░" if item.chosen else "·"
            edge = Segment("┃" if selected else hatch, Style(color="#ffffff", bgcolor=bg, bold=True) if selected else hatch_style)
            segs = [edge]
            room = width - 1
            if room > 0:
                shown = fit(text, room) if cell_len(text) > room - 1 else text
                if shown:
                    segs.append(Segment(shown, text_style))
                rest = room - cell_len(shown)
                if rest > 0:
                    segs.append(Segment(" " + hatch * (rest - 1) if shown else hatch * rest, hatch_style))
            if cursor_row and selected:
                segs = [segs[0]] + [Segment(seg.text, _CURSOR) for seg in segs[1:]]
            return segs
        fg = ink(colour)
        style = Style(color=fg, bgcolor=colour, bold=k == 0 or selected)
        if item.conflict:
            edge = Segment("!" if k == 0 else ("┃" if selected else "▌"), _CONFLICT_MARK if k == 0 or selected else Style(color=CONFLICT, bgcolor=colour))
        elif selected:
            edge = Segment("┃", Style(color="#ffffff" if fg == "#111111" else "#000000", bgcolor=colour, bold=True))
        else:
            edge = Segment(" ", style)
        body_style = _CURSOR if (cursor_row and selected) else style
        if width == 1:
            return [edge]
        return [edge, Segment(fit(text, width - 1), body_style)]

    # -- mouse ----------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if event.y < 1 or event.x < GUTTER or not self.model.days:
            return
        x = event.x - GUTTER
        for d, w in enumerate(self.column_widths()):
            if x < w + 1:
                row = self.top_row + (event.y - 1) // self.lines_per_slot
                if row < self.model.rows:
                    self.post_message(self.CellClicked(d, self.model.first + row * self.model.slot))
                return
            x -= w + 1

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.top_row = min(max(0, self.model.rows - self.visible_rows), self.top_row + 1)
        self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.top_row = max(0, self.top_row - 1)
        self.refresh()


__all__ = ["WeekGrid", "GridModel", "GridDay", "GridItem", "client_colour", "ink", "fit", "PALETTE"]
