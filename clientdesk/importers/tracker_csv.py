"""The detailed time reports of Toggl Track and Clockify, read the same way: one row per entry, columns by
header in any order, local start date and time, a duration, the client and project by name."""

from __future__ import annotations

from dataclasses import dataclass

import datetime as _dt

from clientdesk.importers.base import (
    DateReader,
    DocumentBuilder,
    ImportOptions,
    Occurrences,
    SourceError,
    Translation,
    parse_decimal,
    parse_hms,
    parse_time,
    read_csv,
    stable_id,
    tags_of,
    zone,
)

NO_CLIENT = "No client"
_YES = {"yes", "true", "1", "y", "billable", "Yes", "TRUE", "True"}
_NO = {"no", "false", "0", "n", "non-billable", "", "No", "FALSE", "False"}


@dataclass(frozen=True)
class TrackerColumns:
    """The header spellings of one tool's report; the first spelling is the one named in errors."""

    columns: dict[str, tuple[str, ...]]
    patterns: dict[str, str]
    required: tuple[str, ...]


def client_for(row_client: str, project: str, options: ImportOptions, notes: set[str]) -> str:
    """The row's client, else --map PROJECT=CLIENT, else --client, else 'No client' (said in the notes)."""
    if row_client:
        return row_client
    if project and options.mapped(project):
        return options.mapped(project)
    if options.client:
        return options.client
    notes.add(f"entries without a client were put under '{NO_CLIENT}' (give --client NAME or --map PROJECT=CLIENT)")
    return NO_CLIENT


def _duration_seconds(row, filename: str) -> float | None:
    """Seconds from 'Duration' (H:MM:SS) or 'Duration (decimal)' hours, whichever the file has."""
    text = row.get("duration")
    if text:
        return parse_hms(text, filename, row.line, "Duration")
    text = row.get("hours")
    if text:
        return parse_decimal(text, filename, row.line, "Duration (decimal)") * 3600
    return None


def translate_tracker_csv(text: str, filename: str, options: ImportOptions, source: str,
                          spec: TrackerColumns) -> Translation:
    rows, _extras = read_csv(text, filename, spec.columns, spec.required, spec.patterns)
    tz = zone(options.timezone, filename)
    dates = DateReader([r.get("start_date") for r in rows] + [r.get("end_date") for r in rows])
    builder = DocumentBuilder(source, options.timezone)
    out = Translation(source, {}, rows=len(rows))
    notes: set[str] = set()
    number = Occurrences()
    names = {canon: spelled[0] for canon, spelled in spec.columns.items()}
    has_billable = "billable" in (rows[0].values if rows else {})
    yes_no = _YES | _NO
    for row in rows:
        line, v = row.line, row.values
        get = v.get
        day = dates(get("start_date", ""), filename, line, names["start_date"])
        start = _dt.datetime.combine(day, parse_time(get("start_time", ""), filename, line, names["start_time"]))
        seconds = _duration_seconds(row, filename)
        end_date, end_time = get("end_date"), get("end_time")
        if end_date and end_time:
            end_day = dates(end_date, filename, line, names["end_date"])
            end = _dt.datetime.combine(end_day, parse_time(end_time, filename, line, names["end_time"]))
            if end < start:
                raise SourceError(filename, str(line), f"{names['end_time']}: before the start: {end_date} {end_time}")
            if seconds is None:
                seconds = (end - start).total_seconds()
        if seconds is None:
            raise SourceError(filename, str(line), f"{names['duration']}: missing")
        billable_text = get("billable", "")
        if billable_text not in yes_no:
            billable_text = billable_text.casefold()
            if billable_text not in yes_no:
                raise SourceError(filename, str(line), f"{names['billable']}: not Yes or No: {get('billable')!r}")
        billable = (billable_text in _YES) if has_billable else None
        project, description, task, row_client = get("project", ""), get("description", ""), get("task", ""), get("client", "")
        local = start.isoformat()
        base = stable_id(get("user") or get("email"), row_client, project, task, description, local, round(seconds))
        minutes = int(round(seconds / 60))
        client = client_for(row_client, project, options, notes)
        tags = get("tags")
        note = " ".join([description] + [f"#{t}" for t in tags_of(tags)]).strip() if tags else description
        builder.entry(client, project or None, task or None, start.replace(tzinfo=tz).isoformat(), minutes,
                      number(base), billable=billable, note=note)
    out.document = builder.document()
    out.notes = sorted(notes) + builder.notes()
    if dates.assumption:
        out.notes.insert(0, dates.assumption)
    return out
