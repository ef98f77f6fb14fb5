"""Time blocks as iCalendar (RFC 5545), for any calendar app.

- One VEVENT per block, UID "block-<id>-<desk id>@clientdesk": a re-import
  updates the event instead of adding a copy, and two desks never share a
  UID (the desk id is made once per database, domain/desk.py).
- DTSTART/DTEND carry the local zone's TZID (clientdesk's local zone), with a
  VTIMEZONE generated from the time zone database for the years the blocks
  span; a zone without an IANA name falls back to UTC times ("Z").
- SUMMARY "<client>: <task or kind>"; DESCRIPTION lists client, task, kind
  and note; CATEGORIES the client.
- DTSTAMP is midnight UTC of clientdesk's today (the clock honours --today),
  so two exports of the same data on the same day are byte-identical, while a
  later export carries a later stamp.

The VEVENTs are written directly (escaped and folded here), not built as
icalendar's component tree, which cost ~1 ms an event; icalendar still makes
the VTIMEZONE, and the tests read every export back with icalendar and with
vobject's validator.
"""

from __future__ import annotations

import datetime as _dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pendulum

from clientdesk import __version__, clock
from clientdesk.domain.block_rows import BlockRow, block_rows
from clientdesk.domain.clients import find_client
from clientdesk.domain.desk import desk_id
from clientdesk.domain.parse import iso_week_label

PRODID = f"-//clientdesk//clientdesk {__version__}//EN"
_UTC = _dt.timezone.utc
# iCalendar text allows no control character but tab (RFC 5545 3.1: C0, DEL and C1), and no lone surrogate
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def block_uid(block_id: int, desk: str) -> str:
    return f"block-{block_id}-{desk}@clientdesk"


def _zone() -> tuple[str, ZoneInfo] | None:
    zone = clock.local_tz()
    name = getattr(zone, "name", None)
    if not name or name == "UTC":
        return None
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped, controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character, CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts = []
    start, limit = 0, 75
    while start < len(data):
        end = min(len(data), start + limit)
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # a folded line starts with one space
    return "\r\n ".join(parts) + "\r\n"


def _local(text: str, zone: ZoneInfo | None) -> str:
    moment = _dt.datetime.fromisoformat(text).replace(tzinfo=_UTC)
    if zone is None:
        return moment.strftime("%Y%m%dT%H%M%SZ")
    return moment.astimezone(zone).strftime("%Y%m%dT%H%M%S")


def _event(b: BlockRow, desk: str, stamp: str, zone: tuple[str, ZoneInfo] | None) -> str:
    if zone is None:
        start, end = f"DTSTART:{_local(b.start, None)}", f"DTEND:{_local(b.end, None)}"
    else:
        start = f"DTSTART;TZID={zone[0]}:{_local(b.start, zone[1])}"
        end = f"DTEND;TZID={zone[0]}:{_local(b.end, zone[1])}"
    lines = [f"Client: {b.client}"]
    if b.task:
        lines.append(f"Task: {b.task}")
    lines.append(f"Kind: {b.kind}")
    if b.is_routine:
        lines.append("Routine: yes")
    if b.note:
        lines.append(f"Note: {b.note}")
    return "".join((
        "BEGIN:VEVENT\r\n",
        fold(f"UID:{block_uid(b.id, desk)}"),
        f"DTSTAMP:{stamp}\r\n",
        f"{start}\r\n",
        f"{end}\r\n",
        fold(f"SUMMARY:{escape_text(b.client + ': ' + (b.task or b.kind))}"),
        fold(f"DESCRIPTION:{escape_text(chr(10).join(lines))}"),
        fold(f"CATEGORIES:{escape_text(b.client)}"),
        "END:VEVENT\r\n",
    ))


def _vtimezone(name: str, zone: ZoneInfo, blocks: list[BlockRow]) -> str:
    import icalendar

    first = int(blocks[0].start[:4]) if blocks else clock.today().year
    last = max(int(b.end[:4]) for b in blocks) if blocks else first
    component = icalendar.Timezone.from_tzinfo(zone, tzid=name, first_date=_dt.date(first, 1, 1),
                                               last_date=_dt.date(last + 1, 1, 1))
    return component.to_ical().decode("utf-8")


def calendar_bytes(client_name: str | None = None, week: pendulum.Date | None = None) -> bytes:
    """The blocks (of one client, of one ISO week; default all) as an .ics document.

    An unknown client raises NotFound("no such client: X"). With a week, the
    week's routines are laid first, as the planner shows them.
    """
    client = find_client(client_name) if client_name else None
    blocks = block_rows(client_id=client.id if client else None, week=week)
    desk = desk_id()
    name = "clientdesk"
    if client:
        name += f" - {client.name}"
    if week is not None:
        name += f" - {iso_week_label(week)}"
    zone = _zone()
    today = clock.today()
    stamp = f"{today.year:04d}{today.month:02d}{today.day:02d}T000000Z"
    out = [
        "BEGIN:VCALENDAR\r\n",
        fold(f"PRODID:{PRODID}"),
        "VERSION:2.0\r\n",
        "CALSCALE:GREGORIAN\r\n",
        "METHOD:PUBLISH\r\n",
        fold(f"X-WR-CALNAME:{escape_text(name)}"),
    ]
    if zone is not None:
        out.append(fold(f"X-WR-TIMEZONE:{zone[0]}"))
        if blocks:
            out.append(_vtimezone(zone[0], zone[1], blocks))
    out.extend(_event(b, desk, stamp, zone) for b in blocks)
    out.append("END:VCALENDAR\r\n")
    return "".join(out).encode("utf-8")


__all__ = ["calendar_bytes", "block_uid", "escape_text", "fold", "PRODID"]
