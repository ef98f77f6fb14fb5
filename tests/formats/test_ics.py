"""The .ics export, parsed back with icalendar: count, times, zones, UIDs stable across exports."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from icalendar import Calendar

from clientdesk.cli import main
from clientdesk.domain import planner, routines
from clientdesk.domain.errors import NotFound
from clientdesk.domain.desk import desk_id
from clientdesk.formats.ics import block_uid, calendar_bytes
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"


def at(day: pendulum.Date, hhmm: str) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    return pendulum.datetime(day.year, day.month, day.day, h, m, tz=PARIS)


def uid(block_id: int) -> str:
    return block_uid(block_id, desk_id())


def events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, list(cal.walk("VEVENT"))


@pytest.fixture
def data(db):
    acme = f.client("Acme")
    beta = f.client("Beta")
    hero = f.task(f.project(acme), "Hero copy")
    a = planner.create_block(acme.id, at(TODAY, "09:00"), at(TODAY, "11:00"), "focus", task_id=hero.id, note="first draft")
    b = planner.create_block(beta.id, at(TODAY.add(days=2), "14:00"), at(TODAY.add(days=2), "15:30"), "meeting")
    summer = planner.create_block(acme.id, at(pendulum.date(2026, 7, 6), "09:00"), at(pendulum.date(2026, 7, 6), "10:00"), "batch")
    return {"a": a, "b": b, "summer": summer}


def test_every_block_becomes_an_event_with_right_times(data):
    cal, evs = events(calendar_bytes())
    assert str(cal["prodid"]).startswith("-//clientdesk//") and str(cal["version"]) == "2.0"
    assert str(cal["x-wr-calname"]) == "clientdesk"
    assert len(evs) == 3
    by_uid = {str(e["uid"]): e for e in evs}
    assert set(by_uid) == {uid(data[k].id) for k in ("a", "b", "summer")}
    a = by_uid[uid(data['a'].id)]
    start, end = a.decoded("dtstart"), a.decoded("dtend")
    assert start == dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone.utc)  # 09:00 in Paris, winter
    assert end - start == dt.timedelta(hours=2)
    assert str(start.tzinfo) == PARIS and a["dtstart"].params["TZID"] == PARIS
    assert str(a["summary"]) == "Acme: Hero copy"
    assert str(a["description"]) == "Client: Acme\nTask: Hero copy\nKind: focus\nNote: first draft"
    assert [str(c) for c in a["categories"].cats] == ["Acme"]
    b = by_uid[uid(data['b'].id)]
    assert str(b["summary"]) == "Beta: meeting" and "Task:" not in str(b["description"])
    summer = by_uid[uid(data['summer'].id)]
    assert summer.decoded("dtstart") == dt.datetime(2026, 7, 6, 7, 0, tzinfo=dt.timezone.utc)  # 09:00 CEST
    tz = list(cal.walk("VTIMEZONE"))
    assert [str(t["tzid"]) for t in tz] == [PARIS]


def test_two_exports_are_identical_and_uids_survive_edits(data):
    first = calendar_bytes()
    assert calendar_bytes() == first
    planner.move_block(data["a"].id, 60)
    _, evs = events(calendar_bytes())
    uids_then = {str(e["uid"]) for e in events(first)[1]}
    assert {str(e["uid"]) for e in evs} == uids_then
    moved = next(e for e in evs if str(e["uid"]) == uid(data['a'].id))
    assert moved.decoded("dtstart") == dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
    assert moved.decoded("dtstamp") == dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)


def test_client_and_week_filters(data):
    cal, evs = events(calendar_bytes(client_name="acme"))  # a unique prefix is enough
    assert str(cal["x-wr-calname"]) == "clientdesk - Acme"
    assert sorted(str(e["summary"]) for e in evs) == ["Acme: Hero copy", "Acme: batch"]
    cal, evs = events(calendar_bytes(week=TODAY))
    assert str(cal["x-wr-calname"]) == "clientdesk - 2026-W48"
    assert len(evs) == 2
    _, evs = events(calendar_bytes(client_name="Beta", week=TODAY))
    assert [str(e["summary"]) for e in evs] == ["Beta: meeting"]
    with pytest.raises(NotFound, match="no such client: Nope"):
        calendar_bytes(client_name="Nope")


def test_a_weeks_routines_are_exported_in_local_time_across_dst(db):
    acme = f.client("Acme")
    routines.create_routine(acme.id, 0, "09:00", 60, anchor=pendulum.date(2026, 10, 19), note="admin")
    starts = []
    for monday in (pendulum.date(2026, 10, 19), pendulum.date(2026, 10, 26)):
        _, (ev,) = events(calendar_bytes(week=monday))
        local = ev.decoded("dtstart")
        starts.append((local.strftime("%a %H:%M"), local.astimezone(dt.timezone.utc).strftime("%H:%M")))
        assert "Routine: yes" in str(ev["description"]) and "Note: admin" in str(ev["description"])
    assert starts == [("Mon 09:00", "07:00"), ("Mon 09:00", "08:00")]


def test_empty_calendar_is_valid(db):
    cal, evs = events(calendar_bytes())
    assert evs == [] and list(cal.walk("VTIMEZONE")) == []


def test_the_ics_command_writes_the_file(data, db_path, tmp_path, capsys):
    out = tmp_path / "week.ics"
    main(["ics", "--db", str(db_path), "--week", "2026-W48", "--client", "Acme", "--out", str(out)])
    _, evs = events(out.read_bytes())
    assert [str(e["uid"]) for e in evs] == [uid(data['a'].id)]
    assert "calendar written to" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["ics", "--db", str(db_path), "--client", "Nope", "--out", str(out)])
    assert capsys.readouterr().err.strip() == "clientdesk: no such client: Nope"
