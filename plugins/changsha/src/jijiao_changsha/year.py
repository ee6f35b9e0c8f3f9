"""The practitioner's year in Changsha: two parts (第九条), void credits (第二十六条), review by year
(第二十五条).

第九条 splits the year in two: public subjects by hours (at least 30, recognised by the city HR
bureau) and professional subjects by credits under Hunan's rules. We do not have Hunan's rules
(湘卫科教发〔2016〕9号), so the professional requirement has no number unless a what-if run sets
``changsha.professional_annual_credits``; the result then says the number is assumed. A pass of
the professional part stands for the 60 professional hours of the provincial HR rules: that is a
consequence, not a third requirement, and the year's findings say so.
"""

from __future__ import annotations

from decimal import Decimal

from jijiao.models import AwardStatus, Finding, Requirement, Severity
from jijiao_national.vocabulary import Credits, Requirements

from .documents import CHANGSHA, CS_2022_CME as DOC, HUNAN_CREDIT_RULES
from .parameters import PARAMETERS
from .readings import DEEMING_LEAVES_PUBLIC_HOURS, FALSIFICATION_SPARES_PUBLIC_HOURS, PROFESSIONAL_IS_ANNUAL_CREDITS
from .vocabulary import PROFESSIONAL_LABEL, PUBLIC_HOURS, PUBLIC_HOURS_REQUIRED, PUBLIC_SUBJECT

PROFESSIONAL = (Credits.CLASS_I, Credits.CLASS_II)
WHAT_IF_KEY = f"{PARAMETERS.namespace}.professional_annual_credits"


def requirements(ctx) -> list[Requirement]:
    p = ctx.params(PARAMETERS)
    return [
        # Of the national requirement's kind: the city's professional part replaces it, and is
        # listed first, where the national year's credits stand in every result. With no
        # what-if it cannot be judged and names Hunan's rules; with one, it is marked assumed
        # (and the year's findings say where the number came from).
        Requirement(
            kind=Requirements.ANNUAL_CREDITS,
            wording=PROFESSIONAL_LABEL,
            categories=PROFESSIONAL,
            required=p.professional_annual_credits,
            unit="学分",
            clause=p.cite("professional_annual_credits"),
            jurisdiction=CHANGSHA.code,
            missing=HUNAN_CREDIT_RULES if p.professional_annual_credits is None else None,
            assumed=p.professional_annual_credits is not None,
        ),
        Requirement(
            kind=PUBLIC_HOURS_REQUIRED,
            categories=(PUBLIC_HOURS,),
            required=p.public_hours_required,
            unit="学时",
            clause=p.cite("public_hours_required"),
            jurisdiction=CHANGSHA.code,
        ),
    ]


def _professional_credits(awards) -> Decimal:
    return sum((a.credits for a in awards if a.status is AwardStatus.AWARDED and a.category in PROFESSIONAL), Decimal(0))


def professional_part_note(practitioner, awards, year, ctx) -> Finding:
    """What the professional part means for the 60 professional hours (第九条), with the numbers."""
    p = ctx.params(PARAMETERS)
    earned = _professional_credits(awards)
    hours = p.professional_hours_equivalent
    if p.professional_annual_credits is None:
        message = (
            f"专业科目实行学分制：{year} 年度已取得专业科目学分 {earned} 学分；年度要求按《{HUNAN_CREDIT_RULES.title}》"
            f"（{HUNAN_CREDIT_RULES.number}）确定，我们没有该文件，无法判定是否合格，也就无法判定是否视同完成 {hours} 学时专业科目培训"
        )
    else:
        passed = earned >= p.professional_annual_credits
        message = (
            f"专业科目学分要求 {p.professional_annual_credits} 学分为假设值，来自 what-if 参数 {WHAT_IF_KEY}，"
            f"并非文件规定（应按{HUNAN_CREDIT_RULES.number}）；已取得 {earned} 学分，"
            + (f"学分合格，视同完成当年度 {hours} 学时专业科目培训要求" if passed else f"学分不合格，未视同完成当年度 {hours} 学时专业科目培训要求")
        )
    # The host judges deeming (702号 三) beside this note; a deemed year's professional part is met.
    message += (
        "（视为完成当年继续医学教育的，专业科目以视为完成为准，公共科目学时仍须达到）；"
        + PROFESSIONAL_IS_ANNUAL_CREDITS.step() + "；" + DEEMING_LEAVES_PUBLIC_HOURS.step()
    )
    return Finding(practitioner.id, CHANGSHA.code, Severity.NOTE, p.cite("professional_hours_equivalent"), message)


def falsification_finding(practitioner, activities, year, ctx=None) -> Finding | None:
    """第二十六条: falsification voids the person's credits of the year -- all of them, not only
    the falsified record.

    Reading: "当事人所获年度学分作废" voids every credit of that year (the falsified activity and
    the honest ones alike), public-subject hours excepted: those are the HR bureau's hours, not CME
    credits. The host refuses the voided awards before judging the year, so the verdict follows.
    (readings.FALSIFICATION_SPARES_PUBLIC_HOURS, switchable: the alternative voids the hours too.)
    """
    falsified = [a.id for a in activities if a.falsified and a.year == year]
    if not falsified:
        return None
    spares_hours = ctx is None or ctx.reading(FALSIFICATION_SPARES_PUBLIC_HOURS)
    voided = tuple(a.id for a in activities if a.year == year and (a.kind is not PUBLIC_SUBJECT or not spares_hours))
    return Finding(
        subject=practitioner.id,
        jurisdiction=CHANGSHA.code,
        severity=Severity.VIOLATION,
        clause=DOC.ref("第二十六条"),
        message=f"弄虚作假（{'、'.join(falsified)}）：当事人 {year} 年度所获学分作废（共 {len(voided)} 项活动）；"
        + FALSIFICATION_SPARES_PUBLIC_HOURS.step(taken=spares_hours),
        consequence="当事人所获年度学分作废，并对个人及所在单位予以通报批评",
        voids=voided,
    )


def cross_year_note(practitioner, activities, year) -> Finding | None:
    """第二十五条: review by year, never across years; other years' activities are named, not counted."""
    others = [a for a in activities if a.year != year]
    if not others:
        return None
    listed = "、".join(f"{a.id}（{a.year} 年度）" for a in others)
    return Finding(
        practitioner.id, CHANGSHA.code, Severity.NOTE, DOC.ref("第二十五条"),
        f"学分审核按年度进行，不得跨年度审核：{listed}不计入 {year} 年度",
    )


def findings(practitioner, activities, awards, year, ctx) -> list[Finding]:
    void = falsification_finding(practitioner, activities, year, ctx)
    standing = [a for a in awards if void is None or a.activity not in void.voids]
    found = [void, cross_year_note(practitioner, activities, year), professional_part_note(practitioner, standing, year, ctx)]
    return [f for f in found if f is not None]
