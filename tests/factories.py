"""Small builders for rows in tests (real rows in a real SQLite file)."""

from __future__ import annotations

import itertools

import pendulum

from clientdesk.models import ChangeRequest, Client, Feedback, Interaction, Project, Task, TimeBlock, TimeEntry

_n = itertools.count(1)
CREATED = pendulum.datetime(2026, 11, 1, 9)


def client(name: str | None = None, **kw) -> Client:
    return Client.create(name=name or f"Client {next(_n)}", **kw)


def project(c: Client, name: str = "Main", **kw) -> Project:
    return Project.create(client=c, name=name, **kw)


def task(p: Project, title: str | None = None, **kw) -> Task:
    kw.setdefault("created", CREATED)
    kw.setdefault("updated", CREATED)
    return Task.create(project=p, title=title or f"Task {next(_n)}", **kw)


def block(c: Client, start: pendulum.DateTime, hours: float, **kw) -> TimeBlock:
    return TimeBlock.create(client=c, start=start, end=start.add(minutes=int(hours * 60)), **kw)


def entry(c: Client, start: pendulum.DateTime, minutes: int, **kw) -> TimeEntry:
    return TimeEntry.create(client=c, start=start, minutes=minutes, **kw)


def interaction(c: Client, on: pendulum.Date, kind: str = "call", summary: str = "Talked", **kw) -> Interaction:
    return Interaction.create(client=c, on=on, kind=kind, summary=summary, **kw)


def change(p: Project, title: str = "Add blog", received_on: pendulum.Date | None = None, **kw) -> ChangeRequest:
    return ChangeRequest.create(project=p, title=title, received_on=received_on or pendulum.date(2026, 11, 20), **kw)


def feedback(c: Client, on: pendulum.Date, score: int, comment: str = "") -> Feedback:
    return Feedback.create(client=c, on=on, score=score, comment=comment)


def busy(summary: str, start, hours: float, calendar: str = "Work", uid: str | None = None):
    """A busy event of an imported calendar (written as `clientdesk import cal.ics` would)."""
    from clientdesk.models import BusyTime
    from clientdesk.models.base import instant_text

    end = start.add(minutes=int(hours * 60))
    return BusyTime.create(calendar=calendar, uid=uid or f"{summary}-{instant_text(start)}@test", summary=summary,
                           start=instant_text(start), end=instant_text(end))
