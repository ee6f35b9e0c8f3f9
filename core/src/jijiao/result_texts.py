"""The repeated text of the result tables, stored once: explanations, clause lists, reasons, messages.

A year's 800,000 credit awards hold a few thousand distinct explanations and a few dozen clause
lists; findings, recognitions and annual results repeat their messages and reasons the same way.
So a run stores each such text once, in ``result_texts`` (``id``, ``text``), and its result rows
hold the text's id. Whoever reads sees the text: each table in `INTERNED` is stored as
``<table>_stored`` (same columns, in the same order, the interned ones holding ids) and read
through a view under the table's own name (``credit_awards``) that puts each text back in
place. Every query, export, comparison and digest reads the views, exactly as it read the
tables; only the writers (`ResultWriter`, the copy of a worker's partition, deleting a run) and
the browse copy (`materialize`: Datasette's row pages, sorting and foreign-key labels need
tables) know the stored form.

Whole texts are interned, not templates with arguments: the distinct texts are few (a year's
explanations are made of the same policy numbers and readings), the id of a text is 1-3 bytes,
and a text reads back byte for byte as the rule wrote it, whatever the plugin put in it. Texts
are shared by all runs (a what-if repeats most of its baseline's texts) and never rewritten; a
text no run uses any more stays, unused, until `prune`.
"""

from __future__ import annotations

import sqlite3
from typing import Sequence

from . import storage

TEXT_TABLE = "result_texts"

INTERNED: dict[str, tuple[str, ...]] = {
    "credit_awards": ("kind", "status", "category", "clauses", "explanation", "cap_group", "missing_document"),
    "annual_results": ("reason", "deemed_complete", "caps_applied", "missing_layers", "missing_documents", "chain"),
    "findings": ("message", "consequence", "clause"),
    "recognitions": ("clause", "reason"),
}
"""The result tables stored with text ids, and their columns that hold an id of a text."""

STORED_SUFFIX = "_stored"


def stored_table(table: str) -> str:
    """The table a result table's rows are written to: ``credit_awards_stored`` for an interned
    table (``credit_awards`` is then the view that reads it), else the table itself."""
    return table + STORED_SUFFIX if table in INTERNED else table


def create_text_table(conn: sqlite3.Connection, schema: str = "main") -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.[{TEXT_TABLE}] (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")


class TextIds(dict):
    """text -> its id in ``result_texts`` of one connection (and schema), added on first use.

    The dict is the cache: a text a run repeats costs one lookup; a new one, an insert."""

    def __init__(self, conn: sqlite3.Connection, schema: str = "main"):
        super().__init__()
        self.conn = conn
        self.insert = f"INSERT OR IGNORE INTO {schema}.[{TEXT_TABLE}] (text) VALUES (?)"
        self.select = f"SELECT id FROM {schema}.[{TEXT_TABLE}] WHERE text = ?"

    def __missing__(self, text: str) -> int:
        self.conn.execute(self.insert, (text,))
        (found,) = self.conn.execute(self.select, (text,)).fetchone()
        self[text] = found
        return found


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def interned_positions(columns: dict[str, Sequence[str]]) -> dict[str, tuple[int, ...]]:
    """Per result table (by its own name), the positions in its row of the columns holding text ids."""
    return {table: tuple(i for i, c in enumerate(cols) if c in INTERNED[table])
            for table, cols in columns.items() if table in INTERNED}


def intern_row(row: tuple, positions: tuple[int, ...], ids: TextIds) -> tuple:
    """``row`` with the texts at ``positions`` replaced by their ids (None stays None)."""
    values = list(row)
    for i in positions:
        text = values[i]
        if text is not None:
            values[i] = ids[text]
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


def rendered_select(conn: sqlite3.Connection, table: str, *, with_rowid: bool = False, schema: str | None = None) -> str:
    """The SELECT that reads ``<table>_stored`` with every text in place, columns in stored order
    (of the database attached as ``schema``, where given: the browse copy reads its source so)."""
    texts = set(INTERNED[table])
    parts = ["s.rowid AS rowid"] if with_rowid else []
    joins = []
    # One LEFT JOIN per text column, on the text's id (its primary key): twice as fast to read as
    # a scalar subquery per column, and SQLite leaves out the joins of the columns a query does
    # not use (count(*), a filter on run and practitioner read the stored table alone).
    prefix = f"{schema}." if schema else ""
    for index, (name, _type) in enumerate(columns_of(conn, stored_table(table), schema or "main")):
        if name in texts:
            parts.append(f"t{index}.text AS [{name}]")
            joins.append(f"LEFT JOIN {prefix}[{TEXT_TABLE}] t{index} ON t{index}.id = s.[{name}]")
        else:
            parts.append(f"s.[{name}]")
    return f"SELECT {', '.join(parts)} FROM {prefix}[{stored_table(table)}] s {' '.join(joins)}"


def refresh_views(conn: sqlite3.Connection) -> None:
    """(Re)create the view of each interned table from its stored table's current columns (after
    a column was added to a stored table, e.g. one per newly declared category)."""
    for table in INTERNED:
        if not _exists(conn, stored_table(table), "table"):
            continue
        conn.execute(f"DROP VIEW IF EXISTS [{table}]")
        conn.execute(f"CREATE VIEW [{table}] AS {rendered_select(conn, table)}")


def _exists(conn: sqlite3.Connection, name: str, kind: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)).fetchone() is not None


# --------------------------------------------------------------------------------------------
# The storage form: made from the plain tables (migration), copied from a worker, undone (browse copy)
# --------------------------------------------------------------------------------------------


def store_interned(conn: sqlite3.Connection) -> None:
    """Turn each plain result table of `INTERNED` into its stored form and view (a migration: a
    database written before keeps every row, its texts read back unchanged through the view).

    The stored table has the same columns in the same order; the interned ones are INTEGER (a
    TEXT column would turn an id into text). The table's indexes are made again on it."""
    create_text_table(conn)
    for table, texts in INTERNED.items():
        if not _exists(conn, table, "table"):
            continue
        columns = columns_of(conn, table)
        indexes = [sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        stored = stored_table(table)
        declared = ", ".join(f"[{n}] {'INTEGER' if n in texts else t}".rstrip() for n, t in columns)
        conn.execute(f"CREATE TABLE [{stored}] ({declared})")
        for name in texts:
            conn.execute(f"INSERT OR IGNORE INTO [{TEXT_TABLE}] (text) SELECT DISTINCT [{name}] FROM [{table}] "
                         f"WHERE [{name}] IS NOT NULL")
        values = ", ".join(
            f"(SELECT t.id FROM [{TEXT_TABLE}] t WHERE t.text = p.[{n}])" if n in texts else f"p.[{n}]" for n, _t in columns
        )
        conn.execute(f"INSERT INTO [{stored}] (rowid, {', '.join(f'[{n}]' for n, _t in columns)}) "
                     f"SELECT p.rowid, {values} FROM [{table}] p ORDER BY p.rowid")
        conn.execute(f"DROP TABLE [{table}]")
        for sql in indexes:  # the same index, on the stored table ("idx_credit_awards_run_practitioner" keeps its name)
            conn.execute(index_on(sql, table, stored))
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
    """Copy a worker's rows of ``table`` (in ``schema``, its own text ids) into the main stored
    table under ``run``, its texts added to the main text table and its ids mapped to theirs.
    Call `merge_texts` for the schema first. Returns the number of rows copied."""
    names = ", ".join(f"[{c}]" for c in columns)
    texts = set(INTERNED.get(table, ()))
    rest = ", ".join(
        f"(SELECT m.main FROM temp.[{TEXT_MAP}] m WHERE m.part = p.[{c}])" if c in texts else f"p.[{c}]"
        for c in columns[1:]
    )
    target = stored_table(table)
    return conn.execute(
        f"INSERT INTO main.[{target}] ({names}) SELECT ?, {rest} FROM {schema}.[{target}] p ORDER BY p.rowid", (run,)
    ).rowcount


TEXT_MAP = "result_text_map"


def merge_texts(conn: sqlite3.Connection, schema: str) -> None:
    """Add a worker's texts to the main text table and map its ids to the main ones
    (``temp.result_text_map``: part -> main), for `copy_rows`."""
    conn.execute(f"INSERT OR IGNORE INTO main.[{TEXT_TABLE}] (text) SELECT text FROM {schema}.[{TEXT_TABLE}] ORDER BY id")
    conn.execute(f"DROP TABLE IF EXISTS temp.[{TEXT_MAP}]")
    conn.execute(f"CREATE TABLE temp.[{TEXT_MAP}] (part INTEGER PRIMARY KEY, main INTEGER NOT NULL)")
    conn.execute(f"INSERT INTO temp.[{TEXT_MAP}] (part, main) SELECT p.id, m.id FROM {schema}.[{TEXT_TABLE}] p "
                 f"JOIN main.[{TEXT_TABLE}] m ON m.text = p.text")


def materialized_sql(conn: sqlite3.Connection, table: str, schema: str = "main") -> str:
    """The CREATE TABLE of ``table`` as a plain table with its texts in place (its stored
    table's columns, the text columns declared TEXT)."""
    texts = INTERNED[table]
    declared = ", ".join(f"[{n}] {'TEXT' if n in texts else t}".rstrip()
                         for n, t in columns_of(conn, stored_table(table), schema))
    return f"CREATE TABLE [{table}] ({declared})"


def materialize(conn: sqlite3.Connection) -> None:
    """Make each view a plain table again, with its texts, its rowids and its indexes (for the
    browse copy: Datasette 0.65 offers row pages, sorting and foreign-key labels on tables only,
    and the copy adds columns and full-text indexes to them). The stored tables and the text
    table are dropped from the copy afterwards.

    This writes every text again, row by row (a fifth of the time of a demo-sized copy, docs/
    benchmark.md); a 64 MB page cache, as `storage.connect` gives, halves it."""
    conn.execute("PRAGMA cache_size = -65536")
    for table, texts in INTERNED.items():
        stored = stored_table(table)
        if not _exists(conn, stored, "table"):
            continue
        columns = columns_of(conn, stored)
        indexes = [sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (stored,))]
        conn.execute(f"DROP VIEW IF EXISTS [{table}]")
        declared = ", ".join(f"[{n}] {'TEXT' if n in texts else t}".rstrip() for n, t in columns)
        conn.execute(f"CREATE TABLE [{table}] ({declared})")
        names = ", ".join(f"[{n}]" for n, _t in columns)
        conn.execute(f"INSERT INTO [{table}] (rowid, {names}) SELECT rowid, {names} FROM "
                     f"({rendered_select(conn, table, with_rowid=True)}) ORDER BY rowid")
        conn.execute(f"DROP TABLE [{stored}]")
        for sql in indexes:
            conn.execute(index_on(sql, stored, table))
    conn.execute(f"DROP TABLE IF EXISTS [{TEXT_TABLE}]")


def prune(conn: sqlite3.Connection) -> int:
    """Delete the texts no stored row uses any more (after runs were deleted); returns how many."""
    used = " UNION ".join(  # NOT NULL: one NULL in a NOT IN list would keep every text
        f"SELECT [{c}] FROM [{stored_table(t)}] WHERE [{c}] IS NOT NULL"
        for t, cols in INTERNED.items() if _exists(conn, stored_table(t), "table") for c in cols
    )
    if not used:
        return 0
    return conn.execute(f"DELETE FROM [{TEXT_TABLE}] WHERE id NOT IN ({used})").rowcount
