"""Every migration step runs on PostgreSQL too: a schema-1 desk on the server upgrades to the latest
schema without losing a row, and ends with the tables and columns a new desk gets."""

from __future__ import annotations

import re
from pathlib import Path

from clientdesk.db import close_database, open_database, schema_version
from clientdesk.migrations import LATEST

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sql"
#: schema 1's boolean columns, by table and position, as Peewee declared them on PostgreSQL
BOOLEANS = {"action": {4}, "time_entry": {5, 6}}


def _schema_1_for_postgres() -> list[str]:
    """The schema-1 fixture (written by SQLite) as PostgreSQL would have had it from Peewee."""
    out = []
    for line in FIXTURE.read_text().splitlines():
        if line in ("BEGIN TRANSACTION;", "COMMIT;") or not line.strip():
            continue
        line = line.replace('"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT', '"id" SERIAL NOT NULL PRIMARY KEY')
        line = re.sub(r'"(billable|invoiced|undone)" INTEGER', r'"\1" BOOLEAN', line)
        insert = re.match(r'INSERT INTO "(\w+)" VALUES\((.*)\);$', line)
        if insert and insert[1] in BOOLEANS:
            values = insert[2].split(",")  # no commas inside the fixture's values of these two tables
            for i in BOOLEANS[insert[1]]:
                values[i] = "TRUE" if values[i] == "1" else "FALSE"
            line = f'INSERT INTO "{insert[1]}" VALUES({",".join(values)});'
        out.append(line)
    return out


def _columns(db) -> dict[str, set[str]]:
    return {t: {c.name for c in db.get_columns(t)} for t in db.get_tables()}


def _counts(db) -> dict[str, int]:
    return {t: db.execute_sql(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in db.get_tables()}


def test_a_schema_1_desk_on_postgresql_upgrades_without_losing_a_row(pg_worker):
    fresh = open_database(pg_worker.fresh(name=f"{pg_worker.name}_new"))
    reference = _columns(fresh)
    close_database()

    from clientdesk.db.driver import load

    psycopg = load()
    url = pg_worker.fresh(name=f"{pg_worker.name}_v1")
    statements = _schema_1_for_postgres()
    creates = [s for s in statements if s.startswith("CREATE TABLE")]
    tables = [re.match(r'CREATE TABLE "(\w+)"', s)[1] for s in creates]
    with psycopg.connect(url) as conn:
        while creates:  # the fixture lists tables alphabetically: each after the tables it refers to
            waiting = []
            for statement in creates:
                try:
                    with conn.transaction():
                        conn.execute(statement)
                except psycopg.errors.UndefinedTable:
                    waiting.append(statement)
            assert len(waiting) < len(creates), waiting
            creates = waiting
        conn.execute("SET session_replication_role = replica")  # rows in the fixture's order; keys hold at the end
        for statement in statements:
            if statement.startswith("INSERT"):
                conn.execute(statement)
        for table in tables:  # the rows came with their ids, as they would have from the sequence
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))")
    db = open_database(url, migrate=False)
    before = _counts(db)
    close_database()
    assert before["task"] == 5 and before["time_entry"] == 1 and before["client"] == 2

    db = open_database(url)
    try:
        assert schema_version(db) == LATEST
        after = _counts(db)
        for table, n in before.items():
            assert after[table] == n, table
        assert _columns(db) == reference
        from clientdesk.models import TimeEntry

        entry = TimeEntry.get()
        assert (entry.minutes, entry.billable, entry.invoiced) == (45, True, False)
        TimeEntry.create(client=entry.client_id, start="2026-11-03T09:00:00", minutes=0)  # >= 0 since schema 3
        assert TimeEntry.select().count() == 2
    finally:
        close_database()
