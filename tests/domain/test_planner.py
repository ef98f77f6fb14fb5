"""The planner: blocks in local time, edits through the journal, every conflict kind, load and check-ins."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk import clock
from clientdesk.config import Settings
from clientdesk.domain import journal, planner
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.models import Action, TimeBlock
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"
LUNCH = Settings(working_hours={d: ((540, 750), (810, 1080)) for d in range(5)} | {5: (), 6: ()})


def at(days: int, hhmm: str, base=TODAY) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    d = base.add(days=days)
    return pendulum.datetime(d.year, d.month, d.day, h, m, tz=PARIS)


@pytest.fixture
def acme(db):
    return f.client("Acme", weekly_target_hours=10, colour="#ff8800")


# ------------------------------------------------------------ blocks


def test_week_blocks_are_local_and_cut_at_local_midnight(acme):
    f.block(acme, at(-1, "23:30"), 0.5)  # Sunday before: last week
    inside = f.block(acme, at(0, "00:30"), 1)  # Monday 00:30 Paris = Sunday 23:30 UTC
    late = f.block(acme, at(6, "22:00"), 1)  # Sunday 22:00-23:00 Paris
    f.block(acme, at(7, "00:00"), 1)  # next Monday
    views = planner.week_blocks(TODAY.add(days=3))
    assert [v.id for v in views] == [inside.id, late.id]
    v = views[0]
    assert v.start.timezone_name == PARIS and v.start.format("ddd HH:mm") == "Mon 00:30"
    assert (v.client, v.colour, v.minutes, v.hours, v.title) == ("Acme", "#ff8800", 60, 1.0, "Acme: focus")


def test_create_edit_move_resize_delete_each_undoable(acme):
    task = f.task(f.project(acme), "Hero copy", due=TODAY.add(days=2))
    b = planner.create_block(acme.id, at(1, "09:00"), at(1, "11:00"), "focus", task_id=task.id, note=" draft ")
    assert (b.task, b.note, b.task_due, b.task_status, b.title) == ("Hero copy", "draft", TODAY.add(days=2), "todo", "Acme: Hero copy")
    assert journal.history(1)[0].label == "add block for 'Acme'"
    moved = planner.move_block(b.id, 90)
    assert (moved.start.format("HH:mm"), moved.end.format("HH:mm")) == ("10:30", "12:30")
    longer = planner.resize_block(b.id, -30)
    assert longer.end.format("HH:mm") == "12:00"
    edited = planner.update_block(b.id, kind="batch", note="x")
    assert (edited.kind, edited.note, edited.task_id) == ("batch", "x", task.id)
    unlinked = planner.update_block(b.id, task_id=None)
    assert unlinked.task is None
    planner.delete_block(b.id)
    assert TimeBlock.select().count() == 0
    for expected in [("batch", None, "10:30"), ("batch", task.id, "10:30"), ("focus", task.id, "10:30"), ("focus", task.id, "10:30")]:
        journal.undo()
        v = planner.get_block(b.id)
        assert (v.kind, v.task_id, v.start.format("HH:mm")) == expected
    journal.undo()
    assert planner.get_block(b.id).end.format("HH:mm") == "11:00"
    journal.undo()
    assert TimeBlock.select().count() == 0


def test_moving_a_day_keeps_the_local_time_across_dst(acme):
    b = planner.create_block(acme.id, at(0, "09:00", pendulum.date(2026, 10, 19)), at(0, "10:00", pendulum.date(2026, 10, 19)))
    moved = planner.move_block(b.id, 7 * 24 * 60)
    assert moved.start.to_datetime_string() == "2026-10-26 09:00:00"
    assert TimeBlock.get_by_id(b.id).start.to_iso8601_string() == "2026-10-26T08:00:00Z"


def test_naive_times_are_local_and_bad_blocks_are_refused(acme):
    import datetime as dt

    b = planner.create_block(acme.id, dt.datetime(2026, 11, 24, 9), dt.datetime(2026, 11, 24, 10), "meeting")
    assert TimeBlock.get_by_id(b.id).start.to_iso8601_string() == "2026-11-24T08:00:00Z"
    other = f.client("Other")
    theirs = f.task(f.project(other), "Theirs")
    with pytest.raises(InputError, match="end after it starts"):
        planner.create_block(acme.id, at(1, "10:00"), at(1, "09:00"))
    with pytest.raises(InputError, match="kind"):
        planner.create_block(acme.id, at(1, "09:00"), at(1, "10:00"), "nap")
    with pytest.raises(InputError, match="another client"):
        planner.create_block(acme.id, at(1, "09:00"), at(1, "10:00"), task_id=theirs.id)
    with pytest.raises(NotFound):
        planner.create_block(999, at(1, "09:00"), at(1, "10:00"))
    with pytest.raises(InputError, match="shorter"):
        planner.resize_block(b.id, -60)
    with pytest.raises(NotFound):
        planner.move_block(999, 30)
    # a block moved to another client loses its task
    mine = f.task(f.project(acme), "Mine")
    planner.update_block(b.id, task_id=mine.id)
    assert planner.update_block(b.id, client_id=other.id).task_id is None


# ------------------------------------------------------------ conflicts


def test_a_clean_week_has_no_conflicts(acme):
    f.block(acme, at(0, "09:00"), 2)
    f.block(acme, at(0, "11:00"), 1)  # touching is not overlapping
    f.block(acme, at(4, "16:00"), 2)  # ends at 18:00 sharp
    assert planner.conflicts(TODAY, Settings()) == []


def test_overlapping_blocks(acme):
    beta = f.client("Beta")
    a = f.block(acme, at(0, "09:00"), 2)
    b = f.block(beta, at(0, "10:00"), 2)
    c = f.block(beta, at(0, "10:30"), 0.5)
    found = planner.conflicts(TODAY, Settings())
    assert [(x.kind, x.block_ids) for x in found] == [("overlap", (a.id, b.id)), ("overlap", (a.id, c.id)), ("overlap", (b.id, c.id))]
    assert found[0].message == "Acme Mon 23 Nov 09:00-11:00 overlaps Beta Mon 23 Nov 10:00-12:00"


def test_blocks_outside_working_hours(acme):
    early = f.block(acme, at(1, "08:00"), 1.5)
    lunch = f.block(acme, at(2, "12:00"), 1)
    weekend = f.block(acme, at(5, "10:00"), 1)
    overnight = f.block(acme, at(3, "17:00"), 16)
    ok = f.block(acme, at(4, "13:30"), 4.5)
    found = planner.conflicts(TODAY, LUNCH)
    assert [(x.kind, x.block_ids) for x in found] == [
        ("outside_hours", (early.id,)),
        ("outside_hours", (lunch.id,)),
        ("outside_hours", (overnight.id,)),
        ("outside_hours", (weekend.id,)),
    ]
    assert found[1].message == "Acme Wed 25 Nov 12:00-13:00 is outside working hours (09:00-12:30, 13:30-18:00)"
    assert found[3].message == "Acme Sat 28 Nov 10:00-11:00 is outside working hours (off)"
    assert ok.id not in {i for x in found for i in x.block_ids}
    # with the default hours the lunch block is fine
    assert lunch.id not in {i for x in planner.conflicts(TODAY, Settings()) for i in x.block_ids}


def test_blocks_for_a_paused_or_archived_client(acme):
    paused = f.client("Sleepy", status="paused")
    gone = f.client("Gone", status="archived")
    a = f.block(paused, at(1, "09:00"), 1)
    b = f.block(gone, at(2, "09:00"), 1)
    f.block(acme, at(3, "09:00"), 1)
    found = planner.conflicts(TODAY, Settings())
    assert [(x.kind, x.block_ids, x.message) for x in found] == [
        ("paused_client", (a.id,), "Sleepy is paused: block Tue 24 Nov 09:00-10:00"),
        ("paused_client", (b.id,), "Gone is archived: block Wed 25 Nov 09:00-10:00"),
    ]


def test_a_task_planned_after_its_due_date(acme):
    p = f.project(acme)
    due_tue = f.task(p, "Hero copy", due=TODAY.add(days=1))
    late = f.block(acme, at(2, "09:00"), 1, task=due_tue)
    f.block(acme, at(1, "09:00"), 1, task=due_tue)  # on the due date: fine
    done = f.task(p, "Shipped", due=TODAY, status="done")
    f.block(acme, at(3, "09:00"), 1, task=done)  # done: nothing to warn about
    f.block(acme, at(4, "09:00"), 1, task=f.task(p, "No due"))
    found = planner.conflicts(TODAY, Settings())
    assert [(x.kind, x.block_ids, x.message) for x in found] == [
        ("after_due", (late.id,), "'Hero copy' (Acme) is due Tue 24 Nov but planned Wed 25 Nov 09:00-10:00"),
    ]


def test_one_block_can_have_every_kind_and_they_come_in_time_order(acme):
    paused = f.client("Sleepy", status="paused")
    t = f.task(f.project(paused), "Old", due=TODAY.subtract(days=3))
    a = f.block(paused, at(0, "08:00"), 2, task=t)
    b = f.block(acme, at(0, "09:30"), 1)
    f.busy("Standup", at(0, "09:45"), 0.25)
    kinds = [(x.kind, x.block_ids) for x in planner.conflicts(TODAY, Settings())]
    assert kinds == [
        ("overlap", (a.id, b.id)),
        ("outside_hours", (a.id,)),
        ("paused_client", (a.id,)),
        ("after_due", (a.id,)),
        ("busy", (a.id,)),
        ("busy", (b.id,)),
    ]
    assert set(planner.CONFLICT_KINDS) == {k for k, _ in kinds}


# ------------------------------------------------------------ load


def test_week_load_per_client_and_per_day(acme):
    beta = f.client("Beta", weekly_target_hours=4)
    f.client("Nobody")  # active, nothing planned
    paused = f.client("Sleepy", status="paused")
    f.block(acme, at(0, "09:00"), 6)
    f.block(acme, at(0, "15:00"), 2)  # Monday: 8h > 7.65h capacity
    f.block(beta, at(1, "09:00"), 3)
    f.block(beta, at(1, "12:00"), 1, kind="buffer")  # a buffer block is not load
    f.block(paused, at(2, "09:00"), 1)
    load = planner.week_load(TODAY, Settings())
    rows = [(c.client, c.target_hours, c.planned_hours, c.remaining_hours, c.starved) for c in load.clients]
    assert rows == [
        ("Acme", 10, 8.0, 2.0, False),
        ("Beta", 4, 4.0, 0.0, False),
        ("Nobody", None, 0.0, None, False),
        ("Sleepy", None, 1.0, None, False),
    ]
    assert load.clients[0].share == pytest.approx(0.8)
    days = [(d.date.format("ddd"), d.working_hours, round(d.capacity_hours, 2), d.planned_hours, round(d.free_hours, 2), d.overbooked) for d in load.days]
    assert days == [
        ("Mon", 9.0, 7.65, 8.0, 0.0, True),
        ("Tue", 9.0, 7.65, 3.0, 4.65, False),
        ("Wed", 9.0, 7.65, 1.0, 6.65, False),
        ("Thu", 9.0, 7.65, 0.0, 7.65, False),
        ("Fri", 9.0, 7.65, 0.0, 7.65, False),
        ("Sat", 0.0, 0.0, 0.0, 0.0, False),
        ("Sun", 0.0, 0.0, 0.0, 0.0, False),
    ]


def test_starved_from_wednesday_on_and_at_the_end_of_a_past_week(acme):
    beta = f.client("Beta", weekly_target_hours=2)
    f.block(acme, at(0, "09:00"), 4.5)  # below half of 10h
    f.block(beta, at(0, "14:00"), 1)  # exactly half of 2h: not starved

    def starved(**kw):
        load = planner.week_load(TODAY, Settings(), **kw)
        return load.judged_on, [c.client for c in load.clients if c.starved]

    assert starved() == (TODAY, [])  # Monday: too early to tell
    assert starved(today=TODAY.add(days=1)) == (TODAY.add(days=1), [])
    assert starved(today=TODAY.add(days=2)) == (TODAY.add(days=2), ["Acme"])  # Wednesday
    assert starved(today=TODAY.add(days=20)) == (TODAY.add(days=6), ["Acme"])  # a past week: judged at its end
    assert starved(today=TODAY.subtract(days=1)) == (None, [])  # a future week
    f.block(acme, at(3, "09:00"), 0.5)
    assert starved(today=TODAY.add(days=2)) == (TODAY.add(days=2), [])  # 5h = half: enough


def test_load_reuses_the_fetched_blocks(acme):
    f.block(acme, at(0, "09:00"), 2)
    blocks = planner.week_blocks(TODAY)
    TimeBlock.delete().execute()
    assert planner.week_load(TODAY, blocks=blocks).clients[0].planned_hours == 2.0
    assert [c.kind for c in planner.conflicts(TODAY, blocks=blocks + blocks[:1])] == ["overlap"]


# ------------------------------------------------------------ check-ins


def test_checkins_fall_in_the_week_of_their_date(acme):
    acme.checkin_every_days = 14
    acme.save()
    f.interaction(acme, TODAY.subtract(days=3))  # Fri 20 Nov + 14 = Fri 4 Dec
    f.client("Beta")  # never contacted: today
    late = f.client("Gamma", checkin_every_days=7)
    f.interaction(late, TODAY.subtract(days=10))  # due Fri 20 Nov: late, shows now
    f.client("Sleepy", status="paused")
    this_week = planner.checkins_in_week(TODAY)
    assert [(c.client, c.due.to_date_string(), c.late, c.never_contacted) for c in this_week] == [
        ("Gamma", "2026-11-20", True, False),
        ("Beta", "2026-11-23", False, True),
    ]
    assert [c.client for c in planner.checkins_in_week(TODAY.add(weeks=1))] == ["Acme"]
    assert planner.checkins_in_week(TODAY.add(weeks=2)) == []
    last_week = planner.checkins_in_week(TODAY.subtract(weeks=1))
    assert [(c.client, c.late) for c in last_week] == [("Gamma", True)]
    from clientdesk.domain.status import client_statuses

    by_status = {s.client: s.next_checkin for s in client_statuses(TODAY)}
    for monday in (TODAY, TODAY.add(weeks=1)):
        for c in planner.checkins_in_week(monday):
            assert by_status[c.client] == c.due  # the same rule as the status figures


def test_checkin_becomes_a_meeting_block_with_one_call(acme):
    (c,) = planner.checkins_in_week(TODAY)
    assert c.block_id is None
    b = planner.checkin_to_block(c.client_id, at(2, "10:00"))
    assert (b.kind, b.note, b.minutes, b.start.format("ddd HH:mm"), b.client) == ("meeting", "check-in", 30, "Wed 10:00", "Acme")
    assert journal.history(1)[0].label == "book check-in with 'Acme'"
    assert planner.checkins_in_week(TODAY)[0].block_id == b.id
    journal.undo()
    assert TimeBlock.select().count() == 0
    with pytest.raises(InputError):
        planner.checkin_to_block(acme.id, at(2, "10:00"), minutes=0)


def test_week_blocks_uses_few_queries(acme, db):
    p = f.project(acme)
    for i in range(20):
        f.block(acme, at(i % 5, "09:00").add(minutes=20 * (i // 5)), 0.25, task=f.task(p))
    from clientdesk.domain import routines

    routines.create_routine(acme.id, 0, "17:00", 30)
    planner.week_blocks(TODAY)  # lays once
    count = 0
    real = db.execute_sql

    def counting(sql, params=None, *a, **k):
        nonlocal count
        count += 1
        return real(sql, params, *a, **k)

    db.execute_sql = counting
    try:
        assert len(planner.week_blocks(TODAY)) == 21
        assert count <= 4  # routines, their blocks, their skips, the week's blocks
        count = 0
        assert len(planner.week_blocks(TODAY, lay=False)) == 21
        assert count == 1
    finally:
        db.execute_sql = real
    assert Action.select().count() >= 1
    assert clock.today() == TODAY


# ------------------------------------------------------------ block time for a task


def test_block_task_next_free_takes_the_earliest_free_slot_from_now(acme):
    p = f.project(acme)
    task = f.task(p, "Hero copy", estimate_minutes=45)
    f.block(acme, at(0, "09:00"), 1)
    b = planner.block_task_next_free(task.id, Settings(), now=at(0, "08:00"))
    assert (b.start.format("ddd HH:mm"), b.end.format("HH:mm"), b.kind, b.task_id, b.client) == (
        "Mon 10:00", "11:00", "focus", task.id, "Acme")  # 45 min rounded up to the 30-min grid
    assert journal.history(1)[0].label == "block time for 'Hero copy'"
    journal.undo()
    assert TimeBlock.select().count() == 1


def test_block_task_next_free_starts_at_the_next_slot_after_now_and_skips_blocks_and_routines(acme):
    from clientdesk.domain import routines

    p = f.project(acme)
    task = f.task(p, "No estimate")  # 60 min
    routines.create_routine(acme.id, 0, "11:00", 60)  # laid into the week when it is read
    f.block(acme, at(0, "12:30"), 0.5)
    b = planner.block_task_next_free(task.id, Settings(), now=at(0, "10:10"))
    assert (b.start.format("ddd HH:mm"), b.end.format("HH:mm")) == ("Mon 13:00", "14:00")  # 10:30-11:00 and 12:00-12:30 too short
    longer = planner.block_task_next_free(task.id, Settings(), minutes=100, now=at(0, "10:10"))
    assert (longer.start.format("ddd HH:mm"), longer.minutes) == ("Mon 14:00", 120)
    assert planner.conflicts(TODAY, Settings()) == []


def test_block_task_next_free_keeps_the_buffer_and_rolls_into_next_week(acme):
    p = f.project(acme)
    task = f.task(p, "Audit", estimate_minutes=60)
    f.block(acme, at(0, "09:00"), 7.5)  # Monday 09:00-16:30: 7.5h of a 7.65h capacity
    b = planner.block_task_next_free(task.id, Settings(), now=at(0, "08:00"))
    assert b.start.format("ddd HH:mm") == "Tue 09:00"  # Monday 16:30-18:00 is free but is the buffer
    friday_evening = at(4, "17:45")
    nxt = planner.block_task_next_free(task.id, Settings(), now=friday_evening)
    assert nxt.start.to_datetime_string() == "2026-11-30 09:00:00"  # weekend off: next Monday
    assert nxt.start.timezone_name == PARIS


def test_block_task_next_free_follows_working_hours_with_a_lunch_break(acme):
    task = f.task(f.project(acme), "Long read", estimate_minutes=120)
    f.block(acme, at(0, "09:00"), 2)  # 09:00-11:00; then 11:00-12:30 is too short for 2h
    b = planner.block_task_next_free(task.id, LUNCH, now=at(0, "08:00"))
    assert (b.start.format("ddd HH:mm"), b.end.format("HH:mm")) == ("Mon 13:30", "15:30")


def test_block_task_next_free_refuses_what_cannot_be_done(acme):
    p = f.project(acme)
    with pytest.raises(NotFound):
        planner.block_task_next_free(9999, Settings(), now=at(0, "08:00"))
    done = f.task(p, "Shipped", status="done")
    with pytest.raises(InputError, match="done"):
        planner.block_task_next_free(done.id, Settings(), now=at(0, "08:00"))
    huge = f.task(p, "Rewrite everything", estimate_minutes=10 * 60)
    with pytest.raises(InputError, match="no free slot of 10h"):
        planner.block_task_next_free(huge.id, Settings(), now=at(0, "08:00"))
    with pytest.raises(InputError):
        planner.block_task_next_free(huge.id, Settings(), minutes=0, now=at(0, "08:00"))
    assert TimeBlock.select().count() == 0
