"""The deferred database, the base model and the date fields every model shares.

Dates and instants are stored as ISO text (UTC for instants), which sorts
correctly, compares in SQL on every engine alike, and sidesteps the
drivers' date adapters, which do not match pendulum's subclasses.
"""

from __future__ import annotations

import datetime as _dt

import pendulum
import peewee

database = peewee.DatabaseProxy()


class StableIdField(peewee.AutoField):
    """A primary key that is never handed out twice.

    Undo re-inserts deleted rows under their old id and the calendar export
    derives UIDs from ids, so an id must not be reused after a delete (the
    engine's way of promising it: clientdesk.db.dialect.stable_id_ddl).
    """

    def ddl(self, ctx):
        from clientdesk.db.dialect import stable_id_ddl

        return stable_id_ddl(self, super().ddl(ctx))


class BaseModel(peewee.Model):
    id = StableIdField()

    class Meta:
        database = database
        legacy_table_names = False


class DateField(peewee.Field):
    """A calendar date stored as 'YYYY-MM-DD' text, read back as pendulum.Date."""

    field_type = "VARCHAR(10)"

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, _dt.datetime):
            value = value.date()
        return value.isoformat()

    def python_value(self, value):
        if value is None:
            return None
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return pendulum.date(value.year, value.month, value.day)
        parsed = _dt.date.fromisoformat(str(value)[:10])
        return pendulum.date(parsed.year, parsed.month, parsed.day)


class InstantField(peewee.Field):
    """An instant stored as UTC 'YYYY-MM-DDTHH:MM:SS' text, read back in UTC."""

    field_type = "VARCHAR(19)"

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")

    def python_value(self, value):
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            naive = value.replace(tzinfo=None)
        else:
            naive = _dt.datetime.fromisoformat(str(value)[:19])
        return pendulum.instance(naive.replace(tzinfo=_dt.timezone.utc), tz="UTC")


def instant_text(value: _dt.datetime) -> str:
    """The stored form of an instant, for comparisons in queries."""
    return InstantField().db_value(value)


def one_of(column: str, values: tuple[str, ...]) -> peewee.SQL:
    """A CHECK constraint that keeps a text column inside its vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return peewee.Check(f"{column} IN ({quoted})")
