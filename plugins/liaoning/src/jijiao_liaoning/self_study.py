"""Planned self-study (有计划的自学, 方案 三(六)): the fourteen kinds and their standards.

Each kind's award carries its own cap group; `plugin.jijiao_annual_caps` caps the kinds the
scheme caps (teaching, exams, reports, patents, health education, self-learning plans: 5 a
year each) and all of them together (10 a year).

Reading (三(六)1): the first sentence (指导医师, 1 credit per full month) and the second
(授课或带教, 0.5 per class hour, "每年最多 5 学分") are two rules; the annual 5 belongs to the
sentence it closes, the teaching one.

Reading (三(六)3): a guideline or consensus "发布" by 国家卫生健康委 or 中华医学会 is recorded as
级别 国家级; any other level is not what the clause names and earns nothing under it.

Reading (三(六)12, 三(六)14): the scheme states no amount for a self-learning plan or "其他可验证的
自学"; 三(六) leaves the amount to the employer's assessment ("综合评估后授予相应学分"), so the
credits are those the unit certified (证书学分). Without them the award waits for the assessment.
"""

from __future__ import annotations

from datetime import date

from jijiao.models import Level

from .documents import CREDIT_SCHEME as S
from .readings import RANGES, RATES_PRO_RATA
from .rules import SELF_GROUPS, Judge, at_rate, plain, rank_credits
from .vocabulary import (
    EVIDENCE_SUBMITTED_ON,
    JOURNAL_TIER,
    PATENT_KIND,
    PLAN_SUBMITTED_ON,
    RANK,
    SESSIONS,
    WORDS,
    JournalTier,
    PatentKind,
    SelfStudy,
)

RANGE_STEP = "（区间按每一位次递减相同学分计）"


def _count(activity) -> int:
    """How many times / items (次, 项, 篇): 次数, 1 where not given."""
    sessions = SESSIONS.of(activity)
    return sessions if sessions is not None else 1


def _per_item(judge, clause, amount, what, note=""):
    n = _count(judge.activity)
    total = amount * n
    return judge.award(total, [S.ref(clause)], [f"{what}{plain(amount)} 学分/次（项），共 {n} 次（项），计 {plain(total)} 学分{note}"],
                       cap_group=SELF_GROUPS[judge.activity.kind])


def supervision(judge: Judge, p):
    a = judge.activity
    clause = S.ref("三(六)1(指导医师)")
    if a.months is None:
        return judge.refuse([clause], ["缺少“累计时间”（months）：指导医师按带教满 1 个月计分"])
    whole = int(a.months)
    amount = p.supervision_credits_per_month * whole
    if whole == 0:
        return judge.refuse([clause], [f"带教 {plain(a.months)} 个月，不满 1 个月，不授予学分"])
    return judge.award(amount, [clause], [f"指导医师每带教满 1 个月授予 {plain(p.supervision_credits_per_month)} 学分：{plain(a.months)} 个月计满 {whole} 个月，{plain(amount)} 学分"],
                       cap_group=SELF_GROUPS[a.kind])


def teaching(judge: Judge, p):
    a = judge.activity
    clause = S.ref("三(六)1(授课带教)")
    if a.hours is None:
        return judge.refuse([clause], ["缺少“学时”（hours）：授课或带教按学时计分"])
    amount = a.hours * p.teaching_credits_per_hour
    return judge.award(amount, [clause], [f"授课或带教每学时 {plain(p.teaching_credits_per_hour)} 学分：{plain(a.hours)} 学时计 {plain(amount)} 学分（每年最多 {plain(p.teaching_annual_max)} 学分）"],
                       cap_group=SELF_GROUPS[a.kind])


def exam_setting(judge: Judge, p):
    a = judge.activity
    by_level = {
        Level.NATIONAL: p.exam_national_credits,
        Level.PROVINCIAL: p.exam_provincial_credits,
        Level.CITY: p.exam_city_credits,
        Level.HOSPITAL: p.exam_hospital_credits,
        Level.DEPARTMENT: p.exam_hospital_credits,
    }
    if a.level not in by_level:
        named = "缺少“级别”（level）" if a.level is None else f"{a.level.zh}考试"
        return judge.refuse([S.ref("三(六)2")], [f"{named}：三(六)2 只规定国家级、省级、市级、院级/科级考试的学分"])
    return _per_item(judge, "三(六)2", by_level[a.level], f"{a.level.zh}考试命题或考官 ", f"（每年最多 {plain(p.exam_annual_max)} 学分）")


def guideline(judge: Judge, p):
    a = judge.activity
    if a.level is not Level.NATIONAL:
        return judge.refuse([S.ref("三(六)3")], ["三(六)3 只适用于国家卫生健康委或中华医学会发布的临床指南、专家共识（级别：国家级）"])
    return _per_item(judge, "三(六)3", p.guideline_credits, "国家卫生健康委或中华医学会发布的临床指南、专家共识编撰 ")


def _per_words(judge: Judge, clause, per, what, note=""):
    a = judge.activity
    words = WORDS.of(a)
    if words is None:
        return judge.refuse([S.ref(clause)], [f"缺少“字数”（words）：{what}按字数计分"])
    amount = at_rate(words, per)
    return judge.award(amount, [S.ref(clause)], [f"{what}每 {per} 字 1 学分：{words} 字计 {plain(amount)} 学分（按比例，向下取至0.1）{note}"],
                       cap_group=SELF_GROUPS[a.kind], readings=[RATES_PRO_RATA])


def book(judge: Judge, p):
    return _per_words(judge, "三(六)4", p.book_words_per_credit, "出版医学著作（明确编写章节）")


def report(judge: Judge, p):
    return _per_words(judge, "三(六)5", p.report_words_per_credit, "专题研究报告被市级以上政府部门采纳或领导批示，", f"（每年最多 {plain(p.report_annual_max)} 学分）")


def translation(judge: Judge, p):
    return _per_words(judge, "三(六)6", p.translation_words_per_credit, "发表医学译文")


def _ranked(judge: Judge, clause, first, last, ranks, what, rank_name):
    a = judge.activity
    rank = RANK.of(a)
    if rank is None:
        return judge.refuse([S.ref(clause)], [f"缺少“排名或等级”（rank）：{what}按{rank_name}计分"])
    amount = rank_credits(first, last, ranks, rank)
    if amount is None:
        return judge.refuse([S.ref(clause)], [f"{what}只对{rank_name}第 1 至第 {ranks} 授予学分，第 {rank} 不在其列"])
    return judge.award(amount, [S.ref(clause)], [f"{what} {plain(first)}—{plain(last)} 学分，{rank_name}第 {rank} 计 {plain(amount)} 学分{RANGE_STEP}"],
                       cap_group=SELF_GROUPS[a.kind], readings=[RANGES])


def paper(judge: Judge, p):
    a = judge.activity
    ends = {
        JournalTier.SCI: (p.paper_sci_first, p.paper_sci_last),
        JournalTier.CORE: (p.paper_core_first, p.paper_core_last),
        JournalTier.ORDINARY: (p.paper_ordinary_first, p.paper_ordinary_last),
    }
    tier = JOURNAL_TIER.of(a)
    if tier is None:
        return judge.refuse([S.ref("三(六)7")], ["缺少“期刊类别”（journal_tier）：论文按SCI、核心、普通期刊计分"])
    first, last = ends[tier]
    return _ranked(judge, "三(六)7", first, last, p.paper_ranks, f"{tier.zh}论文", "作者位次")


def _by_level(judge: Judge, clause, p, prefix, count_key, what, rank_name):
    a = judge.activity
    levels = {Level.NATIONAL: "national", Level.PROVINCIAL: "provincial", Level.CITY: "city"}
    if a.level not in levels:
        named = "缺少“级别”（level）" if a.level is None else f"{a.level.zh}{what}"
        return judge.refuse([S.ref(clause)], [f"{named}：{clause} 只规定国家级、省部级、市厅级{what}的学分"])
    key = f"{prefix}_{levels[a.level]}"
    first, last = getattr(p, key + "_first"), getattr(p, key + "_last")
    return _ranked(judge, clause, first, last, getattr(p, count_key), f"{a.level.zh}{what}", rank_name)


def grant(judge: Judge, p):
    return _by_level(judge, "三(六)8", p, "grant", "grant_ranks", "课题", "课题组成员位次")


def award(judge: Judge, p):
    return _by_level(judge, "三(六)9", p, "award", "award_grades", "奖项", "获奖等级")


def patent(judge: Judge, p):
    a = judge.activity
    by_kind = {
        PatentKind.DESIGN: p.patent_design_credits,
        PatentKind.UTILITY: p.patent_utility_credits,
        PatentKind.INVENTION: p.patent_invention_credits,
    }
    kind = PATENT_KIND.of(a)
    if kind is None:
        return judge.refuse([S.ref("三(六)10")], ["缺少“专利类型”（patent_kind）：专利按外观设计、实用新型、发明计分"])
    return _per_item(judge, "三(六)10", by_kind[kind], f"{kind.zh} ", f"（每年最多 {plain(p.patent_annual_max)} 学分）")


def health_education(judge: Judge, p):
    return _per_item(judge, "三(六)11", p.health_education_credits, "健康宣教、原创科普文章或视频 ", f"（每年最多 {plain(p.health_education_annual_max)} 学分）")


QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _quarter_problem(day: date | None, what: str, year: int, wanted: int) -> str | None:
    """Why a recorded submission date does not fall in the wanted quarter of the year, or None."""
    if day is not None and (day.year, quarter(day)) != (year, wanted):
        return f"{what}于 {day} 提交，不在 {year} 年第{QUARTERS[wanted]}季度"
    return None


def self_plan(judge: Judge, p):
    a = judge.activity
    clause = S.ref("三(六)12")
    problems = [
        problem
        for day, what, wanted in (
            (PLAN_SUBMITTED_ON.of(a), "学习计划", p.self_plan_plan_quarter),
            (EVIDENCE_SUBMITTED_ON.of(a), "佐证材料", p.self_plan_evidence_quarter),
        )
        if (problem := _quarter_problem(day, what, a.year, wanted))
    ]
    rule = f"自学计划须于每年第{QUARTERS[p.self_plan_plan_quarter]}季度提交学习计划、第{QUARTERS[p.self_plan_evidence_quarter]}季度提交佐证材料"
    if problems:
        return judge.refuse([clause], [f"{rule}：" + "；".join(problems)])
    # A submission not recorded is not known to be in time (nor late): the credit waits for the record.
    unrecorded = [what for day, what in ((PLAN_SUBMITTED_ON.of(a), "学习计划"), (EVIDENCE_SUBMITTED_ON.of(a), "佐证材料")) if day is None]
    if unrecorded:
        return judge.pending([clause], [f"{rule}：未记录{'、'.join(unrecorded)}提交日期，待记录后审核"])
    return _assessed(judge, clause, f"自学计划按期提交（第{QUARTERS[p.self_plan_plan_quarter]}季度计划、第{QUARTERS[p.self_plan_evidence_quarter]}季度佐证）", f"（每年最多 {plain(p.self_plan_annual_max)} 学分）")


def _assessed(judge: Judge, clause, what, note=""):
    a = judge.activity
    if a.certified_credits is None:
        return judge.pending([clause, S.ref("三(六)")], [f"{what}；学分由用人单位按学习情况、学习成效综合评估后授予，尚无评估学分（证书学分）"])
    return judge.award(a.certified_credits, [clause, S.ref("三(六)")],
                       [f"{what}；用人单位综合评估授予 {plain(a.certified_credits)} 学分{note}"], cap_group=SELF_GROUPS[a.kind])


def competition(judge: Judge, p):
    a = judge.activity
    if a.level is None:
        return judge.refuse([S.ref("三(六)13")], ["缺少“级别”（level）：技能竞赛按级别计分"])
    if a.level.at_least(Level.PROVINCIAL):
        amount, named = p.competition_provincial_credits, "省级及以上"
    elif a.level is Level.CITY:
        amount, named = p.competition_city_credits, "市级"
    elif a.level is Level.HOSPITAL:
        amount, named = p.competition_hospital_credits, "院级"
    else:
        return judge.refuse([S.ref("三(六)13")], [f"{a.level.zh}技能竞赛：三(六)13 只规定省级及以上、市级、院级竞赛的学分"])
    return _per_item(judge, "三(六)13", amount, f"{named}技能竞赛获奖 ")


def other(judge: Judge, p):
    return _assessed(judge, S.ref("三(六)14"), "其他可验证的有计划的自学")


RULES = {
    SelfStudy.SUPERVISION: supervision,
    SelfStudy.TEACHING: teaching,
    SelfStudy.EXAM_SETTING: exam_setting,
    SelfStudy.GUIDELINE: guideline,
    SelfStudy.BOOK: book,
    SelfStudy.REPORT: report,
    SelfStudy.TRANSLATION: translation,
    SelfStudy.PAPER: paper,
    SelfStudy.GRANT: grant,
    SelfStudy.AWARD: award,
    SelfStudy.PATENT: patent,
    SelfStudy.HEALTH_EDUCATION: health_education,
    SelfStudy.PLAN: self_plan,
    SelfStudy.COMPETITION: competition,
    SelfStudy.OTHER: other,
}


def self_study_credit(judge: Judge, p):
    return RULES[judge.activity.kind](judge, p)
