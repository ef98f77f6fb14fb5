"""Time and money on the large database: the Timesheet's first open and week
switch, `t` to the header's repaint, `track status` as a whole process, an
invoice of 2,000 entries, and the idle CPU of an app with a running timer.

Run by bench.py (`make bench`, or `--only time`); each figure is a median.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TARGETS = {"timesheet_ms": 150.0, "timer_key_ms": 50.0, "track_status_s": 0.2, "invoice_s": 1.0, "idle_cpu_pct": 1.0}
INVOICE_CLIENT = "Client 01"
INVOICE_ENTRIES = 2_000


def _median(values: list[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _summary(values: list[float]) -> dict[str, Any]:
    return {"median": _median(values), "runs": [round(v, 4) for v in values]}


def _clientdesk() -> list[str]:
    """The installed console script, as a shell prompt runs it."""
    script = Path(sys.executable).with_name("clientdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "clientdesk"]


# -- Pilot: the Timesheet and the t key ------------------------------------------------

class HeaderClock:
    """When the view header first draws a running timer after `arm`, and the frame after it."""

    def __init__(self, app) -> None:
        from clientdesk.tui.widgets.view_header import ViewHeader

        self.app = app
        self.start = 0.0
        self.drawn = None
        self.painted = asyncio.Event()
        self.armed = False
        original_render = ViewHeader.render
        clock = self

        def render(header):
            out = original_render(header)
            if clock.armed and clock.drawn is None and "⏱" in out.plain:
                clock.drawn = time.perf_counter()
            return out

        ViewHeader.render = render
        original_display = app._display

        def display(screen, renderable):
            result = original_display(screen, renderable)
            if clock.armed and clock.drawn is not None and renderable is not None and not clock.painted.is_set():
                try:
                    renderable.render_segments(app.console)  # headless: turn the frame into bytes as a terminal would
                except Exception:
                    pass
                clock.painted.set()
                clock.painted_at = time.perf_counter()
            return result

        app._display = display

    def arm(self) -> None:
        self.start, self.drawn, self.armed = time.perf_counter(), None, True
        self.painted.clear()

    async def wait(self, timeout: float = 10.0) -> float | None:
        try:
            await asyncio.wait_for(self.painted.wait(), timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            self.armed = False
        return (self.painted_at - self.start) * 1000


async def _pilot_figures(db_path: Path, runs: int) -> dict[str, Any]:
    from bench import FrameClock, _settle, _timed_press

    from clientdesk.db import close_database, open_database
    from clientdesk.tui.app import create_app
    from clientdesk.tui.screens.timesheet import TimesheetScreen

    open_database(db_path)
    out: dict[str, Any] = {}
    try:
        first = []
        for _ in range(runs):  # a new app each time: the first visit builds the screen
            app = create_app()
            async with app.run_test(size=(120, 40)) as pilot:
                await _settle(pilot)
                t0 = time.perf_counter()
                await pilot.press("5")
                while not (isinstance(app.screen, TimesheetScreen) and app.screen.loaded):
                    await asyncio.sleep(0.0005)
                await pilot.pause()  # the frame that shows it
                first.append((time.perf_counter() - t0) * 1000)
        out["timesheet_first_ms"] = _summary(first)

        app = create_app(mode="timesheet")
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(pilot)
            screen = app.screen
            out["entries_this_week"] = len(screen.sheet.entries) if screen.sheet else 0
            clock = FrameClock(app)
            switches = []
            for i in range(runs):
                key = "left_square_bracket" if i % 2 == 0 else "right_square_bracket"
                switches.append(await _timed_press(pilot, clock, key, screen))
                await _settle(pilot)
            out["week_switch_ms"] = _summary(switches)

        app = create_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(pilot)
            header = HeaderClock(app)
            starts = []
            for _ in range(runs):
                header.arm()
                task = asyncio.create_task(pilot.press("t"))  # starts the timer on the client row
                starts.append(await header.wait())
                await task
                await _settle(pilot)
                await pilot.press("t")  # stops it again, untimed
                await _settle(pilot)
            out["timer_key_ms"] = _summary(starts)
    finally:
        close_database()
    return out


# -- whole processes ------------------------------------------------------------------------

#: CPU seconds (user + system) of each timed process, beside its wall time: on a loaded machine
#: the wall time measures the queue for a core as much as the program
CPU_SECONDS: dict[str, list[float]] = {}


def _timed(cmd: list[str], cwd: Path, label: str = "") -> float:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if label:
        CPU_SECONDS.setdefault(label, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return elapsed


def _with_running_timer(db_path: Path) -> None:
    subprocess.run([*_clientdesk(), "--db", str(db_path), "track", "start", "Client 00"], check=True,
                   capture_output=True)


def _track_status(db_path: Path, out_dir: Path, runs: int) -> dict[str, Any]:
    cmd = [*_clientdesk(), "--db", str(db_path), "track", "status", "--format", "json"]
    _timed(cmd, out_dir)  # warm the file cache
    out = _summary([_timed(cmd, out_dir, "track_status") for _ in range(runs)])
    out["cpu_s"] = _median(CPU_SECONDS["track_status"])
    return out


def _month_of_entries(db_path: Path) -> None:
    """INVOICE_ENTRIES unbilled billable entries of one client in November 2026."""
    con = sqlite3.connect(db_path)
    try:
        (cid,) = con.execute("SELECT id FROM client WHERE name = ?", (INVOICE_CLIENT,)).fetchone()
        con.execute("UPDATE client SET hourly_rate = 90, currency = 'EUR' WHERE id = ?", (cid,))
        rows = [(cid, f"2026-11-{1 + i % 22:02d}T{8 + i % 9:02d}:{(i * 7) % 60:02d}:00", 15 + (i % 8) * 15)
                for i in range(INVOICE_ENTRIES)]
        con.executemany("INSERT INTO time_entry (client_id, start, minutes, billable, invoiced, invoice_ref, note) "
                        "VALUES (?, ?, ?, 1, 0, '', 'bench')", rows)
        con.commit()
    finally:
        con.close()


def _invoice(db_path: Path, out_dir: Path, runs: int) -> dict[str, Any]:
    base = out_dir / "data" / "invoice-base.db"
    shutil.copy(db_path, base)
    _month_of_entries(base)
    times = []
    for _ in range(runs):
        work = out_dir / "data" / "invoice.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copy(base, work)
        times.append(_timed([*_clientdesk(), "--db", str(work), "invoice", INVOICE_CLIENT, "--month", "2026-11",
                             "--out", str(out_dir / "invoice.html")], out_dir, "invoice"))
    out = _summary(times)
    out["cpu_s"] = _median(CPU_SECONDS["invoice"])
    return out


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _idle_cpu(db_path: Path, out_dir: Path, seconds: float) -> dict[str, Any]:
    """Per cent of one core used by the app sitting idle in tmux, with and without a running timer."""
    from bench import ENV, TMUX_SOCKET, overview_painted, start_tmux_server, tmux

    if shutil.which("tmux") is None or not Path("/proc/self/stat").exists():
        return {"missing": "needs tmux and /proc"}
    start_tmux_server()
    out: dict[str, Any] = {}
    try:
        for label, timer in (("with_timer", True), ("no_timer", False)):
            work = out_dir / "data" / f"idle-{label}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{work}{suffix}").unlink(missing_ok=True)
            shutil.copy(db_path, work)
            if timer:
                _with_running_timer(work)
            session = f"idle{label}"
            env = " ".join(f"{k}={v}" for k, v in ENV.items())
            shell = f"exec env {env} TERM=tmux-256color " + " ".join(f"'{c}'" for c in [*_clientdesk(), "--db", str(work)])
            tmux("new-session", "-d", "-s", session, "-c", str(out_dir), "-x", "120", "-y", "40", shell)
            try:
                pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and not overview_painted(tmux("capture-pane", "-p", "-t", session, check=False)):
                    time.sleep(0.05)
                time.sleep(2.0)  # the first reads and paints are over
                c0, t0 = _cpu_seconds(pid), time.monotonic()
                time.sleep(seconds)
                c1, t1 = _cpu_seconds(pid), time.monotonic()
                shown = tmux("capture-pane", "-p", "-t", session, check=False).splitlines()[0]
                out[label] = {"cpu_pct": round((c1 - c0) / (t1 - t0) * 100, 3), "header": shown.strip()}
            finally:
                tmux("kill-session", "-t", session, check=False)
    finally:
        tmux("kill-server", check=False)
        socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / TMUX_SOCKET
        socket.unlink(missing_ok=True)
    return out


def bench_time(paths: dict[str, Path], out_dir: Path, runs: int, *, idle_seconds: float = 20.0) -> dict[str, Any]:
    work = out_dir / "data" / "time.db"
    shutil.copy(paths["large"], work)
    results = asyncio.run(_pilot_figures(work, runs))
    status_db = out_dir / "data" / "status.db"
    shutil.copy(paths["large"], status_db)
    _with_running_timer(status_db)
    results["track_status_s"] = _track_status(status_db, out_dir, runs)
    results["invoice_s"] = _invoice(paths["large"], out_dir, runs)
    results["idle"] = _idle_cpu(paths["large"], out_dir, idle_seconds)
    return results


def report_rows(results: dict[str, Any], fmt, verdict) -> list[tuple[str, str, str, str]]:
    rows = []
    first = results["timesheet_first_ms"]["median"]
    rows.append(("timesheet (5): first open", fmt(first, "ms"), "< 150 ms",
                 verdict(first is not None and first < TARGETS["timesheet_ms"])))
    switch = results["week_switch_ms"]["median"]
    rows.append((f"timesheet week switch ({results['entries_this_week']} entries this week)", fmt(switch, "ms"),
                 "< 150 ms", verdict(switch is not None and switch < TARGETS["timesheet_ms"])))
    key = results["timer_key_ms"]["median"]
    rows.append(("t to header repaint", fmt(key, "ms"), "< 50 ms", verdict(key is not None and key < TARGETS["timer_key_ms"])))
    status = results["track_status_s"]["median"]
    rows.append(("track status --format json (whole process)", fmt(status, "s"), "< 0.2 s",
                 verdict(status < TARGETS["track_status_s"])))
    rows.append(("  its CPU time (user + system)", fmt(results["track_status_s"]["cpu_s"], "s"), "", ""))
    invoice = results["invoice_s"]["median"]
    rows.append((f"invoice of {INVOICE_ENTRIES:,} entries (whole process)", fmt(invoice, "s"), "< 1 s",
                 verdict(invoice < TARGETS["invoice_s"])))
    rows.append(("  its CPU time (user + system)", fmt(results["invoice_s"]["cpu_s"], "s"), "", ""))
    idle = results["idle"]
    if "missing" in idle:
        rows.append(("idle CPU, running timer", "missing", idle["missing"], "—"))
    else:
        pct = idle["with_timer"]["cpu_pct"]
        rows.append(("idle CPU, running timer (% of a core)", f"{pct:.2f} %", "< 1 %", verdict(pct < TARGETS["idle_cpu_pct"])))
        rows.append(("idle CPU, no timer (% of a core)", f"{idle['no_timer']['cpu_pct']:.2f} %", "", ""))
    return rows
