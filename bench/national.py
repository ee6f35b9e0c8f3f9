"""The national benchmark: a multi-province year judged partition by partition on Dask.

    .venv/bin/python bench/national.py                  # 20,000 practitioners, ~0.4 M activities
    .venv/bin/python bench/national.py --size 40000 --partition-size 5000 --rounds 2

Steps (progress on stderr; docs/benchmark.md, "The national year on Dask", explains the figures):

1. the year: bench/province.py's generator (the demo's four jurisdictions, topped up to about
   20 activities a practitioner), kept in bench/data/ and shared with that benchmark;
2. the store: ``national.export_parquet`` of the year (timed; its bytes per activity);
3. per round, interleaved: **single** -- `annual.assess` with one process, the
   single-machine run the cluster's answers must equal; **cluster-1** and **cluster-2** --
   `national.assess_national` on a LocalCluster of 1 and 2 worker processes, each into a fresh
   folder so that every partition is judged;
4. the figures: throughput (activities per second of wall time), the 2-worker speed-up and its
   efficiency, the per-partition cost as a fit ``seconds = overhead + cost × activities`` over
   the 1-worker run's partitions, bytes per activity (store, partition files, summary), and the
   projection of the national year (13 M practitioners) on N cores from those per-partition
   costs. The load average of the shared machine is recorded before and after each run.

Results go to ``bench/results/national-<size>-<date>.json`` (a new file each run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import province  # noqa: E402  (bench/province.py: the generator, say, git_commit, median)

DEFAULT_SIZE = 20_000
DEFAULT_PARTITION_SIZE = 2_500
NATIONAL_PRACTITIONERS = 13_000_000  # the national year (~260 M activities)
PROJECTED_PARTITION_SIZES = (25_000, 50_000)  # practitioners per partition in the projection (≈ 0.5 M, 1 M activities)
PROJECTED_CORES = (2, 8, 32, 64)
YEAR = province.YEAR
AS_OF = date.fromisoformat(province.AS_OF)
say = province.say


def load() -> float:
    return round(os.getloadavg()[0], 2)


def single(path: Path) -> dict:
    """One process, the single-machine path (`annual.assess --workers 1`), replacing its earlier run."""
    from jijiao import annual, storage
    from jijiao.plugins import default_registry

    db = storage.connect(path)
    before, clock, cpu = load(), time.perf_counter(), time.process_time()
    summary = annual.assess(db, default_registry(), YEAR, as_of=AS_OF, workers=1)
    return {"seconds": round(time.perf_counter() - clock, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
            "activities": summary.activities, "load_before": before, "load_after": load()}


def cluster(store: Path, out: Path, workers: int, partition_size: int) -> dict:
    """`national.assess_national` on a fresh LocalCluster of ``workers`` processes, every partition judged."""
    from jijiao import national

    shutil.rmtree(out, ignore_errors=True)
    before = load()
    client, local = national.open_client("local", workers)  # started before the clock: a cluster outlives runs
    try:
        clock = time.perf_counter()
        result = national.assess_national(store, out, YEAR, as_of=AS_OF, client=client, partition_size=partition_size,
                                          progress=None)
        seconds = time.perf_counter() - clock
    finally:
        client.close()
        local.close()
    assert result.complete, result.failed
    parts = list(national.Manifest(out).partitions().values())
    return {
        "workers": workers, "seconds": round(seconds, 2), "summary_seconds": round(result.summary_seconds, 2),
        "activities": result.activities, "practitioners": result.practitioners,
        "activities_per_second": round(result.activities / seconds),
        "task_seconds": round(sum(p["seconds"] for p in parts), 2),
        "task_cpu_seconds": round(sum(p["cpu_seconds"] or 0 for p in parts), 2),
        "partitions": [{k: p[k] for k in ("name", "practitioners", "activities", "projects", "seconds", "cpu_seconds",
                                          "read_seconds", "load_seconds", "assess_seconds", "bytes", "worker")}
                       for p in sorted(parts, key=lambda p: p["name"])],
        "partition_bytes": sum(p["bytes"] for p in parts),
        "summary_bytes": (out / "national.db").stat().st_size,
        "load_before": before, "load_after": load(),
    }


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares ``y = a + b x``: (a, b)."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - b * mx, b


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def projection(practitioners: int, activities: int, one: dict, two: dict) -> dict:
    """The national year from the measured per-partition costs: the 1-worker run's fit of each
    practitioner partition's CPU seconds against its activities (CPU, so that the other
    engineers' load on this machine counts less than in wall time), on N cores, at linear
    scaling and at the 2-worker run's measured efficiency. The projects partition is scaled
    with the population (one task: a floor on the wall time whatever the cores), the summary
    with the number of partitions; partitions run in waves of N."""
    judged = [p for p in one["partitions"] if p["name"] != "projects"]
    overhead, per_activity = fit([(p["activities"], p["cpu_seconds"]) for p in judged])
    wall_overhead, wall_per_activity = fit([(p["activities"], p["seconds"]) for p in judged])
    scale = NATIONAL_PRACTITIONERS / practitioners
    national_activities = activities * scale
    projects = next(p for p in one["partitions"] if p["name"] == "projects")
    projects_seconds = projects["cpu_seconds"] * scale
    summary_per_partition = one["summary_seconds"] / len(one["partitions"])
    efficiency = min(1.0, (one["seconds"] / two["seconds"]) / 2)
    by_size = {}
    for size in PROJECTED_PARTITION_SIZES:
        partitions = -(-NATIONAL_PRACTITIONERS // size)
        per_partition = overhead + per_activity * national_activities / partitions
        cores = {}
        for n in PROJECTED_CORES:
            waves = -(-partitions // n)
            figures = {"waves": waves}
            for label, share in (("linear", 1.0), ("measured_efficiency", efficiency)):
                work = partitions * per_partition / (n * share)
                wall = max(work, waves * per_partition / share, projects_seconds) + summary_per_partition * (partitions + 1)
                figures[f"minutes_{label}"] = round(wall / 60, 1)
            cores[str(n)] = figures
        by_size[str(size)] = {"partitions": partitions + 1, "seconds_per_partition": round(per_partition, 1),
                              "cores": cores}
    return {
        "national_practitioners": NATIONAL_PRACTITIONERS, "national_activities": round(national_activities),
        "overhead_cpu_seconds_per_partition": round(overhead, 3), "cpu_us_per_activity": round(per_activity * 1e6, 1),
        "overhead_wall_seconds_per_partition": round(wall_overhead, 3),
        "wall_us_per_activity": round(wall_per_activity * 1e6, 1),
        "projects_partition_seconds": round(projects_seconds, 1),
        "summary_seconds_per_partition": round(summary_per_partition, 4),
        "measured_efficiency": round(efficiency, 3), "by_partition_size": by_size,
    }


def result_file(out: Path, size: int) -> Path:
    stem = f"national-{size}-{date.today().isoformat()}"
    target, n = out / f"{stem}.json", 1
    while target.exists():
        n += 1
        target = out / f"{stem}-{n}.json"
    return target


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help=f"practitioners (default {DEFAULT_SIZE:,})")
    parser.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE)
    parser.add_argument("--per-practitioner", type=int, default=20, help="activities per practitioner, on average")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (medians over them)")
    parser.add_argument("--workdir", default=str(HERE / "data"))
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--fresh", action="store_true", help="generate again even if the database exists")
    args = parser.parse_args(argv)

    from jijiao import national, storage

    generated = province.generate(args)
    path = province.database_path(args)
    store = Path(args.workdir) / f"national-{args.size}-store"
    say(f"[2/3] exporting the input tables to Parquet: {store}")
    clock = time.perf_counter()
    national.export_parquet(storage.connect(path), store)
    export_seconds = time.perf_counter() - clock
    activities = generated["activities"]
    rounds = []
    for number in range(1, args.rounds + 1):
        say(f"[3/3] round {number} of {args.rounds}: single (1 process), cluster-1, cluster-2")
        measured = {"single": single(path)}
        say(f"      single: {measured['single']['seconds']} s")
        for workers in (1, 2):
            part = cluster(store, Path(args.workdir) / f"national-{args.size}-run{workers}", workers, args.partition_size)
            measured[f"cluster-{workers}"] = part
            say(f"      cluster-{workers}: {part['seconds']} s, {len(part['partitions'])} partitions, "
                f"{part['activities_per_second']:,} act./s (load {part['load_before']} → {part['load_after']})")
        rounds.append(measured)

    def med(name: str, key: str) -> float:
        return round(province.median([r[name][key] for r in rounds]), 2)

    one, two = rounds[-1]["cluster-1"], rounds[-1]["cluster-2"]
    speedups = [r["cluster-1"]["seconds"] / r["cluster-2"]["seconds"] for r in rounds]
    result = {
        "date": date.today().isoformat(), "commit": province.git_commit(), "size": args.size,
        "practitioners": generated["practitioners"], "activities": activities, "partition_size": args.partition_size,
        "partitions": len(one["partitions"]), "rounds": len(rounds), "cpus": os.cpu_count(),
        "export_seconds": round(export_seconds, 2),
        "bytes_per_activity": {
            "parquet_store": round(folder_bytes(store) / activities, 1),
            "partition_files": round(one["partition_bytes"] / activities, 1),
            "summary": round(one["summary_bytes"] / activities, 2),
        },
        "single_seconds": med("single", "seconds"), "single_cpu_seconds": med("single", "cpu_seconds"),
        "cluster_1_seconds": med("cluster-1", "seconds"), "cluster_2_seconds": med("cluster-2", "seconds"),
        "throughput": {
            "single": round(activities / med("single", "seconds")),
            "cluster_1": round(activities / med("cluster-1", "seconds")),
            "cluster_2": round(activities / med("cluster-2", "seconds")),
        },
        "speedup_2_over_1": {"median": round(province.median(speedups), 3), "min": round(min(speedups), 3),
                             "max": round(max(speedups), 3)},
        "cluster_1_over_single": round(med("cluster-1", "seconds") / med("single", "seconds"), 3),
        # CPU seconds of all partition tasks: the work, whatever the machine's load did to wall time
        "cpu_us_per_activity": {
            "single": round(med("single", "cpu_seconds") / activities * 1e6, 1),
            "cluster_1": round(med("cluster-1", "task_cpu_seconds") / activities * 1e6, 1),
            "cluster_2": round(med("cluster-2", "task_cpu_seconds") / activities * 1e6, 1),
        },
        "load_range": [min(r[n][k] for r in rounds for n in ("single", "cluster-1", "cluster-2") for k in ("load_before", "load_after")),
                       max(r[n][k] for r in rounds for n in ("single", "cluster-1", "cluster-2") for k in ("load_before", "load_after"))],
        "projection": projection(generated["practitioners"], activities, one, two),
        "rounds_detail": rounds,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = result_file(out, args.size)
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    p = result["projection"]
    say(f"single {result['single_seconds']} s; cluster-1 {result['cluster_1_seconds']} s; cluster-2 {result['cluster_2_seconds']} s "
        f"(speed-up {result['speedup_2_over_1']['median']}×); per partition {p['overhead_cpu_seconds_per_partition']} s + "
        f"{p['cpu_us_per_activity']} µs/activity (CPU); national year on 32 cores ≈ "
        f"{p['by_partition_size']['25000']['cores']['32']['minutes_linear']} min (linear scaling)")
    say(f"wrote {target}")
    return result


if __name__ == "__main__":
    main()
