"""Every figure of the rules the numbers follow (docs/rules.md), on fixed dates."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk import clock
from clientdesk.domain.status import client_statuses
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"


def status_of(name: str, today=TODAY):
    return next(s for s in client_statuses(today) if s.client == name)


def test_open_overdue_due_week_boundaries(db):
    c = f.client("Acme")
    p = f.project(c)
    f.task(p, status="todo", due=TODAY.subtract(days=1))  # overdue
    f.task(p, status="doing", due=TODAY)  # due this week (today)
    f.task(p, status="review", due=TODAY.add(days=6))  # last day of the 7-day window
    f.task(p, status="backlog", due=TODAY.add(days=7))  # outside the window
    f.task(p, status="done", due=TODAY.subtract(days=5))  # done: never overdue
    f.task(p, status="todo")  # no due date
    s = status_of("Acme")
    assert (s.open, s.overdue, s.due_week) == (5, 1, 2)


def test_paused_and_archived_clients_are_left_out(db):
    f.client("Active one")
    f.client("Paused one", status="paused")
    f.client("Gone", status="archived")
    assert [s.client for s in client_statuses(TODAY)] == ["Active one"]


def test_planned_hours_count_only_todays_iso_week_in_local_time(db):
    c = f.client("Acme")
    paris = pendulum.timezone(PARIS)
    # Sunday 22 Nov 23:00 Paris is last week; Monday 00:30 Paris is this week (Sunday 23:30 UTC).
    f.block(c, pendulum.datetime(2026, 11, 22, 23, tz=paris), 1)
    f.block(c, pendulum.datetime(2026, 11, 23, 0, 30, tz=paris), 2)
    f.block(c, pendulum.datetime(2026, 11, 29, 23, tz=paris), 2)  # Sunday 23:00-01:00: one hour inside
    f.block(c, pendulum.datetime(2026, 11, 30, 9, tz=paris), 3)  # next week
    assert status_of("Acme").planned_hours_week == pytest.approx(3.0)


def test_logged_hours_this_calendar_month_and_burn(db):
    c = f.client("Acme", budget_hours_month=10)
    paris = pendulum.timezone(PARIS)
    f.entry(c, pendulum.datetime(2026, 10, 31, 23, 30, tz=paris), 120)  # October
    f.entry(c, pendulum.datetime(2026, 11, 1, 0, 30, tz=paris), 240)  # November (Oct 31 UTC)
    f.entry(c, pendulum.datetime(2026, 11, 23, 14, tz=paris), 300)
    f.entry(c, pendulum.datetime(2026, 12, 1, 9, tz=paris), 600)  # December
    s = status_of("Acme")
    assert s.logged_hours_month == pytest.approx(9.0)
    assert s.burn == pytest.approx(0.9)
    assert s.health == "amber" and "burn 90%" in s.reasons


def test_no_budget_means_no_burn(db):
    c = f.client("Freeform")
    f.entry(c, pendulum.datetime(2026, 11, 2, 9), 600)
    s = status_of("Freeform")
    assert s.burn is None
    assert s.as_json()["burn"] is None


def test_burn_over_budget_is_red(db):
    c = f.client("Acme", budget_hours_month=4)
    f.interaction(c, TODAY)
    f.entry(c, pendulum.datetime(2026, 11, 10, 9), 300)
    s = status_of("Acme")
    assert s.health == "red" and s.reasons == ["burn 125%"]


def test_next_checkin_and_late(db):
    c = f.client("Acme", checkin_every_days=7)
    f.interaction(c, pendulum.date(2026, 11, 10))
    f.interaction(c, pendulum.date(2026, 11, 13))
    s = status_of("Acme")
    assert s.next_checkin == pendulum.date(2026, 11, 20)
    assert s.checkin_late and s.health == "red" and s.reasons == ["check-in late 3d"]


def test_checkin_due_today_is_not_late(db):
    c = f.client("Acme", checkin_every_days=7)
    f.interaction(c, pendulum.date(2026, 11, 16))
    s = status_of("Acme")
    assert s.next_checkin == TODAY and not s.checkin_late and s.health == "green"


def test_never_contacted_client_is_due_now(db):
    f.client("Newcomer")
    s = status_of("Newcomer")
    assert s.next_checkin == TODAY and not s.checkin_late
    assert s.health == "green" and "never contacted" in s.reasons[0]


def test_open_changes_and_waiting_over_three_days_is_amber(db):
    c = f.client("Acme")
    f.interaction(c, TODAY)
    p = f.project(c)
    f.change(p, "Waits 3 days", received_on=TODAY.subtract(days=3))
    s = status_of("Acme")
    assert s.open_changes == 1 and s.health == "green"
    f.change(p, "Waits 4 days", received_on=TODAY.subtract(days=4), status="assessing")
    f.change(p, "Approved", status="approved")
    f.change(p, "Rejected", status="rejected")
    f.change(p, "Done", status="done")
    s = status_of("Acme")
    assert s.open_changes == 3
    assert s.health == "amber" and s.reasons == ["change request waiting 4d"]


def test_due_within_two_days_is_amber_and_overdue_red_with_all_reasons(db):
    c = f.client("Acme", budget_hours_month=10)
    f.interaction(c, TODAY)
    p = f.project(c)
    f.task(p, due=TODAY.add(days=2))
    f.task(p, due=TODAY.add(days=3))
    assert status_of("Acme").reasons == ["1 due within 2d"]
    f.task(p, due=TODAY.subtract(days=1))
    s = status_of("Acme")
    assert s.health == "red" and s.reasons == ["1 overdue", "1 due within 2d"]


def test_month_boundary_uses_the_clock(db):
    c = f.client("Acme", budget_hours_month=10)
    f.entry(c, pendulum.datetime(2026, 11, 30, 10), 60)
    clock.set_today("2026-12-01")
    assert status_of("Acme", today=clock.today()).logged_hours_month == 0
    clock.set_today("2026-11-30")
    assert status_of("Acme", today=clock.today()).logged_hours_month == 1


def test_feedback_drop_is_flagged(db):
    c = f.client("Acme")
    f.feedback(c, pendulum.date(2026, 10, 1), 5)
    f.feedback(c, pendulum.date(2026, 11, 1), 3)
    assert status_of("Acme").feedback_dropped


def test_status_json_has_exactly_the_design_keys(db):
    f.client("Acme")
    keys = set(client_statuses(TODAY)[0].as_json())
    assert keys == {
        "client", "open", "overdue", "due_week", "planned_hours_week", "logged_hours_month", "burn",
        "next_checkin", "checkin_late", "open_changes", "health", "reasons",
    }


def test_overview_query_count_does_not_grow_with_clients(db):
    from clientdesk.models import database

    def count_queries(n_clients):
        for _ in range(n_clients):
            c = f.client()
            p = f.project(c)
            f.task(p, due=TODAY)
        executed = []
        orig = database.obj.execute_sql

        def spy(sql, params=None, *a, **k):
            executed.append(sql)
            return orig(sql, params, *a, **k)

        database.obj.execute_sql = spy
        try:
            client_statuses(TODAY)
        finally:
            database.obj.execute_sql = orig
        return len(executed)

    assert count_queries(2) == count_queries(20)
