"""The national year on a Dask cluster: a year split into partitions that mean something.

One machine judges a province's year in one SQLite file (annual.py). The national year (~13
million practitioners) is split instead, and each piece is judged where a Dask worker runs it:

- **The store** (`export_parquet`): the input tables (practitioners, activities, projects) as a
  Parquet dataset partitioned by province, ``<store>/<table>/province=<code>/part-0.parquet``
  (hive style). A practitioner's province is the GB/T 2260 province of their jurisdiction
  code; an activity lies in its practitioner's province, a project in its own jurisdiction's.
  Activities whose practitioner is in no practitioner row lie in ``province=none``.
- **Partitions** (`plan`): one per province, a province of more than ``partition_size``
  practitioners cut into practitioner-id ranges of that many (``210000-01``, ``210000-02``
  ...), and one more, ``projects``: the year's projects (their findings and deadlines, which
  read the whole year's batch of projects together, `annual.projects_of_year`), the activities
  of nobody known and every jurisdiction's calendar. A practitioner's year reads only the
  practitioner and their activities (`storage.practitioner_years`), so a practitioner
  partition holds exactly those: copying every project into every partition would only
  repeat the project findings once per partition.
- **One partition, one file** (`assess_partition`, run by a worker): its rows are read from the
  store, written to a fresh jijiao database ``<out>/partitions/<name>.db`` and judged there by
  `annual.assess` -- the single-machine code itself, so the answers are the same by
  construction -- then the calendar rows, which are the ``projects`` partition's, are removed
  from the practitioner partitions, and the browse summaries that the national summary adds
  up are computed (`datasette.summaries`; ``credit_bands``). The file is written under a name
  of its own and renamed into place only when complete: a killed worker leaves no half file.
- **The manifest** (``<out>/manifest.db``, `Manifest`): per partition its input digest,
  status, attempts, timings, worker and last error; per run its year, settings and status.
  A re-run sends every partition with the digest it had: a worker that finds the same input
  (the same rows, year, settings and plugin versions) keeps the file and answers "unchanged",
  so only missing, failed and changed partitions are judged again.
- **The national summary** (``<out>/national.db``, `write_summary`): written only when every
  partition is complete, to a temporary name and renamed, so a reader (``jijiao serve``) sees
  the last complete run or nothing, never a half one: pass rates by province, city, unit and
  title, the distribution of credits earned, and the credits each clause refused or capped.

The client (`assess_national`) alone writes the manifest and the summary; workers write only
their partition's file. docs/national.md is the operations guide.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import sys
import time
import traceback
import uuid
import warnings
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

import attrs
import sqlite_utils

from . import annual, result_texts, runlock, storage

INPUT_TABLES = storage.INPUT_TABLES
STORE_MARK = "jijiao-parquet.json"
"""The file naming a folder as a jijiao Parquet store (what it holds, when it was written)."""
PROJECTS = "projects"
"""The partition of the year's projects, the activities of nobody known and the calendars."""
NO_PROVINCE = "none"
"""The store's province of activities whose practitioner is in no practitioner row."""
PARTITION_ROWS = 50_000
"""Rows read from SQLite and written to Parquet at a time (memory, not a rule)."""
CREDIT_BAND = 5
"""Width, in credits, of a band of the credits distribution (presentation, not a rule)."""
DEFAULT_RETRIES = 2
"""Times a partition whose task raised is sent again before it is reported as failed."""

# Which rows of a partition's run belong to it: a practitioner partition keeps its
# practitioners' and activities' rows; the projects partition also the projects' and calendars'.
SHARED_KINDS = ("project", "calendar")
RUN_KIND = "run"  # findings about the run as a whole (annual.py)


# --------------------------------------------------------------------------------------------
# The store: input tables as Parquet, partitioned by province
# --------------------------------------------------------------------------------------------


def _arrow_type(declared: str):
    import pyarrow as pa

    declared = (declared or "").upper()
    if "INT" in declared:
        return pa.int64()
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    return pa.string()


def _arrow_schema(db: sqlite_utils.Database, table: str):
    import pyarrow as pa

    return pa.schema([(row[1], _arrow_type(row[2])) for row in db.conn.execute(f"PRAGMA table_info([{table}])")])


PROVINCE_SQL = {
    "practitioners": "coalesce(substr(t.jurisdiction, 1, 2) || '0000', 'none')",
    "projects": "coalesce(substr(t.jurisdiction, 1, 2) || '0000', 'none')",
    "activities": "coalesce((SELECT substr(p.jurisdiction, 1, 2) || '0000' FROM practitioners p WHERE p.id = t.practitioner), 'none')",
}
ORDER_SQL = {"practitioners": "t.id", "projects": "t.id", "activities": "t.practitioner, t.date, t.id"}


def export_parquet(db: sqlite_utils.Database, dest: str | Path, progress: Callable[[str], None] | None = None) -> dict:
    """Write the database's input tables to ``dest`` as a Parquet store partitioned by province.

    Every row is written as stored (withdrawn rows too, with their ``withdrawn`` mark: the
    assessment leaves them out exactly as it does in SQLite). The store is built beside
    ``dest`` and put in its place when complete; an existing ``dest`` is replaced only if it is
    a jijiao store (it holds `STORE_MARK`). Returns the counts per table and province."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()) and not (dest / STORE_MARK).exists():
        raise ValueError(f"{dest}: 不是 jijiao 的 Parquet 数据集（没有 {STORE_MARK}），不予覆盖；请换一个目录")
    building = dest.with_name(f".{dest.name}.building-{uuid.uuid4().hex[:8]}")
    building.mkdir(parents=True)
    counts: dict[str, dict[str, int]] = {}
    try:
        for table in INPUT_TABLES:
            schema = _arrow_schema(db, table)
            names = ", ".join(f"t.[{name}]" for name in schema.names)
            rows = db.conn.execute(
                f"SELECT {PROVINCE_SQL[table]} AS province_, {names} FROM [{table}] t ORDER BY province_, {ORDER_SQL[table]}"
            )
            counts[table] = {}
            writer, current = None, None
            while True:
                block = rows.fetchmany(PARTITION_ROWS)
                if not block:
                    break
                start = 0
                while start < len(block):  # a block may span provinces: write it run by run
                    province = block[start][0]
                    end = start
                    while end < len(block) and block[end][0] == province:
                        end += 1
                    if province != current:
                        if writer is not None:
                            writer.close()
                        folder = building / table / f"province={province}"
                        folder.mkdir(parents=True)
                        writer, current = pq.ParquetWriter(folder / "part-0.parquet", schema), province
                        if progress is not None:
                            progress(f"{table} {province}")
                    columns = list(zip(*(row[1:] for row in block[start:end])))
                    try:
                        batch = pa.record_batch([pa.array(c, type=f.type) for c, f in zip(columns, schema)], schema=schema)
                    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                        raise ValueError(f"{table}: 省份 {province} 的某行无法写成 Parquet（{error}）") from None
                    writer.write_batch(batch)
                    counts[table][province] = counts[table].get(province, 0) + (end - start)
                    start = end
            if writer is not None:
                writer.close()
        (building / STORE_MARK).write_text(json.dumps(
            {"written_at": storage.now_text(), "rows": counts, "source": str(annual.database_file(db) or ":memory:")},
            ensure_ascii=False, indent=1), "utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(building, dest)
    finally:
        if building.exists():
            shutil.rmtree(building)
    return counts


def _dataset(store: Path, table: str):
    import pyarrow as pa
    import pyarrow.dataset as ds

    folder = store / table
    if not folder.exists():
        return None
    partitioning = ds.partitioning(pa.schema([("province", pa.string())]), flavor="hive")
    return ds.dataset(folder, format="parquet", partitioning=partitioning)


def check_store(store: str | Path) -> Path:
    store = Path(store)
    if not (store / STORE_MARK).exists():
        raise ValueError(f"{store}: 不是 jijiao 的 Parquet 数据集（没有 {STORE_MARK}）；用 jijiao export-parquet 生成")
    return store


# --------------------------------------------------------------------------------------------
# Partitions
# --------------------------------------------------------------------------------------------


@attrs.frozen
class Partition:
    """A self-contained part of a year: a province's practitioners (ids in [since, until) when
    the province is cut), or `PROJECTS`."""

    name: str
    province: str | None = None
    since: str | None = None
    until: str | None = None
    practitioners: int = 0

    @property
    def is_projects(self) -> bool:
        return self.name == PROJECTS


def plan(store: str | Path, partition_size: int | None = None) -> list[Partition]:
    """The partitions of the store's year, in name order: one per province, a province of more
    than ``partition_size`` practitioners cut by id into ranges of that many, then `PROJECTS`.

    The cuts are made from the ids themselves, so the same store gives the same partitions; a
    practitioner added to a province moves only the cuts after their id."""
    import pyarrow.compute as pc

    store = check_store(store)
    people = _dataset(store, "practitioners")
    partitions = []
    if people is not None:
        table = people.to_table(columns=["id", "province"])
        for province in sorted(set(table.column("province").to_pylist())):
            ids = sorted(table.filter(pc.equal(table.column("province"), province)).column("id").to_pylist())
            if not partition_size or len(ids) <= partition_size:
                partitions.append(Partition(province, province, None, None, len(ids)))
                continue
            chunks = range(0, len(ids), partition_size)
            width = len(str(len(chunks)))
            for number, start in enumerate(chunks, 1):
                since = ids[start] if start else None
                until = ids[start + partition_size] if start + partition_size < len(ids) else None
                partitions.append(Partition(f"{province}-{number:0{width}d}", province, since, until,
                                            len(ids[start:start + partition_size])))
    partitions.append(Partition(PROJECTS))
    return partitions


def read_partition(store: Path, partition: Partition, year: int) -> dict:
    """The partition's input rows as Arrow tables (the store's columns, ``province`` dropped),
    sorted by id: its practitioners and their activities of ``year``; for `PROJECTS` every
    project and the year's activities of nobody known."""
    import pyarrow.dataset as ds

    def read(table: str, condition):
        found = _dataset(store, table)
        if found is None:
            return None
        rows = found.to_table(filter=condition)
        return rows.drop_columns(["province"]).sort_by("id")

    province = ds.field("province")
    if partition.is_projects:
        return {
            "projects": read("projects", None),
            "activities": read("activities", (province == NO_PROVINCE) & (ds.field("year") == year)),
        }
    people = province == partition.province
    acts = (province == partition.province) & (ds.field("year") == year)
    if partition.since is not None:
        people &= ds.field("id") >= partition.since
        acts &= ds.field("practitioner") >= partition.since
    if partition.until is not None:
        people &= ds.field("id") < partition.until
        acts &= ds.field("practitioner") < partition.until
    return {"practitioners": read("practitioners", people), "activities": read("activities", acts)}


def input_digest(tables: dict, identity: dict) -> str:
    """What the partition's results depend on: its rows (Arrow IPC, one chunk per table, so the
    bytes are the same for the same rows) and ``identity`` (the partition, year, run name,
    settings, as-of date and the versions of jijiao and every plugin)."""
    import pyarrow as pa

    digest = hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode())
    for name in sorted(tables):
        table = tables[name]
        if table is None:
            continue
        sink = pa.BufferOutputStream()
        combined = table.replace_schema_metadata(None).combine_chunks()
        with pa.ipc.new_stream(sink, combined.schema) as writer:
            writer.write_table(combined)
        digest.update(name.encode())
        digest.update(sink.getvalue().to_pybytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# One partition, judged on a worker
# --------------------------------------------------------------------------------------------


@attrs.frozen
class PartitionTask:
    """Everything a worker needs to judge one partition (sent to it pickled)."""

    store: str
    out: str
    partition: Partition
    year: int
    name: str
    settings: tuple[tuple[str, str], ...]
    as_of: str
    plugins: tuple[tuple[str, str], ...]  # the client's distributions: a worker must have the same
    known_digest: str | None = None

    @property
    def file(self) -> Path:
        return partition_file(Path(self.out), self.partition.name)

    def identity(self) -> dict:
        return {"partition": attrs.asdict(self.partition), "year": self.year, "name": self.name,
                "settings": list(self.settings), "as_of": self.as_of, "plugins": list(self.plugins)}


def partition_file(out: Path, name: str) -> Path:
    return out / "partitions" / f"{name}.db"


class WorkerMismatch(RuntimeError):
    """The worker's installed jijiao or plugins are not the client's: its answers could differ."""


def worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"{socket.gethostname()}:{os.getpid()}"


def assess_partition(task: PartitionTask) -> dict:
    """Judge one partition (on a Dask worker, or anywhere): read its rows from the store, skip
    it when they are the ones judged before (``task.known_digest``), else write them to a fresh
    jijiao database, run `annual.assess` on it and put the file in place. Returns what the
    manifest records: status (complete / unchanged), digest, counts, seconds per step, worker."""
    from .plugins import default_registry

    registry = default_registry()  # loaded once per worker process
    mine = tuple(sorted(annual.plugin_distributions(registry).items()))
    if mine != task.plugins:
        raise WorkerMismatch(f"工作进程 {worker_name()} 安装的 jijiao 与插件（{dict(mine)}）与发起端（{dict(task.plugins)}）不同，"
                             "结果可能不同：请在每个工作进程上安装同样的插件")
    clock, cpu = time.perf_counter(), time.process_time()
    tables = read_partition(Path(task.store), task.partition, task.year)
    digest = input_digest(tables, task.identity())
    read_seconds = time.perf_counter() - clock
    target = task.file
    base = {"partition": task.partition.name, "digest": digest, "worker": worker_name(), "read_seconds": read_seconds}
    if task.known_digest == digest and target.exists():
        return {**base, "status": "unchanged", "seconds": time.perf_counter() - clock}
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f"{target.name}.building-{uuid.uuid4().hex[:8]}")
    try:
        db = storage.connect(building, registry)
        # A file nobody reads until it is renamed into place: no journal, no syncs while it is
        # built (a failed attempt's file is thrown away whole); synced once before the rename.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with db.atomic():
            for table, rows in tables.items():
                if rows is not None and rows.num_rows:
                    _insert(db, table, rows)
        loaded = time.perf_counter()
        summary = annual.assess(db, registry, task.year, name=task.name, settings=dict(task.settings),
                                as_of=date.fromisoformat(task.as_of), workers=1)
        assessed = time.perf_counter()
        with db.atomic():
            if not task.partition.is_projects:  # the year's projects and calendars are the projects partition's
                marks = ", ".join("?" for _ in SHARED_KINDS)
                for table in ("findings", "deadlines"):
                    db.conn.execute(f"DELETE FROM [{result_texts.stored_table(table)}] WHERE subject_kind IN ({marks})",
                                    SHARED_KINDS)
                db.conn.execute("DELETE FROM run_reads WHERE subject_kind = 'projects'")  # what they read (whatif.py)
            write_partition_summaries(db)
        db.conn.execute("PRAGMA journal_mode = DELETE")  # opened later as any jijiao database
        db.conn.close()
        with open(building, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(building, target)
    finally:
        shutil.rmtree(runlock.scratch_root(building), ignore_errors=True)
        for leftover in building.parent.glob(building.name + "*"):  # the unfinished file, its -wal, its lock
            leftover.unlink(missing_ok=True)
    return {
        **base, "status": "complete", "practitioners": summary.practitioners, "activities": summary.activities,
        "projects": summary.projects, "load_seconds": loaded - clock - read_seconds, "assess_seconds": assessed - loaded,
        "seconds": time.perf_counter() - clock, "cpu_seconds": time.process_time() - cpu, "bytes": target.stat().st_size,
    }


def _insert(db: sqlite_utils.Database, table: str, rows) -> None:
    """Arrow rows into a table of the same columns (those the database lacks are refused by name)."""
    existing = set(db[table].columns_dict)
    unknown = [name for name in rows.column_names if name not in existing]
    if unknown:
        raise ValueError(f"{table}: Parquet 数据集中的列 {unknown} 不在本机 jijiao 的表中（插件版本不同？）")
    sql = storage.insert_sql(table, rows.column_names)
    for batch in rows.to_batches(PARTITION_ROWS):
        db.conn.executemany(sql, zip(*(column.to_pylist() for column in batch.columns)))


def write_partition_summaries(db: sqlite_utils.Database) -> None:
    """The partition's own summaries, which the national summary adds up: places on its
    annual_results, result_summary and clause_costs (datasette/summaries.py, the computation the
    province's browse copy makes) and ``credit_bands``, practitioners by credits earned."""
    from .datasette import summaries

    runs = [run for (run,) in db.execute("SELECT id FROM runs")]
    summaries.build_places(db)
    summaries.result_places(db.conn, runs, schema="main")  # where each (jurisdiction, unit) lies: temp.located
    stored = result_texts.stored_table("annual_results")  # the places go on the stored rows, shown by the view
    for column in summaries.PLACE_COLUMNS:
        if column not in db[stored].columns_dict:
            db.execute(f"ALTER TABLE [{stored}] ADD COLUMN [{column}] TEXT")
    result_texts.refresh_views(db.conn)
    db.execute(f"""
        UPDATE [{stored}] SET (province, city, district) = (
            SELECT l_province, l_city, l_district FROM temp.located
            WHERE l_jurisdiction IS [{stored}].jurisdiction AND l_unit IS [{stored}].unit)""")
    summaries.build_result_summary(db, runs, [])
    summaries.build_clause_costs(db, runs, [])
    db.execute("DROP TABLE IF EXISTS credit_bands")
    db.execute(f"""
        CREATE TABLE credit_bands AS
        SELECT year, province, CAST(earned / {CREDIT_BAND} AS INTEGER) * {CREDIT_BAND} AS band_from,
               count(*) AS practitioners,
               sum(verdict = '合格') AS passed, sum(verdict = '不合格') AS failed, sum(verdict = '无法判定') AS undetermined
        FROM annual_results GROUP BY year, province, band_from""")


# --------------------------------------------------------------------------------------------
# The manifest: what each partition of the run is
# --------------------------------------------------------------------------------------------

MANIFEST_COLUMNS = {
    "name": str, "province": str, "since": str, "until": str, "planned_practitioners": int,
    "digest": str, "status": str, "attempts": int, "worker": str, "started_at": str, "finished_at": str,
    "seconds": float, "cpu_seconds": float, "read_seconds": float, "load_seconds": float, "assess_seconds": float,
    "practitioners": int, "activities": int, "projects": int, "bytes": int, "error": str,
}


class Manifest:
    """``<out>/manifest.db``: the run (``run``, one row) and its partitions (``partitions``)."""

    def __init__(self, out: Path):
        self.path = out / "manifest.db"
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA journal_mode = WAL")
        if not self.db["partitions"].exists():
            self.db["partitions"].create(MANIFEST_COLUMNS, pk="name")
        if not self.db["run"].exists():
            self.db["run"].create({
                "id": int, "name": str, "year": int, "settings": str, "as_of": str, "store": str, "status": str,
                "partitions": int, "complete": int, "failed": int, "started_at": str, "finished_at": str,
                "seconds": float, "cluster": str, "workers": int,
            }, pk="id")

    def partitions(self) -> dict[str, dict]:
        return {row["name"]: row for row in self.db["partitions"].rows}

    def start(self, planned: list[Partition], run: dict) -> dict[str, dict]:
        """Record the run as running and the planned partitions (a partition no longer planned
        is dropped with its file); returns the earlier state of each partition."""
        known = self.partitions()
        with self.db.conn:
            for name in set(known) - {p.name for p in planned}:
                self.db.conn.execute("DELETE FROM partitions WHERE name = ?", (name,))
            for p in planned:
                row = {"name": p.name, "province": p.province, "since": p.since, "until": p.until,
                       "planned_practitioners": p.practitioners}
                if p.name in known:
                    self.db["partitions"].update(p.name, row)
                else:
                    self.db["partitions"].insert({**row, "status": "pending", "attempts": 0})
            self.db.conn.execute("DELETE FROM run")
            self.db["run"].insert({"id": 1, **run, "status": "running", "partitions": len(planned),
                                   "started_at": storage.now_text()})
        return {name: row for name, row in known.items() if name in {p.name for p in planned}}

    def update(self, name: str, **values) -> None:
        with self.db.conn:
            self.db["partitions"].update(name, values, alter=True)  # alter: a manifest from an older jijiao

    def finish(self, status: str, seconds: float) -> None:
        counts = dict(self.db.execute("SELECT status, count(*) FROM partitions GROUP BY status").fetchall())
        with self.db.conn:
            self.db["run"].update(1, {"status": status, "finished_at": storage.now_text(), "seconds": round(seconds, 3),
                                      "complete": counts.get("complete", 0), "failed": counts.get("failed", 0)})


# --------------------------------------------------------------------------------------------
# The run: partitions on the cluster, then the summary
# --------------------------------------------------------------------------------------------


@attrs.frozen
class NationalRun:
    """What a national run did, for the command's closing lines and for tests."""

    out: Path
    year: int
    name: str
    partitions: int
    computed: tuple[str, ...]
    unchanged: tuple[str, ...]
    failed: dict  # partition name -> its last error
    practitioners: int
    activities: int
    seconds: float
    summary: Path | None
    summary_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        lines = [
            f"全国运行「{self.name}」{self.year} 年度：{self.partitions} 个分区，本次评定 {len(self.computed)} 个，"
            f"未变化 {len(self.unchanged)} 个，失败 {len(self.failed)} 个；{self.practitioners} 人，{self.activities} 项活动，"
            f"用时 {self.seconds:.1f} 秒",
        ]
        for name, error in sorted(self.failed.items()):
            lines.append(f"  分区 {name} 失败：{error}")
        if self.summary is not None:
            lines.append(f"全国汇总：{self.summary}（浏览：jijiao serve --db 某省的数据库 --national {self.summary}）")
        else:
            lines.append("运行未完成：全国汇总未写出（上一次完整运行的汇总保持不变）；重新运行将只评定未完成的分区")
        return lines


def stderr_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def open_client(cluster: str, workers: int | None):
    """A Dask client: ``local`` starts a LocalCluster of ``workers`` processes (one thread each:
    a partition is one SQLite writer), anything else is a scheduler's address."""
    import logging

    from distributed import Client, LocalCluster

    if cluster == "local":
        with warnings.catch_warnings():  # the scheduler's HTTP port taken by another cluster: it takes another
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            local = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                 dashboard_address=None, silence_logs=logging.CRITICAL)  # failures are reported by partition
        return Client(local), local
    try:
        return Client(cluster, timeout="30s"), None
    except (OSError, TimeoutError) as error:
        raise ClusterUnreachable(f"--cluster {cluster}: 无法连接 Dask 调度器（{error}）；"
                                 "请先启动 dask scheduler，并检查地址和端口（docs/national.md）") from None


class ClusterUnreachable(RuntimeError):
    """The scheduler at the given address did not answer."""


def remove_unfinished(out: Path) -> None:
    """Remove the partition files that an attempt was building when its worker died (it never
    renamed them into place, so no reader ever saw them)."""
    for leftover in (out / "partitions").glob("*.building-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[-1] if text else ''}".strip()


def assess_national(store: str | Path, out: str | Path, year: int, *, name: str | None = None,
                    settings: dict[str, str] | None = None, as_of: date | None = None, cluster: str = "local",
                    workers: int | None = None, partition_size: int | None = None, retries: int = DEFAULT_RETRIES,
                    progress: Callable[[str], None] | None = stderr_progress, client=None,
                    on_result: Callable[[dict], None] | None = None) -> NationalRun:
    """Judge the store's ``year`` partition by partition on a Dask cluster; results in ``out``.

    ``cluster``: ``local`` (a LocalCluster of ``workers`` processes) or a scheduler address
    (``tcp://host:8786``), unless a ``client`` is given. A partition whose task raises is sent
    again up to ``retries`` times, then reported by name; a worker that dies is the
    scheduler's to replace (its partition runs again on another worker). ``progress(line)``
    gets one line per partition event; ``on_result(answer)`` each partition's answer.
    """
    from distributed import as_completed

    from .plugins import RuleContext, default_registry

    clock = time.perf_counter()
    store, out = check_store(store), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = dict(settings or {})
    name = name or annual.what_if_name(settings)
    as_of = as_of or date.today()
    registry = default_registry()
    RuleContext.with_overrides(registry, settings, year=year, as_of=as_of)  # an unknown setting fails here, once
    say = progress or (lambda line: None)
    planned = plan(store, partition_size)
    plugins = tuple(sorted(annual.plugin_distributions(registry).items()))
    with runlock.run_lock(out / "manifest.db", name, year):
        manifest = Manifest(out)
        before = manifest.start(planned, {"name": name, "year": year, "settings": json.dumps(settings, ensure_ascii=False),
                                          "as_of": as_of.isoformat(), "store": str(store), "cluster": cluster,
                                          "workers": workers})
        remove_unfinished(out)  # an earlier run's killed attempts
        own = None
        if client is None:
            client, own = open_client(cluster, workers)
        tasks = {}
        for p in planned:
            earlier = before.get(p.name, {})
            known = earlier.get("digest") if earlier.get("status") == "complete" else None
            tasks[p.name] = PartitionTask(str(store), str(out), p, year, name, tuple(sorted(settings.items())),
                                          as_of.isoformat(), plugins, known)
        attempts = {p.name: 0 for p in planned}
        computed, unchanged, failed = [], [], {}
        try:
            def submit(partition: str):
                attempts[partition] += 1
                manifest.update(partition, status="queued", started_at=storage.now_text(), error=None,
                                attempts=attempts[partition])  # in this run
                return client.submit(assess_partition, tasks[partition], key=f"jijiao-{partition}-{uuid.uuid4().hex}",
                                     pure=False)

            first = [submit(p.name) for p in planned]
            futures = {future.key: p.name for future, p in zip(first, planned)}
            pending = as_completed(first)
            done = 0
            for future in pending:
                partition = futures.pop(future.key)
                try:
                    answer = future.result()
                except Exception as error:  # noqa: BLE001 -- the task's failure, reported by partition name
                    message = one_line(error)
                    if attempts[partition] <= retries:
                        say(f"分区 {partition} 第 {attempts[partition]} 次失败：{message}；重试")
                        again = submit(partition)
                        futures[again.key] = partition
                        pending.add(again)
                        continue
                    failed[partition] = message
                    manifest.update(partition, status="failed", error=message, finished_at=storage.now_text())
                    done += 1
                    say(f"[{done}/{len(planned)}] 分区 {partition} 失败（{attempts[partition]} 次）：{message}")
                    continue
                done += 1
                answer_status = answer["status"]
                # An unchanged partition keeps the timings and worker of the run that judged it.
                record = {} if answer_status == "unchanged" else {
                    k: answer.get(k) for k in ("digest", "worker", "seconds", "cpu_seconds", "read_seconds", "load_seconds",
                                               "assess_seconds", "practitioners", "activities", "projects", "bytes")}
                manifest.update(partition, status="complete", finished_at=storage.now_text(), error=None, **record)
                (unchanged if answer_status == "unchanged" else computed).append(partition)
                if on_result is not None:
                    on_result(answer)
                if answer_status == "unchanged":
                    say(f"[{done}/{len(planned)}] 分区 {partition} 未变化，保留上次结果（{answer['worker']}）")
                else:
                    what = (f"{answer['projects']} 个项目" if partition == PROJECTS
                            else f"{answer['practitioners']} 人，{answer['activities']} 项活动")
                    say(f"[{done}/{len(planned)}] 分区 {partition} 完成：{what}，用时 {answer['seconds']:.1f} 秒（{answer['worker']}）")
        finally:
            if own is not None:
                client.close()
                own.close()
        remove_unfinished(out)  # the files of attempts whose worker died under them
        rows = manifest.partitions()
        incomplete = {n: r.get("error") or r["status"] for n, r in rows.items() if r["status"] != "complete"}
        failed.update(incomplete)
        summary, summary_clock = None, time.perf_counter()
        if not failed:
            summary = write_summary(out, manifest)
        summary_seconds = time.perf_counter() - summary_clock
        seconds = time.perf_counter() - clock
        manifest.finish("complete" if not failed else "incomplete", seconds)
        totals = manifest.db.execute("SELECT sum(practitioners), sum(activities) FROM partitions").fetchone()
    return NationalRun(out, year, name, len(planned), tuple(computed), tuple(unchanged), failed,
                       totals[0] or 0, totals[1] or 0, seconds, summary, summary_seconds)


# --------------------------------------------------------------------------------------------
# The national summary
# --------------------------------------------------------------------------------------------

REFERENCE_TABLES = ("jurisdictions", "documents", "clauses", "parameters", "places")
PASS_RATE_KEYS = {
    "pass_rates_by_province": ["province"],
    "pass_rates_by_city": ["province", "city"],
    "pass_rates_by_unit": ["province", "city", "unit", "unit_level"],
    "pass_rates_by_title": ["province", "title"],
}
SUMMARY_LABELS = {
    "national_run": {"name": "运行名称", "year": "年度", "as_of": "判定基准日", "settings": "参数调整",
                     "partitions": "分区数", "practitioners": "人数", "activities": "活动数", "passed": "合格人数",
                     "failed": "不合格人数", "undetermined": "无法判定人数", "pass_rate": "合格率（%）",
                     "written_at": "汇总时间", "store": "输入数据集"},
    "partitions": {"name": "分区", "province": "省份", "since": "人员编号起", "until": "人员编号止（不含）",
                   "practitioners": "人数", "activities": "活动数", "digest": "输入摘要", "seconds": "用时（秒）",
                   "worker": "工作进程", "attempts": "尝试次数"},
    "credit_distribution": {"province": "省份", "band_from": "学分区间起", "band_to": "学分区间止（不含）",
                            "practitioners": "人数", "passed": "合格", "failed": "不合格", "undetermined": "无法判定"},
    "clause_statistics": {"clause": "条款", "how": "方式", "credits": "学分", "activities": "活动数",
                          "unknown_credits": "学分不详的活动数", "practitioners": "人数", "text": "条款原文"},
}
PASS_LABELS = {"province": "省份", "city": "市", "province_name": "省份名称", "city_name": "市名称", "unit": "工作单位", "unit_level": "单位级别", "title": "职称",
               "practitioners": "人数", "passed": "合格", "failed": "不合格", "undetermined": "无法判定",
               "shortfall": "不合格者差额学分", "pass_rate": "合格率（%）"}


def write_summary(out: Path, manifest: Manifest) -> Path:
    """``<out>/national.db`` from every complete partition's summaries, written under a
    temporary name and renamed: readers see the last complete run's summary, never half of one."""
    rows = sorted(manifest.partitions().values(), key=lambda r: r["name"])
    run = manifest.db.execute("SELECT * FROM run").fetchone()
    run = dict(zip([d[0] for d in manifest.db.execute("SELECT * FROM run").description], run))
    target = out / "national.db"
    building = out / f".national.db.building-{uuid.uuid4().hex[:8]}"
    conn = sqlite3.connect(f"file:{building}", uri=True)  # URI names: the partitions are attached read-only
    try:
        conn.execute("""CREATE TABLE result_summary (year INTEGER, province TEXT, city TEXT, district TEXT, unit TEXT,
                        unit_level TEXT, title TEXT, practitioners INTEGER, passed INTEGER, failed INTEGER,
                        undetermined INTEGER, shortfall REAL)""")
        conn.execute("""CREATE TABLE credit_bands (year INTEGER, province TEXT, band_from INTEGER, practitioners INTEGER,
                        passed INTEGER, failed INTEGER, undetermined INTEGER)""")
        conn.execute("""CREATE TABLE clause_costs (clause TEXT, how TEXT, credits REAL, activities INTEGER,
                        unknown_credits INTEGER, practitioners INTEGER)""")
        for index, row in enumerate(rows):
            schema = f"p{index % 8}"
            conn.execute(f"ATTACH DATABASE ? AS {schema}", (f"file:{partition_file(out, row['name'])}?mode=ro",))
            try:
                conn.execute(f"""INSERT INTO result_summary SELECT year, province, city, district, unit, unit_level, title,
                                 practitioners, passed, failed, undetermined, shortfall FROM {schema}.result_summary""")
                conn.execute(f"INSERT INTO credit_bands SELECT * FROM {schema}.credit_bands")
                conn.execute(f"""INSERT INTO clause_costs SELECT clause, how, credits, activities, unknown_credits,
                                 practitioners FROM {schema}.clause_costs""")
                if row["name"] == PROJECTS:  # the reference tables: every partition writes the same
                    for table in REFERENCE_TABLES:
                        if conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE name = ?", (table,)).fetchone():
                            conn.execute(f"CREATE TABLE [{table}] AS SELECT * FROM {schema}.[{table}]")
            finally:
                conn.commit()
                conn.execute(f"DETACH DATABASE {schema}")
        pass_sql = """sum(practitioners) AS practitioners, sum(passed) AS passed, sum(failed) AS failed,
                      sum(undetermined) AS undetermined, round(sum(shortfall), 1) AS shortfall,
                      round(100.0 * sum(passed) / sum(practitioners), 1) AS pass_rate"""
        has_places = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'places'").fetchone()
        for table, keys in PASS_RATE_KEYS.items():
            names = ", ".join(keys)
            places = "".join(f", (SELECT name FROM places WHERE code = {key}) AS {key}_name"
                             for key in keys if key in ("province", "city") and has_places)
            conn.execute(f"CREATE TABLE {table} AS SELECT year, {names}{places}, {pass_sql} FROM result_summary "
                         f"GROUP BY year, {names} ORDER BY year, {names}")
        conn.execute(f"""CREATE TABLE credit_distribution AS
                         SELECT year, province, band_from, band_from + {CREDIT_BAND} AS band_to, sum(practitioners) AS practitioners,
                                sum(passed) AS passed, sum(failed) AS failed, sum(undetermined) AS undetermined
                         FROM credit_bands GROUP BY year, province, band_from ORDER BY year, province, band_from""")
        has_clauses = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'clauses'").fetchone()
        text = "(SELECT c.text FROM clauses c WHERE c.id = k.clause)" if has_clauses else "NULL"
        conn.execute(f"""CREATE TABLE clause_statistics AS
                         SELECT clause, how, round(sum(credits), 1) AS credits, sum(activities) AS activities,
                                sum(unknown_credits) AS unknown_credits, sum(practitioners) AS practitioners, {text} AS text
                         FROM clause_costs k GROUP BY clause, how ORDER BY how, credits DESC""")
        totals = conn.execute("SELECT sum(practitioners), sum(passed), sum(failed), sum(undetermined) FROM result_summary").fetchone()
        conn.execute("""CREATE TABLE national_run (name TEXT, year INTEGER, as_of TEXT, settings TEXT, store TEXT,
                        partitions INTEGER, practitioners INTEGER, activities INTEGER, passed INTEGER, failed INTEGER,
                        undetermined INTEGER, pass_rate REAL, written_at TEXT)""")
        conn.execute("INSERT INTO national_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            run["name"], run["year"], run["as_of"], run["settings"], run["store"], len(rows), totals[0] or 0,
            sum(r["activities"] or 0 for r in rows), totals[1] or 0, totals[2] or 0, totals[3] or 0,
            round(100.0 * totals[1] / totals[0], 1) if totals[0] else None, storage.now_text()))
        conn.execute("""CREATE TABLE partitions (name TEXT PRIMARY KEY, province TEXT, since TEXT, until TEXT,
                        practitioners INTEGER, activities INTEGER, digest TEXT, seconds REAL, worker TEXT, attempts INTEGER)""")
        conn.executemany("INSERT INTO partitions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (r["name"], r["province"], r["since"], r["until"], r["practitioners"], r["activities"], r["digest"],
             r["seconds"], r["worker"], r["attempts"]) for r in rows])
        conn.execute("DROP TABLE credit_bands")
        conn.execute("DROP TABLE clause_costs")
        conn.execute("""CREATE TABLE column_labels (table_name TEXT, column_name TEXT, zh TEXT, unit TEXT, personal INTEGER,
                        PRIMARY KEY (table_name, column_name))""")
        labels = [(t, c, zh) for t, columns in SUMMARY_LABELS.items() for c, zh in columns.items()]
        labels += [(t, c, PASS_LABELS[c]) for t in [*PASS_RATE_KEYS, "result_summary"] for c in PASS_LABELS]
        conn.executemany("INSERT OR IGNORE INTO column_labels VALUES (?, ?, ?, NULL, 0)", labels)
        conn.commit()
    finally:
        conn.close()
    os.replace(building, target)
    return target


# --------------------------------------------------------------------------------------------
# Reading a run back: every partition's result rows, for comparison
# --------------------------------------------------------------------------------------------


def result_rows(db_or_files: sqlite_utils.Database | Iterable[Path], columns: dict[str, list[str]],
                run: int | None = None) -> dict[str, list[tuple]]:
    """The result rows of one run (``run`` in one database, or the only run of each partition
    file), per table, without the run id, sorted: what "the same answers" compares."""
    sources = [db_or_files] if isinstance(db_or_files, sqlite_utils.Database) else [
        sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) for path in db_or_files]
    found: dict[str, list[tuple]] = {}
    for table, names in columns.items():
        kept = [c for c in names if c != "run"]
        select = ", ".join(f"[{c}]" for c in kept)
        rows = []
        for db in sources:
            where, params = ("WHERE run = ?", (run,)) if run is not None and isinstance(db_or_files, sqlite_utils.Database) else ("", ())
            rows.extend(db.conn.execute(f"SELECT {select} FROM [{table}] {where}", params).fetchall())
        if table == "findings":  # a run's own findings (the readings it used) are said by each
            kind = kept.index("subject_kind")  # partition that used them; the run says each once
            said = {row for row in rows if row[kind] == RUN_KIND}
            rows = [row for row in rows if row[kind] != RUN_KIND] + list(said)
        found[table] = sorted(rows, key=lambda row: tuple((value is None, str(type(value)), value) for value in row))
    return found
