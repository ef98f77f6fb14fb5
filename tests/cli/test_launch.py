"""`clientdesk` alone opens the app without loading click; everything else is the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientdesk.launch import app_options
from tests.cli.test_cli_db_errors import assert_one_clean_error


@pytest.mark.parametrize("args, options", [
    ([], {}),
    (["--db", "desk.db"], {"db": "desk.db"}),
    (["--db=desk.db", "--today", "2026-11-23"], {"db": "desk.db", "today": "2026-11-23"}),
    (["--today=2026-11-23"], {"today": "2026-11-23"}),
    (["status"], None),
    (["--db", "desk.db", "status"], None),
    (["--help"], None),
    (["--version"], None),
    (["--db"], None),
    (["--db", "--today", "2026-11-23"], None),
    (["--db="], None),
    (["--db", "a.db", "--db", "b.db"], None),
    (["-h"], None),
])
def test_only_the_ways_to_open_the_app_skip_the_command_line(args, options):
    assert app_options(args) == options


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.pop("CLIENTDESK_DB", None)
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "clientdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)


def test_the_app_path_reads_the_overview_early_and_never_imports_click(demo_template, tmp_path):
    code = (
        "import sys\n"
        "import clientdesk.tui.app as app\n"
        "def run_app(early_overview=None):\n"
        "    data = early_overview.result()\n"
        "    print('click' in sys.modules, len(data.statuses), len(data.today_tasks))\n"
        "app.run_app = run_app\n"
        "from clientdesk.launch import main\n"
        "main(sys.argv[1:])\n"
    )
    done = run("--db", str(demo_template), "--today", "2026-11-23", code=code)
    assert done.returncode == 0, done.stderr
    imported_click, clients, tasks = done.stdout.split()
    assert imported_click == "False" and int(clients) > 5 and int(tasks) == 25


def test_a_bad_database_is_one_line_before_the_app_starts(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 3)
    assert_one_clean_error(run("--db", str(db)), "not an SQLite file")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert_one_clean_error(run("--db", str(folder)), "directory")


def test_a_bad_date_and_the_other_arguments_go_to_the_command_line(tmp_path):
    line = assert_one_clean_error(run("--db", str(tmp_path / "d.db"), "--today", "2026-13-45"), "--today")
    assert line.startswith("clientdesk: ")
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("clientdesk, version")
    assert not Path(tmp_path / "d.db").exists()  # nothing was opened for a refused date


EARLY_READ = (
    "import os, sys, sqlite3\n"
    "from clientdesk import launch\n"
    "from clientdesk.db import open_database, read_session\n"
    "from clientdesk.domain.overview import overview_data\n"
    "open_database(sys.argv[1])\n"
    "{setup}\n"
    "future = launch._read_overview_early()\n"
    "try:\n"
    "    data = future.result(timeout=30)\n"
    "except Exception as exc:\n"
    "    print('refused', exc)\n"
    "    data = None\n"
    "from clientdesk.db import change_stamp\n"
    "print('stamp kept', future.change_stamp is not None and future.change_stamp == change_stamp())\n"
    "with read_session():\n"
    "    here = overview_data()\n"
    "from clientdesk.domain.clients import ClientInput, create_client\n"
    "create_client(ClientInput(name='Written after the early read'))\n"
    "print('same', data == here if data is not None else None)\n"
    "print('integrity', sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])\n"
    "try:\n"
    "    os.waitpid(-1, os.WNOHANG)\n"
    "    print('child left')\n"
    "except ChildProcessError:\n"
    "    print('no child left')\n"
)


def early_read(db: Path, setup: str = "") -> list[str]:
    done = run(str(db), code=EARLY_READ.replace("{setup}", setup))
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_early_read_in_a_child_gives_what_the_app_would_read(demo_template, tmp_path):
    db = tmp_path / "desk.db"
    db.write_bytes(demo_template.read_bytes())
    assert early_read(db) == ["stamp kept True", "same True", "integrity ok", "no child left"]


def test_without_fork_the_early_read_runs_in_a_thread(demo_template, tmp_path):
    db = tmp_path / "desk.db"
    db.write_bytes(demo_template.read_bytes())
    setup = "def no_fork():\n    raise OSError('no fork here')\nos.fork = no_fork"
    assert early_read(db, setup) == ["stamp kept True", "same True", "integrity ok", "no child left"]


def test_a_child_that_cannot_read_says_why_and_the_app_reads_itself(demo_template, tmp_path):
    db = tmp_path / "desk.db"
    db.write_bytes(demo_template.read_bytes())
    setup = "def broken():\n    raise ValueError('disk on fire')\nlaunch._overview = broken"
    lines = early_read(db, setup)
    assert lines[0] == "refused ValueError: disk on fire" if sys.platform == "linux" else lines[0].startswith("refused")
    assert lines[1:] == ["stamp kept True", "same None", "integrity ok", "no child left"]
