"""Clients and what they think of the work (feedback)."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import DateField
from clientdesk.models.base import one_of as _in
from clientdesk.models.people import Versioned

CLIENT_STATUSES = ("active", "paused", "archived")
CHANNELS = ("email", "phone", "chat", "meeting")


class Client(Versioned):
    name = pw.CharField(unique=True, constraints=[pw.Check("length(name) > 0")])
    status = pw.CharField(default="active", index=True, constraints=[_in("status", CLIENT_STATUSES)])
    contact = pw.CharField(default="")
    channel = pw.CharField(default="email", constraints=[_in("channel", CHANNELS)])
    checkin_every_days = pw.IntegerField(default=14, constraints=[pw.Check("checkin_every_days > 0")])
    language = pw.CharField(default="en")
    timezone = pw.CharField(default="UTC")
    hourly_rate = pw.FloatField(null=True, constraints=[pw.Check("hourly_rate >= 0")])
    currency = pw.CharField(max_length=3, null=True)  # ISO 4217; None: the config's default currency
    budget_hours_month = pw.FloatField(null=True, constraints=[pw.Check("budget_hours_month >= 0")])
    weekly_target_hours = pw.FloatField(null=True, constraints=[pw.Check("weekly_target_hours >= 0")])
    weight = pw.FloatField(default=1.0, constraints=[pw.Check("weight >= 0")])
    colour = pw.CharField(default="")
    notes = pw.TextField(default="")
    source = pw.CharField(null=True)  # the importer that created it (toggl, trello...), see clientdesk/importers
    source_id = pw.CharField(null=True)

    class Meta:
        indexes = ((("source", "source_id"), True),)

class Feedback(Versioned):
    client = pw.ForeignKeyField(Client, backref="feedback", on_delete="CASCADE")
    on = DateField(index=True)
    score = pw.IntegerField(constraints=[pw.Check("score BETWEEN 1 AND 5")])
    comment = pw.TextField(default="")
