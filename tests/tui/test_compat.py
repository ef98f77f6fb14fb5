"""tui/compat.py, the one module on Textual's and Rich's private internals: pinned here, so that an
upgrade fails loudly in these tests instead of quietly drawing a wrong screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

from clientdesk.tui import compat, safe_render


def test_the_installed_textual_and_rich_are_the_ones_compat_was_read_against():
    assert compat.check() == []


def test_check_says_what_moved(monkeypatch):
    monkeypatch.setitem(compat.TESTED, "textual", "0.0.1")
    monkeypatch.setattr(compat.DataTable, "_get_offsets", lambda self, y, extra: None)
    problems = compat.check()
    assert any("textual 8.2.8 installed, 0.0.1 expected" in p for p in problems)
    assert any("_get_offsets" in p and "changed" in p for p in problems)


def test_the_control_tables_are_the_ones_text_is_translated_through():
    from rich.text import Text
    from textual.content import Content

    safe_render.install()
    tables = compat.control_strip_tables()
    assert len(tables) == 2 and all(27 in table for table in tables)  # ESC is shown, not sent
    assert "\x1b" not in Text("a\x1bb").plain.translate(tables[0])
    assert "\x1b" not in Content("a\x1bb").plain.translate(tables[1])


async def test_screen_render_is_the_composed_screen():
    from clientdesk.tui.export import screen_text

    class Small(App):
        def compose(self) -> ComposeResult:
            yield Label("hello from the screen")

    app = Small()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        assert compat.screen_render(app) is not None
        assert screen_text(app).splitlines()[0].startswith("hello from the screen")
