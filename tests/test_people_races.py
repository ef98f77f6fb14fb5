"""Two real processes on one SQLite file, released together: exactly one wins, the other is told who.

Each child opens the desk, prints "ready", then waits for a go-file to appear
(an event, not a sleep); the parent creates it once both are ready.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain import changes, people, tasks
from clientdesk.domain.journal import row_version
from clientdesk.models import ChangeRequest, Interaction, Project, Task
from tests import factories as f
from tests.conftest import TODAY

CHILD = """
import os, sys, time
from pathlib import Path
from clientdesk.db import open_database
from clientdesk.domain.errors import ClientdeskError
open_database(sys.argv[1])
go = Path(sys.argv[2])
print("ready", flush=True)
deadline = time.monotonic() + 30
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("no go")
    time.sleep(0.001)
try:
{body}
    print("WON", flush=True)
except ClientdeskError as exc:
    print("LOST", exc, flush=True)
"""


def race(tmp_path: Path, db: Path, users_and_bodies: list[tuple[str, str]]) -> list[str]:
    go = tmp_path / "go"
    procs = []
    for n, (user, body) in enumerate(users_and_bodies):
        script = tmp_path / f"child{n}.py"
        script.write_text(CHILD.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    ")), encoding="utf-8")
        env = dict(os.environ, CLIENTDESK_USER=user, CLIENTDESK_TODAY=TODAY.to_date_string(), CLIENTDESK_TZ="Europe/Paris")
        procs.append(subprocess.Popen([sys.executable, str(script), str(db), str(go)], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, env=env))
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    go.touch()
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        outs.append(out.strip())
    return outs


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "lead")
    path = tmp_path / "desk.db"
    open_database(path)
    for name in ("alice", "bob"):
        people.add_person(name)
    c = f.client("Acme", hourly_rate=100)
    p = f.project(c, budget_hours=80)
    cr = f.change(p, "Add blog")
    changes.assess_change(cr.id, impact_hours=16, impact_days=2)
    t = f.task(p, "Draft invoice")
    close_database()
    return path, p.id, cr.id, t.id


@pytest.mark.parametrize("round_", range(3))
def test_two_processes_approving_one_change_one_wins_the_other_is_told(desk, tmp_path, round_):
    path, project_id, cr_id, _ = desk
    body = f"from clientdesk.domain.changes import approve_change\napprove_change({cr_id})"
    outs = race(tmp_path, path, [("alice", body), ("bob", body)])
    assert sorted(o.split()[0] for o in outs) == ["LOST", "WON"], outs
    winner = "alice" if outs[0] == "WON" else "bob"
    lost = next(o for o in outs if o.startswith("LOST"))
    assert f"'Add blog' was already approved by {winner} at " in lost
    open_database(path)
    try:
        assert ChangeRequest.get_by_id(cr_id).status == "approved"
        assert Project.get_by_id(project_id).budget_hours == 96  # raised once
        assert Task.select().where(Task.change_request == cr_id).count() == 1
        assert Interaction.select().where(Interaction.change_request == cr_id, Interaction.kind == "decision").count() == 1
    finally:
        close_database()


@pytest.mark.parametrize("round_", range(3))
def test_two_saves_of_one_task_version_one_is_saved_the_other_refused(desk, tmp_path, round_):
    path, project_id, _, task_id = desk
    open_database(path)
    seen = tasks.get_task(task_id).version
    close_database()

    def body(title):
        return (f"from clientdesk.domain.tasks import TaskInput, update_task\n"
                f"update_task({task_id}, TaskInput({title!r}, {project_id}), expect_version={seen})")

    outs = race(tmp_path, path, [("alice", body("Alice's title")), ("bob", body("Bob's title"))])
    assert sorted(o.split()[0] for o in outs) == ["LOST", "WON"], outs
    winner = "alice" if outs[0] == "WON" else "bob"
    lost = next(o for o in outs if o.startswith("LOST"))
    assert lost.startswith(f"LOST {winner} changed the title of ") and "not saved" in lost
    open_database(path)
    try:
        assert Task.get_by_id(task_id).title == ("Alice's title" if winner == "alice" else "Bob's title")
        assert Task.get_by_id(task_id).version == seen + 1
    finally:
        close_database()


def test_two_saves_of_one_client_profile_the_second_is_refused(desk, tmp_path):
    path, *_ = desk
    open_database(path)
    version = row_version("client", 1)
    close_database()

    def body(field, value):
        return ("from clientdesk.domain.clients import update_client\n"
                "from clientdesk.domain.journal import saved_over\n"
                f"saved_over('client', 1, {version}, update_client, 1, {{{field!r}: {value!r}}})")

    outs = race(tmp_path, path, [("alice", body("contact", "alice@acme.test")), ("bob", body("notes", "bob's notes"))])
    assert sorted(o.split()[0] for o in outs) == ["LOST", "WON"], outs
    lost = next(o for o in outs if o.startswith("LOST"))
    assert "changed the" in lost and "of 'Acme'" in lost
