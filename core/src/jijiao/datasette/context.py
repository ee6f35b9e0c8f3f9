"""One run at a time: which run, region and unit a page shows, read from its query string.

Every analyst page (dashboard, 达标 page, what-if, exports) and every table page with a ``run``
column shows exactly one run: the one asked for (``?run=<id or name>``), else the latest
baseline of the latest year. A run, region or unit that does not exist is a Chinese message
naming what was asked and what there is, never a page of zero rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

import attrs

LEVEL_COLUMN = {"province": "province", "city": "city", "county": "district"}
"""The annual_results / result_summary / run_changes column holding a place of each level."""

RUN_TABLES = {"annual_results", "credit_awards", "requirement_results", "cap_applications", "findings",
              "deadlines", "recognitions", "run_parameters", "run_reads", "result_summary", "clause_costs"}
"""Tables whose rows belong to one run (column ``run``): their pages always show one."""


@attrs.define
class View:
    """What a page shows: the runs to choose from, the chosen run, region and unit."""

    runs: list[dict]
    run: dict | None = None
    region: dict | None = None  # code, name, level
    unit: str = ""
    problems: list[str] = attrs.Factory(list)

    @property
    def run_id(self) -> int | None:
        return self.run["id"] if self.run else None

    def where(self, alias: str = "") -> tuple[str, dict]:
        """SQL conditions (and parameters) for this run, region and unit on a table with
        ``run``, ``province``/``city``/``district`` and ``unit`` columns."""
        prefix = f"{alias}." if alias else ""
        parts, params = [f"{prefix}run = :run"], {"run": self.run_id}
        if self.region:
            parts.append(f"{prefix}{LEVEL_COLUMN[self.region['level']]} = :region")
            params["region"] = self.region["code"]
        if self.unit:
            parts.append(f"{prefix}unit = :unit")
            params["unit"] = self.unit
        return " AND ".join(parts), params

    def table_filters(self) -> dict:
        """The same choice as Datasette table filters on annual_results."""
        found = {"run": self.run_id}
        if self.region:
            found[LEVEL_COLUMN[self.region["level"]]] = self.region["code"]
        if self.unit:
            found["unit"] = self.unit
        return found

    def query(self, **changes) -> str:
        """This view's query string, with ``changes`` (None removes a key)."""
        args = {"run": self.run_id, "region": self.region["code"] if self.region else None, "unit": self.unit or None}
        args.update(changes)
        return urlencode({k: v for k, v in args.items() if v not in (None, "")})


def run_label(run: dict) -> str:
    what = "基准" if run["name"] == "baseline" else f"假设：{run['name']}"
    return f"{run['year']} 年度 · {what}（第 {run['id']} 次运行，{(run.get('finished_at') or '')[:16].replace('T', ' ')}）"


async def complete_runs(db) -> list[dict]:
    result = await db.execute(
        "SELECT id, name, year, finished_at, practitioners, overrides FROM runs WHERE status = 'complete' "
        "ORDER BY year DESC, id DESC")
    runs = [dict(r) for r in result.rows]
    for run in runs:
        run["label"] = run_label(run)
        run["short"] = f"{run['year']} · {'基准' if run['name'] == 'baseline' else run['name']} · 第{run['id']}次"
    return runs


def default_run(runs: list[dict], year: int | None = None) -> dict | None:
    """The latest baseline of the latest year (or of ``year``); else that year's latest run."""
    if year is not None:
        runs = [r for r in runs if r["year"] == year]
    if not runs:
        return None
    latest = runs[0]["year"]
    same_year = [r for r in runs if r["year"] == latest]
    return next((r for r in same_year if r["name"] == "baseline"), same_year[0])


def find_run(runs: list[dict], text: str) -> dict | None:
    text = text.strip()
    if text.isdigit():
        return next((r for r in runs if r["id"] == int(text)), None)
    return next((r for r in runs if r["name"] == text), None)  # runs are newest first


async def find_region(db, text: str) -> dict | None:
    """A place given by GB/T 2260 code or by name (丹东市)."""
    result = await db.execute("SELECT code, name, level FROM places WHERE (code = ? OR name = ?) AND level <> 'national' "
                              "ORDER BY code LIMIT 1",
                              [text, text])
    row = result.first()
    return dict(row) if row else None


async def resolve(db, args) -> View:
    """The view asked for by a request's ``args`` (run, year, region, unit)."""
    view = View(runs=await complete_runs(db))
    if not view.runs:
        view.problems.append("数据库中还没有完成的年度判定运行：先运行 jijiao assess。")
        return view
    asked_run = (args.get("run") or "").strip()
    asked_year = (args.get("year") or "").strip()
    if asked_run:
        view.run = find_run(view.runs, asked_run)
        if view.run is None:
            names = "、".join(f"{r['id']}（{r['name']}）" for r in view.runs[:10])
            view.problems.append(f"没有名为“{asked_run}”的运行；现有运行：{names}。")
    elif asked_year:
        year = int(asked_year) if asked_year.isdigit() else None
        view.run = default_run(view.runs, year)
        if view.run is None:
            years = "、".join(sorted({str(r["year"]) for r in view.runs}, reverse=True))
            view.problems.append(f"没有 {asked_year} 年度的运行；现有年度：{years}。")
    else:
        view.run = default_run(view.runs)
    asked_region = (args.get("region") or "").strip()
    if asked_region:
        view.region = await find_region(db, asked_region)
        if view.region is None:
            view.problems.append(f"没有名为“{asked_region}”的地区（可填 GB/T 2260 代码或名称，如 210600 或 丹东市）。")
    asked_unit = (args.get("unit") or "").strip()
    if asked_unit and view.run:
        exact = await db.execute("SELECT 1 FROM annual_results WHERE run = ? AND unit = ? LIMIT 1", [view.run_id, asked_unit])
        if exact.first():
            view.unit = asked_unit
        else:
            like = await db.execute(
                "SELECT DISTINCT unit FROM annual_results WHERE run = ? AND unit LIKE '%' || ? || '%' LIMIT 6",
                [view.run_id, asked_unit])
            found = [r["unit"] for r in like.rows]
            if len(found) == 1:
                view.unit = found[0]
            elif found:
                view.problems.append(f"“{asked_unit}”对应多个单位：{'、'.join(found[:5])}……请从下拉列表中选择一个。")
            else:
                view.problems.append(f"本次运行中没有名为“{asked_unit}”的单位。")
    return view


async def choices(db, view: View) -> dict:
    """What the dropdowns offer: years, regions (provinces and cities present in the run), units."""
    years = sorted({r["year"] for r in view.runs}, reverse=True)
    regions, units = [], []
    if view.run:
        result = await db.execute(
            """SELECT p.code, p.name, p.level FROM places p
               WHERE p.code IN (SELECT DISTINCT province FROM result_summary WHERE run = :run
                                UNION SELECT DISTINCT city FROM result_summary WHERE run = :run)
               ORDER BY p.code""", {"run": view.run_id})
        regions = [dict(r) for r in result.rows]
        where, params = view.where()
        where = where.replace(" AND unit = :unit", "")
        params.pop("unit", None)
        result = await db.execute(f"SELECT DISTINCT unit FROM result_summary WHERE {where} ORDER BY unit LIMIT 3000", params)
        units = [r["unit"] for r in result.rows if r["unit"]]
    return {"years": years, "regions": regions, "units": units}
