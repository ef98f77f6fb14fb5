"""Recurrence rules for tasks: 'daily', 'weekly', 'every 2 weeks', 'monthly', 'monthly:last', 'yearly'."""

from __future__ import annotations

import re

import pendulum

from clientdesk.domain.errors import InputError

_EVERY = re.compile(r"^every ([0-9]+) (day|week|month)s?$", re.ASCII)


def validate_rule(rule: str) -> str:
    """The rule normalised, or InputError naming it."""
    value = (rule or "").strip().lower()
    if value in ("", "daily", "weekly", "monthly", "monthly:last", "yearly") or _EVERY.match(value):
        if (m := _EVERY.match(value)) and not 1 <= int(m[1]) <= 999:
            raise InputError(f"recurrence: the interval must be 1..999: {rule}")
        return value
    raise InputError(f"recurrence: not a rule (daily, weekly, every 2 weeks, monthly, monthly:last, yearly): {rule}")


def next_due(rule: str, after: pendulum.Date) -> pendulum.Date:
    """The next due date after `after` under `rule` (month ends stay month ends)."""
    value = validate_rule(rule)
    if value == "daily":
        return after.add(days=1)
    if value == "weekly":
        return after.add(weeks=1)
    if value == "monthly":
        return after.add(months=1)
    if value == "monthly:last":
        return after.add(months=1).end_of("month")
    if value == "yearly":
        return after.add(years=1)
    m = _EVERY.match(value)
    n, unit = int(m[1]), m[2]
    return after.add(**{unit + "s": n})
