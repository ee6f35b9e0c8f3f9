"""Downloads for Excel: any table page, filtered view, canned query or SQL query as .xlsx or as
CSV with a UTF-8 BOM, every row, at /-/jijiao/export.xlsx?path=<the page's path and query>.

- Every row: the page's SQL is run again without Datasette's page size or its 1,000-row cap,
  the cursor read row by row into openpyxl's write-only workbook (or the CSV writer) on disk;
  past Excel's 1,048,575 rows a sheet, the rows go on in a second sheet (续1), never dropped.
- Chinese headers: the metadata's column titles (with units) for tables; queries name their
  columns in Chinese already. Codes (``ln.self_study``, ``county``) become their Chinese labels.
- Numbers stay numbers; ISO dates and Beijing times become Excel dates (2026年12月10日 23:59).
- Formula-safe: in .xlsx a text cell is always written as text (never as a formula, whatever it
  starts with); in CSV a text starting with = + - @ tab or CR gets a leading ' (the OWASP rule),
  because Excel parses CSV cells itself.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from datetime import date, datetime
from urllib.parse import parse_qsl, quote, urlsplit

from datasette.utils import tilde_decode

EXCEL_MAX_ROWS = 1_048_575  # one row of a sheet is the header
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?)?$")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'


def as_excel_value(value):
    """(value, number format or None): ISO dates and times to Excel dates, Beijing time kept."""
    if isinstance(value, str):
        m = DATETIME.match(value)
        if m:
            y, mo, d, h, mi, s = m.groups()
            try:
                if h is None:
                    return date(int(y), int(mo), int(d)), DATE_FORMAT
                return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0)), DATETIME_FORMAT
            except ValueError:
                return value, None
    return value, None


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Target:
    """What a page path asks for: the SQL, its parameters, and the Chinese headers."""

    def __init__(self, sql: str, params: dict, title: str, headers: dict[str, str], codes: dict[str, dict]):
        self.sql, self.params, self.title, self.headers, self.codes = sql, params, title, headers, codes


async def target_of(datasette, database: str, path: str, labels: dict, code_columns: dict) -> Target:
    """The SQL behind ``path`` (a table page with filters, a canned query, or ?sql=)."""
    parts = urlsplit(path)
    args = dict(parse_qsl(parts.query, keep_blank_values=True))
    segments = [tilde_decode(s) for s in parts.path.strip("/").split("/") if s]
    if not segments or segments[0] != database:
        raise ValueError(f"只能导出 /{database}/ 下的表和查询：{path}")
    db = datasette.get_database(database)
    if len(segments) == 1:
        if not args.get("sql"):
            raise ValueError("没有要导出的查询（缺少 sql）")
        sql = args.pop("sql")
        return Target(sql, {k: v for k, v in args.items() if not k.startswith("_")}, "查询结果", {}, {})
    name = segments[1].removesuffix(".json").removesuffix(".csv")
    canned = await datasette.get_canned_query(database, name, None)
    if canned:
        params = {k: v for k, v in args.items() if not k.startswith("_")}
        for param in re.findall(r"(?<!:):(\w+)", canned["sql"]):
            params.setdefault(param, "")
        return Target(canned["sql"], params, canned.get("title") or name, {}, {})
    if not await db.table_exists(name):
        raise ValueError(f"没有名为“{name}”的表或查询")
    # The table page's own SQL (filters, search, sort), asked from Datasette as JSON.
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True)
                     if k not in ("_next", "_size", "_facet"))
    response = await datasette.client.get(
        datasette.urls.table(database, name, format="json") + "?" + query + "&_size=1&_nocount=1&_nofacet=1")
    if response.status_code != 200:
        raise ValueError(f"无法读取表“{name}”：{response.json().get('error', response.status_code)}")
    data = response.json()
    sql = re.sub(r"\s+limit\s+\d+\s*$", "", data["query"]["sql"], flags=re.IGNORECASE)
    meta = datasette.table_metadata(database, name) or {}
    headers = {"rowid": "行号", **(meta.get("columns") or {})}
    return Target(sql, data["query"]["params"], meta.get("title") or name, headers,
                  {column: enum for column, enum in code_columns.get(name, {}).items()})


def write_xlsx(conn, target: Target, labels: dict) -> tuple[str, int]:
    """Run ``target`` on ``conn`` and write every row to a temporary .xlsx; (file, rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cursor = conn.execute(target.sql, target.params)
    columns = [d[0] for d in cursor.description]
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    sheet_title = re.sub(r"[\[\]:*?/\\（）()]", "", target.title)[:28] or "数据"

    def new_sheet(number: int):
        sheet = book.create_sheet(sheet_title if number == 0 else f"{sheet_title[:24]}续{number}")
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=target.headers.get(column) or column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    sheets, sheet, in_sheet, count = 0, new_sheet(0), 0, 0
    codes = [target.codes.get(c) for c in columns]
    for row in cursor:
        if in_sheet >= EXCEL_MAX_ROWS:
            sheets += 1
            sheet, in_sheet = new_sheet(sheets), 0
        cells = []
        for value, enum in zip(row, codes):
            if enum and isinstance(value, str):
                value = labels.get((enum, value), value)
            value, number_format = as_excel_value(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula, whatever it starts with
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
        in_sheet += 1
        count += 1
    out = tempfile.NamedTemporaryFile(prefix="jijiao-export-", suffix=".xlsx", delete=False)
    out.close()
    book.save(out.name)
    return out.name, count


def write_csv(conn, target: Target, labels: dict) -> tuple[str, int]:
    cursor = conn.execute(target.sql, target.params)
    columns = [d[0] for d in cursor.description]
    codes = [target.codes.get(c) for c in columns]
    out = tempfile.NamedTemporaryFile(prefix="jijiao-export-", suffix=".csv", delete=False, mode="w",
                                      encoding="utf-8-sig", newline="")  # the BOM: Excel reads UTF-8
    writer = csv.writer(out)
    writer.writerow([csv_safe(target.headers.get(c) or c) for c in columns])
    count = 0
    for row in cursor:
        writer.writerow([csv_safe(labels.get((enum, v), v) if enum and isinstance(v, str) else v)
                         for v, enum in zip(row, codes)])
        count += 1
    out.close()
    return out.name, count


def filename(title: str, extension: str) -> str:
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", title).strip("_") or "jijiao"
    return f"{stem}.{extension}"
