"""Versioned schema changes. A new database gets the latest schema at once;
an older one runs each step after its stored version, in one transaction each.

Rule learnt the hard way: with foreign keys on, an engine that rebuilds a
table for some ALTERs cascades the DROP to child rows, so every step adds
columns as nullable and runs with foreign keys off (dialect.foreign_keys_off).
Steps run on every engine: engine-specific statements go through
clientdesk.db.dialect.
"""

from __future__ import annotations

import importlib
from typing import Callable

import peewee

from clientdesk.domain.errors import DatabaseProblem
from clientdesk.models import ALL_MODELS, SchemaVersion

#: version -> module that upgrades the schema to that version. Numbers may
#: leave gaps (work in progress elsewhere reserves them); steps run in order.
STEPS: dict[int, str] = {
    2: "clientdesk.migrations.m0002_routines",
    3: "clientdesk.migrations.m0003_time_money",
    4: "clientdesk.migrations.m0004_importers",
    9: "clientdesk.migrations.m0009_open_task_index",
}
LATEST = max(STEPS) if STEPS else 1


def _set_version(version: int) -> None:
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=version)


def upgrade(db: peewee.Database) -> int:
    """Bring the schema to LATEST; refuse a database from a newer clientdesk."""
    from clientdesk.db import dialect, schema_version

    current = schema_version(db)
    if current > LATEST:
        raise DatabaseProblem(
            f"this database was written by a newer clientdesk (schema {current}, this one knows {LATEST}); upgrade clientdesk"
        )
    if current == 0:
        existing = dialect.user_tables(db)
        if existing:
            raise DatabaseProblem("not a clientdesk database (it holds other tables)")
        with db.atomic():
            db.create_tables(ALL_MODELS)
            _set_version(LATEST)
        return LATEST
    for version in sorted(v for v in STEPS if v > current):
        step: Callable[[peewee.Database], None] = importlib.import_module(STEPS[version]).upgrade
        with dialect.foreign_keys_off(db), db.atomic():
            step(db)
            _set_version(version)
    return LATEST
