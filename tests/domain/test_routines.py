"""Routines: laid into each week, idempotent, local time kept across DST, edits and deletions respected."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk.domain import journal, planner, routines
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.models import Action, Routine, RoutineSkip, TimeBlock
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"
BEFORE_DST_END = pendulum.date(2026, 10, 19)  # CEST, UTC+2
AFTER_DST_END = pendulum.date(2026, 10, 26)  # CET, UTC+1 (clocks went back on Sunday 25 Oct)


@pytest.fixture
def acme(db):
    return f.client("Acme", weekly_target_hours=10)


def blocks_of(routine_id):
    return list(TimeBlock.select().where(TimeBlock.routine == routine_id).order_by(TimeBlock.start))


def test_monday_nine_stays_nine_local_across_the_dst_change(acme):
    r = routines.create_routine(acme.id, 0, "09:00", 60, anchor=BEFORE_DST_END, note="admin", kind="meeting")
    assert r.timezone == PARIS and r.anchor == BEFORE_DST_END
    routines.lay_routines(BEFORE_DST_END)
    routines.lay_routines(AFTER_DST_END)
    before, after = blocks_of(r.id)
    assert (before.start.to_iso8601_string(), before.end.to_iso8601_string()) == ("2026-10-19T07:00:00Z", "2026-10-19T08:00:00Z")
    assert (after.start.to_iso8601_string(), after.end.to_iso8601_string()) == ("2026-10-26T08:00:00Z", "2026-10-26T09:00:00Z")
    for monday in (BEFORE_DST_END, AFTER_DST_END):
        (view,) = planner.week_blocks(monday)
        assert (view.start.hour, view.start.minute, view.end.hour) == (9, 0, 10)
        assert view.start.date() == monday and view.is_routine and view.occurrence == monday
        assert (view.kind, view.note, view.client) == ("meeting", "admin", "Acme")


def test_an_evening_routine_on_the_dst_sunday_keeps_its_local_time(acme):
    r = routines.create_routine(acme.id, 6, "18:30", 30, anchor=BEFORE_DST_END)
    routines.lay_routines(BEFORE_DST_END)  # Sunday 25 Oct, already CET at 18:30
    (b,) = blocks_of(r.id)
    assert b.start.to_iso8601_string() == "2026-10-25T17:30:00Z"
    assert b.occurrence == pendulum.date(2026, 10, 25)


def test_laying_is_idempotent_and_not_an_undoable_action(acme):
    r = routines.create_routine(acme.id, 2, "14:00", 90)
    actions = Action.select().count()
    first = routines.lay_routines(TODAY)
    assert len(first) == 1
    assert routines.lay_routines(TODAY) == []
    assert routines.lay_routines(TODAY.add(days=3)) == []  # same week, any day
    assert len(blocks_of(r.id)) == 1
    assert Action.select().count() == actions  # nothing journaled
    (b,) = planner.week_blocks(TODAY)
    assert (b.start.format("ddd HH:mm"), b.end.format("HH:mm")) == ("Wed 14:00", "15:30")


def test_every_other_week_counts_from_the_anchor(acme):
    r = routines.create_routine(acme.id, 4, "16:00", 30, every_weeks=2, anchor=TODAY.add(days=2), kind="meeting")
    assert r.anchor == TODAY  # any date of the week: its Monday
    assert r.label == "every 2 weeks on Fri 16:00-16:30"
    laid = {m: bool(routines.lay_routines(m)) for m in (TODAY.subtract(weeks=2), TODAY, TODAY.add(weeks=1), TODAY.add(weeks=2), TODAY.add(weeks=5))}
    assert list(laid.values()) == [False, True, False, True, False]
    assert [b.occurrence.to_date_string() for b in blocks_of(r.id)] == ["2026-11-27", "2026-12-11"]


def test_until_ends_the_routine(acme):
    r = routines.create_routine(acme.id, 0, "09:00", 60, until=TODAY.add(days=7))
    assert routines.lay_routines(TODAY.add(weeks=1)) != []
    assert routines.lay_routines(TODAY.add(weeks=2)) == []
    assert len(blocks_of(r.id)) == 1


def test_a_moved_occurrence_keeps_its_time(acme):
    r = routines.create_routine(acme.id, 0, "09:00", 60)
    (bid,) = routines.lay_routines(TODAY)
    planner.move_block(bid, 90)
    planner.resize_block(bid, 30)
    assert routines.lay_routines(TODAY) == []
    (b,) = planner.week_blocks(TODAY)
    assert (b.id, b.start.format("HH:mm"), b.end.format("HH:mm"), b.routine_id) == (bid, "10:30", "12:00", r.id)


def test_a_deleted_occurrence_is_not_laid_again_and_undo_brings_it_back(acme):
    r = routines.create_routine(acme.id, 0, "09:00", 60)
    (bid,) = routines.lay_routines(TODAY)
    (next_week,) = routines.lay_routines(TODAY.add(weeks=1))
    planner.delete_block(bid)
    assert RoutineSkip.select().where(RoutineSkip.routine == r.id).count() == 1
    assert routines.lay_routines(TODAY) == []
    assert planner.week_blocks(TODAY) == []
    assert [b.id for b in planner.week_blocks(TODAY.add(weeks=1))] == [next_week]  # only that occurrence is skipped
    assert journal.undo() == "delete block for 'Acme'"
    assert RoutineSkip.select().count() == 0
    assert [b.id for b in planner.week_blocks(TODAY)] == [bid]


def test_only_active_routines_of_active_clients_are_laid(acme):
    paused = f.client("Sleepy", status="paused")
    routines.create_routine(paused.id, 0, "09:00", 60)
    r = routines.create_routine(acme.id, 1, "09:00", 60)
    Routine.update(active=False).where(Routine.id == r.id).execute()
    assert routines.lay_routines(TODAY) == []


def test_delete_routine_keeps_the_past_and_undo_restores_all(acme):
    r = routines.create_routine(acme.id, 0, "09:00", 60, anchor=TODAY.subtract(weeks=1))
    past = routines.lay_routines(TODAY.subtract(weeks=1))
    now = routines.lay_routines(TODAY)  # today 09:00 local: from today on, so it goes
    later = routines.lay_routines(TODAY.add(weeks=1))
    routines.delete_routine(r.id)
    assert Routine.get_or_none(Routine.id == r.id) is None
    assert [b.id for b in TimeBlock.select()] == past
    assert TimeBlock.get_by_id(past[0]).routine_id is None
    journal.undo()
    assert [b.id for b in blocks_of(r.id)] == past + now + later
    assert routines.get_routine(r.id).label == "every Mon 09:00-10:00"


def test_list_and_validation(acme):
    other = f.client("Other")
    task = f.task(f.project(other), "Not Acme's")
    routines.create_routine(acme.id, 4, "14:00", 30)
    routines.create_routine(acme.id, 0, "9:05", 25, timezone="America/New_York")
    listed = routines.list_routines(acme.id)
    assert [(r.weekday, r.start_time, r.timezone) for r in listed] == [(0, "09:05", "America/New_York"), (4, "14:00", PARIS)]
    with pytest.raises(InputError, match="not a time of day"):
        routines.create_routine(acme.id, 0, "9am", 60)
    with pytest.raises(InputError, match="weekday"):
        routines.create_routine(acme.id, 7, "09:00", 60)
    with pytest.raises(InputError, match="more than zero"):
        routines.create_routine(acme.id, 0, "09:00", 0)
    with pytest.raises(InputError, match="kind"):
        routines.create_routine(acme.id, 0, "09:00", 60, kind="nap")
    with pytest.raises(InputError, match="another client"):
        routines.create_routine(acme.id, 0, "09:00", 60, task_id=task.id)
    with pytest.raises(InputError, match="unknown time zone"):
        routines.create_routine(acme.id, 0, "09:00", 60, timezone="Nowhere/Land")
    with pytest.raises(NotFound):
        routines.create_routine(999, 0, "09:00", 60)
    with pytest.raises(NotFound):
        routines.delete_routine(999)


def test_routine_in_another_zone_is_shown_in_local_time(acme):
    routines.create_routine(acme.id, 0, "09:00", 30, timezone="America/New_York")
    (b,) = planner.week_blocks(TODAY)
    assert b.start.format("HH:mm") == "15:00"  # 09:00 EST = 15:00 CET


def test_undoing_add_routine_takes_its_laid_blocks_and_redo_lays_them_once(acme):
    plain = f.block(acme, pendulum.datetime(2026, 11, 24, 10, tz=PARIS), 1)  # not the routine's: stays
    r = routines.create_routine(acme.id, 2, "14:00", 90)
    laid = routines.lay_routines(TODAY) + routines.lay_routines(TODAY.add(weeks=1))
    assert len(laid) == 2
    assert journal.undo() == "add routine for 'Acme'"
    assert Routine.get_or_none(Routine.id == r.id) is None
    assert [b.id for b in TimeBlock.select()] == [plain.id]  # not left behind as plain blocks
    assert journal.redo() == "add routine for 'Acme'"
    routines.lay_routines(TODAY)
    assert [b.start.format("ddd HH:mm") for b in blocks_of(r.id)] == ["Wed 13:00"]  # once, in UTC
    assert len(planner.week_blocks(TODAY)) == 2
