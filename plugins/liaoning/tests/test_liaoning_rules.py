"""Unit tests of the Liaoning plugin's own helpers: ranges, rates, categories, dates, sampling,
and that every clause the plugin cites is one its documents list."""

import ast
import pathlib
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from jijiao.models import CHINA_TZ, Activity, ActivityKind, ClauseRef, Jurisdiction, Level, Project
from jijiao.plugins import Registry, RuleContext
from jijiao_national.vocabulary import Credits, Kind
from jijiao_liaoning import deadlines, execution, spot_checks, vocabulary
from jijiao_liaoning.documents import CREDIT_SCHEME, NOTICE_2026_56
from jijiao_liaoning.parameters import PARAMETERS
from jijiao_liaoning.plugin import JURISDICTION
from jijiao_liaoning.rules import at_rate, category_of, is_out_of_province, rank_credits
from jijiao_liaoning.self_study import quarter
from jijiao_liaoning.vocabulary import SelfStudy

SOURCE = pathlib.Path(__file__).parents[1] / "src" / "jijiao_liaoning"
CLAUSES = {c.ref for d in (CREDIT_SCHEME, NOTICE_2026_56) for c in d.clauses}


@pytest.fixture(scope="module")
def params():
    return RuleContext(Registry()).params(PARAMETERS)


# --- ranges and rates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, last, ranks, expected",
    [
        (6, 4, 3, [6, 5, 4]),
        (3, 1, 3, [3, 2, 1]),
        (10, 6, 5, [10, 9, 8, 7, 6]),
        (6, 2, 5, [6, 5, 4, 3, 2]),
        (10, 8, 3, [10, 9, 8]),
    ],
)
def test_a_range_falls_one_equal_step_per_rank(first, last, ranks, expected):
    assert [rank_credits(D(first), D(last), ranks, r) for r in range(1, ranks + 1)] == [D(x) for x in expected]


@pytest.mark.parametrize("rank", [0, 4])
def test_a_rank_outside_the_range_earns_nothing(rank):
    assert rank_credits(D(6), D(4), 3, rank) is None


def test_an_uneven_range_is_rounded_down_never_up():
    # 5—4 over three ranks would be 5, 4.5, 4: exact; 5—4 over four ranks gives 4.66.. → 4.6
    assert rank_credits(D(5), D(4), 4, 2) == D("4.6")


@pytest.mark.parametrize(
    "quantity, per, expected",
    [(6, 6, "1"), (7, 6, "1.1"), (D("6.5"), 6, "1.0"), (5, 6, "0.8"), (2500, 1000, "2.5"), (2000, 1500, "1.3")],
)
def test_rates_are_pro_rata_and_rounded_down_to_a_tenth(quantity, per, expected):
    assert at_rate(quantity, per) == D(expected)


def test_published_national_and_provincial_projects_are_class_i_everything_else_class_ii():
    def activity(kind, level=None):
        return Activity(id="A", practitioner="P", kind=kind, year=2026, project_level=level)

    assert category_of(activity(Kind.PROJECT, Level.NATIONAL)) is Credits.CLASS_I
    assert category_of(activity(Kind.PROJECT, Level.PROVINCIAL)) is Credits.CLASS_I
    assert category_of(activity(Kind.PROJECT, Level.CITY)) is Credits.CLASS_II
    assert category_of(activity(Kind.PRACTICE)) is Credits.CLASS_II
    assert category_of(activity(SelfStudy.PAPER)) is Credits.CLASS_II


@pytest.mark.parametrize("code, expected", [("330000", True), ("110105", True), ("210000", False), ("210102", False), ("000000", False), (None, False)])
def test_out_of_province_means_another_province_not_liaoning_nor_the_nation(code, expected):
    assert is_out_of_province(code) is expected


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day, q", [(date(2026, 3, 31), 1), (date(2026, 4, 1), 2), (date(2026, 9, 30), 3), (date(2026, 10, 1), 4)])
def test_quarters(day, q):
    assert quarter(day) == q


@pytest.mark.parametrize("year, month, last", [(2027, 1, 31), (2028, 2, 29), (2026, 12, 31), (2026, 4, 30)])
def test_last_day_of_month(year, month, last):
    assert deadlines.last_day_of_month(year, month) == date(year, month, last)


def test_due_times_are_the_last_second_of_the_day_beijing_time():
    due = deadlines.end_of_day(date(2026, 6, 3))
    assert due == datetime(2026, 6, 3, 23, 59, 59, tzinfo=CHINA_TZ)
    assert due.utcoffset().total_seconds() == 8 * 3600


def test_registration_deadline_from_a_utc_record(params):
    # 2026-06-03T16:30Z is 2026-06-04 00:30 in Beijing: one day late.
    project = Project(
        id="P", jurisdiction="210000", level="省级", start=date(2026, 6, 10), end=date(2026, 6, 12),
        execution={"registered_at": datetime.fromisoformat("2026-06-03T16:30+00:00")},
    )
    (registration,) = [d for d in deadlines.project_deadlines(project, JURISDICTION, params) if "开班" in d.what]
    assert registration.late is True


def test_projects_of_other_provinces_and_city_projects_get_no_provincial_deadlines(params):
    for project in (Project(id="P", jurisdiction="330000", level="省级", start=date(2026, 6, 1)),
                    Project(id="Q", jurisdiction="210100", level="市级", start=date(2026, 6, 1))):
        assert deadlines.project_deadlines(project, JURISDICTION, params) == []


# --- spot checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count, size", [(0, 0), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_sample_size_is_at_least_ten_percent_rounded_up(count, size):
    assert spot_checks.sample_size(count, D(10)) == size


def _projects(n):
    return [Project(id=f"LN{i:03}", jurisdiction="210100", requested_credits=8 if i % 2 else 4) for i in range(n)]


def test_the_same_seed_gives_the_same_plan_and_another_seed_may_not(params):
    projects = _projects(60)
    first = spot_checks.plan(projects, 2026, 1, JURISDICTION, params)
    again = spot_checks.plan(list(reversed(projects)), 2026, 1, JURISDICTION, params)
    assert [c.project for c in first] == [c.project for c in again]
    others = {tuple(c.project for c in spot_checks.plan(projects, 2026, s, JURISDICTION, params)) for s in range(2, 8)}
    assert len(others) > 1


def test_projects_of_other_provinces_and_other_years_are_not_drawn(params):
    projects = [Project(id="ZJ", jurisdiction="330000", requested_credits=8),
                Project(id="OLD", jurisdiction="210000", requested_credits=8, start=date(2025, 5, 1))]
    assert spot_checks.plan(projects, 2026, 1, JURISDICTION, params) == []


def test_each_city_draws_from_its_own_projects_of_five_credits_and_fewer(params):
    # 21 projects in 210100 and one in each of four other cities: 3 + 1 + 1 + 1 + 1, not 3 over the pool.
    cities = ["210100"] * 21 + ["210200", "210300", "210400", "210500"]
    projects = [Project(id=f"LN{i:03}", jurisdiction=code, requested_credits=4) for i, code in enumerate(cities)]
    plan = spot_checks.plan(projects, 2026, 3, JURISDICTION, params)
    drawn = sorted(c.checker for c in plan)
    assert drawn == sorted(["属地市级卫生健康行政部门（210100）"] * 3 + [f"属地市级卫生健康行政部门（{c}）" for c in cities[21:]])


def test_a_project_without_credits_is_bad_input_naming_the_field(params):
    with pytest.raises(ValueError, match="requested_credits"):
        spot_checks.plan([Project(id="X", jurisdiction="210000")], 2026, 1, JURISDICTION, params)


# --- execution ------------------------------------------------------------------------------------


def test_an_unknown_credit_irregularity_is_bad_input_naming_the_field(params):
    project = Project(id="P", jurisdiction="210000", execution={"credit_irregularities": ("多发",)})
    with pytest.raises(ValueError, match="credit_irregularities"):
        execution.project_findings(project, JURISDICTION, params)


def test_execution_checks_apply_only_to_projects_governed_by_liaoning(params):
    project = Project(id="P", jurisdiction="330000", execution={"attendance_checks_per_day": 0})
    assert execution.project_findings(project, JURISDICTION, params) == []


# --- citations ------------------------------------------------------------------------------------


def test_every_parameter_cites_a_listed_clause():
    assert PARAMETERS.namespace == "liaoning"
    assert all(p.clause in CLAUSES for p in PARAMETERS.parameters)
    assert len({p.key for p in PARAMETERS.parameters}) == len(PARAMETERS.parameters)


def _cited_clause_ids():
    """Every literal clause id passed to S.ref / N.ref / DOC.ref (or 'clause' helpers) in the source."""
    for path in SOURCE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "ref":
                owner = getattr(node.func.value, "id", None)
                document = {"S": CREDIT_SCHEME.id, "N": NOTICE_2026_56.id}.get(owner)
                if document and node.args and isinstance(node.args[0], ast.Constant):
                    yield path.name, ClauseRef(document, node.args[0].value)


def test_every_clause_the_rules_cite_is_listed():
    cited = list(_cited_clause_ids())
    assert len(cited) > 30
    unknown = [(name, str(ref)) for name, ref in cited if ref not in CLAUSES]
    assert not unknown


def test_the_registry_loads_the_plugin_without_problems():
    registry = Registry()
    assert not [p for p in registry.problems if "liaoning" in p]
    assert registry.jurisdictions["210000"] == Jurisdiction(code="210000", name="辽宁省", level="provincial", parent="000000")


# --- what the plugin declares -----------------------------------------------------------------------

# The codes and labels files and stored results have always used (the core enum's, before issue 11).
SELF_STUDY_KINDS = [
    ("self_supervision", "住培带教"), ("self_teaching", "授课或带教"), ("self_exam_setting", "考试命题或考官"),
    ("self_guideline", "临床指南或专家共识编撰"), ("self_book", "出版医学著作"), ("self_report", "专题研究报告被采纳"),
    ("self_translation", "发表医学译文"), ("self_paper", "发表论文或综述"), ("self_grant", "科研课题获批"),
    ("self_award", "获科技奖励"), ("self_patent", "获得专利"), ("self_health_education", "健康宣教或科普"),
    ("self_plan", "自学计划"), ("self_competition", "技能竞赛获奖"), ("self_other", "其他可验证的自学"),
]


def test_the_self_study_kinds_keep_their_codes_and_labels_and_are_cases_of_planned_self_study():
    registry = Registry()
    for code, label in SELF_STUDY_KINDS:
        kind = registry.kinds[code]
        assert kind.zh == label
        assert ActivityKind.parse(label) is kind and ActivityKind.parse(code) is kind
        assert kind.is_a(Kind.SELF_STUDY) and not kind.is_a(Kind.PROJECT)
        assert kind.clause in CLAUSES
    assert sorted(k.code for k in vocabulary.KINDS) == sorted(code for code, _label in SELF_STUDY_KINDS)


def test_the_facts_keep_the_names_labels_and_types_of_the_old_fields():
    registry = Registry()
    activity = {name: (f.zh, f.type, f.unit) for name, f in registry.facts["activity"].items()}
    for name, label, type_, unit in [
        ("sessions", "次数", int, None), ("words", "字数", int, "字"), ("exam_score_pct", "考试成绩", D, "%"),
        ("attendance_per_day", "每日考勤次数", int, None), ("evaluation_done", "完成满意度评价", bool, None),
        ("rank", "排名或等级", int, None), ("journal_tier", "期刊类别", vocabulary.JournalTier, None),
        ("patent_kind", "专利类型", vocabulary.PatentKind, None), ("plan_submitted_on", "学习计划提交日期", date, None),
        ("evidence_submitted_on", "佐证材料提交日期", date, None),
    ]:
        assert activity[name] == (label, type_, unit)
    assert vocabulary.RANK.minimum == 1
    execution_facts = registry.facts["execution"]
    assert [f.name for f in vocabulary.EXECUTION_FACTS] == [
        "held", "registered_at", "records_at", "actual_enrolment", "grassroots_trainees", "content_change_pct",
        "teacher_change_pct", "hours_change_pct", "longest_theory_lecture_hours", "attendance_checks_per_day",
        "credit_irregularities", "other_violations",
    ]
    assert all(execution_facts[f.name].same_as(f) for f in vocabulary.EXECUTION_FACTS)
    assert all(f.clause in CLAUSES for f in vocabulary.FACTS)


def test_journal_tiers_and_patent_kinds_keep_their_codes_and_labels():
    assert [(t.value, t.zh) for t in vocabulary.JournalTier] == [("sci", "SCI期刊"), ("core", "核心期刊"), ("ordinary", "普通期刊")]
    assert [(k.value, k.zh) for k in vocabulary.PatentKind] == [
        ("design", "外观设计专利"), ("utility", "实用新型专利"), ("invention", "发明专利")]


def test_the_plugin_ships_its_scenarios():
    (folder,) = Registry().feature_paths["liaoning"]
    assert folder.name == "liaoning" and any(folder.glob("*.feature"))
