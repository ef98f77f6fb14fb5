"""The importer under hostile documents: one clean line and the desk unchanged, or accepted and sound.

A valid document (the interchange sample) gets hostile values at random
places: terminal escapes and bidi marks, lone surrogates, NULs, 20,000-
character texts, markup, lookalike names, huge and tiny numbers, dates in
year 1 and 9999, deep lists. The invariant, for every case:

- refused: an InputError whose message is one short line once made
  terminal-safe, and the database byte for byte as before;
- accepted: the desk still works: export-json (parsed back), status (table
  and JSON), the .ics (parsed back by icalendar), the weekly report, and the
  data behind every view; the slow variant also renders every view.

The counts of tried / refused / accepted cases are printed at the end of the
module (`pytest -s`); `HYPOTHESIS_PROFILE=deep` searches harder.
"""

from __future__ import annotations

import copy
import json
from collections import Counter

import icalendar
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.errors import InputError
from clientdesk.domain.interchange import export_data, import_data
from clientdesk.safe_text import terminal_safe
from tests.test_properties import SETTINGS, Desk, _paths, _renamed, desk, sample, snapshot  # noqa: F401 (fixtures)

HOSTILE_TEXT = [
    "\x1b]2;PWNED\x1b\\", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b[2J", "\x1bc", "\x1b[6n", "\u202eevil", "\x9b31m",
    "\ud800", "a\udfffb", "\x00", "x\x00y", "[@click=app.quit]Click me[/]", "[bold red]X[/]", "Evil [/] Corp",
    "x" * 20_000, "\u200d", "ＡＣＭＥ", "E\u0301", "\u0130", "\t\n\r", "\ufeff", "🧨" * 300,
]
HOSTILE_VALUES = [
    10**7, -(10**7), 2**53 + 1, 10**20, 1e308, -1e308, 5e-324, 0, -1, 0.5,
    "0001-01-01", "9999-12-31", "0001-01-01T00:30", "9999-12-31T23:59:59+00:00", "2200-12-31T23:59:59-12:00",
    "1899-12-31", "2201-01-01", [[[[[[[[[[[]]]]]]]]]]], {"a": {"b": {"c": {}}}}, None, True, "",
]
COUNTS: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    if COUNTS:
        print(f"\nhostile import fuzz: {COUNTS['tried']} tried, {COUNTS['refused']} refused in one line with the desk "
              f"unchanged, {COUNTS['accepted']} accepted with the desk sound, {COUNTS['broken']} broken")


def hostile(doc: dict, places: list[tuple[int, str, int]]) -> dict:
    out = copy.deepcopy(doc)
    for choice, how, pick in places:
        spots = [p for p, v in _paths(out) if p and (how == "value" or isinstance(v, str))]
        if not spots:
            break
        path = spots[choice % len(spots)]
        parent = out
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if how == "append" and isinstance(parent[last], str):
            parent[last] = parent[last] + HOSTILE_TEXT[pick % len(HOSTILE_TEXT)]
        elif how == "text":
            parent[last] = HOSTILE_TEXT[pick % len(HOSTILE_TEXT)]
        else:
            parent[last] = copy.deepcopy(HOSTILE_VALUES[pick % len(HOSTILE_VALUES)])
    return out


def desk_still_works(render_views: bool = False) -> None:
    """Everything a person or a script reads from the desk, read back by independent parsers."""
    from clientdesk.domain.changes import change_queue
    from clientdesk.domain.clients import client_profile, feedback, interactions, list_clients, milestones, risks
    from clientdesk.domain.overview import overview_data
    from clientdesk.domain.planner import checkins_in_week, conflicts, week_blocks, week_load
    from clientdesk.domain.status import client_statuses
    from clientdesk.domain.tasks import board_tasks
    from clientdesk.formats.ics import calendar_bytes
    from clientdesk.formats.report import render_report
    from clientdesk.formats.status_table import status_table

    json.loads(json.dumps(export_data(), ensure_ascii=False))
    rows = client_statuses()
    status_table(rows)
    json.dumps([r.as_json() for r in rows])
    icalendar.Calendar.from_ical(calendar_bytes())
    overview_data()
    monday = pendulum.date(2026, 11, 23)
    week_blocks(monday)
    conflicts(monday)
    week_load(monday)
    checkins_in_week(monday)
    change_queue()
    for c in list_clients(include_inactive=True):
        board_tasks(c.id)
        client_profile(c.id)
        interactions(c.id)
        risks(c.id)
        milestones(c.id)
        feedback(c.id)
        render_report(c.name, None, fmt="md")
        render_report(c.name, None, fmt="html")
    if render_views:
        from clientdesk.tui.export import export_view

        for view in ("overview", "planner", "changes"):
            assert "\x1b" not in export_view(view, fmt="txt", size=(120, 40))
        first = list_clients()
        if first:
            assert "\x1b" not in export_view("board", client_name=first[0].name, fmt="txt", size=(120, 40))
            assert "\x1b" not in export_view("client", client_name=first[0].name, fmt="txt", size=(120, 40))


def check_case(desk: Desk, doc: dict, merge: bool, render_views: bool = False) -> None:
    COUNTS["tried"] += 1
    try:
        import_data(doc, merge=merge)
    except InputError as exc:
        line = terminal_safe(str(exc), newlines=False)
        assert line and "\n" not in line and len(line) < 600, line[:700]
        assert snapshot() == desk.before, f"changed although refused: {line}"
        COUNTS["refused"] += 1
        return
    try:
        desk_still_works(render_views)
    except Exception:
        COUNTS["broken"] += 1
        raise
    COUNTS["accepted"] += 1
    desk.reset()


PLACES = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["append", "text", "value"]), st.integers(0, 99)),
                  min_size=1, max_size=3)


@SETTINGS
@given(PLACES, st.booleans())
def test_a_hostile_document_is_refused_cleanly_or_leaves_a_sound_desk(desk, sample, places, merge):
    doc = sample if merge else _renamed(sample, " (2)")
    check_case(desk, hostile(doc, places), merge)


@pytest.mark.slow
@SETTINGS
@given(PLACES)
def test_after_a_hostile_import_every_view_still_renders(desk, sample, places):
    check_case(desk, hostile(_renamed(sample, " (2)"), places), False, render_views=True)
