"""A patched Overview (only the touched tasks and clients re-read) equals a fresh read, key after key."""

from __future__ import annotations

import random

import pendulum
import pytest

from clientdesk.domain import journal, tasks
from clientdesk.domain.clients import log_interaction
from clientdesk.domain.errors import InputError
from clientdesk.domain.overview import TODAY_LIMIT, overview_data, patch_overview
from tests import factories as f
from tests.conftest import TODAY


@pytest.fixture
def desk(db):
    rng = random.Random(5)
    clients = [f.client(f"C{i}", weight=w) for i, w in enumerate((0.5, 1.0, 1.5, 3.0))] + [f.client("Paused", status="paused")]
    projects = [f.project(c, f"P{i}") for c in clients for i in range(2)]
    for _ in range(240):
        due = rng.choice([None, *(TODAY.add(days=d) for d in range(-20, 30, 2))])
        created = pendulum.datetime(2026, 11, 23, 8).subtract(days=rng.randrange(0, 500))
        f.task(rng.choice(projects), priority=rng.randint(1, 4), due=due, created=created,
               status=rng.choice(["todo", "doing", "backlog", "done"]))
    return clients, projects


def held(data) -> list[int]:
    return [t.id for t in data.today_tasks + data.today_spare]


def assert_same_as_fresh(patched) -> None:
    fresh = overview_data(TODAY)
    assert patched.statuses == fresh.statuses
    assert patched.unbilled == fresh.unbilled
    assert [t.id for t in patched.today_tasks] == [t.id for t in fresh.today_tasks]
    assert patched.today_tasks == fresh.today_tasks  # every field but the score...
    assert [t.score for t in patched.today_tasks] == [t.score for t in fresh.today_tasks]  # ...and the score
    every = tasks.today_ranking(10_000, today=TODAY).tasks
    assert held(patched) == [t.id for t in every[:len(held(patched))]]  # the rows held are the ranking's top


def test_triage_keys_patched_one_by_one_equal_a_fresh_read(desk):
    clients, projects = desk
    rng = random.Random(9)
    data = overview_data(TODAY)
    full_reads = 0
    for step in range(120):
        shown = [t.id for t in data.today_tasks]
        pick = rng.choice(shown) if shown and rng.random() < 0.8 else rng.choice([t.id for t in tasks.Task.select()])
        kind = rng.choice(["up", "down", "next", "back", "done", "due", "add", "delete", "call"])
        task_ids, client_ids = [pick], []
        if kind in ("up", "down"):
            try:
                tasks.change_priority([pick], -1 if kind == "up" else +1)
            except InputError:  # already p1 (or p4): refused, nothing changed
                continue
        elif kind == "next":
            tasks.move_task([pick], +1)
        elif kind == "back":
            tasks.move_task([pick], -1)
        elif kind == "done":
            tasks.mark_done([pick])
        elif kind == "due":
            tasks.set_due([pick], rng.choice([None, TODAY.subtract(days=30), TODAY, TODAY.add(days=3)]))
        elif kind == "add":
            p = rng.choice(projects)
            task_ids = [tasks.create_task(tasks.TaskInput(f"New {step}", p.id, priority=1, due=TODAY)).id]
        elif kind == "delete":
            client_ids = [tasks.get_task(pick).client_id]
            tasks.delete_task(pick)
        else:
            task_ids, client_ids = [], [rng.choice(clients[:4]).id]
            log_interaction(client_ids[0], "call", f"Call {step}", on=TODAY)
        patched = patch_overview(data, task_ids=task_ids, client_ids=client_ids, today=TODAY)
        if patched is None:  # the patch cannot tell: the screen reads it all
            full_reads += 1
            patched = overview_data(TODAY)
        assert_same_as_fresh(patched)
        data = patched
    assert full_reads < 20  # the reserve refills the list; full reads stay rare


def test_undo_patched_by_the_ids_it_touched(desk):
    data = overview_data(TODAY)
    top = data.today_tasks[0]
    tasks.mark_done([top.id])
    data = patch_overview(data, task_ids=[top.id], today=TODAY)
    assert top.id not in [t.id for t in data.today_tasks]
    journal.undo()
    data = patch_overview(data, task_ids=[top.id], today=TODAY)
    assert data.today_tasks[0].id == top.id
    assert_same_as_fresh(data)


def test_a_finished_recurring_task_or_a_new_day_asks_for_a_full_read(desk):
    data = overview_data(TODAY)
    top = data.today_tasks[0]
    tasks.Task.update(recurrence="weekly").where(tasks.Task.id == top.id).execute()
    data = overview_data(TODAY)
    tasks.mark_done([top.id])
    assert patch_overview(data, task_ids=[top.id], today=TODAY) is None
    assert patch_overview(overview_data(TODAY), today=TODAY.add(days=1)) is None


def test_a_complete_list_takes_any_task(db):
    c = f.client("Small")
    p = f.project(c)
    few = [f.task(p, priority=3) for _ in range(5)]
    data = overview_data(TODAY)
    assert data.today_complete and len(data.today_tasks) == 5
    low = tasks.create_task(tasks.TaskInput("Low", p.id, priority=4))
    data = patch_overview(data, task_ids=[low.id], today=TODAY)
    assert [t.id for t in data.today_tasks][-1] == low.id and len(data.today_tasks) == 6
    tasks.mark_done([few[0].id])
    data = patch_overview(data, task_ids=[few[0].id], today=TODAY)
    assert_same_as_fresh(data)
    assert len(data.today_tasks) == 5 < TODAY_LIMIT
