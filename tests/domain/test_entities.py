"""Every entity made, edited, closed and deleted through the domain: one action each, undone exactly."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk.domain import journal
from clientdesk.domain.clients import (
    add_feedback, client_named, client_profile, create_client, delete_client, delete_feedback, delete_interaction,
    feedback, find_client, interactions, log_interaction, milestones, risks, set_client_status, update_client,
    update_feedback, update_interaction,
)
from clientdesk.domain.errors import InputError, NotFound, RuleError
from clientdesk.domain.fields import PROJECT, RISK, TASK, FieldError
from clientdesk.domain.projects import (
    create_milestone, create_project, create_risk, delete_milestone, delete_project, delete_risk, project_detail,
    set_project_status, toggle_milestone_done, toggle_risk_closed, update_milestone, update_project, update_risk,
)
from clientdesk.domain.tasks import TaskInput, create_task
from clientdesk.domain.templates import (
    create_project_from_template, delete_template, find_template, list_templates, rename_template, save_template,
)
from clientdesk.models import Client, Project, Task, TimeEntry

D = pendulum.date


def _client(name="Acme", **kw):
    return create_client({"name": name, **kw})


def test_client_names_are_unique_by_their_key(db):
    _client("Émile")
    for same in ("E\u0301mile", "émile", "ÉMILE", " Émile ", "É\u200bmile"):
        with pytest.raises(FieldError) as err:
            _client(same)
        assert err.value.field == "name" and "already exists" in str(err.value)
    assert Client.select().count() == 1
    assert client_named("EMILE") is None and client_named("e\u0301mile").name == "Émile"
    assert find_client("émile").name == "Émile"


def test_client_fields_are_checked_by_the_specification(db):
    with pytest.raises(FieldError, match="^name: empty$"):
        _client("  ")
    with pytest.raises(FieldError, match="check-in every: must be at least 1: 0"):
        _client("A", checkin_every_days=0)
    with pytest.raises(FieldError, match="hourly rate: must be zero or more: -5"):
        _client("A", hourly_rate=-5)
    with pytest.raises(FieldError, match="time zone: unknown time zone: Mars/Olympus"):
        _client("A", timezone="Mars/Olympus")
    with pytest.raises(FieldError, match="channel: one of email, phone, chat, meeting: fax"):
        _client("A", channel="fax")
    assert Client.select().count() == 0


def test_edit_pause_archive_restore_and_undo_each(db):
    c = _client("Acme", channel="phone", checkin_every_days=7)
    update_client(c.id, {"contact": "Ada <ada@acme.test>", "hourly_rate": 90})
    p = client_profile(c.id)
    assert (p.contact, p.hourly_rate, p.channel, p.checkin_every_days) == ("Ada <ada@acme.test>", 90, "phone", 7)
    set_client_status(c.id, "paused")
    set_client_status(c.id, "archived")
    with pytest.raises(RuleError, match="already archived"):
        set_client_status(c.id, "archived")
    set_client_status(c.id, "active")
    assert journal.undo() == "restore client 'Acme'"
    assert client_profile(c.id).status == "archived"
    assert journal.undo() == "archive client 'Acme'"
    assert journal.undo() == "pause client 'Acme'"
    assert client_profile(c.id).status == "active"
    journal.undo()
    assert client_profile(c.id).contact == "" and client_profile(c.id).hourly_rate is None


def test_deleting_a_client_with_time_entries_needs_the_confirmation(db):
    c = _client()
    p = create_project(c.id, {"name": "Site"})
    t = create_task(TaskInput(title="Hero", project_id=p.id))
    TimeEntry.create(client=c.id, task=t.id, start=pendulum.datetime(2026, 11, 20, 9), minutes=30)
    log_interaction(c.id, "call", "Kickoff")
    with pytest.raises(RuleError, match="has 1 time entry"):
        delete_client(c.id)
    assert Client.select().count() == 1
    footprint = delete_client(c.id, with_time_entries=True)
    assert (footprint.projects, footprint.tasks, footprint.time_entries, footprint.interactions) == (1, 1, 1, 1)
    assert Client.select().count() == Task.select().count() == TimeEntry.select().count() == 0
    journal.undo()
    assert Client.select().count() == Task.select().count() == TimeEntry.select().count() == 1
    assert TimeEntry.get().task_id == t.id


def test_project_fields_dates_and_lifecycle(db):
    c = _client()
    with pytest.raises(FieldError, match=r"deadline: before the start \(2026-12-01\): 2026-11-30"):
        create_project(c.id, {"name": "Site", "start": D(2026, 12, 1), "deadline": D(2026, 11, 30)})
    with pytest.raises(FieldError, match="budget hours: must be zero or more: -1"):
        create_project(c.id, {"name": "Site", "budget_hours": -1})
    p = create_project(c.id, {"name": "Site", "start": D(2026, 12, 1), "deadline": D(2026, 12, 20),
                              "budget_hours": 40, "budget_amount": 3600, "scope": "five pages"})
    with pytest.raises(FieldError, match="already has a project named 'Site'"):
        create_project(c.id, {"name": "site"})
    with pytest.raises(FieldError, match="deadline: before the start"):
        update_project(p.id, {"deadline": D(2026, 11, 1)})
    update_project(p.id, {"budget_hours": 60})
    detail = project_detail(p.id)
    assert detail.values["budget_hours"] == 60 and detail.values["scope"] == "five pages"
    set_project_status(p.id, "done")
    assert project_detail(p.id).status == "done"
    assert journal.undo() == "close project 'Site'"
    journal.undo()
    assert project_detail(p.id).values["budget_hours"] == 40
    delete_project(p.id)
    assert Project.select().count() == 0
    journal.undo()
    assert project_detail(p.id).values["budget_amount"] == 3600


def test_milestones_and_risks(db):
    c = _client()
    p = create_project(c.id, {"name": "Site"})
    m = create_milestone(p.id, {"name": "Beta", "due": D(2026, 12, 4)})
    update_milestone(m, {"due": D(2026, 12, 11)})
    assert toggle_milestone_done(m) is True
    assert milestones(c.id)[0].done_on == D(2026, 11, 23)
    journal.undo()
    assert milestones(c.id)[0].done_on is None and milestones(c.id)[0].due == D(2026, 12, 11)
    with pytest.raises(FieldError, match="likelihood: must be 1..5: 9"):
        create_risk(p.id, {"title": "Late content", "likelihood": 9})
    low = create_risk(p.id, {"title": "Low", "likelihood": 1, "impact": 2})
    high = create_risk(p.id, {"title": "High", "likelihood": 4, "impact": 5, "mitigation": "ask early"})
    assert [r.title for r in risks(c.id)] == ["High", "Low"]  # worst first
    assert risks(c.id)[0].exposure == 20
    update_risk(low, {"impact": 5, "likelihood": 5})
    assert [r.title for r in risks(c.id)] == ["Low", "High"]
    assert toggle_risk_closed(low) == "closed"
    assert [r.title for r in risks(c.id)] == ["High", "Low"]  # closed ones last
    delete_risk(high)
    delete_milestone(m)
    assert len(risks(c.id)) == 1 and milestones(c.id) == []
    journal.undo()
    journal.undo()
    assert len(risks(c.id)) == 2 and len(milestones(c.id)) == 1


def test_interactions_on_any_date_edit_delete(db):
    c = _client()
    i = log_interaction(c.id, "call", "Kickoff", on=D(2026, 11, 20))
    update_interaction(i.id, {"summary": "Kickoff call", "on": D(2026, 11, 19), "kind": "meeting"})
    entry = interactions(c.id)[0]
    assert (entry.on, entry.kind, entry.summary) == (D(2026, 11, 19), "meeting", "Kickoff call")
    with pytest.raises(FieldError, match="^summary: empty$"):
        update_interaction(i.id, {"summary": " "})
    delete_interaction(i.id)
    assert interactions(c.id) == []
    journal.undo()
    journal.undo()
    assert interactions(c.id)[0].summary == "Kickoff"


def test_feedback_edit_delete(db):
    c = _client()
    f = add_feedback(c.id, 4, "quick", on=D(2026, 11, 1))
    with pytest.raises(FieldError, match="score: must be 1..5: 6"):
        update_feedback(f.id, {"score": 6})
    update_feedback(f.id, {"score": 2, "comment": "slow"})
    assert [(x.score, x.comment) for x in feedback(c.id)] == [(2, "slow")]
    delete_feedback(f.id)
    assert feedback(c.id) == []
    journal.undo()
    journal.undo()
    assert [(x.score, x.comment) for x in feedback(c.id)] == [(4, "quick")]


def test_template_round_trip_lays_due_dates_from_the_new_start(db):
    a = _client("Acme")
    p = create_project(a.id, {"name": "Launch", "start": D(2026, 11, 2)})
    create_task(TaskInput(title="Brief", project_id=p.id, due=D(2026, 11, 5), estimate_minutes=60, tags=("writing",)))
    create_task(TaskInput(title="Build", project_id=p.id, status="doing", priority=1, estimate_minutes=240))
    create_task(TaskInput(title="Ship", project_id=p.id, status="done", due=D(2026, 11, 30)))
    view = save_template(p.id, "Website launch")
    assert (view.tasks, view.estimate_minutes, view.span_days) == (3, 300, 28)
    with pytest.raises(FieldError, match="already exists"):
        save_template(p.id, "website LAUNCH")
    b = _client("Beta")
    new = create_project_from_template(b.id, {"name": "Site", "start": D(2026, 12, 7)}, "website launch")
    tasks = sorted(Task.select().where(Task.project == new.id), key=lambda t: t.title)
    assert [(t.title, t.status, t.due, t.estimate_minutes, t.tags, t.priority) for t in tasks] == [
        ("Brief", "todo", D(2026, 12, 10), 60, "writing", 3),
        ("Build", "todo", None, 240, "", 1),
        ("Ship", "todo", D(2027, 1, 4), None, "", 3),
    ]
    journal.undo()
    assert Project.select().where(Project.client == b.id).count() == 0
    assert Task.select().count() == 3
    rename_template(view.id, "Launch kit")
    assert [t.name for t in list_templates()] == ["Launch kit"]
    with pytest.raises(NotFound, match="no such template: nope"):
        create_project_from_template(b.id, {"name": "X"}, "nope")
    delete_template(view.id)
    assert list_templates() == []
    journal.undo()
    assert find_template("launch kit").tasks == 3


def test_a_project_without_tasks_makes_no_template(db):
    p = create_project(_client().id, {"name": "Empty"})
    with pytest.raises(RuleError, match="no task"):
        save_template(p.id, "Nothing")


def test_ranges_live_in_the_specification():
    assert (TASK["priority"].lo, TASK["priority"].hi) == (1, 4)
    assert (RISK["likelihood"].lo, RISK["likelihood"].hi) == (1, 5)
    with pytest.raises(FieldError, match="priority: must be 1..4: 9"):
        TASK["priority"].parse("9")
    assert PROJECT["budget_amount"].parse("1 200".replace(" ", "")) == 1200.0
    assert PROJECT["budget_amount"].parse("") is None
    with pytest.raises(InputError, match="not a number: lots"):
        PROJECT["budget_amount"].parse("lots")


def test_milestones_list_undated_first_then_by_date_on_every_engine(db):
    """NULLs sort first on SQLite and last on PostgreSQL unless the query says: it says."""
    from clientdesk.domain.clients import milestones
    from clientdesk.models import Milestone
    from tests import factories as fac

    project = fac.project(fac.client("Acme"), "Site")
    for name, due in (("late", "2026-12-20"), ("undated", None), ("early", "2026-11-30")):
        Milestone.create(project=project, name=name, due=due)
    assert [m.name for m in milestones(project.client_id)] == ["undated", "early", "late"]


def test_tasks_and_change_requests_are_checked_by_their_specification_and_nothing_is_written(db):
    from clientdesk.domain.changes import ChangeInput, assess_change, create_change, get_change
    from clientdesk.domain.tasks import TaskInput, create_task
    from clientdesk.models import ChangeRequest, Task

    p = create_project(_client().id, {"name": "Site"})
    for bad, says in ((TaskInput(" ", p.id), "title: empty"), (TaskInput("T", p.id, priority=9), "priority: must be 1..4: 9"),
                      (TaskInput("T", p.id, priority=0), "priority: must be at least 1: 0"),
                      (TaskInput("T", p.id, estimate_minutes=0), "estimate: must be more than 0: 0"),
                      (TaskInput("T", p.id, status="later"), "status: one of backlog, todo, doing, review, done: later"),
                      (TaskInput("T", p.id, recurrence="sometimes"), "repeats: not a rule")):
        with pytest.raises(FieldError) as caught:
            create_task(bad)
        assert str(caught.value).startswith(says), (bad, str(caught.value))
    assert Task.select().count() == 0
    with pytest.raises(FieldError, match="title: empty"):
        create_change(ChangeInput(p.id, "  "))
    cr = create_change(ChangeInput(p.id, "Blog"))
    for kwargs, says in (({"impact_hours": None}, "hours: needed"), ({"impact_hours": -1}, "hours: must be zero or more: -1"),
                         ({"impact_hours": 2, "impact_days": 1.5}, "days: not a whole number: 1.5"),
                         ({"impact_hours": 2, "impact_cost": -3}, "cost: must be zero or more: -3")):
        with pytest.raises(FieldError, match=says):
            assess_change(cr.id, **kwargs)
    assert get_change(cr.id).status == "new" and ChangeRequest.select().count() == 1
