"""Plugin loading and layering: entry points, outside plugins, many jurisdictions, faulty plugins."""

from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import pytest

from jijiao import engine, hookimpl, hookspecs
from jijiao.models import Activity, AwardStatus, CreditAward, Jurisdiction, Practitioner
from jijiao.inputs import build
from jijiao.plugins import Registry, RuleContext, get_plugin_manager

HERE = Path(__file__).parent
BUILT_IN = {"national", "liaoning", "wenzhou", "changsha"}


def install_example_plugin(tmp_path: Path, monkeypatch) -> None:
    """Install tests/example_plugin the way pip would: its code and a .dist-info on sys.path, and
    let it load beside the built-in plugins (whether or not `make venv` installed it already)."""
    dist_info = tmp_path / "jijiao_zhejiang_example-0.1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: jijiao-zhejiang-example\nVersion: 0.1.0\n")
    (dist_info / "entry_points.txt").write_text("[jijiao]\nzhejiang_example = jijiao_zhejiang_example.plugin\n")
    monkeypatch.syspath_prepend(str(HERE / "example_plugin" / "src"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("JIJIAO_PLUGINS", ",".join(sorted(BUILT_IN | {"zhejiang_example"})))


def sample_year(jurisdiction: str) -> tuple[Practitioner, list[Activity]]:
    practitioner = Practitioner(id="P1", jurisdiction=jurisdiction)
    rows = [
        dict(kind="project", role="participant", project_level="provincial", project_mode="face_to_face", hours=12,
             attendance_per_day=2, evaluation_done=True, exam_score_pct=90, passed=True),
        dict(kind="project", project_level="national", project_mode="remote", certified_credits=3, verified_by_province=True),
        dict(kind="further_study", hours=30, months=1, passed=True),
        dict(kind="practice", role="lecturer", hours=9, attendance_per_day=1),
        dict(kind="self_paper", journal_tier="core", rank=1),
        dict(kind="residency_training", passed=True),
    ]
    facts = Registry().declared_facts(Activity)  # attendance, exam score, journal tier ... are plugins' facts
    activities = [build(Activity, {"id": f"A{i}", "practitioner": "P1", "year": 2026, **row}, facts=facts) for i, row in enumerate(rows)]
    return practitioner, activities


def test_built_in_jurisdictions_come_through_entry_points():
    pm = get_plugin_manager()
    names = {name for name, _plugin in pm.list_name_plugin()}
    assert BUILT_IN <= names
    registry = Registry(pm)
    assert registry.problems == []
    assert set(registry.owners.values()) >= BUILT_IN


def test_jijiao_plugins_environment_variable_limits_loading(monkeypatch):
    monkeypatch.setenv("JIJIAO_PLUGINS", "national,changsha")
    registry = Registry()
    assert set(registry.owners.values()) == {"national", "changsha"}
    assert [m.name for m in registry.chain("210000").missing] == ["辽宁省"]


def test_every_hook_is_documented():
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if name.startswith("jijiao_"):
            assert function.__doc__ and len(function.__doc__.strip()) > 40, f"{name} needs a docstring"


def test_outside_plugin_takes_part_without_changing_core(tmp_path, monkeypatch, jijiao_registry_with):
    practitioner, activities = sample_year("330300")
    before = jijiao_registry_with(only=BUILT_IN)  # not whatever happens to be installed
    assert [m.name for m in before.chain("330300").missing] == ["浙江省"]
    result_before = engine.assess_year(RuleContext(before, year=2026), practitioner, activities, 2026)
    assert {r.requirement.jurisdiction for r in result_before.requirements} == {"000000"}

    install_example_plugin(tmp_path, monkeypatch)
    after = Registry()
    assert after.problems == []
    assert after.owners["330000"] == "zhejiang_example"
    assert "zj_mobile_service" in after.kinds and "zj_service_days" in after.facts["activity"]
    assert "zj_paired_county" in after.facts["application"]
    chain = after.chain("330300")
    assert chain.codes == ("000000", "330000", "330300") and chain.missing == ()
    result = engine.assess_year(RuleContext(after, year=2026), practitioner, activities, 2026)
    (requirement,) = result.requirements
    assert requirement.requirement.jurisdiction == "330000"
    assert requirement.requirement.required == Decimal(25)
    assert "浙江省" not in " ".join(result.missing_layers)


class DummyJurisdiction:
    """A jurisdiction that would change every result if it were ever asked about others'."""

    def __init__(self, code: str):
        self.code = code

    @hookimpl
    def jijiao_jurisdictions(self):
        return [Jurisdiction(code=self.code, name=f"测试地区{self.code}", level="city", parent=self.code[:2] + "0000")]

    @hookimpl
    def jijiao_credit(self, activity, practitioner, jurisdiction):
        return CreditAward(activity.id, practitioner.id, jurisdiction.code, AwardStatus.AWARDED, Decimal(99))

    @hookimpl
    def jijiao_annual_caps(self, jurisdiction):
        raise AssertionError(f"dummy {self.code} was asked about a practitioner outside it")


def dummy_codes(count: int) -> list[str]:
    """City codes in provinces that have no plugin of ours."""
    provinces = [p for p in ("11", "12", "13", "14", "15", "22", "23", "31", "32", "34", "35", "36", "37", "41", "42", "44")]
    return [f"{p}{c:02d}00" for p in provinces for c in range(1, 30)][:count]


def registry_with_dummies(count: int) -> Registry:
    pm = get_plugin_manager()
    for code in dummy_codes(count):
        pm.register(DummyJurisdiction(code), name=f"dummy-{code}")
    return Registry(pm)


def test_three_hundred_extra_jurisdictions_do_not_change_a_liaoning_result():
    practitioner, activities = sample_year("210000")
    plain = Registry()
    crowded = registry_with_dummies(300)
    assert len(crowded.jurisdictions) == len(plain.jurisdictions) + 300
    expected = engine.assess_year(RuleContext(plain, year=2026), practitioner, activities, 2026)
    actual = engine.assess_year(RuleContext(crowded, year=2026), practitioner, activities, 2026)
    assert actual == expected
    assert len(crowded.chain("210000").implementations("jijiao_credit")) == len(plain.chain("210000").implementations("jijiao_credit"))


def test_results_do_not_depend_on_registration_order():
    forward = Registry()
    pm = get_plugin_manager()
    plugins = pm.list_name_plugin()
    for name, plugin in plugins:
        pm.unregister(plugin)
    for name, plugin in reversed(plugins):
        pm.register(plugin, name=name)
    backward = Registry(pm)
    for code in ("210000", "330300", "430100"):
        practitioner, activities = sample_year(code)
        assert engine.assess_year(RuleContext(forward, year=2026), practitioner, activities, 2026) == engine.assess_year(
            RuleContext(backward, year=2026), practitioner, activities, 2026
        )


class FaultyProvince:
    __name__ = "broken-zhejiang"

    @hookimpl
    def jijiao_jurisdictions(self):
        return [Jurisdiction(code="330000", name="浙江省", level="provincial", parent="000000")]

    @hookimpl
    def jijiao_credit(self, activity):
        raise ZeroDivisionError("bad rule")


class FaultyDocuments:
    __name__ = "broken-documents"

    @hookimpl
    def jijiao_documents(self):
        raise RuntimeError("cannot read my clauses")


def test_a_faulty_plugin_is_named_and_does_not_touch_other_jurisdictions(jijiao_registry_with):
    # only the built-in plugins: an installed 浙江省 plugin would contest the faulty one's code
    registry = jijiao_registry_with(FaultyProvince(), FaultyDocuments(), only=BUILT_IN)
    assert any("broken-documents" in p and "cannot read my clauses" in p for p in registry.problems)

    wenzhou, activities = sample_year("330300")
    result = engine.assess_year(RuleContext(registry, year=2026), wenzhou, activities, 2026)
    assert result.passed is None
    (error,) = [f for f in result.findings if f.severity.value == "error"]
    assert "broken-zhejiang" in error.message and "ZeroDivisionError" in error.message

    liaoning, activities = sample_year("210000")
    clean = engine.assess_year(RuleContext(Registry(), year=2026), liaoning, activities, 2026)
    assert engine.assess_year(RuleContext(registry, year=2026), liaoning, activities, 2026) == clean


def test_two_plugins_claiming_one_jurisdiction_are_both_refused():
    pm = get_plugin_manager()
    pm.register(FaultyProvince(), name="zhejiang-a")

    class Another(FaultyProvince):
        pass

    pm.register(Another(), name="zhejiang-b")
    registry = Registry(pm)
    assert "330000" not in registry.jurisdictions
    assert any("zhejiang-a" in p and "zhejiang-b" in p for p in registry.problems)


def test_unknown_what_if_parameter_is_refused():
    with pytest.raises(ValueError, match="unknown parameter"):
        RuleContext.with_overrides(Registry(), {"liaoning.no_such_number": "3"})


def test_a_county_without_a_plugin_is_governed_by_its_city():
    registry = Registry()
    chain = registry.chain("430181")  # 浏阳市, a county-level city under 长沙市
    assert chain.codes == ("000000", "430100")
    assert [m.name for m in chain.missing] == ["湖南省"]
    shenyang = registry.chain("210102")  # a district of 沈阳市: Liaoning applies, 沈阳市 is missing
    assert shenyang.codes == ("000000", "210000") and [m.code for m in shenyang.missing] == ["210100"]
