"""The SQLite database of an annual run: its schema, its migrations and its bulk writers.

One file holds a year (or several) of a CME office's records and every run over them:

- *input tables* -- ``practitioners``, ``projects``, ``activities`` -- one column per model field
  (the column names are the models' English field names; enum values are stored as their codes,
  Decimals as REAL, dates as ISO text, datetimes as ISO text with +08:00), keyed by the records'
  own ids so that importing a file again updates rows instead of duplicating them; plus
  ``import_batches`` and ``import_errors`` (the rows that could not be read, kept for correction);
- *reference tables* -- ``jurisdictions``, ``documents``, ``clauses``, ``parameters``,
  ``missing_documents``, rewritten from the `Registry` on every assessment, plus
  ``column_labels`` and ``labels`` (the Chinese names of columns and codes, from the models);
- *result tables* -- ``runs`` and, each row pointing to ``runs.id``: ``run_parameters``,
  ``credit_awards``, ``annual_results``, ``requirement_results``, ``cap_applications``,
  ``findings``, ``deadlines``, ``recognitions``; and ``comparisons`` between two runs.

docs/schema.md describes every table and column. The schema is built by `MIGRATIONS`, a list
of small functions applied in order and recorded in ``schema_migrations``; a database made by
an older jijiao is brought up to date when it is opened (`connect`).

Writes are plain ``executemany`` inside one transaction (`Database.atomic`), which is several
times faster than row-by-row inserts and lets a run replace its results atomically (WAL mode:
readers see the old run until the new one commits).
"""

from __future__ import annotations

import json
import os
import types
import typing
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import attrs
import sqlite_utils

from .models import (
    Activity,
    CHINA_TZ,
    LabelledEnum,
    Practitioner,
    Project,
    ProjectApplication,
    ProjectExecution,
    Teacher,
)

# --------------------------------------------------------------------------------------------
# Columns from models
# --------------------------------------------------------------------------------------------


def base_type(tp):
    """The type of a field without its Optional."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def sql_type(tp) -> str:
    tp = base_type(tp)
    if tp in (int, bool):
        return "INTEGER"
    if tp is Decimal:
        return "REAL"
    return "TEXT"


@attrs.frozen
class Column:
    """One column of an input table, read from one model field (possibly a nested model's).

    A *presence* column records whether a project had its nested part at all (``has_application``),
    so that a project without an application reads back as one without, not as an empty one.
    """

    name: str
    sql: str
    attribute: attrs.Attribute
    nested: str | None = None  # "application" / "execution" for a project's flattened facts
    presence: bool = False

    @property
    def label(self) -> str:
        zh = self.attribute.metadata.get("zh") or ""
        return zh

    @property
    def unit(self) -> str | None:
        return self.attribute.metadata.get("unit")

    @property
    def personal(self) -> bool:
        return bool(self.attribute.metadata.get("personal"))


def model_columns(cls, prefix: str = "", nested: str | None = None) -> list[Column]:
    attrs.resolve_types(cls)
    return [Column(prefix + a.name, sql_type(a.type), a, nested) for a in attrs.fields(cls)]


PRACTITIONER_COLUMNS = model_columns(Practitioner)
NESTED_MODELS = {"application": ProjectApplication, "execution": ProjectExecution}
PROJECT_COLUMNS = (
    [c for c in model_columns(Project) if c.name not in NESTED_MODELS]
    + model_columns(ProjectApplication, "application_", "application")
    + model_columns(ProjectExecution, "execution_", "execution")
    + [Column(f"has_{name}", "INTEGER", attrs.fields_dict(Project)[name], presence=True) for name in NESTED_MODELS]
)
ACTIVITY_COLUMNS = model_columns(Activity)

# Columns every input table carries besides the model's: which import wrote the row, and when.
PROVENANCE = {"import_batch": str, "source_file": str, "source_row": int, "imported_at": str}


# --------------------------------------------------------------------------------------------
# Values: model <-> SQLite
# --------------------------------------------------------------------------------------------


def encode(value):
    """A model value as SQLite stores it: codes for enums, REAL for Decimal, ISO text for times,
    JSON for lists and nested values, 0/1 for booleans."""
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, (bool, LabelledEnum)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, LabelledEnum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list, dict)) or attrs.has(type(value)):
        from .inputs import to_jsonable

        return json.dumps(to_jsonable(value), ensure_ascii=False)
    return str(value)


def _identity(value):
    return value


class _Memo(dict):
    """``decode`` remembering its answers: a year repeats the same few hundred dates and credit
    values millions of times, and Decimal and date are immutable, so sharing them is safe.
    Decoding is ``memo[value]`` (a dict lookup, no Python call once a value is known)."""

    def __init__(self, decode: Callable[[object], object], limit: int = 4096):
        super().__init__()
        self.decode = decode
        self.limit = limit

    def __missing__(self, value):
        found = self.decode(value)
        if len(self) < self.limit:
            self[value] = found
        return found


def _memoised(decode: Callable[[object], object], limit: int = 4096) -> Callable[[object], object]:
    return _Memo(decode, limit).__getitem__


class _Members(dict):
    """An enum's members by code; anything else (a label, a member's name) goes through ``parse``."""

    def __init__(self, enum_cls):
        super().__init__((m.value, m) for m in enum_cls)
        self.parse = enum_cls.parse

    def __missing__(self, value):
        return self.parse(value)


def _decoder(tp) -> Callable[[object], object]:
    """How to turn a stored value back into the field's Python value (None stays None)."""
    tp = base_type(tp)
    if tp is bool:
        return bool
    if tp is Decimal:
        return _memoised(_stored_decimal)
    if tp is date:
        return _memoised(lambda v: date.fromisoformat(v) if isinstance(v, str) else v)
    if tp is datetime:
        return lambda v: _aware(datetime.fromisoformat(v)) if isinstance(v, str) else v
    if isinstance(tp, type) and issubclass(tp, LabelledEnum):
        return _Members(tp).__getitem__
    if typing.get_origin(tp) is tuple:
        (item,) = typing.get_args(tp)[:1]
        if attrs.has(item):
            return lambda v: tuple(item(**x) for x in json.loads(v)) if isinstance(v, str) else tuple(v)
        return lambda v: tuple(json.loads(v)) if isinstance(v, str) else tuple(v)
    return _identity


def _stored_decimal(value) -> Decimal:
    """A REAL back to the Decimal it was: 3.0 reads as 3 (so explanations say "3 小时"), 2.5 as 2.5."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA_TZ)


class RowCodec:
    """Encodes a model to a row tuple (in column order) and decodes a row back, without parsing
    text field by field: the stored values are already typed, so reading a year back is fast."""

    def __init__(self, cls, columns: Sequence[Column]):
        self.cls = cls
        self.columns = list(columns)
        self.names = [c.name for c in self.columns]
        self._decoders = [(_decoder(c.attribute.type), c) for c in self.columns]
        # A model without nested parts (activities, practitioners) decodes by a flat plan:
        # (field, decoder or None when the stored value is already the field's value), in column order.
        self._flat = None
        if not any(c.nested or c.presence for c in self.columns):
            self._flat = [(c.attribute.name, None if decode is _identity else decode) for decode, c in self._decoders]
        # When the columns are the model's own fields in order (activities, practitioners), a row
        # becomes the constructor's positional arguments: a stored NULL passes the field's default,
        # exactly as leaving the field out would. Rows missing a required value go the keyword
        # way, so the model itself reports the missing field.
        self._positional = None
        fields = [a for a in attrs.fields(cls) if a.init]
        if self._flat is not None and [c.attribute for c in self.columns] == fields and not any(
            isinstance(a.default, attrs.Factory) for a in fields  # type: ignore[arg-type]
        ):
            self._positional = [(None if decode is _identity else decode, a.default) for (decode, _c), a in zip(self._decoders, fields)]
            self._required = tuple(i for i, a in enumerate(fields) if a.default is attrs.NOTHING)

    def encode(self, record) -> tuple:
        values = []
        for column in self.columns:
            if column.presence:
                values.append(int(getattr(record, column.attribute.name) is not None))
                continue
            owner = getattr(record, column.nested) if column.nested else record
            values.append(None if owner is None else encode(getattr(owner, column.attribute.name)))
        return tuple(values)

    def decode(self, row: Sequence):
        if self._positional is not None:
            for i in self._required:
                if row[i] is None:
                    return self._decode_keywords(row)
            return self.cls(*[  # still validated and converted by the model itself
                default if value is None else value if decode is None else decode(value)
                for (decode, default), value in zip(self._positional, row)
            ])
        return self._decode_keywords(row)

    def _decode_keywords(self, row: Sequence):
        if self._flat is not None:
            fields = {
                name: value if decode is None else decode(value)
                for (name, decode), value in zip(self._flat, row)
                if value is not None
            }
            return self.cls(**fields)  # still validated and converted by the model itself
        own: dict = {}
        nested: dict[str, dict] = {}
        present: list[str] = []
        for (decode, column), value in zip(self._decoders, row):
            if value is None:
                continue
            if column.presence:
                if value:
                    present.append(column.attribute.name)
            elif column.nested:
                nested.setdefault(column.nested, {})[column.attribute.name] = decode(value)
            else:
                own[column.attribute.name] = decode(value)
        for name in present:
            own[name] = NESTED_MODELS[name](**nested.get(name, {}))
        return self.cls(**own)


# --------------------------------------------------------------------------------------------
# Schema: migrations
# --------------------------------------------------------------------------------------------


def _create(db: sqlite_utils.Database, table: str, columns: dict, pk, **kwargs) -> None:
    if not db[table].exists():
        db[table].create(columns, pk=pk, **kwargs)


def _model_table(db, table: str, columns: Sequence[Column]) -> None:
    spec = {c.name: {"INTEGER": int, "REAL": float, "TEXT": str}[c.sql] for c in columns}
    spec.update(PROVENANCE)
    _create(db, table, spec, pk="id", not_null={"id"})


def m001_input_tables(db: sqlite_utils.Database) -> None:
    """practitioners, projects, activities (one column per model field), import batches and errors."""
    _model_table(db, "practitioners", PRACTITIONER_COLUMNS)
    _model_table(db, "projects", PROJECT_COLUMNS)
    _model_table(db, "activities", ACTIVITY_COLUMNS)
    db["activities"].create_index(["practitioner", "year"], if_not_exists=True)
    db["activities"].create_index(["project"], if_not_exists=True)
    db["practitioners"].create_index(["jurisdiction"], if_not_exists=True)
    _create(db, "import_batches", {
        "id": str, "file": str, "kind": str, "format": str, "encoding": str, "sha256": str,
        "rows_read": int, "rows_loaded": int, "rows_bad": int, "started_at": str, "finished_at": str,
    }, pk="id")
    _create(db, "import_errors", {
        "id": int, "batch": str, "file": str, "kind": str, "row": int, "field": str, "reason": str,
        "raw": str, "imported_at": str,
    }, pk="id", foreign_keys=[("batch", "import_batches", "id")])
    db["import_errors"].create_index(["file"], if_not_exists=True)


def m002_reference_tables(db: sqlite_utils.Database) -> None:
    """What the rules are: jurisdictions, documents, clauses, parameters, missing documents."""
    _create(db, "jurisdictions", {
        "code": str, "name": str, "level": str, "parent": str, "plugin": str, "distribution": str, "version": str,
    }, pk="code")
    _create(db, "documents", {
        "id": str, "title": str, "number": str, "issuer": str, "issued": str, "status": str,
        "jurisdiction": str, "source": str, "effective_from": str, "effective_until": str, "clauses": int,
    }, pk="id", foreign_keys=[("jurisdiction", "jurisdictions", "code")])
    _create(db, "clauses", {
        "id": str, "document": str, "clause": str, "text": str, "summary": str, "computable": int,
    }, pk="id", foreign_keys=[("document", "documents", "id")])
    _create(db, "parameters", {
        "id": str, "plugin": str, "key": str, "value": str, "unit": str, "clause": str,
        "description": str, "assumed": int,
    }, pk="id", foreign_keys=[("clause", "clauses", "id")])
    _create(db, "missing_documents", {
        "jurisdiction": str, "number": str, "title": str, "needed_for": str,
    }, pk=("jurisdiction", "number"), foreign_keys=[("jurisdiction", "jurisdictions", "code")])
    _create(db, "column_labels", {
        "table_name": str, "column_name": str, "zh": str, "unit": str, "personal": int,
    }, pk=("table_name", "column_name"))
    _create(db, "labels", {"enum": str, "code": str, "zh": str}, pk=("enum", "code"))


def m003_result_tables(db: sqlite_utils.Database) -> None:
    """runs and everything a run writes, each row pointing to runs.id."""
    _create(db, "runs", {
        "id": int, "name": str, "year": int, "status": str, "started_at": str, "finished_at": str,
        "seconds": float, "plugins": str, "overrides": str, "as_of": str,
        "practitioners": int, "activities": int, "projects": int,
        "passed": int, "failed": int, "undetermined": int, "pass_rate": float,
        "awards_per_second": float,
    }, pk="id", not_null={"name", "year"})
    db["runs"].create_index(["name", "year"], unique=True, if_not_exists=True)
    run_fk = ("run", "runs", "id")
    _create(db, "run_parameters", {
        "run": int, "parameter": str, "value": str, "default_value": str, "overridden": int,
    }, pk=("run", "parameter"), foreign_keys=[run_fk, ("parameter", "parameters", "id")])
    _create(db, "credit_awards", {
        "run": int, "activity": str, "practitioner": str, "year": int, "kind": str,
        "jurisdiction": str, "status": str, "credits": float, "category": str, "clauses": str,
        "explanation": str, "cap_group": str, "capped": int, "deems_complete": int,
    }, pk=None, foreign_keys=[run_fk, ("activity", "activities", "id"), ("practitioner", "practitioners", "id")])
    _create(db, "annual_results", {
        "run": int, "practitioner": str, "year": int, "jurisdiction": str, "unit": str,
        "unit_level": str, "title": str, "activities": int, "required": float, "earned": float,
        "shortfall": float, "class_i": float, "class_ii": float, "public_hours": float,
        "verdict": str, "passed": int, "deemed_complete": str, "deemed_clause": str,
        "caps_applied": str, "missing_layers": str, "missing_documents": str, "chain": str,
        "findings": int,
    }, pk=("run", "practitioner"), foreign_keys=[run_fk, ("practitioner", "practitioners", "id")])
    _create(db, "requirement_results", {
        "run": int, "practitioner": str, "requirement": str, "label": str, "categories": str,
        "required": float, "unit": str, "earned": float, "shortfall": float, "met": int,
        "clause": str, "jurisdiction": str, "missing_document": str, "assumed": int,
    }, pk=None, foreign_keys=[run_fk, ("practitioner", "practitioners", "id")])
    _create(db, "cap_applications", {
        "run": int, "practitioner": str, "cap": str, "clause": str, "cap_limit": float,
        "before_credits": float, "after_credits": float, "activities": str,
    }, pk=None, foreign_keys=[run_fk, ("practitioner", "practitioners", "id")])
    _create(db, "findings", {
        "run": int, "subject_kind": str, "subject": str, "practitioner": str, "project": str,
        "jurisdiction": str, "severity": str, "clause": str, "message": str, "consequence": str,
    }, pk=None, foreign_keys=[run_fk])
    _create(db, "deadlines", {
        "run": int, "subject_kind": str, "subject": str, "project": str, "what": str, "who": str,
        "due": str, "done_at": str, "late": int, "state": str, "clause": str, "jurisdiction": str,
    }, pk=None, foreign_keys=[run_fk])
    _create(db, "recognitions", {
        "run": int, "activity": str, "practitioner": str, "practitioner_jurisdiction": str,
        "project_jurisdiction": str, "cross_region": int, "jurisdiction": str, "status": str,
        "binding": int, "clause": str, "reason": str,
    }, pk=None, foreign_keys=[run_fk, ("activity", "activities", "id"), ("practitioner", "practitioners", "id")])
    for table, columns in {
        "credit_awards": ["run", "practitioner"],
        "requirement_results": ["run", "practitioner"],
        "cap_applications": ["run", "practitioner"],
        "findings": ["run", "subject"],
        "deadlines": ["run", "subject"],
        "recognitions": ["run", "practitioner"],
    }.items():
        db[table].create_index(columns, if_not_exists=True)
    _create(db, "comparisons", {
        "base_run": int, "other_run": int, "practitioner": str, "jurisdiction": str, "unit": str,
        "base_verdict": str, "other_verdict": str, "base_earned": float, "other_earned": float,
        "base_required": float, "other_required": float, "change": str,
    }, pk=("base_run", "other_run", "practitioner"),
        foreign_keys=[("base_run", "runs", "id"), ("other_run", "runs", "id"), ("practitioner", "practitioners", "id")])


def m004_views(db: sqlite_utils.Database) -> None:
    """Convenience views: the latest run of each name and year, and its pass rate by jurisdiction."""
    db.create_view("latest_runs", """
        SELECT r.* FROM runs r
        WHERE r.status = 'complete'
          AND r.finished_at = (SELECT max(finished_at) FROM runs s WHERE s.year = r.year AND s.status = 'complete')
    """, ignore=True)
    db.create_view("pass_rates", """
        SELECT a.run, runs.name AS run_name, a.year, a.jurisdiction,
               count(*) AS practitioners,
               sum(a.verdict = '合格') AS passed,
               sum(a.verdict = '不合格') AS failed,
               sum(a.verdict = '无法判定') AS undetermined,
               round(100.0 * sum(a.verdict = '合格') / count(*), 1) AS pass_rate
        FROM annual_results a JOIN runs ON runs.id = a.run
        GROUP BY a.run, a.jurisdiction
    """, ignore=True)


def m005_import_notes(db: sqlite_utils.Database) -> None:
    """import_batches.notes: warnings about a file as a whole (e.g. decoded as GBK)."""
    if "notes" not in db["import_batches"].columns_dict:
        db["import_batches"].add_column("notes", str)


def m006_reconciled_imports(db: sqlite_utils.Database) -> None:
    """Each input row belongs to a source (a file, or a name the office gives with --source); a
    new version of the source replaces its rows: ``source``, ``withdrawn`` (1: gone from the
    latest version, kept but not assessed) and ``withdrawn_at`` on every input table;
    ``import_changes`` (what each import added, changed, withdrew, restored or refused as a
    conflict, with the earlier values) and the counts on ``import_batches``."""
    for table in INPUT_TABLES:
        columns = db[table].columns_dict
        if "source" not in columns:
            db[table].add_column("source", str)
            db.execute(f"UPDATE [{table}] SET source = source_file")
        if "withdrawn" not in columns:
            db[table].add_column("withdrawn", int, not_null_default=0)
        if "withdrawn_at" not in columns:
            db[table].add_column("withdrawn_at", str)
        db[table].create_index(["source", "withdrawn"], if_not_exists=True)
    for name in ("source", "added", "changed", "withdrawn", "restored", "conflicts", "kept"):
        if name not in db["import_batches"].columns_dict:
            db["import_batches"].add_column(name, str if name == "source" else int)
    _create(db, "import_changes", {
        "id": int, "batch": str, "source": str, "kind": str, "record": str, "change": str, "row": int,
        "fields": str, "before": str, "other_source": str, "changed_at": str,
    }, pk="id", foreign_keys=[("batch", "import_batches", "id")])
    db["import_changes"].create_index(["kind", "record"], if_not_exists=True)
    db["import_changes"].create_index(["batch"], if_not_exists=True)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    m001_input_tables,
    m002_reference_tables,
    m003_result_tables,
    m004_views,
    m005_import_notes,
    m006_reconciled_imports,
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not had yet; return their names.

    After the numbered migrations, any model field added since the tables were made gets its
    column (`add_model_columns`), so a new optional field never breaks an existing database.
    """
    if not db["schema_migrations"].exists():
        db["schema_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["schema_migrations"].rows}
    applied = []
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        with db.atomic():
            migration(db)
            db["schema_migrations"].insert({"name": migration.__name__, "applied_at": now_text()})
        applied.append(migration.__name__)
    add_model_columns(db)
    return applied


def add_model_columns(db: sqlite_utils.Database) -> None:
    for table, columns in INPUT_TABLES.items():
        existing = set(db[table].columns_dict)
        for column in columns:
            if column.name not in existing:
                db[table].add_column(column.name, {"INTEGER": int, "REAL": float, "TEXT": str}[column.sql])


INPUT_TABLES = {"practitioners": PRACTITIONER_COLUMNS, "projects": PROJECT_COLUMNS, "activities": ACTIVITY_COLUMNS}


def writable(path: str | Path) -> bool:
    """Whether jijiao may write the database file (and its -wal beside it): False on a read-only
    file system, for a read-only (or immutable) file or folder."""
    path = Path(path)
    if str(path) == ":memory:" or not path.exists():
        return True
    try:
        read_only_fs = bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        read_only_fs = False
    return not read_only_fs and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (or create) a jijiao database: WAL mode, schema brought up to date.

    A database that cannot be written (read-only file or disk) is opened read-only, as it is,
    so that reading commands (export) still work and writing ones fail with SQLite's
    "attempt to write a readonly database" (one line, cli.one_line_error)."""
    if not writable(path):
        import sqlite3

        return sqlite_utils.Database(sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro&immutable=1", uri=True))
    db = sqlite_utils.Database(path)
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -65536")  # 64 MB page cache: flat memory, fewer reads
    db.execute("PRAGMA temp_store = MEMORY")
    migrate(db)
    return db


def now_text() -> str:
    return datetime.now(timezone.utc).astimezone(CHINA_TZ).isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------
# Bulk writers
# --------------------------------------------------------------------------------------------


PRACTITIONER_CODEC = RowCodec(Practitioner, PRACTITIONER_COLUMNS)
PROJECT_CODEC = RowCodec(Project, PROJECT_COLUMNS)
ACTIVITY_CODEC = RowCodec(Activity, ACTIVITY_COLUMNS)
CODECS = {"practitioners": PRACTITIONER_CODEC, "projects": PROJECT_CODEC, "activities": ACTIVITY_CODEC}
TABLE_OF = {Practitioner: "practitioners", Project: "projects", Activity: "activities"}


def upsert_sql(table: str, columns: Sequence[str], key: str = "id") -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != key)
    return f"INSERT INTO [{table}] ({names}) VALUES ({marks}) ON CONFLICT([{key}]) DO UPDATE SET {updates}"


def insert_sql(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO [{table}] ({names}) VALUES ({marks})"


def upsert_records(db: sqlite_utils.Database, table: str, rows: Iterable[tuple]) -> None:
    """Upsert rows of an input table by id: each row is ``CODECS[table].encode(record)``
    followed by the `PROVENANCE` values. Call inside ``db.atomic()``."""
    columns = CODECS[table].names + list(PROVENANCE)
    db.conn.executemany(upsert_sql(table, columns), rows)


class BufferedWriter:
    """Collects result rows per table and writes them with ``executemany`` every ``size`` rows.

    Used inside one open transaction, so buffering only bounds memory; nothing is committed
    until the caller's transaction ends.
    """

    def __init__(self, db: sqlite_utils.Database, columns: dict[str, Sequence[str]], size: int = 20000):
        self.db = db
        self.sql = {table: insert_sql(table, cols) for table, cols in columns.items()}
        self.buffers: dict[str, list[tuple]] = {table: [] for table in columns}
        self.counts: dict[str, int] = {table: 0 for table in columns}
        self.size = size

    def add(self, table: str, row: tuple) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.size:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            buffer = self.buffers[name]
            if buffer:
                self.db.conn.executemany(self.sql[name], buffer)
                self.counts[name] += len(buffer)
                buffer.clear()


# --------------------------------------------------------------------------------------------
# Reading input back as models, streamed
# --------------------------------------------------------------------------------------------


def select_sql(table: str) -> str:
    return "SELECT " + ", ".join(f"[{c}]" for c in CODECS[table].names) + f" FROM [{table}]"


def out_of_range_sql() -> str:
    """The condition an activity row matches when a stored number is beyond what its field can
    mean (inputs.UPPER_BOUNDS): written by an older jijiao, or by hand. Text in a number column
    matches too (SQLite orders text after every number)."""
    from .inputs import MAX_COUNT, MAX_NUMBER, UPPER_BOUNDS

    tests = []
    for column in ACTIVITY_COLUMNS:
        tp = base_type(column.attribute.type)
        if tp in (int, Decimal) and column.name != "year":
            bound = UPPER_BOUNDS.get(column.unit, MAX_COUNT if tp is int else MAX_NUMBER)
            tests.append(f"[{column.name}] > {bound} OR [{column.name}] < -{bound}")
    return " OR ".join(f"({t})" for t in tests)


def unjudgeable_activities(db: sqlite_utils.Database, year: int) -> list[tuple[str, str, str, object]]:
    """The year's activities with a stored number out of range: (id, practitioner, field, value),
    one per row (its first such field). `practitioner_years` skips them; the run reports them."""
    from .inputs import MAX_COUNT, MAX_NUMBER, UPPER_BOUNDS

    rows = db.conn.execute(
        f"SELECT * FROM activities WHERE year = ? AND {LIVE} AND ({out_of_range_sql()}) ORDER BY id", (year,)
    )
    names = [d[0] for d in rows.description]
    found = []
    for row in rows:
        record = dict(zip(names, row))
        for column in ACTIVITY_COLUMNS:
            tp = base_type(column.attribute.type)
            value = record.get(column.name)
            if tp in (int, Decimal) and column.name != "year" and value is not None:
                bound = UPPER_BOUNDS.get(column.unit, MAX_COUNT if tp is int else MAX_NUMBER)
                if isinstance(value, str) or not -bound <= value <= bound:
                    found.append((record["id"], record["practitioner"], column.name, value))
                    break
    return found


def practitioner_years(db: sqlite_utils.Database, year: int, *, batch: int = 2000, since: str | None = None,
                       until: str | None = None, skip: frozenset = frozenset(),
                       unreadable: Callable[[str, str, str, str], None] | None = None,
                       ) -> Iterator[tuple[Practitioner, list[Activity]]]:
    """Every practitioner, in id order, with their activities of ``year`` -- streamed.

    Two cursors walk practitioners and activities in the same order (a merge join), so memory
    holds one practitioner's activities at a time, whatever the size of the year. Practitioners
    with no activities are included: a year without credits is still a year to judge. Withdrawn
    rows (gone from the latest version of their source, see reconcile.py) are not read.
    ``since`` / ``until`` limit the practitioners to ids in [since, until) (a partition).

    A record that cannot be judged never stops the year: activities whose ids are in ``skip``
    (`unjudgeable_activities`) are left out, and a row that cannot be read back as its model is
    passed to ``unreadable(table, id, practitioner, reason)`` and left out (a practitioner with
    all their activities) -- raised as before when no ``unreadable`` is given.
    """
    people_where, acts_where, bounds = f" WHERE {LIVE}", f" AND {LIVE}", []
    if since is not None:
        people_where, acts_where = people_where + " AND id >= ?", acts_where + " AND practitioner >= ?"
        bounds.append(since)
    if until is not None:
        people_where += " AND id < ?"
        acts_where += " AND practitioner < ?"
        bounds.append(until)
    people = db.conn.cursor().execute(select_sql("practitioners") + people_where + " ORDER BY id", bounds)
    acts = db.conn.cursor().execute(
        select_sql("activities") + " WHERE year = ?" + acts_where + " ORDER BY practitioner, date, id", (year, *bounds)
    )
    practitioner_index = ACTIVITY_CODEC.names.index("practitioner")
    id_index = ACTIVITY_CODEC.names.index("id")
    person_index = PRACTITIONER_CODEC.names.index("id")
    decode_activity = ACTIVITY_CODEC.decode
    # The activity rows, read a block at a time (one fetchone per row costs more than decoding it).
    pending = iter(lambda: acts.fetchmany(batch), [])
    block, at = next(pending, []), 0
    while True:
        chunk = people.fetchmany(batch)
        if not chunk:
            break
        for row in chunk:
            pid = row[person_index]
            try:
                practitioner = PRACTITIONER_CODEC.decode(row)
            except Exception as error:  # noqa: BLE001 -- one unreadable row, reported, not the whole year
                if unreadable is None:
                    raise
                unreadable("practitioners", pid, pid, f"{type(error).__name__}: {error}")
                practitioner = None
            mine = []
            while block:
                if at == len(block):
                    block, at = next(pending, []), 0
                    continue
                owner = block[at][practitioner_index]
                if owner > pid:
                    break
                if owner == pid and practitioner is not None and not (skip and block[at][id_index] in skip):
                    try:
                        mine.append(decode_activity(block[at]))
                    except Exception as error:  # noqa: BLE001
                        if unreadable is None:
                            raise
                        unreadable("activities", block[at][id_index], pid, f"{type(error).__name__}: {error}")
                # else: an activity of nobody we know (import reports these): skipped
                at += 1
            if practitioner is not None:
                yield practitioner, mine


LIVE = "withdrawn = 0"
"""The condition on an input table's rows that count: not withdrawn by a later import."""


def projects(db: sqlite_utils.Database, where: str = "", params: Sequence = ()) -> Iterator[Project]:
    """The projects that count (not withdrawn), in id order; ``where`` narrows them further."""
    sql = select_sql("projects") + f" WHERE {LIVE}" + (f" AND ({where})" if where else "") + " ORDER BY id"
    for row in db.conn.execute(sql, params):
        yield PROJECT_CODEC.decode(row)


# --------------------------------------------------------------------------------------------
# Labels: the Chinese names of columns and codes, for exports and the browser
# --------------------------------------------------------------------------------------------


RESULT_LABELS = {
    "runs": {
        "id": "运行编号", "name": "运行名称", "year": "年度", "status": "状态", "started_at": "开始时间",
        "finished_at": "结束时间", "seconds": "用时（秒）", "plugins": "插件版本", "overrides": "参数调整",
        "as_of": "判定基准日", "practitioners": "人数", "activities": "活动数", "projects": "项目数",
        "passed": "合格人数", "failed": "不合格人数", "undetermined": "无法判定人数", "pass_rate": "合格率（%）",
        "awards_per_second": "每秒判定活动数",
    },
    "credit_awards": {
        "run": "运行编号", "activity": "活动编号", "practitioner": "人员编号", "year": "年度", "kind": "活动类型",
        "jurisdiction": "判定地区", "status": "授予结果", "credits": "学分", "category": "学分类别",
        "clauses": "依据条款", "explanation": "计算说明", "cap_group": "上限分组", "capped": "受年度上限削减",
        "deems_complete": "视为合格",
    },
    "annual_results": {
        "run": "运行编号", "practitioner": "人员编号", "year": "年度", "jurisdiction": "执业地区", "unit": "工作单位",
        "unit_level": "单位级别", "title": "职称", "activities": "活动数", "required": "应修学分", "earned": "已获学分",
        "shortfall": "差额学分", "class_i": "Ⅰ类学分", "class_ii": "Ⅱ类学分", "public_hours": "公共科目学时",
        "verdict": "年度结论", "passed": "合格", "deemed_complete": "视为合格原因", "deemed_clause": "视为合格依据",
        "caps_applied": "适用的年度上限", "missing_layers": "缺失的规则层级", "missing_documents": "缺失的文件",
        "chain": "适用规则层级", "findings": "问题数",
    },
    "requirement_results": {
        "run": "运行编号", "practitioner": "人员编号", "requirement": "要求", "label": "要求名称",
        "categories": "计入类别", "required": "要求数量", "unit": "单位", "earned": "已获", "shortfall": "差额",
        "met": "已达到", "clause": "依据条款", "jurisdiction": "规定地区", "missing_document": "缺失的文件",
        "assumed": "假定值",
    },
    "cap_applications": {
        "run": "运行编号", "practitioner": "人员编号", "cap": "年度上限", "clause": "依据条款", "cap_limit": "上限学分",
        "before_credits": "削减前学分", "after_credits": "削减后学分", "activities": "被削减的活动",
    },
    "findings": {
        "run": "运行编号", "subject_kind": "对象类型", "subject": "对象编号", "practitioner": "人员编号",
        "project": "项目编号", "jurisdiction": "规定地区", "severity": "性质", "clause": "依据条款",
        "message": "问题", "consequence": "后果",
    },
    "deadlines": {
        "run": "运行编号", "subject_kind": "对象类型", "subject": "对象编号", "project": "项目编号", "what": "事项",
        "who": "责任方", "due": "截止时间", "done_at": "完成时间", "late": "逾期", "state": "状态",
        "clause": "依据条款", "jurisdiction": "规定地区",
    },
    "recognitions": {
        "run": "运行编号", "activity": "活动编号", "practitioner": "人员编号", "practitioner_jurisdiction": "执业地区",
        "project_jurisdiction": "项目公布地区", "cross_region": "跨地区", "jurisdiction": "决定地区",
        "status": "认可结果", "binding": "具有约束力", "clause": "依据条款", "reason": "理由",
    },
    "comparisons": {
        "base_run": "基准运行", "other_run": "对比运行", "practitioner": "人员编号", "jurisdiction": "执业地区",
        "unit": "工作单位", "base_verdict": "基准结论", "other_verdict": "对比结论", "base_earned": "基准已获学分",
        "other_earned": "对比已获学分", "base_required": "基准应修学分", "other_required": "对比应修学分",
        "change": "变化",
    },
    "import_errors": {
        "id": "序号", "batch": "导入批次", "file": "文件", "kind": "数据类型", "row": "行号", "field": "字段",
        "reason": "原因", "raw": "原始数据", "imported_at": "导入时间",
    },
    "import_changes": {
        "id": "序号", "batch": "导入批次", "source": "数据来源", "kind": "数据类型", "record": "记录编号",
        "change": "变化", "row": "行号", "fields": "变更字段", "before": "变更前的值", "other_source": "冲突的来源",
        "changed_at": "时间",
    },
    "clauses": {"id": "条款编号", "document": "文件", "clause": "条款", "text": "原文", "summary": "摘要", "computable": "可计算"},
    "parameters": {
        "id": "参数", "plugin": "插件", "key": "键", "value": "取值", "unit": "单位", "clause": "依据条款",
        "description": "含义", "assumed": "假定值",
    },
}
PRESENCE_LABELS = {"application": "有申报信息", "execution": "有执行信息"}
PROVENANCE_LABELS = {"import_batch": "导入批次", "source_file": "来源文件", "source_row": "来源行号", "imported_at": "导入时间"}
RECONCILE_LABELS = {"source": "数据来源", "withdrawn": "已撤回", "withdrawn_at": "撤回时间"}


def column_label_rows() -> Iterator[tuple]:
    for table, columns in INPUT_TABLES.items():
        for column in columns:
            label = column.label
            if column.presence:
                label = PRESENCE_LABELS[column.attribute.name]
            elif column.nested == "application":
                label = f"申报：{label}"
            elif column.nested == "execution":
                label = f"执行：{label}"
            yield table, column.name, label, column.unit, int(column.personal)
        for name, label in {**PROVENANCE_LABELS, **RECONCILE_LABELS}.items():
            yield table, name, label, None, 0
    for table, labels in RESULT_LABELS.items():
        for name, label in labels.items():
            yield table, name, label, None, 0


def label_rows() -> Iterator[tuple]:
    from . import models

    for name in dir(models):
        value = getattr(models, name)
        if isinstance(value, type) and issubclass(value, LabelledEnum) and value is not LabelledEnum:
            for member in value:
                yield value.__name__, member.value, member.zh


def write_labels(db: sqlite_utils.Database) -> None:
    """Rewrite column_labels and labels from the models (call inside a transaction)."""
    db.conn.execute("DELETE FROM column_labels")
    db.conn.executemany(insert_sql("column_labels", ["table_name", "column_name", "zh", "unit", "personal"]), column_label_rows())
    db.conn.execute("DELETE FROM labels")
    db.conn.executemany(insert_sql("labels", ["enum", "code", "zh"]), label_rows())


def column_labels(db: sqlite_utils.Database, table: str) -> dict[str, str]:
    return {r[0]: r[1] for r in db.conn.execute("SELECT column_name, zh FROM column_labels WHERE table_name = ?", (table,))}
