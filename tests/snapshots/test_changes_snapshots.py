"""Changes (4) as the user sees it, on the demo database (seed 7, Mon 23 Nov 2026, Paris)."""

from __future__ import annotations

from clientdesk.domain.changes import list_changes
from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle

SIZE = (120, 40)


def at(title: str, *first_keys: str):
    """run_before: press `first_keys`, then put the cursor on the request with this title."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in first_keys:
            await pilot.press(key)
            await settle(pilot)
        table = pilot.app.screen.query_one("#changes")
        change_id = next(c.id for c in list_changes() if c.title == title)
        table.move_cursor(row=table.get_row_index(str(change_id)), animate=False)
        await settle(pilot)

    return run_before


def then(first, *keys: str):
    async def run_before(pilot) -> None:
        await first(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestChangesQueue:
    def test_open_queue(self, demo_db, snap_compare):
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=settle)

    def test_all_statuses_on_a_decided_request(self, demo_db, snap_compare):
        run = at("Page « Presse »", "f")
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=run)

    def test_narrow_terminal_keeps_essential_columns(self, demo_db, snap_compare):
        assert snap_compare(create_app(mode="changes"), terminal_size=(80, 24), run_before=settle)

    def test_marked_and_refused(self, demo_db, snap_compare):
        run = then(at("Loyalty points"), "v", "v", "y")
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=run)


class TestChangeForms:
    def test_assess_form_shows_live_cost(self, demo_db, snap_compare):
        run = then(at("Loyalty points"), "e", "1", "2", "tab", "5")
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=run)

    def test_new_request_form(self, demo_db, snap_compare):
        run = then(at("Ajouter une version anglaise"), "a")
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=run)

    def test_request_detail(self, demo_db, snap_compare):
        run = then(at("Two-factor by SMS"), "enter")
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=run)

    def test_reject_asks_the_reason(self, demo_db, snap_compare):
        run = then(at("Loyalty points"), "n", "enter")
        assert snap_compare(create_app(mode="changes"), terminal_size=SIZE, run_before=run)
