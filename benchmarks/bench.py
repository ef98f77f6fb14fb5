"""`make bench`: is clientdesk fast at scale? Issue 6's figures, each a median of several runs.

    .venv/bin/python benchmarks/bench.py [--quick] [--runs N] [--only NAMES] [--keep]

Builds the large database (benchmarks/generate.py: 60 clients, 24,000 tasks,
...) and its interchange JSON under benchmarks/out/data/, then measures:

- launch: start in a real terminal (tmux 120x40) to the first painted
  Overview (client rows on screen), as a ratio to the bare Textual app with a
  60-row table (benchmarks/bare_app.py) measured in the same run, interleaved;
- memory: the app process's peak resident size (VmHWM), after the first paint
  and after visiting all four views;
- keys: keypress to repaint for `+`, `>` and `x` on the Board and `y` in the
  Changes queue, in-process with Pilot on a copy of the large database (each
  press undone, untimed, before the next); the time runs from the key event
  to the first frame composed after the screen's reload has been shown;
- screens: switching 1 -> 4 -> 1 (same measure);
- import: `clientdesk import` of the whole set into a fresh database
  (subprocess, wall time);
- status: `clientdesk status --format json` on the large database (subprocess);
- toggl, ics: a 100,000-row Toggl CSV imported into a fresh desk and again
  (adding nothing), and the .ics export of the 1,800 blocks
  (benchmarks/bench_importers.py);
- queries: the SQL statements the Overview's load issues for 6 clients and for
  60 clients (counted by wrapping the database's execute_sql): must be equal.

Prints a table and writes benchmarks/out/results.json. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
DATA = OUT / "data"
try:  # the installed (editable) package; PYTHONPATH may point at another checkout to compare
    import clientdesk  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

ENV = {
    "CLIENTDESK_TODAY": "2026-11-23",
    "CLIENTDESK_TZ": "Europe/Paris",
    "CLIENTDESK_CONFIG": str(OUT / "no-config.toml"),
    "COLORTERM": "truecolor",
    # like an installed package, whose modules pip compiles once: cache bytecode
    # (outside the source tree) even where PYTHONDONTWRITEBYTECODE is set
    "PYTHONPYCACHEPREFIX": str(OUT / "pycache"),
}
os.environ.update(ENV)
os.environ.pop("CLIENTDESK_DB", None)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import bench_importers  # noqa: E402
from generate import CLIENT_NAME_RE, SIZES, Sizes, build  # noqa: E402

PYTHON = sys.executable
CLIENTDESK = [PYTHON, "-m", "clientdesk"]
SIZE = (120, 40)
TMUX_SOCKET = f"clientdesk-bench-{os.getpid()}"
#: seconds on the Overview before the first switches are timed (the app imports the other views after 1 s)
WARM_WAIT_S = 2.0
TARGETS = {
    "launch_ratio": 1.5,
    "key_ms": 50.0,
    "memory_mb": 150.0,
    "import_s": 10.0,
    "first_switch_ms": 200.0,
    "export_view_s": 0.5,
}


# ------------------------------------------------------------------ helpers


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summary(values: list[float], unit: str) -> dict[str, Any]:
    return {
        "median": median(values),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "runs": len(values),
        "unit": unit,
        "values": [round(v, 3) for v in values],
    }


def fresh_copy(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ data


def build_data(force: bool, names: list[str]) -> dict[str, dict[str, Path]]:
    """The database of each size (and, at 24k, its JSON and the small one), cached until generate.py changes."""
    from clientdesk.migrations import STEPS

    DATA.mkdir(parents=True, exist_ok=True)
    # rebuilt when the generator or the schema's steps change (a database past a step merged later never gets it)
    fingerprint = hashlib.sha256((HERE / "generate.py").read_bytes() + repr(sorted(STEPS.items())).encode()).hexdigest()
    out: dict[str, dict[str, Path]] = {}
    for name in names:
        paths = {"large": DATA / f"{name}.db"}
        if name == "24k":
            paths.update(json=DATA / "24k.json", small=DATA / "small6.db")
        stamp = DATA / f"{name}.stamp"
        if force or not stamp.exists() or stamp.read_text() != fingerprint or not all(p.exists() for p in paths.values()):
            t = time.perf_counter()
            counts = build(paths["large"], json_path=paths.get("json"), sizes=SIZES[name])
            log(f"{name} database: {counts} ({time.perf_counter() - t:.1f} s)")
            if "small" in paths:
                log(f"small database: {build(paths['small'], sizes=Sizes().scaled(0.1))}")
            stamp.write_text(fingerprint)
        out[name] = paths
    return out


# ------------------------------------------------------------------ launch in tmux


def tmux(*args: str, check: bool = True) -> str:
    done = subprocess.run(["tmux", "-L", TMUX_SOCKET, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def vm_hwm_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


OVERVIEW_READY = re.compile(r"Clients \d+ active")


def overview_painted(text: str) -> bool:
    return bool(OVERVIEW_READY.search(text) and CLIENT_NAME_RE.search(text))


def bare_painted(text: str) -> bool:
    return "Client 00" in text and "Health" in text


def launch_once(command: list[str], painted: Callable[[str], bool], *, timeout: float = 30.0,
                visit: list[str] | None = None) -> dict[str, Any]:
    """Start `command` in a detached 120x40 tmux session; seconds to the first matching frame."""
    session = f"s{time.monotonic_ns()}"
    env = " ".join(f"{k}={v}" for k, v in ENV.items())
    shell = f"exec env -u PYTHONDONTWRITEBYTECODE {env} TERM=tmux-256color " + " ".join(f"'{c}'" for c in command)
    t0 = time.perf_counter()
    # started outside the source tree, so `python -m clientdesk` imports the package python finds
    tmux("new-session", "-d", "-s", session, "-c", str(OUT), "-x", str(SIZE[0]), "-y", str(SIZE[1]), shell)
    pid = None
    elapsed = None
    try:
        pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        while time.perf_counter() - t0 < timeout:
            screen = tmux("capture-pane", "-p", "-t", session, check=False)
            if painted(screen):
                elapsed = time.perf_counter() - t0
                break
            time.sleep(0.01)
        first_hwm = vm_hwm_kib(pid)
        hwm = first_hwm
        if visit and elapsed is not None:
            for key in visit:
                tmux("send-keys", "-t", session, key)
                time.sleep(0.6)
            hwm = vm_hwm_kib(pid)
        return {"seconds": elapsed, "hwm_first_kib": first_hwm, "hwm_kib": hwm, "pid": pid}
    finally:
        tmux("kill-session", "-t", session, check=False)


def start_tmux_server() -> None:
    """One private tmux server for the whole run, kept alive by an idle session, so that
    no launch pays for starting it (and no session races a server that is exiting)."""
    for attempt in range(5):
        try:
            tmux("new-session", "-d", "-s", "keeper", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "sleep 100000")
            return
        except RuntimeError:
            time.sleep(0.2 * (attempt + 1))
    raise RuntimeError("cannot start a tmux server")


def bench_launch(paths: dict[str, Path], runs: int) -> dict[str, Any]:
    if shutil.which("tmux") is None:
        return {"missing": "tmux is not installed"}
    start_tmux_server()
    try:
        return _launches(paths, runs)
    finally:
        tmux("kill-server", check=False)
        socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / TMUX_SOCKET
        socket.unlink(missing_ok=True)


def _launches(paths: dict[str, Path], runs: int) -> dict[str, Any]:
    app_cmd = [*CLIENTDESK, "--db", str(paths["large"])]
    bare_cmd = [PYTHON, str(HERE / "bare_app.py")]
    against_cmd = against_command(paths)
    # one warm-up of each (disk cache, .pyc), not counted
    launch_once(bare_cmd, bare_painted)
    launch_once(app_cmd, overview_painted)
    if against_cmd:
        launch_once(against_cmd, overview_painted)
    app_times, bare_times, ratios, hwm_first = [], [], [], []
    against_times, against_ratios = [], []
    for _ in range(runs):
        bare = launch_once(bare_cmd, bare_painted)
        app = launch_once(app_cmd, overview_painted)
        if bare["seconds"] is None or app["seconds"] is None:
            raise RuntimeError(f"no first paint seen (bare {bare['seconds']}, app {app['seconds']})")
        bare_times.append(bare["seconds"])
        app_times.append(app["seconds"])
        ratios.append(app["seconds"] / bare["seconds"])
        if app["hwm_first_kib"]:
            hwm_first.append(app["hwm_first_kib"] / 1024)
        if against_cmd:
            other = launch_once(against_cmd, overview_painted)
            if other["seconds"] is not None:
                against_times.append(other["seconds"])
                against_ratios.append(other["seconds"] / bare["seconds"])
    visited = launch_once(app_cmd, overview_painted, visit=["2", "3", "4", "1"])
    bare_mem = launch_once(bare_cmd, bare_painted)
    out = {
        "app_s": summary(app_times, "s"),
        "bare_s": summary(bare_times, "s"),
        "ratio": summary(ratios, "x"),
        "ratio_of_medians": median(app_times) / median(bare_times),
        "memory_first_paint_mb": summary(hwm_first, "MiB"),
        "memory_all_views_mb": (visited["hwm_kib"] or 0) / 1024,
        "memory_bare_mb": (bare_mem["hwm_kib"] or 0) / 1024,
    }
    if against_cmd:
        out["against"] = {"checkout": AGAINST["checkout"], "app_s": summary(against_times, "s"),
                          "ratio": summary(against_ratios, "x")}
    return out


#: `--against CHECKOUT`: another clientdesk tree whose launch is measured interleaved with this one's
AGAINST: dict[str, str] = {}


def against_data(name: str, force: bool) -> Path:
    """The size's data written through the other checkout's own models (its schema), cached like ours."""
    checkout = AGAINST["checkout"]
    path = DATA / f"{name}-against.db"
    stamp = DATA / f"{name}-against.stamp"
    fingerprint = hashlib.sha256((HERE / "generate.py").read_bytes() + checkout.encode()).hexdigest()
    if force or not path.exists() or not stamp.exists() or stamp.read_text() != fingerprint:
        code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); from generate import SIZES, build; "
                f"print(build({str(path)!r}, sizes=SIZES[{name!r}]))")
        # run outside this tree: for `-c` the current folder comes first on sys.path, before PYTHONPATH
        done = subprocess.run([PYTHON, "-c", code], env={**os.environ, "PYTHONPATH": checkout},
                              capture_output=True, text=True, cwd=OUT)
        if done.returncode != 0:
            raise RuntimeError(f"cannot build {name} with {checkout}: {done.stderr.strip()[-500:]}")
        log(f"{name} database for {checkout}: {done.stdout.strip()}")
        with sqlite3.connect(path) as con:  # the other tree's own schema, or the comparison means nothing
            log(f"  its schema version: {con.execute('SELECT version FROM schema_version').fetchone()[0]}")
        stamp.write_text(fingerprint)
    return path


def against_command(paths: dict[str, Path]) -> list[str] | None:
    if "against" not in paths:
        return None
    return ["env", f"PYTHONPATH={AGAINST['checkout']}", *CLIENTDESK, "--db", str(paths["against"])]


# ------------------------------------------------------------------ keys with Pilot


class FrameClock:
    """Times from a key event to the first frame composed after the screen showed its reload.

    Also notes the phases in between, to say where the time goes: the action
    itself (`perform`, on the UI thread), the wait for the worker, its read
    (`load`, in a thread), `show` (widgets updated), and the frame.
    """

    PHASES = ("action", "to_worker", "load", "to_show", "show", "compose", "write")

    def __init__(self, app) -> None:
        self.app = app
        self.armed = False
        self.switch_to = None  # a view being switched to: if it re-reads nothing, its first frame counts
        self.painted = asyncio.Event()
        self.t: dict[str, float] = {}
        original = app._display

        def display(screen, renderable):
            target = self.switch_to
            if (self.armed and target is not None and "shown" not in self.t and app.screen is target
                    and not getattr(target, "reading", False)):
                self.t["shown"] = time.perf_counter()  # back in a view with nothing to re-read: the frame is all
            if renderable is not None and self.armed and "shown" in self.t and "painted" not in self.t:
                self.t["composed"] = time.perf_counter()
                if app.is_headless:
                    # headless skips turning the frame into terminal bytes: do it, as a real terminal would
                    try:
                        renderable.render_segments(app.console)
                    except Exception:
                        pass
                self.t["painted"] = time.perf_counter()
                self.painted.set()
            return original(screen, renderable)

        app._display = display

    def _note(self, name: str) -> None:
        if self.armed and name not in self.t:
            self.t[name] = time.perf_counter()

    def watch(self, screen) -> None:
        """Wrap the screen's perform, load and show to note when each ends."""
        if getattr(screen, "_bench_wrapped", False):
            return
        perform, load, show = screen.perform, screen.load, screen.show

        def timed_perform(*args, **kwargs):
            try:
                return perform(*args, **kwargs)
            finally:
                self._note("acted")

        def timed_load():
            self._note("load_start")
            try:
                return load()
            finally:
                self._note("loaded")

        def timed_show(payload):
            self._note("show_start")
            result = show(payload)
            self._note("shown")
            return result

        screen.perform, screen.load, screen.show = timed_perform, timed_load, timed_show
        screen._bench_wrapped = True

    def arm(self, switch_to=None) -> None:
        self.switch_to = switch_to
        self.t = {"start": time.perf_counter()}
        self.painted.clear()
        self.armed = True

    async def wait(self, timeout: float = 10.0) -> float | None:
        try:
            await asyncio.wait_for(self.painted.wait(), timeout)
        except asyncio.TimeoutError:
            pass
        self.armed = False
        return (self.t["painted"] - self.t["start"]) * 1000 if "painted" in self.t else None

    def phases(self) -> dict[str, float]:
        t = self.t
        start = t.get("start")
        acted = t.get("acted", start)
        out = {
            "action": (acted - start) * 1000 if "acted" in t else 0.0,
            "to_worker": (t["load_start"] - acted) * 1000 if "load_start" in t else None,
            "load": (t["loaded"] - t["load_start"]) * 1000 if "loaded" in t else None,
            "to_show": (t["show_start"] - t["loaded"]) * 1000 if "show_start" in t and "loaded" in t else None,
            "show": (t["shown"] - t["show_start"]) * 1000 if "shown" in t and "show_start" in t else None,
            "compose": (t["composed"] - t["shown"]) * 1000 if "composed" in t and "shown" in t else None,
            "write": (t["painted"] - t["composed"]) * 1000 if "painted" in t else None,
        }
        return out


class KeyTimes:
    """Total times and their phases over several presses."""

    def __init__(self) -> None:
        self.totals: list[float] = []
        self.phases: dict[str, list[float]] = {p: [] for p in FrameClock.PHASES}
        self.failures = 0

    def add(self, total: float | None, clock: FrameClock) -> None:
        if total is None:
            self.failures += 1
            return
        self.totals.append(total)
        for name, value in clock.phases().items():
            if value is not None:
                self.phases[name].append(value)

    def result(self) -> dict[str, Any]:
        out = summary(self.totals, "ms")
        out["phases_ms"] = {name: median(values) for name, values in self.phases.items()}
        if self.failures:
            out["no_repaint"] = self.failures
        return out


async def _timed_press(pilot, clock: FrameClock, key: str, screen, *, switch: bool = False) -> float | None:
    clock.watch(screen)
    clock.arm(switch_to=screen if switch else None)
    task = asyncio.create_task(pilot.press(key))
    total = await clock.wait()
    await task
    return total


async def _settle(pilot) -> None:
    from clientdesk.tui.export import settle

    await settle(pilot)


def _screen_ready(name: str) -> str | None:
    """None when the screen is built, else why it is reported as missing."""
    import importlib

    try:
        module = importlib.import_module(f"clientdesk.tui.screens.{name}")
    except Exception as exc:  # a screen under construction may not import
        return f"cannot import: {exc}"
    text = Path(module.__file__).read_text(encoding="utf-8")
    if "placeholder" in text.splitlines()[0].lower() or "being built" in text:
        return "placeholder screen"
    return None


async def bench_board_keys(db_path: Path, runs: int) -> dict[str, Any]:
    from clientdesk.db import close_database, open_database
    from clientdesk.domain.clients import list_clients
    from clientdesk.tui.app import create_app

    missing = _screen_ready("board")
    if missing:
        return {"missing": missing}
    open_database(db_path)
    try:
        client_id = list_clients()[0].id
        app = create_app(mode="board", client_id=client_id)
        out: dict[str, Any] = {}
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            screen = app.screen
            clock = FrameClock(app)
            out["cards_on_board"] = len(getattr(getattr(screen, "data", None), "tasks", []) or [])
            for label, key in (("+", "plus"), (">", "greater_than_sign"), ("x", "x")):
                times = KeyTimes()
                for _ in range(runs):
                    if hasattr(screen, "set_current"):
                        screen.set_current("todo")
                    await _settle(pilot)
                    times.add(await _timed_press(pilot, clock, key, screen), clock)
                    await _settle(pilot)
                    await pilot.press("u")  # back to the same state, untimed
                    await _settle(pilot)
                out[label] = times.result()
        return out
    finally:
        close_database()


async def _first_visit(pilot, clock: FrameClock, key: str, away_from) -> tuple[float | None, Any]:
    """Key to the first frame after a view that did not exist yet has shown its read; (ms, the view)."""
    app = pilot.app
    clock.arm()
    task = asyncio.create_task(pilot.press(key))
    while app.screen is away_from:  # the screen does not exist before the switch: watch it once it is there
        await asyncio.sleep(0.0005)
    screen = app.screen
    clock.watch(screen)
    ms = await clock.wait()
    await task
    await _settle(pilot)
    return ms, screen


async def bench_changes_and_switch(db_path: Path, runs: int) -> dict[str, Any]:
    from clientdesk.db import close_database, open_database
    from clientdesk.tui.app import create_app

    out: dict[str, Any] = {}
    open_database(db_path)
    try:
        app = create_app(mode="overview")
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            clock = FrameClock(app)
            overview = app.screen
            # as a user looks at the Overview before the first switch: the app imports the other views meanwhile
            await asyncio.sleep(WARM_WAIT_S)
            await _settle(pilot)
            # the first visit to each view builds it and reads it
            first: dict[str, float | None] = {}
            changes_screen = None
            for key in ("2", "3", "4"):
                first[key], screen = await _first_visit(pilot, clock, key, overview)
                if key == "4":
                    changes_screen = screen
                await pilot.press("1")
                await _settle(pilot)
            # screens: 1 -> 4 -> 1, each a return to a view already built
            missing = _screen_ready("changes")
            to_changes, to_overview = KeyTimes(), KeyTimes()
            for _ in range(runs):
                to_changes.add(await _timed_press(pilot, clock, "4", changes_screen, switch=True), clock)
                await _settle(pilot)
                to_overview.add(await _timed_press(pilot, clock, "1", overview, switch=True), clock)
                await _settle(pilot)
            out["switch"] = {
                "first_visit_ms": first,
                "to_changes_first_ms": first["4"],
                "to_changes_ms": to_changes.result(),
                "to_overview_ms": to_overview.result(),
            }
            out["overview"] = await _overview_keys(pilot, clock, overview, runs)
            if missing:
                out["y"] = {"missing": missing}
                return out
            # y in the queue: put the cursor on an assessed, undecided request, approve, undo
            await pilot.press("4")
            await _settle(pilot)
            screen = app.screen
            assert screen is changes_screen
            from clientdesk.tui.widgets.keyed_table import KeyedTable

            table = screen.query_one("#changes", KeyedTable)
            times = KeyTimes()
            for _ in range(runs):
                target = next(
                    (c for c in screen.data.changes if c.status in ("new", "assessing") and c.impact_hours is not None),
                    None,
                )
                if target is None:
                    out["y"] = {"missing": "no assessed request in the queue"}
                    return out
                table.move_cursor(row=table.get_row_index(str(target.id)), animate=False)
                await _settle(pilot)
                times.add(await _timed_press(pilot, clock, "y", screen), clock)
                await _settle(pilot)
                await pilot.press("u")
                await _settle(pilot)
            out["y"] = times.result()
            out["queue_rows"] = table.row_count
        return out
    finally:
        close_database()


async def _overview_keys(pilot, clock: FrameClock, overview, runs: int) -> dict[str, Any]:
    """`x` and `-` on the Overview's Today list, in place; each press undone (untimed) before the next.

    `-` rather than `+`: the top of the list is mostly p1 already, where `+` changes nothing."""
    out: dict[str, Any] = {}
    overview.query_one("#today").focus()
    await _settle(pilot)
    for label, key in (("x", "x"), ("-", "minus")):
        times = KeyTimes()
        for _ in range(runs):
            overview.query_one("#today").move_cursor(row=1, animate=False)
            await _settle(pilot)
            times.add(await _timed_press(pilot, clock, key, overview), clock)
            await _settle(pilot)
            await pilot.press("u")
            await _settle(pilot)
        out[label] = times.result()
    return out


# ------------------------------------------------------------------ subprocess timings


def timed_run(cmd: list[str], *, stdout=subprocess.DEVNULL) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=OUT)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return elapsed


def bench_import(paths: dict[str, Path], runs: int) -> dict[str, Any]:
    target = DATA / "import-target.db"
    times = []
    for _ in range(runs):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        times.append(timed_run([*CLIENTDESK, "--db", str(target), "import", str(paths["json"])]))
    size_mb = paths["json"].stat().st_size / 1e6
    return {"import_s": summary(times, "s"), "json_mb": round(size_mb, 1)}


def bench_status(paths: dict[str, Path], runs: int) -> dict[str, Any]:
    times = [timed_run([*CLIENTDESK, "--db", str(paths["large"]), "status", "--format", "json"]) for _ in range(runs)]
    return {"status_s": summary(times, "s")}


def bench_exports(paths: dict[str, Path], runs: int) -> dict[str, Any]:
    """`export-json` of the whole desk and `export overview --format svg`, subprocess wall time
    (with `--against`, the other checkout's export-json interleaved)."""
    target = DATA / "export-target.json"
    against = against_command(paths)
    json_times, view_times, against_times = [], [], []
    for _ in range(runs):
        json_times.append(timed_run([*CLIENTDESK, "--db", str(paths["large"]), "export-json", str(target)]))
        if against:
            against_times.append(timed_run([*against, "export-json", str(target)]))
        view_times.append(timed_run([*CLIENTDESK, "--db", str(paths["large"]), "export", "overview", "--format", "svg",
                                     "--out", str(DATA / "export-view.svg")]))
    size_mb = target.stat().st_size / 1e6
    target.unlink(missing_ok=True)
    out = {"export_json_s": summary(json_times, "s"), "export_view_s": summary(view_times, "s"), "json_mb": round(size_mb, 1)}
    if against:
        out["against_export_json_s"] = summary(against_times, "s")
    return out


def overview_queries(db_path: Path) -> dict[str, int]:
    """SQL statements issued by the Overview's load (the worker's read), and the sizes behind them."""
    from clientdesk.db import close_database, open_database
    from clientdesk.models import Client, Task
    from clientdesk.tui.screens.overview import OverviewScreen

    db = open_database(db_path)
    try:
        statements: list[str] = []
        original = db.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            statements.append(sql)
            return original(sql, params, *args, **kwargs)

        db.execute_sql = counting
        try:
            OverviewScreen.load(OverviewScreen.__new__(OverviewScreen))  # the worker's read, without the app
        finally:
            del db.execute_sql
        return {"queries": len(statements), "clients": Client.select().count(), "tasks": Task.select().count()}
    finally:
        close_database()


def bench_queries(paths: dict[str, Path]) -> dict[str, Any]:
    small = overview_queries(paths["small"])
    large = overview_queries(paths["large"])
    return {"small": small, "large": large, "constant": small["queries"] == large["queries"]}


# ------------------------------------------------------------------ report


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value}"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("ok" if ok else "MISSED")


def report(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    launch = results.get("launch", {})
    if "missing" in launch:
        rows.append(("launch to first paint", "missing", launch["missing"], "—"))
    elif launch:
        ratio = launch["ratio"]["median"]
        rows.append(("launch: clientdesk to first Overview", fmt(launch["app_s"]["median"], "s"), "", ""))
        rows.append(("launch: bare Textual app, 60-row table", fmt(launch["bare_s"]["median"], "s"), "", ""))
        rows.append(("launch ratio (median of per-run ratios)", fmt(ratio, "x"), "<= 1.5x",
                     verdict(ratio <= TARGETS["launch_ratio"])))
        if "against" in launch:
            other = launch["against"]
            rows.append((f"launch: {other['checkout']} (interleaved)", fmt(other["app_s"]["median"], "s"), "", ""))
            rows.append((f"launch ratio of {other['checkout']}", fmt(other["ratio"]["median"], "x"), "", ""))
        peak = max(launch["memory_first_paint_mb"]["median"] or 0, launch["memory_all_views_mb"])
        rows.append(("peak memory, first paint (VmHWM)", fmt(launch["memory_first_paint_mb"]["median"], "MiB"), "", ""))
        rows.append(("peak memory, after views 2 3 4 1", fmt(launch["memory_all_views_mb"], "MiB"), "< 150 MiB",
                     verdict(peak < TARGETS["memory_mb"])))
        rows.append(("peak memory, bare app", fmt(launch["memory_bare_mb"], "MiB"), "", ""))
    keys = results.get("keys", {})
    board = keys.get("board", {})
    for label in ("+", ">", "x"):
        if "missing" in board:
            rows.append((f"board key {label} to repaint", "missing", board["missing"], "—"))
        elif label in board:
            m = board[label]["median"]
            rows.append((f"board key {label} to repaint", fmt(m, "ms"), "< 50 ms", verdict(m is not None and m < TARGETS["key_ms"])))
    changes = keys.get("changes", {})
    if "y" in changes:
        y = changes["y"]
        if "missing" in y:
            rows.append(("queue key y to repaint", "missing", y["missing"], "—"))
        else:
            m = y["median"]
            rows.append(("queue key y to repaint", fmt(m, "ms"), "< 50 ms", verdict(m is not None and m < TARGETS["key_ms"])))
    for label in ("x", "-"):
        if label in changes.get("overview", {}):
            m = changes["overview"][label]["median"]
            rows.append((f"overview key {label} in place to repaint", fmt(m, "ms"), "< 50 ms",
                         verdict(m is not None and m < TARGETS["key_ms"])))
    if "switch" in changes:
        s = changes["switch"]
        for key, ms in s.get("first_visit_ms", {}).items():
            rows.append((f"first switch 1 -> {key} (builds the view)", fmt(ms, "ms"), "< 200 ms",
                         verdict(ms is not None and ms < TARGETS["first_switch_ms"])))
        rows.append(("switch 1 -> 4", fmt(s["to_changes_ms"]["median"], "ms"), "", ""))
        rows.append(("switch 4 -> 1", fmt(s["to_overview_ms"]["median"], "ms"), "", ""))
    if "import" in results:
        m = results["import"]["import_s"]["median"]
        rows.append((f"import of the whole set ({results['import']['json_mb']} MB JSON)", fmt(m, "s"), "< 10 s",
                     verdict(m < TARGETS["import_s"])))
    if "status" in results:
        rows.append(("status --format json", fmt(results["status"]["status_s"]["median"], "s"), "", ""))
    if "time" in results:
        from bench_time import report_rows

        rows.extend(report_rows(results["time"], fmt, verdict))
    if "exports" in results:
        e = results["exports"]
        rows.append((f"export-json ({e['json_mb']} MB)", fmt(e["export_json_s"]["median"], "s"), "", ""))
        if "against_export_json_s" in e:
            rows.append((f"export-json, {AGAINST.get('checkout', 'the other checkout')} (interleaved)",
                         fmt(e["against_export_json_s"]["median"], "s"), "", ""))
        m = e["export_view_s"]["median"]
        rows.append(("export overview --format svg", fmt(m, "s"), "< 0.5 s", verdict(m < TARGETS["export_view_s"])))
    if "queries" in results:
        q = results["queries"]
        rows.append((f"overview queries, {q['small']['clients']} clients / {q['small']['tasks']} tasks",
                     str(q["small"]["queries"]), "", ""))
        rows.append((f"overview queries, {q['large']['clients']} clients / {q['large']['tasks']} tasks",
                     str(q["large"]["queries"]), "equal", verdict(q["constant"])))
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    print_rows(("figure", "median", "target", ""), rows)


def phase_rows(results: dict[str, Any]) -> list[tuple[str, ...]]:
    """Where each key's time goes (medians, ms)."""
    keys = results.get("keys", {})
    found = []
    for label in ("+", ">", "x"):
        if isinstance(keys.get("board", {}).get(label), dict):
            found.append((f"board {label}", keys["board"][label]))
    changes = keys.get("changes", {})
    if isinstance(changes.get("y"), dict) and "phases_ms" in changes["y"]:
        found.append(("queue y", changes["y"]))
    for label in ("x", "-"):
        if isinstance(changes.get("overview", {}).get(label), dict):
            found.append((f"overview {label}", changes["overview"][label]))
    if "switch" in changes:
        found.append(("switch 1->4", changes["switch"]["to_changes_ms"]))
        found.append(("switch 4->1", changes["switch"]["to_overview_ms"]))
    rows = []
    for name, data in found:
        phases = data.get("phases_ms", {})
        rows.append((name, fmt(data.get("median"), "ms"),
                     *(("—" if phases.get(p) is None else f"{phases[p]:.1f}") for p in FrameClock.PHASES)))
    return rows


def print_rows(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def size_row(name: str, r: dict[str, Any]) -> tuple[str, ...]:
    """One line of the table across sizes (medians; launch ratio with its min-max)."""
    launch, keys = r.get("launch", {}), r.get("keys", {})
    board, changes = keys.get("board", {}), keys.get("changes", {})
    overview, switch = changes.get("overview", {}), changes.get("switch", {})

    def ms(d) -> str:
        return fmt(d.get("median") if isinstance(d, dict) else None, "ms")

    ratio = launch.get("ratio", {})
    first = switch.get("first_visit_ms", {})
    exports = r.get("exports", {})
    return (
        name,
        fmt(launch.get("app_s", {}).get("median"), "s"),
        fmt(launch.get("bare_s", {}).get("median"), "s"),
        f"{fmt(ratio.get('median'), 'x')} ({fmt(ratio.get('min'), 'x')}-{fmt(ratio.get('max'), 'x')})" if ratio else "—",
        against_ratio(launch),
        " / ".join(ms(board.get(k)) for k in ("+", ">", "x")),
        ms(changes.get("y")),
        " / ".join(ms(overview.get(k)) for k in ("x", "-")),
        ms(switch.get("to_overview_ms")),
        " / ".join(fmt(first.get(k), "ms") for k in ("2", "3", "4")),
        fmt(exports.get("export_json_s", {}).get("median"), "s"),
        fmt(exports.get("export_view_s", {}).get("median"), "s"),
    )


def against_ratio(launch: dict[str, Any]) -> str:
    other = launch.get("against", {}).get("ratio")
    return f"{fmt(other['median'], 'x')} ({fmt(other['min'], 'x')}-{fmt(other['max'], 'x')})" if other else "—"


SIZE_HEADERS = ("size", "launch", "bare app", "ratio (min-max)", "--against ratio", "board + / > / x", "queue y", "overview x / -",
                "4 -> 1", "first 2 / 3 / 4", "export-json", "export view")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs each instead of 7 (a smoke run)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 7, --quick 3)")
    parser.add_argument("--only", default="launch,keys,import,status,exports,queries,toggl,ics,time",
                        help="comma-separated: launch, keys, import, status, exports, queries, toggl, ics, time")
    parser.add_argument("--sizes", default=",".join(SIZES),
                        help=f"comma-separated, of {', '.join(SIZES)} (default: all; the first build of 200k takes ~30 s)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the databases even if cached")
    parser.add_argument("--against", default=None, metavar="CHECKOUT",
                        help="another clientdesk tree (e.g. a worktree of main): its launch interleaved with this one's")
    args = parser.parse_args()
    if args.against:
        AGAINST["checkout"] = str(Path(args.against).resolve())
    runs = args.runs or (3 if args.quick else 7)
    only = set(args.only.split(","))
    names = [n.strip() for n in args.sizes.split(",") if n.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    OUT.mkdir(parents=True, exist_ok=True)
    data = build_data(args.rebuild, names)
    if args.against:
        for name in names:
            data[name]["against"] = against_data(name, args.rebuild)
    results: dict[str, Any] = {
        "runs": runs,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "sizes": {},
    }
    for name in names:
        paths, r = data[name], {}
        results["sizes"][name] = r
        log(f"== {name}: {SIZES[name].tasks:,} tasks, {SIZES[name].clients} clients")
        if "queries" in only and "small" in paths:
            log("overview queries ...")
            r["queries"] = bench_queries(paths)
        if "launch" in only:
            log("launch in tmux ...")
            r["launch"] = bench_launch(paths, runs)
        if "keys" in only:
            log("keys with Pilot ...")
            work = fresh_copy(paths["large"], DATA / "keys.db")
            r["keys"] = {
                "board": asyncio.run(bench_board_keys(work, runs)),
                "changes": asyncio.run(bench_changes_and_switch(work, runs)),
            }
        if "import" in only and "json" in paths:
            log("import ...")
            r["import"] = bench_import(paths, runs)
        if "status" in only:
            log("status ...")
            r["status"] = bench_status(paths, runs)
        if "exports" in only:
            log("exports ...")
            r["exports"] = bench_exports(paths, runs)
        if "time" in only:
            log("time and money ...")
            from bench_time import bench_time

            r["time"] = bench_time(paths, OUT, runs)
        rows = report(r)
        r["table"] = [dict(zip(("figure", "median", "target", "verdict"), row)) for row in rows]
        print(f"\n{name}: {SIZES[name].tasks:,} tasks, {SIZES[name].clients} clients")
        print_table(rows)
        phases = phase_rows(r)
        if phases:
            print("\nwhere a key's time goes (medians, ms): action = the domain call on the UI thread; to_worker = until"
                  "\nthe reload's thread starts; load = its read; to_show = until the UI thread takes the result; show ="
                  "\nwidgets updated; compose = until the next frame is composed; write = the frame turned into terminal"
                  "\noutput")
            print_rows(("key", "total", *FrameClock.PHASES), phases)
    extra: dict[str, Any] = {}
    if "toggl" in only:
        log("Toggl CSV import, 100,000 rows ...")
        extra["toggl"] = bench_importers.bench_toggl(CLIENTDESK, min(runs, 3))
    if "ics" in only:
        log("ics export ...")
        extra["ics"] = bench_importers.bench_ics(data[names[0]]["large"], runs)
    if extra:
        results.update(extra)
        print("\nimport and calendar:")
        print_table(bench_importers.report_rows(extra, fmt, verdict))
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    if len(names) > 1:
        print("\nacross sizes (medians):")
        print_rows(SIZE_HEADERS, [size_row(n, results["sizes"][n]) for n in names])
    print(f"\n{runs} runs each, load average {results['load_average']} at the start; details in {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
