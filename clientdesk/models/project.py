"""Projects and what hangs off them: milestones, risks, reusable templates."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import DateField, one_of
from clientdesk.models.client import Client
from clientdesk.models.people import Versioned

PROJECT_STATUSES = ("active", "paused", "done", "cancelled")
RISK_STATUSES = ("open", "closed")


class Project(Versioned):
    client = pw.ForeignKeyField(Client, backref="projects", on_delete="CASCADE")
    name = pw.CharField(constraints=[pw.Check("length(name) > 0")])
    status = pw.CharField(default="active", constraints=[one_of("status", PROJECT_STATUSES)])
    start = DateField(null=True)
    deadline = DateField(null=True)
    budget_hours = pw.FloatField(null=True, constraints=[pw.Check("budget_hours >= 0")])
    budget_amount = pw.FloatField(null=True, constraints=[pw.Check("budget_amount >= 0")])
    hourly_rate = pw.FloatField(null=True, constraints=[pw.Check("hourly_rate >= 0")])  # None: the client's
    scope = pw.TextField(default="")
    source = pw.CharField(null=True)  # the importer that created it, see clientdesk/importers
    source_id = pw.CharField(null=True)

    class Meta:
        indexes = ((("client", "name"), True), (("source", "source_id"), True))


class Milestone(Versioned):
    project = pw.ForeignKeyField(Project, backref="milestones", on_delete="CASCADE")
    name = pw.CharField()
    due = DateField(null=True)
    done_on = DateField(null=True)


class Risk(Versioned):
    project = pw.ForeignKeyField(Project, backref="risks", on_delete="CASCADE")
    title = pw.CharField()
    likelihood = pw.IntegerField(default=3, constraints=[pw.Check("likelihood BETWEEN 1 AND 5")])
    impact = pw.IntegerField(default=3, constraints=[pw.Check("impact BETWEEN 1 AND 5")])
    mitigation = pw.TextField(default="")
    status = pw.CharField(default="open", constraints=[one_of("status", RISK_STATUSES)])


class Template(Versioned):
    """A reusable task list for a new project; items is a JSON list of task dicts."""

    name = pw.CharField(unique=True)
    items = pw.TextField(default="[]")
