"""Text the command line prints or writes carries no escape a terminal would obey.

A desk whose names and notes hold the issue's payloads (window title,
clipboard write, clear screen, cursor report, bidi override) is read through
every text output in a real process: the status table and its JSON, the
Markdown and HTML reports on stdout, `export --format txt`, export-json (same
data, parsed back), the .ics (parsed back by icalendar) and the one line of a
refused import on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import icalendar
import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain.interchange import import_data
from tests.cli.test_restore_backup import one_line

CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
PAYLOAD = f"Evil\x1b]2;PWNED\x1b\\ {CLIPBOARD}\x1b[2J\x1bc\x1b[6n\u202eCorp\x9b1m"


def run(db, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.pop("CLIENTDESK_DB", None)
    return subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(db), *args], capture_output=True,
                          env=env, timeout=120, input=stdin.encode() if stdin else None)


def assert_safe(data: bytes, bidi: bool = True) -> str:
    text = data.decode("utf-8")
    for ch in ("\x1b", "\x07", "\x9b") + (("\u202e",) if bidi else ()):
        assert ch not in text, repr(ch)
    return text


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    os.environ["CLIENTDESK_TODAY"], os.environ["CLIENTDESK_TZ"] = "2026-11-23", "Europe/Paris"
    open_database(path)
    import_data({"version": 1, "clients": [{
        "name": PAYLOAD, "notes": PAYLOAD, "contact": PAYLOAD,
        "projects": [{"name": PAYLOAD, "tasks": [{"title": PAYLOAD, "status": "done",
                                                   "completed": "2026-11-23T10:00:00+01:00"},
                                                  {"title": "open " + PAYLOAD, "due": "2026-11-20"}]}],
        "interactions": [{"on": "2026-11-18", "kind": "call", "summary": PAYLOAD}]}],
        "time_blocks": [{"client": PAYLOAD, "start": "2026-11-24T09:00:00+01:00", "end": "2026-11-24T10:00:00+01:00",
                         "note": PAYLOAD, "task": "open " + PAYLOAD}]})
    close_database()
    return path


@pytest.mark.parametrize("args", [
    pytest.param(("status",), id="status-table"),
    pytest.param(("status", "--format", "json"), id="status-json"),
    pytest.param(("report", PAYLOAD), id="report-md"),
    pytest.param(("report", PAYLOAD, "--format", "html"), id="report-html"),
    pytest.param(("export", "overview", "--format", "txt", "--out", "-"), id="export-txt"),
    pytest.param(("export", "board", "--client", PAYLOAD, "--format", "txt", "--out", "-"), id="export-board-txt"),
    pytest.param(("export-json", "-"), id="export-json"),
    pytest.param(("ics", "--out", "-"), id="ics"),
])
def test_every_text_output_is_terminal_safe(hostile_db, args):
    result = run(hostile_db, *args)
    assert result.returncode == 0, result.stderr.decode()
    text = assert_safe(result.stdout, bidi=args[0] != "ics")  # a calendar keeps the bidi mark: it is data there
    assert_safe(result.stderr)
    if args[0] == "export-json":
        data = json.loads(text)  # the same data: the escapes are JSON's own
        assert data["clients"][0]["name"] == PAYLOAD
    elif args[0] == "ics":
        events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
        assert events and "\x1b" not in str(events[0]["summary"])
        assert "Evil" in str(events[0]["summary"])
    elif args[:2] == ("status", "--format"):
        assert json.loads(text)[0]["client"] == PAYLOAD
    else:
        assert "\\x1b" in text and "52;c;" in text  # shown as visible escapes, not silently dropped


def test_a_refused_import_quotes_the_bad_value_safely(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "clients": [{"name": "A", "timezone": CLIPBOARD}]}), encoding="utf-8")
    result = run(tmp_path / "x.db", "import", str(bad))
    line = one_line(subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(),
                                                result.stderr.decode()), "clients[0].timezone", "unknown time zone")
    assert "\x1b" not in line and "\\x1b]52;c;" in line


def test_a_click_error_quoting_the_argument_is_safe(tmp_path):
    result = run(tmp_path / "x.db", "export", f"nope{CLIPBOARD}")
    assert result.returncode != 0
    err = assert_safe(result.stderr)
    assert len(err.splitlines()) == 1 and "\\x1b]52" in err
