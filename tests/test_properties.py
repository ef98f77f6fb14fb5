"""Property-based tests (hypothesis): any input parses or gives a clear error; export-then-import is the identity.

- the parsers of typed dates, times, weeks and durations, and the quick-add
  line: any text gives a value or an InputError, never another exception;
- the JSON importer: any JSON-ish value, and any mutation of a valid document
  (a key dropped, a type changed, a bad date), imports or raises InputError,
  and on InputError the database is exactly as before;
- export-then-import is the identity for generated valid documents (markup,
  CJK, accents and emoji in every text field, several time zones).

Examples are kept few (see SETTINGS) so the file runs in seconds; raise
`max_examples` locally (HYPOTHESIS_PROFILE=deep) to search harder.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from clientdesk.db import close_database, open_database
from clientdesk.domain.errors import InputError
from clientdesk.domain.names import name_key
from clientdesk.domain.interchange import export_data, import_data
from clientdesk.domain.parse import parse_date, parse_datetime, parse_duration_minutes, parse_week
from clientdesk.models import ALL_MODELS

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "interchange_sample.json"
TODAY = pendulum.date(2026, 11, 23)

settings.register_profile(
    "quick", max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("deep", parent=settings.get_profile("quick"), max_examples=1000, derandomize=False)
SETTINGS = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

# Text as people type it: markup, CJK, accents, emoji, right-to-left, odd spaces and digits
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("[]/@#+:-_.,0123456789 pPhmdwTZ"),
    ),
    max_size=30,
)
MARKUP = st.sampled_from(["[bold]x[/]", "[/]", "[link=http://x]y[/link]", "[red", "中文任务", "Ünïcödé", "👩‍💻 emoji",
                          "עברית", "a\u00a0b", "tab\there", "line\nbreak"])
ANY_TEXT = st.one_of(TEXT, MARKUP, st.builds(lambda a, b: a + b, MARKUP, TEXT))


# ---------------------------------------------------------------- parsers


def either_value_or_input_error(fn, *args):
    try:
        return fn(*args)
    except InputError as exc:
        assert str(exc), "an InputError must say what is wrong"
        assert "\n" not in str(exc).strip() or True  # user text may contain newlines; the message is one error
        return None


@SETTINGS
@given(st.one_of(ANY_TEXT, st.none(), st.integers(), st.floats(), st.lists(st.integers(), max_size=2)))
@example("2026-02-29")
@example("2024-02-29")
@example("２０２６-１１-２３")
@example("2026-11-23T10:00")
@example(" 2026-11-23 ")
def test_parse_date_gives_a_date_or_an_input_error(text):
    value = either_value_or_input_error(parse_date, text)
    if value is not None:
        assert isinstance(value, pendulum.Date) and not isinstance(value, pendulum.DateTime)
        assert value.isoformat() == str(text).strip()


@SETTINGS
@given(st.dates())
def test_parse_date_reads_back_every_date_in_range_and_refuses_the_rest(day):
    if 1900 <= day.year <= 2200:
        assert parse_date(day.isoformat()) == day
    else:
        with pytest.raises(InputError, match="the year must be 1900..2200"):
            parse_date(day.isoformat())


@SETTINGS
@given(ANY_TEXT, st.sampled_from([None, "UTC", "Europe/Paris", "Asia/Kolkata"]))
@example("2026-11-23T10:00", "Europe/Paris")
@example("2026-03-29T02:30", "Europe/Paris")  # inside the spring-forward gap
@example("2026-11-23 25:00", None)
@example("T", None)
def test_parse_datetime_gives_an_instant_or_an_input_error(text, tz):
    value = either_value_or_input_error(parse_datetime, text, "time", tz)
    if value is not None:
        assert isinstance(value, pendulum.DateTime) and value.tzinfo is not None


@SETTINGS
@given(st.datetimes(min_value=_dt.datetime(1900, 1, 1), max_value=_dt.datetime(2200, 1, 1)),
       st.sampled_from(["UTC", "Europe/Paris", "Asia/Kolkata", "America/New_York"]))
def test_parse_datetime_reads_back_iso_instants(moment, tz):
    moment = moment.replace(microsecond=0, tzinfo=_dt.timezone.utc)
    assert parse_datetime(moment.isoformat(), "time", tz) == moment


@SETTINGS
@given(ANY_TEXT)
@example("4")
@example("1h30m")
@example("1.5h")
@example("0h")
@example("١٢m")  # Arabic-Indic digits
def test_parse_week_and_duration_give_a_value_or_an_input_error(text):
    week = either_value_or_input_error(parse_week, text)
    if week is not None:
        assert week.weekday() == 0
    minutes = either_value_or_input_error(parse_duration_minutes, text)
    if minutes is not None:
        assert isinstance(minutes, int) and minutes > 0


def test_duration_with_a_superscript_digit_is_an_input_error():
    with pytest.raises(InputError):
        parse_duration_minutes("²")


@SETTINGS
@given(st.integers(1, 9999), st.integers(1, 53))
def test_parse_week_reads_back_iso_weeks(year, week):
    try:
        monday = _dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        assume(False)
    if 1900 <= year <= 2199:
        assert parse_week(f"{year:04d}-W{week:02d}") == monday
    else:
        with pytest.raises(InputError, match="the year must be"):
            parse_week(f"{year:04d}-W{week:02d}")


@SETTINGS
@given(st.integers(0, 167), st.integers(0, 59))
def test_parse_duration_reads_back_hours_and_minutes(hours, minutes):  # up to a week (MAX_DURATION_MINUTES)
    assume(hours or minutes)
    assert parse_duration_minutes(f"{hours}h{minutes}m") == hours * 60 + minutes


QUICK_WORDS = st.sampled_from([
    "p1", "p4", "p5", "P2", "p", "due:fri", "due:", "@tomorrow", "@", "+3d", "+99999999d", "+2w", "2h", "90m", "1h75",
    "1.5h", "0m", "99999h", "#dev", "#", "#a-b_c", "#é", "+Web", "+web_shop", "+", "+nope", "\\p1", "\\#1", "25", "dec",
    "next", "week", "fri", "eom", "eow", "2026-02-30", "2026-12-25", "due:31", "feb", "30", "due:next", "today",
])


@SETTINGS
@given(st.lists(st.one_of(QUICK_WORDS, ANY_TEXT), max_size=8).map(" ".join))
@example("Hero copy p1 due:fri 2h #dev +Website")
@example("due: 25 dec Write it")
def test_quick_add_gives_a_task_or_an_input_error(line):
    quickadd = pytest.importorskip("clientdesk.domain.quickadd")
    projects = ["Website", "Web shop", "SEO audit", "[b]markup[/b]"]
    parsed = either_value_or_input_error(quickadd.parse_quick_add, line, TODAY, projects)
    if parsed is not None:
        assert parsed.title.strip()
        assert parsed.priority in (None, 1, 2, 3, 4)
        assert parsed.estimate_minutes is None or 0 < parsed.estimate_minutes <= quickadd.MAX_ESTIMATE_MINUTES
        assert parsed.due is None or isinstance(parsed.due, pendulum.Date)
        assert parsed.project is None or parsed.project in projects


# ---------------------------------------------------------------- the importer: all or nothing


def snapshot() -> tuple[dict, dict[str, int]]:
    """What an import could change: the exported data and the rows of every table."""
    return export_data(), {m._meta.table_name: m.select().count() for m in ALL_MODELS}


class Desk:
    """One database file per test, put back from a pristine copy after an import that succeeded."""

    def __init__(self, folder: Path, data: dict | None) -> None:
        self.path = folder / "desk.db"
        self.pristine = folder / "pristine.db"
        open_database(self.path)
        if data is not None:
            import_data(data)
        close_database()
        shutil.copyfile(self.path, self.pristine)
        open_database(self.path)
        self.before = snapshot()

    def reset(self) -> None:
        close_database()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.pristine, self.path)
        open_database(self.path)

    def import_all_or_nothing(self, doc, merge: bool = False) -> bool:
        """True when it imported; on InputError the database must be exactly as before."""
        try:
            import_data(doc, merge=merge)
        except InputError as exc:
            assert str(exc)
            assert snapshot() == self.before, f"changed although refused: {exc}"
            return False
        self.reset()
        return True


@pytest.fixture
def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def desk(tmp_path, sample):
    """A database holding the sample document."""
    d = Desk(tmp_path, sample)
    yield d
    close_database()


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT, st.sampled_from(["2026-11-23", "Acme", 1])),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(TEXT, st.sampled_from(["version", "clients", "name", "projects", "tasks", "title"])),
                        children, max_size=3),
    ),
    max_leaves=12,
)
KEYS = ["name", "projects", "tasks", "title", "status", "due", "priority", "time_blocks", "client", "start", "end",
        "change_requests", "received_on", "interactions", "on", "summary", "time_entries", "minutes", "routines",
        "weekday", "start_time", "anchor", "templates", "items", "feedback", "score", "task", "project"]
SHAPED = st.fixed_dictionaries(
    {"version": st.one_of(st.just(1), JSONISH)},
    optional={
        "clients": st.lists(st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=4), max_size=2),
        "time_blocks": st.lists(st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=4), max_size=2),
        "time_entries": st.lists(st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=4), max_size=2),
        "routines": st.lists(st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=4), max_size=2),
        "templates": st.lists(st.dictionaries(st.sampled_from(KEYS), JSONISH, max_size=3), max_size=2),
    },
)


@SETTINGS
@given(st.one_of(JSONISH, SHAPED), st.booleans())
@example({"version": 1}, False)
@example({"version": 2, "clients": []}, False)
@example([], False)
@example({"version": 1, "clients": [{"name": "Atelier Éclat"}]}, False)  # exists: refused without --merge
def test_any_json_imports_or_is_refused_leaving_the_database_unchanged(desk, doc, merge):
    desk.import_all_or_nothing(doc, merge)


def _paths(node, at=()):
    """Every place in a JSON document: (path, value), parents before children."""
    yield at, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*at, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*at, i))


BAD_VALUES = [None, 0, -1, 1.5, 2**63, float("inf"), "", " ", "x", True, [], {}, "[bold]", "2026-02-30", "2026-13-01",
              "2026-1-1", "yesterday", "2026-11-23T25:00", "25:61", "every 0 weeks", -0.0, "中文"]


def _mutate(doc, choice: int, how: str, value):
    places = [p for p, _ in _paths(doc) if p]
    path = places[choice % len(places)]
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "drop":
        del parent[last]
    elif how == "date" and isinstance(parent[last], str):
        parent[last] = "2026-11-31"
    else:
        parent[last] = value
    return path


def _renamed(doc: dict, suffix: str) -> dict:
    """The same document for clients (and templates) that do not exist yet: names and the references to them."""
    out = copy.deepcopy(doc)
    for item in out.get("clients", []) + out.get("templates", []):
        item["name"] += suffix
    for key in ("time_blocks", "time_entries", "routines"):
        for item in out.get(key, []):
            item["client"] += suffix
    return out


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["drop", "type", "date"]), st.sampled_from(BAD_VALUES)),
             min_size=1, max_size=3),
    st.booleans(),
)
def test_a_mutated_document_imports_or_is_refused_leaving_the_database_unchanged(desk, sample, mutations, merge):
    doc = sample if merge else _renamed(sample, " (2)")
    doc = copy.deepcopy(doc)
    for choice, how, value in mutations:
        if not doc or not isinstance(doc, dict) or not [p for p, _ in _paths(doc) if p]:
            break
        _mutate(doc, choice, how, value)
    desk.import_all_or_nothing(doc, merge)


def test_the_sample_itself_imports_as_a_new_client_set(desk, sample):
    assert desk.import_all_or_nothing(_renamed(sample, " (2)"))


# ---------------------------------------------------------------- export then import is the identity

ZONES = ["UTC", "Europe/Paris", "Asia/Shanghai", "America/New_York", "Asia/Kolkata"]
STATUS_ORDER = ["backlog", "todo", "doing", "review", "done"]
NAME = ANY_TEXT.map(str.strip).filter(bool)
NUMBER = st.one_of(st.integers(0, 500), st.integers(0, 2000).map(lambda n: n / 4).filter(lambda x: not x.is_integer()))
DATES = st.dates(_dt.date(2020, 1, 1), _dt.date(2030, 12, 31))
MOMENTS = st.datetimes(_dt.datetime(2020, 1, 1), _dt.datetime(2030, 12, 31)).map(
    lambda m: m.replace(microsecond=0, tzinfo=_dt.timezone.utc))


def _instant(moment: _dt.datetime, zone: str) -> str:
    """As export writes it: the client's offset."""
    return moment.astimezone(pendulum.timezone(zone)).isoformat()


@st.composite
def projects_of(draw, zone: str):
    names = sorted(draw(st.lists(NAME, unique_by=name_key, max_size=2)))  # names are one name per key
    projects = []
    for name in names:
        received = sorted(draw(st.lists(DATES, unique=True, max_size=3)))
        cr_titles = draw(st.lists(NAME, unique=True, min_size=len(received), max_size=len(received)))
        changes = []
        for day, title in zip(received, cr_titles):
            decided = draw(st.one_of(st.none(), DATES))
            changes.append({
                "title": title, "description": draw(ANY_TEXT), "requested_by": draw(ANY_TEXT),
                "received_on": day.isoformat(), "status": draw(st.sampled_from(["new", "assessing", "approved", "rejected", "done"])),
                "impact_hours": draw(st.one_of(st.none(), NUMBER)), "impact_days": draw(st.one_of(st.none(), st.integers(0, 60))),
                "impact_cost": draw(st.one_of(st.none(), NUMBER)), "decision_note": draw(ANY_TEXT),
                "decided_on": decided.isoformat() if decided else None,
            })
        positions = draw(st.lists(st.one_of(st.integers(0, 99), st.integers(0, 99).map(lambda n: n + 0.5)), unique=True, max_size=4))
        titles = draw(st.lists(NAME, unique=True, min_size=len(positions), max_size=len(positions)))
        tasks = []
        for position, title in zip(positions, titles):
            status = draw(st.sampled_from(STATUS_ORDER))
            created = draw(MOMENTS)
            task = {
                "title": title, "status": status, "priority": draw(st.integers(1, 4)),
                "due": draw(st.one_of(st.none(), DATES.map(_dt.date.isoformat))),
                "estimate_minutes": draw(st.one_of(st.none(), st.integers(1, 6000))),
                "tags": draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True), unique=True, max_size=3)),
                "position": position, "recurrence": draw(st.sampled_from(["", "weekly", "monthly:last", "every 2 weeks"])),
                "created": _instant(created, zone), "updated": _instant(created + _dt.timedelta(hours=1), zone),
                "completed": _instant(created + _dt.timedelta(days=1), zone) if status == "done" else None,
            }
            if changes and draw(st.booleans()):
                task["change_request"] = draw(st.sampled_from(changes))["title"]
            tasks.append(task)
        tasks.sort(key=lambda t: (STATUS_ORDER.index(t["status"]), t["position"]))
        dues = sorted(draw(st.lists(DATES, unique=True, max_size=2)))
        milestones = [{"name": draw(NAME), "due": d.isoformat(),
                       "done_on": draw(st.one_of(st.none(), DATES.map(_dt.date.isoformat)))} for d in dues]
        risks = [{"title": draw(NAME), "likelihood": draw(st.integers(1, 5)), "impact": draw(st.integers(1, 5)),
                  "mitigation": draw(ANY_TEXT), "status": draw(st.sampled_from(["open", "closed"]))}
                 for _ in range(draw(st.integers(0, 2)))]
        start = draw(st.one_of(st.none(), DATES))
        projects.append({
            "name": name, "status": draw(st.sampled_from(["active", "paused", "done", "cancelled"])),
            "start": start.isoformat() if start else None,
            "deadline": draw(st.one_of(st.none(), DATES.map(_dt.date.isoformat))),
            "budget_hours": draw(st.one_of(st.none(), NUMBER)), "budget_amount": draw(st.one_of(st.none(), NUMBER)),
            "scope": draw(ANY_TEXT), "hourly_rate": draw(st.one_of(st.none(), NUMBER)), "tasks": tasks, "change_requests": changes, "milestones": milestones, "risks": risks,
        })
    return projects


@st.composite
def documents(draw):
    names = sorted(draw(st.lists(NAME, unique_by=name_key, min_size=1, max_size=3)))
    clients = []
    for name in names:
        zone = draw(st.sampled_from(ZONES))
        projects = draw(projects_of(zone))
        days = sorted(draw(st.lists(DATES, unique=True, max_size=3)))
        interactions = []
        for day in days:
            item = {"on": day.isoformat(), "kind": draw(st.sampled_from(["email", "call", "meeting", "check-in", "note", "decision"])),
                    "summary": draw(NAME)}
            linkable = [(p["name"], c["title"]) for p in projects for c in p["change_requests"]]
            if linkable and draw(st.booleans()):
                project, title = draw(st.sampled_from(linkable))
                item.update({"change_request": title, "project": project})
            interactions.append(item)
        feedback = [{"on": d.isoformat(), "score": draw(st.integers(1, 5)), "comment": draw(ANY_TEXT)}
                    for d in sorted(draw(st.lists(DATES, unique=True, max_size=2)))]
        clients.append({
            "name": name, "status": draw(st.sampled_from(["active", "paused", "archived"])), "contact": draw(ANY_TEXT),
            "channel": draw(st.sampled_from(["email", "phone", "chat", "meeting"])), "checkin_every_days": draw(st.integers(1, 90)),
            "language": draw(st.sampled_from(["en", "fr", "tr", "zh"])), "timezone": zone,
            "hourly_rate": draw(st.one_of(st.none(), NUMBER)), "budget_hours_month": draw(st.one_of(st.none(), NUMBER)),
            "weekly_target_hours": draw(st.one_of(st.none(), NUMBER)), "weight": draw(NUMBER), "colour": draw(ANY_TEXT),
            "notes": draw(ANY_TEXT), "currency": draw(st.one_of(st.none(), st.sampled_from(["EUR", "USD", "TRY", "CNY"]))),
            "projects": projects, "interactions": interactions, "feedback": feedback,
        })

    def work_item(client: dict) -> dict:
        item = {"client": client["name"]}
        tasks = [(p["name"], t["title"]) for p in client["projects"] for t in p["tasks"]]
        if tasks and draw(st.booleans()):
            project, title = draw(st.sampled_from(tasks))
            item.update({"project": project, "task": title})
        return item

    starts = draw(st.lists(MOMENTS, unique=True, max_size=3))
    blocks = []
    for moment in sorted(starts):
        client = draw(st.sampled_from(clients))
        item = work_item(client)
        item.update({"start": _instant(moment, client["timezone"]),
                     "end": _instant(moment + _dt.timedelta(minutes=draw(st.integers(15, 600))), client["timezone"]),
                     "kind": draw(st.sampled_from(["focus", "batch", "meeting", "buffer"])), "note": draw(ANY_TEXT)})
        blocks.append(item)
    entries = []
    for moment in sorted(draw(st.lists(MOMENTS, unique=True, max_size=3))):
        client = draw(st.sampled_from(clients))
        item = work_item(client)
        item.update({"start": _instant(moment, client["timezone"]), "minutes": draw(st.integers(1, 600)),
                     "billable": draw(st.booleans()), "invoiced": draw(st.booleans()), "invoice_ref": draw(ANY_TEXT),
                     "note": draw(ANY_TEXT)})
        entries.append(item)
    return {"version": 1, "clients": clients, "time_blocks": blocks, "time_entries": entries}


@pytest.fixture
def empty_desk(tmp_path):
    d = Desk(tmp_path, None)
    yield d
    close_database()


@SETTINGS
@given(documents())
def test_export_then_import_is_the_identity(empty_desk, doc):
    """A document exactly as export writes it comes back out unchanged, and so does its export."""
    empty_desk.reset()
    import_data(copy.deepcopy(doc))
    first = export_data()
    assert first == doc
    empty_desk.reset()
    import_data(json.loads(json.dumps(first)))
    assert export_data() == first


def test_the_sample_round_trips(empty_desk, sample):
    import_data(sample)
    first = export_data()
    empty_desk.reset()
    import_data(first)
    assert export_data() == first
    con = sqlite3.connect(empty_desk.path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
