"""`make bench` (team part): the large desk on PostgreSQL against the same desk in an SQLite file.

    .venv/bin/python benchmarks/bench_team.py [--runs N] [--only launch,keys]

Starts a throwaway PostgreSQL server (tests/pg_server.py, as the test suite
does), copies the large generated desk (benchmarks/generate.py, 24,000 tasks)
into it with `clientdesk copy`, then measures:

- copy: `clientdesk copy` of the large SQLite desk into the empty server database (wall time);
- launch: start in tmux (120x40) to the first painted Overview, PostgreSQL and
  SQLite interleaved; the ratio of medians (target: within 1.5x);
- keys: keypress to repaint on PostgreSQL for `+ > x` on the Board and `x -`
  on the Overview's Today list, in-process with Pilot, as bench.py measures
  them on SQLite (target < 50 ms); each press undone, untimed, before the next.

The server is on this machine (127.0.0.1, fsync off): network latency is not
in these figures. Writes benchmarks/out/team.json. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench  # noqa: E402,F401  (sets the fixed clock, zone and config in the environment)
from bench import (  # noqa: E402
    CLIENTDESK,
    DATA,
    OUT,
    bench_board_keys,
    bench_changes_and_switch,
    build_data,
    fresh_copy,
    launch_once,
    log,
    median,
    overview_painted,
    start_tmux_server,
    summary,
    tmux,
)

TARGETS = {"launch_ratio": 1.5, "key_ms": 50.0}


def copy_into(server, sqlite_path: Path) -> tuple[str, float]:
    server.admin("DROP DATABASE IF EXISTS bench_team WITH (FORCE)")
    server.admin("CREATE DATABASE bench_team")
    url = server.url("bench_team")
    t = time.perf_counter()
    done = subprocess.run([*CLIENTDESK, "--db", str(sqlite_path), "copy", url], capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"copy failed: {done.stderr.strip()}")
    log(done.stderr.strip())
    return url, seconds


def bench_launch(sqlite_path: Path, url: str, runs: int) -> dict[str, Any]:
    start_tmux_server()
    try:
        pg_cmd = [*CLIENTDESK, "--db", url]
        file_cmd = [*CLIENTDESK, "--db", str(sqlite_path)]
        launch_once(pg_cmd, overview_painted)  # warm-up of each, not counted
        launch_once(file_cmd, overview_painted)
        pg_times, file_times = [], []
        for _ in range(runs):
            a = launch_once(file_cmd, overview_painted)
            b = launch_once(pg_cmd, overview_painted)
            if a["seconds"] is None or b["seconds"] is None:
                raise RuntimeError(f"no first paint seen (sqlite {a['seconds']}, postgres {b['seconds']})")
            file_times.append(a["seconds"])
            pg_times.append(b["seconds"])
        return {"postgres_s": summary(pg_times, "s"), "sqlite_s": summary(file_times, "s"),
                "ratio_of_medians": median(pg_times) / median(file_times)}
    finally:
        tmux("kill-server", check=False)


def bench_keys(url: str, runs: int) -> dict[str, Any]:
    return {"board": asyncio.run(bench_board_keys(url, runs)),
            "changes": asyncio.run(bench_changes_and_switch(url, runs))}


def _ms(entry: dict[str, Any] | None) -> str:
    if not entry or entry.get("median") is None:
        return (entry or {}).get("missing", "—")
    return f"{entry['median']:.1f} ms"


def report(results: dict[str, Any]) -> None:
    print("\nteam mode: the large desk on PostgreSQL (127.0.0.1) and in an SQLite file")
    if "copy_s" in results:
        print(f"  clientdesk copy, SQLite file -> PostgreSQL: {results['copy_s']:.2f} s")
    launch = results.get("launch")
    if launch:
        ratio = launch["ratio_of_medians"]
        print(f"  first paint: PostgreSQL {launch['postgres_s']['median']:.3f} s, SQLite {launch['sqlite_s']['median']:.3f} s,"
              f" ratio {ratio:.2f}x (target <= {TARGETS['launch_ratio']}x: {'ok' if ratio <= TARGETS['launch_ratio'] else 'OVER'})")
    keys = results.get("keys")
    if keys:
        board, changes = keys["board"], keys["changes"]
        for label in ("+", ">", "x"):
            print(f"  Board {label}: {_ms(board.get(label))}")
        for label in ("x", "-"):
            print(f"  Overview {label}: {_ms(changes.get('overview', {}).get(label))}")
        print(f"  y in Changes: {_ms(changes.get('y'))}")
        switch = changes.get("switch", {})
        print(f"  switch 1 -> 4: {_ms(switch.get('to_changes_ms'))}, 4 -> 1: {_ms(switch.get('to_overview_ms'))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="launch,keys")
    args = parser.parse_args()
    only = set(args.only.split(","))
    from tests.pg_server import PostgresServer, missing

    reason = missing()
    if reason:
        print(f"team bench skipped: {reason}")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    large = build_data(False, ["24k"])["24k"]["large"]
    work = fresh_copy(large, DATA / "team.db")
    server = PostgresServer().start()
    results: dict[str, Any] = {"runs": args.runs, "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    try:
        url, results["copy_s"] = copy_into(server, work)
        if "launch" in only:
            log("launch in tmux, PostgreSQL and SQLite interleaved ...")
            results["launch"] = bench_launch(work, url, args.runs)
        if "keys" in only:
            log("keys with Pilot on PostgreSQL ...")
            results["keys"] = bench_keys(url, args.runs)
    finally:
        server.stop()
    (OUT / "team.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    report(results)
    print(f"\n{args.runs} runs each, load average {results['load_average']} at the start; details in {OUT / 'team.json'}")


if __name__ == "__main__":
    main()
