"""Importing practitioners, projects and activities from CSV, JSON Lines and Excel files.

The format is documented in docs/data-format.md (with a sample file per kind and format under
examples/): one record per row, a header row of field names -- English (``hours``) or the
models' Chinese labels (``学时``) -- and values as people write them (是/否, 2026-03-30, 县级).

Every row is validated with `inputs.build`. A bad row is reported with file, row and field and
kept in ``import_errors`` (the raw row as JSON) for correction; the good rows of the file load,
all in ONE transaction, keyed by their ids. A file is the new version of its *source* (its path,
or ``--source NAME``): rows it no longer has are withdrawn, changed rows updated, and an id that
another source owns is refused as a conflict (reconcile.py). A file's earlier errors are
replaced by those of its latest import.

Reading is strict and line by line, so one broken row never swallows the rows after it: a CSV
record is one line (a quote left open is an error of that row and field, not a cell running on
to the end of the file); a cell longer than `MAX_CELL` characters, a NUL character, a JSON value
nested deeper than `MAX_DEPTH`, bytes that are not text in the file's encoding: each is an error
of its row. Errors are written to the database as they are found and only the first
`ERRORS_KEPT` are held in memory, so memory stays flat however many rows are bad.

Encoding: UTF-8 (with or without a BOM), unless most of the file's non-ASCII lines are not
UTF-8 but decode as GB18030 (the superset of GBK, which Excel on a Chinese Windows writes for
"CSV"): such a file is decoded as GB18030 with a warning, because refusing it would only make an
office re-save it; the warning and the encoding are stored with the batch. A UTF-8 file with a
few broken characters stays UTF-8 and those rows are reported.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import attrs
import sqlite_utils

from . import reconcile, storage
from .inputs import InputError, build, field_index
from .models import Activity, Practitioner, Project
from .plugins import default_places, default_registry

KINDS = {"practitioners": Practitioner, "projects": Project, "activities": Activity}
KIND_WORDS = [  # file-name words that name the kind, checked in this order
    ("practitioners", ("practitioner", "人员")),
    ("activities", ("activit", "活动", "学分")),
    ("projects", ("project", "项目")),
]
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}
NESTED_PREFIXES = {part: (f"{part}_", f"{word}：") for part, word in storage.PARTS.items()}
FILE_FIELD = "<file>"
ROW_FIELD = "<row>"  # an error of the row as a whole (its id unknown, the row unreadable)
CHUNK = 5000
MAX_CELL = 32_767
"""Characters in one cell: what an Excel cell holds. A longer one is a broken row (a quote
opened and never closed, a file pasted into a cell), not data."""
MAX_DEPTH = 5
"""Nesting of a JSON value: a project's teachers (a list of objects) need 3."""
ERRORS_KEPT = 1000
"""Row errors held in memory for the summary (all of them go to import_errors)."""


@attrs.frozen
class RowError:
    row: int | None
    field: str
    reason: str
    raw: dict | None = None

    def describe(self, file: str) -> str:
        where = f"{file}: row {self.row}" if self.row is not None else file
        return f"{where}: field {self.field!r}: {self.reason}"


@attrs.define
class ImportResult:
    file: str
    kind: str
    format: str
    encoding: str = ""
    batch: str = ""
    source: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_bad: int = 0
    errors: list[RowError] = attrs.field(factory=list)  # the first ERRORS_KEPT; all are in import_errors
    warnings: list[str] = attrs.field(factory=list)
    seconds: float = 0.0
    difference: reconcile.Difference | None = None
    dry_run: bool = False
    unreadable: bool = False  # the file as a whole could not be read or imported: nothing loaded

    def add_error(self, error: RowError) -> None:
        """Count a refused row (each row is refused once) and hold it if fewer than ERRORS_KEPT are."""
        self.rows_bad += error.row is not None
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(error)

    def line(self) -> str:
        if self.unreadable:
            return f"{self.file}（{self.kind or '?'}，{self.format or '?'}）：无法读取或导入，未导入任何行（原因见上）"
        rate = self.rows_read / self.seconds if self.seconds else 0
        loaded = "可导入" if self.dry_run else "导入"
        return (
            f"{self.file}（{self.kind}，{self.format}{'，' + self.encoding if self.encoding else ''}）："
            f"读取 {self.rows_read} 行，{loaded} {self.rows_loaded} 行，错误 {self.rows_bad} 行，"
            f"用时 {self.seconds:.1f} 秒（每秒 {rate:,.0f} 行）"
            + ("（试运行，未写入）" if self.dry_run else "")
        )


class FileProblem(Exception):
    """The file as a whole cannot be read (or its header is wrong)."""

    def __init__(self, reason: str, row: int | None = None, field: str = FILE_FIELD):
        super().__init__(reason)
        self.reason, self.row, self.field = reason, row, field


# --------------------------------------------------------------------------------------------
# What a file is
# --------------------------------------------------------------------------------------------


def kind_of(path: Path, given: str | None = None) -> str:
    if given:
        if given not in KINDS:
            raise FileProblem(f"unknown kind {given!r}; expected one of: {', '.join(KINDS)}")
        return given
    name = path.name.lower()
    for kind, words in KIND_WORDS:
        if any(word in name for word in words):
            return kind
    raise FileProblem("cannot tell from the file name whether it holds practitioners, projects or activities; give --kind")


def format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise FileProblem(f"unknown file type {path.suffix!r}; expected .csv, .jsonl or .xlsx") from None


def check_header(header: list, kind: str) -> list[str]:
    """The header cells, stripped; an unknown or repeated column fails the whole file."""
    names = [str(h).strip().lstrip("\ufeff") if h is not None else "" for h in header]
    seen: dict[str, str] = {}
    for name in names:
        if not name:
            continue
        field = column_field(kind, name)
        if field is None:
            raise FileProblem(f"unknown column {name!r} for {kind}; see docs/data-format.md", row=1, field=name)
        if field in seen:
            raise FileProblem(f"columns {seen[field]!r} and {name!r} are the same field", row=1, field=field)
        seen[field] = name
    return names


def column_field(kind: str, name: str) -> str | None:
    """The field a header cell names ("application.code" for a project's application facts;
    an activity's declared fact by its own name), by column name or Chinese label."""
    found = _header_index(kind).get(name)
    if found is None and kind == "projects" and name in NESTED_PREFIXES:
        return name  # a project's whole part, as one JSON object
    return found


def _header_index(kind: str) -> dict[str, str]:
    db_schema = storage.schema()
    cached = getattr(db_schema, "header_index", None)
    if cached is None:
        cached = db_schema.header_index = {}
        for table, columns in db_schema.columns.items():
            index = cached[table] = {}
            for column in columns:
                if column.presence:
                    continue
                field = f"{column.part}.{column.field}" if column.part in NESTED_PREFIXES else column.field
                index[column.name] = field
                if column.part in NESTED_PREFIXES:
                    index.setdefault(NESTED_PREFIXES[column.part][1] + column.label, field)
                elif column.label:
                    index.setdefault(column.label, field)
    return cached[kind]


def binary_lines(path: Path) -> Iterator[bytes]:
    """The file's lines as bytes, without their line ends (CRLF or LF)."""
    with path.open("rb") as handle:
        for line in handle:
            yield line.rstrip(b"\r\n") if line.endswith(b"\n") else line.rstrip(b"\r")


def sniff_encoding(path: Path) -> tuple[str, int]:
    """The text encoding (utf-8-sig or gb18030) and the number of lines, in one binary pass.

    UTF-8 unless most non-ASCII lines are not UTF-8: a UTF-8 file with one cut character is
    UTF-8 with that row reported, not a GBK file read as mojibake."""
    lines = utf8_good = utf8_bad = 0
    for line in binary_lines(path):
        lines += 1
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_good += 1
        except UnicodeDecodeError:
            utf8_bad += 1
    if utf8_bad == 0 or utf8_good >= utf8_bad:
        return "utf-8-sig", lines
    gb_bad = 0
    for line in binary_lines(path):
        try:
            line.decode("gb18030")
        except UnicodeDecodeError:
            gb_bad += 1
    if gb_bad >= utf8_bad:
        return "utf-8-sig", lines  # neither fits better: UTF-8, the format's own, bad rows reported
    return "gb18030", lines


def text_lines(path: Path, encoding: str) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, why the bytes are not text or None), one line at a time. A line that
    does not decode is given with U+FFFD where the bad bytes were, so its fields can be named."""
    codec = "utf-8" if encoding.startswith("utf-8") else encoding
    for number, raw in enumerate(binary_lines(path), 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield number, raw.decode(codec), None
        except UnicodeDecodeError as error:
            name = "UTF-8" if codec == "utf-8" else "GBK/GB18030"
            yield number, raw.decode(codec, errors="replace"), f"not {name} text ({error.reason} at byte {error.start} of the line)"


def cell_problem(text: str) -> str | None:
    """Why a cell's text cannot be a value: too long, or a NUL character in it."""
    if len(text) > MAX_CELL:
        return f"cell of {len(text):,} characters; at most {MAX_CELL:,} (a quote left open, or text pasted by mistake?)"
    if "\x00" in text:
        return "contains a NUL character (a binary file, or a broken export)"
    return None


def split_csv_line(line: str) -> tuple[list[str], str | None, int | None]:
    """One CSV line as its cells, strictly: (cells, problem, index of the cell at fault)."""
    if "\x00" in line:
        cells = line.split(",")
        at = next(i for i, c in enumerate(cells) if "\x00" in c)
        return cells, "contains a NUL character (a binary file, or a broken export)", at
    try:
        return next(csv.reader([line], strict=True)), None, None
    except csv.Error:
        pass  # read it again, leniently, to say which cell is at fault
    try:
        cells = next(csv.reader([line]))
    except csv.Error as error:  # a cell over csv's own limit: name the longest
        cells = line.split(",")
        at = max(range(len(cells)), key=lambda i: len(cells[i]))
        return cells, f"cell of {len(cells[at]):,} characters or more; at most {MAX_CELL:,} ({error})", at
    return cells, *_quote_fault(line)


def _quote_fault(line: str) -> tuple[str, int]:
    """What is wrong with the quotes of a line csv refused, and in which cell (0-based)."""
    cell, inside, quoted, opened = 0, False, False, 0
    i = 0
    while i < len(line):
        ch = line[i]
        if inside:
            if ch == '"' and line[i + 1:i + 2] == '"':
                i += 1  # a doubled quote inside a quoted cell
            elif ch == '"':
                inside = False
                if line[i + 1:i + 2] not in ("", ","):
                    return "a quote (\") closes in the middle of a cell: quote the whole cell, and double any quote inside it", cell
        elif ch == ",":
            cell, quoted = cell + 1, False
        elif ch == '"':
            if quoted or line[i - 1:i] not in ("", ","):
                return "a quote (\") in the middle of a cell: quote the whole cell, and double any quote inside it", cell
            inside, quoted, opened = True, True, cell
        i += 1
    if inside:
        return "a quote (\") opens here and is never closed on this line; every row must be one line", opened
    return "the quotes of this line cannot be read", cell


def csv_rows(path: Path, encoding: str, kind: str) -> Iterator[Row]:
    lines = text_lines(path, encoding)
    first = next(lines, None)
    if first is None:
        raise FileProblem("the file is empty")
    _number, text, undecodable = first
    header, problem, _at = split_csv_line(text)
    if undecodable or problem:
        raise FileProblem(f"the header row cannot be read: {undecodable or problem}", row=1)
    names = check_header(header, kind)
    for number, text, undecodable in lines:
        if not text.strip():
            continue
        cells, problem, at = split_csv_line(text)
        if problem is None:
            at = next((i for i, c in enumerate(cells) if cell_problem(c)), None)
            problem = cell_problem(cells[at]) if at is not None else None
        if undecodable and problem is None:
            at = next((i for i, c in enumerate(cells) if "\ufffd" in c), None)
            problem = undecodable
        row = dict(zip(names, cells))
        if problem is not None:
            field = column_field(kind, names[at]) if at is not None and at < len(names) and names[at] else FILE_FIELD
            yield number, {"__short__": problem, "__field__": field or names[at], **row}
        elif not any(c.strip() for c in cells):
            continue
        elif len(cells) < len(names):
            reason = f"row has {len(cells)} of {len(names)} columns: the file is cut off here, or a delimiter is missing"
            yield number, {"__short__": reason, "__field__": column_field(kind, names[len(cells)]), **row}
        elif len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
            reason = f"row has {len(cells)} cells but the header has {len(names)} columns"
            yield number, {"__short__": reason, "__field__": FILE_FIELD, **row}
        else:
            yield number, {k: v for k, v in row.items() if k}


def json_depth(value) -> int:
    """How deeply a parsed JSON value nests (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        deepest = max(deepest, depth)
    return deepest


def parse_json(text: str):
    """json.loads, with nesting bounded: raises ValueError for a value nested past `MAX_DEPTH`."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(f"JSON nested too deeply (at most {MAX_DEPTH} levels)") from None
    if json_depth(value) > MAX_DEPTH:
        raise ValueError(f"JSON nested too deeply (at most {MAX_DEPTH} levels)")
    return value


def jsonl_rows(path: Path, encoding: str, kind: str) -> Iterator[Row]:
    for number, line, undecodable in text_lines(path, encoding):
        if not line.strip():
            continue
        if undecodable:
            yield number, {"__short__": undecodable, "__line__": line}
            continue
        if len(line) > MAX_CELL * 4:
            yield number, {"__short__": f"line of {len(line):,} characters; at most {MAX_CELL * 4:,}", "__line__": line[:200] + "…"}
            continue
        try:
            record = json.loads(line)  # each field's nesting is checked by build_record, naming it
        except RecursionError:
            yield number, {"__short__": f"JSON nested too deeply (at most {MAX_DEPTH} levels)", "__line__": line[:200] + "…"}
            continue
        except json.JSONDecodeError as error:
            ending = "" if number < _last_line(path) else "; the file ends here, so it was probably cut off"
            yield number, {"__short__": f"invalid JSON ({error.msg}, column {error.colno}){ending}", "__line__": line}
            continue
        if not isinstance(record, dict):
            yield number, {"__short__": f"expected a JSON object, got {type(record).__name__}", "__line__": line}
            continue
        unknown = [k for k in record if column_field(kind, str(k)) is None]
        if unknown:
            yield number, {"__short__": f"unknown field {unknown[0]!r} for {kind}", "__field__": unknown[0], **record}
            continue
        yield number, record


@functools.cache
def _last_line_of(path: str, size: int, mtime: float) -> int:
    return sum(1 for _ in binary_lines(Path(path)))


def _last_line(path: Path) -> int:
    """The number of the file's last line (counted once per file version)."""
    stat = path.stat()
    return _last_line_of(str(path), stat.st_size, stat.st_mtime)


def xlsx_rows(path: Path, kind: str) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise FileProblem(f"cannot read the workbook ({type(error).__name__}: {error}); is it a complete .xlsx file?") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise FileProblem("the first sheet is empty")
        names = check_header(list(header), kind)
        for number, cells in enumerate(rows, 2):
            if cells is None or all(c is None or str(c).strip() == "" for c in cells):
                continue
            yield number, {name: excel_value(cell) for name, cell in zip(names, cells) if name}
    finally:
        book.close()


def excel_value(cell):
    """Excel cells as the text-or-JSON values `build` reads: whole floats as ints (ids typed as
    numbers), a midnight datetime as its date."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, datetime) and cell.time() == datetime.min.time():
        return cell.date()
    return cell


# --------------------------------------------------------------------------------------------
# Validating one row
# --------------------------------------------------------------------------------------------


def present(value) -> bool:
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def build_record(kind: str, row: dict):
    """The model for one row; raises InputError naming the field."""
    if "__short__" in row:
        raise InputError(row.get("__field__", FILE_FIELD), row["__short__"])
    values = {k: v for k, v in row.items() if present(v)}
    for key, value in values.items():
        problem = cell_problem(value) if isinstance(value, str) else None
        if problem is None and isinstance(value, (dict, list)) and json_depth(value) > MAX_DEPTH:
            problem = f"JSON nested too deeply (at most {MAX_DEPTH} levels)"
        if problem:
            raise InputError(column_field(kind, str(key)) or str(key), problem)
    registry = default_registry()
    cls = KINDS[kind]
    if kind != "projects":
        return build(cls, values, places=default_places(), facts=registry.declared_facts(cls), check_ids=True)
    own: dict = {}
    for key, value in values.items():
        field = column_field(kind, str(key))
        if field in NESTED_PREFIXES:
            own.setdefault(field, {}).update(nested_object(field, value))
        elif field is not None and "." in field:
            part, inner = field.split(".", 1)
            own.setdefault(part, {})[inner] = value
        else:
            own[key] = value
    return build(cls, own, places=default_places(), facts=registry.declared_facts(cls), check_ids=True)


def nested_object(field: str, value) -> dict:
    """A project's ``application`` / ``execution`` given whole: a JSON object (or its text)."""
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except ValueError as error:  # json.JSONDecodeError is one
            raise InputError(field, f"expected a JSON object of {field} facts: {error}") from None
    if not isinstance(value, dict):
        raise InputError(field, f"expected a JSON object of {field} facts, got {type(value).__name__}")
    return value


def check_year(record, year: int | None) -> None:
    """Activities: the date must fall in the activity's year (and the year be the one imported)."""
    if not isinstance(record, Activity):
        return
    if year is not None and record.year != year:
        raise InputError("year", f"activity of {record.year}, but this import is for {year}")
    if record.date is not None and record.date.year != record.year:
        raise InputError("date", f"{record.date.isoformat()} is outside the activity's year {record.year}")


def jsonable_row(row: dict) -> dict:
    clean = {k: v for k, v in row.items() if not k.startswith("__")}
    if "__line__" in row:
        clean["line"] = row["__line__"]
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in clean.items()}


# --------------------------------------------------------------------------------------------
# The import
# --------------------------------------------------------------------------------------------


class DryRun(Exception):
    """Raised inside the import's transaction to roll it back (``--dry-run``)."""


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    db: sqlite_utils.Database,
    path: str | Path,
    *,
    kind: str | None = None,
    year: int | None = None,
    source: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    on_length: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one file as the new version of ``source`` (default: the file's path as given);
    see the module docstring and reconcile.py. ``dry_run``: do everything, report the
    difference, write nothing. Never raises for bad data: a file that cannot be read at all,
    or whose import fails, is reported as one error of field ``<file>`` and loads nothing."""
    path = Path(path)
    name = str(path)
    started, clock = storage.now_text(), time.perf_counter()
    result = ImportResult(file=name, kind=kind or "", format="", source=source or name, dry_run=dry_run)
    try:
        result.kind = kind_of(path, kind)
        result.format = format_of(path)
        if not path.is_file():
            raise FileProblem("no such file")
        digest = file_digest(path)
        if result.format == "xlsx":
            rows = xlsx_rows(path, result.kind)
            length = None
        else:
            result.encoding, length = sniff_encoding(path)
            if result.encoding == "gb18030":
                result.warnings.append(f"{name}: not UTF-8; decoded as GBK/GB18030 (save as “CSV UTF-8” to avoid this warning)")
            rows = (csv_rows if result.format == "csv" else jsonl_rows)(path, result.encoding, result.kind)
        if on_length is not None and length:
            on_length(length)
        result.batch = f"{datetime.now():%Y%m%dT%H%M%S%f}-{digest[:8]}"
        with db.atomic():
            db.conn.execute("DELETE FROM import_errors WHERE file = ?", (name,))
            db.conn.execute(
                storage.insert_sql("import_batches", ["id", "file", "kind", "format", "encoding", "sha256", "started_at", "notes", "source"]),
                (result.batch, name, result.kind, result.format, result.encoding, digest, started,
                 "\n".join(result.warnings) or None, result.source),
            )
            result.difference = load_rows(db, result, rows, year, progress)
            counts = result.difference.counts
            db.conn.execute(
                """UPDATE import_batches SET rows_read = ?, rows_loaded = ?, rows_bad = ?, finished_at = ?, added = ?,
                   changed = ?, withdrawn = ?, restored = ?, conflicts = ?, kept = ? WHERE id = ?""",
                (result.rows_read, result.rows_loaded, result.rows_bad, storage.now_text(), counts["added"],
                 counts["changed"], counts["withdrawn"], counts["restored"], counts["conflict"], counts["kept"], result.batch),
            )
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    except FileProblem as problem:
        file_failed(db, result, problem.row, problem.field, problem.reason)
    except sqlite3.OperationalError as error:
        if database_unusable(error):
            raise  # not this file's fault: every file would fail the same way (cli.one_line_error)
        file_failed(db, result, None, FILE_FIELD, f"the import failed, nothing was loaded from this file ({error})")
    except Exception as error:  # noqa: BLE001 -- one file's failure never stops the next file
        file_failed(db, result, None, FILE_FIELD, f"the import failed, nothing was loaded from this file ({type(error).__name__}: {error})")
    result.seconds = time.perf_counter() - clock
    return result


def database_unusable(error: sqlite3.OperationalError) -> bool:
    """A read-only, full or locked database: the import cannot go on for any file."""
    text = str(error)
    return any(word in text for word in ("readonly", "read-only", "disk is full", "locked", "unable to open", "disk I/O"))


def file_failed(db: sqlite_utils.Database, result: ImportResult, row, field: str, reason: str) -> None:
    """A file that could not be read (or imported) loads nothing; its problem is still kept for
    correction, where the database can be written."""
    result.unreadable = True
    result.rows_loaded = 0
    result.difference = None
    result.add_error(RowError(row, field, reason))
    if result.dry_run:
        return
    try:
        with db.atomic():
            db.conn.execute("DELETE FROM import_errors WHERE file = ?", (result.file,))
            db.conn.execute(
                storage.insert_sql("import_errors", ["batch", "file", "kind", "row", "field", "reason", "raw", "imported_at"]),
                (None, result.file, result.kind or None, row, field, reason, None, storage.now_text()),
            )
    except sqlite3.Error as error:
        result.warnings.append(f"{result.file}: the error could not be stored either ({error})")


def row_id(kind: str, row: dict) -> str | None:
    """The id a raw row gives, if it gives one (to keep the earlier version of a refused row)."""
    index = field_index(KINDS[kind])
    for key, value in row.items():
        attribute = index.get(str(key).strip())
        if attribute is not None and attribute.name == "id" and present(value):
            return str(value).strip()
    return None


def load_rows(db, result: ImportResult, rows: Iterator[Row], year: int | None, progress) -> reconcile.Difference:
    """Validate rows and write the good ones chunk by chunk as the new version of the source
    (inside the caller's transaction); bad rows go to import_errors as they are found."""
    table = result.kind
    codec = storage.codec(db, table)
    imported_at = storage.now_text()
    error_sql = storage.insert_sql("import_errors", ["batch", "file", "kind", "row", "field", "reason", "raw", "imported_at"])
    reconciler = reconcile.Reconciler(db, table, result.source, result.batch, imported_at)
    good: dict[str, tuple[int, tuple, dict]] = {}
    bad: list[tuple] = []
    kept: list[str] = []

    def flush():
        refused = reconciler.write(((i, n, encoded) for i, (n, encoded, _row) in good.items()), result.file)
        for number, field, reason, record_id in refused:
            reject(number, field, reason, jsonable_row(good[record_id][2]))
        result.rows_loaded += len(good) - len(refused)
        flush_bad()
        good.clear()

    def flush_bad():
        db.conn.executemany(error_sql, bad)
        reconciler.keep(kept)
        bad.clear()
        kept.clear()

    def reject(number, field, reason, raw):
        result.add_error(RowError(number, field, reason, raw if len(result.errors) < ERRORS_KEPT else None))
        bad.append((result.batch, result.file, table, number, field, reason,
                    json.dumps(raw, ensure_ascii=False, default=str) if raw is not None else None, imported_at))

    for number, row in rows:
        result.rows_read += 1
        try:
            record = build_record(table, row)
            check_year(record, year)
        except InputError as error:
            reject(number, error.field, error.reason, jsonable_row(row))
            record_id = row_id(table, row)
            if record_id is not None:
                kept.append(record_id)
        except Exception as error:  # noqa: BLE001 -- a row we cannot even judge is still one row's error
            reject(number, ROW_FIELD, f"cannot read this row ({type(error).__name__}: {error})", jsonable_row(row))
        else:
            if record.id in good:
                reject(number, "id", f"duplicate id {record.id!r}: already in row {good[record.id][0]} of this file", jsonable_row(row))
            else:
                good[record.id] = (number, codec.encode(record), row)
        if len(good) >= CHUNK:
            flush()
        elif len(bad) >= CHUNK:
            flush_bad()
        if progress is not None and result.rows_read % 1000 == 0:
            progress(1000)
    flush()
    return reconciler.finish()


# --------------------------------------------------------------------------------------------
# The documented format (docs/data-format.md is generated from this)
# --------------------------------------------------------------------------------------------


def _type_text(tp) -> str:
    from .models import LabelledEnum, _Declared

    tp = storage.base_type(tp)
    if isinstance(tp, type) and issubclass(tp, LabelledEnum):
        return "、".join(m.zh for m in tp) + "（或代码 " + "/".join(m.value for m in tp) + "）"
    if isinstance(tp, type) and issubclass(tp, _Declared):
        return f"已安装插件声明的{ {'ActivityKind': '活动类型', 'Category': '学分类别'}.get(tp.__name__, tp.__name__) }（中文名称或代码，见下表）"
    names = {str: "文本", int: "整数", bool: "是/否", date: "日期 2026-03-30", datetime: "时间 2026-03-30T18:00（北京时间）"}
    if tp in names:
        return names[tp]
    if getattr(tp, "__name__", "") == "Decimal":
        return "数字"
    return "JSON 列表" if str(tp).startswith("tuple") else str(tp)


def format_reference(registry=None) -> str:
    """Markdown tables of every importable column: English name, Chinese label, type, unit, and
    who declares it (core, or the plugin whose fact it is); then the declared kinds and categories."""
    registry = registry or default_registry()
    db_schema = storage.schema(registry)
    owners = _fact_owners(registry)
    out = []
    for kind in KINDS:
        out.append(f"### {kind}\n\n| column | 中文列名 | type | unit | required | declared by |\n|---|---|---|---|---|---|")
        for column in db_schema.columns[kind]:
            if column.presence:
                continue
            label = column.label
            if column.part in NESTED_PREFIXES:
                label = f"{NESTED_PREFIXES[column.part][1]}{label}"
            required = "yes" if column.required else ""
            personal = "（个人信息）" if column.personal else ""
            owner = "core" if column.part is None else owners.get((column.part, column.field), "")
            out.append(f"| `{column.name}` | {label}{personal} | {_type_text(column.type)} | {column.unit or ''} | {required} | {owner} |")
        out.append("")
    out.append("### 活动类型（activity kinds）\n\n| code | 中文名称 | 条款 |\n|---|---|---|")
    out += [f"| `{k.code}` | {k.zh} | {k.clause or ''} |" for k in registry.kinds.values()]
    out.append("\n### 学分类别（categories）\n\n| code | 中文名称 | unit |\n|---|---|---|")
    out += [f"| `{c.code}` | {c.zh} | {c.unit} |" for c in registry.categories.values()]
    out.append("")
    return "\n".join(out)


def _fact_owners(registry) -> dict[tuple[str, str], str]:
    """(column part, fact name) → the plugins declaring it, for the format reference."""
    part_of = {"activity": "facts", "application": "application", "execution": "execution"}
    return {(part_of[record], name): "、".join(sorted(set(owners))) for (record, name), owners in registry.fact_owners.items()}


if __name__ == "__main__":  # python -m jijiao.importing > column tables for docs/data-format.md
    print(format_reference())
