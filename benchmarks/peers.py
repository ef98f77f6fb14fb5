"""clientdesk against its peers on the same generated data, in one run: Taskwarrior, kanban-tui, dooit.

    .venv/bin/python benchmarks/peers.py [--sizes 24k,200k] [--runs 5]

For each size (benchmarks/generate.py's, as `make bench` has them) the
tasks of the generated desk are given to each peer that is installed, and
the runs of each comparison are interleaved (clientdesk, peer, clientdesk,
peer ...) so that the machine's load falls on both alike:

- Taskwarrior (`task`, 2.6): the tasks are loaded once with `task import`
  into a private data folder under benchmarks/out/peers/ (TASKRC and
  TASKDATA point there: your own tasks are never read or touched).
  Compared: clientdesk's launch to the first painted Overview (tmux, as
  `make bench`) against `task next`, `clientdesk export-json` against
  `task export`, and one write from the command line, `clientdesk add task`
  against `task add` (each added task deleted again, untimed).
- kanban-tui (`ktui`) and dooit (`dooit`): started in tmux with private
  XDG folders (empty: their own formats are not written here), timed to
  their first frame that stays unchanged for 0.2 s, less that wait; a
  rough figure for the launch column only.

A peer that is not on the PATH is reported as missing and skipped. This
script installs nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402  (sets the clock, the zone and the bytecode cache for subprocesses)
from generate import SIZES  # noqa: E402

PEERS_DIR = bench.OUT / "peers"
PRIORITY_LETTER = {1: "H", 2: "M", 3: "L"}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def missing(command: str) -> str | None:
    return None if shutil.which(command) else f"{command} is not installed (not on PATH): skipped"


# ------------------------------------------------------------------ Taskwarrior


def taskwarrior_env(home: Path) -> dict[str, str]:
    return {**os.environ, "TASKRC": str(home / "taskrc"), "TASKDATA": str(home / "data")}


def taskwarrior_tasks(db: Path) -> list[dict[str, Any]]:
    """The generated desk's tasks as Taskwarrior's import JSON (project = client.project, H/M/L from p1-p3)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT t.id, t.title, t.status, t.priority, t.due, t.tags, t.created, t.completed, c.name, p.name "
            "FROM task t JOIN project p ON t.project_id = p.id JOIN client c ON p.client_id = c.id ORDER BY t.id"
        ).fetchall()
    finally:
        con.close()

    def stamp(text: str) -> str:
        return text[:19].replace("-", "").replace(":", "") + "Z"

    out = []
    for tid, title, status, priority, due, tags, created, completed, client, project in rows:
        task: dict[str, Any] = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"clientdesk-bench-task-{tid}")),
            "description": title,
            "status": "completed" if status == "done" else "pending",
            "entry": stamp(created),
            "project": f"{client}.{project}".replace(" ", "_"),
        }
        if status == "done":
            task["end"] = stamp(completed or created)
        if priority in PRIORITY_LETTER:
            task["priority"] = PRIORITY_LETTER[priority]
        if due:
            task["due"] = due.replace("-", "") + "T120000Z"
        if tags:
            task["tags"] = tags.split()
        out.append(task)
    return out


def taskwarrior_data(name: str, db: Path) -> Path:
    """A private Taskwarrior holding the size's tasks, imported once and kept until generate.py changes."""
    home = PEERS_DIR / f"task-{name}"
    stamp = home / "stamp.txt"
    source = (bench.DATA / f"{name}.stamp").read_text()
    if stamp.exists() and stamp.read_text() == source:
        return home
    shutil.rmtree(home, ignore_errors=True)
    (home / "data").mkdir(parents=True)
    (home / "taskrc").write_text(
        f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\nhooks=off\n"
        "recurrence=off\nnews.version=2.6.0\n", encoding="utf-8")
    export = home / "import.json"
    export.write_text(json.dumps(taskwarrior_tasks(db)), encoding="utf-8")
    t = time.perf_counter()
    subprocess.run(["task", "import", str(export)], env=taskwarrior_env(home), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log(f"taskwarrior {name}: imported in {time.perf_counter() - t:.1f} s")
    export.unlink()
    stamp.write_text(source)
    return home


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=bench.OUT)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip()[:300]}")
    return elapsed


def interleaved(runs: int, ours: Callable[[], float], theirs: Callable[[], float]) -> dict[str, Any]:
    """Both timed alternately, after one untimed warm-up each; medians, min-max and the median ratio."""
    ours(), theirs()
    a, b = [], []
    for _ in range(runs):
        a.append(ours())
        b.append(theirs())
    return {"clientdesk": bench.summary(a, "s"), "peer": bench.summary(b, "s"),
            "ratio": statistics.median(x / y for x, y in zip(a, b))}


def compare_taskwarrior(name: str, paths: dict[str, Path], runs: int) -> dict[str, Any]:
    gone = missing("task")
    if gone:
        return {"missing": gone}
    home = taskwarrior_data(name, paths["large"])
    env = taskwarrior_env(home)
    db = str(paths["large"])
    work = bench.fresh_copy(paths["large"], bench.DATA / "peers-write.db")
    out: dict[str, Any] = {}

    def launch() -> float:
        seconds = bench.launch_once([*bench.CLIENTDESK, "--db", db], bench.overview_painted)["seconds"]
        if seconds is None:
            raise RuntimeError("no first paint of the Overview seen")
        return seconds

    bench.start_tmux_server()
    try:
        out["launch vs task next"] = interleaved(runs, launch, lambda: timed(["task", "next"], env))
    finally:
        bench.tmux("kill-server", check=False)
    target = bench.DATA / "peers-export.json"
    out["export-json vs task export"] = interleaved(
        runs, lambda: timed([*bench.CLIENTDESK, "--db", db, "export-json", str(target)]),
        lambda: timed(["sh", "-c", f"task export > '{target}'"], env))
    target.unlink(missing_ok=True)

    def add_ours() -> float:
        seconds = timed([*bench.CLIENTDESK, "--db", str(work), "add", "task", "Client 01", "Benchmark write p1"])
        subprocess.run([*bench.CLIENTDESK, "--db", str(work), "undo"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=bench.OUT)
        return seconds

    def add_theirs() -> float:
        seconds = timed(["task", "add", "project:Client_01.Retainer", "priority:H", "Benchmark write"], env)
        subprocess.run(["task", "undo"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return seconds

    out["add task vs task add"] = interleaved(runs, add_ours, add_theirs)
    return out


# ------------------------------------------------------------------ kanban-tui, dooit


def stable_paint(settle_s: float = 0.2) -> Callable[[str], bool]:
    """A paint detector for an app whose screen we cannot name: a non-blank screen unchanged for `settle_s`."""
    state: dict[str, Any] = {"text": None, "since": 0.0}

    def painted(text: str) -> bool:
        now = time.perf_counter()
        if not text.strip():
            return False
        if text != state["text"]:
            state["text"], state["since"] = text, now
            return False
        return now - state["since"] >= settle_s

    return painted


def compare_tui(command: str, name: str, paths: dict[str, Path], runs: int) -> dict[str, Any]:
    gone = missing(command)
    if gone:
        return {"missing": gone}
    home = PEERS_DIR / f"{command}-home"
    for sub in ("data", "config", "cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    peer = ["env", f"XDG_DATA_HOME={home / 'data'}", f"XDG_CONFIG_HOME={home / 'config'}",
            f"XDG_CACHE_HOME={home / 'cache'}", command]
    db = str(paths["large"])

    def ours() -> float:
        return bench.launch_once([*bench.CLIENTDESK, "--db", db], bench.overview_painted)["seconds"] or float("nan")

    def theirs() -> float:
        seconds = bench.launch_once(peer, stable_paint())["seconds"]
        return float("nan") if seconds is None else seconds - 0.2

    bench.start_tmux_server()
    try:
        result = interleaved(runs, ours, theirs)
    finally:
        bench.tmux("kill-server", check=False)
    result["note"] = f"{command} on its own empty data: a launch figure only"
    return {"launch vs " + command: result}


# ------------------------------------------------------------------ report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="24k,200k", help=f"comma-separated, of {', '.join(SIZES)} (default 24k,200k)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    names = [n.strip() for n in args.sizes.split(",") if n.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    if shutil.which("tmux") is None:
        parser.error("tmux is needed for the launch figures")
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    data = bench.build_data(False, names)
    results: dict[str, Any] = {"runs": args.runs, "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
                               "sizes": {}}
    rows = []
    for name in names:
        log(f"== {name}")
        r: dict[str, Any] = {}
        for peer, run in (("taskwarrior", lambda: compare_taskwarrior(name, data[name], args.runs)),
                          ("kanban-tui", lambda: compare_tui("ktui", name, data[name], args.runs)),
                          ("dooit", lambda: compare_tui("dooit", name, data[name], args.runs))):
            log(f"{peer} ...")
            r[peer] = run()
            if "missing" in r[peer]:
                rows.append((name, peer, "—", "—", "—", r[peer]["missing"]))
                continue
            for what, figures in r[peer].items():
                ours, theirs = figures["clientdesk"], figures["peer"]
                rows.append((name, what, f"{ours['median']:.3f} s ({ours['min']:.3f}-{ours['max']:.3f})",
                             f"{theirs['median']:.3f} s ({theirs['min']:.3f}-{theirs['max']:.3f})",
                             f"{figures['ratio']:.2f}x", figures.get("note", "")))
        results["sizes"][name] = r
    (bench.OUT / "peers.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    bench.print_rows(("size", "comparison", "clientdesk (min-max)", "peer (min-max)", "ratio", "note"), rows)
    print(f"\nratio = clientdesk / peer (below 1: clientdesk is faster); {args.runs} runs each, interleaved; "
          f"load average {results['load_average']} at the start; details in {bench.OUT / 'peers.json'}")


if __name__ == "__main__":
    main()
