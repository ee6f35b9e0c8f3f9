"""Issue 13 in Changsha: a definite failure decides the year, Hunan's rules leave credits
undetermined (not pending, not refused), and every reading is declared and said."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao.cli import cli
from jijiao.engine import assess_year
from jijiao.inputs import build
from jijiao.models import Activity, AwardStatus, Practitioner
from jijiao.plugins import Registry, RuleContext
from jijiao_changsha.documents import HIGHER_TCM_RULES, HUNAN_CREDIT_RULES
from jijiao_changsha.readings import READINGS

FEATURES = Path(__file__).resolve().parents[3] / "features" / "changsha"


@pytest.fixture(scope="module")
def registry():
    registry = Registry()
    assert not registry.problems, registry.problems
    return registry


def test_28_public_hours_fail_the_year_though_the_professional_number_is_unknown(tmp_path):
    source = tmp_path / "year.json"
    source.write_text(json.dumps({
        "practitioner": {"id": "P1", "jurisdiction": "430100"},
        "year": 2026,
        "activities": [
            {"kind": "公共科目培训", "hours": 28, "approved": True},
            {"kind": "继续医学教育项目", "project_level": "省级", "project_mode": "面授", "project_jurisdiction": "430000",
             "certified_credits": 10, "verified_by_province": True},
        ],
    }, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(cli, ["year", str(source)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == "P1 2026 年度：不合格（公共科目学时：已取得 28 / 要求 30 学时，尚缺 2）"


@pytest.mark.parametrize("fields, missing", [
    ({"kind": "继续医学教育项目", "project_level": "市级", "project_mode": "面授", "project_jurisdiction": "430100", "certified_credits": 3}, HUNAN_CREDIT_RULES),
    ({"kind": "继续医学教育项目", "project_level": "省级", "project_mode": "面授", "project_jurisdiction": "440000", "certified_credits": 3}, HUNAN_CREDIT_RULES),
    ({"kind": "继续医学教育项目", "project_level": "市级", "project_mode": "远程", "remote_body_filed": True, "approved": True, "certified_credits": 3}, HUNAN_CREDIT_RULES),
    ({"kind": "继续医学教育项目", "project_level": "国家级", "medicine": "中医", "project_mode": "面授", "project_jurisdiction": "430000", "certified_credits": 3}, HIGHER_TCM_RULES),
    ({"kind": "进修学习", "months": 2, "passed": True, "certified_credits": 3}, HUNAN_CREDIT_RULES),
])
def test_a_rule_in_a_document_we_lack_is_undetermined_with_the_certificate_as_bound(registry, fields, missing):
    ctx = RuleContext(registry, year=2026)
    activity = build(Activity, {"id": "A1", "practitioner": "P1", "year": 2026, **fields}, facts=registry.declared_facts(Activity))
    (award,) = assess_year(ctx, Practitioner("P1", jurisdiction="430100"), [activity], 2026).awards
    assert (award.status, award.credits, award.missing, award.bound) == (AwardStatus.UNDETERMINED, 0, missing, 3)


def test_every_reading_is_in_a_scenario_and_each_switchable_one_both_ways():
    text = "\n".join(p.read_text("utf-8") for p in FEATURES.glob("*.feature"))
    for reading in READINGS:
        assert f"按本插件的理解：{reading.taken[:5]}" in text, reading.key
        if reading.switchable:
            assert re.search(rf'按"{re.escape(reading.key)}"的另一种理解', text), reading.key
