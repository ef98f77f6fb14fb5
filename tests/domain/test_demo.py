"""Demo data: deterministic, realistic, and a clean import that shows every kind of health."""

from __future__ import annotations

import json
import re
from collections import Counter

import pendulum
import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain.demo import demo_data, fill_demo
from clientdesk.domain.errors import InputError
from clientdesk.domain.interchange import export_data, import_data
from clientdesk.domain.status import client_statuses
from clientdesk.models import ChangeRequest, Client, Interaction, Task, TimeBlock

TODAY = pendulum.date(2026, 11, 23)


@pytest.fixture(scope="module")
def data() -> dict:
    return demo_data(7, TODAY, "Europe/Paris")


def test_same_seed_same_data_other_seed_other_details(data):
    assert demo_data(7, TODAY) == data  # the tests' zone is Paris
    assert json.dumps(demo_data(8, TODAY)) != json.dumps(data)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_in_any_zone_the_demo_sits_in_that_zones_working_hours(zone):

    other = demo_data(7, TODAY, zone)
    for b in other["time_blocks"]:
        start, end = pendulum.parse(b["start"]).in_timezone(zone), pendulum.parse(b["end"]).in_timezone(zone)
        assert start.weekday() < 5 and start.hour >= 9 and (end.hour, end.minute) <= (18, 0), (zone, b)
    # the same week, the same local hours as in Paris
    paris = demo_data(7, TODAY, "Europe/Paris")
    def local(doc, tz):
        return sorted(pendulum.parse(b["start"]).in_timezone(tz).format("ddd HH:mm") for b in doc["time_blocks"])

    assert local(other, zone) == local(paris, "Europe/Paris")


def test_a_demo_made_in_utc_has_no_off_hours_conflicts(tmp_path, monkeypatch):
    from clientdesk import clock
    from clientdesk.config import Settings
    from clientdesk.domain.planner import conflicts

    monkeypatch.setenv("CLIENTDESK_TZ", "UTC")
    clock.set_timezone(None)
    open_database(tmp_path / "utc.db")
    try:
        fill_demo(7, TODAY)
        found = conflicts(TODAY, Settings())
        assert [c for c in found if c.kind == "outside_hours"] == []
        assert [c.kind for c in found].count("overlap") == 2  # the two deliberate ones, as in Paris
    finally:
        close_database()


@pytest.mark.parametrize("day", ["2026-12-01", "2026-12-02", "2026-11-02", "2027-03-01"])
def test_early_in_a_month_the_hours_so_far_fit_the_days_so_far(day):
    today = pendulum.parse(day).date()
    doc = demo_data(7, today, "Europe/Paris")
    month = today.format("YYYY-MM")
    this_month = [e for e in doc["time_entries"] if e["start"][:7] == month]
    assert all(pendulum.parse(e["start"]).date() < today for e in this_month)  # nothing logged ahead of time
    per_client_day: dict = {}
    for e in doc["time_entries"]:
        start = pendulum.parse(e["start"])
        key = (e["client"], start.date())
        per_client_day.setdefault(key, []).append((start, start.add(minutes=e["minutes"])))
    for key, spans in per_client_day.items():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), key  # one client's entries never overlap
        assert sum((b - a).total_seconds() for a, b in spans) / 3600 <= 12, key
    worked = [d for d in (today.start_of("month").add(days=i) for i in range(today.day - 1)) if d.weekday() < 5]
    by_day: dict = {}
    for e in this_month:
        by_day[e["start"][:10]] = by_day.get(e["start"][:10], 0) + e["minutes"] / 60
    assert max(by_day.values(), default=0) <= 40  # the whole desk's day, not a month crammed into it
    if not worked:
        assert this_month == []


def test_clients_span_languages_zones_and_states(data):
    clients = data["clients"]
    assert len(clients) >= 9
    active = [c for c in clients if c["status"] == "active"]
    assert len(active) >= 8
    assert Counter(c["status"] for c in clients)["paused"] == 1
    assert Counter(c["status"] for c in clients)["archived"] == 1
    names = {c["name"] for c in clients}
    assert {"Atelier Moreau", "Boulangerie Lefèvre", "Yıldız Tekstil", "Anadolu Lojistik"} <= names
    assert any("青禾茶业" in n for n in names)
    assert {c["language"] for c in clients} >= {"fr", "tr", "zh", "en"}
    assert {c["timezone"] for c in clients} >= {"Europe/Paris", "Europe/Istanbul", "Asia/Shanghai", "Europe/London",
                                                "America/New_York"}
    for c in active:
        assert c["contact"] and c["channel"] and c["checkin_every_days"] > 0
        assert c["hourly_rate"] and c["budget_hours_month"] and c["weekly_target_hours"]
        assert re.fullmatch(r"#[0-9a-f]{6}", c["colour"]), c["colour"]
        tasks = [t for p in c["projects"] for t in p["tasks"]]
        assert 8 <= len(tasks) <= 25, (c["name"], len(tasks))


def test_tasks_cover_every_status_priority_and_kind_of_due_date(data):
    tasks = [t for c in data["clients"] if c["status"] == "active" for p in c["projects"] for t in p["tasks"]]
    assert {t["status"] for t in tasks} == {"backlog", "todo", "doing", "review", "done"}
    assert {t["priority"] for t in tasks} >= {1, 2, 3, 4}
    today = TODAY.to_date_string()
    week_end = TODAY.add(days=6).to_date_string()
    open_due = [t["due"] for t in tasks if t["status"] != "done" and t.get("due")]
    assert any(d < today for d in open_due)
    assert sum(today <= d <= week_end for d in open_due) >= 5
    assert any(t.get("recurrence") for t in tasks)
    tags = {tag for t in tasks for tag in t["tags"]}
    assert tags >= {"writing", "design", "dev", "admin", "calls", "review", "seo"}


def test_change_requests_in_every_status_with_their_decisions(data):
    changes = [(c, cr) for c in data["clients"] for p in c["projects"] for cr in p["change_requests"]]
    assert {cr["status"] for _, cr in changes} == {"new", "assessing", "approved", "rejected", "done"}
    for client, cr in changes:
        if cr["status"] == "assessing":
            assert cr["impact_hours"] is not None
        if cr["status"] in ("approved", "rejected", "done"):
            assert cr["decided_on"]
            assert any(i["kind"] == "decision" and i.get("change_request") == cr["title"] for i in client["interactions"])
        if cr["status"] == "rejected":
            assert cr["decision_note"]


def test_this_weeks_blocks_sit_in_working_hours_with_two_overlaps_and_buffers(data):
    paris = "Europe/Paris"
    monday = TODAY.subtract(days=TODAY.weekday())
    week = []
    for b in data["time_blocks"]:
        start = pendulum.parse(b["start"]).in_timezone(paris)
        end = pendulum.parse(b["end"]).in_timezone(paris)
        assert start.weekday() < 5 and start.hour >= 9 and (end.hour, end.minute) <= (18, 0), b
        if monday <= start.date() <= monday.add(days=4):
            week.append((start, end, b))
    assert len(week) >= 15
    assert any(b["kind"] == "buffer" for _, _, b in week)
    assert any(b["kind"] == "batch" for _, _, b in week)
    week.sort(key=lambda x: x[0])
    overlaps = sum(1 for i, (s, e, _) in enumerate(week) for s2, _e2, _ in week[i + 1:] if s2 < e)
    assert overlaps >= 2
    assert any(pendulum.parse(b["start"]).date() < monday for b in data["time_blocks"])  # past weeks too


def test_time_entries_cover_this_month_and_last(data):
    months = {e["start"][:7] for e in data["time_entries"]}
    assert {"2026-10", "2026-11"} <= months
    assert any(e["invoiced"] and e["invoice_ref"] for e in data["time_entries"])
    assert any(not e["billable"] for e in data["time_entries"])


def test_fill_demo_imports_and_health_is_mixed(db):
    summary = fill_demo(seed=7, today=TODAY)
    assert summary.clients == len(demo_data(7, TODAY)["clients"])
    rows = client_statuses(TODAY)
    assert len(rows) >= 8
    assert {r.health for r in rows} == {"red", "amber", "green"}
    names = {r.client for r in rows}
    assert "Pixel Forge Games" not in names and "Verger Saint-Jean" not in names
    assert any(r.checkin_late for r in rows)
    assert any(r.last_contact is None for r in rows)  # a client never contacted
    assert any(r.burn is not None and r.burn > 1 for r in rows)
    assert any(r.feedback_dropped for r in rows)
    assert any(r.overdue for r in rows)
    # approved requests left a linked backlog task
    approved = ChangeRequest.select().where(ChangeRequest.status == "approved")
    assert approved.count() >= 1
    for cr in approved:
        assert Task.select().where(Task.change_request == cr.id).exists()
        assert Interaction.select().where(Interaction.change_request == cr.id, Interaction.kind == "decision").exists()


def test_demo_round_trips_through_export(db, tmp_path):
    fill_demo(seed=3, today=TODAY)
    first = json.dumps(export_data(), ensure_ascii=False)
    close_database()
    open_database(tmp_path / "copy.db")
    import_data(json.loads(first))
    assert json.dumps(export_data(), ensure_ascii=False) == first


def test_fill_demo_refuses_a_database_with_clients(db):
    import_data({"version": 1, "clients": [{"name": "Mine"}]})
    with pytest.raises(InputError, match="^the database already has data; demo fills an empty one$"):
        fill_demo(today=TODAY)
    assert Client.select().count() == 1


@pytest.mark.parametrize("day", ["2026-03-01", "2027-01-01", "2026-06-15", "2026-10-25"])
def test_any_day_makes_a_valid_demo(db, day):
    today = pendulum.parse(day).date()
    fill_demo(seed=11, today=today)
    rows = client_statuses(today)
    assert len(rows) >= 8 and {r.health for r in rows} >= {"red", "green"}
    assert TimeBlock.select().count() > 20
