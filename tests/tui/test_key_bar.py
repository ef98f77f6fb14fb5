"""The footer (KeyBar): the view's keys on one line, `?` always in view, clicks press keys."""

from __future__ import annotations

import pytest

from clientdesk.tui.export import screen_text
from clientdesk.tui.screens.help import HelpScreen
from clientdesk.tui.widgets.key_bar import KeyBar
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


@pytest.fixture
def desk(db):
    c = f.client("Acme")
    f.task(f.project(c, "Site"), "Hero copy", due=TODAY, status="todo")


def footer(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


async def test_the_footer_lists_the_views_keys_then_help_and_palette_at_the_right(desk):
    app = create_app()
    async with app.run_test(size=(220, 30)) as pilot:
        await settle(pilot)
        line = footer(app)  # the client rows have the focus: their keys
        assert line.startswith("/ Filter s Sort i Client N New client e Edit z Pause Z Archive t Timer")
        assert "u Undo q Quit" in line and "…" not in line and "Prio" not in line
        assert line.endswith("? Keys ▏^p palette")
        await press(pilot, "tab")  # the Today list: the triage keys, not the client's
        line = footer(app)
        assert line.startswith("/ Filter s Sort + Prio + - Prio - > Next col < Prev col x Done v Mark d Due date")
        assert "z Pause" not in line
        await press(pilot, "2")  # another view, its own keys
        assert footer(app).startswith("⏎ Open a Add e Edit")


async def test_a_narrow_footer_ends_in_an_ellipsis_and_keeps_help_in_view(desk):
    app = create_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        line = footer(app)
        assert len(line) <= 60
        assert "… " in line and line.endswith("? Keys ▏^p palette")
        assert line.startswith("/ Filter s Sort")


async def test_clicking_a_key_presses_it(desk):
    app = create_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = footer(app)
        await pilot.click(KeyBar, offset=(line.index("s Sort") + 2, 0))
        await settle(pilot)
        assert app.screen.sort_key == "client"
        assert bar.key_at(line.index("  ? Keys") + 1) is None  # the gap before it is not a key
        await pilot.click(KeyBar, offset=(line.index("? Keys") + 3, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_keys_of_one_group_share_a_name_and_each_stays_clickable(desk):
    app = create_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        line = footer(app)
        assert line.startswith("[] week a Add")
        monday = app.screen.monday
        await pilot.click(KeyBar, offset=(1, 0))  # "]"
        await settle(pilot)
        assert app.screen.monday == monday.add(weeks=1)
        await pilot.click(KeyBar, offset=(0, 0))  # "["
        await settle(pilot)
        assert app.screen.monday == monday
