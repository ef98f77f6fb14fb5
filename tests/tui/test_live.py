"""Live refresh: another process's commit reaches the open app within 2 s, without a key.

The app runs under Pilot in this process; the other writer is a real second
process on the same SQLite file (a script through the domain, the command
line, or raw SQL that leaves no journal entry).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from clientdesk.domain.clients import find_client
from clientdesk.domain.tasks import board_tasks
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.screens.board import BoardScreen
from tests.tui.helpers import create_app, press, settle

CLIENT = "Atelier Moreau"
LIVE_WITHIN = 2.0

SCRIPT = textwrap.dedent("""
    import sys
    from clientdesk.db import open_database
    open_database(sys.argv[1])
    from clientdesk.domain import journal, tasks
    what, arg = sys.argv[2], sys.argv[3]
    if what == "status":
        tid, status = arg.split("=")
        tasks.set_status([int(tid)], status)
    elif what == "undo":
        journal.undo()
    elif what == "raw":
        import sqlite3
        con = sqlite3.connect(sys.argv[1])
        tid, title = arg.split("=")
        con.execute("UPDATE task SET title = ? WHERE id = ?", (title, int(tid)))
        con.commit()
    elif what == "raw-pg":
        from clientdesk.models import database
        tid, title = arg.split("=")
        database.execute_sql("UPDATE task SET title = %s WHERE id = %s", (title, int(tid)))
    print("committed", flush=True)
""")


def other_process(db_path, *args: str) -> None:
    """Run a write in a second process and wait until it has committed (its printed line)."""
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(db_path), *args], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "committed", done.stderr


def on_board(screen: BoardScreen) -> dict[str, list[int]]:
    return {s: [c.task.id for c in screen.column(s).cards.cards] for s in ("backlog", "todo", "doing", "review")}


async def until(pilot, condition, within: float = LIVE_WITHIN + 1.0) -> float:
    """Let the app run until `condition()` holds; the seconds it took (fails after `within`)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > within:
            pytest.fail(f"not seen within {within} s")
        await pilot.pause(0.02)
    return time.monotonic() - start


@pytest.fixture
def board_app(demo_db):
    client_id = find_client(CLIENT).id
    return create_app(mode="board", client_id=client_id), client_id


async def watching(app, pilot) -> list[DataChanged]:
    """Settle, wait until the watcher has its first look, and collect every DataChanged from now on."""
    await settle(pilot)
    assert isinstance(app.screen, BoardScreen)
    await until(pilot, app.live.ready.is_set)
    seen: list[DataChanged] = []
    app.data_changed_signal.subscribe(app.screen, seen.append, immediate=True)
    return seen


async def test_a_move_in_another_process_patches_that_card_within_two_seconds(board_app, demo_db):
    app, client_id = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        screen = app.screen
        task = next(t for t in board_tasks(client_id) if t.status == "todo")
        token = screen._load_token
        other_process(demo_db.database, "status", f"{task.id}=review")
        written = time.monotonic()  # committed (the process has exited): its start-up is not counted
        await until(pilot, lambda: task.id in on_board(screen)["review"])
        assert time.monotonic() - written < LIVE_WITHIN
        assert task.id not in on_board(screen)["todo"]
        assert [(c.ids, c.local, c.everything) for c in seen] == [({"task": {task.id}}, False, False)]
        assert screen._load_token == token  # patched: the board was not read again


async def test_an_undo_in_another_process_comes_back_too(board_app, demo_db):
    app, client_id = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        screen = app.screen
        task = next(t for t in board_tasks(client_id) if t.status == "todo")
        other_process(demo_db.database, "status", f"{task.id}=doing")
        await until(pilot, lambda: task.id in on_board(screen)["doing"])
        other_process(demo_db.database, "undo", "-")
        await until(pilot, lambda: task.id in on_board(screen)["todo"])
        assert [c.ids for c in seen] == [{"task": {task.id}}, {"task": {task.id}}]


async def test_a_task_added_from_the_command_line_appears(board_app, demo_db):
    app, client_id = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        screen = app.screen
        before = {t.id for t in board_tasks(client_id)}
        done = subprocess.run([sys.executable, "-m", "clientdesk", "--db", demo_db.database, "add", "task", CLIENT,
                               "Call the printer p2"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        (new,) = {t.id for t in board_tasks(client_id)} - before
        await until(pilot, lambda: any(new in ids for ids in on_board(screen).values()))
        assert seen[0].ids.get("task") == {new} and not seen[0].local


async def test_a_write_outside_the_journal_reads_everything(board_app, demo_db):
    app, client_id = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        screen = app.screen
        task = next(t for t in board_tasks(client_id) if t.status == "todo")
        other_process(demo_db.database, "raw", f"{task.id}=Renamed behind the app")
        await until(pilot, lambda: any(c.everything for c in seen))
        await until(pilot, lambda: any(t.title == "Renamed behind the app" for t in screen.data.tasks))
        assert all(not c.local for c in seen)


async def test_the_apps_own_writes_are_not_echoed(board_app, demo_db):
    app, client_id = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        await press(pilot, "greater_than_sign")  # the current card to the next column, through the writer
        assert [c.local for c in seen] == [True]
        looks = app.live.looks
        await until(pilot, lambda: app.live.looks >= looks + 4)  # the watcher has looked at the commit since
        await settle(pilot)
        assert [c.local for c in seen] == [True] and app.live.posted == 0


async def test_the_watcher_stops_with_the_app(board_app, demo_db):
    app, _ = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        await watching(app, pilot)
        (worker,) = [w for w in app.workers if w.group == "live"]
    started = time.monotonic()
    while worker.is_running and time.monotonic() - started < 2:
        time.sleep(0.02)
    assert not worker.is_running


async def test_a_view_reads_again_only_when_the_change_touches_what_it_shows(demo_db):
    from clientdesk.domain.changeset import ChangeSet

    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        token = screen._load_token
        app.data_changed(ChangeSet.of([("time_block", 1)]), local=False)  # a teammate's planning
        await settle(pilot)
        assert screen._load_token == token
        app.data_changed(ChangeSet.of([("change_request", 1)]), local=False)
        await settle(pilot)
        assert screen._load_token == token + 1
        app.data_changed(ChangeSet.unknown(), local=False)
        await settle(pilot)
        assert screen._load_token == token + 2


async def test_without_data_version_the_journal_is_polled(board_app, demo_db, monkeypatch):
    """An engine that cannot say cheaply that anything was committed (PostgreSQL): the journal's fingerprint."""
    import clientdesk.db

    monkeypatch.setattr(clientdesk.db, "change_stamp", lambda: None)
    app, client_id = board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        screen = app.screen
        task = next(t for t in board_tasks(client_id) if t.status == "todo")
        other_process(demo_db.database, "status", f"{task.id}=review")
        await until(pilot, lambda: task.id in on_board(screen)["review"])
        assert [(c.ids, c.local) for c in seen] == [({"task": {task.id}}, False)]


# -- on PostgreSQL: LISTEN/NOTIFY ------------------------------------------------------------------
@pytest.fixture
def pg_board_app(pg_worker):
    """The demo desk on the run's PostgreSQL server, and the Board of CLIENT on it."""
    from clientdesk.db import close_database, open_database
    from clientdesk.domain.demo import fill_demo
    from tests.conftest import TODAY

    url = pg_worker.fresh(pg_worker.template("demo", lambda: fill_demo(seed=7, today=TODAY)), name="cd_live")
    open_database(url)
    try:
        yield create_app(mode="board", client_id=find_client(CLIENT).id), find_client(CLIENT).id, url
    finally:
        close_database()


async def test_on_postgresql_a_move_arrives_by_notify_and_a_cut_connection_reads_everything(pg_board_app, pg_worker):
    from clientdesk.db.postgres import ChangeListener

    app, client_id, url = pg_board_app
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await watching(app, pilot)
        screen = app.screen
        task = next(t for t in board_tasks(client_id) if t.status == "todo")
        token = screen._load_token
        other_process(url, "status", f"{task.id}=review")
        written = time.monotonic()  # committed (the process has exited): its start-up is not counted
        await until(pilot, lambda: task.id in on_board(screen)["review"])
        assert time.monotonic() - written < LIVE_WITHIN
        assert [(c.ids, c.local, c.everything) for c in seen] == [({"task": {task.id}}, False, False)]
        assert screen._load_token == token  # patched from the notification's journal entry
        await press(pilot, "greater_than_sign")  # a key of this app: its own NOTIFY is no news
        assert [c.local for c in seen] == [False, True]
        # the server cuts the listening connection: the watcher listens again and reads everything
        pg_worker.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE application_name = '{ChangeListener.APPLICATION_NAME}'")
        await until(pilot, lambda: any(c.everything for c in seen), within=8)
        other_process(url, "raw-pg", f"{task.id}=Renamed on the server")
        await until(pilot, lambda: any(t.title == "Renamed on the server" for t in screen.data.tasks))
        assert [c.local for c in seen if not c.everything] == [False, True]
