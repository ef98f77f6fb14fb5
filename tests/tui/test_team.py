"""Two people on one desk, in the app: a conflict modal instead of a silent overwrite, assignees, mine/all."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest

from clientdesk.domain import people, tasks
from clientdesk.domain.clients import client_profile, find_client, update_client
from clientdesk.domain.tasks import get_task
from clientdesk.tui.modals.conflict import ConflictModal
from clientdesk.tui.modals.entity_form import EntityForm
from clientdesk.tui.modals.entity_form import EntityForm as TaskForm  # the task form is the generated form
from clientdesk.tui.screens.board import BoardScreen
from clientdesk.tui.screens.overview import OverviewScreen
from tests.tui.helpers import create_app, press, settle

CLIENT = "Atelier Moreau"


@pytest.fixture
def team(demo_db, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "alice")
    people.add_person("bob")
    return monkeypatch


def as_bob(monkeypatch, fn, *args, **kwargs):
    monkeypatch.setenv("CLIENTDESK_USER", "bob")
    try:
        return fn(*args, **kwargs)
    finally:
        monkeypatch.setenv("CLIENTDESK_USER", "alice")


@asynccontextmanager
async def board(size=(120, 40)):
    app = create_app(mode="board", client_id=find_client(CLIENT).id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        yield app, pilot, app.screen


async def test_a_task_saved_over_a_teammates_change_asks_and_never_overwrites_silently(team):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "e")
        assert isinstance(app.screen, TaskForm)
        as_bob(team, tasks.update_task, task.id, tasks.TaskInput(
            "Bob's title", task.project_id, status=task.status, priority=task.priority, due=task.due,
            estimate_minutes=task.estimate_minutes, tags=task.tags, recurrence=task.recurrence))
        app.screen.query_one("#f-title").value = "Alice's title"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConflictModal)
        assert app.screen.message.startswith("bob changed the title of 'Bob's title' at ")
        assert get_task(task.id).title == "Bob's title"
        await press(pilot, "escape")  # back to the form, what was typed kept
        assert isinstance(app.screen, TaskForm) and app.screen.query_one("#f-title").value == "Alice's title"
        await press(pilot, "ctrl+s")  # a second save is refused again: it was the bug
        assert isinstance(app.screen, ConflictModal)
        assert get_task(task.id).title == "Bob's title"
        await press(pilot, "o")  # overwrite, on purpose
        assert get_task(task.id).title == "Alice's title"
        assert isinstance(app.screen, BoardScreen)


async def test_reload_drops_what_was_typed_and_shows_theirs(team):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "e")
        as_bob(team, tasks.set_due, [task.id], None)
        as_bob(team, tasks.change_priority, [task.id], 1 if task.priority < 4 else -1)
        app.screen.query_one("#f-title").value = "Mine"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConflictModal)
        await press(pilot, "r")
        assert isinstance(app.screen, TaskForm)
        assert app.screen.query_one("#f-title").value == task.title
        assert app.screen.query_one("#f-priority").value == get_task(task.id).priority
        await press(pilot, "escape")
        assert get_task(task.id).title == task.title


async def test_a_client_profile_saved_over_a_teammates_change_asks(team):
    client_id = find_client(CLIENT).id
    app = create_app(mode="overview")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        from clientdesk.tui import flows

        flows.edit_client(app, client_id)
        await settle(pilot)
        assert isinstance(app.screen, EntityForm)
        as_bob(team, update_client, client_id, {"contact": "bob@moreau.test"})
        app.screen.query_one("#f-notes").value = "alice's notes"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConflictModal)
        assert "bob changed the contact of 'Atelier Moreau'" in app.screen.message
        assert client_profile(client_id).notes != "alice's notes"
        await press(pilot, "o")
        profile = client_profile(client_id)
        assert profile.notes == "alice's notes"


async def test_quick_add_assigns_with_at_name_and_refuses_an_unknown_one(team):
    async with board() as (app, pilot, screen):
        await press(pilot, "a")
        field = app.focused
        field.value = "Review contract @zed"
        await settle(pilot)
        preview = str(screen.query_one("#qa-preview").render())
        assert "@zed: neither a person nor a date (people: alice, bob;" in preview
        field.value = "Review contract @bob p2"
        await settle(pilot)
        assert "@bob" in str(screen.query_one("#qa-preview").render())
        await press(pilot, "enter")
        added = [t for t in tasks.board_tasks(find_client(CLIENT).id) if t.title == "Review contract"]
        assert len(added) == 1 and added[0].assignee == "bob"


async def test_the_task_form_sets_the_assignee(team):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "e")
        app.screen.query_one("#f-assignee").value = "bob"
        await press(pilot, "ctrl+s")
        assert get_task(task.id).assignee == "bob"


async def test_m_shows_mine_or_everyones_on_the_board_and_the_overview(team):
    client_id = find_client(CLIENT).id
    first = tasks.board_tasks(client_id)[0]
    tasks.assign_task([first.id], "alice")
    async with board() as (app, pilot, screen):
        everyone = len(screen.data.tasks)
        assert everyone > 1
        await press(pilot, "m")
        assert [t.id for t in screen.data.tasks] == [first.id]
        assert "mine (m: everyone's)" in str(screen._bar_drawn)
        await press(pilot, "m")
        assert len(screen.data.tasks) == everyone
    app = create_app(mode="overview")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        await press(pilot, "m")  # on the client list m is not a key (it filters the Today list)
        assert "mine" not in str(screen.query_one("#today-title").render())
        await press(pilot, "tab", "m")
        assert {t.id for t in screen.data.today_tasks} <= {first.id}
        assert "mine" in str(screen.query_one("#today-title").render())


async def test_the_client_detail_and_the_task_detail_say_who_did_what(team):
    from clientdesk.tui.modals.task_detail import TaskDetailModal
    from clientdesk.tui.screens.client import ClientScreen

    client_id = find_client(CLIENT).id
    task = [t for t in tasks.board_tasks(client_id) if t.status == "doing"][0]
    as_bob(team, tasks.move_task, [task.id], 1)
    app = create_app(mode="overview")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.open_client(client_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientScreen)
        while screen.section != "activity":
            await press(pilot, "s")
        table = screen.query_one("#client-log")
        first = str(table.get_row_at(0)[0])
        assert first.startswith(f"bob moved '{task.title[:40]}") and "to review, " in first
        await press(pilot, "e")  # read-only: said, nothing opens
        assert app.screen is screen
        app.open_task(task.id)
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailModal)
        assert app.screen.activity[0].startswith("bob moved it to review, ")


async def test_the_planner_shows_one_persons_week_and_W_switches(team):
    import pendulum

    from clientdesk.domain.planner import create_block, week_blocks
    from clientdesk.tui.screens.planner import PlannerScreen
    from clientdesk.tui.widgets.view_header import ViewHeader

    people.set_capacity("bob", 20)
    bob = people.find_person("bob").id
    client_id = find_client(CLIENT).id
    start = pendulum.datetime(2026, 11, 25, 7, tz="Europe/Paris")
    create_block(client_id, start, start.add(hours=1), note="alice's early block")  # alice's first write
    create_block(client_id, start, start.add(minutes=30), note="bob's early block", person_id=bob)
    alice = people.my_id_if_known()
    app = create_app(mode="planner")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlannerScreen)
        assert screen.data.person.name == "alice"  # your own week first
        notes = {b.note for b in screen.data.blocks}
        assert "alice's early block" in notes and "bob's early block" not in notes
        assert {b.id for b in screen.data.blocks} == {b.id for b in week_blocks(start.date(), person_id=alice)}
        for _ in range(len(screen.data.people)):
            if screen.data.person.name == "bob":
                break
            await press(pilot, "W")
        assert screen.data.person.name == "bob"
        header = screen.query_one(ViewHeader).context
        assert "bob's week" in header and "of 20h" in header
        notes = {b.note for b in screen.data.blocks}
        assert "bob's early block" in notes and "alice's early block" not in notes
