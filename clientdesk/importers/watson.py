"""Watson: its frames file (`~/.config/watson/frames`: `[start, stop, project, id, [tags], updated]`, Unix
seconds) and `watson log --json` (objects with ISO 8601 `start`/`stop`).

Each frame keeps Watson's own id. Watson has no clients: a project's client
comes from --map PROJECT=CLIENT, else --client. Tags go into the note.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from clientdesk.importers.base import (
    DocumentBuilder,
    ImportOptions,
    SourceError,
    Translation,
    clientless,
    tag_list,
    text_field,
    zone,
)

NAME = "watson"
LABEL = "Watson (frames file or watson log --json)"
KIND = "json"


def _is_frame(item: Any) -> bool:
    return isinstance(item, list) and len(item) >= 4 and isinstance(item[0], (int, float)) and isinstance(item[2], str)


def _is_log(item: Any) -> bool:
    return isinstance(item, dict) and {"project", "start", "stop"} <= set(item) and "id" in item


def recognises(data: Any) -> bool:
    if not isinstance(data, list) or not data:
        return False
    sample = data[:20]
    return all(_is_frame(i) for i in sample) or all(_is_log(i) for i in sample)


def _instant(value: Any, filename: str, where: str) -> _dt.datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _dt.datetime.fromtimestamp(value, tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass
    elif isinstance(value, str):
        try:
            moment = _dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise SourceError(filename, where, f"not a date and time: {value!r}")


def _frames(data: list, filename: str):
    """(where, start, stop, project, id, tags, note) for every frame, either shape."""
    for i, item in enumerate(data):
        where = f"[{i}]"
        if isinstance(item, list):
            if not _is_frame(item) or len(item) > 6:
                raise SourceError(filename, where, "not a Watson frame [start, stop, project, id, [tags], updated]")
            tags = item[4] if len(item) > 4 else []
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise SourceError(filename, f"{where}[4]", "not a list of tags")
            if not isinstance(item[3], str) or not item[3]:
                raise SourceError(filename, f"{where}[3]", f"not a frame id: {item[3]!r}")
            yield (where, _instant(item[0], filename, f"{where}[0]"), _instant(item[1], filename, f"{where}[1]"),
                   item[2].strip(), item[3], ["-".join(t.split()) for t in tags if t.strip()], "")
        elif isinstance(item, dict):
            yield (where, _instant(item.get("start"), filename, f"{where}.start"),
                   _instant(item.get("stop"), filename, f"{where}.stop"),
                   text_field(item, "project", filename, where, required=True),
                   str(item.get("id") or "") or None, tag_list(item, "tags", filename, where),
                   text_field(item, "message", filename, where))
        else:
            raise SourceError(filename, where, "not a Watson frame")


def translate(data: Any, filename: str, options: ImportOptions) -> Translation:
    if not isinstance(data, list):
        raise SourceError(filename, "", "not Watson frames (expected a JSON array)")
    tz = zone(options.timezone, filename)
    builder = DocumentBuilder(NAME, options.timezone)
    out = Translation(NAME, {})
    for where, start, stop, project, frame_id, tags, message in _frames(data, filename):
        out.rows += 1
        if not frame_id:
            raise SourceError(filename, f"{where}.id", "missing")
        if stop < start:
            raise SourceError(filename, f"{where}.stop", "before the start")
        client = clientless(project, options, filename, where, "Watson")
        minutes = int(round((stop - start).total_seconds() / 60))
        note = " ".join([message] + [f"#{t}" for t in tags]).strip()
        builder.entry(client, project or None, None, start.astimezone(tz).isoformat(), minutes, frame_id, note=note)
    out.document = builder.document()
    out.notes = builder.notes()
    return out
