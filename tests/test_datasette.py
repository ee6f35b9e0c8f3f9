"""Datasette for analysts, in process (``datasette.client``): the browse copy hides personal data
everywhere it could leak, search works for Chinese, the canned queries answer, rows explain
themselves with the clauses' text, and the deadlines feed is valid iCalendar."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from jijiao import annual, demo, publish, storage
from jijiao.cli import cli
from jijiao.datasette import ics
from jijiao.datasette.metadata import build_metadata
from jijiao.datasette.queries import QUERIES
from jijiao.datasette.server import make_datasette
from jijiao.plugins import Registry

YEAR = 2026
WHAT_IF = "liaoning.annual_credits=30"
RAW_ERROR_ID = "110101199003077777"
RAW_ERROR_PHONE = "13900001111"
LEADER_PHONE = "13722223333"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A small assessed demo database (baseline and one what-if run), with leader phones and a
    bad import row carrying an ID number, as an office's real file would have."""
    path = tmp_path_factory.mktemp("ds") / "jijiao.db"
    db = storage.connect(path)
    demo.build(db, 300, 1, YEAR)
    with db.atomic():
        db.execute("UPDATE projects SET application_leader_phone = ? WHERE rowid % 3 = 0", (LEADER_PHONE,))
        db.execute("INSERT INTO import_batches (id, file, kind) VALUES ('b1', 'people.csv', 'practitioners')")
        db.execute(
            "INSERT INTO import_errors (batch, file, kind, row, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ("b1", "people.csv", "practitioners", 7, "title", "unknown Title",
             json.dumps({"人员编号": "X1", "身份证号": RAW_ERROR_ID, "备注": f"电话 {RAW_ERROR_PHONE}"}, ensure_ascii=False)),
        )
    registry = Registry()
    annual.assess(db, registry, YEAR, as_of=date(YEAR, 11, 1))
    annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=date(YEAR, 11, 1))
    db.close()
    return path


@pytest.fixture(scope="module")
def copy(source):
    path, built = publish.build_browse_copy(source)
    assert built
    return path


@pytest.fixture(scope="module")
def ds(copy):
    return make_datasette(copy)


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def raw_personal_values(source) -> set[str]:
    db = storage.connect(source)
    values = {RAW_ERROR_ID, RAW_ERROR_PHONE, LEADER_PHONE}
    for id_number, phone in db.execute("SELECT id_number, phone FROM practitioners"):
        values |= {v for v in (id_number, phone) if v}
    db.close()
    return values


# --------------------------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------------------------


def test_masks_keep_region_and_last_digits():
    assert publish.mask_id_number("210102199001011234") == "2101**********1234"
    assert publish.mask_id_number("21010219900101123X") == "2101**********123X"
    assert publish.mask_phone("13812345678") == "138****5678"
    assert publish.mask_phone("") == ""
    assert publish.scrub_text("身份证 210102199001011234，电话13812345678。") == "身份证 2101**********1234，电话138****5678。"


def test_raw_import_rows_are_masked_by_key_and_by_pattern():
    raw = json.dumps({"身份证号": "2101021990", "phone": "024-1234", "note": "13812345678"}, ensure_ascii=False)
    keys = {"身份证号", "phone"}
    # a value under a personal key is masked whatever its shape: a 10-digit "ID", a 7-digit phone
    assert json.loads(publish.scrub_raw_row(raw, keys)) == {"身份证号": "********90", "phone": "*****34", "note": "138****5678"}


def test_no_raw_id_number_or_phone_in_anything_served(source, copy, ds):
    secrets = raw_personal_values(source)
    assert len(secrets) > 300
    pages = [
        "/jijiao/practitioners?_size=max",
        "/jijiao/practitioners.json?_size=max&_shape=array",
        "/jijiao/practitioners.csv?_size=max",
        "/jijiao/projects.json?_size=max&_shape=array",
        "/jijiao/import_errors.json?_shape=array",
        "/jijiao/import_errors",
        "/jijiao.json?sql=" + quote("select id_number, phone from practitioners"),
        "/jijiao.csv?sql=" + quote("select application_leader_phone from projects"),
        "/jijiao.json?sql=" + quote("select raw from import_errors"),
        "/jijiao/practitioners/D0000001",
        "/-/jijiao/search?q=" + quote("医院"),
        "/",
        "/-/jijiao/person/D0000001",
        "/-/jijiao/whatif",
        "/-/jijiao/export.csv?path=" + quote("/jijiao/practitioners", safe=""),
        "/-/jijiao/export.csv?path=" + quote("/jijiao?sql=select id_number, phone from practitioners", safe=""),
        "/-/jijiao/export.csv?path=" + quote("/jijiao/projects", safe=""),
    ]
    for page in pages:
        response = get(ds, page)
        assert response.status_code == 200, page
        leaked = [s for s in secrets if s in response.text]
        assert not leaked, (page, leaked[:3])
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(get(ds, "/-/jijiao/export.xlsx?path=" + quote("/jijiao/practitioners", safe="")).content))
    cells = {str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row}
    assert not secrets & cells
    masked = get(ds, "/jijiao.json?sql=" + quote("select id_number, phone from practitioners limit 1") + "&_shape=array").json()[0]
    assert re.fullmatch(r"\d{4}\*{10}[\dX]{4}", masked["id_number"]) and re.fullmatch(r"\d{3}\*{4}\d{4}", masked["phone"])
    # Nor in the file's bytes (free pages included), which is also never offered for download.
    data = copy.read_bytes()
    assert not [s for s in secrets if s.encode() in data]
    assert get(ds, "/jijiao.db").status_code == 403


def test_browse_copy_is_reused_until_the_source_changes(source, copy):
    assert publish.build_browse_copy(source) == (copy, False)
    later = copy.stat().st_mtime + 5
    os.utime(source, (later, later))
    assert publish.build_browse_copy(source) == (copy, True)


def test_serve_names_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "--db: no database" in result.output


# --------------------------------------------------------------------------------------------
# Metadata: every table and column in Chinese
# --------------------------------------------------------------------------------------------


def test_every_visible_table_and_column_has_a_chinese_title(copy):
    metadata = build_metadata()["databases"]["jijiao"]["tables"]
    db = storage.connect(copy)
    for table in db.table_names() + db.view_names():
        meta = metadata.get(table) or {}
        if meta.get("hidden") or table.endswith("_fts") or "_fts_" in table:
            continue
        assert re.search(r"[\u4e00-\u9fff]", meta.get("title", "")), table
        columns = db[table].columns_dict
        missing = [c for c in columns if not re.search(r"[\u4e00-\u9fff]", meta.get("columns", {}).get(c, ""))]
        assert not missing, (table, missing)
    db.close()


def test_table_pages_show_chinese_headers_labels_and_facets(ds):
    html = get(ds, "/jijiao/practitioners").text
    assert "身份证号（已遮蔽）" in html or "身份证号，已遮蔽" in html
    assert re.search(r'<span class="jijiao-code" title="(county|city|provincial)">(县级|市级|省级)</span>', html)  # codes shown in Chinese
    results = get(ds, "/jijiao/annual_results.json?_shape=objects").json()
    assert {f for f in results["facet_results"]} >= {"city", "unit_level", "verdict"}  # city: derived in the browse copy
    awards = get(ds, "/jijiao/credit_awards.json?_shape=objects").json()
    assert {"status"} <= set(awards["facet_results"])  # the one an index answers at province scale
    kinds = get(ds, "/jijiao/credit_awards.json?_shape=objects&_facet=kind").json()["facet_results"]["kind"]["results"]
    assert kinds and all(re.search(r"[\u4e00-\u9fff]", k["label"]) or k["label"] for k in kinds)


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------


def test_table_search_uses_the_trigram_index(ds):
    unit = get(ds, "/jijiao.json?sql=" + quote("select unit from practitioners limit 1") + "&_shape=array").json()[0]["unit"]
    fragment = unit[1:4]  # three characters from inside a word: the default tokenizer finds nothing
    found = get(ds, f"/jijiao/practitioners.json?_search={quote(fragment)}&_shape=array&_size=max").json()
    assert found and all(fragment in row["name"] + row["unit"] for row in found)
    clauses = get(ds, f"/jijiao/clauses.json?_search={quote('继续医学教育')}&_shape=array").json()
    assert clauses and all("继续医学教育" in c["text"] + c["summary"] + c["id"] for c in clauses)


def test_one_or_two_characters_fall_back_to_like(ds):
    for q, method in (("医", "like"), ("卫生院", "fts5-trigram")):
        result = get(ds, f"/-/jijiao/search?_format=json&q={quote(q)}").json()
        assert result["method"] == method
        assert result["hits"] and all(q in (str(h["title"]) + str(h["detail"])) or h["kind"] == "条款" for h in result["hits"])
        assert {get(ds, h["url"]).status_code for h in result["hits"][:: max(1, len(result["hits"]) // 5)]} == {200}
    rows = get(ds, "/jijiao/find_by_name.json?_shape=array&q=" + quote("医")).json()
    assert rows and {r["类型"] for r in rows} >= {"人员"}


# --------------------------------------------------------------------------------------------
# Canned queries
# --------------------------------------------------------------------------------------------


def test_every_canned_query_runs_with_its_defaults(ds):
    for name in QUERIES:
        response = get(ds, f"/jijiao/{name}.json?_shape=objects")
        assert response.status_code == 200, (name, response.text[:300])
        assert response.json()["ok"], name


def test_short_of_credits_lists_exactly_the_practitioners_short(ds, source):
    rows = get(ds, "/jijiao/short_of_credits.json?_shape=array&jurisdiction=" + quote("辽宁省")).json()
    db = storage.connect(source)
    expected = {r[0] for r in db.execute(
        "SELECT practitioner FROM annual_results WHERE run = (SELECT id FROM runs WHERE name = 'baseline') "
        "AND shortfall > 0 AND verdict = '不合格' AND jurisdiction LIKE '21%'")}
    deemed = {r[0] for r in db.execute(
        "SELECT practitioner FROM annual_results WHERE run = (SELECT id FROM runs WHERE name = 'baseline') "
        "AND shortfall > 0 AND verdict = '合格' AND jurisdiction LIKE '21%'")}
    db.close()
    assert expected and {r["人员编号"] for r in rows} == expected
    assert deemed, "the demo should hold a year deemed complete despite a credit shortfall"
    assert all(r["年度结论"] == "不合格" for r in rows)


def test_deadlines_in_the_next_30_days_from_today(ds):
    rows = get(ds, "/jijiao/deadlines_next_30_days.json?_shape=array&today=2026-09-01").json()
    assert rows
    assert all("2026-09-01" <= r["截止时间"][:10] <= "2026-10-01" for r in rows)


def test_what_if_lists_the_verdicts_that_change(ds, source):
    rows = get(ds, "/jijiao/what_if.json?_shape=array&_size=max&other=" + quote(WHAT_IF)).json()
    db = storage.connect(source)
    changed = db.execute(
        """SELECT count(*) FROM annual_results b JOIN annual_results o ON o.practitioner = b.practitioner
           WHERE b.run = (SELECT id FROM runs WHERE name = 'baseline') AND o.run = (SELECT id FROM runs WHERE name = ?)
           AND b.verdict <> o.verdict""", (WHAT_IF,)).fetchone()[0]
    db.close()
    assert changed > 0 and len(rows) == changed
    assert {r["变化"] for r in rows} <= {"合格→不合格", "不合格→合格", "合格→无法判定", "无法判定→合格", "不合格→无法判定", "无法判定→不合格"}


# --------------------------------------------------------------------------------------------
# Explained rows
# --------------------------------------------------------------------------------------------


def test_a_credit_award_shows_its_steps_and_the_quoted_clause_with_a_link(ds, copy):
    db = served(copy)  # the row page's id is a rowid of the served copy's table (the source reads a view)
    rowid, clauses = db.execute(
        "SELECT rowid, clauses FROM credit_awards WHERE status = '授予' AND explanation LIKE '%2.%' LIMIT 1").fetchone()
    first = json.loads(clauses)[0]
    text = db.execute("SELECT text FROM clauses WHERE id = ?", (first,)).fetchone()[0]
    db.close()
    html = get(ds, f"/jijiao/credit_awards/{rowid}").text
    assert "计算说明" in html and "依据条款原文" in html
    assert str(__import__("markupsafe").escape(text)) in html
    assert f'href="/jijiao/clauses/{publish_tilde(first)}"' in html
    assert html.count("<li>") >= 2
    clause_page = get(ds, f"/jijiao/clauses/{publish_tilde(first)}")
    assert clause_page.status_code == 200 and str(__import__("markupsafe").escape(text)) in clause_page.text


def test_an_annual_result_reads_as_a_sentence_with_its_requirements(ds):
    row = get(ds, "/jijiao/annual_results.json?_shape=array&verdict=" + quote("不合格") + "&_size=1").json()[0]
    html = get(ds, f"/jijiao/annual_results/{row['run']},{row['practitioner']}").text
    assert f"{row['year']} 年度结论：不合格" in html and "各项要求" in html and "各项活动的学分授予" in html


def test_a_finding_shows_its_clause_text(ds, copy):
    db = served(copy)
    rowid, clause = db.execute("SELECT rowid, clause FROM findings WHERE clause IS NOT NULL LIMIT 1").fetchone()
    db.close()
    html = get(ds, f"/jijiao/findings/{rowid}").text
    assert "依据条款原文" in html and f'/jijiao/clauses/{publish_tilde(clause)}' in html


def served(copy) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{copy}?mode=ro", uri=True)


def publish_tilde(text: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(text)


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


def test_charts_count_every_practitioner(ds, source):
    data = get(ds, "/-/jijiao/charts.json").json()
    db = storage.connect(source)
    people = db.execute("SELECT count(*) FROM annual_results WHERE run = (SELECT id FROM runs WHERE name = 'baseline')").fetchone()[0]
    db.close()
    assert sum(sum(e["bins"].values()) for e in data["credits_distribution"]) == people
    assert sum(r["n"] for r in data["pass_rate_by_unit_level"]) == people
    assert data["findings_by_clause"] == sorted(data["findings_by_clause"], key=lambda r: -r["n"])
    html = get(ds, "/-/jijiao/charts").text
    assert html.count("<svg") == len(data["credits_distribution"]) + 2


# --------------------------------------------------------------------------------------------
# iCalendar
# --------------------------------------------------------------------------------------------


def parse_ics(text: str) -> list[dict]:
    """A strict little RFC 5545 reader: CRLF only, lines of at most 75 octets, balanced
    components, required properties; returns the events with unescaped text values."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current, depth = [], None, 0
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            depth += 1
            if value == "VEVENT":
                current = {}
        elif name == "END":
            depth -= 1
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            unescaped = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
            current[name] = unescaped
    assert depth == 0
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTART"])
    return events


def test_fold_and_escape_round_trip():
    text = "截止事项；说明,含逗号\\和换行\n" * 10
    line = "DESCRIPTION:" + ics.escape_text(text)
    folded = ics.fold(line)
    assert all(len(piece.encode()) <= 75 for piece in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    cal = ics.calendar([{"what": text, "due": "2026-03-31T23:59:59+08:00", "subject": "P1"}], "测试")
    assert parse_ics(cal)[0]["SUMMARY"] == f"{text}（P1）"


def test_deadlines_feed_for_a_jurisdiction_includes_the_levels_above(ds, source):
    # 沈阳市 (210100) has no plugin of its own: it keeps 辽宁省's and the national deadlines.
    response = get(ds, "/-/jijiao/deadlines.ics?jurisdiction=210100")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = parse_ics(response.text)
    db = storage.connect(source)
    expected = db.execute(
        """SELECT due FROM deadlines WHERE run = (SELECT id FROM runs WHERE name = 'baseline') AND done_at IS NULL
           AND jurisdiction IN ('210100', '210000', '000000')""").fetchall()
    db.close()
    assert len(events) == len(expected) > 0
    starts = sorted(datetime.fromisoformat(due).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ") for (due,) in expected)
    assert sorted(e["DTSTART"] for e in events) == starts
    assert len({e["UID"] for e in events}) == len(events)


def test_deadlines_feed_for_a_unit_keeps_its_projects_and_the_calendar(ds, source):
    db = storage.connect(source)
    host = db.execute("SELECT p.host FROM deadlines d JOIN projects p ON p.id = d.project WHERE d.done_at IS NULL LIMIT 1").fetchone()[0]
    db.close()
    events = parse_ics(get(ds, f"/-/jijiao/deadlines.ics?unit={quote(host)}").text)
    assert events and any(host in e["DESCRIPTION"] or "项目" in e["DESCRIPTION"] for e in events)
    everything = parse_ics(get(ds, "/-/jijiao/deadlines.ics").text)
    assert len(events) < len(everything)


def test_deadlines_feed_accepts_a_jurisdiction_by_name(ds):
    by_name = parse_ics(get(ds, "/-/jijiao/deadlines.ics?jurisdiction=" + quote("长沙市")).text)
    by_code = parse_ics(get(ds, "/-/jijiao/deadlines.ics?jurisdiction=430100").text)
    assert by_name and sorted(e["UID"] for e in by_name) == sorted(e["UID"] for e in by_code)
