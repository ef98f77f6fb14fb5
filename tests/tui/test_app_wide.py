"""App-wide behaviour: the user's keymap, the palette's commands, headless export of every view."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from clientdesk.models import Task
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


@pytest.fixture
def one_task(db):
    c = f.client("Acme")
    p = f.project(c, "Site")
    return f.task(p, "Hero copy", due=TODAY, status="todo")


async def test_keymap_from_the_config_file_rebinds_by_id(one_task, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ndone = "ctrl+o"\n', encoding="utf-8")
    monkeypatch.setenv("CLIENTDESK_CONFIG", str(config))
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#today").focus()
        await press(pilot, "x")
        assert Task.get_by_id(one_task.id).status == "todo"
        await press(pilot, "ctrl+o")
        assert Task.get_by_id(one_task.id).status == "done"


async def test_palette_offers_client_commands(one_task):
    from clientdesk.tui.commands import ClientCommands

    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = ClientCommands(app.screen)
        await provider.startup()
        titles = [title for title, _, _ in provider._commands()]
        assert titles == ["client: open board of Acme", "client: details of Acme", "task: new task for Acme"]
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "view: export this view as SVG" in system and "edit: undo" in system


@pytest.mark.parametrize("fmt", ["svg", "txt"])
def test_export_writes_every_view(demo_template, tmp_path, fmt):
    for view in ("overview", "board", "planner", "changes"):
        out = tmp_path / f"{view}.{fmt}"
        args = [sys.executable, "-m", "clientdesk", "--db", str(demo_template), "--today", TODAY.to_date_string(),
                "export", view, "--format", fmt, "--out", str(out), "--size", "100x30"]
        if view == "board":
            args += ["--client", "Atelier Moreau"]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        text = out.read_text(encoding="utf-8")
        if fmt == "svg":
            ET.fromstring(text)  # well-formed
        else:
            lines = text.splitlines()
            assert len(lines) == 30 and "clientdesk" in lines[0]
            assert {"overview": "Clients", "board": "BACKLOG", "planner": "Mon 23", "changes": "Change requests"}[view] in text


def test_export_of_an_unknown_client_is_one_line(demo_template, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "clientdesk", "--db", str(demo_template), "export", "board", "--client", "Nobody",
         "--out", str(tmp_path / "x.svg")], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["clientdesk: no such client: Nobody"]


async def test_exporting_a_view_twice_writes_two_dated_files_in_the_export_folder(one_task, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "exports" / "nested"
    config = tmp_path / "config.toml"
    config.write_text(f'export_dir = "{out}"\n', encoding="utf-8")
    monkeypatch.setenv("CLIENTDESK_CONFIG", str(config))
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.export_current("svg")
        app.export_current("svg")
        app.export_current("txt")
        await settle(pilot)
        said = [n.message for n in app._notifications]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["clientdesk-overview-2026-11-23-2.svg", "clientdesk-overview-2026-11-23.svg",
                     "clientdesk-overview-2026-11-23.txt"]
    for name in names:
        assert f"written to {out / name}" in said
    ET.fromstring((out / names[0]).read_text(encoding="utf-8"))
    assert list(tmp_path.glob("*.svg")) == []


def test_the_export_folder_defaults_to_the_documents_folder(tmp_path, monkeypatch):
    from clientdesk.config import Settings
    from clientdesk.exports import export_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    assert export_dir(Settings()) == tmp_path / "Documents" / "clientdesk"
    assert export_dir(Settings(export_dir=str(tmp_path / "x"))) == tmp_path / "x"


def test_export_dir_in_the_config_must_be_a_folder(tmp_path):
    from pathlib import Path

    from clientdesk.config import parse_settings
    from clientdesk.domain.errors import InputError

    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(InputError, match="export_dir: not a folder"):
        parse_settings({"export_dir": str(afile)}, Path("config.toml"))
    assert parse_settings({"export_dir": "~/out"}, Path("config.toml")).export_dir == str(Path("~/out").expanduser())


def test_cli_export_without_out_writes_a_dated_file_to_the_export_folder(demo_template, tmp_path):
    import os

    out = tmp_path / "exports"
    config = tmp_path / "config.toml"
    config.write_text(f'export_dir = "{out}"\n', encoding="utf-8")
    env = dict(os.environ, CLIENTDESK_CONFIG=str(config))
    args = [sys.executable, "-m", "clientdesk", "--db", str(demo_template), "--today", TODAY.to_date_string(),
            "export", "overview", "--format", "txt", "--size", "100x30"]
    first = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    second = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stderr.strip() == f"overview written to {out / 'clientdesk-overview-2026-11-23.txt'}"
    assert second.stderr.strip() == f"overview written to {out / 'clientdesk-overview-2026-11-23-2.txt'}"
    assert not list(tmp_path.glob("*.txt"))


def test_svg_export_gives_wide_characters_their_cells(demo_db):
    from rich.cells import cell_len

    from clientdesk.tui.export import export_view

    svg = export_view("overview", fmt="svg", size=(120, 40))
    root = ET.fromstring(svg)
    texts = [el for el in root.iter("{http://www.w3.org/2000/svg}text") if el.get("textLength")]
    narrow = next(el for el in texts if el.text and cell_len(el.text) == len(el.text) and len(el.text) > 3)
    cell = float(narrow.get("textLength")) / len(narrow.text)
    wide = [el for el in texts if el.text and cell_len(el.text) > len(el.text)]
    assert any("青禾" in el.text for el in wide)
    for el in texts:
        if el.text:
            assert float(el.get("textLength")) == pytest.approx(cell * cell_len(el.text)), el.text
    by_line: dict = {}
    for el in texts:
        by_line.setdefault(el.get("clip-path"), []).append((float(el.get("x")), float(el.get("textLength"))))
    for runs in by_line.values():
        runs.sort()
        assert all(x1 + w1 <= x2 + 0.01 for (x1, w1), (x2, _) in zip(runs, runs[1:]))  # no run overlaps the next


async def test_the_config_theme_is_applied_and_an_unknown_one_refused(demo_db, tmp_path, monkeypatch):
    import pytest as _pytest

    from clientdesk.config import load_settings
    from clientdesk.domain.errors import InputError
    from clientdesk.tui.app import create_app as make

    path = tmp_path / "config.toml"
    path.write_text('theme = "textual-light"\n', encoding="utf-8")
    app = make(settings=load_settings(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light" and not app.current_theme.dark
    path.write_text('theme = "no-such-theme"\n', encoding="utf-8")
    with _pytest.raises(InputError, match=r"theme: no theme 'no-such-theme' \(one of .*textual-light"):
        make(settings=load_settings(path))
