"""Next check-ins: only real contact counts, and they land on working days."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from clientdesk.config import Settings, apply_settings, parse_settings
from clientdesk.domain.changes import ChangeInput, approve_change, assess_change, create_change
from clientdesk.domain.checkins import CONTACT_KINDS, next_checkin, next_working_day
from clientdesk.domain.clients import log_interaction
from clientdesk.domain.planner import checkins_in_week
from clientdesk.domain.status import client_statuses
from tests import factories as f
from tests.conftest import TODAY


@pytest.fixture
def weekend_worker():
    """A config whose working week runs Tuesday to Saturday."""
    days = {d: ["09:00-17:00"] for d in ("tue", "wed", "thu", "fri", "sat")}
    days.update(mon=[], sun=[])
    apply_settings(parse_settings({"working_hours": days}, Path("config.toml")))
    yield
    apply_settings(Settings())


def status(name: str):
    return next(s for s in client_statuses(TODAY) if s.client == name)


def test_a_logged_decision_or_note_is_not_contact(db):
    c = f.client("Acme", checkin_every_days=14)
    f.interaction(c, pendulum.date(2026, 11, 20), kind="email")  # Friday: due Friday 4 December
    p = f.project(c)
    before = status("Acme").next_checkin
    assert before == pendulum.date(2026, 12, 4)

    change = create_change(ChangeInput(p.id, "Add blog", received_on=TODAY))
    assess_change(change.id, impact_hours=4)
    approve_change(change.id)  # logs a "decision" today
    log_interaction(c.id, "note", "Thought about the budget", on=TODAY)
    assert status("Acme").next_checkin == before
    assert [v.due for v in checkins_in_week(pendulum.date(2026, 11, 30))] == [before]

    for kind in CONTACT_KINDS:
        log_interaction(c.id, kind, f"a {kind}", on=TODAY)
        assert status("Acme").next_checkin == pendulum.date(2026, 12, 7), kind


def test_a_decision_alone_leaves_a_client_never_contacted(db):
    c = f.client("Newcomer")
    f.interaction(c, pendulum.date(2026, 11, 20), kind="decision")
    s = status("Newcomer")
    assert s.next_checkin == TODAY and "never contacted" in s.reasons[0]


def test_a_checkin_due_on_a_weekend_lands_on_the_next_working_day(db):
    c = f.client("Boulangerie Lefèvre", checkin_every_days=7, channel="phone")
    f.interaction(c, pendulum.date(2026, 11, 21), kind="call")  # Saturday + 7 = Saturday 28
    assert next_checkin(pendulum.date(2026, 12, 6), 7, TODAY) == pendulum.date(2026, 12, 14)  # Sunday 13 -> Monday
    assert checkins_in_week(pendulum.date(2026, 11, 23)) == []
    [row] = checkins_in_week(pendulum.date(2026, 11, 30))
    assert (row.client, row.due, row.due.format("ddd")) == ("Boulangerie Lefèvre", pendulum.date(2026, 11, 30), "Mon")
    assert status("Boulangerie Lefèvre").next_checkin == pendulum.date(2026, 11, 30)


def test_working_days_come_from_the_config(db, weekend_worker):
    assert next_working_day(pendulum.date(2026, 11, 28)) == pendulum.date(2026, 11, 28)  # Saturday works
    assert next_working_day(pendulum.date(2026, 11, 29)) == pendulum.date(2026, 12, 1)  # Sun, Mon off -> Tue
    c = f.client("Acme", checkin_every_days=7)
    f.interaction(c, pendulum.date(2026, 11, 22), kind="meeting")  # Sunday + 7 = Sunday 29
    assert status("Acme").next_checkin == pendulum.date(2026, 12, 1)


def test_a_config_without_working_days_leaves_the_date_alone():
    nobody = Settings(working_hours={d: () for d in range(7)})
    assert next_working_day(pendulum.date(2026, 11, 29), nobody) == pendulum.date(2026, 11, 29)
