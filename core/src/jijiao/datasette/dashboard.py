"""The landing dashboard: the CME office's everyday questions for one run, from the summaries
the browse copy carries (summaries.py), so that a province's year answers in well under a second.

Pass rates are over the *determined* practitioners (合格 + 不合格); 无法判定 (the requirement
depends on a document we lack) is shown beside the rate, never counted as a failure, and a
group with no determined practitioner has no rate and is left out of the "worst" ranking.
Every figure carries the URL of the rows behind it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from ..models import CHINA_TZ
from .context import LEVEL_COLUMN, View

WORST_UNITS = 10
UNITS_PAGE = 500
"""Units per page of the full list (?units=all&page=2): a province has thousands."""
RANKED_AT_LEAST = 5
"""A unit enters the "worst" list with at least this many determined people: one person short
makes a 0 % unit, which says nothing about the unit. The full list (units=all) has them all."""
TOP_CLAUSES = 10
DEADLINE_DAYS = 30
NO_CITY = "省直单位 / 市不详"


def rate(passed: int, failed: int) -> float | None:
    determined = (passed or 0) + (failed or 0)
    return round(100.0 * (passed or 0) / determined, 1) if determined else None


def table_url(datasette, database: str, table: str, filters: dict) -> str:
    return datasette.urls.table(database, table) + "?" + urlencode({k: v for k, v in filters.items() if v is not None})


def grouped(rows, key) -> list[dict]:
    out = []
    for r in rows:
        row = dict(r)
        row["rate"] = rate(row["passed"], row["failed"])
        out.append(row)
    # worst first: lowest rate; no rate (only 无法判定) last; then more failures first
    out.sort(key=lambda r: (r["rate"] is None, r["rate"] if r["rate"] is not None else 0, -(r["failed"] or 0), str(r[key])))
    return out


async def summary_rows(db, view: View, group: str, label: str) -> list[dict]:
    where, params = view.where()
    result = await db.execute(
        f"""SELECT {group} AS key, {label} AS name, sum(practitioners) AS practitioners, sum(passed) AS passed,
                   sum(failed) AS failed, sum(undetermined) AS undetermined, round(sum(shortfall), 1) AS shortfall
            FROM result_summary s WHERE {where} GROUP BY {group}""", params)
    return grouped(result.rows, "key")


def place_level_below(view: View) -> str:
    """Which level the geography table counts by: cities, or the districts of the chosen city."""
    if view.region and view.region["level"] in ("city", "county"):
        return "county"
    return "city"


async def dashboard_data(datasette, db, database: str, view: View, today: date | None = None,
                         all_units: bool = False, page: int = 1) -> dict:
    base = view.table_filters()
    level = place_level_below(view)
    column = LEVEL_COLUMN[level]
    places = await summary_rows(
        db, view, f"s.{column}",
        f"coalesce((SELECT name FROM places WHERE code = s.{column}), '{NO_CITY if level == 'city' else '（县区不详）'}')")
    for row in places:
        filters = {**base, column: row["key"]} if row["key"] else {**base, f"{column}__isnull": 1}
        row["url"] = table_url(datasette, database, "annual_results", filters)
        row["failed_url"] = table_url(datasette, database, "annual_results", {**filters, "verdict": "不合格"})
        row["undetermined_url"] = table_url(datasette, database, "annual_results", {**filters, "verdict": "无法判定"})
        row["dashboard_url"] = "?" + view.query(region=row["key"]) if row["key"] else None
    units = await summary_rows(db, view, "s.unit", "s.unit")
    ranked = [u for u in units if u["rate"] is not None]
    only_undetermined = [u for u in units if u["rate"] is None]
    worst = [u for u in ranked if (u["passed"] or 0) + (u["failed"] or 0) >= RANKED_AT_LEAST]
    pages = max(1, -(-len(ranked) // UNITS_PAGE))
    page = min(max(page, 1), pages)
    shown = ranked[(page - 1) * UNITS_PAGE: page * UNITS_PAGE] if all_units else worst[:WORST_UNITS]
    # links only for the units shown: a province has thousands, and their URLs cost more than the SQL
    for row in shown + (only_undetermined[:100] if all_units else []):
        filters = {**base, "unit": row["key"]}
        row["url"] = table_url(datasette, database, "annual_results", filters)
        row["failed_url"] = table_url(datasette, database, "annual_results", {**filters, "verdict": "不合格"})
        row["undetermined_url"] = table_url(datasette, database, "annual_results", {**filters, "verdict": "无法判定"})
        row["dashboard_url"] = "?" + view.query(unit=row["key"])
    titles = await summary_rows(db, view, "s.title", "coalesce(s.title, '（未填）')")
    levels = await summary_rows(db, view, "s.unit_level", "coalesce(s.unit_level, '（未填）')")
    for rows, col in ((titles, "title"), (levels, "unit_level")):
        for row in rows:
            filters = {**base, col: row["key"]} if row["key"] else {**base, f"{col}__isnull": 1}
            row["url"] = table_url(datasette, database, "annual_results", filters)
            row["failed_url"] = table_url(datasette, database, "annual_results", {**filters, "verdict": "不合格"})
            row["undetermined_url"] = table_url(datasette, database, "annual_results", {**filters, "verdict": "无法判定"})
    total = {k: sum((r[k] or 0) for r in units) for k in ("practitioners", "passed", "failed", "undetermined")}
    total["rate"] = rate(total["passed"], total["failed"])
    total["url"] = table_url(datasette, database, "annual_results", base)
    for verdict, key in (("合格", "passed_url"), ("不合格", "failed_url"), ("无法判定", "undetermined_url")):
        total[key] = table_url(datasette, database, "annual_results", {**base, "verdict": verdict})
    return {
        "total": total,
        "level": level,
        "places": places,
        "worst_units": worst[:WORST_UNITS],
        "ranked_at_least": RANKED_AT_LEAST,
        "units_shown": shown,
        "units_ranked_count": len(ranked),
        "units_page": {"page": page, "pages": pages, "first": (page - 1) * UNITS_PAGE + 1,
                       "last": (page - 1) * UNITS_PAGE + len(shown) if all_units else len(shown)},
        "only_undetermined": only_undetermined,
        "titles": titles,
        "levels": levels,
        "clauses": await clause_costs(datasette, db, database, view),
        "deadlines": await deadlines_soon(datasette, db, database, view, today),
    }


async def clause_costs(datasette, db, database: str, view: View) -> list[dict]:
    """The clauses that cost practitioners the most credits in this run (refused or capped).
    A region or unit sums its units' rows of ``unit_clause_costs`` (summaries.py); a copy
    without that table counts the region's awards."""
    if (view.region or view.unit) and await db.table_exists("unit_clause_costs"):
        where, params = view.where()
        result = await db.execute(
            f"""SELECT clause, how, round(sum(credits), 1) AS credits, sum(activities) AS activities,
                       sum(unknown_credits) AS unknown_credits, sum(practitioners) AS practitioners
                FROM unit_clause_costs WHERE {where}
                GROUP BY clause, how ORDER BY credits DESC LIMIT {TOP_CLAUSES}""", params)
    elif view.region or view.unit:
        where, params = view.where("a")
        result = await db.execute(
            f"""SELECT clause, how, round(sum(credits), 1) AS credits, sum(activities) AS activities,
                       sum(unknown) AS unknown_credits, count(DISTINCT practitioner) AS practitioners FROM (
                  SELECT json_extract(ca.clauses, '$[#-1]') AS clause, '不予授予' AS how, coalesce(act.certified_credits, 0) AS credits,
                         1 AS activities, act.certified_credits IS NULL AS unknown, ca.practitioner
                  FROM credit_awards ca JOIN annual_results a ON a.run = ca.run AND a.practitioner = ca.practitioner
                  LEFT JOIN activities act ON act.id = ca.activity
                  WHERE {where} AND ca.status = '不予授予' AND json_valid(ca.clauses) AND json_array_length(ca.clauses) > 0
                  UNION ALL
                  SELECT c.clause, '上限削减', c.before_credits - c.after_credits, json_array_length(c.activities), 0, c.practitioner
                  FROM cap_applications c JOIN annual_results a ON a.run = c.run AND a.practitioner = c.practitioner
                  WHERE {where})
                GROUP BY clause, how ORDER BY credits DESC LIMIT {TOP_CLAUSES}""", params)
    else:
        result = await db.execute(
            f"""SELECT clause, how, credits, activities, unknown_credits, practitioners FROM clause_costs
                WHERE run = :run ORDER BY credits DESC LIMIT {TOP_CLAUSES}""", {"run": view.run_id})
    rows = [dict(r) for r in result.rows]
    ids = [r["clause"] for r in rows if r["clause"]]
    summaries = {}
    if ids:
        marks = ", ".join("?" for _ in ids)
        found = await db.execute(f"SELECT id, summary FROM clauses WHERE id IN ({marks})", ids)
        summaries = {r["id"]: r["summary"] for r in found.rows}
    people = {}
    if view.region or view.unit:
        # the rows behind a region's figure: its people's awards (Datasette's _where filter)
        where, params = view.where()
        for key, value in params.items():
            where = where.replace(f":{key}", str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'")
        people = {"_where": f"practitioner IN (SELECT practitioner FROM annual_results WHERE {where})"}
    for row in rows:
        row["summary"] = summaries.get(row["clause"]) or ""
        row["clause_url"] = datasette.urls.row(database, "clauses", tilde(row["clause"]))
        if row["how"] == "不予授予":
            row["url"] = table_url(datasette, database, "credit_awards", {
                "run": view.run_id, "status": "不予授予", "clauses__contains": f'"{row["clause"]}"', **people})
        else:
            row["url"] = table_url(datasette, database, "cap_applications",
                                   {"run": view.run_id, "clause": row["clause"], **people})
    return rows


def tilde(value: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(value)


def beijing_today() -> date:
    return datetime.now(CHINA_TZ).date()


async def deadlines_soon(datasette, db, database: str, view: View, today: date | None) -> dict:
    today = today or beijing_today()
    until = today + timedelta(days=DEADLINE_DAYS)
    conditions, params = ["d.run = :run", "d.done_at IS NULL", "substr(d.due, 1, 10) BETWEEN :today AND :until"], {
        "run": view.run_id, "today": today.isoformat(), "until": until.isoformat()}
    if view.region:
        # deadlines belong to the level that sets them: a city's include its province's and the nation's
        code = view.region["code"]
        codes = list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000", "000000"]))
        conditions.append("d.jurisdiction IN (" + ", ".join(f":j{i}" for i in range(len(codes))) + ")")
        params.update({f"j{i}": c for i, c in enumerate(codes)})
    if view.unit:
        conditions.append("(d.subject_kind = 'calendar' OR pr.host = :unit)")
        params["unit"] = view.unit
    where = " AND ".join(conditions)
    count = (await db.execute(
        f"SELECT count(*) FROM deadlines d LEFT JOIN projects pr ON pr.id = d.project WHERE {where}", params)).first()[0]
    result = await db.execute(
        f"""SELECT d.rowid AS id, d.due, d.what, d.who, d.project, pr.name AS project_name, pr.host, d.state, d.clause
            FROM deadlines d LEFT JOIN projects pr ON pr.id = d.project WHERE {where} ORDER BY d.due, d.project LIMIT 10""",
        params)
    rows = [dict(r) for r in result.rows]
    for row in rows:
        row["url"] = datasette.urls.row(database, "deadlines", str(row["id"]))
    filters = {"run": view.run_id, "done_at__isnull": 1, "due__gte": today.isoformat(),
               "due__lt": (until + timedelta(days=1)).isoformat(), "_sort": "due"}
    if view.region:
        filters["jurisdiction__in"] = ",".join(params[f"j{i}"] for i in range(len(codes)))
    if view.unit:
        escaped = view.unit.replace("'", "''")
        filters["_where"] = f"subject_kind = 'calendar' OR project IN (SELECT id FROM projects WHERE host = '{escaped}')"
    return {"count": count, "rows": rows, "today": today, "until": until,
            "url": table_url(datasette, database, "deadlines", filters)}
