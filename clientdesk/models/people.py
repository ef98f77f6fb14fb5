"""The people of a desk: who a task is assigned to, whose journal entry an action is."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import BaseModel


class Versioned(BaseModel):
    """A row people edit: every update bumps `version`, and an update made against an older
    version is refused (optimistic concurrency, see `domain/journal.ActionRecorder.update`)."""

    version = pw.IntegerField(default=1, constraints=[pw.SQL("DEFAULT 1")])


class Person(Versioned):
    """A teammate. `key` is `domain/names.name_key(name)`: 'Bob', 'BOB' and 'bob ' are one person."""

    name = pw.CharField(constraints=[pw.Check("length(name) > 0")])
    key = pw.CharField(unique=True)
    capacity_hours = pw.FloatField(default=40, constraints=[pw.Check("capacity_hours >= 0")])
    active = pw.BooleanField(default=True)
