"""Schema 2: routines (recurring blocks) and the link from a block to its routine.

The tables are frozen here as they were at schema 2 (the models have grown
since: schema 10 adds a `version` to routines), so this step does the same
thing whatever the models become.
"""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from clientdesk.models.base import DateField, StableIdField, one_of

BLOCK_KINDS = ("focus", "batch", "meeting", "buffer")


def _frozen(db: peewee.Database):
    class Frozen(peewee.Model):
        id = StableIdField()

        class Meta:
            database = db
            legacy_table_names = False

    class Client(Frozen):
        class Meta:
            table_name = "client"

    class Task(Frozen):
        class Meta:
            table_name = "task"

    class Routine(Frozen):
        client = peewee.ForeignKeyField(Client, backref="routines", on_delete="CASCADE")
        task = peewee.ForeignKeyField(Task, null=True, backref="routines", on_delete="SET NULL")
        kind = peewee.CharField(default="focus", constraints=[one_of("kind", BLOCK_KINDS)])
        weekday = peewee.IntegerField(constraints=[peewee.Check("weekday BETWEEN 0 AND 6")])
        start_time = peewee.CharField(max_length=5)
        minutes = peewee.IntegerField(constraints=[peewee.Check("minutes > 0")])
        every_weeks = peewee.IntegerField(default=1, constraints=[peewee.Check("every_weeks >= 1")])
        anchor = DateField()
        until = DateField(null=True)
        timezone = peewee.CharField(default="UTC")
        note = peewee.TextField(default="")
        active = peewee.BooleanField(default=True)

        class Meta:
            table_name = "routine"

    class RoutineSkip(Frozen):
        routine = peewee.ForeignKeyField(Routine, backref="skips", on_delete="CASCADE")
        occurrence = DateField()

        class Meta:
            table_name = "routine_skip"
            indexes = ((("routine", "occurrence"), True),)

    return Routine, RoutineSkip


def upgrade(db: peewee.Database) -> None:
    routine, skip = _frozen(db)
    db.create_tables([routine, skip])
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("time_block", "routine_id",
                            peewee.ForeignKeyField(routine, null=True, field=routine.id, on_delete="SET NULL")),
        migrator.add_column("time_block", "occurrence", DateField(null=True)),
        migrator.add_index("time_block", ("routine_id", "occurrence"), True),
    )
