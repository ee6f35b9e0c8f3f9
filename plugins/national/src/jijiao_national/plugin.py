"""The national layer: rules of 国卫办科教函〔2019〕702号 that bind every province and city.

What it decides (see `documents` for the quoted clauses):
- credits count in the year they were earned, everywhere in the country (三(当年有效));
- national remote projects count in every region; no lower layer may refuse them (一(远程互认)),
  which is why those recognitions are ``binding``;
- a remote body may not grant credits itself: until the learner's provincial CME committee has
  verified them they are pending (三(远程授分)); the verification is a review (省级继教委核实结果:
  通过 grants, 待审核 waits, 不通过 refuses, each citing 三(远程授分)); for a national remote project a
  verification not recorded is not done (absent is unknown), and the award it allows cites 三(远程授分) too;
- residency, specialist and assistant-GP training, 6+ months of further study with a pass, and
  leading a provincial-or-higher award project make the year complete (三(视为合格)).

What it does not decide: the annual totals and the per-hour credit standards are set by
国卫办科教发〔2024〕20号, which we do not have; results say so instead of guessing.

Its readings of open clauses are declared in `readings` (listed by ``jijiao plugins``; each award
resting on one says so). Where a deeming waits on a fact nobody recorded (further study's 考核合格,
an award project's level) the year's findings say so instead of reading it either way.
"""

from decimal import Decimal

import attrs

from jijiao import hookimpl
from jijiao.features import workspace_features
from jijiao.plugins import parameter_value_text
from jijiao.models import (
    AwardStatus,
    CategoryMakeup,
    CreditAward,
    DeemedComplete,
    Finding,
    Level,
    Mode,
    Recognition,
    RecognitionStatus,
    Requirement,
    Review,
    Severity,
    credits,
)

from .documents import CHINA, NATIONAL_CREDIT_RULES, NATIONAL_MANAGEMENT_RULES, NHC_2019_702 as DOC, EARLIER_NATIONAL_TOTAL, NHC_2024_20, NHC_2024_20_EFFECT
from .parameters import PARAMETERS
from .readings import NHC_2024_20_FROM_2025, READINGS, REMOTE_CERTIFICATE_CREDITS, REMOTE_UNCATEGORISED_CLASS_I, REMOTE_VERIFICATION_SCOPE
from .vocabulary import CATEGORIES, FACTS, KINDS, PROVINCE_REVIEW, REQUIREMENT_KINDS, Credits, Kind, Requirements, province_verification

PLUGIN = PARAMETERS

TRAINING_DEEMS_COMPLETE = {Kind.RESIDENCY_TRAINING, Kind.SPECIALIST_TRAINING, Kind.ASSISTANT_GP_TRAINING}


@hookimpl
def jijiao_jurisdictions():
    return [CHINA]


@hookimpl
def jijiao_documents():
    return [DOC, NHC_2024_20]


@hookimpl
def jijiao_readings():
    return READINGS


@hookimpl
def jijiao_activity_kinds():
    return KINDS


@hookimpl
def jijiao_categories():
    return CATEGORIES


@hookimpl
def jijiao_facts():
    return FACTS


@hookimpl
def jijiao_requirement_kinds():
    return REQUIREMENT_KINDS


@hookimpl
def jijiao_step_modules():
    return ["jijiao_national.steps"]


@hookimpl
def jijiao_feature_paths():
    return workspace_features(__file__, "national")


@hookimpl
def jijiao_parameters():
    return PARAMETERS


@hookimpl
def jijiao_missing_documents(jurisdiction):
    return [NATIONAL_CREDIT_RULES, NATIONAL_MANAGEMENT_RULES]


def _is_remote_project(activity) -> bool:
    return activity.kind is Kind.PROJECT and activity.project_mode is Mode.REMOTE


@hookimpl
def jijiao_recognize(activity, jurisdiction, ctx):
    if ctx.year is not None and activity.year != ctx.year:
        return Recognition(
            activity.id, jurisdiction.code, RecognitionStatus.REFUSED, DOC.ref("三(当年有效)"),
            f"学分当年有效：该活动属于 {activity.year} 年度，不计入 {ctx.year} 年度", binding=True,
        )
    if not _is_remote_project(activity):
        return None  # what follows (三(远程授分), 一(远程互认)) is of remote projects only: most activities stop here
    verified = province_verification(activity)
    if verified is Review.REJECTED:
        return Recognition(
            activity.id, jurisdiction.code, RecognitionStatus.REFUSED, DOC.ref("三(远程授分)"),
            "远程继续医学教育机构不得直接授予学分，需经学员所在地省级继教委核实后发放：省级继教委核实未通过，不予发放",
            binding=True,
        )
    if verified is Review.PENDING:
        return Recognition(
            activity.id, jurisdiction.code, RecognitionStatus.PENDING, DOC.ref("三(远程授分)"),
            "远程继续医学教育机构不得直接授予学分：待学员所在地省级继教委核实后发放", binding=True,
        )
    national = activity.project_level is Level.NATIONAL
    if verified is None and (national or not ctx.reading(REMOTE_VERIFICATION_SCOPE)):
        # Absent is unknown: 三(远程授分) issues a remote body's credits only once the province
        # has verified them, so a verification nobody recorded has not happened yet for us.
        # Below the national level the province's or city's own review route is that
        # verification, unless a what-if takes the other reading (readings.REMOTE_VERIFICATION_SCOPE).
        return Recognition(
            activity.id, jurisdiction.code, RecognitionStatus.PENDING, DOC.ref("三(远程授分)"),
            f"远程继续医学教育机构不得直接授予学分，需经学员所在地省级继教委核实后发放：记录中没有是否已核实（{PROVINCE_REVIEW.zh}），待核实；"
            + REMOTE_VERIFICATION_SCOPE.step(taken=ctx.reading(REMOTE_VERIFICATION_SCOPE)),
            binding=True,
        )
    if national:
        return Recognition(
            activity.id, jurisdiction.code, RecognitionStatus.RECOGNISED, DOC.ref("一(远程互认)"),
            "国家级远程继续医学教育项目所获学分在全国范围内适用，省域间互认，各地不得设置区域准入条件；"
            "已经学员所在地省级继教委核实（三(远程授分)）",
            binding=True,
        )
    return None


def _deems_complete_on_its_own(activity, p) -> bool:
    """Activities whose own credit 702号 does not state: they count by deeming the year complete."""
    if activity.kind in TRAINING_DEEMS_COMPLETE:
        return True
    return (
        activity.kind is Kind.AWARD_PROJECT_LEADER
        and activity.level is not None
        and activity.level.at_least(p.deemed_award_leader_level)
    )


def _award(activity, practitioner, jurisdiction, status, granted, clause_id, step, category=None) -> CreditAward:
    return CreditAward(
        activity=activity.id,
        practitioner=practitioner.id,
        jurisdiction=jurisdiction.code,
        status=status,
        credits=granted,
        category=category,
        clauses=(DOC.ref(clause_id),),
        steps=(step,),
    )


@hookimpl
def jijiao_credit(activity, practitioner, jurisdiction, ctx):
    if _deems_complete_on_its_own(activity, ctx.params(PLUGIN)):
        return _award(
            activity, practitioner, jurisdiction, AwardStatus.AWARDED, 0, "三(视为合格)",
            f"“{activity.kind.zh}”不另计学分；符合条件者视为当年继续医学教育合格（见年度结果）",
        )
    if _is_remote_project(activity) and activity.project_level is Level.NATIONAL:
        # Reading of 一(远程互认): the credits on a national remote project's certificate are the
        # credits that "apply nationwide"; a province with its own standard may refine the amount
        # (its answer is more specific), but may not refuse the project (see jijiao_recognize).
        # Declared as readings.REMOTE_CERTIFICATE_CREDITS (switchable), and the category of an
        # unclassified certificate as REMOTE_UNCATEGORISED_CLASS_I.
        amount_read = ctx.reading(REMOTE_CERTIFICATE_CREDITS)
        category_read = activity.category is not None or ctx.reading(REMOTE_UNCATEGORISED_CLASS_I)
        if not (amount_read and category_read):
            other = REMOTE_CERTIFICATE_CREDITS if not amount_read else REMOTE_UNCATEGORISED_CLASS_I
            return attrs.evolve(
                _award(
                    activity, practitioner, jurisdiction, AwardStatus.UNDETERMINED, 0, "一(远程互认)",
                    f"{other.step(taken=False)}；学分无法判定",
                    category=activity.category,
                ),
                missing=NATIONAL_CREDIT_RULES, bound=activity.certified_credits,
            )
        if activity.certified_credits is None:
            return _award(
                activity, practitioner, jurisdiction, AwardStatus.PENDING, 0, "一(远程互认)",
                "国家级远程项目的学分以学分证书为准：记录中没有证书学分（证书学分），待补录后授予",
            )
        granted = credits(activity.certified_credits)
        steps = [
            f"国家级远程项目按学分证书所载 {parameter_value_text(granted)} 学分计入，全国范围内适用；"
            "学分经学员所在地省级继教委核实后发放（三(远程授分)）",
            REMOTE_CERTIFICATE_CREDITS.step(),
        ]
        if activity.category is None:
            steps.append(REMOTE_UNCATEGORISED_CLASS_I.step())
        # It counts because the province verified it (recognition made sure): cite that too.
        return CreditAward(
            activity=activity.id, practitioner=practitioner.id, jurisdiction=jurisdiction.code,
            status=AwardStatus.AWARDED, credits=granted, category=activity.category or Credits.CLASS_I,
            clauses=(DOC.ref("一(远程互认)"), DOC.ref("三(远程授分)")), steps=tuple(steps),
        )
    return None


@hookimpl
def jijiao_deemed_complete(activities, awards, year, jurisdiction, ctx):
    p = ctx.params(PLUGIN)
    this_year = [a for a in activities if a.year == year and not a.falsified]
    clause = DOC.ref("三(视为合格)")
    for activity in this_year:
        if activity.kind in TRAINING_DEEMS_COMPLETE and activity.passed is not False:
            return DeemedComplete(jurisdiction.code, clause, f"参加{activity.kind.zh}，视为当年继续医学教育合格", (activity.id,))
        if (
            activity.kind is Kind.AWARD_PROJECT_LEADER
            and activity.level is not None
            and activity.level.at_least(p.deemed_award_leader_level)
        ):
            return DeemedComplete(
                jurisdiction.code, clause,
                f"担任{activity.level.zh}科技成果奖励项目负责人（{p.deemed_award_leader_level.zh}及以上），视为当年合格",
                (activity.id,),
            )
    study = [a for a in this_year if a.kind is Kind.FURTHER_STUDY and a.passed and a.months]
    months = sum((a.months for a in study), Decimal(0))
    if months >= p.deemed_further_study_months:
        return DeemedComplete(
            jurisdiction.code, clause,
            f"当年累计进修 {months} 个月（满 {p.deemed_further_study_months} 个月）并考核合格，视为当年继续医学教育合格",
            tuple(a.id for a in study),
        )
    return None


def deeming_unknowns(activities, year, p) -> list[str]:
    """What might deem the year complete but waits on a fact nobody recorded (absent is unknown:
    neither "deemed" nor "not deemed"): the 6 months of further study whose 考核合格 is not
    recorded, an award project whose level is not recorded."""
    this_year = [a for a in activities if a.year == year and not a.falsified]
    unknown = []
    study = [a for a in this_year if a.kind is Kind.FURTHER_STUDY and a.months]
    passed = sum((a.months for a in study if a.passed), Decimal(0))
    open_ = [a for a in study if a.passed is None]
    if passed < p.deemed_further_study_months <= passed + sum((a.months for a in open_), Decimal(0)):
        unknown.append(
            f"进修（{'、'.join(a.id for a in open_)}）未记录是否考核合格（考核合格）：考核合格的，累计进修满 "
            f"{p.deemed_further_study_months} 个月即视为当年继续医学教育合格，待补录"
        )
    for a in this_year:
        if a.kind is Kind.AWARD_PROJECT_LEADER and a.level is None:
            unknown.append(
                f"{a.id} 担任科技成果奖励项目负责人，未记录奖励级别（级别）：{p.deemed_award_leader_level.zh}及以上的视为当年合格，待补录"
            )
    return unknown


@hookimpl
def jijiao_annual_findings(practitioner, activities, year, jurisdiction, ctx):
    p = ctx.params(PLUGIN)
    return [
        Finding(practitioner.id, jurisdiction.code, Severity.WARNING, DOC.ref("三(视为合格)"), message)
        for message in deeming_unknowns(activities, year, p)
    ]


@hookimpl
def jijiao_annual_requirements(year, jurisdiction, ctx):
    """20号 一's 25 credits for the years it governs (`national.annual_credits` has a value from
    2025); 2024, the year of its issue, waits on its date of effect; before it, 702号 states no
    total and the number is in a document we do not hold."""
    p = ctx.params(PLUGIN)
    required = p.annual_credits
    if required is not None:
        clause, missing = p.cite("annual_credits"), None
    else:
        clause = None
        missing = NHC_2024_20_EFFECT if NHC_2024_20.in_force(ctx.judged_on) is None else EARLIER_NATIONAL_TOTAL
    return [
        Requirement(
            kind=Requirements.ANNUAL_CREDITS,
            categories=(Credits.CLASS_I, Credits.CLASS_II),
            required=required,
            unit="学分",
            clause=clause,
            jurisdiction=jurisdiction.code,
            missing=missing,
            # From 20号's issue on, the year's total rests on how we read its date of effect
            # (and 702号's category rules beside it): named with every result, said once a run.
            readings=(NHC_2024_20_FROM_2025,) if NHC_2024_20.in_force(ctx.judged_on) is not False else (),
        )
    ]


@hookimpl
def jijiao_category_makeup(jurisdiction, ctx):
    return CategoryMakeup(
        categories=(Credits.CLASS_I, Credits.CLASS_II),
        share_pct=ctx.params(PLUGIN).category_makeup_share,
        clause=DOC.ref("三(相互补充)"),
        jurisdiction=jurisdiction.code,
    )
from .demo import jijiao_demo  # noqa: F401,E402  (the demo hook lives in demo.py)
