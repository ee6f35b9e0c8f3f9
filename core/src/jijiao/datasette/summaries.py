"""What the browse copy adds for the analysts' pages: places, summaries and indexes.

Computed as the copy takes in each run (publish.update_copy: only the runs new to the copy),
so that the dashboard, the what-if page and the facets read a few thousand summary rows instead
of a province's year:

- ``places``: every GB/T 2260 code a page may name (全国, the provinces, the listed cities and
  counties, the installed jurisdictions), with its level and parent; the copy's jurisdiction
  columns point here, so 440000 reads 广东省 even where no plugin covers it;
- ``annual_results.province / city / district``: where each result lies, written as the rows
  are copied (`result_places`). The practitioner's own code is used as far as it goes (海城市
  210381 -> 鞍山市 210300 -> 辽宁省); where it stops at the province (an office's file coding
  everyone 210000), the unit's name says the rest (海城市中医院 -> 海城市 -> 鞍山市); a
  provincial hospital keeps no city (NULL, shown as 省直单位 / 市不详);
- ``facet_counts``: per run, table and default facet, the rows of each value (facets.py);
- ``result_summary``: per run, place, unit, unit level and title: how many 合格 / 不合格 /
  无法判定 and the credits short;
- ``clause_costs``: per run and clause, the credits it refused (what the certificate claimed)
  or capped (before minus after), with how many activities and people; ``unit_clause_costs``
  the same per place and unit (the dashboard of a region or unit);
- ``run_changes``: every practitioner whose verdict differs between a run and the baseline of
  its year (the what-if page), with place and unit;
- indexes for the pages' filters.

The run could write the geography itself (annual.py); the copy leaves it alone where the
source's annual_results has the columns.
"""

from __future__ import annotations

import contextlib

import sqlite_utils

from ..plugins import province_names
from .places import place_of_unit, places

LEVELS = {"province": "省", "city": "市", "county": "县（区）"}


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def known_places(conn, schema: str = "main") -> dict[str, tuple[str, str, str]]:
    """code -> (name, level, parent) of every place a page may name: 全国, the provinces, GB/T
    2260's cities and counties, and the installed jurisdictions (``schema``'s jurisdictions table)."""
    found: dict[str, tuple[str, str, str]] = {"000000": ("全国", "national", "")}
    for code, name in province_names().items():
        found[code] = (name, "province", "000000")
    for code, name, parent in places():
        found[code] = (name, level_of(code), parent)
    try:
        rows = conn.execute(f"SELECT code, name, parent FROM {schema}.jurisdictions").fetchall()
    except Exception:  # no jurisdictions table: a database never assessed
        rows = []
    for code, name, parent in rows:
        if code != "000000" and code not in found:
            found[code] = (name, level_of(code), parent or code[:2] + "0000")
    return found


def build_places(db: sqlite_utils.Database) -> dict[str, tuple[str, str, str]]:
    """The ``places`` table; returns code -> (name, level, parent)."""
    found = known_places(db.conn)
    db.execute("DROP TABLE IF EXISTS places")
    db["places"].insert_all(
        ({"code": c, "name": n, "level": lv, "parent": p} for c, (n, lv, p) in sorted(found.items())), pk="code")
    return found


def locate(code: str | None, unit: str | None, known: dict, by_name_in: dict) -> tuple[str | None, str | None, str | None]:
    """(province, city, district) of a practitioner coded ``code`` working at ``unit``."""
    if not code or len(code) != 6 or not code.isdigit() or code == "000000":
        return None, None, None
    province = code[:2] + "0000"
    city = district = None
    if level_of(code) == "county":
        district, city = code, known.get(code, (None, None, code[:4] + "00"))[2]
    elif level_of(code) == "city":
        city = code
    place = place_of_unit(unit, by_name_in.get(province, {})) if district is None else None
    if place:
        if level_of(place) == "county":
            place_city = known[place][2]
            if city is None or city == place_city:
                district, city = place, place_city
        elif city is None:
            city = place
    return province, city, district


PLACE_COLUMNS = ("province", "city", "district")


def result_places(conn, runs: list[int], schema: str = "src") -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """How the copy writes ``province / city / district`` into the results it copies (publish.
    copy_rows): the columns, their values and the join that gives them. Where each distinct
    (jurisdiction, unit) of the source's results of ``runs`` lies goes into ``temp.located``
    (a few thousand rows), joined to the rows as they are copied, so no row is written twice."""
    known = known_places(conn, schema)
    by_name_in: dict[str, dict[str, str]] = {}
    for code, (name, level, _parent) in known.items():
        if level != "province":
            by_name_in.setdefault(code[:2] + "0000", {})[name] = code
    conn.execute("DROP TABLE IF EXISTS temp.located")
    conn.execute("CREATE TEMP TABLE located (l_jurisdiction TEXT, l_unit TEXT, l_province TEXT, l_city TEXT, l_district TEXT)")
    pairs = conn.execute(f"SELECT DISTINCT jurisdiction, unit FROM {schema}.annual_results WHERE {in_runs(runs)}").fetchall()
    conn.executemany("INSERT INTO temp.located VALUES (?, ?, ?, ?, ?)",
                     ((j, u, *locate(j, u, known, by_name_in)) for j, u in pairs))
    conn.execute("CREATE INDEX temp.located_key ON located (l_jurisdiction, l_unit)")
    join = "LEFT JOIN temp.located ON l_jurisdiction IS t.jurisdiction AND l_unit IS t.unit"
    return PLACE_COLUMNS, tuple(f"l_{c}" for c in PLACE_COLUMNS), join


def in_runs(runs, column: str = "run") -> str:
    """``run IN (1, 2)``: run ids are integers, written into the SQL as such."""
    return f"{column} IN ({', '.join(str(int(r)) for r in runs) or 'NULL'})"


def build_result_summary(db: sqlite_utils.Database, runs: list[int], removed: list[int]) -> None:
    """Per run, place, unit, unit level and title: the verdicts and the credits short (the given
    runs' rows replaced, the removed runs' dropped)."""
    select = """
        SELECT run, year, province, city, district, unit, unit_level, title,
               count(*) AS practitioners,
               sum(verdict = '合格') AS passed, sum(verdict = '不合格') AS failed,
               sum(verdict = '无法判定') AS undetermined,
               round(sum(CASE WHEN verdict = '不合格' THEN coalesce(shortfall, 0) ELSE 0 END), 1) AS shortfall
        FROM annual_results WHERE {where}
        GROUP BY run, year, province, city, district, unit, unit_level, title"""
    if not db["result_summary"].exists():
        db.execute("CREATE TABLE result_summary AS " + select.format(where="0"))
        db.execute("CREATE INDEX result_summary_run ON result_summary (run, province, city)")
    db.execute(f"DELETE FROM result_summary WHERE {in_runs([*runs, *removed])}")
    db.execute("INSERT INTO result_summary " + select.format(where=in_runs(runs)))


def build_clause_costs(db: sqlite_utils.Database, runs: list[int], removed: list[int]) -> None:
    """Refused credits count what the certificate claimed (``activities.certified_credits``);
    where an activity carries none, it is counted in ``unknown_credits`` rather than guessed.
    A refusal is charged to the last clause its award cites: the step that refused it. Only the
    given runs are computed (and the removed runs' rows dropped)."""
    if not db["clause_costs"].exists():
        db.execute("""
            CREATE TABLE clause_costs (run INTEGER, clause TEXT, how TEXT, credits REAL, activities INTEGER,
                                       unknown_credits INTEGER, practitioners INTEGER)""")
        db.execute("CREATE INDEX clause_costs_run ON clause_costs (run, credits)")
    db.execute(f"DELETE FROM clause_costs WHERE {in_runs([*runs, *removed])}")
    if not (db["credit_awards"].exists() and db["activities"].exists()) or not runs:
        return
    claimed = "a.certified_credits" if "certified_credits" in db["activities"].columns_dict else "NULL"
    db.execute(f"""
        INSERT INTO clause_costs
        SELECT ca.run, json_extract(ca.clauses, '$[#-1]') AS clause, '不予授予',
               round(sum(coalesce({claimed}, 0)), 1), count(*), sum({claimed} IS NULL), count(DISTINCT ca.practitioner)
        FROM credit_awards ca LEFT JOIN activities a ON a.id = ca.activity
        WHERE {in_runs(runs, "ca.run")} AND ca.status = '不予授予' AND json_valid(ca.clauses)
          AND json_array_length(ca.clauses) > 0
        GROUP BY ca.run, clause""")
    if db["cap_applications"].exists():
        db.execute(f"""
            INSERT INTO clause_costs
            SELECT run, clause, '上限削减', round(sum(before_credits - after_credits), 1),
                   sum(json_array_length(activities)), 0, count(DISTINCT practitioner)
            FROM cap_applications WHERE {in_runs(runs)} GROUP BY run, clause""")


def build_unit_clause_costs(db: sqlite_utils.Database, runs: list[int], removed: list[int]) -> bool:
    """``unit_clause_costs``: what `build_clause_costs` counts, per run, place and unit, for the
    dashboard of a region or a unit (dashboard.clause_costs), which at 400,000 people took over
    a second counted from the awards. A practitioner has one place and unit in a run, so the
    people counted per unit add up to a region's; credits are kept unrounded (the page rounds
    the region's sum, as it rounded the awards' sum). False where the results have no places."""
    if not db["unit_clause_costs"].exists():
        db.execute("""
            CREATE TABLE unit_clause_costs (run INTEGER, province TEXT, city TEXT, district TEXT, unit TEXT,
                                            clause TEXT, how TEXT, credits REAL, activities INTEGER,
                                            unknown_credits INTEGER, practitioners INTEGER)""")
        db.execute("CREATE INDEX unit_clause_costs_run ON unit_clause_costs (run, city)")
    db.execute(f"DELETE FROM unit_clause_costs WHERE {in_runs([*runs, *removed])}")
    if not set(PLACE_COLUMNS) <= set(db["annual_results"].columns_dict):
        return False
    if not (db["credit_awards"].exists() and db["activities"].exists()) or not runs:
        return True
    claimed = "act.certified_credits" if "certified_credits" in db["activities"].columns_dict else "NULL"
    place = "a.province, a.city, a.district, a.unit"
    db.execute(f"""
        INSERT INTO unit_clause_costs
        SELECT ca.run, {place}, json_extract(ca.clauses, '$[#-1]') AS clause, '不予授予',
               sum(coalesce({claimed}, 0)), count(*), sum({claimed} IS NULL), count(DISTINCT ca.practitioner)
        FROM credit_awards ca LEFT JOIN annual_results a ON a.run = ca.run AND a.practitioner = ca.practitioner
        LEFT JOIN activities act ON act.id = ca.activity
        WHERE {in_runs(runs, "ca.run")} AND ca.status = '不予授予' AND json_valid(ca.clauses)
          AND json_array_length(ca.clauses) > 0
        GROUP BY ca.run, {place}, clause""")
    if db["cap_applications"].exists():
        db.execute(f"""
            INSERT INTO unit_clause_costs
            SELECT c.run, {place}, c.clause, '上限削减', sum(c.before_credits - c.after_credits),
                   sum(json_array_length(c.activities)), 0, count(DISTINCT c.practitioner)
            FROM cap_applications c LEFT JOIN annual_results a ON a.run = c.run AND a.practitioner = c.practitioner
            WHERE {in_runs(runs, "c.run")} GROUP BY c.run, {place}, c.clause""")
    return True


def add_up_clause_costs(db: sqlite_utils.Database, runs: list[int], removed: list[int]) -> None:
    """``clause_costs`` of ``runs`` added up from their ``unit_clause_costs`` (the copy counts a
    run's awards once, per unit, rather than once per unit and again per clause: seconds at a
    province's size). The same figures as `build_clause_costs`, which a national partition,
    without the per-unit table, uses."""
    build_clause_costs(db, [], [*runs, *removed])  # the table, without the rows of these runs
    db.execute(f"""
        INSERT INTO clause_costs
        SELECT run, clause, how, round(sum(credits), 1), sum(activities), sum(unknown_credits), sum(practitioners)
        FROM unit_clause_costs WHERE {in_runs(runs)} GROUP BY run, clause, how""")


def build_run_changes(db: sqlite_utils.Database, years: set[int]) -> None:
    """Each run of ``years`` against the latest baseline of its year: the practitioners whose
    verdict differs (the other years' rows are kept: their runs did not change)."""
    select = """
        WITH base AS (SELECT year, max(id) AS id FROM runs WHERE status = 'complete' AND name = 'baseline' GROUP BY year)
        SELECT o.run AS other_run, b.run AS base_run, b.practitioner, b.province, b.city, b.district, b.unit,
               b.unit_level, b.title, b.verdict AS base_verdict, o.verdict AS other_verdict,
               b.verdict || '→' || o.verdict AS change, b.earned AS base_earned, o.earned AS other_earned,
               b.required AS base_required, o.required AS other_required
        FROM base JOIN runs r ON r.year = base.year AND r.id <> base.id AND r.status = 'complete'
        JOIN annual_results o ON o.run = r.id
        JOIN annual_results b ON b.run = base.id AND b.practitioner = o.practitioner
        WHERE b.verdict <> o.verdict AND {where}"""
    chosen = "r.year IN (" + (", ".join(str(int(y)) for y in years) or "NULL") + ")"
    if not db["run_changes"].exists():
        db.execute("CREATE TABLE run_changes AS " + select.format(where="0"))
        db.execute("CREATE INDEX run_changes_run ON run_changes (other_run, city, unit)")
    # rows of runs gone, and of every run of a year that changed (a new baseline changes them all)
    db.execute(f"""DELETE FROM run_changes WHERE other_run NOT IN (SELECT id FROM runs WHERE status = 'complete')
                   OR other_run IN (SELECT id FROM runs r WHERE {chosen})""")
    db.execute("INSERT INTO run_changes " + select.format(where=chosen))


def build_facet_counts(db: sqlite_utils.Database, runs: list[int], removed: list[int]) -> None:
    """``facet_counts``: per run, table and default facet column (metadata.FACETS), how many rows
    have each value: what a page of one whole run shows as its facets (facets.CountedFacet).
    One GROUP BY over all of a table's facet columns per run, summed per column from there."""
    from .metadata import COUNTED_TABLES, FACETS

    if not db["facet_counts"].exists():
        db.execute("CREATE TABLE facet_counts (run INTEGER, table_name TEXT, column_name TEXT, value, rows INTEGER)")
        db.execute("CREATE INDEX facet_counts_key ON facet_counts (run, table_name, column_name, rows)")
    db.execute(f"DELETE FROM facet_counts WHERE {in_runs([*runs, *removed])}")
    tables = set(db.table_names()) | set(db.view_names())
    for table in sorted(COUNTED_TABLES & tables):
        have = db[table].columns_dict
        columns = [c for c in FACETS.get(table, []) if c in have]
        if not columns or "run" not in have or not runs:
            continue
        listed = ", ".join(f"[{c}]" for c in columns)
        db.execute("DROP TABLE IF EXISTS temp.combinations")
        db.execute(f"CREATE TEMP TABLE combinations AS SELECT run, {listed}, count(*) AS n FROM [{table}] "
                   f"WHERE {in_runs(runs)} GROUP BY run, {listed}")
        for column in columns:
            db.execute(f"INSERT INTO facet_counts SELECT run, ?, ?, [{column}], sum(n) FROM temp.combinations "
                       f"GROUP BY run, [{column}]", [table, column])
        db.execute("DROP TABLE temp.combinations")


INDEXES = {
    "annual_results": [["run", "verdict"], ["run", "province", "city"], ["run", "unit"], ["run", "title"],
                       ["run", "city"], ["run", "unit_level"], ["practitioner"]],
    # (run) alone: a page of one run lists its rows in rowid order, which (run) gives without a sort
    "credit_awards": [["run"], ["run", "status"]],  # (run, practitioner) comes with the table
    "recognitions": [["run"]],
    "requirement_results": [["run"]],
    "cap_applications": [["run"]],
    "deadlines": [["run"], ["run", "due"]],
    "findings": [["run"], ["run", "practitioner"], ["run", "clause"]],
    "practitioners": [["unit"]],
}


def update_summaries(db: sqlite_utils.Database, update, watch=None) -> None:
    """The summaries for what the copy just took in (``update``: publish.Update): places for
    every build (a few thousand rows); the pages' indexes where missing; the result summary,
    clause costs and facet counts of the runs added (of every run, when a run table was copied
    whole); who changed status, for the years whose runs changed (a new baseline changes every
    what-if's comparison). The results' geography is written as they are copied
    (`result_places`). ``watch`` (publish.Stopwatch) times each step."""
    if "annual_results" not in db.table_names():
        return
    from .metadata import COUNTED_TABLES

    watch = watch or (lambda step: contextlib.nullcontext())
    whole = set(update.tables_copied)
    # a run table copied whole (new to the copy, or its definition changed) needs every run's summaries
    runs = list(update.runs) if whole & (COUNTED_TABLES | {"annual_results", "credit_awards", "cap_applications"}) \
        else list(update.runs_added)
    removed = list(update.runs_removed)
    with watch("places"):
        build_places(db)
    tables = set(db.table_names())
    with watch("indexes"):  # made once, after the rows; kept up as later runs are inserted
        for table, indexes in INDEXES.items():
            for columns in indexes:
                if table in tables and all(c in db[table].columns_dict for c in columns):
                    db[table].create_index(columns, if_not_exists=True)
    with watch("result_summary"):
        build_result_summary(db, runs, removed)
    with watch("clause_costs"):  # per unit, then per clause
        if build_unit_clause_costs(db, runs, removed):
            add_up_clause_costs(db, runs, removed)
        else:
            build_clause_costs(db, runs, removed)
    with watch("facet_counts"):
        build_facet_counts(db, runs, removed)
    with watch("run_changes"):
        build_run_changes(db, set(update.years_changed))
