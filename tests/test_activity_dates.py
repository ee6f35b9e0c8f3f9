"""Activities judged by their own date within a year (hookspecs, "Rules in force by date").

A test layer of our own -- an invented province, not a real plugin's rule -- whose per-hour
credit changes in the middle of a year: each activity gets the value in force on its date, the
year's rules keep the year's last day, and an activity before the layer's document took effect
is judged by the rules of its day, which we do not hold.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jijiao import engine, hookimpl
from jijiao.models import (
    Activity,
    AwardStatus,
    Clause,
    ClauseRef,
    CreditAward,
    Document,
    Jurisdiction,
    Parameter,
    ParameterSet,
    Practitioner,
    credits,
)
from jijiao.plugins import Registry, RuleContext, get_plugin_manager

CODE = "450000"  # 广西壮族自治区: no plugin of ours, so the test layer is the only one there
DOC = Document(id="test-gx", title="测试用学分办法", number="测试〔2025〕1号", issuer="测试", issued=date(2025, 3, 1),
               status="trial", jurisdiction=CODE, effective_from=date(2025, 3, 1),
               clauses=[Clause(ClauseRef("test-gx", "一"), "每学时授予若干学分。", True, "每学时学分")])
PARAMETERS = ParameterSet("test_gx", [
    Parameter("per_hour", Decimal("0.5"), "学分", DOC.ref("一"), "每学时学分", since=date(2025, 3, 1)),
    Parameter("per_hour", Decimal("1"), "学分", DOC.ref("一"), "每学时学分", since=date(2025, 7, 1)),
])


class MidYearProvince:
    """Credits hours at the per-hour value in force on the judged day; notes the year's value."""

    @hookimpl
    def jijiao_jurisdictions(self):
        return [Jurisdiction(code=CODE, name="测试省", level="provincial", parent="000000")]

    @hookimpl
    def jijiao_documents(self):
        return [DOC]

    @hookimpl
    def jijiao_parameters(self):
        return PARAMETERS

    @hookimpl
    def jijiao_credit(self, activity, practitioner, jurisdiction, ctx):
        p = ctx.params(PARAMETERS)
        return CreditAward(activity.id, practitioner.id, jurisdiction.code, AwardStatus.AWARDED,
                           credits(activity.hours * p.per_hour), clauses=(p.cite("per_hour"),),
                           steps=(f"{ctx.judged_on}：每学时 {p.per_hour} 学分",))

    @hookimpl
    def jijiao_annual_findings(self, practitioner, jurisdiction, ctx):
        self.year_day = ctx.judged_on  # the year-level stage keeps the year's last day
        return []


def registry_with_test_province() -> tuple[Registry, MidYearProvince]:
    pm = get_plugin_manager()
    plugin = MidYearProvince()
    pm.register(plugin, name="test_gx")
    return Registry(pm), plugin


def activity(id_: str, day: str | None, hours: int = 10) -> Activity:
    return Activity(id=id_, practitioner="P", kind="project", year=2025, hours=Decimal(hours),
                    date=date.fromisoformat(day) if day else None)


def test_a_parameter_that_changes_mid_year_is_applied_by_each_activity_date():
    registry, plugin = registry_with_test_province()
    assert registry.problems == []
    ctx = RuleContext(registry, year=2025)
    year = engine.assess_year(ctx, Practitioner(id="P", jurisdiction=CODE),
                              [activity("A", "2025-06-30"), activity("B", "2025-07-01"), activity("C", None)], 2025)
    by_id = {a.activity: a for a in year.awards}
    assert by_id["A"].credits == Decimal(5)  # 0.5 a hour until 30 June
    assert by_id["B"].credits == Decimal(10)  # 1 a hour from 1 July
    assert by_id["C"].credits == Decimal(10)  # no date: the year's rules (its last day)
    assert "2025-06-30：每学时 0.5 学分" in by_id["A"].steps
    assert plugin.year_day == date(2025, 12, 31) and ctx.on is None


def test_an_activity_before_its_layers_document_took_effect_is_judged_by_the_rules_of_its_day():
    registry, _plugin = registry_with_test_province()
    early = activity("E", "2025-02-28")
    award = engine.assess_year(RuleContext(registry, year=2025), Practitioner(id="P", jurisdiction=CODE), [early], 2025).awards[0]
    assert award.status is AwardStatus.UNDETERMINED and award.credits == 0
    assert "测试省（450000）：2025-02-28 没有在册的有效文件；在册最早的测试〔2025〕1号自 2025-03-01 起施行，此前的规定未收录" in award.steps[-1]
    assert award.missing is not None and award.missing.owner == CODE
    on_the_day = engine.assess_year(RuleContext(registry, year=2025), Practitioner(id="P", jurisdiction=CODE),
                                    [activity("F", "2025-03-01")], 2025).awards[0]
    assert on_the_day.status is AwardStatus.AWARDED and on_the_day.credits == Decimal(5)
