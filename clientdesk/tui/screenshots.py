"""`make screenshots`: every view as SVG from the demo data, on a fixed clock.

The files in screenshots/ are committed and a test regenerates them to check
they are not stale against the code.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SCREENSHOT_TODAY = "2026-11-23"
SCREENSHOT_TZ = "Europe/Paris"
SCREENSHOT_SEED = 7
SCREENSHOT_USER = "camille"  # who the header names
BOARD_CLIENT = "Atelier Moreau"
SIZE = (120, 40)

#: file name -> (view, client or None, size)
SHOTS = {
    "overview.svg": ("overview", None, SIZE),
    "overview-80x24.svg": ("overview", None, (80, 24)),
    "board.svg": ("board", BOARD_CLIENT, SIZE),
    "planner.svg": ("planner", None, SIZE),
    "changes.svg": ("changes", None, SIZE),
    "client.svg": ("client", BOARD_CLIENT, SIZE),
}


def render_all(out_dir: Path, *, progress=print) -> list[Path]:
    """Write every shot into out_dir from a fresh demo database."""
    from clientdesk import clock
    from clientdesk.db import close_database, open_database
    from clientdesk.domain.demo import fill_demo
    from clientdesk.tui.export import export_view

    os.environ["CLIENTDESK_TODAY"] = SCREENSHOT_TODAY
    os.environ["CLIENTDESK_TZ"] = SCREENSHOT_TZ
    os.environ["CLIENTDESK_NOW"] = f"{SCREENSHOT_TODAY}T08:00:00"
    os.environ["CLIENTDESK_USER"] = SCREENSHOT_USER
    clock.set_today(None)
    clock.set_timezone(None)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        open_database(Path(tmp) / "demo.db")
        try:
            fill_demo(seed=SCREENSHOT_SEED, today=clock.today())
            for n, (name, (view, client, size)) in enumerate(SHOTS.items(), 1):
                progress(f"[{n}/{len(SHOTS)}] {name}")
                svg = export_view(view, client_name=client, fmt="svg", size=size)
                path = out_dir / name
                path.write_text(svg, encoding="utf-8")
                written.append(path)
        finally:
            close_database()
    return written


def main(argv: list[str]) -> None:
    out = Path(argv[0] if argv else "screenshots")
    render_all(out, progress=lambda line: print(line, file=sys.stderr))


if __name__ == "__main__":
    main(sys.argv[1:])
