"""The triage score: each term, the explanation, and the Today list's order."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk.domain.tasks import get_task, today_list
from clientdesk.domain.triage import triage_score
from tests import factories as f
from tests.conftest import TODAY

CREATED = pendulum.datetime(2026, 11, 23, 8)


def score(**kw):
    base = dict(priority=3, due=None, created=CREATED, client_weight=1.0, today=TODAY)
    base.update(kw)
    return triage_score(**base)


def terms(s):
    return {t.name: t.points for t in s.terms}


def test_priority_points():
    assert [terms(score(priority=p))["priority"] for p in (1, 2, 3, 4)] == [6.0, 3.9, 1.8, 0.0]


def test_due_proximity_and_overdue():
    assert terms(score(due=TODAY))["due"] == 12.0
    assert terms(score(due=TODAY.add(days=7)))["due"] == 6.0
    assert terms(score(due=TODAY.add(days=20)))["due"] == 0.0
    late = terms(score(due=TODAY.subtract(days=3)))
    assert late["overdue"] == 13.5 and late["due"] == 0.0
    assert terms(score(due=TODAY.subtract(days=60)))["overdue"] == 19.0


def test_age_and_client_weight():
    assert terms(score(created=pendulum.datetime(2025, 11, 23)))["age"] == 2.0
    assert terms(score(created=pendulum.datetime(2026, 5, 27)))["age"] == pytest.approx(1.0, abs=0.02)
    assert terms(score(client_weight=3))["client"] == 3.0


def test_total_is_the_sum_and_explained_by_two_largest_terms():
    s = score(priority=1, due=TODAY.subtract(days=3))
    assert s.total == pytest.approx(sum(t.points for t in s.terms))
    assert s.explanation == "overdue 3d, p1"
    assert [t.name for t in s.terms] == ["priority", "due", "overdue", "age", "client"]


def test_today_list_orders_by_score_across_clients_and_skips_inactive(db):
    a = f.client("A", weight=1)
    b = f.client("B", weight=2)
    paused = f.client("P", status="paused")
    pa, pb, pp = f.project(a), f.project(b), f.project(paused)
    late = f.task(pa, "late", priority=1, due=TODAY.subtract(days=2))
    soon = f.task(pb, "soon", priority=2, due=TODAY.add(days=1))
    f.task(pa, "someday", priority=4)
    f.task(pa, "finished", status="done", due=TODAY.subtract(days=9))
    f.task(pp, "paused client's", priority=1, due=TODAY.subtract(days=9))
    rows = today_list(10, today=TODAY)
    assert [r.title for r in rows] == ["late", "soon", "someday"]
    assert rows[0].score.explanation == "overdue 2d, p1"
    detail = get_task(soon.id, TODAY)
    assert {t.name for t in detail.score.terms} == {"priority", "due", "overdue", "age", "client"}
    assert late.id == rows[0].id
