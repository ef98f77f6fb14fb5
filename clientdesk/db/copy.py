"""`clientdesk copy TARGET`: the whole open desk into another, empty database (SQLite <-> PostgreSQL).

Every row of every table keeps its id; the target's id counters are set past
them (and past the source's own counters, so that an id deleted in the
source is not handed out again in the target); then every table's rows are
counted on both sides. The source is read in one consistent snapshot, the
target written in one transaction: a copy that fails leaves the target as
empty as it was.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import peewee

from clientdesk.db import dialect
from clientdesk.domain.errors import DatabaseProblem
from clientdesk.models import ALL_MODELS, database

_ROWS_PER_BATCH = 1000


@dataclass(frozen=True)
class Copied:
    """What went where: rows per table, as counted in the target after the copy."""

    target: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _open_unbound(target) -> peewee.Database:
    from clientdesk.db import postgres, sqlite
    from clientdesk.db.core import desk_target

    where = desk_target(target)
    if isinstance(where, Path):
        return sqlite.open_file(where)
    return postgres.open_url(where)


def _same(source: peewee.Database, target) -> bool:
    from clientdesk.db.core import desk_target

    where = desk_target(target)
    if isinstance(where, Path):
        return dialect.engine(source) == dialect.SQLITE and where.resolve() == Path(source.database).resolve()
    if dialect.engine(source) != dialect.POSTGRES:
        return False
    theirs = getattr(source, "connect_params", {})
    from playhouse.db_url import parse

    mine = parse(where)
    return (mine.get("database") == source.database and str(mine.get("host") or "") == str(theirs.get("host") or "")
            and str(mine.get("port") or "") == str(theirs.get("port") or ""))


def _tables() -> list[type[peewee.Model]]:
    return list(peewee.sort_models(ALL_MODELS))


def _columns(model) -> list[peewee.Field]:
    return list(model._meta.sorted_fields)


def _count(db: peewee.Database, table: str) -> int:
    return db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def _refuse_unless_empty(dest: peewee.Database, shown: str) -> None:
    """The target may hold nothing, or an empty desk (tables made by opening it once), nothing else."""
    tables = dialect.user_tables(dest)
    if not tables:
        return
    known = {m._meta.table_name for m in ALL_MODELS}
    foreign = sorted(set(tables) - known)
    if foreign:
        raise DatabaseProblem(f"will not copy into {shown}: it holds other tables ({', '.join(foreign[:5])}); "
                              "give an empty database")
    full = [(t, _count(dest, t)) for t in sorted(tables) if t != "schema_version"]
    full = [(t, n) for t, n in full if n]
    if full:
        said = ", ".join(f"{n} in {t}" for t, n in full[:3])
        raise DatabaseProblem(f"will not copy into {shown}: it already holds a desk ({said}); "
                              "copy into an empty database")


@contextlib.contextmanager
def _snapshot(db: peewee.Database):
    """One consistent read of the whole source, that blocks no writer longer than it must."""
    if dialect.engine(db) == dialect.POSTGRES:
        with db.atomic():
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    with db.atomic("DEFERRED"):
        yield


def _convert(fields: list[peewee.Field]):
    """Per column, how a stored value moves between engines (booleans are 0/1 on SQLite)."""
    out = []
    for field in fields:
        if isinstance(field, peewee.BooleanField):
            out.append(lambda v: None if v is None else bool(v))
        else:
            out.append(None)
    return out


def copy_desk(target: str | os.PathLike, progress: Callable[[int, int], None] | None = None) -> Copied:
    """Copy the open desk into `target` (a path or a URL), which must be empty; see the module's docstring."""
    from clientdesk.migrations import upgrade

    source = database.obj
    if source is None:
        raise DatabaseProblem("no desk is open to copy")
    shown = _shown(target)
    if _same(source, target):
        raise DatabaseProblem(f"the target is the desk itself: {shown}")
    dest = _open_unbound(target)
    models = _tables()
    try:
        _refuse_unless_empty(dest, shown)
        with dest.atomic():
            with dest.bind_ctx(ALL_MODELS):
                upgrade(dest)
                dest.execute_sql('DELETE FROM "schema_version"')  # the source's row comes across with the rest
            with _snapshot(source):
                counts = {m._meta.table_name: _count(source, m._meta.table_name) for m in models}
                total, done = sum(counts.values()), 0
                for model in models:
                    done = _copy_table(source, dest, model, done, total, progress)
                counters = {m._meta.table_name: dialect.id_counter(source, m._meta.table_name) for m in models}
            for table, counter in counters.items():
                top = dest.execute_sql(f'SELECT MAX(id) FROM "{table}"').fetchone()[0] or 0
                dialect.set_id_counter(dest, table, max(counter, top))
        copied = {m._meta.table_name: _count(dest, m._meta.table_name) for m in models}
        wrong = [f"{t}: {counts[t]} -> {copied[t]}" for t in counts if counts[t] != copied[t]]
        if wrong:
            raise DatabaseProblem(f"the copy in {shown} does not match the desk ({'; '.join(wrong[:3])})")
    finally:
        if not dest.is_closed():
            dest.close()
    return Copied(shown, copied)


def _copy_table(source, dest, model, done: int, total: int, progress) -> int:
    table = model._meta.table_name
    fields = _columns(model)
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([dest.param] * len(fields))
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    converters = _convert(fields)
    read = source.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY "id"')
    cursor = dest.cursor()
    while True:
        batch = read.fetchmany(_ROWS_PER_BATCH)
        if not batch:
            break
        rows = [[conv(v) if conv else v for conv, v in zip(converters, row)] for row in batch]
        with peewee.__exception_wrapper__:
            cursor.executemany(insert, rows)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return done


def _shown(target) -> str:
    from clientdesk.db import postgres

    text = str(target)
    return postgres.shown(text) if postgres.is_url(text) else text
