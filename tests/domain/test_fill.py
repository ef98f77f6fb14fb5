"""Fill my week on hand-built weeks: exact plans, reasons, accept all or some, undo."""

from __future__ import annotations

import itertools
import random

import pendulum
import pytest

from clientdesk.config import Settings
from clientdesk.domain import journal, planner, routines
from clientdesk.domain.errors import InputError, StaleEdit
from clientdesk.domain.fill import accept_fill, fast_score, propose_fill
from clientdesk.domain.triage import triage_score
from clientdesk.models import TimeBlock
from tests import factories as f
from tests.conftest import TODAY

PARIS = "Europe/Paris"
TUE = TODAY.add(days=1)


def at(day: pendulum.Date, hhmm: str) -> pendulum.DateTime:
    h, m = (int(x) for x in hhmm.split(":"))
    return pendulum.datetime(day.year, day.month, day.day, h, m, tz=PARIS)


def hours(spec: dict[int, str]) -> dict[int, tuple[tuple[int, int], ...]]:
    def span(text):
        a, b = text.split("-")
        return tuple(int(x) * 60 + int(y) for x, y in (a.split(":"), b.split(":")))

    return {d: tuple(span(s) for s in spec[d].split(",")) if d in spec else () for d in range(7)}


def plan(proposal):
    """The proposal as plain rows: (day time-range, client, kind, titles, piece)."""
    return [
        (f"{b.start.format('ddd HH:mm')}-{b.end.format('HH:mm')}", b.client, b.kind, b.titles, b.piece)
        for b in proposal.blocks
    ]


# ------------------------------------------------------------ the score


def test_fast_score_is_the_triage_score():
    created = [pendulum.datetime(2026, 11, 23, 8), pendulum.datetime(2026, 11, 1, 9), pendulum.datetime(2025, 1, 5, 23, 59), None]
    dues = [None] + [TODAY.add(days=d) for d in (-40, -8, -7, -6, -1, 0, 1, 2, 5, 7, 13, 14, 15, 100)]
    for prio, due, cr, weight in itertools.product((1, 2, 3, 4), dues, created, (0.0, 1.0, 1.5, 3.0)):
        want = triage_score(priority=prio, due=due, created=cr, client_weight=weight, today=TODAY).total
        got = fast_score(
            prio, due.to_date_string() if due else None, cr.strftime("%Y-%m-%dT%H:%M:%S") if cr else None, weight, TODAY
        )
        assert got == want, (prio, due, cr, weight)


# ------------------------------------------------------------ hand-built weeks


@pytest.fixture
def week_a(db):
    """Two mornings of 3h, a 25% buffer; Acme has a 3h target, Beta none and a meeting on Monday."""
    acme = f.client("Acme", weekly_target_hours=3, colour="#f80")
    beta = f.client("Beta")
    sleepy = f.client("Sleepy", status="paused", weekly_target_hours=5)
    pa, pb = f.project(acme), f.project(beta)
    tasks = {
        "hero": f.task(pa, "Hero copy", priority=1, tags="writing", estimate_minutes=45),  # 7.12
        "fix": f.task(pa, "Fix CSS", priority=1, estimate_minutes=60, due=TUE),  # 18.26
        "invoice": f.task(pb, "Invoice", priority=1),  # 7.12, no estimate
        "about": f.task(pa, "About copy", priority=2, tags="writing seo", estimate_minutes=30),  # 5.02
        "blog": f.task(pa, "Blog copy", priority=4, tags="writing", estimate_minutes=60),  # 1.12
        "asleep": f.task(f.project(sleepy), "Paused work", priority=1, estimate_minutes=30),
        "done": f.task(pa, "Done already", status="done", estimate_minutes=30),
    }
    f.block(beta, at(TODAY, "09:00"), 1, kind="meeting")
    settings = Settings(working_hours=hours({0: "09:00-12:00", 1: "09:00-12:00"}), buffer_share=0.25)
    return settings, tasks


def test_week_a_exact_plan(week_a):
    settings, t = week_a
    p = propose_fill(TODAY, settings, now=at(TODAY, "08:00"))
    assert plan(p) == [
        ("Mon 10:00-11:00", "Acme", "focus", ("Fix CSS",), (1, 1)),  # the top score, before its due date
        ("Tue 09:00-10:30", "Acme", "batch", ("Hero copy", "About copy"), (1, 1)),  # Blog copy would pass the 3h target
    ]
    batch = p.blocks[1]
    assert batch.tag == "writing" and batch.task_ids == (t["hero"].id, t["about"].id) and batch.colour == "#f80"
    assert [(x.title, x.start.format("HH:mm"), x.end.format("HH:mm")) for x in batch.parts] == [
        ("Hero copy", "09:00", "09:45"),
        ("About copy", "09:45", "10:30"),
    ]
    # Monday keeps its buffer: 3h x 75% = 2h15 -> 2h on the grid, 1h of it already the meeting
    assert [(n.title, n.code, n.reason) for n in p.left_out] == [
        ("Invoice", "no_slot", "no free slot long enough (needs 1h)"),
        ("Blog copy", "target", "client target reached (30m left, needs 1h)"),
    ]
    assert (p.left_out_count, p.left_out_by_reason) == (2, {"target": 1, "no_slot": 1})
    assert [(c.client, c.target_hours, c.planned_hours, c.proposed_hours) for c in p.clients] == [
        ("Acme", 3, 0.0, 2.5),
        ("Beta", None, 1.0, 0.0),
    ]
    assert p.hours_by_client == {"Acme": 2.5}
    assert p.free_hours_after == 0.5 and p.assumed == [] and p.already_planned == 0


def test_clients_without_a_target_get_what_is_left(week_a):
    settings, t = week_a
    roomy = Settings(working_hours=hours({0: "09:00-12:00", 1: "09:00-12:00", 2: "09:00-12:00"}), buffer_share=0.25)
    p = propose_fill(TODAY, roomy, now=at(TODAY, "08:00"))
    assert plan(p) == [
        ("Mon 10:00-11:00", "Acme", "focus", ("Fix CSS",), (1, 1)),
        ("Tue 09:00-10:30", "Acme", "batch", ("Hero copy", "About copy"), (1, 1)),
        ("Wed 09:00-10:00", "Beta", "focus", ("Invoice",), (1, 1)),
    ]
    assert [(n.title, n.code, n.reason) for n in p.assumed] == [("Invoice", "estimate", "no estimate; assumed 60m")]


def test_today_starts_now_and_past_days_are_left_alone(week_a):
    settings, _ = week_a
    p = propose_fill(TODAY, settings, now=at(TODAY, "10:10"))  # Monday from 10:30 on the grid
    assert plan(p)[0] == ("Mon 10:30-11:30", "Acme", "focus", ("Fix CSS",), (1, 1))
    p = propose_fill(TODAY, settings, now=at(TUE, "09:40"))  # Monday is over, Tuesday from 10:00
    assert plan(p) == [
        ("Tue 10:00-11:00", "Acme", "focus", ("Fix CSS",), (1, 1)),
        ("Tue 11:00-12:00", "Acme", "focus", ("Hero copy",), (1, 1)),  # the batch shrinks to what the day can take
    ]
    assert p.blocks[1].tag == "writing"
    assert [(n.title, n.code) for n in p.left_out] == [("Invoice", "week_full"), ("About copy", "week_full"), ("Blog copy", "week_full")]
    assert propose_fill(TODAY, settings, today=TODAY.add(days=7)).blocks == []


def test_proposal_is_deterministic(week_a):
    settings, _ = week_a
    assert propose_fill(TODAY, settings, now=at(TODAY, "08:00")) == propose_fill(TODAY, settings, now=at(TODAY, "08:00"))


@pytest.fixture
def week_b(db):
    """Mon-Thu 09:00-13:00, no buffer, 1h slots; today is Tuesday 10:20."""
    solo = f.client("Solo")
    p = f.project(solo)
    t = {
        "report": f.task(p, "Report", priority=2, estimate_minutes=300),  # 5h: may be split
        "overdue": f.task(p, "Overdue fix", priority=3, due=TODAY.subtract(days=3), estimate_minutes=60),
        "today": f.task(p, "Due today", priority=4, due=TUE, estimate_minutes=45),
        "also_today": f.task(p, "Also due today", priority=4, due=TUE, estimate_minutes=60),
    }
    settings = Settings(
        working_hours=hours({0: "09:00-13:00", 1: "09:00-13:00", 2: "09:00-13:00", 3: "09:00-13:00"}),
        buffer_share=0.0,
        slot_minutes=60,
    )
    return settings, t


def test_week_b_due_dates_overdue_and_a_split_task(week_b):
    settings, t = week_b
    p = propose_fill(TODAY, settings, now=at(TUE, "10:20"))
    assert plan(p) == [
        ("Tue 11:00-12:00", "Solo", "focus", ("Overdue fix",), (1, 1)),  # overdue: the first free slot
        ("Tue 12:00-13:00", "Solo", "focus", ("Due today",), (1, 1)),  # 45m on a 1h grid
        ("Wed 09:00-13:00", "Solo", "focus", ("Report",), (1, 2)),  # 5h fits no slot whole: split
        ("Thu 09:00-10:00", "Solo", "focus", ("Report",), (2, 2)),
    ]
    assert [(n.title, n.code, n.reason) for n in p.left_out] == [
        ("Also due today", "due", "no free slot on or before its due date (Tue 24 Nov, needs 1h)"),
    ]
    assert [(n.title, n.code, n.reason) for n in p.assumed] == [
        ("Overdue fix", "overdue", "overdue since Fri 20 Nov; planned at the first free slot"),
    ]
    assert p.blocks[2].label == "Report (1/2)"


def test_a_long_task_is_split_only_when_no_slot_holds_it(db):
    p = f.project(f.client("Solo"))
    f.task(p, "Report", priority=2, estimate_minutes=300)
    four_hours = Settings(working_hours=hours({d: "09:00-13:00" for d in range(4)}), buffer_share=0.0, slot_minutes=60)
    assert plan(propose_fill(TODAY, four_hours, now=at(TODAY, "08:00"))) == [
        ("Mon 09:00-13:00", "Solo", "focus", ("Report",), (1, 2)),
        ("Tue 09:00-10:00", "Solo", "focus", ("Report",), (2, 2)),
    ]
    assert plan(propose_fill(TODAY, four_hours, now=at(TODAY.add(days=2), "11:00"))) == [
        ("Wed 11:00-13:00", "Solo", "focus", ("Report",), (1, 2)),
        ("Thu 09:00-12:00", "Solo", "focus", ("Report",), (2, 2)),
    ]
    six_on_monday = Settings(working_hours=hours({0: "08:00-14:00", 1: "09:00-13:00"}), buffer_share=0.0, slot_minutes=60)
    assert plan(propose_fill(TODAY, six_on_monday, now=at(TODAY, "08:00"))) == [
        ("Mon 08:00-13:00", "Solo", "focus", ("Report",), (1, 1)),
    ]
    p2 = propose_fill(TODAY, four_hours, now=at(TODAY.add(days=3), "10:00"))  # Thursday: 3h left
    assert p2.blocks == []
    assert [(n.title, n.code, n.reason) for n in p2.left_out] == [("Report", "no_time", "not enough free time (needs 5h)")]


def test_once_the_week_is_full_the_rest_is_counted(week_b):
    settings, t = week_b
    p = propose_fill(TODAY, settings, now=at(pendulum.date(2026, 11, 26), "11:00"))  # Thursday 11:00: 2h left
    assert plan(p) == [
        ("Thu 11:00-12:00", "Solo", "focus", ("Overdue fix",), (1, 1)),
        ("Thu 12:00-13:00", "Solo", "focus", ("Due today",), (1, 1)),  # overdue by now
    ]
    assert [(n.title, n.code, n.reason) for n in p.left_out] == [
        ("Also due today", "week_full", "no free time left this week"),
        ("Report", "week_full", "no free time left this week"),
    ]
    assert p.left_out_by_reason == {"week_full": 2}


def test_batches_hold_at_most_three_hours_and_routines_are_busy(db):
    acme = f.client("Acme")
    p = f.project(acme)
    for i in range(5):
        f.task(p, f"Mail {i}", priority=2, tags="email", estimate_minutes=50)
    f.task(p, "Untagged", priority=3, estimate_minutes=30)
    routines.create_routine(acme.id, 0, "09:00", 60, kind="meeting", note="standup")
    settings = Settings(working_hours=hours({0: "09:00-18:00"}), buffer_share=0.0)
    prop = propose_fill(TODAY, settings, now=at(TODAY, "07:00"))
    assert plan(prop) == [
        ("Mon 10:00-12:30", "Acme", "batch", ("Mail 0", "Mail 1", "Mail 2"), (1, 1)),  # 150m; a 4th would pass 3h
        ("Mon 12:30-14:30", "Acme", "batch", ("Mail 3", "Mail 4"), (1, 1)),  # 100m on the grid
        ("Mon 14:30-15:00", "Acme", "focus", ("Untagged",), (1, 1)),
    ]
    assert [b.tag for b in prop.blocks] == ["email", "email", ""]


# ------------------------------------------------------------ accepting


def test_accept_all_then_undo_removes_them_all(week_a):
    settings, t = week_a
    prop = propose_fill(TODAY, settings, now=at(TODAY, "08:00"))
    ids = accept_fill(prop)
    assert len(ids) == 3  # the batch is one block per task
    rows = [(b.task, b.kind, b.start.format("ddd HH:mm"), b.end.format("HH:mm"), b.note) for b in planner.week_blocks(TODAY) if b.id in ids]
    assert rows == [
        ("Fix CSS", "focus", "Mon 10:00", "11:00", ""),
        ("Hero copy", "batch", "Tue 09:00", "09:45", "#writing"),
        ("About copy", "batch", "Tue 09:45", "10:30", "#writing"),
    ]
    assert planner.conflicts(TODAY, settings) == []
    again = propose_fill(TODAY, settings, now=at(TODAY, "08:00"))
    assert again.already_planned == 3 and again.blocks == []
    assert journal.undo() == "fill week"
    assert TimeBlock.select().count() == 1  # the meeting that was there before
    journal.redo()
    assert TimeBlock.select().count() == 4


def test_accept_some(week_a):
    settings, t = week_a
    prop = propose_fill(TODAY, settings, now=at(TODAY, "08:00"))
    (bid,) = accept_fill(prop, [0])
    assert TimeBlock.get_by_id(bid).task_id == t["fix"].id
    with pytest.raises(InputError, match="no proposed block 7"):
        accept_fill(prop, [7])
    with pytest.raises(InputError, match="nothing to accept"):
        accept_fill(prop, [])


def test_accept_refuses_a_stale_proposal(week_a):
    settings, t = week_a
    prop = propose_fill(TODAY, settings, now=at(TODAY, "08:00"))
    planner.create_block(t["hero"].project.client_id, at(TUE, "10:00"), at(TUE, "11:00"))
    before = TimeBlock.select().count()
    with pytest.raises(StaleEdit, match="propose again"):
        accept_fill(prop)
    assert TimeBlock.select().count() == before
    accept_fill(prop, [0])  # the part that still fits


def test_a_generated_week_never_overlaps_overbooks_or_leaves_working_hours(db):
    rng = random.Random(4)
    settings = Settings(working_hours=hours({d: "09:00-12:30,13:30-18:00" for d in range(5)}), buffer_share=0.15)
    clients = [f.client(f"C{i}", weekly_target_hours=rng.choice([None, 2, 5, 8])) for i in range(6)]
    for c in clients:
        p = f.project(c)
        for _ in range(25):
            f.task(
                p,
                priority=rng.randint(1, 4),
                due=rng.choice([None, TODAY.add(days=rng.randint(-5, 20))]),
                estimate_minutes=rng.choice([None, 15, 30, 45, 90, 120, 240, 400]),
                tags=rng.choice(["", "email", "design", "writing ops"]),
            )
        for _ in range(3):
            day = TODAY.add(days=rng.randint(0, 4))
            f.block(c, at(day, f"{rng.randint(9, 16)}:{rng.choice(['00', '30'])}"), rng.choice([0.5, 1, 1.5]))
    TimeBlock.delete().where(TimeBlock.id.in_([b for c in planner.conflicts(TODAY, settings) for b in c.block_ids])).execute()
    assert planner.conflicts(TODAY, settings) == []
    prop = propose_fill(TODAY, settings, now=at(TODAY, "11:05"))
    assert prop.blocks and prop == propose_fill(TODAY, settings, now=at(TODAY, "11:05"))
    accept_fill(prop)
    assert [c.kind for c in planner.conflicts(TODAY, settings) if c.kind != "after_due"] == []
    load = planner.week_load(TODAY, settings)
    assert not any(d.overbooked for d in load.days)
    after = {c.client_id: c.planned_hours for c in load.clients}
    for c in prop.clients:
        assert after[c.client_id] == pytest.approx(c.planned_hours + c.proposed_hours)
        if c.target_hours is not None and c.proposed_hours:
            assert c.planned_hours + c.proposed_hours <= c.target_hours + 1e-9  # up to the target, never past it
    assert {n.code for n in prop.left_out} <= {"target", "no_slot", "due", "no_time", "week_full"}
    assert prop.left_out_count == sum(prop.left_out_by_reason.values())
    assert all(b.start >= at(TODAY, "11:30") for b in prop.blocks)
    due_late = [c for c in planner.conflicts(TODAY, settings) if c.kind == "after_due"]
    overdue = {n.task_id for n in prop.assumed if n.code == "overdue"}
    assert all(TimeBlock.get_by_id(c.block_ids[0]).task_id in overdue for c in due_late)  # only tasks already overdue
