"""Bookkeeping: the schema version, the undo/redo journal and the desk's own settings."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import BaseModel, InstantField
from clientdesk.models.people import Person


class SchemaVersion(BaseModel):
    version = pw.IntegerField()


class Action(BaseModel):
    """One user action: its label and the row changes that undo or redo it (JSON)."""

    label = pw.CharField()
    at = InstantField()
    changes = pw.TextField()
    undone = pw.BooleanField(default=False, index=True)
    #: whose action it is: undo and redo act on one person's own (None: from before schema 10, anyone's)
    person = pw.ForeignKeyField(Person, null=True, backref="actions", on_delete="SET NULL")


class DeskSetting(BaseModel):
    """A value that belongs to this desk, not to a user's config (e.g. `desk_id`, in every calendar UID)."""

    key = pw.CharField(unique=True)
    value = pw.TextField()
