"""Team mode's database, against the run's real PostgreSQL server: copy both ways, bad URLs,
a desk on a newer schema, a server that goes away. Each failure: one line on stderr, non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from clientdesk.db import close_database, open_database
from tests.pg_server import PASSWORD_ROLE

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.pop("CLIENTDESK_DB", None)
    return subprocess.run([sys.executable, "-m", "clientdesk", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=timeout)


def one_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode != 0, result.stderr
    err = result.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def demo_file(demo_template, tmp_path) -> Path:
    import shutil

    path = tmp_path / "desk.db"
    shutil.copy(demo_template, path)
    return path


def counts(target) -> dict[str, int]:
    from clientdesk.models import ALL_MODELS

    open_database(target)
    try:
        return {m._meta.table_name: m.select().count() for m in ALL_MODELS}
    finally:
        close_database()


def test_copy_into_postgresql_and_back_keeps_every_row_and_id(demo_file, pg_worker, tmp_path):
    url = pg_worker.fresh(name=f"{pg_worker.name}_copy")
    said = ok(run("--db", str(demo_file), "copy", url))
    before = counts(demo_file)
    assert counts(url) == before and before["task"] > 100
    back = tmp_path / "back.db"
    ok(run("--db", url, "copy", str(back)))
    exports = [ok(run("--db", str(where), "export-json", "-")) for where in (demo_file, url, back)]
    assert exports[0] == exports[1] == exports[2]
    assert json.loads(exports[0])["clients"]
    del said


def test_ids_after_a_copy_come_after_the_copied_ones_and_after_deleted_ones(demo_file, pg_worker):
    """setval: explicit ids do not move a sequence; a deleted id of the source is not handed out again."""
    import sqlite3

    con = sqlite3.connect(demo_file)
    top = con.execute("SELECT MAX(id) FROM client").fetchone()[0]
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("DELETE FROM client WHERE id = ?", (top,))  # its tasks go with it
    con.commit()
    task_counter = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'task'").fetchone()[0]
    con.close()
    url = pg_worker.fresh(name=f"{pg_worker.name}_copy")
    ok(run("--db", str(demo_file), "copy", url))
    ok(run("--db", url, "add", "client", "Newcomer"))
    from clientdesk.models import Client, Task

    open_database(url)
    try:
        assert Client.get(Client.name == "Newcomer").id == top + 1
        task_top = Task.select(Task.id).order_by(Task.id.desc()).first().id
        assert task_top < task_counter  # the deleted client's tasks had the last ids
        Task.create(project=Task.get(Task.id == task_top).project, title="after the copy", status="todo",
                    created="2026-11-23T10:00:00", updated="2026-11-23T10:00:00")
        assert Task.select().order_by(Task.id.desc()).first().id == task_counter + 1
    finally:
        close_database()


def test_copy_refuses_a_target_that_holds_a_desk_and_the_desk_itself(demo_file, pg_worker, tmp_path):
    url = pg_worker.fresh(name=f"{pg_worker.name}_copy")
    ok(run("--db", str(demo_file), "copy", url))
    rows = counts(url)
    one_line(run("--db", str(demo_file), "copy", url), "will not copy", "already holds a desk")
    assert counts(url) == rows
    one_line(run("--db", str(demo_file), "copy", str(demo_file)), "the desk itself")
    one_line(run("--db", url, "copy", url), "the desk itself")
    other = tmp_path / "other.db"
    ok(run("--db", str(demo_file), "copy", str(other)))
    one_line(run("--db", url, "copy", str(other)), "already holds a desk")


@pytest.fixture
def password_role(pg_worker):
    pg_worker.admin(f"DROP ROLE IF EXISTS {PASSWORD_ROLE}")
    pg_worker.admin(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD 'right-one' SUPERUSER")
    yield PASSWORD_ROLE


def test_a_wrong_password_is_one_line_without_the_password(pg_worker, password_role):
    base = pg_worker.url().rsplit("/", 1)[0].replace("postgres@", f"{password_role}:s3cret-typo@")
    err = one_line(run("--db", f"{base}/postgres", "status"), "password authentication failed", password_role)
    assert "s3cret-typo" not in err
    right = pg_worker.fresh(name=f"{pg_worker.name}_pw").replace("postgres@", f"{password_role}:right-one@")
    ok(run("--db", right, "add", "client", "Behind a password"))


def test_a_wrong_host_port_or_database_is_one_line(pg_worker):
    base = pg_worker.url().rsplit("/", 1)[0]
    one_line(run("--db", "postgresql://postgres@no-such-host.invalid:5432/desk", "status"), "cannot connect",
             "no such host")
    from tests.pg_server import free_port

    one_line(run("--db", f"postgresql://postgres@127.0.0.1:{free_port()}/desk", "status"), "cannot connect",
             "connection refused")
    one_line(run("--db", f"{base}/no_such_desk", "status"), "cannot connect", 'database "no_such_desk" does not exist')
    one_line(run("--db", f"{base}/", "status"), "names no database")
    one_line(run("--db", "mysql://root@localhost/desk", "status"), "not mysql://")


def test_a_read_only_command_on_an_empty_database_creates_nothing(pg_worker):
    url = pg_worker.fresh(name=f"{pg_worker.name}_empty")
    one_line(run("--db", url, "status"), "no desk at", "empty")
    from clientdesk.db.driver import load

    psycopg = load()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_a_desk_on_a_newer_schema_is_refused_and_left_alone(pg_worker):
    url = pg_worker.fresh(name=f"{pg_worker.name}_newer")
    ok(run("--db", url, "add", "client", "Acme"))
    from clientdesk.db.driver import load

    psycopg = load()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = 999")
    for args in (("status",), ("add", "client", "Beta"), ("export-json", "-")):
        one_line(run("--db", url, *args), "newer clientdesk", "999")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 999
        assert conn.execute("SELECT name FROM client").fetchall() == [("Acme",)]


def _big_import(path: Path, tasks: int) -> None:
    doc = {"version": 1, "clients": [{"name": "Big", "projects": [{"name": "All", "tasks": [
        {"title": f"task {i}", "status": "todo"} for i in range(tasks)]}]}]}
    path.write_text(json.dumps(doc))


def test_a_server_that_goes_away_mid_import_is_one_line_and_writes_nothing(pg_worker, tmp_path):
    url = pg_worker.fresh(name=f"{pg_worker.name}_away")
    ok(run("--db", url, "add", "client", "Before"))
    big = tmp_path / "big.json"
    _big_import(big, 60_000)
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    proc = subprocess.Popen([sys.executable, "-m", "clientdesk", "--db", url, "import", str(big)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    from clientdesk.db.driver import load

    psycopg = load()
    killed = threading.Event()
    with psycopg.connect(pg_worker.url("postgres"), autocommit=True) as admin:
        # the event: the import's own transaction is open on the server (it has written task rows)
        while proc.poll() is None and not killed.is_set():
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = 'clientdesk' "
                "AND xact_start IS NOT NULL AND backend_xid IS NOT NULL", (url.rsplit("/", 1)[1],)).fetchone()
            if row:
                admin.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                killed.set()
    _out, err = proc.communicate(timeout=120)
    assert killed.is_set(), "the import finished before its transaction was seen"
    assert proc.returncode != 0
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "server went away" in err or "terminat" in err, err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT name FROM client").fetchall() == [("Before",)]
        assert conn.execute("SELECT count(*) FROM task").fetchone()[0] == 0


def test_a_connection_lost_between_statements_reconnects_once(pg_worker):
    """Outside a transaction nothing is half done: the next statement reconnects and runs."""
    from clientdesk.models import Client

    url = pg_worker.fresh(name=f"{pg_worker.name}_again")
    open_database(url)
    try:
        Client.create(name="First")
        pg_worker.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                        f"'{url.rsplit('/', 1)[1]}' AND pid <> pg_backend_pid()")
        assert [c.name for c in Client.select()] == ["First"]
    finally:
        close_database()
