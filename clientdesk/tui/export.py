"""Headless rendering of a view, through the same app and screens the user sees."""

from __future__ import annotations

import asyncio
import html
import io
import re

from rich.cells import cell_len
from rich.console import Console

from clientdesk.domain.errors import InputError

MODES = {"overview": "overview", "board": "board", "planner": "planner", "changes": "changes", "timesheet": "timesheet"}


def parse_size(text: str) -> tuple[int, int]:
    """'120x40' -> (120, 40); refuses sizes a screen cannot have."""
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise InputError(f"--size: not WIDTHxHEIGHT: {text}") from None
    if not (40 <= w <= 500 and 10 <= h <= 200):
        raise InputError(f"--size: between 40x10 and 500x200: {text}")
    return w, h


_SVG_TEXT = re.compile(r'<text ([^>]*?)textLength="([0-9.]+)"([^>]*)>([^<]*)</text>')


def svg_with_wide_cells(svg: str) -> str:
    """Rich's SVG gives each run of text a length of one cell per character,
    so a run with wide characters (Chinese, Japanese) was squeezed into half
    its cells, and the next run overlapped or left a gap. Each such run gets
    the length of the cells it takes on screen, glyphs fitted to it."""

    def fix(m: re.Match[str]) -> str:
        before, length, after, content = m.groups()
        text = html.unescape(content)
        cells = cell_len(text)
        if not text or cells == len(text):
            return m.group(0)
        width = float(length) / len(text) * cells
        return (f'<text {before}textLength="{width:g}" lengthAdjust="spacingAndGlyphs"{after}>{content}</text>')

    return _SVG_TEXT.sub(fix, svg)


def screenshot_svg(app, title: str) -> str:
    """The app's screen as SVG, wide characters in their cells."""
    return svg_with_wide_cells(app.export_screenshot(title=title))


def screen_text(app) -> str:
    """The plain text of the current screen, as a person reads it."""
    from clientdesk.tui.compat import screen_render  # Textual loads only when a screen is rendered

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(screen_render(app))
    return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines()) + "\n"


async def _render(view: str, client_id: int | None, fmt: str, size: tuple[int, int]) -> str:
    from clientdesk.tui.app import create_app

    app = create_app(mode="overview" if view == "client" else MODES[view], client_id=client_id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if view == "client" and client_id is not None:
            app.open_client(client_id)
            await settle(pilot)
        if fmt == "svg":
            return screenshot_svg(app, f"clientdesk · {view}")
        return screen_text(app)


async def settle(pilot) -> None:
    """Wait until every worker has loaded, every queued write has come back and the screen has painted.

    The live watcher never ends, so it is not waited for. A queued write counts
    until its result is handled: on a busy machine its thread may not have
    started yet when the key's own messages are done.
    """
    app = pilot.app

    def busy() -> list:
        return [w for w in app.workers if w.is_running and w.group != "live"]

    def writing() -> bool:
        writer = getattr(app, "writer", None)
        return bool(writer is not None and writer.pending)

    for _ in range(200):
        await pilot.pause()
        if not busy() and not writing():
            await pilot.pause()
            if not busy() and not writing():
                return
        running = busy()
        if running:
            await app.workers.wait_for_complete(running)
        elif writing():
            await asyncio.sleep(0.01)  # the writer's thread is queued behind others on a loaded machine


def export_view(view: str, *, client_name: str | None = None, fmt: str = "svg", size: tuple[int, int] = (120, 40)) -> str:
    """Render VIEW (overview, board, planner, changes, client) to SVG or plain text."""
    client_id = None
    if client_name:
        from clientdesk.domain.clients import find_client

        client_id = find_client(client_name).id
    elif view == "client":
        raise InputError("the client view needs --client NAME")
    return asyncio.run(_render(view, client_id, fmt, size))
