"""Digests of a jijiao database, to show that a change left the results as they were.

    python bench/digest.py results demo.db [--run baseline] [--year 2026]
        one SHA-256 per result table of the run (rows sorted, the run's id left out), and the
        row count; two databases whose digests agree hold the same results.
    python bench/digest.py inputs demo.db OUTDIR
        the input tables as JSON Lines (practitioners.jsonl, projects.jsonl, activities.jsonl),
        in the documented import format, so that the same population can be imported and
        assessed again by a later version of jijiao (``jijiao import``) and compared.

Only the standard library: this script must read databases written by any version.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
from pathlib import Path

RESULT_TABLES = [
    "credit_awards", "annual_results", "requirement_results", "cap_applications", "findings", "deadlines",
    "recognitions",
]
PROVENANCE = {"import_batch", "source_file", "source_row", "imported_at", "source", "withdrawn", "withdrawn_at"}
NESTED = ("application", "execution")


def run_id(conn: sqlite3.Connection, name: str, year: int | None) -> int:
    sql = "SELECT id FROM runs WHERE name = ? AND status = 'complete'" + (" AND year = ?" if year else "")
    row = conn.execute(sql + " ORDER BY id DESC LIMIT 1", (name, year) if year else (name,)).fetchone()
    if row is None:
        raise SystemExit(f"no complete run named {name!r}")
    return row[0]


def table_digest(conn: sqlite3.Connection, table: str, run: int, skip: set[str]) -> tuple[str, int]:
    columns = sorted(r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] != "run" and r[1] not in skip)
    rows = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] WHERE run = ?", (run,)).fetchall()
    lines = sorted(json.dumps(list(r), ensure_ascii=False, default=str) for r in rows)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return digest, len(rows)


def results(path: str, name: str, year: int | None, skip: set[str]) -> dict[str, tuple[str, int]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    run = run_id(conn, name, year)
    return {t: table_digest(conn, t, run, skip) for t in RESULT_TABLES}


def dump_inputs(path: str, out: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in ("practitioners", "projects", "activities"):
        n = 0
        with (out / f"{table}.jsonl").open("w", encoding="utf-8") as handle:
            for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY id"):
                if "withdrawn" in row.keys() and row["withdrawn"]:
                    continue  # gone from the latest version of its source: not an input any more
                record: dict = {}
                nested: dict[str, dict] = {}
                for key in row.keys():
                    value = row[key]
                    if key in PROVENANCE or value is None or key.startswith("has_"):
                        continue
                    part = next((p for p in NESTED if key.startswith(p + "_")), None)
                    if table == "projects" and part:
                        nested.setdefault(part, {})[key[len(part) + 1:]] = value
                    else:
                        record[key] = value
                for part in NESTED:
                    if table == "projects" and row[f"has_{part}"]:
                        record[part] = nested.get(part, {})
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
        counts[table] = n
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("results")
    r.add_argument("db")
    r.add_argument("--run", default="baseline")
    r.add_argument("--year", type=int)
    r.add_argument("--skip", default="", help="comma-separated columns to leave out of every digest")
    i = sub.add_parser("inputs")
    i.add_argument("db")
    i.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "results":
        skip = {c for c in args.skip.split(",") if c}
        for table, (digest, count) in results(args.db, args.run, args.year, skip).items():
            print(f"{table:20} {count:8d}  {digest[:16]}")
    else:
        for table, count in dump_inputs(args.db, args.out).items():
            print(f"{table}: {count} rows → {args.out / (table + '.jsonl')}")


if __name__ == "__main__":
    main()
