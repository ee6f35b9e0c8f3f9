"""Result tables to Excel: one .xlsx per table (or one sheet of one file), Chinese headers.

Personal data is masked by field (personal.py) -- its own columns, and the personal values
inside the raw rows of ``import_errors`` and the earlier values of ``import_changes`` -- unless
the office asks for it (``include_personal``, ``jijiao export --include-personal-data``).
Text that could open as a formula is written as text (safe_cells.py). Headers come from ``column_labels`` (the models' labels and the result tables' own, see
docs/schema.md); a column without a label keeps its name. Rows are streamed into openpyxl's
write-only workbook, so a province's year exports without holding it in memory.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import storage
from .safe_cells import write_only_row

RAW_ROW_COLUMNS = {("import_errors", "raw"), ("import_changes", "before")}
"""Columns holding a raw row (JSON by field name), masked by key."""

RESULT_TABLES = [
    "runs", "annual_results", "credit_awards", "requirement_results", "cap_applications", "findings",
    "deadlines", "recognitions", "comparisons", "import_errors", "import_changes",
]
EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet is the header


def headers(db: sqlite_utils.Database, table: str, columns: list[str]) -> list[str]:
    labels = storage.column_labels(db, table)
    return [labels.get(c) or c for c in columns]


def table_rows(db: sqlite_utils.Database, table: str, run: int | None):
    columns = [c.name for c in db[table].columns]
    where, params = "", ()
    if run is not None:
        if "run" in columns:
            where, params = " WHERE run = ?", (run,)
        elif table == "runs":
            where, params = " WHERE id = ?", (run,)
        elif table == "comparisons":
            where, params = " WHERE base_run = ? OR other_run = ?", (run, run)
    return columns, db.conn.execute(f"SELECT * FROM [{table}]{where}", params)


def masking(db: sqlite_utils.Database, table: str, columns: list[str]):
    """A function masking one row of ``table``'s personal values, or None when it has none."""
    from . import publish

    personal = {c for t, c in publish.personal_columns(db) if t == table}
    raw = {c for t, c in RAW_ROW_COLUMNS if t == table}
    if not personal and not raw:
        return None
    keys = publish.personal_keys(db)
    def how(column):
        if column in personal:
            return lambda v: publish.mask_personal(column, v)
        if column in raw:
            return lambda v: publish.scrub_raw_row(v, keys)
        if table == "import_errors" and column == "reason":  # an older jijiao's reason may quote the value
            return publish.scrub_text
        return None

    plan = [how(c) for c in columns]

    def mask(row):
        return [v if m is None else m(v) for m, v in zip(plan, row)]

    return mask


def write_sheet(book: Workbook, db: sqlite_utils.Database, table: str, run: int | None, include_personal: bool = False) -> int:
    sheet = book.create_sheet(table[:31])
    columns, cursor = table_rows(db, table, run)
    mask = None if include_personal else masking(db, table, columns)
    bold = Font(bold=True)
    header = []
    for text in headers(db, table, columns):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in cursor:
        if count >= EXCEL_MAX_ROWS:
            raise ValueError(f"{table} has more rows than an Excel sheet holds; export it with --run, or use the database")
        sheet.append(write_only_row(sheet, mask(row) if mask else row))  # no text cell opens as a formula (safe_cells.py)
        count += 1
    return count


def export(db: sqlite_utils.Database, out: str | Path, tables: list[str] | None = None, run: int | None = None,
           include_personal: bool = False) -> list[tuple[Path, str, int]]:
    """Export tables: ``out`` ending in .xlsx gets one sheet per table; otherwise it is a
    directory that gets one ``<table>.xlsx`` each. Returns (file, table, rows) per table."""
    out = Path(out)
    tables = tables or [t for t in RESULT_TABLES if db[t].exists()]
    unknown = [t for t in tables if not db[t].exists()]
    if unknown:
        raise ValueError(f"no table {unknown[0]!r}; tables: {', '.join(db.table_names())}")
    written = []
    if out.suffix.lower() == ".xlsx":
        book = Workbook(write_only=True)
        for table in tables:
            written.append((out, table, write_sheet(book, db, table, run, include_personal)))
        out.parent.mkdir(parents=True, exist_ok=True)
        book.save(out)
        return written
    out.mkdir(parents=True, exist_ok=True)
    for table in tables:
        book = Workbook(write_only=True)
        count = write_sheet(book, db, table, run, include_personal)
        path = out / f"{table}.xlsx"
        book.save(path)
        written.append((path, table, count))
    return written
