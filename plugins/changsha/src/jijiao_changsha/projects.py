"""Projects and the city's working calendar: filings (第十条), city plans (第十一条), unit accounts
(第十四条) and the units' annual report (第七条).

Reading: a date "前" in the document ("3月31日前", "每月25日前", "举办前一周") includes the day
itself: the deadline is the end of that day, Beijing time (23:59:59 CST). Anything done later is late.

Which projects: the host asks this layer only about projects whose chain runs through 长沙市, i.e.
held in the city or in one of its districts and counties (区县（市）: 430102 芙蓉区, 430121 长沙县,
430181 浏阳市, ...). The document governs the whole city (第一条 "全市"), so the rules below apply
to all of them alike; they never compare the project's code with the city's.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from jijiao.models import CHINA_TZ, Deadline, Finding, Level, Severity

from .documents import CHANGSHA, CS_2022_CME as DOC
from .parameters import PARAMETERS
from .readings import DEADLINE_DAY_INCLUSIVE, HELD_WITHOUT_FILING
from .vocabulary import FILED_WITH_CITY_AT, HELD, SUBMITTED_AT

END_OF_DAY = time(23, 59, 59)
FILING_CONSEQUENCE = "对项目单位予以通报批评，并暂停项目负责人下年度项目申报资格，缩减项目单位下年度申报名额"


def end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=CHINA_TZ)


def yearly(year: int, month_day: str) -> datetime:
    """The end of a recurring "MM-DD" day in ``year``."""
    try:
        month, day = (int(part) for part in month_day.split("-"))
        return end_of(date(year, month, day))
    except ValueError:
        raise ValueError(f"a recurring date is written MM-DD, got {month_day!r}") from None


# --- 第十条: national and provincial projects filed with the city a week before ------------------------


def filing_deadline(project, ctx) -> Deadline | None:
    if project.level not in (Level.NATIONAL, Level.PROVINCIAL) or project.start is None:
        return None
    days = ctx.params(PARAMETERS).filing_days_before_start
    return Deadline(
        subject=project.id,
        what=f"国家级、省级项目举办报备（附件1、会议通知、课程安排报市卫生健康委科教处，举办前 {days} 天）",
        who=project.host or "项目举办单位",
        due=end_of(project.start - timedelta(days=days)),
        clause=DOC.ref("第十条"),
        jurisdiction=CHANGSHA.code,
        done_at=FILED_WITH_CITY_AT.of(project.execution),
        consequence=FILING_CONSEQUENCE,
    )


def filing_findings(project, ctx) -> list[Finding]:
    """A project held without the week-ahead filing is a finding naming 第十条's consequences
    (a late filing is reported by the host from the deadline, with the same consequences).

    Reading: the consequences of 第十条 fall on "项目执行不规范" units; a project held without the
    week-ahead filing is run irregularly, so the finding is a violation that names them (the city
    decides whether to impose them). (readings.HELD_WITHOUT_FILING; the day itself counts:
    readings.DEADLINE_DAY_INCLUSIVE.)
    """
    deadline = filing_deadline(project, ctx)
    held = HELD.of(project.execution) is True
    if deadline is None or deadline.done_at is not None or not held:
        return []
    days = ctx.params(PARAMETERS).filing_days_before_start
    message = (
        f"项目已举办，但未于 {deadline.due:%Y-%m-%d} 前（举办前 {days} 天）向市卫生健康委科教处报备；"
        f"{HELD_WITHOUT_FILING.step()}；{DEADLINE_DAY_INCLUSIVE.step()}"
    )
    return [Finding(project.id, CHANGSHA.code, Severity.VIOLATION, DOC.ref("第十条"), message, FILING_CONSEQUENCE)]


# --- 第十一条: city-level plans by half-year -----------------------------------------------------------


def plan_deadline(project, ctx) -> Deadline | None:
    """A city-level project is planned in the half-year it starts in: first-half plans by the
    first_half_plan_due date, second-half by second_half_plan_due, of the start's year.

    Reading: the plan application (附件2) is the city-level project's application; its time is
    the application's 网上申报时间 (the application fact ``submitted_at``).
    """
    if project.level is not Level.CITY or project.start is None:
        return None
    p = ctx.params(PARAMETERS)
    first_half = project.start.month <= 6
    due = yearly(project.start.year, p.first_half_plan_due if first_half else p.second_half_plan_due)
    return Deadline(
        subject=project.id,
        what=f"市级继续医学教育计划申请表（附件2，{'上' if first_half else '下'}半年）提交",
        who=project.host or "申请举办单位",
        due=due,
        clause=DOC.ref("第十一条"),
        jurisdiction=CHANGSHA.code,
        done_at=SUBMITTED_AT.of(project.application),
    )


def project_deadlines(project, ctx) -> list[Deadline]:
    return [d for d in (filing_deadline(project, ctx), plan_deadline(project, ctx)) if d is not None]


# --- the city's calendar ------------------------------------------------------------------------


def _calendar_entry(what: str, who: str, due: datetime, clause: str) -> Deadline:
    return Deadline(subject=CHANGSHA.code, what=what, who=who, due=due, clause=DOC.ref(clause), jurisdiction=CHANGSHA.code)


def calendar(year: int, ctx) -> list[Deadline]:
    p = ctx.params(PARAMETERS)
    entries = [
        _calendar_entry("上半年市级继续医学教育计划申请表（附件2）提交", "申请举办市级项目的医疗卫生单位及卫生健康协会（学会）", yearly(year, p.first_half_plan_due), "第十一条"),
        _calendar_entry("下半年市级继续医学教育计划申请表（附件2）提交", "申请举办市级项目的医疗卫生单位及卫生健康协会（学会）", yearly(year, p.second_half_plan_due), "第十一条"),
        _calendar_entry("继续医学教育工作开展情况报送市卫生健康委科教处", "委属各单位及各区县（市）", yearly(year, p.unit_report_due), "第七条"),
    ]
    entries += [
        _calendar_entry(f"{year}年{month}月单位账户申请资料递交", "申请开通单位账户的医疗卫生机构", end_of(date(year, month, p.account_application_day)), "第十四条")
        for month in range(1, 13)
    ]
    return entries
