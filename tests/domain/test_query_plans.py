"""The board's per-client queries read through the client's projects, not the
whole (status, due) index: their cost must not grow with other clients' tasks."""

from __future__ import annotations

import pytest

from clientdesk.domain import tasks
from clientdesk.models import database
from tests import factories as f


def plans_of(fn, *args) -> list[str]:
    """The query plan of every statement `fn` runs."""
    statements = []
    real = database.obj.execute_sql

    def spy(sql, params=None, *rest, **kw):
        statements.append((sql, params))
        return real(sql, params, *rest, **kw)

    database.obj.execute_sql = spy
    try:
        fn(*args)
    finally:
        database.obj.execute_sql = real
    conn = database.obj.connection()
    return [" / ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params or ()))
            for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]


@pytest.mark.sqlite_only  # SQLite's query plans
def test_end_of_column_and_done_count_read_one_clients_projects(db):
    mine = f.project(f.client("Mine"))
    for other in range(40):
        p = f.project(f.client(f"Other {other}"))
        for i in range(25):
            f.task(p, status="todo" if i % 2 else "done", position=i)
    f.task(mine, status="todo", position=4)
    for fn, args in ((tasks.end_of_column, (mine.id, "todo")), (tasks.board_done_count, (mine.client_id,))):
        plans = plans_of(fn, *args)
        assert plans and not any("task_status_due" in plan for plan in plans), plans
    assert tasks.end_of_column(mine.id, "todo") == 5
