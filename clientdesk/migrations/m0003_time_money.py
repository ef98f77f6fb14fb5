"""Schema 3: time and money. Client.currency, Project.hourly_rate, the Timer and
Invoice tables, and time entries that may last zero minutes and link to an invoice.

Every definition is frozen here (not taken from today's models), so the step
does the same thing whatever the models become. The CHECK on
time_entry.minutes changes from > 0 to >= 0: where the engine cannot alter a
CHECK the table is rebuilt (copy, drop, rename; ids and the id counter kept);
elsewhere the constraint is swapped in place.
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

from clientdesk.db import dialect
from clientdesk.models.base import DateField, InstantField, StableIdField

ENTRY_COLUMNS = ("id", "client_id", "task_id", "start", "minutes", "billable", "invoiced", "invoice_ref", "note")


def _frozen(db: pw.Database, table: str):
    """The tables of schema 3 as they are at this step, bound to `db`."""

    class Frozen(pw.Model):
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

    class Invoice(Frozen):
        client = pw.ForeignKeyField(Client, on_delete="CASCADE")
        reference = pw.CharField(unique=True, constraints=[pw.Check("length(reference) > 0")])
        period_start = DateField()
        period_end = DateField()
        issued_on = DateField()
        currency = pw.CharField(max_length=3)
        minutes = pw.IntegerField(default=0, constraints=[pw.Check("minutes >= 0")])
        total = pw.FloatField(default=0, constraints=[pw.Check("total >= 0")])

        class Meta:
            table_name = "invoice"

    class Timer(Frozen):
        person = pw.CharField(unique=True)
        client = pw.ForeignKeyField(Client, on_delete="CASCADE")
        task = pw.ForeignKeyField(Task, null=True, on_delete="SET NULL")
        started = InstantField()

        class Meta:
            table_name = "timer"

    class TimeEntry(Frozen):
        client = pw.ForeignKeyField(Client, on_delete="CASCADE")
        task = pw.ForeignKeyField(Task, null=True, on_delete="SET NULL")
        start = InstantField(index=True)
        minutes = pw.IntegerField(constraints=[pw.Check("minutes >= 0")])
        billable = pw.BooleanField(default=True)
        invoiced = pw.BooleanField(default=False)
        invoice_ref = pw.CharField(default="")
        note = pw.TextField(default="")
        invoice = pw.ForeignKeyField(Invoice, null=True, on_delete="SET NULL")

        class Meta:
            table_name = table

    return Invoice, Timer, TimeEntry


def upgrade(db: pw.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("client", "currency", pw.CharField(max_length=3, null=True)),
        migrator.add_column("project", "hourly_rate",
                            pw.FloatField(null=True, constraints=[pw.Check("hourly_rate >= 0")])),
    )
    invoice, timer, _ = _frozen(db, "time_entry")
    db.create_tables([invoice, timer])
    if dialect.alters_checks(db):
        _alter_time_entry_in_place(db, migrator)
    else:
        _rebuild_time_entry(db)


def _rebuild_time_entry(db: pw.Database) -> None:
    """Copy every row into a table with the new CHECK and column, then take its place."""
    columns = ", ".join(f'"{c}"' for c in ENTRY_COLUMNS)
    seq = dialect.id_counter(db, "time_entry")
    _, _, staging = _frozen(db, "time_entry_v3")
    staging._schema.create_table(safe=False)
    db.execute_sql(f'INSERT INTO "time_entry_v3" ({columns}) SELECT {columns} FROM "time_entry"')
    db.execute_sql('DROP TABLE "time_entry"')
    db.execute_sql('ALTER TABLE "time_entry_v3" RENAME TO "time_entry"')
    _, _, final = _frozen(db, "time_entry")
    final._schema.create_indexes(safe=False)
    top = db.execute_sql('SELECT max(id) FROM "time_entry"').fetchone()[0] or 0
    dialect.forget_id_counter(db, "time_entry_v3")
    dialect.set_id_counter(db, "time_entry", max(top, seq))


def _alter_time_entry_in_place(db: pw.Database, migrator: SchemaMigrator) -> None:
    """Drop the CHECK on minutes by its generated name, add the new one and the link."""
    dialect.drop_checks(db, "time_entry", "minutes")
    db.execute_sql('ALTER TABLE "time_entry" ADD CONSTRAINT "time_entry_minutes_check" CHECK (minutes >= 0)')
    invoice, _, _ = _frozen(db, "time_entry")
    migrate(migrator.add_column("time_entry", "invoice_id",
                                pw.ForeignKeyField(invoice, null=True, field=invoice.id, on_delete="SET NULL")))
