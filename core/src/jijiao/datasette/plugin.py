"""The project's Datasette plugin (Datasette 0.65 pluggy hooks), registered by `jijiao serve`.

What it adds for analysts and policy staff:

- on the row page of a credit award, finding, deadline, recognition, requirement result or
  annual result: the explanation as numbered steps and the quoted text of every clause cited,
  each linked to its row in ``clauses`` (``extra_template_vars`` + templates/row.html);
- in tables: codes shown with their Chinese labels (县级, not county), a credit award's clause
  list as links, explanations as numbered steps (``render_cell``); Chinese column headers
  (templates/_table.html);
- /-/jijiao/search: search that works for one or two Chinese characters too (trigram full-text
  search needs three, so shorter queries use LIKE);
- /-/jijiao/charts: the three charts (SVG), /-/jijiao/charts.json: their data;
- /-/jijiao/deadlines.ics: the deadlines as a calendar a unit subscribes to;
- /-/jijiao/about: sources and licence notes;
- no download of the database file (``permission_allowed``), even though it is served immutable;
- CSV whose formula-like text cells are escaped (``asgi_wrapper``, csv_safety.py);
- every connection bounded: no value over `MAX_VALUE_BYTES` can be made by a query
  (``prepare_connection``: ``select length(randomblob(1e9))`` fails instead of allocating 1 GB).
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime, timezone
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from ..models import NATIONAL_CODE
from ..plugins import default_registry
from . import DATABASE, charts, csv_safety, ics
from .metadata import LICENSE_NOTE, code_columns
from .queries import RUN

MAX_VALUE_BYTES = 20_000_000
"""The largest string or blob a query may make (SQLITE_LIMIT_LENGTH); the browse copy's
largest values (an explanation, a raw import row) are a few kilobytes."""

STEP = re.compile(r"^\s*(\d+)[.、．]\s*")
EXPLAINED_TABLES = {"credit_awards", "findings", "deadlines", "recognitions", "requirement_results",
                    "cap_applications", "annual_results"}
CLAUSE_COLUMNS = ("clause", "clauses", "deemed_clause")
JSON_LISTS = {"caps_applied", "missing_layers", "missing_documents", "chain", "categories", "activities"}
QUERY_LINKS = {"人员编号": "practitioners", "项目编号": "projects", "依据条款": "clauses", "编号": None}


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def database_name(datasette) -> str:
    return (datasette.plugin_config("jijiao") or {}).get("database", DATABASE)


def row_url(datasette, table: str, key: str) -> str:
    return datasette.urls.row(database_name(datasette), table, tilde_encode(str(key)))


def clause_ids(value) -> list[str]:
    """A clause column's value as a list: one id, or a JSON list of ids."""
    if not value:
        return []
    if isinstance(value, str) and value.startswith("["):
        try:
            return [str(v) for v in json.loads(value) if v]
        except ValueError:
            return [value]
    return [str(value)]


def explanation_steps(text: str | None) -> list[str]:
    """The numbered steps of an explanation ("1. …\\n2. …"), without their numbers."""
    if not text:
        return []
    return [STEP.sub("", line) for line in str(text).splitlines() if line.strip()]


def link_clauses(datasette, text: str, ids: list[str]) -> Markup:
    """Escape ``text`` and link every clause id from ``ids`` that it mentions."""
    html = str(escape(text))
    for clause in sorted(set(ids), key=len, reverse=True):
        safe = str(escape(clause))
        html = html.replace(safe, f'<a href="{row_url(datasette, "clauses", clause)}">{safe}</a>')
    return Markup(html)


def steps_html(datasette, text: str, ids: list[str]) -> Markup:
    items = "".join(f"<li>{link_clauses(datasette, step, ids)}</li>" for step in explanation_steps(text))
    return Markup(f'<ol class="jijiao-steps">{items}</ol>')


_labels_cache: dict[int, dict] = {}


def labels(datasette) -> dict[tuple[str, str], str]:
    """(enum, code) -> Chinese label, read once from the served database's ``labels`` table."""
    key = id(datasette)
    if key not in _labels_cache:
        import sqlite3

        db = datasette.get_database(database_name(datasette))
        found: dict[tuple[str, str], str] = {}
        if db.path:
            try:
                with sqlite3.connect(f"file:{db.path}?mode=ro", uri=True) as conn:
                    found = {(e, c): z for e, c, z in conn.execute("SELECT enum, code, zh FROM labels")}
            except sqlite3.Error:
                pass
        _labels_cache[key] = found
    return _labels_cache[key]


@functools.cache
def _code_columns() -> dict:
    return code_columns(default_registry())


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or database != database_name(datasette):
        return None
    if table is None:
        return query_cell(value, column, datasette)
    if column == "practitioner" or (column == "subject" and "subject_kind" in row.keys() and row["subject_kind"] == "practitioner"):
        # Datasette hands an expanded foreign key as {"value": id, "label": name}
        key, name = (value.get("value"), value.get("label")) if isinstance(value, dict) else (value, None)
        run = row["run"] if "run" in row.keys() else (row["other_run"] if "other_run" in row.keys() else None)
        run = run.get("value") if isinstance(run, dict) else run
        shown = f"{escape(key)}" + (f" {escape(name)}" if name and name != key else "")
        return Markup(f'<a href="{person_url(datasette, key, run)}" title="年度结果（达标情况）">{shown}</a>')
    enum = _code_columns().get(table, {}).get(column)
    if enum and isinstance(value, str):
        label = labels(datasette).get((enum, value))
        # the label alone (县级, 有计划的自学); the code is a tooltip for whoever writes SQL
        return Markup(f'<span class="jijiao-code" title="{escape(value)}">{escape(label)}</span>') if label else None
    if column == "clauses" and table == "credit_awards":
        links = [f'<a href="{row_url(datasette, "clauses", c)}">{escape(c)}</a>' for c in clause_ids(value)]
        return Markup("<br>".join(links))
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and ISO_MOMENT.match(value):
        return Markup(f'<time datetime="{escape(value)}">{escape(chinese_time(value))}</time>')
    if column in JSON_LISTS and isinstance(value, str) and value.startswith("["):
        return json_list(value)
    if column == "explanation" and isinstance(value, str):
        return steps_html(datasette, value, clause_ids(row["clauses"]) if "clauses" in row.keys() else [])
    return None


def json_list(value: str):
    """A JSON list of names (文号, cap names, jurisdiction codes) as a plain Chinese list."""
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    return Markup("、".join(str(escape(item)) for item in items)) if items else Markup('<span class="empty">（无）</span>')


def query_cell(value, column, datasette):
    """In canned-query results (Chinese column names), link ids to their rows."""
    table = QUERY_LINKS.get(column)
    if column == "人员编号" and isinstance(value, str):
        return Markup(f'<a href="{person_url(datasette, value)}" title="年度结果（达标情况）">{escape(value)}</a>')
    if table and isinstance(value, str):
        return Markup(f'<a href="{row_url(datasette, table, value)}">{escape(value)}</a>')
    return None


# --------------------------------------------------------------------------------------------
# Row pages: the explanation and the quoted clauses
# --------------------------------------------------------------------------------------------


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if template == "query.html" and database == database_name(datasette) and request is not None:
        return query_vars(datasette, database, request)  # a canned query (view_name "table" in 0.65.5)
    if view_name == "table" and database == database_name(datasette) and request is not None:
        return table_vars(datasette, database, table, request)
    if view_name == "row" and table == "practitioners" and database == database_name(datasette):
        key = tilde_decode(request.url_vars.get("pks", "")) if request else ""
        return {"jijiao_person_url": person_url(datasette, key)}
    if view_name != "row" or table not in EXPLAINED_TABLES or database != database_name(datasette):
        return {}

    async def explained():
        db = datasette.get_database(database)
        row = await fetch_row(db, table, request.url_vars.get("pks", ""))
        if row is None:
            return {}
        return {"jijiao_explained": await explain_row(datasette, db, table, row)}

    return explained


def table_vars(datasette, database: str, table: str, request):
    """A table page's run (shown and switched by a dropdown) and the path its downloads export."""
    from .context import RUN_TABLES, complete_runs, find_run

    async def inner():
        from urllib.parse import parse_qsl

        args = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True) if k != "_next"]
        path = request.path + ("?" + urlencode(args) if args else "")
        found = {"jijiao_export_path": path, "jijiao_run": None}
        column = "other_run" if table == "run_changes" else "run"
        if table in RUN_TABLES or table == "run_changes":
            runs = await complete_runs(datasette.get_database(database))
            chosen = request.args.get(column) or request.args.get(f"{column}__exact") or ""
            found.update(jijiao_runs=runs, jijiao_run=find_run(runs, chosen) if chosen else None, jijiao_run_column=column,
                         jijiao_other_args=[(k, v) for k, v in args if k not in (column, f"{column}__exact")])
        return found

    return inner


def query_vars(datasette, database: str, request):
    """A canned query's parameters that name nothing that exists (a region, a unit, a run):
    said above the results, so that an empty result is never silent."""

    async def inner():
        db = datasette.get_database(database)
        unknown = []
        region = (request.args.get("jurisdiction") or "").strip()
        if region:
            found = (await db.execute("SELECT 1 FROM places WHERE code = :q OR name = :q UNION ALL "
                                      "SELECT 1 FROM jurisdictions WHERE code = :q OR name = :q LIMIT 1", {"q": region})).first()
            if not found:
                unknown.append(f"没有名为“{region}”的地区（可填 GB/T 2260 代码或名称，如 210600 或 丹东市）。")
        unit = (request.args.get("unit") or "").strip()
        if unit:
            found = (await db.execute("SELECT 1 FROM result_summary WHERE unit LIKE '%' || ? || '%' LIMIT 1", [unit])).first()
            if not found:
                unknown.append(f"没有名称含“{unit}”的单位。")
        for key in ("run", "base", "other"):
            name = (request.args.get(key) or "").strip()
            if name and not (await db.execute("SELECT 1 FROM runs WHERE name = ? OR CAST(id AS TEXT) = ?", [name, name])).first():
                runs = "、".join(r["name"] for r in (await db.execute("SELECT DISTINCT name FROM runs ORDER BY id DESC LIMIT 10")).rows)
                unknown.append(f"没有名为“{name}”的运行；现有运行：{runs}。")
        return {"jijiao_unknown": unknown}

    return inner


async def fetch_row(db, table: str, pks: str) -> dict | None:
    keys = [tilde_decode(part) for part in pks.split(",")]
    if table == "annual_results" and len(keys) == 2:
        result = await db.execute("SELECT * FROM annual_results WHERE run = ? AND practitioner = ?", keys)
    elif len(keys) == 1:
        result = await db.execute(f"SELECT * FROM [{table}] WHERE rowid = ?", keys)
    else:
        return None
    first = result.first()
    return dict(first) if first else None


async def quoted_clauses(datasette, db, ids: list[str]) -> list[dict]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    result = await db.execute(
        f"""SELECT c.id, c.text, c.summary, d.title, d.number FROM clauses c
            LEFT JOIN documents d ON d.id = c.document WHERE c.id IN ({marks})""",
        ids,
    )
    found = {r["id"]: dict(r) for r in result.rows}
    out = []
    for clause in dict.fromkeys(ids):
        entry = found.get(clause, {"id": clause, "text": None, "summary": None, "title": None, "number": None})
        entry["url"] = row_url(datasette, "clauses", clause)
        out.append(entry)
    return out


async def explain_row(datasette, db, table: str, row: dict) -> dict:
    ids: list[str] = []
    for column in CLAUSE_COLUMNS:
        ids += clause_ids(row.get(column))
    explained: dict = {"steps": [], "clauses": [], "requirements": [], "links": []}
    if row.get("explanation"):
        explained["steps"] = [link_clauses(datasette, s, ids) for s in explanation_steps(row["explanation"])]
    for column in ("message", "consequence", "reason"):
        if row.get(column):
            explained["steps"].append(link_clauses(datasette, row[column], ids))
    if table == "annual_results":
        explained["summary"] = verdict_sentence(row)
        result = await db.execute(
            "SELECT * FROM requirement_results WHERE run = ? AND practitioner = ? ORDER BY rowid",
            [row["run"], row["practitioner"]],
        )
        explained["requirements"] = [
            {**r, "clause_url": row_url(datasette, "clauses", r["clause"]) if r["clause"] else None}
            for r in map(dict, result.rows)
        ]
        ids += [r["clause"] for r in explained["requirements"] if r["clause"]]
        name = database_name(datasette)
        explained["links"].append(("达标页（一页看完本年度）", person_url(datasette, row["practitioner"], row["run"])))
        for other, title in (("credit_awards", "各项活动的学分授予"), ("findings", "问题"), ("cap_applications", "上限削减"),
                             ("recognitions", "学分认可")):
            column = "subject" if other == "findings" else "practitioner"
            explained["links"].append((title, f"{datasette.urls.table(name, other)}?run={row['run']}&{column}={row['practitioner']}"))
    explained["clauses"] = await quoted_clauses(datasette, db, ids)
    return explained


def verdict_sentence(row: dict) -> str:
    parts = [f"{row['year']} 年度结论：{row['verdict']}"]
    if row.get("required") is not None:
        parts.append(f"应修 {row['required']:g} 学分，已获 {(row.get('earned') or 0):g} 学分")
        if row.get("shortfall"):
            parts.append(f"差 {row['shortfall']:g} 学分")
    else:
        parts.append(f"已获 {(row.get('earned') or 0):g} 学分；应修学分取决于我们没有的文件")
    if row.get("deemed_complete"):
        parts.append(f"视为合格：{row['deemed_complete']}")
    return "，".join(parts) + "。"


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/jijiao/deadlines\.ics$", deadlines_ics),
        (r"^/-/jijiao/charts\.json$", charts_json),
        (r"^/-/jijiao/charts$", charts_page),
        (r"^/-/jijiao/search$", search_page),
        (r"^/-/jijiao/about$", about_page),
        (r"^/$", dashboard_page),
        (r"^/-/jijiao/dashboard$", dashboard_page),
        (r"^/-/jijiao/person/(?P<practitioner>[^/]+)$", person_page),
        (r"^/-/jijiao/whatif$", whatif_page),
        (r"^/-/jijiao/export\.(?P<format>xlsx|csv)$", export_page),
    ]


@hookimpl
def permission_allowed(actor, action, resource):
    # The browse copy is masked, but the file is still the analysts' working copy, not a
    # publication: nobody downloads it whole.
    if action == "view-database-download":
        return False
    return None


async def jurisdiction_and_ancestors(db, text: str) -> list[str]:
    """A jurisdiction given by code or name, with the levels above it: a unit in 长沙市 (430100)
    keeps 湖南省's (430000) and the national (000000) deadlines too. The levels follow from the
    GB/T 2260 code itself, so a city without a plugin of its own still gets its province's."""
    named = (await db.execute("SELECT code FROM jurisdictions WHERE code = ? OR name = ?", [text, text])).first()
    code = named["code"] if named else text
    if not (len(code) == 6 and code.isdigit()):
        return [code]
    return list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000", NATIONAL_CODE]))


async def deadlines_ics(request, datasette):
    db = datasette.get_database(database_name(datasette))
    jurisdiction = request.args.get("jurisdiction", "").strip()
    unit = request.args.get("unit", "").strip()
    sql = f"""SELECT d.rowid AS id, d.*, p.name AS project_name, p.host, j.name AS jurisdiction_name, c.text AS clause_text
              FROM deadlines d LEFT JOIN projects p ON p.id = d.project
              LEFT JOIN jurisdictions j ON j.code = d.jurisdiction LEFT JOIN clauses c ON c.id = d.clause
              WHERE d.run = {RUN} AND d.done_at IS NULL"""
    params: dict = {"run": request.args.get("run", "")}
    if jurisdiction:
        codes = await jurisdiction_and_ancestors(db, jurisdiction)
        sql += " AND d.jurisdiction IN (" + ", ".join(f":j{i}" for i in range(len(codes))) + ")"
        params.update({f"j{i}": code for i, code in enumerate(codes)})
    if unit:
        # A unit's own projects, and the calendar deadlines every unit of its jurisdiction keeps.
        sql += " AND (d.subject_kind = 'calendar' OR p.host LIKE '%' || :unit || '%')"
        params["unit"] = unit
    result = await db.execute(sql + " ORDER BY d.due", params)
    rows = []
    for r in result.rows:
        row = dict(r)
        row["url"] = row_url(datasette, "deadlines", str(row["id"]))
        rows.append(row)
    name = "继续医学教育截止事项" + "".join(f"·{x}" for x in (jurisdiction, unit) if x)
    base = f"{request.scheme}://{request.host}"
    body = ics.calendar(rows, name, datetime.now(timezone.utc), base_url=base)
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'inline; filename="deadlines.ics"'})


async def charts_data(datasette, run: int | None) -> dict:
    db = datasette.get_database(database_name(datasette))
    return {
        "credits_distribution": await charts.credits_distribution_data(db, run),
        "pass_rate_by_unit_level": await charts.pass_rate_by_level_data(db, run),
        "findings_by_clause": await charts.findings_by_clause_data(db, run),
    }


async def charts_json(request, datasette):
    from .context import resolve

    view = await resolve(datasette.get_database(database_name(datasette)), request.args)
    if view.problems:
        return Response.json({"ok": False, "error": " ".join(view.problems)}, status=404)
    return Response.json({"run": view.run_id, **await charts_data(datasette, view.run_id)})


async def charts_page(request, datasette):
    async def build(db, view):
        data = await charts_data(datasette, view.run_id)
        return {"svgs": {
            "histograms": [Markup(charts.credits_histogram(e)) for e in data["credits_distribution"]],
            "pass_rate": Markup(charts.pass_rate_bars(data["pass_rate_by_unit_level"])),
            "findings": Markup(charts.findings_bars(data["findings_by_clause"])),
        }}

    return await view_page(request, datasette, "jijiao_charts.html", build)


SEARCH_PAGE = 50


async def search_hits(datasette, db, q: str, run: int | None, limit: int = SEARCH_PAGE) -> list[dict]:
    """One box for people and units (and projects, clauses): per kind, the total and the first
    ``limit`` hits. People match on their name only (a unit's name finds the unit, not its
    staff), shown with unit, title and year so namesakes can be told apart. Three characters or
    more use the trigram index; one or two (张伟) use LIKE, which the index cannot answer."""
    from ..publish import fts_table

    name = database_name(datasette)
    phrase = '"' + q.replace('"', '""') + '"'
    trigram = len(q) >= 3

    def matching(table: str, columns: list[str]) -> tuple[str, dict]:
        if trigram:
            spec = "{" + " ".join(columns) + "} : " + phrase if len(columns) > 1 else f"{columns[0]} : {phrase}"
            return f"t.rowid IN (SELECT rowid FROM [{fts_table(table)}] WHERE [{fts_table(table)}] MATCH :m)", {"m": spec}
        return "(" + " OR ".join(f"t.[{c}] LIKE '%' || :q || '%'" for c in columns) + ")", {"q": q}

    groups = []
    # people, with this run's result when there is one
    where, params = matching("practitioners", ["name"])
    total = (await db.execute(f"SELECT count(*) FROM practitioners t WHERE {where}", params)).first()[0]
    rows = (await db.execute(
        f"""SELECT t.id, t.name, t.unit, t.title, a.year, a.verdict,
                   (SELECT zh FROM labels WHERE enum = 'Title' AND code = t.title) AS title_zh
            FROM practitioners t LEFT JOIN annual_results a ON a.practitioner = t.id AND a.run = :run
            WHERE {where} ORDER BY t.name, t.unit, t.id LIMIT {limit}""", {**params, "run": run})).rows
    groups.append({"kind": "人员", "total": total, "rest_url": datasette.urls.table(name, "practitioners") + "?" + urlencode(
        {"name__contains": q}) if not trigram else datasette.urls.table(name, "practitioners") + "?" + urlencode({"name__contains": q}),
        "hits": [{"kind": "人员", "table": "practitioners", "title": r["name"],
                  "detail": " · ".join(str(x) for x in (r["unit"], r["title_zh"] or r["title"], f"{r['year']} 年度：{r['verdict']}" if r["year"] else None) if x),
                  "url": person_url(datasette, r["id"], run), "id": r["id"]} for r in rows]})
    # units, with their people in this run
    total = (await db.execute("SELECT count(DISTINCT unit) FROM result_summary WHERE run = :run AND unit LIKE '%' || :q || '%'",
                              {"run": run, "q": q})).first()[0]
    rows = (await db.execute(
        f"""SELECT unit, max(unit_level) AS level, sum(practitioners) AS n, sum(passed) AS passed, sum(failed) AS failed,
                   sum(undetermined) AS undetermined, max(year) AS year
            FROM result_summary WHERE run = :run AND unit LIKE '%' || :q || '%' GROUP BY unit ORDER BY unit LIMIT {limit}""",
        {"run": run, "q": q})).rows
    groups.append({"kind": "单位", "total": total, "rest_url": datasette.urls.table(name, "result_summary") + "?" + urlencode(
        {"run": run, "unit__contains": q}),
        "hits": [{"kind": "单位", "table": None, "title": r["unit"],
                  "detail": f"{r['level'] or ''} · {r['year']} 年度 {r['n']} 人：合格 {r['passed']}，不合格 {r['failed']}，无法判定 {r['undetermined']}",
                  "url": datasette.urls.path("/") + "?" + urlencode({"run": run, "unit": r["unit"]})} for r in rows]})
    for table, kind, title, detail, columns in (
            ("projects", "项目", "t.name", "t.host", ["name", "host"]),
            ("clauses", "条款", "coalesce(nullif(t.summary, ''), t.id)", "t.text", ["id", "text", "summary"])):
        where, params = matching(table, columns)
        total = (await db.execute(f"SELECT count(*) FROM [{table}] t WHERE {where}", params)).first()[0]
        rows = (await db.execute(f"SELECT t.id AS key, {title} AS title, {detail} AS detail FROM [{table}] t WHERE {where} LIMIT {limit}",
                                 params)).rows
        groups.append({"kind": kind, "total": total,
                       "rest_url": datasette.urls.table(name, table) + "?" + urlencode({f"{columns[0] if table == 'projects' else 'text'}__contains": q}),
                       "hits": [{"kind": kind, "table": table, "title": r["title"], "detail": r["detail"],
                                 "url": row_url(datasette, table, str(r["key"]))} for r in rows]})
    return groups


async def search_page(request, datasette):
    from .context import complete_runs, default_run, find_run

    q = request.args.get("q", "").strip()
    name = database_name(datasette)
    db = datasette.get_database(name)
    runs = await complete_runs(db)
    run = find_run(runs, request.args.get("run", "")) if request.args.get("run") else default_run(runs)
    groups = await search_hits(datasette, db, q, run["id"] if run else None) if q else []
    hits = [hit for group in groups for hit in group["hits"]]
    for hit in hits:
        detail = str(hit["detail"] or "")
        hit["detail"] = detail if len(detail) <= 120 else detail[:119] + "…"
    if request.args.get("_format") == "json":
        return Response.json({"q": q, "method": "fts5-trigram" if len(q) >= 3 else "like", "hits": hits,
                              "totals": {g["kind"]: g["total"] for g in groups}})
    return Response.html(await datasette.render_template(
        "jijiao_search.html", {"q": q, "groups": groups, "run": run, "page": SEARCH_PAGE, "short": 0 < len(q) < 3,
                               "database": name}, request=request))


async def about_page(request, datasette):
    return Response.html(await datasette.render_template(
        "jijiao_about.html", {"note": LICENSE_NOTE, "database": database_name(datasette)}, request=request))


# --------------------------------------------------------------------------------------------
# The analysts' pages: one run at a time (context.py), the dashboard, the 达标 page, what-if
# --------------------------------------------------------------------------------------------


def person_url(datasette, practitioner: str, run: int | None = None) -> str:
    url = datasette.urls.path(f"/-/jijiao/person/{tilde_encode(str(practitioner))}")
    return url + (f"?run={run}" if run else "")


async def view_page(request, datasette, template: str, build) -> Response:
    """Resolve the view (run, region, unit); render ``template`` with what ``build`` returns, or
    with the view's problems (a Chinese message, status 404) when the request names something
    that does not exist."""
    from .context import choices, resolve

    name = database_name(datasette)
    db = datasette.get_database(name)
    view = await resolve(db, request.args)
    context = {"view": view, "database": name, "choices": await choices(db, view) if view.run else {}}
    status = 200
    if view.problems:
        status = 404
    else:
        data = await build(db, view)
        if data is None or view.problems:
            status = 404
        if data:
            context.update(data)
    return Response.html(await datasette.render_template(template, context, request=request), status=status)


async def dashboard_page(request, datasette):
    from datetime import date as date_type

    from .dashboard import dashboard_data

    today = None
    if request.args.get("today"):
        try:
            today = date_type.fromisoformat(request.args["today"])
        except ValueError:
            today = None
    name = database_name(datasette)

    async def build(db, view):
        page = request.args.get("page", "1")
        data = await dashboard_data(datasette, db, name, view, today, all_units=request.args.get("units") == "all",
                                    page=int(page) if page.isdigit() else 1)
        return {"data": data, "show_all_units": request.args.get("units") == "all"}

    return await view_page(request, datasette, "jijiao_dashboard.html", build)


async def person_page(request, datasette):
    from .person import person_data

    name = database_name(datasette)
    practitioner = tilde_decode(request.url_vars["practitioner"])

    def url(table, key):
        return row_url(datasette, table, key)

    def steps(text, ids):
        return [link_clauses(datasette, s, ids) for s in explanation_steps(text)]

    async def build(db, view):
        data = await person_data(datasette, db, name, view, practitioner, url, steps)
        if data["result"] is None:
            who = data["person"]["name"] if data["person"] else practitioner
            view.problems.append(f"{who}（{practitioner}）在{view.run['label']}中没有年度结果。"
                                 if data["person"] else f"没有编号为“{practitioner}”的人员。")
            return {}
        return {"p": data}

    return await view_page(request, datasette, "jijiao_person.html", build)


async def whatif_page(request, datasette):
    """Who changes status under a what-if run, counted by city and unit, against the baseline."""
    from .context import LEVEL_COLUMN
    from .dashboard import NO_CITY, table_url

    name = database_name(datasette)

    async def build(db, view):
        what_ifs = [r for r in view.runs if r["name"] != "baseline"]
        if view.run["name"] == "baseline":
            if not what_ifs:
                return {"what_ifs": [], "changes": None}
            same_year = [r for r in what_ifs if r["year"] == view.run["year"]] or what_ifs
            view.run = same_year[0]
        where, params = view.where()
        where = where.replace("run = :run", "other_run = :run")
        totals = [dict(r) for r in (await db.execute(
            f"SELECT change, count(*) AS n FROM run_changes WHERE {where} GROUP BY change ORDER BY n DESC", params)).rows]
        by_city = [dict(r) for r in (await db.execute(
            f"""SELECT city, coalesce((SELECT name FROM places WHERE code = city), '{NO_CITY}') AS name, count(*) AS n,
                       sum(base_verdict <> '合格' AND other_verdict = '合格') AS now_passed,
                       sum(base_verdict = '合格' AND other_verdict <> '合格') AS now_failed
                FROM run_changes WHERE {where} GROUP BY city ORDER BY n DESC""", params)).rows]
        by_unit = [dict(r) for r in (await db.execute(
            f"""SELECT unit, count(*) AS n, sum(base_verdict <> '合格' AND other_verdict = '合格') AS now_passed,
                       sum(base_verdict = '合格' AND other_verdict <> '合格') AS now_failed
                FROM run_changes WHERE {where} GROUP BY unit ORDER BY n DESC, unit LIMIT 50""", params)).rows]
        people = [dict(r) for r in (await db.execute(
            f"""SELECT c.*, p.name FROM run_changes c LEFT JOIN practitioners p ON p.id = c.practitioner
                WHERE {where.replace('other_run', 'c.other_run')} ORDER BY change, city, unit, practitioner LIMIT 200""",
            params)).rows]
        count = sum(t["n"] for t in totals)
        for person in people:
            person["url"] = person_url(datasette, person["practitioner"], view.run_id)
            person["base_url"] = person_url(datasette, person["practitioner"], person["base_run"])
        for row in by_city:
            row["url"] = "?" + view.query(region=row["city"]) if row["city"] else None
        for row in by_unit:
            row["url"] = "?" + view.query(unit=row["unit"])
        filters = {"other_run": view.run_id}
        if view.region:
            filters[LEVEL_COLUMN[view.region["level"]]] = view.region["code"]
        if view.unit:
            filters["unit"] = view.unit
        export = table_url(datasette, name, "run_changes", filters)
        return {"what_ifs": what_ifs, "changes": {"count": count, "totals": totals, "by_city": by_city,
                                                   "by_unit": by_unit, "people": people}, "export_url": export}

    return await view_page(request, datasette, "jijiao_whatif.html", build)


async def export_page(request, datasette):
    """/-/jijiao/export.xlsx?path=/jijiao/annual_results?run=1&unit=… : every row, for Excel."""
    import os
    from urllib.parse import quote

    from . import exports

    name = database_name(datasette)
    path = request.args.get("path", "")
    try:
        target = await exports.target_of(datasette, name, path, labels(datasette), _code_columns())
    except ValueError as error:
        return Response.html(await datasette.render_template(
            "jijiao_message.html", {"title": "无法导出", "message": str(error), "database": name}, request=request), status=400)
    write = exports.write_xlsx if request.url_vars["format"] == "xlsx" else exports.write_csv
    db = datasette.get_database(name)
    try:
        file, rows = await db.execute_fn(lambda conn: write(conn, target, labels(datasette)))
    except Exception as error:  # a bad SQL text from ?sql=: say so, in one line
        return Response.html(await datasette.render_template(
            "jijiao_message.html", {"title": "无法导出", "message": f"查询出错：{error}", "database": name},
            request=request), status=400)
    try:
        with open(file, "rb") as handle:
            body = handle.read()
    finally:
        os.unlink(file)
    extension = request.url_vars["format"]
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if extension == "xlsx"
                    else "text/csv; charset=utf-8")
    download = exports.filename(target.title, extension)
    return Response(body, content_type=content_type, headers={
        "content-disposition": f"attachment; filename=\"export.{extension}\"; filename*=UTF-8''{quote(download)}",
        "x-jijiao-rows": str(rows),
    })


# --------------------------------------------------------------------------------------------
# Table pages: one run, known regions and units
# --------------------------------------------------------------------------------------------

TABLE_PAGE = re.compile(r"^/(?P<database>[^/]+)/(?P<table>[^/.]+)$")


async def table_guard(datasette, path: str, query: str) -> Response | None:
    """For a table page of one run's rows: no run chosen -> redirect to the default run (facets
    never add two runs together); an unknown run, region or unit -> a Chinese message, not an
    empty table; a place given by name (jurisdiction=丹东市) -> the code it means."""
    from urllib.parse import parse_qsl

    from .context import LEVEL_COLUMN, RUN_TABLES, complete_runs, default_run, find_region, find_run

    match = TABLE_PAGE.match(path)
    name = database_name(datasette)
    if not match or match["database"] != name:
        return None
    table = tilde_decode(match["table"])
    from urllib.parse import parse_qs

    from ..publish import FTS_COLUMNS

    search = (parse_qs(query).get("_search") or [""])[0].strip()
    if table in FTS_COLUMNS and 0 < len(search) < 3:
        # the trigram index finds nothing under three characters (张伟): the search page can
        return Response.redirect(datasette.urls.path("/-/jijiao/search") + "?" + urlencode({"q": search}))
    run_column = "other_run" if table == "run_changes" else "run"
    if table not in RUN_TABLES and table != "run_changes":
        return None
    db = datasette.get_database(name)
    args = parse_qsl(query, keep_blank_values=True)
    keys = {k for k, _v in args}
    runs = await complete_runs(db)
    problems, changed = [], False
    if not keys & {run_column, f"{run_column}__exact"}:
        run = default_run(runs)
        if run:
            args.insert(0, (run_column, str(run["id"])))
            changed = True
    new_args = []
    for key, value in args:
        if key in (run_column, f"{run_column}__exact") and value:
            run = find_run(runs, value)
            if run is None:
                problems.append(f"没有编号或名称为“{value}”的运行。现有运行：" +
                                "；".join(f"{r['id']}：{r['label']}" for r in runs[:10]))
            elif str(run["id"]) != value:
                value, changed = str(run["id"]), True
        elif key == "jurisdiction" and value and not value.isdigit():
            found = await find_region(db, value)
            if found is None:
                problems.append(f"没有名为“{value}”的地区（可填 GB/T 2260 代码或名称）。")
            elif table == "annual_results":
                key, value, changed = LEVEL_COLUMN[found["level"]], found["code"], True
            else:
                value, changed = found["code"], True
        elif key in ("city", "province", "district") and value and table in ("annual_results", "run_changes"):
            found = await find_region(db, value)
            if found is None:
                problems.append(f"没有名为“{value}”的地区（可填 GB/T 2260 代码或名称）。")
            elif found["code"] != value:
                key, value, changed = LEVEL_COLUMN[found["level"]], found["code"], True
        elif key == "unit" and value and table in ("annual_results", "run_changes"):
            exists = (await db.execute(f"SELECT 1 FROM [{table}] WHERE unit = ? LIMIT 1", [value])).first()
            if not exists:
                problems.append(f"没有名为“{value}”的单位（单位名称须完整；可在首页的下拉列表中选择）。")
        new_args.append((key, value))
    if problems:
        html = await datasette.render_template("jijiao_message.html", {
            "title": "找不到要显示的数据", "message": " ".join(problems), "database": name})
        return Response.html(html, status=404)
    if changed:
        return Response.redirect(path + "?" + urlencode(new_args))
    return None


@hookimpl
def asgi_wrapper(datasette):
    """One run per table page (`table_guard`), and CSV downloads whose text cells never open as
    formulas (`csv_safety`)."""

    def wrap(app):
        async def one_run(scope, receive, send):
            if scope["type"] == "http" and scope.get("method", "GET") == "GET":
                path = scope.get("path", "")
                if TABLE_PAGE.match(path):
                    await datasette.invoke_startup()  # idempotent; Datasette's own app does it after us
                    response = await table_guard(datasette, path, scope.get("query_string", b"").decode("utf-8", "replace"))
                    if response is not None:
                        await response.asgi_send(send)
                        return
            await app(scope, receive, send)

        return csv_safety.escaping_csv(one_run)

    return wrap


# --------------------------------------------------------------------------------------------
# Dates as an office writes them
# --------------------------------------------------------------------------------------------

from .exports import DATETIME as ISO_MOMENT  # one pattern for what counts as a date or time


def chinese_time(value) -> str:
    """``2026-12-10T23:59:00+08:00`` -> ``2026年12月10日 23:59`` (Beijing time, as stored);
    ``2026-07-02`` -> ``2026年7月2日``; anything else unchanged."""
    if not isinstance(value, str):
        return "" if value is None else str(value)
    m = ISO_MOMENT.match(value.strip())
    if not m:
        return value
    y, mo, d, h, mi, _s = m.groups()
    text = f"{int(y)}年{int(mo)}月{int(d)}日"
    return f"{text} {h}:{mi}" if h is not None else text


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["jijiao_time"] = chinese_time
    env.filters["tilde_encode"] = lambda value: tilde_encode(str(value))

    def facet_label(value, table, column):
        """A facet value shown as its Chinese label (县级, not county; 有计划的自学, not ln.self_study)."""
        text = "" if value is None else str(value)
        enum = _code_columns().get(table, {}).get(column)
        if enum:
            return labels(datasette).get((enum, text), text)
        return text

    env.filters["jijiao_facet_label"] = facet_label


@hookimpl
def register_facet_classes():
    from .facets import CountedFacet

    return [CountedFacet]


@hookimpl
def prepare_connection(conn, database, datasette):
    import sqlite3

    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
