"""The analysts' pages in process (``datasette.client``): one run at a time, the dashboard, the
达标 page, what-if, Excel exports, Chinese dates and search."""

from __future__ import annotations

import asyncio
import csv
import re
import io
import json
import sqlite3
from datetime import date, datetime
from urllib.parse import quote, urlencode

import shutil

import pytest
import sqlite_utils
from openpyxl import load_workbook

from jijiao import annual, demo, publish, storage
from jijiao.datasette import summaries
from jijiao.datasette.server import make_datasette
from jijiao.plugins import Registry

YEAR = 2026


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    path = tmp_path_factory.mktemp("browse") / "jijiao.db"
    db = storage.connect(path)
    demo.build(db, 400, 3, YEAR)
    registry = Registry()
    annual.assess(db, registry, YEAR, as_of=date(YEAR, 11, 1))
    annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=date(YEAR, 11, 1))
    db.close()
    built, _ = publish.build_browse_copy(path)
    return built


@pytest.fixture(scope="module")
def ds(copy):
    return make_datasette(copy)


@pytest.fixture(scope="module")
def sql(copy):
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    yield lambda q, *p: conn.execute(q, p).fetchall()
    conn.close()


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def baseline(sql) -> int:
    return sql("SELECT id FROM runs WHERE name = 'baseline' ORDER BY id DESC LIMIT 1")[0][0]


# --------------------------------------------------------------------------------------------
# One run at a time
# --------------------------------------------------------------------------------------------


def test_a_table_page_without_a_run_shows_the_latest_baseline_and_its_facets_add_up_to_one_run(ds, sql):
    response = get(ds, "/jijiao/annual_results")
    assert response.status_code == 302
    assert response.headers["location"] == f"/jijiao/annual_results?run={baseline(sql)}"
    data = get(ds, f"/jijiao/annual_results.json?run={baseline(sql)}").json()
    verdicts = {r["value"]: r["count"] for r in data["facet_results"]["verdict"]["results"]}
    assert sum(verdicts.values()) == sql("SELECT practitioners FROM runs WHERE id = ?", baseline(sql))[0][0]


def test_unknown_runs_regions_and_units_are_named_in_chinese_not_zero_rows(ds):
    for path, words in (("/jijiao/annual_results?run=999", "没有编号或名称为“999”的运行"),
                        ("/jijiao/annual_results?run=1&jurisdiction=" + quote("火星市"), "没有名为“火星市”的地区"),
                        ("/jijiao/annual_results?run=1&unit=" + quote("不存在医院"), "没有名为“不存在医院”的单位"),
                        ("/?run=" + quote("no-such-run"), "没有名为“no-such-run”的运行"),
                        ("/?region=" + quote("丹东县"), "没有名为“丹东县”的地区")):
        response = get(ds, path)
        assert response.status_code == 404, path
        assert words in response.text, path


def test_a_liaoning_city_by_name_finds_its_people(ds, sql):
    response = get(ds, "/jijiao/annual_results?run=1&jurisdiction=" + quote("丹东市"))
    assert response.status_code == 302 and "city=210600" in response.headers["location"]
    count = get(ds, "/jijiao/annual_results.json?run=1&city=210600&_size=1").json()["filtered_table_rows_count"]
    assert count == sql("SELECT count(*) FROM annual_results WHERE run = 1 AND unit LIKE '丹东市%' "
                        "OR run = 1 AND unit LIKE '宽甸%' OR run = 1 AND unit LIKE '东港市%' OR run = 1 AND unit LIKE '凤城市%'")[0][0]
    assert count > 0


# --------------------------------------------------------------------------------------------
# The dashboard
# --------------------------------------------------------------------------------------------


def test_the_dashboard_counts_one_run_and_keeps_undetermined_apart(ds, sql):
    run = baseline(sql)
    html = get(ds, "/").text
    assert f"第 {run} 次运行" in html and "基准" in html
    passed, failed, undetermined = sql(
        "SELECT sum(verdict='合格'), sum(verdict='不合格'), sum(verdict='无法判定') FROM annual_results WHERE run = ?", run)[0]
    assert f"{100 * passed / (passed + failed):.1f}%" in html
    assert f"{undetermined:,}" in html
    worst = html.split('id="worst-units"')[1].split("</section>")[0]
    only_unknown = {u for (u,) in sql("SELECT unit FROM annual_results WHERE run = ? GROUP BY unit "
                                      "HAVING sum(verdict <> '无法判定') = 0", run)}
    assert only_unknown and not any(f">{u}<" in worst for u in only_unknown)
    assert "丹东市" in html.split('id="by-place"')[1].split("</section>")[0]  # Liaoning counted by city


def test_every_dashboard_figure_links_to_its_rows(ds, sql):
    html = get(ds, "/?region=210600").text
    assert "?run=1&amp;city=210600" in html or "run=1&amp;city=210600" in html
    link = f"/jijiao/annual_results?run=1&city=210600&verdict={quote('不合格')}"
    count = get(ds, link.replace("annual_results?", "annual_results.json?") + "&_size=1").json()["filtered_table_rows_count"]
    assert count == sql("SELECT sum(failed) FROM result_summary WHERE run = 1 AND city = '210600'")[0][0]


def test_clause_costs_are_in_credits(ds, sql):
    html = get(ds, "/").text
    top = sql("SELECT clause, credits FROM clause_costs WHERE run = ? ORDER BY credits DESC LIMIT 1", baseline(sql))[0]
    section = html.split('id="clauses"')[1].split("</section>")[0]
    assert top[0] in section and str(top[1]) in section


def test_a_regions_clause_costs_from_its_units_are_those_of_its_awards(ds, sql):
    """The dashboard of a city or a unit sums unit_clause_costs: the same figures as counting
    that city's (or unit's) refused awards and caps themselves."""
    run = baseline(sql)
    unit = sql("SELECT unit FROM annual_results WHERE run = ? AND city = '210600' GROUP BY unit "
               "ORDER BY count(*) DESC LIMIT 1", run)[0][0]
    for where, value in (("a.city = ?", "210600"), ("a.unit = ?", unit)):
        counted = sql(f"""
            SELECT clause, how, round(sum(credits), 1), sum(n), sum(unknown), count(DISTINCT practitioner) FROM (
              SELECT json_extract(ca.clauses, '$[#-1]') AS clause, '不予授予' AS how,
                     coalesce(act.certified_credits, 0) AS credits, 1 AS n, act.certified_credits IS NULL AS unknown,
                     ca.practitioner
              FROM credit_awards ca JOIN annual_results a ON a.run = ca.run AND a.practitioner = ca.practitioner
              LEFT JOIN activities act ON act.id = ca.activity
              WHERE a.run = ? AND {where} AND ca.status = '不予授予' AND json_valid(ca.clauses)
                AND json_array_length(ca.clauses) > 0
              UNION ALL
              SELECT c.clause, '上限削减', c.before_credits - c.after_credits, json_array_length(c.activities), 0,
                     c.practitioner
              FROM cap_applications c JOIN annual_results a ON a.run = c.run AND a.practitioner = c.practitioner
              WHERE a.run = ? AND {where})
            GROUP BY clause, how ORDER BY clause, how""", run, value, run, value)
        summed = sql(f"""SELECT clause, how, round(sum(credits), 1), sum(activities), sum(unknown_credits),
                                sum(practitioners) FROM unit_clause_costs a WHERE a.run = ? AND {where}
                         GROUP BY clause, how ORDER BY clause, how""", run, value)
        assert counted and summed == counted
    html = get(ds, "/?region=210600").text
    section = html.split('id="clauses"')[1].split("</section>")[0]
    city = sql("""SELECT clause, round(sum(credits), 1) AS c FROM unit_clause_costs WHERE run = ? AND city = '210600'
                  GROUP BY clause, how ORDER BY c DESC LIMIT 1""", run)[0]
    assert city[0] in section and str(city[1]) in section


def test_clause_costs_added_up_from_the_units_are_those_counted_per_clause(copy, tmp_path):
    """The copy adds clause_costs up from unit_clause_costs; counted from the awards per clause
    (summaries.build_clause_costs, as a national partition does) they are the same."""
    other = tmp_path / "again.db"
    shutil.copyfile(copy, other)
    db = sqlite_utils.Database(other)
    added_up = sorted(db.execute("SELECT run, clause, how, credits, activities, unknown_credits, practitioners "
                                 "FROM clause_costs").fetchall(), key=repr)
    runs = [r for (r,) in db.execute("SELECT DISTINCT run FROM annual_results")]
    db.execute("DROP TABLE clause_costs")
    summaries.build_clause_costs(db, runs, [])
    counted = sorted(db.execute("SELECT run, clause, how, credits, activities, unknown_credits, practitioners "
                                "FROM clause_costs").fetchall(), key=repr)
    db.conn.close()
    assert added_up and added_up == counted


def test_deadlines_of_the_next_30_days(ds, sql):
    html = get(ds, "/?today=2026-07-01").text
    expected = sql("SELECT count(*) FROM deadlines WHERE run = ? AND done_at IS NULL AND substr(due, 1, 10) "
                   "BETWEEN '2026-07-01' AND '2026-07-31'", baseline(sql))[0][0]
    assert f"共 {expected} 项" in html


# --------------------------------------------------------------------------------------------
# The 达标 page
# --------------------------------------------------------------------------------------------


def test_the_year_page_of_a_failed_person_names_the_requirement_that_decides_it(ds, sql):
    practitioner, name = sql(
        "SELECT a.practitioner, p.name FROM annual_results a JOIN practitioners p ON p.id = a.practitioner "
        "JOIN requirement_results r ON r.run = a.run AND r.practitioner = a.practitioner AND r.met = 0 "
        "WHERE a.run = 1 AND a.verdict = '不合格' LIMIT 1")[0]
    label, clause = sql("SELECT label, clause FROM requirement_results WHERE run = 1 AND practitioner = ? AND met = 0 "
                        "ORDER BY rowid LIMIT 1", practitioner)[0]
    html = get(ds, f"/-/jijiao/person/{practitioner}?run=1").text
    assert f"<title>{name} · {YEAR} 年度结果</title>" in html
    assert 'class="badge badge-不合格"' in html
    decides = html.split('id="decides">')[1].split("</p>")[0]
    assert label in decides and clause in decides
    activities = sql("SELECT count(*) FROM credit_awards WHERE run = 1 AND practitioner = ?", practitioner)[0][0]
    assert html.count('<td class="counted-') == activities


def test_a_year_page_says_the_reading_its_requirement_rests_on_though_it_is_stored_once_a_run(ds, sql):
    (practitioner,) = sql("SELECT practitioner FROM requirement_results WHERE run = 1 AND readings LIKE '%nhc_2024_20_from_2025%' "
                          "LIMIT 1")[0]
    assert sql("SELECT count(*) FROM findings WHERE run = 1 AND subject_kind = 'run'")[0][0] == 1
    html = get(ds, f"/-/jijiao/person/{practitioner}?run=1").text
    findings = html.split('id="findings">')[1].split("</section>")[0]
    assert "按本插件的理解：20号于2024-10-23印发" in findings and "nhc-2024-20/一" in findings


def test_a_year_page_names_the_project_whose_records_its_ceiling_cut(ds, sql):
    """辽宁 三(一): one project's credits are capped across its records; the cut is a cap
    application naming the project and its records, shown on the 达标 page like an annual cap."""
    rows = sql("SELECT practitioner, cap, activities FROM cap_applications WHERE run = 1 AND clause = ? LIMIT 1",
               "ln-credit-scheme/三(一)")
    assert rows, "the demo has Liaoning years in which one project's records pass its ceiling"
    practitioner, cap, activities = rows[0]
    assert cap.startswith("每个") and "项目 " in cap and "条记录（" in cap
    html = get(ds, f"/-/jijiao/person/{practitioner}?run=1").text
    caps = html.split('id="caps">')[1].split("</section>")[0]
    assert cap in caps and "ln-credit-scheme/三(一)" in caps
    cut = json.loads(activities)
    assert cut and all(activity in cap for activity in cut)


def test_the_person_id_links_to_the_year_page(ds):
    html = get(ds, "/jijiao/annual_results?run=1&verdict=" + quote("不合格")).text
    assert 'href="/-/jijiao/person/D' in html


def test_an_unknown_person_is_a_message(ds):
    response = get(ds, "/-/jijiao/person/NOBODY")
    assert response.status_code == 404 and "没有编号为“NOBODY”的人员" in response.text


# --------------------------------------------------------------------------------------------
# What-if
# --------------------------------------------------------------------------------------------


def test_the_what_if_page_counts_who_changed(ds, sql):
    other = sql("SELECT id FROM runs WHERE name <> 'baseline' ORDER BY id DESC LIMIT 1")[0][0]
    changed = sql("""SELECT count(*) FROM annual_results b JOIN annual_results o ON o.practitioner = b.practitioner
                     AND o.run = ? WHERE b.run = ? AND b.verdict <> o.verdict""", other, baseline(sql))[0][0]
    html = get(ds, "/-/jijiao/whatif").text
    assert changed > 0
    assert f'id="changed-count">{changed:,}<' in html


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------


def export(ds, fmt, path):
    return get(ds, f"/-/jijiao/export.{fmt}?" + urlencode({"path": path}))


def test_a_filtered_table_exports_every_row_to_xlsx_with_chinese_headers(ds, sql):
    total = sql("SELECT count(*) FROM credit_awards WHERE run = 1")[0][0]
    assert total > 1000  # more than Datasette's own cap
    response = export(ds, "xlsx", "/jijiao/credit_awards?run=1")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) - 1 == total
    assert "授予结果" in rows[0] and "人员编号" in rows[0]
    credits = next(i for i, h in enumerate(rows[0]) if h.startswith("学分（"))
    assert all(isinstance(r[credits], (int, float)) for r in rows[1:] if r[credits] is not None)


def test_a_canned_query_exports_every_row_and_csv_has_a_bom(ds, sql):
    response = export(ds, "csv", "/jijiao/unit_results?unit=" + quote("医院"))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["人员编号", "姓名"]
    assert len(rows) - 1 == sql("SELECT count(*) FROM annual_results WHERE run = ? AND unit LIKE '%医院%'", baseline(sql))[0][0]


def test_exports_are_formula_safe_and_dates_are_dates(ds):
    query = "/jijiao?sql=" + quote("select '=HYPERLINK(\"x\")' as a, '-1+2' as b, '2026-12-10T23:59:00+08:00' as c, 3.5 as d")
    book = load_workbook(io.BytesIO(export(ds, "xlsx", query).content))
    sheet = book.worksheets[0]
    a, b, c, d = (sheet.cell(2, i) for i in range(1, 5))
    assert a.data_type == "s" and a.value == '=HYPERLINK("x")'  # text, never a formula
    assert b.data_type == "s"
    assert c.value == datetime(2026, 12, 10, 23, 59) and c.is_date
    assert d.value == 3.5
    rows = list(csv.reader(io.StringIO(export(ds, "csv", query).content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["'=HYPERLINK(\"x\")", "'-1+2"]


def test_a_bad_export_is_a_chinese_message(ds):
    response = export(ds, "xlsx", "/jijiao/no_such_table")
    assert response.status_code == 400 and "没有名为“no_such_table”的表或查询" in response.text


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------


def test_a_two_character_name_finds_people_with_unit_title_and_year(ds, sql):
    name = sql("SELECT name FROM practitioners WHERE length(name) = 2 GROUP BY name ORDER BY count(*) DESC LIMIT 1")[0][0]
    total = sql("SELECT count(*) FROM practitioners WHERE name LIKE ?", f"%{name}%")[0][0]
    html = get(ds, "/-/jijiao/search?q=" + quote(name)).text
    people = html.split('class="jijiao-search-人员"')[1].split("</section>")[0]
    assert f"共 {total:,} 条" in people
    unit = sql("SELECT unit FROM practitioners WHERE name = ? LIMIT 1", name)[0][0]
    assert unit in people and f"{YEAR} 年度" in people and "/-/jijiao/person/" in people


def test_search_says_how_many_and_leads_to_the_rest(ds, sql):
    total = sql("SELECT count(*) FROM clauses WHERE text LIKE '%学分%' OR summary LIKE '%学分%' OR id LIKE '%学分%'")[0][0]
    assert total > 50
    html = get(ds, "/-/jijiao/search?q=" + quote("学分")).text
    clauses = html.split('class="jijiao-search-条款"')[1].split("</section>")[0]
    assert f"共 {total:,} 条，显示 50 条" in clauses
    assert "/jijiao/clauses?text__contains=" + quote("学分") in clauses
    surname = sql("SELECT substr(name, 1, 1) AS s FROM practitioners GROUP BY s ORDER BY count(*) DESC LIMIT 1")[0][0]
    html = get(ds, "/-/jijiao/search?q=" + quote(surname)).text
    assert "/jijiao/practitioners?name__contains=" + quote(surname) in html or "显示" not in html


def test_part_of_a_unit_name_finds_the_unit_not_its_staff(ds, sql):
    html = get(ds, "/-/jijiao/search?q=" + quote("妇幼保健院")).text
    assert 'class="jijiao-search-单位"' in html and 'class="jijiao-search-人员"' not in html


def test_the_full_unit_list_pages_and_keeps_every_determined_unit(ds, sql):
    from jijiao.datasette import dashboard

    ranked = sql("SELECT count(*) FROM (SELECT unit FROM result_summary WHERE run = ? GROUP BY unit "
                 "HAVING sum(passed) + sum(failed) > 0)", baseline(sql))[0][0]
    html = get(ds, "/?units=all").text
    assert f"全部 {ranked:,} 个已判定的单位" in html
    section = html.split('id="worst-units"')[1].split("</section>")[0]
    assert section.count("<tr>") - 1 == min(ranked, dashboard.UNITS_PAGE)


# --------------------------------------------------------------------------------------------
# Chinese wherever an analyst looks
# --------------------------------------------------------------------------------------------


def test_codes_dates_and_chrome_read_in_chinese(ds, sql):
    html = get(ds, "/jijiao/activities?_facet=kind").text
    kind, label = sql("SELECT a.kind, l.zh FROM activities a JOIN labels l ON l.enum = 'ActivityKind' AND l.code = a.kind "
                      "ORDER BY a.rowid LIMIT 1")[0]
    assert f'title="{kind}">{label}</span>' in html  # cells
    facet = html.split('id="facet-kind"')[1].split("</div>")[0]
    assert label in facet and f">{kind}<" not in facet  # facet values
    assert "活动类型" in facet  # facet heading
    assert "共 " in html and "本页显示 50 条" in html and "下载全部" in html and "Next page" not in html
    assert html.index('class="rows-and-columns"') < html.index('class="column-descriptions"')  # data first
    people = get(ds, "/jijiao/annual_results?run=1&province=440000").text
    assert "广东省" in people  # a province without a plugin still has its name
    deadlines = get(ds, "/jijiao/deadlines?run=1").text
    assert re.search(r"<time datetime=\"2026-[^\"]+\">2026年\d+月\d+日 \d\d:\d\d</time>", deadlines)
    assert "T23:59:59+08:00<" not in deadlines


def test_a_canned_query_page_offers_every_row_for_excel(ds, sql):
    html = get(ds, "/jijiao/short_of_credits?jurisdiction=&unit=&run=").text
    assert "下载全部行" in html and "/-/jijiao/export.xlsx?path=" in html
    path = html.split('class="jijiao-xlsx" href="/-/jijiao/export.xlsx?path=')[1].split('"')[0]
    from urllib.parse import unquote

    book = load_workbook(io.BytesIO(export(ds, "xlsx", unquote(path.replace("&amp;", "&"))).content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    expected = sql("SELECT count(*) FROM annual_results WHERE run = ? AND shortfall > 0 AND verdict <> '合格'", baseline(sql))[0][0]
    assert len(rows) - 1 == expected and rows[0][0] == "人员编号"
    title = get(ds, "/jijiao/annual_results/1,D0000001").text.split("<title>")[1].split("</title>")[0]
    assert title.startswith("年度结果 · 1, D0000001")


def test_a_canned_query_finds_a_liaoning_city_by_name_and_names_what_does_not_exist(ds, sql):
    rows = get(ds, "/jijiao/short_of_credits.json?_shape=array&unit=&run=&jurisdiction=" + quote("丹东市")).json()
    expected = sql("SELECT count(*) FROM annual_results WHERE run = ? AND city = '210600' AND shortfall > 0 "
                   "AND verdict <> '合格'", baseline(sql))[0][0]
    assert expected > 0 and len(rows) == expected
    html = get(ds, "/jijiao/short_of_credits?unit=&run=&jurisdiction=" + quote("火星市")).text
    assert "没有名为“火星市”的地区" in html
    html = get(ds, "/jijiao/what_if?base=&other=" + quote("nope") + "&jurisdiction=").text
    assert "没有名为“nope”的运行" in html


def test_a_regions_figures_link_to_that_regions_rows(ds, sql):
    html = get(ds, "/?region=210600&today=2026-07-01").text
    clauses = html.split('id="clauses"')[1].split("</section>")[0]
    first = clauses.split('<td class="num"><a href="')[1].split('"')[0].replace("&amp;", "&")
    rows = get(ds, first.replace("?", ".json?", 1) + "&_size=max&_shape=objects").json()
    assert rows["filtered_table_rows_count"] > 0
    people = {p for (p,) in sql("SELECT practitioner FROM annual_results WHERE run = 1 AND city = '210600'")}
    assert {r["practitioner"]["value"] if isinstance(r["practitioner"], dict) else r["practitioner"] for r in rows["rows"]} <= people
    deadlines = html.split('id="deadlines"')[1].split("</section>")[0]
    link = deadlines.split('<a href="')[1].split('"')[0].replace("&amp;", "&")
    count = number_in(deadlines.split("共 ")[1].split(" 项")[0])
    assert get(ds, link.replace("?", ".json?", 1) + "&_size=1").json()["filtered_table_rows_count"] == count


def number_in(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def test_a_two_character_table_search_goes_to_the_search_page(ds, sql):
    name = sql("SELECT name FROM practitioners WHERE length(name) = 2 LIMIT 1")[0][0]
    response = get(ds, "/jijiao/practitioners?_search=" + quote(name))
    assert response.status_code == 302
    assert response.headers["location"] == "/-/jijiao/search?q=" + quote(name)
    assert get(ds, "/jijiao/practitioners?_search=" + quote("卫生院")).status_code == 200  # three: the index


def test_a_whole_runs_facets_are_the_copys_counts_and_a_filtered_page_counts_its_own_rows(ds, sql):
    """A page of one whole run reads its facets from facet_counts (counted once per run as the copy
    took it in); they are exactly what a GROUP BY says. A filtered page counts its own rows."""
    from jijiao.datasette.metadata import COUNTED_TABLES, FACETS

    run = baseline(sql)
    for table in sorted(COUNTED_TABLES):
        data = get(ds, f"/jijiao/{table}.json?run={run}").json()
        for column in FACETS[table]:
            shown = {r["value"]: r["count"] for r in data["facet_results"][column]["results"]}
            counted = dict(sql(f"SELECT [{column}], count(*) FROM [{table}] WHERE run = ? AND [{column}] IS NOT NULL "
                               f"GROUP BY [{column}]", run))
            assert shown and all(counted[k] == v for k, v in shown.items()), (table, column)
            assert data["facet_results"][column]["type"] == "jijiao_counted"
            assert len(shown) == min(len(counted), 30) and sorted(shown.values(), reverse=True) == list(shown.values())
    failed = get(ds, f"/jijiao/annual_results.json?run={run}&verdict=" + quote("不合格")).json()
    verdicts = {r["value"]: r["count"] for r in failed["facet_results"]["verdict"]["results"]}
    assert verdicts == {"不合格": sql("SELECT count(*) FROM annual_results WHERE run = ? AND verdict = '不合格'", run)[0][0]}


def test_only_a_page_of_the_whole_run_reads_the_counted_facets():
    from jijiao.datasette.facets import whole_run

    assert whole_run([("run", "3")]) == 3
    assert whole_run([("run", "3"), ("_size", "100"), ("_next", "50"), ("_sort", "unit")]) == 3
    for other in (("verdict", "合格"), ("_where", "1=1"), ("_search", "张"), ("city__isnull", "1")):
        assert whole_run([("run", "3"), other]) is None, other
    assert whole_run([]) is None and whole_run([("run", "baseline")]) is None


def test_results_keep_province_city_and_district_from_where_people_practise(sql):
    """Liaoning's demo people are coded by county or city: the copy's results carry all three
    levels from the code itself, so every level can be counted (and named from places)."""
    run = baseline(sql)
    rows = sql("SELECT a.jurisdiction, a.province, a.city, a.district, p.name FROM annual_results a "
               "LEFT JOIN places p ON p.code = a.city WHERE a.run = ? AND a.jurisdiction LIKE '21%'", run)
    counties = [r for r in rows if not r[0].endswith("00")]
    cities = [r for r in rows if r[0].endswith("00") and not r[0].endswith("0000")]
    assert counties and cities
    assert all(r[1] == "210000" and r[3] == r[0] and r[2] == r[0][:4] + "00" and r[4] for r in counties)
    assert all(r[1] == "210000" and r[2] == r[0] and r[4] for r in cities)
    by_city = sql("SELECT city, sum(practitioners) FROM result_summary WHERE run = ? AND province = '210000' "
                  "GROUP BY city", run)
    assert sum(n for _c, n in by_city) == len(rows)
