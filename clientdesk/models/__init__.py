"""Peewee models, one module per aggregate; only domain/, db.py and migrations/ import them."""

from clientdesk.models.base import BaseModel, database
from clientdesk.models.billing import Invoice
from clientdesk.models.busy import BusyTime
from clientdesk.models.change import ChangeRequest
from clientdesk.models.client import Client, Feedback
from clientdesk.models.interaction import Interaction
from clientdesk.models.people import Person
from clientdesk.models.meta import Action, DeskSetting, SchemaVersion
from clientdesk.models.project import Milestone, Project, Risk, Template
from clientdesk.models.work import Routine, RoutineSkip, Task, TimeBlock, TimeEntry, Timer

ALL_MODELS = [
    SchemaVersion,
    Person,
    Action,
    Client,
    Feedback,
    Project,
    Milestone,
    Risk,
    Template,
    ChangeRequest,
    Interaction,
    Task,
    Routine,
    TimeBlock,
    RoutineSkip,
    Invoice,
    TimeEntry,
    Timer,
    BusyTime,
    DeskSetting,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "BaseModel", "database"]
