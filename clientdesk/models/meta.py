"""Bookkeeping: the schema version and the undo/redo journal."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import BaseModel, InstantField


class SchemaVersion(BaseModel):
    version = pw.IntegerField()


class Action(BaseModel):
    """One user action: its label and the row changes that undo or redo it (JSON)."""

    label = pw.CharField()
    at = InstantField()
    changes = pw.TextField()
    undone = pw.BooleanField(default=False, index=True)
