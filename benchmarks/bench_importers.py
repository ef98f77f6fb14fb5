"""Bring-your-data figures for `make bench`: a 100,000-row Toggl Track CSV imported into a fresh desk and
imported again (which must add nothing), and the .ics export of the large database's 1,800 blocks.

    .venv/bin/python benchmarks/bench_importers.py [--runs N] [--rows N]

bench.py runs the same functions (`--only toggl,ics`). The CSV is generated,
seeded, in Toggl's exact shape (BOM, CRLF, quoted descriptions, an Amount
column) and cached in benchmarks/out/data/.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DATA = OUT / "data"
TARGETS = {"toggl_import_s": 10.0, "toggl_reimport_s": 10.0, "ics_s": 0.3}
HEADER = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)"
WORDS = ("review", "design", "call", "fix", "copy", "deploy", "draft", "sync", "plan", "invoice", "test", "notes")


def toggl_csv(path: Path, rows: int, seed: int = 11) -> Path:
    """`rows` entries over 2 years: 20 clients, 5 projects each, a task on one in three, a few tags."""
    if path.exists():
        return path
    rnd = random.Random(seed)
    clients = [f"Client {i:02d}" for i in range(20)]
    lines = [HEADER]
    day0 = 738000  # a Monday in 2021 (ordinal)
    import datetime as dt

    for i in range(rows):
        client = rnd.choice(clients)
        project = f"Project {rnd.randrange(5)}"
        task = f"Task {rnd.randrange(8)}" if rnd.random() < 0.33 else ""
        words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 5)))
        description = f'"{words}, part {i % 7}"' if i % 3 == 0 else words
        day = dt.date.fromordinal(day0 + i * 730 // rows)
        start = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=rnd.randrange(0, 9 * 60))
        minutes = rnd.randint(5, 180)
        end = start + dt.timedelta(minutes=minutes)
        tags = '"dev, ops"' if i % 5 == 0 else ""
        lines.append(f"Ada Lovelace,ada@example.com,{client},{project},{task},{description},"
                     f"{'Yes' if i % 4 else 'No'},{start:%Y-%m-%d},{start:%H:%M:%S},{end:%Y-%m-%d},{end:%H:%M:%S},"
                     f"{minutes // 60:02d}:{minutes % 60:02d}:00,{tags},{minutes * 1.5:.2f}")
    DATA.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one command: on a shared machine the CPU time says more."""
    t, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=OUT)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return elapsed, _cpu() - cpu


def _entries(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM time_entry").fetchone()[0]
    finally:
        con.close()


def _summary(values: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "values": [round(v, 3) for v in values], "unit": "s"}


def bench_toggl(clientdesk: list[str], runs: int, rows: int = 100_000) -> dict[str, Any]:
    """Wall time of `clientdesk import toggl.csv` into a fresh desk, then again into the same desk."""
    csv = toggl_csv(DATA / f"toggl_{rows}.csv", rows)
    target = DATA / "toggl-target.db"
    first, second, first_cpu, second_cpu = [], [], [], []
    added_again = 0
    command = [*clientdesk, "--db", str(target), "--today", "2026-11-23", "import", str(csv), "--timezone", "Europe/Paris"]
    for _ in range(runs):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        seconds, cpu = _run(command)
        first.append(seconds)
        first_cpu.append(cpu)
        before = _entries(target)
        seconds, cpu = _run(command)
        second.append(seconds)
        second_cpu.append(cpu)
        added_again += _entries(target) - before
    return {"rows": rows, "entries": _entries(target), "csv_mb": round(csv.stat().st_size / 1e6, 1),
            "toggl_import_s": _summary(first), "toggl_reimport_s": _summary(second),
            "toggl_import_cpu_s": _summary(first_cpu), "toggl_reimport_cpu_s": _summary(second_cpu),
            "added_again": added_again}


def bench_ics(large_db: Path, runs: int) -> dict[str, Any]:
    """In-process time of the .ics export of every block of the large database (after a warm-up export)."""
    code = (
        "import sys, time\n"
        "from clientdesk.db import open_database\n"
        "from clientdesk.formats.ics import calendar_bytes\n"
        "open_database(sys.argv[1])\n"
        "calendar_bytes()\n"
        "times = []\n"
        f"for _ in range({runs}):\n"
        "    t = time.perf_counter(); data = calendar_bytes(); times.append(time.perf_counter() - t)\n"
        "print(data.count(b'BEGIN:VEVENT'), *times)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(large_db)], capture_output=True, text=True, cwd=OUT,
                          env={**__import__("os").environ, "CLIENTDESK_TZ": "Europe/Paris"})
    if done.returncode != 0:
        raise RuntimeError(f"ics export failed: {done.stderr.strip()}")
    events, *times = done.stdout.split()
    return {"events": int(events), "ics_s": _summary([float(t) for t in times])}


def report_rows(results: dict[str, Any], fmt, verdict) -> list[tuple[str, str, str, str]]:
    rows = []
    if "toggl" in results:
        t = results["toggl"]
        m = t["toggl_import_s"]["median"]
        rows.append((f"Toggl CSV import, {t['rows']:,} rows ({t['csv_mb']} MB)", fmt(m, "s"), "< 10 s",
                     verdict(m < TARGETS["toggl_import_s"])))
        rows.append(("  its CPU time", fmt(t["toggl_import_cpu_s"]["median"], "s"), "", ""))
        m = t["toggl_reimport_s"]["median"]
        rows.append((f"the same again (added {t['added_again']})", fmt(m, "s"), "< 10 s, adds 0",
                     verdict(m < TARGETS["toggl_reimport_s"] and t["added_again"] == 0)))
        rows.append(("  its CPU time", fmt(t["toggl_reimport_cpu_s"]["median"], "s"), "", ""))
    if "ics" in results:
        m = results["ics"]["ics_s"]["median"]
        rows.append((f"ics export, {results['ics']['events']:,} blocks", fmt(m, "s"), "< 0.3 s",
                     verdict(m < TARGETS["ics_s"])))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {"toggl": bench_toggl([sys.executable, "-m", "clientdesk"], args.runs, args.rows)}
    large = DATA / "large.db"
    if large.exists():
        results["ics"] = bench_ics(large, max(args.runs, 5))
    for row in report_rows(results, lambda v, u: f"{v:.3f} {u}", lambda ok: "ok" if ok else "SLOW"):
        print("  ".join(row))


if __name__ == "__main__":
    main()
