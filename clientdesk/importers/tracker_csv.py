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
_YES = {"yes", "true", "1", "y", "billable"}
_NO = {"no", "false", "0", "n", "non-billable", ""}


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
    for row in rows:
        line = row.line
        day = dates(row.get("start_date"), filename, line, spec.columns["start_date"][0])
        clock_time = parse_time(row.get("start_time"), filename, line, spec.columns["start_time"][0])
        start = _dt.datetime.combine(day, clock_time)
        seconds = _duration_seconds(row, filename)
        if row.get("end_date") and row.get("end_time"):
            end_day = dates(row.get("end_date"), filename, line, spec.columns["end_date"][0])
            end = _dt.datetime.combine(end_day, parse_time(row.get("end_time"), filename, line,
                                                            spec.columns["end_time"][0]))
            if end < start:
                raise SourceError(filename, str(line), f"{spec.columns['end_time'][0]}: before the start: "
                                                       f"{row.get('end_date')} {row.get('end_time')}")
            if seconds is None:
                seconds = (end - start).total_seconds()
        if seconds is None:
            raise SourceError(filename, str(line), f"{spec.columns['duration'][0]}: missing")
        billable_text = row.get("billable").casefold()
        billable = None if "billable" not in row.values else billable_text in _YES
        if billable_text not in _YES | _NO:
            raise SourceError(filename, str(line), f"{spec.columns['billable'][0]}: not Yes or No: {row.get('billable')!r}")
        project = row.get("project")
        description = row.get("description")
        base = stable_id(row.get("user") or row.get("email"), row.get("client"), project, row.get("task"), description,
                         start.isoformat(), round(seconds))
        minutes = int(round(seconds / 60))
        if minutes <= 0:
            out.skipped["shorter than half a minute"] += 1
            number(base)
            continue
        client = client_for(row.get("client"), project, options, notes)
        tags = tags_of(row.get("tags"))
        note = " ".join([description] + [f"#{t}" for t in tags]).strip()
        builder.entry(client, project or None, row.get("task") or None, start.replace(tzinfo=tz).isoformat(), minutes,
                      number(base), billable=billable, note=note)
    out.document = builder.document()
    out.notes = sorted(notes) + builder.notes()
    if dates.assumption:
        out.notes.insert(0, dates.assumption)
    return out
