"""KeyedTable draws a cell that is one line of Text itself (`_fast_cell`), without
the Styled(Padding(...)) and Console.render_lines DataTable wraps every cell in:
every cell must come out as DataTable._render_cell draws it, character by
character with the same final style, and in the same segments (the snapshots'
SVGs are made of them). Anything the fast path is not sure of goes to DataTable."""

from __future__ import annotations

import random

import pytest
from rich.align import Align
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from clientdesk.tui.widgets.keyed_table import KeyedTable

#: widths that cut "青禾茶业" (two cells a character) in half, shorter and longer than the texts
COLUMNS = [("w1", 1), ("w2", 2), ("w3", 3), ("w5", 5), ("w8", 8), ("w13", 13), ("w30", 30), ("auto", None)]
JUSTIFY = [None, "default", "left", "center", "right", "full"]
OVERFLOW = [None, "fold", "crop", "ellipsis"]


def spans(plain: str, style: str = "") -> Text:
    """A text with spans over parts of it (and one past its end, which Text clamps)."""
    text = Text(plain, style=style)
    text.stylize("bold red", 0, 3)
    text.stylize(Style(italic=True, bgcolor="#303030"), 2, 9)
    text.stylize("underline", len(plain) - 2, len(plain) + 5)
    return text


def fast_cells() -> list[object]:
    """Cells the fast path takes: what DataTable makes a Text of (str, int, float) and Texts."""
    cells: list[object] = [
        "plain", "[bold]x[/]", "[red]markup[/red] that is longer than most columns", 42, 3.14159,
        "  spaces around  ", "青禾茶业", "🍵 tea 👍🏽", None, "",
        Text("[bold]x[/]"), Text(""), Text("", style="reverse"), Text("", end=""),
        Text("Acme Corp", style="bold #3c9a5f on #202020"), Text("Acme Corp", style="no such style"),
        Text("site", style=Style(link="https://example.com")), Text("x", style=Style.null()),
        Text("   padded   ", style="on blue"), Text("trailing   ", justify="right", style="underline"),
        Text("青禾茶业", style="bold"), Text("青禾茶业 tea", overflow="ellipsis", no_wrap=True),
        Text("a青禾茶业", justify="center"), Text("🍵 emoji 👍🏽 e\u0301 👩\u200d💻", style="italic"),
        Text(" ● red ", style="bold white on #b03a2e"), Text("█" * 5 + " 100%", style="#3c9a5f"),
        spans("Late 3d ago, again"), spans("青禾茶业 tea shop", "on #101010"), spans("ab"),
    ]
    for justify in JUSTIFY:
        for overflow in OVERFLOW:
            for no_wrap in (None, True):
                cells.append(Text("Stratus 青禾 project  ", style="underline", justify=justify,
                                  overflow=overflow, no_wrap=no_wrap, end="\n" if no_wrap else ""))
                cells.append(spans("Quarterly 茶 review", "dim") if justify is None else
                             Text.assemble(("Due ", "bold"), ("Mon 23 Nov", "#d4a017"), justify=justify,
                                           overflow=overflow, no_wrap=no_wrap))
    return cells


#: cells DataTable draws (the fast path is not sure of them)
SLOW_CELLS = [
    Text("two\nlines"), Text("tab\there"), Text("wrap me please, I am long", no_wrap=False),
    Text("ignore overflow, this is long", overflow="ignore"), Text("odd end", end=" "),
    Align.right(Text("not a Text")),
]


class Tables(App):
    CSS = """
    KeyedTable { height: 1fr; }
    KeyedTable > .datatable--fixed-cursor { color: yellow; background: darkgreen; text-style: underline; }
    """

    def __init__(self, padding: int, zebra: bool = True) -> None:
        super().__init__()
        self.padding = padding
        self.zebra = zebra

    def compose(self) -> ComposeResult:
        yield KeyedTable(id="t", markable=True, cell_padding=self.padding, zebra_stripes=self.zebra)


def characters(lines) -> list[list[tuple[str, Style | None]]]:
    """Each line as (character, style) pairs, whatever its segments."""
    return [[(char, segment.style) for segment in line for char in segment.text] for line in lines]


def datatable_cell(table: KeyedTable, *args) -> list:
    table._cell_render_cache.clear()  # keyed without the width
    return DataTable._render_cell(table, *args)


def compare_every_cell(table: KeyedTable) -> int:
    """Both renderings of every cell, with and without cursor and hover; how many were fast."""
    fast = 0
    for row_index in range(table.row_count):
        row_style = table._get_row_style(row_index, table.rich_style)
        for column_index, column in enumerate(table.ordered_columns):
            for cursor in (False, True):
                for hover in (False, True):
                    args = (row_index, column_index, row_style, column.get_render_width(table), cursor, hover)
                    lines = table._fast_cell(*args)
                    if lines is None:
                        continue
                    fast += 1
                    expected = datatable_cell(table, *args)
                    cell = table.get_cell_at((row_index, column_index))
                    assert characters(lines) == characters(expected), (cell, args)
                    assert lines == expected, (cell, args)
    return fast


async def show(pilot, table: KeyedTable, cells: list[object]) -> None:
    table.set_rows(COLUMNS, [(key, [cell] * len(COLUMNS)) for key, cell in enumerate(cells)])
    await pilot.pause()
    table.move_cursor(row=3, animate=False)
    table._set_hover_cursor(True)
    table.hover_coordinate = table.hover_coordinate._replace(row=4)
    await pilot.pause()


def drawn(table: KeyedTable) -> list[list]:
    table._clear_caches()
    return [list(strip) for strip in table.render_lines(Region(0, 0, table.size.width, table.size.height))]


@pytest.mark.parametrize("padding", [0, 1, 2])
async def test_text_cells_draw_as_datatable_draws_them(padding):
    app = Tables(padding)
    async with app.run_test(size=(120, 60)) as pilot:
        table = app.query_one(KeyedTable)
        cells = fast_cells()
        await show(pilot, table, cells)
        # every column of every row, marks included, is taken by the fast path and drawn the same
        assert compare_every_cell(table) == table.row_count * len(table.columns) * 4
        # markup is read in a str, not in a Text
        as_text = next(index for index, cell in enumerate(cells) if isinstance(cell, Text) and "[" in cell.plain)
        for row_index, shown in ((cells.index("[bold]x[/]"), "x"), (as_text, "[bold]x[/]")):
            args = (row_index, 6, table.rich_style, table.ordered_columns[6].get_render_width(table), False, False)
            assert "".join(char for char, _ in characters(table._fast_cell(*args))[0]).strip() == shown

        # as drawn on screen: the zebra rows, the cursor's and the hover's rows; then with the
        # cursor's background from CSS over the cells' (a post style), and a fixed row and column
        for change in ({}, {"cursor_foreground_priority": "renderable", "cursor_background_priority": "css"},
                       {"fixed_rows": 1, "fixed_columns": 1}):
            for name, value in change.items():
                setattr(table, name, value)
            await pilot.pause()
            fast = set()
            original = table._fast_cell

            def counted(*args):
                lines = original(*args)
                if lines is not None:
                    fast.add(args[:2])
                return lines

            table._fast_cell = counted
            ours = drawn(table)
            visible_rows = table.size.height - table.header_height
            # not vacuous: every cell on screen was drawn by the fast path
            on_screen = {(row, column) for row in range(visible_rows) for column in range(len(table.columns))}
            assert fast == on_screen
            table._fast_cell = lambda *args: None
            assert ours == drawn(table)
            del table._fast_cell
            assert compare_every_cell(table) == table.row_count * len(table.columns) * 4


async def test_what_the_fast_path_is_unsure_of_goes_to_datatable():
    app = Tables(1, zebra=False)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(KeyedTable)
        await show(pilot, table, SLOW_CELLS + ["one line"])
        tall = table.add_row(*[Text("two high")] * len(COLUMNS), height=2, key="tall")
        auto = table.add_row(*[Text("auto high\nand more")] * len(COLUMNS), height=None, key="auto")
        await pilot.pause()
        assert table.rows[tall].height == 2 and table.rows[auto].height > 1
        ours = drawn(table)
        for row_index in range(table.row_count):
            for column_index, column in enumerate(table.ordered_columns):
                args = (row_index, column_index, table.rich_style, column.get_render_width(table), False, False)
                fast = table._fast_cell(*args)
                cell = table.get_cell_at((row_index, column_index))
                is_one_line = row_index == len(SLOW_CELLS) or (column_index == 0 and row_index < len(SLOW_CELLS))
                assert (fast is not None) == is_one_line, (cell, row_index)
                if fast is not None:
                    assert fast == datatable_cell(table, *args)
        table._fast_cell = lambda *args: None
        assert ours == drawn(table)


@pytest.mark.parametrize("seed", range(4))
async def test_random_text_cells_draw_as_datatable_draws_them(seed):
    """Random texts (wide, combining and joined characters, spaces at either end, spans,
    markup in str cells) in every column width, with a random padding."""
    rnd = random.Random(seed)
    alphabet = ["a", "b", "Z", " ", " ", "-", "…", "青", "禾", "🍵", "👍🏽", "e\u0301", "👩\u200d💻", "x[b]"]
    styles = ["", "bold", "on #202020", "italic #d4a017", Style(underline=True), "no such style"]
    cells = []
    for _ in range(60):
        plain = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 14)))
        text = Text(plain, style=rnd.choice(styles), justify=rnd.choice(JUSTIFY),
                    overflow=rnd.choice(OVERFLOW), no_wrap=rnd.choice([None, True]), end=rnd.choice(["\n", ""]))
        for _ in range(rnd.randrange(0, 3)):
            start = rnd.randrange(0, len(plain) + 1)
            text.stylize(rnd.choice(styles), start, start + rnd.randrange(0, 6))
        cells.append(text if rnd.random() < 0.8 else plain)  # a str: DataTable reads markup
    app = Tables(rnd.randrange(0, 3), zebra=rnd.random() < 0.5)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(KeyedTable)
        await show(pilot, table, cells)
        assert compare_every_cell(table) == table.row_count * len(table.columns) * 4
