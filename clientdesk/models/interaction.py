"""The client's interaction and decision log."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import BaseModel, DateField, one_of
from clientdesk.models.change import ChangeRequest
from clientdesk.models.client import Client

INTERACTION_KINDS = ("email", "call", "meeting", "check-in", "note", "decision")


class Interaction(BaseModel):
    client = pw.ForeignKeyField(Client, backref="interactions", on_delete="CASCADE")
    on = DateField()
    kind = pw.CharField(default="note", constraints=[one_of("kind", INTERACTION_KINDS)])
    summary = pw.TextField(constraints=[pw.Check("length(summary) > 0")])
    change_request = pw.ForeignKeyField(ChangeRequest, null=True, backref="interactions", on_delete="SET NULL")

    class Meta:
        indexes = ((("client", "on"), False),)
