"""Schema 4: where imported rows came from (source, source_id), task notes, calendar busy time, the desk's settings.

Fields are declared here as they were at schema 4, not taken from the
current models, so that later model changes cannot change this step.
"""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

SOURCED_TABLES = ("client", "project", "task", "time_entry")


class _InstantText(peewee.Field):
    field_type = "VARCHAR(19)"


class _StableId(peewee.AutoField):
    """Ids never handed out twice, as every table of the schema has them."""

    def ddl(self, ctx):
        from clientdesk.db.dialect import stable_id_ddl

        return stable_id_ddl(self, super().ddl(ctx))


def _frozen_models(db: peewee.Database) -> list[type[peewee.Model]]:
    class _Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class BusyTime(_Base):
        id = _StableId()
        calendar = peewee.CharField()
        uid = peewee.CharField()
        occurrence = peewee.CharField(default="")
        summary = peewee.TextField(default="")
        start = _InstantText(index=True)
        end = _InstantText(constraints=[peewee.Check('"end" > start')])

        class Meta:
            table_name = "busy_time"
            indexes = ((("calendar", "uid", "occurrence"), True),)

    class DeskSetting(_Base):
        id = _StableId()
        key = peewee.CharField(unique=True)
        value = peewee.TextField()

        class Meta:
            table_name = "desk_setting"

    return [BusyTime, DeskSetting]


def upgrade(db: peewee.Database) -> None:
    db.create_tables(_frozen_models(db))
    migrator = SchemaMigrator.from_database(db)
    steps = []
    for table in SOURCED_TABLES:
        steps.append(migrator.add_column(table, "source", peewee.CharField(null=True)))
        steps.append(migrator.add_column(table, "source_id", peewee.CharField(null=True)))
        steps.append(migrator.add_index(table, ("source", "source_id"), True))
    migrate(*steps)
    # NOT NULL with a SQL default: no table rebuild, the same DDL on every engine
    db.execute_sql("ALTER TABLE task ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
