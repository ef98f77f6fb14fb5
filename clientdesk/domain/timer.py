"""The running timer: one per person, kept in the database so that it survives
quitting, a crash and a reboot. Starting one stops the person's running timer;
stopping writes a time entry rounded by the config's `rounding_minutes`.

Each start and stop is one journaled action: `u` after a stop brings the timer
back (still running from its first start) and takes the entry away.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

import pendulum

from clientdesk import clock
from clientdesk.domain.errors import NotFound, RuleError
from clientdesk.domain.journal import action
from clientdesk.identity import current_user
from clientdesk.models import Client, Project, Task, TimeEntry, Timer
from clientdesk.domain.time_entries import duration_text

ROUNDINGS = ("nearest", "up", "down")


@dataclass(frozen=True)
class RunningTimer:
    person: str
    client_id: int
    client: str
    task_id: int | None
    task: str | None
    started: pendulum.DateTime  # UTC

    def elapsed_seconds(self, now: pendulum.DateTime | None = None) -> int:
        return max(0, int(((now or clock.now()) - self.started).total_seconds()))

    @property
    def label(self) -> str:
        """'Hero copy · Acme', or the client alone."""
        return f"{self.task} · {self.client}" if self.task else self.client

    def status(self, now: pendulum.DateTime | None = None) -> dict:
        """`track status --format json`'s object (the same as the short way's, track_status.py)."""
        from clientdesk.track_status import running_status

        started = _dt.datetime.fromtimestamp(self.started.timestamp(), tz=_dt.timezone.utc)
        current = _dt.datetime.fromtimestamp((now or clock.now()).timestamp(), tz=_dt.timezone.utc)
        return running_status(self.client, self.task, started, current, clock.local_tz())


@dataclass(frozen=True)
class StoppedTimer:
    """What a stop wrote: the entry's id and minutes, and what it was on."""

    entry_id: int
    minutes: int
    client: str
    task: str | None
    elapsed_seconds: int

    @property
    def summary(self) -> str:
        on = f"{self.task} · {self.client}" if self.task else self.client
        return f"{duration_text(self.minutes)} logged on {on}"


def round_minutes(seconds: float, step: int = 1, mode: str = "nearest") -> int:
    """Elapsed seconds as whole minutes rounded to a multiple of `step`:
    to the nearest (halves up), or always up, or always down."""
    step = max(1, int(step))
    units = max(0.0, seconds) / 60 / step
    if mode == "up":
        n = math.ceil(units - 1e-9)
    elif mode == "down":
        n = math.floor(units + 1e-9)
    else:
        n = math.floor(units + 0.5)
    return int(n) * step


def _view(timer: Timer) -> RunningTimer:
    client = Client.get_by_id(timer.client_id)
    task = Task.get_or_none(Task.id == timer.task_id) if timer.task_id else None
    return RunningTimer(timer.person, client.id, client.name, task.id if task else None,
                        task.title if task else None, timer.started)


def running_timer(person: str | None = None) -> RunningTimer | None:
    """The person's running timer (default: whoever is at the keyboard), or None."""
    timer = Timer.get_or_none(Timer.person == (person or current_user()))
    return _view(timer) if timer else None


def _target(client_id: int | None, task_id: int | None) -> tuple[Client, Task | None]:
    if task_id is not None:
        row = (Task.select(Task, Project, Client).join(Project).join(Client)
               .where(Task.id == task_id).first())
        if row is None:
            raise NotFound(f"no such task: {task_id} (deleted?); the timer was not started")
        client = row.project.client
        if client_id is not None and client.id != client_id:
            raise RuleError(f"task {task_id} belongs to {client.name}, not to client {client_id}")
        return client, row
    client = Client.get_or_none(Client.id == client_id) if client_id is not None else None
    if client is None:
        raise NotFound(f"no such client: {client_id} (deleted?); the timer was not started")
    return client, None


def _stop(rec, timer: Timer, now: pendulum.DateTime, rounding_minutes: int, rounding: str) -> StoppedTimer:
    seconds = max(0, int((now - timer.started).total_seconds()))
    minutes = round_minutes(seconds, rounding_minutes, rounding)
    task = Task.get_or_none(Task.id == timer.task_id) if timer.task_id else None
    client = Client.get_by_id(timer.client_id)
    entry = rec.create(TimeEntry, client=client.id, task=task.id if task else None, start=timer.started,
                       minutes=minutes, billable=True)
    rec.delete(timer)
    return StoppedTimer(entry.id, minutes, client.name, task.title if task else None, seconds)


def start_timer(client_id: int | None = None, task_id: int | None = None, *, person: str | None = None,
                rounding_minutes: int = 1, rounding: str = "nearest",
                now: pendulum.DateTime | None = None) -> tuple[RunningTimer, StoppedTimer | None]:
    """Start the person's timer on a task (or a client); a timer already running is stopped first."""
    person = person or current_user()
    now = (now or clock.now()).in_timezone("UTC")
    client, task = _target(client_id, task_id)
    label = f"start timer on {task.title if task else client.name}"
    with action(label) as rec:
        stopped = None
        running = Timer.get_or_none(Timer.person == person)
        if running is not None:
            stopped = _stop(rec, running, now, rounding_minutes, rounding)
        timer = rec.create(Timer, person=person, client=client.id, task=task.id if task else None, started=now)
    return _view(timer), stopped


def stop_timer(*, person: str | None = None, rounding_minutes: int = 1, rounding: str = "nearest",
               now: pendulum.DateTime | None = None) -> StoppedTimer:
    """Stop the person's timer and write its time entry; RuleError when none runs."""
    person = person or current_user()
    now = (now or clock.now()).in_timezone("UTC")
    timer = Timer.get_or_none(Timer.person == person)
    if timer is None:
        raise RuleError("no timer is running (start one with t on a task, or clientdesk track start CLIENT)")
    with action("stop timer") as rec:
        return _stop(rec, timer, now, rounding_minutes, rounding)


def toggle_timer(client_id: int | None, task_id: int | None = None, **options) -> tuple[RunningTimer | None, StoppedTimer | None]:
    """`t` on a row: stop the timer when it runs on exactly this, else start it here."""
    running = running_timer(options.get("person"))
    if running is not None and running.task_id == task_id and (task_id is not None or running.client_id == client_id):
        options.pop("person", None)
        return None, stop_timer(person=running.person, **options)
    return start_timer(client_id, task_id, **options)


__all__ = ["RunningTimer", "StoppedTimer", "round_minutes", "running_timer", "start_timer", "stop_timer", "toggle_timer"]
