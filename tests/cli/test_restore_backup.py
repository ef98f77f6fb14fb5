"""`restore` checks a backup whole before it touches the live desk; `backup` leaves nothing half-written.

Every refused backup leaves the live file byte for byte as it was. Each case
runs the real command line in its own process on real files: a backup edited
to schema 99, one holding only an empty `schema_version`, a foreign database
with a `schema_version` table, a backup carrying a trigger (or a view), a
FIFO, a folder; an older backup is upgraded in the copy, not in place.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain.demo import fill_demo
from tests.cli.test_cli_db_errors import assert_one_clean_error as one_line
from tests.conftest import TODAY

SCHEMA_V1 = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1.sql"


def env() -> dict[str, str]:
    out = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    out.pop("CLIENTDESK_DB", None)
    return out


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(db), *args], capture_output=True,
                          text=True, encoding="utf-8", env=env(), timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Path:
    """A demo desk, checkpointed into one file, and a sound backup of it beside it."""
    folder = tmp_path_factory.mktemp("desk")
    path = folder / "live.db"
    os.environ["CLIENTDESK_TODAY"], os.environ["CLIENTDESK_TZ"] = "2026-11-23", "Europe/Paris"
    open_database(path)
    fill_demo(seed=7, today=TODAY)
    close_database()
    return path


@pytest.fixture
def live(desk, tmp_path) -> Path:
    path = tmp_path / "live.db"
    path.write_bytes(desk.read_bytes())
    return path


def backup_of(live: Path, tmp_path: Path, name: str = "backup.db") -> Path:
    target = tmp_path / name
    result = cli(live, "backup", str(target))
    assert result.returncode == 0, result.stderr
    return target


def edited(source: Path, sql: str) -> Path:
    con = sqlite3.connect(source)
    con.executescript(sql)
    con.close()
    return source


def test_a_sound_backup_restores_and_the_replaced_desk_is_kept(live, tmp_path):
    copy = backup_of(live, tmp_path)
    entries = count(live, "time_entry")
    con = sqlite3.connect(live)
    con.execute("DELETE FROM time_entry")
    con.commit()
    con.close()
    result = cli(live, "restore", str(copy))
    assert result.returncode == 0, result.stderr
    kept = tmp_path / "live.db.before-restore"
    assert str(kept) in result.stderr
    assert count(live, "time_entry") == entries
    assert count(kept, "time_entry") == 0  # the desk as it was before, whole
    again = cli(live, "restore", str(copy))  # a second restore keeps the first one's file too
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "live.db.before-restore.2").exists() and kept.exists()
    assert cli(live, "status", "--format", "json").returncode == 0


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        pytest.param("UPDATE schema_version SET version = 99", ("newer clientdesk", "schema 99"), id="schema-99"),
        pytest.param("CREATE TRIGGER evil AFTER UPDATE ON task BEGIN DELETE FROM time_entry; "
                     "UPDATE client SET notes = 'owned'; END", ("trigger evil",), id="trigger"),
        pytest.param("CREATE VIEW peek AS SELECT name FROM client", ("view peek",), id="view"),
        pytest.param("CREATE TABLE stuff (x)", ("tables clientdesk does not know: stuff",), id="extra-table"),
        pytest.param("ALTER TABLE client ADD COLUMN secret TEXT", ("client has columns", "secret"), id="extra-column"),
        pytest.param("DROP TABLE time_entry", ("lacks tables time_entry",), id="missing-table"),
        pytest.param("DELETE FROM schema_version", ("schema version is empty",), id="no-version-row"),
    ],
)
def test_a_bad_backup_is_refused_before_the_live_desk_is_touched(live, tmp_path, sql, words):
    bad = edited(backup_of(live, tmp_path), sql)
    before = digest(live)
    one_line(cli(live, "restore", str(bad)), *words)
    assert digest(live) == before
    assert not list(tmp_path.glob("*.before-restore*"))
    assert not list(tmp_path.glob(".live.db.restoring*"))


def test_a_trigger_in_a_backup_never_reaches_the_desk(live, tmp_path):
    """The issue's attack: the trigger fired on the next `x` and deleted every time entry."""
    bad = edited(backup_of(live, tmp_path), "CREATE TRIGGER evil AFTER UPDATE ON task BEGIN DELETE FROM time_entry; END")
    entries = count(live, "time_entry")
    one_line(cli(live, "restore", str(bad)), "trigger evil")
    con = sqlite3.connect(live)
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 0
    con.execute("UPDATE task SET status = 'done' WHERE id = (SELECT min(id) FROM task)")
    con.commit()
    con.close()
    assert count(live, "time_entry") == entries


@pytest.mark.parametrize("kind", ["only-schema-version", "foreign-with-schema-version"])
def test_a_foreign_sqlite_file_is_refused(live, tmp_path, kind):
    other = tmp_path / "other.db"
    if kind == "only-schema-version":
        edited(other, "CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER); "
                      "INSERT INTO schema_version (version) VALUES (2)")
        words = ("lacks tables",)
    else:
        edited(other, "CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER); "
                      "INSERT INTO schema_version (version) VALUES (2); CREATE TABLE stuff (x)")
        words = ("stuff",)
    before = digest(live)
    one_line(cli(live, "restore", str(other)), *words)
    assert digest(live) == before


def test_not_a_file_says_what_it_is(live, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = digest(live)
    one_line(cli(live, "restore", str(fifo)), "FIFO")  # and it returns: the FIFO is never opened
    one_line(cli(live, "restore", str(tmp_path)), "directory")
    one_line(cli(live, "restore", str(tmp_path / "missing.db")), "no such backup file")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    one_line(cli(live, "restore", str(junk)))
    assert digest(live) == before


def test_an_older_backup_is_upgraded_in_the_copy(live, tmp_path):
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.executescript(SCHEMA_V1.read_text())
    con.close()
    before = digest(old)
    result = cli(live, "restore", str(old))
    assert result.returncode == 0, result.stderr
    assert digest(old) == before  # the backup itself is left as it was
    assert count(live, "task") == 5 and count(live, "routine") == 0


def test_a_damaged_live_desk_is_kept_as_it_was_and_replaced(live, tmp_path):
    copy = backup_of(live, tmp_path)
    damaged = bytearray(live.read_bytes())
    damaged[100:4096] = os.urandom(3996)
    live.write_bytes(bytes(damaged))
    one_line(cli(live, "status"), "damaged")
    result = cli(live, "restore", str(copy))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "live.db.before-restore").read_bytes() == bytes(damaged)
    assert cli(live, "status", "--format", "json").returncode == 0


def test_a_damaged_desk_is_one_line_in_every_command(live, tmp_path):
    """Bytes flipped in the schema: SQLite hands back text that is not UTF-8 (was a UnicodeDecodeError)."""
    data = bytearray(live.read_bytes())
    con = sqlite3.connect(live)
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'client'").fetchone()[0]
    con.close()
    at = bytes(data).find(sql.encode())
    assert at > 0
    data[at + 20] = 0xDF
    data[at + 21] = 0x28
    live.write_bytes(bytes(data))
    for args in (("status",), ("backup", str(tmp_path / "b.db")), ("export-json", "-"), ("report", "x")):
        one_line(cli(live, *args), "damaged")
    assert not (tmp_path / "b.db").exists()


KILL_DURING_BACKUP = """
import sys, time
import clientdesk.db as db
from clientdesk.db import database, open_database

open_database(sys.argv[1])
connection = database.obj.connection()


class Slow:  # the real connection, copying one page at a time, slowly
    def backup(self, target, **kw):
        print("copying", flush=True)
        connection.backup(target, pages=1, progress=lambda *a: time.sleep(0.02))


database.obj.connection = lambda: Slow()
db.backup_database(sys.argv[2])
"""


def test_a_kill_during_backup_leaves_nothing_that_blocks_the_next(live, tmp_path):
    target = tmp_path / "nightly.db"
    script = tmp_path / "slow_backup.py"
    script.write_text(KILL_DURING_BACKUP)
    proc = subprocess.Popen([sys.executable, str(script), str(live), str(target)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env(), cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout.readline().strip() == "copying"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not target.exists()  # no partial file under the name a person would restore
    result = cli(live, "backup", str(target))
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert not Path(f"{target}-journal").exists()
