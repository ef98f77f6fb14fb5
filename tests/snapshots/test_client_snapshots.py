"""The client detail as the user sees it, on the demo database (seed 7, Mon 23 Nov 2026, Paris)."""

from __future__ import annotations

from clientdesk.domain.clients import find_client
from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle

SIZE = (120, 40)


def detail(name: str, *keys: str):
    """run_before: open the client's detail over the Overview, then press keys."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_client(find_client(name).id)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestClientDetail:
    def test_profile_log_risks_feedback(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=detail("Atelier Moreau"))

    def test_wide_characters_aligned(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=detail("Qinghe Tea 青禾茶业"))

    def test_late_checkin_and_filtered_log(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=detail("Hudson & Pike Coffee", "k", "k", "k"))

    def test_narrow_terminal(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=(80, 24), run_before=detail("Yıldız Tekstil"))


class TestClientForms:
    def test_log_kind_picker(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=detail("Atelier Moreau", "l"))

    def test_profile_form(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=detail("Atelier Moreau", "E"))
