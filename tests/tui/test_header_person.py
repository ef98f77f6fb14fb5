"""Who you are, in the header of every view: terminal-safe, and never at the timer's expense."""

from __future__ import annotations

import pytest

from clientdesk.domain.timer import start_timer
from clientdesk.tui.views import VIEWS
from tests import factories as f
from tests.tui.helpers import create_app, settle


def header(app) -> str:
    return app.screen.query_one("#view-header").plain


@pytest.fixture
def desk(db):
    c = f.client("Acme")
    p = f.project(c, "Site")
    return c, f.task(p, "Hero copy")


async def test_every_view_names_the_current_person(desk, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "alice")
    app = create_app()
    async with app.run_test(size=(120, 30)) as pilot:
        for view in VIEWS:
            await pilot.press(view.key)
            await settle(pilot)
            assert header(app).rstrip().endswith(" alice"), view.mode


async def test_at_80_columns_the_timer_stays_whole_beside_the_name(desk, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "alice")
    client, task = desk
    start_timer(task_id=task.id)
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = header(app)
        assert len(line) == 80
        assert line.rstrip().endswith("Hero copy · Acme")
        assert " alice  ⏱ 0:00:0" in line
        assert "…" in line  # the view list gave way, not the timer


async def test_a_hostile_or_long_name_is_shown_not_obeyed(desk, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "ev\x1b]0;owned\x07e with a very long name")
    app = create_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = header(app)
        assert "\x1b" not in line and "\x07" not in line
        assert line.rstrip().endswith(" ev\\x1b]0;owned\\…")  # 16 cells, cut
