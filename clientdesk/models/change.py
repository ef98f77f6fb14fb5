"""Change requests: scope changes logged, priced and decided."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import DateField, one_of
from clientdesk.models.people import Versioned
from clientdesk.models.project import Project

CHANGE_STATUSES = ("new", "assessing", "approved", "rejected", "done")
OPEN_CHANGE_STATUSES = ("new", "assessing", "approved")
WAITING_CHANGE_STATUSES = ("new", "assessing")


class ChangeRequest(Versioned):
    project = pw.ForeignKeyField(Project, backref="change_requests", on_delete="CASCADE")
    title = pw.CharField(constraints=[pw.Check("length(title) > 0")])
    description = pw.TextField(default="")
    requested_by = pw.CharField(default="")
    received_on = DateField(index=True)
    status = pw.CharField(default="new", index=True, constraints=[one_of("status", CHANGE_STATUSES)])
    impact_hours = pw.FloatField(null=True, constraints=[pw.Check("impact_hours >= 0")])
    impact_days = pw.IntegerField(null=True, constraints=[pw.Check("impact_days >= 0")])
    impact_cost = pw.FloatField(null=True, constraints=[pw.Check("impact_cost >= 0")])
    decision_note = pw.TextField(default="")
    decided_on = DateField(null=True)
