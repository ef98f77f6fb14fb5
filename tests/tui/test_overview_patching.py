"""The Overview's own keys patch it in place (no worker read), the result is what a fresh read shows,
and a return to it re-reads only when something changed."""

from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager

from clientdesk.domain import journal
from clientdesk.domain.overview import overview_data
from clientdesk.models import Task
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


def rows(table) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def count_reads(screen) -> list[int]:
    """Wrap the screen's worker read to count how often it runs."""
    reads = [0]
    real = screen.load

    def load():
        reads[0] += 1
        return real()

    screen.load = load
    return reads


async def assert_shows_a_fresh_read(app, pilot) -> None:
    screen = app.screen
    fresh = overview_data(TODAY)
    assert screen.data.statuses == fresh.statuses
    assert [t.id for t in screen.data.today_tasks] == [t.id for t in fresh.today_tasks]
    shown_today, shown_clients = rows(screen.query_one("#today")), rows(screen.query_one("#clients"))
    screen.show(fresh)
    await settle(pilot)
    assert rows(screen.query_one("#today")) == shown_today
    assert rows(screen.query_one("#clients")) == shown_clients


@asynccontextmanager
async def overview_app():
    """The app on the Overview, with its reads counted: (app, pilot, reads).

    Live news is off: these tests count the reads the change stamp asks for on a
    return; a watcher reading another process's commit as it lands would add its own
    (tests/tui/test_live.py covers that path)."""
    app = create_app(live=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        yield app, pilot, count_reads(app.screen)


async def test_triage_keys_patch_the_overview_without_a_read(demo_db):
    async with overview_app() as (app, pilot, reads):
        screen = app.screen
        screen.query_one("#today").focus()
        await settle(pilot)
        first = screen.query_one("#today").current_key
        for key in ("minus", "plus", "greater_than_sign", "less_than_sign", "minus", "x"):  # none refused
            await press(pilot, key)
            await assert_shows_a_fresh_read(app, pilot)
        assert Task.get_by_id(first).status == "done"
        assert first not in [t.id for t in screen.data.today_tasks]
        await press(pilot, "v", "down", "v", "x")  # two marked at once
        await assert_shows_a_fresh_read(app, pilot)
        assert reads[0] == 0


def commit_elsewhere(path) -> None:
    """Another process commits (a raw connection of its own): nothing this app is told about."""
    other = sqlite3.connect(path)
    with other:
        other.execute("UPDATE task SET priority = 1 WHERE id = (SELECT min(id) FROM task WHERE status != 'done')")
    other.close()


async def test_a_return_re_reads_only_after_a_change_it_was_not_told_of(demo_db):
    async with overview_app() as (app, pilot, reads):
        overview = app.screen
        await press(pilot, "4", "1", "3", "1")
        assert app.screen is overview and reads[0] == 0
        await press(pilot, "2", "plus", "1")  # a change on the Board: put in place on return, no read
        assert journal.history(1)[0].label.startswith("raise priority")
        assert reads[0] == 0
        await assert_shows_a_fresh_read(app, pilot)
        await press(pilot, "2", "1")
        assert reads[0] == 0
        await press(pilot, "4")
        commit_elsewhere(demo_db.database)  # another process commits meanwhile
        await press(pilot, "1")
        assert reads[0] == 1
        await assert_shows_a_fresh_read(app, pilot)


async def test_keys_and_undo_in_place_then_a_return_read_nothing(demo_db):
    async with overview_app() as (app, pilot, reads):
        overview = app.screen
        overview.query_one("#today").focus()
        await settle(pilot)
        await press(pilot, "x", "minus", "u")  # in place, and the undo too
        await press(pilot, "4", "1")
        assert reads[0] == 0
        await assert_shows_a_fresh_read(app, pilot)
        await press(pilot, "2", "x", "greater_than_sign", "u", "4", "u", "1")  # several changes while away
        assert reads[0] == 0
        await assert_shows_a_fresh_read(app, pilot)


async def test_a_foreign_commit_between_two_of_its_own_changes_is_read(demo_db):
    async with overview_app() as (app, pilot, reads):
        await press(pilot, "2", "plus")
        commit_elsewhere(demo_db.database)  # between the Board's two keys: the chain of stamps breaks
        await press(pilot, "x", "1")
        assert reads[0] == 1
        await assert_shows_a_fresh_read(app, pilot)
