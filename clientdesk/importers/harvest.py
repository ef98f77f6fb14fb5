"""Harvest's time report, exported as CSV (Reports > Time > Detailed time report > Export > CSV).

`Date,Client,Project,Project Code,Task,Notes,Hours,Hours Rounded,Billable?,Invoiced?,Approved?,First Name,Last Name,...,Billable Rate,Billable Amount,...,Currency,...`.
Harvest keeps hours, not start times: each day's entries are laid one after
the other from 09:00 local time, in file order. Hours may use a decimal
comma ("20,0", "2.000,0"). `Invoiced?` carries over as invoiced.
"""

from __future__ import annotations

import datetime as _dt

from clientdesk.importers.base import (
    DateReader,
    DocumentBuilder,
    ImportOptions,
    Occurrences,
    SourceError,
    Translation,
    norm_header,
    parse_decimal,
    read_csv,
    stable_id,
    zone,
)
from clientdesk.importers.tracker_csv import client_for

NAME = "harvest"
LABEL = "Harvest time report (CSV)"
KIND = "csv"
DAY_STARTS = _dt.time(9, 0)

COLUMNS = {
    "date": ("Date",),
    "client": ("Client",),
    "project": ("Project",),
    "task": ("Task",),
    "notes": ("Notes",),
    "hours": ("Hours",),
    "billable": ("Billable?",),
    "invoiced": ("Invoiced?",),
    "first": ("First Name",),
    "last": ("Last Name",),
}
_YES_NO = {"yes": True, "true": True, "no": False, "false": False, "": None}


def recognises(header: list[str]) -> bool:
    names = {norm_header(h) for h in header}
    return {"date", "hours", "project"} <= names and ("billable?" in names or "invoiced?" in names)


def _flag(row, canon: str, filename: str) -> bool | None:
    text = row.get(canon).casefold()
    if text not in _YES_NO:
        raise SourceError(filename, str(row.line), f"{COLUMNS[canon][0]}: not Yes or No: {row.get(canon)!r}")
    return _YES_NO[text]


def translate(text: str, filename: str, options: ImportOptions) -> Translation:
    rows, _ = read_csv(text, filename, COLUMNS, ("date", "hours"))
    tz = zone(options.timezone, filename)
    dates = DateReader([r.get("date") for r in rows])
    builder = DocumentBuilder(NAME, options.timezone)
    out = Translation(NAME, {}, rows=len(rows))
    notes: set[str] = {"Harvest has no start times: each day's entries are laid one after another from 09:00"}
    number = Occurrences()
    laid: dict[_dt.date, _dt.datetime] = {}
    for row in rows:
        day = dates(row.get("date"), filename, row.line, "Date")
        hours = parse_decimal(row.get("hours"), filename, row.line, "Hours")
        if hours < 0:
            raise SourceError(filename, str(row.line), f"Hours: below zero: {row.get('hours')!r}")
        billable, invoiced = _flag(row, "billable", filename), _flag(row, "invoiced", filename)
        project = row.get("project")
        client = client_for(row.get("client"), project, options, notes)
        person = f"{row.get('first')} {row.get('last')}".strip()
        base = stable_id(day.isoformat(), client, project, row.get("task"), row.get("notes"), round(hours * 3600), person)
        minutes = int(round(hours * 60))
        start = laid.get(day, _dt.datetime.combine(day, DAY_STARTS))
        laid[day] = start + _dt.timedelta(minutes=minutes)
        builder.entry(client, project or None, row.get("task") or None, start.replace(tzinfo=tz).isoformat(), minutes,
                      number(base), billable=billable, invoiced=invoiced, note=row.get("notes"))
    out.document = builder.document()
    out.notes = sorted(notes) + builder.notes()
    if dates.assumption:
        out.notes.insert(0, dates.assumption)
    return out
