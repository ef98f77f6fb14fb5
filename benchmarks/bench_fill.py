"""Benchmark "fill my week" on a large database: 60 clients, 24,000 tasks, 1,800 blocks.

    .venv/bin/python benchmarks/bench_fill.py [--runs 15] [--db PATH] [--keep]

Generates the database with benchmarks/generate.py (insert_many, seeded, so
every run sees the same data: 60 clients, 24,000 tasks, 1,800 blocks, ...),
then times propose_fill for the week of 2026-11-23 (Europe/Paris, Monday
11:00) and prints the median, best and worst in milliseconds. The
target is a median under 300 ms. Not a test: run it on demand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CLIENTDESK_TODAY", "2026-11-23")
os.environ.setdefault("CLIENTDESK_TZ", "Europe/Paris")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pendulum  # noqa: E402

from clientdesk.config import Settings  # noqa: E402
from clientdesk.db import close_database, open_database  # noqa: E402
from clientdesk.domain.fill import propose_fill  # noqa: E402
from clientdesk.models import Task  # noqa: E402
from generate import generate  # noqa: E402  (benchmarks/generate.py: the one large-database generator)

TODAY = pendulum.date(2026, 11, 23)
TZ = "Europe/Paris"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, default=None, help="database file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="clientdesk-bench-")
    path = args.db or Path(folder) / "bench.db"
    if path.exists():
        path.unlink()
    open_database(path)
    t0 = time.perf_counter()
    counts = generate()
    print(f"generated {counts} in {time.perf_counter() - t0:.1f} s at {path}")
    settings = Settings()
    open_tasks = Task.select().where(Task.status != "done").count()
    print(f"open tasks: {open_tasks}")
    cases = [
        ("this week, Monday 11:00", TODAY, pendulum.datetime(2026, 11, 23, 11, 0, tz=TZ)),
        ("this week, Thursday 15:00", TODAY, pendulum.datetime(2026, 11, 26, 15, 0, tz=TZ)),
        ("a week without blocks", TODAY.add(weeks=40), pendulum.datetime(2026, 11, 23, 11, 0, tz=TZ)),
    ]
    worst_median = 0.0
    for label, monday, now in cases:
        propose_fill(monday, settings, now=now)  # lays the week's routines once, warms the caches
        timings = []
        for _ in range(args.runs):
            t = time.perf_counter()
            proposal = propose_fill(monday, settings, now=now)
            timings.append((time.perf_counter() - t) * 1000)
        median = statistics.median(timings)
        worst_median = max(worst_median, median)
        print(
            f"{label}: median {median:.1f} ms, best {min(timings):.1f} ms, worst {max(timings):.1f} ms ({args.runs} runs); "
            f"{len(proposal.blocks)} blocks, {proposal.proposed_hours:.1f} h proposed, "
            f"{proposal.left_out_count} left out {proposal.left_out_by_reason}"
        )
    print(f"slowest median: {worst_median:.1f} ms ({'under' if worst_median < 300 else 'OVER'} the 300 ms target)")
    close_database()
    if not args.keep and args.db is None:
        for p in Path(folder).iterdir():
            p.unlink()
        os.rmdir(folder)


if __name__ == "__main__":
    main()
