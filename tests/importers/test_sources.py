"""Every source's export, shaped as the tool writes it, imported into a real desk: what lands where,
a second import that adds nothing, and a broken file that writes nothing."""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from clientdesk.domain.imports import import_translation
from clientdesk.importers import ImportOptions, SourceError, detect, read_text, translate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "importers"
PARIS = "Europe/Paris"

# file, options, (format, clients, projects, tasks, entries)
CASES = [
    ("toggl_detailed.csv", {}, ("toggl", 3, 3, 2, 5)),
    ("clockify_detailed.csv", {}, ("clockify", 2, 2, 2, 3)),
    ("harvest_time_report.csv", {}, ("harvest", 2, 2, 3, 3)),
    ("timew_export.json", {"mapping": (("website", "Acme Corp"),), "client": "Globex"}, ("timewarrior", 2, 2, 0, 2)),
    ("watson_frames", {"client": "Globex"}, ("watson", 1, 2, 0, 2)),
    ("watson_log.json", {"client": "Globex"}, ("watson", 1, 2, 0, 2)),
    ("task_export.json", {"mapping": (("Acme", "Acme Corp"),), "client": "Home"}, ("taskwarrior", 2, 2, 4, 0)),
    ("trello_board.json", {"client": "Acme Corp", "mapping": (("Waiting on client", "review"),)},
     ("trello", 1, 1, 4, 0)),
]


def counts(path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("client", "project", "task", "time_entry", "busy_time")}
    finally:
        con.close()


def rows(path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def run(name_or_path, **opts):
    options = ImportOptions(timezone=PARIS, **opts)
    path = name_or_path if isinstance(name_or_path, Path) else FIXTURES / name_or_path
    return import_translation(translate(path, options))


@pytest.mark.parametrize("name, opts, expected", CASES, ids=[c[0] for c in CASES])
def test_import_then_again_adds_nothing(db, db_path, name, opts, expected):
    fmt, n_clients, n_projects, n_tasks, n_entries = expected
    assert detect(read_text(FIXTURES / name), name)[0] == fmt
    report = run(name, **opts)
    assert report.written
    got = counts(db_path)
    assert (got["client"], got["project"], got["task"], got["time_entry"]) == (n_clients, n_projects, n_tasks, n_entries)
    assert report.entries == n_entries and report.tasks == n_tasks
    again = run(name, **opts)
    assert counts(db_path) == got
    assert again.entries == 0 and again.tasks == 0 and again.projects == 0 and not again.clients
    assert again.already == n_entries + sum(1 for _ in rows(db_path, "SELECT 1 FROM task WHERE source_id IS NOT NULL"))
    assert "nothing new" in again.lines()[1]


def test_toggl_fields(db, db_path):
    report = run("toggl_detailed.csv")
    entries = rows(db_path, "SELECT c.name, t.title, e.start, e.minutes, e.billable, e.note, e.source FROM time_entry e "
                            "JOIN client c ON c.id = e.client_id LEFT JOIN task t ON t.id = e.task_id ORDER BY e.start")
    # local Paris times (UTC+1 in November) stored in UTC; BOM gone from the first column
    assert entries[0] == ("Acme Corp", "Design", "2026-11-16T08:00:00", 90, 1, "Homepage, hero #dev #ui", "toggl")
    assert entries[1] == ("Acme Corp", None, "2026-11-16T09:30:00", 15, 0, "[Website] Standup", "toggl")
    assert entries[2][1:5] == ("Code review", "2026-11-17T13:00:00", 180, 1)
    assert entries[2][5] == 'Review "legacy" code'
    assert entries[3][2:4] == ("2026-11-18T22:30:00", 60)  # runs past midnight
    # a 10-second entry without a client: kept, as 0 minutes, under "No client" (the summary says so)
    assert entries[4] == ("No client", None, "2026-11-19T07:00:00", 0, 0, "[Internal] Admin", "toggl")
    assert any("'No client'" in n for n in report.notes) and not report.skipped
    assert report.minutes == 90 + 15 + 180 + 60
    # the tasks made to carry the time are history: done, from the first entry to the end of the last
    tasks = rows(db_path, "SELECT title, status, created, completed FROM task ORDER BY title")
    assert tasks == [("Code review", "done", "2026-11-17T13:00:00", "2026-11-18T23:30:00"),
                     ("Design", "done", "2026-11-16T08:00:00", "2026-11-16T09:30:00")]


def test_toggl_without_amount_column_and_another_timezone(db, db_path, tmp_path):
    text = (FIXTURES / "toggl_detailed.csv").read_bytes().decode("utf-8-sig")
    lines = [",".join(line.split(",")[:-1]) if i == 0 else line.rsplit(",", 1)[0] for i, line in enumerate(text.splitlines())]
    path = tmp_path / "toggl.csv"
    path.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    options = ImportOptions(timezone="America/New_York")
    import_translation(translate(path, options))
    assert rows(db_path, "SELECT start, minutes FROM time_entry") == [("2026-11-16T14:00:00", 90)]


def test_clockify_us_dates_and_12_hour_times(db, db_path):
    report = run("clockify_detailed.csv")
    assert any("MM/DD/YYYY" in n for n in report.notes)
    got = rows(db_path, "SELECT start, minutes, billable FROM time_entry ORDER BY start")
    assert got == [("2026-11-16T08:05:00", 90, 1), ("2026-11-16T12:00:00", 20, 0), ("2026-11-17T22:23:01", 60, 1)]


def test_clockify_day_first_dates_are_told_apart(tmp_path):
    text = (FIXTURES / "clockify_detailed.csv").read_text().replace("11/17/2026", "17/11/2026").replace(
        "11/16/2026", "16/11/2026").replace("11/18/2026", "18/11/2026")
    path = tmp_path / "c.csv"
    path.write_text(text)
    t = translate(path, ImportOptions(timezone=PARIS))
    assert t.notes[0] == "dates read as DD/MM/YYYY"
    assert t.document["time_entries"][0]["start"].startswith("2026-11-16T09:05")


def test_harvest_decimal_commas_and_invoiced(db, db_path):
    run("harvest_time_report.csv")
    got = rows(db_path, "SELECT start, minutes, billable, invoiced, note FROM time_entry ORDER BY id")
    assert got[0] == ("2026-11-16T08:00:00", 150, 1, 1, "Hero, variants")
    assert got[1] == ("2026-11-16T10:30:00", 75, 1, 0, "")  # laid after the first entry of the day
    assert got[2][1] == 2000 * 60 and got[2][2] == 0


def test_timewarrior_open_interval_is_said_and_tags_kept(db, db_path):
    report = run("timew_export.json", mapping=(("website", "Acme Corp"),), client="Globex")
    assert any("running since 2026-11-23T10:00:00+01:00 (Acme Corp: website) becomes your running timer" in n
               for n in report.notes)
    got = rows(db_path, "SELECT c.name, e.start, e.minutes, e.note FROM time_entry e JOIN client c ON c.id = e.client_id "
                        "ORDER BY e.start")
    assert got == [("Acme Corp", "2026-11-16T08:00:00", 90, "[website] hero section #design"),
                   ("Globex", "2026-11-16T10:00:00", 15, "[audit]")]


def test_taskwarrior_fields(db, db_path):
    report = run("task_export.json", mapping=(("Acme", "Acme Corp"),), client="Home")
    got = {r[0]: r[1:] for r in rows(db_path, "SELECT title, status, priority, due, tags, notes, source_id FROM task")}
    assert got["Draft the homepage copy"][:4] == ("todo", 1, "2026-11-28", "copy web")
    assert got["Draft the homepage copy"][4] == "2026-11-05 Bob wants it shorter"
    assert got["Publish the homepage"][:2] == ("backlog", 3)
    assert got["Publish the homepage"][4] == "Waits on: Draft the homepage copy"
    assert got["Kickoff call"][:2] == ("done", 4)
    assert got["Water the plants"][0] == "doing"
    assert "Old idea" not in got
    assert report.skipped["deleted in Taskwarrior"] == 1
    assert any("depends" in n for n in report.notes)
    projects = rows(db_path, "SELECT c.name, p.name FROM project p JOIN client c ON c.id = p.client_id ORDER BY 1, 2")
    assert projects == [("Acme Corp", "Acme.Website"), ("Home", "Inbox")]


def test_trello_lists_labels_checklists(db, db_path):
    report = run("trello_board.json", client="Acme Corp", mapping=(("Waiting on client", "review"),))
    got = {r[0]: r[1:] for r in rows(db_path, "SELECT title, status, due, tags, notes, source_id, created, updated "
                                             "FROM task")}
    assert got["Homepage wireframe"][:3] == ("doing", "2026-11-27", "design")
    # created from the card's id (an ObjectId starts with its Unix time), updated from its last activity
    assert got["Homepage wireframe"][5:] == ("2023-11-02T13:18:42", "2026-11-20T16:42:10")
    assert got["Homepage wireframe"][3] == "Three variants\n\nSections:\n[x] Hero\n[ ] Pricing"
    assert got["Pick fonts"][:3] == ("todo", None, "red")
    assert got["Logo files"][0] == "review"
    assert got["Kickoff"][0] == "done"
    assert report.skipped == {"closed card": 1, "card in an archived list": 1}
    assert rows(db_path, "SELECT name FROM project") == [("Acme Website",)]


def test_trello_unknown_list_says_how_to_map(db, db_path):
    with pytest.raises(SourceError, match=r'trello_board.json:lists: no status for list .Waiting on client.: map it, '
                                          r'e.g. --map "Waiting on client=todo"'):
        run("trello_board.json", client="Acme Corp")
    assert counts(db_path)["task"] == 0


def test_clientless_source_without_client_is_refused(db, db_path):
    with pytest.raises(SourceError, match=r"watson_frames:\[0\]: Watson has no clients \(project 'website'\): "
                                          r"give --client NAME or --map PROJECT=CLIENT"):
        run("watson_frames")


def test_names_match_existing_clients_projects_and_tasks(db, db_path):
    from clientdesk.domain.clients import ClientInput, create_client

    create_client(ClientInput(name="ACME corp"))
    first = run("toggl_detailed.csv")
    assert first.clients == ["Globex", "No client"]
    assert rows(db_path, "SELECT name FROM client ORDER BY id") == [("ACME corp",), ("Globex",), ("No client",)]
    # Clockify names the same clients, projects and the task "Design": all joined, not doubled
    second = run("clockify_detailed.csv")
    assert second.clients == [] and second.projects == 0 and second.tasks == 1  # only "Bugs" is new
    assert rows(db_path, "SELECT count(*) FROM task WHERE title = 'Design'") == [(1,)]


def test_a_later_export_adds_only_what_is_new(db, db_path, tmp_path):
    text = (FIXTURES / "toggl_detailed.csv").read_bytes().decode("utf-8-sig").splitlines()
    early = tmp_path / "early.csv"
    early.write_text("\n".join(text[:3]) + "\n")
    run(early)
    assert counts(db_path)["time_entry"] == 2
    report = run("toggl_detailed.csv")
    assert report.entries == 3 and report.already == 2
    assert counts(db_path)["time_entry"] == 5


def test_identical_rows_each_count_once_per_import(db, db_path, tmp_path):
    text = (FIXTURES / "toggl_detailed.csv").read_bytes().decode("utf-8-sig").splitlines()
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([text[0], text[1], text[1]]) + "\n")
    run(path)
    run(path)
    assert counts(db_path)["time_entry"] == 2


def test_dry_run_writes_nothing(db, db_path):
    report = import_translation(translate(FIXTURES / "toggl_detailed.csv", ImportOptions(timezone=PARIS)), dry_run=True)
    assert not report.written and report.entries == 5
    assert counts(db_path) == {"client": 0, "project": 0, "task": 0, "time_entry": 0, "busy_time": 0}


BROKEN = [
    ("toggl.csv", "toggl_detailed.csv", lambda t: t.replace("2026-11-17,14:00:00", "2026-13-17,14:00:00"),
     "toggl.csv:4: Start date: not a date: '2026-13-17'"),
    ("toggl.csv", "toggl_detailed.csv", lambda t: t.replace("03:00:00", "abc"), "toggl.csv:4: Duration: not a duration"),
    ("toggl.csv", "toggl_detailed.csv", lambda t: t.replace(",Start time,", ",Begin,"), "toggl.csv:1: missing column: Start time"),
    ("toggl.csv", "toggl_detailed.csv", lambda t: t[: t.index('"Review')], "toggl.csv:4: record cut short"),
    ("toggl.csv", "toggl_detailed.csv", lambda t: t[: t.index("legacy")], "toggl.csv:4: broken CSV"),
    ("toggl.csv", "toggl_detailed.csv", lambda t: t.replace(",Yes,2026-11-17", ",Maybe,2026-11-17"),
     "toggl.csv:4: Billable: not Yes or No: 'Maybe'"),
    ("clockify.csv", "clockify_detailed.csv", lambda t: t.replace("01:00 PM", "13:00 PM"),
     "clockify.csv:3: Start Time: not a time of day: '13:00 PM'"),
    ("harvest.csv", "harvest_time_report.csv", lambda t: t.replace('"1,25","1,25"', '"abc","1,25"'),
     "harvest.csv:3: Hours: not a number: 'abc'"),
    ("timew.json", "timew_export.json", lambda t: t.replace("20261116T100000Z", "2026-11-16 10:00"),
     "timew.json:[1].start: not a date and time (YYYYMMDDTHHMMSSZ)"),
    ("task.json", "task_export.json", lambda t: t.replace('"priority": "L"', '"priority": "X"'),
     "task.json:[2].priority: not H, M or L: 'X'"),
    ("trello.json", "trello_board.json", lambda t: t.replace('"idList": "L1"', '"idList": "L9"', 1),
     "trello.json:cards[1].idList: no such list on the board: L9"),
    ("watson.json", "watson_log.json", lambda t: t.replace('"2025-11-16T12:30:00+01:00"', '"later"'),
     "watson.json:[1].stop: not a date and time: 'later'"),
]


@pytest.mark.parametrize("target, source, damage, message", BROKEN, ids=[b[3].split(": ", 1)[1][:40] for b in BROKEN])
def test_broken_file_writes_nothing(db, db_path, tmp_path, target, source, damage, message):
    path = tmp_path / target
    path.write_bytes(damage((FIXTURES / source).read_bytes().decode("utf-8")).encode("utf-8"))
    before = counts(db_path)
    fmt = detect(read_text(FIXTURES / source), source)[0]
    options = ImportOptions(timezone=PARIS, client="Globex", mapping=(("Waiting on client", "review"),))
    with pytest.raises(SourceError) as info:
        import_translation(translate(path, options, fmt))
    text = str(info.value)
    assert text.startswith(str(path)), text
    assert message.split(":", 1)[1] in text, text
    assert "\n" not in text
    assert counts(db_path) == before


def test_unknown_file_names_the_known_formats(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(SourceError, match=r"not a format clientdesk knows \(formats: json, toggl, clockify, harvest, "
                                          r"timewarrior, watson, taskwarrior, trello, ics"):
        translate(path, ImportOptions())
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(SourceError, match="JSON of no shape clientdesk knows"):
        translate(other, ImportOptions())


def test_formats_are_told_apart_by_content_not_name(tmp_path):
    for name in ("toggl_detailed.csv", "clockify_detailed.csv", "harvest_time_report.csv", "timew_export.json",
                 "watson_frames", "task_export.json", "trello_board.json", "meetings.ics"):
        copy = tmp_path / "export.txt"
        shutil.copy(FIXTURES / name, copy)
        assert detect(read_text(copy), "export.txt")[0] == detect(read_text(FIXTURES / name), name)[0] != "json"


def test_zone_of_local_times_must_exist(tmp_path):
    with pytest.raises(SourceError, match="--timezone: unknown time zone: Mars/Olympus"):
        translate(FIXTURES / "toggl_detailed.csv", ImportOptions(timezone="Mars/Olympus"))


def test_stable_ids_do_not_depend_on_the_zone_or_client_option():
    a = translate(FIXTURES / "toggl_detailed.csv", ImportOptions(timezone=PARIS))
    b = translate(FIXTURES / "toggl_detailed.csv", ImportOptions(timezone="UTC", client="Other"))
    assert [e["source_id"] for e in a.document["time_entries"]] == [e["source_id"] for e in b.document["time_entries"]]
    assert _dt.datetime.fromisoformat(a.document["time_entries"][0]["start"]).utcoffset() == _dt.timedelta(hours=1)


def test_open_interval_becomes_the_running_timer_then_stops_when_closed(db, db_path, tmp_path, monkeypatch):
    from clientdesk.domain.timer import running_timer

    monkeypatch.setenv("CLIENTDESK_USER", "ada")
    opts = {"mapping": (("website", "Acme Corp"),), "client": "Globex"}
    report = run("timew_export.json", **opts)
    assert any("becomes your running timer" in n for n in report.notes)
    timer = running_timer("ada")
    assert timer is not None and timer.client == "Acme Corp"
    assert timer.started.strftime("%Y-%m-%dT%H:%M") == "2026-11-23T09:00"
    again = run("timew_export.json", **opts)  # the same export: the timer stays as it is
    assert any("already your running timer" in n for n in again.notes)
    assert rows(db_path, "SELECT count(*) FROM timer") == [(1,)]
    # a later export where that interval has ended: its entry comes in, the timer goes
    data = json.loads((FIXTURES / "timew_export.json").read_text())
    data[2]["end"] = "20261123T103000Z"
    later = tmp_path / "later.json"
    later.write_text(json.dumps(data))
    third = run(later, **opts)
    assert third.entries == 1 and any("timer removed" in n for n in third.notes)
    assert running_timer("ada") is None
    assert rows(db_path, "SELECT minutes FROM time_entry WHERE start = '2026-11-23T09:00:00'") == [(90,)]


def test_source_ids_survive_export_and_import_into_another_desk(tmp_path):
    from clientdesk.db import close_database, open_database
    from clientdesk.domain.interchange import export_data, import_data

    open_database(tmp_path / "first.db")
    try:
        run("toggl_detailed.csv")
        run("trello_board.json", client="Acme Corp", mapping=(("Waiting on client", "review"),))
        data = export_data()
    finally:
        close_database()
    assert all(e["source"] == "toggl" for e in data["time_entries"])
    open_database(tmp_path / "second.db")
    try:
        import_data(data)
        assert export_data() == data
        # the desk the export went to knows those rows: importing the sources again adds nothing
        assert run("toggl_detailed.csv").entries == 0
        assert run("trello_board.json", client="Acme Corp", mapping=(("Waiting on client", "review"),)).tasks == 0
    finally:
        close_database()
