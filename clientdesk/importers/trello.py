"""A Trello board exported as JSON (Board menu > Print, export and share > Export as JSON).

The board is a project (its client from --client or --map BOARD=CLIENT).
Lists become statuses by name (To Do, Doing, Done...), or as --map
"LIST=status" says; a list that matches none is an error naming it. Open
cards become tasks (closed cards and cards of archived lists are left out),
keeping the card's id, its creation time (in the id), its labels as tags
and its due date; the card's
description and its checklists (as "[x] item" lines) go to the task's notes.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from clientdesk.domain.names import name_key
from clientdesk.importers.base import (
    TASK_STATUSES,
    DocumentBuilder,
    ImportOptions,
    SourceError,
    Translation,
    clientless,
    text_field,
    zone,
)

NAME = "trello"
LABEL = "Trello board (JSON)"
KIND = "json"

LIST_NAMES = {
    "backlog": "backlog", "icebox": "backlog", "ideas": "backlog", "later": "backlog", "someday": "backlog",
    "to do": "todo", "todo": "todo", "to-do": "todo", "next": "todo", "up next": "todo", "ready": "todo",
    "doing": "doing", "in progress": "doing", "wip": "doing", "working on": "doing", "in development": "doing",
    "review": "review", "in review": "review", "code review": "review", "testing": "review", "qa": "review",
    "done": "done", "complete": "done", "completed": "done", "finished": "done", "shipped": "done",
}


def recognises(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("cards"), list) and isinstance(data.get("lists"), list)


def _status_of(list_name: str, options: ImportOptions) -> str | None:
    mapped = options.mapped(list_name)
    if mapped is not None and mapped.strip().casefold() in TASK_STATUSES:
        return mapped.strip().casefold()
    return LIST_NAMES.get(" ".join(name_key(list_name).split()))


def _objects(data: dict, key: str, filename: str) -> list[tuple[str, dict]]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise SourceError(filename, key, "not a list")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise SourceError(filename, f"{key}[{i}]", "not an object")
        out.append((f"{key}[{i}]", item))
    return out


def _created(card_id: str) -> str | None:
    """A card's creation time: Trello ids are MongoDB ObjectIds, whose first 8 hex digits are Unix seconds."""
    if not re.fullmatch(r"[0-9a-f]{24}", card_id):
        return None
    return _dt.datetime.fromtimestamp(int(card_id[:8], 16), tz=_dt.timezone.utc).isoformat()


def _instant(value: Any, filename: str, where: str) -> str:
    try:
        moment = _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(filename, where, f"not a date and time: {value!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)).isoformat()


def _due(value: Any, filename: str, where: str, tz) -> str:
    try:
        moment = _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(filename, where, f"not a date: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(tz).date().isoformat()


def translate(data: Any, filename: str, options: ImportOptions) -> Translation:
    if not recognises(data):
        raise SourceError(filename, "", "not a Trello board (expected an object with lists and cards)")
    tz = zone(options.timezone, filename)
    board = text_field(data, "name", filename, "", required=True) or "Trello"
    client = clientless(board, options, filename, "name", "Trello")
    builder = DocumentBuilder(NAME, options.timezone)
    out = Translation(NAME, {})
    lists: dict[str, tuple[str, bool]] = {}
    unknown: list[str] = []
    for where, item in _objects(data, "lists", filename):
        list_id = text_field(item, "id", filename, where, required=True)
        name = text_field(item, "name", filename, where)
        status = _status_of(name, options)
        if status is None and not item.get("closed"):
            unknown.append(name)
        lists[list_id] = (status or "", bool(item.get("closed")))
    if unknown:
        shown = ", ".join(repr(n) for n in unknown)
        first = unknown[0]
        raise SourceError(filename, "lists", f"no status for list {shown}: map it, e.g. --map \"{first}=todo\" "
                                             f"(statuses: {', '.join(TASK_STATUSES)})")
    checklists: dict[str, list[str]] = {}
    for where, item in _objects(data, "checklists", filename):
        card = text_field(item, "idCard", filename, where)
        lines = [text_field(item, "name", filename, where) + ":"]
        items = item.get("checkItems") or []
        for k, check in enumerate(items if isinstance(items, list) else []):
            if isinstance(check, dict):
                mark = "[x]" if check.get("state") == "complete" else "[ ]"
                lines.append(f"{mark} {text_field(check, 'name', filename, f'{where}.checkItems[{k}]')}")
        checklists.setdefault(card, []).append("\n".join(lines))
    labels_by_id = {}
    for where, item in _objects(data, "labels", filename):
        labels_by_id[item.get("id")] = text_field(item, "name", filename, where) or text_field(item, "color", filename, where)
    builder.project(client, board)
    for where, card in _objects(data, "cards", filename):
        out.rows += 1
        card_id = text_field(card, "id", filename, where, required=True)
        title = text_field(card, "name", filename, where)
        if card.get("closed"):
            out.skipped["closed card"] += 1
            continue
        list_id = text_field(card, "idList", filename, where, required=True)
        if list_id not in lists:
            raise SourceError(filename, f"{where}.idList", f"no such list on the board: {list_id}")
        status, closed_list = lists[list_id]
        if closed_list:
            out.skipped["card in an archived list"] += 1
            continue
        if not title:
            out.skipped["card without a title"] += 1
            continue
        tags = []
        for label in card.get("labels") or []:
            name = label.get("name") or label.get("color") if isinstance(label, dict) else labels_by_id.get(label)
            if name:
                tags.append("-".join(str(name).split()))
        fields: dict[str, Any] = {"status": status, "tags": tags}
        if card.get("due"):
            fields["due"] = _due(card["due"], filename, f"{where}.due", tz)
        notes = [text_field(card, "desc", filename, where)] + checklists.get(card_id, [])
        if any(notes):
            fields["notes"] = "\n\n".join(n for n in notes if n)
        if isinstance(card.get("pos"), (int, float)):
            fields["position"] = float(card["pos"])
        created = _created(card_id)
        if created is not None:
            fields["created"] = created
        if card.get("dateLastActivity"):
            fields["updated"] = _instant(card["dateLastActivity"], filename, f"{where}.dateLastActivity")
        builder.task(client, board, title, source_id=card_id, **fields)
    out.document = builder.document()
    return out
