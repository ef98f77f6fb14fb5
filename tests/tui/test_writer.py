"""The writer: keys never wait on the database, writes land in order, refusals come back."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from clientdesk.models import Task
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.writer import WriteJob
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle

HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    sys.stdin.readline()
    con.execute("COMMIT")
""")


@pytest.fixture
def two_tasks(db):
    c = f.client("Acme")
    p = f.project(c, "Site")
    return f.task(p, "Hero copy", due=TODAY, status="todo"), f.task(p, "Footer", due=TODAY, status="todo")


async def test_a_locked_database_leaves_the_screen_working_and_shows_saving(two_tasks, db_path):
    first, second = two_tasks
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        app = create_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            today = app.screen.query_one("#today")
            today.focus()
            await pilot.pause()
            assert holder.stdout.readline().strip() == "locked"  # another process holds the write lock now
            ticks = []
            app.set_interval(0.02, lambda: ticks.append(1))
            await pilot.press("x")
            await pilot.pause(0.4)
            assert app.writer.pending == 1 and app.saving
            assert "saving…" in str(app.screen.query_one("#view-header").render())
            assert len(ticks) >= 5  # the event loop kept running while the write waited
            await pilot.press("down")  # keys still move the cursor
            await pilot.pause()
            assert today.current_key == second.id
            assert Task.get_by_id(first.id).status == "todo"
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=10)
            await settle(pilot)
            assert Task.get_by_id(first.id).status == "done"
            assert not app.saving and app.writer.pending == 0
            assert "saving…" not in str(app.screen.query_one("#view-header").render())
    finally:
        if holder.poll() is None:
            holder.kill()


async def test_writes_run_in_the_order_asked_and_say_which_rows_changed(two_tasks):
    first, second = two_tasks
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen: list[DataChanged] = []
        app.data_changed_signal.subscribe(app.screen, seen.append, immediate=True)
        from clientdesk.domain.tasks import change_priority, mark_done

        order = []
        app.write(WriteJob(change_priority, ([first.id], -1), on_done=lambda r: order.append("priority")))
        app.write(WriteJob(mark_done, ([first.id],), on_done=lambda r: order.append("done")))
        app.write(WriteJob(mark_done, ([second.id],), on_done=lambda r: order.append("done 2")))
        await settle(pilot)
        assert order == ["priority", "done", "done 2"]
        assert [c.ids for c in seen] == [{"task": {first.id}}, {"task": {first.id}}, {"task": {second.id}}]
        assert all(c.local and not c.everything for c in seen)
        task = Task.get_by_id(first.id)
        assert task.status == "done" and task.priority == 2


async def test_a_refused_write_is_a_notification_and_the_view_reads_the_truth_again(two_tasks):
    first, _ = two_tasks
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        Task.delete_by_id(first.id)  # gone behind the screen's back
        token = screen._load_token
        screen.query_one("#today").focus()
        await press(pilot, "x")
        assert any("Not done" == n.title for n in app._notifications)
        assert screen._load_token > token  # read again
        assert first.id not in [t.id for t in screen.data.today_tasks]


async def test_undo_and_redo_go_through_the_writer(two_tasks):
    first, _ = two_tasks
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#today").focus()
        await press(pilot, "x")
        assert Task.get_by_id(first.id).status == "done"
        await press(pilot, "u")
        assert Task.get_by_id(first.id).status == "todo"
        await press(pilot, "U")
        assert Task.get_by_id(first.id).status == "done"
        await press(pilot, "U")
        assert [n.message for n in app._notifications][-1] == "nothing to redo"


async def test_a_bug_in_an_action_is_not_swallowed(two_tasks):
    def broken() -> None:
        raise ZeroDivisionError("a bug")

    app = create_app()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.write(WriteJob(broken))
            await settle(pilot)
