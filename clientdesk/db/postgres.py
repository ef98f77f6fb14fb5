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
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


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
                    self._state.reset()
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
