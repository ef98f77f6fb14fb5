"""The shell prompt's read of the running timer: an SQLite file, read-only, standard library only.

`clientdesk track status` must take well under 0.2 s (track_status.py), so
this reads without Peewee or a migration. Anything unusual (no such file, a
schema older than the timer, a server's desk) raises `Unavailable`, and the
full command line answers instead.
"""

from __future__ import annotations

import sqlite3


class Unavailable(Exception):
    """The quick read cannot answer this case."""


def read_timer(path: str, person: str, min_schema: int) -> tuple[str, str | None, str] | None:
    """(client, task or None, started) of `person`'s running timer in the file at `path`; None: no timer."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        raise Unavailable from None
    try:
        con.execute("PRAGMA busy_timeout = 5000")
        version = con.execute("SELECT version FROM schema_version").fetchone()
        if version is None or version[0] < min_schema:
            raise Unavailable
        return con.execute(
            "SELECT c.name, t.title, timer.started FROM timer JOIN client c ON c.id = timer.client_id "
            "LEFT JOIN task t ON t.id = timer.task_id WHERE timer.person = ?",
            (person,),
        ).fetchone()
    except sqlite3.Error:
        raise Unavailable from None
    finally:
        con.close()
