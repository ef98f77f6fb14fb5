"""A DataTable whose rows are keyed by primary key, keeping the cursor on the
same item across reloads, with marks (`v`) for acting on several rows.

`set_rows` updates the table in place when the columns are unchanged: rows
whose key remains keep their place in the DataTable and only the cells that
differ are updated, rows that left are removed, new ones added, and the order
is restored with one sort. A DataTable costs ~0.1 ms per added row plus the
measuring of every new cell on the next idle, so rebuilding a 400-row queue
after one decision cost more than the decision itself. Its drawing is
`FastDataTable`'s (tui/compat.py): cells and lines kept per row version."""

from __future__ import annotations

from operator import is_
from typing import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets.data_table import RowDoesNotExist, RowKey

from clientdesk.tui.compat import FastDataTable

MARK = "▶"

#: above this, removing rows one by one (each one O(rows)) costs more than a rebuild:
#: rebuild when removed x old rows > REBUILD_FACTOR x new rows
REBUILD_FACTOR = 200


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


class KeyedTable(FastDataTable):
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

    def update_cell(self, row_key, column_key, value, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        held = self._held.get(row_key.value if isinstance(row_key, RowKey) else row_key)
        if held is not None:
            held[self.get_column_index(column_key)] = value

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
