"""Planner snapshots on the demo data (seed 7, today Monday 2026-11-23, Paris).

Fill my week plans from "now"; the clock's time of day is pinned to 08:00 so the
proposal (and the picture) is the same whenever the tests run.
"""

from __future__ import annotations

import pendulum
import pytest

from clientdesk import clock
from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle


@pytest.fixture
def eight_am(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: pendulum.datetime(2026, 11, 23, 8, 0, tz="Europe/Paris"))


class TestPlanner:
    def test_planner_week_120x40(self, demo_db, eight_am, snap_compare):
        assert snap_compare(create_app(mode="planner"), terminal_size=(120, 40), run_before=settle)

    def test_planner_fill_proposal_120x40(self, demo_db, eight_am, snap_compare):
        async def propose(pilot):
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)

        assert snap_compare(create_app(mode="planner"), terminal_size=(120, 40), run_before=propose)
