"""Open and close the desk on whichever engine its target names, and what every engine offers.

A target is a path (an SQLite file, the default) or a URL
(`postgresql://USER@HOST:PORT/NAME`, team mode). The engine's own module
(sqlite.py, postgres.py) connects and words its errors; this one binds
the models, runs the migrations and hands out the shared operations.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee
import platformdirs

from clientdesk.db import dialect
from clientdesk.db import postgres as _pg
from clientdesk.db import sqlite as _sqlite
from clientdesk.db.sqlite import Restored  # noqa: F401 - part of the package's names
from clientdesk.domain.errors import DatabaseProblem
from clientdesk.models import ALL_MODELS, SchemaVersion, database  # noqa: F401 - ALL_MODELS re-exported

APP_NAME = "clientdesk"
#: what a broken, locked, foreign or unreachable database raises; callers catch these
DATABASE_ERRORS = (peewee.DatabaseError, peewee.InterfaceError, *_sqlite.DRIVER_ERRORS)


def default_db_path() -> Path:
    """The default desk: $CLIENTDESK_DB when it is a path, else the user's data directory."""
    env = os.environ.get("CLIENTDESK_DB")
    if env and not _pg.is_url(env):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "clientdesk.db"


def desk_target(target: str | os.PathLike | None = None) -> str | Path:
    """What `--db` (or $CLIENTDESK_DB, or the default) names: a URL string or a file path."""
    if target is None or str(target) == "":
        target = os.environ.get("CLIENTDESK_DB") or None
    if target is None:
        return default_db_path()
    text = str(target)
    if _pg.is_url(text):
        return text
    if text.startswith("sqlite:///"):
        return Path(text[len("sqlite:///"):]).expanduser()
    scheme, sep, _rest = text.partition("://")
    if sep and scheme and "/" not in scheme:
        raise DatabaseProblem(f"clientdesk opens an SQLite file or a postgresql:// URL, not {scheme}://")
    return Path(text).expanduser()


def is_file_target(target: str | os.PathLike | None = None) -> bool:
    """Whether the target is an SQLite file (one may remove what a failed command created)."""
    return isinstance(desk_target(target), Path)


def open_database(path: str | os.PathLike | None = None, *, migrate: bool = True,
                  must_exist: bool = False) -> peewee.Database:
    """Open (creating if needed) the desk at `path` (a file or a URL) and bring its schema up to date.

    `must_exist`: a read-only command's open; a target with no desk says so and creates nothing.
    """
    from clientdesk.migrations import upgrade

    target = desk_target(path)
    close_database()
    if isinstance(target, Path):
        db = _sqlite.open_file(target, must_exist=must_exist)
        wording = _sqlite.problem
    else:
        db = _pg.open_url(target, must_exist=must_exist)
        wording = _pg.problem
    database.initialize(db)
    if migrate:
        try:
            upgrade(db)
        except DatabaseProblem:
            close_database()
            raise
        except DATABASE_ERRORS as exc:
            close_database()
            raise wording(exc, db) from None
    return db


def close_database() -> None:
    """Close the current database, if any."""
    current = database.obj
    if current is not None and not current.is_closed():
        try:
            current.close()
        except peewee.PeeweeException:  # a server connection that is already gone
            current._state.reset()


def schema_version(db: peewee.Database) -> int:
    """The stored schema version, 0 for an empty database."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def backup_database(destination: str | os.PathLike) -> Path:
    """A consistent copy of the open desk, safe while others write: SQLite's online backup of a file,
    `pg_dump` of a server's desk."""
    db = database.obj
    if dialect.engine(db) == dialect.POSTGRES:
        return _pg.backup_dump(db, destination)
    return _sqlite.backup_file(destination)


def restore_database(source: str | os.PathLike, db_path: str | os.PathLike) -> Restored:
    """Replace the desk with a backup (SQLite files; a server's desk is restored with pg_restore or copy)."""
    target = desk_target(db_path)
    if not isinstance(target, Path):
        raise DatabaseProblem("restore replaces an SQLite file; for a PostgreSQL desk use pg_restore, or "
                              "`clientdesk --db BACKUP.db copy URL` into an empty database")
    return _sqlite.restore_database(source, target)


def read_session():
    """A connection for the calling thread, closed afterwards (for UI worker threads)."""
    return database.connection_context()


def change_stamp() -> tuple | None:
    """A value that differs once anyone has committed a change to the database; None where the engine cannot say.

    Read on the calling thread's connection (call it from one thread, the UI's).
    Lets a view skip its re-read on return when nothing changed since it read
    (a few microseconds). A server's desk says None: every return re-reads.
    """
    db = database.obj
    if dialect.engine(db) != dialect.SQLITE:
        return None
    return _sqlite.change_stamp(db)


def describe(exc: BaseException) -> str:
    """A database error in one line, for the command line and notifications."""
    db = database.obj
    if db is not None and dialect.engine(db) == dialect.POSTGRES and _pg.lost_connection(exc):
        return str(_pg.problem(exc, db))
    return " ".join(str(exc).split())
