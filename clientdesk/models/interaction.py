"""The client's interaction and decision log."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import DateField, one_of
from clientdesk.models.change import ChangeRequest
from clientdesk.models.client import Client
from clientdesk.models.people import Versioned

INTERACTION_KINDS = ("email", "call", "meeting", "check-in", "note", "decision")


class Interaction(Versioned):
    client = pw.ForeignKeyField(Client, backref="interactions", on_delete="CASCADE")
    on = DateField()
    kind = pw.CharField(default="note", constraints=[one_of("kind", INTERACTION_KINDS)])
    summary = pw.TextField(constraints=[pw.Check("length(summary) > 0")])
    change_request = pw.ForeignKeyField(ChangeRequest, null=True, backref="interactions", on_delete="SET NULL")

    class Meta:
        indexes = ((("client", "on"), False),)
