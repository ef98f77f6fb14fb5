"""An older database opens, upgrades, and keeps every row; bad files are refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from clientdesk.db import close_database, open_database, schema_version
from clientdesk.domain.errors import DatabaseProblem
from clientdesk.migrations import LATEST

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sql"


def counts(path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_version_1_database_upgrades_without_losing_a_row(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    con.close()
    before = counts(path)
    assert before["task"] == 5 and before["time_block"] == 1 and before["client"] == 2
    db = open_database(path)
    assert schema_version(db) == LATEST
    close_database()
    after = counts(path)
    for table, n in before.items():
        if table != "schema_version":
            assert after[table] == n, table
    assert after["routine"] == 0
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    cols = [r[1] for r in con.execute("PRAGMA table_info(time_block)")]
    con.close()
    assert "routine_id" in cols and "occurrence" in cols


def test_new_database_gets_latest_schema(tmp_path):
    db = open_database(tmp_path / "new.db")
    assert schema_version(db) == LATEST
    close_database()


def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem, match="newer clientdesk"):
        open_database(path)


def test_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not sqlite at all\n")
    with pytest.raises(DatabaseProblem, match="not an SQLite file"):
        open_database(path)


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE things (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseProblem, match="other tables"):
        open_database(path)


def test_path_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseProblem, match="cannot create"):
        open_database(blocker / "sub" / "x.db")


def test_version_1_database_gains_people_and_versions_keeping_every_row(tmp_path):
    """Schema 10: a person table, the assignee, the journal's person and a version on every edited table."""
    from clientdesk.db.sqlite import _reference_schema
    from clientdesk.migrations.m0010_people import VERSIONED_TABLES

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    con.close()
    before = counts(path)
    open_database(path)
    close_database()
    after = counts(path)
    assert all(after[t] == n for t, n in before.items() if t != "schema_version")
    con = sqlite3.connect(path)
    try:
        columns = {t: {r[1] for r in con.execute(f'PRAGMA table_info("{t}")')} for t in after}
        assert "person" in columns and after["person"] == 0
        assert "assignee_id" in columns["task"] and "person_id" in columns["action"]
        for table in VERSIONED_TABLES:
            assert "version" in columns.get(table, set()), table
        indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"task_assignee_id", "action_person_id", "time_block_person_id"} <= indexes
        # the rows that were there have version 1, not NULL
        assert con.execute("SELECT count(*) FROM client WHERE version = 1").fetchone()[0] == before["client"]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    # an upgraded desk has exactly the columns a new one gets
    reference = _reference_schema()
    for table, names in reference.items():
        if not table.startswith("sqlite_"):
            assert columns[table] == names, table
