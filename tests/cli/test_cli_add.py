"""`add`, `template`, `undo`, `redo` and read-only commands on a missing database, run as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from clientdesk.db import close_database, open_database
from clientdesk.models import Client, Milestone, Project, Risk, Task, Template


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.pop("CLIENTDESK_DB", None)
    return subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(db), *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=60)


def in_process(db: Path, *args: str) -> tuple[int, str, str]:
    """The command line's own entry point (main: errors to one line), in this process: fast."""
    import contextlib
    import io

    from clientdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["--db", str(db), *args])
        except SystemExit as exc:
            code = exc.code or 0
    close_database()
    return code, out.getvalue(), err.getvalue()


def ok(db: Path, *args: str) -> str:
    code, _out, err = in_process(db, *args)
    assert code == 0, err
    return err


def refused(db: Path, *args: str) -> str:
    code, _out, err = in_process(db, *args)
    assert code != 0
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def rows(db: Path):
    open_database(db)
    try:
        return {m.__name__: m.select().count() for m in (Client, Project, Task, Milestone, Risk, Template)}
    finally:
        close_database()


def test_the_commands_are_real_processes(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    done = run(db, "add", "client", "Acme")
    assert done.returncode == 0 and "added client 'Acme'" in done.stderr
    done = run(db, "add", "risk", "Acme", "Site", "R", "--likelihood", "9", "--impact", "1")
    assert done.returncode == 1 and done.stderr == "clientdesk: likelihood: must be 1..5: 9\n"
    done = run(db, "undo")
    assert done.returncode == 0 and rows(db)["Client"] == 0


def test_a_business_from_the_command_line(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    assert "added client 'Atelier Émile'" in ok(db, "add", "client", "Atelier Émile", "--channel", "phone", "--every", "7",
                                                "--language", "fr", "--timezone", "Europe/Paris", "--rate", "90",
                                                "--budget-hours", "40", "--target-hours", "8")
    ok(db, "add", "project", "atelier émile", "Website", "--start", "2026-11-23", "--deadline", "2026-12-15",
       "--budget-hours", "120", "--budget-amount", "10800")
    assert "due 2026-11-27" in ok(db, "add", "task", "Atelier", "Hero copy p1 due:fri 2h #writing +Website")
    ok(db, "add", "milestone", "Atelier Émile", "Website", "Beta", "--due", "2026-12-04")
    assert "score 4×5=20" in ok(db, "add", "risk", "Atelier Émile", "website", "Late content", "--likelihood", "4",
                                "--impact", "5", "--mitigation", "ask early")
    assert "1 task, 2h estimated" in ok(db, "template", "save", "Atelier Émile", "Website", "Launch kit")
    ok(db, "add", "client", "Beta")
    ok(db, "add", "project", "Beta", "Site", "--start", "2027-01-04", "--template", "launch kit")
    assert "Launch kit  (1 task" in in_process(db, "template", "list")[1]
    assert rows(db) == {"Client": 2, "Project": 2, "Task": 2, "Milestone": 1, "Risk": 1, "Template": 1}
    open_database(db)
    try:
        c = Client.get(Client.name == "Atelier Émile")
        assert (c.channel, c.checkin_every_days, c.language, c.hourly_rate, c.budget_hours_month) == ("phone", 7, "fr", 90, 40)
        laid = Task.select().join(Project).where(Project.name == "Site").get()
        assert (laid.title, laid.due, laid.estimate_minutes, laid.tags) == ("Hero copy", pendulum.date(2027, 1, 8), 120, "writing")
        risk = Risk.get()
        assert (risk.likelihood, risk.impact, risk.mitigation) == (4, 5, "ask early")
    finally:
        close_database()
    assert "undone: add project 'Site' from template 'Launch kit'" in ok(db, "undo")
    assert rows(db)["Task"] == 1 and rows(db)["Project"] == 1
    assert "redone: add project 'Site'" in ok(db, "redo")
    assert rows(db)["Task"] == 2
    ok(db, "template", "rename", "launch kit", "Kit")
    ok(db, "template", "delete", "Kit")
    assert rows(db)["Template"] == 0


@pytest.mark.parametrize("args, says", [
    (("add", "client", "  "), "name: empty"),
    (("add", "client", "E\u0301mile"), "a client named 'E\u0301mile' (as 'Émile') already exists"),
    (("add", "client", "ÉMILE"), "already exists"),
    (("add", "client", "X", "--every", "0"), "check-in every: must be at least 1: 0"),
    (("add", "client", "X", "--channel", "fax"), "channel: one of email, phone, chat, meeting: fax"),
    (("add", "client", "X", "--timezone", "Mars/Olympus"), "time zone: unknown time zone: Mars/Olympus"),
    (("add", "client", "X", "--rate", "-1"), "hourly rate: must be zero or more: -1"),
    (("add", "project", "Émile", "P", "--start", "2026-12-01", "--deadline", "2026-11-30"), "deadline: before the start"),
    (("add", "project", "Émile", "P", "--budget-hours", "-2"), "budget hours: must be zero or more: -2"),
    (("add", "project", "Émile", "P", "--deadline", "someday"), "--deadline: not a date: someday"),
    (("add", "project", "Nobody", "P"), "no such client: Nobody"),
    (("add", "project", "Émile", "P", "--template", "nope"), "no such template: nope"),
    (("add", "project", "Émile", "Site"), "already has a project named 'Site'"),
    (("add", "task", "Émile", "   "), "title"),
    (("add", "task", "Émile", "x due:someday"), "not a date"),
    (("add", "milestone", "Émile", "Site", "M", "--due", "soon"), "--due: not a date: soon"),
    (("add", "milestone", "Émile", "Nope", "M", "--due", "fri"), "no such project: Nope"),
    (("add", "risk", "Émile", "Site", "R", "--likelihood", "9", "--impact", "1"), "likelihood: must be 1..5: 9"),
    (("add", "risk", "Émile", "Site", "R", "--likelihood", "2", "--impact", "0"), "impact: must be at least 1: 0"),
    (("add", "risk", "Émile", "Site", "R", "--likelihood", "2.5", "--impact", "1"), "likelihood: not a whole number"),
    (("template", "save", "Émile", "Site", "T"), "has no task to keep"),
    (("template", "rename", "nope", "x"), "no such template: nope"),
    (("template", "delete", "nope"), "no such template: nope"),
])
def test_bad_input_is_one_line_and_writes_nothing(db_path, args, says):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    ok(db, "add", "client", "Émile")
    ok(db, "add", "project", "Émile", "Site")
    before = rows(db)
    assert says in refused(db, *args)
    assert rows(db) == before


def test_undo_and_redo_with_nothing_left(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    ok(db, "add", "client", "A")
    ok(db, "undo")
    assert "nothing to undo" in refused(db, "undo")
    ok(db, "redo")
    assert "nothing to redo" in refused(db, "redo")


@pytest.mark.parametrize("args", [("status",), ("status", "--format", "json"), ("report", "Acme"),
                                  ("export", "overview", "--format", "txt", "--out", "x.txt"), ("ics", "--out", "x.ics"),
                                  ("export-json", "-"), ("template", "list")])
def test_read_only_commands_on_a_missing_database_say_so_and_create_nothing(tmp_path, args):
    db = tmp_path / "typo" / "desk.db"
    says = refused(db, *args)
    assert f"no database at {db}" in says
    assert not db.parent.exists()
