"""`clientdesk report` as a user runs it: a real process on a real database."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pendulum
import pytest

from clientdesk.db import close_database
from clientdesk.domain.clients import ClientInput, create_client, create_project
from clientdesk.domain.tasks import TaskInput, create_task
from clientdesk.models import Task, TimeEntry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(db, db_path):
    """A French client with one task done and 12.5 h logged in week 47."""
    client = create_client(ClientInput(name="Atelier Dupont", language="fr", timezone="Europe/Paris", budget_hours_month=40))
    project = create_project(client.id, "Site web")
    task = create_task(TaskInput("Maquette accueil", project.id, status="done"))
    done_at = pendulum.datetime(2026, 11, 19, 15, tz="Europe/Paris")
    Task.update(completed=done_at).where(Task.id == task.id).execute()
    TimeEntry.create(client=client.id, start=pendulum.datetime(2026, 11, 17, 9, tz="Europe/Paris"), minutes=750)
    close_database()
    return db_path


def run(db_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "clientdesk", "--db", str(db_path), "report", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


def test_report_to_stdout_in_the_clients_language(filled):
    result = run(filled, "Atelier Dupont", "--week", "2026-W47")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    assert out.startswith("# Rapport hebdomadaire : Atelier Dupont\n")
    assert "**Semaine 47 · 16–22 nov. 2026**" in out
    assert "- Saisies cette semaine : **12,5 h**" in out
    assert "- ✓ **Maquette accueil** · Site web · terminé le 19 nov. 2026" in out


def test_default_week_is_todays_and_a_prefix_finds_the_client(filled):
    result = run(filled, "atelier", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "**Week 48 · Nov 23 – 29, 2026**" in result.stdout.replace("\u2009", " ")


def test_html_to_a_file(filled, tmp_path):
    target = tmp_path / "report.html"
    result = run(filled, "Atelier Dupont", "--week", "2026-W47", "--format", "html", "--lang", "zh", "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == f"report written to {target}"
    source = target.read_text(encoding="utf-8")
    assert source.startswith("<!DOCTYPE html>")

    tags = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Tags().feed(source)
    assert "script" not in tags and "section" in tags
    assert "第47周 · 2026年11月16日\u2009–\u200922日" in source  # Babel's thin spaces, as CLDR writes them
    assert "完成于 2026年11月19日" in source


def test_unknown_client(filled):
    assert_one_line_error(run(filled, "Nobody"), "clientdesk: no such client: Nobody")


@pytest.mark.parametrize("week, message", [
    ("2026-W60", "--week: no such week: 2026-W60"),
    ("48", "--week: not an ISO week (YYYY-Www): 48"),
    ("2026-11-23", "not an ISO week"),
])
def test_bad_week(filled, week, message):
    assert_one_line_error(run(filled, "Atelier Dupont", "--week", week), message)


def test_unsupported_language(filled):
    assert_one_line_error(run(filled, "Atelier Dupont", "--lang", "xx"), "clientdesk: unsupported language: xx (en, fr, tr, zh)")


def test_bad_format(filled):
    result = run(filled, "Atelier Dupont", "--format", "pdf")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "pdf" in result.stderr


def test_unwritable_out(filled, tmp_path):
    target = tmp_path / "missing-folder" / "report.md"
    assert_one_line_error(run(filled, "Atelier Dupont", "--out", str(target)), "cannot write")
    assert not target.exists()
