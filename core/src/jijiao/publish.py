"""The browse copy: what Datasette serves instead of the assessed database itself.

Datasette answers arbitrary SQL and offers every table as HTML, JSON and CSV, so hiding personal
data in rendered cells is not enough: a ``select id_number from practitioners`` would still
return it. `jijiao serve` therefore serves a *copy* of the database (``<db>.browse.db``), made
by `build_browse_copy` and served immutable, in which:

- every personal column (``column_labels.personal = 1``: 身份证号, 联系电话, 项目负责人联系电话)
  is masked: ``210102199001011234`` -> ``2101**********1234``, ``13812345678`` -> ``138****5678``;
- rows kept for correction (``import_errors.raw``) have their personal values masked by key
  (personal.py: by field, whatever the value looks like), a row that cannot be read by key
  masked whole, and anything else that looks like an ID or mobile number masked by pattern;
- ``secure_delete`` and a final VACUUM make sure no raw value survives in a free page of the file;
- the full-text indexes are built (FTS5, ``tokenize="trigram"``: the default tokenizer treats a
  run of Chinese characters as one word), after the run and outside the assessed database, so
  assessment inserts stay fast;
- codes that name a jurisdiction or a clause become foreign keys, so Datasette shows 长沙市 next
  to 430100 in tables and facets and links every clause to its quoted text;
- the analysts' pages get their summaries (datasette/summaries.py): where each result lies
  (province, city, district), pass rates per unit, the credits each clause refused or capped,
  who changed status in each what-if run.

The copy is rebuilt when the source (or its WAL) is newer, or when this module's `BROWSE_VERSION`
changed; otherwise it is reused, so restarting the server is instant.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from . import personal, result_texts, storage
from .datasette.summaries import build_summaries

BROWSE_VERSION = 4  # 2: masking by field (personal.py), CSV escaping; 3: the analysts' summaries and places; 4: result texts in place
"""Bump when the copy's shape changes, so that old copies are rebuilt."""

# (table, column) pairs that are personal even when an old database lacks column_labels rows.
FALLBACK_PERSONAL = {("practitioners", "id_number"), ("practitioners", "phone"), ("projects", "application_leader_phone")}

# The trigram indexes: table -> indexed columns. Names (people, their units, projects and hosts),
# the clauses' published wording and the findings' messages.
FTS_COLUMNS = {
    "practitioners": ["name", "unit"],
    "projects": ["name", "host"],
    "clauses": ["id", "text", "summary"],
    "findings": ["message", "consequence"],
}

# Columns holding a jurisdiction code or a clause id, made foreign keys in the copy.
JURISDICTION_COLUMNS = {
    "practitioners": ["jurisdiction"],
    "projects": ["jurisdiction"],
    "annual_results": ["jurisdiction"],
    "credit_awards": ["jurisdiction"],
    "findings": ["jurisdiction"],
    "deadlines": ["jurisdiction"],
    "recognitions": ["jurisdiction"],
    "requirement_results": ["jurisdiction"],
}
CLAUSE_COLUMNS = {
    "findings": ["clause"],
    "deadlines": ["clause"],
    "recognitions": ["clause"],
    "cap_applications": ["clause"],
    "requirement_results": ["clause"],
    "annual_results": ["deemed_clause"],
}

# --------------------------------------------------------------------------------------------
# Masking (personal.py: by field, wherever the value is)
# --------------------------------------------------------------------------------------------

mask_id_number = personal.mask_id_number
mask_phone = personal.mask_phone
mask_personal = personal.mask_personal
scrub_text = personal.scrub_text


def personal_columns(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """(table, column) pairs marked personal, from column_labels (and the models, as a fallback)."""
    found = set(FALLBACK_PERSONAL)
    if db["column_labels"].exists():
        found |= {(t, c) for t, c in db.execute("SELECT table_name, column_name FROM column_labels WHERE personal = 1")}
    found |= {(t, c) for t, c, _zh, _unit, personal_ in storage.column_label_rows(storage.schema_of(db)) if personal_}
    return {(t, c) for t, c in found if db[t].exists() and c in db[t].columns_dict}


def personal_keys(db: sqlite_utils.Database) -> dict[str, str]:
    """The keys a raw import row may use for a personal value -> what it holds: the models'
    personal fields (personal.personal_fields) and any column the database marks personal."""
    keys = dict(personal.personal_fields())
    for table, column in personal_columns(db):
        keys.setdefault(column, column)
    if db["column_labels"].exists():
        for column, zh in db.execute("SELECT column_name, zh FROM column_labels WHERE personal = 1 AND zh IS NOT NULL"):
            keys.setdefault(zh, column)
            keys.setdefault(zh.split("：", 1)[-1], column)
    return keys


def scrub_raw_row(raw: str | None, keys) -> str | None:
    """An import error's raw row with its personal values masked by key (``keys``: a set of keys,
    or key -> what it holds); a row that cannot be read by key is masked whole."""
    if not isinstance(keys, dict):
        keys = {k: ("id_number" if "身份证" in k or "id_number" in k else k) for k in keys}
    return personal.mask_raw_row(raw, keys)


def mask_database(db: sqlite_utils.Database) -> None:
    db.conn.create_function("jijiao_mask", 2, mask_personal, deterministic=True)
    for table, column in sorted(personal_columns(db)):
        db.execute(f"UPDATE [{table}] SET [{column}] = jijiao_mask(?, [{column}]) WHERE [{column}] <> ''", (column,))
    if db["import_errors"].exists():
        keys = personal_keys(db)
        db.conn.create_function("jijiao_scrub_raw", 1, lambda raw: scrub_raw_row(raw, keys), deterministic=True)
        db.execute("UPDATE import_errors SET raw = jijiao_scrub_raw(raw)")
        # A reason written by an older jijiao may quote the value it refused.
        db.conn.create_function("jijiao_scrub_text", 1, scrub_text, deterministic=True)
        db.execute("UPDATE import_errors SET reason = jijiao_scrub_text(reason)")
    if db["import_changes"].exists():  # a changed phone's earlier value is personal too
        keys = personal_keys(db)
        db.conn.create_function("jijiao_scrub_raw", 1, lambda raw: scrub_raw_row(raw, keys), deterministic=True)
        db.execute("UPDATE import_changes SET before = jijiao_scrub_raw(before) WHERE before IS NOT NULL")


# --------------------------------------------------------------------------------------------
# Full-text search and links
# --------------------------------------------------------------------------------------------


def fts_table(table: str) -> str:
    return f"{table}_fts"


def build_fts(db: sqlite_utils.Database) -> None:
    """One external-content FTS5 trigram index per table in `FTS_COLUMNS` (rowid-keyed)."""
    for table, columns in FTS_COLUMNS.items():
        if not db[table].exists():
            continue
        name = fts_table(table)
        db.execute(f"DROP TABLE IF EXISTS [{name}]")
        cols = ", ".join(f"[{c}]" for c in columns)
        db.execute(f"CREATE VIRTUAL TABLE [{name}] USING fts5({cols}, content=[{table}], tokenize='trigram')")
        db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('rebuild')")


def add_links(db: sqlite_utils.Database) -> None:
    """Make jurisdiction codes and clause ids foreign keys, so that Datasette labels and links them."""
    wanted = []
    # places (summaries.build_places) names every code, 广东省 too; jurisdictions only the installed
    places = ("places", "code") if db["places"].exists() else ("jurisdictions", "code")
    for targets, (other, key) in ((JURISDICTION_COLUMNS, places), (CLAUSE_COLUMNS, ("clauses", "id"))):
        for table, columns in targets.items():
            if not db[table].exists():
                continue
            have = {fk.column for fk in db[table].foreign_keys}
            wanted += [(table, c, other, key) for c in columns if c in db[table].columns_dict and c not in have]
    if db["places"].exists():
        have = {fk.column for fk in db["annual_results"].foreign_keys}
        wanted += [("annual_results", c, "places", "code") for c in ("province", "city", "district")
                   if c in db["annual_results"].columns_dict and c not in have]
    if wanted:
        declare_foreign_keys(db, wanted)


def declare_foreign_keys(db: sqlite_utils.Database, wanted: list[tuple[str, str, str, str]]) -> None:
    """Add FOREIGN KEY clauses to the tables' declared schema, in place.

    sqlite-utils' ``add_foreign_keys`` copies every table it touches (``transform``), which for a
    province's credit awards is most of the copy's build time. A foreign key changes nothing in
    the stored rows, so the SQLite documentation's procedure for such schema changes is enough:
    rewrite the CREATE TABLE text through ``writable_schema`` and bump ``schema_version``. The
    copy is never written by anything that enforces the keys (it is served immutable)."""
    by_table: dict[str, list[tuple[str, str, str]]] = {}
    for table, column, other, key in wanted:
        by_table.setdefault(table, []).append((column, other, key))
    rewritten = {}
    for table, keys in by_table.items():
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
        body = sql.rstrip()
        if not body.endswith(")"):  # WITHOUT ROWID or STRICT: leave it to sqlite-utils
            db.add_foreign_keys([(table, c, o, k) for c, o, k in keys])
            continue
        clauses = "".join(f",\n   FOREIGN KEY([{c}]) REFERENCES [{o}]([{k}])" for c, o, k in keys)
        rewritten[table] = body[:-1].rstrip() + clauses + "\n)"
    if not rewritten:
        return
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        with db.conn:
            for table, sql in rewritten.items():
                db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", [sql, table])
            db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    for table, keys in by_table.items():  # read back: the schema parses and holds every key
        have = {(fk.column, fk.other_table) for fk in db[table].foreign_keys}
        missing = [(c, o) for c, o, _k in keys if (c, o) not in have]
        if missing:
            raise RuntimeError(f"browse copy: foreign keys not declared on {table}: {missing}")


# --------------------------------------------------------------------------------------------
# Building and reusing the copy
# --------------------------------------------------------------------------------------------


def browse_path(source: str | Path) -> Path:
    source = Path(source)
    return source.with_name(source.name + ".browse.db") if source.suffix != ".db" else source.with_suffix(".browse.db")


def source_mtime(source: Path) -> float:
    """When the source last changed, counting its WAL (a WAL-mode write may not touch the main file)."""
    times = [source.stat().st_mtime]
    wal = source.with_name(source.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        times.append(wal.stat().st_mtime)
    return max(times)


def is_current(source: Path, copy: Path) -> bool:
    if not copy.exists() or copy.stat().st_mtime < source_mtime(source):
        return False
    try:
        with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT version FROM _browse_copy").fetchone() == (BROWSE_VERSION,)
    except sqlite3.Error:
        return False


def build_browse_copy(source: str | Path, dest: str | Path | None = None, *, force: bool = False) -> tuple[Path, bool]:
    """Make (or reuse) the masked, indexed copy of ``source``; returns its path and whether it was built."""
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    dest = Path(dest) if dest else browse_path(source)
    if not force and is_current(source, dest):
        return dest, False
    started = time.perf_counter()
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(tmp) as out:
        src.backup(out)
    db = sqlite_utils.Database(tmp)
    db.execute("PRAGMA journal_mode = DELETE")  # served immutable: no WAL beside it
    db.execute("PRAGMA secure_delete = ON")  # overwritten values are zeroed, not left in free pages
    with db.atomic():
        result_texts.materialize(db.conn)  # the result views as tables again, their texts in place
        mask_database(db)
        build_fts(db)
        build_summaries(db)  # places, per-unit summaries, clause costs, what-if changes, indexes
    add_links(db)
    db.execute("DROP TABLE IF EXISTS _browse_copy")
    db["_browse_copy"].insert({
        "version": BROWSE_VERSION, "source": str(source.resolve()), "built_at": storage.now_text(),
        "seconds": round(time.perf_counter() - started, 3),
    })
    db.execute("ANALYZE")
    db.vacuum()
    db.close()
    os.replace(tmp, dest)
    return dest, True
