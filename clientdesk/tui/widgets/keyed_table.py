"""A DataTable whose rows are keyed by primary key, keeping the cursor on the
same item across reloads, with marks (`v`) for acting on several rows."""

from __future__ import annotations

from typing import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

MARK = "▶"


class KeyedTable(DataTable):
    """Rows are (key, cells); the first column shows the mark."""

    DEFAULT_CSS = """
    KeyedTable { height: 1fr; }
    """

    def __init__(self, *args, markable: bool = False, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self.markable = markable
        self.marked: set[int] = set()
        self._columns_spec: tuple = ()

    def set_rows(self, columns: Sequence[tuple[str, int | None]], rows: Iterable[tuple[int, Sequence[object]]]) -> None:
        """Replace the content, keeping the cursor on the same key when it is still there."""
        keep = self.current_key
        old_row = self.cursor_row
        spec = tuple(columns)
        if spec != self._columns_spec:
            self.clear(columns=True)
            if self.markable:
                self.add_column(" ", width=1, key="_mark")
            for label, width in spec:
                self.add_column(label, width=width, key=label)
            self._columns_spec = spec
        else:
            self.clear()
        present = set()
        for key, cells in rows:
            present.add(key)
            row = list(cells)
            if self.markable:
                row.insert(0, Text(MARK if key in self.marked else " ", style="bold magenta"))
            self.add_row(*row, key=str(key))
        self.marked &= present
        if keep is not None and keep in present:
            try:
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)
            except RowDoesNotExist:
                pass
        elif keep is not None and self.row_count:
            # the row left the list (done, filtered out): stay on its neighbour
            self.move_cursor(row=min(old_row, self.row_count - 1), animate=False)

    @property
    def current_key(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        return int(key) if key is not None else None

    def toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor and step down."""
        key = self.current_key
        if key is None or not self.markable:
            return
        self.marked ^= {key}
        self.update_cell(str(key), "_mark", Text(MARK if key in self.marked else " ", style="bold magenta"))
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def targets(self) -> list[int]:
        """The marked rows, or the row under the cursor."""
        if self.marked:
            return sorted(self.marked)
        key = self.current_key
        return [key] if key is not None else []
