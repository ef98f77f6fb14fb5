"""Dates in each report language exactly as the locked Babel writes them.

A week range is Babel's interval for the `yMMMd` skeleton and a single date
the same skeleton, so a heading and the line below it share one form (never
"十一月" beside "11月"). Pinned to the character, thin spaces included: a
Babel upgrade that changes them shows up here, in one commit with the lock.
"""

from __future__ import annotations

import datetime as dt

import babel
import pytest

from clientdesk.formats.i18n import language_for

SAME_MONTH = (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
TWO_MONTHS = (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
TWO_YEARS = (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
T = "\u2009"  # CLDR's thin space around the interval dash
N = "\u00a0"  # and the no-break space of some languages

EXPECTED = {
    "en": (f"Nov 16{T}–{T}22, 2026", f"Nov 30{T}–{T}Dec 6, 2026", f"Dec 28, 2026{T}–{T}Jan 3, 2027", "Nov 30, 2026"),
    "fr": ("16–22 nov. 2026", f"30 nov.{T}–{T}6 déc. 2026", f"28 déc. 2026{T}–{T}3 janv. 2027", "30 nov. 2026"),
    "tr": ("16–22 Kas 2026", f"30 Kas{T}–{T}6 Ara 2026", f"28 Ara 2026{T}–{T}3 Oca 2027", "30 Kas 2026"),
    "zh": (f"2026年11月16日{T}–{T}22日", f"2026年11月30日{T}–{T}12月6日", f"2026年12月28日{T}–{T}2027年1月3日", "2026年11月30日"),
}


def test_the_lock_holds_a_current_babel():
    major, minor = (int(p) for p in babel.__version__.split(".")[:2])
    assert (major, minor) >= (2, 19)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_week_ranges_and_dates_per_language(code):
    lang = language_for(code, None)
    same, months, years, single = EXPECTED[code]
    assert lang.date_range(*SAME_MONTH).replace(N, " ") == same
    assert lang.date_range(*TWO_MONTHS).replace(N, " ") == months
    assert lang.date_range(*TWO_YEARS).replace(N, " ") == years
    assert lang.short_date(TWO_MONTHS[0]).replace(N, " ") == single
    assert lang.date_range(SAME_MONTH[0], SAME_MONTH[0]) == lang.short_date(SAME_MONTH[0])


def test_chinese_heading_and_the_line_below_share_one_form():
    lang = language_for("zh", None)
    heading = lang.week_label(48, *TWO_MONTHS)
    below = lang.short_date(TWO_MONTHS[0])
    assert heading == f"第48周 · 2026年11月30日{T}–{T}12月6日"
    assert "十一月" not in heading + below and "十二月" not in heading + below
    assert below in heading
