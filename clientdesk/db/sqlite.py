"""A desk in an SQLite file: opening it (pragmas, the checks that word a bad file), backup and restore.

Reached through `clientdesk.db`, which picks the engine from the target.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import peewee

from clientdesk.domain.errors import DatabaseProblem
from clientdesk.models import ALL_MODELS, database

#: what the driver raises beside Peewee's own errors
DRIVER_ERRORS = (sqlite3.Error,)
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
    if "disk is full" in low or "disk i/o error" in low:
        return DatabaseProblem(f"cannot write the database {target}: the disk is full (or a file size limit was hit)")
    if "readonly" in low or "read-only" in low:
        return DatabaseProblem(f"the database is read-only: {target}; clientdesk needs to write to it and its folder")
    if "unable to open database file" in low:
        return DatabaseProblem(f"cannot open the database file {target}: check that its folder exists and is writable")
    if "locked" in low or "busy" in low:
        return DatabaseProblem(f"the database is busy (another program holds it): {target}; try again")
    return DatabaseProblem(f"cannot use the database {target}: {text}")


#: the first words of statements that write; counted by `local_writes`
_WRITING = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_local_writes = 0


def local_writes() -> int:
    """How many writing statements this process has run (any thread, any connection).

    Lets the live watcher tell a commit of this process (the app's writer, a
    view's read that lays a routine's blocks) from another process's: SQLite's
    `data_version` moves for both.
    """
    return _local_writes


class _SqliteDatabase(peewee.SqliteDatabase):
    """SqliteDatabase whose "damaged file" errors, wherever they surface, read as one clear line."""

    def execute_sql(self, sql, params=None):
        global _local_writes
        if sql.lstrip()[:7].upper().startswith(_WRITING):
            _local_writes += 1  # counted before it runs: by the time its commit shows, the count has moved
        try:
            return super().execute_sql(sql, params)
        except DatabaseProblem:
            raise
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            if _is_damage(exc):
                raise _damaged(self.database) from exc
            raise
        except UnicodeDecodeError as exc:  # a schema or a text whose bytes were damaged
            raise _damaged(self.database) from exc

    def rollback(self):
        conn = self._state.conn
        if conn is not None and not conn.in_transaction:
            return  # SQLite rolled back already (a full disk, an I/O error): what the caller wants is done
        super().rollback()


def open_file(target: Path, *, must_exist: bool = False) -> peewee.SqliteDatabase:
    """Connect to (creating if needed) the SQLite file `target`; the caller binds and migrates it.

    `must_exist`: a read-only command's open; a path with no database says so and creates nothing.
    """
    if must_exist and not target.exists():
        raise DatabaseProblem(f"no database at {target} (check --db or CLIENTDESK_DB; `clientdesk` creates one)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseProblem(f"cannot create the folder for the database {target}: {exc.strerror}") from None
    if target.exists() and target.is_dir():
        raise DatabaseProblem(f"the database path is a folder: {target}")
    if target.exists() and target.stat().st_size >= 16 and not _is_sqlite_file(target, "the database"):
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
    except UnicodeDecodeError:  # the pragmas read a schema whose bytes were damaged
        if not db.is_closed():
            db.close()
        raise _damaged(target) from None
    return db


def problem(exc: BaseException, db: peewee.SqliteDatabase) -> DatabaseProblem:
    """One clear line for an error met while migrating the file."""
    return _problem(exc, Path(db.database))


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


def backup_file(destination: str | os.PathLike) -> Path:
    """A consistent copy through SQLite's online backup, safe while others write.

    The copy is written under a hidden name beside the target, without a
    journal, and renamed into place when whole: a backup killed or stopped by
    a full disk leaves no file at the target and nothing that blocks the next.
    """
    target = Path(destination).expanduser()
    if target.exists() or target.is_symlink():
        raise DatabaseProblem(f"will not overwrite an existing file: {target}")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = database.obj.connection()
        dst = sqlite3.connect(str(partial))
        try:
            dst.execute("PRAGMA journal_mode=off")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=delete")
        finally:
            dst.close()
        try:
            os.link(partial, target)  # fails, rather than overwrite, if the target appeared meanwhile
        except FileExistsError:
            raise DatabaseProblem(f"will not overwrite an existing file: {target}") from None
        except OSError:  # a file system without hard links
            os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseProblem(f"cannot write the backup {target}: {getattr(exc, 'strerror', None) or exc}") from None
    finally:
        for leftover in (partial, *_sidecars(partial)):
            leftover.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class Restored:
    """Where a backup went, and where the desk it replaced was kept (None: there was none)."""

    path: Path
    kept: Path | None


def restore_database(source: str | os.PathLike, db_path: str | os.PathLike) -> Restored:
    """Replace the database at `db_path` with a backup, checked whole before the live file is touched.

    The backup is copied beside the database and the copy is checked (see
    `_check_backup`): a foreign, damaged, newer or booby-trapped file is
    refused and the desk stays as it was. An older backup is upgraded in the
    copy. Then the copy goes in through SQLite's backup API, one transaction
    that readers of the live file (another app) see whole or not at all; a
    live file SQLite cannot read is swapped by rename instead. The replaced
    desk is kept beside it as `NAME.before-restore`.
    """
    src_path = Path(source).expanduser()
    target = Path(db_path).expanduser()
    _check_backup_file(src_path)
    if target.exists() and src_path.resolve() == target.resolve():
        raise DatabaseProblem(f"the backup is the database itself: {src_path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring-{os.getpid()}")
    try:
        _copy_sqlite(_read_only(src_path), staged, src_path)
        _check_backup(staged, src_path)
        _upgrade_copy(staged, src_path)
        live_sound = target.exists() and target.stat().st_size > 0 and _sound(target)
        kept = _keep_before_restore(target, live_sound)
        if not live_sound:
            _swap_in(staged, target)
        else:
            _copy_sqlite(str(staged), target, src_path, into_live=True)
    finally:
        for leftover in (staged, *_sidecars(staged)):
            leftover.unlink(missing_ok=True)
    return Restored(target, kept)


def _read_only(path: Path) -> str:
    """An SQLite URI opening `path` read-only (any character in the name is quoted)."""
    return path.resolve().as_uri() + "?mode=ro"


def _check_backup_file(path: Path) -> None:
    """The backup must be a regular file that starts like SQLite; a FIFO or a device is never opened."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DatabaseProblem(f"no such backup file: {path}") from None
    except OSError as exc:
        raise DatabaseProblem(f"cannot read the backup {path}: {exc.strerror}") from None
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    for test, word in kinds:
        if test(mode):
            raise DatabaseProblem(f"not a backup file: {path} is {word}; give the file `clientdesk backup` wrote")
    if not _is_sqlite_file(path, "the backup"):
        raise DatabaseProblem(f"not a clientdesk backup (not an SQLite file): {path}")


def _is_sqlite_file(path: Path, what: str) -> bool:
    """Whether `path` starts with SQLite's file header; `what` names it in the error ("the backup")."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError as exc:
        raise DatabaseProblem(f"cannot read {what} {path}: {exc.strerror}") from None


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))


def _copy_sqlite(source: str, destination: Path, shown: Path, *, into_live: bool = False) -> None:
    """Copy one SQLite database (a path or a read-only URI) into another through the backup API
    (one transaction on the destination)."""
    try:
        src = sqlite3.connect(source, uri=source.startswith("file:"))
        try:
            dst = sqlite3.connect(str(destination), timeout=10)
            try:
                src.backup(dst)
                if not into_live:
                    dst.execute("PRAGMA journal_mode=delete")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            raise DatabaseProblem(f"the backup is damaged: {shown}") from None
        raise DatabaseProblem(f"cannot restore {shown}: {exc}") from None


def _reference_schema() -> dict[str, set[str]]:
    """Every table clientdesk creates, with its columns, as a new database gets them."""
    ref = peewee.SqliteDatabase(":memory:")
    with ref.bind_ctx(ALL_MODELS):
        ref.create_tables(ALL_MODELS)
        tables = {t: {c.name for c in ref.get_columns(t)} for t in ref.get_tables()}
    ref.close()
    return tables


_SQLITE_TABLES = ("sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4")
#: the tables every clientdesk desk has had since schema 1 (later steps only add)
_FIRST_TABLES = ("action", "change_request", "client", "feedback", "interaction", "milestone", "project", "risk",
                 "schema_version", "task", "template", "time_block", "time_entry")


def _check_backup(copy: Path, shown: Path) -> None:
    """Refuse a copy that is not a sound clientdesk desk of this or an older schema.

    Checked on the staged copy, opened read-only: the integrity check; no
    trigger or view (a backup could carry `CREATE TRIGGER ... DELETE FROM
    time_entry`); no table or column clientdesk does not create; a schema
    version this clientdesk knows. Each refusal names what was found.
    """
    from clientdesk.migrations import LATEST

    con = sqlite3.connect(_read_only(copy), uri=True)
    try:
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DatabaseProblem(f"the backup is damaged: {shown}: {exc}") from None
        if ok != "ok":
            raise DatabaseProblem(f"the backup is damaged: {shown}: {ok}")
        objects = con.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name").fetchall()
        foreign = [f"{kind} {name}" for kind, name, _t in objects if kind in ("trigger", "view")]
        if foreign:
            raise DatabaseProblem(
                f"not a clientdesk backup: {shown} holds {', '.join(foreign)}, which clientdesk never creates; "
                "nothing was restored"
            )
        reference = _reference_schema()
        tables = [name for kind, name, _t in objects if kind == "table" and name not in _SQLITE_TABLES]
        if "schema_version" not in tables:
            raise DatabaseProblem(f"not a clientdesk backup (no schema version): {shown}")
        unknown = [t for t in tables if t not in reference]
        if unknown:
            raise DatabaseProblem(f"not a clientdesk backup: {shown} holds tables clientdesk does not know: "
                                  f"{', '.join(sorted(unknown))}")
        for table in tables:
            columns = {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}
            extra = sorted(columns - reference[table])
            if extra:
                raise DatabaseProblem(f"not a clientdesk backup: {shown}: table {table} has columns clientdesk "
                                      f"does not know: {', '.join(extra)}")
        rows = con.execute("SELECT version FROM schema_version").fetchall()
        if len(rows) != 1 or not isinstance(rows[0][0], int):
            raise DatabaseProblem(f"not a clientdesk backup (its schema version is {'empty' if not rows else 'unreadable'}): "
                                  f"{shown}")
        version = rows[0][0]
        if version > LATEST:
            raise DatabaseProblem(f"the backup was written by a newer clientdesk (schema {version}, this one knows "
                                  f"{LATEST}): {shown}; upgrade clientdesk")
        if version < 1:
            raise DatabaseProblem(f"not a clientdesk backup (schema version {version}): {shown}")
        missing = sorted(set(_FIRST_TABLES) - set(tables))
        if missing:
            raise DatabaseProblem(f"not a whole clientdesk backup: {shown} lacks tables {', '.join(missing)}")
        if version == LATEST:
            _check_complete(con, reference, shown)
    finally:
        con.close()


def _check_complete(con: sqlite3.Connection, reference: dict[str, set[str]], shown: Path) -> None:
    """At the current schema, every table and column clientdesk creates must be there."""
    present = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(set(reference) - present)
    if missing:
        raise DatabaseProblem(f"not a whole clientdesk backup: {shown} lacks tables {', '.join(missing)}")
    for table, columns in reference.items():
        have = {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}
        if columns - have:
            raise DatabaseProblem(f"not a whole clientdesk backup: {shown}: table {table} lacks columns "
                                  f"{', '.join(sorted(columns - have))}")


def _upgrade_copy(copy: Path, shown: Path) -> None:
    """Bring an older backup's copy to this schema (the live file is not touched), then check it whole."""
    from clientdesk.migrations import LATEST

    con = sqlite3.connect(str(copy))
    try:
        (version,) = con.execute("SELECT version FROM schema_version").fetchone()
    finally:
        con.close()
    if version == LATEST:
        return
    from clientdesk.db.core import close_database, open_database

    try:
        open_database(copy)
    except DatabaseProblem as exc:
        reason = str(exc).rsplit(": ", 1)[-1]
        raise DatabaseProblem(f"not a whole clientdesk backup: {shown}: upgrading it from schema {version} "
                              f"failed ({reason})") from None
    finally:
        close_database()
    con = sqlite3.connect(str(copy))
    try:
        con.execute("PRAGMA journal_mode=delete")
        _check_complete(con, _reference_schema(), shown)
    finally:
        con.close()


def _sound(path: Path) -> bool:
    """Whether SQLite can read `path` as a database (so the backup API can write into it)."""
    try:
        con = sqlite3.connect(str(path))
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def _keep_before_restore(target: Path, sound: bool) -> Path | None:
    """A copy of the desk about to be replaced, as `NAME.before-restore` (then `.2`, `.3`: none is overwritten)."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    kept = target.with_name(target.name + ".before-restore")
    n = 1
    while kept.exists():
        n += 1
        kept = target.with_name(f"{target.name}.before-restore.{n}")
    if sound:
        _copy_sqlite(str(target), kept, target)
    else:  # a file SQLite cannot read keeps its bytes (and its journal files) as they are
        os.replace(target, kept)
        for side, kept_side in zip(_sidecars(target), _sidecars(kept)):
            if side.exists():
                os.replace(side, kept_side)
    return kept


def _swap_in(staged: Path, target: Path) -> None:
    """Put the checked copy in place by one rename (no journal of the old file may stay beside it)."""
    for side in _sidecars(target):
        side.unlink(missing_ok=True)
    os.replace(staged, target)


def change_stamp(db: peewee.SqliteDatabase) -> tuple:
    """A value that moves once anyone commits: `data_version` for other connections and
    processes, `total_changes` for this one (see clientdesk.db.change_stamp)."""
    conn = db.connection()
    (version,) = conn.execute("PRAGMA data_version").fetchone()
    return (id(conn), conn.total_changes, version)


def user_tables(db: peewee.Database) -> list[str]:
    """The tables of the file, without SQLite's own."""
    return [t for t in db.get_tables() if not t.startswith("sqlite_")]
