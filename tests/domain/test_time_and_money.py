"""The timer, time entries and their lock, invoices and money, on a real database."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest

from clientdesk.domain import journal
from clientdesk.domain.errors import InputError, NotFound, RuleError
from clientdesk.domain.invoices import create_invoice, invoice_document, unbilled
from clientdesk.domain.money import amount_for, check_currency, format_money, format_rate
from clientdesk.domain.parse import parse_time_spent
from clientdesk.domain.time_entries import (
    EntryInput, delete_entry, log_time, parse_log_day, timesheet, uninvoice_entry, update_entry,
)
from clientdesk.domain.timer import round_minutes, running_timer, start_timer, stop_timer, toggle_timer
from clientdesk.models import Invoice, TimeEntry, Timer
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"


def at(hour: int, minute: int = 0, second: int = 0, day: pendulum.Date = TODAY) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, second, tz=PARIS)


@pytest.fixture
def acme(db):
    c = f.client("Acme", hourly_rate=90, language="fr", currency="EUR", weekly_target_hours=10)
    p = f.project(c, "Website")
    t = f.task(p, "Hero copy")
    return c, p, t


def rows() -> tuple:
    return (sorted((e.client_id, e.task_id, e.minutes, e.invoiced, e.invoice_ref) for e in TimeEntry.select()),
            Timer.select().count(), Invoice.select().count())


# -- rounding and durations ------------------------------------------------------

@pytest.mark.parametrize("seconds, step, mode, minutes", [
    (0, 1, "nearest", 0), (29, 1, "nearest", 0), (30, 1, "nearest", 1), (89, 1, "nearest", 1),
    (7 * 60 + 29, 15, "nearest", 0), (7 * 60 + 30, 15, "nearest", 15), (22 * 60 + 29, 15, "nearest", 15),
    (61, 15, "up", 15), (15 * 60, 15, "up", 15), (15 * 60 + 1, 15, "up", 30),
    (29 * 60 + 59, 15, "down", 15), (-5, 1, "nearest", 0), (3 * 3600 + 5 * 60, 6, "nearest", 186),
])
def test_round_minutes(seconds, step, mode, minutes):
    assert round_minutes(seconds, step, mode) == minutes


@pytest.mark.parametrize("text, minutes", [
    ("1h30", 90), ("1h30m", 90), ("90m", 90), ("90", 90), ("1,5h", 90), ("1.5h", 90), ("1:30", 90),
    ("0", 0), ("0m", 0), ("24h", 1440), ("2h 15m", 135), (" 45min ", 45),
])
def test_durations_as_people_type_them(text, minutes):
    assert parse_time_spent(text) == minutes


@pytest.mark.parametrize("text, message", [
    ("-5m", "cannot be negative"), ("25h", "more than a day"), ("1h70", "not a duration"),
    ("abc", "not a duration"), ("", "not a duration"), ("1.5h30", "not a duration"), ("1:75", "not a duration"),
])
def test_bad_durations_say_why(text, message):
    with pytest.raises(InputError, match=message):
        parse_time_spent(text)


def test_log_days_read_backwards():
    assert parse_log_day("") == TODAY
    assert parse_log_day("yesterday") == TODAY.subtract(days=1)
    assert parse_log_day("fri") == pendulum.date(2026, 11, 20)  # the Friday before this Monday
    assert parse_log_day("mon") == TODAY
    assert parse_log_day("-3d") == pendulum.date(2026, 11, 20)
    assert parse_log_day("2026-11-02") == pendulum.date(2026, 11, 2)
    with pytest.raises(InputError):
        parse_log_day("someday")


# -- the timer -------------------------------------------------------------------

def test_one_timer_per_person_and_starting_another_stops_the_first(acme):
    c, _, t = acme
    running, stopped = start_timer(task_id=t.id, person="ana", now=at(9))
    assert stopped is None and running.task == "Hero copy" and running.client == "Acme"
    running, stopped = start_timer(c.id, person="ana", now=at(9, 40, 20))
    assert stopped.minutes == 40 and stopped.task == "Hero copy"
    assert running.task_id is None and Timer.select().count() == 1
    start_timer(c.id, person="bob", now=at(9, 50))  # another person's timer runs beside it
    assert Timer.select().count() == 2
    stopped = stop_timer(person="ana", now=at(10, 10, 44), rounding_minutes=15)
    assert stopped.minutes == 30  # 30m24s, to the nearest quarter hour
    entries = list(TimeEntry.select().order_by(TimeEntry.id))
    assert [(e.task_id, e.minutes, e.start) for e in entries] == [(t.id, 40, at(9).in_timezone("UTC")),
                                                                  (None, 30, at(9, 40, 20).in_timezone("UTC"))]
    assert running_timer("ana") is None and running_timer("bob").client == "Acme"


def test_stop_without_a_timer_and_a_timer_on_a_deleted_task_are_refused(acme):
    _, _, t = acme
    before = rows()
    with pytest.raises(RuleError, match="no timer is running"):
        stop_timer(person="ana")
    task_id = t.id
    t.delete_instance()
    with pytest.raises(NotFound, match=f"no such task: {task_id}"):
        start_timer(task_id=task_id, person="ana")
    assert rows() == before


def test_a_running_timer_outlives_its_task(acme):
    c, _, t = acme
    start_timer(task_id=t.id, person="ana", now=at(9))
    t.delete_instance()  # the database sets the timer's task to NULL: the time is not lost
    stopped = stop_timer(person="ana", now=at(9, 30))
    assert stopped.task is None and stopped.client == "Acme" and stopped.minutes == 30


def test_toggle_stops_the_timer_only_on_the_same_row(acme):
    c, _, t = acme
    toggle_timer(c.id, t.id, person="ana", now=at(9))
    running, stopped = toggle_timer(c.id, None, person="ana", now=at(9, 5))
    assert running is not None and stopped.minutes == 5
    running, stopped = toggle_timer(c.id, None, person="ana", now=at(9, 20))
    assert running is None and stopped.minutes == 15


def test_undo_of_a_stop_brings_the_timer_back(acme):
    _, _, t = acme
    start_timer(task_id=t.id, person="ana", now=at(9))
    stop_timer(person="ana", now=at(10))
    journal.undo()
    assert running_timer("ana").started == at(9).in_timezone("UTC") and TimeEntry.select().count() == 0
    journal.undo()
    assert running_timer("ana") is None


# -- entries and the lock ---------------------------------------------------------

def test_log_edit_delete_and_zero_minutes(acme):
    c, _, t = acme
    e = log_time(EntryInput(c.id, 90, TODAY.subtract(days=1), t.id, "draft", True))
    assert e.minutes == 90 and e.local_start == at(9, day=TODAY.subtract(days=1)) and e.task == "Hero copy"
    zero = log_time(EntryInput(c.id, 0, TODAY, None, "quick call"))
    assert zero.minutes == 0
    e = update_entry(e.id, EntryInput(c.id, 45, TODAY, None, "draft v2", False, (14, 0)))
    assert (e.minutes, e.task_id, e.billable, e.local_start) == (45, None, False, at(14))
    delete_entry(zero.id)
    assert TimeEntry.select().count() == 1
    journal.undo()
    assert TimeEntry.select().count() == 2


@pytest.mark.parametrize("data, message", [
    (lambda c, t: EntryInput(c, -5, TODAY), "cannot be negative"),
    (lambda c, t: EntryInput(c, 25 * 60, TODAY), "more than a day"),
    (lambda c, t: EntryInput(999, 60, TODAY), "no such client"),
    (lambda c, t: EntryInput(c, 60, TODAY, 999), "no such task"),
    (lambda c, t: EntryInput(c, 60, pendulum.date(1990, 1, 1)), "out of range"),
])
def test_bad_entries_write_nothing(acme, data, message):
    c, _, t = acme
    before = rows()
    with pytest.raises((InputError, NotFound), match=message):
        log_time(data(c.id, t.id))
    assert rows() == before


def test_an_invoiced_entry_is_locked_until_uninvoiced(acme):
    c, _, _ = acme
    e = log_time(EntryInput(c.id, 60, pendulum.date(2026, 11, 10)))
    create_invoice(c.id, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30), "F-1")
    before = rows()
    with pytest.raises(RuleError, match=r"invoiced \(F-1\): uninvoice it before you edit it"):
        update_entry(e.id, EntryInput(c.id, 30, TODAY))
    with pytest.raises(RuleError, match="uninvoice it before you delete it"):
        delete_entry(e.id)
    assert rows() == before
    uninvoice_entry(e.id)
    assert update_entry(e.id, EntryInput(c.id, 30, TODAY)).minutes == 30


# -- invoices ---------------------------------------------------------------------

def test_invoice_takes_every_unbilled_billable_entry_once(acme):
    c, p, t = acme
    p.hourly_rate = 120  # the project's rate overrides the client's
    p.save()
    in_month = [log_time(EntryInput(c.id, 90, pendulum.date(2026, 11, d), t.id)) for d in (2, 15)]
    log_time(EntryInput(c.id, 60, pendulum.date(2026, 11, 3)))  # client rate, 90
    log_time(EntryInput(c.id, 30, pendulum.date(2026, 11, 4), billable=False))
    log_time(EntryInput(c.id, 60, pendulum.date(2026, 12, 1)))  # next month
    doc = create_invoice(c.id, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30), "F-2026-11")
    assert [line.amount for line in doc.lines] == [Decimal("180.00"), Decimal("90.00"), Decimal("180.00")]
    assert doc.total == Decimal("450.00") and doc.total_minutes == 240
    invoiced = TimeEntry.select().where(TimeEntry.invoiced == True)  # noqa: E712
    assert {e.invoice_ref for e in invoiced} == {"F-2026-11"} and invoiced.count() == 3
    assert {e.id for e in in_month} <= {e.id for e in invoiced}
    with pytest.raises(RuleError, match="nothing to invoice"):
        create_invoice(c.id, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30))
    again = create_invoice(c.id, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30), "F-2026-11")
    assert again.reissued and again.total == doc.total  # the same document, nothing marked twice
    with pytest.raises(InputError, match="already used"):
        create_invoice(c.id, pendulum.date(2026, 12, 1), pendulum.date(2026, 12, 31), "F-2026-11")
    journal.undo()
    assert Invoice.select().count() == 0 and not TimeEntry.select().where(TimeEntry.invoiced == True).exists()  # noqa: E712
    assert invoice_document  # imported for the reissue path above


def test_invoice_for_a_client_without_a_rate_is_refused(db):
    c = f.client("No Rate")
    log_time(EntryInput(c.id, 60, pendulum.date(2026, 11, 10)))
    before = rows()
    with pytest.raises(RuleError, match="No Rate has no hourly rate"):
        create_invoice(c.id, pendulum.date(2026, 11, 1), pendulum.date(2026, 11, 30))
    assert rows() == before


def test_unbilled_amount_per_client(acme):
    c, p, t = acme
    log_time(EntryInput(c.id, 90, pendulum.date(2026, 11, 2), t.id))
    log_time(EntryInput(c.id, 30, pendulum.date(2026, 11, 2), billable=False))
    other = f.client("Norate")
    log_time(EntryInput(other.id, 60, pendulum.date(2026, 11, 2)))
    found = unbilled()
    assert found[c.id].amount == Decimal("135.00") and found[c.id].currency == "EUR" and found[c.id].minutes == 90
    assert found[other.id].unrated_minutes == 60 and found[other.id].amount == 0


# -- money ------------------------------------------------------------------------

@pytest.mark.parametrize("language, currency, text", [
    ("en", "USD", "$1,234.50"), ("fr", "EUR", "1\u202f234,50\xa0€"), ("tr", "TRY", "₺1.234,50"),
    ("zh", "CNY", "¥1,234.50"), ("en", "JPY", "¥1,235"), ("xx", "GBP", "£1,234.50"),
])
def test_money_in_the_clients_language(language, currency, text):
    assert format_money(Decimal("1234.50"), currency, language) == text


def test_amounts_round_to_the_currency_unit():
    assert amount_for(20, 95, "EUR") == Decimal("31.67")
    assert amount_for(20, 95, "JPY") == Decimal("32")
    assert format_rate(None, "EUR") == "no rate"
    assert check_currency("eur") == "EUR"
    with pytest.raises(InputError, match="ISO 4217"):
        check_currency("EURO")


# -- the week's timesheet ------------------------------------------------------------

def test_timesheet_week_grid(acme):
    c, _, t = acme
    other = f.client("Beta")
    log_time(EntryInput(c.id, 90, TODAY, t.id))
    log_time(EntryInput(c.id, 30, TODAY, None, billable=False))
    log_time(EntryInput(c.id, 60, TODAY.add(days=2), t.id))
    log_time(EntryInput(other.id, 45, TODAY.add(days=6), None, start_time=(23, 30)))  # Sunday night, still this week
    log_time(EntryInput(other.id, 45, TODAY.add(days=7)))  # next week
    sheet = timesheet(TODAY)
    assert [r.label for r in sheet.clients] == ["Acme", "Beta"]
    acme_row = sheet.clients[0]
    assert acme_row.billable[:3] == [90, 0, 60] and acme_row.nonbillable[0] == 30 and acme_row.target_minutes == 600
    assert [(r.label, r.total) for r in sheet.tasks[c.id]] == [("Hero copy", 150), ("(no task)", 30)]
    assert sheet.clients[1].day(6) == 45 and sheet.total == 225
    assert sum(sheet.day_billable) == 195 and sum(sheet.day_nonbillable) == 30


def test_approval_raises_the_money_budget_by_the_cost_at_the_projects_rate(acme):
    from clientdesk.domain import changes

    c, p, _ = acme
    p.budget_amount, p.budget_hours, p.hourly_rate = 5000, 50, 100
    p.save()
    cr = f.change(p, "Blog")
    changes.assess_change(cr.id, impact_hours=12, impact_days=3)
    view = changes.get_change(cr.id)
    assert view.impact_cost == 1200 and view.hourly_rate == 100  # the project's rate, not the client's 90
    assert view.money(view.impact_cost) == "1\u202f200,00\xa0€"
    changes.approve_change(cr.id)
    p = type(p).get_by_id(p.id)
    assert (p.budget_hours, p.budget_amount) == (62, 6200)
    journal.undo()
    p = type(p).get_by_id(p.id)
    assert (p.budget_hours, p.budget_amount) == (50, 5000)
