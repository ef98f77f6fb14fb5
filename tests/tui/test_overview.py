"""The Overview driven with Pilot: every triage key, checked in the database."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk.models import Task
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


@pytest.fixture
def desk(db):
    a = f.client("Atelier Moreau", weekly_target_hours=8, budget_hours_month=20)
    b = f.client("[bold]x[/] 青禾茶业")
    f.client("Paused Co", status="paused")
    f.interaction(a, TODAY)
    pa, pb = f.project(a, "Site"), f.project(b, "Shop")
    late = f.task(pa, "Hero copy", priority=2, due=TODAY.subtract(days=3), status="todo")
    soon = f.task(pb, "[red]y", priority=3, due=TODAY.add(days=1), status="todo")
    return a, b, late, soon


async def focus_today(pilot):
    pilot.app.screen.query_one("#today").focus()
    await settle(pilot)


def today_rows(app):
    return [app.screen.query_one("#today").get_row_at(i) for i in range(app.screen.query_one("#today").row_count)]


async def test_overview_lists_active_clients_literally(desk):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#clients")
        names = [table.get_row_at(i)[1].plain for i in range(table.row_count)]
        assert sorted(names) == ["Atelier Moreau", "[bold]x[/] 青禾茶业"]
        assert "Paused Co" not in names


async def test_priority_status_done_and_undo_from_today_list(desk):
    _, _, late, soon = desk
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await focus_today(pilot)
        assert app.screen.query_one("#today").current_key == late.id
        await press(pilot, "plus")
        assert Task.get_by_id(late.id).priority == 1
        await press(pilot, "minus", "minus")
        assert Task.get_by_id(late.id).priority == 3
        await press(pilot, "greater_than_sign")
        assert Task.get_by_id(late.id).status == "doing"
        await press(pilot, "less_than_sign")
        assert Task.get_by_id(late.id).status == "todo"
        await press(pilot, "x")
        assert Task.get_by_id(late.id).status == "done"
        await press(pilot, "u")
        assert Task.get_by_id(late.id).status == "todo"
        await press(pilot, "U")
        assert Task.get_by_id(late.id).status == "done"


async def test_marked_tasks_move_together(desk):
    _, _, late, soon = desk
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await focus_today(pilot)
        await press(pilot, "v", "v", "greater_than_sign")
        assert {Task.get_by_id(late.id).status, Task.get_by_id(soon.id).status} == {"doing"}
        await press(pilot, "u")
        assert {Task.get_by_id(late.id).status, Task.get_by_id(soon.id).status} == {"todo"}


async def test_due_date_prompt_and_bad_date(desk):
    _, _, late, _ = desk
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await focus_today(pilot)
        await press(pilot, "d")
        await pilot.press(*"2026-02-30")
        await press(pilot, "enter")
        assert "2026-02-30" in str(app.screen.query_one("#prompt-error").render())
        assert Task.get_by_id(late.id).due == TODAY.subtract(days=3)
        inp = app.screen.query_one("#prompt-input")
        inp.value = "2026-12-01"
        await press(pilot, "enter")
        assert Task.get_by_id(late.id).due == pendulum.date(2026, 12, 1)


async def test_filter_enter_opens_board_and_help_lists_keys(desk):
    a, *_ = desk
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await pilot.press(*"青禾")
        await settle(pilot)
        table = app.screen.query_one("#clients")
        assert table.row_count == 1
        await press(pilot, "escape")
        assert table.row_count == 2
        await press(pilot, "question_mark")
        help_rows = app.screen.query_one("#help-table")
        described = {help_rows.get_row_at(i)[1].plain for i in range(help_rows.row_count)}
        assert {"Overview", "Board", "Undo", "Quit", "Filter", "Done", "Mark and move down (triage keys act on all marked)"} <= described
        await press(pilot, "escape")
        table.move_cursor(row=[table.get_row_at(i)[1].plain for i in range(2)].index("Atelier Moreau"))
        await press(pilot, "enter")
        assert app.current_mode == "board" and app.client_id == a.id


async def test_task_detail_shows_score_terms(desk):
    _, _, late, _ = desk
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await focus_today(pilot)
        await press(pilot, "enter")
        from clientdesk.tui.export import screen_text

        text = screen_text(app)
        assert "overdue 3d" in text and "priority" in text and "total" in text
        await press(pilot, "escape")


async def test_refusal_is_a_notification_not_a_crash(desk):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "u")  # nothing to undo
        assert app.is_running
        assert any("nothing to undo" in n.message for n in app._notifications)


async def test_quit(desk):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_b_blocks_time_for_the_task(desk):
    from clientdesk.models import TimeBlock

    _, _, late, _ = desk
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await focus_today(pilot)
        await press(pilot, "b")
        block = TimeBlock.get(TimeBlock.task == late.id)
        assert block.kind == "focus" and block.end > block.start
        await press(pilot, "u")
        assert TimeBlock.select().where(TimeBlock.task == late.id).count() == 0


async def test_launch_waits_for_the_early_read_instead_of_reading_again(desk, monkeypatch):
    """The command line starts the Overview's read while Textual loads; the
    screen (resumed twice by Textual) waits for it and reads nothing itself."""
    from concurrent.futures import Future

    from clientdesk.db import read_session
    from clientdesk.domain.overview import overview_data
    from clientdesk.tui.screens.overview import OverviewScreen

    reads = []
    real_load = OverviewScreen.load
    monkeypatch.setattr(OverviewScreen, "load", lambda self: reads.append(1) or real_load(self))
    early = Future()
    app = create_app()
    app.early_overview = early
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert reads == [] and app.screen.query_one("#clients").row_count == 0
        with read_session():
            early.set_result(overview_data(TODAY))
        await settle(pilot)
        table = app.screen.query_one("#clients")
        assert [table.get_row_at(i)[1].plain for i in range(table.row_count)] == ["Atelier Moreau", "[bold]x[/] 青禾茶业"]
        assert reads == []
        await press(pilot, "2", "1")
        assert reads == [1]  # back in view later: one fresh read (others may have changed things)


async def test_the_early_read_s_stamp_spares_the_first_return_a_read_unless_another_process_wrote(desk, monkeypatch):
    """The launch notes the database's change stamp before its early read starts: back in the
    Overview, nothing committed since means nothing to read; a commit by another process means a read."""
    import sqlite3
    from concurrent.futures import Future, ThreadPoolExecutor

    from clientdesk.db import change_stamp, database, read_session
    from clientdesk.domain.overview import overview_data
    from clientdesk.tui.screens.overview import OverviewScreen

    reads = []
    real_load = OverviewScreen.load
    monkeypatch.setattr(OverviewScreen, "load", lambda self: reads.append(1) or real_load(self))
    for foreign_commit in (False, True):
        early = Future()
        early.change_stamp = change_stamp()  # as launch.py takes it, on the UI's thread before the read
        if foreign_commit:
            other = sqlite3.connect(database.database)
            with other:
                other.execute("UPDATE client SET notes = 'from elsewhere'")
            other.close()
        def read():
            with read_session():
                return overview_data(TODAY)

        with ThreadPoolExecutor(1) as pool:  # read on a thread of its own, as the launch does
            early.set_result(pool.submit(read).result())
        app = create_app()
        app.early_overview = early
        reads.clear()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await press(pilot, "2", "1")
            assert reads == ([1] if foreign_commit else [])


async def test_a_failed_early_read_is_read_again_and_reported_normally(desk):
    from concurrent.futures import Future

    early = Future()
    early.set_exception(RuntimeError("thread died"))
    app = create_app()
    app.early_overview = early
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#clients").row_count == 2
