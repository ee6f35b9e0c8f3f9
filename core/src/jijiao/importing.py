"""Importing practitioners, projects and activities from CSV, JSON Lines and Excel files.

The format is documented in docs/data-format.md (with a sample file per kind and format under
examples/): one record per row, a header row of field names -- English (``hours``) or the
models' Chinese labels (``学时``) -- and values as people write them (是/否, 2026-03-30, 县级).

Every row is validated with `inputs.build`. A bad row is reported with file, row and field and
kept in ``import_errors`` (the raw row as JSON) for correction; the good rows of the file load,
all in ONE transaction, keyed by their ids so that importing a file again updates instead of
duplicating. A file's earlier errors are replaced by those of its latest import.

Reading: a CSV that is not UTF-8 but decodes as GB18030 (the superset of GBK, which Excel on a
Chinese Windows writes for "CSV") is decoded as such with a warning, because refusing the file
would only make an office re-save it; the warning and the encoding are stored with the batch.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import time
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import attrs
import sqlite_utils

from . import storage
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
CHUNK = 5000


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
    rows_read: int = 0
    rows_loaded: int = 0
    errors: list[RowError] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)
    seconds: float = 0.0

    @property
    def rows_bad(self) -> int:
        return len({e.row for e in self.errors})

    def line(self) -> str:
        rate = self.rows_read / self.seconds if self.seconds else 0
        return (
            f"{self.file}（{self.kind}，{self.format}{'，' + self.encoding if self.encoding else ''}）："
            f"读取 {self.rows_read} 行，导入 {self.rows_loaded} 行，错误 {self.rows_bad} 行，"
            f"用时 {self.seconds:.1f} 秒（每秒 {rate:,.0f} 行）"
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


def sniff_encoding(path: Path) -> tuple[str, int]:
    """The text encoding (utf-8-sig or gb18030) and the number of lines, in one binary pass."""
    lines = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False  # ends inside a multi-byte character: let the row-level check report it
    if utf8:
        return "utf-8-sig", lines
    try:
        path.read_bytes().decode("gb18030")
    except UnicodeDecodeError as error:
        raise FileProblem(f"not UTF-8 text and not GBK/GB18030 either ({error.reason} at byte {error.start})") from None
    return "gb18030", lines


# --------------------------------------------------------------------------------------------
# Reading rows: (row number, {header: cell}) per record
# --------------------------------------------------------------------------------------------

Row = tuple[int, dict]


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


def csv_rows(path: Path, encoding: str, kind: str) -> Iterator[Row]:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise FileProblem("the file is empty") from None
        names = check_header(header, kind)
        number = 1
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                continue
            row = dict(zip(names, cells))
            if len(cells) < len(names):
                reason = f"row has {len(cells)} of {len(names)} columns: the file is cut off here, or a delimiter is missing"
                yield number, {"__short__": reason, "__field__": column_field(kind, names[len(cells)]), **row}
            elif len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
                reason = f"row has {len(cells)} cells but the header has {len(names)} columns"
                yield number, {"__short__": reason, "__field__": FILE_FIELD, **row}
            else:
                yield number, {k: v for k, v in row.items() if k}


def jsonl_rows(path: Path, encoding: str, kind: str) -> Iterator[Row]:
    with path.open(encoding=encoding) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                ending = "" if line.endswith("\n") else "; the file ends here, so it was probably cut off"
                yield number, {"__short__": f"invalid JSON ({error.msg}, column {error.colno}){ending}", "__line__": line.rstrip("\n")}
                continue
            if not isinstance(record, dict):
                yield number, {"__short__": f"expected a JSON object, got {type(record).__name__}", "__line__": line.rstrip("\n")}
                continue
            unknown = [k for k in record if column_field(kind, str(k)) is None]
            if unknown:
                yield number, {"__short__": f"unknown field {unknown[0]!r} for {kind}", "__field__": unknown[0], **record}
                continue
            yield number, record


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
    registry = default_registry()
    cls = KINDS[kind]
    if kind != "projects":
        return build(cls, values, places=default_places(), facts=registry.declared_facts(cls))
    own: dict = {}
    for key, value in values.items():
        field = column_field(kind, str(key))
        if field in NESTED_PREFIXES:
            own.setdefault(field, {}).update(json.loads(value) if isinstance(value, str) else value)
        elif field is not None and "." in field:
            part, inner = field.split(".", 1)
            own.setdefault(part, {})[inner] = value
        else:
            own[key] = value
    return build(cls, own, places=default_places(), facts=registry.declared_facts(cls))


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


def import_file(
    db: sqlite_utils.Database,
    path: str | Path,
    *,
    kind: str | None = None,
    year: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_length: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one file; see the module docstring. Never raises for bad data: a file that cannot
    be read at all is reported as one error of field ``<file>``."""
    path = Path(path)
    name = str(path)
    started, clock = storage.now_text(), time.perf_counter()
    result = ImportResult(file=name, kind=kind or "", format="")
    try:
        result.kind = kind_of(path, kind)
        result.format = format_of(path)
        if not path.exists():
            raise FileProblem("no such file")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
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
                storage.insert_sql("import_batches", ["id", "file", "kind", "format", "encoding", "sha256", "started_at", "notes"]),
                (result.batch, name, result.kind, result.format, result.encoding, digest, started, "\n".join(result.warnings) or None),
            )
            load_rows(db, result, rows, year, progress)
            db.conn.execute(
                "UPDATE import_batches SET rows_read = ?, rows_loaded = ?, rows_bad = ?, finished_at = ? WHERE id = ?",
                (result.rows_read, result.rows_loaded, result.rows_bad, storage.now_text(), result.batch),
            )
    except FileProblem as problem:
        result.errors.append(RowError(problem.row, problem.field, problem.reason))
        record_file_problem(db, result, problem)
    result.seconds = time.perf_counter() - clock
    return result


def record_file_problem(db: sqlite_utils.Database, result: ImportResult, problem: FileProblem) -> None:
    """A file that could not be read loads nothing; its problem is still kept for correction."""
    with db.atomic():
        db.conn.execute("DELETE FROM import_errors WHERE file = ?", (result.file,))
        db.conn.execute(
            storage.insert_sql("import_errors", ["batch", "file", "kind", "row", "field", "reason", "raw", "imported_at"]),
            (None, result.file, result.kind or None, problem.row, problem.field, problem.reason, None, storage.now_text()),
        )


def load_rows(db, result: ImportResult, rows: Iterator[Row], year: int | None, progress) -> None:
    """Validate rows and upsert the good ones chunk by chunk (inside the caller's transaction)."""
    table = result.kind
    codec = storage.codec(db, table)
    imported_at = storage.now_text()
    error_sql = storage.insert_sql("import_errors", ["batch", "file", "kind", "row", "field", "reason", "raw", "imported_at"])
    good: dict[str, tuple[int, tuple, dict]] = {}
    bad: list[tuple] = []

    def flush():
        duplicates = earlier_rows(db, table, result.batch, list(good))
        rows_ = []
        for record_id, (number, encoded, row) in good.items():
            if record_id in duplicates:
                reason = f"duplicate id {record_id!r}: already in row {duplicates[record_id]} of this file"
                reject(number, "id", reason, jsonable_row(row))
            else:
                rows_.append((*encoded, result.batch, result.file, number, imported_at))
        storage.upsert_records(db, table, rows_)
        result.rows_loaded += len(rows_)
        db.conn.executemany(error_sql, bad)
        good.clear()
        bad.clear()

    def reject(number, field, reason, raw):
        result.errors.append(RowError(number, field, reason, raw))
        bad.append((result.batch, result.file, table, number, field, reason,
                    json.dumps(raw, ensure_ascii=False, default=str) if raw is not None else None, imported_at))

    for number, row in rows:
        result.rows_read += 1
        try:
            record = build_record(table, row)
            check_year(record, year)
        except InputError as error:
            reject(number, error.field, error.reason, jsonable_row(row))
        else:
            if record.id in good:
                reject(number, "id", f"duplicate id {record.id!r}: already in row {good[record.id][0]} of this file", jsonable_row(row))
            else:
                good[record.id] = (number, codec.encode(record), row)
        if len(good) >= CHUNK:
            flush()
        if progress is not None and result.rows_read % 1000 == 0:
            progress(1000)
    flush()


def earlier_rows(db, table: str, batch: str, ids: list[str]) -> dict[str, int]:
    """Ids of this chunk already written by this batch (a duplicate further down the file)."""
    found = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        marks = ",".join("?" * len(part))
        for record_id, row in db.conn.execute(
            f"SELECT id, source_row FROM [{table}] WHERE import_batch = ? AND id IN ({marks})", (batch, *part)
        ):
            found[record_id] = row
    return found


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
