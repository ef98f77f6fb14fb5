"""Taskwarrior's `task export`: a JSON array of tasks (`uuid, status, description, project, tags, due,
priority, entry, end, annotations, depends`, times as `20261102T080000Z`).

pending becomes todo (started: doing), waiting backlog, completed done;
deleted tasks and recurring templates are left out (the instances of a
recurring task are tasks of their own). Priority H/M/L is p1/p2/p4 (none:
p3). Annotations go to the task's notes. clientdesk has no task
dependencies: `depends` is written into the notes as the titles waited on,
and said in the summary. The project's client comes from --map, else
--client; a task without a project goes to the project "Inbox".
"""

from __future__ import annotations

from typing import Any

from clientdesk.importers.base import (
    DocumentBuilder,
    ImportOptions,
    SourceError,
    Translation,
    clientless,
    iter_json_items,
    parse_compact_utc,
    tag_list,
    text_field,
    zone,
)

NAME = "taskwarrior"
LABEL = "Taskwarrior (task export)"
KIND = "json"
NO_PROJECT = "Inbox"
_PRIORITY = {"H": 1, "M": 2, "": 3, "L": 4}
_STATUS = {"pending": "todo", "waiting": "backlog", "completed": "done"}


def recognises(data: Any) -> bool:
    return (
        isinstance(data, list) and bool(data) and all(isinstance(i, dict) for i in data[:20])
        and all({"uuid", "description", "status"} <= set(i) for i in data[:20])
    )


def _depends(item: dict, filename: str, where: str) -> list[str]:
    value = item.get("depends")
    if value is None:
        return []
    if isinstance(value, str):  # Taskwarrior 2.5 writes "uuid,uuid"
        return [v for v in value.split(",") if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise SourceError(filename, f"{where}.depends", "not a list of uuids")


def translate(data: Any, filename: str, options: ImportOptions) -> Translation:
    tz = zone(options.timezone, filename)
    builder = DocumentBuilder(NAME, options.timezone)
    out = Translation(NAME, {})
    items = list(iter_json_items(data, filename, "Taskwarrior export"))
    titles = {item.get("uuid"): item.get("description") for _, item in items}
    waiting_on = 0
    for i, item in items:
        where = f"[{i}]"
        out.rows += 1
        uuid = text_field(item, "uuid", filename, where, required=True)
        title = text_field(item, "description", filename, where, required=True)
        status = text_field(item, "status", filename, where)
        if status == "deleted":
            out.skipped["deleted in Taskwarrior"] += 1
            continue
        if status == "recurring":
            out.skipped["recurring template (its instances are imported)"] += 1
            continue
        if status not in _STATUS:
            raise SourceError(filename, f"{where}.status", f"unknown status: {status!r}")
        state = _STATUS[status]
        if state == "todo" and item.get("start"):
            state = "doing"
        priority = text_field(item, "priority", filename, where)
        if priority not in _PRIORITY:
            raise SourceError(filename, f"{where}.priority", f"not H, M or L: {priority!r}")
        project = text_field(item, "project", filename, where) or NO_PROJECT
        client = clientless(project if project != NO_PROJECT else "", options, filename, where, "Taskwarrior")
        fields: dict[str, Any] = {"status": state, "priority": _PRIORITY[priority],
                                  "tags": tag_list(item, "tags", filename, where)}
        if item.get("due") is not None:
            fields["due"] = parse_compact_utc(item["due"], filename, f"{where}.due").astimezone(tz).date().isoformat()
        if item.get("entry") is not None:
            fields["created"] = parse_compact_utc(item["entry"], filename, f"{where}.entry").isoformat()
        if state == "done" and item.get("end") is not None:
            fields["completed"] = parse_compact_utc(item["end"], filename, f"{where}.end").isoformat()
        notes = []
        annotations = item.get("annotations") or []
        if not isinstance(annotations, list):
            raise SourceError(filename, f"{where}.annotations", "not a list")
        for k, note in enumerate(annotations):
            if not isinstance(note, dict):
                raise SourceError(filename, f"{where}.annotations[{k}]", "not an object")
            text = text_field(note, "description", filename, f"{where}.annotations[{k}]")
            when = note.get("entry")
            day = parse_compact_utc(when, filename, f"{where}.annotations[{k}].entry").astimezone(tz).date() if when else None
            notes.append(f"{day.isoformat()} {text}" if day else text)
        depends = _depends(item, filename, where)
        if depends:
            waiting_on += 1
            notes.append("Waits on: " + "; ".join(titles.get(u) or u for u in depends))
        if notes:
            fields["notes"] = "\n".join(notes)
        builder.task(client, project, title, source_id=uuid, **fields)
    out.document = builder.document()
    if waiting_on:
        out.notes.append(f"{waiting_on} task{'s wait' if waiting_on != 1 else ' waits'} on others (depends): "
                         "clientdesk has no dependencies, so each task's notes name what it waits on")
    if any(p["name"] == NO_PROJECT for c in out.document["clients"] for p in c["projects"]):
        out.notes.append(f"tasks without a project went to the project '{NO_PROJECT}'")
    return out
