"""The .ics export read back by two independent parsers, icalendar and vobject (validating), with text
that needs escaping and folding; UIDs that differ between two desks."""

from __future__ import annotations

import pendulum
import pytest
import vobject
from icalendar import Calendar

from clientdesk.db import close_database, open_database
from clientdesk.domain import planner
from clientdesk.formats.ics import calendar_bytes, fold
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"
HOSTILE = 'Dupont, Fils; & Cie \\ "Ω" 青禾茶业 🍵 \x1b]0;x\x07'
NOTE = "line one\nline two, with; all\\of it\r\n" + "long " * 40


def at(day: pendulum.Date, hhmm: str) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    return pendulum.datetime(day.year, day.month, day.day, h, m, tz=PARIS)


def fill_desk() -> None:
    hostile = f.client(HOSTILE)
    plain = f.client("Acme")
    t = f.task(f.project(hostile), "Écrire la FAQ, v2; « brouillon »")
    planner.create_block(hostile.id, at(TODAY, "09:00"), at(TODAY, "10:30"), "focus", task_id=t.id, note=NOTE)
    planner.create_block(plain.id, at(TODAY.add(days=1), "14:00"), at(TODAY.add(days=1), "15:00"), "meeting")
    # across the spring DST change, and a year later
    planner.create_block(plain.id, at(pendulum.date(2027, 3, 29), "09:00"), at(pendulum.date(2027, 3, 29), "10:00"), "batch")


def test_icalendar_reads_every_component_without_errors(db):
    fill_desk()
    cal = Calendar.from_ical(calendar_bytes())
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    evs = list(cal.walk("VEVENT"))
    assert len(evs) == 3
    first = next(e for e in evs if "Écrire" in str(e["summary"]))
    assert str(first["summary"]) == f"{HOSTILE.replace(chr(27), '').replace(chr(7), '')}: Écrire la FAQ, v2; « brouillon »"
    description = str(first["description"])
    assert "Note: line one\nline two, with; all\\of it\n" + ("long " * 40).strip() in description
    assert first["dtstart"].dt == at(TODAY, "09:00") and str(first["dtstart"].dt.tzinfo) == PARIS
    assert len(list(cal.walk("VTIMEZONE"))) == 1


def test_vobject_validates_the_same_file(db):
    fill_desk()
    data = calendar_bytes().decode("utf-8")
    cal = vobject.readOne(data, validate=True)
    assert cal.validate()
    events = cal.vevent_list
    assert len(events) == 3
    summaries = sorted(e.summary.value for e in events)
    assert summaries[0] == "Acme: batch" and summaries[2].startswith("Dupont, Fils; & Cie")
    for e in events:
        assert e.dtend.value > e.dtstart.value
    spring = next(e for e in events if e.summary.value == "Acme: batch")
    assert spring.dtstart.value.utcoffset() == pendulum.duration(hours=2)  # CEST, from the VTIMEZONE


def test_every_line_is_folded_within_75_octets(db):
    fill_desk()
    for line in calendar_bytes().split(b"\r\n"):
        assert len(line) <= 75, line


@pytest.mark.parametrize("text", ["a" * 200, "é" * 100, "🍵" * 40, "x" * 74 + "é" * 3])
def test_fold_never_splits_a_character(text):
    folded = fold("SUMMARY:" + text)
    assert folded.endswith("\r\n")
    pieces = folded[:-2].split("\r\n ")
    assert "".join(pieces) == "SUMMARY:" + text
    assert all(len(p.encode()) <= 75 for p in pieces[:1]) and all(len(p.encode()) <= 74 for p in pieces[1:])


def test_two_desks_never_share_a_uid(tmp_path):
    uids = []
    for name in ("one.db", "two.db"):
        open_database(tmp_path / name)
        try:
            acme = f.client("Acme")
            planner.create_block(acme.id, at(TODAY, "09:00"), at(TODAY, "10:00"), "focus")
            uids.append({str(e["uid"]) for e in Calendar.from_ical(calendar_bytes()).walk("VEVENT")})
            again = {str(e["uid"]) for e in Calendar.from_ical(calendar_bytes()).walk("VEVENT")}
            assert again == uids[-1]  # the desk id is stored once, not made per export
        finally:
            close_database()
    assert uids[0] and uids[1] and not uids[0] & uids[1]
    assert all(u.startswith("block-1-") and u.endswith("@clientdesk") for u in uids[0] | uids[1])


def test_utc_desk_writes_utc_times_and_stays_valid(db, monkeypatch):
    from clientdesk import clock

    clock.set_timezone("UTC")
    fill_desk()
    data = calendar_bytes()
    assert b"VTIMEZONE" not in data and b"DTSTART:20261123T080000Z" in data
    assert vobject.readOne(data.decode(), validate=True).validate()
