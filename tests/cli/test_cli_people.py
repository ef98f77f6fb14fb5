"""`person add|list`, `@name` in `add task`, and `undo`/`redo` per person, as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(db: Path, *args: str, user: str = "alice") -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris", CLIENTDESK_USER=user)
    env.pop("CLIENTDESK_DB", None)
    return subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(db), *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=60)


def ok(db: Path, *args: str, user: str = "alice") -> subprocess.CompletedProcess:
    done = run(db, *args, user=user)
    assert done.returncode == 0, done.stderr
    return done


def refused(db: Path, *args: str, user: str = "alice") -> str:
    done = run(db, *args, user=user)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr.strip()


def test_people_from_the_command_line(tmp_path):
    db = tmp_path / "desk.db"
    assert "added bob (30 h a week)" in ok(db, "person", "add", "bob", "--capacity", "30").stderr
    assert "already a person named bob" in refused(db, "person", "add", "BOB")
    assert "one word" in refused(db, "person", "add", "Bob Smith")
    assert "capacity" in refused(db, "person", "add", "carol", "--capacity", "500")
    ok(db, "add", "client", "Acme")  # alice's first write makes her row
    listed = json.loads(ok(db, "person", "list", "--format", "json").stdout)
    assert listed == [{"name": "alice", "capacity_hours": 40.0, "active": True, "me": True},
                      {"name": "bob", "capacity_hours": 30.0, "active": True, "me": False}]
    table = ok(db, "person", "list").stdout.splitlines()
    assert table[0].startswith("* alice") and table[1].startswith("  bob")


def test_an_empty_desk_lists_nobody_and_says_how_to_add(tmp_path):
    db = tmp_path / "desk.db"
    assert "no database at" in refused(db, "person", "list")  # a typo in --db creates nothing
    assert "nothing to undo" in refused(db, "undo")  # refused, but a command that writes creates the desk
    out = run(db, "person", "list")
    assert out.returncode == 0 and "person add NAME" in out.stdout


def test_add_task_assigns_with_at_name_and_names_the_people_when_unknown(tmp_path):
    db = tmp_path / "desk.db"
    ok(db, "person", "add", "bob")
    ok(db, "add", "client", "Acme")
    ok(db, "add", "project", "Acme", "Site")
    assert "@bob" in ok(db, "add", "task", "Acme", "Hero copy @bob p1").stderr
    said = refused(db, "add", "task", "Acme", "Hero copy @zed")
    assert "@zed: neither a person nor a date (people: alice, bob;" in said


def test_undo_and_redo_are_your_own(tmp_path):
    db = tmp_path / "desk.db"
    ok(db, "add", "client", "Acme")
    ok(db, "add", "client", "Bobco", user="bob")
    assert "undone: add client 'Acme'" in ok(db, "undo").stderr  # alice's, though bob's is newer
    assert "nothing to undo" in refused(db, "undo")
    ok(db, "add", "client", "Carol & co", user="bob")  # a teammate's action leaves alice's redo
    assert "redone: add client 'Acme'" in ok(db, "redo").stderr
    assert "undone: add client 'Carol & co'" in ok(db, "undo", user="bob").stderr
