"""Timewarrior's `timew export`: a JSON array of intervals `{id, start, end?, tags?, annotation?}`.

Times are UTC (`20261102T080000Z`). The first tag names the project (its
client from --map PROJECT=CLIENT, else --client); the other tags go into the
note. `id` is a position (@1 is the latest) that changes as intervals are
added, so an interval is known by its start. An interval without an end is
one still being tracked: a running timer.
"""

from __future__ import annotations

from typing import Any

from clientdesk.importers.base import (
    DocumentBuilder,
    ImportOptions,
    RunningTimer,
    SourceError,
    Translation,
    clientless,
    iter_json_items,
    parse_compact_utc,
    tag_list,
    text_field,
    zone,
)

NAME = "timewarrior"
LABEL = "Timewarrior (timew export)"
KIND = "json"


def recognises(data: Any) -> bool:
    return (
        isinstance(data, list) and bool(data) and all(isinstance(i, dict) for i in data[:20])
        and all("start" in i and "uuid" not in i and isinstance(i.get("start"), str) and i["start"].endswith("Z")
                and "description" not in i for i in data[:20])
    )


def _client_of(tags: list[str], options: ImportOptions, filename: str, where: str) -> tuple[str, str | None, list[str]]:
    """(client, project, other tags): a tag mapped to a client names the project; else the first tag."""
    for i, tag in enumerate(tags):
        if options.mapped(tag):
            return options.mapped(tag), tag, tags[:i] + tags[i + 1:]
    project = tags[0] if tags else None
    return clientless(project or "", options, filename, where, "Timewarrior"), project, tags[1:]


def translate(data: Any, filename: str, options: ImportOptions) -> Translation:
    tz = zone(options.timezone, filename)
    builder = DocumentBuilder(NAME, options.timezone)
    out = Translation(NAME, {})
    for i, item in iter_json_items(data, filename, "Timewarrior export"):
        where = f"[{i}]"
        out.rows += 1
        start = parse_compact_utc(item.get("start"), filename, f"{where}.start")
        tags = tag_list(item, "tags", filename, where)
        annotation = text_field(item, "annotation", filename, where)
        client, project, rest = _client_of(tags, options, filename, where)
        note = " ".join([annotation] + [f"#{t}" for t in rest]).strip()
        if item.get("end") is None:
            out.running.append(RunningTimer(client, project, start.astimezone(tz).isoformat(), note))
            continue
        end = parse_compact_utc(item.get("end"), filename, f"{where}.end")
        if end < start:
            raise SourceError(filename, f"{where}.end", f"before the start: {item['end']}")
        minutes = int(round((end - start).total_seconds() / 60))
        builder.entry(client, project, None, start.astimezone(tz).isoformat(), minutes,
                      "start:" + item["start"], note=note)
    out.document = builder.document()
    out.notes = builder.notes()
    return out
