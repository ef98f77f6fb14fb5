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


def test_a_clear_cut_reads_only_the_top_and_a_long_tie_only_its_band(db):
    p = f.project(f.client())
    for d in range(60):  # distinct scores: the 25th is far above the 50th
        f.task(p, priority=1 + d % 4, due=TODAY.add(days=d - 20))
    for _ in range(300):  # far below the top: no pass may read them
        f.task(p, priority=4, due=None)
    rows, cut = tasks._today_candidates(TODAY, 25, None)
    assert 25 <= len(rows) <= 25 + tasks.TODAY_SPARE_ROWS and cut > float("-inf")
    for _ in range(60):  # sixty equal scores across the cut: the whole band, and no more, in one more pass
        f.task(p, priority=1, due=TODAY.subtract(days=20))
    rows, cut = tasks._today_candidates(TODAY, 25, None)
    assert len(rows) == 62  # the sixty, and the two p1 tasks above late by 14 days or more (the same capped score)
    assert [t.id for t in tasks.today_list(25, today=TODAY)] == brute_force(25)


def test_low_scores_only_fall_back_to_reading_every_open_task(db):
    """No task near the top levels: the passes go down level by level, and the last reads all."""
    p = f.project(f.client(weight=0.0))
    for i in range(80):
        f.task(p, priority=3 + i % 2, due=None, created=pendulum.datetime(2026, 11, 20))
    rows, cut = tasks._today_candidates(TODAY, 25, None)
    assert cut == float("-inf") or len(rows) >= 25
    assert [t.id for t in tasks.today_list(25, today=TODAY)] == brute_force(25)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_many_ties_and_weights_rank_exactly(db, seed):
    """Capped overdue ties, fractional weights, young and old tasks: SQL levels and the exact list agree."""
    rng = random.Random(seed)
    clients = [f.client(weight=w) for w in (0.25, 1.125, 2.0, 3.0, 4.5)]
    projects = [f.project(c, f"P{i}") for c in clients for i in range(2)]
    for _ in range(600):
        due = rng.choice([None, *(TODAY.add(days=d) for d in (-60, -20, -14, -13, -7, -1, 0, 1, 5, 13, 14, 30))])
        created = pendulum.datetime(2026, 11, 23, 8).subtract(days=rng.choice([0, 1, 100, 364, 365, 366, 900]),
                                                              minutes=rng.randrange(0, 1440))
        f.task(rng.choice(projects), priority=rng.randint(1, 4), due=due, created=created,
               status=rng.choice(["todo", "doing", "done"]))
    for limit in (1, 10, 25, 50, 200):
        assert [t.id for t in tasks.today_list(limit, today=TODAY)] == brute_force(limit), limit
    ranking = tasks.today_ranking(10_000, today=TODAY)
    assert ranking.complete and [t.id for t in ranking.tasks] == brute_force(10_000)
    assert not tasks.today_ranking(25, today=TODAY).complete
