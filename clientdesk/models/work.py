"""The work itself: tasks on boards, time blocks on the planner, time entries logged."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import BaseModel, DateField, InstantField, one_of
from clientdesk.models.billing import Invoice
from clientdesk.models.change import ChangeRequest
from clientdesk.models.client import Client
from clientdesk.models.people import Person, Versioned
from clientdesk.models.project import Project

TASK_STATUSES = ("backlog", "todo", "doing", "review", "done")
PRIORITIES = (1, 2, 3, 4)
BLOCK_KINDS = ("focus", "batch", "meeting", "buffer")


class Task(BaseModel):
    project = pw.ForeignKeyField(Project, backref="tasks", on_delete="CASCADE")
    title = pw.CharField(constraints=[pw.Check("length(title) > 0")])
    status = pw.CharField(default="todo", constraints=[one_of("status", TASK_STATUSES)])
    priority = pw.IntegerField(default=3, constraints=[pw.Check("priority BETWEEN 1 AND 4")])  # PRIORITIES
    due = DateField(null=True)
    estimate_minutes = pw.IntegerField(null=True, constraints=[pw.Check("estimate_minutes > 0")])
    tags = pw.CharField(default="")  # space-separated, lower case
    position = pw.FloatField(default=0)
    recurrence = pw.CharField(default="")
    change_request = pw.ForeignKeyField(ChangeRequest, null=True, backref="tasks", on_delete="SET NULL")
    created = InstantField()
    updated = InstantField()
    completed = InstantField(null=True)
    version = pw.IntegerField(default=1)
    notes = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])  # free text: annotations, checklists
    source = pw.CharField(null=True)  # the importer that created it and the row's id there
    source_id = pw.CharField(null=True)
    assignee = pw.ForeignKeyField(Person, null=True, backref="tasks", on_delete="SET NULL")  # None: anyone's

    class Meta:
        indexes = ((("project", "status"), False), (("status", "due"), False), (("source", "source_id"), True))

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split() if t]


#: the open tasks only, with every column the Overview's counts and the Today
#: ranking read: both scan it alone, never the done history (migration 9)
OPEN_TASK_INDEX = "task_open_triage"


def is_open_task() -> pw.Expression:
    """status != 'done' written as the open-task index's own condition.

    With the value bound as a parameter the query planner cannot prove that a
    query's rows all lie in the partial index, and reads the table instead.
    """
    return Task.status != pw.SQL("'done'")


Task.add_index(Task.index(Task.project, Task.priority, Task.due, Task.created, Task.status,
                          where=is_open_task(), name=OPEN_TASK_INDEX))


class Routine(Versioned):
    """A recurring block (every N weeks on a weekday at a local time), laid into each week."""

    client = pw.ForeignKeyField(Client, backref="routines", on_delete="CASCADE")
    task = pw.ForeignKeyField(Task, null=True, backref="routines", on_delete="SET NULL")
    kind = pw.CharField(default="focus", constraints=[one_of("kind", BLOCK_KINDS)])
    weekday = pw.IntegerField(constraints=[pw.Check("weekday BETWEEN 0 AND 6")])  # Monday = 0
    start_time = pw.CharField(max_length=5)  # HH:MM, local to `timezone`
    minutes = pw.IntegerField(constraints=[pw.Check("minutes > 0")])
    every_weeks = pw.IntegerField(default=1, constraints=[pw.Check("every_weeks >= 1")])
    anchor = DateField()  # a Monday of a week in which the routine occurs
    until = DateField(null=True)
    timezone = pw.CharField(default="UTC")
    note = pw.TextField(default="")
    active = pw.BooleanField(default=True)


class TimeBlock(Versioned):
    client = pw.ForeignKeyField(Client, backref="time_blocks", on_delete="CASCADE")
    task = pw.ForeignKeyField(Task, null=True, backref="time_blocks", on_delete="SET NULL")
    start = InstantField(index=True)
    end = InstantField(constraints=[pw.Check('"end" > start')])
    kind = pw.CharField(default="focus", constraints=[one_of("kind", BLOCK_KINDS)])
    note = pw.TextField(default="")
    routine = pw.ForeignKeyField(Routine, null=True, backref="blocks", on_delete="SET NULL")
    occurrence = DateField(null=True)  # the rule's date this block stands for, even when moved
    #: whose week it is in; None (a desk from before people, a routine's block): everyone's
    person = pw.ForeignKeyField(Person, null=True, backref="time_blocks", on_delete="SET NULL")

    class Meta:
        indexes = ((("routine", "occurrence"), True),)


class RoutineSkip(BaseModel):
    """An occurrence of a routine the user deleted, so it is not laid again."""

    routine = pw.ForeignKeyField(Routine, backref="skips", on_delete="CASCADE")
    occurrence = DateField()

    class Meta:
        indexes = ((("routine", "occurrence"), True),)


class TimeEntry(Versioned):
    client = pw.ForeignKeyField(Client, backref="time_entries", on_delete="CASCADE")
    task = pw.ForeignKeyField(Task, null=True, backref="time_entries", on_delete="SET NULL")
    start = InstantField(index=True)
    minutes = pw.IntegerField(constraints=[pw.Check("minutes >= 0")])  # 0: trackers export zero-length entries
    billable = pw.BooleanField(default=True)
    invoiced = pw.BooleanField(default=False)
    invoice_ref = pw.CharField(default="")
    note = pw.TextField(default="")
    invoice = pw.ForeignKeyField(Invoice, null=True, backref="entries", on_delete="SET NULL")
    source = pw.CharField(null=True)  # the importer that created it and the row's id (or field hash) there
    source_id = pw.CharField(null=True)

    class Meta:
        indexes = ((("source", "source_id"), True),)


class Timer(BaseModel):
    """The one running timer of a person (the user name, as `identity.current_user()` gives it)."""

    person = pw.CharField(unique=True)
    client = pw.ForeignKeyField(Client, backref="timers", on_delete="CASCADE")
    task = pw.ForeignKeyField(Task, null=True, backref="timers", on_delete="SET NULL")
    started = InstantField()
