"""A large agency's database, deterministic, for the benchmarks and the durability tests.

    .venv/bin/python benchmarks/generate.py --db big.db [--json big.json] [--scale 1.0 | --size 200k] [--seed 42]

At scale 1: 60 clients (4 paused), 5 projects each, 24,000 tasks, 1,800 time
blocks (30 a week over 60 weeks around today), 4,800 time entries, 600 change
requests, 1,200 interactions and 5 routines, around Monday 2026-11-23 in
Europe/Paris. `--scale 0.125` gives 3,000 tasks in proportion (at least one
client). Rows go in with `insert_many` in batches, inside one transaction,
so a run takes a few seconds; the same seed always gives the same rows.

`--json` also writes the whole database as interchange JSON (through
`export_data`), which is what the import benchmark loads.

Client names are `Client 00`, `Client 01`, ... so that a script can spot them
on screen (`CLIENT_NAME_RE`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

if __name__ == "__main__":  # run as a script: the clock and the package as the benchmarks use them
    os.environ.setdefault("CLIENTDESK_TODAY", "2026-11-23")
    os.environ.setdefault("CLIENTDESK_TZ", "Europe/Paris")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pendulum  # noqa: E402

from clientdesk.models import (  # noqa: E402
    ChangeRequest,
    Client,
    Interaction,
    Project,
    Routine,
    Task,
    TimeBlock,
    TimeEntry,
    database,
)

TODAY = pendulum.date(2026, 11, 23)
TZ = "Europe/Paris"
CLIENT_NAME_RE = re.compile(r"Client \d{2}")
PROJECT_NAMES = ("Retainer", "Website", "Brand refresh", "Campaign", "Support")
TAGS = ["", "", "email", "design", "writing", "dev", "admin", "review ops", "calls"]
STATUSES = ["backlog", "todo", "todo", "doing", "review", "done", "done"]
VERBS = ["Draft", "Review", "Fix", "Design", "Write", "Plan", "Ship", "Check", "Update", "Prepare"]
NOUNS = ["landing page", "newsletter", "invoice", "logo", "brief", "report", "banner", "FAQ", "API call", "menu"]
CR_STATUSES = ["new", "new", "assessing", "assessing", "assessing", "approved", "rejected", "done"]
INTERACTION_KINDS = ["email", "call", "meeting", "check-in", "note"]
_BATCH = 1000


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind; the defaults are issue 6's large agency."""

    clients: int = 60
    projects_per_client: int = 5
    tasks: int = 24_000
    blocks: int = 1_800
    time_entries: int = 4_800
    change_requests: int = 600
    interactions: int = 1_200
    routines: int = 5

    def scaled(self, factor: float) -> "Sizes":
        """Every count times `factor` (projects per client unchanged, at least one client)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value if f.name == "projects_per_client" else max(1 if f.name == "clients" else 0, round(value * factor))
        return replace(self, **out)


def _batched(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), _BATCH):
        model.insert_many(rows[start : start + _BATCH]).execute()


def generate(seed: int = 42, sizes: Sizes | None = None) -> dict[str, int]:
    """Write the large agency into the open (empty) database; returns the row counts."""
    sizes = sizes or Sizes()
    rng = random.Random(seed)
    now = pendulum.datetime(2026, 11, 23, 8, tz="UTC")
    zone = pendulum.timezone(TZ)
    with database.atomic():
        Client.insert_many(
            [
                {
                    "name": f"Client {i:02d}",
                    "weekly_target_hours": None if i % 4 == 0 else rng.choice([2, 4, 6, 8, 10]),
                    "weight": rng.choice([0.5, 1.0, 1.0, 1.5, 3.0]),
                    "checkin_every_days": rng.choice([7, 14, 30]),
                    "status": "paused" if i % 15 == 7 else "active",
                    "hourly_rate": rng.choice([None, 60, 75, 90, 120, 150]),
                    "budget_hours_month": rng.choice([None, 10, 20, 40, 60]),
                    "timezone": rng.choice([TZ, TZ, "Europe/London", "America/New_York", "Asia/Shanghai"]),
                    "language": rng.choice(["en", "fr", "tr", "zh"]),
                    "contact": f"contact{i}@client{i:02d}.example",
                }
                for i in range(sizes.clients)
            ]
        ).execute()
        client_ids = [c for (c,) in Client.select(Client.id).order_by(Client.id).tuples()]
        _batched(
            Project,
            [
                {
                    "client": c,
                    "name": n,
                    "budget_hours": rng.choice([None, 40, 80, 120, 200]),
                    "deadline": rng.choice([None, TODAY.add(days=rng.randint(-10, 120))]),
                    "start": TODAY.subtract(days=rng.randint(30, 400)),
                }
                for c in client_ids
                for n in PROJECT_NAMES[: sizes.projects_per_client]
            ],
        )
        projects = list(Project.select(Project.id, Project.client).order_by(Project.id).tuples())
        project_ids = [p for p, _ in projects]
        project_client = dict(projects)

        tasks = []
        for i in range(sizes.tasks):
            created = now.subtract(days=rng.randint(0, 700))
            status = rng.choice(STATUSES)
            tasks.append(
                {
                    "project": project_ids[i % len(project_ids)],
                    "title": f"{rng.choice(VERBS)} {rng.choice(NOUNS)} {i}",
                    "status": status,
                    "priority": rng.randint(1, 4),
                    "due": None if rng.random() < 0.4 else TODAY.add(days=rng.randint(-30, 60)),
                    "estimate_minutes": None if rng.random() < 0.2 else rng.choice([15, 30, 45, 60, 90, 120, 240, 480]),
                    "tags": rng.choice(TAGS),
                    "position": i,
                    "created": created,
                    "updated": created,
                    "completed": created.add(days=rng.randint(0, 30)) if status == "done" else None,
                }
            )
        _batched(Task, tasks)
        task_ids = [t for (t,) in Task.select(Task.id).order_by(Task.id).tuples()]
        tasks_of_client: dict[int, list[int]] = {}
        for i, tid in enumerate(task_ids):
            tasks_of_client.setdefault(project_client[project_ids[i % len(project_ids)]], []).append(tid)

        # blocks: an equal share a week over 60 weeks around today (at random half hours
        # inside working hours, some overlapping, as in real weeks)
        blocks = []
        weeks = 60
        first_monday = TODAY.subtract(weeks=weeks // 2)
        per_week = max(1, sizes.blocks // weeks) if sizes.blocks else 0
        for w in range(weeks):
            monday = first_monday.add(weeks=w)
            for k in range(per_week):
                if len(blocks) >= sizes.blocks:
                    break
                day = monday.add(days=k % 5)
                start = pendulum.datetime(day.year, day.month, day.day, 9, 0, tz=zone).add(minutes=30 * rng.randint(0, 16))
                blocks.append(
                    {
                        "client": client_ids[(w * per_week + k) % len(client_ids)],
                        "start": start,
                        "end": start.add(minutes=rng.choice([30, 60, 90])),
                        "kind": rng.choice(["focus", "batch", "meeting"]),
                    }
                )
        _batched(TimeBlock, blocks)

        entries = []
        for _ in range(sizes.time_entries):
            cid = rng.choice(client_ids)
            day = TODAY.subtract(days=rng.randint(0, 120))
            start = pendulum.datetime(day.year, day.month, day.day, 9, 0, tz=zone).add(minutes=15 * rng.randint(0, 32))
            own = tasks_of_client.get(cid)
            entries.append(
                {
                    "client": cid,
                    "task": rng.choice(own) if own and rng.random() < 0.7 else None,
                    "start": start,
                    "minutes": rng.choice([15, 30, 45, 60, 90, 120, 180]),
                    "billable": rng.random() < 0.85,
                    "invoiced": day < TODAY.start_of("month"),
                    "note": "",
                }
            )
        _batched(TimeEntry, entries)

        changes = []
        for k in range(sizes.change_requests):
            status = rng.choice(CR_STATUSES)
            assessed = status != "new" or rng.random() < 0.5
            received = TODAY.subtract(days=rng.randint(0, 90))
            decided = status in ("approved", "rejected", "done")
            changes.append(
                {
                    "project": project_ids[k % len(project_ids)],
                    "title": f"Change {k}: {rng.choice(VERBS).lower()} the {rng.choice(NOUNS)}",
                    "description": "Requested by the client during the weekly call.",
                    "requested_by": rng.choice(["", "CEO", "marketing", "ops"]),
                    "received_on": received,
                    "status": status,
                    "impact_hours": rng.choice([2, 4, 6, 8, 12, 20]) if assessed and status != "rejected" else None,
                    "impact_days": rng.choice([0, 1, 2, 5]) if assessed and status != "rejected" else None,
                    "decision_note": "out of scope" if status == "rejected" else "",
                    "decided_on": received.add(days=rng.randint(0, 5)) if decided else None,
                }
            )
        _batched(ChangeRequest, changes)

        _batched(
            Interaction,
            [
                {
                    "client": client_ids[k % len(client_ids)],
                    "on": TODAY.subtract(days=rng.randint(0, 120)),
                    "kind": rng.choice(INTERACTION_KINDS),
                    "summary": f"{rng.choice(['Weekly call', 'Sent the report', 'Feedback on drafts', 'Check-in'])} ({k})",
                }
                for k in range(sizes.interactions)
            ],
        )
        if sizes.routines:
            Routine.insert_many(
                [
                    {"client": client_ids[i % len(client_ids)], "weekday": i % 5, "start_time": "09:00", "minutes": 30,
                     "anchor": TODAY.subtract(weeks=4), "timezone": TZ, "kind": "meeting", "note": "stand-up"}
                    for i in range(1, sizes.routines + 1)
                ]
            ).execute()
    return counts()


def counts() -> dict[str, int]:
    """Rows per table of the open database (the generator's kinds)."""
    return {
        "clients": Client.select().count(),
        "projects": Project.select().count(),
        "tasks": Task.select().count(),
        "blocks": TimeBlock.select().count(),
        "time_entries": TimeEntry.select().count(),
        "change_requests": ChangeRequest.select().count(),
        "interactions": Interaction.select().count(),
        "routines": Routine.select().count(),
    }


def write_interchange(path: str | os.PathLike) -> Path:
    """The open database as interchange JSON (what `clientdesk export-json` writes)."""
    from clientdesk.domain.interchange import export_data

    target = Path(path)
    target.write_text(json.dumps(export_data(), ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def build(db_path: str | os.PathLike, *, json_path: str | os.PathLike | None = None, seed: int = 42,
          sizes: Sizes | None = None, replace_existing: bool = True) -> dict[str, int]:
    """Create the database file (and the JSON) from scratch; the database is closed afterwards."""
    from clientdesk.db import close_database, open_database

    db_path = Path(db_path)
    if replace_existing:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    open_database(db_path)
    try:
        result = generate(seed, sizes)
        if json_path is not None:
            write_interchange(json_path)
    finally:
        close_database()
    return result


#: the sizes `make bench` measures (`--sizes` picks some): issue 6's agency, then
#: the same agency with 100,000 and 200,000 tasks, and 500 clients sharing 100,000
SIZES = {
    "24k": Sizes(),
    "100k": replace(Sizes(), tasks=100_000),
    "200k": replace(Sizes(), tasks=200_000),
    "500c": replace(Sizes(), tasks=100_000, clients=500),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="database file to (re)create")
    parser.add_argument("--json", type=Path, default=None, help="also write the data as interchange JSON here")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1: 24,000 tasks)")
    parser.add_argument("--size", choices=sorted(SIZES), default=None, help="one of the benchmark's sizes instead of --scale")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    t0 = time.perf_counter()
    sizes = SIZES[args.size] if args.size else Sizes().scaled(args.scale)
    result = build(args.db, json_path=args.json, seed=args.seed, sizes=sizes)
    print(f"generated {result} in {time.perf_counter() - t0:.1f} s at {args.db}")


if __name__ == "__main__":
    main()
