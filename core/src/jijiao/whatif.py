"""A what-if by dependency: judge again only what the changed policy numbers reach.

Every run notes what its rules read (`RuleContext.reads`): per practitioner, the parameters and
readings read while judging the activities (``awards``), the rest of the year up to its
requirements (``year``: restating, deeming, the year's findings, caps, per-activity deadlines,
the chain's missing documents) and the requirements with their make-up (``requirements``);
and once for the year's projects and calendars together (``projects``). Each is a set of
``plugin.key``, stored once in ``read_sets`` under an id made from its keys (the same set gets
the same id in every process and run) and referred to from ``run_reads``, one row per
practitioner.

A what-if against a base run (the same year's baseline unless ``base`` is given) then knows,
for each practitioner, the first stage a changed value reaches:

- none: the base run's awards and recognitions are shown through (not stored again, see
  below); its other rows are copied as they are (SQL-side, INSERT ... SELECT);
- only the requirements: the year's requirements and verdict are computed again on the base
  run's stored awards (`engine.year_requirements`, `engine.year_verdict`) -- the activities are
  not read or judged again; the annual result's requirement columns and the requirement rows
  are rewritten, the awards and recognitions shown through, everything else copied;
- the awards or the rest of the year: the practitioner's year is judged again from the input
  tables, exactly as a full run does.

Projects and calendars are judged again if anything they read changed, else copied.

The per-activity rows, most of a year's, are stored once: for each practitioner not judged
again, ``inherited_rows`` names the run that stores their credit_awards and recognitions (the
base, or the run the base itself inherits them from: one hop), and the views under the plain
names show those rows as the what-if's (`result_texts.run_rows_select`). So every query,
`compare`, `explain`, export, the browse copy and every Datasette page see a complete run;
deleting or replacing the base hands the rows to the what-if first (`result_texts.hand_over`).
The small per-practitioner tables and the findings are copied. ``runs.base`` names the run it
was derived from and ``runs.derivation`` what was judged again and how many practitioners' rows
are shown through. The results are those of a full run (tests/test_whatif_dependency.py
compares them table by table, through the views); the copied rows are not in a full run's
rowid order (they come first).

A base run is used only where it is the same judgement but for the changed values: made with
the same plugins (versions and the source of their code), the same documents in force and the
same parameter defaults, over the same input rows, with its reads noted (a different as-of day
only makes the projects and calendars be judged again: it decides their deadlines' states).
Otherwise the what-if is a full run and says why (`plan`).

Limits: reads are noted through ``ctx.params`` and ``ctx.reading``; a rule that keeps a
parameter's value in its own module-level cache, or reads ``ctx.overrides`` directly, hides
the read (none of ours does). A stored award can stand in for the judged one where its stored
columns say everything the verdict reads: a year with an undetermined award that waits on a
document, or with a deeming, is judged again in full instead.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import sqlite_utils

from . import engine, result_texts, storage, stored
from .models import AwardStatus, CreditAward
from .plugins import PluginFailure, Registry, RuleContext

READ_COLUMNS = ["run", "subject_kind", "subject", "awards", "year", "requirements"]
"""``run_reads``: per practitioner (subject_kind ``practitioner``) and once for the projects and
calendars (``projects``), the ids of the ``read_sets`` each stage read."""

NOTHING = frozenset()

COPY, REQUIREMENTS, FULL = 0, 1, 2
"""What a what-if does with a practitioner: copy the base rows, recompute the requirements and
verdict on the stored awards, or judge the year again."""


# --------------------------------------------------------------------------------------------
# Noting what a run read
# --------------------------------------------------------------------------------------------


def set_id(keys: frozenset) -> int:
    """The id of a set of keys: the same in every process (the workers write their own rows)."""
    digest = hashlib.sha1(json.dumps(sorted(keys), ensure_ascii=False).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def record_reads(out: storage.BufferedWriter, run: int, kind: str, subject: str | None, stages: tuple) -> None:
    """Add one ``run_reads`` row; each new set of keys goes to ``read_sets`` once."""
    out.add("run_reads", (run, kind, subject, *(intern(out, keys) for keys in stages or (NOTHING, NOTHING, NOTHING))))


def intern(out: storage.BufferedWriter, keys: frozenset) -> int:
    """The id of a set of keys, stored in ``read_sets`` the first time the writer meets it."""
    known = out.__dict__.setdefault("read_set_ids", {})
    found = known.get(keys)
    if found is None:
        found = known[keys] = set_id(keys)
        out.db.conn.execute("INSERT OR IGNORE INTO read_sets (id, keys) VALUES (?, ?)",
                            (found, json.dumps(sorted(keys), ensure_ascii=False)))
    return found


def create_read_sets(db: sqlite_utils.Database) -> None:
    """The ``read_sets`` table in a worker's scratch database."""
    db.execute("CREATE TABLE IF NOT EXISTS read_sets (id INTEGER PRIMARY KEY, keys TEXT)")


def copy_read_sets(db: sqlite_utils.Database, schema: str) -> None:
    db.conn.execute(f"INSERT OR IGNORE INTO main.read_sets (id, keys) SELECT id, keys FROM {schema}.read_sets")


# --------------------------------------------------------------------------------------------
# Whether a base run can be used
# --------------------------------------------------------------------------------------------


def rules_fingerprint(registry: Registry) -> str:
    """A digest of the source of jijiao and of every loaded plugin's package: an editable plugin
    changed since the base run keeps its version number, not its code."""
    digest = hashlib.sha1()
    folders = {Path(__file__).parent}
    for _name, plugin in registry.pm.list_name_plugin():
        module = getattr(plugin, "__file__", None)
        if module:
            folders.add(Path(module).parent)
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(db: sqlite_utils.Database, registry: Registry) -> str:
    """What the run judged and with what: the input tables' rows and the import batches that
    wrote them (an import that adds, changes or withdraws rows records a batch), and the rules'
    source. JSON, stored in ``runs.inputs``. An input row edited by hand, outside `jijiao
    import`, goes unnoticed: run the what-if with ``--full`` then."""
    tables = {}
    for table in storage.INPUT_TABLES:  # (every change of an input row is an import, recorded in a batch)
        tables[table] = list(db.conn.execute(f"SELECT count(*), max(rowid) FROM [{table}]").fetchone())
    tables["import_batches"] = list(db.conn.execute("SELECT count(*), max(id), max(finished_at) FROM import_batches").fetchone())
    return json.dumps({"tables": tables, "rules": rules_fingerprint(registry)}, ensure_ascii=False, sort_keys=True)


@attrs.frozen
class Plan:
    """A what-if's base run and the values it changes."""

    base: dict
    changed: frozenset
    as_of_changed: bool = False
    """The deadlines are judged as of another day than in the base run: the projects' and
    calendars' deadline states are written again (no rule of a practitioner's year reads the
    as-of day: it only says whether an open deadline has passed)."""


def plan(db: sqlite_utils.Database, registry: Registry, ctx: RuleContext, year: int, name: str, settings: dict,
         base: str | None, inputs: str, parameter_rows: list[tuple]) -> Plan | str:
    """The base run to derive a what-if from, or why there is none (then it is a full run).

    ``parameter_rows`` are this run's `annual.run_parameter_rows`: the values changed are those
    that differ from what the base run used, readings included."""
    from .annual import BASELINE, plugin_distributions

    wanted = base or BASELINE
    found = db.execute_returning_dicts(
        "SELECT * FROM runs WHERE name = ? AND year = ? AND status = 'complete'", (wanted, year))
    if not found:
        return f"没有 {year} 年度的运行「{wanted}」可作基准"
    run = found[0]
    if run["name"] == name:
        return f"基准运行「{wanted}」就是本次要替换的运行"
    if not db.execute("SELECT 1 FROM run_reads WHERE run = ? LIMIT 1", (run["id"],)).fetchone():
        return f"基准运行「{wanted}」（#{run['id']}）未记录各项结果所读的参数（由较早的版本生成）"
    differs = []
    if run["plugins"] != json.dumps(plugin_distributions(registry), ensure_ascii=False):
        differs.append("插件版本")
    if (run.get("inputs") or "") != inputs:
        old, new = json.loads(run.get("inputs") or "{}"), json.loads(inputs)
        differs.append("规则代码" if old.get("rules") != new.get("rules") else "输入数据")
    if run["problems"] != json.dumps(registry.problems, ensure_ascii=False):
        differs.append("插件问题")
    used = {row[0]: row for row in db.execute(
        "SELECT parameter, value, default_value, overridden, since FROM run_parameters WHERE run = ?", (run["id"],))}
    if {row[0]: (row[2], row[4]) for row in used.values()} != {row[0]: (row[2], row[4]) for row in parameter_rows}:
        differs.append("参数的默认值")
    documents = run.get("documents")
    if documents is None or json.loads(documents) != document_standing(registry, ctx):
        differs.append("施行的文件")
    if differs:
        return f"基准运行「{wanted}」（#{run['id']}）之后{'、'.join(differs)}已变"
    try:
        base_ctx = RuleContext.with_overrides(registry, json.loads(run["overrides"] or "{}"))
    except ValueError as error:
        return f"基准运行「{wanted}」的参数调整无法读取（{error}）"
    changed = {row[0] for row in parameter_rows if used[row[0]][1] != row[1]}
    changed |= base_ctx.alternatives ^ ctx.alternatives
    live = db.execute(f"SELECT count(*) FROM practitioners WHERE {storage.LIVE}").fetchone()[0]
    noted = db.execute("SELECT count(*) FROM run_reads WHERE run = ? AND subject_kind = 'practitioner'",
                       (run["id"],)).fetchone()[0]
    if live != noted:
        return f"基准运行「{wanted}」评定了 {noted} 人，现有 {live} 人"
    return Plan(run, frozenset(changed), as_of_changed=run["as_of"] != ctx.as_of.isoformat())


def document_standing(registry: Registry, ctx: RuleContext) -> dict:
    from .annual import IN_FORCE_TEXT

    on = ctx.judged_on
    return {d.id: IN_FORCE_TEXT[d.in_force(on) if on else True] for d in registry.documents.values()}


# --------------------------------------------------------------------------------------------
# Carrying out a what-if
# --------------------------------------------------------------------------------------------


def _reached_sets(db: sqlite_utils.Database, changed: frozenset) -> None:
    """temp.whatif_reached: the ids of the read sets holding a changed key."""
    db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS whatif_reached (id INTEGER PRIMARY KEY)")
    db.conn.execute("DELETE FROM temp.whatif_reached")
    db.conn.executemany("INSERT INTO temp.whatif_reached (id) VALUES (?)", [
        (set_id_,) for set_id_, keys in db.conn.execute("SELECT id, keys FROM read_sets")
        if changed & set(json.loads(keys))
    ])


def _plan_practitioners(db: sqlite_utils.Database, base: int) -> None:
    """temp.whatif_plan: each practitioner of the base run and what to do with them."""
    conn = db.conn
    conn.execute("DROP TABLE IF EXISTS temp.whatif_plan")
    conn.execute("CREATE TEMP TABLE whatif_plan (practitioner TEXT PRIMARY KEY, how INTEGER, awards INTEGER, "
                 "year INTEGER) WITHOUT ROWID")
    conn.execute(
        f"""INSERT INTO temp.whatif_plan (practitioner, how, awards, year)
            SELECT subject,
                   CASE WHEN awards IN (SELECT id FROM temp.whatif_reached) OR year IN (SELECT id FROM temp.whatif_reached)
                        THEN {FULL}
                        WHEN requirements IN (SELECT id FROM temp.whatif_reached) THEN {REQUIREMENTS}
                        ELSE {COPY} END,
                   awards, year
            FROM run_reads WHERE run = ? AND subject_kind = 'practitioner'""", (base,))
    # A stored award row says all the verdict reads, except the document an undetermined award
    # waits on (only its number or title is stored) and a deeming's reasons: judge those afresh.
    # (Asked of each such practitioner's own rows, by the index on run and practitioner, rather
    # than of the whole year's awards: most of a year is not recomputed.)
    conn.execute(
        f"""UPDATE temp.whatif_plan AS p SET how = {FULL} WHERE how = {REQUIREMENTS} AND (
              EXISTS (SELECT 1 FROM annual_results r
                      WHERE r.run = ?1 AND r.practitioner = p.practitioner AND r.deemed_complete IS NOT NULL)
              OR EXISTS (SELECT 1 FROM credit_awards a
                         WHERE a.run = ?1 AND a.practitioner = p.practitioner AND a.missing_document IS NOT NULL))""",
        (base,))


def _copy(db, out, table: str, columns: list[str], base: int, run: int, where: str, chunks=((None, None),)) -> None:
    """Copy the base run's rows of ``table`` that ``where`` selects (a condition on the row,
    called ``s``), as rows of ``run``.

    SQLite reads the rows it copies within a table into a scratch table first (held in memory:
    temp_store = MEMORY); ``chunks`` -- practitioner id ranges [since, until) -- keep that to a
    few thousand practitioners' rows at a time, so memory stays flat whatever the year."""
    names = ", ".join(f"[{c}]" for c in columns)
    rest = ", ".join(f"[{c}]" for c in columns[1:])
    stored = result_texts.stored_table(table)  # text ids as they are: one text table serves every run
    for since, until in chunks:
        bounds = (" AND practitioner >= ?" if since is not None else "") + (" AND practitioner < ?" if until is not None else "")
        copied = db.conn.execute(
            f"INSERT INTO [{stored}] ({names}) SELECT ?, {rest} FROM [{stored}] AS s WHERE run = ?{bounds} AND ({where})",
            (run, base, *(b for b in (since, until) if b is not None)),
        ).rowcount
        out.counts[table] += copied


COPY_CHUNK = 5000
"""Practitioners whose rows one copying statement takes (see `_copy`)."""


def _chunks(db: sqlite_utils.Database) -> list[tuple[str | None, str | None]]:
    """Practitioner id ranges of `COPY_CHUNK` practitioners of the plan, covering every id."""
    ids = [row[0] for row in db.conn.execute("SELECT practitioner FROM temp.whatif_plan ORDER BY practitioner")]
    edges = [None, *ids[COPY_CHUNK::COPY_CHUNK], None]
    return list(zip(edges, edges[1:]))


# Whether a copied row's practitioner is carried (copied or recomputed) or unchanged: asked of
# the plan per row, by its key. (Not "practitioner IN (SELECT ... FROM temp.whatif_plan)": SQLite
# builds that list again for each chunk's statement, all the year's practitioners each time --
# quadratic in the population, some seconds per table at 400,000.)
CARRIED = f"EXISTS (SELECT 1 FROM temp.whatif_plan p WHERE p.practitioner = s.practitioner AND p.how <= {REQUIREMENTS})"
UNCHANGED = f"EXISTS (SELECT 1 FROM temp.whatif_plan p WHERE p.practitioner = s.practitioner AND p.how = {COPY})"


def carry_out(the_plan: Plan, db: sqlite_utils.Database, out: storage.BufferedWriter, ctx: RuleContext, run: int,
              year: int, progress, columns: dict[str, list[str]]) -> dict:
    """Write the what-if's practitioners' rows (inside the run's transaction): judged again,
    recomputed from the stored awards, or copied. Returns the counts for the run's summary."""
    from . import annual

    base = the_plan.base["id"]
    _reached_sets(db, the_plan.changed)
    _plan_practitioners(db, base)
    counts = dict(db.conn.execute("SELECT how, count(*) FROM temp.whatif_plan GROUP BY how").fetchall())

    categories = {c.zh: c for c in ctx.registry.categories.values()}
    if len(categories) < len(ctx.registry.categories):  # two categories of one name: not read back
        db.conn.execute(f"UPDATE temp.whatif_plan SET how = {FULL} WHERE how = {REQUIREMENTS}")

    # 1. The base rows of everyone not judged again: their awards and recognitions shown
    # through (not stored again), the rest copied.
    chunks = _chunks(db)
    result_texts.inherit(db.conn, run, base, f"SELECT practitioner FROM temp.whatif_plan WHERE how <= {REQUIREMENTS}")
    for table in ("annual_results", "cap_applications"):
        _copy(db, out, table, columns[table], base, run, CARRIED, chunks)
    _copy(db, out, "requirement_results", columns["requirement_results"], base, run, UNCHANGED, chunks)
    # A practitioner's findings; and those on activities not judged again: of a carried
    # practitioner's (out of range, or unreadable) and of nobody's (no such practitioner) --
    # the same input rows give the same findings.
    _copy(db, out, "findings", columns["findings"], base, run,
          f"subject_kind = 'practitioner' AND {CARRIED} OR subject_kind = 'activity' AND practitioner NOT IN "
          f"(SELECT practitioner FROM temp.whatif_plan WHERE how = {FULL})")
    unassessed = db.conn.execute(  # the activities of nobody: each has its finding(s), all copied
        "SELECT count(DISTINCT subject) FROM findings WHERE run = ? AND subject_kind = 'activity' "
        "AND practitioner NOT IN (SELECT practitioner FROM temp.whatif_plan)", (run,)).fetchone()[0]
    _copy(db, out, "run_reads", columns["run_reads"], base, run, f"subject_kind = 'practitioner' AND subject IN "
          f"(SELECT practitioner FROM temp.whatif_plan WHERE how = 0)")
    out.flush()

    # 2. Requirements and verdicts on the stored awards, a chunk of practitioners at a time; a
    # plugin failing here: that year is judged afresh (its copied rows are taken back).
    recomputed = 0
    for since, until in chunks:
        done, again = _recompute_requirements(db, out, ctx, base, year, categories, since, until)
        verdicts = []
        for pid, pending, awards_set, year_set in done:
            annual.write_requirements(out, run, pid, pending.requirements)
            required, shortfall = annual.requirement_totals(pending.requirements)
            verdicts.append((required, shortfall, annual.VERDICTS[pending.passed], out.ids.text(pending.reason),
                             None if pending.passed is None else int(pending.passed), run, pid))
            out.add("run_reads", (run, "practitioner", pid, awards_set, year_set, pending.reads_id))
        db.conn.executemany(  # the copied annual results' requirement columns, a chunk in one statement
            f"UPDATE [{result_texts.stored_table('annual_results')}] "
            "SET required = ?, shortfall = ?, verdict = ?, reason = ?, passed = ? WHERE run = ? AND practitioner = ?",
            verdicts)
        for pid in again:
            _take_back(db, out, run, pid)
        recomputed += len(done)
    if progress is not None:
        progress(counts.get(COPY, 0) + recomputed)
    for table in result_texts.SHOWN_THROUGH:  # the run's rows, as a full run counts them
        out.counts[table] += result_texts.inherited_rows(db.conn, run, table)
    shown = db.conn.execute(f"SELECT count(*) FROM [{result_texts.INHERITED}] WHERE run = ?", (run,)).fetchone()[0]

    # 3. The years a changed value reaches before their requirements: judged again, their
    # out-of-range activities reported and left out as in a full run.
    to_judge = f"SELECT practitioner FROM temp.whatif_plan WHERE how = {FULL}"
    skip = annual.write_unjudgeable(out, run, storage.unjudgeable_activities(db, year, practitioners=to_judge))
    judged = 0
    for practitioner, acts in storage.practitioner_years(db, year, skip=skip, unreadable=annual.unreadable_to(out, run),
                                                         practitioners=to_judge):
        result = engine.assess_year(ctx, practitioner, acts, year)
        annual.write_year(out, run, practitioner, acts, result)
        record_reads(out, run, "practitioner", practitioner.id, ctx.year_reads)
        judged += 1
        if progress is not None and judged % 500 == 0:
            progress(500)
    if progress is not None:
        progress(judged % 500)
    out.flush()
    copied = counts.get(COPY, 0)
    return {"judged": judged, "recomputed": recomputed, "copied": copied, "shown": shown, "unassessed": unassessed,
            "practitioners": judged + recomputed + copied, "activities": the_plan.base["activities"] or 0}


def projects_reached(db: sqlite_utils.Database, the_plan: Plan) -> bool:
    """Whether the year's project checks and calendars read a changed value (they did, where
    the base run noted nothing for them)."""
    row = db.execute("SELECT awards, year, requirements FROM run_reads WHERE run = ? AND subject_kind = 'projects'",
                     (the_plan.base["id"],)).fetchone()
    if row is None or the_plan.as_of_changed:
        return True
    return bool(db.execute("SELECT count(*) FROM temp.whatif_reached WHERE id IN (?, ?, ?)", row).fetchone()[0])


def copy_projects(db: sqlite_utils.Database, out: storage.BufferedWriter, the_plan: Plan, run: int,
                  columns: dict[str, list[str]]) -> int:
    """The base run's project and calendar rows, where nothing they read changed."""
    base = the_plan.base["id"]
    _copy(db, out, "findings", columns["findings"], base, run, "subject_kind IN ('project', 'calendar')")
    _copy(db, out, "deadlines", columns["deadlines"], base, run, "1")
    _copy(db, out, "run_reads", columns["run_reads"], base, run, "subject_kind = 'projects'")
    return the_plan.base["projects"] or 0


@attrs.frozen
class _Recomputed:
    requirements: list
    passed: bool | None
    reason: str
    reads_id: int


STATUS_BY_TEXT = {s.zh: s for s in AwardStatus}


def _take_back(db, out, run: int, pid: str) -> None:
    """Remove the rows copied for a practitioner who is to be judged again after all."""
    result_texts.disinherit(db.conn, run, pid)
    for table, where in (("annual_results", ""), ("cap_applications", ""),
                         ("findings", " AND subject_kind IN ('practitioner', 'activity')")):
        out.counts[table] -= db.conn.execute(
            f"DELETE FROM [{result_texts.stored_table(table)}] WHERE run = ? AND practitioner = ?{where}", (run, pid)).rowcount


def _recompute_requirements(db, out, ctx: RuleContext, base: int, year: int, categories: dict,
                            since: str | None, until: str | None) -> tuple[list[tuple], list[str]]:
    """The requirements and verdict of each practitioner in [since, until) whose year a changed
    value reaches only there, on the base run's stored (capped, voided) awards; and those whose
    plugin failed here (now to be judged again in full)."""
    registry = ctx.registry
    bounds = (" AND practitioner >= ?" if since is not None else "") + (" AND practitioner < ?" if until is not None else "")
    limits = tuple(b for b in (since, until) if b is not None)
    # What requirements and verdicts read of the awards (engine.evaluate, engine.verdict): the
    # credits awarded per category, and each undetermined award (its category and bound; they
    # are counted: one row each, grouped by its activity -- the view has no rowid to tell two
    # alike apart). One award per category holding the sum stands in for the awarded ones;
    # refused and pending awards count towards nothing.
    decimal = storage._memoised(storage._stored_decimal)
    awarded, undetermined = AwardStatus.AWARDED, AwardStatus.UNDETERMINED
    sums: dict[str, dict] = {}
    awards_of: dict[str, list] = {}
    for pid, jurisdiction, status, category, credits, bound, count in db.conn.execute(
        f"""SELECT practitioner, min(jurisdiction), status, category, credits, bound, count(*) FROM credit_awards
            WHERE run = ? AND status IN (?, ?)
              AND practitioner IN (SELECT practitioner FROM temp.whatif_plan WHERE how = {REQUIREMENTS}{bounds})
            GROUP BY practitioner, status, category, credits, CASE WHEN status = ? THEN activity END, bound""",
            (base, awarded.zh, undetermined.zh, *limits, undetermined.zh)):
        kind = categories[category] if category is not None else None
        if status == awarded.zh:
            totals = sums.setdefault(pid, {})
            totals[kind] = totals.get(kind, Decimal(0)) + decimal(credits) * count
        else:
            awards_of.setdefault(pid, []).append(CreditAward(
                "", pid, jurisdiction, undetermined, 0, category=kind, bound=None if bound is None else decimal(bound)))
    for pid, totals in sums.items():
        awards_of.setdefault(pid, []).extend(
            CreditAward("", pid, "", awarded, total, category=kind) for kind, total in totals.items())
    # The practitioners read as a full run reads them (`storage.practitioner_years`): our own
    # rows, validated when they came in, made without the model's constructor.
    person_codec = storage.codec(db, "practitioners")
    decode = stored.reader(person_codec)
    done, again = [], []
    rows = db.conn.execute(
        stored.select_sql(person_codec, "practitioners")
        + f" WHERE id IN (SELECT practitioner FROM temp.whatif_plan WHERE how = {REQUIREMENTS}{bounds}) ORDER BY id",
        limits).fetchall()
    stages = {pid: (awards_set, year_set) for pid, awards_set, year_set in db.conn.execute(
        f"SELECT practitioner, awards, year FROM temp.whatif_plan WHERE how = {REQUIREMENTS}{bounds}", limits)}
    for row in rows:
        practitioner = decode(row)
        awards = awards_of.get(practitioner.id, [])
        chain = registry.chain(practitioner.jurisdiction, year)
        ctx.reads.clear()
        try:
            results = engine.apply_deeming([], engine.year_requirements(ctx, chain, practitioner, year, awards))
        except PluginFailure:
            again.append(practitioner.id)
            continue
        passed, reason = engine.year_verdict(chain, results, [], awards, engine.missing_documents(ctx, chain))
        awards_set, year_set = stages[practitioner.id]
        done.append((practitioner.id, _Recomputed(results, passed, reason, intern(out, ctx.took())), awards_set, year_set))
    db.conn.executemany(f"UPDATE temp.whatif_plan SET how = {FULL} WHERE practitioner = ?", [(p,) for p in again])
    return done, again


def verdicts(db: sqlite_utils.Database, run: int) -> Counter:
    """(jurisdiction, passed) -> practitioners, from the run's stored annual results."""
    return Counter({
        (jurisdiction, None if passed is None else bool(passed)): n
        for jurisdiction, passed, n in db.conn.execute(
            "SELECT jurisdiction, passed, count(*) FROM annual_results WHERE run = ? GROUP BY jurisdiction, passed", (run,))
    })


def derivation_text(base: dict, counts: dict, projects_judged: bool) -> str:
    return (f"按依赖评定（基准运行 #{base['id']}「{base['name']}」）：重新评定 {counts['judged']} 人，"
            f"按已存学分重算要求与结论 {counts['recomputed']} 人，沿用 {counts['copied']} 人"
            f"（{counts['shown']} 人的学分与认定记录不另存，显示基准所存）；"
            f"项目与日历{'重新评定' if projects_judged else '沿用'}")
