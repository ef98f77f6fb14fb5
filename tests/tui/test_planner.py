"""The Planner driven with Pilot: every key, checked in the database afterwards (through the domain)."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pendulum
import pytest

from clientdesk import clock
from clientdesk.config import Settings
from clientdesk.domain import journal, planner
from clientdesk.domain.routines import list_routines
from clientdesk.tui.export import screen_text
from clientdesk.tui.modals.block_form import BlockForm, CheckinPicker
from clientdesk.tui.modals.routines import RoutineForm, RoutinesModal
from clientdesk.tui.screens.planner import PlannerScreen
from clientdesk.tui.text import hours
from clientdesk.tui.widgets.week_grid import WeekGrid
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle

PARIS = "Europe/Paris"
NEXT_MONDAY = TODAY.add(weeks=1)
BETA = "[bold]Beta[/] 青禾茶业"


def at(days: int, hhmm: str, base=TODAY) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    d = base.add(days=days)
    return pendulum.datetime(d.year, d.month, d.day, h, m, tz=PARIS)


def spans(blocks) -> list[tuple[str, str, str]]:
    """Blocks as (client, 'ddd HH:mm-HH:mm', kind), in time order."""
    return [(b.client, f"{b.start.format('ddd HH:mm')}-{b.end.format('HH:mm')}", b.kind) for b in blocks]


@pytest.fixture
def desk(db):
    """Acme has a block on Monday 09:00-10:00 (where the cursor starts); Beta, named in markup and CJK, has none."""
    acme = f.client("Acme", weekly_target_hours=6, colour="#4e79a7", checkin_every_days=7)
    beta = f.client(BETA, weekly_target_hours=4)
    f.interaction(acme, TODAY.subtract(days=7))  # check-in due today
    hero = f.task(f.project(acme, "Site"), "Hero copy", priority=1, estimate_minutes=60)
    shop = f.task(f.project(beta, "Shop"), "[red]Banner", priority=2, estimate_minutes=90)
    block = f.block(acme, at(0, "09:00"), 1)
    return acme, beta, hero, shop, block


@asynccontextmanager
async def planner_app(size=(120, 40)):
    app = create_app(mode="planner")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)
        yield app, pilot, app.screen


async def type_into_focused(pilot, text: str) -> None:
    field = pilot.app.focused
    field.value = text
    field.cursor_position = len(text)
    await settle(pilot)


@pytest.fixture
def eight_am(monkeypatch):
    """Fill my week plans from 'now': pin it to Monday 08:00 so the proposal is the same at any hour."""
    monkeypatch.setattr(clock, "now", lambda: pendulum.datetime(2026, 11, 23, 8, 0, tz=PARIS))


# ------------------------------------------------------------ the grid


async def test_the_week_shows_blocks_literally_with_the_cursor_on_monday_morning(desk):
    acme, beta, *_ = desk
    f.block(beta, at(1, "14:00"), 1)
    async with planner_app() as (app, pilot, screen):
        text = screen_text(app)
        assert "Acme" in text and "[bold]Beta[/]" in text  # user text is never markup
        assert "Week 48 · 23 Nov–29 Nov 2026 · this week" in text
        assert (screen.cursor_date, screen.cursor_minute) == (TODAY, 9 * 60)
        assert screen.block_at_cursor().client == "Acme"
        grid = app.screen.query_one(WeekGrid)
        assert [d.date.format("ddd") for d in grid.model.days] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
        assert (grid.model.first, grid.model.last, grid.model.slot) == (9 * 60, 18 * 60, 30)
        widths = {grid.render_line(y).cell_length for y in range(grid.size.height)}
        assert widths == {grid.size.width}  # CJK in a block never shifts a line


async def test_brackets_change_the_week_and_t_comes_back(desk):
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "right_square_bracket")
        assert screen.monday == NEXT_MONDAY and screen.cursor_date == NEXT_MONDAY
        assert "Week 49" in screen_text(app)
        await press(pilot, "a")
        assert isinstance(app.screen, BlockForm)
        await type_into_focused(pilot, "acme")
        await press(pilot, "enter")
        assert spans(planner.week_blocks(NEXT_MONDAY)) == [("Acme", "Mon 09:00-10:00", "focus")]
        await press(pilot, "left_square_bracket", "left_square_bracket")
        assert screen.monday == TODAY.subtract(weeks=1)
        await press(pilot, "t")
        assert screen.monday == TODAY and screen.block_at_cursor().start == at(0, "09:00")
        assert len(planner.week_blocks(TODAY)) == 1


async def test_a_adds_a_block_at_the_cursor_with_client_task_kind_and_length(desk):
    acme, beta, hero, shop, _ = desk
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "right", "down", "down")  # Tuesday 10:00, free
        assert screen.block_at_cursor() is None
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, BlockForm)
        await type_into_focused(pilot, "beta")  # type-to-filter the client list
        await settle(pilot)
        form.query_one("#f-task").value = shop.id  # the client's open tasks were loaded in a worker
        form.query_one("#f-kind").value = "batch"
        form.query_one("#f-length").value = "1h30"
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, BlockForm)
        (added,) = planner.list_blocks(client_id=beta.id)
        assert (added.task, added.kind, added.start, added.end) == ("[red]Banner", "batch", at(1, "10:00"), at(1, "11:30"))
        assert screen.block_at_cursor().id == added.id
        assert "[red]Banner" in screen_text(app)


async def test_a_then_escape_writes_nothing_and_a_bad_length_is_refused_inline(desk):
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "down", "down", "a")
        app.screen.query_one("#f-length").value = "forever"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BlockForm)
        assert "length" in str(app.screen.query_one("#form-error").render())
        await press(pilot, "escape")
        assert not isinstance(app.screen, BlockForm)
        assert len(planner.week_blocks(TODAY)) == 1


async def test_e_edits_the_block_under_the_cursor(desk):
    acme, beta, hero, shop, block = desk
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, BlockForm)
        assert form.query_one("#f-start").value == "09:00" and form.query_one("#f-length").value == "1h"
        form.query_one("#f-length").value = "2h"
        form.query_one("#f-note").value = "deep work"
        form.query_one("#f-task").value = hero.id
        await press(pilot, "ctrl+s")
        b = planner.get_block(block.id)
        assert (b.end, b.note, b.task, b.client) == (at(0, "11:00"), "deep work", "Hero copy", "Acme")
        await press(pilot, "u")
        assert planner.get_block(block.id).end == at(0, "10:00")


async def test_shift_arrows_move_and_plus_minus_resize(desk):
    *_, block = desk
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "shift+down")
        b = planner.get_block(block.id)
        assert (b.start, b.end) == (at(0, "09:30"), at(0, "10:30"))
        assert screen.block_at_cursor().id == block.id  # the cursor follows the block
        await press(pilot, "shift+right")
        assert planner.get_block(block.id).start == at(1, "09:30")
        await press(pilot, "plus")
        assert planner.get_block(block.id).end == at(1, "11:00")
        await press(pilot, "minus", "minus")
        assert planner.get_block(block.id).end == at(1, "10:00")
        await press(pilot, "shift+up", "shift+left")
        assert (planner.get_block(block.id).start, planner.get_block(block.id).end) == (at(0, "09:00"), at(0, "09:30"))
        await press(pilot, "J", "L")  # the same moves without shift+arrows
        assert planner.get_block(block.id).start == at(1, "09:30")


async def test_delete_then_u_brings_it_back(desk):
    *_, block = desk
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "d")
        assert planner.week_blocks(TODAY) == []
        await press(pilot, "u")
        assert [b.id for b in planner.week_blocks(TODAY)] == [block.id]
        assert screen.block_at_cursor().id == block.id
        await press(pilot, "down", "down", "delete")  # nothing under the cursor: nothing deleted
        assert len(planner.week_blocks(TODAY)) == 1


async def test_an_overlap_is_flagged_on_the_grid_and_listed(desk):
    acme, beta, *_ = desk
    async with planner_app() as (app, pilot, screen):
        assert "Conflicts · none" in screen_text(app)
        await press(pilot, "down", "a")  # Monday 09:30, inside Acme's 09:00-10:00
        await type_into_focused(pilot, "beta")
        await press(pilot, "enter")
        found = planner.conflicts(TODAY, Settings())
        assert [c.kind for c in found] == ["overlap"]
        text = screen_text(app)
        assert "Conflicts · 1" in text and "overlap" in text and "Acme ↔ [bold]Beta" in text
        grid = app.screen.query_one(WeekGrid)
        assert all(item.conflict for item in grid.model.items)
        assert len(screen.items_at_cursor()) == 2
        first = screen.selected_item().key
        await press(pilot, "o")  # the other block in the same cell
        assert screen.selected_item().key != first


async def test_c_books_a_check_in_at_the_cursor(desk):
    acme, *_ = desk
    async with planner_app() as (app, pilot, screen):
        assert "Check-ins this week" in screen_text(app)
        await press(pilot, "down", "down", "down", "c")  # Monday 10:30
        assert isinstance(app.screen, CheckinPicker)
        await press(pilot, "enter")
        (meeting,) = [b for b in planner.week_blocks(TODAY) if b.kind == "meeting"]
        assert (meeting.client, meeting.start, meeting.minutes, meeting.note) == ("Acme", at(0, "10:30"), 30, "check-in")
        assert planner.checkins_in_week(TODAY)[0].block_id == meeting.id


async def test_routines_add_and_delete_from_the_list(desk):
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "R")
        assert isinstance(app.screen, RoutinesModal)
        await press(pilot, "a")
        assert isinstance(app.screen, RoutineForm)
        await type_into_focused(pilot, "acme")
        form = app.screen
        form.query_one("#f-weekday").value = 4
        form.query_one("#f-start").value = "16:00"
        form.query_one("#f-length").value = "30m"
        form.query_one("#f-every").value = "2"
        form.query_one("#f-kind").value = "meeting"
        await press(pilot, "ctrl+s")
        (routine,) = list_routines()
        assert (routine.label, routine.client, routine.kind) == ("every 2 weeks on Fri 16:00-16:30", "Acme", "meeting")
        assert isinstance(app.screen, RoutinesModal)  # the list again, with the new routine
        assert [(b.client, b.kind) for b in planner.week_blocks(TODAY) if b.is_routine] == [("Acme", "meeting")]
        await press(pilot, "d")
        assert list_routines() == []
        await press(pilot, "escape")
        assert isinstance(app.screen, PlannerScreen)
        await press(pilot, "u")
        assert len(list_routines()) == 1


# ------------------------------------------------------------ fill my week


async def test_f_then_accept_writes_the_proposal_and_u_removes_it_all(demo_db, eight_am):
    before = {b.id for b in planner.week_blocks(TODAY)}
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "f")
        proposal = screen.proposal
        assert proposal is not None and proposal.blocks
        assert planner.week_blocks(TODAY, lay=False) and {b.id for b in planner.week_blocks(TODAY)} == before
        ghosts = [it for it in app.screen.query_one(WeekGrid).model.items if it.ghost]
        assert len({it.key for it in ghosts}) == len(proposal.blocks)
        assert "Fill my week · proposal" in screen_text(app)
        await press(pilot, "enter")
        assert screen.proposal is None
        after = planner.week_blocks(TODAY)
        new = [b for b in after if b.id not in before]
        assert len(new) == sum(len(p.parts) for p in proposal.blocks)
        assert sorted((b.start, b.task_id) for b in new) == sorted(
            (part.start, part.task_id) for p in proposal.blocks for part in p.parts)
        assert journal.history(1)[0].label == "fill week"
        said = [n.message for n in app._notifications]
        n = len(proposal.blocks)
        planned_h = hours(sum(b.minutes for b in proposal.blocks) / 60)
        assert f"{n} of {n} proposed blocks planned ({planned_h}) · u removes them" in said  # the proposal's terms
        await press(pilot, "u")
        assert {b.id for b in planner.week_blocks(TODAY)} == before


def test_nothing_to_propose_says_why_in_words():
    from clientdesk.tui.screens.planner import nothing_to_propose

    assert nothing_to_propose({"week_full": 58}) == "nothing to propose for this week: 58 tasks left out, the week is full"
    assert nothing_to_propose({"due": 1, "target": 2}) == (
        "nothing to propose for this week: 1 task left out, no free slot before their due date; "
        "2 tasks left out, their client's weekly target is reached")
    assert nothing_to_propose({}) == "nothing to propose for this week: no open task to plan"


async def test_f_then_escape_writes_nothing(demo_db, eight_am):
    before = [(b.id, b.start, b.end) for b in planner.week_blocks(TODAY)]
    history = [a.label for a in journal.history(5)]
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "f")
        assert screen.proposal is not None
        await press(pilot, "escape")
        assert screen.proposal is None
        assert not any(it.ghost for it in app.screen.query_one(WeekGrid).model.items)
        await press(pilot, "y")  # nothing to accept any more
    assert [(b.id, b.start, b.end) for b in planner.week_blocks(TODAY)] == before
    assert [a.label for a in journal.history(5)] == history


async def test_space_takes_a_ghost_out_and_accept_writes_only_the_others(demo_db, eight_am):
    before = {b.id for b in planner.week_blocks(TODAY)}
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "f")
        proposal = screen.proposal
        assert len(proposal.blocks) >= 2
        left_out = screen.ghost_at_cursor()  # the cursor goes to the first ghost
        assert left_out is proposal.blocks[0]
        await press(pilot, "space")
        assert screen.chosen == {b.index for b in proposal.blocks[1:]}
        assert "of {} blocks chosen".format(len(proposal.blocks)) in screen_text(app)
        await press(pilot, "y")
        new = [b for b in planner.week_blocks(TODAY) if b.id not in before]
        kept = [part for p in proposal.blocks[1:] for part in p.parts]
        assert sorted((b.start, b.task_id) for b in new) == sorted((p.start, p.task_id) for p in kept)
        assert not {b.task_id for b in new} & set(left_out.task_ids)


async def test_changing_week_discards_the_proposal(demo_db, eight_am):
    async with planner_app() as (app, pilot, screen):
        await press(pilot, "f")
        assert screen.proposal is not None
        await press(pilot, "right_square_bracket")
        assert screen.proposal is None
        assert not any(it.ghost for it in app.screen.query_one(WeekGrid).model.items)


# ------------------------------------------------------------ small and large terminals


async def test_at_80x24_the_grid_scrolls_to_the_cursor_and_p_shows_the_panel(desk):
    acme, *_ = desk
    f.block(acme, at(0, "20:00"), 1)  # outside working hours: the grid grows to 21:00
    async with planner_app(size=(80, 24)) as (app, pilot, screen):
        grid = app.screen.query_one(WeekGrid)
        assert grid.display and grid.model.last == 21 * 60
        assert grid.lines_per_slot == 1 and grid.visible_rows < grid.model.rows
        assert screen.has_class("-panel-hidden")
        for _ in range(25):  # stops at the last row, 20:30
            await pilot.press("down")
        await settle(pilot)
        assert screen.cursor_minute == 20 * 60 + 30 and grid.top_row > 0
        assert "20:00" in screen_text(app)
        await press(pilot, "p")
        assert screen.has_class("-panel-only")
        text = screen_text(app)
        assert "Clients · planned / target" in text
        await press(pilot, "p")
        assert screen.has_class("-panel-hidden") and grid.display


async def test_at_200x60_the_panel_sits_beside_a_taller_grid(desk):
    async with planner_app(size=(200, 60)) as (app, pilot, screen):
        grid = app.screen.query_one(WeekGrid)
        assert not screen.has_class("-panel-hidden") and screen.has_class("-wide")
        assert grid.lines_per_slot == 3
        assert "Conflicts" in screen_text(app)


# ------------------------------------------------------------ the pieces


def test_cells_are_fitted_by_terminal_cells_and_colours_are_stable():
    from rich.cells import cell_len

    from clientdesk.tui.widgets.week_grid import PALETTE, client_colour, fit, ink

    for text in ("青禾茶业 Qinghe", "Acme", "[bold]x[/] 🍵 tea", ""):
        for width in range(1, 12):
            assert cell_len(fit(text, width)) == width
    assert fit("青禾茶业", 5) == "青禾…"
    assert client_colour("#ff8800", 3) == "#ff8800"
    assert client_colour("", 3) == client_colour(None, 3) == PALETTE[3]
    assert client_colour("not a colour", 14) == PALETTE[14 % len(PALETTE)]
    assert ink("#edc948") == "#111111" and ink("#1f3a5f") == "#ffffff"


def test_a_block_past_midnight_shows_on_both_days_and_lengths_parse():
    from clientdesk.domain.errors import InputError
    from clientdesk.tui.modals.block_form import parse_hhmm, parse_length
    from clientdesk.tui.screens.planner import block_segments

    assert block_segments(at(0, "23:00"), at(1, "01:30"), TODAY) == [(0, 23 * 60, 1440), (1, 0, 90)]
    assert block_segments(at(6, "23:00"), at(7, "01:00"), TODAY) == [(6, 23 * 60, 1440)]  # next week's part is not drawn
    assert [parse_length(t) for t in ("90", "90m", "1h", "1h30", "1.5h", "1:30", "2 h")] == [90, 90, 60, 90, 90, 90, 120]
    assert parse_hhmm("9:30") == 570 and parse_hhmm("0930") == 570
    for bad in ("", "0", "1x", "25h", "-1h"):
        with pytest.raises(InputError):
            parse_length(bad)
    with pytest.raises(InputError):
        parse_hhmm("24:00")


@pytest.mark.parametrize("size", [(120, 40), (160, 60)])
async def test_consecutive_short_blocks_are_drawn_one_under_the_other(desk, size):
    acme, beta, *_ = desk
    f.block(beta, at(1, "10:30"), 0.25, note="Short call")  # Tuesday 10:30-10:45
    f.block(beta, at(1, "10:45"), 0.5, note="Follow-up")  # 10:45-11:15
    async with planner_app(size=size) as (app, pilot, screen):
        grid = app.screen.query_one(WeekGrid)
        assert not [c for c in planner.conflicts(TODAY) if "Tue" in str(c)]
        placed = {p.item.start: p for row in grid._layout.cells[1] for p in row}
        short, follow = placed[10 * 60 + 30], placed[10 * 60 + 45]
        assert (short.lane, short.lanes) == (follow.lane, follow.lanes) == (0, 1)  # the whole width of the day each
        drawn = grid._layout.drawn_lines(grid.model, grid.lines_per_slot)
        (s0, s1), (f0, f1) = drawn[id(short)], drawn[id(follow)]
        assert s0 < s1 <= f0 < f1  # one under the other, in time order, each with its first line
        lines = [grid.render_line(y).text for y in range(1, grid.size.height)]
        top = grid.top_row * grid.lines_per_slot
        tuesday = [(line.split("│") + ["", "", ""])[2] for line in lines]
        assert BETA[:6] in tuesday[s0 - top] and BETA[:6] in tuesday[f0 - top]
