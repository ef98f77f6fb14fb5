"""`clientdesk import` on other tools' exports, in its own process: the summary before and after,
--dry-run, --from, the formats it knows, and every bad input as one line on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli_import_export import assert_one_clean_error, run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "importers"
TOGGL = FIXTURES / "toggl_detailed.csv"


def count(db, table: str) -> int:
    """Rows in `table` of the desk at `db` (a file that does not exist holds none)."""
    from clientdesk.db import close_database, open_database

    if isinstance(db, Path) and not db.exists():
        return 0
    database = open_database(db)
    try:
        return database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        close_database()


def test_toggl_import_says_what_it_will_do_then_what_it_did(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    first = run(db, "import", str(TOGGL))
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert lines[0] == f"{TOGGL}: Toggl Track detailed report (CSV), 5 records"
    assert lines[1] == (f"{TOGGL}: to create: 3 clients (Acme Corp, Globex, No client), 3 projects, 2 tasks, "
                        "5 time entries (5.75 h)")
    assert f"{TOGGL}: note: entries without a client were put under 'No client' (give --client NAME or --map " \
           "PROJECT=CLIENT)" in lines
    assert lines[-1].startswith(f"imported {TOGGL}: created: 3 clients (Acme Corp, Globex, No client), 3 projects, "
                                "2 tasks, 5 time entries (5.75 h) in ")
    assert count(db, "time_entry") == 5
    second = run(db, "import", str(TOGGL))
    assert second.returncode == 0, second.stderr
    assert f"{TOGGL}: to create: nothing new" in second.stderr
    assert f"{TOGGL}: skipped: 5 already imported" in second.stderr
    assert count(db, "time_entry") == 5


def test_dry_run_writes_nothing(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    result = run(db, "import", "--dry-run", str(TOGGL))
    assert result.returncode == 0, result.stderr
    assert "to create: 3 clients" in result.stderr and result.stderr.splitlines()[-1] == "dry run: nothing written"
    assert count(db, "client") == 0 and count(db, "time_entry") == 0


def test_calendar_import_and_reimport(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    ics = FIXTURES / "meetings.ics"
    first = run(db, "import", str(ics))
    assert first.returncode == 0, first.stderr
    assert f"imported {ics}: busy time added: 4, updated: 0, removed: 0, unchanged: 0" in first.stderr
    again = run(db, "import", str(ics))
    assert "added: 0, updated: 0, removed: 0, unchanged: 4" in again.stderr
    assert count(db, "busy_time") == 4


def test_clientless_source_with_client_and_map(db_path):
    db = db_path  # an SQLite file, or a database on the run's PostgreSQL server
    result = run(db, "import", str(FIXTURES / "trello_board.json"), "--client", "Acme Corp",
                 "--map", "Waiting on client=review")
    assert result.returncode == 0, result.stderr
    assert "to create: 1 client (Acme Corp), 1 project, 4 tasks" in result.stderr
    assert "skipped: 1 closed card" in result.stderr


@pytest.mark.parametrize("args, fragments", [
    (["import", str(FIXTURES / "trello_board.json")], ("trello_board.json:name: Trello has no clients",
                                                       "give --client NAME or --map PROJECT=CLIENT")),
    (["import", str(FIXTURES / "trello_board.json"), "--client", "A"], ("no status for list 'Waiting on client'",)),
    (["import", str(TOGGL), "--from", "trello"], ("toggl_detailed.csv: not valid JSON",)),
    (["import", str(TOGGL), "--from", "excel"], ("Invalid value for '--from'", "'toggl', 'clockify'")),
    (["import", str(TOGGL), "--map", "nothing"], ("--map", "expected FROM=TO")),
    (["import", str(TOGGL), "--timezone", "Mars/Base"], ("--timezone: unknown time zone: Mars/Base",)),
    (["import", "/no/such/file.csv"], ("no such file: /no/such/file.csv",)),
], ids=["no-client", "unknown-list", "forced-wrong", "unknown-from", "bad-map", "bad-zone", "missing-file"])
def test_bad_arguments_are_one_line(tmp_path, args, fragments):
    db = tmp_path / "desk.db"
    result = run(db, *args)
    assert_one_clean_error(result, *fragments)
    assert count(db, "client") == 0


def test_unknown_file_names_the_formats(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Month,Amount\nJanuary,12\n")
    result = run(tmp_path / "desk.db", "import", str(path))
    assert_one_clean_error(result, f"{path}: not a format clientdesk knows (formats: json, toggl, clockify, harvest, "
                                   "timewarrior, watson, taskwarrior, trello, ics; --from NAME forces one)")


def test_broken_export_is_one_line_naming_file_line_and_field(tmp_path):
    bad = tmp_path / "toggl.csv"
    bad.write_bytes(TOGGL.read_bytes().replace(b"03:00:00", b"abc"))
    db = tmp_path / "desk.db"
    result = run(db, "import", str(bad))
    assert_one_clean_error(result, f"{bad}:4: Duration: not a duration (H:MM:SS or hours): 'abc'")
    assert count(db, "time_entry") == 0


def test_hostile_text_in_an_error_is_shown_not_obeyed(tmp_path):
    bad = tmp_path / "toggl.csv"
    bad.write_bytes(TOGGL.read_bytes().replace(b"03:00:00", b"\x1b]0;owned\x07"))
    result = run(tmp_path / "desk.db", "import", str(bad))
    assert_one_clean_error(result, "\\x1b]0;owned\\x07")
    assert "\x1b" not in result.stderr
