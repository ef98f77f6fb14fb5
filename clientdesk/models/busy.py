"""Busy time: events imported from a calendar file, which the Planner plans around."""

from __future__ import annotations

import peewee as pw

from clientdesk.models.base import BaseModel, InstantField


class BusyTime(BaseModel):
    """One occurrence of a calendar event (a recurring event is stored expanded, one row each).

    `calendar` names the calendar it came from, so that re-importing a newer
    copy replaces exactly that calendar's events; (calendar, uid, occurrence)
    is the event's identity across imports.
    """

    calendar = pw.CharField()
    uid = pw.CharField()
    occurrence = pw.CharField(default="")  # the original start (UTC) of a recurring event's instance, else ""
    summary = pw.TextField(default="")
    start = InstantField(index=True)
    end = InstantField(constraints=[pw.Check('"end" > start')])

    class Meta:
        indexes = ((("calendar", "uid", "occurrence"), True),)
