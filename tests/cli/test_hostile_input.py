"""Hostile files, values and settings: one clear line and the desk unchanged, or accepted and sound.

Each case is one of the issue's: an endless file, a 5,000-digit number,
100,000-deep nesting, a lone surrogate, a BOM, 10 MB names, lookalike
client names, dates in year 1 or 9999, huge cadences and delays, clocks and
weeks out of range, nested or contradictory config files, keymaps that take
a key over, a CHECK the file checks miss. Real processes, real files.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain.errors import InputError
from clientdesk.domain.interchange import export_data, import_data
from tests.cli.test_restore_backup import one_line


def run(db: Path, *args: str, config: Path | None = None, **env_over: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.update(env_over)
    env.pop("CLIENTDESK_DB", None)
    if config is not None:
        env["CLIENTDESK_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(db), *args], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=env, timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def desk(tmp_path) -> Path:
    path = tmp_path / "desk.db"
    open_database(path)
    import_data({"version": 1, "clients": [{"name": "Émile Acme", "projects": [{"name": "Site", "tasks": [
        {"title": "Hero copy", "due": "2026-11-25", "recurrence": "yearly"}]}]}]})
    close_database()
    return path


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def doc(client: dict | None = None, **top) -> str:
    return json.dumps({"version": 1, "clients": [client or {"name": "New"}], **top}, ensure_ascii=False)


def refused(desk: Path, file: Path, *fragments: str, merge: bool = False) -> str:
    before = digest(desk)
    result = run(desk, "import", str(file), *(["--merge"] if merge else []))
    line = one_line(result, *fragments)
    assert digest(desk) == before, "a refused import changed the desk"
    return line


# ------------------------------------------------------------------ item 8: limits


def test_an_endless_file_ends_in_one_line(desk):
    refused(desk, Path("/dev/zero"), "larger than 256 MB")


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        pytest.param('{"version": 1, "clients": [{"name": "A", "checkin_every_days": ' + "9" * 5000 + "}]}",
                     ("5,000 digits", "at most 20"), id="5000-digit-integer"),
        pytest.param("[" * 100_000 + "]" * 100_000, ("nested more than 64 levels",), id="deep-nesting"),
        pytest.param('{"version": 1, "clients": [{"name": "\\ud800x"}]}', ("clients[0].name", "lone surrogate"),
                     id="lone-surrogate"),
        pytest.param(doc({"name": "x" * 10_000_000}), ("clients[0].name", "too long", "at most 500"), id="10MB-name"),
        pytest.param(doc({"name": "A", "timezone": "Europe/" + "x" * 10_000_000}), ("clients[0].timezone",),
                     id="10MB-bad-value"),
        pytest.param(b"\xff\xfe{}", ("not UTF-8",), id="not-utf8"),
    ],
)
def test_a_hostile_file_is_one_short_line(desk, tmp_path, payload, words):
    line = refused(desk, write(tmp_path, "bad.json", payload), *words)
    assert len(line) < 400  # a 10 MB value is not echoed back


def test_a_bom_is_accepted_in_json(desk, tmp_path):
    result = run(desk, "import", str(write(tmp_path, "bom.json", b"\xef\xbb\xbf" + doc().encode())))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lookalike", ["ÉMILE ACME", "E\u0301mile Acme", "Émile\u200d Acme", "Ｅｍｉｌｅ Acme".replace(
    "Ｅｍｉｌｅ", "Émile").replace("Acme", "Ａｃｍｅ"), "Émile\u00a0Acme", " émile   acme "])
def test_a_lookalike_name_is_the_same_client(desk, tmp_path, lookalike):
    file = write(tmp_path, "same.json", doc({"name": lookalike, "notes": "merged"}))
    refused(desk, file, "client already exists", "Émile Acme", "--merge")
    result = run(desk, "import", str(file), "--merge")
    assert result.returncode == 0, result.stderr
    open_database(desk)
    try:
        clients = export_data()["clients"]
    finally:
        close_database()
    assert [(c["name"], c["notes"]) for c in clients] == [("Émile Acme", "merged")]


def test_two_lookalikes_in_one_file_are_a_duplicate(desk, tmp_path):
    file = write(tmp_path, "dup.json", json.dumps({"version": 1, "clients": [{"name": "Zeta"}, {"name": "ZETA"}]}))
    refused(desk, file, "clients[1].name", "duplicate client")


def test_a_time_block_names_its_client_in_any_form(desk, tmp_path):
    file = write(tmp_path, "block.json", json.dumps({"version": 1, "time_blocks": [
        {"client": "EMILE ACME".replace("E", "É", 1), "start": "2026-11-24T09:00", "end": "2026-11-24T10:00"}]}))
    result = run(desk, "import", str(file))
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ item 9: bounds


@pytest.mark.parametrize(
    ("client", "words"),
    [
        pytest.param({"name": "A", "projects": [{"name": "P", "tasks": [{"title": "T", "created": "0001-01-01T00:30"}]}]},
                     ("tasks[0].created", "1900..2200"), id="created-year-1"),
        pytest.param({"name": "A", "checkin_every_days": 10**7}, ("checkin_every_days", "1..3650"), id="cadence-1e7"),
        pytest.param({"name": "A", "projects": [{"name": "P", "change_requests": [
            {"title": "C", "received_on": "2026-11-20", "impact_hours": 1, "impact_days": 10**7}]}]},
            ("impact_days", "0..3650"), id="impact-days-1e7"),
        pytest.param({"name": "A", "projects": [{"name": "P", "tasks": [
            {"title": "T", "due": "9999-12-31", "recurrence": "yearly"}]}]}, ("tasks[0].due", "1900..2200"),
            id="yearly-due-9999"),
        pytest.param({"name": "A", "hourly_rate": 1e300}, ("hourly_rate",), id="rate-1e300"),
    ],
)
def test_a_value_that_would_break_the_desk_is_refused(desk, tmp_path, client, words):
    refused(desk, write(tmp_path, "bad.json", doc(client)), *words)


def test_a_block_ending_in_9999_is_refused(desk, tmp_path):
    file = write(tmp_path, "bad.json", json.dumps({"version": 1, "time_blocks": [
        {"client": "Émile Acme", "start": "2026-11-24T09:00:00+00:00", "end": "9999-12-31T23:59:59+00:00"}]}))
    refused(desk, file, "time_blocks[0].end", "1900..2200")


def test_the_domain_holds_the_same_bounds(db):
    """Forms call these functions: they get the same refusals."""
    import pendulum

    from clientdesk.domain.changes import ChangeInput, assess_change, create_change
    from clientdesk.domain.clients import ClientInput, create_client
    from clientdesk.domain.tasks import TaskInput, create_task
    from tests import factories as f

    with pytest.raises(InputError, match="1..3650"):
        create_client(ClientInput(name="Far", checkin_every_days=10**7))
    project = f.project(f.client("Near"))
    with pytest.raises(InputError, match="1900..2200"):
        create_task(TaskInput(title="T", project_id=project.id, due=pendulum.date(9999, 12, 31)))
    with pytest.raises(InputError, match="too long"):
        create_task(TaskInput(title="x" * 10_000, project_id=project.id))
    change = create_change(ChangeInput(project_id=project.id, title="C", received_on=pendulum.date(2026, 11, 20)))
    with pytest.raises(InputError, match="0..3650"):
        assess_change(change.id, impact_hours=1, impact_days=10**7)


def test_a_yearly_task_due_at_the_last_year_is_done_for_good(db):
    import pendulum

    from clientdesk.domain.tasks import TaskInput, create_task, set_status
    from clientdesk.models import Task
    from tests import factories as f

    project = f.project(f.client("Late"))
    task = create_task(TaskInput(title="Renew", project_id=project.id, due=pendulum.date(2200, 12, 31),
                                 recurrence="yearly"))
    set_status(task.id, "done")
    assert Task.select().count() == 1  # no 2201 occurrence, and no crash


# ------------------------------------------------------------------ item 10: one line, not a traceback


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        pytest.param(("--today", "0001-01-01", "status"), {}, ("--today", "1900..2200"), id="today-year-1"),
        pytest.param(("--today", "9999-12-31", "status"), {}, ("--today", "1900..2200"), id="today-9999"),
        pytest.param(("report", "Émile Acme", "--week", "9999-W52"), {}, ("--week", "1900..2199"), id="week-9999"),
        pytest.param(("export", "planner", "--format", "txt", "--out", "-"), {"CLIENTDESK_TODAY": "2026-13-45"},
                     ("CLIENTDESK_TODAY",), id="bad-today-env-planner"),
        pytest.param(("status",), {"CLIENTDESK_TZ": "Mars/Olympus"}, ("CLIENTDESK_TZ", "unknown time zone"),
                     id="bad-tz-env"),
        pytest.param((), {"CLIENTDESK_TZ": "Mars/Olympus"}, ("CLIENTDESK_TZ",), id="bad-tz-env-app"),
    ],
)
def test_bad_clocks_and_weeks_are_one_line(desk, args, env, words):
    one_line(run(desk, *args, **env), *words)


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        pytest.param("a = " + "[" * 100_000 + "]" * 100_000, ("nested too deeply",), id="deep-nesting"),
        pytest.param('[working_hours]\nmon = "09:00-12:00"\nmonday = "10:00-11:00"\n', ("working_hours.monday", "mon"),
                     id="mon-and-monday"),
        pytest.param('[working_hours]\nmon = "０９:00-12:00"\n', ("working_hours.mon", "not a time range"),
                     id="fullwidth-digits"),
        pytest.param('[working_hours]\nmon = "٠٩:٠٠-١٢:٠٠"\n', ("working_hours.mon", "not a time range"),
                     id="arabic-indic-digits"),
        pytest.param('[keymap]\nnot_a_binding = "z"\n', ("keymap.not_a_binding", "no key has this id"),
                     id="unknown-keymap-id"),
        pytest.param('[keymap]\ndone = "nonsense"\n', ("keymap.done", "not a key"), id="nonsense-key"),
        pytest.param('[keymap]\ndone = "q"\n', ("keymap.done", "already the key of quit"), id="done-takes-q"),
    ],
)
def test_a_bad_config_file_is_one_line(desk, tmp_path, toml, words):
    config = write(tmp_path, "config.toml", toml)
    command = () if "keymap" in toml else ("status",)  # the keymap is the app's
    one_line(run(desk, *command, config=config), "config file", *words)


def test_a_bom_is_accepted_in_the_config_file(desk, tmp_path):
    config = write(tmp_path, "config.toml", b"\xef\xbb\xbfbuffer_share = 0.2\n")
    result = run(desk, "status", config=config)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ item 11: the JSON path survives a CHECK


def test_a_check_the_file_checks_miss_keeps_the_json_path(desk, tmp_path):
    """SQLite's length() stops at a NUL: the title passes every check in Python and fails the CHECK."""
    file = write(tmp_path, "nul.json", doc({"name": "N", "projects": [{"name": "P", "tasks": [
        {"title": "fine"}, {"title": "\u0000 hidden"}]}]}))
    line = refused(desk, file, "clients[0].projects[0].tasks[1]", "CHECK constraint failed")
    assert "nothing was written" in line
