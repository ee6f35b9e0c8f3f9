"""The host's shortcuts on the hot path keep every check they stand in for: `models.amend` copies
an award only where no converter or validator is skipped, and `engine.HookPlan` (each hook's
calls planned once per chain) still refuses a wrongly typed answer as the plugin's error."""

from __future__ import annotations

import attrs
import pytest

from jijiao import engine, hookimpl
from jijiao.models import AwardStatus, Cap, ClauseRef, CreditAward, Recognition, RecognitionStatus, amend
from jijiao.plugins import PluginFailure, Registry, RuleContext, get_plugin_manager
from jijiao.testing import ThrowawayRegion

YEAR = 2026


def _award(**changes) -> CreditAward:
    return CreditAward(**{"activity": "A1", "practitioner": "P1", "jurisdiction": "210000",
                          "status": AwardStatus.AWARDED, "credits": 2, **changes})


def test_amend_is_evolve_for_fields_without_checks_and_refuses_the_others():
    award = _award(steps=("一步",))
    decision = Recognition("A1", "000000", RecognitionStatus.RECOGNISED, ClauseRef("nhc-2019-702", "一"), "全国认可")
    amended = amend(award, recognition=decision)
    assert amended == attrs.evolve(award, recognition=decision) and amended is not award
    assert award.recognition is None  # the original is untouched
    with pytest.raises(ValueError, match="credits"):
        amend(award, credits=-1)  # a field with a validator: attrs.evolve, which checks it


def test_a_hook_that_answers_one_item_where_a_list_is_due_is_the_plugins_error():
    class OneCap(ThrowawayRegion):
        @hookimpl
        def jijiao_annual_caps(self, jurisdiction, ctx):
            return Cap("x", 1, ("g",), ClauseRef("d", "一"), jurisdiction.code)  # not a list

    pm = get_plugin_manager(load_entry_points=False)
    region = OneCap("320100", "测试市", parent="320000")
    pm.register(region, name="one-cap")
    reg = Registry(pm)
    chain = reg.chain("320100")
    with pytest.raises(PluginFailure, match="expected a list of Cap"):
        engine.call_layers(chain, "jijiao_annual_caps", practitioner=None, year=YEAR,
                           ctx=RuleContext(reg, year=YEAR))
    assert engine.plan(chain, "jijiao_annual_caps") is engine.plan(chain, "jijiao_annual_caps")  # planned once


def test_amend_takes_tuples_as_they_are_and_nothing_else_for_a_tuple_field():
    award = _award(steps=("一步",))
    assert amend(award, steps=("零步", "一步")) == attrs.evolve(award, steps=("零步", "一步"))
    with pytest.raises(ValueError, match="steps"):
        amend(award, steps=["零步"])  # the converter would have made it a tuple: attrs.evolve


def test_a_hook_of_the_year_that_takes_nothing_of_the_person_is_asked_once_per_chain_and_context():
    asked = []

    class Counting(ThrowawayRegion):
        @hookimpl
        def jijiao_annual_caps(self, jurisdiction, ctx):
            asked.append("caps")
            ctx.reads.add("counting.cap")  # as a parameter read would note it
            return [Cap("x", 1, ("g",), ClauseRef("d", "一"), jurisdiction.code)]

        @hookimpl
        def jijiao_annual_requirements(self, practitioner, jurisdiction, ctx):
            asked.append(practitioner)  # takes the person: asked for each one
            return []

    pm = get_plugin_manager(load_entry_points=False)
    pm.register(Counting("320100", "测试市", parent="320000"), name="counting")
    reg = Registry(pm)
    chain = reg.chain("320100", YEAR)
    ctx = RuleContext(reg, year=YEAR)
    for person in ("P1", "P2"):
        caps = engine.chain_wide_layers(ctx, chain, "jijiao_annual_caps", practitioner=person, year=YEAR)
        assert [cap.name for _code, answer in caps for cap in answer] == ["x"]
        assert ctx.took() == {"counting.cap"}  # what the first call read, noted for every year
        engine.chain_wide_layers(ctx, chain, "jijiao_annual_requirements", practitioner=person, year=YEAR)
    assert asked == ["caps", "P1", "P2"]
    engine.chain_wide_layers(RuleContext(reg, year=YEAR), chain, "jijiao_annual_caps", practitioner="P3", year=YEAR)
    engine.chain_wide_layers(attrs.evolve(ctx, projects=("新的一批",)), chain, "jijiao_annual_caps", practitioner="P3", year=YEAR)
    assert asked == ["caps", "P1", "P2", "caps", "caps"]  # another context (or one evolved from it) asks afresh
