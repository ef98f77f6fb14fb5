"""Invoices: the time entries of one client and period billed under one reference."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import DateField
from clientdesk.models.client import Client
from clientdesk.models.people import Versioned


class Invoice(Versioned):
    client = pw.ForeignKeyField(Client, backref="invoices", on_delete="CASCADE")
    reference = pw.CharField(unique=True, constraints=[pw.Check("length(reference) > 0")])
    period_start = DateField()
    period_end = DateField()  # inclusive
    issued_on = DateField()
    currency = pw.CharField(max_length=3)
    minutes = pw.IntegerField(default=0, constraints=[pw.Check("minutes >= 0")])
    total = pw.FloatField(default=0, constraints=[pw.Check("total >= 0")])
