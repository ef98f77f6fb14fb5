"""The interchange JSON writer (one record a line, the C encoder) and the export's fast instant formatter."""

from __future__ import annotations

import datetime as dt
import json
import random

import pendulum
import pytest

from clientdesk.domain.interchange import _instant_out, _InstantWriter, export_data
from clientdesk.formats.interchange_json import dumps

ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns",
         "Pacific/Chatham", "Asia/Shanghai", "UTC", "Africa/Monrovia", "Europe/Dublin"]


def test_the_fast_instants_equal_the_zone_lookup_around_every_transition():
    writer = _InstantWriter()
    rng = random.Random(3)
    checked = 0
    for name in ZONES:
        tz = pendulum.timezone(name)
        moments = [dt.datetime(1890, 1, 1) + dt.timedelta(seconds=rng.randrange(0, 150 * 365 * 86400)) for _ in range(300)]
        for year in (1971, 2026, 2027):  # every minute of a few days around each DST change of these years
            for month, day in ((3, 8), (3, 26), (4, 1), (4, 5), (9, 27), (10, 4), (10, 25), (11, 1)):
                base = dt.datetime(year, month, day) - dt.timedelta(days=1)
                moments += [base + dt.timedelta(minutes=m) for m in range(0, 3 * 24 * 60, 7)]
        for moment in moments:
            text = moment.strftime("%Y-%m-%dT%H:%M:%S")
            assert writer(text, tz) == _instant_out(text, tz), (name, text)
            checked += 1
    assert checked > 50_000
    assert writer(None, pendulum.timezone("UTC")) is None


@pytest.mark.parametrize("bad", ["2026-11-23", "2026-11-23T25:00:00", "garbage-text-here!!"])
def test_odd_stored_text_behaves_as_before(bad):
    tz = pendulum.timezone("Europe/Paris")
    try:
        expected = _instant_out(bad, tz)
    except ValueError:
        with pytest.raises(ValueError):
            _InstantWriter()(bad, tz)
        return
    assert _InstantWriter()(bad, tz) == expected


def test_the_writer_gives_back_the_document_with_one_record_a_line():
    doc = {"version": 1, "clients": [
        {"name": "Ünïcode \"quoted\"\n", "weight": 1.5, "projects": [
            {"name": "P", "tasks": [{"title": "a", "tags": ["x", "y"], "due": None},
                                    {"title": "b\u2028c", "tags": [], "position": 2}],
             "milestones": [], "risks": []}],
         "interactions": [{"on": "2026-11-18", "kind": "call"}], "feedback": []}],
        "time_blocks": [], "time_entries": [{"client": "A", "minutes": 0, "billable": True}]}
    text = dumps(doc)
    assert json.loads(text) == doc
    lines = text.splitlines()
    assert '            {"title": "a", "tags": ["x", "y"], "due": null},' in lines
    assert any(line.strip().startswith('{"title": "b') for line in lines)
    assert "Ünïcode" in text  # not escaped to \\u
    assert lines[0] == "{" and lines[1] == '  "version": 1,'


def test_the_demo_export_reads_back_exactly(demo_db):
    data = export_data()
    assert json.loads(dumps(data)) == data
    assert json.loads(dumps(data)) == json.loads(json.dumps(data, ensure_ascii=False, indent=2))
