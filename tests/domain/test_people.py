"""People on one desk: who did what, per-person undo, conflicts that name the teammate, assignees."""

from __future__ import annotations

import pytest

from clientdesk.domain import journal, people, tasks
from clientdesk.domain.clients import client_profile, update_client
from clientdesk.domain.errors import InputError, NotFound, RuleError, StaleEdit
from clientdesk.domain.journal import RowConflict, row_history, row_version, saved_over
from clientdesk.domain.quickadd import parse_quick_add
from clientdesk.models import Action, Client, Person, Task
from tests import factories as f
from tests.conftest import TODAY


@pytest.fixture
def desk(db, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "alice")
    people.add_person("bob", 30)
    c = f.client("Acme")
    p = f.project(c)
    return c, p


def as_user(monkeypatch, name: str) -> None:
    monkeypatch.setenv("CLIENTDESK_USER", name)


def test_people_are_named_once_case_and_spelling_aside(desk):
    with pytest.raises(InputError, match="already a person named bob"):
        people.add_person("BOB")
    with pytest.raises(InputError, match="one word"):
        people.add_person("Bob Smith")
    with pytest.raises(InputError, match="capacity"):
        people.add_person("carol", 500)
    assert [p.name for p in people.list_people()] == ["bob"]  # alice has written nothing yet


def test_the_current_person_is_created_on_the_first_write(desk, monkeypatch):
    assert people.my_id_if_known() is None
    tasks.create_task(tasks.TaskInput("Draft invoice", desk[1].id))
    me = Person.get(Person.key == "alice")
    assert Action.select().order_by(Action.id.desc()).first().person_id == me.id
    as_user(monkeypatch, "ALICE")  # the same person, written otherwise
    assert people.my_id_if_known() == me.id


def test_undo_is_per_person_and_refuses_over_a_teammates_change(desk, monkeypatch):
    _, p = desk
    t = tasks.create_task(tasks.TaskInput("Draft invoice", p.id, status="todo"))
    as_user(monkeypatch, "bob")
    tasks.update_task(t.id, tasks.TaskInput("Draft invoice v2", p.id, status="todo"))  # bob renames it
    as_user(monkeypatch, "alice")
    with pytest.raises(StaleEdit, match=r"bob changed the title of 'Draft invoice v2' at \d\d:\d\d; undo refused"):
        journal.undo()  # alice's add: bob changed that row since
    assert Task.get_by_id(t.id).title == "Draft invoice v2"
    as_user(monkeypatch, "bob")
    assert journal.undo() == "edit task 'Draft invoice v2'"  # bob undoes his own, never alice's
    with pytest.raises(RuleError, match="nothing to undo"):
        journal.undo()
    as_user(monkeypatch, "alice")
    assert journal.undo() == "add task 'Draft invoice'"
    assert Task.get_or_none(Task.id == t.id) is None


def test_a_teammates_action_does_not_clear_your_redo(desk, monkeypatch):
    _, p = desk
    t = f.task(p, "Logo", priority=3)
    tasks.change_priority(t.id, -1)
    journal.undo()
    as_user(monkeypatch, "bob")
    tasks.create_task(tasks.TaskInput("Bob's own", p.id))
    as_user(monkeypatch, "alice")
    assert journal.redo().startswith("raise priority")
    assert Task.get_by_id(t.id).priority == 2


def test_the_journal_is_trimmed_per_person(desk, monkeypatch):
    _, p = desk
    monkeypatch.setattr(journal, "JOURNAL_KEEP", 3)
    t = f.task(p, "Logo", priority=4)
    as_user(monkeypatch, "bob")
    tasks.set_due(t.id, TODAY)
    as_user(monkeypatch, "alice")
    for _ in range(5):
        tasks.set_due(t.id, None)
    bob = Person.get(Person.key == "bob").id
    alice = Person.get(Person.key == "alice").id
    assert Action.select().where(Action.person == alice).count() == 3
    assert Action.select().where(Action.person == bob).count() == 1  # alice's trim left bob's alone


def test_a_stale_form_save_names_who_changed_which_fields(desk, monkeypatch):
    _, p = desk
    t = f.task(p, "Draft invoice", priority=3)
    seen = tasks.get_task(t.id)
    as_user(monkeypatch, "bob")
    tasks.set_due(t.id, TODAY)
    tasks.change_priority(t.id, -1)
    as_user(monkeypatch, "alice")
    with pytest.raises(RowConflict) as caught:
        tasks.update_task(t.id, tasks.TaskInput("Mine", p.id, priority=3), expect_version=seen.version)
    text = str(caught.value)
    assert text.startswith("bob changed the due date and priority of 'Draft invoice' at ") and "not saved" in text
    assert caught.value.version == seen.version + 2
    assert Task.get_by_id(t.id).title == "Draft invoice"
    # overwriting on purpose: the save names the version the conflict reported
    tasks.update_task(t.id, tasks.TaskInput("Mine", p.id, priority=3), expect_version=caught.value.version)
    assert Task.get_by_id(t.id).title == "Mine"


def test_every_edited_table_compares_its_version(desk, monkeypatch):
    c, _ = desk
    version = row_version("client", c.id)
    as_user(monkeypatch, "bob")
    update_client(c.id, {"contact": "bob@acme.test"})
    as_user(monkeypatch, "alice")
    with pytest.raises(RowConflict, match="bob changed the contact of 'Acme'"):
        saved_over("client", c.id, version, update_client, c.id, {"notes": "my notes"})
    profile = client_profile(c.id)
    assert profile.contact == "bob@acme.test" and profile.notes == ""
    assert Client.get_by_id(c.id).version == version + 1


def test_who_did_what_lines(desk, monkeypatch):
    _, p = desk
    t = tasks.create_task(tasks.TaskInput("Draft invoice", p.id, status="doing"))
    as_user(monkeypatch, "bob")
    tasks.move_task(t.id, 1)
    lines = [c.line() for c in row_history("task", t.id)]
    assert lines[0].startswith("bob moved it to review, ") and lines[1].startswith("alice added it, ")


def test_quick_add_at_name_assigns_and_an_unknown_name_is_refused(desk):
    parsed = parse_quick_add("Draft @Bob p1 @fri", TODAY, [], ["bob"])
    assert parsed.assignee == "bob" and parsed.priority == 1 and parsed.due is not None
    with pytest.raises(InputError, match=r"@zed: neither a person nor a date \(people: bob"):
        parse_quick_add("Draft @zed", TODAY, [], ["bob"])
    assert parse_quick_add("Draft @fri", TODAY, [], ["bob"]).assignee is None


def test_assignee_on_tasks_and_the_mine_filter(desk, monkeypatch):
    c, p = desk
    t = tasks.create_task(tasks.TaskInput("For bob", p.id, assignee="bob"))
    assert t.assignee == "bob"
    with pytest.raises(NotFound, match=r"no person named zed \(there are: alice, bob\)"):
        tasks.create_task(tasks.TaskInput("For zed", p.id, assignee="zed"))
    mine = tasks.create_task(tasks.TaskInput("For me", p.id, assignee="alice"))  # alice exists since her first write
    me = people.my_id_if_known()
    assert me is not None and mine.assignee_id == me
    ids = [v.id for v in tasks.board_tasks(c.id, assignee_id=me, scored=False)]
    assert ids == [mine.id]
    tasks.assign_task([t.id], "alice")
    assert {v.id for v in tasks.today_list(assignee_id=me)} == {t.id, mine.id}
    tasks.update_task(t.id, tasks.TaskInput("For bob", p.id, assignee=None))
    assert tasks.get_task(t.id).assignee_id is None


def test_a_clients_activity_says_who_did_what_to_its_things(desk, monkeypatch):
    from clientdesk.domain.activity import client_activity, task_activity
    from clientdesk.domain.clients import log_interaction

    c, p = desk
    other = f.project(f.client("Other"), "Elsewhere")
    t = tasks.create_task(tasks.TaskInput("Draft invoice", p.id, status="doing"))
    tasks.create_task(tasks.TaskInput("Not theirs", other.id))
    as_user(monkeypatch, "bob")
    tasks.move_task(t.id, 1)
    log_interaction(c.id, "call", "Budget call")
    update_client(c.id, {"contact": "x@acme.test"})
    lines = [line.text for line in client_activity(c.id)]
    assert [line.rsplit(",", 1)[0] for line in lines] == [
        "bob changed the contact of the profile", "bob added 'Budget call'", "bob moved 'Draft invoice' to review",
        "alice added 'Draft invoice'"]
    assert task_activity(t.id)[0].startswith("bob moved it to review, ")


def test_each_person_has_their_own_week_and_fill_plans_theirs_and_the_unassigned(desk, monkeypatch):
    import pendulum

    from clientdesk.config import Settings
    from clientdesk.domain.fill import accept_fill, propose_fill
    from clientdesk.domain.planner import create_block, week_blocks

    c, p = desk
    mon = TODAY
    zone = "Europe/Paris"
    bob = Person.get(Person.key == "bob").id
    create_block(c.id, pendulum.datetime(2026, 11, 24, 9, tz=zone), pendulum.datetime(2026, 11, 24, 11, tz=zone))
    alice = people.my_id_if_known()
    create_block(c.id, pendulum.datetime(2026, 11, 24, 9, tz=zone), pendulum.datetime(2026, 11, 24, 10, tz=zone),
                 person_id=bob)  # the same hour in bob's week: no conflict with alice's
    assert len(week_blocks(mon, person_id=alice)) == 1 and len(week_blocks(mon, person_id=bob)) == 1
    for title, who in (("Alice's", "alice"), ("Bob's", "bob"), ("Anyone's", None)):
        tasks.create_task(tasks.TaskInput(title, p.id, estimate_minutes=60, assignee=who))
    settings = Settings(working_hours={d: ((9 * 60, 17 * 60),) for d in range(5)}, buffer_share=0.0)
    proposal = propose_fill(mon, settings, now=pendulum.datetime(2026, 11, 23, 8, tz=zone), person_id=alice)
    planned = {tasks.get_task(part.task_id).title for b in proposal.blocks for part in b.parts}
    assert planned == {"Alice's", "Anyone's"}
    made = accept_fill(proposal)
    assert {b.id for b in week_blocks(mon, person_id=alice)} >= set(made) and len(made) == 2
    assert len(week_blocks(mon, person_id=bob)) == 1  # bob's week untouched


def test_interchange_carries_people_and_assignees(desk, tmp_path):
    import json as _json

    from clientdesk.db import close_database, open_database
    from clientdesk.domain.interchange import export_data, import_data

    _, p = desk
    people.set_capacity("bob", 25)
    tasks.create_task(tasks.TaskInput("For bob", p.id, assignee="bob"))
    tasks.create_task(tasks.TaskInput("For nobody", p.id))
    data = export_data()
    assert {"name": "bob", "capacity_hours": 25, "active": True} in data["people"]
    exported = {t["title"]: t.get("assignee") for t in data["clients"][0]["projects"][0]["tasks"]}
    assert exported == {"For bob": "bob", "For nobody": None}
    close_database()
    open_database(tmp_path / "other.db")
    import_data(_json.loads(_json.dumps(data)))
    again = export_data()
    assert again["people"] == data["people"]
    assert again["clients"] == data["clients"]
    bad = _json.loads(_json.dumps(data))
    bad["clients"][0]["name"] = "Acme 2"
    bad["clients"][0]["projects"][0]["tasks"][0]["assignee"] = "zed"
    with pytest.raises(InputError, match=r"clients\[0\]\.projects\[0\]\.tasks\[0\]\.assignee: unknown person: \"zed\" "
                                         r"\(people: alice, bob"):
        import_data(bad)
