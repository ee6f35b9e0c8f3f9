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
    EMPTY_FACTS,
    MAPPING_FIELDS,
    _Declared,
    Activity,
    CHINA_TZ,
    LabelledEnum,
    Practitioner,
    Project,
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
    """One column of an input table: a model field, a plugin-declared fact, or a presence flag.

    Attributes:
        name: The column's name (``hours``, ``journal_tier``, ``application_code``).
        sql: INTEGER, REAL or TEXT.
        type: The Python type of its values (for decoding and the docs).
        label / unit / personal: Chinese label, unit, personal-data mark.
        field: The model attribute or fact it holds.
        part: None for a model field; ``facts`` for an activity's declared fact; ``application`` /
            ``execution`` for a project's part.
        presence: A *presence* column records whether a project had its part at all
            (``has_application``), so that a project without an application reads back as one
            without, not as an empty one.
        required: The model requires a value.
    """

    name: str
    sql: str
    type: object
    label: str
    unit: str | None = None
    personal: bool = False
    field: str = ""
    part: str | None = None
    presence: bool = False
    required: bool = False


PARTS = {"application": "申报", "execution": "执行"}


def model_columns(cls) -> list[Column]:
    attrs.resolve_types(cls)
    return [
        Column(a.name, sql_type(a.type), a.type, a.metadata.get("zh") or "", a.metadata.get("unit"),
               bool(a.metadata.get("personal")), a.name, required=a.default is attrs.NOTHING)
        for a in attrs.fields(cls)
        if a.name not in MAPPING_FIELDS
    ]


def fact_columns(facts, part: str, prefix: str = "") -> list[Column]:
    return [
        Column(prefix + f.name, sql_type(f.type), f.type, f.zh, f.unit, f.personal, f.name, part)
        for f in facts
    ]


class Schema:
    """The input tables' columns for the installed plugins: core's fields, then each declared fact.

    A region's facts are columns of the same tables, named as the plugin declared them, so a
    file written for the region imports unchanged and a new region needs no change here.
    """

    def __init__(self, registry):
        self.registry = registry
        activity_facts = sorted(registry.facts["activity"].values(), key=lambda f: f.name)
        self.columns: dict[str, list[Column]] = {
            "practitioners": model_columns(Practitioner),
            "projects": [
                *model_columns(Project),
                *(column for part in PARTS
                  for column in fact_columns(sorted(registry.facts[part].values(), key=lambda f: f.name), part, f"{part}_")),
                *(Column(f"has_{part}", "INTEGER", bool, "", field=part, part=part, presence=True) for part in PARTS),
            ],
            "activities": [*model_columns(Activity), *fact_columns(activity_facts, "facts")],
        }
        self.codecs = {
            "practitioners": RowCodec(Practitioner, self.columns["practitioners"]),
            "projects": RowCodec(Project, self.columns["projects"]),
            "activities": RowCodec(Activity, self.columns["activities"]),
        }


def schema(registry=None) -> Schema:
    """The schema for ``registry`` (default: the installed plugins), made once per registry."""
    if registry is None:
        from .plugins import default_registry

        registry = default_registry()
    found = getattr(registry, "_storage_schema", None)
    if found is None:
        found = registry._storage_schema = Schema(registry)
    return found


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
    if isinstance(value, (LabelledEnum, _Declared)):
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
    if isinstance(tp, type) and issubclass(tp, _Declared):
        known, parse = tp._known, tp.parse
        return lambda v: known.get(v) or parse(v)
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
    text field by field: the stored values are already typed, so reading a year back is fast.

    The model's own fields come first, in the model's order, and become the constructor's
    positional arguments (a stored NULL passes the field's default, exactly as leaving the field
    out would); the declared facts that follow are gathered into ``facts`` (an activity's) or a
    project's ``application`` / ``execution``, leaving out those not recorded.
    """

    def __init__(self, cls, columns: Sequence[Column]):
        self.cls = cls
        self.columns = list(columns)
        self.names = [c.name for c in self.columns]
        own = [c for c in self.columns if c.part is None]
        fields = [a for a in attrs.fields(cls) if a.init and a.name not in MAPPING_FIELDS]
        if [c.field for c in own] != [a.name for a in fields] or self.columns[:len(own)] != own:
            raise ValueError(f"{cls.__name__}: the model's own columns must come first, in field order")
        self._own = [(None if (d := _decoder(c.type)) is _identity else d, a.default) for c, a in zip(own, fields)]
        self._required = tuple(i for i, a in enumerate(fields) if a.default is attrs.NOTHING)
        self._parts: dict[str, list[tuple[int, str, Callable | None]]] = {}
        self._presence: dict[str, int] = {}
        for index, column in enumerate(self.columns[len(own):], len(own)):
            if column.presence:
                self._presence[column.part] = index
            else:
                decode = _decoder(column.type)
                self._parts.setdefault(column.part, []).append((index, column.field, None if decode is _identity else decode))
        self._facts = self._parts.get("facts", [])
        self._size = len(own)

    def encode(self, record) -> tuple:
        values = []
        for column in self.columns:
            if column.presence:
                values.append(int(getattr(record, column.part) is not None))
            elif column.part is None:
                values.append(encode(getattr(record, column.field)))
            else:
                facts = record.facts if column.part == "facts" else getattr(record, column.part)
                values.append(None if facts is None else encode(facts.get(column.field)))
        return tuple(values)

    def decode(self, row: Sequence):
        for i in self._required:
            if row[i] is None:
                return self._decode_keywords(row)
        values = [  # still validated and converted by the model itself
            default if value is None else value if decode is None else decode(value)
            for (decode, default), value in zip(self._own, row)
        ]
        if self._facts:
            facts = {name: value if decode is None else decode(value)
                     for index, name, decode in self._facts if (value := row[index]) is not None}
            return self.cls(*values, facts=facts or EMPTY_FACTS)
        if self._presence:
            parts = {
                part: {name: value if decode is None else decode(value)
                       for index, name, decode in self._parts.get(part, ()) if (value := row[index]) is not None}
                for part, flag in self._presence.items()
                if row[flag]
            }
            return self.cls(*values, **parts)
        return self.cls(*values)

    def _decode_keywords(self, row: Sequence):
        """A row missing a required value: built by keyword, so the model names the missing field."""
        own = {
            a.field: value if decode is None else decode(value)
            for a, (decode, _default), value in zip(self.columns, self._own, row)
            if value is not None
        }
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
    columns = schema_of(db).columns
    _model_table(db, "practitioners", columns["practitioners"])
    _model_table(db, "projects", columns["projects"])
    _model_table(db, "activities", columns["activities"])
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
        "shortfall": float,
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


def m006_run_problems(db: sqlite_utils.Database) -> None:
    """runs.problems: the registration problems of the plugins a run was made with, by plugin name."""
    if "problems" not in db["runs"].columns_dict:
        db["runs"].add_column("problems", str)


def m007_three_valued_results(db: sqlite_utils.Database) -> None:
    """The verdict's deciding reason; undetermined credits (their bound and the document they
    wait on) on awards and requirements."""
    for table, column, kind in (
        ("annual_results", "reason", str), ("credit_awards", "bound", float), ("credit_awards", "missing_document", str),
        ("requirement_results", "undetermined", float),
    ):
        if column not in db[table].columns_dict:
            db[table].add_column(column, kind)


def m008_readings(db: sqlite_utils.Database) -> None:
    """readings: how each plugin reads the clauses its documents leave open (rewritten per run)."""
    _create(db, "readings", {
        "key": str, "plugin": str, "clause": str, "taken": str, "alternative": str, "switchable": int,
    }, pk="key", foreign_keys=[("clause", "clauses", "id")])


def m009_reconciled_imports(db: sqlite_utils.Database) -> None:
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


def m010_rules_in_force(db: sqlite_utils.Database) -> None:
    """Rules in force by date: each document's ``effect_unknown`` and what it ``repeals``; each
    parameter's ``since`` (of its latest value) and its whole ``history`` (JSON: since, value,
    clause of every version); per run, the value's ``since`` in ``run_parameters`` and
    ``runs.documents`` (JSON: each document's standing in the run's year)."""
    for table, column, kind in (
        ("documents", "effect_unknown", int), ("documents", "repeals", str),
        ("parameters", "since", str), ("parameters", "history", str),
        ("run_parameters", "since", str), ("runs", "documents", str),
    ):
        if column not in db[table].columns_dict:
            db[table].add_column(column, kind)


def m011_result_texts(db: sqlite_utils.Database) -> None:
    """Explanations as data: the repeated texts of credit_awards, annual_results, findings and
    recognitions stored once in ``result_texts`` (explanations as lists of their lines,
    ``result_step_lists``); each of those tables becomes ``<table>_stored``
    (the texts' ids) read through a view of its own name that shows the texts (result_texts.py)."""
    from . import result_texts

    # The tables and step lists of m011's time, spelled out (INTERNED and STEPPED are today's):
    # m016 stores cap_applications and moves caps_applied into step lists.
    tables = {
        "credit_awards": ("kind", "status", "category", "clauses", "explanation", "cap_group", "missing_document"),
        "annual_results": ("reason", "deemed_complete", "caps_applied", "missing_layers", "missing_documents", "chain"),
        "findings": ("message", "consequence", "clause"),
        "recognitions": ("clause", "reason"),
    }
    result_texts.store_interned(db.conn, tables, {("credit_awards", "explanation")})


def m012_requirement_readings(db: sqlite_utils.Database) -> None:
    """``requirement_results.readings``: the keys (JSON list) of the readings a requirement rests
    on, each joined to ``readings``; said in full once per run (findings of ``subject_kind``
    ``run``), not once per practitioner."""
    if "readings" not in db["requirement_results"].columns_dict:
        db["requirement_results"].add_column("readings", str)


def m013_whatif_by_dependency(db: sqlite_utils.Database) -> None:
    """What-if by dependency (whatif.py): ``read_sets`` (each set of parameters and readings a
    stage read, once, by an id made from its keys), ``run_reads`` (per run and practitioner --
    and once for the projects and calendars -- the sets each stage read), and on ``runs``:
    ``inputs`` (what the run judged: the input tables and the rules' source, digested), ``base``
    (the run a what-if was derived from) and ``derivation`` (what it judged again)."""
    _create(db, "read_sets", {"id": int, "keys": str}, pk="id")
    _create(db, "run_reads", {
        "run": int, "subject_kind": str, "subject": str, "awards": int, "year": int, "requirements": int,
    }, pk=None, foreign_keys=[("run", "runs", "id")])
    db["run_reads"].create_index(["run", "subject"], if_not_exists=True)
    for column, kind in (("inputs", str), ("base", int), ("derivation", str)):
        if column not in db["runs"].columns_dict:
            db["runs"].add_column(column, kind)


def m014_result_keys(db: sqlite_utils.Database) -> None:
    """The key m003 gave ``annual_results`` (one result per run and practitioner), which m011's
    stored table had lost: as a unique index on ``annual_results_stored`` (every page, compare and
    what-if finds a person's result by it)."""
    from . import result_texts

    stored = result_texts.stored_table("annual_results")
    if db[stored].exists():
        db.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS [idx_{stored}_run_practitioner] ON [{stored}] (run, practitioner)")


def m015_shown_through(db: sqlite_utils.Database) -> None:
    """A what-if stores only what differs from its base run: ``inherited_rows`` (run,
    practitioner, holder) and ``run_holders`` (run, holder) say whose stored credit_awards and
    recognitions stand for a practitioner the what-if left as the base had them; the views of
    those tables show them as the what-if's rows (result_texts.run_rows_select)."""
    from . import result_texts

    result_texts.create_inheritance_tables(db.conn)
    result_texts.refresh_views(db.conn)


def m016_composed_texts(db: sqlite_utils.Database) -> None:
    """``cap_applications`` stored with text ids too (``cap_applications_stored``, read through
    the view ``cap_applications``), its ``cap`` and ``annual_results.caps_applied`` as step lists:
    a ceiling across one project's records names the person's records in its cap, so those texts
    are stored as pieces (`models.Composed`), the records' piece shared with the steps of the
    awards it cut (result_texts.py)."""
    from . import result_texts

    result_texts.store_as_steps(db.conn, "annual_results", "caps_applied")
    result_texts.store_interned(db.conn, {"cap_applications": result_texts.INTERNED["cap_applications"]})


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    m001_input_tables,
    m002_reference_tables,
    m003_result_tables,
    m004_views,
    m005_import_notes,
    m006_run_problems,
    m007_three_valued_results,
    m008_readings,
    m009_reconciled_imports,
    m010_rules_in_force,
    m011_result_texts,
    m012_requirement_readings,
    m013_whatif_by_dependency,
    m014_result_keys,
    m015_shown_through,
    m016_composed_texts,
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
    """Columns for model fields added since the tables were made, for every fact the installed
    plugins declare (a newly installed region brings its columns), and in ``annual_results`` one
    per declared category."""
    db_schema = schema_of(db)
    for table, columns in db_schema.columns.items():
        existing = set(db[table].columns_dict)
        for column in columns:
            if column.name not in existing:
                db[table].add_column(column.name, {"INTEGER": int, "REAL": float, "TEXT": str}[column.sql])
    add_category_columns(db, db_schema.registry)


def add_category_columns(db: sqlite_utils.Database, registry) -> None:
    """One REAL column of ``annual_results`` per category ``registry`` declares (on its stored
    table, whose view then shows it too)."""
    from . import result_texts

    table = db[result_texts.stored_table("annual_results")]
    if table.exists():
        existing = set(table.columns_dict)
        added = [code for code in category_columns(registry) if code not in existing]
        for code in added:
            table.add_column(code, float)
        if added:
            result_texts.refresh_views(db.conn)


def category_columns(registry) -> list[str]:
    """The ``annual_results`` column of each declared category (its code), in declaration order."""
    return list(registry.categories)


INPUT_TABLES = ("practitioners", "projects", "activities")


def schema_of(db: sqlite_utils.Database) -> Schema:
    """The input tables' schema this database was opened with (`connect`)."""
    found = getattr(db, "jijiao_schema", None)
    if found is None:
        found = db.jijiao_schema = schema()
    return found


def codec(db: sqlite_utils.Database, table: str) -> "RowCodec":
    return schema_of(db).codecs[table]


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


def connect(path: str | Path, registry=None) -> sqlite_utils.Database:
    """Open (or create) a jijiao database: WAL mode, schema brought up to date for the plugins
    of ``registry`` (default: the installed ones).

    A database that cannot be written (read-only file or disk) is opened read-only, as it is,
    so that reading commands (export) still work and writing ones fail with SQLite's
    "attempt to write a readonly database" (one line, cli.one_line_error)."""
    if not writable(path):
        import sqlite3

        db = sqlite_utils.Database(sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro&immutable=1", uri=True))
        db.jijiao_schema = schema(registry)
        return db
    db = sqlite_utils.Database(path)
    db.jijiao_schema = schema(registry)
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
    """Upsert rows of an input table by id: each row is ``codec(db, table).encode(record)``
    followed by the `PROVENANCE` values. Call inside ``db.atomic()``."""
    columns = codec(db, table).names + list(PROVENANCE)
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


def select_sql(db: sqlite_utils.Database, table: str) -> str:
    return "SELECT " + ", ".join(f"[{c}]" for c in codec(db, table).names) + f" FROM [{table}]"


def _number_columns(db: sqlite_utils.Database) -> list[Column]:
    """The activity columns that hold numbers (the model's and the declared facts'), the year aside."""
    return [c for c in schema_of(db).columns["activities"]
            if not c.presence and base_type(c.type) in (int, Decimal) and c.name != "year"]


def out_of_range_sql(db: sqlite_utils.Database) -> str:
    """The condition an activity row matches when a stored number is beyond what its field can
    mean (inputs.UPPER_BOUNDS): written by an older jijiao, or by hand. Text in a number column
    matches too (SQLite orders text after every number)."""
    from .inputs import MAX_COUNT, MAX_NUMBER, UPPER_BOUNDS

    tests = []
    for column in _number_columns(db):
        tp = base_type(column.type)
        if tp in (int, Decimal) and column.name != "year":
            bound = UPPER_BOUNDS.get(column.unit, MAX_COUNT if tp is int else MAX_NUMBER)
            tests.append(f"[{column.name}] > {bound} OR [{column.name}] < -{bound}")
    return " OR ".join(f"({t})" for t in tests)


def unjudgeable_activities(db: sqlite_utils.Database, year: int, practitioners: str | None = None,
                           ) -> list[tuple[str, str, str, object]]:
    """The year's activities with a stored number out of range: (id, practitioner, field, value),
    one per row (its first such field). `practitioner_years` skips them; the run reports them.
    ``practitioners``: only those of the practitioners this SQL query selects (a what-if's)."""
    from .inputs import MAX_COUNT, MAX_NUMBER, UPPER_BOUNDS

    only = f" AND practitioner IN ({practitioners})" if practitioners else ""
    rows = db.conn.execute(
        f"SELECT * FROM activities WHERE year = ? AND {LIVE}{only} AND ({out_of_range_sql(db)}) ORDER BY id", (year,)
    )
    names = [d[0] for d in rows.description]
    found = []
    for row in rows:
        record = dict(zip(names, row))
        for column in _number_columns(db):
            tp = base_type(column.type)
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
                       practitioners: str | None = None,
                       ) -> Iterator[tuple[Practitioner, list[Activity]]]:
    """Every practitioner, in id order, with their activities of ``year`` -- streamed.

    Two cursors walk practitioners and activities in the same order (a merge join), so memory
    holds one practitioner's activities at a time, whatever the size of the year. Practitioners
    with no activities are included: a year without credits is still a year to judge. Withdrawn
    rows (gone from the latest version of their source, see reconcile.py) are not read.
    ``since`` / ``until`` limit the practitioners to ids in [since, until) (a partition);
    ``practitioners``, an SQL query of one column, to those it selects (the few a what-if judges
    again: each looked up by id in one pass, where a range per practitioner would cost two
    queries and their set-up each).

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
    if practitioners is not None:
        people_where += f" AND id IN ({practitioners})"
        acts_where += f" AND practitioner IN ({practitioners})"
    from . import stored

    activity_codec = codec(db, "activities")
    person_codec = codec(db, "practitioners")
    # Our own rows, validated when they came in: read without the models' constructors, except
    # those whose values the models would refuse (stored.py: the guard sends them the old way).
    people = db.conn.cursor().execute(stored.select_sql(person_codec, "practitioners") + people_where + " ORDER BY id", bounds)
    acts = db.conn.cursor().execute(
        stored.select_sql(activity_codec, "activities") + " WHERE year = ?" + acts_where + " ORDER BY practitioner, date, id",
        (year, *bounds),
    )
    practitioner_index = activity_codec.names.index("practitioner")
    id_index = activity_codec.names.index("id")
    person_index = person_codec.names.index("id")
    decode_activity = stored.reader(activity_codec)
    decode_practitioner = stored.reader(person_codec)
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
                practitioner = decode_practitioner(row)
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
    sql = select_sql(db, "projects") + f" WHERE {LIVE}" + (f" AND ({where})" if where else "") + " ORDER BY id"
    decode = codec(db, "projects").decode
    for row in db.conn.execute(sql, params):
        yield decode(row)


# --------------------------------------------------------------------------------------------
# Labels: the Chinese names of columns and codes, for exports and the browser
# --------------------------------------------------------------------------------------------


RESULT_LABELS = {
    "runs": {
        "documents": "该年度施行的文件",
        "id": "运行编号", "name": "运行名称", "year": "年度", "status": "状态", "started_at": "开始时间",
        "finished_at": "结束时间", "seconds": "用时（秒）", "plugins": "插件版本", "overrides": "参数调整",
        "as_of": "判定基准日", "practitioners": "人数", "activities": "活动数", "projects": "项目数",
        "passed": "合格人数", "failed": "不合格人数", "undetermined": "无法判定人数", "pass_rate": "合格率（%）",
        "awards_per_second": "每秒判定活动数", "problems": "插件问题",
        "inputs": "评定的数据与规则（摘要）", "base": "基准运行", "derivation": "评定方式",
    },
    "run_reads": {
        "run": "运行编号", "subject_kind": "对象类型", "subject": "对象编号", "awards": "判定活动所读参数（集合编号）",
        "year": "年度评定所读参数（集合编号）", "requirements": "年度要求所读参数（集合编号）",
    },
    "read_sets": {"id": "集合编号", "keys": "所读的参数与理解"},
    "credit_awards": {
        "run": "运行编号", "activity": "活动编号", "practitioner": "人员编号", "year": "年度", "kind": "活动类型",
        "jurisdiction": "判定地区", "status": "授予结果", "credits": "学分", "category": "学分类别",
        "clauses": "依据条款", "explanation": "计算说明", "cap_group": "上限分组", "capped": "受上限削减",
        "deems_complete": "视为合格", "bound": "至多可得学分（无法判定时）", "missing_document": "所待文件（无法判定时）",
    },
    "annual_results": {
        "run": "运行编号", "practitioner": "人员编号", "year": "年度", "jurisdiction": "执业地区", "unit": "工作单位",
        "unit_level": "单位级别", "title": "职称", "activities": "活动数", "required": "应修学分", "earned": "已获学分",
        "shortfall": "差额学分",
        "verdict": "年度结论", "reason": "结论理由", "passed": "合格", "deemed_complete": "视为合格原因", "deemed_clause": "视为合格依据",
        "caps_applied": "适用的年度上限", "missing_layers": "缺失的规则层级", "missing_documents": "缺失的文件",
        "chain": "适用规则层级", "findings": "问题数",
    },
    "requirement_results": {
        "run": "运行编号", "practitioner": "人员编号", "requirement": "要求", "label": "要求名称",
        "categories": "计入类别", "required": "要求数量", "unit": "单位", "earned": "已获", "shortfall": "差额",
        "met": "已达到", "undetermined": "无法判定的学分（至多）", "clause": "依据条款", "jurisdiction": "规定地区",
        "missing_document": "缺失的文件",
        "assumed": "假定值", "readings": "所依据的理解",
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
    "readings": {
        "key": "理解", "plugin": "插件", "clause": "条款", "taken": "本插件的理解", "alternative": "另一种理解",
        "switchable": "可在假设分析中切换",
    },
    "import_changes": {
        "id": "序号", "batch": "导入批次", "source": "数据来源", "kind": "数据类型", "record": "记录编号",
        "change": "变化", "row": "行号", "fields": "变更字段", "before": "变更前的值", "other_source": "冲突的来源",
        "changed_at": "时间",
    },
    "clauses": {"id": "条款编号", "document": "文件", "clause": "条款", "text": "原文", "summary": "摘要", "computable": "可计算"},
    "parameters": {
        "id": "参数", "plugin": "插件", "key": "键", "value": "取值", "unit": "单位", "clause": "依据条款",
        "description": "含义", "assumed": "假定值", "since": "现值施行日期", "history": "历次取值（施行日期、取值、依据条款）",
    },
    "documents": {"effect_unknown": "施行日期不详", "repeals": "废止的文件"},
    "run_parameters": {"since": "该值施行日期"},
}
PRESENCE_LABELS = {"application": "有申报信息", "execution": "有执行信息"}
PROVENANCE_LABELS = {"import_batch": "导入批次", "source_file": "来源文件", "source_row": "来源行号", "imported_at": "导入时间"}
RECONCILE_LABELS = {"source": "数据来源", "withdrawn": "已撤回", "withdrawn_at": "撤回时间"}


def column_label_rows(db_schema: Schema) -> Iterator[tuple]:
    for table, columns in db_schema.columns.items():
        for column in columns:
            label = column.label
            if column.presence:
                label = PRESENCE_LABELS[column.part]
            elif column.part in PARTS:
                label = f"{PARTS[column.part]}：{label}"
            yield table, column.name, label, column.unit, int(column.personal)
        for name, label in {**PROVENANCE_LABELS, **RECONCILE_LABELS}.items():
            yield table, name, label, None, 0
    for table, labels in RESULT_LABELS.items():
        for name, label in labels.items():
            yield table, name, label, None, 0
    for category in db_schema.registry.categories.values():
        yield "annual_results", category.code, category.zh, category.unit, 0


def label_rows(db_schema: Schema) -> Iterator[tuple]:
    """The Chinese label of every code: core's enums, the declared kinds and categories, and the
    enumerations of declared facts."""
    from . import models

    enums = {value for name in dir(models) if isinstance(value := getattr(models, name), type)
             and issubclass(value, LabelledEnum) and value is not LabelledEnum}
    enums |= {base_type(f.type) for facts in db_schema.registry.facts.values() for f in facts.values()
              if isinstance(base_type(f.type), type) and issubclass(base_type(f.type), LabelledEnum)}
    for enum_cls in sorted(enums, key=lambda e: e.__name__):
        for member in enum_cls:
            yield enum_cls.__name__, member.value, member.zh
    for name, declared in (("ActivityKind", db_schema.registry.kinds), ("Category", db_schema.registry.categories)):
        for item in declared.values():
            yield name, item.code, item.zh


def write_labels(db: sqlite_utils.Database) -> None:
    """Rewrite column_labels and labels from the models and the declarations (inside a transaction)."""
    db_schema = schema_of(db)
    db.conn.execute("DELETE FROM column_labels")
    db.conn.executemany(insert_sql("column_labels", ["table_name", "column_name", "zh", "unit", "personal"]),
                        column_label_rows(db_schema))
    db.conn.execute("DELETE FROM labels")
    db.conn.executemany("INSERT OR REPLACE INTO labels (enum, code, zh) VALUES (?, ?, ?)", label_rows(db_schema))


def column_labels(db: sqlite_utils.Database, table: str) -> dict[str, str]:
    return {r[0]: r[1] for r in db.conn.execute("SELECT column_name, zh FROM column_labels WHERE table_name = ?", (table,))}
