"""The real `import`, `export-json`, `demo` and `status` commands, each in its own process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "interchange_sample.json"
STATUS_KEYS = ["client", "open", "overdue", "due_week", "planned_hours_week", "logged_hours_month", "burn",
               "next_checkin", "checkin_late", "open_changes", "health", "reasons"]


def run(db: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.pop("CLIENTDESK_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "clientdesk", "--db", str(db), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, input=input, timeout=60,
    )


def client_count(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM client").fetchone()[0]
    finally:
        con.close()


def assert_one_clean_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("clientdesk: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A database filled by `clientdesk import` from the sample file (checked once, used by several tests)."""
    db = tmp_path_factory.mktemp("cli") / "desk.db"
    result = run(db, "import", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"imported {SAMPLE}: 3 clients, 4 projects, 8 tasks")
    assert result.stdout == ""
    return db


def test_export_json_to_a_file_and_to_stdout_agree_and_round_trip(imported, tmp_path):
    out = tmp_path / "export.json"
    to_file = run(imported, "export-json", str(out))
    assert to_file.returncode == 0, to_file.stderr
    to_stdout = run(imported, "export-json", "-")
    assert to_stdout.returncode == 0, to_stdout.stderr
    text = out.read_text(encoding="utf-8")
    assert text == to_stdout.stdout
    data = json.loads(text)
    assert data["version"] == 1
    assert "青禾茶业" in text and "[bold]x[/]" in text  # written as UTF-8, markup kept as text
    second_db = tmp_path / "second.db"
    assert run(second_db, "import", str(out)).returncode == 0
    assert run(second_db, "export-json", "-").stdout == text


def test_import_again_is_refused_by_name_then_merged_without_duplicates(imported, tmp_path):
    again = run(imported, "import", str(SAMPLE))
    assert_one_clean_error(again, "clients[0].name: client already exists: Atelier Éclat (use --merge)")
    merged = run(imported, "import", "--merge", str(SAMPLE))
    assert merged.returncode == 0, merged.stderr
    assert "duplicates skipped" in merged.stderr
    assert client_count(imported) == 3


@pytest.mark.parametrize(
    "content, fragments",
    [
        ('{"version": 1, "clients": [', ("not valid JSON",)),
        ("", ("the file is empty",)),
        ('{"version": 7, "clients": []}', ("version: unknown version: 7",)),
        ('{"version": 1, "clients": [{"name": "X", "projects": [{"name": "P", "tasks": '
         '[{"title": "T", "due": "2026-02-30"}]}]}]}', ("clients[0].projects[0].tasks[0].due: not a date: 2026-02-30",)),
    ],
    ids=["malformed", "empty", "unknown-version", "bad-date"],
)
def test_bad_files_get_one_line_and_change_nothing(imported, tmp_path, content, fragments):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = run(imported, "import", str(bad))
    assert_one_clean_error(result, *fragments)
    assert client_count(imported) == 3


def test_demo_then_status_json(tmp_path):
    db = tmp_path / "demo.db"
    demo = run(db, "demo")
    assert demo.returncode == 0, demo.stderr
    assert demo.stderr.startswith("demo data written: 11 clients")
    status = run(db, "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    rows = json.loads(status.stdout)
    assert len(rows) >= 8
    for row in rows:
        assert list(row) == STATUS_KEYS
    assert {r["health"] for r in rows} == {"red", "amber", "green"}
    again = run(db, "demo")
    assert_one_clean_error(again, "the database already has data; demo fills an empty one")


def test_a_file_that_is_not_a_database(tmp_path):
    not_db = tmp_path / "notes.txt"
    not_db.write_text("these are my notes, not a database\n" * 3, encoding="utf-8")
    result = run(not_db, "export-json", "-")
    assert_one_clean_error(result, "not a clientdesk database")
    assert not_db.read_text(encoding="utf-8").startswith("these are my notes")


def test_a_database_path_that_cannot_be_created(tmp_path):
    regular = tmp_path / "plain-file"
    regular.write_text("x", encoding="utf-8")
    result = run(regular / "sub" / "desk.db", "import", str(SAMPLE))
    assert_one_clean_error(result, "cannot create the folder for the database")
