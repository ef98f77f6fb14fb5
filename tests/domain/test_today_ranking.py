"""The Today list ranked in SQL first is exactly the list every open task scored in Python gives."""

from __future__ import annotations

import random

import pendulum
import pytest

from clientdesk.domain import tasks
from clientdesk.domain.triage import triage_score
from clientdesk.models import Task
from tests import factories as f
from tests.conftest import TODAY


def brute_force(limit: int, client_id: int | None = None) -> list[int]:
    """Every open task of an active client and project scored with the full triage score."""
    ranked = []
    for t in Task.select().where(Task.status != "done"):
        p, c = t.project, t.project.client
        if c.status != "active" or p.status != "active" or (client_id and c.id != client_id):
            continue
        total = triage_score(priority=t.priority, due=t.due, created=t.created, client_weight=c.weight, today=TODAY).total
        ranked.append((-total, t.due.to_date_string() if t.due else "9999-12-31", t.id))
    return [tid for *_, tid in sorted(ranked)[:limit]]


@pytest.fixture
def many(db):
    """400 open tasks spread over dues, priorities, ages and client weights, with exact ties."""
    rng = random.Random(11)
    clients = [f.client(weight=w) for w in (0.0, 1.0, 1.5, 3.0)] + [f.client(status="paused")]
    projects = [f.project(c, f"P{i}") for c in clients for i in range(2)]
    projects.append(f.project(clients[0], "Done project", status="done"))
    for _ in range(400):
        due = rng.choice([None, *(TODAY.add(days=d) for d in range(-30, 40, 3))])
        created = pendulum.datetime(2026, 11, 23, 8).subtract(days=rng.randrange(0, 700), minutes=rng.randrange(0, 1440))
        f.task(rng.choice(projects), priority=rng.randint(1, 4), due=due, created=created,
               status=rng.choice(["todo", "todo", "doing", "review", "backlog", "done"]))
    return clients


@pytest.mark.parametrize("limit", [1, 3, 10, 25, 60, 500])
def test_sql_ranking_gives_the_exact_list(many, limit):
    assert [t.id for t in tasks.today_list(limit, today=TODAY)] == brute_force(limit)


def test_sql_ranking_for_one_client(many):
    client_id = many[2].id
    assert [t.id for t in tasks.today_list(25, today=TODAY, client_id=client_id)] == brute_force(25, client_id)


def test_the_sql_cut_is_used_when_clear_and_refused_on_a_long_tie(db):
    p = f.project(f.client())
    for d in range(60):  # distinct scores: the 25th is far above the 50th
        f.task(p, priority=1 + d % 4, due=TODAY.add(days=d - 20))
    open_tasks = lambda *fields: Task.select(*fields).join(tasks.Project).join(tasks.Client)  # noqa: E731
    assert tasks._today_candidates(open_tasks, TODAY, 25) is not None
    for _ in range(60):  # sixty equal scores: no clear cut, every task is scored in Python
        f.task(p, priority=1, due=TODAY.subtract(days=20))
    assert tasks._today_candidates(open_tasks, TODAY, 25) is None
    assert [t.id for t in tasks.today_list(25, today=TODAY)] == brute_force(25)
