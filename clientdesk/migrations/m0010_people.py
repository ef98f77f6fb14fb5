"""Schema 10: people. A `person` table, the task's assignee, the person of each journal
action and of each time block (the Planner shows one person's week), and a
`version` on every table people edit (optimistic concurrency).

Frozen here, not taken from today's models. Every column is added nullable or
with a SQL DEFAULT, so SQLite never rebuilds a table (a rebuild would cascade
its DROP to child rows) and the same DDL runs on PostgreSQL.
"""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

#: tables a form or a key edits; `task` has had its version since schema 1
VERSIONED_TABLES = ("client", "feedback", "project", "milestone", "risk", "template", "change_request",
                    "interaction", "routine", "time_block", "time_entry", "invoice")


class _StableId(peewee.AutoField):
    """Ids never handed out twice, as every table of the schema has them."""

    def ddl(self, ctx):
        from clientdesk.db.dialect import stable_id_ddl

        return stable_id_ddl(self, super().ddl(ctx))


def _person(db: peewee.Database) -> type[peewee.Model]:
    class Person(peewee.Model):
        id = _StableId()
        version = peewee.IntegerField(default=1, constraints=[peewee.SQL("DEFAULT 1")])
        name = peewee.CharField(constraints=[peewee.Check("length(name) > 0")])
        key = peewee.CharField(unique=True)
        capacity_hours = peewee.FloatField(default=40, constraints=[peewee.Check("capacity_hours >= 0")])
        active = peewee.BooleanField(default=True)

        class Meta:
            database = db
            table_name = "person"

    return Person


def upgrade(db: peewee.Database) -> None:
    person = _person(db)
    db.create_tables([person])
    for table in VERSIONED_TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
    migrator = SchemaMigrator.from_database(db)
    migrate(  # a foreign key column comes with its index (task_assignee_id ...), as on a new desk
        migrator.add_column("task", "assignee_id",
                            peewee.ForeignKeyField(person, null=True, field=person.id, on_delete="SET NULL")),
        migrator.add_column("action", "person_id",
                            peewee.ForeignKeyField(person, null=True, field=person.id, on_delete="SET NULL")),
        migrator.add_column("time_block", "person_id",
                            peewee.ForeignKeyField(person, null=True, field=person.id, on_delete="SET NULL")),
    )
