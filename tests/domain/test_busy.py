"""Calendars as busy time: an .ics import (recurrences, Google's X-WR-TIMEZONE, re-import by UID), and the
Planner's conflicts, capacity and fill my week, which count it and plan around it."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pendulum
import pytest

from clientdesk.config import Settings
from clientdesk.domain import planner
from clientdesk.domain.busy import sync_calendar, week_busy
from clientdesk.domain.fill import propose_fill
from clientdesk.importers import ImportOptions, SourceError, translate
from tests import factories as f
from tests.conftest import TODAY

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "importers"
PARIS = "Europe/Paris"
OPTIONS = ImportOptions(timezone=PARIS)
DAY = Settings(working_hours={d: ((540, 1080),) for d in range(5)} | {5: (), 6: ()}, buffer_share=0.0)


def at(days: int, hhmm: str) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    d = TODAY.add(days=days)
    return pendulum.datetime(d.year, d.month, d.day, h, m, tz=PARIS)


def stored(db) -> list[tuple]:
    """What the desk holds, read in SQL (on either engine)."""
    rows = db.execute_sql('SELECT uid, occurrence, summary, start, "end" FROM busy_time ORDER BY start').fetchall()
    return [tuple(r) for r in rows]


def load(path) -> object:
    return translate(path, OPTIONS, today=_dt.date(2026, 11, 23))


def test_google_calendar_with_recurrence_exception_and_free_event(db, db_path):
    report = sync_calendar(load(FIXTURES / "meetings.ics"))
    assert report.calendar == "Work meetings" and report.added == 4
    assert report.skipped == {"marked free": 1}
    rows = stored(db)
    assert [r[2] for r in rows] == ["Team standup", "Call with Acme, about the launch", "Team standup (moved)",
                                    "Team standup"]
    # 09:00Z weekly, 30 Nov excluded by EXDATE, 7 Dec moved by its RECURRENCE-ID, COUNT=4
    assert [r[3] for r in rows] == ["2026-11-23T09:00:00", "2026-11-24T13:00:00", "2026-12-07T10:00:00",
                                    "2026-12-14T09:00:00"]
    assert rows[2][1] == "2026-12-07T09:00:00"  # the moved one keeps its original start as identity


def test_reimport_updates_by_uid_and_removes_what_is_gone(db, db_path, tmp_path):
    sync_calendar(load(FIXTURES / "meetings.ics"))
    newer = (FIXTURES / "meetings.ics").read_text()
    newer = newer.replace("DTSTART:20261124T140000", "DTSTART:20261124T150000").replace(
        "DTEND:20261124T153000", "DTEND:20261124T163000")
    newer = newer.replace("COUNT=4", "COUNT=2")  # the series now ends after the (excluded) second week
    path = tmp_path / "meetings.ics"
    path.write_text(newer)
    report = sync_calendar(load(path))
    # the call moved an hour (same UID: updated), the 14 Dec standup is gone, the moved 7 Dec one stays
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 1, 2)
    rows = stored(db)
    assert [(r[2], r[3]) for r in rows] == [("Team standup", "2026-11-23T09:00:00"),
                                           ("Call with Acme, about the launch", "2026-11-24T14:00:00"),
                                           ("Team standup (moved)", "2026-12-07T10:00:00")]
    again = sync_calendar(load(path))
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 3)


def test_dry_run_counts_and_writes_nothing(db, db_path):
    report = sync_calendar(load(FIXTURES / "meetings.ics"), dry_run=True)
    assert report.added == 4 and not report.written
    assert stored(db) == []


def test_x_wr_timezone_applies_to_utc_recurrences_across_dst(db, db_path, tmp_path):
    # Google writes UTC times and the calendar's zone apart: a 10:00 Paris meeting stays at 10:00 after DST ends
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
            "X-WR-CALNAME:Paris\r\nX-WR-TIMEZONE:Europe/Paris\r\nBEGIN:VEVENT\r\nDTSTART:20261019T080000Z\r\n"
            "DTEND:20261019T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nDTSTAMP:20261001T000000Z\r\nUID:weekly@google.com\r\n"
            "SUMMARY:Weekly\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    path = tmp_path / "paris.ics"
    path.write_text(text)
    sync_calendar(load(path))
    assert [r[3] for r in stored(db)] == ["2026-10-19T08:00:00", "2026-10-26T09:00:00", "2026-11-02T09:00:00"]


@pytest.mark.parametrize("damage, message", [
    (lambda t: t.replace("DTEND:20261124T153000", "DTEND:20261124T120000"),
     "VEVENT[2] (UID client-call-1@google.com): DTEND: before DTSTART"),
    (lambda t: t.replace("UID:client-call-1@google.com\r\n", ""), "VEVENT[2]: UID: missing"),
    (lambda t: t.replace("DTSTART:20261124T140000\r\n", ""), "VEVENT[2] (UID client-call-1@google.com): DTSTART: missing"),
], ids=["end-before-start", "no-uid", "no-start"])
def test_broken_calendar_writes_nothing(db, db_path, tmp_path, damage, message):
    sync_calendar(load(FIXTURES / "meetings.ics"))
    before = stored(db)
    path = tmp_path / "bad.ics"
    path.write_bytes(damage((FIXTURES / "meetings.ics").read_bytes().decode()).encode())
    with pytest.raises(SourceError) as info:
        sync_calendar(load(path))
    assert str(info.value) == f"{path}:{message}" or str(info.value).startswith(f"{path}:{message}")
    assert stored(db) == before


# ------------------------------------------------------------ the Planner counts it


def test_busy_time_is_a_conflict_and_takes_capacity(db):
    acme = f.client("Acme", weekly_target_hours=10)
    block = f.block(acme, at(0, "10:00"), 2)
    f.busy("Client call", at(0, "11:00"), 1.5)
    f.busy("Lunch talk", at(0, "11:30"), 1)  # overlaps the call: counted once
    f.busy("Evening", at(0, "19:00"), 1)  # outside working hours: not capacity
    found = planner.conflicts(TODAY, DAY)
    assert [(c.kind, c.block_ids) for c in found] == [("busy", (block.id,)), ("busy", (block.id,))]
    assert "Client call 11:00-12:30" in found[0].message
    monday = planner.week_load(TODAY, DAY).days[0]
    assert monday.busy_hours == pytest.approx(1.5)
    assert monday.free_hours == pytest.approx(9 - 2 - 1.5)
    assert [b.summary for b in week_busy(TODAY)] == ["Client call", "Lunch talk", "Evening"]


def test_busy_time_overbooks_a_day(db):
    f.busy("Offsite", at(1, "09:00"), 9)
    tuesday = planner.week_load(TODAY, DAY).days[1]
    assert tuesday.planned_hours == 0 and tuesday.busy_hours == 9
    assert not tuesday.overbooked
    acme = f.client("Acme")
    f.block(acme, at(1, "17:00"), 1)
    assert planner.week_load(TODAY, DAY).days[1].overbooked


def test_fill_my_week_never_plans_over_busy_time(db):
    acme = f.client("Acme", weekly_target_hours=40)
    p = f.project(acme)
    for i in range(30):
        f.task(p, f"Task {i}", estimate_minutes=120)
    for day in range(5):
        f.busy("Standup", at(day, "09:30"), 0.5)
        f.busy("Client calls", at(day, "14:00"), 2)
    proposal = propose_fill(TODAY, DAY, now=at(0, "08:00"))
    assert proposal.blocks
    busy = week_busy(TODAY)
    for b in proposal.blocks:
        for ev in busy:
            assert not (ev.start < b.end and b.start < ev.end), (b, ev)
    planned = sum(b.minutes for b in proposal.blocks) / 60
    assert planned <= 5 * (9 - 2.5) + 1e-9


def test_outlook_calendar_with_windows_zone_duration_and_all_day_event(db, db_path):
    report = sync_calendar(load(FIXTURES / "outlook.ics"))
    assert report.calendar == "Outlook" and report.added == 2
    assert [(r[2], r[3], r[4]) for r in stored(db)] == [
        ("Steering committee", "2026-11-25T09:00:00", "2026-11-25T09:45:00"),  # W. Europe Standard Time, PT45M
        ("Offsite", "2026-11-26T23:00:00", "2026-11-27T23:00:00"),  # the whole local Friday
    ]
    friday = planner.week_load(TODAY, DAY).days[4]
    assert friday.busy_hours == 9 and friday.free_hours == 0
