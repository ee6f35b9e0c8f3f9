"""A province-sized annual run: jijiao's speed against the bare SQLite floor, on the same file.

Run:  .venv/bin/python bench/province.py                 400,000 practitioners, ~8 million activities
      .venv/bin/python bench/province.py --quick         20,000 practitioners (~400,000 activities)
      .venv/bin/python bench/province.py --size 40000    any size (one result file per size)

Steps, each announced on stderr:

1. *generate* a year with the demo generator (`jijiao.demo`), the four jurisdictions in the
   demo's mix, each practitioner's year topped up to about ``--per-practitioner`` activities
   (a province's office sees some 20 a year; the demo alone draws about 8). The database is
   kept under ``--workdir`` and reused when it already holds that population.
2. *floor*: read every activity row of the year and write one result row per activity and
   one per practitioner with plain ``sqlite3`` ``executemany`` in one transaction -- no rules.
   This is what any assessment has to pay for the reading and writing alone.
3. *jijiao*: the full ``jijiao assess`` command on the same database (the CLI's own code path).
4. *dispatch*: per-activity rule cost with the four jurisdictions vs. 300 extra installed ones
   (bench/dispatch.py).

Steps 2 and 3 each run in a fresh subprocess, so each one's peak memory (RSS high-water mark)
is its own. The figures are printed and written to ``bench/results/province-<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZE = 400_000
QUICK_SIZE = 20_000
YEAR = 2026
AS_OF = "2027-03-31"  # deadlines judged as of a fixed day, so runs compare over time
FLOOR_TABLES = ("bench_floor_awards", "bench_floor_results")
BATCH = 20_000


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --------------------------------------------------------------------------------------------
# 1. The population
# --------------------------------------------------------------------------------------------


def busier_population(per_practitioner: int):
    """The demo's years, each topped up to about ``per_practitioner`` activities with more of the
    activities that year already has (a busy practitioner does more of the same things)."""
    import attrs

    from jijiao import demo

    class ProvinceYear(demo.Demo):
        def activities_written(self, practitioner, activities):
            if not activities:
                return activities
            extra = max(0, round(self.rng.gauss(per_practitioner, 3)) - len(activities))
            start = len(activities) + 1
            return activities + [
                attrs.evolve(self.rng.choice(activities), id=self.activity_id(practitioner, number))
                for number in range(start, start + extra)
            ]

    return ProvinceYear


def database_path(args) -> Path:
    return Path(args.workdir) / f"province-{args.size}-{args.per_practitioner}-s{args.seed}.db"


def generate(args) -> dict:
    """Build the year, or reuse a database that already holds it; counts and seconds."""
    from jijiao import demo, storage

    path = database_path(args)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = storage.connect(path)
    people = db.execute("SELECT count(*) FROM practitioners").fetchone()[0]
    if people == args.size and not args.fresh:
        activities = db.execute("SELECT count(*) FROM activities WHERE year = ?", (YEAR,)).fetchone()[0]
        say(f"[1/4] reusing {path} ({people:,} practitioners, {activities:,} activities)")
        return {"practitioners": people, "activities": activities, "seconds": None, "reused": True}
    say(f"[1/4] generating {args.size:,} practitioners × ~{args.per_practitioner} activities into {path}")
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 20_000 < n or done[0] == args.size:
            say(f"      generated {done[0]:,} / {args.size:,} practitioners")

    counts = demo.build(db, args.size, args.seed, YEAR, progress=progress,
                        demo_class=busier_population(args.per_practitioner))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("ANALYZE")
    say(f"      {counts['activities']:,} activities in {counts['seconds']:.0f} s")
    return {"practitioners": counts["practitioners"], "activities": counts["activities"],
            "seconds": round(counts["seconds"], 1), "reused": False}


# --------------------------------------------------------------------------------------------
# 2. The floor (run in its own process: `--phase floor`)
# --------------------------------------------------------------------------------------------


def floor(path: Path) -> dict:
    """Read every activity of the year, write a row per activity and per practitioner; no rules.

    The rows have the shape of jijiao's main results (an award per activity, a verdict per
    practitioner) and the same index, so the floor pays what jijiao pays for I/O and no more.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")
    for table in FLOOR_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("CREATE TABLE bench_floor_awards (run INTEGER, activity TEXT, practitioner TEXT, year INTEGER, "
                 "kind TEXT, status TEXT, credits REAL, category TEXT, clauses TEXT, explanation TEXT)")
    conn.execute("CREATE TABLE bench_floor_results (run INTEGER, practitioner TEXT, year INTEGER, activities INTEGER, "
                 "earned REAL, verdict TEXT)")
    conn.execute("CREATE INDEX bench_floor_awards_run ON bench_floor_awards (run, practitioner)")
    conn.execute("CREATE INDEX bench_floor_results_run ON bench_floor_results (run, practitioner)")
    award_sql = "INSERT INTO bench_floor_awards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    result_sql = "INSERT INTO bench_floor_results VALUES (?, ?, ?, ?, ?, ?)"
    started = time.perf_counter()
    conn.execute("BEGIN")
    cursor = conn.execute("SELECT * FROM activities WHERE year = ? ORDER BY practitioner, date, id", (YEAR,))
    names = [d[0] for d in cursor.description]
    at = {name: names.index(name) for name in ("id", "practitioner", "year", "kind", "certified_credits", "category")}
    awards, results = [], []
    current, count, earned, activities = None, 0, 0.0, 0
    while rows := cursor.fetchmany(BATCH):
        for row in rows:
            who = row[at["practitioner"]]
            if who != current:
                if current is not None:
                    results.append((1, current, YEAR, count, earned, "合格"))
                current, count, earned = who, 0, 0.0
            credits = row[at["certified_credits"]] or 0.0
            count += 1
            earned += credits
            awards.append((1, row[at["id"]], who, row[at["year"]], row[at["kind"]], "授予", credits,
                           row[at["category"]], "[]", ""))
        activities += len(rows)
        conn.executemany(award_sql, awards)
        conn.executemany(result_sql, results)
        awards.clear()
        results.clear()
        if activities % (BATCH * 25) < BATCH:
            say(f"      floor: {activities:,} activities")
    if current is not None:
        conn.execute(result_sql, (1, current, YEAR, count, earned, "合格"))
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    practitioners = conn.execute("SELECT count(*) FROM bench_floor_results").fetchone()[0]
    for table in FLOOR_TABLES:  # not part of the measurement: leave the file as it was
        conn.execute(f"DROP TABLE {table}")
    conn.close()
    return {"seconds": round(seconds, 2), "activities": activities, "practitioners": practitioners,
            "rows_written": activities + practitioners, "peak_rss_mb": peak_rss_mb()}


# --------------------------------------------------------------------------------------------
# 3. jijiao assess (run in its own process: `--phase jijiao`)
# --------------------------------------------------------------------------------------------


def assess(path: Path, workers: int | None) -> dict:
    """`jijiao assess --db PATH --year 2026` through the CLI itself, timed from the outside.

    With worker processes, the peak memory is this process's plus, for each worker, the
    largest worker's (an upper bound of their sum, since they run at the same time).
    """
    from jijiao import annual, storage
    from jijiao.cli import cli

    db = storage.connect(path)
    with db.atomic():  # start from a file without runs, as the first assessment of a year does (not timed)
        for (name,) in db.execute("SELECT name FROM runs WHERE year = ?", (YEAR,)).fetchall():
            annual.delete_run(db, name, YEAR)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    used = annual.choose_workers(db, workers)
    command = ["assess", "--db", str(path), "--year", str(YEAR), "--as-of", AS_OF]
    started = time.perf_counter()
    stdout = sys.stdout
    sys.stdout = sys.stderr  # the command's summary lines go to the log, our JSON to stdout
    try:
        cli.main(command + (["--workers", str(workers)] if workers else []), standalone_mode=False)
    finally:
        sys.stdout = stdout
    seconds = time.perf_counter() - started
    own = peak_rss_mb()
    worker_peak = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1) if used > 1 else 0.0
    run = db.execute_returning_dicts("SELECT * FROM runs WHERE name = 'baseline' AND year = ?", (YEAR,))[0]
    rows = {table: db.execute(f"SELECT count(*) FROM [{table}] WHERE run = ?", (run["id"],)).fetchone()[0]
            for table in ("credit_awards", "annual_results", "requirement_results", "cap_applications",
                          "findings", "deadlines", "recognitions")}
    return {"seconds": round(seconds, 2), "run_seconds": run["seconds"], "activities": run["activities"],
            "practitioners": run["practitioners"], "pass_rate": run["pass_rate"], "rows_written": sum(rows.values()),
            "rows_by_table": rows, "workers": used, "main_process_peak_rss_mb": own,
            "worker_peak_rss_mb": worker_peak, "peak_rss_mb": round(own + (used if used > 1 else 0) * worker_peak, 1)}


def in_subprocess(phase: str, path: Path, workers: int | None = None) -> dict:
    say(f"      (a fresh process: {phase})")
    extra = ["--workers", str(workers)] if workers else []
    done = subprocess.run([sys.executable, __file__, "--phase", phase, "--db", str(path), *extra],
                          stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout)


# --------------------------------------------------------------------------------------------
# 4. Dispatch cost and the report
# --------------------------------------------------------------------------------------------


def dispatch_figures(activities: int) -> dict:
    sys.path.insert(0, str(HERE))
    import dispatch

    from jijiao.plugins import Registry

    plain, crowded = Registry(), dispatch.registry_with_dummies(300)
    figures = {
        "installed_plain": len(plain.jurisdictions),
        "installed_crowded": len(crowded.jurisdictions),
        "us_per_activity_plain": round(dispatch.per_activity_us(plain, activities), 2),
        "us_per_activity_crowded": round(dispatch.per_activity_us(crowded, activities), 2),
    }
    figures["ratio"] = round(figures["us_per_activity_crowded"] / figures["us_per_activity_plain"], 3)
    return figures


def rate(part: dict) -> float:
    return round(part["activities"] / part["seconds"]) if part["seconds"] else 0.0


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip() or None
    except OSError:
        return None


def report(args, generated: dict, floor_part: dict, jijiao_part: dict, dispatch_part: dict) -> dict:
    floor_part["activities_per_second"] = rate(floor_part)
    jijiao_part["activities_per_second"] = rate(jijiao_part)
    ratio = round(jijiao_part["seconds"] / floor_part["seconds"], 2) if floor_part["seconds"] else None
    return {
        "size": args.size,
        "per_practitioner": args.per_practitioner,
        "seed": args.seed,
        "year": YEAR,
        "practitioners": generated["practitioners"],
        "activities": generated["activities"],
        "generate_seconds": generated["seconds"],
        "floor": floor_part,
        "jijiao": jijiao_part,
        "ratio": ratio,
        "dispatch": dispatch_part,
        "targets": {
            "jijiao_within_2x_floor": ratio is not None and ratio <= 2.0,
            "peak_rss_under_1gb": jijiao_part["peak_rss_mb"] < 1024,
            "dispatch_within_1_1x": dispatch_part["ratio"] <= 1.1,
        },
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform()},
        "commit": git_commit(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def summary_lines(result: dict) -> list[str]:
    f, j, d = result["floor"], result["jijiao"], result["dispatch"]
    return [
        f"size {result['practitioners']:,} practitioners, {result['activities']:,} activities",
        f"floor   {f['activities_per_second']:>10,.0f} activities/s  {f['seconds']:>8.1f} s  peak {f['peak_rss_mb']:.0f} MB",
        f"jijiao  {j['activities_per_second']:>10,.0f} activities/s  {j['seconds']:>8.1f} s  peak {j['peak_rss_mb']:.0f} MB"
        f"  ({j['rows_written']:,} result rows, {j['workers']} process{'es' if j['workers'] > 1 else ''})",
        f"ratio jijiao / floor {result['ratio']}×  (target ≤ 2×)",
        f"dispatch {d['us_per_activity_plain']} µs/activity with {d['installed_plain']} jurisdictions, "
        f"{d['us_per_activity_crowded']} µs with {d['installed_crowded']}: {d['ratio']}×  (target ≤ 1.1×)",
    ]


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="practitioners (default 400,000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE:,} practitioners")
    parser.add_argument("--per-practitioner", type=int, default=20, help="activities per practitioner, on average")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=str(HERE / "data"), help="where the databases are kept")
    parser.add_argument("--out", default=str(HERE / "results"), help="where the JSON result goes")
    parser.add_argument("--fresh", action="store_true", help="generate again even if the database exists")
    parser.add_argument("--generate-only", action="store_true", help="build (or find) the database and stop")
    parser.add_argument("--workers", type=int, help="jijiao assess --workers (default: its own choice)")
    parser.add_argument("--dispatch-activities", type=int, default=20_000)
    parser.add_argument("--phase", choices=["floor", "jijiao"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:  # a measuring child: one JSON object on stdout
        part = floor(Path(args.db)) if args.phase == "floor" else assess(Path(args.db), args.workers)
        print(json.dumps(part))
        return None
    if args.quick:
        args.size = QUICK_SIZE
    generated = generate(args)
    path = database_path(args)
    if args.generate_only:
        return None
    say("[2/4] floor: plain sqlite3 read + executemany, no rules")
    floor_part = in_subprocess("floor", path)
    say(f"      {floor_part['seconds']:.1f} s")
    say("[3/4] jijiao assess")
    jijiao_part = in_subprocess("jijiao", path, args.workers)
    say(f"      {jijiao_part['seconds']:.1f} s")
    say("[4/4] dispatch cost, 4 vs 304 installed jurisdictions")
    result = report(args, generated, floor_part, jijiao_part, dispatch_figures(args.dispatch_activities))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"province-{args.size}{f'-workers{args.workers}' if args.workers else ''}.json"
    target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    for line in summary_lines(result):
        print(line)
    print(f"written {target}")
    return result


if __name__ == "__main__":
    main()
