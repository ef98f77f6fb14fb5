"""The database: open a desk by path (SQLite) or URL (PostgreSQL), close it, back it up, copy it.

This package is the only place that knows which engine a desk runs on:
`core` opens and binds, `sqlite` and `postgres` hold each engine's own
code, `dialect` the few expressions and statements that differ, `copy` moves
a whole desk between engines. Everything else speaks portable Peewee.

Names are loaded on first use, so that `clientdesk.db.quick` (the shell
prompt's timer read, standard library only) does not import Peewee.
"""

from __future__ import annotations

import importlib

_FROM_CORE = ("ALL_MODELS", "APP_NAME", "DATABASE_ERRORS", "Restored", "backup_database", "change_stamp",
              "close_database", "database", "default_db_path", "desk_target", "describe", "is_file_target",
              "open_database", "read_session", "restore_database", "schema_version")
__all__ = list(_FROM_CORE)


def __getattr__(name: str):
    if name in _FROM_CORE:
        value = getattr(importlib.import_module("clientdesk.db.core"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'clientdesk.db' has no attribute {name!r}")
