"""A burst of keys in a form lands where it was typed; a paste stays in its field."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from clientdesk.tui.modals.entity_form import EntityForm as TaskForm
from tests.tui.helpers import create_app, press, settle


async def open_task_form(pilot):
    app = pilot.app
    await press(pilot, "2")
    await press(pilot, "A")
    assert isinstance(app.screen, TaskForm)
    return app.screen


def burst(app, *keys: str) -> None:
    """Keys as the terminal hands them over in one read: all queued before any is handled."""
    for key in keys:
        char = key if len(key) == 1 else ("\t" if key == "tab" else None)
        app.post_message(events.Key(key, char))


async def test_text_and_tab_in_one_burst_fill_one_field_each(demo_db):
    app = create_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        form = await open_task_form(pilot)
        fields = [w for w in form.query(Input)]
        title, due, estimate = (form.query_one(f"#f-{n}", Input) for n in ("title", "due", "estimate-minutes"))
        order = [w for w in form.focus_chain]
        tabs_to_due = order.index(due) - order.index(title)
        burst(app, *"Third", *["tab"] * tabs_to_due, *"fri", "tab", *"2h")
        await settle(pilot)
        assert (title.value, due.value, estimate.value) == ("Third", "fri", "2h")
        assert fields


async def test_shift_tab_in_a_burst_goes_back_in_order(demo_db):
    app = create_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        form = await open_task_form(pilot)
        due, estimate = form.query_one("#f-due", Input), form.query_one("#f-estimate-minutes", Input)
        estimate.focus()
        await settle(pilot)
        burst(app, *"90m", "shift+tab", *"tomorrow")
        await settle(pilot)
        assert (estimate.value, due.value) == ("90m", "tomorrow")


async def test_a_paste_is_text_for_the_focused_field_only(demo_db):
    app = create_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        form = await open_task_form(pilot)
        title = form.query_one("#f-title", Input)
        assert app.focused is title
        app.post_message(events.Paste("Third\tsome longer description\nsecond line"))
        await settle(pilot)
        assert title.value == "Third some longer description second line"
        assert app.focused is title
        assert form.query_one("#f-due", Input).value == ""


async def test_tab_goes_from_field_to_field_with_no_hidden_stop(demo_db):
    app = create_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        form = await open_task_form(pilot)
        chain = list(form.focus_chain)
        assert all((w.id or "").startswith("f-") for w in chain), chain  # the fields' scroll box is no stop
        await pilot.press("shift+tab")  # from the title back round to the last field
        await settle(pilot)
        assert app.focused is chain[-1] and app.focused.id == "f-recurrence"
