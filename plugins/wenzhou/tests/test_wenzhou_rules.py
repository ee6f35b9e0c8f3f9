"""Unit tests of the Wenzhou plugin's pieces that scenarios do not reach directly."""

from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from jijiao import engine
from jijiao.models import CHINA_TZ, Project
from jijiao.plugins import Registry, RuleContext
from jijiao.testing import ThrowawayRegion
from jijiao_wenzhou.review import share
from jijiao_wenzhou.documents import WZ_2026_17
from jijiao_wenzhou.readings import WINDOW_TO_THE_MINUTE
from jijiao_wenzhou.summary import fill


WENZHOU_CHAIN = ("national", "wenzhou")
"""The plugins of Wenzhou's chain as shipped (no 浙江省 plugin): the rules below are judged on it,
whatever else is installed (an outside Zhejiang plugin would add the province's layer)."""


@pytest.fixture(scope="module")
def registry(jijiao_registries):
    return jijiao_registries(WENZHOU_CHAIN)


def test_registry_loads_wenzhou_without_problems(registry):
    installed = Registry()  # beside every installed plugin, too (a fact declared twice must agree)
    assert not [p for p in installed.problems if "wenzhou" in p or "wz-2026-17" in p]
    assert not registry.problems
    assert registry.chain("330300").codes == ("000000", "330300")
    assert [m.code for m in registry.chain("330300").missing] == ["330000"]


def test_every_parameter_cites_a_listed_clause(registry):
    params = registry.parameters_of("wenzhou")
    assert params["max_credits_offline"].value == Decimal("5.0")
    for key, parameter in params.items():
        assert parameter.clause in registry.clauses, key
    assert params["attendance_unit_max_hours"].assumed  # "半天" in hours is our assumption
    assert params["above_city_level_words"].assumed  # the notice lists no "其他…名号"
    assert not params["forbidden_name_words"].assumed


def test_shares_are_exact():
    assert share("1/3") == Fraction(1, 3)
    with pytest.raises(ValueError, match="1/3"):
        share("a third")


def test_missing_application_lists_the_fields_the_rules_need(registry):
    project = Project(id="P", jurisdiction="330300", level="市级", name="基层培训班")
    findings = engine.check_project(RuleContext(registry), project)
    missing = [f.message for f in findings if f.clause == WZ_2026_17.ref("一(二)6")]
    assert any("“授课教师”" in m for m in missing)
    assert any("“外单位学员数”" in m for m in missing)
    # the office's records and the submissions themselves are not fields of the 申报书
    assert not any("负责人近两年无正当理由未执行项目" in m or "网上申报时间" in m for m in missing)
    unchecked = [f for f in findings if f.clause == WZ_2026_17.ref("一(二)1")]
    assert [f.severity.zh for f in unchecked] == ["说明"]
    not_submitted = [f.message for f in findings if f.clause == WZ_2026_17.ref("二(一)(网上申报)")]
    assert len(not_submitted) == 1
    assert not_submitted[0].startswith("没有网上申报记录：网上申报与纸质申报同时进行，缺一不可；按本插件的理解：")


def test_times_are_compared_in_beijing_time(registry):
    # 10:01 UTC is 18:01 in Beijing: one minute late.
    late = datetime(2026, 3, 30, 10, 1, tzinfo=timezone.utc)
    project = Project(id="P", jurisdiction="330300", level="市级", application={"submitted_at": late})
    deadline = next(d for d in engine.project_deadlines(RuleContext(registry), project) if d.what == "网络申报")
    assert deadline.due == datetime(2026, 3, 30, 18, 0, tzinfo=CHINA_TZ)
    assert deadline.late is True


def test_calendar_only_for_the_notices_year(registry):
    assert engine.calendar(RuleContext(registry, year=2027), "330300", 2027) == []
    assert len(engine.calendar(RuleContext(registry, year=2026), "330300", 2026)) == 6


def test_summary_refuses_applications_from_disagreeing_totals():
    projects = [
        Project(id=f"P{i}", level="市级", application={"applicant": "甲医院", "unit_completed_last_year": n})
        for i, n in enumerate((3, 4))
    ]
    with pytest.raises(Exception, match="completed"):
        fill(projects, {})
    book = fill(projects, {"completed": "4"})
    assert "总数 (4) 项" in book.active.cell(book.active.max_row, 1).value


def test_window_check_reads_a_naive_time_as_beijing_time(registry):
    # A record built in Python may carry a naive time; like the deadlines, the window check takes
    # it as Beijing time instead of failing to compare it with the opening time.
    early = datetime(2026, 3, 16, 7, 59)
    project = Project(id="P", jurisdiction="330300", level="市级", application={"submitted_at": early})
    findings = engine.check_project(RuleContext(registry), project)
    opening = [f for f in findings if f.clause == WZ_2026_17.ref("二(一)(网上申报)")]
    assert [f.severity.zh for f in opening] == ["不予受理"]
    assert "2026-03-16 07:59 早于网络申报开始时间 2026-03-16 08:00" in opening[0].message


def test_window_check_shows_a_foreign_time_in_beijing_time(registry):
    early = datetime(2026, 3, 15, 23, 0, tzinfo=timezone.utc)  # 07:00 on 16 March in Beijing
    project = Project(id="P", jurisdiction="330300", level="市级", application={"submitted_at": early})
    opening = [f for f in engine.check_project(RuleContext(registry), project) if f.clause == WZ_2026_17.ref("二(一)(网上申报)")]
    assert "2026-03-16 07:00 早于" in opening[0].message


def test_late_application_names_its_consequence(registry):
    late = datetime(2026, 4, 2, 18, 1, tzinfo=CHINA_TZ)
    project = Project(id="P", jurisdiction="330300", level="市级", application={"paper_submitted_at": late})
    paper = [f for f in engine.check_project(RuleContext(registry), project) if f.clause == WZ_2026_17.ref("二(一)(纸质材料)")]
    assert [f.severity.zh for f in paper] == ["不予受理"]
    # the consequence, then the reading of the window's end the lateness rests on
    assert paper[0].consequence == f"不予受理（{WINDOW_TO_THE_MINUTE.step()}）"


def test_online_enrolment_is_needed_for_the_summary_table_not_for_a_limit(registry):
    # 一(六) sets no limit on online enrolment, so no rule of it needs the number; the unit still
    # fills 拟招生人数 in 附件1 for every project.
    project = Project(id="P", jurisdiction="330300", level="市级", mode="线上")
    missing = [f.message for f in engine.check_project(RuleContext(registry), project) if "“拟招生人数”" in f.message]
    assert missing == ["项目申报书未完整填写：缺少“拟招生人数”（审查 wz-2026-17/附件1 所需）"]


def test_zhejiang_rules_are_missing_only_while_no_zhejiang_plugin_speaks_for_them(registry, jijiao_registry_with):
    from jijiao.models import Practitioner
    from jijiao_wenzhou.documents import ZHEJIANG_CREDIT_RULES

    assert ZHEJIANG_CREDIT_RULES.owner == "330000"
    wenzhou = Practitioner(id="X", jurisdiction="330300")
    alone = engine.assess_year(RuleContext(registry, year=2026), wenzhou, [], 2026)
    assert ZHEJIANG_CREDIT_RULES in alone.missing_documents
    # With a 浙江省 plugin on the chain (here one that lacks nothing), the province speaks for its
    # own rules: Wenzhou no longer reports them missing.
    with_province = jijiao_registry_with(ThrowawayRegion("330000", "浙江省", level="provincial"), only=WENZHOU_CHAIN)
    assert with_province.chain("330300").codes == ("000000", "330000", "330300")
    result = engine.assess_year(RuleContext(with_province, year=2026), wenzhou, [], 2026)
    assert ZHEJIANG_CREDIT_RULES not in result.missing_documents
    assert result.missing_layers == ()


# --- checks across records: the batch judged together (ctx.projects) ----------------------------

import attrs  # noqa: E402

from jijiao.models import Teacher  # noqa: E402
from jijiao_wenzhou.readings import READINGS  # noqa: E402


def _application(id, leader, unit, **facts):
    return Project(id=id, jurisdiction="330300", level="市级", name=f"培训班{id}", leader=leader, host=unit,
                   application={"applicant": unit, "leader_applications": 1, **facts})


def _findings_on(registry, project, batch, clause_id):
    ctx = attrs.evolve(RuleContext(registry), projects=tuple(batch))
    return [f for f in engine.check_project(ctx, project) if f.clause == WZ_2026_17.ref(clause_id)]


def test_a_leader_is_counted_in_the_batch_and_only_in_this_rounds_applications(registry):
    first, second = _application("A", "王建国", "甲医院"), _application("B", "王建国", "甲医院")
    assert [f.severity.zh for f in _findings_on(registry, first, [first, second], "一(一)(每人一项)")] == ["不予受理"]
    # the same leader's provincial project, or a city project of another city, is not of this round
    provincial = attrs.evolve(second, level="省级")
    elsewhere = attrs.evolve(second, jurisdiction="430100")
    assert _findings_on(registry, first, [first, provincial, elsewhere], "一(一)(每人一项)") == []
    # alone (no batch), the typed count says 1: nothing to find
    assert _findings_on(registry, first, [], "一(一)(每人一项)") == []


def test_a_namesake_in_another_unit_is_noted_not_refused(registry):
    first, other = _application("A", "王建国", "甲医院"), _application("C", "王建国", "乙医院")
    found = _findings_on(registry, first, [first, other], "一(一)(每人一项)")
    assert [f.severity.zh for f in found] == ["说明"]
    assert "须核实是否同一人" in found[0].message


def test_a_teacher_may_teach_in_several_applications(registry):
    # 每人仅可申请1项 limits what a leader applies for; the notice sets no limit on where one teaches.
    teacher = (Teacher("张三", "正高级", unit="甲医院", specialty="全科医学"),)
    first = attrs.evolve(_application("A", "王建国", "甲医院"), teachers=teacher)
    second = attrs.evolve(_application("B", "李明", "甲医院"), teachers=teacher)
    ctx = attrs.evolve(RuleContext(registry), projects=(first, second))
    texts = [f.message for f in engine.check_project(ctx, first)]
    assert not any("张三" in t for t in texts)
    assert not any(f.clause == WZ_2026_17.ref("一(一)(每人一项)") for f in engine.check_project(ctx, first))


def test_the_office_records_absent_are_unchecked_never_passed(registry):
    # Absent, each is named as not checked (说明), neither passed nor an incomplete form.
    project = Project(id="P", jurisdiction="330300", level="市级", name="基层培训班", application={"unit_first_time": True})
    findings = engine.check_project(RuleContext(registry), project)
    for what, clause_id in (("申报书完整真实", "一(二)6"), ("单位本年申报项目数", "二(一)(限额)"),
                            ("负责人本年申报项目数", "一(一)(每人一项)")):
        on = [f for f in findings if f"“{what}”" in f.message]
        assert [(f.severity.zh, f.clause) for f in on] == [("说明", WZ_2026_17.ref(clause_id))], what


def test_every_reading_is_declared_with_a_listed_clause(registry):
    keys = {r.key for r in READINGS}
    assert {k for k in registry.readings if k.startswith("wenzhou.")} == keys
    for reading in READINGS:
        assert reading.clause in registry.clauses, reading.key
    assert {r.key for r in READINGS if r.switchable} == {"wenzhou.leader_one_application", "wenzhou.unit_over_quota"}
