"""Steps about practitioners, their activities, the credit of one activity and the year.

PYTEST_DONT_REWRITE: a failed step says only what its message says, in the policy's words (see
`._messages`), not pytest's "assert None is True" beneath it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from ..engine import assess_year, judge_activity
from ..inputs import InputError, build
from ..models import Activity, AwardStatus, Category, ClauseRef, Practitioner
from ..plugins import Registry, RuleContext
from . import step
from ._messages import MET, input_problem, verdict_word, year_text

DEFAULT_YEAR = 2026


@attrs.define
class World:
    """What a scenario has set up and found so far."""

    registry: Registry
    year: int = DEFAULT_YEAR
    overrides: dict = attrs.field(factory=dict)
    readings: dict = attrs.field(factory=dict)
    practitioner: Practitioner | None = None
    activities: list = attrs.field(factory=list)
    project: object = None
    projects: list = attrs.field(factory=list)
    award: object = None
    result: object = None
    findings: list | None = None
    deadlines: list | None = None
    plan: list | None = None
    requirements: list = attrs.field(factory=list)
    clauses_in_view: tuple = ()
    texts_in_view: tuple = ()

    def context(self) -> RuleContext:
        return RuleContext.with_overrides(self.registry, self.overrides, readings=self.readings, year=self.year)


@pytest.fixture
def world(jijiao_registry) -> World:
    """``jijiao_registry`` comes from the test kit, `jijiao.testing`."""
    return World(jijiao_registry)


def record(table: list[list[str]]) -> dict[str, str]:
    """A 字段 | 值 table (the header row is optional) as a mapping."""
    rows = [r for r in table if r and r[0] not in ("字段", "field")]
    return {row[0]: row[1] for row in rows}


def records(table: list[list[str]]) -> list[dict[str, str]]:
    """A table with a header row of field labels as a list of mappings."""
    header, *rows = table
    return [{k: v for k, v in zip(header, row) if v != ""} for row in rows]


def number(text: str) -> Decimal:
    return Decimal(text.strip())


# --- Given -----------------------------------------------------------------------------------


def _practitioner(world: World, region: str, fields: dict) -> None:
    code = world.registry.find_jurisdiction(region)
    try:
        world.practitioner = build(Practitioner, {"id": "P1", "name": "测试人员", **fields}, defaults={"jurisdiction": code})
    except InputError as error:
        raise AssertionError(input_problem("人员数据", error, Practitioner)) from None


@step("假如", '一名在"{region}"执业的卫生专业技术人员', '假如 一名在"辽宁省"执业的卫生专业技术人员')
def practitioner_in(world, region):
    """设定一名卫生专业技术人员，适用该地区（名称或行政区划代码）及其上级的规则。"""
    _practitioner(world, region, {})


@step(
    "假如",
    '一名在"{region}"执业的卫生专业技术人员，信息如下:',
    '假如 一名在"长沙市"执业的卫生专业技术人员，信息如下:\n  | 字段 | 值 |\n  | 工作单位 | 长沙县人民医院 |\n  | 职称 | 中级 |',
)
def practitioner_with(world, region, datatable):
    """同上，并以“字段 | 值”表格给出人员信息（工作单位、职称、基层单位……）。"""
    _practitioner(world, region, record(datatable))


@step("假如", "评定年度为 {year:d} 年", "假如 评定年度为 2026 年")
def assessed_year(world, year):
    """设定评定年度（默认 2026 年）；未写“年度”的活动属于该年度。"""
    world.year = year


@step("假如", '参数"{key}"改为 {value}', '假如 参数"liaoning.annual_credits"改为 30')
def what_if(world, key, value):
    """假设分析：替换一项政策数值（`jijiao plugins` 列出全部参数名）。"""
    world.overrides[key] = value


@step("假如", '按"{key}"的另一种理解', '假如 按"liaoning.remote_three_steps"的另一种理解')
def other_reading(world, key):
    """假设分析：对一项有歧义的条款采用另一种理解（`jijiao plugins` 列出各插件的理解及可切换者）。"""
    world.readings[key] = "alternative"


def _activity(world: World, fields: dict) -> Activity:
    assert world.practitioner is not None, "先用“一名在…执业的卫生专业技术人员”设定人员"
    defaults = {
        "id": f"A{len(world.activities) + 1}",
        "practitioner": world.practitioner.id,
        "year": world.year,
    }
    try:
        return build(Activity, {**defaults, **fields}, places=world.registry.find_jurisdiction,
                     facts=world.registry.declared_facts(Activity))
    except InputError as error:
        raise AssertionError(input_problem("活动数据", error, Activity)) from None


@step(
    "假如",
    "他参加了一项活动:",
    "而且 他参加了一项活动:\n  | 字段 | 值 |\n  | 活动类型 | 继续医学教育项目 |\n  | 角色 | 参加者 |\n  | 学时 | 6 |",
)
def one_activity(world, datatable):
    """一项活动，以“字段 | 值”表格给出（活动类型、学时、考核合格……）。"""
    world.activities.append(_activity(world, record(datatable)))


@step(
    "假如",
    "他参加了以下活动:",
    "而且 他参加了以下活动:\n  | 活动类型 | 学时 | 考核合格 |\n  | 进修学习 | 12 | 是 |\n  | 进修学习 | 30 | 是 |",
)
def several_activities(world, datatable):
    """多项活动，每行一项，首行为字段名。"""
    for fields in records(datatable):
        world.activities.append(_activity(world, fields))


# --- When ------------------------------------------------------------------------------------


@step("当", "计算该活动的学分", "当 计算该活动的学分")
def compute_credit(world):
    """按该人员适用的各级规则判定最后一项活动：先判定是否认可，再计算学分。"""
    assert world.activities, "还没有活动：先写“他参加了一项活动:”"
    ctx = world.context()
    chain = world.registry.chain(world.practitioner.jurisdiction)
    world.award = judge_activity(ctx, chain, world.practitioner, world.activities[-1])
    world.clauses_in_view = world.award.clauses
    world.texts_in_view = world.award.steps


@step("当", "评定该人员的年度学分", "当 评定该人员的年度学分")
def assess(world):
    """评定该人员的年度：逐项活动、年度上限、年度要求与结论。"""
    world.result = assess_year(
        world.context(), world.practitioner, world.activities, world.year, extra_requirements=world.requirements
    )
    r = world.result
    world.clauses_in_view = tuple(
        {c for a in r.awards for c in a.clauses}
        | {c.clause for c in r.caps}
        | {d.clause for d in r.deemed_complete}
        | {q.requirement.clause for q in r.requirements if q.requirement.clause}
        | {q.makeup_clause for q in r.requirements if q.makeup_clause}
        | {f.clause for f in r.findings if f.clause}
    )
    world.texts_in_view = (
        *(s for a in r.awards for s in a.steps),
        *(d.reason for d in r.deemed_complete),
        *(f.message for f in r.findings),
        *(q.note for q in r.requirements if q.note),
        *(reading.step(taken=world.context().reading(reading)) for q in r.requirements for reading in q.requirement.readings),
        *r.missing_layers,
        *(f"{m.title} {m.number}" for m in r.missing_documents),
    )


# --- Then: one activity ------------------------------------------------------------------------


def _award(world):
    assert world.award is not None, "还没有活动的学分：先写“当 计算该活动的学分”"
    return world.award


def _year(world):
    assert world.result is not None, "还没有年度结果：先写“当 评定该人员的年度学分”"
    return world.result


@step("那么", "授予 {credits} 学分", "那么 授予 2 学分")
def awarded(world, credits):
    """该活动恰好授予这么多学分。"""
    award = _award(world)
    assert award.status is AwardStatus.AWARDED, f"未授予学分：{award.status.zh}；{award.explanation}"
    assert award.credits == number(credits), f"授予 {award.credits} 学分，而非 {credits}；{award.explanation}"


@step("那么", '不授予学分，原因包含"{text}"', '那么 不授予学分，原因包含"考试成绩"')
def refused(world, text):
    """该活动不授予学分，且说明中写明原因。"""
    award = _award(world)
    assert award.status is AwardStatus.REFUSED, f"应不予授予，实际：{award.status.zh} {award.credits} 学分；{award.explanation}"
    assert text in award.explanation, f"原因中没有“{text}”：{award.explanation}"


@step("那么", '学分待审核，原因包含"{text}"', '那么 学分待审核，原因包含"核实"')
def pending(world, text):
    """该活动的学分待审核（待上传、待审核通过、待核实）。"""
    award = _award(world)
    assert award.status is AwardStatus.PENDING, f"应待审核，实际：{award.status.zh}；{award.explanation}"
    assert text in award.explanation, f"原因中没有“{text}”：{award.explanation}"


@step("那么", '学分无法判定，原因包含"{text}"', '那么 学分无法判定，原因包含"未收录"')
def undetermined(world, text):
    """该活动的学分由我们没有的文件规定，无法判定（不是不予授予，也不计为 0）。"""
    award = _award(world)
    assert award.status is AwardStatus.UNDETERMINED, f"应无法判定，实际：{award.status.zh} {award.credits} 学分；{award.explanation}"
    assert text in award.explanation, f"原因中没有“{text}”：{award.explanation}"


@step("那么", '学分类别为"{category}"', '那么 学分类别为"Ⅰ类学分"')
def category_is(world, category):
    """学分计入的类别（Ⅰ类学分、Ⅱ类学分、公共科目学时）。"""
    award = _award(world)
    actual = award.category.zh if award.category else f"无（{award.status.zh}）"
    assert award.category is Category.parse(category), f"学分类别为“{actual}”，而非“{category}”；{award.explanation}"


# --- Then: anything in view ----------------------------------------------------------------------


@step("那么", '依据条款"{clause}"', '那么 依据条款"nhc-2019-702/三(视为合格)"')
def cites(world, clause):
    """刚得出的结果（学分、年度结论、审查结论或期限）引用了该条款。"""
    ref = ClauseRef.parse(clause)
    assert ref in world.clauses_in_view, f"未引用 {ref}；引用了：{', '.join(map(str, world.clauses_in_view)) or '无'}"


@step("那么", '说明包含"{text}"', '那么 说明包含"每3小时授予1学分"')
def explains(world, text):
    """刚得出的结果的说明中包含这段文字。"""
    joined = "\n".join(world.texts_in_view)
    assert text in joined, f"说明中没有“{text}”：\n{joined}"


@step("那么", '说明不包含"{text}"', '那么 说明不包含"不足 3 个月"')
def does_not_explain(world, text):
    """刚得出的结果的说明中没有这段文字（例如不应再适用的计算方式）。"""
    joined = "\n".join(world.texts_in_view)
    assert text not in joined, f"说明中有“{text}”：\n{joined}"


# --- Then: the year ----------------------------------------------------------------------------


def _requirement(world, name=None):
    results = _year(world).requirements
    assert results, "没有任何年度要求"
    if name is None:
        return results[0]
    for r in results:
        if r.requirement.name == name or r.requirement.label == name:
            return r
    raise AssertionError(f"没有名为“{name}”的年度要求；年度要求有：{'、'.join(r.requirement.label for r in results)}")


@step("那么", "年度学分合计为 {credits} 学分", "那么 年度学分合计为 25 学分")
def total_is(world, credits):
    """年度计入的学分合计（Ⅰ类与Ⅱ类，已适用年度上限）。"""
    assert _year(world).total_credits == number(credits), (
        f"年度学分合计为 {_year(world).total_credits} 学分，而非 {credits} 学分\n{year_text(world)}"
    )


@step("那么", '"{label}"已取得 {amount}', '那么 "公共科目学时"已取得 30')
def requirement_earned(world, label, amount):
    """计入某项年度要求（按名称，如 年度学分、公共科目学时）的数量。"""
    r = _requirement(world, label)
    assert r.earned == number(amount), f"“{label}”已取得 {r.earned}，而非 {amount}\n{year_text(world)}"


@step("那么", '"{label}"要求为 {amount}', '那么 "年度学分"要求为 25')
def requirement_is(world, label, amount):
    """某项年度要求的数值。"""
    r = _requirement(world, label)
    required = "未知（无法判定）" if r.requirement.required is None else r.requirement.required
    assert r.requirement.required == number(amount), f"“{label}”要求为 {required}，而非 {amount}\n{year_text(world)}"


@step("那么", '"{label}"尚缺 {amount}', '那么 "年度学分"尚缺 5')
def shortfall_is(world, label, amount):
    """某项年度要求尚缺的数量。"""
    r = _requirement(world, label)
    shortfall = "未知（无法判定）" if r.shortfall is None else r.shortfall
    assert r.shortfall == number(amount), f"“{label}”尚缺 {shortfall}，而非 {amount}\n{year_text(world)}"


@step("那么", '"{label}"已达到', '那么 "年度学分"已达到')
def requirement_met(world, label):
    """某项年度要求已达到（含视为完成的情形）。"""
    r = _requirement(world, label)
    required = "未知" if r.requirement.required is None else r.requirement.required
    assert r.met is True, f"“{label}”{MET[r.met]}：已取得 {r.earned} / 要求 {required}\n{year_text(world)}"


@step("那么", '"{label}"无法判定，缺少文件"{number}"', '那么 "年度学分"无法判定，缺少文件"国卫办科教发〔2024〕20号"')
def requirement_unknown(world, label, number):
    """某项年度要求的数值由我们没有的文件规定，因而无法判定。"""
    r = _requirement(world, label)
    assert r.met is None and r.requirement.missing is not None, (
        f"“{label}”可以判定（{MET[r.met]}，要求 {r.requirement.required}），而非无法判定\n{year_text(world)}"
    )
    assert r.requirement.missing.number == number, f"缺少的文件为“{r.requirement.missing.number}”，而非“{number}”"


VERDICTS = {"合格": True, "不合格": False, "无法判定": None}


@step("那么", '年度考核结果为"{verdict}"', '那么 年度考核结果为"合格"')
def verdict_is(world, verdict):
    """年度考核结论：合格、不合格或无法判定（缺少文件规定的数值，或规则出错）。"""
    expected = VERDICTS[verdict]
    assert _year(world).passed is expected, (
        f"年度考核结果为“{verdict_word(_year(world).passed)}”，而非“{verdict}”\n{year_text(world)}"
    )


@step("那么", '年度考核结果的理由包含"{text}"', '那么 年度考核结果的理由包含"公共科目学时"')
def verdict_reason(world, text):
    """年度考核结论的决定性理由（`jijiao year` 首先显示的那一条）包含这段文字。"""
    assert world.result is not None, "还没有年度结果：先写“当 评定该人员的年度学分”"
    reason = world.result.reason
    assert text in reason, f"年度考核结果的理由中没有“{text}”：{reason or '（无）'}"


@step("那么", "视为完成当年继续医学教育", "那么 视为完成当年继续医学教育")
def deemed(world):
    """当年有情形视为完成继续医学教育，不论学分多少。"""
    assert _year(world).deemed_complete, f"未视为完成当年继续医学教育\n{year_text(world)}"


@step("那么", "不视为完成当年继续医学教育", "那么 不视为完成当年继续医学教育")
def not_deemed(world):
    """当年没有视为完成的情形。"""
    assert not _year(world).deemed_complete, (
        "视为完成当年继续医学教育：" + "；".join(f"{d.reason}（{d.clause}）" for d in _year(world).deemed_complete)
    )


@step(
    "那么",
    '年度上限"{clause}"将 {before} 学分削减为 {after} 学分',
    '那么 年度上限"ln-credit-scheme/三(六)"将 12 学分削减为 10 学分',
)
def cap_cut(world, clause, before, after):
    """某项年度上限将该类学分由一个合计削减为另一个。"""
    ref = ClauseRef.parse(clause)
    for cap in _year(world).caps:
        if cap.clause == ref and cap.before == number(before) and cap.after == number(after):
            return
    actual = "；".join(f"“{c.clause}”将 {c.before} 学分削减为 {c.after} 学分" for c in _year(world).caps) or "没有年度上限被适用"
    raise AssertionError(f"年度上限“{ref}”没有将 {before} 学分削减为 {after} 学分；实际：{actual}")


@step(
    "那么",
    '上限"{clause}"将"{name}"的 {before} 学分削减为 {after} 学分，被削减的记录为"{cut}"',
    '那么 上限"ln-credit-scheme/三(一)"将"项目 LN-2026-001当年 2 条记录（A1、A2）"的 12 学分削减为 10 学分，被削减的记录为"A2"',
)
def named_cap_cut(world, clause, name, before, after, cut):
    """某项上限（如一个项目跨记录的上限）的适用写明其对象（项目及其记录），将合计削减，并列出被削减的记录（以、分隔）。"""
    ref = ClauseRef.parse(clause)
    wanted = (number(before), number(after), tuple(cut.split("、")))
    for cap in _year(world).caps:
        if cap.clause == ref and name in cap.cap and (cap.before, cap.after, cap.activities) == wanted:
            return
    actual = "；".join(f"“{c.clause}” {c.cap}：{c.before} → {c.after}，削减 {'、'.join(c.activities)}" for c in _year(world).caps) or "没有上限被适用"
    raise AssertionError(f"上限“{ref}”没有将“{name}”的 {before} 学分削减为 {after} 学分（削减 {cut}）；实际：{actual}")


@step("那么", "没有年度上限被适用", "那么 没有年度上限被适用")
def no_cap(world):
    """没有任何年度上限削减学分。"""
    assert not _year(world).caps, "适用了年度上限：" + "；".join(
        f"“{c.clause}”将 {c.before} 学分削减为 {c.after} 学分" for c in _year(world).caps
    )


@step("那么", '结果说明未适用"{name}"的规则', '那么 结果说明未适用"浙江省"的规则')
def layer_missing(world, name):
    """某一级规则未安装，结果中写明未适用该级规则。"""
    subject = world.result.missing_layers if world.result else [f.message for f in world.findings or ()]
    assert any(name in m for m in subject), f"未说明缺少“{name}”的规则；说明的是：{'；'.join(subject) or '无'}"


@step("那么", '结果未说明缺少文件"{number}"', '那么 结果未说明缺少文件"国卫办科教发〔2024〕20号"')
def document_not_missing(world, number):
    """该年度不适用的文件（例如该年度以后才印发的），结果中不列为缺少的文件。"""
    assert not any(m.number == number for m in _year(world).missing_documents), (
        f"结果说明缺少文件“{number}”，但该文件不适用于 {_year(world).year} 年度"
    )


@step("那么", '结果说明缺少文件"{number}"', '那么 结果说明缺少文件"国卫办科教发〔2024〕20号"')
def document_missing(world, number):
    """规则依赖我们没有的文件，结果中写明该文件。"""
    assert any(m.number == number for m in _year(world).missing_documents), (
        f"结果未说明缺少文件“{number}”；说明缺少的文件：{'、'.join(m.number or m.title for m in _year(world).missing_documents) or '无'}"
    )
