"""Estimate against actual: a task's logged time against its estimate, a
project's hours (and money) against its budget, and a client's month burn with
a forecast.

The forecast uses the month's average daily rate: the hours logged from the
1st up to today's end, divided by the days elapsed (today included). At that
pace the client's monthly budget runs out after (budget - logged) / rate more
days; "over budget on 18 Dec" is that day when it falls inside the month, and
"within budget" (with the hours projected at the month's end) when it does
not. A month already over budget says since which day, from the daily sums.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pendulum
from peewee import JOIN, fn

from clientdesk import clock
from clientdesk.domain.money import amount_for, currency_of, effective_rate
from clientdesk.domain.periods import local_day_bounds, month_bounds
from clientdesk.models import Client, Project, Task, TimeEntry
from clientdesk.models.base import instant_text


def logged_minutes_by_task(task_ids: list[int]) -> dict[int, int]:
    """Minutes logged on each task (all time), in one query."""
    if not task_ids:
        return {}
    q = (TimeEntry.select(TimeEntry.task, fn.SUM(TimeEntry.minutes)).where(TimeEntry.task.in_(list(task_ids)))
         .group_by(TimeEntry.task))
    return {tid: int(m or 0) for tid, m in q.tuples()}


@dataclass(frozen=True)
class ProjectBurn:
    project_id: int
    name: str
    logged_minutes: int
    budget_hours: float | None
    budget_amount: float | None
    spent: Decimal | None  # billable minutes x the rate, in the client's currency (None without a rate)
    currency: str

    @property
    def share(self) -> float | None:
        return self.logged_minutes / 60 / self.budget_hours if self.budget_hours else None


def project_burn(client_id: int) -> list[ProjectBurn]:
    """Each active project of the client: hours logged on its tasks, against its budgets."""
    client = Client.get_by_id(client_id)
    currency = currency_of(client.currency)
    q = (
        Project.select(Project.id, Project.name, Project.budget_hours, Project.budget_amount, Project.hourly_rate,
                       fn.SUM(TimeEntry.minutes),
                       fn.SUM(TimeEntry.minutes * TimeEntry.billable.cast("INTEGER")))
        .join(Task, JOIN.LEFT_OUTER, on=(Task.project == Project.id))
        .join(TimeEntry, JOIN.LEFT_OUTER, on=(TimeEntry.task == Task.id))
        .where(Project.client == client_id, Project.status == "active")
        .group_by(Project.id, Project.name, Project.budget_hours, Project.budget_amount, Project.hourly_rate)
        .order_by(Project.name)
    )
    out = []
    for pid, name, bh, ba, prate, minutes, billable in q.tuples():
        rate = effective_rate(prate, client.hourly_rate)
        spent = amount_for(int(billable or 0), rate, currency) if rate is not None else None
        out.append(ProjectBurn(pid, name, int(minutes or 0), bh, ba, spent, currency))
    return out


@dataclass(frozen=True)
class Forecast:
    today: pendulum.Date
    logged_hours: float
    budget_hours: float
    rate_per_day: float
    projected_hours: float  # at the month's end, at this pace
    over_on: pendulum.Date | None  # the day the budget runs out, if inside the month
    over_since: pendulum.Date | None  # already over: the day it happened

    @property
    def sentence(self) -> str:
        """'at this pace, over budget on 18 Dec', said as a person would."""
        if self.over_since is not None:
            return f"over budget since {_day(self.over_since)}"
        if self.over_on is not None:
            return f"at this pace, over budget on {_day(self.over_on)}"
        end = self.today.end_of("month")
        return f"at this pace, {self.projected_hours:.1f}h of {self.budget_hours:g}h by {_day(end)}: within budget"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(day: pendulum.Date) -> str:
    """'18 Dec'."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def month_forecast(client_id: int, today: pendulum.Date | None = None) -> Forecast | None:
    """The client's month burn and where it is heading; None without a monthly budget."""
    today = today or clock.today()
    client = Client.get_by_id(client_id)
    budget = client.budget_hours_month
    if not budget:
        return None
    lo, _ = month_bounds(today)
    _, hi = local_day_bounds(today)
    tz = clock.local_tz()
    daily: dict[pendulum.Date, int] = {}
    for start, minutes in (TimeEntry.select(TimeEntry.start, TimeEntry.minutes)
                           .where(TimeEntry.client == client_id, TimeEntry.start >= instant_text(lo),
                                  TimeEntry.start < instant_text(hi)).tuples()):
        day = TimeEntry.start.python_value(start).in_timezone(tz).date()
        daily[day] = daily.get(day, 0) + int(minutes)
    return forecast_from_days(daily, budget, today)


def forecast_from_days(daily: dict[pendulum.Date, int], budget_hours: float, today: pendulum.Date) -> Forecast:
    """The forecast from minutes logged per day of today's month (the rule in the module doc)."""
    logged = sum(daily.values()) / 60
    elapsed = today.day
    rate = logged / elapsed
    month_end = today.end_of("month")
    projected = logged + rate * (month_end.day - today.day)
    over_since = None
    if logged > budget_hours:
        total = 0
        for day in sorted(daily):
            total += daily[day]
            if total / 60 > budget_hours:
                over_since = day
                break
    over_on = None
    if over_since is None and rate > 0:
        days_left = math.floor((budget_hours - logged) / rate) + 1  # the first day past the budget
        candidate = today.add(days=days_left)
        if candidate <= month_end:
            over_on = candidate
    return Forecast(today, logged, budget_hours, rate, projected, over_on, over_since)


__all__ = ["Forecast", "ProjectBurn", "forecast_from_days", "logged_minutes_by_task", "month_forecast", "project_burn"]
