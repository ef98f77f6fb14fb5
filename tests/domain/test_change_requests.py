"""The change-request lifecycle and its undo: every effect comes back exactly."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain import changes, journal
from clientdesk.domain.errors import InputError, RuleError, StaleEdit
from clientdesk.models import ChangeRequest, Interaction, Project, Task
from tests import factories as f
from tests.conftest import TODAY


@pytest.fixture
def setup(db):
    c = f.client("Acme", hourly_rate=90)
    p = f.project(c, "Website", deadline=pendulum.date(2026, 12, 15), budget_hours=120)
    cr = f.change(p, "Add blog")
    return c, p, cr


def snapshot():
    return (
        [(p.id, p.budget_hours, p.deadline) for p in Project.select().order_by(Project.id)],
        [(c.id, c.status, c.decided_on, c.decision_note) for c in ChangeRequest.select().order_by(ChangeRequest.id)],
        Task.select().count(),
        Interaction.select().count(),
    )


def test_cost_is_hours_times_rate_unless_set(setup):
    _, _, cr = setup
    view = changes.assess_change(cr.id, impact_hours=12, impact_days=5)
    assert view.impact_cost == 1080 and not view.cost_overridden and view.status == "assessing"
    view = changes.assess_change(cr.id, impact_hours=12, impact_days=5, impact_cost=900)
    assert view.impact_cost == 900 and view.cost_overridden


def test_unassessed_request_cannot_be_approved(setup):
    _, _, cr = setup
    before = snapshot()
    with pytest.raises(RuleError, match="no assessed impact"):
        changes.approve_change(cr.id)
    assert snapshot() == before


def test_approval_changes_budget_deadline_tasks_and_log(setup):
    c, p, cr = setup
    changes.assess_change(cr.id, impact_hours=12, impact_days=5)
    result = changes.approve_change(cr.id)
    p = Project.get_by_id(p.id)
    assert p.budget_hours == 132 and p.deadline == pendulum.date(2026, 12, 20)
    assert result.change.status == "approved" and result.change.decided_on == TODAY
    task = Task.get_by_id(result.task_id)
    assert task.status == "backlog" and task.change_request_id == cr.id and task.estimate_minutes == 720
    log = Interaction.get(Interaction.change_request == cr.id)
    assert log.kind == "decision" and log.on == TODAY and "+12h" in log.summary and "1,080.00" in log.summary
    assert "budget 120h -> 132h" in result.describe()


def test_undo_of_approval_puts_everything_back_and_redo_again(setup):
    _, _, cr = setup
    changes.assess_change(cr.id, impact_hours=12, impact_days=5)
    before = snapshot()
    changes.approve_change(cr.id)
    after = snapshot()
    assert journal.undo() == "approve 'Add blog'"
    assert snapshot() == before
    assert journal.redo() == "approve 'Add blog'"
    assert snapshot() == after
    journal.undo()
    journal.undo()  # the assessment
    cr = ChangeRequest.get_by_id(cr.id)
    assert cr.status == "new" and cr.impact_hours is None


def test_rejection_needs_a_reason_and_is_logged(setup):
    _, _, cr = setup
    with pytest.raises(InputError, match="reason"):
        changes.reject_change(cr.id, "  ")
    view = changes.reject_change(cr.id, "Out of scope for this phase")
    assert view.status == "rejected" and view.decision_note == "Out of scope for this phase"
    log = Interaction.get(Interaction.change_request == cr.id)
    assert log.kind == "decision" and "Out of scope" in log.summary
    with pytest.raises(RuleError):
        changes.approve_change(cr.id)


def test_done_only_after_approval(setup):
    _, _, cr = setup
    with pytest.raises(RuleError):
        changes.complete_change(cr.id)
    changes.assess_change(cr.id, impact_hours=2)
    changes.approve_change(cr.id)
    assert changes.complete_change(cr.id).status == "done"


def test_project_without_deadline_or_budget(db):
    c = f.client("Acme")
    p = f.project(c, "Open-ended")
    cr = f.change(p)
    changes.assess_change(cr.id, impact_hours=3, impact_days=2)
    result = changes.approve_change(cr.id)
    assert result.budget_after == 3 and result.deadline_after is None
    assert result.change.impact_cost is None  # no rate, no override


def test_undo_refuses_when_someone_changed_the_row_since(setup):
    _, p, cr = setup
    changes.assess_change(cr.id, impact_hours=12, impact_days=5)
    changes.approve_change(cr.id)
    Project.update(budget_hours=500).where(Project.id == p.id).execute()  # another process
    before = snapshot()
    with pytest.raises(StaleEdit):
        journal.undo()
    assert snapshot() == before


def test_queue_lists_open_first(setup):
    _, p, cr = setup
    f.change(p, "Old rejected", status="rejected", received_on=pendulum.date(2026, 1, 1))
    rows = changes.list_changes()
    assert [r.title for r in rows] == ["Add blog", "Old rejected"]
    assert rows[0].age_days == 3


def test_decisions_appear_in_the_client_log_with_their_request(setup):
    from clientdesk.domain.clients import interactions

    c, _, cr = setup
    changes.reject_change(cr.id, "Not now")
    log = interactions(c.id, kinds=("decision",))
    assert [(i.kind, i.change_request) for i in log] == [("decision", "Add blog")]
    assert interactions(c.id, kinds=("call",)) == []
    assert interactions(c.id, since=TODAY.add(days=1)) == []


def _field_types(view):
    return {name: type(getattr(view, name)) for name in view.__dataclass_fields__}


def test_views_carry_the_clients_hourly_rate(setup):
    c, p, cr = setup
    other = f.project(f.client("No rate"), "Site")
    f.change(other, "Dark mode")
    rates = {v.title: v.hourly_rate for v in changes.list_changes()}
    assert rates == {"Add blog": 90, "Dark mode": None}
    assert changes.get_change(cr.id).hourly_rate == 90
    assert changes.change_queue()[0].hourly_rate == 90


def test_change_queue_is_list_changes_read_as_plain_rows(setup):
    """The Changes view reads the queue with change_queue: the same views, same order, same types."""
    c, p, cr = setup
    changes.assess_change(cr.id, impact_hours=12.5, impact_days=5)
    other = f.project(f.client("Beta", hourly_rate=1 / 3), "App", deadline=pendulum.date(2027, 1, 10))
    a = f.change(other, "Export [b]CSV[/b]", received_on=pendulum.date(2025, 12, 31), requested_by="Ann",
                 description="all of it")
    changes.assess_change(a.id, impact_hours=0.1 + 0.2, impact_days=0)  # a cost that needs every digit
    b = f.change(other, "Later", received_on=TODAY.add(days=4))  # received after today: age 0
    changes.assess_change(b.id, impact_hours=3, impact_cost=250)
    d = f.change(p, "Old", received_on=pendulum.date(2024, 2, 29))
    changes.assess_change(d.id, impact_hours=1)
    changes.approve_change(d.id)
    changes.reject_change(f.change(p, "No").id, "not now")
    f.change(p, "Done one", status="done", received_on=pendulum.date(2026, 3, 1), impact_hours=2.0, impact_days=1)

    expected = changes.list_changes()
    got = changes.change_queue()
    assert got == expected and len(got) == 6
    assert [_field_types(v) for v in got] == [_field_types(v) for v in expected]
    assert {v.title: v.age_days for v in got}["Later"] == 0
    for statuses, client_id in ((("approved", "done"), None), (None, other.client_id), (("new",), p.client_id)):
        assert changes.change_queue(statuses=statuses, client_id=client_id) == changes.list_changes(
            statuses=statuses, client_id=client_id)


# ------------------------------------------------------------ decisions, readable back for the reports


def test_the_logged_decision_reads_back_as_what_was_decided(setup):
    c, p, cr = setup
    changes.assess_change(cr.id, impact_hours=7.5, impact_days=2)
    changes.approve_change(cr.id)
    other = f.change(p, "Say 'hello': twice")
    changes.reject_change(other.id, "  Not this quarter: maybe 2027  ")
    logged = {i.change_request_id: i.summary for i in Interaction.select().where(Interaction.kind == "decision")}
    assert changes.read_decision(logged[cr.id], "Add blog") == changes.Decision("approved", "Add blog", 7.5, 2, 675.0)
    assert changes.read_decision(logged[other.id], "Say 'hello': twice") == changes.Decision(
        "rejected", "Say 'hello': twice", reason="Not this quarter: maybe 2027")


@pytest.mark.parametrize("summary, title", [
    ("Approved change request 'Add blog': +12h, +5d, cost 1,080.00 (agreed by phone)", "Add blog"),  # edited
    ("Approved change request 'Add blog': +12h", "Add blog v2"),  # the request was renamed since
    ("Rejected change request 'Add blog': ", "Add blog"),
    ("Colours approved", "Add blog"),
    ("Approved change request 'Add blog': +12h", None),  # the request was deleted
    ("Approved change request 'Add blog': +1.2.3h", "Add blog"),
])
def test_a_decision_written_by_hand_is_not_read_back(summary, title):
    assert changes.read_decision(summary, title) is None


@given(
    title=st.text(min_size=1, max_size=40).filter(str.strip),
    hours=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    days=st.integers(min_value=0, max_value=999),
    cost=st.none() | st.floats(min_value=0, max_value=1e9, allow_nan=False),
    reason=st.text(min_size=1, max_size=40).filter(str.strip),
)
def test_every_summary_the_app_writes_reads_back(title, hours, days, cost, reason):
    for decision in (changes.Decision("approved", title, hours, days, cost), changes.Decision("rejected", title, reason=reason)):
        back = changes.read_decision(decision.summary, title)
        assert back is not None and back.summary == decision.summary
        assert (back.verdict, back.title, back.impact_days, back.reason) == (
            decision.verdict, decision.title, decision.impact_days, decision.reason)
