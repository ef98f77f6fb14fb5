"""Schema 3 (time and money): an older database keeps every row and gets the same schema as a new one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clientdesk.db import close_database, open_database

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sql"


def _columns(con: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [tuple(r[1:]) for r in con.execute(f'PRAGMA table_info("{t}")')] for t in sorted(tables)}


def _indexes(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f'PRAGMA index_list("{table}")') if not r[1].startswith("sqlite_")}


def _old_database(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text())
    # a second entry, then a third deleted: the next id must stay 4 (ids are never reused)
    con.execute("INSERT INTO time_entry VALUES(2,1,NULL,'2026-11-03T10:00:00',30,0,1,'INV-7','call')")
    con.execute("INSERT INTO time_entry VALUES(3,1,NULL,'2026-11-03T11:00:00',30,1,0,'','')")
    con.execute("DELETE FROM time_entry WHERE id = 3")
    con.commit()
    con.close()


def test_entries_survive_the_rebuild_with_their_ids_and_flags(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    con = sqlite3.connect(path)
    before = con.execute("SELECT * FROM time_entry ORDER BY id").fetchall()
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("client", "project", "task")}
    con.close()
    assert len(before) == 2

    open_database(path)
    close_database()

    con = sqlite3.connect(path)
    after = con.execute(
        "SELECT id, client_id, task_id, start, minutes, billable, invoiced, invoice_ref, note FROM time_entry ORDER BY id"
    ).fetchall()
    assert after == before
    assert {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in counts} == counts
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("INSERT INTO time_entry (client_id, start, minutes, billable, invoiced, invoice_ref, note) "
                "VALUES (1, '2026-11-04T09:00:00', 0, 1, 0, '', '')")
    assert con.execute("SELECT max(id) FROM time_entry").fetchone()[0] == 4
    try:
        con.execute("INSERT INTO time_entry (client_id, start, minutes, billable, invoiced, invoice_ref, note) "
                    "VALUES (1, '2026-11-04T09:00:00', -1, 1, 0, '', '')")
    except sqlite3.IntegrityError as exc:
        assert "CHECK" in str(exc)
    else:
        raise AssertionError("a negative duration was stored")
    con.close()


def test_upgraded_schema_matches_a_new_database(tmp_path):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _old_database(old)
    open_database(old)
    close_database()
    open_database(new)
    close_database()
    a, b = sqlite3.connect(old), sqlite3.connect(new)
    try:
        cols_a, cols_b = _columns(a), _columns(b)
        assert cols_a.keys() == cols_b.keys()
        for table in cols_b:
            assert sorted(cols_a[table]) == sorted(cols_b[table]), table
        for table in ("time_entry", "timer", "invoice"):
            assert _indexes(a, table) == _indexes(b, table), table
        sql = a.execute("SELECT sql FROM sqlite_master WHERE name = 'time_entry'").fetchone()[0]
        assert "minutes >= 0" in sql and "invoice" in sql and "AUTOINCREMENT" in sql
    finally:
        a.close()
        b.close()
