"""Open and close the database: where it lives, its pragmas, and its migrations.

This is the only module that knows the database is SQLite; everything else
speaks portable Peewee, so that PostgreSQL can take over for teams.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import peewee
import platformdirs

from clientdesk.domain.errors import DatabaseProblem
from clientdesk.models import ALL_MODELS, SchemaVersion, database

APP_NAME = "clientdesk"
#: what a broken, locked or foreign database raises; callers catch these
DATABASE_ERRORS = (peewee.DatabaseError, sqlite3.Error)
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -32_000,
}


def default_db_path() -> Path:
    """The database path: $CLIENTDESK_DB, else the user's data directory."""
    env = os.environ.get("CLIENTDESK_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "clientdesk.db"


def open_database(path: str | os.PathLike | None = None, *, migrate: bool = True) -> peewee.SqliteDatabase:
    """Open (creating if needed) the database at `path` and bring its schema up to date."""
    from clientdesk.migrations import upgrade

    target = Path(path).expanduser() if path else default_db_path()
    close_database()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseProblem(f"cannot create the folder for the database {target}: {exc.strerror}") from None
    if target.exists() and target.is_dir():
        raise DatabaseProblem(f"the database path is a folder: {target}")
    if target.exists() and target.stat().st_size >= 16:
        with open(target, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise DatabaseProblem(f"not a clientdesk database (not an SQLite file): {target}")
    db = peewee.SqliteDatabase(str(target), pragmas=PRAGMAS, check_same_thread=False, timeout=10)
    try:
        db.connect()
    except (peewee.OperationalError, peewee.DatabaseError, sqlite3.Error) as exc:
        raise DatabaseProblem(f"cannot open the database {target}: {exc}") from None
    database.initialize(db)
    if migrate:
        try:
            upgrade(db)
        except DatabaseProblem:
            close_database()
            raise
        except (peewee.DatabaseError, sqlite3.Error) as exc:
            close_database()
            raise DatabaseProblem(f"cannot use the database {target}: {exc}") from None
    return db


def close_database() -> None:
    """Close the current database, if any."""
    current = database.obj
    if current is not None and not current.is_closed():
        current.close()


def schema_version(db: peewee.Database) -> int:
    """The stored schema version, 0 for an empty database."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def backup_database(destination: str | os.PathLike) -> Path:
    """A consistent copy through SQLite's online backup, safe while others write."""
    target = Path(destination).expanduser()
    if target.exists():
        raise DatabaseProblem(f"will not overwrite an existing file: {target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = database.obj.connection()
        dst = sqlite3.connect(str(target))
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode=delete")
        finally:
            dst.close()
    except (OSError, sqlite3.Error) as exc:
        if target.exists():
            target.unlink()
        raise DatabaseProblem(f"cannot write the backup {target}: {exc}") from None
    return target


def restore_database(source: str | os.PathLike, db_path: str | os.PathLike) -> Path:
    """Replace the database at `db_path` with a backup, through the backup API."""
    src_path = Path(source).expanduser()
    if not src_path.is_file():
        raise DatabaseProblem(f"no such backup file: {src_path}")
    with open(src_path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DatabaseProblem(f"not a clientdesk backup (not an SQLite file): {src_path}")
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
    try:
        ok = src.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise DatabaseProblem(f"the backup is damaged: {src_path}: {ok}")
        if not src.execute("SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone():
            raise DatabaseProblem(f"not a clientdesk backup: {src_path}")
        dst = sqlite3.connect(str(db_path), timeout=10)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return Path(db_path)


__all__ = ["ALL_MODELS", "open_database", "close_database", "backup_database", "restore_database", "default_db_path"]


def read_session():
    """A connection for the calling thread, closed afterwards (for UI worker threads)."""
    return database.connection_context()
