"""A DataTable whose rows are keyed by primary key, keeping the cursor on the
same item across reloads, with marks (`v`) for acting on several rows.

`set_rows` updates the table in place when the columns are unchanged: rows
whose key remains keep their place in the DataTable and only the cells that
differ are updated, rows that left are removed, new ones added, and the order
is restored with one sort. A DataTable costs ~0.1 ms per added row plus the
measuring of every new cell on the next idle, so rebuilding a 400-row queue
after one decision cost more than the decision itself."""

from __future__ import annotations

from operator import is_
from typing import Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

MARK = "▶"

#: above this, removing rows one by one (each one O(rows)) costs more than a rebuild:
#: rebuild when removed x old rows > REBUILD_FACTOR x new rows
REBUILD_FACTOR = 200
#: rendered cells and lines kept (DataTable keeps 10,000 cells and 1,000 lines in its own caches)
RENDERED_CELLS = 10_000
RENDERED_LINES = 2_000
#: what Text.__rich_console__ joins its lines with
_NEWLINE = Text("\n")


def _mark_cell(marked: bool) -> Text:
    return Text(MARK if marked else " ", style="bold magenta")


def same_cell(a: object, b: object) -> bool:
    """Whether two cells draw the same. `Text ==` compares only the text and
    its spans (not the base style, justify or overflow), so it is not enough."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, Text):
        return (
            a.plain == b.plain
            and a.spans == b.spans
            and a.style == b.style
            and a.justify == b.justify
            and a.overflow == b.overflow
            and a.no_wrap == b.no_wrap
            and a.end == b.end
            and a.tab_size == b.tab_size
        )
    if isinstance(a, Content):
        return a.plain == b.plain and a.spans == b.spans
    if a is None or isinstance(a, (str, int, float)):
        return a == b
    return False  # any other renderable: update it, to be safe


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


class KeyedTable(DataTable):
    """Rows are (key, cells); the first column shows the mark."""

    DEFAULT_CSS = """
    KeyedTable { height: 1fr; }
    """
    # DataTable's home/end scroll sideways in a row table and leave the cursor
    # where it was: here they move the highlighted row, which is what `v` marks.
    BINDINGS = [
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
        Binding("pageup", "page_rows(-1)", "Page up", show=False),
        Binding("pagedown", "page_rows(1)", "Page down", show=False),
    ]

    def __init__(self, *args, markable: bool = False, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        # before DataTable's __init__, whose watchers clear the caches
        self._rendered_cells: dict[tuple, tuple[object, list]] = {}
        self._rendered_lines: dict[tuple, object] = {}
        self._row_versions: dict[RowKey, int] = {}
        self._line_layout: tuple | None = None
        self._styles: tuple | None = None
        super().__init__(*args, **kwargs)
        self.markable = markable
        self.marked: set[int] = set()
        self._columns_spec: tuple = ()
        # what the table holds, by row key: every cell as DataTable stores it (the mark first, when markable,
        # and None for cells a row did not give), and whether the mark shows
        self._held: dict[str, list] = {}
        self._mark_shown: dict[str, bool] = {}

    def set_rows(self, columns: Sequence[tuple[str, int | None]], rows: Iterable[tuple[int, Sequence[object]]]) -> None:
        """Show these rows, keeping the cursor on the same key when it is still there
        (else on its neighbour). Updates in place when the columns are unchanged."""
        keep = self.current_key
        old_row = self.cursor_row
        spec = tuple(columns)
        new = [(key, str(key), tuple(cells)) for key, cells in rows]
        present = {key for key, _, _ in new}
        self.marked &= present
        if spec != self._columns_spec or not self._update_in_place(spec, new):
            self._rebuild(spec, new)
        if keep is not None and keep in present:
            try:
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)
            except RowDoesNotExist:
                pass
        elif keep is not None and self.row_count:
            # the row left the list (done, filtered out): stay on its neighbour
            self.move_cursor(row=min(old_row, self.row_count - 1), animate=False)

    def _add(self, key: int, skey: str, cells: tuple) -> None:
        row = [_mark_cell(key in self.marked), *cells] if self.markable else list(cells)
        self.add_row(*row, key=skey)  # refuses more cells than columns, pads fewer with None
        row += [None] * (len(self.columns) - len(row))
        self._held[skey] = row
        self._mark_shown[skey] = key in self.marked

    def _rebuild(self, spec: tuple, new: list[tuple[int, str, tuple]]) -> None:
        if spec != self._columns_spec:
            self.clear(columns=True)
            if self.markable:
                self.add_column(Text(" "), width=1, key="_mark")
            for label, width in spec:
                self.add_column(Text(label), width=width, key=label)  # a label, not markup (and no parsing)
            self._columns_spec = spec
        else:
            self.clear()
        self._held.clear()
        self._mark_shown.clear()
        for key, skey, cells in new:
            self._add(key, skey, cells)

    def _update_in_place(self, spec: tuple, new: list[tuple[int, str, tuple]]) -> bool:
        """Patch the table into the new rows; False when a rebuild is cheaper or needed."""
        old_keys = [row.key.value for row in self.ordered_rows]
        if len(old_keys) != len(self._held) or not all(k in self._held for k in old_keys):
            return False  # rows added or removed behind our back
        new_keys = [skey for _, skey, _ in new]
        if len(set(new_keys)) != len(new_keys):
            return False  # duplicate keys: the rebuild's add_row says so
        names = [label for label, _ in spec]
        if any(len(cells) > len(names) for _, _, cells in new):
            return False  # too many cells: the rebuild's add_row says so
        wanted = set(new_keys)
        gone = [k for k in old_keys if k not in wanted]
        if not new or len(gone) * len(old_keys) > REBUILD_FACTOR * len(new):
            return False
        auto_width = {label for label, width in spec if width is None}
        offset = 1 if self.markable else 0
        for skey in gone:
            self._remove_row_in_place(skey)
            del self._held[skey]
            del self._mark_shown[skey]
        for key, skey, cells in new:
            held = self._held.get(skey)
            if held is None:
                self._add(key, skey, cells)
                continue
            if len(cells) != len(names) or not all(map(is_, held[offset:], cells)):  # else: the very same cells
                for index, name in enumerate(names):
                    cell = cells[index] if index < len(cells) else None
                    if not same_cell(held[offset + index], cell):
                        self.update_cell(skey, name, cell, update_width=name in auto_width)
            if self.markable and self._mark_shown[skey] != (key in self.marked):
                self.update_cell(skey, "_mark", _mark_cell(key in self.marked))
                self._mark_shown[skey] = key in self.marked
        if [row.key.value for row in self.ordered_rows] != new_keys:
            self._restore_order(new_keys)
        return True

    def _remove_row_in_place(self, skey: str) -> None:
        """DataTable.remove_row without the layout pass it asks for (Textual 8.2.8).

        That pass lays out and repaints the whole screen (~30-60 ms with a
        500-row table beside it), and is not needed: the table's size follows
        its rows through `virtual_size` (a reactive that asks for a layout
        itself when the rows' height or width changes), which the removal
        updates when the table next idles. A repaint is still asked for.
        """
        self._layout_muted = True
        try:
            self.remove_row(skey)
        finally:
            self._layout_muted = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if layout and getattr(self, "_layout_muted", False):
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _restore_order(self, new_keys: list[str]) -> None:
        """DataTable.sort sees only a row's cells, not its key: rank the rows by
        the identity of the cell objects they hold (the first cell's, when no two
        rows share it, as the marks never do)."""
        first = self.ordered_columns[0].key
        by_first = {id(self._held[skey][0]): index for index, skey in enumerate(new_keys)}
        if len(by_first) == len(new_keys):
            self.sort(first, key=lambda cell: by_first[id(cell)])
            return
        by_row = {tuple(map(id, self._held[skey])): index for index, skey in enumerate(new_keys)}
        if len(by_row) == len(new_keys):
            self.sort(key=lambda cells: by_row[tuple(map(id, cells))])
            return
        # two rows holding the very same cell objects: add them again in order
        rows = [(skey, self.get_row(skey)) for skey in new_keys]
        self.clear()
        for skey, cells in rows:
            self.add_row(*cells, key=skey)

    # -- drawing ----------------------------------------------------------------
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
    # cleared with DataTable's on clear() and its watchers. Textual is pinned
    # exactly: these override DataTable's private _render_cell / _render_line.

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._row_versions[row_key] = self._row_versions.get(row_key, 0) + 1
        return row_key

    def update_cell(self, row_key, column_key, value, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        row_key = RowKey(row_key) if isinstance(row_key, str) else row_key
        held = self._held.get(row_key.value)
        if held is not None:
            held[self.get_column_index(column_key)] = value
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

    @property
    def current_key(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        return int(key) if key is not None else None

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def action_page_rows(self, direction: int) -> None:
        """The cursor a screenful of rows up or down (at least one), kept in view."""
        if not self.row_count:
            return
        page = max(1, self.scrollable_content_region.height - (self.header_height if self.show_header else 0) - 1)
        row = min(max(self.cursor_row + direction * page, 0), self.row_count - 1)
        self.move_cursor(row=row, animate=False)

    def toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor and step down."""
        key = self.current_key
        if key is None or not self.markable:
            return
        self.marked ^= {key}
        self.update_cell(str(key), "_mark", _mark_cell(key in self.marked))
        self._mark_shown[str(key)] = key in self.marked
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def targets(self) -> list[int]:
        """The marked rows, or the row under the cursor."""
        if self.marked:
            return sorted(self.marked)
        key = self.current_key
        return [key] if key is not None else []
