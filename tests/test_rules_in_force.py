"""Rules in force by date: documents' periods, the chain of a year, dated parameters, and the
commands that show them (hookspecs, "Rules in force by date")."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from click.testing import CliRunner

from jijiao.cli import cli
from jijiao.models import ClauseRef, Document, Parameter, in_force_version
from jijiao.plugins import Registry, RuleContext


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _document(**kw) -> Document:
    return Document(id="d", title="t", number="n", issuer="i", issued=date(2022, 4, 14), status="trial",
                    jurisdiction="430100", **kw)


def test_a_document_is_in_force_from_the_day_it_takes_effect_not_the_day_before():
    d = _document(effective_from=date(2022, 4, 14))
    assert d.in_force(date(2022, 4, 13)) is False and d.in_force(date(2022, 4, 14)) is True
    assert d.governs_year(2021) is False and d.governs_year(2022) is True


def test_a_document_ends_after_its_last_day_and_an_unknown_date_of_effect_stays_unknown():
    ended = _document(effective_from=date(2026, 3, 19), effective_until=date(2026, 12, 31))
    assert ended.governs_year(2026) is True and ended.in_force(date(2027, 1, 1)) is False
    unknown = _document(effect_unknown=True)
    assert unknown.in_force(date(2022, 4, 13)) is False  # nothing takes effect before its issue
    assert unknown.in_force(date(2025, 1, 1)) is None


def test_the_chain_of_a_year_leaves_out_a_level_with_no_document_in_force():
    registry = Registry()
    assert [m.code for m in registry.chain("210000", 2021).out_of_force] == ["210000"]
    assert registry.chain("210000", 2026).out_of_force == ()
    assert registry.chain("210000", 2021).codes == ("000000",)
    reason = registry.chain("330300", 2027).out_of_force[0].reason
    assert reason == "2027 年度没有在册的有效文件；温卫发函〔2026〕17号只适用至 2026-12-31，2027 年度的文件未收录"


def test_a_parameter_has_the_value_in_force_on_the_judged_day_and_a_what_if_on_top():
    registry = Registry()
    assert RuleContext(registry, year=2024).params("national").annual_credits is None
    assert RuleContext(registry, year=2025).params("national").annual_credits == 25
    assert RuleContext(registry, on=date(2024, 12, 31)).params("national").annual_credits is None
    what_if = RuleContext.with_overrides(registry, {"national.annual_credits": "30"}, year=2024)
    assert what_if.params("national").annual_credits == Decimal(30)  # labelled as now: whatever the year


def test_the_version_in_force_is_the_latest_that_has_taken_effect():
    clause = ClauseRef("d", "一")
    old = Parameter("x", 20, "学分", clause, "x")
    new = Parameter("x", 25, "学分", clause, "x", since=date(2025, 1, 1))
    history = (old, new)
    assert in_force_version(history, date(2024, 12, 31)) is old
    assert in_force_version(history, date(2025, 1, 1)) is new
    assert in_force_version(history, None) is new
    assert in_force_version((new,), date(2024, 1, 1)) is None


def test_params_shows_a_parameter_history_with_its_citations():
    result = run("params", "national.annual_credits", "--json")
    history = json.loads(result.output)["history"]
    assert [(v["since"], v["value"], v["clause"]) for v in history] == [("2025-01-01", 25, "nhc-2024-20/一")]
    text = run("params", "national.annual_credits").output
    assert "2025-01-01 以前：无取值" in text and "国卫办科教发〔2024〕20号" in text
    bad = CliRunner().invoke(cli, ["params", "national.nope"])
    assert bad.exit_code == 1 and "unknown parameter 'national.nope'" in bad.output


def test_plugins_year_shows_what_is_in_force_that_year():
    before = json.loads(run("plugins", "--year", "2023", "--json").output)
    after = json.loads(run("plugins", "--year", "2026", "--json").output)
    national = [next(p for p in listing["plugins"] if p["plugin"] == "national") for listing in (before, after)]
    assert national[0]["parameters"]["national.annual_credits"]["value"] is None
    assert national[1]["parameters"]["national.annual_credits"]["value"] == 25
    liaoning = next(p for p in before["plugins"] if p["plugin"] == "liaoning")
    assert any("辽继医教发〔2007〕12号" in m for m in liaoning["missing_layers"])


def test_a_project_is_judged_by_the_rules_of_the_year_it_starts(tmp_path):
    project = tmp_path / "p.json"
    project.write_text('{"id": "LN2025-9", "项目所属地区": "210000", "项目级别": "省级", '
                       '"开始日期": "2025-06-01", "结束日期": "2025-06-03"}', "utf-8")
    earlier = run("deadlines", "--project", str(project)).output
    assert earlier.strip() == ("未适用：辽宁省（210000）：2025 年度没有在册的有效文件；"
                               "当时施行的是辽继医教发〔2007〕12号、辽卫办发〔2015〕225号（未收录）")
    project.write_text(project.read_text("utf-8").replace("2025", "2026"), "utf-8")
    assert "2026-12-15 23:59  2026年度推荐项目全部执行完毕" in run("deadlines", "--project", str(project)).output
