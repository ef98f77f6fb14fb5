"""Time blocks as iCalendar (RFC 5545), for any calendar app.

- One VEVENT per block, UID "block-<id>@clientdesk": a re-import updates the
  event instead of adding a copy.
- DTSTART/DTEND carry the local zone's TZID (clientdesk's local zone), with a
  VTIMEZONE generated from the time zone database for the years the blocks
  span; a zone without an IANA name falls back to UTC times ("Z").
- SUMMARY "<client>: <task or kind>"; DESCRIPTION lists client, task, kind
  and note; CATEGORIES the client.
- DTSTAMP is midnight UTC of clientdesk's today (the clock honours --today),
  so two exports of the same data on the same day are byte-identical, while a
  later export carries a later stamp.
"""

from __future__ import annotations

import datetime as _dt
import re

import icalendar
import pendulum

from clientdesk import __version__, clock
from clientdesk.domain.clients import find_client
from clientdesk.domain.parse import iso_week_label
from clientdesk.domain.planner import BlockView, list_blocks, week_blocks

PRODID = f"-//clientdesk//clientdesk {__version__}//EN"


def block_uid(block_id: int) -> str:
    return f"block-{block_id}@clientdesk"


def _zone():
    zone = clock.local_tz()
    if isinstance(zone, pendulum.Timezone) and zone.name and zone.name != "UTC":
        return zone
    return None


_ICS_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def ics_text(value: str) -> str:
    """A TEXT value without the control characters RFC 5545 forbids (CONTROL, section 3.1; C1 and lone
    surrogates too, which no calendar can read); tab and newline stay (icalendar escapes the newline)."""
    return _ICS_FORBIDDEN.sub("", value)


def _event(b: BlockView, stamp: pendulum.DateTime, zone) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", block_uid(b.id))
    ev.add("dtstamp", stamp)
    if zone is None:
        ev.add("dtstart", b.start.in_timezone("UTC"))
        ev.add("dtend", b.end.in_timezone("UTC"))
    else:
        ev.add("dtstart", b.start.in_timezone(zone))
        ev.add("dtend", b.end.in_timezone(zone))
    ev.add("summary", ics_text(b.title))
    lines = [f"Client: {b.client}"]
    if b.task:
        lines.append(f"Task: {b.task}")
    lines.append(f"Kind: {b.kind}")
    if b.is_routine:
        lines.append("Routine: yes")
    if b.note:
        lines.append(f"Note: {b.note}")
    ev.add("description", ics_text("\n".join(lines)))
    ev.add("categories", [ics_text(b.client)])
    return ev


def calendar_bytes(client_name: str | None = None, week: pendulum.Date | None = None) -> bytes:
    """The blocks (of one client, of one ISO week; default all) as an .ics document.

    An unknown client raises NotFound("no such client: X"). With a week, the
    week's routines are laid first, as the planner shows them.
    """
    client = find_client(client_name) if client_name else None
    client_id = client.id if client else None
    if week is not None:
        blocks = week_blocks(week, client_id=client_id)
    else:
        blocks = list_blocks(client_id=client_id)

    name = "clientdesk"
    if client:
        name += f" - {client.name}"
    if week is not None:
        name += f" - {iso_week_label(week)}"
    zone = _zone()
    today = clock.today()
    stamp = pendulum.datetime(today.year, today.month, today.day, tz="UTC")

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", ics_text(name))
    if zone is not None:
        cal.add("x-wr-timezone", zone.name)
    for b in blocks:
        cal.add_component(_event(b, stamp, zone))
    if zone is not None and blocks:
        first = min(b.start for b in blocks).date()
        last = max(b.end for b in blocks).date()
        cal.add_missing_timezones(first_date=_dt.date(first.year, 1, 1), last_date=_dt.date(last.year + 1, 1, 1))
    return cal.to_ical()


__all__ = ["calendar_bytes", "block_uid", "PRODID"]
