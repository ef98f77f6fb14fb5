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
#: how every transaction begins (see open_database)
LOCK_TYPE = "IMMEDIATE"
#: what SQLite says about a file whose pages are not a sound database
_DAMAGE_SIGNS = ("file is not a database", "database disk image is malformed", "malformed database schema")


class DatabaseDamaged(DatabaseProblem, peewee.DatabaseError):
    """The file is (or claims to be) an SQLite database, but its pages are damaged.

    Also a peewee.DatabaseError, so every handler of DATABASE_ERRORS still catches it.
    """


def _damaged(path) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"the database file is damaged (not a sound SQLite database): {path}; "
        "restore a backup with `clientdesk restore BACKUP`"
    )


def _is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in _DAMAGE_SIGNS)


def _problem(exc: BaseException, target: Path) -> DatabaseProblem:
    """One clear line for what SQLite says when it cannot open or read `target`."""
    text = str(exc)
    low = text.lower()
    if _is_damage(exc):
        return _damaged(target)
    if "readonly" in low or "read-only" in low:
        return DatabaseProblem(f"the database is read-only: {target}; clientdesk needs to write to it and its folder")
    if "unable to open database file" in low:
        return DatabaseProblem(f"cannot open the database file {target}: check that its folder exists and is writable")
    if "locked" in low or "busy" in low:
        return DatabaseProblem(f"the database is busy (another program holds it): {target}; try again")
    return DatabaseProblem(f"cannot use the database {target}: {text}")


class _SqliteDatabase(peewee.SqliteDatabase):
    """SqliteDatabase whose "damaged file" errors, wherever they surface, read as one clear line."""

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except DatabaseProblem:
            raise
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            if _is_damage(exc):
                raise _damaged(self.database) from exc
            raise


def default_db_path() -> Path:
    """The database path: $CLIENTDESK_DB, else the user's data directory."""
    env = os.environ.get("CLIENTDESK_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "clientdesk.db"


def open_database(path: str | os.PathLike | None = None, *, migrate: bool = True,
                  must_exist: bool = False) -> peewee.SqliteDatabase:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    `must_exist`: a read-only command's open; a path with no database says so and creates nothing.
    """
    from clientdesk.migrations import upgrade

    target = Path(path).expanduser() if path else default_db_path()
    if must_exist and not target.exists():
        raise DatabaseProblem(f"no database at {target} (check --db or CLIENTDESK_DB; `clientdesk` creates one)")
    close_database()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseProblem(f"cannot create the folder for the database {target}: {exc.strerror}") from None
    if target.exists() and target.is_dir():
        raise DatabaseProblem(f"the database path is a folder: {target}")
    if target.exists() and target.stat().st_size >= 16:
        try:
            with open(target, "rb") as fh:
                header = fh.read(16)
        except OSError as exc:
            raise DatabaseProblem(f"cannot read the database {target}: {exc.strerror}") from None
        if header != b"SQLite format 3\x00":
            raise DatabaseProblem(f"not a clientdesk database (not an SQLite file): {target}")
    _check_writable(target)
    # Transactions BEGIN IMMEDIATE: they take the write lock first, waiting up to
    # busy_timeout for another process's writer. A deferred BEGIN that reads and
    # then writes cannot wait: SQLite fails it at once with "database is locked".
    db = _SqliteDatabase(str(target), pragmas=PRAGMAS, check_same_thread=False, timeout=10, lock_type=LOCK_TYPE)
    try:
        db.connect()
        _probe(db)
    except DatabaseProblem:
        if not db.is_closed():
            db.close()
        raise
    except (peewee.OperationalError, peewee.DatabaseError, sqlite3.Error) as exc:
        if not db.is_closed():
            db.close()
        raise _problem(exc, target) from None
    database.initialize(db)
    if migrate:
        try:
            upgrade(db)
        except DatabaseProblem:
            close_database()
            raise
        except (peewee.DatabaseError, sqlite3.Error) as exc:
            close_database()
            raise _problem(exc, target) from None
    return db


def _check_writable(target: Path) -> None:
    """Refuse, in words, a file or folder SQLite could open only to fail on the first write.

    SQLite opens a read-only file read-only without a word, and in WAL mode it
    keeps two files beside the database, so the folder must be writable too.
    """
    folder = target.parent
    if target.exists() and not os.access(target, os.R_OK):
        raise DatabaseProblem(f"cannot read the database {target}: permission denied")
    if target.exists() and not os.access(target, os.W_OK):
        raise DatabaseProblem(
            f"the database file is read-only: {target}; clientdesk needs to write to it (check its permissions)"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        if target.exists():
            raise DatabaseProblem(
                f"the database's folder is read-only: {folder}; SQLite keeps its journal files beside {target.name}"
            )
        raise DatabaseProblem(f"cannot create the database in a read-only folder: {folder}")


def _probe(db: peewee.SqliteDatabase) -> None:
    """A cheap look at the file on open (well under a millisecond, whatever its size).

    Reads the whole schema and the first page of every table, so a file whose
    header is fine but whose pages are garbage fails here, with one clear
    line, rather than in the middle of a screen. Damage deeper in a large
    table surfaces on the query that meets it, with the same line
    (`_SqliteDatabase.execute_sql`); `PRAGMA quick_check` would find it
    here, but costs ~30 ms per 5 MB on every launch.
    """
    tables = [name for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    for name in tables:
        db.execute_sql(f'SELECT * FROM "{name}" LIMIT 1').fetchall()


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
