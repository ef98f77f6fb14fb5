"""`t`, `T` and `5` driven with Pilot on the real app, checked in the database."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import Checkbox, Input

from clientdesk.domain.time_entries import EntryInput, log_time
from clientdesk.models import TimeEntry, Timer
from clientdesk.tui.modals.time_entry_form import TimeEntryForm
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


@pytest.fixture
def desk(db, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "ana")
    a = f.client("Atelier Moreau", weekly_target_hours=8, hourly_rate=85, currency="EUR", language="fr")
    f.interaction(a, TODAY)
    p = f.project(a, "Site")
    t = f.task(p, "Hero copy", priority=1, due=TODAY.add(days=1))
    return a, t


def header(app) -> str:
    return app.screen.query_one("#view-header").plain


async def test_t_starts_the_timer_on_the_row_and_again_stops_it(desk):
    a, t = desk
    app = create_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "⏱" not in header(app)
        await press(pilot, "t")  # the client row under the cursor
        timer = Timer.get()
        assert (timer.person, timer.client_id, timer.task_id) == ("ana", a.id, None)
        assert "⏱ 0:00:0" in header(app) and "Atelier Moreau" in header(app)
        app.screen.query_one("#today").focus()
        await press(pilot, "t")  # a Today task: the first timer stops, this one starts
        timer = Timer.get()
        assert timer.task_id == t.id and "Hero copy · Atelier Moreau" in header(app)
        assert [(e.client_id, e.task_id) for e in TimeEntry.select()] == [(a.id, None)]
        await press(pilot, "2")  # every view's header shows it
        assert "Hero copy" in header(app)
        await press(pilot, "t")  # the Board's card is the same task: t stops the timer
        assert Timer.select().count() == 0 and TimeEntry.select().count() == 2
        assert "⏱" not in header(app)
        await press(pilot, "u")  # undo brings the timer back
        assert Timer.select().count() == 1 and "Hero copy" in header(app)


async def test_T_logs_time_with_a_form_and_refuses_bad_durations(desk):
    a, t = desk
    app = create_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "T")
        form = app.screen
        assert isinstance(form, TimeEntryForm) and form.focused.id == "entry-duration"
        await pilot.press(*"-5m")
        await press(pilot, "enter")
        assert "cannot be negative" in str(form.query_one("#entry-form-error").render())
        assert TimeEntry.select().count() == 0
        form.query_one("#entry-duration", Input).value = "1h30"
        form.query_one("#entry-day", Input).value = "yesterday"
        form.query_one("#entry-note", Input).value = "maquette"
        form.query_one("#entry-billable", Checkbox).value = False
        await press(pilot, "ctrl+s")
        entry = TimeEntry.get()
        assert (entry.client_id, entry.minutes, entry.billable, entry.note) == (a.id, 90, False, "maquette")
        assert entry.start == pendulum.datetime(2026, 11, 22, 9, tz="Europe/Paris").in_timezone("UTC")


async def test_5_shows_the_week_and_brackets_change_it(desk):
    a, t = desk
    log_time(EntryInput(a.id, 90, TODAY, t.id))
    log_time(EntryInput(a.id, 30, TODAY.add(days=1), None, billable=False))
    log_time(EntryInput(a.id, 60, TODAY.subtract(days=7)))
    app = create_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "5")
        screen = app.screen
        grid = screen.query_one("#sheet")
        first = [c.plain for c in grid.get_row_at(0)]
        assert first[0].endswith("Atelier Moreau") and first[1] == "1:30" and first[2] == "0:30"
        assert first[8:11] == ["1:30", "0:30", "2:00"] and first[11].startswith("/8:00")
        assert screen.query_one("#entries").row_count == 2
        await press(pilot, "enter")  # opens the client into its tasks
        labels = [grid.get_row_at(i)[0].plain.strip() for i in range(grid.row_count)]
        assert labels[:3] == ["▾ Atelier Moreau", "Hero copy", "(no task)"]
        await press(pilot, "left_square_bracket")
        assert screen.monday == TODAY.subtract(days=7)
        assert screen.query_one("#entries").row_count == 1
        await press(pilot, "right_square_bracket", "right_square_bracket")
        assert screen.query_one("#entries").row_count == 0
        assert "T logs time" in str(screen.query_one("#entries-title").render())


async def test_timesheet_edit_is_refused_on_an_invoiced_entry_and_delete_asks_twice(desk):
    a, t = desk
    from clientdesk.domain.invoices import create_invoice

    log_time(EntryInput(a.id, 90, TODAY, t.id))
    locked = log_time(EntryInput(a.id, 30, pendulum.date(2026, 11, 2)))
    create_invoice(a.id, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 22), "F-1")
    app = create_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "5", "left_square_bracket", "left_square_bracket", "left_square_bracket")
        entries = app.screen.query_one("#entries")
        entries.focus()
        await settle(pilot)
        assert entries.current_key == locked.id
        await press(pilot, "e")
        assert not isinstance(app.screen, TimeEntryForm)  # refused, with a notification
        await press(pilot, "ctrl+u")
        assert TimeEntry.get_by_id(locked.id).invoiced is False
        await press(pilot, "delete")
        assert TimeEntry.get_or_none(TimeEntry.id == locked.id) is not None  # the first press only asks
        await press(pilot, "delete")
        assert TimeEntry.get_or_none(TimeEntry.id == locked.id) is None
