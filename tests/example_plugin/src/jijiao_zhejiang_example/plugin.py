"""The example 浙江省 layer's hooks (the entry point ``zhejiang_example``).

ILLUSTRATIVE ONLY (see documents.py). It shows each part a provincial plugin brings: its
jurisdiction, document and numbers; a kind of activity, an activity fact and an application
field of its own; a credit rule, an annual requirement and an application check; and its
scenarios, shipped inside the package.
"""

from pathlib import Path

from jijiao import hookimpl
from jijiao.models import AwardStatus, CreditAward, Finding, Level, Requirement, Severity
from jijiao_national.vocabulary import Credits, Requirements

from .documents import EXAMPLE_DOCUMENT as DOC, EXAMPLE_PROJECT_RULES, ZHEJIANG
from .parameters import PARAMETERS
from .vocabulary import FACTS, KINDS, MOBILE_SERVICE, PAIRED_COUNTY, SERVICE_DAYS


@hookimpl
def jijiao_jurisdictions():
    return [ZHEJIANG]


@hookimpl
def jijiao_documents():
    return [DOC]


@hookimpl
def jijiao_parameters():
    return PARAMETERS


@hookimpl
def jijiao_activity_kinds():
    return KINDS


@hookimpl
def jijiao_facts():
    return FACTS


@hookimpl
def jijiao_feature_paths():
    return [Path(__file__).parent / "features"]


@hookimpl
def jijiao_missing_documents(jurisdiction):
    return [EXAMPLE_PROJECT_RULES]


@hookimpl
def jijiao_credit(activity, practitioner, jurisdiction, ctx):
    """二: a day of mobile service earns 1 Ⅱ类 credit, at most 5 per service."""
    if activity.kind is not MOBILE_SERVICE:
        return None
    p = ctx.params(PARAMETERS)
    days = SERVICE_DAYS.of(activity)
    if days is None:
        return CreditAward(
            activity.id, practitioner.id, jurisdiction.code, AwardStatus.PENDING, 0, Credits.CLASS_II,
            (DOC.ref("二"),), ("未记录巡回服务天数，无法计算学分",),
        )
    earned = days * p.credits_per_service_day
    credits = min(earned, p.max_credits_per_service)
    steps = [f"巡回服务 {days} 天 × 每天 {p.credits_per_service_day} 学分 = {earned} 学分"]
    if credits < earned:
        steps.append(f"每次服务最多授予 {p.max_credits_per_service} 学分")
    return CreditAward(
        activity.id, practitioner.id, jurisdiction.code, AwardStatus.AWARDED, credits, Credits.CLASS_II,
        (DOC.ref("二"),), tuple(steps),
    )


@hookimpl
def jijiao_annual_requirements(jurisdiction, ctx):
    """一: at least 25 credits a year (replacing the national total, which we do not have)."""
    return [
        Requirement(
            Requirements.ANNUAL_CREDITS, (Credits.CLASS_I, Credits.CLASS_II), ctx.params(PARAMETERS).annual_credits,
            "学分", DOC.ref("一"), jurisdiction.code,
        )
    ]


@hookimpl
def jijiao_project_findings(project, jurisdiction):
    """三: a provincial project's application names the county it is paired with."""
    if project.jurisdiction != jurisdiction.code or project.level is not Level.PROVINCIAL or project.application is None:
        return []
    if PAIRED_COUNTY.of(project.application):
        return []
    return [Finding(project.id, jurisdiction.code, Severity.REFUSED, DOC.ref("三"), "申报书未填写结对帮扶县")]
