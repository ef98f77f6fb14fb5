"""Benchmark "fill my week" on a large database: 60 clients, 24,000 tasks, 1,800 blocks.

    .venv/bin/python benchmarks/bench_fill.py [--runs 15] [--db PATH] [--keep]

Generates the database with insert_many (seeded, so every run sees the same
data), then times propose_fill for the week of 2026-11-23 (Europe/Paris,
Monday 11:00) and prints the median, best and worst in milliseconds. The
target is a median under 300 ms. Not a test: run it on demand.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CLIENTDESK_TODAY", "2026-11-23")
os.environ.setdefault("CLIENTDESK_TZ", "Europe/Paris")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pendulum  # noqa: E402

from clientdesk.config import Settings  # noqa: E402
from clientdesk.db import close_database, open_database  # noqa: E402
from clientdesk.domain.fill import propose_fill  # noqa: E402
from clientdesk.models import Client, Project, Routine, Task, TimeBlock, database  # noqa: E402

CLIENTS = 60
TASKS = 24_000
BLOCKS = 1_800
TODAY = pendulum.date(2026, 11, 23)
TZ = "Europe/Paris"
TAGS = ["", "", "email", "design", "writing", "dev", "admin", "review ops", "calls"]
STATUSES = ["backlog", "todo", "todo", "doing", "review", "done", "done"]


def generate(seed: int = 42) -> dict[str, int]:
    rng = random.Random(seed)
    now = pendulum.datetime(2026, 11, 23, 8, tz="UTC")
    with database.atomic():
        Client.insert_many(
            [
                {
                    "name": f"Client {i:02d}",
                    "weekly_target_hours": None if i % 4 == 0 else rng.choice([2, 4, 6, 8, 10]),
                    "weight": rng.choice([0.5, 1.0, 1.0, 1.5, 3.0]),
                    "checkin_every_days": rng.choice([7, 14, 30]),
                    "status": "paused" if i % 15 == 7 else "active",
                }
                for i in range(CLIENTS)
            ]
        ).execute()
        client_ids = [c for (c,) in Client.select(Client.id).order_by(Client.id).tuples()]
        Project.insert_many([{"client": c, "name": n} for c in client_ids for n in ("Retainer", "Website")]).execute()
        project_ids = [p for (p,) in Project.select(Project.id).order_by(Project.id).tuples()]
        rows = []
        for i in range(TASKS):
            created = now.subtract(days=rng.randint(0, 700))
            rows.append(
                {
                    "project": project_ids[i % len(project_ids)],
                    "title": f"Task {i}",
                    "status": rng.choice(STATUSES),
                    "priority": rng.randint(1, 4),
                    "due": None if rng.random() < 0.4 else TODAY.add(days=rng.randint(-30, 60)),
                    "estimate_minutes": None if rng.random() < 0.2 else rng.choice([15, 30, 45, 60, 90, 120, 240, 480]),
                    "tags": rng.choice(TAGS),
                    "position": i,
                    "created": created,
                    "updated": created,
                }
            )
        for start in range(0, len(rows), 2000):
            Task.insert_many(rows[start : start + 2000]).execute()
        # 1,800 blocks: 30 a week over 60 weeks around today (6 a day at random
        # half hours inside working hours, some overlapping, as in real weeks)
        zone = pendulum.timezone(TZ)
        blocks = []
        first_monday = TODAY.subtract(weeks=30)
        per_week = BLOCKS // 60
        for w in range(60):
            monday = first_monday.add(weeks=w)
            for k in range(per_week):
                day = monday.add(days=k % 5)
                start = pendulum.datetime(day.year, day.month, day.day, 9, 0, tz=zone).add(minutes=30 * rng.randint(0, 16))
                blocks.append(
                    {
                        "client": client_ids[(w * per_week + k) % CLIENTS],
                        "start": start,
                        "end": start.add(minutes=rng.choice([30, 60, 90])),
                        "kind": rng.choice(["focus", "batch", "meeting"]),
                    }
                )
        for start in range(0, len(blocks), 500):
            TimeBlock.insert_many(blocks[start : start + 500]).execute()
        Routine.insert_many(
            [
                {"client": client_ids[i], "weekday": i % 5, "start_time": "09:00", "minutes": 30, "anchor": TODAY.subtract(weeks=4),
                 "timezone": TZ, "kind": "meeting", "note": "stand-up"}
                for i in range(1, 6)
            ]
        ).execute()
    return {"clients": Client.select().count(), "tasks": Task.select().count(), "blocks": TimeBlock.select().count()}


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
