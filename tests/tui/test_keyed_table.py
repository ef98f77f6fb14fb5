"""KeyedTable.set_rows updates in place: the same keys keep their rows and only
changed cells are set, rows that left go (the cursor to the neighbour), new
ones come, the order is the one given, and what is drawn is what a freshly
built table draws."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Input

from clientdesk.tui.text import literal
from clientdesk.tui.widgets.keyed_table import MARK, KeyedTable

COLUMNS = [("Name", 14), ("Note", 12)]


class Tables(App):
    """Two tables: `a` is updated in place, `b` is rebuilt from scratch to compare with."""

    CSS = """
    KeyedTable { height: 12; }
    KeyedTable.-alt > .datatable--cursor { background: red; }
    KeyedTable.-alt > .datatable--even-row { background: blue; }
    """

    def compose(self) -> ComposeResult:
        yield KeyedTable(id="a", markable=True)
        yield KeyedTable(id="b", markable=True)
        yield Input(id="elsewhere")


def rows(data) -> list[tuple[int, list[Text]]]:
    """(key, name, note) -> KeyedTable rows, new cell objects every time (as a reload makes them)."""
    return [(key, [literal(name, "bold"), Text(note, style="dim" if note == "-" else "", justify="right")])
            for key, name, note in data]


def keys(table: KeyedTable) -> list[int]:
    return [int(row.key.value) for row in table.ordered_rows]


def shown(table: KeyedTable) -> list[tuple[str, ...]]:
    """The rows' cells as text, without the mark column."""
    return [tuple(cell.plain for cell in table.get_row_at(i)[1:]) for i in range(table.row_count)]


def drawn(table: KeyedTable) -> list[list[tuple[str, object]]]:
    strips = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


def drawn_text(table: KeyedTable) -> str:
    return "\n".join("".join(text for text, _ in line) for line in drawn(table))


class Spy:
    """Counts DataTable calls on one table."""

    def __init__(self, table: KeyedTable, *names: str) -> None:
        self.calls: dict[str, int] = {name: 0 for name in names}
        for name in names:
            original = getattr(table, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                self.calls[_name] += 1
                return _original(*args, **kwargs)

            setattr(table, name, counted)


BASE = [(1, "Acme", "-"), (2, "Beta", "4h"), (3, "Corvid", "-"), (4, "Delta", "2h"), (5, "Echo", "-")]


async def test_same_keys_update_only_the_changed_cells():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        table.set_rows(COLUMNS, rows(BASE))
        await pilot.pause()
        acme_name = table.get_row("1")[1]
        spy = Spy(table, "clear", "add_row", "remove_row", "update_cell", "sort")
        changed = [(1, "Acme", "-"), (2, "Beta", "4h"), (3, "Corvid", "6h"), (4, "Delta", "2h"), (5, "Echo", "-")]
        table.set_rows(COLUMNS, rows(changed))
        assert spy.calls == {"clear": 0, "add_row": 0, "remove_row": 0, "update_cell": 1, "sort": 0}
        assert shown(table) == [(name, note) for _, name, note in changed]
        assert table.get_row("1")[1] is acme_name  # an equal cell is left alone
        # a style-only change is a change (Text == compares only text and spans)
        restyled = rows(changed)
        restyled[0][1][1] = Text("-", style="bold", justify="right")
        table.set_rows(COLUMNS, restyled)
        assert spy.calls["update_cell"] == 2 and table.get_row("1")[2].style == "bold"


async def test_a_row_that_left_puts_the_cursor_on_its_neighbour():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        table.set_rows(COLUMNS, rows(BASE))
        table.move_cursor(row=2)
        await pilot.pause()
        assert table.current_key == 3
        spy = Spy(table, "clear")
        table.set_rows(COLUMNS, rows([r for r in BASE if r[0] != 3]))
        assert spy.calls["clear"] == 0
        assert keys(table) == [1, 2, 4, 5]
        assert (table.cursor_row, table.current_key) == (2, 4)
        # the last row leaves: the cursor goes to the new last one
        table.move_cursor(row=3)
        table.set_rows(COLUMNS, rows([(1, "Acme", "-"), (2, "Beta", "4h"), (4, "Delta", "2h")]))
        assert (table.cursor_row, table.current_key) == (2, 4)
        # a row that stays keeps the cursor, wherever it goes
        table.move_cursor(row=0)
        table.set_rows(COLUMNS, rows([(2, "Beta", "4h"), (4, "Delta", "2h"), (1, "Acme", "-")]))
        assert table.current_key == 1 and table.cursor_row == 2


async def test_new_order_and_new_rows_come_out_in_the_order_given():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        table.set_rows(COLUMNS, rows(BASE))
        table.move_cursor(row=1)
        await pilot.pause()
        spy = Spy(table, "clear")
        new = [(5, "Echo", "-"), (9, "New", "1h"), (2, "Beta", "5h"), (1, "Acme", "-"), (7, "Other", "-"),
               (4, "Delta", "2h")]
        table.set_rows(COLUMNS, rows(new))
        assert spy.calls["clear"] == 0
        assert keys(table) == [5, 9, 2, 1, 7, 4]
        assert shown(table) == [(name, note) for _, name, note in new]
        assert table.current_key == 2 and table.cursor_row == 2
        assert [table.get_row_index(str(k)) for k in (5, 9, 2, 1, 7, 4)] == list(range(6))
        # two rows holding the very same cell objects still come out in order
        same = [literal("x"), literal("y")]
        table.set_rows(COLUMNS, [(1, same), (2, same)])
        table.set_rows(COLUMNS, [(2, same), (1, same)])
        assert keys(table) == [2, 1]


async def test_many_rows_leaving_rebuilds_with_the_same_result():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        many = [(k, f"Client {k}", "-") for k in range(1, 301)]
        table.set_rows(COLUMNS, rows(many))
        table.move_cursor(row=150)
        await pilot.pause()
        spy = Spy(table, "clear", "remove_row")
        kept = [r for r in many if r[0] % 50 == 0]
        table.set_rows(COLUMNS, rows(kept))
        assert spy.calls == {"clear": 1, "remove_row": 0}  # cheaper than 294 removals
        assert keys(table) == [50, 100, 150, 200, 250, 300]
        assert table.current_key == 300  # key 151 left: row 150 is past the end, the last row
        # the cursor's own row remains: it stays on it
        table.set_rows(COLUMNS, rows(many))
        table.move_cursor(row=table.get_row_index("200"))
        table.set_rows(COLUMNS, rows(kept))
        assert table.current_key == 200


async def test_marks_follow_the_rows():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        table.set_rows(COLUMNS, rows(BASE))
        table.move_cursor(row=1)
        table.toggle_mark()  # 2, and steps down
        table.toggle_mark()  # 3
        await pilot.pause()
        assert table.marked == {2, 3} and table.targets() == [2, 3]
        table.set_rows(COLUMNS, rows([r for r in BASE if r[0] != 3]))
        assert table.marked == {2}
        assert [table.get_row(str(k))[0].plain for k in (1, 2, 4, 5)] == [" ", MARK, " ", " "]
        table.marked.clear()  # what the screens do after acting on the marked rows
        table.set_rows(COLUMNS, rows([r for r in BASE if r[0] != 3]))
        assert table.get_row("2")[0].plain == " " and table.targets() == [table.current_key]


async def test_markup_in_cells_stays_literal_after_an_update():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        table.set_rows(COLUMNS, rows([(1, "[b]Acme[/b]", "-"), (2, "Beta", "-")]))
        await pilot.pause()
        assert "[b]Acme[/b]" in drawn_text(table)
        table.set_rows(COLUMNS, rows([(1, "[red]x[/red]", "[i]y"), (2, "Beta", "-")]))
        await pilot.pause()
        text = drawn_text(table)
        assert "[red]x[/red]" in text and "[i]y" in text and "[b]Acme" not in text


async def test_columns_that_change_rebuild_the_table():
    app = Tables()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one("#a", KeyedTable)
        table.set_rows(COLUMNS, rows(BASE))
        table.move_cursor(row=3)
        await pilot.pause()
        table.set_rows([("Name", 20), ("Note", 6)], rows(BASE))
        assert [c.width for c in table.ordered_columns] == [1, 20, 6]
        assert table.current_key == 4 and shown(table) == [(name, note) for _, name, note in BASE]


async def test_what_is_drawn_is_what_a_fresh_table_draws():
    """The in-place updates and the rendered-line cache draw exactly what a table built
    from scratch draws: content, zebra stripes, cursor, marks, with and without focus,
    before and after the theme or the CSS of its parts changes."""
    app = Tables()
    steps = [
        BASE,
        [(1, "Acme", "-"), (2, "Beta", "4h"), (3, "Corvid", "6h"), (4, "Delta", "2h"), (5, "Echo", "-")],
        [(5, "Echo", "-"), (1, "Acme", "1h"), (3, "Corvid", "6h"), (4, "Delta", "2h")],
        [(5, "Echo", "-"), (6, "Fox", "-"), (1, "Acme", "1h"), (4, "Delta", "2h"), (3, "Corvid", "6h")],
        [(6, "Fox", "[b]9h"), (1, "Acme", "1h")],
    ]
    async with app.run_test(size=(60, 30)) as pilot:
        a, b = app.query_one("#a", KeyedTable), app.query_one("#b", KeyedTable)

        async def compare(focus_a: bool) -> None:
            b._columns_spec = ()  # b: rebuilt from scratch
            b.marked = set(a.marked)
            b.set_rows(COLUMNS, rows(data))
            b.move_cursor(row=a.cursor_row, animate=False)
            (a if focus_a else app.query_one("#elsewhere")).focus()
            await pilot.pause()
            seen_a = drawn(a)
            (b if focus_a else app.query_one("#elsewhere")).focus()
            await pilot.pause()
            assert seen_a == drawn(b)

        for n, data in enumerate(steps):
            a.set_rows(COLUMNS, rows(data))
            if n == 1:
                a.move_cursor(row=2)
                a.toggle_mark()
            await compare(focus_a=True)
            await compare(focus_a=False)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"  # every style changes
        await pilot.pause()
        await compare(focus_a=True)
        await compare(focus_a=False)
        for table in (a, b):  # only the cursor's and the stripes' styles change
            table.add_class("-alt")
        await pilot.pause()
        await compare(focus_a=True)
        await compare(focus_a=False)


async def test_given_widths_skip_measuring_and_auto_widths_still_measure():
    app = Tables()
    async with app.run_test(size=(80, 30)) as pilot:
        a = app.query_one("#a", KeyedTable)
        a.set_rows(COLUMNS, rows([(1, "A name far longer than its column", "x"), (2, "B", "y")]))
        await pilot.pause()
        assert [c.content_width for c in a.ordered_columns[1:]] == [len("Name"), len("Note")]  # labels only
        # the mark column, then the two given widths, each with a cell of padding either side
        assert a.virtual_size == (1 + 2 + 14 + 2 + 12 + 2, 2 + 1)
        b = app.query_one("#b", KeyedTable)
        b.set_rows([("Name", None), ("Note", 12)], rows([(1, "A name far longer than its column", "x")]))
        await pilot.pause()
        assert b.ordered_columns[1].get_render_width(b) == len("A name far longer than its column") + 2
