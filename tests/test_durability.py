"""Durability under faults, with real processes: kill -9 mid-action, two writers, stale edits, backup.

Every action must be whole or absent after a kill -9 at any moment (an
import, an approval, a fill-my-week accept), the file must pass `PRAGMA
integrity_check`, two processes on one database must wait for each other
instead of failing with "database is locked", an edit based on an old read
must be refused, and a backup taken while another process writes must be a
consistent copy that `clientdesk restore` puts back.

Kills land two ways: at a random moment (seeded, so a failure can be
replayed), and deterministically inside the action's transaction, where a
hook in the child process stalls it and tells the parent when to kill.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pendulum
import pytest

from benchmarks.generate import Sizes, build
from clientdesk.db import close_database, open_database
from clientdesk.domain import journal
from clientdesk.domain.errors import StaleEdit
from clientdesk.domain.tasks import TaskInput, get_task, mark_done, update_task

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 and fork semantics of POSIX")

SEED = 20261123
TABLES = ("client", "project", "task", "change_request", "interaction", "time_block", "time_entry", "routine")
TODAY = "2026-11-23"


# ---------------------------------------------------------------- helpers


def env() -> dict[str, str]:
    out = dict(os.environ, CLIENTDESK_TODAY=TODAY, CLIENTDESK_TZ="Europe/Paris")
    out.pop("CLIENTDESK_DB", None)
    return out


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(db), *args], capture_output=True, text=True,
                          env=env(), timeout=60)


def spawn_cli(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "clientdesk", "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env())


def spawn_script(tmp_path: Path, code: str, *args: str) -> subprocess.Popen:
    script = tmp_path / f"child_{time.monotonic_ns()}.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env())


def wait_for_line(proc: subprocess.Popen, word: str, timeout: float = 30.0) -> str:
    """Read the child's stdout until a line starts with `word` (the child flushes each line)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(word):
            return line
        if not line and proc.poll() is not None:
            raise AssertionError(f"child ended ({proc.returncode}) before {word!r}: {proc.stderr.read()}")
    raise AssertionError(f"no {word!r} from the child in {timeout} s")


def kill9(proc: subprocess.Popen) -> bool:
    """SIGKILL the child; True when it was still running (the kill landed)."""
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    return alive


def finish(proc: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def inspect(path: Path) -> dict[str, int]:
    """integrity_check must say ok; then the rows of every table (0 for a table not created yet)."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        present = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] if t in present else 0 for t in TABLES}
    finally:
        con.close()


def query(path: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def fresh(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    return path


# ---------------------------------------------------------------- data, built once


@pytest.fixture(scope="module")
def agency(tmp_path_factory) -> dict[str, Path]:
    """The benchmark generator at 1/8: 8 clients, 3,000 tasks, 75 change requests (no routines), and its JSON."""
    folder = tmp_path_factory.mktemp("agency")
    db, data = folder / "agency.db", folder / "agency.json"
    build(db, json_path=data, sizes=replace(Sizes().scaled(0.125), routines=0))
    return {"db": db, "json": data}


# ---------------------------------------------------------------- kill -9 during an import

STALL_IMPORT = """
    import json, sys, time
    from clientdesk.db import open_database
    from clientdesk.domain import interchange

    calls = [0]
    run_many = interchange._run_many

    def stalling(*args, **kwargs):
        ids = run_many(*args, **kwargs)
        calls[0] += 1
        if calls[0] == int(sys.argv[3]):  # some tables written, inside the one transaction
            print("inside", flush=True)
            time.sleep(float(sys.argv[4]))
        return ids

    interchange._run_many = stalling
    open_database(sys.argv[1])
    interchange.import_data(json.load(open(sys.argv[2], encoding="utf-8")))
    print("imported", flush=True)
"""


def test_kill_9_during_an_import_leaves_all_of_it_or_none(agency, tmp_path):
    target = tmp_path / "full.db"
    started = time.perf_counter()
    done = cli(target, "import", str(agency["json"]))
    duration = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    everything = inspect(target)
    assert everything["task"] == 3000
    nothing = dict.fromkeys(TABLES, 0)

    # inside the transaction, for certain: nothing was written
    db = tmp_path / "stalled.db"
    child = spawn_script(tmp_path, STALL_IMPORT, str(db), str(agency["json"]), "4", "60")
    wait_for_line(child, "inside")
    assert kill9(child)
    assert inspect(db) == nothing
    assert cli(db, "import", str(agency["json"])).returncode == 0  # and the import can simply be run again
    assert inspect(db) == everything

    # at random moments across the run (start-up, checks, writes, commit)
    rng = random.Random(SEED)
    outcomes = []
    for k in range(5):
        db = tmp_path / f"killed{k}.db"
        child = spawn_cli(db, "import", str(agency["json"]))
        delay = duration * (0.4 + 0.65 * (k + rng.random()) / 5)
        time.sleep(delay)
        landed = kill9(child)
        found = inspect(db)
        assert found in (everything, nothing), f"kill after {delay:.2f} s (seed {SEED}) left a partial import: {found}"
        outcomes.append((round(delay, 2), landed, "all" if found == everything else "none"))
        open_database(db)  # clientdesk opens what is left
        close_database()
    assert any(landed for _, landed, _ in outcomes), outcomes


# ---------------------------------------------------------------- kill -9 during approvals

APPROVE_LOOP = """
    import sys, time
    from clientdesk.db import open_database
    from clientdesk.domain import changes
    from clientdesk.models import ChangeRequest

    open_database(sys.argv[1])
    stall_at = int(sys.argv[2])
    if stall_at:
        end_of_column, calls = changes.end_of_column, [0]

        def stalling(*args, **kwargs):  # runs inside approve's transaction, after budget and status changed
            calls[0] += 1
            if calls[0] == stall_at:
                print("inside", flush=True)
                time.sleep(60)
            return end_of_column(*args, **kwargs)

        changes.end_of_column = stalling
    ids = [c.id for c in ChangeRequest.select().where(ChangeRequest.status == "assessing").order_by(ChangeRequest.id)]
    print("ready", len(ids), flush=True)
    for i in ids:
        changes.approve_change(i)
"""


def _approval_setup(template: Path, path: Path) -> dict:
    fresh(template, path)
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "UPDATE change_request SET status = 'assessing', impact_hours = coalesce(impact_hours, 3), "
            "impact_days = coalesce(impact_days, 1), decided_on = NULL WHERE status IN ('new', 'assessing')"
        )
    con.close()
    projects = {pid: (budget, deadline) for pid, budget, deadline in query(path, "SELECT id, budget_hours, deadline FROM project")}
    candidates = query(path, "SELECT id, project_id, title, impact_hours, impact_days FROM change_request "
                             "WHERE status = 'assessing' ORDER BY id")
    assert len(candidates) > 20
    return {"projects": projects, "candidates": candidates}


def _check_approvals(path: Path, before: dict) -> int:
    """Each approval whole or absent: status, decision date, task, decision log entry, budget, deadline, journal."""
    inspect(path)
    approved_by_project: dict[int, list[tuple]] = {}
    approved = 0
    for cid, pid, title, hours, days in before["candidates"]:
        (status, decided), = query(path, "SELECT status, decided_on FROM change_request WHERE id = ?", cid)
        tasks = query(path, "SELECT title, status FROM task WHERE change_request_id = ?", cid)
        logs = query(path, "SELECT kind FROM interaction WHERE change_request_id = ?", cid)
        if status == "approved":
            approved += 1
            assert decided == TODAY
            assert tasks == [(title, "backlog")], (cid, tasks)
            assert logs == [("decision",)], (cid, logs)
            approved_by_project.setdefault(pid, []).append((hours, days))
        else:
            assert (status, decided, tasks, logs) == ("assessing", None, [], []), (cid, status, tasks, logs)
    for pid, (budget, deadline) in before["projects"].items():
        (now_budget, now_deadline), = query(path, "SELECT budget_hours, deadline FROM project WHERE id = ?", pid)
        done = approved_by_project.get(pid, [])
        if done:
            assert now_budget == pytest.approx((budget or 0) + sum(h for h, _ in done)), pid
            expected = None if deadline is None else pendulum.parse(deadline).add(days=sum(d for _, d in done)).to_date_string()
            assert now_deadline == expected, pid
        else:
            assert (now_budget, now_deadline) == (budget, deadline), pid
    assert query(path, "SELECT count(*) FROM action WHERE label LIKE 'approve %'")[0][0] == approved
    return approved


def test_kill_9_during_approvals_leaves_each_whole_or_absent(agency, tmp_path):
    db = tmp_path / "stalled.db"
    before = _approval_setup(agency["db"], db)
    child = spawn_script(tmp_path, APPROVE_LOOP, str(db), "5")
    wait_for_line(child, "inside")
    assert kill9(child)
    assert _check_approvals(db, before) == 4  # the fifth was inside its transaction: absent

    rng = random.Random(SEED)
    for k in range(2):
        db = tmp_path / f"killed{k}.db"
        before = _approval_setup(agency["db"], db)
        child = spawn_script(tmp_path, APPROVE_LOOP, str(db), "0")
        wait_for_line(child, "ready")
        time.sleep(rng.uniform(0.05, 0.4))
        kill9(child)
        _check_approvals(db, before)


# ---------------------------------------------------------------- kill -9 during fill-my-week accepts

FILL_LOOP = """
    import sys, time
    import pendulum
    from clientdesk.config import Settings
    from clientdesk.db import open_database
    from clientdesk.domain import fill, journal

    open_database(sys.argv[1])
    stall_round = int(sys.argv[2])
    rounds, created = [0], [0]
    accept, create = fill.accept_fill, journal.ActionRecorder.create

    def counting_accept(*args, **kwargs):
        rounds[0] += 1
        created[0] = 0
        return accept(*args, **kwargs)

    def stalling_create(self, model, **fields):
        row = create(self, model, **fields)
        created[0] += 1
        if rounds[0] == stall_round and created[0] == 2:  # two blocks of this accept written, uncommitted
            print("inside", flush=True)
            time.sleep(60)
        return row

    fill.accept_fill = counting_accept
    journal.ActionRecorder.create = stalling_create
    print("ready", flush=True)
    monday = pendulum.date(2027, 1, 4)
    for week in range(30):
        day = monday.add(weeks=week)
        proposal = fill.propose_fill(day, Settings(), now=pendulum.datetime(day.year, day.month, day.day, 8, tz="Europe/Paris"))
        if proposal.blocks:
            print("accepted", len(fill.accept_fill(proposal)), flush=True)
"""


def _check_fills(path: Path, last_block_before: int) -> tuple[int, int]:
    """Blocks written since the start are exactly those the "fill week" journal entries list."""
    inspect(path)
    new_blocks = {i for (i,) in query(path, "SELECT id FROM time_block WHERE id > ?", last_block_before)}
    journaled: set[int] = set()
    actions = query(path, "SELECT changes FROM action WHERE label = 'fill week'")
    for (changes,) in actions:
        ids = {c["id"] for c in json.loads(changes) if c["op"] == "insert" and c["table"] == "time_block"}
        assert ids, "a fill with no blocks"
        journaled |= ids
    assert new_blocks == journaled
    return len(actions), len(new_blocks)


def test_kill_9_during_fill_my_week_accepts_leaves_each_whole_or_absent(agency, tmp_path):
    last_block = query(agency["db"], "SELECT max(id) FROM time_block")[0][0]
    db = fresh(agency["db"], tmp_path / "stalled.db")
    child = spawn_script(tmp_path, FILL_LOOP, str(db), "2")
    wait_for_line(child, "inside")
    assert kill9(child)
    fills, blocks = _check_fills(db, last_block)
    assert fills == 1 and blocks > 0  # the first accept whole, the second absent

    rng = random.Random(SEED + 1)
    for k in range(2):
        db = fresh(agency["db"], tmp_path / f"killed{k}.db")
        child = spawn_script(tmp_path, FILL_LOOP, str(db), "0")
        wait_for_line(child, "ready")
        time.sleep(rng.uniform(0.1, 0.8))
        kill9(child)
        _check_fills(db, last_block)


# ---------------------------------------------------------------- two processes, one database

HOLD_WRITE = """
    import sys, time
    from clientdesk.db import open_database
    from clientdesk.models import Client, database

    open_database(sys.argv[1])
    with database.atomic():
        Client.create(name="Holder")  # a write: this process now holds the write lock
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    print("released", flush=True)
"""

WRITE_DURING = """
    import sys
    from clientdesk.db import open_database
    from clientdesk.domain.tasks import TaskInput, change_priority, create_task
    from clientdesk.models import Project, Task

    open_database(sys.argv[1])
    project = Project.select().order_by(Project.id).first()
    task = Task.select().where(Task.project == project.id).order_by(Task.id).first()
    print("writing", flush=True)
    create_task(TaskInput(title="Added while importing", project_id=project.id))  # reads inside, then writes
    change_priority([task.id], 1 if task.priority == 1 else -1)  # a real change ("already p1" writes nothing)
    print("written", flush=True)
"""


def test_an_import_waits_for_another_writer_instead_of_failing(agency, tmp_path):
    db = tmp_path / "shared.db"
    open_database(db)
    close_database()
    holder = spawn_script(tmp_path, HOLD_WRITE, str(db), "2.5")  # longer than the import needs to reach its writes
    wait_for_line(holder, "holding")
    started = time.perf_counter()
    imported = cli(db, "import", str(agency["json"]))
    assert imported.returncode == 0, imported.stderr
    assert "locked" not in imported.stderr
    assert time.perf_counter() - started >= 2.0  # it waited for the holder
    code, out, err = finish(holder)
    assert code == 0 and "released" in out, err
    counts = inspect(db)
    assert counts["client"] == 9 and counts["task"] == 3000  # 8 imported + the holder's


def test_the_app_s_writes_wait_for_an_import_instead_of_failing(agency, tmp_path):
    db = fresh(agency["db"], tmp_path / "shared.db")
    before = inspect(db)
    other = json.loads(agency["json"].read_text(encoding="utf-8"))
    for client in other["clients"]:
        client["name"] += " (new)"
    for item in other["time_blocks"] + other["time_entries"] + other.get("routines", []):
        item["client"] += " (new)"
    data = tmp_path / "other.json"
    data.write_text(json.dumps(other), encoding="utf-8")
    importer = spawn_script(tmp_path, STALL_IMPORT, str(db), str(data), "2", "2.0")  # holds the lock 2 s mid-import
    wait_for_line(importer, "inside")
    writer = spawn_script(tmp_path, WRITE_DURING, str(db))
    code, out, err = finish(writer)
    assert code == 0 and "written" in out, err
    assert "locked" not in err
    code, out, err = finish(importer)
    assert code == 0 and "imported" in out, err
    after = inspect(db)
    assert after["task"] == 2 * before["task"] + 1
    assert query(db, "SELECT count(*) FROM task WHERE title = 'Added while importing'") == [(1,)]


# ---------------------------------------------------------------- stale edits across processes


def test_a_stale_edit_is_refused_and_the_other_change_kept(agency, tmp_path):
    db = fresh(agency["db"], tmp_path / "stale.db")
    open_database(db)
    try:
        task_id = query(db, "SELECT id FROM task WHERE status = 'todo' AND priority > 1 ORDER BY id LIMIT 1")[0][0]
        seen = get_task(task_id)  # the form opens with this version
        other = cli_python(db, f"from clientdesk.domain.tasks import change_priority; change_priority([{task_id}], -1)")
        assert other.returncode == 0, other.stderr
        mine = TaskInput(title="My new title", project_id=seen.project_id, status=seen.status, priority=seen.priority,
                         due=seen.due, estimate_minutes=seen.estimate_minutes, tags=seen.tags)
        with pytest.raises(StaleEdit, match="changed elsewhere"):
            update_task(task_id, mine, expect_version=seen.version)
        now = get_task(task_id)
        assert now.title == seen.title  # the user's change was not written
        assert now.priority == seen.priority - 1  # the other process's change survives
        assert now.version == seen.version + 1

        # undo refuses to overwrite what another process wrote since (here an import --merge, not journaled)
        mark_done([task_id])
        row = query(db, "SELECT c.name, p.name, t.title FROM task t JOIN project p ON p.id = t.project_id "
                        "JOIN client c ON c.id = p.client_id WHERE t.id = ?", task_id)[0]
        patch = tmp_path / "patch.json"
        patch.write_text(json.dumps({"version": 1, "clients": [{"name": row[0], "projects": [
            {"name": row[1], "tasks": [{"title": row[2], "status": "done", "priority": 4}]}]}]}), encoding="utf-8")
        merged = cli(db, "import", "--merge", str(patch))
        assert merged.returncode == 0, merged.stderr
        with pytest.raises(StaleEdit, match="changed since"):
            journal.undo()
        after = get_task(task_id)
        assert (after.status, after.priority) == ("done", 4)
    finally:
        close_database()


def cli_python(db: Path, code: str) -> subprocess.CompletedProcess:
    prelude = f"from clientdesk.db import open_database; open_database({str(db)!r}); "
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env(), timeout=60)


# ---------------------------------------------------------------- backup while another process writes

PAIRED_WRITES = """
    import sys, time
    from pathlib import Path
    import pendulum
    from clientdesk.db import open_database
    from clientdesk.models import Interaction, Project, Task, database

    open_database(sys.argv[1])
    project = Project.select().order_by(Project.id).first()
    now = pendulum.now("UTC")
    stop, end = Path(sys.argv[2]), time.monotonic() + 60
    n = 0
    while not stop.exists() and time.monotonic() < end:
        with database.atomic():  # a task and its log line: always both or neither
            Task.create(project=project.id, title=f"w{n}", created=now, updated=now)
            Interaction.create(client=project.client_id, on=pendulum.date(2026, 11, 23), kind="note", summary=f"w{n}")
        n += 1
        if n == 20:
            print("writing", flush=True)
    print("wrote", n, flush=True)
"""


def _pairs(path: Path) -> tuple[int, int]:
    tasks = query(path, "SELECT count(*) FROM task WHERE title GLOB 'w[0-9]*'")[0][0]
    logs = query(path, "SELECT count(*) FROM interaction WHERE summary GLOB 'w[0-9]*'")[0][0]
    return tasks, logs


def test_backup_while_another_process_writes_is_consistent_and_restores_in_one_command(agency, tmp_path):
    db = fresh(agency["db"], tmp_path / "live.db")
    stop = tmp_path / "stop"
    writer = spawn_script(tmp_path, PAIRED_WRITES, str(db), str(stop))
    wait_for_line(writer, "writing")
    copy = tmp_path / "backup.db"
    backed = cli(db, "backup", str(copy))
    assert backed.returncode == 0, backed.stderr
    assert writer.poll() is None, "the writer kept writing during the whole backup"
    time.sleep(0.2)  # and after it
    stop.touch()
    code, out, err = finish(writer)
    assert code == 0, err
    written = int(out.split()[-1])

    saved = inspect(copy)  # integrity_check ok
    tasks, logs = _pairs(copy)
    assert tasks == logs and 20 <= tasks < written  # a moment between two transactions, mid-stream
    assert not Path(f"{copy}-wal").exists()  # a self-contained file
    assert _pairs(db) == (written, written)

    restored = cli(db, "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert inspect(db) == saved
    assert _pairs(db) == (tasks, logs)
    assert cli(db, "status", "--format", "json").returncode == 0
