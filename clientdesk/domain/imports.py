"""Importing another tool's export: the translated document is matched against the desk, summarised, then
written by the interchange importer in one transaction (or only summarised, for --dry-run).

Matching, before anything is written: clients and projects by name key
(so "ACME " is the existing "Acme"), tasks that time is logged on by title
within their project; rows that carry a source id the desk already holds
(an earlier import of the same export) are dropped, so importing twice adds
nothing. The summary says what will be created, what was skipped and why.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from clientdesk.domain.interchange import import_data
from clientdesk.domain.names import name_key
from clientdesk.importers import INTERCHANGE, Translation
from clientdesk.identity import current_user
from clientdesk.models import Client, Project, Task, TimeEntry, Timer, database


@dataclass
class ImportReport:
    """What an import creates (or created) and what it left out, for the before and after summaries."""

    format: str
    rows: int = 0
    clients: list[str] = field(default_factory=list)  # new clients, by name
    projects: int = 0
    tasks: int = 0
    entries: int = 0
    minutes: int = 0
    already: int = 0  # rows an earlier import brought in
    skipped: Counter = field(default_factory=Counter)  # reason -> rows the source had that are left out
    notes: list[str] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0
    interchange: str = ""  # the interchange importer's own summary (interchange JSON files)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def lines(self) -> list[str]:
        verb = "created" if self.written else "to create"
        if self.format == INTERCHANGE:
            return [f"{verb}: {self.interchange}"]
        from clientdesk.importers import FORMATS

        parts = []
        if self.clients:
            shown = ", ".join(self.clients[:5]) + (f" and {len(self.clients) - 5} more" if len(self.clients) > 5 else "")
            parts.append(f"{len(self.clients)} client{'s' if len(self.clients) != 1 else ''} ({shown})")
        if self.projects:
            parts.append(f"{self.projects} project{'s' if self.projects != 1 else ''}")
        if self.tasks:
            parts.append(f"{self.tasks} task{'s' if self.tasks != 1 else ''}")
        if self.entries:
            parts.append(f"{self.entries} time entr{'y' if self.entries == 1 else 'ies'} ({self.hours:.2f} h)")
        counts = ", ".join(parts)
        nothing = not parts
        out = [
            f"{FORMATS.get(self.format, self.format)}, {self.rows} record{'s' if self.rows != 1 else ''}",
            f"{verb}: nothing new" if nothing else f"{verb}: {counts}",
        ]
        if self.already:
            out.append(f"skipped: {self.already} already imported")
        for reason, n in sorted(self.skipped.items()):
            out.append(f"skipped: {n} {reason}")
        out.extend(f"note: {n}" for n in self.notes)
        return out


def _existing_clients() -> dict[str, str]:
    return {name_key(n): n for (n,) in database.execute(Client.select(Client.name))}


def _existing_projects(names: list[str]) -> dict[str, dict[str, tuple[int, str]]]:
    """client name -> project key -> (project id, name), for the clients the file names that exist."""
    out: dict[str, dict[str, tuple[int, str]]] = {}
    if not names:
        return out
    q = Project.select(Project.id, Project.name, Client.name).join(Client).where(Client.name.in_(names))
    for pid, pname, cname in database.execute(q):
        out.setdefault(cname, {})[name_key(pname)] = (pid, pname)
    return out


def _existing_task_titles(project_ids: list[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    if not project_ids:
        return out
    for pid, title in database.execute(Task.select(Task.project, Task.title).where(Task.project.in_(project_ids))):
        out.setdefault(pid, {}).setdefault(name_key(title), title)
    return out


def _source_ids(model, source: str) -> set[str]:
    return {sid for (sid,) in database.execute(model.select(model.source_id).where(model.source == source))}


def _resolve(doc: dict, source: str, report: ImportReport) -> dict:
    """The document matched against the desk: existing names spelt as stored, known rows dropped."""
    clients_by_key = _existing_clients()
    renamed: dict[str, str] = {}  # the file's client name -> the desk's
    existing_names = []
    for c in doc.get("clients", []):
        stored = clients_by_key.get(name_key(c["name"]))
        if stored is not None:
            renamed[c["name"]] = stored
            existing_names.append(stored)
    projects_by_client = _existing_projects(existing_names)
    project_ids = [pid for ps in projects_by_client.values() for pid, _ in ps.values()]
    titles = _existing_task_titles(project_ids)
    known_tasks = _source_ids(Task, source)
    project_renamed: dict[tuple[str, str], str] = {}
    task_renamed: dict[tuple[str, str, str], str] = {}
    clients_out = []
    for c in doc.get("clients", []):
        stored = renamed.get(c["name"])
        record = {"name": stored} if stored else dict(c)
        if not stored:
            report.clients.append(c["name"])
        existing_projects = projects_by_client.get(stored, {}) if stored else {}
        projects_out = []
        for p in c.get("projects", []):
            found = existing_projects.get(name_key(p["name"]))
            prec = {"name": found[1]} if found else {k: v for k, v in p.items() if k != "tasks"}
            if found:
                project_renamed[(c["name"], p["name"])] = found[1]
            else:
                report.projects += 1
            known_titles = titles.get(found[0], {}) if found else {}
            tasks_out = []
            for t in p.get("tasks", []):
                if t.get("source_id") is not None:
                    if t["source_id"] in known_tasks:
                        report.already += 1
                        continue
                elif name_key(t["title"]) in known_titles:
                    task_renamed[(c["name"], p["name"], t["title"])] = known_titles[name_key(t["title"])]
                    continue
                tasks_out.append(t)
            report.tasks += len(tasks_out)
            prec["tasks"] = tasks_out
            projects_out.append(prec)
        record["projects"] = projects_out
        clients_out.append(record)
    known_entries = _source_ids(TimeEntry, source) if doc.get("time_entries") else set()
    entries_out = []
    for e in doc.get("time_entries", []):
        if e.get("source_id") in known_entries:
            report.already += 1
            continue
        client, project, task = e["client"], e.get("project"), e.get("task")
        e = dict(e, client=renamed.get(client, client))
        if project is not None:
            e["project"] = project_renamed.get((client, project), project)
            if task is not None:
                e["task"] = task_renamed.get((client, project, task), task)
        entries_out.append(e)
        report.minutes += e["minutes"]
    report.entries = len(entries_out)
    out = {"version": doc["version"], "clients": clients_out}
    if entries_out:
        out["time_entries"] = entries_out
    return out


def _utc_text(iso: str) -> str:
    moment = _dt.datetime.fromisoformat(iso)
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _running_timers(translation: Translation, doc: dict, report: ImportReport) -> Callable[[], None]:
    """What to do with the source's open intervals, said in the report; returns the writes, run after the import.

    The latest open interval becomes the running timer of whoever is at the
    keyboard, unless a timer already runs. A timer an earlier import started
    is stopped when the source has since closed that interval (its entry is
    in this file), so the time is never counted twice.
    """
    person = current_user()
    mine = Timer.get_or_none(Timer.person == person)
    mine_started = mine.started.strftime("%Y-%m-%dT%H:%M:%S") if mine is not None else None
    writes: list[Callable[[], None]] = []
    if mine is not None:
        closed = any(_utc_text(e["start"]) == mine_started for e in doc.get("time_entries", []))
        if closed:
            report.notes.append(f"the running timer imported earlier was stopped in {translation.format}: "
                                "its entry is imported, the timer removed")
            stale = mine.id
            writes.append(lambda: Timer.delete().where(Timer.id == stale).execute())
            mine = None
    if translation.running:
        latest = max(translation.running, key=lambda t: t.started)
        client = _existing_clients().get(name_key(latest.client), latest.client)
        when = _utc_text(latest.started)
        if mine is not None and mine_started == when:
            report.notes.append(f"the interval running since {latest.started} is already your running timer")
        elif mine is not None:
            report.skipped["interval still running (a timer of yours already runs)"] += 1
        else:
            report.notes.append(f"the interval running since {latest.started} ({client}"
                                f"{': ' + latest.project if latest.project else ''}) becomes your running timer")

            def start() -> None:
                cid = Client.select(Client.id).where(Client.name == client).scalar()
                Timer.create(person=person, client=cid, task=None, started=when)

            writes.append(start)
        if len(translation.running) > 1:
            report.skipped["older interval still running (only the latest can be a timer)"] += len(translation.running) - 1

    def run() -> None:
        for write in writes:
            write()

    return run


def import_translation(translation: Translation, *, dry_run: bool = False, merge: bool = False,
                       progress: Callable[[int, int], None] | None = None,
                       before: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Match, summarise and (unless `dry_run`) write one translated file, all or nothing.

    `merge` applies to interchange JSON only (existing clients updated in
    place); another tool's export always joins the clients and projects it
    names. `before` is called with the summary once the file is matched
    against the desk, before anything is written.
    """
    report = ImportReport(translation.format, rows=translation.rows, skipped=Counter(translation.skipped),
                          notes=list(translation.notes))
    if translation.format == INTERCHANGE:
        summary = import_data(translation.document, merge=merge, progress=progress, dry_run=dry_run)
        report.interchange, report.written, report.seconds = str(summary), not dry_run, summary.seconds
        return report
    with database.atomic():
        doc = _resolve(translation.document, translation.format, report)
        timers = _running_timers(translation, doc, report)
        if before is not None:
            before(report)
        summary = import_data(doc, merge=True, progress=progress, dry_run=dry_run)
        if not dry_run:
            timers()
    report.written = not dry_run
    report.seconds = summary.seconds
    return report


__all__ = ["ImportReport", "import_translation"]
