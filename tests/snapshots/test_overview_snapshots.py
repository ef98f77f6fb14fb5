"""Overview snapshots on the demo data (seed 7, today 2026-11-23, Paris)."""

from __future__ import annotations

from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle


class TestOverview:
    def test_overview_120x40(self, demo_db, snap_compare):
        assert snap_compare(create_app(mode="overview"), terminal_size=(120, 40), run_before=settle)

    def test_overview_80x24(self, demo_db, snap_compare):
        assert snap_compare(create_app(mode="overview"), terminal_size=(80, 24), run_before=settle)

    def test_overview_200x60(self, demo_db, snap_compare):
        assert snap_compare(create_app(mode="overview"), terminal_size=(200, 60), run_before=settle)

    def test_help_screen(self, demo_db, snap_compare):
        async def open_help(pilot):
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(create_app(mode="overview"), terminal_size=(120, 40), run_before=open_help)


class TestThemes:
    """The look in a light theme too (the config's `theme`); the dark ones are every other snapshot."""

    def test_overview_light_120x40(self, demo_db, snap_compare):
        from clientdesk.tui.app import apply_theme

        app = create_app(mode="overview")
        apply_theme(app, "textual-light")
        assert snap_compare(app, terminal_size=(120, 40), run_before=settle)

    def test_board_light_120x40(self, demo_db, snap_compare):
        from clientdesk.tui.app import apply_theme

        app = create_app(mode="board")
        apply_theme(app, "textual-light")
        assert snap_compare(app, terminal_size=(120, 40), run_before=settle)
