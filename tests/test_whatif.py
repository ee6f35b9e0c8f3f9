"""What-if runs beside the baseline, and their comparison."""

import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from jijiao import annual, storage
from jijiao.cli import cli
from jijiao.models import Activity, Practitioner
from jijiao.plugins import Registry

YEAR = 2026
STRICTER = {"national.deemed_further_study_months": "8"}


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "w.db"
    db = storage.connect(path)
    tail = ("t", "t", 1, "t")
    # Judged under the national layer alone, with no level missing (广东省 would make a 合格 无法判定)
    people = [Practitioner(id=f"P{m}", jurisdiction="000000", unit=f"单位{m}") for m in (5, 7, 9)]
    acts = [Activity(id=f"A{m}", practitioner=f"P{m}", kind="further_study", year=YEAR, months=Decimal(m), passed=True,
                     date=date(YEAR, 1, 10)) for m in (5, 7, 9)]
    with db.atomic():
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(p), *tail) for p in people])
        storage.upsert_records(db, "activities", [(*storage.codec(db, "activities").encode(a), *tail) for a in acts])
    return path


def test_a_what_if_run_is_stored_beside_the_baseline_and_compared(database):
    db, registry = storage.connect(database), Registry()
    annual.assess(db, registry, YEAR)
    what_if = annual.assess(db, registry, YEAR, settings=STRICTER)
    assert what_if.name == "national.deemed_further_study_months=8"
    runs = db.execute_returning_dicts("SELECT id, name, overrides FROM runs ORDER BY id")
    assert [r["name"] for r in runs] == ["baseline", what_if.name]
    assert json.loads(runs[1]["overrides"]) == STRICTER
    used = db.execute("SELECT value, default_value, overridden FROM run_parameters WHERE run = ? AND parameter = ?",
                      (runs[1]["id"], "national.deemed_further_study_months")).fetchone()
    assert used == ("8", "6", 1)
    base, other, changed = annual.compare(db, "baseline", what_if.name)
    # 7 months completes the year under 6 but not under 8; 5 and 9 months are on the same side of both
    assert [(r["practitioner"], r["change"]) for r in changed] == [("P7", "合格→不合格")]
    assert db.execute("SELECT count(*) FROM comparisons").fetchone()[0] == 1


def test_the_commands_run_a_what_if_from_set_or_a_parameters_file(database, tmp_path):
    runner = CliRunner()
    db = str(database)
    assert runner.invoke(cli, ["assess", "--db", db, "--year", "2026"]).exit_code == 0
    params = tmp_path / "stricter.json"
    params.write_text(json.dumps({"national.deemed_further_study_months": 8}))
    result = runner.invoke(cli, ["assess", "--db", db, "--params", str(params)])
    assert result.exit_code == 0, result.output
    assert "「stricter」2026 年度" in result.output
    result = runner.invoke(cli, ["compare", "--db", db, "--base", "baseline", "--other", "stricter"])
    assert result.exit_code == 0, result.output
    assert "合格→不合格：1 人" in result.output and "P7 单位7" in result.output


def test_an_unknown_parameter_or_run_is_a_one_line_error(database):
    runner = CliRunner()
    result = runner.invoke(cli, ["assess", "--db", str(database), "--set", "national.no_such=1"])
    assert result.exit_code == 1 and "unknown parameter 'national.no_such'" in result.output
    result = runner.invoke(cli, ["compare", "--db", str(database), "--base", "baseline", "--other", "nothing"])
    assert result.exit_code == 1 and "no run named" in result.output


def test_runs_of_two_years_are_compared_with_the_rule_changes_between_them(database):
    """Each run records the documents in force and the parameter values of its year: a 2024 and
    a 2026 run of the same records differ in 20号's 25 credits (from 2025), listed beside the
    people whose verdict changed."""
    db, registry = storage.connect(database), Registry()
    annual.assess(db, registry, 2024)
    annual.assess(db, registry, YEAR)
    documents = json.loads(db.execute("SELECT documents FROM runs WHERE year = 2024").fetchone()[0])
    assert documents["nhc-2019-702"] == "有效" and documents["ln-credit-scheme"] == "不适用"
    used = dict(db.execute("SELECT r.year, p.value FROM run_parameters p JOIN runs r ON r.id = p.run "
                           "WHERE p.parameter = 'national.annual_credits'").fetchall())
    assert used == {2024: None, 2026: "25"}
    base, other = annual.find_run(db, "baseline", 2024), annual.find_run(db, "baseline", YEAR)
    changes = annual.rule_changes(db, base, other)
    assert "参数 national.annual_credits：无取值 → 25 学分（自 2025-01-01 起）" in changes
    assert "文件 辽宁省继续医学教育学分管理实施方案（试行）（征求意见稿）：不适用 → 有效" in changes
    result = CliRunner().invoke(cli, ["compare", "--db", str(database), "--base", "baseline", "--year", "2024",
                                      "--other", "baseline", "--other-year", str(YEAR)], catch_exceptions=False)
    assert "2024 年度 → 2026 年度" in result.output and "规则的变化：" in result.output
    assert "national.annual_credits：无取值 → 25 学分" in result.output
    history = json.loads(db.execute("SELECT history FROM parameters WHERE id = 'national.annual_credits'").fetchone()[0])
    assert history == [{"since": "2025-01-01", "value": "25", "clause": "nhc-2024-20/一"}]
