"""The readers every importer shares: numbers in any locale's spelling (checked against Babel's own),
dates in either order, 12-hour times, stable ids; each bad value names its line and column."""

from __future__ import annotations

import datetime as _dt

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.importers import ImportOptions, SourceError, translate
from clientdesk.importers.base import DateReader, parse_decimal, parse_hms, parse_time

LOCALES = ["en_US", "de_DE", "fr_FR", "de_CH", "es_ES", "it_IT", "pt_BR", "nl_NL", "sv_SE", "pl_PL", "tr_TR"]


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), st.sampled_from(LOCALES))
def test_numbers_as_babel_writes_them_in_any_locale(value, locale):
    text = format_decimal(value, format="#,##0.00", locale=locale)
    assert parse_decimal(text, "f.csv", 2, "Hours") == pytest.approx(float(value))


@pytest.mark.parametrize("text, value", [("20,0", 20.0), ("2.000,0", 2000.0), ("1,234.50", 1234.5), ("1 234,5", 1234.5),
                                         ("0.25", 0.25), ("-1,5", -1.5), ("1.000.000", 1_000_000.0)])
def test_numbers_spelled_by_hand(text, value):
    assert parse_decimal(text, "f.csv", 2, "Hours") == value


@pytest.mark.parametrize("text", ["abc", "", "1,2,3.4.5x", "--1", "1e5"])
def test_not_a_number(text):
    with pytest.raises(SourceError, match=r"^f.csv:7: Hours: not a number"):
        parse_decimal(text, "f.csv", 7, "Hours")


@pytest.mark.parametrize("text, value", [("10:23 AM", (10, 23, 0)), ("11:23:01 PM", (23, 23, 1)), ("12:00 AM", (0, 0, 0)),
                                         ("12:30 pm", (12, 30, 0)), ("09:05", (9, 5, 0)), ("23:59:59", (23, 59, 59))])
def test_times(text, value):
    assert parse_time(text, "f.csv", 2, "Start Time") == _dt.time(*value)


@pytest.mark.parametrize("text", ["13:00 PM", "24:00", "9h30", "0:00 AM", "10:61"])
def test_bad_times(text):
    with pytest.raises(SourceError, match="f.csv:3: Start Time: not a time of day"):
        parse_time(text, "f.csv", 3, "Start Time")


def test_durations():
    assert parse_hms("1:30:00", "f", 1, "Duration") == 5400
    assert parse_hms("100:00:05", "f", 1, "Duration") == 360005
    with pytest.raises(SourceError, match="Duration: not a duration"):
        parse_hms("1.5", "f", 1, "Duration")


def test_date_order_is_read_from_the_whole_column():
    us = DateReader(["11/16/2026", "12/01/2026"])
    assert us("12/01/2026", "f", 2, "Date") == _dt.date(2026, 12, 1) and us.assumption == "dates read as MM/DD/YYYY"
    unsure = DateReader(["11/10/2026", "12/01/2026"])
    assert unsure("12/01/2026", "f", 2, "Date") == _dt.date(2026, 12, 1)
    assert "no day above 12" in unsure.assumption and "US order was assumed" in unsure.assumption
    eu = DateReader(["16/11/2026", "01/12/2026"])
    assert eu("01/12/2026", "f", 2, "Date") == _dt.date(2026, 12, 1) and eu.assumption == "dates read as DD/MM/YYYY"
    dotted = DateReader(["01.12.2026"])
    assert dotted("01.12.2026", "f", 2, "Date") == _dt.date(2026, 12, 1)
    iso = DateReader(["2026-11-16"])
    assert iso.assumption is None and iso("2026-11-16", "f", 2, "Date") == _dt.date(2026, 11, 16)
    with pytest.raises(SourceError, match=r"f:9: Date: not a date: '31/31/2026'"):
        eu("31/31/2026", "f", 9, "Date")


@pytest.mark.parametrize("fmt", ["timewarrior", "watson", "taskwarrior", "trello"])
def test_json_of_another_shape_is_refused_by_every_json_importer(tmp_path, fmt):
    path = tmp_path / "other.json"
    path.write_text('{"hello": [1, 2]}' if fmt != "trello" else "[1, 2]")
    with pytest.raises(SourceError) as info:
        translate(path, ImportOptions(client="X"), fmt)
    assert str(info.value).startswith(f"{path}:") and "\n" not in str(info.value)
