"""The quick-add line and its date words: what is read, what is refused, and that nothing else ever escapes."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientdesk.domain.errors import InputError
from clientdesk.domain.quickadd import match_project, parse_estimate, parse_quick_add, parse_when

MONDAY = pendulum.date(2026, 11, 23)
FRIDAY = pendulum.date(2026, 11, 27)


@dataclass(frozen=True)
class Proj:
    id: int
    name: str


PROJECTS = [Proj(1, "Website"), Proj(2, "SEO audit"), Proj(3, "Site vitrine"), Proj(4, "Brochure 2027")]


# -- parse_when --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("today", MONDAY, MONDAY),
        ("Today", MONDAY, MONDAY),
        ("tomorrow", MONDAY, MONDAY.add(days=1)),
        ("yesterday", MONDAY, MONDAY.subtract(days=1)),
        ("fri", MONDAY, FRIDAY),
        ("friday", MONDAY, FRIDAY),
        ("FRI", MONDAY, FRIDAY),
        ("mon", MONDAY, MONDAY.add(weeks=1)),  # today excluded: next Monday
        ("fri", FRIDAY, FRIDAY.add(weeks=1)),  # on a Friday, "fri" is next week's
        ("sat", FRIDAY, FRIDAY.add(days=1)),
        ("thurs", MONDAY, pendulum.date(2026, 11, 26)),
        ("sun", MONDAY, pendulum.date(2026, 11, 29)),
        ("+3d", MONDAY, pendulum.date(2026, 11, 26)),
        ("+2w", MONDAY, pendulum.date(2026, 12, 7)),
        ("+0d", MONDAY, MONDAY),
        ("next week", MONDAY, pendulum.date(2026, 11, 30)),
        ("next week", pendulum.date(2026, 11, 29), pendulum.date(2026, 11, 30)),  # Sunday -> tomorrow's Monday
        ("next fri", MONDAY, pendulum.date(2026, 12, 4)),
        ("next month", MONDAY, pendulum.date(2026, 12, 1)),
        ("eom", MONDAY, pendulum.date(2026, 11, 30)),
        ("eom", pendulum.date(2027, 2, 3), pendulum.date(2027, 2, 28)),
        ("eow", MONDAY, FRIDAY),
        ("eow", pendulum.date(2026, 11, 28), pendulum.date(2026, 12, 4)),
        ("2026-12-25", MONDAY, pendulum.date(2026, 12, 25)),
        ("2025-01-02", MONDAY, pendulum.date(2025, 1, 2)),  # a past date is allowed (it shows overdue)
        ("25 dec", MONDAY, pendulum.date(2026, 12, 25)),
        ("dec 25", MONDAY, pendulum.date(2026, 12, 25)),
        ("25 December", MONDAY, pendulum.date(2026, 12, 25)),
        ("23 nov", MONDAY, MONDAY),  # today counts for a day-month date
        ("22 nov", MONDAY, pendulum.date(2027, 11, 22)),  # passed: next year's
        ("1 jan", MONDAY, pendulum.date(2027, 1, 1)),
        ("29 feb", MONDAY, pendulum.date(2028, 2, 29)),  # the next leap year
        ("due:fri", MONDAY, FRIDAY),
        ("  due: tomorrow ", MONDAY, MONDAY.add(days=1)),
        ("@fri", MONDAY, FRIDAY),
    ],
)
def test_parse_when_reads_the_words(text, today, expected):
    assert parse_when(text, today) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "missing"),
        ("   ", "missing"),
        ("due:", "missing"),
        ("someday", "not a date: someday"),
        ("31 feb", "no such date: 31 feb"),
        ("30 feb", "no such date"),
        ("31 apr", "no such date"),
        ("0 dec", "no such date"),
        ("2026-02-30", "no such date: 2026-02-30"),
        ("2026-13-01", "no such date"),
        ("2026-1-5", "not a date"),
        ("25/12", "not a date"),
        ("+3m", "not a date"),
        ("+999999d", "too far ahead"),
        ("next year", "not a date"),
        ("fri sat", "not a date"),
        ("2026-12-25T10:00", "not a date"),
    ],
)
def test_parse_when_refuses_with_a_clear_message(text, message):
    with pytest.raises(InputError, match="due: ") as info:
        parse_when(text, MONDAY)
    assert message in str(info.value)


def test_parse_when_error_lists_what_is_understood():
    with pytest.raises(InputError) as info:
        parse_when("whenever", MONDAY)
    assert "tomorrow" in str(info.value) and "2026-12-25" in str(info.value)


# -- estimates -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90m", 90), ("2h", 120), ("1h30", 90), ("1h30m", 90), ("1.5h", 90), ("1,5h", 90), ("45min", 45), ("2H", 120)],
)
def test_estimates(text, minutes):
    assert parse_estimate(text) == minutes


@pytest.mark.parametrize("text", ["0m", "0h", "1h75", "h", "2 h", "2d", "1001h", "abc", ""])
def test_bad_estimates(text):
    with pytest.raises(InputError, match="estimate"):
        parse_estimate(text)


# -- the quick-add line -----------------------------------------------------------------------
def test_the_example_line():
    q = parse_quick_add("Title p1 due:fri 2h #dev", MONDAY, PROJECTS)
    assert (q.title, q.priority, q.due, q.estimate_minutes, q.tags) == ("Title", 1, FRIDAY, 120, ("dev",))
    assert q.project is None and q.project_id is None


def test_markers_in_any_order_and_title_words_kept_in_order():
    q = parse_quick_add("#seo Write 2h the p2 launch @tomorrow post #Writing +web", MONDAY, PROJECTS)
    assert q.title == "Write the launch post"
    assert q.priority == 2
    assert q.due == MONDAY.add(days=1)
    assert q.estimate_minutes == 120
    assert q.tags == ("seo", "writing")
    assert (q.project_id, q.project) == (1, "Website")


def test_two_word_dates_after_due():
    assert parse_quick_add("Send invoice due:25 dec p2", MONDAY).due == pendulum.date(2026, 12, 25)
    assert parse_quick_add("Send invoice due:dec 25", MONDAY).due == pendulum.date(2026, 12, 25)
    assert parse_quick_add("Plan due:next week", MONDAY).due == pendulum.date(2026, 11, 30)
    assert parse_quick_add("Plan @next fri", MONDAY).due == pendulum.date(2026, 12, 4)
    q = parse_quick_add("Plan due: fri 2h", MONDAY)  # a space after "due:"
    assert (q.title, q.due, q.estimate_minutes) == ("Plan", FRIDAY, 120)


def test_bare_offsets_are_due_dates():
    assert parse_quick_add("Call back +3d", MONDAY).due == pendulum.date(2026, 11, 26)
    assert parse_quick_add("Call back +2w", MONDAY).due == pendulum.date(2026, 12, 7)


def test_nothing_given_leaves_defaults_to_the_caller():
    q = parse_quick_add("  Just a title  ", MONDAY)
    assert q == parse_quick_add("Just a title", MONDAY)
    assert (q.title, q.priority, q.due, q.estimate_minutes, q.tags, q.project) == ("Just a title", None, None, None, (), None)


def test_backslash_keeps_a_marker_in_the_title():
    q = parse_quick_add(r"Fix \#12 in \p1 view \2h", MONDAY)
    assert q.title == "Fix #12 in p1 view 2h"
    assert q.priority is None and q.tags == () and q.estimate_minutes is None


def test_wide_and_accented_titles_pass_through():
    q = parse_quick_add("青禾茶业 详情页 « À propos » p2 #设计", MONDAY)
    assert q.title == "青禾茶业 详情页 « À propos »"
    assert q.tags == ("设计",)


def test_repeated_tags_are_kept_once():
    assert parse_quick_add("x #dev #DEV #seo", MONDAY).tags == ("dev", "seo")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Title p1 due:31 feb", "no such date: 31 feb"),
        ("Title due:2026-02-30", "no such date: 2026-02-30"),
        ("Title due:someday", "not a date: someday"),
        ("Title due:", "a date is missing"),
        ("Title p5", "p1 (highest) to p4"),
        ("Title p0", "p1 (highest) to p4"),
        ("Title p1 p2", "priority given twice: p1 and p2"),
        ("Title 2h 30m", "estimate given twice"),
        ("Title due:fri @mon", "due given twice"),
        ("Title 0m", "more than zero"),
        ("Title #", "tag:"),
        ("Title #a.b", "tag:"),
        ("p1 due:fri 2h #dev", "needs a title"),
        ("", "needs a title"),
        ("Title +nowhere", "no project matches '+nowhere'"),
        ("Title +s", "could be SEO audit, Site vitrine"),
        ("Title +web +seo", "project given twice"),
    ],
)
def test_bad_lines_say_which_word_is_wrong(line, message):
    with pytest.raises(InputError) as info:
        parse_quick_add(line, MONDAY, PROJECTS)
    assert message in str(info.value)


def test_project_matching():
    assert match_project("website", PROJECTS) == (1, "Website")
    assert match_project("seo_audit", PROJECTS) == (2, "SEO audit")
    assert match_project("seo-a", PROJECTS) == (2, "SEO audit")
    assert match_project("site", PROJECTS) == (3, "Site vitrine")  # a unique prefix
    assert match_project("Brochure", PROJECTS) == (4, "Brochure 2027")
    exact = [Proj(1, "Web"), Proj(2, "Website")]
    assert match_project("web", exact) == (1, "Web")  # an exact name wins over a longer prefix


def test_project_hint_without_a_list_is_kept_as_typed():
    q = parse_quick_add("Title +Website", MONDAY)
    assert (q.project, q.project_id) == ("Website", None)


def test_project_names_as_plain_strings():
    q = parse_quick_add("Title +web", MONDAY, ["Website", "SEO"])
    assert q.project == "Website"


# -- the property: any text parses or is refused, nothing else -----------------------------------
MARKERS = st.sampled_from([
    "p1", "p4", "p9", "due:", "due:fri", "due:25", "dec", "feb", "31", "@", "@tomorrow", "+3d", "+99999999d",
    "+", "+web", "#", "#dev", "#é", "2h", "1h30", "0m", "99999999h", "1.5h", "\\", "\\p1", "next", "week",
    "2026-02-30", "9999-12-31", "0000-01-01", "eom", "青禾", "« »", "\t", "\n", "\x00", "𝟙h", "²m", "Ⅻ",
])
LINES = st.lists(st.one_of(MARKERS, st.text(max_size=12)), max_size=8).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(line=st.one_of(st.text(max_size=60), LINES), today=st.dates(pendulum.date(1990, 1, 1), pendulum.date(2100, 12, 31)))
def test_any_text_parses_or_raises_input_error(line, today):
    today = pendulum.date(today.year, today.month, today.day)
    try:
        q = parse_quick_add(line, today, PROJECTS)
    except InputError as exc:
        assert str(exc)
        return
    assert q.title.strip()
    assert q.priority in (None, 1, 2, 3, 4)
    assert q.estimate_minutes is None or q.estimate_minutes > 0
    assert all(q.tags)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=30), LINES), today=st.dates(pendulum.date(1990, 1, 1), pendulum.date(2100, 12, 31)))
def test_any_date_text_parses_or_raises_input_error(text, today):
    today = pendulum.date(today.year, today.month, today.day)
    try:
        day = parse_when(text, today)
    except InputError:
        return
    assert isinstance(day, pendulum.Date)
