"""What differs between SQLite and PostgreSQL, as small helpers the rest of clientdesk calls.

Every query elsewhere is portable Peewee; where the engines disagree (date
arithmetic, two-argument min/max, new ids of a bulk insert, id counters,
foreign keys during a migration, a CHECK that cannot be altered) the code
asks here. Each helper takes the database (a Peewee database or the proxy)
or reads the bound one.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterable, Sequence

import peewee

SQLITE = "sqlite"
POSTGRES = "postgres"
#: julianday('0001-01-01') - 1: a date's ordinal plus this is SQLite's julianday of it
_JULIAN_DAY_OF_ORDINAL_0 = 1721424.5


def _unwrap(db=None) -> peewee.Database:
    if db is None:
        from clientdesk.models import database as db
    return getattr(db, "obj", None) or db


def engine(db=None) -> str:
    """'sqlite' or 'postgres': the engine behind `db` (default: the bound database)."""
    real = _unwrap(db)
    if isinstance(real, peewee.PostgresqlDatabase):
        return POSTGRES
    if isinstance(real, peewee.SqliteDatabase):
        return SQLITE
    raise TypeError(f"clientdesk runs on SQLite or PostgreSQL, not {type(real).__name__}")


def is_shared(db=None) -> bool:
    """Whether the desk lives on a server that several people reach at once."""
    return engine(db) == POSTGRES


# ---- expressions -----------------------------------------------------------

def days_since(day, iso_text) -> Any:  # a Peewee expression (typed Any: it takes part in arithmetic)
    """Days from the ISO date text `iso_text` (an expression) to the date `day` (a date), as a number."""
    if engine() == POSTGRES:
        return peewee.Value(day.isoformat()).cast("DATE") - peewee.Cast(iso_text, "DATE")
    return peewee.Value(day.toordinal() + _JULIAN_DAY_OF_ORDINAL_0) - peewee.fn.julianday(iso_text)


def least(*values) -> Any:  # a Peewee expression (typed Any: it takes part in arithmetic)
    """The smallest of its arguments (SQLite's scalar min, PostgreSQL's LEAST)."""
    return (peewee.fn.LEAST if engine() == POSTGRES else peewee.fn.min)(*values)


def greatest(*values) -> Any:  # a Peewee expression (typed Any: it takes part in arithmetic)
    """The largest of its arguments (SQLite's scalar max, PostgreSQL's GREATEST)."""
    return (peewee.fn.GREATEST if engine() == POSTGRES else peewee.fn.max)(*values)


# ---- ids -------------------------------------------------------------------

def stable_id_ddl(field: peewee.Field, node):
    """A primary key's DDL such that no id is handed out twice: SQLite needs AUTOINCREMENT, a
    PostgreSQL sequence never reuses."""
    db = field.model._meta.database
    if engine(db) == SQLITE:
        return peewee.NodeList((node, peewee.SQL("AUTOINCREMENT")))
    return node


def returning_ids(sql: str) -> str:
    """`sql`, an INSERT of one row, so that it returns the new row's id."""
    if " RETURNING " in sql.upper():
        return sql
    return f'{sql} RETURNING "id"'


def insert_many_returning(cursor, sql: str, args: Sequence[Sequence]) -> list[int]:
    """Run the one-row INSERT `sql` for each of `args` and give the new ids, in order.

    Each id comes from its own statement's RETURNING (lastrowid on SQLite), so
    another writer inserting at the same time cannot slip its ids in, unlike
    reading MAX(id) before and after.
    """
    if engine() == POSTGRES:
        cursor.executemany(returning_ids(sql), args, returning=True)
        ids = []
        while True:
            ids.append(cursor.fetchone()[0])
            if not cursor.nextset():
                break
        return ids
    ids = []
    for values in args:
        cursor.execute(sql, values)
        ids.append(cursor.lastrowid)
    return ids


def id_counter(db, table: str) -> int:
    """The last id handed out for `table` (0: none yet)."""
    if engine(db) == POSTGRES:
        row = db.execute_sql(f"SELECT last_value, is_called FROM {_sequence(db, table)}").fetchone()
        return int(row[0]) if row and row[1] else 0
    row = db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    return int(row[0]) if row else 0


def set_id_counter(db, table: str, value: int) -> None:
    """Make the next automatic id of `table` come after `value` (after rows were written with explicit ids)."""
    if engine(db) == POSTGRES:
        seq = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
        if seq is None:
            return
        if value > 0:
            db.execute_sql("SELECT setval(%s, %s, true)", (seq, int(value)))
        else:
            db.execute_sql("SELECT setval(%s, 1, false)", (seq,))
        return
    db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    if value > 0:
        db.execute_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, int(value)))


def counters_follow_ids(db, tables: Iterable[str]) -> None:
    """Every table's id counter at least its largest id (after a copy or an import with explicit ids)."""
    for table in tables:
        top = db.execute_sql(f'SELECT MAX(id) FROM "{table}"').fetchone()[0] or 0
        if top > id_counter(db, table):
            set_id_counter(db, table, top)


def _sequence(db, table: str) -> str:
    seq = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
    if seq is None:
        raise peewee.ProgrammingError(f"table {table} has no id sequence")
    return seq


# ---- schema ----------------------------------------------------------------

def user_tables(db) -> list[str]:
    """The tables of the desk, without the engine's own bookkeeping."""
    real = _unwrap(db)
    if engine(real) == SQLITE:
        from clientdesk.db.sqlite import user_tables as sqlite_tables

        return sqlite_tables(real)
    return list(real.get_tables())


@contextlib.contextmanager
def foreign_keys_off(db):
    """Foreign keys not enforced inside (a migration step). SQLite rebuilds a table for some
    ALTERs and would cascade its DROP to child rows; PostgreSQL alters in place, so nothing to do."""
    if engine(db) != SQLITE:
        yield
        return
    db.pragma("foreign_keys", 0)
    try:
        yield
    finally:
        db.pragma("foreign_keys", 1)


def alters_checks(db) -> bool:
    """Whether a CHECK constraint can be dropped and added in place (SQLite: the table is rebuilt instead)."""
    return engine(db) == POSTGRES


def drop_checks(db, table: str, mentioning: str) -> None:
    """Drop the CHECK constraints of `table` whose text mentions `mentioning` (they have generated names)."""
    names = db.execute_sql(
        "SELECT con.conname FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid "
        "WHERE rel.relname = %s AND con.contype = 'c' AND pg_get_constraintdef(con.oid) LIKE %s",
        (table, f"%{mentioning}%"),
    ).fetchall()
    for (name,) in names:
        db.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')


def forget_id_counter(db, table: str) -> None:
    """Drop the id counter a staging table left behind (SQLite; a sequence goes with its table)."""
    if engine(db) == SQLITE:
        db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))


def upsert(model, row: dict, conflict: Sequence[peewee.Field], update: Sequence[peewee.Field]):
    """INSERT `row`, or on a clash of `conflict` UPDATE the `update` fields: one statement on both engines
    (SQLite's `on_conflict_replace` would delete and re-insert under a new id, and PostgreSQL refuses it)."""
    return (model.insert(row)
            .on_conflict(conflict_target=list(conflict),
                         update={f: peewee.EXCLUDED[f.column_name] for f in update})
            .execute())
