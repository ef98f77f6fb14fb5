"""Timesheet and time-entry snapshots on the demo data (seed 7, today 2026-11-23, Paris)."""

from __future__ import annotations

import pytest

from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle


@pytest.fixture
def fixed_now(monkeypatch):
    """The entries' amounts and the timer's elapsed time depend on the instant: pin it."""
    monkeypatch.setenv("CLIENTDESK_NOW", "2026-11-23T08:00:00")
    monkeypatch.setenv("CLIENTDESK_USER", "snap")


class TestTimesheet:
    def test_last_week_with_a_client_opened(self, demo_db, fixed_now, snap_compare):
        async def last_week(pilot):
            await settle(pilot)
            await pilot.press("left_square_bracket")
            await settle(pilot)
            await pilot.press("down", "enter")  # open the second client into its tasks
            await settle(pilot)

        assert snap_compare(create_app(mode="timesheet"), terminal_size=(140, 45), run_before=last_week)

    def test_log_time_form(self, demo_db, fixed_now, snap_compare):
        async def form(pilot):
            await settle(pilot)
            await pilot.press("left_square_bracket")
            await settle(pilot)
            await pilot.press("T")
            await settle(pilot)
            await pilot.press(*"1h30")

        assert snap_compare(create_app(mode="timesheet"), terminal_size=(120, 40), run_before=form)
