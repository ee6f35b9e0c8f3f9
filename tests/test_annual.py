"""The annual run: results written per run, cited, replaced atomically."""

import json
from datetime import date
from decimal import Decimal

import pytest

from jijiao import annual, storage
from jijiao.models import Activity, Practitioner
from jijiao.plugins import Registry

YEAR = 2026


@pytest.fixture(scope="module")
def registry():
    return Registry()


@pytest.fixture
def db(tmp_path):
    db = storage.connect(tmp_path / "t.db")
    people = [
        Practitioner(id="P1", jurisdiction="000000", unit="博罗县人民医院"),  # the national rules, no level missing
        Practitioner(id="P2", jurisdiction="440000"),
        Practitioner(id="P3", jurisdiction="210000"),
    ]
    acts = [
        Activity(id="A1", practitioner="P1", kind="further_study", year=YEAR, months=Decimal(7), passed=True, date=date(YEAR, 2, 1)),
        Activity(id="A2", practitioner="P2", kind="project", year=YEAR, project_level="national", project_mode="remote",
                 project_jurisdiction="000000", certified_credits=Decimal(5), facts={"verified_by_province": True}, category="class_i"),
        Activity(id="A3", practitioner="P3", kind="project", year=YEAR, project_level="provincial", project_mode="face_to_face",
                 project_jurisdiction="110000", hours=Decimal(6), certified_credits=Decimal(2), category="class_i"),
    ]
    tail = ("t", "t", 1, "t")
    with db.atomic():
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(p), *tail) for p in people])
        storage.upsert_records(db, "activities", [(*storage.codec(db, "activities").encode(a), *tail) for a in acts])
    return db


def rows(db, sql, *params):
    return db.execute_returning_dicts(sql, params)


def test_a_run_writes_one_award_per_activity_and_one_result_per_practitioner(db, registry):
    summary = annual.assess(db, registry, YEAR, as_of=date(YEAR, 6, 1))
    assert (summary.practitioners, summary.activities) == (3, 3)
    (run,) = rows(db, "SELECT * FROM runs")
    assert (run["name"], run["year"], run["status"], run["practitioners"]) == ("baseline", YEAR, "complete", 3)
    assert "jijiao-national" in json.loads(run["plugins"])
    assert {r["activity"] for r in rows(db, "SELECT activity FROM credit_awards WHERE run = ?", run["id"])} == {"A1", "A2", "A3"}
    assert {r["practitioner"] for r in rows(db, "SELECT practitioner FROM annual_results WHERE run = ?", run["id"])} == {"P1", "P2", "P3"}


def test_every_cited_clause_is_a_row_of_the_clauses_table(db, registry):
    annual.assess(db, registry, YEAR)
    known = {r["id"] for r in rows(db, "SELECT id FROM clauses")}
    cited = {c for r in rows(db, "SELECT clauses FROM credit_awards") for c in json.loads(r["clauses"])}
    cited |= {r["clause"] for r in rows(db, "SELECT clause FROM findings WHERE clause IS NOT NULL")}
    cited |= {r["deemed_clause"] for r in rows(db, "SELECT deemed_clause FROM annual_results WHERE deemed_clause IS NOT NULL")}
    assert cited and cited <= known
    assert rows(db, "SELECT text FROM clauses WHERE id = 'nhc-2019-702/三(视为合格)'")[0]["text"].startswith("参加住院医师")
    assert rows(db, "SELECT count(*) AS n FROM parameters WHERE id = 'national.deemed_further_study_months'")[0]["n"] == 1


def test_deemed_complete_and_missing_documents_are_stated(db, registry):
    annual.assess(db, registry, YEAR)
    p1, p2 = rows(db, "SELECT * FROM annual_results WHERE practitioner IN ('P1', 'P2') ORDER BY practitioner")
    assert p1["verdict"] == "合格" and "7 个月" in p1["deemed_complete"]
    assert p1["deemed_clause"] == "nhc-2019-702/三(视为合格)"
    # Guangdong has no plugin: the national layer's 25 credits (20号 一, from 2025) apply alone,
    # and 5 credits with nothing undetermined are definitely short of them
    assert p2["verdict"] == "不合格" and p2["required"] == 25
    assert "国卫办科教发〔2024〕20号" in json.loads(p2["missing_documents"])
    assert json.loads(p2["missing_layers"])[0].startswith("广东省")
    assert p2["earned"] == 5.0


def test_cross_region_and_binding_recognitions_are_recorded(db, registry):
    annual.assess(db, registry, YEAR)
    found = {r["activity"]: r for r in rows(db, "SELECT * FROM recognitions")}
    assert found["A2"]["binding"] == 1 and found["A2"]["clause"] == "nhc-2019-702/一(远程互认)"
    assert found["A2"]["cross_region"] == 0  # a national project is nobody's other province
    assert found["A3"]["cross_region"] == 1 and found["A3"]["project_jurisdiction"] == "110000"
    assert "A1" not in found


def test_rerunning_a_run_replaces_its_rows(db, registry):
    annual.assess(db, registry, YEAR)
    before = {t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in annual.RESULT_COLUMNS}
    annual.assess(db, registry, YEAR)
    after = {t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in annual.RESULT_COLUMNS}
    assert before == after
    assert rows(db, "SELECT count(*) AS n FROM runs")[0]["n"] == 1


def test_a_run_that_fails_midway_leaves_the_previous_run_whole(db, registry):
    annual.assess(db, registry, YEAR)
    awards = rows(db, "SELECT * FROM credit_awards ORDER BY activity")

    def explode(_n):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        annual.assess(db, registry, YEAR, progress=explode)
    assert rows(db, "SELECT * FROM credit_awards ORDER BY activity") == awards
    assert [r["status"] for r in rows(db, "SELECT status FROM runs")] == ["complete"]


def test_pass_rates_view_and_summary_agree(db, registry):
    summary = annual.assess(db, registry, YEAR)
    view = {r["jurisdiction"]: r for r in rows(db, "SELECT * FROM pass_rates")}
    for j in summary.jurisdictions:
        assert (view[j.code]["practitioners"], view[j.code]["passed"]) == (j.practitioners, j.passed)
    assert any("广东省" in line for line in summary.lines())


def test_an_activity_of_nobody_known_is_reported_not_dropped(tmp_path):
    from jijiao import annual, storage
    from jijiao.plugins import Registry

    db = storage.connect(tmp_path / "orphan.db")
    with db.atomic():
        db.execute("INSERT INTO practitioners (id, name, jurisdiction) VALUES ('P1', '甲', '210000')")
        db.execute("INSERT INTO activities (id, practitioner, kind, year, hours) VALUES ('A1', 'P1', 'further_study', 2026, 6)")
        db.execute("INSERT INTO activities (id, practitioner, kind, year, hours) VALUES ('A2', 'NOBODY', 'further_study', 2026, 6)")
    summary = annual.assess(db, Registry(), 2026)
    assert summary.unassessed == 1 and any("1 项活动的人员编号不在人员表中" in line for line in summary.lines())
    (row,) = db.execute("SELECT subject, practitioner, severity FROM findings WHERE subject_kind = 'activity'").fetchall()
    assert row == ("A2", "NOBODY", "规则出错")
