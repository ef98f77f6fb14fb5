"""A desk on a PostgreSQL server (team mode): open by URL, session settings, errors in words, backup.

`postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME` (also `postgres://`, and
`postgresql+pool://` for a connection pool), as `--db` or `CLIENTDESK_DB`.
Peewee's `playhouse.db_url` reads the URL; psycopg 3 is the driver
(loaded only here, see driver.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import peewee

from clientdesk.domain.errors import DatabaseProblem

SCHEMES = ("postgresql", "postgres", "postgresql+pool", "postgres+pool")
#: per session: instants are UTC text anyway, but now() and casts agree; a lock wait is bounded
#: as SQLite's busy_timeout bounds it; a transaction left open by a crashed client is ended
SESSION_OPTIONS = "-c TimeZone=UTC -c lock_timeout=10000 -c idle_in_transaction_session_timeout=600000"
CONNECT_TIMEOUT = 5
#: the channel every commit that wrote is announced on (LISTEN/NOTIFY), for the apps' live refresh
CHANNEL = "clientdesk_desk"
#: who announces: a notification carrying this process's token is its own echo
NOTIFY_TOKEN = f"{os.uname().nodename}:{os.getpid()}"
#: a statement that writes the journal (its entries say which rows the transaction changed)
_JOURNAL_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE)\s+"action"', re.I)
#: the first words of statements that write (a commit after one of them is announced)
_WRITING = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TRUNCATE")
#: what psycopg says when the connection is gone (the server restarted, the network dropped)
_LOST = ("server closed the connection", "terminating connection", "the connection is closed",
         "connection already closed", "consuming input failed", "the connection is lost", "connection is bad",
         "sending query failed", "connection not open", "ssl syscall error", "no connection to the server")


def is_url(target: str) -> bool:
    scheme, sep, _rest = str(target).partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{netloc}", parts.path, parts.query, parts.fragment))


def lost_connection(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in _LOST)


def _reason(exc: BaseException) -> str:
    """The part of a connection error that says what is wrong, on one line."""
    text = " ".join(str(exc).split())
    fatal = re.findall(r"FATAL:\s*(.+?)(?=\s*(?:FATAL:|connection to server|$))", text)
    if fatal:
        return fatal[-1].strip()
    if "Connection refused" in text:
        return "connection refused (is the server running on that host and port?)"
    host = re.search(r"failed to resolve host '([^']*)'", text)
    if host or "Name or service not known" in text or "nodename nor servname" in text:
        return f"no such host{' ' + repr(host[1]) if host else ''}"
    if "timeout expired" in text:
        return f"no answer within {CONNECT_TIMEOUT} s (check the host and port)"
    return text.removeprefix("connection failed: ")


def problem(exc: BaseException, db) -> DatabaseProblem:
    """One clear line for what the server says."""
    url = getattr(db, "desk_url", "the PostgreSQL desk")
    if lost_connection(exc):
        return DatabaseProblem(f"the database server went away ({shown(url)}); nothing half written, try again")
    return DatabaseProblem(f"cannot use the desk at {shown(url)}: {' '.join(str(exc).split())}")


def _database_class(scheme: str):
    from playhouse import db_url

    base = db_url.schemes[scheme]

    class Desk(base):
        """The server's database, with clientdesk's session settings and a reconnect between statements."""

        desk_url = ""

        def execute_sql(self, sql, params=None):
            if not sql.lstrip()[:8].upper().startswith(_WRITING):
                return self._execute(sql, params)
            kind = "journal" if _JOURNAL_WRITE.search(sql) else "raw"
            if self.in_transaction():  # announced by the commit (NOTIFY is delivered on commit)
                kinds = getattr(self._state, "announce", None)
                if kinds is None:
                    kinds = self._state.announce = set()
                kinds.add(kind)
                return self._execute(sql, params)
            cursor = self._execute(sql, params)  # committed on its own: announce it now
            self._announce({kind})
            return cursor

        def commit(self):
            kinds = getattr(self._state, "announce", None)
            self._state.announce = None
            if kinds:
                self._announce(kinds)
            return super().commit()

        def rollback(self):
            self._state.announce = None
            return super().rollback()

        def _announce(self, kinds: set[str]) -> None:
            # a transaction that wrote the journal is news the journal tells; one that did not is "raw"
            kind = "journal" if "journal" in kinds else "raw"
            with peewee.__exception_wrapper__:  # a lost server raises as peewee's errors, like the commit would
                self.cursor().execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{kind} {NOTIFY_TOKEN}"))

        def _execute(self, sql, params=None):
            try:
                return super().execute_sql(sql, params)
            except (peewee.OperationalError, peewee.InterfaceError) as exc:
                if self.in_transaction() or not lost_connection(exc):
                    raise
            # gone between two statements, outside a transaction: nothing was half done, so reconnect once
            if not self.is_closed():
                try:
                    self.close()
                except peewee.PeeweeException:
                    self.dispose()
            return super().execute_sql(sql, params)

    return Desk


def open_url(url: str, *, must_exist: bool = False) -> peewee.Database:
    """Connect to the desk at `url` (one line if the server, the user, the password or the database is wrong)."""
    from playhouse.db_url import parse

    from clientdesk.db.driver import load

    load()
    scheme = url.partition("://")[0].lower()
    try:
        params = parse(url, unquote_password=True, unquote_user=True)
    except ValueError as exc:  # a port that is not a number
        raise DatabaseProblem(f"not a database URL: {shown(url)}: {exc}") from None
    if not params.get("database"):
        raise DatabaseProblem(f"the URL names no database: {shown(url)} (postgresql://USER@HOST:PORT/NAME)")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    params.setdefault("application_name", "clientdesk")
    params["options"] = f"{SESSION_OPTIONS} {params.get('options', '')}".strip()
    db = _database_class(scheme)(**params)
    db.desk_url = url
    try:
        db.connect()
    except peewee.PeeweeException as exc:
        raise DatabaseProblem(f"cannot connect to the desk at {shown(url)}: {_reason(exc)}") from None
    if must_exist and not db.get_tables():
        db.close()
        raise DatabaseProblem(f"no desk at {shown(url)}: the database is empty (check --db or CLIENTDESK_DB; "
                              "`clientdesk` creates one)")
    return db


class ChangeListener:
    """A dedicated autocommit connection LISTENing on CHANNEL: says when another process committed.

    NOTIFY is not replayed: what was sent while this connection was down is
    lost, so whoever uses it reads everything again after a reconnect.
    """

    APPLICATION_NAME = "clientdesk-live"

    def __init__(self, db) -> None:
        from clientdesk.db.driver import load

        psycopg = load()
        params = {k: v for k, v in db.connect_params.items() if v is not None}
        params["application_name"] = self.APPLICATION_NAME
        try:
            self.conn = psycopg.connect(dbname=db.database, autocommit=True, **params)
            self.conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise problem(exc, db) from None
        self._db = db
        self._errors = psycopg.Error

    def wait(self, timeout: float) -> set[str]:
        """Wait up to `timeout` s for other processes' commits: the kinds announced ("journal": its
        entries tell; "raw": a commit without one), empty when none came (or only this process's).
        Raises DatabaseProblem when the connection is lost."""
        payloads = []
        try:
            for note in self.conn.notifies(timeout=timeout, stop_after=1):
                payloads.append(note.payload)
            if payloads:
                payloads.extend(n.payload for n in self.conn.notifies(timeout=0.0))  # the rest, without waiting
        except self._errors as exc:
            raise problem(exc, self._db) from None
        kinds = set()
        for payload in payloads:
            kind, _, token = payload.partition(" ")
            if token != NOTIFY_TOKEN:
                kinds.add(kind)
        return kinds

    def close(self) -> None:
        try:
            self.conn.close()
        except self._errors:
            pass


def backup_dump(db, destination: str | os.PathLike) -> Path:
    """A consistent copy of the server's desk with `pg_dump` (one snapshot, while others write)."""
    target = Path(destination).expanduser()
    if target.exists() or target.is_symlink():
        raise DatabaseProblem(f"will not overwrite an existing file: {target}")
    tool = shutil.which("pg_dump")
    if tool is None:
        raise DatabaseProblem("cannot back up a PostgreSQL desk here: pg_dump is not installed (install the "
                              "PostgreSQL client tools), or `clientdesk copy` the desk into an SQLite file")
    env = dict(os.environ)
    params = db.connect_params
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    args = [tool, "--format=custom", "--no-owner", "--dbname", db.database,
            "--host", str(params.get("host") or "localhost"), "--port", str(params.get("port") or 5432)]
    if params.get("user"):
        args += ["--username", str(params["user"])]
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([*args, "--file", str(partial)], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=3600)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise DatabaseProblem(f"pg_dump could not back up the desk: {lines[-1] if lines else done.returncode}")
        os.replace(partial, target)
    except OSError as exc:
        raise DatabaseProblem(f"cannot write the backup {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target
