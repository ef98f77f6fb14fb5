"""What every importer shares: options, the translation it returns, errors that name the place, and readers
for the CSV, date, time and number spellings the source tools write.

An importer is a pure function from the file's text to a `Translation`: one
interchange document (clientdesk/domain/interchange.py), plus what it
assumed and what it left out. It never touches the database.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clientdesk.domain.errors import InputError
from clientdesk.domain.names import name_key
from clientdesk.safe_text import terminal_safe

TASK_STATUSES = ("backlog", "todo", "doing", "review", "done")


class SourceError(InputError):
    """Bad input in a source file: one line naming the file, the line or JSON path, and the field."""

    def __init__(self, filename: str, where: str, reason: str):
        place = f"{filename}:{where}" if where else filename
        super().__init__(terminal_safe(f"{place}: {reason}", newlines=False))


@dataclass(frozen=True)
class ImportOptions:
    """What the command line adds to a file: the client for sources without one, the zone of local times,
    and `--map FROM=TO` pairs (a project to a client, or a Trello list to a status)."""

    client: str | None = None
    timezone: str = "UTC"
    mapping: tuple[tuple[str, str], ...] = ()

    def mapped(self, name: str) -> str | None:
        """The --map target of `name` (compared by name key), else None."""
        key = name_key(name)
        for src, dst in self.mapping:
            if name_key(src) == key:
                return dst
        return None


@dataclass(frozen=True)
class RunningTimer:
    """An interval the source still has open (no end): a timer that is running."""

    client: str
    project: str | None
    started: str  # ISO 8601 with offset
    note: str


@dataclass
class Translation:
    """One source file as clientdesk sees it."""

    format: str  # the importer's name
    document: dict[str, Any]  # interchange JSON, version 1
    notes: list[str] = field(default_factory=list)  # assumptions the user should know ("dates read as MM/DD/YYYY")
    skipped: Counter = field(default_factory=Counter)  # reason -> rows left out
    running: list[RunningTimer] = field(default_factory=list)
    rows: int = 0  # records read from the file


def stable_id(*parts: Any) -> str:
    """A short, stable id from a row's fields, for sources whose rows have no id of their own."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


class Occurrences:
    """Numbers identical rows (#2, #3...) so that each keeps its own stable id, the same on every import."""

    def __init__(self) -> None:
        self.seen: Counter = Counter()

    def __call__(self, base: str) -> str:
        self.seen[base] += 1
        n = self.seen[base]
        return base if n == 1 else f"{base}#{n}"


def zone(name: str, filename: str = "", option: str = "--timezone"):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(filename, "", f"{option}: unknown time zone: {name}") from None


def iso_local(moment: _dt.datetime, tz) -> str:
    """A naive local date and time in `tz` -> ISO 8601 with its offset."""
    return moment.replace(tzinfo=tz).isoformat()


# ---------------------------------------------------------------- CSV


@dataclass
class CsvRow:
    line: int  # the file line the record starts on
    values: dict[str, str]  # canonical column name -> cell text (stripped)

    def get(self, name: str) -> str:
        return self.values.get(name, "")


def decode(data: bytes, filename: str) -> str:
    """Bytes -> text: UTF-8 with or without a BOM (Excel writes one), else a clear error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(filename, "", f"not UTF-8 text (byte {exc.start}); export the file as UTF-8") from None


def csv_header(text: str) -> list[str]:
    """The first record's cells, for recognising a CSV by its columns."""
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []
    return [c.strip() for c in first]


def norm_header(name: str) -> str:
    return " ".join(name.strip().casefold().split())


def read_csv(text: str, filename: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
             patterns: dict[str, str] | None = None) -> tuple[list[CsvRow], dict[str, str]]:
    """Rows of a CSV with a header, columns found by name in any order.

    `columns` maps a canonical name to the header spellings it goes by;
    `patterns` maps one to a regular expression over the header (for
    "Amount (USD)"), whose first group is returned in the second value.
    A missing required column, a record cut short or an unclosed quote is
    a SourceError naming the line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(filename, "", "the file is empty") from None
    except csv.Error as exc:
        raise SourceError(filename, "1", f"not a CSV header: {exc}") from None
    spelled = {norm_header(h): i for i, h in enumerate(header)}
    index: dict[str, int] = {}
    extras: dict[str, str] = {}
    for canon, names in columns.items():
        for n in names:
            if norm_header(n) in spelled:
                index[canon] = spelled[norm_header(n)]
                break
    for canon, pattern in (patterns or {}).items():
        for i, h in enumerate(header):
            m = re.fullmatch(pattern, norm_header(h), flags=re.IGNORECASE)
            if m and canon not in index:
                index[canon] = i
                extras[canon] = m.group(1).upper() if m.groups() else ""
    for canon in required:
        if canon not in index:
            raise SourceError(filename, "1", f"missing column: {columns[canon][0]}")
    rows: list[CsvRow] = []
    width = len(header)
    start = 2
    try:
        for record in reader:
            if not record or all(not c.strip() for c in record):
                start = reader.line_num + 1
                continue
            if len(record) < width:
                raise SourceError(filename, str(start), f"record cut short ({len(record)} of {width} columns)")
            rows.append(CsvRow(start, {c: record[i].strip() for c, i in index.items()}))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(filename, str(start), f"broken CSV: {exc}") from None
    return rows, extras


# ---------------------------------------------------------------- dates, times, numbers

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")


class DateReader:
    """Reads one column's dates: ISO, or slashed (MM/DD/YYYY unless a day above 12 shows DD/MM/YYYY).

    The order of slashed dates is decided from the whole column before any
    is read, and `assumption` says which one was taken, for the summary.
    """

    def __init__(self, samples: list[str]):
        self.day_first = False
        self.assumption: str | None = None
        self._seen: dict[str, _dt.date] = {}  # a file repeats its dates: read each once
        slashed = [m for m in (_SLASH_DATE.match(s.strip()) for s in samples if s) if m]
        if not slashed:
            return
        dotted = any("." in m.group(0) for m in slashed)
        first_big = any(int(m.group(1)) > 12 for m in slashed)
        second_big = any(int(m.group(2)) > 12 for m in slashed)
        if dotted or (first_big and not second_big):
            self.day_first = True
            self.assumption = "dates read as DD/MM/YYYY" + ("" if first_big or dotted else " (no day above 12 told them apart)")
        else:
            proof = "" if second_big else " (no day above 12 told them apart; the US order was assumed)"
            self.assumption = "dates read as MM/DD/YYYY" + proof

    def __call__(self, text: str, filename: str, line: int, column: str) -> _dt.date:
        known = self._seen.get(text)
        if known is not None:
            return known
        day = self._read(text.strip(), filename, line, column)
        self._seen[text] = day
        return day

    def _read(self, text: str, filename: str, line: int, column: str) -> _dt.date:
        m = _ISO_DATE.match(text)
        try:
            if m:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            m = _SLASH_DATE.match(text)
            if m:
                a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
                return _dt.date(y, b, a) if self.day_first else _dt.date(y, a, b)
        except ValueError:
            pass
        raise SourceError(filename, str(line), f"{column}: not a date: {text!r}")


_TIMES: dict[str, _dt.time] = {}


def parse_time(text: str, filename: str, line: int, column: str) -> _dt.time:
    """'14:05', '14:05:09', '10:23 AM', '11:23:01 PM'."""
    known = _TIMES.get(text)
    if known is not None:
        return known
    value = _read_time(text, filename, line, column)
    if len(_TIMES) < 100_000:
        _TIMES[text] = value
    return value


def _read_time(text: str, filename: str, line: int, column: str) -> _dt.time:
    m = _TIME.match(text.strip())
    if m:
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        half = (m.group(4) or "").lower()
        if half:
            if not 1 <= hour <= 12:
                m = None
            else:
                hour = hour % 12 + (12 if half == "pm" else 0)
        if m and hour < 24 and minute < 60 and second < 60:
            return _dt.time(hour, minute, second)
    raise SourceError(filename, str(line), f"{column}: not a time of day: {text!r}")


_HMS = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")


def parse_hms(text: str, filename: str, line: int, column: str) -> int:
    """'1:30:00' or '01:30' -> seconds."""
    m = _HMS.match(text.strip())
    if not m:
        raise SourceError(filename, str(line), f"{column}: not a duration (H:MM:SS): {text!r}")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)


_GROUPING = "\u00a0\u202f\u2019' "  # thousands separators: no-break spaces (fr), apostrophes (de-CH), space
_NUMBER = re.compile(rf"^[+-]?[\d.,{_GROUPING}]*\d[\d.,{_GROUPING}]*$")


_NO_GROUPING = str.maketrans("", "", _GROUPING)


def parse_decimal(text: str, filename: str, line: int, column: str) -> float:
    """A number as spreadsheets in any locale write it: '1.5', '1,5', '2.000,0', '1,234.50', '1 234,5'."""
    raw = text.strip()
    if not raw or not _NUMBER.match(raw):
        raise SourceError(filename, str(line), f"{column}: not a number: {text!r}")
    s = raw.translate(_NO_GROUPING)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        s = s.replace(thousands, "").replace(decimal, ".")
    elif "," in s:
        s = s.replace(",", ".") if s.count(",") == 1 else s.replace(",", "")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        raise SourceError(filename, str(line), f"{column}: not a number: {text!r}") from None


def minutes_of(seconds: float) -> int:
    return int(round(seconds / 60))


def tags_of(text: str) -> list[str]:
    """'dev, review' or 'dev review' -> tags (clientdesk's tags have no spaces)."""
    parts = re.split(r"[,;]", text) if ("," in text or ";" in text) else text.split()
    return ["-".join(p.split()) for p in parts if p.strip()]


# ---------------------------------------------------------------- the document


class DocumentBuilder:
    """Builds one interchange document: clients and projects by name (first spelling wins), their tasks,
    and time entries, each row carrying the source's name and its id there."""

    def __init__(self, source: str, timezone: str):
        self.source = source
        self.timezone = timezone
        self.clients: dict[str, dict] = {}
        self.projects: dict[tuple[str, str], dict] = {}
        self.tasks: dict[tuple[str, str, str], dict] = {}
        self.entries: list[dict] = []
        self.untasked = 0  # entries with a project but no task
        self.logged_tasks = 0  # tasks made to carry logged time
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        """name_key, remembered: a file names the same few clients and projects on every row."""
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = name_key(name)
        return found

    def client(self, name: str) -> dict:
        key = self.key(name)
        if key not in self.clients:
            self.clients[key] = {"name": name.strip(), "timezone": self.timezone, "projects": []}
        return self.clients[key]

    def project(self, client: str, name: str) -> dict:
        c = self.client(client)
        key = (self.key(client), self.key(name))
        if key not in self.projects:
            p = {"name": name.strip(), "tasks": []}
            c["projects"].append(p)
            self.projects[key] = p
        return self.projects[key]

    def task(self, client: str, project: str, title: str, source_id: str | None = None, **fields) -> dict:
        """A task under its project.

        With a `source_id` (a Trello card, a Taskwarrior uuid) it is that row of
        the source. Without one it is a task that time is logged on (Toggl's
        Task column): matched by title in its project, created when missing.
        """
        p = self.project(client, project)
        key = (self.key(client), self.key(project), source_id or "title:" + self.key(title))
        if key not in self.tasks:
            t = {"title": title.strip(), **{k: v for k, v in fields.items() if v is not None}}
            if source_id:
                t["source"], t["source_id"] = self.source, source_id
            p["tasks"].append(t)
            self.tasks[key] = t
        return self.tasks[key]

    def entry(self, client: str, project: str | None, task: str | None, start: str, minutes: int, source_id: str,
              **fields) -> None:
        """A time entry, on its task when it has one (a task is named only with its project).

        clientdesk's entries hang on a client and a task, not a project: an
        entry with a project and no task keeps the project in its note. A task
        made to carry logged time is history, not a to-do: it is done, created
        at its first entry and completed at the end of its last.
        """
        e: dict[str, Any] = {"client": self.client(client)["name"]}
        note = fields.pop("note", None) or ""
        if project:
            e["project"] = self.project(client, project)["name"]
            if task:
                t = self.task(client, project, task)
                e["task"] = t["title"]
                begin = _dt.datetime.fromisoformat(start)
                finish = (begin + _dt.timedelta(minutes=minutes)).isoformat()
                if "created" not in t:
                    t.update(status="done", created=start, completed=finish, _begin=begin, _finish=finish)
                    self.logged_tasks += 1
                else:
                    if begin < t["_begin"]:
                        t["_begin"], t["created"] = begin, start
                    if _dt.datetime.fromisoformat(finish) > _dt.datetime.fromisoformat(t["_finish"]):
                        t["_finish"] = t["completed"] = finish
            else:
                note = f"[{project.strip()}] {note}".strip()
                self.untasked += 1
        e.update({"start": start, "minutes": minutes, "note": note})
        e.update({k: v for k, v in fields.items() if v is not None})
        e["source"], e["source_id"] = self.source, source_id
        self.entries.append(e)

    def notes(self) -> list[str]:
        out = []
        if self.untasked:
            out.append(f"{self.untasked} entr{'y has' if self.untasked == 1 else 'ies have'} a project but no task: "
                       "logged on the client, the project kept at the start of the note")
        if self.logged_tasks:
            out.append("a task created to carry logged time is done (completed at its last entry), so old work "
                       "stays out of Today and fill my week; < reopens one")
        return out

    def document(self) -> dict:
        for t in self.tasks.values():
            t.pop("_begin", None)
            t.pop("_finish", None)
        doc: dict[str, Any] = {"version": 1, "clients": list(self.clients.values())}
        if self.entries:
            doc["time_entries"] = self.entries
        return doc


def iter_json_items(data: Any, filename: str, what: str) -> Iterator[tuple[int, dict]]:
    """(index, object) for a JSON array of objects; anything else is a SourceError naming the path."""
    if not isinstance(data, list):
        raise SourceError(filename, "", f"not a {what} (expected a JSON array)")
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise SourceError(filename, f"[{i}]", f"not an object in a {what}")
        yield i, item


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def parse_compact_utc(value: Any, filename: str, where: str) -> _dt.datetime:
    """'20261102T080000Z' (Timewarrior, Taskwarrior) -> an aware UTC datetime."""
    m = _COMPACT.match(value) if isinstance(value, str) else None
    if m:
        try:
            return _dt.datetime(*(int(g) for g in m.groups()), tzinfo=_dt.timezone.utc)
        except ValueError:
            pass
    raise SourceError(filename, where, f"not a date and time (YYYYMMDDTHHMMSSZ): {value!r}")


def text_field(item: dict, key: str, filename: str, where: str, *, required: bool = False) -> str:
    """A JSON text field ('' when absent, unless required)."""
    value = item.get(key)
    if value is None:
        if required:
            raise SourceError(filename, f"{where}.{key}", "missing")
        return ""
    if not isinstance(value, str):
        raise SourceError(filename, f"{where}.{key}", f"not a text: {value!r}")
    return value.strip()


def tag_list(item: dict, key: str, filename: str, where: str) -> list[str]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise SourceError(filename, f"{where}.{key}", "not a list of texts")
    return ["-".join(t.split()) for t in value if t.strip()]


def clientless(project: str, options: ImportOptions, filename: str, where: str, source_label: str) -> str:
    """The client of a project from a source that has no clients: --map PROJECT=CLIENT, else --client."""
    mapped = options.mapped(project) if project else None
    if mapped is None and project and "." in project:  # Taskwarrior's "Acme.Website": map the top level
        mapped = options.mapped(project.split(".", 1)[0])
    if mapped:
        return mapped
    if options.client:
        return options.client
    shown = f" (project {project!r})" if project else ""
    raise SourceError(filename, where, f"{source_label} has no clients{shown}: give --client NAME or --map PROJECT=CLIENT")
