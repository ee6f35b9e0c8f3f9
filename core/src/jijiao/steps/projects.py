"""Steps about projects: their applications and execution, findings, deadlines and spot checks.

PYTEST_DONT_REWRITE: a failed step says only what its message says, in the policy's words (see
`._messages`), not pytest's "assert None is True" beneath it.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ..engine import calendar, check_project, project_deadlines, spot_check_plan
from ..inputs import InputError, build, field_index
from ..models import MAPPING_FIELDS, ClauseRef, Project, Severity, Teacher, in_china
from ..featurelint import unknown_column
from ..steptables import step_tables
from . import step
from ._messages import input_problem
from .common import record, records


def project_table(registry):
    return next(t for t in step_tables(registry) if t.name == "项目")


def split_project_fields(fields: dict, registry) -> tuple[dict, dict, dict]:
    """Route each label to the project, its application or its execution (the facts the
    installed plugins declare for them; `jijiao steps --fields` lists them)."""
    from ..inputs import fact_index

    own, application, execution = {}, {}, {}
    project_fields = field_index(Project)
    parts = ((application, fact_index(registry.facts["application"])), (execution, fact_index(registry.facts["execution"])))
    for key, value in fields.items():
        if key in project_fields and key not in MAPPING_FIELDS:
            own[key] = value
            continue
        for part, index in parts:
            if key in index:
                part[key] = value
                break
        else:
            raise AssertionError(unknown_column(project_table(registry), key))
    return own, application, execution


def make_project(fields: dict, default_id: str, jurisdiction: str, registry) -> Project:
    own, application, execution = split_project_fields(fields, registry)
    parts = {name: part for name, part in (("application", application), ("execution", execution)) if part}
    try:
        return build(Project, {"id": default_id, **own, **parts}, defaults={"jurisdiction": jurisdiction},
                     places=registry.find_jurisdiction, facts=registry.declared_facts(Project))
    except InputError as error:
        raise AssertionError(input_problem("项目数据", error, Project)) from None


def _region(world, region):
    return world.registry.find_jurisdiction(region)


@step(
    "假如",
    '"{region}"的一个项目:',
    '假如 "温州市"的一个项目:\n  | 字段 | 值 |\n  | 项目名称 | 基层慢病管理适宜技术培训班 |\n  | 举办形式 | 线下 |\n  | 教学学时 | 15 |\n  | 申请学分 | 5.0 |',
)
def a_project(world, region, datatable):
    """某地区的一个项目；表格可同时包含项目本身、申报信息（网上申报时间、负责人参与理论授课……）
    和执行情况（实际参培人数……）的字段。"""
    world.project = make_project(record(datatable), "PRJ1", _region(world, region), world.registry)


@step(
    "假如",
    "该项目的授课教师如下:",
    "而且 该项目的授课教师如下:\n  | 姓名 | 职称 | 工作单位 |\n  | 张三 | 副高级 | 温州市中心医院 |",
)
def teachers(world, datatable):
    """项目的授课教师，每行一人（姓名、职称、工作单位、专业、实验或技术示范教师）。"""
    try:
        people = tuple(build(Teacher, row) for row in records(datatable))
    except InputError as error:
        raise AssertionError(input_problem("教师数据", error, Teacher)) from None
    world.project = attrs.evolve(world.project, teachers=people)


@step(
    "假如",
    '"{region}"的以下项目:',
    '假如 "辽宁省"的以下项目:\n  | 项目编号 | 申请学分 | 医学类别 |\n  | LN001 | 8 | 西医 |\n  | LN002 | 4 | 中医 |',
)
def several_projects(world, region, datatable):
    """多个项目，每行一个。"""
    code = _region(world, region)
    world.projects = [
        make_project(row, f"PRJ{i}", code, world.registry) for i, row in enumerate(records(datatable), 1)
    ]


@step("当", "审查该项目", "当 审查该项目")
def review(world):
    """按各级规则审查项目的申报与执行情况，并核对项目期限。"""
    assert world.project is not None, "还没有项目：先写“\"{地区}\"的一个项目:”及其表格"
    world.findings = check_project(world.context(), world.project)
    world.clauses_in_view = tuple(f.clause for f in world.findings if f.clause)
    world.texts_in_view = tuple(f"{f.message} {f.consequence}" for f in world.findings)


@step("当", '审查这些项目中的"{project}"', '当 审查这些项目中的"PRJ2"')
def review_in_batch(world, project):
    """把“以下项目”作为同一批申报一并审查，列出其中一个项目的结论（跨项目的限制，如每人仅可申请1项，看整批）。"""
    assert world.projects, "还没有项目：先写“\"{地区}\"的以下项目:”及其表格"
    chosen = next((p for p in world.projects if p.id == project), None)
    assert chosen is not None, f"这些项目中没有“{project}”：{'、'.join(p.id for p in world.projects)}"
    ctx = attrs.evolve(world.context(), projects=tuple(world.projects))
    world.project = chosen
    world.findings = check_project(ctx, chosen)
    world.clauses_in_view = tuple(f.clause for f in world.findings if f.clause)
    world.texts_in_view = tuple(f"{f.message} {f.consequence}" for f in world.findings)


@step("当", "列出该项目的期限", "当 列出该项目的期限")
def list_project_deadlines(world):
    """列出适用于该项目的期限。"""
    world.deadlines = project_deadlines(world.context(), world.project)
    world.clauses_in_view = tuple(d.clause for d in world.deadlines)
    world.texts_in_view = tuple(d.what for d in world.deadlines)


@step("当", '列出"{region}"的年度工作日程', '当 列出"长沙市"的年度工作日程')
def list_calendar(world, region):
    """列出该地区评定年度的全局工作期限。"""
    world.deadlines = calendar(world.context(), _region(world, region), world.year)
    world.clauses_in_view = tuple(d.clause for d in world.deadlines)
    world.texts_in_view = tuple(d.what for d in world.deadlines)


@step("当", '以随机种子 {seed:d} 制定"{region}"的抽查计划', '当 以随机种子 42 制定"辽宁省"的抽查计划')
def draw_plan(world, seed, region):
    """对给定项目制定可重现的抽查计划。"""
    world.plan = spot_check_plan(world.context(), _region(world, region), world.projects, world.year, seed)
    world.clauses_in_view = tuple(c.clause for c in world.plan)
    world.texts_in_view = tuple(f"{c.project} {c.checker} {c.form} {c.reason}" for c in world.plan)


# --- Then: findings ----------------------------------------------------------------------------


def _findings(world, severity=None, clause=None):
    return select_findings(world.findings or [], severity, clause)


def select_findings(found, severity=None, clause=None):
    """The findings of a severity (by Chinese label) and/or resting on a clause ("doc/clause")."""
    if severity is not None:
        found = [f for f in found if f.severity is Severity.parse(severity)]
    if clause is not None:
        ref = ClauseRef.parse(clause)
        found = [f for f in found if f.clause == ref]
    return found


def _show(world):
    return "\n".join(f"[{f.severity.zh}] {f.clause} {f.message}" for f in world.findings or []) or "（无结论）"


@step("那么", '有一条"{severity}"结论，依据条款"{clause}"', '那么 有一条"不予受理"结论，依据条款"wz-2026-17/一(二)5"')
def has_finding(world, severity, clause):
    """有一条该级别（不予受理、违规、提醒、说明）的结论依据该条款。"""
    assert _findings(world, severity, clause), f"没有依据 {clause} 的“{severity}”结论：\n{_show(world)}"


@step("那么", '没有依据条款"{clause}"的结论', '那么 没有依据条款"wz-2026-17/一(五)"的结论')
def no_finding_on(world, clause):
    """没有依据该条款的结论（边界的合规一侧）。"""
    assert not _findings(world, clause=clause), f"有依据 {clause} 的结论：\n{_show(world)}"


@step("那么", '没有"{severity}"结论', '那么 没有"违规"结论')
def no_finding_of(world, severity):
    """完全没有该级别的结论。"""
    assert not _findings(world, severity), f"有“{severity}”结论：\n{_show(world)}"


@step("那么", '结论包含"{text}"', '那么 结论包含"1—3年内不予受理"')
def finding_text(world, text):
    """某条结论的内容或后果包含这段文字。"""
    assert any(text in f"{f.message} {f.consequence}" for f in world.findings or []), f"结论中没有“{text}”：\n{_show(world)}"


# --- Then: deadlines and plans -------------------------------------------------------------------


def _deadline(world, what):
    matches = [d for d in world.deadlines or [] if what in d.what]
    assert matches, f"没有“{what}”期限；已有期限：{'、'.join(d.what for d in world.deadlines or []) or '无'}"
    return matches[0]


@step("那么", '期限"{what}"截止于 {moment}', '那么 期限"开班信息登记"截止于 2026-06-03T00:00')
def deadline_at(world, what, moment):
    """某期限（按其描述的一部分查找）截止于该北京时间。"""
    due = in_china(datetime.fromisoformat(moment))
    deadline = _deadline(world, what)
    assert deadline.due == due, f"“{deadline.what}”截止于 {deadline.due:%Y-%m-%dT%H:%M}"


def _lateness(deadline) -> str:
    if deadline.late is None:
        return f"截止于 {deadline.due:%Y-%m-%d %H:%M}，没有完成时间的记录（无法判定是否逾期）"
    state = "已逾期" if deadline.late else "未逾期"
    return f"截止于 {deadline.due:%Y-%m-%d %H:%M}，完成于 {deadline.done_at:%Y-%m-%d %H:%M}，{state}"


@step("那么", '期限"{what}"已逾期', '那么 期限"开班信息登记"已逾期')
def deadline_late(world, what):
    """记录显示该事项在期限之后完成。"""
    deadline = _deadline(world, what)
    assert deadline.late is True, f"“{deadline.what}”{_lateness(deadline)}，而非已逾期"


@step("那么", '期限"{what}"未逾期', '那么 期限"开班信息登记"未逾期')
def deadline_on_time(world, what):
    """记录显示该事项按时完成。"""
    deadline = _deadline(world, what)
    assert deadline.late is False, f"“{deadline.what}”{_lateness(deadline)}，而非未逾期"


@step("那么", "抽查 {count:d} 个项目", "那么 抽查 2 个项目")
def plan_size(world, count):
    """抽查计划抽取的项目数。"""
    assert len(world.plan) == count, f"抽查了 {len(world.plan)} 个项目，而非 {count} 个：{'、'.join(c.project for c in world.plan) or '无'}"


@step("那么", '项目"{project}"由"{checker}"抽查，使用"{form}"', '那么 项目"LN001"由"省卫生健康服务中心"抽查，使用"附件3"')
def plan_entry(world, project, checker, form):
    """被抽查项目由谁抽查、填写哪张表。"""
    for check in world.plan or []:
        if check.project == project:
            assert checker in check.checker and form in check.form, f"项目“{project}”由“{check.checker}”抽查，使用“{check.form}”"
            return
    raise AssertionError(f"项目“{project}”未被抽查；抽查的项目：{'、'.join(c.project for c in world.plan or []) or '无'}")


