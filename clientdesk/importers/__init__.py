"""Bring your data: recognise a file's format by its content and hand it to the one module that reads it.

Each source has its own module here (`toggl`, `clockify`, `harvest`,
`timewarrior`, `watson`, `taskwarrior`, `trello`), a pure translation of
the tool's export into one interchange document; `ical` reads a calendar
as busy time. Nothing here touches the database: domain/imports.py does,
all or nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

from clientdesk.importers import clockify, harvest, ical, taskwarrior, timewarrior, toggl, trello, watson
from clientdesk.importers.base import ImportOptions, SourceError, Translation, csv_header, decode
from clientdesk.importers.ical import CalendarTranslation

INTERCHANGE = "json"
SOURCES: tuple[ModuleType, ...] = (toggl, clockify, harvest, timewarrior, watson, taskwarrior, trello)
FORMATS: dict[str, str] = {
    INTERCHANGE: "clientdesk interchange JSON",
    **{m.NAME: m.LABEL for m in SOURCES},
    ical.NAME: ical.LABEL,
}


def known_formats() -> str:
    return ", ".join(FORMATS)


def read_text(path: str | Path) -> str:
    """The file as text (UTF-8, BOM dropped), read as a bounded stream (a pipe or `/dev/zero` ends in
    one line, not in memory running out); a missing or unreadable file is one clear line."""
    from clientdesk.input_file import read_input

    data = read_input(path)
    text = decode(data, str(path))
    if not text.strip():
        raise SourceError(str(path), "", "the file is empty")
    return text


def _json(text: str, filename: str) -> Any:
    from clientdesk.input_file import JsonLimit, loads

    try:
        return loads(text)  # numbers and nesting bounded
    except json.JSONDecodeError as exc:
        raise SourceError(filename, f"{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}") from None
    except JsonLimit as exc:
        raise SourceError(filename, "", str(exc)) from None


def detect(text: str, filename: str) -> tuple[str, Any]:
    """(format name, parsed JSON or None) from the content alone; an unknown file names the known formats."""
    if ical.recognises(text):
        return ical.NAME, None
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        data = _json(text, filename)
        if isinstance(data, dict) and "version" in data and "clients" in data or (
            isinstance(data, dict) and data.get("version") == 1
        ):
            return INTERCHANGE, data
        for module in SOURCES:
            if module.KIND == "json" and module.recognises(data):
                return module.NAME, data
        if data == []:
            raise SourceError(filename, "", "an empty JSON array: nothing to import")
        raise SourceError(filename, "", f"JSON of no shape clientdesk knows (formats: {known_formats()}; "
                                        "--from NAME forces one)")
    header = csv_header(text)
    for module in SOURCES:
        if module.KIND == "csv" and module.recognises(header):
            return module.NAME, None
    raise SourceError(filename, "", f"not a format clientdesk knows (formats: {known_formats()}; --from NAME forces one)")


def translate(path: str | Path, options: ImportOptions, fmt: str | None = None, *, today=None
              ) -> Translation | CalendarTranslation:
    """Read `path` and translate it (format recognised, or forced by `fmt`)."""
    filename = str(path)
    text = read_text(path)
    data = None
    if fmt is None:
        fmt, data = detect(text, filename)
    elif fmt not in FORMATS:
        raise SourceError(filename, "", f"--from: unknown format {fmt!r} (formats: {known_formats()})")
    if fmt == ical.NAME:
        import datetime as _dt

        return ical.translate(text, filename, options, today=today or _dt.date.today())
    module = next((m for m in SOURCES if m.NAME == fmt), None)
    if fmt == INTERCHANGE or (module is not None and module.KIND == "json"):
        if data is None:
            data = _json(text, filename)
        if fmt == INTERCHANGE:
            return Translation(INTERCHANGE, data)
        return module.translate(data, filename, options)
    return module.translate(text, filename, options)


__all__ = ["FORMATS", "INTERCHANGE", "ImportOptions", "SourceError", "Translation", "CalendarTranslation",
           "detect", "known_formats", "read_text", "translate"]
