"""The annual run: assess a year of records in the database and store every result, cited.

`assess` streams the practitioners (in id order, each with their activities of the year) through
`engine.assess_year`, checks the year's projects (`engine.check_project`,
`engine.project_deadlines`) and each jurisdiction's calendar (`engine.calendar`), and writes the
results (see docs/schema.md) in ONE transaction, replacing any earlier run of the same name and
year. A what-if run is the same with some policy numbers replaced (``overrides``); `compare`
lists the practitioners whose verdict differs between two runs.

A province-sized year is judged by worker processes over practitioner partitions, whose rows
are copied into that same transaction (`assess_partitions`; docs/benchmark.md has the figures).
One run at a time per database, its scratch files beside the database (runlock.py).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import multiprocessing
import os
import sqlite3
import time
import traceback
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

import attrs
import sqlite_utils

from . import engine, result_texts, runlock, storage, whatif
from .models import (
    Activity,
    AnnualResult,
    AwardStatus,
    Composed,
    Deadline,
    Finding,
    LabelledEnum,
    _Declared,
    NATIONAL_CODE,
    Practitioner,
    Project,
    RecognitionStatus,
    Severity,
    in_force_version,
)
from .plugins import PluginFailure, Registry, RuleContext, parameter_value_text

BASELINE = "baseline"

VERDICTS = {True: "合格", False: "不合格", None: "无法判定"}

RESULT_COLUMNS = {
    "credit_awards": [
        "run", "activity", "practitioner", "year", "kind", "jurisdiction", "status", "credits", "category",
        "clauses", "explanation", "cap_group", "capped", "deems_complete", "bound", "missing_document",
    ],
    "annual_results": [
        "run", "practitioner", "year", "jurisdiction", "unit", "unit_level", "title", "activities", "required",
        "earned", "shortfall", "verdict", "reason", "passed", "deemed_complete",
        "deemed_clause", "caps_applied", "missing_layers", "missing_documents", "chain", "findings",
    ],
    "requirement_results": [
        "run", "practitioner", "requirement", "label", "categories", "required", "unit", "earned", "shortfall",
        "met", "undetermined", "clause", "jurisdiction", "missing_document", "assumed", "readings",
    ],
    "cap_applications": [
        "run", "practitioner", "cap", "clause", "cap_limit", "before_credits", "after_credits", "activities",
    ],
    "findings": [
        "run", "subject_kind", "subject", "practitioner", "project", "jurisdiction", "severity", "clause",
        "message", "consequence",
    ],
    "deadlines": [
        "run", "subject_kind", "subject", "project", "what", "who", "due", "done_at", "late", "state", "clause",
        "jurisdiction",
    ],
    "recognitions": [
        "run", "activity", "practitioner", "practitioner_jurisdiction", "project_jurisdiction", "cross_region",
        "jurisdiction", "status", "binding", "clause", "reason",
    ],
}
RUN_TABLES = [*RESULT_COLUMNS, "run_parameters", "run_reads"]


def result_columns(registry: Registry) -> dict[str, list[str]]:
    """`RESULT_COLUMNS` with one ``annual_results`` column per declared category (its code)."""
    columns = dict(RESULT_COLUMNS)
    columns["annual_results"] = [*RESULT_COLUMNS["annual_results"], *storage.category_columns(registry)]
    columns["run_reads"] = whatif.READ_COLUMNS  # what the rules read, for a what-if by dependency
    return columns


@attrs.frozen
class JurisdictionSummary:
    code: str
    name: str
    practitioners: int
    passed: int
    failed: int
    undetermined: int

    @property
    def pass_rate(self) -> float:
        return 100.0 * self.passed / self.practitioners if self.practitioners else 0.0


@attrs.frozen
class RunSummary:
    """What a run did, for the closing lines of the command and for tests."""

    run: int
    name: str
    year: int
    practitioners: int
    activities: int
    projects: int
    rows: dict
    seconds: float
    jurisdictions: tuple[JurisdictionSummary, ...]
    unassessed: int = 0
    problems: tuple[str, ...] = ()
    derivation: str = ""
    """How a what-if was made: by dependency from which base run, or in full and why."""

    @property
    def awards_per_second(self) -> float:
        return self.activities / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        lines = [
            f"运行 #{self.run}「{self.name}」{self.year} 年度：{self.practitioners} 人，{self.activities} 项活动，"
            f"{self.projects} 个项目，用时 {self.seconds:.1f} 秒（每秒 {self.awards_per_second:,.0f} 项活动）",
            "写入：" + "，".join(f"{table} {count}" for table, count in self.rows.items() if table in RESULT_COLUMNS),
        ]
        if self.derivation:
            lines.append(f"  {self.derivation}")
        for j in self.jurisdictions:
            lines.append(
                f"  {j.name}（{j.code}）：{j.practitioners} 人，合格 {j.passed}，不合格 {j.failed}，"
                f"无法判定 {j.undetermined}，合格率 {j.pass_rate:.1f}%"
                + (f"（无法判定者多因缺少上级文件，见 missing_documents）" if j.undetermined > j.passed + j.failed else "")
            )
        for problem in self.problems:
            lines.append(f"  插件问题：{problem}")
        if self.unassessed:
            lines.append(f"  另有 {self.unassessed} 项活动的人员编号不在人员表中，未评定（见 findings，对象类型 activity）")
        return lines


# --------------------------------------------------------------------------------------------
# Small conversions
# --------------------------------------------------------------------------------------------


def num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def zh(value) -> str | None:
    return value.zh if isinstance(value, (LabelledEnum, _Declared)) else value


def ref(clause) -> str | None:
    return None if clause is None else str(clause)


def as_json(values: Iterable) -> str:
    return json.dumps(list(values), ensure_ascii=False)


@functools.lru_cache(maxsize=8192)
def clauses_json(clauses: tuple) -> str:
    """An award's clauses as a JSON list; a year cites the same few hundred lists millions of times."""
    return as_json(str(c) for c in clauses)


def texts_json(texts: tuple[str, ...]) -> str:
    """A tuple of texts as a JSON list, for the lists a year repeats per practitioner (chains,
    missing layers and documents, the caps applied, a requirement's categories). Composed where
    a text is (`models.Composed`: a cap naming a project's records), its pieces kept apart --
    each escaped alone, which escapes the whole, since JSON escapes character by character."""
    if not any(isinstance(text, Composed) for text in texts):
        return plain_texts_json(texts)
    pieces, glue = [], "["
    for i, text in enumerate(texts):
        glue += ', "' if i else '"'
        # (a Composed of no pieces is the empty text: one empty piece, so its quotes are written)
        for piece in (text.pieces or ("",)) if isinstance(text, Composed) else (text,):
            pieces.append(glue + json.dumps(piece, ensure_ascii=False)[1:-1])
            glue = ""
        glue = '"'
    return Composed(*pieces, glue + "]")


@functools.lru_cache(maxsize=4096)
def plain_texts_json(texts: tuple[str, ...]) -> str:
    """`texts_json` of plain texts, cached (a composed one is one person's: not cached, and never
    served the plain list it equals)."""
    return as_json(texts)


def province_of(code: str | None) -> str | None:
    return None if code is None else code[:2] + "0000"


def is_cross_region(practitioner: Practitioner, activity: Activity) -> bool:
    """A project published outside the practitioner's province (a national project is not)."""
    where = activity.project_jurisdiction
    return where is not None and where != NATIONAL_CODE and province_of(where) != province_of(practitioner.jurisdiction)


# --------------------------------------------------------------------------------------------
# Reference tables and run metadata
# --------------------------------------------------------------------------------------------


def plugin_distributions(registry: Registry) -> dict[str, str]:
    """Distribution → version for jijiao and every loaded plugin (from importlib.metadata)."""
    loaded = {name for name, _plugin in registry.pm.list_name_plugin()}
    versions = {"jijiao": importlib.metadata.version("jijiao")}
    for entry_point in importlib.metadata.entry_points(group="jijiao"):
        if entry_point.name in loaded and entry_point.dist is not None:
            versions[entry_point.dist.name] = entry_point.dist.version
    return versions


def _entry_point_dists() -> dict[str, tuple[str, str]]:
    return {
        ep.name: (ep.dist.name, ep.dist.version)
        for ep in importlib.metadata.entry_points(group="jijiao")
        if ep.dist is not None
    }


def write_registry(db: sqlite_utils.Database, registry: Registry) -> None:
    """Rewrite the reference tables from the loaded plugins (inside the caller's transaction)."""
    conn = db.conn
    for table in ("jurisdictions", "documents", "clauses", "parameters", "missing_documents", "readings"):
        conn.execute(f"DELETE FROM [{table}]")
    dists = _entry_point_dists()
    conn.executemany(
        storage.insert_sql("jurisdictions", ["code", "name", "level", "parent", "plugin", "distribution", "version"]),
        [
            (code, j.name, j.level.value, j.parent, registry.owners[code], *dists.get(registry.owners[code], (None, None)))
            for code, j in sorted(registry.jurisdictions.items())
        ],
    )
    conn.executemany(
        storage.insert_sql("documents", ["id", "title", "number", "issuer", "issued", "status", "jurisdiction", "source",
                                         "effective_from", "effective_until", "clauses", "effect_unknown", "repeals"]),
        [
            (d.id, d.title, d.number, d.issuer, d.issued.isoformat(), d.status.zh, d.jurisdiction, d.source,
             storage.encode(d.effective_from), storage.encode(d.effective_until), len(d.clauses),
             int(d.effect_unknown), json.dumps(list(d.repeals), ensure_ascii=False))
            for d in registry.documents.values()
        ],
    )
    conn.executemany(
        storage.insert_sql("clauses", ["id", "document", "clause", "text", "summary", "computable"]),
        [(str(r), r.document, r.clause, c.text, c.summary, int(c.computable)) for r, c in registry.clauses.items()],
    )
    conn.executemany(
        storage.insert_sql("parameters", ["id", "plugin", "key", "value", "unit", "clause", "description", "assumed",
                                          "since", "history"]),
        [
            (key, key.partition(".")[0], p.key, parameter_value_text(p.value), p.unit, ref(p.clause), p.description,
             int(p.assumed), storage.encode(p.since),
             json.dumps([{"since": storage.encode(v.since), "value": parameter_value_text(v.value), "clause": ref(v.clause)}
                         for v in registry.parameter_history[key]], ensure_ascii=False))
            for key, p in registry.parameters.items()
        ],
    )
    conn.executemany(
        storage.insert_sql("readings", ["key", "plugin", "clause", "taken", "alternative", "switchable"]),
        [(r.key, registry.namespaces.get(r.key.partition(".")[0]), str(r.clause), r.taken, r.alternative, int(r.switchable))
         for r in registry.readings.values()],
    )
    missing = {}
    ctx = RuleContext(registry)
    for code in registry.jurisdictions:
        try:
            answers = engine.call_layers(registry.chain(code), "jijiao_missing_documents", ctx=ctx)
        except PluginFailure:
            answers = []  # reported with every result of the chain (engine.assess_year)
        for layer, documents in answers:
            for document in documents or () if layer == code else ():
                missing[(code, document.number or document.title)] = (document.title, document.needed_for)
    conn.executemany(
        storage.insert_sql("missing_documents", ["jurisdiction", "number", "title", "needed_for"]),
        [(code, number, title, needed) for (code, number), (title, needed) in missing.items()],
    )
    storage.write_labels(db)


def delete_run(db: sqlite_utils.Database, name: str, year: int) -> None:
    """Remove a run and everything it wrote (inside the caller's transaction). Rows a what-if
    shows through from it (result_texts.SHOWN_THROUGH) are handed to that what-if first, so
    deleting or replacing a base run loses nothing of the runs derived from it."""
    for (run_id,) in db.conn.execute("SELECT id FROM runs WHERE name = ? AND year = ?", (name, year)).fetchall():
        result_texts.hand_over(db.conn, run_id)
        for table in RUN_TABLES:
            db.conn.execute(f"DELETE FROM [{result_texts.stored_table(table)}] WHERE run = ?", (run_id,))
        db.conn.execute("DELETE FROM comparisons WHERE base_run = ? OR other_run = ?", (run_id, run_id))
        db.conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))


# --------------------------------------------------------------------------------------------
# One practitioner's year as rows
# --------------------------------------------------------------------------------------------


def credit_requirement_totals(result: AnnualResult) -> tuple[float | None, float | None]:
    """Required and shortfall over the requirements counted in 学分 (None if any lacks its number)."""
    return requirement_totals(result.requirements)


def requirement_totals(results) -> tuple[float | None, float | None]:
    credit_results = [r for r in results if r.requirement.unit == "学分"]
    if not credit_results or any(r.requirement.required is None for r in credit_results):
        return None, None
    required = sum((r.requirement.required for r in credit_results), Decimal(0))
    shortfall = sum((r.shortfall for r in credit_results), Decimal(0))
    return float(required), float(shortfall)


def result_writer(db: sqlite_utils.Database, registry: Registry) -> storage.BufferedWriter:
    """A writer of a run's result rows, knowing the declared categories (``out.categories``)."""
    out = result_texts.ResultWriter(db, result_columns(registry))  # texts stored once, rows hold their ids
    out.categories = list(registry.categories.values())
    return out


def write_year(out: storage.BufferedWriter, run: int, practitioner: Practitioner, activities: list[Activity],
               result: AnnualResult) -> None:
    """Add one practitioner's annual result, awards, requirements, caps, findings, recognitions."""
    pid = practitioner.id
    by_id = {a.id: a for a in activities}
    capped = {activity for cap in result.caps for activity in cap.activities}
    for award in result.awards:
        activity = by_id.get(award.activity)
        out.add("credit_awards", (
            run, award.activity, pid, result.year, activity.kind.zh if activity else None, award.jurisdiction,
            award.status.zh, float(award.credits), zh(award.category), clauses_json(award.clauses),
            award.explanation, award.cap_group, int(award.activity in capped), int(award.deems_complete),
            num(award.bound), (award.missing.number or award.missing.title) if award.missing else None,
        ))
        if activity is not None:
            write_recognition(out, run, practitioner, activity, award)
    categories = result.by_category()
    required, shortfall = credit_requirement_totals(result)
    # One column per declared category: 0 for a credit category with nothing earned, None
    # (not applicable) for an hours category nobody recorded.
    by_category = tuple(
        num(categories.get(c, Decimal(0) if c.counts_as_credits else None)) for c in out.categories
    )
    deemed = result.deemed_complete
    out.add("annual_results", (
        run, pid, result.year, practitioner.jurisdiction, practitioner.unit, zh(practitioner.unit_level),
        practitioner.title.zh, len(activities), required, float(result.total_credits), shortfall, VERDICTS[result.passed],
        result.reason,
        None if result.passed is None else int(result.passed),
        "；".join(d.reason for d in deemed) or None, str(deemed[0].clause) if deemed else None,
        texts_json(tuple(c.cap for c in result.caps)), texts_json(tuple(result.missing_layers)),
        texts_json(tuple(d.number or d.title for d in result.missing_documents)), texts_json(tuple(result.chain)),
        len(result.findings), *by_category,
    ))
    write_requirements(out, run, pid, result.requirements)
    for cap in result.caps:
        out.add("cap_applications", (
            run, pid, cap.cap, str(cap.clause), float(cap.limit), float(cap.before), float(cap.after),
            as_json(cap.activities),
        ))
    for finding in result.findings:
        write_finding(out, run, finding, "practitioner", practitioner=pid)


def write_requirements(out, run: int, pid: str, results) -> None:
    for r in results:
        requirement = r.requirement
        out.add("requirement_results", (
            run, pid, requirement.name, requirement.label, texts_json(tuple(c.zh for c in requirement.categories)),
            num(requirement.required), requirement.unit, float(r.earned), num(r.shortfall),
            None if r.met is None else int(r.met), num(r.undetermined), ref(requirement.clause), requirement.jurisdiction,
            requirement.missing.number if requirement.missing else None, int(requirement.assumed),
            texts_json(tuple(reading.key for reading in requirement.readings)) if requirement.readings else None,
        ))


def write_recognition(out, run: int, practitioner: Practitioner, activity: Activity, award) -> None:
    decision = award.recognition
    cross = is_cross_region(practitioner, activity)
    if decision is None and not cross:
        return
    if decision is None:
        row = (None, RecognitionStatus.RECOGNISED.zh, 0, None, "适用的各层规则均未限制该外地项目，按认可处理")
    else:
        row = (decision.jurisdiction, decision.status.zh, int(decision.binding), str(decision.clause), decision.reason)
    out.add("recognitions", (
        run, activity.id, practitioner.id, practitioner.jurisdiction, activity.project_jurisdiction, int(cross), *row,
    ))


def write_run_readings(db: sqlite_utils.Database, out, run: int, registry: Registry) -> None:
    """Each reading the run's requirements rest on, said in full once for the run (a finding of
    ``subject_kind`` ``run``, subject the reading's key); every result that rests on it names it
    by key in ``requirement_results.readings``."""
    out.flush()
    used = db.execute(
        "SELECT DISTINCT j.value FROM requirement_results r, json_each(r.readings) j WHERE r.run = ? AND r.readings IS NOT NULL ORDER BY 1",
        (run,)).fetchall()
    for (key,) in used:
        reading = registry.readings.get(key)
        if reading is not None:
            document = registry.documents.get(reading.clause.document)
            write_finding(out, run, Finding(key, document.jurisdiction if document else NATIONAL_CODE, Severity.NOTE,
                                            reading.clause, reading.step()), "run")


def write_activities_of_nobody(db: sqlite_utils.Database, out, run: int, year: int) -> int:
    """Report the year's activities whose practitioner is not in the database: they cannot be
    judged (whose chain? whose year?), and must not vanish silently. One finding each."""
    orphans = db.conn.execute(
        """SELECT a.id, a.practitioner FROM activities a
           WHERE a.year = ? AND a.withdrawn = 0
             AND NOT EXISTS (SELECT 1 FROM practitioners p WHERE p.id = a.practitioner AND p.withdrawn = 0)
           ORDER BY a.id""",
        (year,),
    ).fetchall()
    for activity, practitioner in orphans:
        write_finding(out, run, Finding(
            subject=activity, jurisdiction=NATIONAL_CODE, severity=Severity.ERROR, clause=None,
            message=f"活动 {activity} 的人员编号 {practitioner} 不在人员表中：无法确定适用的规则，未评定（请导入该人员或更正编号）",
        ), "activity", practitioner=practitioner)
    return len(orphans)


def write_unjudgeable(out, run: int, found) -> frozenset:
    """Report the year's activities whose stored numbers are beyond what they can mean (1e28
    学时 from an older import; `storage.unjudgeable_activities`): one finding each, naming the
    activity and the field; they are not judged, and everyone else's year goes on. Returns
    their ids."""
    for activity, practitioner, field_name, value in found:
        write_finding(out, run, Finding(
            subject=activity, jurisdiction=NATIONAL_CODE, severity=Severity.ERROR, clause=None,
            message=f"活动 {activity} 的字段 {field_name} 存储的值 {value!r} 超出可能的范围，无法评定（请更正后重新导入）",
        ), "activity", practitioner=practitioner)
    return frozenset(a for a, *_rest in found)


def unreadable_to(out, run: int):
    """The `storage.practitioner_years` callback: a row that cannot be read back becomes a finding."""

    def report(table: str, record: str, practitioner: str, reason: str) -> None:
        what = "人员" if table == "practitioners" else "活动"
        write_finding(out, run, Finding(
            subject=record, jurisdiction=NATIONAL_CODE, severity=Severity.ERROR, clause=None,
            message=f"{what} {record} 的存储记录无法读取，未评定（{reason}）；请更正后重新导入",
        ), "practitioner" if table == "practitioners" else "activity", practitioner=practitioner)

    return report


def write_finding(out, run: int, finding: Finding, kind: str, *, practitioner=None, project=None) -> None:
    out.add("findings", (
        run, kind, finding.subject, practitioner, project, finding.jurisdiction, finding.severity.zh,
        ref(finding.clause), finding.message, finding.consequence or None,
    ))


def deadline_state(deadline: Deadline, as_of: date) -> str:
    if deadline.late:
        return "逾期"
    if deadline.done_at is not None:
        return "按期完成"
    return "已过期未完成" if deadline.due.date() < as_of else "未到期"


def write_deadline(out, run: int, deadline: Deadline, kind: str, as_of: date, project: str | None = None) -> None:
    late = deadline.late
    out.add("deadlines", (
        run, kind, deadline.subject, project, deadline.what, deadline.who, deadline.due.isoformat(),
        storage.encode(deadline.done_at), None if late is None else int(late), deadline_state(deadline, as_of),
        str(deadline.clause), deadline.jurisdiction,
    ))


def projects_of_year(db: sqlite_utils.Database, year: int) -> Iterable[Project]:
    """The projects held (or to be held) in the year; a project without dates is included."""
    return storage.projects(db, "start IS NULL OR substr(start, 1, 4) = ?", (str(year),))


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def what_if_name(settings: dict[str, str]) -> str:
    """The default name of a what-if run: its settings, e.g. ``liaoning.annual_credits=30``."""
    return BASELINE if not settings else ",".join(f"{k}={v}" for k, v in sorted(settings.items()))


def assess(
    db: sqlite_utils.Database,
    registry: Registry,
    year: int,
    *,
    name: str | None = None,
    settings: dict[str, str] | None = None,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    base: str | None = None,
    by_dependency: bool = True,
) -> RunSummary:
    """Assess ``year`` and store it as run ``name`` (replacing an earlier run of that name and year).

    ``settings`` are what-if values by ``plugin.key`` (text, converted to each parameter's type;
    an unknown key raises ValueError). ``progress(n)`` is called as practitioners are done.
    ``workers``: processes judging practitioners in parallel (default: one per CPU for a
    province-sized year, see `choose_workers`); the results are the same whatever the number.

    A what-if (``settings``, or a ``base`` run given) is made by dependency from ``base`` (the
    year's baseline by default): only what the changed values reach is judged again, the rest
    copied (whatif.py); where that base cannot be used, or ``by_dependency`` is False, it is a
    full run, and its summary says why.
    """
    settings = dict(settings or {})
    name = name or what_if_name(settings)
    as_of = as_of or date.today()
    ctx = RuleContext.with_overrides(registry, settings, year=year, as_of=as_of)
    storage.add_category_columns(db, registry)
    started, clock = storage.now_text(), time.perf_counter()
    database = database_file(db)
    with runlock.run_lock(database, name, year), runlock.scratch(database) as scratch:
        inputs = whatif.inputs_fingerprint(db, registry)
        plan = derivation = None
        if by_dependency and (settings or base):
            plan = whatif.plan(db, registry, ctx, year, name, settings, base, inputs, run_parameter_rows(registry, ctx))
            if isinstance(plan, str):
                plan, derivation = None, f"全部重新评定：{plan}"
        # One scan, shared with the workers (a what-if scans only the years it judges again).
        unjudgeable = storage.unjudgeable_activities(db, year) if plan is None else ()
        skip = frozenset(a for a, *_rest in unjudgeable)
        parts = [] if plan else assess_partitions(db, ctx, year, choose_workers(db, workers), scratch, progress, skip)
        try:
            summary = _assess_and_write(db, registry, ctx, parts, name, year, settings, as_of, started, clock, progress,
                                        unjudgeable, plan=plan, inputs=inputs, derivation=derivation)
        finally:
            for index, _part in enumerate(parts):
                db.conn.execute(f"DETACH DATABASE part{index}")
    return summary


def _assess_and_write(db, registry, ctx, parts, name, year, settings, as_of, started, clock, progress,
                      unjudgeable=(), *, plan: "whatif.Plan | None" = None, inputs: str | None = None,
                      derivation: str | None = None) -> RunSummary:
    """The run's one transaction: reference tables, the practitioners' years (judged here, or
    copied from the partitions judged by worker processes), projects, calendars, the run row."""
    verdicts: Counter = Counter()
    practitioners = activities = projects = 0
    with db.atomic():
        write_registry(db, registry)
        delete_run(db, name, year)
        run = db.conn.execute(
            "INSERT INTO runs (name, year, status, started_at, plugins, overrides, as_of, problems, inputs, base) "
            "VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)",
            (name, year, started, json.dumps(plugin_distributions(registry), ensure_ascii=False),
             json.dumps(settings, ensure_ascii=False), as_of.isoformat(), json.dumps(registry.problems, ensure_ascii=False),
             inputs, plan.base["id"] if plan else None),
        ).lastrowid
        write_run_parameters(db, run, registry, ctx)
        out = result_writer(db, registry)
        skip = write_unjudgeable(out, run, unjudgeable)
        if plan is not None:  # a what-if by dependency: only what the changed values reach is judged
            done = whatif.carry_out(plan, db, out, ctx, run, year, progress, result_columns(registry))
            practitioners, activities = done["practitioners"], done["activities"]
            verdicts = whatif.verdicts(db, run)
        elif parts:
            for index, part in enumerate(parts):
                copy_partition(db, out, f"part{index}", run, registry)
                verdicts.update(part["verdicts"])
                practitioners += part["practitioners"]
                activities += part["activities"]
        else:
            for practitioner, acts in storage.practitioner_years(db, year, skip=skip, unreadable=unreadable_to(out, run)):
                result = engine.assess_year(ctx, practitioner, acts, year)
                write_year(out, run, practitioner, acts, result)
                whatif.record_reads(out, run, "practitioner", practitioner.id, ctx.year_reads)
                verdicts[(practitioner.jurisdiction, result.passed)] += 1
                practitioners += 1
                activities += len(acts)
                if progress is not None and practitioners % 500 == 0:
                    progress(500)
            if progress is not None:
                progress(practitioners % 500)
        write_run_readings(db, out, run, registry)
        unassessed = write_activities_of_nobody(db, out, run, year) if plan is None else done["unassessed"]
        projects_judged = plan is None or whatif.projects_reached(db, plan)
        if projects_judged:
            projects = write_projects_and_calendars(db, out, run, ctx, registry, year, as_of)
        else:
            projects = whatif.copy_projects(db, out, plan, run, result_columns(registry))
        out.flush()
        seconds = time.perf_counter() - clock
        if plan is not None:
            derivation = whatif.derivation_text(plan.base, done, projects_judged)
        summary = RunSummary(
            run, name, year, practitioners, activities, projects, dict(out.counts), seconds,
            summarise(registry, verdicts), unassessed, tuple(registry.problems), derivation or "",
        )
        passed = sum(j.passed for j in summary.jurisdictions)
        db.conn.execute(
            """UPDATE runs SET status = 'complete', finished_at = ?, seconds = ?, practitioners = ?, activities = ?,
               projects = ?, passed = ?, failed = ?, undetermined = ?, pass_rate = ?, awards_per_second = ?,
               derivation = ?
               WHERE id = ?""",
            (storage.now_text(), round(seconds, 3), practitioners, activities, projects, passed,
             sum(j.failed for j in summary.jurisdictions), sum(j.undetermined for j in summary.jurisdictions),
             round(100.0 * passed / practitioners, 1) if practitioners else None,
             round(summary.awards_per_second), derivation, run),
        )
    return summary


def write_projects_and_calendars(db, out, run: int, ctx: RuleContext, registry: Registry, year: int,
                                 as_of: date) -> int:
    """The year's projects (findings, deadlines) and each jurisdiction's calendar, with what they
    read noted once for all of them. Returns the number of projects."""
    projects = 0
    ctx.reads.clear()
    year_projects = tuple(projects_of_year(db, year))
    batch = attrs.evolve(ctx, projects=year_projects)  # checks that span records see the year's projects
    for project in year_projects:
        projects += 1
        for finding in engine.check_project(batch, project):
            write_finding(out, run, finding, "project", project=project.id)
        try:
            deadlines = engine.project_deadlines(ctx, project)
        except PluginFailure:
            deadlines = []  # check_project has reported the failure as the project's finding
        for deadline in deadlines:
            write_deadline(out, run, deadline, "project", as_of, project=project.id)
    for code in sorted(registry.jurisdictions):
        try:
            entries = engine.calendar(ctx, code, year)
        except PluginFailure as failure:  # one plugin's calendar never stops the run
            write_finding(out, run, engine.failure_finding(code, failure, registry.chain(code)), "calendar")
            continue
        for deadline in entries:
            if deadline.jurisdiction == code:  # each calendar entry once, under its own jurisdiction
                write_deadline(out, run, deadline, "calendar", as_of)
    whatif.record_reads(out, run, "projects", None, (frozenset(), ctx.took(), frozenset()))
    return projects


# --------------------------------------------------------------------------------------------
# Using more than one core: worker processes over practitioner partitions
# --------------------------------------------------------------------------------------------

PARALLEL_MINIMUM = 20_000
"""Practitioners below which one process is faster than starting workers and copying their rows."""
MAX_WORKERS = 8  # SQLite attaches at most 10 databases


def database_file(db: sqlite_utils.Database) -> str | None:
    """The main database's file, or None for an in-memory database."""
    for _seq, schema, file in db.conn.execute("PRAGMA database_list").fetchall():
        if schema == "main":
            return file or None
    return None


def choose_workers(db: sqlite_utils.Database, workers: int | None) -> int:
    """How many processes judge practitioners: as asked, else one per CPU for a big year.

    Workers are forked (they inherit the loaded plugins and the run's what-if values as they
    are), so only where ``fork`` exists, and only for a database on disk that they can open.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or database_file(db) is None:
        return 1
    if workers is None:
        many = db.execute("SELECT count(*) FROM practitioners").fetchone()[0] >= PARALLEL_MINIMUM
        workers = (os.cpu_count() or 1) if many else 1
    return max(1, min(workers, MAX_WORKERS))


def partition_bounds(db: sqlite_utils.Database, workers: int) -> list[tuple[str | None, str | None]]:
    """Practitioner id ranges [since, until) of about equal size, in id order."""
    total = db.execute("SELECT count(*) FROM practitioners").fetchone()[0]
    cuts = [
        db.execute("SELECT id FROM practitioners ORDER BY id LIMIT 1 OFFSET ?", (total * k // workers,)).fetchone()[0]
        for k in range(1, workers)
    ]
    edges = [None, *cuts, None]
    return list(zip(edges, edges[1:]))


def assess_partitions(db, ctx: RuleContext, year: int, workers: int, scratch: Path, progress,
                      skip: frozenset = frozenset()) -> list[dict]:
    """Judge the practitioners in ``workers`` forked processes, each writing its rows to its
    own scratch database, then ATTACH those (as part0, part1, ...) for `copy_partition`.

    Returns one summary per partition, in id order ([] when one process does it all). The
    workers only read the input tables; the run itself is written by this process, in one
    transaction, so a run is still all or nothing.
    """
    if workers < 2:
        return []
    path = database_file(db)
    context = multiprocessing.get_context("fork")
    parent = os.getpid()
    done = context.Array("q", workers)  # practitioners judged, per worker
    answers = context.Queue()
    processes = [
        context.Process(target=_partition_worker, args=(index, path, str(scratch / f"part{index}.db"), ctx, year,
                                                        since, until, done, answers, parent, skip), daemon=True)
        for index, (since, until) in enumerate(partition_bounds(db, workers))
    ]
    for process in processes:
        process.start()
    parts: dict[int, dict] = {}
    reported = 0
    try:
        while len(parts) < workers:
            try:
                index, answer = answers.get(timeout=0.5)
            except Exception:  # queue.Empty: no worker finished yet
                if not all(p.is_alive() for p in processes) and answers.empty():
                    dead = [p for p in processes if not p.is_alive() and p.exitcode]
                    if dead:
                        raise RuntimeError(f"an assessment worker stopped (exit code {dead[0].exitcode})") from None
            else:
                if "error" in answer:
                    raise RuntimeError(f"an assessment worker failed:\n{answer['error']}")
                parts[index] = answer
            if progress is not None:
                now = sum(done[:])
                if now > reported:
                    progress(now - reported)
                    reported = now
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    for index in range(workers):
        db.conn.execute(f"ATTACH DATABASE ? AS part{index}", (str(scratch / f"part{index}.db"),))
    return [parts[index] for index in range(workers)]


def _partition_worker(index, path, out_path, ctx, year, since, until, done, answers, parent, skip=frozenset()) -> None:
    """One worker: judge the practitioners in [since, until) and write their rows to ``out_path``.
    It dies with its parent (runlock.exit_with_parent): a killed run leaves no worker behind."""
    runlock.exit_with_parent(parent)
    try:
        source = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        target = sqlite_utils.Database(out_path)
        target.execute("PRAGMA journal_mode = OFF")
        target.execute("PRAGMA synchronous = OFF")
        result_texts.create_stored_tables(target.conn, result_columns(ctx.registry))
        whatif.create_read_sets(target)
        verdicts: Counter = Counter()
        practitioners = activities = 0
        with target.atomic():
            out = result_writer(target, ctx.registry)
            for practitioner, acts in storage.practitioner_years(source, year, since=since, until=until, skip=skip,
                                                                 unreadable=unreadable_to(out, 0)):
                result = engine.assess_year(ctx, practitioner, acts, year)
                write_year(out, 0, practitioner, acts, result)  # run 0: the run's id is set on copying
                whatif.record_reads(out, 0, "practitioner", practitioner.id, ctx.year_reads)
                verdicts[(practitioner.jurisdiction, result.passed)] += 1
                practitioners += 1
                activities += len(acts)
                if practitioners % 500 == 0:
                    done[index] = practitioners
                    runlock.parent_gone(parent)
            out.flush()
        done[index] = practitioners
        answers.put((index, {"verdicts": verdicts, "practitioners": practitioners, "activities": activities}))
    except BaseException:
        answers.put((index, {"error": traceback.format_exc()}))


def copy_partition(db: sqlite_utils.Database, out: storage.BufferedWriter, schema: str, run: int, registry: Registry) -> None:
    """Copy a worker's rows into the result tables, in the order it wrote them, under ``run``
    (its texts added to the run's, its text ids mapped to theirs: result_texts.copy_rows)."""
    out.flush()
    result_texts.merge_texts(db.conn, schema, out.ids)
    for table, columns in result_columns(registry).items():
        out.counts[table] += result_texts.copy_rows(db.conn, schema, table, columns, run)
    whatif.copy_read_sets(db, schema)


IN_FORCE_TEXT = {True: "有效", False: "不适用", None: "施行日期不详"}


def write_run_parameters(db: sqlite_utils.Database, run: int, registry: Registry, ctx: RuleContext) -> None:
    """The rules a run used: every parameter's value in force in its year (a what-if on top) and
    every document's standing in that year, so a stored result can be explained after a plugin
    changes (and `compare` can list the rule changes between two years' runs)."""
    db.conn.executemany(
        storage.insert_sql("run_parameters", ["run", "parameter", "value", "default_value", "overridden", "since"]),
        [(run, *row) for row in run_parameter_rows(registry, ctx)],
    )
    documents = whatif.document_standing(registry, ctx)
    db.conn.execute("UPDATE runs SET documents = ? WHERE id = ?", (json.dumps(documents, ensure_ascii=False), run))


def run_parameter_rows(registry: Registry, ctx: RuleContext) -> list[tuple]:
    """(parameter, value, default_value, overridden, since) of every parameter for a run."""
    rows = []
    on = ctx.judged_on
    for key, history in registry.parameter_history.items():
        parameter = in_force_version(history, on)
        default = parameter.value if parameter is not None else None
        overridden = key in ctx.overrides
        value = ctx.overrides[key] if overridden else default
        rows.append((key, None if value is None else parameter_value_text(value),
                     None if default is None else parameter_value_text(default), int(overridden),
                     storage.encode(parameter.since) if parameter is not None else None))
    return rows


def summary_code(registry: Registry, code: str) -> str:
    """Whom a practitioner's result is summed under: the nearest level above (or at) their code
    that a plugin covers, or their province (鞍山市's 海城市, 210381 -> 辽宁省 210000; 广东省 stays)."""
    for level in reversed(registry.lineage(code)):
        if level in registry.jurisdictions or level.endswith("0000"):
            return level
    return code


def summarise(registry: Registry, verdicts: Counter) -> tuple[JurisdictionSummary, ...]:
    merged: Counter = Counter()
    for (code, passed), n in verdicts.items():
        merged[(summary_code(registry, code), passed)] += n
    verdicts = merged
    codes = sorted({code for code, _passed in verdicts})
    return tuple(
        JurisdictionSummary(
            code, registry.name_of(code),
            sum(n for (c, _p), n in verdicts.items() if c == code),
            verdicts[(code, True)], verdicts[(code, False)], verdicts[(code, None)],
        )
        for code in codes
    )


# --------------------------------------------------------------------------------------------
# Comparing two runs
# --------------------------------------------------------------------------------------------


def find_run(db: sqlite_utils.Database, name: str, year: int | None = None) -> dict:
    sql = "SELECT * FROM runs WHERE name = ? AND status = 'complete'" + (" AND year = ?" if year else "")
    rows = db.execute_returning_dicts(sql + " ORDER BY year DESC", (name, year) if year else (name,))
    if not rows:
        known = ", ".join(f"{r[0]} ({r[1]})" for r in db.execute("SELECT name, year FROM runs ORDER BY year, id").fetchall())
        raise LookupError(f"no run named {name!r}{f' for {year}' if year else ''}; runs: {known or 'none'}")
    return rows[0]


def rule_changes(db: sqlite_utils.Database, base_run: dict, other_run: dict) -> list[str]:
    """What the two runs' rules differ in, from what each run recorded: the documents in force
    and every parameter value used (`write_run_parameters`)."""
    changes = [f"运行 #{run['id']} 未记录当年施行的文件（该运行早于此项记录）" for run in (base_run, other_run) if not run.get("documents")]
    if changes:
        return changes
    before, after = (json.loads(run["documents"]) for run in (base_run, other_run))
    names = {row[0]: row[1] or row[2] for row in db.execute("SELECT id, number, title FROM documents")}
    for document in sorted(set(before) | set(after)):
        if before.get(document) != after.get(document):
            changes.append(f"文件 {names.get(document, document)}：{before.get(document, '未收录')} → {after.get(document, '未收录')}")
    parameters = db.execute(
        """SELECT o.parameter, b.value, o.value, p.unit, o.since
           FROM run_parameters o JOIN run_parameters b ON b.parameter = o.parameter AND b.run = ?
           LEFT JOIN parameters p ON p.id = o.parameter
           WHERE o.run = ? AND b.value IS NOT o.value ORDER BY o.parameter""",
        (base_run["id"], other_run["id"]),
    ).fetchall()
    for key, before, after, unit, since in parameters:
        when = f"（自 {since} 起）" if since else ""
        changes.append(f"参数 {key}：{before if before is not None else '无取值'} → {after if after is not None else '无取值'} {unit or ''}{when}".rstrip())
    return changes


def compare(db: sqlite_utils.Database, base: str, other: str, year: int | None = None,
            other_year: int | None = None) -> tuple[dict, dict, list[dict]]:
    """Practitioners whose verdict differs between two runs (of one year, or of ``other_year``
    for the other run), also stored in ``comparisons``."""
    base_run = find_run(db, base, year)
    other_run = find_run(db, other, other_year or year or base_run["year"])
    with db.atomic():
        db.conn.execute("DELETE FROM comparisons WHERE base_run = ? AND other_run = ?", (base_run["id"], other_run["id"]))
        db.conn.execute(
            """INSERT INTO comparisons (base_run, other_run, practitioner, jurisdiction, unit, base_verdict, other_verdict,
                                        base_earned, other_earned, base_required, other_required, change)
               SELECT b.run, o.run, b.practitioner, b.jurisdiction, b.unit, b.verdict, o.verdict,
                      b.earned, o.earned, b.required, o.required, b.verdict || '→' || o.verdict
               FROM annual_results b JOIN annual_results o ON o.practitioner = b.practitioner AND o.run = ?
               WHERE b.run = ? AND b.verdict <> o.verdict""",
            (other_run["id"], base_run["id"]),
        )
    rows = db.execute_returning_dicts(
        "SELECT * FROM comparisons WHERE base_run = ? AND other_run = ? ORDER BY change, jurisdiction, practitioner",
        (base_run["id"], other_run["id"]),
    )
    return base_run, other_run, rows
