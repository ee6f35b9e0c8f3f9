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
- the masking happens on the way in (``INSERT ... SELECT`` from the attached source, personal
  columns through a registered function): no raw value is ever written to the copy, so none can
  survive in a free page of the file, and no VACUUM is needed;
- the full-text indexes are built (FTS5, ``tokenize="trigram"``: the default tokenizer treats a
  run of Chinese characters as one word), after the run and outside the assessed database, so
  assessment inserts stay fast;
- codes that name a jurisdiction or a clause become foreign keys, so Datasette shows 长沙市 next
  to 430100 in tables and facets and links every clause to its quoted text;
- the analysts' pages get their summaries (datasette/summaries.py): where each result lies
  (province, city, district), pass rates per unit, the credits each clause refused or capped,
  who changed status in each what-if run.

The copy is brought up to date when the source (or its WAL) is newer, run by run: a run
already in the copy is not copied again, a run the source no longer has is removed, the tables
without runs (people, activities, projects, clauses, import records) are copied whole, and the
summaries of the new runs are added (`update_copy`). It is built afresh when this module's
`BROWSE_VERSION` changed, when it is a copy of another file, or when an earlier build stopped
half way; otherwise it is reused, so restarting the server is instant. While a server
serves it (`hold_serving`), it is never changed in place: the update goes to a new file renamed over it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import attrs
import sqlite_utils

from . import personal, result_texts, storage

BROWSE_VERSION = 6
"""Bump when the copy's shape changes, so that old copies are rebuilt. 2: masking by field
(personal.py), CSV escaping; 3: the analysts' summaries and places; 4: copied by INSERT ... SELECT
with masking on the way in, run by run; 5: explanations rendered once per step list, 16 KiB pages,
clause costs per unit; 6: an award's or recognition's rowid is (run << 40) + its stored rowid, own or
shown through (result_texts.run_rows_select)."""

BUILD_CACHE_MB = 256
"""The builder's SQLite page cache (and the source's): inserting a run into indexed tables and
creating indexes afterwards need far more than SQLite's 2 MB default."""

PAGE_SIZE = 16384
"""The copy's page size. A province's awards are rows of about 700 bytes (the explanation):
in 16 KiB pages a run is copied about 15% faster than in SQLite's default 4 KiB, and the
file is 7% smaller (measured at 20,000 people, 400,000 awards a run)."""

# (table, column) pairs that are personal even when an old database lacks column_labels rows.
FALLBACK_PERSONAL = {("practitioners", "id_number"), ("practitioners", "phone"), ("projects", "application_leader_phone")}

# The trigram indexes: table -> indexed columns. Names (people, their units, projects and hosts)
# and the clauses' published wording. Not the findings' messages: a province's run has about a
# million, whose trigram index took longer than the rest of the copy (they are filtered by
# clause and severity instead).
FTS_COLUMNS = {
    "practitioners": ["name", "unit"],
    "projects": ["name", "host"],
    "clauses": ["id", "text", "summary"],
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
# Links a result table had as a plain table and its copy, made from the view (result_texts.
# materialized_sql declares columns only), would lose: cap_applications' to its run and
# practitioner until m016 (its page shows the run's name and the practitioner's with them).
RESULT_LINKS = {"cap_applications": [("run", "runs", "id"), ("practitioner", "practitioners", "id")]}

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


# --------------------------------------------------------------------------------------------
# Full-text search and links
# --------------------------------------------------------------------------------------------


def fts_table(table: str) -> str:
    return f"{table}_fts"


def add_links(db: sqlite_utils.Database) -> None:
    """Make jurisdiction codes and clause ids foreign keys, so that Datasette labels and links them."""
    wanted = []
    # places (summaries.build_places) names every code, 广东省 too; jurisdictions only the installed
    places = ("places", "code") if db["places"].exists() else ("jurisdictions", "code")
    tables = set(db.table_names())  # a view (a results table stored another way) cannot declare keys
    for targets, (other, key) in ((JURISDICTION_COLUMNS, places), (CLAUSE_COLUMNS, ("clauses", "id"))):
        for table, columns in targets.items():
            if table not in tables:
                continue
            have = {fk.column for fk in db[table].foreign_keys}
            wanted += [(table, c, other, key) for c in columns if c in db[table].columns_dict and c not in have]
    for table, links in RESULT_LINKS.items():
        if table in tables:
            have = {fk.column for fk in db[table].foreign_keys}
            wanted += [(table, c, other, key) for c, other, key in links
                       if c in db[table].columns_dict and c not in have and other in tables]
    if db["places"].exists() and "annual_results" in tables:
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
# Copying: masked on the way in, run by run
# --------------------------------------------------------------------------------------------

def _result_places(conn, runs):
    from .datasette.summaries import result_places

    return result_places(conn, runs)


DERIVED = {"annual_results": _result_places}
"""Tables given columns of the copy's own as they are copied: table -> function(conn, runs)
returning (column names, their SQL values, the join giving them); see summaries.result_places.
Skipped where the source already has the columns."""

STEP_LISTS = "_browse_step_lists"
"""The copy's explanations, one row per step list (``id``, ``text``) a copied run uses: a province's
run has millions of awards but tens of thousands of distinct explanations, so each is rendered
from its steps once (`cache_step_lists`) and joined to the awards by id as they are copied,
instead of rendering every award's from its steps (about twice as slow at 20,000 people)."""

MADE_HERE = {"places", "result_summary", "clause_costs", "unit_clause_costs", "run_changes", "facet_counts",
             "_browse_copy", "_browse_objects", "_browse_runs", STEP_LISTS}
"""Tables the copy makes itself (summaries.py and the bookkeeping below), never taken from the source."""


@attrs.frozen
class SourceTable:
    """A table of the assessed database as the copy takes it over."""

    name: str
    sql: str  # its CREATE TABLE text, which the copy's table starts from
    columns: tuple[str, ...]
    rowid: bool  # copy the rowid too (row pages link by it); False when a column is the rowid, or none exists
    # What its rows are selected from: the source table, or (a result table stored with text ids,
    # result_texts.py) the SELECT that puts its texts in place -- the copy serves plain tables.
    rows_from: str = attrs.field(default=attrs.Factory(lambda self: f"src.[{self.name}]", takes_self=True))
    indexes_of: str = attrs.field(default=attrs.Factory(lambda self: self.name, takes_self=True))
    """The source table whose indexes it takes."""
    step_lists: tuple[str, ...] = ()
    """Its source columns holding the id of a step list (result_texts.STEPPED), cached in `STEP_LISTS`."""

    @property
    def imported(self) -> bool:
        """An input table (people, projects, activities): written only by imports and the demo,
        each of which records its batch, so it is copied again only when that changed."""
        return self.name in storage.INPUT_TABLES

    @property
    def per_run(self) -> bool:
        """Rows belonging to one run each (a ``run`` column): copied once per run, not per build."""
        return "run" in self.columns and self.name != "runs"


def source_objects(conn: sqlite3.Connection) -> tuple[dict[str, SourceTable], dict[str, str]]:
    """The attached source's tables and views (``src``), whatever they are: the copy follows the
    database, not a list kept here. Virtual tables and their shadow tables are left out."""
    rows = conn.execute("SELECT type, name, sql FROM src.sqlite_master WHERE type IN ('table', 'view') "
                        "AND name NOT LIKE 'sqlite_%' AND sql IS NOT NULL").fetchall()
    virtual = {name for kind, name, sql in rows if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")}
    present = {(kind, name) for kind, name, _sql in rows}
    # A result table stored with text ids (`<table>_stored` read through the view `<table>`) is
    # served as the plain table it reads as: Datasette 0.65 gives row pages, sorting and
    # foreign-key labels to tables only, and the summaries add columns to annual_results.
    texts_in_place = {t for t in result_texts.INTERNED
                      if ("view", t) in present and ("table", result_texts.stored_table(t)) in present}
    skipped = {result_texts.TEXT_TABLE, result_texts.STEPS_TABLE, result_texts.INHERITED, result_texts.HOLDERS} | {
        result_texts.stored_table(t) for t in texts_in_place}  # (a run's inherited rows are copied as its own)
    tables, views = {}, {}
    for table in sorted(texts_in_place):
        stored = result_texts.stored_table(table)
        rendered = result_texts.run_rows_select(conn, table, with_rowid=True, schema="src",
                                                rendered_lists=f"main.[{STEP_LISTS}]")
        tables[table] = SourceTable(
            table, result_texts.materialized_sql(conn, table, "src"),
            tuple(c for c, _t in result_texts.columns_of(conn, stored, "src")), True,
            rows_from=f"({rendered})", indexes_of=stored,
            step_lists=tuple(c for t, c in sorted(result_texts.STEPPED) if t == table))
    for kind, name, sql in rows:
        if name in MADE_HERE or name in virtual or any(name.startswith(v + "_") for v in virtual):
            continue
        if name in skipped or (kind == "view" and name in texts_in_place):
            continue
        if kind == "view":
            views[name] = sql
            continue
        info = conn.execute(f"PRAGMA src.table_info([{name}])").fetchall()
        keys = [r for r in info if r[5]]
        alias = len(keys) == 1 and keys[0][2].upper() == "INTEGER"
        try:
            conn.execute(f"SELECT rowid FROM src.[{name}] LIMIT 0")
            has_rowid = True
        except sqlite3.OperationalError:  # WITHOUT ROWID
            has_rowid = False
        tables[name] = SourceTable(name, sql, tuple(r[1] for r in info), has_rowid and not alias)
    return tables, views


def column_masks(conn: sqlite3.Connection, source: Path) -> dict[tuple[str, str], str]:
    """(table, column) -> the SQL expression that copies it masked; every other column is copied
    as it is. Personal columns by field (`personal_columns`: column_labels and the models), raw
    import rows and earlier values by key, an import error's reason by pattern."""
    src = sqlite_utils.Database(sqlite3.connect(f"file:{source}?mode=ro", uri=True))
    try:
        masks = {(t, c): f"jijiao_mask('{c}', [{c}])" for t, c in personal_columns(src)}
        keys = personal_keys(src) if (src["import_errors"].exists() or src["import_changes"].exists()) else {}
    finally:
        src.conn.close()
    conn.create_function("jijiao_mask", 2, mask_personal, deterministic=True)
    conn.create_function("jijiao_scrub_raw", 1, lambda raw: scrub_raw_row(raw, keys), deterministic=True)
    conn.create_function("jijiao_scrub_text", 1, scrub_text, deterministic=True)
    masks[("import_errors", "raw")] = "jijiao_scrub_raw([raw])"
    masks[("import_errors", "reason")] = "jijiao_scrub_text([reason])"  # an older jijiao may quote the value it refused
    masks[("import_changes", "before")] = "jijiao_scrub_raw([before])"  # a changed phone's earlier value
    return masks


def copy_rows(conn: sqlite3.Connection, table: SourceTable, masks: dict, runs: list[int] | None = None) -> None:
    """INSERT ... SELECT from the source, masking on the way (no raw personal value is ever
    written to the copy, so no free page can hold one); ``runs``: only those runs' rows. A table
    the analysts' pages count by place gets its places as it is copied (`DERIVED`)."""
    names = ["rowid"] * table.rowid + list(table.columns)
    values = ["t.rowid"] * table.rowid + [masks.get((table.name, c), f"t.[{c}]") for c in table.columns]
    join = ""
    if table.name in DERIVED and not {"province", "city", "district"} & set(table.columns):
        chosen = runs if runs is not None else [r for (r,) in conn.execute(f"SELECT DISTINCT run FROM src.[{table.name}]")]
        columns, expressions, join = DERIVED[table.name](conn, chosen)
        have = {r[1] for r in conn.execute(f"PRAGMA main.table_info([{table.name}])")}
        for column in columns:
            if column not in have:
                conn.execute(f"ALTER TABLE main.[{table.name}] ADD COLUMN [{column}] TEXT")
        names += columns
        values += expressions
    if runs is not None and not runs:
        return  # (the derived columns are there all the same: the pages' queries name them)
    cache_step_lists(conn, table, runs)
    where = f" WHERE t.run IN ({', '.join(str(int(r)) for r in runs)})" if runs is not None else ""
    conn.execute(f"INSERT INTO main.[{table.name}] ({', '.join(f'[{n}]' for n in names)}) "
                 f"SELECT {', '.join(values)} FROM {table.rows_from} AS t {join}{where}")


def cache_step_lists(conn: sqlite3.Connection, table: SourceTable, runs: list[int] | None) -> None:
    """Render into `STEP_LISTS` the step lists that ``table``'s rows of ``runs`` (None: all) use
    and the copy does not have yet. Only lists of runs the copy takes in are cached: such a
    list stays in the source as long as its run does (result_texts.prune keeps every list a
    stored row uses), and the cache is emptied whenever a run leaves the copy (`update_copy`),
    so an id in the cache always means the list it was rendered from."""
    if not table.step_lists:
        return
    where = ""
    if runs is not None:  # the runs' own rows, and those of the runs holding rows they show through
        listed = ", ".join(str(int(r)) for r in runs)
        holders = (f" OR run IN (SELECT holder FROM src.[{result_texts.HOLDERS}] WHERE run IN ({listed}))"
                   if result_texts.exists(conn, result_texts.HOLDERS, "table", "src") else "")
        where = f" AND (run IN ({listed}){holders})"
    used = " UNION ".join(f"SELECT [{c}] FROM src.[{table.indexes_of}] WHERE [{c}] IS NOT NULL{where}"
                          for c in table.step_lists)
    conn.execute(f"INSERT INTO main.[{STEP_LISTS}] (id, text) SELECT u.id, {result_texts.step_list_text('u.id', 'src.')} "
                 f"FROM src.[{result_texts.STEPS_TABLE}] u WHERE u.id IN ({used}) "  # (not "l": step_list_text's own)
                 f"AND u.id NOT IN (SELECT id FROM main.[{STEP_LISTS}])")


def create_table(conn: sqlite3.Connection, table: SourceTable) -> None:
    """The table as the source declares it, without its indexes (made after the rows: faster)."""
    conn.execute(f"DROP TABLE IF EXISTS main.[{table.name}]")
    conn.execute(table.sql)  # an unqualified CREATE TABLE: it goes into main, the copy


def create_indexes(conn: sqlite3.Connection, table: SourceTable) -> None:
    for (sql,) in conn.execute("SELECT sql FROM src.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                               "AND sql IS NOT NULL", [table.indexes_of]).fetchall():
        if table.indexes_of != table.name:
            sql = result_texts.index_on(sql, table.indexes_of, table.name)
        conn.execute(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                     .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))


def fts_rows(conn: sqlite3.Connection, table: str, runs: list[int], command: str | None = None) -> None:
    """Add (or, with ``command='delete'``, remove) the given runs' rows in ``table``'s trigram index."""
    if table not in FTS_COLUMNS or not runs:
        return
    name, columns = fts_table(table), ", ".join(f"[{c}]" for c in FTS_COLUMNS[table])
    head = f"INSERT INTO [{name}]([{name}], rowid, {columns}) SELECT 'delete', " if command == "delete" \
        else f"INSERT INTO [{name}](rowid, {columns}) SELECT "
    conn.execute(f"{head}rowid, {columns} FROM main.[{table}] WHERE run IN ({', '.join(str(int(r)) for r in runs)})")


def build_fts_of(conn: sqlite3.Connection, table: str) -> None:
    """A table's external-content FTS5 trigram index, built from its rows (rowid-keyed)."""
    if table not in FTS_COLUMNS:
        return
    name = fts_table(table)
    conn.execute(f"DROP TABLE IF EXISTS main.[{name}]")
    cols = ", ".join(f"[{c}]" for c in FTS_COLUMNS[table])
    conn.execute(f"CREATE VIRTUAL TABLE main.[{name}] USING fts5({cols}, content=[{table}], tokenize='trigram')")
    conn.execute(f"INSERT INTO main.[{name}]([{name}]) VALUES ('rebuild')")


@attrs.frozen
class Update:
    """What one build did, for the caller and the bookkeeping table."""

    fresh: bool
    runs: tuple[int, ...]  # every complete run, now in the copy
    runs_added: tuple[int, ...]
    runs_removed: tuple[int, ...]
    years_changed: tuple[int, ...]  # years with a run added or removed
    tables_copied: tuple[str, ...]  # copied whole: every table without runs, and run tables new to the copy
    seconds: dict = attrs.Factory(dict)  # step -> seconds: where the build's time went (bench/browse.py prints it)


class Stopwatch:
    """Seconds per named step, added up (``with watch("credit_awards"): ...``)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, step: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - started


def input_fingerprint(conn: sqlite3.Connection, table: SourceTable, source: Path) -> str:
    """What says an input table is as the copy last took it: its row count and highest rowid,
    every import batch so far, and the source file itself (a new file at the same path is
    another database). Every write to these tables goes through `jijiao import` or `jijiao
    demo`, each leaving an ``import_batches`` row; a change made behind jijiao's back (an UPDATE
    in the sqlite3 shell) is not seen: ``jijiao serve --rebuild`` copies everything afresh."""
    top = "max(rowid)" if table.rowid else "NULL"
    count, highest = conn.execute(f"SELECT count(*), {top} FROM src.[{table.name}]").fetchone()
    try:
        batches = conn.execute("SELECT count(*), group_concat(x, '|') FROM (SELECT id || '@' || "
                               "coalesce(finished_at, started_at, '') AS x FROM src.import_batches ORDER BY rowid)").fetchone()
    except sqlite3.OperationalError:  # an old database without import records
        batches = None
    stat = source.stat()
    return json.dumps([count, highest, batches, stat.st_dev, stat.st_ino], ensure_ascii=False)


def update_copy(conn: sqlite3.Connection, source: Path, fresh: bool, watch: Stopwatch) -> Update:
    """Bring the copy (``main``) up to date with the source (attached as ``src``), in one transaction.

    Tables of run rows (a ``run`` column) keep the runs already copied: only runs completed since
    are added, and a run the source no longer has in the same form (deleted, or replaced by a
    rerun that reused its id) is removed. The input tables (people, projects, activities) are
    copied again only when an import changed them (`input_fingerprint`); the other tables (the
    reference tables each run rewrites, the runs, import records: small) every time. A table
    whose CREATE TABLE text changed in the source is copied again whole."""
    tables, views = source_objects(conn)
    masks = column_masks(conn, source)
    conn.execute("CREATE TABLE IF NOT EXISTS main._browse_objects (name TEXT PRIMARY KEY, type TEXT, sql TEXT, fingerprint TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS main._browse_runs (id INTEGER PRIMARY KEY, year INTEGER, started_at TEXT, finished_at TEXT)")
    conn.execute(f"CREATE TABLE IF NOT EXISTS main.[{STEP_LISTS}] (id INTEGER PRIMARY KEY, text TEXT)")
    held = {name: (kind, sql, mark) for name, kind, sql, mark in conn.execute("SELECT * FROM main._browse_objects")}
    complete = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, year, started_at, finished_at FROM src.runs WHERE status = 'complete'")} if "runs" in tables else {}
    copied = {r[0]: r[1:] for r in conn.execute("SELECT id, year, started_at, finished_at FROM main._browse_runs")}
    removed = sorted(r for r in copied if complete.get(r) != copied[r])
    added = sorted(r for r in complete if copied.get(r) != complete[r])
    whole = []
    if removed:  # a removed run's lists may be gone from the source, their ids reused (cache_step_lists)
        conn.execute(f"DELETE FROM main.[{STEP_LISTS}]")
    # Views go first (one may stand where a table was) and come back last, from the source's text.
    for name, (kind, _sql, _mark) in held.items():
        if kind == "view":
            conn.execute(f"DROP VIEW IF EXISTS main.[{name}]")
    for name, (kind, sql, _mark) in held.items():
        if kind == "table" and (name not in tables or tables[name].sql != sql):
            conn.execute(f"DROP TABLE IF EXISTS main.[{fts_table(name)}]")
            conn.execute(f"DROP TABLE IF EXISTS main.[{name}]")
    conn.execute("DELETE FROM main._browse_objects")
    for table in tables.values():
        same_table = held.get(table.name, (None, None, None))[:2] == ("table", table.sql)
        mark = input_fingerprint(conn, table, source) if table.imported else None
        with watch(table.name):
            if same_table and table.per_run:
                fts_rows(conn, table.name, removed, "delete")
                if removed:
                    conn.execute(f"DELETE FROM main.[{table.name}] WHERE run IN ({', '.join(map(str, removed))})")
                copy_rows(conn, table, masks, added)
                fts_rows(conn, table.name, added)
            elif not (same_table and mark is not None and held[table.name][2] == mark):
                whole.append(table.name)
                conn.execute(f"DROP TABLE IF EXISTS main.[{fts_table(table.name)}]")
                create_table(conn, table)
                copy_rows(conn, table, masks, sorted(complete) if table.per_run else None)
                create_indexes(conn, table)
                build_fts_of(conn, table.name)
        conn.execute("INSERT INTO main._browse_objects VALUES (?, 'table', ?, ?)", [table.name, table.sql, mark])
    for name, sql in views.items():
        conn.execute(sql)
        conn.execute("INSERT INTO main._browse_objects VALUES (?, 'view', ?, NULL)", [name, sql])
    conn.execute("DELETE FROM main._browse_runs")
    conn.executemany("INSERT INTO main._browse_runs VALUES (?, ?, ?, ?)", [(r, *v) for r, v in complete.items()])
    years = {complete[r][0] for r in added} | {copied[r][0] for r in removed}
    if "annual_results" in whole:
        years |= {v[0] for v in complete.values()}
    return Update(fresh, tuple(sorted(complete)), tuple(added), tuple(removed), tuple(sorted(years)), tuple(whole),
                  watch.seconds)


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


def copy_state(copy: Path) -> dict | None:
    """The copy's bookkeeping row (version, source, state), or None if it is no copy of ours."""
    if not copy.exists():
        return None
    try:
        with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM _browse_copy").fetchone()
            return dict(row) if row else None
    except sqlite3.Error:
        return None


def is_current(source: Path, copy: Path) -> bool:
    if not copy.exists() or copy.stat().st_mtime < source_mtime(source):
        return False
    state = copy_state(copy)
    return bool(state) and state.get("version") == BROWSE_VERSION and state.get("state", "ready") == "ready"


def can_update(source: Path, copy: Path) -> bool:
    """Whether ``copy`` is a finished copy of ``source`` in this version, so runs can be added to it."""
    state = copy_state(copy)
    return bool(state) and state.get("version") == BROWSE_VERSION and state.get("state") == "ready" \
        and state.get("source") == str(source.resolve())


def lock_file(copy: Path, what: str):
    path = copy.with_name(copy.name + f".{what}.lock")
    return open(path, "a+")


def hold_serving(copy: str | Path):
    """Taken by whoever serves ``copy`` (`datasette.server.make_datasette`, for as long as the
    returned handle is open; the process's end releases it): a shared lock beside the copy.
    Datasette reads the file immutable, so while anyone holds this the builder never changes the
    file in place; it updates a new one and renames it over (the server keeps reading the one it
    has open). Waits while a builder is updating the file in place. None where no lock file can
    be made beside the copy (a read-only folder: then no builder can write there either)."""
    import fcntl

    try:
        handle = lock_file(Path(copy), "serve")
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def build_browse_copy(source: str | Path, dest: str | Path | None = None, *, force: bool = False) -> tuple[Path, bool]:
    """Make, bring up to date or reuse the masked, indexed copy of ``source``; returns its path
    and whether anything was built. ``force``: build it afresh even if it could be updated."""
    return update_browse_copy(source, dest, force=force)[:2]


def update_browse_copy(source: str | Path, dest: str | Path | None = None, *,
                       force: bool = False) -> tuple[Path, bool, Update | None]:
    """`build_browse_copy`, also saying what it did (None: the copy was current)."""
    import fcntl

    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    dest = Path(dest) if dest else browse_path(source)
    if not force and is_current(source, dest):
        return dest, False, None
    with lock_file(dest, "build") as build_lock:
        fcntl.flock(build_lock, fcntl.LOCK_EX)  # one builder at a time
        if not force and is_current(source, dest):  # another builder just did it
            return dest, False, None
        started = time.perf_counter()
        fresh = force or not can_update(source, dest)
        with lock_file(dest, "serve") as serve_lock:
            try:
                fcntl.flock(serve_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                in_place = not fresh  # nobody serves it: add the new runs to the file itself
            except BlockingIOError:
                in_place = False  # served right now: update a copy of it, then rename over
            target = dest if in_place else dest.with_name(dest.name + ".tmp")
            if not in_place:
                target.unlink(missing_ok=True)
                if not fresh:
                    shutil.copyfile(dest, target)
            try:
                update = build_into(source, target, fresh, started)
            except sqlite3.IntegrityError:
                # a rowid the source reused (after a VACUUM there) clashes with a kept run's row:
                # start again from nothing rather than mix them
                if target == dest:
                    target = dest.with_name(dest.name + ".tmp")
                target.unlink(missing_ok=True)
                update = build_into(source, target, True, started)
            if target != dest:
                os.replace(target, dest)
    return dest, True, update


def build_into(source: Path, target: Path, fresh: bool, started: float) -> Update:
    """Build (``fresh``) or update the copy at ``target`` from ``source``."""
    from .datasette.summaries import update_summaries

    if fresh:
        target.unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        if fresh:  # before the first table: a copy's later updates keep its page size
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode = DELETE")  # served immutable: no WAL beside it
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS _browse_copy (version INTEGER, source TEXT, built_at TEXT, "
                     "seconds REAL, state TEXT, added TEXT, removed TEXT)")
        # A build that stops half way leaves "updating" (on disk before anything else changes):
        # the next one starts afresh. So the bulk of the work needs no rollback journal, which
        # for a run removed in place would first write every page it frees to the journal.
        conn.execute("DELETE FROM _browse_copy")
        conn.execute("INSERT INTO _browse_copy (version, source, state) VALUES (?, ?, 'updating')",
                     [BROWSE_VERSION, str(source.resolve())])
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        # index upkeep and creation sort in the page cache: 2 MB by default, 256 MB here
        conn.execute(f"PRAGMA cache_size = -{BUILD_CACHE_MB * 1024}")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("ATTACH DATABASE ? AS src", [f"file:{source}?mode=ro"])
        conn.execute(f"PRAGMA src.cache_size = -{BUILD_CACHE_MB * 1024}")
        conn.execute("BEGIN")
        watch = Stopwatch()
        update = update_copy(conn, source, fresh, watch)
        db = sqlite_utils.Database(conn)
        update_summaries(db, update, watch)
        with watch("commit"):
            conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        with watch("links"):
            add_links(db)
        with watch("analyze"):
            conn.execute("PRAGMA analysis_limit = 1000")  # statistics from a sample: seconds saved at a province's size
            conn.execute("ANALYZE")
            if db["annual_results"].exists():
                # ... but the results (people-sized: 0.6 s at 400,000) in full: from the sample, a
                # unit's page grouped its facets over the whole run by (run, city) or (run, title)
                # instead of reading the unit's rows by (run, unit) (0.28 s against 0.01 s)
                conn.execute("PRAGMA analysis_limit = 0")
                conn.execute("ANALYZE annual_results")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")  # this commit's fsync puts every page written above on disk first
        conn.execute("UPDATE _browse_copy SET state = 'ready', built_at = ?, seconds = ?, added = ?, removed = ?",
                     [storage.now_text(), round(time.perf_counter() - started, 3),
                      json.dumps(update.runs_added), json.dumps(update.runs_removed)])
    finally:
        conn.close()
    return update
