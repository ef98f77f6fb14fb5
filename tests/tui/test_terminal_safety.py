"""User text reaches the terminal as text: no escape sequence is sent, no markup is obeyed.

The app is driven by Pilot on a real database whose names carry the issue's
payloads (window title, clipboard write, clear screen, reset, a cursor
report that makes the terminal type into the shell, a bidi override); what
the driver would write is captured from the screen's rendered strips, and
the exported SVG is parsed back by an XML parser.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import rich.control
import textual.content
from rich.text import Text
from textual.content import Content

from clientdesk.safe_text import terminal_safe
from clientdesk.tui import safe_render
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, settle

TITLE = "\x1b]2;PWNED\x1b\\"
CLIPBOARD = "\x1b]52;c;ZWNobyBQV05FRA==\x07"
PAYLOADS = [TITLE, CLIPBOARD, "\x1b[2J", "\x1bc", "\x1b[6n", "\u202eevil", "\x9b31m"]
MARKUP = ["[@click=app.quit]Click me[/]", "[bold red]X[/]", "Evil [/] Corp"]


@pytest.fixture
def hostile_desk(db):
    import pendulum

    for n, payload in enumerate(PAYLOADS):
        c = f.client(f"Client{n} {payload}")
        p = f.project(c, f"Project {payload}")
        t = f.task(p, f"Task {payload}", due=TODAY, status="todo")
        start = pendulum.datetime(2026, 11, 23 + n % 5, 9, tz="Europe/Paris")
        f.block(c, start, 2, task=t, note=f"Note {payload}")  # the planner draws these as raw segments
        f.change(p, f"Change {payload}", received_on=TODAY, requested_by=payload)
    for name in MARKUP:
        c = f.client(name)
        f.task(f.project(c, "Site"), "Hero copy", due=TODAY, status="todo")


def screen_text(app) -> str:
    from clientdesk.tui.export import screen_text as text_of

    return text_of(app)


def test_the_tables_the_net_relies_on_are_still_there():
    """An upgrade of rich or textual that moves these tables must fail here, not silently stop escaping."""
    safe_render.install()
    assert isinstance(rich.control._CONTROL_STRIP_TRANSLATE, dict)
    assert isinstance(textual.content._CONTROL_STRIP_TRANSLATE, dict)
    assert Text("a\x1b[2Jb").plain == "a\\x1b[2Jb"
    assert Content("a\x1b]52;c;x\x07b\u202e").plain == "a\\x1b]52;c;xb<U+202E>"
    assert Text("tab\tand\nnewline").plain == "tab\tand\nnewline"


@pytest.mark.parametrize("view", ["overview", "board", "changes", "planner"])
async def test_no_escape_from_user_text_reaches_the_terminal(hostile_desk, view):
    app = create_app(mode=view)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
        assert "\\x1b" in text  # shown, visibly, not dropped


async def test_a_notification_quoting_user_text_is_escaped(hostile_desk):
    app = create_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.notify(f"no such client: {CLIPBOARD}", markup=False)
        await settle(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\\x1b]52" in text


@pytest.mark.parametrize("name", MARKUP)
async def test_palette_entries_are_literal_text(hostile_desk, name):
    from clientdesk.tui.commands import ClientCommands, entry, highlighted

    app = create_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        provider = ClientCommands(app.screen)
        await provider.startup()
        title = f"client: open board of {name}"
        assert entry(title).plain == title
        assert not entry(title).spans  # no style, no @click action from the name
        matcher = provider.matcher(name.split()[0][:3])
        shown = highlighted(matcher, title)
        assert shown.plain == title
        assert all(not getattr(span.style, "meta", None) for span in shown.spans)


async def test_the_palette_opens_and_searches_hostile_names_without_crashing(hostile_desk):
    app = create_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for key in "Evil":
            await pilot.press(key)
        await pilot.pause(0.5)
        await settle(pilot)
        text = screen_text(app)
        assert "Evil [/] Corp" in text  # shown as typed, and the app is still running
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


async def test_clicking_a_hostile_entry_opens_its_board_and_does_not_quit(hostile_desk):
    from clientdesk.tui.commands import ClientCommands

    app = create_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        provider = ClientCommands(app.screen)
        await provider.startup()
        hits = [hit async for hit in provider.search("Click me")]
        assert hits
        hits[0].command()
        await settle(pilot)
        assert app.is_running and app.current_mode == "board"


def test_the_svg_export_is_well_formed_xml(hostile_desk, tmp_path):
    from clientdesk.tui.export import export_view

    svg = export_view("overview", fmt="svg", size=(140, 40))
    root = ET.fromstring(svg)  # control characters would make this fail: they are not XML
    assert root.tag.endswith("svg")
    assert "\x1b" not in svg
    assert terminal_safe(svg) == svg


@pytest.mark.parametrize("notify", ["app", "screen", "say_refusal"])
async def test_a_notification_is_text_whoever_sends_it_and_whatever_it_quotes(hostile_desk, notify, monkeypatch):
    """Markup in a message (a name, an error's reason) is never read as markup, whoever sends it:
    Textual's notify receives markup=False and the message as written."""
    from textual.app import App

    from clientdesk.domain.errors import RuleError
    from clientdesk.tui.notices import say_refusal

    sent = []
    original = App.notify
    monkeypatch.setattr(App, "notify", lambda self, message, **kw: (sent.append((message, kw)),
                                                                    original(self, message, **kw)))
    message = "no [b]Acme[/b] [/] [red]x"
    app = create_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        sent.clear()
        if notify == "app":
            app.notify(message)
        elif notify == "screen":
            app.screen.notify(message, severity="error")
        else:
            say_refusal(app.screen, RuleError(message), title="Not done")
        await settle(pilot)
    assert [(m, kw["markup"]) for m, kw in sent] == [(message, False)]
