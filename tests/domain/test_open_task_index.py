"""The Overview reads open tasks through the partial open-task index (migration 9), never the done history."""

from __future__ import annotations

import pytest

import sqlite3
from pathlib import Path

from clientdesk.db import close_database, open_database
from clientdesk.domain import status, tasks
from clientdesk.models import Task
from clientdesk.models.work import OPEN_TASK_INDEX
from tests import factories as f
from tests.conftest import TODAY
from tests.domain.test_query_plans import plans_of

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"


def index_sql(path) -> str | None:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (OPEN_TASK_INDEX,)).fetchone()
        return row and " ".join(row[0].replace('"', "").split())
    finally:
        con.close()


def test_an_upgraded_database_gets_the_index_a_new_one_has_and_keeps_every_task(tmp_path):
    new = tmp_path / "new.db"
    open_database(new)
    close_database()
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.executescript(FIXTURE.read_text())
    before = con.execute("SELECT count(*), sum(status != 'done') FROM task").fetchone()
    con.close()
    open_database(old)
    close_database()
    con = sqlite3.connect(old)
    assert con.execute("SELECT count(*), sum(status != 'done') FROM task").fetchone() == before
    con.close()
    assert index_sql(new) is not None and "WHERE" in index_sql(new)
    assert index_sql(old) == index_sql(new)


def _world():
    for c in range(8):
        p = f.project(f.client(f"C{c}"))
        for i in range(30):
            f.task(p, status="done" if i % 3 else "todo", priority=1 + i % 4, due=TODAY.add(days=i - 15))


@pytest.mark.sqlite_only  # SQLite's query plans
def test_the_overviews_task_reads_use_only_the_open_task_index(db):
    _world()
    other_task_indexes = [name for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'task' AND name != ?", (OPEN_TASK_INDEX,))]
    assert other_task_indexes  # (project, status) and (status, due) exist and must not be chosen
    for fn, args in ((status.client_statuses, (TODAY,)), (tasks.today_ranking, (25,))):
        plans = plans_of(fn, *args)
        reads = [p for p in plans if OPEN_TASK_INDEX in p]
        assert reads, (fn, plans)
        for plan in plans:
            assert not any(name in plan for name in other_task_indexes), plan
            assert "SCAN" not in plan or "COVERING INDEX" in plan, plan


def test_the_counts_read_through_the_index_equal_a_recount(db):
    _world()
    figures = {s.client: s for s in status.client_statuses(TODAY)}
    for name, s in figures.items():
        mine = [t for t in Task.select() if t.project.client.name == name and t.status != "done"]
        assert s.open == len(mine)
        assert s.overdue == sum(1 for t in mine if t.due and t.due < TODAY)
        assert s.due_week == sum(1 for t in mine if t.due and TODAY <= t.due <= TODAY.add(days=6))
