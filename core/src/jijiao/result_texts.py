"""The repeated text of the result tables, stored once: explanations, clause lists, reasons, messages.

A year's credit awards repeat a few thousand explanation steps and a few dozen clause lists;
findings, recognitions and annual results repeat their messages and reasons the same way. So a
run stores each such text once, in ``result_texts`` (``id``, ``text``), and its result rows hold
the text's id; an explanation is stored as its list of steps (``result_step_lists``: the ids of
its lines, in order), since the steps repeat even where a whole explanation does not (a step
naming the other records of the same project is one activity's own). Whoever reads sees the
text: each table in `INTERNED` is stored as ``<table>_stored`` (same columns, in the same order,
the interned ones holding ids) and read through a view under the table's own name
(``credit_awards``) that puts each text back in place, byte for byte. Every query, export,
comparison and digest reads the views, exactly as it read the tables; only the writers
(`ResultWriter`, the copy of a worker's partition, deleting a run) and the browse copy
(publish.py: copied as plain tables through `rendered_select` and `materialized_sql`, since
Datasette's row pages, sorting and foreign-key labels need tables) know the
stored form.

Whole texts and whole lines are interned, not templates with arguments: a text reads back as the
rule wrote it whatever the plugin put in it, and an id is 1-3 bytes. The one exception is a line
the rule composed (`models.Composed`: 辽宁 三(一)'s step naming a project's records, one per
record): it is stored as the ids of its pieces, ``[7, 4021, 88]`` in its place in the list, so the
piece naming the records is stored once for the project's steps and its cap, and the wording
once for everyone -- rather than a whole line per record, which made the texts grow with the
population (852,533 distinct texts at 400,000 practitioners). It reads back the same: its
pieces joined, in order. Texts are found by a 64-bit
hash of their bytes (``key``, indexed; the text itself is compared, so two texts with one hash
stay two), since a unique index on the texts themselves would be larger than they are. They are
shared by all runs (a what-if repeats most of its baseline's) and never rewritten; a text no run
uses any more stays, unused, until `prune`. Only jijiao writes them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Sequence

from . import storage
from .models import Composed

TEXT_TABLE = "result_texts"
STEPS_TABLE = "result_step_lists"

INTERNED: dict[str, tuple[str, ...]] = {
    "credit_awards": ("kind", "status", "category", "clauses", "explanation", "cap_group", "missing_document"),
    "cap_applications": ("cap", "clause"),
    "annual_results": ("reason", "deemed_complete", "caps_applied", "missing_layers", "missing_documents", "chain"),
    "findings": ("message", "consequence", "clause"),
    "recognitions": ("clause", "reason"),
}
"""The result tables stored with text ids, and their columns that hold an id of a text."""

STEPPED = {("credit_awards", "explanation"), ("cap_applications", "cap"), ("annual_results", "caps_applied")}
"""The interned columns whose texts are stored as lists of their lines (``result_step_lists``),
each line a text or, where the rule composed it (`models.Composed`), the list of its pieces."""

STEP = "\n"  # an explanation's steps are its lines: "1. …\n2. …"

STORED_SUFFIX = "_stored"


def stored_table(table: str) -> str:
    """The table a result table's rows are written to: ``credit_awards_stored`` for an interned
    table (``credit_awards`` is then the view that reads it), else the table itself."""
    return table + STORED_SUFFIX if table in INTERNED else table


def create_text_table(conn: sqlite3.Connection, schema: str = "main") -> None:
    """``result_texts`` and ``result_step_lists`` (``steps``: a JSON list of text ids), each
    with its index of hashes."""
    for table, column in ((TEXT_TABLE, "text"), (STEPS_TABLE, "steps")):
        conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.[{table}] "
                     f"(id INTEGER PRIMARY KEY, key INTEGER NOT NULL, [{column}] TEXT NOT NULL)")
        conn.execute(f"CREATE INDEX IF NOT EXISTS {schema}.[{table}_key] ON [{table}] (key)")


def text_key(text: str) -> int:
    """A text's hash as a signed 64-bit integer (SQLite's INTEGER)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


CACHE_LIMIT = 10_000
"""Texts (and explanations) a writer keeps in memory; past that its cache starts again, so memory
stays flat however many of a year's texts are its own (a step naming a project's other records
is one activity's): a text the cache lost costs one indexed lookup the next time."""


class _Ids(dict):
    """value -> its id in one table of texts (``result_texts`` or ``result_step_lists``), added on
    first use. The dict is the cache: a text a run repeats costs one dict lookup."""

    def __init__(self, conn: sqlite3.Connection, table: str, column: str, schema: str = "main"):
        super().__init__()
        self.conn = conn
        self.select = f"SELECT id, [{column}] FROM {schema}.[{table}] WHERE key = ?"
        self.insert = f"INSERT INTO {schema}.[{table}] (key, [{column}]) VALUES (?, ?)"

    def __missing__(self, text: str) -> int:
        key = text_key(text)
        for found, stored in self.conn.execute(self.select, (key,)).fetchall():
            if stored == text:
                break
        else:
            found = self.conn.execute(self.insert, (key, text)).lastrowid
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[text] = found
        return found


class TextIds:
    """The ids of texts and of explanations (step lists) in one connection's (and schema's) tables."""

    def __init__(self, conn: sqlite3.Connection, schema: str = "main"):
        self.texts = _Ids(conn, TEXT_TABLE, "text", schema)
        self.lists = _Ids(conn, STEPS_TABLE, "steps", schema)
        self.explanations: dict[str, int] = {}

    def text(self, text: str) -> int:
        return self.texts[text]

    def steps(self, text: str) -> int:
        """The id of the list of ``text``'s lines (each line a text, or its pieces' where the
        rule composed it)."""
        if isinstance(text, Composed):  # one activity's own: not worth a place in the cache
            return self.step_list([self.texts[line[0]] if len(line) == 1 else [self.texts[p] for p in line]
                                   for line in composed_lines(text)])
        found = self.explanations.get(text)
        if found is None:
            if len(self.explanations) >= CACHE_LIMIT:
                self.explanations.clear()
            found = self.explanations[text] = self.step_list([self.texts[line] for line in text.split(STEP)])
        return found

    def step_list(self, ids: list) -> int:
        return self.lists[json.dumps(ids, separators=(",", ":"))]


def composed_lines(text: Composed) -> list[list[str]]:
    """A composed text's lines (split at `STEP` as a plain text is), each as its non-empty
    pieces in order; an empty line as the one piece ``""``."""
    lines: list[list[str]] = [[]]
    for piece in text.pieces:
        first, *rest = piece.split(STEP)
        lines[-1].append(first)
        lines += [[part] for part in rest]
    return [[p for p in line if p] or [""] for line in lines]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def interned_positions(columns: dict[str, Sequence[str]]) -> dict[str, tuple[tuple[int, bool], ...]]:
    """Per result table (by its own name), the positions in its row of the columns holding text
    ids, each with whether it holds a step list."""
    return {table: tuple((i, (table, c) in STEPPED) for i, c in enumerate(cols) if c in INTERNED[table])
            for table, cols in columns.items() if table in INTERNED}


def intern_row(row: Sequence, positions: tuple[tuple[int, bool], ...], ids: TextIds) -> tuple:
    """``row`` with the texts at ``positions`` replaced by their ids (None stays None)."""
    values = list(row)
    for i, stepped in positions:
        text = values[i]
        if text is not None:
            values[i] = ids.steps(text) if stepped else ids.texts[text]
    return tuple(values)


class ResultWriter(storage.BufferedWriter):
    """A `storage.BufferedWriter` of result rows in their stored form: rows are added by the
    table's own name with their texts (as `annual.write_year` makes them) and written to the
    stored table with each interned text replaced by its id."""

    def __init__(self, db, columns: dict[str, Sequence[str]], size: int = 20000):
        super().__init__(db, columns, size)
        self.sql = {table: storage.insert_sql(stored_table(table), cols) for table, cols in columns.items()}
        self.positions = interned_positions(columns)
        self.ids = TextIds(db.conn)

    def add(self, table: str, row: tuple) -> None:
        positions = self.positions.get(table)
        super().add(table, intern_row(row, positions, self.ids) if positions else row)


# --------------------------------------------------------------------------------------------
# Reading: the views
# --------------------------------------------------------------------------------------------


def columns_of(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple[str, str]]:
    """(name, declared type) of each column of ``schema.table``, in order."""
    return [(r[1], r[2]) for r in conn.execute(f"PRAGMA {schema}.table_info([{table}])")]


def step_list_text(list_id: str, prefix: str = "") -> str:
    """The SQL expression of the text of the step list whose id is ``list_id`` (an SQL
    expression, not naming the aliases ``l``, ``j``, ``t``, ``x``, ``k``, ``p``, ``y`` used
    here): its lines' texts joined by newlines, in the list's order; a composed line (a list of
    ids) its pieces' texts joined, in order."""
    pieces = (f"(SELECT group_concat(y.text, '') FROM (SELECT p.text AS text FROM json_each(j.value) k "
              f"JOIN {prefix}[{TEXT_TABLE}] p ON p.id = k.value ORDER BY k.key) y)")
    return (f"(SELECT group_concat(x.text, char(10)) FROM (SELECT CASE WHEN j.type = 'array' THEN {pieces} "
            f"ELSE t.text END AS text FROM {prefix}[{STEPS_TABLE}] l, json_each(l.steps) j "
            f"LEFT JOIN {prefix}[{TEXT_TABLE}] t ON t.id = j.value WHERE l.id = {list_id} ORDER BY j.key) x)")


def rendered_select(conn: sqlite3.Connection, table: str, *, with_rowid: bool = False, schema: str | None = None,
                    rendered_lists: str | None = None) -> str:
    """The SELECT that reads ``<table>_stored`` with every text in place, columns in stored order
    (of the database attached as ``schema``, where given: the browse copy reads its source so).
    ``rendered_lists``: a table (``id``, ``text``) of step lists whose text is already known
    (the browse copy's, publish.cache_step_lists), read from there by id; a list it lacks is
    rendered here all the same."""
    texts = set(INTERNED[table])
    parts = ["s.rowid AS rowid"] if with_rowid else []
    joins = []
    # One LEFT JOIN per text column, on the text's id (its primary key): twice as fast to read as
    # a scalar subquery per column, and SQLite leaves out the joins of the columns a query does
    # not use (count(*), a filter on run and practitioner read the stored table alone).
    prefix = f"{schema}." if schema else ""
    for index, (name, _type) in enumerate(columns_of(conn, stored_table(table), schema or "main")):
        if (table, name) in STEPPED and rendered_lists:
            parts.append(f"CASE WHEN s.[{name}] IS NULL THEN NULL "
                         f"ELSE coalesce(r{index}.text, {step_list_text(f's.[{name}]', prefix)}) END AS [{name}]")
            joins.append(f"LEFT JOIN {rendered_lists} r{index} ON r{index}.id = s.[{name}]")
        elif (table, name) in STEPPED:  # the list's texts joined by newlines, in the list's order
            parts.append(f"{step_list_text(f's.[{name}]', prefix)} AS [{name}]")
        elif name in texts:
            parts.append(f"t{index}.text AS [{name}]")
            joins.append(f"LEFT JOIN {prefix}[{TEXT_TABLE}] t{index} ON t{index}.id = s.[{name}]")
        else:
            parts.append(f"s.[{name}]")
    return f"SELECT {', '.join(parts)} FROM {prefix}[{stored_table(table)}] s {' '.join(joins)}"


def run_rows_select(conn: sqlite3.Connection, table: str, *, with_rowid: bool = False, schema: str | None = None,
                    rendered_lists: str | None = None) -> str:
    """The SELECT of every run's rows of ``table`` with their texts in place: the rows a run
    stores and, for a table in `SHOWN_THROUGH`, the rows it inherits (those of the run holding
    them, shown as rows of the inheriting run). The view under the table's name, and what the
    browse copy copies a run's rows from (``schema`` 'src').

    ``with_rowid``: for a table in `SHOWN_THROUGH`, a row's rowid is the stored row's moved up
    by the id of the run it is shown for (``run << 40``, past any rowid a year writes) -- its
    own or inherited alike, so a run's rows and those it shows through stay apart in a copy
    that keeps rowids, and a row keeps its address when its holder is deleted and the row
    handed to the run showing it (`hand_over` keeps the stored rowid, changes its run)."""
    if table not in SHOWN_THROUGH or not exists(conn, INHERITED, "table", schema or "main"):
        return rendered_select(conn, table, with_rowid=with_rowid, schema=schema, rendered_lists=rendered_lists)
    prefix = f"{schema}." if schema else ""
    select = rendered_select(conn, table, schema=schema, rendered_lists=rendered_lists)
    head, stored_from, tail = select.partition(f" FROM {prefix}[{stored_table(table)}] s ")
    # Each run is its own holder (a row of ``runs``); a what-if's other holders are in
    # ``run_holders``. One hop: an inherited row is always read from the run that stores it.
    holders = (f"(SELECT id AS run, id AS holder FROM {prefix}[runs] UNION ALL "
               f"SELECT run, holder FROM {prefix}[{HOLDERS}]) r")
    head = head.replace("SELECT s.[run]", "SELECT r.run AS [run]", 1)
    if with_rowid:
        head = head.replace("SELECT ", f"SELECT (r.run << {INHERITED_ROWID_SHIFT}) + s.rowid AS rowid, ", 1)
    return (f"{head} FROM {holders} JOIN {prefix}[{stored_table(table)}] s ON s.run = r.holder {tail} "
            f"WHERE r.run = r.holder OR EXISTS (SELECT 1 FROM {prefix}[{INHERITED}] i "
            f"WHERE i.run = r.run AND i.practitioner = s.practitioner AND i.holder = r.holder)")


def refresh_views(conn: sqlite3.Connection) -> None:
    """(Re)create the view of each interned table from its stored table's current columns (after
    a column was added to a stored table, e.g. one per newly declared category)."""
    for table in INTERNED:
        if not exists(conn, stored_table(table), "table"):
            continue
        conn.execute(f"DROP VIEW IF EXISTS [{table}]")
        conn.execute(f"CREATE VIEW [{table}] AS {run_rows_select(conn, table)}")


def exists(conn: sqlite3.Connection, name: str, kind: str, schema: str = "main") -> bool:
    """Whether ``schema`` has a ``kind`` ('table', 'view') called ``name``."""
    return conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = ? AND name = ?",
                        (kind, name)).fetchone() is not None


# --------------------------------------------------------------------------------------------
# Rows shown through: a what-if stores only what differs from its base run
# --------------------------------------------------------------------------------------------

SHOWN_THROUGH = ("credit_awards", "recognitions")
"""The per-activity result tables (most of a year's rows) whose rows a what-if does not store
again for a practitioner it leaves as the base run had them: ``inherited_rows`` says whose rows
stand for them, and the views show them as the what-if's own (`run_rows_select`). The
per-practitioner tables are small and partly rewritten (a recomputed verdict): copied."""

INHERITED, HOLDERS = "inherited_rows", "run_holders"
INHERITED_ROWID_SHIFT = 40  # see run_rows_select


def create_inheritance_tables(conn: sqlite3.Connection) -> None:
    """``inherited_rows`` (run, practitioner, holder): the `SHOWN_THROUGH` rows of ``practitioner``
    in ``run`` are those ``holder`` stores, always the run that stores them (a what-if of a
    what-if points past its base); ``run_holders`` (run, holder): each holder a run inherits
    from, once (the views start from it)."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS [{INHERITED}] (run INTEGER NOT NULL, practitioner TEXT NOT NULL, "
                 "holder INTEGER NOT NULL, PRIMARY KEY (run, practitioner)) WITHOUT ROWID")
    conn.execute(f"CREATE INDEX IF NOT EXISTS [idx_{INHERITED}_holder] ON [{INHERITED}] (holder, practitioner)")
    conn.execute(f"CREATE TABLE IF NOT EXISTS [{HOLDERS}] (run INTEGER NOT NULL, holder INTEGER NOT NULL, "
                 "PRIMARY KEY (run, holder)) WITHOUT ROWID")


def inherit(conn: sqlite3.Connection, run: int, base: int, practitioners: str) -> int:
    """Let ``run`` show the base run's `SHOWN_THROUGH` rows of the practitioners the SELECT
    ``practitioners`` gives (one column): from the run that stores them -- the base, or whichever
    run the base itself inherits them from. Returns how many practitioners."""
    added = conn.execute(
        f"""INSERT INTO [{INHERITED}] (run, practitioner, holder)
            SELECT ?, p.practitioner, coalesce(i.holder, ?) FROM ({practitioners}) p
            LEFT JOIN [{INHERITED}] i ON i.run = ? AND i.practitioner = p.practitioner""", (run, base, base)).rowcount
    note_holders(conn, run)
    return added


def note_holders(conn: sqlite3.Connection, run: int) -> None:
    """``run_holders`` of ``run`` from its ``inherited_rows``."""
    conn.execute(f"DELETE FROM [{HOLDERS}] WHERE run = ?", (run,))
    conn.execute(f"INSERT INTO [{HOLDERS}] (run, holder) SELECT DISTINCT run, holder FROM [{INHERITED}] WHERE run = ?",
                 (run,))


def disinherit(conn: sqlite3.Connection, run: int, practitioner: str) -> None:
    """``run`` no longer shows another run's rows for ``practitioner`` (it writes its own)."""
    conn.execute(f"DELETE FROM [{INHERITED}] WHERE run = ? AND practitioner = ?", (run, practitioner))
    note_holders(conn, run)


def inherited_rows(conn: sqlite3.Connection, run: int, table: str) -> int:
    """How many rows of ``table`` ``run`` shows through (stores none of)."""
    return conn.execute(
        f"SELECT count(*) FROM [{INHERITED}] i JOIN [{stored_table(table)}] s "
        "ON s.run = i.holder AND s.practitioner = i.practitioner WHERE i.run = ?", (run,)).fetchone()[0]


def hand_over(conn: sqlite3.Connection, run: int) -> None:
    """Before ``run``'s rows are deleted: the rows other runs inherit from it become theirs.

    Each practitioner's rows go to one inheritor, the earliest (the lowest run id), by rewriting
    their ``run`` -- nothing is copied; the other inheritors then inherit them from that one. The
    rows ``run`` itself inherited are simply no longer shown for it. Inside the caller's
    transaction."""
    if not exists(conn, INHERITED, "table"):
        return
    conn.execute("DROP TABLE IF EXISTS temp.heirs")
    conn.execute(f"""CREATE TEMP TABLE heirs AS SELECT practitioner, min(run) AS heir FROM [{INHERITED}]
                     WHERE holder = ? AND run != ? GROUP BY practitioner""", (run, run))
    inheritors = [r for (r,) in conn.execute(f"SELECT DISTINCT run FROM [{HOLDERS}] WHERE holder = ? AND run != ?",
                                             (run, run))]
    if inheritors:
        conn.execute("CREATE INDEX temp.heirs_practitioner ON heirs (practitioner)")
        for table in SHOWN_THROUGH:
            conn.execute(f"""UPDATE [{stored_table(table)}] AS s SET run = h.heir FROM temp.heirs h
                             WHERE s.run = ? AND s.practitioner = h.practitioner""", (run,))
        conn.execute(f"""UPDATE [{INHERITED}] AS i SET holder = h.heir FROM temp.heirs h
                         WHERE i.holder = ? AND i.practitioner = h.practitioner""", (run,))
        conn.execute(f"DELETE FROM [{INHERITED}] WHERE run = holder")
        for inheritor in inheritors:
            note_holders(conn, inheritor)
    conn.execute("DROP TABLE temp.heirs")
    conn.execute(f"DELETE FROM [{INHERITED}] WHERE run = ?", (run,))
    conn.execute(f"DELETE FROM [{HOLDERS}] WHERE run = ?", (run,))


# --------------------------------------------------------------------------------------------
# The storage form: made from the plain tables (migration), copied from a worker, undone (browse copy)
# --------------------------------------------------------------------------------------------


def store_interned(conn: sqlite3.Connection, tables: dict[str, tuple[str, ...]] | None = None,
                   stepped: set[tuple[str, str]] | None = None) -> None:
    """Turn each plain result table of ``tables`` (default `INTERNED`) into its stored form and
    view (a migration: a database written before keeps every row, with its rowid, its texts
    read back unchanged through the view). ``stepped`` (default `STEPPED`): the columns stored
    as step lists -- a migration passes the sets of its own time, so that the later migrations
    find what they expect.

    The stored table has the same columns in the same order; the interned ones are INTEGER (a
    TEXT column would turn an id into text). The table's indexes are made again on it."""
    tables = INTERNED if tables is None else tables
    stepped = STEPPED if stepped is None else stepped
    create_text_table(conn)
    ids = TextIds(conn)
    for table, texts in tables.items():
        if not exists(conn, table, "table"):
            continue
        columns = columns_of(conn, table)
        indexes = [sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        stored = stored_table(table)
        declared = ", ".join(f"[{n}] {'INTEGER' if n in texts else t}".rstrip() for n, t in columns)
        conn.execute(f"CREATE TABLE [{stored}] ({declared})")
        names = ["rowid", *(n for n, _t in columns)]
        positions = tuple((i, (table, n) in stepped) for i, n in enumerate(names) if n in texts)
        insert = storage.insert_sql(stored, names)
        rows = conn.execute(f"SELECT {', '.join(f'[{n}]' for n in names)} FROM [{table}] ORDER BY rowid")
        while block := rows.fetchmany(20_000):
            conn.executemany(insert, [intern_row(row, positions, ids) for row in block])
        conn.execute(f"DROP TABLE [{table}]")
        for sql in indexes:  # the same index, on the stored table ("idx_credit_awards_run_practitioner" keeps its name)
            conn.execute(index_on(sql, table, stored))
    refresh_views(conn)


def store_as_steps(conn: sqlite3.Connection, table: str, column: str) -> None:
    """A column stored as ids of whole texts, now in `STEPPED`: each id becomes that of the list
    of its text's lines (a migration; the view then reads it as a list, the same text)."""
    stored = stored_table(table)
    if not exists(conn, stored, "table"):
        return
    ids = TextIds(conn)
    texts = conn.execute(f"SELECT DISTINCT s.[{column}], t.text FROM [{stored}] s JOIN [{TEXT_TABLE}] t "
                         f"ON t.id = s.[{column}]").fetchall()
    conn.execute("DROP TABLE IF EXISTS temp.restepped")
    conn.execute("CREATE TABLE temp.restepped (text INTEGER PRIMARY KEY, list INTEGER NOT NULL)")
    conn.executemany("INSERT INTO temp.restepped VALUES (?, ?)", [(text_id, ids.steps(text)) for text_id, text in texts])
    conn.execute(f"UPDATE [{stored}] SET [{column}] = (SELECT list FROM temp.restepped WHERE text = [{column}]) "
                 f"WHERE [{column}] IS NOT NULL")
    conn.execute("DROP TABLE temp.restepped")
    refresh_views(conn)


def index_on(index_sql: str, table: str, other: str) -> str:
    """An index's CREATE statement moved from ``table`` to ``other``."""
    head, _on, tail = index_sql.partition(" ON ")
    tail = tail.lstrip()
    for spelling in (f"[{table}]", f'"{table}"', f"`{table}`", table):
        if tail.startswith(spelling):
            return f"{head} ON [{other}]{tail[len(spelling):]}"
    raise ValueError(f"cannot move index to {other}: {index_sql}")


def create_stored_tables(conn: sqlite3.Connection, columns: dict[str, Sequence[str]], schema: str = "main") -> None:
    """A worker's scratch tables: each result table under its stored name (untyped columns, as
    the worker's rows are copied into the typed tables of the run), and its own text table."""
    create_text_table(conn, schema)
    for table, cols in columns.items():
        conn.execute(f"CREATE TABLE {schema}.[{stored_table(table)}] ({', '.join(f'[{c}]' for c in cols)})")


def copy_rows(conn: sqlite3.Connection, schema: str, table: str, columns: Sequence[str], run: int) -> int:
    """Copy a worker's rows of ``table`` (in ``schema``, with its own text ids) into the main
    stored table under ``run``, its ids mapped to the main ones. Call `merge_texts` for the
    schema first. Returns the number of rows copied."""
    names = ", ".join(f"[{c}]" for c in columns)
    texts = set(INTERNED.get(table, ()))

    def value(column: str) -> str:
        if column not in texts:
            return f"p.[{column}]"
        mapping = LIST_MAP if (table, column) in STEPPED else TEXT_MAP
        return f"(SELECT m.main FROM temp.[{mapping}] m WHERE m.part = p.[{column}])"

    target = stored_table(table)
    return conn.execute(
        f"INSERT INTO main.[{target}] ({names}) SELECT ?, {', '.join(value(c) for c in columns[1:])} "
        f"FROM {schema}.[{target}] p ORDER BY p.rowid", (run,)
    ).rowcount


TEXT_MAP, LIST_MAP = "result_text_map", "result_step_list_map"


def merge_texts(conn: sqlite3.Connection, schema: str, ids: TextIds) -> None:
    """Add a worker's texts and step lists to the main ones (``ids``: the run's writer's) and map
    its ids to theirs (``temp.result_text_map``, ``temp.result_step_list_map``: part -> main),
    for `copy_rows`. A step list is mapped step by step: its ids are the worker's."""
    texts = {part: ids.text(text) for part, text in conn.execute(f"SELECT id, text FROM {schema}.[{TEXT_TABLE}]")}
    def mapped(step):  # a line's text id, or a composed line's list of them
        return [texts[p] for p in step] if isinstance(step, list) else texts[step]

    lists = {part: ids.step_list([mapped(step) for step in json.loads(steps)])
             for part, steps in conn.execute(f"SELECT id, steps FROM {schema}.[{STEPS_TABLE}]")}
    for mapping, pairs in ((TEXT_MAP, texts), (LIST_MAP, lists)):
        conn.execute(f"DROP TABLE IF EXISTS temp.[{mapping}]")
        conn.execute(f"CREATE TABLE temp.[{mapping}] (part INTEGER PRIMARY KEY, main INTEGER NOT NULL)")
        conn.executemany(f"INSERT INTO temp.[{mapping}] (part, main) VALUES (?, ?)", pairs.items())


def materialized_sql(conn: sqlite3.Connection, table: str, schema: str = "main") -> str:
    """The CREATE TABLE of ``table`` as a plain table with its texts in place (its stored
    table's columns, the text columns declared TEXT)."""
    texts = INTERNED[table]
    declared = ", ".join(f"[{n}] {'TEXT' if n in texts else t}".rstrip()
                         for n, t in columns_of(conn, stored_table(table), schema))
    return f"CREATE TABLE [{table}] ({declared})"


def prune(conn: sqlite3.Connection) -> int:
    """Delete the step lists and texts no stored row uses any more (after runs were deleted);
    returns how many."""
    def used(stepped: bool) -> str:  # NOT NULL: one NULL in a NOT IN list would keep every text
        return " UNION ".join(
            f"SELECT [{c}] FROM [{stored_table(t)}] WHERE [{c}] IS NOT NULL"
            for t, cols in INTERNED.items() if exists(conn, stored_table(t), "table")
            for c in cols if ((t, c) in STEPPED) == stepped
        ) or "SELECT NULL WHERE 0"

    removed = conn.execute(f"DELETE FROM [{STEPS_TABLE}] WHERE id NOT IN ({used(True)})").rowcount
    steps = f"SELECT j.value FROM [{STEPS_TABLE}] l, json_tree(l.steps) j WHERE j.type = 'integer'"  # pieces too
    return removed + conn.execute(f"DELETE FROM [{TEXT_TABLE}] WHERE id NOT IN ({used(False)} UNION {steps})").rowcount
