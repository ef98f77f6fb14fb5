"""`track`, `log`, `timesheet` and `invoice` as a user runs them: real processes on a real database,
outputs read back by independent parsers (json, csv, html.parser)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pendulum
import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain.clients import ClientInput, create_client, create_project
from clientdesk.domain.tasks import TaskInput, create_task
from clientdesk.models import TimeEntry, Timer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def desk(db, db_path):
    acme = create_client(ClientInput(name="Acme", language="fr", timezone="Europe/Paris", hourly_rate=90,
                                     weekly_target_hours=10))
    project = create_project(acme.id, "Site web")
    create_task(TaskInput("Maquette accueil", project.id))
    create_client(ClientInput(name="Sans Taux"))
    from clientdesk.models import Client

    Client.update(currency="EUR").where(Client.name == "Acme").execute()
    close_database()
    return db_path


def env(**extra) -> dict:
    out = dict(os.environ, CLIENTDESK_USER="ana", PYTHONUTF8="1")
    out.update(extra)
    return out


def run(db_path, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clientdesk", *args, "--db", str(db_path)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=60, env=env(**extra))


def one_line_error(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0], lines[0]


def entries(db_path) -> list[tuple]:
    open_database(db_path)
    try:
        return [(e.client.name, e.task.title if e.task_id else None, e.minutes, e.billable, e.note)
                for e in TimeEntry.select().order_by(TimeEntry.id)]
    finally:
        close_database()


def test_log_and_the_timesheet_in_every_format(desk):
    r = run(desk, "log", "1h30", "Acme", "--task", "maquette", "--on", "2026-11-22", "--note", "première version")
    assert r.returncode == 0, r.stderr
    assert "logged 1h30 on Maquette accueil · Acme, 2026-11-22" in r.stderr
    assert run(desk, "log", "1,5h", "Acme", "--no-billable").returncode == 0
    assert run(desk, "log", "0", "Acme", "--note", "zéro").returncode == 0
    assert entries(desk) == [("Acme", "Maquette accueil", 90, True, "première version"),
                             ("Acme", None, 90, False, ""), ("Acme", None, 0, True, "zéro")]

    listed = json.loads(run(desk, "timesheet", "--week", "2026-W48", "--format", "json").stdout)
    assert [list(e) for e in listed] == [["client", "task", "start", "minutes", "billable", "invoiced", "invoice_ref",
                                          "note"]] * 2
    assert [(e["minutes"], e["billable"], e["start"]) for e in listed] == [
        (90, False, "2026-11-23T09:00:00+01:00"), (0, True, "2026-11-23T09:00:00+01:00")]
    month = list(csv.DictReader(io.StringIO(run(desk, "timesheet", "--month", "2026-11", "--format", "csv").stdout)))
    assert [(e["task"], e["minutes"], e["billable"]) for e in month] == [
        ("Maquette accueil", "90", "true"), ("", "90", "false"), ("", "0", "true")]
    table = run(desk, "timesheet", "--week", "2026-W48").stdout.splitlines()
    assert table[0].split()[:3] == ["client", "Mon", "23"]
    acme = next(line for line in table if line.startswith("Acme"))
    assert acme.split() == ["Acme", "1:30", "0:00", "1:30", "1:30", "10:00"]


@pytest.mark.parametrize("args, message", [
    (("log", "-5m", "Acme"), "time spent cannot be negative: -5m"),
    (("log", "1h", "Nobody"), "no such client: Nobody"),
    (("log", "25h", "Acme"), "more than a day in one entry"),
    (("log", "1h", "Acme", "--task", "nothing like it"), "no such task of this client: nothing like it"),
    (("log", "1h", "Acme", "--on", "23/11/2026"), "--on: not a date (YYYY-MM-DD): 23/11/2026"),
    (("track", "stop"), "no timer is running"),
    (("track", "start", "Acme", "no", "such", "task"), "no such task of this client: no such task"),
    (("invoice", "Sans Taux", "--month", "2026-11"), "nothing to invoice"),
    (("invoice", "Acme", "--month", "2026-13"), "--month: not a month (YYYY-MM, 2000..2099): 2026-13"),
    (("timesheet", "--week", "2026-W48", "--month", "2026-11"), "give one or the other"),
])
def test_bad_input_is_one_line_and_writes_nothing(desk, args, message):
    before = entries(desk)
    one_line_error(run(desk, *args), message)
    assert entries(desk) == before


def test_invoice_for_a_client_without_a_rate(desk):
    assert run(desk, "log", "1h", "Sans Taux", "--on", "2026-11-10").returncode == 0
    r = run(desk, "invoice", "Sans Taux", "--month", "2026-11", "--out", "-")
    one_line_error(r, "Sans Taux has no hourly rate")
    assert r.stdout == ""


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: list[str] = []
        self.lang = None
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("td", "th"):
            self._in = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.cells[-1] += data


def test_invoice_marks_once_and_writes_html_and_csv(desk, tmp_path):
    for day in ("2026-11-02", "2026-11-16"):
        assert run(desk, "log", "1h30", "Acme", "--on", day, "--note", "<b>maquette</b>").returncode == 0
    assert run(desk, "log", "2h", "Acme", "--on", "2026-12-01").returncode == 0
    html_file = tmp_path / "f.html"
    r = run(desk, "invoice", "Acme", "--month", "2026-11", "--ref", "F-11", "--out", str(html_file))
    assert r.returncode == 0, r.stderr
    assert "invoice F-11 issued: 2 entries, 270,00" in r.stderr
    page = html_file.read_text(encoding="utf-8")
    cells = _Cells()
    cells.feed(page)
    assert cells.lang == "fr" and "<b>maquette</b>" not in page
    assert "Total" in cells.cells and "270,00\xa0€" in cells.cells and "<b>maquette</b>" in cells.cells
    assert "1–30 nov. 2026" in page  # the period as the report writes week ranges (yMMMd)

    one_line_error(run(desk, "invoice", "Acme", "--month", "2026-11"), "nothing to invoice")
    again = run(desk, "invoice", "Acme", "--month", "2026-11", "--ref", "F-11", "--format", "csv", "--out", "-")
    assert again.returncode == 0 and "written again" in again.stderr
    rows = list(csv.DictReader(io.StringIO(again.stdout)))
    assert [(r["reference"], r["minutes"], r["rate"], r["currency"], r["amount"]) for r in rows] == [
        ("F-11", "90", "90", "EUR", "135.00"), ("F-11", "90", "90", "EUR", "135.00")]
    listed = json.loads(run(desk, "timesheet", "--month", "2026-11", "--format", "json").stdout)
    assert {(e["invoiced"], e["invoice_ref"]) for e in listed} == {(True, "F-11")}


def test_track_status_the_short_way_and_the_long_way_agree(desk):
    fixed = {"CLIENTDESK_NOW": "2026-11-23T10:15:30+01:00"}
    r = run(desk, "track", "start", "Acme", "Maquette", "accueil", CLIENTDESK_NOW="2026-11-23T09:00:00+01:00")
    assert r.returncode == 0, r.stderr
    assert "timer started on Maquette accueil · Acme" in r.stderr
    short = run(desk, "track", "status", "--format", "json", **fixed)
    assert json.loads(short.stdout) == {"running": True, "client": "Acme", "task": "Maquette accueil",
                                        "started": "2026-11-23T09:00:00+01:00", "elapsed_seconds": 4530}
    from clientdesk.cli import main

    long_way = subprocess.run(
        [sys.executable, "-c", "import sys; from clientdesk.cli import main; main(sys.argv[1:])",
         "track", "status", "--format", "json", "--db", str(desk)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env(**fixed), timeout=60)
    assert long_way.stdout == short.stdout and main
    assert run(desk, "track", "status", **fixed).stdout == "1:15:30 Maquette accueil · Acme (since 09:00)\n"
    assert json.loads(run(desk, "track", "status", "--format", "json", CLIENTDESK_USER="bob").stdout)["running"] is False
    stop = run(desk, "track", "stop", CLIENTDESK_NOW="2026-11-23T09:50:00+01:00")
    assert "50m logged on Maquette accueil · Acme" in stop.stderr
    assert json.loads(run(desk, "track", "status", "--format", "json").stdout)["running"] is False


def test_track_status_json_writes_c1_controls_and_bidi_as_escapes_on_both_paths(desk):
    """A task named with C1 CSI (\\x9b, which a terminal reads as ESC [) and a bidi override: the JSON
    carries them as \\u escapes, the same data, on the fast path and on the full command line alike."""
    from clientdesk.models import Task

    open_database(desk)
    try:
        Task.update(title="Hero\x9b2J copy\u202e\x85").execute()
    finally:
        close_database()
    assert run(desk, "track", "start", "Acme", "Hero", CLIENTDESK_NOW="2026-11-23T09:00:00+01:00").returncode == 0
    fixed = {"CLIENTDESK_NOW": "2026-11-23T09:10:00+01:00"}
    short = run(desk, "track", "status", "--format", "json", **fixed)
    long_way = subprocess.run(
        [sys.executable, "-c", "import sys; from clientdesk.cli import main; main(sys.argv[1:])",
         "track", "status", "--format", "json", "--db", str(desk)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env(**fixed), timeout=60)
    for out in (short.stdout, long_way.stdout):
        assert not any(0x7f <= ord(ch) <= 0x9f or ch == "\u202e" for ch in out), repr(out)
        assert "\\u009b2J" in out and "\\u202e" in out and "\\u0085" in out
        assert json.loads(out)["task"] == "Hero\x9b2J copy\u202e\x85"  # the same data
    assert short.stdout == long_way.stdout


DRIVER = textwrap.dedent("""
    import asyncio, sys
    from clientdesk.db import open_database
    from clientdesk.tui.app import create_app
    from clientdesk.tui.export import settle

    async def main(mode):
        open_database(sys.argv[1])
        app = create_app()
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.pause(0.3)
            header = app.screen.query_one("#view-header")
            if mode == "start":
                await pilot.press("t")  # on the first client row of the Overview
                await settle(pilot)
            print("HEADER " + header.plain, flush=True)
            if mode == "stop":
                await pilot.press("ctrl+p")
                await pilot.press(*"stop timer")
                await pilot.pause(0.5)
                await pilot.press("enter")
                await settle(pilot)
                print("STOPPED " + header.plain, flush=True)
                return
            await asyncio.sleep(3600)  # until killed

    asyncio.run(main(sys.argv[2]))
""")


def _app(db_path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(db_path), mode], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT, env=env())


def _line(proc: subprocess.Popen, prefix: str) -> str:
    for line in proc.stdout:  # blocks until the app prints: an event, not a sleep
        if line.startswith(prefix):
            return line[len(prefix):].rstrip("\n")
    raise AssertionError(f"no {prefix.strip()} line; stderr: {proc.stderr.read()}")


def test_the_timer_survives_kill_9_and_a_restart(desk):
    first = _app(desk, "start")
    try:
        header = _line(first, "HEADER ")
        assert "⏱ 0:00:0" in header and "Acme" in header
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    status = json.loads(run(desk, "track", "status", "--format", "json").stdout)
    assert status["running"] is True and status["client"] == "Acme"

    second = _app(desk, "stop")
    try:
        assert "Acme" in _line(second, "HEADER ")  # still running after the kill, in a new process
        assert "⏱" not in _line(second, "STOPPED ")
        second.wait(timeout=60)
    finally:
        if second.poll() is None:
            second.kill()
    open_database(desk)
    try:
        assert Timer.select().count() == 0
        assert [(e.client.name, e.billable) for e in TimeEntry.select()] == [("Acme", True)]
    finally:
        close_database()
    assert pendulum


@pytest.mark.sqlite_only  # the quick read is of a file; a server's desk goes through the command line
def test_track_status_loads_neither_peewee_nor_pendulum_nor_click(desk):
    code = textwrap.dedent(f"""
        import sys
        from clientdesk.launch import main
        main(["track", "status", "--format", "json", "--db", {str(desk)!r}])
        heavy = sorted(m for m in ("peewee", "pendulum", "click", "babel", "textual") if m in sys.modules)
        assert heavy == [], heavy
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env(), timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["running"] is False


def test_invoice_shows_the_issuer_from_the_config_as_text(desk, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(textwrap.dedent("""\
        [issuer]
        name = "Alice <Martin> EI"
        address = ["12 rue des Lilas", "75011 Paris"]
        tax_id = "FR 12 345678901"
        payment = "IBAN FR76 3000 6000 0112"
        """), encoding="utf-8")
    assert run(desk, "log", "1h", "Acme", "--on", "2026-11-02").returncode == 0
    out = tmp_path / "f.html"
    r = run(desk, "invoice", "Acme", "--month", "2026-11", "--out", str(out), CLIENTDESK_CONFIG=str(config))
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    cells = _Cells()
    cells.feed(page)
    assert "<Martin>" not in page and "Alice &lt;Martin&gt; EI" in page
    text = " ".join(page.split())
    assert "12 rue des Lilas" in text and "75011 Paris" in text
    assert "N° de TVA:</span> FR 12 345678901" in text and "Règlement:</span> IBAN FR76" in text

    config.write_text('[issuer]\nname = "A"\nbank = "x"\n', encoding="utf-8")
    one_line_error(run(desk, "invoice", "Acme", "--month", "2026-12", CLIENTDESK_CONFIG=str(config)),
                   "issuer.bank: unknown")
    config.write_text('[issuer]\naddress = ["ok", 3]\n', encoding="utf-8")
    one_line_error(run(desk, "invoice", "Acme", "--month", "2026-12", CLIENTDESK_CONFIG=str(config)),
                   "issuer.address: expected text or a list of lines")
