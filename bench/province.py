"""A province-sized annual run: jijiao's speed against SQLite floors, on the same file, in one run.

Run:  .venv/bin/python bench/province.py                 400,000 practitioners, ~8 million activities
      .venv/bin/python bench/province.py --quick         20,000 practitioners (~400,000 activities)
      .venv/bin/python bench/province.py --size 40000    any size (the database is kept per size)
      ... --rounds 3                                     interleaved rounds; medians (default 3)
      ... --workers N                                    the N of the N-process runs (default: jijiao's choice)

Steps, each announced on stderr:

1. *generate* a year with the demo generator (`jijiao.demo`), the four jurisdictions in the
   demo's mix, each practitioner's year topped up to about ``--per-practitioner`` activities
   (a province's office sees some 20 a year; the demo alone draws about 8). The database is
   kept under ``--workdir`` and reused when it already holds that population.
2. *rounds*: each round measures, each in a fresh process (so each peak memory is its own),
   in this order so that the two sides of a ratio run close together:
   - ``floor-1``: the bench's first floor -- read every activity row, write one narrow row per
     activity and one per practitioner with plain ``sqlite3`` ``executemany``; no rules.
   - ``jijiao-1``: the full ``jijiao assess`` command (the CLI's own code) with one process,
     after deleting every earlier run (not timed). In the first round its result tables are
     measured (bytes in the file, `fair_floor.table_bytes`) and sampled for the fair floor
     (`fair_floor.calibrate`).
   - ``what-if-1``: ``jijiao assess --set liaoning.annual_credits=30`` after that baseline.
   - ``fair-floor-1``: the same result rows and bytes as jijiao-1 wrote, without rules
     (bench/fair_floor.py), one process.
   - ``jijiao-N``, ``what-if-N``, ``fair-floor-N``: the same with N processes (when N > 1).
   Ratios are taken pair by pair within a round, then the median over the rounds.
3. *dispatch*: per-activity rule cost with the four jurisdictions vs. 300 extra installed ones
   (bench/dispatch.py).

The figures are printed and written to ``bench/results/province-<size>-<date>.json`` (a new
file each run: earlier results are kept).
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
sys.path.insert(0, str(HERE))

import fair_floor  # noqa: E402  (bench/fair_floor.py)
DEFAULT_SIZE = 400_000
QUICK_SIZE = 20_000
YEAR = 2026
AS_OF = "2027-03-31"  # deadlines judged as of a fixed day, so runs compare over time
FLOOR_TABLES = ("bench_floor_awards", "bench_floor_results")
WHAT_IF = "liaoning.annual_credits=30"  # the README's example what-if: Liaoning's yearly total
# Result bytes per activity (result tables and their indexes in the file) of `jijiao assess` on
# the 40,000 year, core and plugins as at commit f77034e, measured 1 December 2026
# (bench/results/province-40000-2026-12-01.json): the reference of issue 16's target of a third.
REFERENCE_BYTES_PER_ACTIVITY = 492.5
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
        say(f"[1/3] reusing {path} ({people:,} practitioners, {activities:,} activities)")
        return {"practitioners": people, "activities": activities, "seconds": None, "reused": True}
    say(f"[1/3] generating {args.size:,} practitioners × ~{args.per_practitioner} activities into {path}")
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
    started, cpu_before = time.perf_counter(), fair_floor.cpu_seconds()
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
    cpu = fair_floor.cpu_seconds() - cpu_before
    practitioners = conn.execute("SELECT count(*) FROM bench_floor_results").fetchone()[0]
    sizes = fair_floor.table_bytes(conn, list(FLOOR_TABLES))
    for table in FLOOR_TABLES:  # not part of the measurement: leave the file as it was
        conn.execute(f"DROP TABLE {table}")
    conn.close()
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "workers": 1, "activities": activities,
            "practitioners": practitioners, "rows_written": activities + practitioners,
            "result_file_bytes": sum(s["file_bytes"] for s in sizes.values()),
            "result_row_payload_bytes": sum(s["row_payload_bytes"] for s in sizes.values()),
            "peak_rss_mb": peak_rss_mb()}


# --------------------------------------------------------------------------------------------
# 3. jijiao assess (run in its own process: `--phase jijiao`)
# --------------------------------------------------------------------------------------------


def assess(path: Path, workers: int | None, what_if: str | None = None, measure_bytes: bool = False) -> dict:
    """`jijiao assess --db PATH --year 2026` through the CLI itself, timed from the outside.

    A full run first deletes every earlier run of the year (not timed), as the first assessment
    of a year does. A what-if (``what_if``: ``plugin.key=value``) runs after a baseline, as a
    user runs one: only an earlier run of the same what-if is deleted, the baseline stays.
    With worker processes, the peak memory is this process's plus, for each worker, the
    largest worker's (an upper bound of their sum, since they run at the same time).
    ``measure_bytes``: afterwards (not timed) the size of the result tables in the file.
    """
    from jijiao import annual, result_texts, storage
    from jijiao.cli import cli

    db = storage.connect(path)
    name = what_if or annual.BASELINE
    with db.atomic():  # not timed
        for (earlier,) in db.execute("SELECT name FROM runs WHERE year = ?", (YEAR,)).fetchall():
            if what_if is None or earlier == name:
                annual.delete_run(db, earlier, YEAR)
        if what_if is None:  # the texts only the deleted runs used: a first run starts without them
            result_texts.prune(db.conn)
    if what_if is not None and not db.execute("SELECT 1 FROM runs WHERE name = ? AND year = ?",
                                              (annual.BASELINE, YEAR)).fetchone():
        raise SystemExit(f"{path}: a what-if is timed after a baseline run, and there is none")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    used = annual.choose_workers(db, workers)
    command = ["assess", "--db", str(path), "--year", str(YEAR), "--as-of", AS_OF]
    command += ["--set", what_if] if what_if else []
    command += ["--workers", str(workers)] if workers else []
    started, cpu_before = time.perf_counter(), fair_floor.cpu_seconds()
    stdout = sys.stdout
    sys.stdout = sys.stderr  # the command's summary lines go to the log, our JSON to stdout
    try:
        cli.main(command, standalone_mode=False)
    finally:
        sys.stdout = stdout
    seconds = time.perf_counter() - started
    cpu = fair_floor.cpu_seconds() - cpu_before
    own = peak_rss_mb()
    worker_peak = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1) if used > 1 else 0.0
    run = db.execute_returning_dicts("SELECT * FROM runs WHERE name = ? AND year = ?", (name, YEAR))[0]
    tables = fair_floor.result_tables(db.conn)
    rows = {table: fair_floor.rows_of_run(db.conn, table, run["id"]) for table in tables}
    part = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "run_seconds": run["seconds"],
            "activities": run["activities"], "practitioners": run["practitioners"], "pass_rate": run["pass_rate"],
            "rows_written": sum(rows.values()), "rows_by_table": {fair_floor.shown(t): n for t, n in rows.items()},
            "workers": used,
            "main_process_peak_rss_mb": own, "worker_peak_rss_mb": worker_peak,
            "peak_rss_mb": round(own + (used if used > 1 else 0) * worker_peak, 1)}
    if measure_bytes and what_if is None:  # the only run in the tables now: their size is this run's
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sizes = fair_floor.table_bytes(db.conn, tables)
        part["result_bytes_by_table"] = {fair_floor.shown(t): {**sizes[t], "rows": rows[t]} for t in tables}
        part["result_file_bytes"] = sum(v["file_bytes"] for v in sizes.values())
        part["result_row_payload_bytes"] = sum(v["row_payload_bytes"] for v in sizes.values())
    return part


def calibration_path(path: Path) -> Path:
    return path.with_suffix(".fair-floor.json")


def in_subprocess(phase: str, path: Path, workers: int | None = None, *extra: str) -> dict:
    """One measurement in a fresh process (its peak memory is its own); its JSON answer."""
    say(f"      (a fresh process: {phase}{f', {workers} process(es)' if workers else ''} {' '.join(extra)})")
    options = ["--workers", str(workers)] if workers else []
    load_before = os.getloadavg()[0]
    done = subprocess.run([sys.executable, __file__, "--phase", phase, "--db", str(path), *options, *extra],
                          stdout=subprocess.PIPE, text=True, check=True)
    # The machine's 1-minute load average before and after: on a shared machine, how busy it was.
    return json.loads(done.stdout) | {"load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}


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


def git_commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return (done.stdout.strip() + ("+changes" if dirty else "")) or None
    except OSError:
        return None


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def spread(values: list[float], digits: int = 2) -> dict:
    return {"median": round(median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "runs": len(values)}


def phase_names(workers: int) -> list[str]:
    """The measurements of one round, in the order they run: each pair's two sides close in time."""
    names = ["floor-1", "jijiao-1", "what-if-1", "fair-floor-1"]
    return names + ([f"jijiao-{workers}", f"what-if-{workers}", f"fair-floor-{workers}"] if workers > 1 else [])


def ratio_pairs(workers: int) -> list[tuple[str, str, str]]:
    """(numerator, denominator, what the ratio says)."""
    n = workers
    pairs = [
        ("jijiao-1", "floor-1", "jijiao, one process, against the bench's first floor (narrow rows, no rules)"),
        ("jijiao-1", "fair-floor-1", "jijiao, one process, against the same rows and bytes written without rules"),
        ("fair-floor-1", "floor-1", "what writing jijiao's rows instead of the narrow ones costs, with no rules"),
        ("what-if-1", "jijiao-1", f"a what-if ({WHAT_IF}) after a baseline, against the full run, one process"),
    ]
    if n > 1:
        pairs += [
            (f"jijiao-{n}", f"fair-floor-{n}", f"jijiao, {n} processes, against the fair floor with {n} processes"),
            (f"jijiao-{n}", "floor-1", f"the bench's old headline: jijiao with {n} processes against the one-process floor"),
            (f"what-if-{n}", f"jijiao-{n}", f"a what-if after a baseline, against the full run, {n} processes"),
            ("jijiao-1", f"jijiao-{n}", f"what {n} processes gain over one (wall time)"),
            ("fair-floor-1", f"fair-floor-{n}", f"what {n} processes gain the fair floor"),
        ]
    return pairs


def measure_round(path: Path, workers: int, first: bool) -> dict:
    parts = {}
    for name in phase_names(workers):
        kind, n = name.rsplit("-", 1)
        n = int(n)
        say(f"      {name}")
        if kind == "floor":
            parts[name] = in_subprocess("floor", path)
        elif kind == "jijiao":
            parts[name] = in_subprocess("jijiao", path, n, *(["--measure-bytes"] if first else []))
            if first and n == 1:  # the fair floor's rows are this run's rows
                say("      calibrating the fair floor on this run's rows")
                in_subprocess("calibrate", path)
        elif kind == "what-if":
            parts[name] = in_subprocess("what-if", path, n)
        else:
            parts[name] = in_subprocess("fair", path, n)
        say(f"        {parts[name]['seconds']:.1f} s, peak {parts[name]['peak_rss_mb']:.0f} MB")
    return parts


def bytes_figures(first: dict, activities: int, workers: int) -> dict:
    j, fair, fl = first["jijiao-1"], first["fair-floor-1"], first["floor-1"]
    per = lambda part, key="result_file_bytes": round(part[key] / activities, 1)  # noqa: E731
    figures = {
        "jijiao_per_activity": per(j),
        "jijiao_row_payload_per_activity": per(j, "result_row_payload_bytes"),
        "fair_floor_per_activity": per(fair),
        "floor_per_activity": per(fl),
        "jijiao_over_floor": round(j["result_file_bytes"] / fl["result_file_bytes"], 2),
        "fair_floor_over_jijiao": round(fair["result_file_bytes"] / j["result_file_bytes"], 3),
        "by_table": {
            table: {**v, "bytes_per_row": round(v["row_payload_bytes"] / v["rows"], 1) if v["rows"] else None}
            for table, v in j["result_bytes_by_table"].items()
        },
        "reference_per_activity": REFERENCE_BYTES_PER_ACTIVITY,
    }
    if workers > 1 and "result_file_bytes" in first.get(f"jijiao-{workers}", {}):
        figures[f"jijiao_{workers}_per_activity"] = per(first[f"jijiao-{workers}"])
    return figures


def report(args, generated: dict, workers: int, rounds: list[dict], dispatch_part: dict) -> dict:
    activities = generated["activities"]
    phases = {}
    for name in rounds[0]:
        runs = [r[name] for r in rounds]
        phases[name] = {
            "workers": runs[0]["workers"],
            "seconds": spread([r["seconds"] for r in runs]),
            "cpu_seconds": spread([r["cpu_seconds"] for r in runs]),
            "us_per_activity_wall": round(median([r["seconds"] for r in runs]) / activities * 1e6, 2),
            "us_per_activity_cpu": round(median([r["cpu_seconds"] for r in runs]) / activities * 1e6, 2),
            "activities_per_second": round(activities / median([r["seconds"] for r in runs])),
            "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs),
            "rows_written": runs[0]["rows_written"],
        }
    ratios = {}
    for top, bottom, meaning in ratio_pairs(workers):
        each = [r[top]["seconds"] / r[bottom]["seconds"] for r in rounds]  # pair by pair, within a round
        cpu = [r[top]["cpu_seconds"] / r[bottom]["cpu_seconds"] for r in rounds]
        ratios[f"{top} / {bottom}"] = {**spread(each), "cpu": spread(cpu), "compares": meaning}
    n = workers
    full = f"jijiao-{n}"
    sizes = bytes_figures(rounds[0], activities, n)
    peak = max(phases[name]["peak_rss_mb_max"] for name in phases if name.split("-")[0] in ("jijiao", "what"))
    result = {
        "size": args.size,
        "per_practitioner": args.per_practitioner,
        "seed": args.seed,
        "year": YEAR,
        "practitioners": generated["practitioners"],
        "activities": activities,
        "generate_seconds": generated["seconds"],
        "workers": n,
        "what_if": WHAT_IF,
        "rounds_run": len(rounds),
        "phases": phases,
        "ratios": ratios,
        "result_bytes": sizes,
        "dispatch": dispatch_part,
        # The first bench's fields, kept so the old and new JSON read alike.
        "floor": rounds[0]["floor-1"] | {"seconds": phases["floor-1"]["seconds"]["median"]},
        "jijiao": rounds[0][full] | {"seconds": phases[full]["seconds"]["median"]},
        "ratio": ratios.get(f"{full} / floor-1", ratios["jijiao-1 / floor-1"])["median"],
        "rounds": rounds,
    }
    result["targets"] = {
        "jijiao_1_within_2x_floor_1": ratios["jijiao-1 / floor-1"]["median"] <= 2.0,
        "jijiao_1_within_1_5x_fair_floor_1": ratios["jijiao-1 / fair-floor-1"]["median"] <= 1.5,
        "peak_rss_under_1gb": peak < 1024,
        "what_if_within_0_1x_full_run": ratios[f"what-if-{n} / {full}"]["median"] <= 0.1,
        "result_bytes_within_a_third_of_reference": None if REFERENCE_BYTES_PER_ACTIVITY is None
        else sizes["jijiao_per_activity"] <= REFERENCE_BYTES_PER_ACTIVITY / 3,
        "dispatch_within_1_1x": dispatch_part["ratio"] <= 1.1,
    }
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                         "platform": platform.platform(), "shared": "2 cores shared with other engineers' work"}
    result["commit"] = git_commit()
    result["measured_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return result


def summary_lines(result: dict) -> list[str]:
    lines = [f"size {result['practitioners']:,} practitioners, {result['activities']:,} activities; "
             f"medians of {result['rounds_run']} interleaved round(s)"]
    for name, ph in result["phases"].items():
        sec = ph["seconds"]
        lines.append(f"{name:<14} {sec['median']:>8.1f} s ({sec['min']:.1f}–{sec['max']:.1f})  "
                     f"{ph['us_per_activity_wall']:>6.2f} µs/activity wall  {ph['us_per_activity_cpu']:>6.2f} µs cpu  "
                     f"peak {ph['peak_rss_mb_max']:.0f} MB  {ph['rows_written']:,} rows")
    for pair, r in result["ratios"].items():
        lines.append(f"ratio {pair:<32} {r['median']:>6.2f}× wall ({r['min']:.2f}–{r['max']:.2f}), "
                     f"{r['cpu']['median']:.2f}× cpu  {r['compares']}")
    b = result["result_bytes"]
    lines.append(f"result bytes per activity: jijiao {b['jijiao_per_activity']:,.0f} (rows alone "
                 f"{b['jijiao_row_payload_per_activity']:,.0f}), fair floor {b['fair_floor_per_activity']:,.0f}, "
                 f"floor {b['floor_per_activity']:,.0f}: jijiao {b['jijiao_over_floor']}× the floor's")
    d = result["dispatch"]
    lines.append(f"dispatch {d['us_per_activity_plain']} µs/activity with {d['installed_plain']} jurisdictions, "
                 f"{d['us_per_activity_crowded']} µs with {d['installed_crowded']}: {d['ratio']}×  (target ≤ 1.1×)")
    verdict = {True: "met", False: "NOT met", None: "no reference"}
    lines.append("targets: " + ", ".join(f"{k} {verdict[v]}" for k, v in result["targets"].items()))
    return lines


def result_file(out: Path, size: int, workers_forced: int | None) -> Path:
    """A new file for every run (dated), so earlier figures are never overwritten."""
    stem = f"province-{size}{f'-workers{workers_forced}' if workers_forced else ''}-{date.today().isoformat()}"
    target, n = out / f"{stem}.json", 1
    while target.exists():
        n += 1
        target = out / f"{stem}-{n}.json"
    return target


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="practitioners (default 400,000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE:,} practitioners")
    parser.add_argument("--per-practitioner", type=int, default=20, help="activities per practitioner, on average")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every measurement (medians)")
    parser.add_argument("--workdir", default=str(HERE / "data"), help="where the databases are kept")
    parser.add_argument("--out", default=str(HERE / "results"), help="where the JSON result goes")
    parser.add_argument("--fresh", action="store_true", help="generate again even if the database exists")
    parser.add_argument("--generate-only", action="store_true", help="build (or find) the database and stop")
    parser.add_argument("--workers", type=int, help="the N of the N-process runs (default: jijiao assess's own choice)")
    parser.add_argument("--dispatch-activities", type=int, default=20_000)
    parser.add_argument("--phase", choices=["floor", "fair", "jijiao", "what-if", "calibrate"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--measure-bytes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:  # a measuring child: one JSON object on stdout
        path = Path(args.db)
        if args.phase == "floor":
            part = floor(path)
        elif args.phase == "jijiao":
            part = assess(path, args.workers, measure_bytes=args.measure_bytes)
        elif args.phase == "what-if":
            part = assess(path, args.workers, what_if=WHAT_IF)
        elif args.phase == "calibrate":
            fair_floor.save(fair_floor.calibrate(path), calibration_path(path))
            part = {"calibration": str(calibration_path(path))}
        else:
            part = fair_floor.run(path, fair_floor.load(calibration_path(path)), args.workers or 1)
        print(json.dumps(part))
        return None
    if args.quick:
        args.size = QUICK_SIZE
    generated = generate(args)
    path = database_path(args)
    if args.generate_only:
        return None
    from jijiao import annual, storage

    workers = args.workers or annual.choose_workers(storage.connect(path), None)
    rounds = []
    for index in range(args.rounds):
        say(f"[2/3] round {index + 1} of {args.rounds}: " + ", ".join(phase_names(workers)))
        rounds.append(measure_round(path, workers, first=index == 0))
    say("[3/3] dispatch cost, 4 vs 304 installed jurisdictions")
    result = report(args, generated, workers, rounds, dispatch_figures(args.dispatch_activities))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = result_file(out, args.size, args.workers)
    target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    for line in summary_lines(result):
        print(line)
    print(f"written {target}")
    return result


if __name__ == "__main__":
    main()
