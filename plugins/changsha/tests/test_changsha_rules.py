"""The Changsha plugin as the host and the CLI see it: registration, what-if runs, citations."""

import json
from datetime import date

import pytest
from click.testing import CliRunner

from jijiao import hookimpl
from jijiao.cli import cli
from jijiao.engine import assess_year, calendar, check_project, project_deadlines
from jijiao.inputs import build
from jijiao.models import Activity, Jurisdiction, Practitioner, Project
from jijiao.plugins import Registry, RuleContext, get_plugin_manager
from jijiao_changsha.projects import yearly

YEAR = {
    "practitioner": {"id": "P1", "jurisdiction": "430100", "unit": "长沙市第一医院"},
    "year": 2026,
    "activities": [
        {"kind": "公共科目培训", "hours": 30, "approved": True},
        {"kind": "继续医学教育项目", "project_level": "省级", "project_mode": "面授", "project_jurisdiction": "430000",
         "certified_credits": 25, "verified_by_province": True},
    ],
}


@pytest.fixture(scope="module")
def registry():
    registry = Registry()
    assert not registry.problems, registry.problems
    return registry


def run_year(tmp_path, *args):
    source = tmp_path / "year.json"
    source.write_text(json.dumps(YEAR, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(cli, ["year", str(source), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_year_shows_both_parts_and_waits_on_hunan(tmp_path):
    out = run_year(tmp_path)
    assert "P1 2026 年度：无法判定" in out
    assert "公共科目学时：已取得 30 / 要求 30 学时，尚缺 0" in out
    assert "专业科目学分：已取得 25 / 要求 未知 学分" in out
    assert "缺少文件：《湖南省继续医学教育学分管理实施细则》（湘卫科教发〔2016〕9号）" in out
    assert "未适用：湖南省（430000）" in out


def test_a_what_if_sets_the_professional_number_and_says_so(tmp_path):
    out = run_year(tmp_path, "--set", "changsha.professional_annual_credits=25")
    assert "P1 2026 年度：合格" in out
    assert "专业科目学分：已取得 25 / 要求 25 学分，尚缺 0" in out
    assert "为假设值，来自 what-if 参数 changsha.professional_annual_credits，并非文件规定" in out
    assert "视同完成当年度 60 学时专业科目培训要求" in out


def test_a_what_if_that_is_not_a_number_names_the_parameter(tmp_path):
    source = tmp_path / "year.json"
    source.write_text(json.dumps(YEAR, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(cli, ["year", str(source), "--set", "changsha.professional_annual_credits=二十五"])
    assert result.exit_code == 1
    assert "expected a number" in result.output


def test_every_clause_in_every_result_is_a_listed_clause(registry):
    ctx = RuleContext(registry, year=2026)
    practitioner = Practitioner("P1", jurisdiction="430100")
    facts = registry.declared_facts(Activity)  # remote_body_filed, verified_by_province ...
    activities = [
        build(Activity, {"id": f"A{i}", "practitioner": "P1", "year": 2026, **fields}, facts=facts)
        for i, fields in enumerate(
            [
                *YEAR["activities"],
                {"kind": "继续医学教育项目", "project_level": "国家级", "project_mode": "远程", "remote_body_filed": False},
                {"kind": "继续医学教育项目", "project_level": "国家级", "medicine": "中医", "project_mode": "面授"},
                {"kind": "继续医学教育项目", "project_level": "市级", "project_mode": "面授", "falsified": True},
            ]
        )
    ]
    result = assess_year(ctx, practitioner, activities, 2026)
    project = Project("P", jurisdiction="430100", level="省级", start=date(2026, 6, 10), execution={"held": True})
    cited = [
        *(c for a in result.awards for c in a.clauses),
        *(f.clause for f in result.findings if f.clause),
        *(r.requirement.clause for r in result.requirements if r.requirement.clause),
        *(f.clause for f in check_project(ctx, project) if f.clause),
        *(d.clause for d in project_deadlines(ctx, project)),
        *(d.clause for d in calendar(ctx, "430100", 2026)),
    ]
    assert cited
    assert [str(c) for c in cited if c not in registry.clauses] == []


def test_recurring_dates_are_checked():
    assert yearly(2026, "03-31").isoformat() == "2026-03-31T23:59:59+08:00"
    with pytest.raises(ValueError, match="MM-DD"):
        yearly(2026, "3月31日")


def test_falsification_names_the_consequence_of_article_26(registry):
    ctx = RuleContext(registry, year=2026)
    practitioner = Practitioner("P1", jurisdiction="430100")
    facts = registry.declared_facts(Activity)
    activities = [
        build(Activity, {"id": "A1", "practitioner": "P1", "year": 2026, "kind": "公共科目培训", "hours": 30, "approved": True}, facts=facts),
        build(Activity, {"id": "A2", "practitioner": "P1", "year": 2026, **YEAR["activities"][1], "falsified": True}, facts=facts),
    ]
    result = assess_year(ctx, practitioner, activities, 2026)
    (void,) = [f for f in result.findings if str(f.clause) == "cs-2022-cme/第二十六条"]
    assert void.consequence == "当事人所获年度学分作废，并对个人及所在单位予以通报批评"
    assert void.voids == ("A2",)  # public-subject hours are the HR bureau's, not voided CME credits


def test_the_professional_part_replaces_the_national_total_under_its_stored_name(registry):
    """第九条's professional part is the year's credits requirement of the national layer under
    the city's name: one requirement, stored as annual_credits / 专业科目学分, beside the hours."""
    ctx = RuleContext(registry, year=2026)
    facts = registry.declared_facts(Activity)
    activities = [build(Activity, {"id": f"A{i}", "practitioner": "P1", "year": 2026, **row}, facts=facts)
                  for i, row in enumerate(YEAR["activities"])]
    result = assess_year(ctx, Practitioner("P1", jurisdiction="430100"), activities, 2026)
    stored = [(r.requirement.name, r.requirement.label, r.requirement.unit, r.requirement.jurisdiction) for r in result.requirements]
    assert stored == [("annual_credits", "专业科目学分", "学分", "430100"), ("public_hours", "公共科目学时", "学时", "430100")]


class Hunan:
    """A throwaway province plugin for 430000: it only declares the jurisdiction."""

    @hookimpl
    def jijiao_jurisdictions(self):
        return [Jurisdiction("430000", "湖南省", "provincial", "000000")]


def test_an_installed_hunan_plugin_speaks_for_hunans_rules():
    """湘卫科教发〔2016〕9号 is Hunan's to supply (owner 430000): with a Hunan plugin on the chain the
    city no longer reports it missing; the document only the higher authorities have stays."""
    pm = get_plugin_manager()
    pm.register(Hunan(), name="hunan-for-test")
    registry = Registry(pm)
    assert not registry.problems, registry.problems
    practitioner = Practitioner("P1", jurisdiction="430100")
    result = assess_year(RuleContext(registry, year=2026), practitioner, [], 2026)
    numbers = [d.number for d in result.missing_documents]
    assert "湘卫科教发〔2016〕9号" not in numbers
    assert "未列文号" in numbers
    assert result.missing_layers == ()
    without = assess_year(RuleContext(Registry(), year=2026), practitioner, [], 2026)
    assert "湘卫科教发〔2016〕9号" in [d.number for d in without.missing_documents]
