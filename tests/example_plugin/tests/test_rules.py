"""Unit tests of the example plugin's rules, through the host's engine as every command uses it."""

from decimal import Decimal

from jijiao import engine
from jijiao.inputs import build
from jijiao.models import Activity, AwardStatus, Practitioner, Project
from jijiao.plugins import RuleContext

from jijiao_zhejiang_example.parameters import PARAMETERS
from jijiao_zhejiang_example.vocabulary import MOBILE_SERVICE, PAIRED_COUNTY, SERVICE_DAYS


def service(registry, **facts) -> Activity:
    return build(Activity, {"id": "A1", "practitioner": "P1", "year": 2026, "kind": "下基层巡回医疗服务", **facts},
                 facts=registry.declared_facts(Activity))


def test_the_plugin_declares_its_vocabulary(jijiao_registry):
    assert jijiao_registry.owners["330000"] == "zhejiang_example"
    assert jijiao_registry.kinds["zj_mobile_service"] is MOBILE_SERVICE
    assert jijiao_registry.facts["activity"]["zj_service_days"] is SERVICE_DAYS
    assert jijiao_registry.facts["application"]["zj_paired_county"] is PAIRED_COUNTY
    assert jijiao_registry.namespaces["zhejiang_example"] == "zhejiang_example"


def test_a_day_of_service_is_one_credit_up_to_the_ceiling(jijiao_registry):
    ctx = RuleContext(jijiao_registry, year=2026)
    chain = jijiao_registry.chain("330000")
    practitioner = Practitioner(id="P1", jurisdiction="330000")
    p = ctx.params(PARAMETERS)
    for days, expected in ((2, 2 * p.credits_per_service_day), (30, p.max_credits_per_service)):
        award = engine.judge_activity(ctx, chain, practitioner, service(jijiao_registry, 巡回服务天数=str(days)))
        assert award.status is AwardStatus.AWARDED and award.credits == expected


def test_service_days_not_recorded_is_pending_not_zero(jijiao_registry):
    ctx = RuleContext(jijiao_registry, year=2026)
    award = engine.judge_activity(ctx, jijiao_registry.chain("330000"), Practitioner(id="P1", jurisdiction="330000"),
                                  service(jijiao_registry))
    assert award.status is AwardStatus.PENDING and award.credits == 0


def test_what_if_changes_the_annual_requirement(jijiao_registry):
    ctx = RuleContext.with_overrides(jijiao_registry, {"zhejiang_example.annual_credits": "30"}, year=2026)
    result = engine.assess_year(ctx, Practitioner(id="P1", jurisdiction="330000"), [], 2026)
    (requirement,) = result.requirements
    assert requirement.requirement.required == Decimal(30)


def test_the_application_field_reads_from_its_chinese_label(jijiao_registry):
    project = build(Project, {"id": "ZJ1", "jurisdiction": "330000", "level": "省级", "application": {"结对帮扶县": "淳安县"}},
                    facts=jijiao_registry.declared_facts(Project))
    assert PAIRED_COUNTY.of(project.application) == "淳安县"
    assert engine.check_project(RuleContext(jijiao_registry, year=2026), project) == []
