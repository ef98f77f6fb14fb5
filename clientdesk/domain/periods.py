"""Weeks and months cut in the user's local zone, as UTC bounds for queries."""

from __future__ import annotations

import pendulum

from clientdesk import clock


def week_start(day: pendulum.Date) -> pendulum.Date:
    """The Monday of the ISO week `day` falls in."""
    return day.subtract(days=day.weekday())


def local_day_bounds(day: pendulum.Date, tz=None) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """Midnight to midnight of a local day, in UTC (23 or 25 hours across DST)."""
    zone = tz or clock.local_tz()
    start = pendulum.datetime(day.year, day.month, day.day, tz=zone)
    nxt = day.add(days=1)
    end = pendulum.datetime(nxt.year, nxt.month, nxt.day, tz=zone)
    return start.in_timezone("UTC"), end.in_timezone("UTC")


def week_bounds(day: pendulum.Date, tz=None) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """The local ISO week holding `day`, as [start, end) in UTC."""
    monday = week_start(day)
    start, _ = local_day_bounds(monday, tz)
    _, end = local_day_bounds(monday.add(days=6), tz)
    return start, end


def month_bounds(day: pendulum.Date, tz=None) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """The local calendar month holding `day`, as [start, end) in UTC."""
    first = day.start_of("month")
    start, _ = local_day_bounds(first, tz)
    nxt = first.add(months=1)
    end, _ = local_day_bounds(nxt, tz)
    return start, end


def overlap_hours(start, end, lo, hi) -> float:
    """Hours of [start, end) that fall inside [lo, hi)."""
    a, b = max(start, lo), min(end, hi)
    return max(0.0, (b - a).total_seconds() / 3600)
