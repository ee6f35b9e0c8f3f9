"""What the browse copy adds for the analysts' pages: places, summaries and indexes.

Computed once when the copy is built (publish.build_browse_copy), so that the dashboard, the
what-if page and the facets read a few thousand summary rows instead of a province's year:

- ``places``: every GB/T 2260 code a page may name (全国, the provinces, the listed cities and
  counties, the installed jurisdictions), with its level and parent; the copy's jurisdiction
  columns point here, so 440000 reads 广东省 even where no plugin covers it;
- ``annual_results.province / city / district``: where each result lies. The practitioner's own
  code is used as far as it goes; where it stops at the province (辽宁 codes everyone 210000),
  the unit's name says the rest (海城市中医院 -> 海城市 -> 鞍山市); a provincial hospital keeps
  no city (NULL, shown as 省直单位 / 市不详);
- ``result_summary``: per run, place, unit, unit level and title: how many 合格 / 不合格 /
  无法判定 and the credits short;
- ``clause_costs``: per run and clause, the credits it refused (what the certificate claimed)
  or capped (before minus after), with how many activities and people;
- ``run_changes``: every practitioner whose verdict differs between a run and the baseline of
  its year (the what-if page), with place and unit;
- indexes for the pages' filters.

This belongs, in the long run, to the run itself (annual.py writing city and district into
annual_results and the summaries with the results); here it is derived from what the run wrote.
"""

from __future__ import annotations

import sqlite_utils

from .. import result_texts
from ..plugins import province_names
from .places import place_of_unit, places

LEVELS = {"province": "省", "city": "市", "county": "县（区）"}


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def build_places(db: sqlite_utils.Database) -> dict[str, tuple[str, str, str]]:
    """The ``places`` table; returns code -> (name, level, parent)."""
    found: dict[str, tuple[str, str, str]] = {"000000": ("全国", "national", "")}
    for code, name in province_names().items():
        found[code] = (name, "province", "000000")
    for code, name, parent in places():
        found[code] = (name, level_of(code), parent)
    if db["jurisdictions"].exists():
        for code, name, parent in db.execute("SELECT code, name, parent FROM jurisdictions"):
            if code != "000000" and code not in found:
                found[code] = (name, level_of(code), parent or code[:2] + "0000")
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


def add_places_to_results(db: sqlite_utils.Database, known: dict) -> None:
    by_name_in: dict[str, dict[str, str]] = {}
    for code, (name, level, _parent) in known.items():
        if level != "province":
            by_name_in.setdefault(code[:2] + "0000", {})[name] = code
    # The places go on the stored rows (a database straight from a run reads annual_results
    # through a view of result_texts; the browse copy has made it a table again).
    stored = result_texts.stored_table("annual_results") if db[result_texts.stored_table("annual_results")].exists() \
        else "annual_results"
    added = False
    for column in ("province", "city", "district"):
        if column not in db[stored].columns_dict:
            db.execute(f"ALTER TABLE [{stored}] ADD COLUMN [{column}] TEXT")
            added = True
    if added and stored != "annual_results":
        result_texts.refresh_views(db.conn)
    pairs = db.execute("SELECT DISTINCT jurisdiction, unit FROM annual_results").fetchall()
    db.execute("CREATE TEMP TABLE located (jurisdiction TEXT, unit TEXT, province TEXT, city TEXT, district TEXT)")
    db.conn.executemany("INSERT INTO located VALUES (?, ?, ?, ?, ?)",
                        ((j, u, *locate(j, u, known, by_name_in)) for j, u in pairs))
    db.execute("CREATE INDEX temp.located_key ON located (jurisdiction, unit)")
    db.execute(f"""
        UPDATE [{stored}] SET (province, city, district) = (
            SELECT l.province, l.city, l.district FROM located l
            WHERE l.jurisdiction IS [{stored}].jurisdiction AND l.unit IS [{stored}].unit)""")
    db.execute("DROP TABLE temp.located")


def build_result_summary(db: sqlite_utils.Database) -> None:
    db.execute("DROP TABLE IF EXISTS result_summary")
    db.execute("""
        CREATE TABLE result_summary AS
        SELECT run, year, province, city, district, unit, unit_level, title,
               count(*) AS practitioners,
               sum(verdict = '合格') AS passed, sum(verdict = '不合格') AS failed,
               sum(verdict = '无法判定') AS undetermined,
               round(sum(CASE WHEN verdict = '不合格' THEN coalesce(shortfall, 0) ELSE 0 END), 1) AS shortfall
        FROM annual_results
        GROUP BY run, year, province, city, district, unit, unit_level, title""")
    db.execute("CREATE INDEX result_summary_run ON result_summary (run, province, city)")


def build_clause_costs(db: sqlite_utils.Database) -> None:
    """Refused credits count what the certificate claimed (``activities.certified_credits``);
    where an activity carries none, it is counted in ``unknown_credits`` rather than guessed.
    A refusal is charged to the last clause its award cites: the step that refused it."""
    db.execute("DROP TABLE IF EXISTS clause_costs")
    db.execute("""
        CREATE TABLE clause_costs (run INTEGER, clause TEXT, how TEXT, credits REAL, activities INTEGER,
                                   unknown_credits INTEGER, practitioners INTEGER)""")
    if not (db["credit_awards"].exists() and db["activities"].exists()):
        return
    claimed = "a.certified_credits" if "certified_credits" in db["activities"].columns_dict else "NULL"
    db.execute(f"""
        INSERT INTO clause_costs
        SELECT ca.run, json_extract(ca.clauses, '$[#-1]') AS clause, '不予授予',
               round(sum(coalesce({claimed}, 0)), 1), count(*), sum({claimed} IS NULL), count(DISTINCT ca.practitioner)
        FROM credit_awards ca LEFT JOIN activities a ON a.id = ca.activity
        WHERE ca.status = '不予授予' AND json_valid(ca.clauses) AND json_array_length(ca.clauses) > 0
        GROUP BY ca.run, clause""")
    db.execute("""
        INSERT INTO clause_costs
        SELECT run, clause, '年度上限削减', round(sum(before_credits - after_credits), 1),
               sum(json_array_length(activities)), 0, count(DISTINCT practitioner)
        FROM cap_applications GROUP BY run, clause""")


def build_run_changes(db: sqlite_utils.Database) -> None:
    """Each run against the latest baseline of its year: the practitioners whose verdict differs."""
    db.execute("DROP TABLE IF EXISTS run_changes")
    db.execute("""
        CREATE TABLE run_changes AS
        WITH base AS (SELECT year, max(id) AS id FROM runs WHERE status = 'complete' AND name = 'baseline' GROUP BY year)
        SELECT o.run AS other_run, b.run AS base_run, b.practitioner, b.province, b.city, b.district, b.unit,
               b.unit_level, b.title, b.verdict AS base_verdict, o.verdict AS other_verdict,
               b.verdict || '→' || o.verdict AS change, b.earned AS base_earned, o.earned AS other_earned,
               b.required AS base_required, o.required AS other_required
        FROM base JOIN runs r ON r.year = base.year AND r.id <> base.id AND r.status = 'complete'
        JOIN annual_results o ON o.run = r.id
        JOIN annual_results b ON b.run = base.id AND b.practitioner = o.practitioner
        WHERE b.verdict <> o.verdict""")
    db.execute("CREATE INDEX run_changes_run ON run_changes (other_run, city, unit)")


INDEXES = {
    "annual_results": [["run", "verdict"], ["run", "province", "city"], ["run", "unit"], ["run", "title"],
                       ["practitioner"]],
    "credit_awards": [["run", "status"]],  # (run, practitioner) comes with the table
    "deadlines": [["run", "due"]],
    "findings": [["run", "practitioner"], ["run", "clause"]],
    "practitioners": [["unit"]],
}


def build_summaries(db: sqlite_utils.Database) -> None:
    if not db["annual_results"].exists():
        return
    known = build_places(db)
    add_places_to_results(db, known)
    for table, indexes in INDEXES.items():
        for columns in indexes:
            if db[table].exists() and all(c in db[table].columns_dict for c in columns):
                db[table].create_index(columns, if_not_exists=True)
    build_result_summary(db)
    build_clause_costs(db)
    build_run_changes(db)
