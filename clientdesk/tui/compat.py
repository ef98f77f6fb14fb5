"""The one module that reaches into Textual's and Rich's private internals, each use named and checked.

Textual is pinned exactly (pyproject.toml) and `check()` compares the
installed versions and the signatures used here with the ones this code was
read against; tests/tui/test_compat.py runs it and pins each behaviour, so an
upgrade fails there, loudly, and not as a silently wrong screen. Every other
module of clientdesk keeps to the public API (tests/tui/test_no_private_textual.py).

What remains here, and why:

- `FastDataTable`: DataTable's cell and line drawing, kept per row version
  (DataTable's own caches are emptied by every update: after one decision
  the Overview re-rendered every cell on screen, 30-40 ms). It overrides
  `_render_cell`, `_render_line`, `_update_dimensions` and `_clear_caches`
  and reads `_row_locations`, `_column_locations`, `_get_styles_to_render_cell`,
  `_get_row_renderables`, `_get_offsets`, `_labelled_row_exists`,
  `_show_hover_cursor`, `_pseudo_class_state`. There is no public hook for a
  cell cache; tests/tui/test_keyed_table_render.py compares every cell it
  draws with DataTable's own drawing.
- `control_strip_tables()`: Rich's and Textual's tables of control characters
  to drop, which clientdesk extends so that ESC and friends show as visible
  escapes everywhere (no public setting exists).
- `screen_render(app)`: the composed screen, which `App.export_screenshot`
  turns into SVG; the headless export also needs it as plain text.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import rich.control
import textual.content
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

#: the versions this module was read against (pyproject.toml pins the same)
TESTED = {"textual": "8.2.8", "rich": "15.0.0"}

#: rendered cells and lines kept (DataTable keeps 10,000 cells and 1,000 lines in its own caches)
RENDERED_CELLS = 10_000
RENDERED_LINES = 2_000
#: what Text.__rich_console__ joins its lines with
_NEWLINE = Text("\n")

#: the private callables used here, with the parameters this module passes
_SIGNATURES = {
    (DataTable, "_render_cell"): ("self", "row_index", "column_index", "base_style", "width", "cursor", "hover"),
    (DataTable, "_render_line"): ("self", "y", "x1", "x2", "base_style"),
    (DataTable, "_update_dimensions"): ("self", "new_rows"),
    (DataTable, "_clear_caches"): ("self",),
    (DataTable, "_get_offsets"): ("self", "y"),
    (DataTable, "_get_row_renderables"): ("self", "row_index"),
    (DataTable, "_get_styles_to_render_cell"): (
        "self", "is_header_cell", "is_row_label_cell", "is_fixed_style_cell", "hover", "cursor", "show_cursor",
        "show_hover_cursor", "has_css_foreground_priority", "has_css_background_priority"),
}


def check() -> list[str]:
    """What differs from what this module relies on (empty when all is as read)."""
    problems = [f"{name} {version(name)} installed, {wanted} expected"
                for name, wanted in TESTED.items() if version(name) != wanted]
    for (cls, name), params in _SIGNATURES.items():
        found = getattr(cls, name, None)
        if found is None:
            problems.append(f"{cls.__name__}.{name} is gone")
        elif tuple(inspect.signature(found).parameters) != params:
            problems.append(f"{cls.__name__}.{name}{inspect.signature(found)} changed")
    for module in (rich.control, textual.content):
        if not isinstance(getattr(module, "_CONTROL_STRIP_TRANSLATE", None), dict):
            problems.append(f"{module.__name__}._CONTROL_STRIP_TRANSLATE is gone")
    return problems


def control_strip_tables() -> list[dict[int, str | None]]:
    """The tables Rich's Text and Textual's Content translate text through (code point -> replacement)."""
    return [rich.control._CONTROL_STRIP_TRANSLATE, textual.content._CONTROL_STRIP_TRANSLATE]


def screen_render(app):
    """The app's current screen composed with the screens behind it, as a Rich renderable."""
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def _text_line(cell: Text, width: int, console, none: Style) -> list[Segment] | None:
    """The segments Console.render_lines gives for the first line of a Text in
    `width` cells with no_wrap set, padded with `none`; None unless that is one
    line of the Text, not wrapped."""
    plain = cell.plain
    if (cell.no_wrap is False or cell.overflow == "ignore" or cell.end not in ("\n", "")
            or "\n" in plain or "\t" in plain):
        return None
    justify = cell.justify or "default"
    overflow = cell.overflow or "fold"
    if cell.spans:  # Text.__rich_console__ itself, without Console.render
        joined = _NEWLINE.join(cell.wrap(console, width, justify=justify, overflow=overflow, no_wrap=True))
        return next(Segment.split_and_crop_lines(joined.render(console, end=cell.end), width, style=none,
                                                 include_new_lines=False), [Segment(" " * width, none)])

    # no spans: what Text.wrap (Lines.justify, Text.truncate) does to the plain text
    def truncate(plain: str) -> str:
        if cell_len(plain) <= width:
            return plain
        return set_cell_size(plain, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(plain, width)

    if justify == "left":
        plain = truncate(plain)
        plain += " " * (width - cell_len(plain))
    elif justify in ("center", "right"):
        plain = truncate(plain.rstrip())
        gap = width - cell_len(plain)
        plain = " " * (gap // 2) + plain + " " * (gap - gap // 2) if justify == "center" else " " * gap + plain
    plain = truncate(plain)
    gap = width - cell_len(plain)
    if gap < 0:
        return None
    # Text.join makes the style a span, which Text.render draws (and an unstyled Text as one segment)
    if not cell.style:
        line = [Segment(plain)]
    elif plain:
        line = [Segment(plain, console.get_style(cell.style, default=Style.null()))]
    else:
        line = []
    if gap:
        line.append(Segment(" " * gap, none))
    return line



class FastDataTable(DataTable):
    """A DataTable that keeps each drawn cell and line while its row is unchanged."""

    def __init__(self, *args, **kwargs) -> None:
        # before DataTable's __init__, whose watchers clear the caches
        self._rendered_cells: dict[tuple, tuple[object, list]] = {}
        self._rendered_lines: dict[tuple, object] = {}
        self._row_versions: dict[RowKey, int] = {}
        self._line_layout: tuple | None = None
        self._styles: tuple | None = None
        super().__init__(*args, **kwargs)

    # DataTable keys its rendered cells and lines on a counter that every
    # update_cell, add_row, remove_row and sort bumps, and its lines also on the
    # cursor's coordinate: after one decision it re-rendered every cell on screen
    # (~35 rows x 10 cells: 30-40 ms, then ~17 ms even with the cells cached).
    # Here a rendered cell or line is kept while its row is unchanged (a version
    # per row, bumped by update_cell and add_row) at the same place, with the same
    # column widths and styles, and the same cursor and hover state of its row.
    # The component styles (cursor, zebra, ...) are part of the key rather than a
    # reason to clear: a screen coming back (1 -> 4) re-applies its CSS, which made
    # DataTable redraw every row although nothing looked different. Ours are
    # cleared with DataTable's on clear() and its watchers.

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._row_versions[row_key] = self._row_versions.get(row_key, 0) + 1
        return row_key

    def update_cell(self, row_key, column_key, value, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        row_key = RowKey(row_key) if isinstance(row_key, str) else row_key
        # also when a cell object was changed in place and set again
        self._row_versions[row_key] = self._row_versions.get(row_key, 0) + 1

    def _render_cell(self, row_index: int, column_index: int, base_style, width: int,
                     cursor: bool = False, hover: bool = False):
        if row_index < 0 or column_index < 0:  # header and row labels: DataTable's own cache
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell = self.get_cell(row_key, column_key)
        key = (row_key, column_key, row_index, column_index, base_style, width, cursor, hover,
               self._show_hover_cursor, self._pseudo_class_state, self.rows[row_key].height,
               self._row_versions.get(row_key, 0), self._part_styles())
        hit = self._rendered_cells.get(key)
        if hit is not None and hit[0] is cell:
            return hit[1]
        lines = self._fast_cell(row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._rendered_cells) >= RENDERED_CELLS:
            self._rendered_cells.clear()
        self._rendered_cells[key] = (cell, lines)
        return lines

    # A cell missing from the cache is drawn here when it is one line of Text (what
    # DataTable makes of str, int and float cells too), without the Styled, Padding
    # and Console.render_lines that DataTable wraps it in: ~4x faster a cell (~60 ->
    # ~15 us; both Overview tables drawn in ~19 ms instead of ~36), the same segments.
    # What those layers do with such a cell, read from Textual 8.2.8 and Rich 15.0:
    # Text.__rich_console__ with no_wrap from the options (App.console_options sets
    # no justify or overflow), its first line cropped and padded to the inner width
    # with Padding's "none" style, the padding on either side, Styled's pre and post
    # styles. Anything else (a row not one line high, a newline or tab, no_wrap=False,
    # overflow "ignore", other renderables) goes to DataTable. Rich is not pinned:
    # tests/tui/test_keyed_table_render.py compares every cell of tables of such cells
    # (justify, overflow, wide characters cut in half, padding 0-2, cursor, hover,
    # zebra, fixed rows, random texts) with DataTable's own rendering.

    def _fast_cell(self, row_index: int, column_index: int, base_style, width: int, cursor: bool, hover: bool):
        """DataTable._render_cell of a data cell that is one line of Text, or None."""
        row_key = self._row_locations.get_key(row_index)
        if self.rows[row_key].height != 1:
            return None
        cell = self._get_row_renderables(row_index).cells[column_index]
        pad = self.cell_padding
        if type(cell) is not Text or width - 2 * pad < 1:
            return None
        console = self.app.console
        none = console.get_style("none")  # Padding's style: a null one, unless a theme says otherwise
        line = None if none else _text_line(cell, width - 2 * pad, console, none)
        if line is None:
            return None
        if pad:
            line = [Segment(" " * pad, none), *line, Segment(" " * pad, none)]
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, row_index < self.fixed_rows or column_index < self.fixed_columns, hover, cursor,
            self.show_cursor, self._show_hover_cursor, self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        return [list(Segment.apply_style(line, style=pre_style, post_style=post_style))]

    def _update_dimensions(self, new_rows) -> None:
        # DataTable measures every cell of every new row (~15 ms for the Overview's
        # first paint) for the widths of auto-width columns and labels; with every
        # width given and no labels it only needs the virtual size, which the call
        # without rows computes.
        if any(column.auto_width for column in self.columns.values()) or self._labelled_row_exists or any(
                self.rows[key].label is not None or self.rows[key].auto_height for key in new_rows if key in self.rows):
            super()._update_dimensions(new_rows)
        else:
            super()._update_dimensions(())

    def render_lines(self, crop):
        # what every line depends on beside its own row, read once per paint
        self._line_layout = (
            tuple((column.key, column.get_render_width(self)) for column in self.ordered_columns),
            self.size.width, self.cell_padding, self.zebra_stripes, self.show_cursor, self.cursor_type,
            self._part_styles(),
        )
        return super().render_lines(crop)

    def _render_line(self, y: int, x1: int, x2: int, base_style):
        layout = self._line_layout
        if (layout is None or self.cursor_type != "row" or self.fixed_rows or self.fixed_columns
                or (self._labelled_row_exists and self.show_row_labels)):
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        row_index = self._row_locations.get(row_key)
        if row_index is None:  # the header
            return super()._render_line(y, x1, x2, base_style)
        key = (row_key, line_no, row_index, x1, x2, base_style, self.cursor_coordinate.row == row_index,
               self.hover_coordinate.row == row_index, self._show_hover_cursor, self._pseudo_class_state,
               self._row_versions.get(row_key, 0), self.rows[row_key].height, layout)
        strip = self._rendered_lines.get(key)
        if strip is None:
            strip = super()._render_line(y, x1, x2, base_style)
            if len(self._rendered_lines) >= RENDERED_LINES:
                self._rendered_lines.clear()
            self._rendered_lines[key] = strip
        return strip

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._rendered_cells.clear()
        self._rendered_lines.clear()
        self._row_versions.clear()  # nothing cached refers to them any more

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def _part_styles(self) -> tuple:
        """The styles of the table's parts (cursor, hover, zebra rows, ...), read
        again after every style update."""
        if self._styles is None:
            self._styles = tuple(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES))
        return self._styles
