"""Issue 13 at the national layer: an unrecorded provincial verification is not a verification,
and every national reading is declared, said, and tried both ways in a scenario."""

import re
from pathlib import Path

from jijiao.engine import assess_year
from jijiao.inputs import build
from jijiao.models import Activity, AwardStatus, ClauseRef, Practitioner
from jijiao.plugins import Registry, RuleContext
from jijiao_national.readings import READINGS

FEATURES = Path(__file__).resolve().parents[3] / "features" / "national"


def _award(fields, readings=None):
    registry = Registry()
    assert not registry.problems, registry.problems
    ctx = RuleContext.with_overrides(registry, {}, readings=readings, year=2026)
    activity = build(Activity, {"id": "A1", "practitioner": "P1", "year": 2026, "kind": "继续医学教育项目",
                                "project_level": "国家级", "project_mode": "远程", "certified_credits": 2, **fields},
                     facts=registry.declared_facts(Activity))
    (award,) = assess_year(ctx, Practitioner("P1", jurisdiction="000000"), [activity], 2026).awards
    return award


def test_an_unrecorded_verification_is_pending_and_a_recorded_one_is_cited():
    assert _award({}).status is AwardStatus.PENDING
    assert _award({"verified_by_province": False}).status is AwardStatus.PENDING
    verified = _award({"verified_by_province": True})
    assert verified.status is AwardStatus.AWARDED and verified.credits == 2
    assert {ClauseRef("nhc-2019-702", "一(远程互认)"), ClauseRef("nhc-2019-702", "三(远程授分)")} <= set(verified.clauses)


def test_the_other_reading_of_the_certificate_credits_is_undetermined_with_its_bound():
    award = _award({"verified_by_province": True}, readings={"national.remote_certificate_credits": "alternative"})
    assert (award.status, award.missing.number, award.bound) == (AwardStatus.UNDETERMINED, "国卫办科教发〔2024〕20号", 2)


def test_every_reading_is_in_a_scenario_both_ways():
    text = "\n".join(p.read_text("utf-8") for p in FEATURES.glob("*.feature"))
    for reading in READINGS:
        assert f"按本插件的理解：{reading.taken[:5]}" in text, reading.key
        if reading.switchable:
            assert re.search(rf'按"{re.escape(reading.key)}"的另一种理解', text), reading.key
