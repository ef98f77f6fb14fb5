"""Imported calendar events in the Planner, driven with Pilot: drawn hatched, told in the status line,
counted in the day's load and conflicts, and never edited or deleted as blocks."""

from __future__ import annotations

import pendulum

from clientdesk.domain import planner
from clientdesk.tui.export import screen_text
from clientdesk.tui.screens.planner import PlannerScreen
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle

PARIS = "Europe/Paris"


def at(days: int, hhmm: str) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    d = TODAY.add(days=days)
    return pendulum.datetime(d.year, d.month, d.day, h, m, tz=PARIS)


async def test_busy_time_is_drawn_told_and_left_alone(db):
    acme = f.client("Acme", weekly_target_hours=6)
    block = f.block(acme, at(0, "10:00"), 1)
    f.busy("Board meeting \x1b]0;pwned\x07", at(0, "09:00"), 1.5, calendar="Work meetings")
    app = create_app(mode="planner")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlannerScreen)
        kinds = sorted(item.key[0] for item in screen._model.items)
        assert kinds == ["block", "busy"]
        text = screen_text(app)
        assert "Board meeting" in text and "▒" in text
        assert "\x1b]0;" not in text  # the summary's escape sequence is shown, not obeyed
        assert "busy" in text.lower()
        # the cursor starts on Monday 09:00: the busy event; the status line names it
        status = str(screen.query_one("#planner-status").render())
        assert "busy: Board meeting" in status and "Work meetings" in status
        # d and e act on blocks only: the event stays, no form opens
        await press(pilot, "d")
        assert len(screen.data.busy) == 1 and screen.data.blocks[0].id == block.id
        await press(pilot, "e")
        assert app.screen is screen
        # the block over the event is a conflict in the panel
        assert any(c.kind == "busy" for c in screen.data.conflicts)
        assert "Conflicts · 1" in screen_text(app)
    assert [c.kind for c in planner.conflicts(TODAY)] == ["busy"]
