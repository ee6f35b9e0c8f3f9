"""The fair floor: the I/O of a jijiao run without its rules -- same rows, same bytes, same processes.

The bench's first floor (``province.floor``) writes one narrow row per activity and one per
practitioner. jijiao writes more: seven result tables, ~1.6 rows per activity, a long
explanation on every award. Compared with that floor, jijiao's ratio mixes two things, the cost
of the rules and the cost of writing wider results. The fair floor separates them: it reads the
year as jijiao does (practitioners and activities, every column, in jijiao's order, merged) and
writes, into tables with the same schema and indexes as jijiao's result tables, as many rows
per table as a real jijiao run wrote, with the same column values byte for byte, taken from a
sample of that run's rows. Only the keys (run, practitioner, activity, year) are the row's own,
so the indexes grow in the same order as jijiao's. No rules, no models.

``calibrate`` reads the sample from a finished jijiao run (``bench/province.py`` does it after
its first jijiao run and keeps it as JSON beside the database). ``run(path, calibration,
workers)`` then measures: with one process it writes with ``executemany`` in one transaction,
20,000 rows per table at a time; with N it does what ``jijiao assess`` does with N workers
(`jijiao.annual.assess_partitions`): N forked processes each read a contiguous range of
practitioner ids and write their rows to their own scratch file, and the main process ATTACHes
those and copies the rows into the result tables in one transaction (``INSERT ... SELECT``,
in the order written). Its scratch tables (``bench_fair_*``) are dropped afterwards, not timed.

``table_bytes`` is how the result's size is measured: the pages of a table and of its indexes
in the file (SQLite's ``dbstat`` table), and the bytes of the rows themselves (``payload``).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import resource
import sqlite3
import tempfile
import time
import traceback
from pathlib import Path

YEAR = 2026
BATCH = 20_000  # rows per table per executemany, as jijiao's BufferedWriter
FETCH = 2_000  # activity rows per fetchmany, as jijiao's practitioner_years
POOL = 4_000  # sampled rows per result table: enough for the mean row size to be within ~1 %
PREFIX = "bench_fair_"
KEYS = ("practitioner", "activity")  # values taken from the row being written, not the sample
SHARED = ("result_texts", "result_step_lists")
"""Tables a run writes that all runs share (no ``run`` column): the texts the result rows hold
the ids of, and the explanations as lists of their steps' ids (jijiao/result_texts.py). Counted
in the result's bytes; the fair floor writes them whole, once, as a first run does."""
STORED_SUFFIX = "_stored"  # credit_awards_stored: the stored form of the credit_awards view


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or the largest of its finished children), MB."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def open_like_jijiao(path: Path | str) -> sqlite3.Connection:
    """A connection with the settings `jijiao.storage.connect` gives its own (WAL, 64 MB cache)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


# --------------------------------------------------------------------------------------------
# What a run wrote: its tables, their sizes, a sample of their rows
# --------------------------------------------------------------------------------------------


def columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]


def result_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables a run writes: every table with a ``run`` column (not ``runs`` itself nor the
    bench's own scratch tables), so a table added by a later change is counted without editing
    this list."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [n for n in names if n != "runs" and not n.startswith("bench_") and ("run" in columns_of(conn, n) or n in SHARED)]


def shown(table: str) -> str:
    """The name a result table is read by: ``credit_awards`` for its stored form ``credit_awards_stored``."""
    return table[:-len(STORED_SUFFIX)] if table.endswith(STORED_SUFFIX) else table


def rows_of_run(conn: sqlite3.Connection, table: str, run: int) -> int:
    """The rows ``run`` wrote to ``table`` (a shared table: all its rows)."""
    if table in SHARED:
        return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    return conn.execute(f"SELECT count(*) FROM [{table}] WHERE run = ?", (run,)).fetchone()[0]


def table_bytes(conn: sqlite3.Connection, tables: list[str]) -> dict[str, dict]:
    """Per table: its pages in the file (the table's B-tree and its indexes', whole pages) and
    the bytes of the rows themselves (``payload``: records without page overhead)."""
    sizes = {}
    for table in tables:
        names = [table] + [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,))]
        file_bytes = payload = index_bytes = 0
        for name in names:
            pages, rows = conn.execute("SELECT coalesce(sum(pgsize), 0), coalesce(sum(payload), 0) FROM dbstat WHERE name = ?",
                                       (name,)).fetchone()
            file_bytes += pages
            if name == table:
                payload = rows
            else:
                index_bytes += pages
        sizes[table] = {"file_bytes": file_bytes, "index_bytes": index_bytes, "row_payload_bytes": payload}
    return sizes


def calibrate(path: Path | str, run_name: str = "baseline", year: int = YEAR) -> dict:
    """What a finished jijiao run wrote, per result table: its rows, how they scale (per activity
    for a table with an ``activity`` column, else per practitioner), its schema and a sample of
    up to POOL rows spread evenly over the run."""
    conn = open_like_jijiao(path)
    run = conn.execute("SELECT id, practitioners, activities FROM runs WHERE name = ? AND year = ?",
                       (run_name, year)).fetchone()
    if run is None:
        raise LookupError(f"{path}: no run {run_name!r} of {year} to calibrate the fair floor on")
    run_id, practitioners, activities = run
    tables = {}
    for table in result_tables(conn):
        columns = columns_of(conn, table)
        rows = rows_of_run(conn, table, run_id)
        if not rows:
            continue
        names = ", ".join(f"[{c}]" for c in columns)
        if table in SHARED:
            sample = [list(r) for r in conn.execute(f"SELECT {names} FROM [{table}] ORDER BY rowid")]
        elif rows <= POOL:
            sample = [list(r) for r in conn.execute(f"SELECT {names} FROM [{table}] WHERE run = ? ORDER BY rowid", (run_id,))]
        else:  # POOL rows spread evenly over the run's rowids (a run's rows are written in one go)
            low, high = conn.execute(f"SELECT min(rowid), max(rowid) FROM [{table}] WHERE run = ?", (run_id,)).fetchone()
            picked = {}
            for k in range(POOL):
                row = conn.execute(f"SELECT rowid, {names} FROM [{table}] WHERE rowid >= ? AND +run = ? ORDER BY rowid LIMIT 1",
                                   (low + k * (high - low) // POOL, run_id)).fetchone()
                picked[row[0]] = list(row[1:])
            sample = [picked[rowid] for rowid in sorted(picked)]
        per = "activity" if "activity" in columns else "practitioner"
        tables[table] = {
            "columns": columns,
            "rows": rows,
            "per": per,
            # A small table of nobody's (a run's parameters, the calendar's deadlines) is written
            # whole, at the start, as jijiao writes it once per run.
            "once": table in SHARED or rows <= POOL and not any(key in columns for key in KEYS),
            "create": conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0],
            "indexes": [r[0] for r in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))],
            "sample": sample,
        }
    conn.close()
    return {"run": run_name, "year": year, "practitioners": practitioners, "activities": activities, "tables": tables}


# --------------------------------------------------------------------------------------------
# The fair floor's rows
# --------------------------------------------------------------------------------------------


def renamed(sql: str, table: str) -> str:
    """A CREATE TABLE / CREATE INDEX of ``table`` for its bench_fair_ twin (same columns, types,
    primary key and indexes)."""
    twin = PREFIX + table
    sql = re.sub(rf'^(CREATE TABLE\s+)(\[{table}\]|"{table}"|{table})', rf"\g<1>[{twin}]", sql, count=1)
    sql = re.sub(r'^(CREATE (?:UNIQUE )?INDEX\s+)(\[|")?([^\]"\s]+)(\]|")?', rf"\g<1>[{PREFIX}\g<3>]", sql, count=1)
    return re.sub(rf'(\sON\s+)(\[{table}\]|"{table}"|{table})(\s*\()', rf"\g<1>[{twin}]\g<3>", sql, count=1)


class Rows:
    """Makes one partition's result rows from the sample: as many rows of each table as the real
    run wrote, spread evenly over the practitioners (or activities), keys substituted.

    Practitioners 1..n of the year are owed ``n * rows // total`` rows of a table (activities
    likewise), counted from the year's start, so the partitions of N workers together write
    exactly the run's number of rows. ``offsets``: the practitioners and activities before this
    partition. Built before the clock starts; per row only the keys are filled in, so the
    floor's own Python is one list copy and one tuple per row.
    """

    def __init__(self, calibration: dict, run: int, offsets: tuple[int, int] = (0, 0)):
        self.people_before, self.activities_before = offsets
        self.people_total, self.activities_total = calibration["practitioners"], calibration["activities"]
        self.by_person, self.by_activity, self.once_rows = [], [], []
        for table, spec in calibration["tables"].items():
            columns = spec["columns"]
            templates = []
            for row in spec["sample"]:
                row = list(row)
                # Every cell holding the sample row's practitioner (or activity) id -- the key
                # columns, and e.g. a finding's subject -- takes the written row's own id.
                own = {key: row[columns.index(key)] for key in KEYS if key in columns}
                people = tuple(i for i, v in enumerate(row) if v is not None and v == own.get("practitioner"))
                acts = tuple(i for i, v in enumerate(row) if v is not None and v == own.get("activity"))
                if "run" in columns:
                    row[columns.index("run")] = run
                if "year" in columns:
                    row[columns.index("year")] = YEAR
                templates.append((row, people, acts))
            if spec["once"]:
                self.once_rows.append((table, [tuple(row) for row, _p, _a in templates]))
            else:
                entry = [table, spec["rows"], templates, 0]  # table, rows of the run, templates, next template
                (self.by_activity if spec["per"] == "activity" else self.by_person).append(entry)

    @staticmethod
    def _fill(entry, count: int, buffer: list, pid: str, acts: list | None) -> None:
        _table, _rows, templates, at = entry
        size = len(templates)
        for k in range(count):
            row, people, activities = templates[at]
            at = at + 1 if at + 1 < size else 0
            row = row.copy()
            for i in people:
                row[i] = pid
            if acts is not None:
                activity = acts[k * len(acts) // count]  # the owed rows spread over the year's activities
                for i in activities:
                    row[i] = activity
            buffer.append(tuple(row))
        entry[3] = at

    def fill(self, pid: str, acts: list, buffers: dict) -> None:
        """Append the rows of one practitioner's year (``acts``: their activity ids) to ``buffers``."""
        before, after = self.people_before, self.people_before + 1
        self.people_before = after
        for entry in self.by_person:
            rows = entry[1]
            count = after * rows // self.people_total - before * rows // self.people_total
            if count:
                self._fill(entry, count, buffers[entry[0]], pid, None)
        before, after = self.activities_before, self.activities_before + len(acts)
        self.activities_before = after
        for entry in self.by_activity:
            rows = entry[1]
            count = after * rows // self.activities_total - before * rows // self.activities_total
            if count:
                self._fill(entry, count, buffers[entry[0]], pid, acts)


def read_years(conn: sqlite3.Connection, since: str | None = None, until: str | None = None):
    """(practitioner id, [activity ids]) for every practitioner, reading both tables whole, in
    jijiao's order, merged -- the reading half of `jijiao.storage.practitioner_years` without
    decoding rows into models."""
    where, acts_where, bounds = "", "", []
    if since is not None:
        where, acts_where = " WHERE id >= ?", " AND practitioner >= ?"
        bounds.append(since)
    if until is not None:
        where += " AND id < ?" if where else " WHERE id < ?"
        acts_where += " AND practitioner < ?"
        bounds.append(until)
    people = conn.cursor().execute("SELECT * FROM practitioners" + where + " ORDER BY id", bounds)
    acts = conn.cursor().execute("SELECT * FROM activities WHERE year = ?" + acts_where + " ORDER BY practitioner, date, id",
                                 (YEAR, *bounds))
    names = [d[0] for d in acts.description]
    at_id, at_owner = names.index("id"), names.index("practitioner")
    pid_at = [d[0] for d in people.description].index("id")
    pending = iter(lambda: acts.fetchmany(FETCH), [])
    block, at = next(pending, []), 0
    while chunk := people.fetchmany(FETCH):
        for person in chunk:
            pid = person[pid_at]
            mine = []
            while block:
                if at == len(block):
                    block, at = next(pending, []), 0
                    continue
                row = block[at]
                if row[at_owner] > pid:
                    break
                if row[at_owner] == pid:
                    mine.append(row[at_id])
                at += 1
            yield pid, mine


def write_partition(conn: sqlite3.Connection, source: sqlite3.Connection, rows: Rows, sql: dict[str, str],
                    since=None, until=None) -> tuple[int, int, dict]:
    """Read the partition's years and write their rows: executemany every BATCH rows per table."""
    buffers = {table: [] for table in sql}
    counts = dict.fromkeys(sql, 0)

    def flush(table):
        conn.executemany(sql[table], buffers[table])
        counts[table] += len(buffers[table])
        buffers[table].clear()

    for table, once in rows.once_rows:
        buffers[table].extend(once)
    practitioners = activities = 0
    for pid, acts in read_years(source, since, until):
        practitioners += 1
        activities += len(acts)
        rows.fill(pid, acts, buffers)
        for table, buffer in buffers.items():
            if len(buffer) >= BATCH:
                flush(table)
    for table, buffer in buffers.items():
        if buffer:
            flush(table)
    return practitioners, activities, counts


def insert_sqls(calibration: dict, prefix: str) -> dict[str, str]:
    return {t: f"INSERT INTO [{prefix}{t}] ({', '.join(f'[{c}]' for c in s['columns'])}) "
               f"VALUES ({', '.join('?' for _ in s['columns'])})"
            for t, s in calibration["tables"].items()}


def partition_bounds(conn: sqlite3.Connection, workers: int) -> list[tuple[str | None, str | None]]:
    """Practitioner id ranges [since, until) of about equal size (as jijiao's workers get)."""
    total = conn.execute("SELECT count(*) FROM practitioners").fetchone()[0]
    cuts = [conn.execute("SELECT id FROM practitioners ORDER BY id LIMIT 1 OFFSET ?", (total * k // workers,)).fetchone()[0]
            for k in range(1, workers)]
    edges = [None, *cuts, None]
    return list(zip(edges, edges[1:]))


def offsets_of(conn: sqlite3.Connection, since: str | None) -> tuple[int, int]:
    """The practitioners and activities of the year before a partition (for `Rows`)."""
    if since is None:
        return 0, 0
    return (conn.execute("SELECT count(*) FROM practitioners WHERE id < ?", (since,)).fetchone()[0],
            conn.execute("SELECT count(*) FROM activities WHERE year = ? AND practitioner < ?", (YEAR, since)).fetchone()[0])


def _worker(path, out_path, calibration, rows: Rows, since, until, answers) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(out_path, isolation_level=None)
        target.execute("PRAGMA journal_mode = OFF")
        target.execute("PRAGMA synchronous = OFF")
        for table, spec in calibration["tables"].items():  # plain columns, as jijiao's scratch files
            target.execute(f"CREATE TABLE [{table}] ({', '.join(f'[{c}]' for c in spec['columns'])})")
        target.execute("BEGIN")
        counts = write_partition(target, source, rows, insert_sqls(calibration, ""), since, until)
        target.execute("COMMIT")
        answers.put((out_path, {"counts": counts}))
    except BaseException:
        answers.put((out_path, {"error": traceback.format_exc()}))


def run(path: Path | str, calibration: dict, workers: int = 1) -> dict:
    """Time the fair floor on ``path`` with ``workers`` processes; the figures as a dict."""
    conn = open_like_jijiao(path)
    tables = calibration["tables"]
    drop(conn, tables)
    for table, spec in tables.items():
        conn.execute(renamed(spec["create"], table))
        for sql in spec["indexes"]:
            conn.execute(renamed(sql, table))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    run_id = 1
    # Each partition's row maker (where its share starts: only the fair floor needs that), not timed.
    # The run's own rows (the small tables) are written once, by the first.
    bounds = [(since, until, Rows(calibration, run_id if workers < 2 else 0, offsets_of(conn, since)))
              for since, until in partition_bounds(conn, workers)]
    for _since, _until, rows in bounds[1:]:
        rows.once_rows = []
    started, cpu_before = time.perf_counter(), cpu_seconds()
    if workers < 2:
        conn.execute("BEGIN")
        practitioners, activities, counts = write_partition(conn, conn, bounds[0][2], insert_sqls(calibration, PREFIX))
        conn.execute("COMMIT")
    else:
        practitioners, activities, counts = _in_workers(conn, path, calibration, bounds, run_id)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    sizes = table_bytes(conn, [PREFIX + t for t in tables])
    written = {shown(t): conn.execute(f"SELECT count(*) FROM [{PREFIX}{t}]").fetchone()[0] for t in tables}
    drop(conn, tables)  # not part of the measurement: leave the file as it was
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    own = peak_rss_mb()
    worker_peak = peak_rss_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0.0
    return {
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "workers": max(1, workers), "activities": activities,
        "practitioners": practitioners, "rows_written": sum(written.values()), "rows_by_table": written,
        "result_file_bytes": sum(s["file_bytes"] for s in sizes.values()),
        "result_row_payload_bytes": sum(s["row_payload_bytes"] for s in sizes.values()),
        "main_process_peak_rss_mb": own, "worker_peak_rss_mb": worker_peak,
        "peak_rss_mb": round(own + (workers if workers > 1 else 0) * worker_peak, 1),
    }


def _in_workers(conn, path, calibration, bounds, run_id):
    workers = len(bounds)
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    with tempfile.TemporaryDirectory(prefix="bench-fair-") as scratch:
        parts = [str(Path(scratch) / f"part{i}.db") for i in range(workers)]
        processes = [context.Process(target=_worker, args=(str(path), part, calibration, rows, since, until, answers),
                                     daemon=True)
                     for part, (since, until, rows) in zip(parts, bounds)]
        for process in processes:
            process.start()
        done = {}
        while len(done) < workers:
            part, answer = answers.get()
            if "error" in answer:
                raise RuntimeError(f"a fair-floor worker failed:\n{answer['error']}")
            done[part] = answer["counts"]
        for process in processes:
            process.join()
        practitioners = sum(done[p][0] for p in parts)
        activities = sum(done[p][1] for p in parts)
        for i, part in enumerate(parts):
            conn.execute(f"ATTACH DATABASE ? AS part{i}", (part,))
        conn.execute("BEGIN")
        counts = {t: 0 for t in calibration["tables"]}
        for i in range(workers):  # copied in id order, in the order written, under the run's id
            for table, spec in calibration["tables"].items():
                names = ", ".join(f"[{c}]" for c in spec["columns"])
                rest = ", ".join(f"[{c}]" if c != "run" else "?" for c in spec["columns"])
                counts[table] += conn.execute(
                    f"INSERT INTO main.[{PREFIX}{table}] ({names}) SELECT {rest} FROM part{i}.[{table}] ORDER BY rowid",
                    (run_id,) if "run" in spec["columns"] else ()).rowcount
        conn.execute("COMMIT")
        for i in range(workers):
            conn.execute(f"DETACH DATABASE part{i}")
    return practitioners, activities, counts


def drop(conn: sqlite3.Connection, tables) -> None:
    for table in tables:
        conn.execute(f"DROP TABLE IF EXISTS [{PREFIX}{table}]")


def save(calibration: dict, path: Path) -> None:
    path.write_text(json.dumps(calibration, ensure_ascii=False), "utf-8")


def load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))
