"""The Board as the user sees it, on the demo database (seed 7, Monday 2026-11-23, Paris)."""

from __future__ import annotations

from clientdesk.domain.clients import find_client
from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle


class TestBoard:
    def test_board_120x40_accented_client(self, demo_db, snap_compare):
        """Five columns with room to spare: titles on two lines, the project named on each card."""
        app = create_app(mode="board", client_id=find_client("Atelier Moreau").id)
        assert snap_compare(app, terminal_size=(120, 40), run_before=settle)

    def test_board_80x24_wide_characters(self, demo_db, snap_compare):
        """The smallest terminal: narrow columns, compact cards, Chinese titles kept in line."""
        app = create_app(mode="board", client_id=find_client("Qinghe Tea").id)
        assert snap_compare(app, terminal_size=(80, 24), run_before=settle)

    def test_board_quick_add_preview(self, demo_db, snap_compare):
        """The quick-add line shows how it reads the text before anything is saved."""
        app = create_app(mode="board", client_id=find_client("Atelier Moreau").id)

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("a")
            field = pilot.app.focused
            field.value = "Write launch post p1 due:fri 2h #seo +brochure"
            field.cursor_blink = False
            await settle(pilot)

        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
