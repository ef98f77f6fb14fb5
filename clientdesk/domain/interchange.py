"""Interchange JSON, version 1: the whole database out, and a file in, all or nothing.

`export_data()` writes every client with its projects (tasks, change
requests, milestones, risks), interactions and feedback, then the time blocks
and time entries, in a fixed order (names, dates, then ids), so that
export -> import -> export gives the same bytes.

`import_data()` reads such a dict in three steps: it checks every field of
the file (with the JSON path of the first bad one in the error), then plans
the writes against the database (references, existing clients, --merge
matching), and only then writes, in one transaction, batched with
`insert_many`. Nothing is written when anything is wrong. Imports do not go
through the undo journal: they are bulk loads, not user actions.

References inside the file are by name: a block or entry names its client,
and a task by title within that client (narrowed by `project`); a task or an
interaction names its change request by title. Titles may repeat (a
recurring task comes back with the same title), so a reference can carry
`task_number` / `change_request_number`: the n-th such title, counted from 1
in file order. Export writes the number only when the title repeats.

Beyond clients, time blocks and time entries, two optional top-level lists carry routines
(recurring blocks; a laid block points at its routine by index and keeps
its `occurrence`) and templates (reusable task lists).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any, Callable
from zoneinfo import ZoneInfo as _ZoneInfo, ZoneInfoNotFoundError as _ZoneInfoNotFoundError

import pendulum
from peewee import IntegrityError, Value, __exception_wrapper__, fn

from clientdesk import clock
from clientdesk import limits
from clientdesk.db.dialect import insert_many_returning
from clientdesk.domain.errors import InputError
from clientdesk.domain.fields import CHANGE, CLIENT, FEEDBACK, INTERACTION, MILESTONE, PROJECT, RISK, TASK, Field
from clientdesk.domain.names import name_key
from clientdesk.domain.recurrence import validate_rule
from clientdesk.domain.tasks import normalise_tags
from clientdesk.models import (
    ChangeRequest,
    Client,
    Feedback,
    Interaction,
    Milestone,
    Project,
    Risk,
    Routine,
    RoutineSkip,
    Task,
    Template,
    TimeBlock,
    TimeEntry,
    database,
)
from clientdesk.models.work import BLOCK_KINDS, TASK_STATUSES

VERSION = 1
_ROWS_PER_CALL = 2000  # rows per executemany call (progress is reported between calls)

# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _num(value):
    """A stored number as JSON writes it best: 90.0 -> 90, 1.5 -> 1.5, None -> None."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_UTC = _dt.timezone.utc


def _instant_out(text: str | None, tz) -> str | None:
    """Stored UTC text -> ISO 8601 with the offset of `tz`."""
    if text is None:
        return None
    if isinstance(text, _dt.datetime):
        moment = text if text.tzinfo else text.replace(tzinfo=_UTC)
    else:
        moment = _dt.datetime.fromisoformat(str(text)[:19]).replace(tzinfo=_UTC)
    return moment.astimezone(tz).isoformat()


class _InstantWriter:
    """`_instant_out` for many values: the zone's offset is looked up once per UTC hour.

    For an hour whose offset is the same at its first and last second (every
    hour but a transition's) and a whole number of hours, the local text is
    that hour's local "YYYY-MM-DDTHH" + the stored minutes and seconds + the
    offset, joined as strings; other offsets add it as a timedelta, and a
    transition hour goes through `_instant_out`. The export writes three
    instants a task: through the zone each time, they were most of its time.
    """

    def __init__(self) -> None:
        # zone id -> (the zone, held so that its id is not reused; the same zone as a ZoneInfo; its hours:
        # "YYYY-MM-DDTHH" -> how to write them). Keyed by id, not by the zone: hashing a pendulum zone runs
        # Python code, and this runs once per value written.
        self._zones: dict[int, tuple[Any, Any, dict[str, tuple[str | None, _dt.timedelta, str] | None]]] = {}

    def __call__(self, text: str | None, tz) -> str | None:
        if text.__class__ is not str or len(text) < 19 or text[13] != ":" or text[16] != ":":
            return _instant_out(text, tz)
        try:
            _, fast, hours = self._zones[id(tz)]
        except KeyError:
            _, fast, hours = self._zones.setdefault(id(tz), (tz, self._fast_zone(tz), {}))
        key = text[:13]
        try:
            hour = hours[key]
        except KeyError:
            hour = hours[key] = self._hour(text, fast)
        if hour is None:
            return _instant_out(text, tz)
        prefix, offset, suffix = hour
        if prefix is not None and text[14:16].isdigit() and text[17:19].isdigit():
            return prefix + text[13:19] + suffix
        return (_dt.datetime.fromisoformat(text[:19]) + offset).isoformat() + suffix

    @staticmethod
    def _fast_zone(tz):
        """The zone as the standard library's ZoneInfo (its look-ups run in C; a pendulum zone's in Python)."""
        name = getattr(tz, "key", None) or getattr(tz, "name", None)
        if tz.__class__ is not _ZoneInfo and isinstance(name, str):
            try:
                return _ZoneInfo(name)
            except (_ZoneInfoNotFoundError, ValueError):
                pass
        return tz

    @staticmethod
    def _hour(text: str, tz) -> tuple[str | None, _dt.timedelta, str] | None:
        try:
            start = _dt.datetime.fromisoformat(text[:13] + ":00:00").replace(tzinfo=_UTC)
            local = start.astimezone(tz)
            last = start.replace(minute=59, second=59).astimezone(tz)
        except (ValueError, OverflowError):
            return None
        offset = local.utcoffset()
        if offset is None or last.utcoffset() != offset:
            return None
        whole_hours = offset % _dt.timedelta(hours=1) == _dt.timedelta(0)
        return (local.isoformat()[:13] if whole_hours else None), offset, local.isoformat()[19:]


def _date_out(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)[:10]


def _rows(query) -> list[tuple]:
    """Raw rows (stored values, no conversion): the export needs text, not pendulum objects."""
    return list(database.execute(query))


def _numbered(items: list[dict], key: str) -> dict[int, int]:
    """For items whose `key` repeats: position in `items` -> its number (1-based) among equals."""
    seen: dict[Any, int] = defaultdict(int)
    totals: dict[Any, int] = defaultdict(int)
    for item in items:
        totals[item[key]] += 1
    out = {}
    for i, item in enumerate(items):
        seen[item[key]] += 1
        if totals[item[key]] > 1:
            out[i] = seen[item[key]]
    return out


_STATUS_ORDER = {s: i for i, s in enumerate(TASK_STATUSES)}


def export_data() -> dict:
    """The whole database as interchange JSON (version 1), in a deterministic order."""
    clients = _rows(
        Client.select(
            Client.id, Client.name, Client.status, Client.contact, Client.channel, Client.checkin_every_days,
            Client.language, Client.timezone, Client.hourly_rate, Client.budget_hours_month,
            Client.weekly_target_hours, Client.weight, Client.colour, Client.notes, Client.currency,
        )
    )
    clients.sort(key=lambda r: (r[1], r[0]))
    tzs: dict[int, Any] = {}
    client_out: dict[int, dict] = {}
    out_clients = []
    for (cid, name, status, contact, channel, cadence, lang, tzname, rate, budget, target, weight, colour, notes,
         currency) in clients:
        try:
            tzs[cid] = pendulum.timezone(tzname)
        except Exception:
            tzs[cid] = pendulum.timezone("UTC")
        c = {
            "name": name, "status": status, "contact": contact, "channel": channel, "checkin_every_days": cadence,
            "language": lang, "timezone": tzname, "hourly_rate": _num(rate), "budget_hours_month": _num(budget),
            "weekly_target_hours": _num(target), "weight": _num(weight), "colour": colour, "notes": notes,
            "currency": currency, "projects": [], "interactions": [], "feedback": [],
        }
        client_out[cid] = c
        out_clients.append(c)

    projects = _rows(
        Project.select(
            Project.id, Project.client, Project.name, Project.status, Project.start, Project.deadline,
            Project.budget_hours, Project.budget_amount, Project.scope, Project.hourly_rate,
        )
    )
    projects.sort(key=lambda r: (r[2], r[0]))
    project_out: dict[int, dict] = {}
    project_client: dict[int, int] = {}
    project_name: dict[int, str] = {}
    for pid, cid, name, status, start, deadline, bh, ba, scope, prate in projects:
        p = {
            "name": name, "status": status, "start": _date_out(start), "deadline": _date_out(deadline),
            "budget_hours": _num(bh), "budget_amount": _num(ba), "scope": scope, "hourly_rate": _num(prate),
            "tasks": [], "change_requests": [], "milestones": [], "risks": [],
        }
        project_out[pid] = p
        project_client[pid] = cid
        project_name[pid] = name
        client_out[cid]["projects"].append(p)

    # Change requests, then the number each needs when its title repeats in its project.
    crs = _rows(
        ChangeRequest.select(
            ChangeRequest.id, ChangeRequest.project, ChangeRequest.title, ChangeRequest.description,
            ChangeRequest.requested_by, ChangeRequest.received_on, ChangeRequest.status, ChangeRequest.impact_hours,
            ChangeRequest.impact_days, ChangeRequest.impact_cost, ChangeRequest.decision_note, ChangeRequest.decided_on,
        )
    )
    crs.sort(key=lambda r: (str(r[5]), r[0]))
    cr_ref: dict[int, tuple[int, str]] = {}  # id -> (project id, title)
    cr_by_project: dict[int, list[dict]] = defaultdict(list)
    cr_ids_by_project: dict[int, list[int]] = defaultdict(list)
    for (crid, pid, title, desc, by, received, status, hours, days, cost, note, decided) in crs:
        cr = {
            "title": title, "description": desc, "requested_by": by, "received_on": _date_out(received),
            "status": status, "impact_hours": _num(hours), "impact_days": days, "impact_cost": _num(cost),
            "decision_note": note, "decided_on": _date_out(decided),
        }
        cr_ref[crid] = (pid, title)
        cr_by_project[pid].append(cr)
        cr_ids_by_project[pid].append(crid)
    cr_number: dict[int, int] = {}
    for pid, items in cr_by_project.items():
        project_out[pid]["change_requests"] = items
        for i, n in _numbered(items, "title").items():
            cr_number[cr_ids_by_project[pid][i]] = n

    def cr_link(target: dict, crid: int, own_project: int | None, project_key: str | None) -> None:
        pid, title = cr_ref[crid]
        target["change_request"] = title
        if project_key and pid != own_project:
            target[project_key] = project_name[pid]
        if crid in cr_number:
            target["change_request_number"] = cr_number[crid]

    tasks = _rows(
        Task.select(
            Task.id, Task.project, Task.title, Task.status, Task.priority, Task.due, Task.estimate_minutes, Task.tags,
            Task.position, Task.recurrence, Task.created, Task.updated, Task.completed, Task.change_request,
            Task.notes, Task.source, Task.source_id,
        )
    )
    tasks.sort(key=lambda r: (_STATUS_ORDER.get(r[3], 9), r[8], r[0]))
    instant_out = _InstantWriter()
    task_ref: dict[int, tuple[int, str]] = {}
    tasks_by_project: dict[int, list[dict]] = defaultdict(list)
    task_ids_by_project: dict[int, list[int]] = defaultdict(list)
    for (tid, pid, title, status, prio, due, est, tags, pos, rule, created, updated, completed, crid, notes,
         source, source_id) in tasks:
        tz = tzs[project_client[pid]]
        t = {
            "title": title, "status": status, "priority": prio, "due": _date_out(due), "estimate_minutes": est,
            "tags": tags.split() if tags else [], "position": _num(pos), "recurrence": rule,
            "created": instant_out(created, tz), "updated": instant_out(updated, tz),
            "completed": instant_out(completed, tz),
        }
        if notes:
            t["notes"] = notes
        if source is not None:  # an imported row keeps where it came from, so re-importing the source adds nothing
            t["source"], t["source_id"] = source, source_id
        if crid is not None and crid in cr_ref:
            cr_link(t, crid, pid, "change_request_project")
        task_ref[tid] = (pid, title)
        tasks_by_project[pid].append(t)
        task_ids_by_project[pid].append(tid)
    task_number: dict[int, int] = {}
    for pid, items in tasks_by_project.items():
        project_out[pid]["tasks"] = items
        for i, n in _numbered(items, "title").items():
            task_number[task_ids_by_project[pid][i]] = n

    def task_link(target: dict, tid: int | None) -> None:
        if tid is None or tid not in task_ref:
            return
        pid, title = task_ref[tid]
        target["project"] = project_name[pid]
        target["task"] = title
        if tid in task_number:
            target["task_number"] = task_number[tid]

    milestones = _rows(Milestone.select(Milestone.id, Milestone.project, Milestone.name, Milestone.due, Milestone.done_on))
    milestones.sort(key=lambda r: (r[3] is None, str(r[3]), r[0]))
    for _mid, pid, name, due, done in milestones:
        project_out[pid]["milestones"].append({"name": name, "due": _date_out(due), "done_on": _date_out(done)})

    risks = _rows(Risk.select(Risk.id, Risk.project, Risk.title, Risk.likelihood, Risk.impact, Risk.mitigation, Risk.status))
    risks.sort(key=lambda r: r[0])
    for _rid, pid, title, likelihood, impact, mitigation, status in risks:
        project_out[pid]["risks"].append(
            {"title": title, "likelihood": likelihood, "impact": impact, "mitigation": mitigation, "status": status}
        )

    interactions = _rows(
        Interaction.select(Interaction.id, Interaction.client, Interaction.on, Interaction.kind, Interaction.summary,
                           Interaction.change_request)
    )
    interactions.sort(key=lambda r: (str(r[2]), r[0]))
    for _iid, cid, on, kind, summary, crid in interactions:
        i = {"on": _date_out(on), "kind": kind, "summary": summary}
        if crid is not None and crid in cr_ref:
            cr_link(i, crid, None, "project")
        client_out[cid]["interactions"].append(i)

    feedback = _rows(Feedback.select(Feedback.id, Feedback.client, Feedback.on, Feedback.score, Feedback.comment))
    feedback.sort(key=lambda r: (str(r[2]), r[0]))
    for _fid, cid, on, score, comment in feedback:
        client_out[cid]["feedback"].append({"on": _date_out(on), "score": score, "comment": comment})

    client_name = {cid: c["name"] for cid, c in client_out.items()}

    routines = _rows(
        Routine.select(
            Routine.id, Routine.client, Routine.task, Routine.kind, Routine.weekday, Routine.start_time,
            Routine.minutes, Routine.every_weeks, Routine.anchor, Routine.until, Routine.timezone, Routine.note,
            Routine.active,
        )
    )
    routines.sort(key=lambda r: (client_name[r[1]], r[4], r[5], r[0]))
    skips: dict[int, list[str]] = defaultdict(list)
    for rid, occ in _rows(RoutineSkip.select(RoutineSkip.routine, RoutineSkip.occurrence)):
        skips[rid].append(_date_out(occ))
    routine_index: dict[int, int] = {}
    out_routines = []
    for (rid, cid, tid, kind, weekday, start_time, minutes, every, anchor, until, tzname, note, active) in routines:
        r: dict[str, Any] = {"client": client_name[cid]}
        task_link(r, tid)
        r.update({
            "kind": kind, "weekday": weekday, "start_time": start_time, "minutes": minutes, "every_weeks": every,
            "anchor": _date_out(anchor), "until": _date_out(until), "timezone": tzname, "note": note,
            "active": bool(active), "skips": sorted(skips.get(rid, [])),
        })
        routine_index[rid] = len(out_routines)
        out_routines.append(r)

    blocks = _rows(
        TimeBlock.select(TimeBlock.id, TimeBlock.client, TimeBlock.task, TimeBlock.start, TimeBlock.end, TimeBlock.kind,
                         TimeBlock.note, TimeBlock.routine, TimeBlock.occurrence)
    )
    blocks.sort(key=lambda r: (str(r[3]), client_name[r[1]], r[0]))
    out_blocks = []
    for _bid, cid, tid, start, end, kind, note, rid, occ in blocks:
        b: dict[str, Any] = {"client": client_name[cid]}
        task_link(b, tid)
        b.update({"start": instant_out(start, tzs[cid]), "end": instant_out(end, tzs[cid]), "kind": kind, "note": note})
        if rid is not None and rid in routine_index:
            b["routine"] = routine_index[rid]
        if occ is not None:
            b["occurrence"] = _date_out(occ)
        out_blocks.append(b)

    entries = _rows(
        TimeEntry.select(TimeEntry.id, TimeEntry.client, TimeEntry.task, TimeEntry.start, TimeEntry.minutes,
                         TimeEntry.billable, TimeEntry.invoiced, TimeEntry.invoice_ref, TimeEntry.note,
                         TimeEntry.source, TimeEntry.source_id)
    )
    entries.sort(key=lambda r: (str(r[3]), client_name[r[1]], r[0]))
    out_entries = []
    for _eid, cid, tid, start, minutes, billable, invoiced, ref, note, source, source_id in entries:
        e: dict[str, Any] = {"client": client_name[cid]}
        task_link(e, tid)
        e.update({"start": instant_out(start, tzs[cid]), "minutes": minutes, "billable": bool(billable),
                  "invoiced": bool(invoiced), "invoice_ref": ref, "note": note})
        if source is not None:
            e["source"], e["source_id"] = source, source_id
        out_entries.append(e)

    data: dict[str, Any] = {"version": VERSION, "clients": out_clients, "time_blocks": out_blocks, "time_entries": out_entries}
    if out_routines:
        data["routines"] = out_routines
    templates = sorted(_rows(Template.select(Template.name, Template.items)))
    if templates:
        data["templates"] = [{"name": name, "items": json.loads(items or "[]")} for name, items in templates]
    return data


# --------------------------------------------------------------------------------------------
# Import: step 1, check every field of the file
# --------------------------------------------------------------------------------------------


def _err(path: str, reason: str) -> InputError:
    if len(reason) > 300:  # a 10 MB bad value is not echoed whole
        reason = f"{reason[:200]}… ({len(reason):,} characters)"
    if len(path) > 300:  # nor a 10 MB unknown key
        path = f"{path[:200]}…"
    return InputError(f"{path}: {reason}")


def _show(value) -> str:
    """A value as it appears in the file, for error messages."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "an object"
    return repr(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


#: how one field of a record is checked: the entities' own field specifications
_F = Field


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TZ_CACHE: dict[str, Any] = {}


def _timezone(name: str):
    if name not in _TZ_CACHE:
        _TZ_CACHE[name] = pendulum.timezone(name)
    return _TZ_CACHE[name]


def _check_date(value, path: str) -> str:
    if not isinstance(value, str):
        raise _err(path, f"not a date: {_show(value)}")
    text = value.strip()
    if not _DATE_RE.match(text):
        raise _err(path, f"not a date (YYYY-MM-DD): {value}")
    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        raise _err(path, f"not a date: {value}") from None
    _check_year(day, path, value)
    return text


def _check_year(moment: _dt.date, path: str, value: str) -> None:
    if not limits.MIN_YEAR <= moment.year <= limits.MAX_YEAR:
        raise _err(path, f"the year must be {limits.MIN_YEAR}..{limits.MAX_YEAR}: {value}")


def _check_instant(value, path: str, tzname: str) -> str:
    """An ISO 8601 date and time -> stored UTC text; without an offset, read in `tzname`."""
    if not isinstance(value, str):
        raise _err(path, f"not a date and time: {_show(value)}")
    text = value.strip()
    if len(text) < 16 or text[10] not in "T ":
        raise _err(path, f"not a date and time (YYYY-MM-DDTHH:MM, with offset or in the client's zone): {value}")
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise _err(path, f"not a date and time: {value}") from None
    _check_year(moment, path, value)
    if moment.tzinfo is None:
        moment = pendulum.datetime(
            moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, tz=_timezone(tzname)
        )
    utc = moment.astimezone(_UTC)
    _check_year(utc, path, value)
    return utc.strftime("%Y-%m-%dT%H:%M:%S")


def _check_number(value, path: str, spec: _F, integer: bool):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _err(path, f"not a number: {_show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _err(path, f"not a number: {_show(value)}")
    given = value
    if abs(value) > 2**53:
        raise _err(path, f"too large: {_show(given)}")
    if integer:
        if isinstance(value, float):
            if not value.is_integer():
                raise _err(path, f"not a whole number: {_show(value)}")
            value = int(value)
    else:
        value = float(value)
    why = spec.bounds_error(value)
    if why:
        raise _err(path, f"{why}: {_show(given)}")
    return value


def _check_text(value: str, path: str, limit: int) -> str:
    """Text that SQLite can store (no lone surrogate) and not longer than `limit` characters."""
    if len(value) > limit:
        raise _err(path, f"too long: {len(value):,} characters (at most {limit:,}): {_show(value[:40])}…")
    if _SURROGATE.search(value):
        at = _SURROGATE.search(value).start()
        raise _err(path, f"not valid text: a lone surrogate \\u{ord(value[at]):04x} at character {at + 1}")
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_value(value, path: str, spec: _F, tzname: str):
    kind = spec.kind
    if kind == "text":
        if not isinstance(value, str):
            raise _err(path, f"not a text: {_show(value)}")
        return _check_text(value, path, limits.MAX_TEXT_CHARS)
    if kind in ("name", "ref"):
        if not isinstance(value, str):
            raise _err(path, f"not a text: {_show(value)}")
        if not value.strip():
            raise _err(path, "empty")
        return _check_text(value.strip(), path, limits.MAX_NAME_CHARS)
    if kind == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            name = path.rsplit(".", 1)[-1]
            shown = value if isinstance(value, str) else _show(value)
            raise _err(path, f"unknown {name}: {shown} (one of {', '.join(spec.choices)})")
        return value
    if kind in ("int", "minutes"):  # minutes: a whole number in a file (typed as 1h30 only in a form)
        return _check_number(value, path, spec, integer=True)
    if kind == "num":
        return _check_number(value, path, spec, integer=False)
    if kind == "date":
        return _check_date(value, path)
    if kind == "instant":
        return _check_instant(value, path, tzname)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _err(path, f"not true or false: {_show(value)}")
        return value
    if kind == "tags":
        if not isinstance(value, list):
            raise _err(path, f"not a list of tags: {_show(value)}")
        for i, tag in enumerate(value):
            if not isinstance(tag, str):
                raise _err(f"{path}[{i}]", f"not a text: {_show(tag)}")
            _check_text(tag, f"{path}[{i}]", limits.MAX_NAME_CHARS)
        return normalise_tags(value)
    if kind == "currency":
        from clientdesk.domain.money import check_currency

        try:
            return check_currency(value if isinstance(value, str) else _show(value))
        except InputError:
            raise _err(path, f"not an ISO 4217 currency code: {_show(value)}") from None
    if kind == "tz":
        if not isinstance(value, str) or not value.strip():
            raise _err(path, f"unknown time zone: {_show(value)}")
        _check_text(value, path, limits.MAX_NAME_CHARS)
        try:
            _timezone(value)
        except Exception:
            raise _err(path, f"unknown time zone: {value}") from None
        return value
    if kind == "rule":
        if not isinstance(value, str):
            raise _err(path, f"not a text: {_show(value)}")
        _check_text(value, path, limits.MAX_NAME_CHARS)
        try:
            return validate_rule(value)
        except InputError as exc:
            raise _err(path, str(exc).split(": ", 1)[-1]) from None
    if kind == "clock":
        if not isinstance(value, str) or not _CLOCK_RE.match(value):
            raise _err(path, f"not a time of day (HH:MM): {_show(value)}")
        return value
    if kind == "list":
        if not isinstance(value, list):
            raise _err(path, f"not a list: {_show(value)}")
        return value
    if kind == "items":
        if not isinstance(value, list):
            raise _err(path, f"not a list: {_show(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise _err(f"{path}[{i}]", f"not an object: {_show(item)}")
        return value
    try:  # any other kind is checked by its field specification
        return spec.check(value)
    except InputError as exc:
        raise _err(path, getattr(exc, "reason", str(exc))) from None


def _record(obj, path: str, spec: dict[str, _F], tzname: str = "UTC") -> dict:
    """The checked fields of one JSON object: only the keys it has (null on a non-nullable field = default)."""
    if not isinstance(obj, dict):
        raise _err(path, f"not an object: {_show(obj)}")
    for key in obj:
        if key not in spec:
            raise _err(_join(path, str(key)), "unknown field")
    out: dict[str, Any] = {}
    for key in spec:
        f = spec[key]
        where = _join(path, key)
        if key not in obj or obj[key] is None:
            if f.required:
                raise _err(where, "missing")
            if key in obj and f.nullable:
                out[key] = None
            continue
        out[key] = _check_value(obj[key], where, f, tzname)
    if ("source" in out) != ("source_id" in out) and "source" in spec:
        missing = "source_id" if "source" in out else "source"
        raise _err(_join(path, missing), "missing (source and source_id come together)")
    return out


_NN = dict(nullable=True)
_HOURS = _F("num", lo=0, hi=limits.MAX_HOURS, nullable=True)
_MONEY = _F("num", lo=0, hi=limits.MAX_AMOUNT, nullable=True)
_DAYS = _F("int", lo=0, hi=limits.MAX_DAYS, nullable=True)
_NUMBER = _F("int", lo=1, hi=1_000_000, nullable=True)  # the n-th of a repeated title
_POSITION = _F("num", lo=-1e12, hi=1e12)
# Where an imported row came from (clientdesk/importers): the source's name and the row's id there.
_SOURCE = {"source": _F("ref", nullable=True), "source_id": _F("ref", nullable=True)}

CLIENT_SPEC = {**CLIENT.json_spec(), **_SOURCE, "projects": _F("list"), "interactions": _F("list"), "feedback": _F("list")}
PROJECT_SPEC = {
    **PROJECT.json_spec(),
    **_SOURCE,
    "tasks": _F("list"),
    "change_requests": _F("list"),
    "milestones": _F("list"),
    "risks": _F("list"),
}
TASK_SPEC = {
    **TASK.json_spec(),
    "position": _POSITION,
    "created": _F("instant"),
    "updated": _F("instant"),
    "completed": _F("instant", **_NN),
    "change_request": _F("ref", **_NN),
    "change_request_project": _F("ref", **_NN),
    "change_request_number": _NUMBER,
    "notes": _F("text"),
    **_SOURCE,
}
CHANGE_SPEC = CHANGE.json_spec()
MILESTONE_SPEC = MILESTONE.json_spec()
RISK_SPEC = RISK.json_spec()
INTERACTION_SPEC = {
    **INTERACTION.json_spec(),
    "change_request": _F("ref", **_NN),
    "project": _F("ref", **_NN),
    "change_request_number": _NUMBER,
}
FEEDBACK_SPEC = FEEDBACK.json_spec()
_TASK_REF = {
    "client": _F("ref", required=True),
    "project": _F("ref", **_NN),
    "task": _F("ref", **_NN),
    "task_number": _NUMBER,
}
BLOCK_SPEC = {
    **_TASK_REF,
    "start": _F("instant", required=True),
    "end": _F("instant", required=True),
    "kind": _F("choice", choices=BLOCK_KINDS),
    "note": _F("text"),
    "routine": _F("int", lo=0, hi=1_000_000, nullable=True),
    "occurrence": _F("date", **_NN),
}
ENTRY_SPEC = {
    **_TASK_REF,
    "start": _F("instant", required=True),
    "minutes": _F("int", required=True, lo=0, hi=limits.MAX_MINUTES),  # zero-length entries come from real trackers
    "billable": _F("bool"),
    "invoiced": _F("bool"),
    "invoice_ref": _F("text"),
    "note": _F("text"),
    **_SOURCE,
}
ROUTINE_SPEC = {
    **_TASK_REF,
    "kind": _F("choice", choices=BLOCK_KINDS),
    "weekday": _F("int", required=True, lo=0, hi=6),
    "start_time": _F("clock", required=True),
    "minutes": _F("int", required=True, lo=0, above=True, hi=24 * 60),
    "every_weeks": _F("int", lo=1, hi=52),
    "anchor": _F("date", required=True),
    "until": _F("date", **_NN),
    "timezone": _F("tz"),
    "note": _F("text"),
    "active": _F("bool"),
    "skips": _F("list"),
}
TEMPLATE_SPEC = {"name": _F("name", required=True), "items": _F("items")}
TOP_SPEC = {
    "version": _F("int", required=True),
    "clients": _F("list"),
    "time_blocks": _F("list"),
    "time_entries": _F("list"),
    "routines": _F("list"),
    "templates": _F("list"),
}
_CHILD_KEYS = {"projects", "interactions", "feedback", "tasks", "change_requests", "milestones", "risks", "skips"}
_REF_KEYS = {"client", "project", "task", "task_number", "change_request", "change_request_project",
             "change_request_number", "routine"}


def _model_defaults(model) -> dict[str, Any]:
    out = {}
    for name, f in model._meta.fields.items():
        if name == "id":
            continue
        default = f.default
        out[name] = default() if callable(default) else default
    return out


# --------------------------------------------------------------------------------------------
# Import: step 2, plan the writes (slots are rows to insert or update, or rows only referenced)
# --------------------------------------------------------------------------------------------


class _Slot:
    """One row: existing (id known) or new (id after insert); `data` is what to write, if anything."""

    __slots__ = ("id", "data", "links", "key", "finer", "path", "new")

    def __init__(self, *, id: int | None = None, data: dict | None = None, key: Any = None, path: str = "",
                 finer: Any = None):
        self.finer = finer
        self.id = id
        self.new = id is None
        self.data = data
        self.links: dict[str, _Slot] = {}
        self.key = key
        self.path = path


class _ProjectPlan:
    def __init__(self, slot: _Slot, name: str):
        self.slot = slot
        self.name = name
        self.tasks: list[_Slot] = []  # candidates for references, file order then unmatched existing rows
        self.changes: list[_Slot] = []


class _ClientPlan:
    def __init__(self, slot: _Slot, name: str, tzname: str):
        self.slot = slot
        self.name = name
        self.tz = tzname
        self.projects: dict[str, _ProjectPlan] = {}
        self.loaded = False  # existing projects/tasks/changes read from the database


def _match(existing: list[tuple[Any, int, Any]], keys: list[tuple[Any, Any]]) -> list[int | None]:
    """Pair file items with existing rows: the k-th item with key K gets the k-th unpaired row with key K.

    `existing` holds (key, id, finer key) in a stable order, `keys` (key, finer key) per item. Pairs
    on the finer key are made first, so that of two tasks titled "Invoice", the done one in the
    file updates the done one in the database and the open one the open one.
    """
    matched: list[int | None] = [None] * len(keys)
    fine: dict[Any, deque] = defaultdict(deque)
    for key, rid, finer in existing:
        fine[(key, finer)].append(rid)
    used = set()
    for i, (key, finer) in enumerate(keys):
        queue = fine.get((key, finer))
        if queue:
            matched[i] = queue.popleft()
            used.add(matched[i])
    coarse: dict[Any, deque] = defaultdict(deque)
    for key, rid, _finer in existing:
        if rid not in used:
            coarse[key].append(rid)
    for i, (key, _finer) in enumerate(keys):
        if matched[i] is None and coarse.get(key):
            matched[i] = coarse[key].popleft()
    return matched


@dataclass
class ImportSummary:
    """What an import wrote: rows created or updated per kind, and merge duplicates skipped."""

    clients: int = 0
    projects: int = 0
    tasks: int = 0
    change_requests: int = 0
    milestones: int = 0
    risks: int = 0
    interactions: int = 0
    feedback: int = 0
    time_blocks: int = 0
    time_entries: int = 0
    routines: int = 0
    templates: int = 0
    updated: int = 0
    skipped: int = 0
    seconds: float = 0.0

    _LABELS = (
        ("clients", "client", "clients"), ("projects", "project", "projects"), ("tasks", "task", "tasks"),
        ("change_requests", "change request", "change requests"), ("milestones", "milestone", "milestones"),
        ("risks", "risk", "risks"), ("interactions", "interaction", "interactions"),
        ("feedback", "feedback", "feedback"), ("time_blocks", "time block", "time blocks"),
        ("time_entries", "time entry", "time entries"),
    )

    def __str__(self) -> str:
        parts = []
        for attr, one, many in self._LABELS:
            n = getattr(self, attr)
            parts.append(f"{n} {one if n == 1 else many}")
        for attr, one, many in (("routines", "routine", "routines"), ("templates", "template", "templates")):
            n = getattr(self, attr)
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        text = ", ".join(parts)
        extra = []
        if self.updated:
            extra.append(f"{self.updated} updated in place")
        if self.skipped:
            extra.append(f"{self.skipped} duplicate{'s' if self.skipped != 1 else ''} skipped")
        return text + (f" ({', '.join(extra)})" if extra else "")

    @property
    def total(self) -> int:
        return sum(getattr(self, a) for a, _, _ in self._LABELS) + self.routines + self.templates


class _Importer:
    def __init__(self, data, merge: bool):
        self.data = data
        self.merge = merge
        self.clients: dict[str, _ClientPlan] = {}
        self.summary = ImportSummary()
        self.now_text = clock.now().in_timezone("UTC").strftime("%Y-%m-%dT%H:%M:%S")
        # rows to write, per model, in file order
        self.inserts: dict[Any, list[_Slot]] = defaultdict(list)
        self.updates: dict[Any, list[_Slot]] = defaultdict(list)
        self.routine_skips: list[tuple[_Slot, str]] = []
        self.positions: dict[tuple[str, str], float] = {}
        self.existing_names: dict[str, str] | None = None
        self.sourced: dict[Any, set[tuple[str, str]]] = {}  # model -> (source, source_id) in the database or file
        self.file_sourced: dict[tuple[str, str], str] = {}  # (source, source_id) -> its path in the file

    def _already_imported(self, model, rec: dict, path: str) -> bool:
        """True when a row from this source with this id is in the database (an earlier import of it)."""
        if rec.get("source_id") is None:
            return False
        if model not in self.sourced:
            self.sourced[model] = {
                (a, b) for a, b in _rows(model.select(model.source, model.source_id).where(model.source.is_null(False)))
            }
        key = (rec["source"], rec["source_id"])
        if key in self.sourced[model]:
            if key in self.file_sourced:
                raise _err(f"{path}.source_id", f"duplicate source id in this file: {rec['source_id']} (also {self.file_sourced[key]})")
            self.summary.skipped += 1
            return True
        self.sourced[model].add(key)
        self.file_sourced[key] = path
        return False

    # ---- the top level
    def plan(self) -> None:
        data = self.data
        if not isinstance(data, dict):
            raise InputError(f"top level: not a JSON object ({_show(data)}); expected {{\"version\": 1, ...}}")
        for key in data:
            if key not in TOP_SPEC:
                raise _err(str(key), "unknown field")
        if "version" not in data or data["version"] is None:
            raise _err("version", "missing (this clientdesk reads version 1)")
        version = data["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version != VERSION:
            raise _err("version", f"unknown version: {json.dumps(version)} (this clientdesk reads version 1)")
        top = _record(data, "", TOP_SPEC)
        # clients are the same client when their names have the same key (case, Unicode forms)
        self.existing_names = {name_key(n): n for (n,) in _rows(Client.select(Client.name))}

        seen: dict[str, str] = {}
        for i, raw in enumerate(top.get("clients", [])):
            self._client(raw, f"clients[{i}]", seen)
        for i, raw in enumerate(top.get("templates", [])):
            self._template(raw, f"templates[{i}]")
        routines = [self._routine(raw, f"routines[{i}]") for i, raw in enumerate(top.get("routines", []))]
        self._blocks(top.get("time_blocks", []), routines)
        self._entries(top.get("time_entries", []))

    # ---- clients and what hangs off them
    def _client(self, raw, path: str, seen: dict[str, str]) -> None:
        if not isinstance(raw, dict):
            raise _err(path, f"not an object: {_show(raw)}")
        rec = _record(raw, path, CLIENT_SPEC)
        name = rec["name"]
        key = name_key(name)
        if key in seen:
            raise _err(f"{path}.name", f"duplicate client in this file: {name} (also {seen[key]})")
        seen[key] = path
        fields = {k: v for k, v in rec.items() if k not in _CHILD_KEYS}
        if key in self.existing_names:
            stored = self.existing_names[key]
            if not self.merge:
                shown = name if stored == name else f"{name} (as {stored})"
                raise _err(f"{path}.name", f"client already exists: {shown} (use --merge)")
            fields.pop("name")  # the stored spelling stays: the file names the client, it does not rename it
            cid, db_tz = Client.select(Client.id, Client.timezone).where(Client.name == stored).tuples().get()
            slot = _Slot(id=cid, data=fields, path=path)
            self.updates[Client].append(slot)
            plan = _ClientPlan(slot, name, fields.get("timezone", db_tz))
            self._load_client(plan)
            self.summary.updated += 1
        else:
            slot = _Slot(data=fields, path=path)
            self.inserts[Client].append(slot)
            plan = _ClientPlan(slot, name, fields.get("timezone", "UTC"))
            plan.loaded = True
        self.summary.clients += 1
        self.clients[key] = plan

        file_projects: list[tuple[_ProjectPlan, dict, str]] = []
        seen_projects: dict[str, str] = {}
        for j, praw in enumerate(rec.get("projects", [])):
            ppath = f"{path}.projects[{j}]"
            prec = _record(praw, ppath, PROJECT_SPEC)
            pname = prec["name"]
            pkey = name_key(pname)
            if pkey in seen_projects:
                raise _err(f"{ppath}.name", f"duplicate project for this client: {pname}")
            seen_projects[pkey] = ppath
            pfields = {k: v for k, v in prec.items() if k not in _CHILD_KEYS}
            existing = plan.projects.get(pkey)
            if existing is not None:
                pslot = existing.slot
                pslot.data = pfields
                pslot.path = ppath
                self.updates[Project].append(pslot)
                self.summary.updated += 1
                pplan = existing
                pfields["name"] = existing.name  # as the desk spells it
                del plan.projects[pkey]  # re-insert in file order below
            else:
                pslot = _Slot(data=pfields, path=ppath)
                pslot.links["client"] = slot
                self.inserts[Project].append(pslot)
                pplan = _ProjectPlan(pslot, pname)
            self.summary.projects += 1
            file_projects.append((pplan, prec, ppath))
        # file projects first (file order), then the database's others
        others = plan.projects
        plan.projects = {name_key(p.name): p for p, _, _ in file_projects}
        plan.projects.update(others)

        for pplan, prec, ppath in file_projects:
            self._changes(plan, pplan, prec.get("change_requests", []), ppath)
            self._milestones(pplan, prec.get("milestones", []), ppath)
            self._risks(pplan, prec.get("risks", []), ppath)
        for pplan, prec, ppath in file_projects:
            self._tasks(plan, pplan, prec.get("tasks", []), ppath)
        self._interactions(plan, rec.get("interactions", []), path)
        self._feedback(plan, rec.get("feedback", []), path)

    def _load_client(self, plan: _ClientPlan) -> None:
        """An existing client's projects, tasks and change requests, for matching and references."""
        if plan.loaded:
            return
        plan.loaded = True
        cid = plan.slot.id
        projects = _rows(Project.select(Project.id, Project.name).where(Project.client == cid).order_by(Project.name))
        by_id = {}
        for pid, name in projects:
            pp = _ProjectPlan(_Slot(id=pid), name)
            plan.projects[name_key(name)] = pp
            by_id[pid] = pp
        if not by_id:
            return
        # In export order, so that merging an export pairs each row with itself.
        tasks = _rows(Task.select(Task.id, Task.project, Task.title, Task.status, Task.position, Task.due)
                      .join(Project).where(Project.client == cid))
        for tid, pid, title, status, _p, due in sorted(tasks, key=lambda r: (_STATUS_ORDER.get(r[3], 9), r[4], r[0])):
            by_id[pid].tasks.append(_Slot(id=tid, key=title, finer=(status, _date_out(due))))
        changes = _rows(ChangeRequest.select(ChangeRequest.id, ChangeRequest.project, ChangeRequest.title,
                                             ChangeRequest.received_on).join(Project).where(Project.client == cid))
        for crid, pid, title, received in sorted(changes, key=lambda r: (str(r[3]), r[0])):
            by_id[pid].changes.append(_Slot(id=crid, key=title, finer=_date_out(received)))
        for status, top in _rows(
            Task.select(Task.status, fn.MAX(Task.position)).join(Project).where(Project.client == cid).group_by(Task.status)
        ):
            self.positions[(plan.name, status)] = top or 0

    def _children(self, model, items: list, path: str, spec: dict, tz: str, key_of: Callable[[dict], Any],
                  existing: list[tuple[Any, int, Any]], link_name: str, parent: _Slot, counter: str,
                  finer: Callable[[dict], Any] = lambda r: None) -> list[tuple[_Slot, dict]]:
        """Check, then match (merge) or create, the rows of one child list; returns (slot, record) pairs."""
        records = []
        for k, raw in enumerate(items):
            rec = _record(raw, f"{path}[{k}]", spec, tz)
            if not self._already_imported(model, rec, f"{path}[{k}]"):
                records.append((rec, f"{path}[{k}]"))
        keys = [(key_of(r), finer(r)) if r.get("source_id") is None else (object(), None) for r, _ in records]
        matched = _match(existing, keys) if existing else [None] * len(records)
        out = []
        for (rec, rpath), rid in zip(records, matched):
            data = {k: v for k, v in rec.items() if k not in _REF_KEYS}
            if rid is None:
                slot = _Slot(data=data, key=key_of(rec), path=rpath)
                slot.links[link_name] = parent
                self.inserts[model].append(slot)
            else:
                slot = _Slot(id=rid, data=data, key=key_of(rec), path=rpath)
                self.updates[model].append(slot)
                self.summary.updated += 1
            setattr(self.summary, counter, getattr(self.summary, counter) + 1)
            out.append((slot, rec))
        return out

    def _existing(self, query, parent: _Slot) -> list[tuple[Any, int]]:
        if parent.new or not self.merge:
            return []
        rows = sorted(_rows(query), key=lambda row: row[0])
        return [(tuple(row[1:]) if len(row) > 2 else row[1], row[0], None) for row in rows]

    def _changes(self, plan: _ClientPlan, pplan: _ProjectPlan, items: list, ppath: str) -> None:
        existing = [(s.key, s.id, s.finer) for s in pplan.changes]
        pairs = self._children(
            ChangeRequest, items, f"{ppath}.change_requests", CHANGE_SPEC, plan.tz, lambda r: r["title"],
            existing, "project", pplan.slot, "change_requests", finer=lambda r: r["received_on"],
        )
        matched_ids = {s.id for s, _ in pairs if not s.new}
        rest = [s for s in pplan.changes if s.id not in matched_ids]
        pplan.changes = [s for s, _ in pairs] + rest

    def _milestones(self, pplan: _ProjectPlan, items: list, ppath: str) -> None:
        existing = self._existing(
            Milestone.select(Milestone.id, Milestone.name).where(Milestone.project == pplan.slot.id), pplan.slot
        )
        self._children(Milestone, items, f"{ppath}.milestones", MILESTONE_SPEC, "UTC", lambda r: r["name"],
                       existing, "project", pplan.slot, "milestones")

    def _risks(self, pplan: _ProjectPlan, items: list, ppath: str) -> None:
        existing = self._existing(Risk.select(Risk.id, Risk.title).where(Risk.project == pplan.slot.id), pplan.slot)
        self._children(Risk, items, f"{ppath}.risks", RISK_SPEC, "UTC", lambda r: r["title"],
                       existing, "project", pplan.slot, "risks")

    def _tasks(self, plan: _ClientPlan, pplan: _ProjectPlan, items: list, ppath: str) -> None:
        existing = [(s.key, s.id, s.finer) for s in pplan.tasks]
        pairs = self._children(Task, items, f"{ppath}.tasks", TASK_SPEC, plan.tz, lambda r: r["title"],
                               existing, "project", pplan.slot, "tasks",
                               finer=lambda r: (r.get("status", "todo"), r.get("due")))
        for slot, rec in pairs:
            data = slot.data
            if "change_request" in rec:
                title = rec["change_request"]
                target = pplan
                if rec.get("change_request_project"):
                    target = plan.projects.get(name_key(rec["change_request_project"]))
                    if target is None:
                        raise _err(f"{slot.path}.change_request_project",
                                   f"unknown project: {rec['change_request_project']}")
                if title is None:
                    data["change_request"] = None
                else:
                    slot.links["change_request"] = self._pick(
                        [target], "changes", title, rec.get("change_request_number"), f"{slot.path}.change_request",
                        "change request",
                    )
            elif rec.get("change_request_project") is not None or rec.get("change_request_number") is not None:
                raise _err(f"{slot.path}.change_request", "missing (the project or number names no request)")
            if slot.new:
                status = data.get("status", "todo")
                if "position" not in data:
                    pos = self.positions.get((plan.name, status), 0) + 1
                    data["position"] = float(pos)
                self.positions[(plan.name, status)] = max(self.positions.get((plan.name, status), 0), data["position"])
                data.setdefault("created", self.now_text)
                data.setdefault("updated", data["created"])
                # A done task imported without its completion time has none:
                # inventing one (the import's) would make it late in reports.
                data.setdefault("completed", None)
            else:
                if "status" in data and "completed" not in data:
                    # leaving or entering 'done' without a completion time given
                    if data["status"] != "done":
                        data["completed"] = None
        matched_ids = {s.id for s, _ in pairs if not s.new}
        rest = [s for s in pplan.tasks if s.id not in matched_ids]
        pplan.tasks = [s for s, _ in pairs] + rest

    def _pick(self, projects: list[_ProjectPlan], attr: str, title: str, number: int | None, path: str, what: str) -> _Slot:
        """The row a reference by title (and number, when titles repeat) names among `projects`."""
        candidates = [s for p in projects for s in getattr(p, attr) if s.key == title]
        if not candidates:
            where = f" in project {projects[0].name}" if len(projects) == 1 else ""
            raise _err(path, f"unknown {what}{where}: {title}")
        if number is not None:
            if number > len(candidates):
                raise _err(f"{path}_number", f"only {len(candidates)} {what}(s) titled {title}: {number}")
            return candidates[number - 1]
        if len(candidates) > 1:
            hint = "give the project or the number" if len(projects) > 1 else "give the number"
            raise _err(path, f"ambiguous {what}: {title} ({len(candidates)} with this title; {hint})")
        return candidates[0]

    def _interactions(self, plan: _ClientPlan, items: list, path: str) -> None:
        existing = self._existing(
            Interaction.select(Interaction.id, Interaction.on, Interaction.kind, Interaction.summary)
            .where(Interaction.client == plan.slot.id),
            plan.slot,
        )
        existing = [((str(k[0])[:10], k[1], k[2]), rid, None) for k, rid, _ in existing]
        pairs = self._children(
            Interaction, items, f"{path}.interactions", INTERACTION_SPEC, plan.tz,
            lambda r: (r["on"], r.get("kind", "note"), r["summary"]), existing, "client", plan.slot, "interactions",
        )
        for slot, rec in pairs:
            if rec.get("change_request") is not None:
                projects = list(plan.projects.values())
                if rec.get("project"):
                    p = plan.projects.get(name_key(rec["project"]))
                    if p is None:
                        raise _err(f"{slot.path}.project", f"unknown project: {rec['project']}")
                    projects = [p]
                slot.links["change_request"] = self._pick(
                    projects, "changes", rec["change_request"], rec.get("change_request_number"),
                    f"{slot.path}.change_request", "change request",
                )
            elif "change_request" in rec and not slot.new:
                slot.data["change_request"] = None
            elif rec.get("change_request_number") is not None:
                raise _err(f"{slot.path}.change_request", "missing (the number names no request)")

    def _feedback(self, plan: _ClientPlan, items: list, path: str) -> None:
        existing = self._existing(
            Feedback.select(Feedback.id, Feedback.on, Feedback.score, Feedback.comment).where(Feedback.client == plan.slot.id),
            plan.slot,
        )
        existing = [((str(k[0])[:10], k[1], k[2]), rid, None) for k, rid, _ in existing]
        self._children(Feedback, items, f"{path}.feedback", FEEDBACK_SPEC, "UTC",
                       lambda r: (r["on"], r["score"], r.get("comment", "")), existing, "client", plan.slot, "feedback")

    # ---- what refers to a client by name: routines, blocks, entries
    def _client_ref(self, raw, path: str) -> _ClientPlan:
        """The client named by a block, entry or routine (from the file, else the database)."""
        if not isinstance(raw, dict):
            raise _err(path, f"not an object: {_show(raw)}")
        name = raw.get("client")
        if name is None:
            raise _err(f"{path}.client", "missing")
        if not isinstance(name, str):
            raise _err(f"{path}.client", f"not a text: {_show(name)}")
        name = name.strip()
        key = name_key(name)
        plan = self.clients.get(key)
        if plan is None:
            stored = self.existing_names.get(key)
            row = _rows(Client.select(Client.id, Client.timezone).where(Client.name == stored)) if stored else []
            if not row:
                raise _err(f"{path}.client", f"unknown client: {limits.shown(name)}")
            plan = _ClientPlan(_Slot(id=row[0][0]), stored, row[0][1])
            self._load_client(plan)
            self.clients[key] = plan
        return plan

    def _task_ref(self, plan: _ClientPlan, rec: dict, path: str) -> _Slot | None:
        projects = list(plan.projects.values())
        if rec.get("project") is not None:
            p = plan.projects.get(name_key(rec["project"]))
            if p is None:
                raise _err(f"{path}.project", f"unknown project for {plan.name}: {rec['project']}")
            projects = [p]
        if rec.get("task") is None:
            if rec.get("task_number") is not None:
                raise _err(f"{path}.task", "missing (task_number names no task)")
            return None
        return self._pick(projects, "tasks", rec["task"], rec.get("task_number"), f"{path}.task", "task")

    def _routine(self, raw, path: str) -> tuple[_Slot, _ClientPlan]:
        plan = self._client_ref(raw, path)
        rec = _record(raw, path, ROUTINE_SPEC, plan.tz)
        task = self._task_ref(plan, rec, path)
        data = {k: v for k, v in rec.items() if k not in _REF_KEYS and k != "skips"}
        data.setdefault("timezone", plan.tz)
        skips = []
        for k, value in enumerate(rec.get("skips", [])):
            skips.append(_check_date(value, f"{path}.skips[{k}]"))
        key = (data.get("kind", "focus"), data["weekday"], data["start_time"], data["minutes"], data["anchor"])
        rid = None
        if self.merge and not plan.slot.new:
            existing = [
                ((kind, wd, st, mins, str(anchor)[:10]), i)
                for i, kind, wd, st, mins, anchor in _rows(
                    Routine.select(Routine.id, Routine.kind, Routine.weekday, Routine.start_time, Routine.minutes,
                                   Routine.anchor).where(Routine.client == plan.slot.id)
                )
            ]
            taken = {s.id for s in self.updates[Routine]}
            candidates = sorted(i for k, i in existing if k == key and i not in taken)
            rid = candidates[0] if candidates else None
        slot = _Slot(id=rid, data=data, key=key, path=path)
        slot.links["client"] = plan.slot
        if task is not None:
            slot.links["task"] = task
        if rid is None:
            self.inserts[Routine].append(slot)
        else:
            self.updates[Routine].append(slot)
            self.summary.updated += 1
            have = {str(o)[:10] for (o,) in _rows(RoutineSkip.select(RoutineSkip.occurrence).where(RoutineSkip.routine == rid))}
            skips = [s for s in skips if s not in have]
        for occ in dict.fromkeys(skips):
            self.routine_skips.append((slot, occ))
        self.summary.routines += 1
        return slot, plan

    def _existing_work(self, model, plan: _ClientPlan, cache: dict) -> dict:
        """Counts of existing blocks or entries of a client by their duplicate key (merge only)."""
        if plan.name not in cache:
            pool: dict[Any, int] = defaultdict(int)
            if not plan.slot.new:
                if model is TimeBlock:
                    q = TimeBlock.select(TimeBlock.start, TimeBlock.end, TimeBlock.task).where(TimeBlock.client == plan.slot.id)
                else:
                    q = TimeEntry.select(TimeEntry.start, TimeEntry.minutes, TimeEntry.task).where(TimeEntry.client == plan.slot.id)
                for a, b, t in _rows(q):
                    pool[(str(a)[:19], str(b)[:19] if model is TimeBlock else b, t)] += 1
            cache[plan.name] = pool
        return cache[plan.name]

    def _blocks(self, items: list, routines: list[tuple[_Slot, _ClientPlan]]) -> None:
        cache: dict = {}
        occurrences: dict[tuple[int, str], str] = {}
        existing_occ: dict[int, set[str]] = {}
        for i, raw in enumerate(items):
            path = f"time_blocks[{i}]"
            plan = self._client_ref(raw, path)
            rec = _record(raw, path, BLOCK_SPEC, plan.tz)
            task = self._task_ref(plan, rec, path)
            if rec["end"] <= rec["start"]:
                raise _err(f"{path}.end", f"must be after start: {raw['end']}")
            data = {k: v for k, v in rec.items() if k not in _REF_KEYS}
            slot = _Slot(data=data, path=path)
            slot.links["client"] = plan.slot
            if task is not None:
                slot.links["task"] = task
            routine = None
            if rec.get("routine") is not None:
                index = rec["routine"]
                if index >= len(routines):
                    raise _err(f"{path}.routine", f"no routine {index} in this file ({len(routines)} routines)")
                routine, rplan = routines[index]
                if rplan is not plan:
                    raise _err(f"{path}.routine", f"routine {index} belongs to another client: {rplan.name}")
                if rec.get("occurrence") is None:
                    raise _err(f"{path}.occurrence", "missing (a routine's block needs its occurrence date)")
                slot.links["routine"] = routine
                okey = (index, rec["occurrence"])
                if okey in occurrences:
                    raise _err(f"{path}.occurrence", f"duplicate occurrence of routine {index}: {rec['occurrence']} "
                                                     f"(also {occurrences[okey]})")
                occurrences[okey] = path
            if self.merge and not plan.slot.new:
                pool = self._existing_work(TimeBlock, plan, cache)
                key = (rec["start"], rec["end"], None if task is None else task.id)
                dup = (task is None or not task.new) and pool.get(key, 0) > 0
                if routine is not None and not routine.new:
                    if routine.id not in existing_occ:
                        existing_occ[routine.id] = {
                            str(o)[:10] for (o,) in _rows(TimeBlock.select(TimeBlock.occurrence).where(TimeBlock.routine == routine.id))
                        }
                    dup = dup or rec["occurrence"] in existing_occ[routine.id]
                if dup:
                    if pool.get(key, 0) > 0:
                        pool[key] -= 1
                    self.summary.skipped += 1
                    continue
            self.inserts[TimeBlock].append(slot)
            self.summary.time_blocks += 1

    def _entries(self, items: list) -> None:
        cache: dict = {}
        for i, raw in enumerate(items):
            path = f"time_entries[{i}]"
            plan = self._client_ref(raw, path)
            rec = _record(raw, path, ENTRY_SPEC, plan.tz)
            if self._already_imported(TimeEntry, rec, path):
                continue
            task = self._task_ref(plan, rec, path)
            data = {k: v for k, v in rec.items() if k not in _REF_KEYS}
            slot = _Slot(data=data, path=path)
            slot.links["client"] = plan.slot
            if task is not None:
                slot.links["task"] = task
            if self.merge and not plan.slot.new and (task is None or not task.new) and rec.get("source_id") is None:
                pool = self._existing_work(TimeEntry, plan, cache)
                key = (rec["start"], rec["minutes"], None if task is None else task.id)
                if pool.get(key, 0) > 0:
                    pool[key] -= 1
                    self.summary.skipped += 1
                    continue
            self.inserts[TimeEntry].append(slot)
            self.summary.time_entries += 1

    def _template(self, raw, path: str) -> None:
        rec = _record(raw, path, TEMPLATE_SPEC)
        name = rec["name"]
        if any(s.data["name"] == name for s in self.inserts[Template] + self.updates[Template]):
            raise _err(f"{path}.name", f"duplicate template in this file: {name}")
        data = {"name": name}
        if "items" in rec:
            data["items"] = json.dumps(rec["items"], ensure_ascii=False)
        row = _rows(Template.select(Template.id).where(Template.name == name))
        if row:
            if not self.merge:
                raise _err(f"{path}.name", f"template already exists: {name} (use --merge)")
            self.updates[Template].append(_Slot(id=row[0][0], data=data, path=path))
            self.summary.updated += 1
        else:
            self.inserts[Template].append(_Slot(data=data, path=path))
        self.summary.templates += 1

    # ---- step 3: write, all or nothing
    _ORDER = (Client, Project, ChangeRequest, Milestone, Risk, Task, Interaction, Feedback, Template, Routine,
              TimeBlock, TimeEntry)

    def write(self, progress: Callable[[int, int], None] | None) -> None:
        total = sum(len(v) for v in self.inserts.values()) + sum(len(v) for v in self.updates.values()) \
            + len(self.routine_skips)
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        with database.atomic():
            for model in self._ORDER:
                new = self.inserts.get(model, [])
                if new:
                    self._insert(model, new, tick)
                self._update(model, self.updates.get(model, []), tick)
                if model is Routine and self.routine_skips:
                    rows = [{"routine": s.id, "occurrence": occ} for s, occ in self.routine_skips]
                    self._insert_rows(RoutineSkip, rows)
                    tick(len(rows))
            if progress is not None and done < total:
                progress(total, total)

    def _insert(self, model, slots: list[_Slot], tick) -> None:
        defaults = _model_defaults(model)
        rows = []
        for slot in slots:
            row = dict(defaults)
            row.update(slot.data)
            for name, target in slot.links.items():
                row[name] = target.id
            rows.append(row)
        ids = self._insert_rows(model, rows, tick=tick, need_ids=model in (Client, Project, ChangeRequest, Task, Routine),
                                paths=[slot.path for slot in slots])
        for slot, rid in zip(slots, ids):
            slot.id = rid

    def _update(self, model, slots: list[_Slot], tick) -> None:
        """Rows updated in place (merge), grouped by the columns they set, one statement per group."""
        groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        paths: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for slot in slots:
            values = dict(slot.data)
            values.update({name: target.id for name, target in slot.links.items() if name not in ("project", "client")})
            if values:
                values["id"] = slot.id
                groups[tuple(values)].append(values)
                paths[tuple(values)].append(slot.path)
            else:
                tick(1)
        for names, rows in groups.items():
            fields = [model._meta.fields[n] for n in names]
            marks = [Value(f"\x00{i}", converter=None) for i in range(len(fields))]
            setting = {f: m for f, m in zip(fields[:-1], marks[:-1])}
            if model is Task:
                setting[Task.version] = Task.version + 1  # open editors see the row changed
            _run_many(model.update(setting).where(model.id == marks[-1]), fields, marks, rows, tick, paths[names])

    @staticmethod
    def _insert_rows(model, rows: list[dict], *, tick=None, need_ids: bool = False,
                     paths: list[str] | None = None) -> list[int]:
        if not rows:
            return []
        fields = [model._meta.fields[n] for n in rows[0]]
        marks = [Value(f"\x00{i}", converter=None) for i in range(len(fields))]
        return _run_many(model.insert_many([tuple(marks)], fields=fields), fields, marks, rows, tick, paths,
                         returning=need_ids)


def _run_many(query, fields: list, marks: list, rows: list[dict], tick=None, paths: list[str] | None = None, *,
              returning: bool = False) -> list[int]:
    """Compile `query` once, with markers for its values, then run it for every row (executemany).

    `returning`: the query is an INSERT; give the new ids in the order of `rows`,
    each from its own statement (`dialect.insert_many_returning`), so that
    another writer's rows never mix in.

    Peewee builds each statement in Python, which costs far more than SQLite
    spends running it (measured: insert_many ~8x slower than raw); compiling
    once keeps the SQL portable and the import fast. A row the database
    refuses (a CHECK the file checks missed) is found again, row by row in a
    savepoint, so the error names its JSON path (`paths`, one per row).
    """
    sql, params = query.sql()
    position = {m.value: i for i, m in enumerate(marks)}
    order = [position.get(p) if isinstance(p, str) else None for p in params]
    converters = [f.db_value for f in fields]
    names = [f.name for f in fields]
    cursor = database.cursor()
    ids: list[int] = []
    for start in range(0, len(rows), _ROWS_PER_CALL):
        batch = rows[start:start + _ROWS_PER_CALL]
        args = []
        for row in batch:
            values = [conv(row[name]) if row[name] is not None else None for conv, name in zip(converters, names)]
            args.append([values[i] if i is not None else const for i, const in zip(order, params)])
        try:
            with database.atomic(), __exception_wrapper__:  # the driver's errors as peewee's, on any engine
                if returning:
                    ids.extend(insert_many_returning(cursor, sql, args))
                else:
                    cursor.executemany(sql, args)
        except IntegrityError as exc:
            if paths is not None:
                _name_refused_row(cursor, sql, args, paths[start:start + _ROWS_PER_CALL])
            raise InputError(f"the database refused the import, nothing was written: {exc}") from None
        if tick is not None:
            tick(len(batch))
    return ids


def _name_refused_row(cursor, sql: str, args: list, paths: list[str]) -> None:
    """Raise the error of the first row of a refused batch, with its JSON path."""
    for values, path in zip(args, paths):
        try:
            with database.atomic(), __exception_wrapper__:
                cursor.execute(sql, values)
        except IntegrityError as exc:
            raise InputError(f"{path}: the database refused it, nothing was written: {exc}") from None


def import_data(
    data, *, merge: bool = False, progress: Callable[[int, int], None] | None = None, dry_run: bool = False
) -> ImportSummary:
    """Check everything in `data` (interchange JSON, version 1), then write it in one transaction.

    Raises InputError naming the JSON path of the first bad field; nothing is
    written then. With `merge`, clients that exist are updated in place and
    their rows matched by name or title (never duplicated). Rows carrying a
    `source` and `source_id` that the database already holds are skipped
    (counted as duplicates): re-importing a source adds only what is new.
    With `dry_run`, everything is checked and counted, nothing written.
    """
    import time

    started = time.perf_counter()
    importer = _Importer(data, merge)
    importer.plan()
    if dry_run:
        importer.summary.seconds = time.perf_counter() - started
        return importer.summary
    try:
        importer.write(progress)
    except IntegrityError as exc:
        raise InputError(f"the database refused the import, nothing was written: {exc}") from None
    importer.summary.seconds = time.perf_counter() - started
    return importer.summary


__all__ = ["VERSION", "ImportSummary", "export_data", "import_data"]
