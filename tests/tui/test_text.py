"""The display helpers: dates written out as pendulum writes them in English."""

from __future__ import annotations

import pendulum

from clientdesk.tui.text import day_month, short_date


def test_dates_read_as_pendulum_writes_them():
    today = pendulum.date(2026, 11, 23)
    day = pendulum.date(2025, 12, 28)
    while day <= pendulum.date(2028, 1, 10):
        assert day_month(day) == day.format("D MMM")
        assert day_month(day, "YY") == day.format("D MMM YY")
        assert day_month(day, "YYYY") == day.format("D MMM YYYY")
        want = day.format("ddd D MMM") if day.year == today.year else day.format("D MMM YYYY")
        assert short_date(day, today) == want
        day = day.add(days=1)
    assert day_month(pendulum.date(2003, 1, 5), "YY") == "5 Jan 03"
    assert short_date(None, today) == ""
