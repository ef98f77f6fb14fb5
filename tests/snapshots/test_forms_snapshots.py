"""The empty desk and the generated forms as the user sees them (Mon 23 Nov 2026, Paris)."""

from __future__ import annotations

from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle

SIZE = (120, 40)


def keys(*pressed: str, values: dict | None = None, then: tuple[str, ...] = ()):
    """run_before: press keys, fill a form's fields, press more keys."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        for name, value in (values or {}).items():
            pilot.app.screen.query_one(f"#f-{name.replace('_', '-')}").value = value
        await settle(pilot)
        for key in then:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestEmptyDesk:
    def test_empty_desk_leads_to_N(self, db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=keys())

    def test_new_client_form_refuses_beside_the_field(self, db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=keys(
            "N", values={"checkin_every_days": "0", "timezone": "Mars/Olympus"}, then=("ctrl+s",)))


class TestEntityForms:
    def test_new_risk_form(self, demo_db, snap_compare):
        async def run_before(pilot) -> None:
            from clientdesk.domain.clients import find_client

            await settle(pilot)
            pilot.app.open_client(find_client("Atelier Moreau").id)
            await settle(pilot)
            for key in ("s", "s", "s"):
                await pilot.press(key)
                await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            form = pilot.app.screen
            form.query_one("#f-title").value = "Photos arrive late"
            form.query_one("#f-likelihood").value = "9"
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(create_app(), terminal_size=SIZE, run_before=run_before)


class TestTaskForm:
    def test_add_task_form_refuses_beside_the_field_and_reads_the_date(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=keys(
            "2", "A", values={"title": "Book the photographer", "due": "fri", "estimate_minutes": "0m",
                              "recurrence": "sometimes"}, then=("ctrl+s",)))

    def test_edit_task_form_opens_on_the_task(self, demo_db, snap_compare):
        assert snap_compare(create_app(), terminal_size=SIZE, run_before=keys("2", "e"))
