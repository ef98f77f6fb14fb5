"""When each client is next due a check-in: the last real contact plus the
client's cadence, moved to a working day.

Only talking to the client counts as contact: a call, an email, a meeting or
a check-in. A note or a logged decision (approving a change request writes
one) is the desk's own record and moves nothing. A check-in that would fall
on a day without working hours in the config (a weekend, by default) lands
on the next working day; a config with no working day at all leaves it where
it falls. A client never contacted is due today.
"""

from __future__ import annotations

import pendulum
from peewee import fn

from clientdesk.config import Settings, current_settings
from clientdesk.limits import MAX_DAYS
from clientdesk.models import Interaction

CONTACT_KINDS = ("call", "email", "meeting", "check-in")


def last_contacts(client_ids: list[int] | None, today: pendulum.Date) -> dict[int, pendulum.Date]:
    """Each client's latest contact on or before `today` (all clients when `client_ids` is None)."""
    q = Interaction.select(Interaction.client, fn.MAX(Interaction.on)).where(
        Interaction.kind.in_(CONTACT_KINDS), Interaction.on <= today.to_date_string()
    )
    if client_ids is not None:
        q = q.where(Interaction.client.in_(client_ids))
    rows = q.group_by(Interaction.client).tuples()
    return {cid: Interaction.on.python_value(raw) for cid, raw in rows if raw}


def next_working_day(day: pendulum.Date, settings: Settings | None = None) -> pendulum.Date:
    """`day` itself if it has working hours, else the next day that has."""
    settings = settings or current_settings()
    for ahead in range(7):
        candidate = day.add(days=ahead)
        if settings.spans(candidate.weekday()):
            return candidate
    return day


def next_checkin(last: pendulum.Date | None, every_days: int, today: pendulum.Date,
                 settings: Settings | None = None) -> pendulum.Date:
    """The date of the next check-in: today for a client never contacted."""
    if last is None:
        return today
    # bounded: a desk from before the limits may hold a cadence of 10^7 days
    return next_working_day(last.add(days=min(every_days, MAX_DAYS)), settings)


__all__ = ["CONTACT_KINDS", "last_contacts", "next_checkin", "next_working_day"]
