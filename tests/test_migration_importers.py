"""Schema 4 (importers): an upgraded database keeps every row and ends with the schema a new one gets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clientdesk.db import close_database, open_database
from tests.test_migrations import counts

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sql"
TABLES = ("client", "project", "task", "time_entry", "busy_time", "desk_setting")


def _shape(path) -> dict:
    con = sqlite3.connect(path)
    try:
        out = {}
        for table in TABLES:
            cols = sorted((r[1], r[2].upper(), r[3]) for r in con.execute(f'PRAGMA table_info("{table}")'))
            indexes = sorted(
                (r[1], r[2], tuple(c[2] for c in con.execute(f'PRAGMA index_info("{r[1]}")')))
                for r in con.execute(f'PRAGMA index_list("{table}")')
                if not r[1].startswith("sqlite_autoindex")
            )
            autoinc = "AUTOINCREMENT" in con.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
            ).fetchone()[0]
            out[table] = (cols, indexes, autoinc)
        return out
    finally:
        con.close()


def test_upgrade_keeps_rows_and_matches_a_new_database(tmp_path):
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.executescript(FIXTURE.read_text())
    con.close()
    before = counts(old)
    assert before["task"] == 5 and before["client"] == 2 and before["project"] > 0
    open_database(old)
    close_database()
    after = counts(old)
    for table, n in before.items():
        if table != "schema_version":
            assert after[table] == n, table
    new = tmp_path / "new.db"
    open_database(new)
    close_database()
    assert _shape(old) == _shape(new)
    con = sqlite3.connect(old)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # the unique index refuses a second row with the same source id, allows many without one
    con.execute("UPDATE task SET source = 'trello', source_id = 'c1' WHERE id = (SELECT min(id) FROM task)")
    try:
        con.execute("UPDATE task SET source = 'trello', source_id = 'c1' WHERE id = (SELECT max(id) FROM task)")
        raise AssertionError("duplicate source id accepted")
    except sqlite3.IntegrityError:
        pass
    con.close()
