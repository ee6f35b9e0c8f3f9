"""Deadlines: a project's registrations (方案 四(一)1, 56号 一(二)), other activities' registration
by the end of next January (方案 四(二)2), and the calendar of a year (56号 一(二), 三(三)).

Reading (days): "于项目举办 1 周前登记" is met by registering at any time on the day 7 days before
the start (start 10 June: by the end of 3 June; on 4 June, 6 days before, is late). "结束后 2 周
内" is met until the end of the 14th day after the end. "须于2026年12月15日前全部执行完毕" and
"次年 1 月底前" include the day named, as Chinese official deadlines do (a project ending on
15 December is in time, one ending on the 16th is not). Each due time is the last second of
that day, Beijing time.

Reading (which projects): 四(一)1 binds the hosts of projects published by 辽宁省卫生健康委, i.e.
provincial projects governed by Liaoning; the 2026-12-15 completion date of 56号 一(二) binds
the 2026 provincial recommended projects (a project whose dates fall in 2026).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from jijiao.models import CHINA_TZ, Deadline, Level, Mode, in_china

from .credits import is_other_activity
from .documents import CREDIT_SCHEME as S, NOTICE_2026_56 as N
from .rules import in_province, is_out_of_province
from .vocabulary import Execution as E

HOST = "项目主办单位"
CO_HOST = "项目协办单位"


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=CHINA_TZ)


def _done(moment: datetime | None) -> datetime | None:
    return in_china(moment) if moment is not None else None


def is_recommended_project(project, year: int) -> bool:
    dates = [d for d in (project.start, project.end) if d is not None]
    return project.level is Level.PROVINCIAL and in_province(project.jurisdiction) and any(d.year == year for d in dates)


def project_deadlines(project, jurisdiction, p) -> list[Deadline]:
    if not in_province(project.jurisdiction) or project.level is not Level.PROVINCIAL:
        return []
    execution = project.execution
    registered = _done(E.REGISTERED_AT.of(execution))
    recorded = _done(E.RECORDS_AT.of(execution))
    found = []

    def add(what, who, due, clause, done_at=None):
        found.append(Deadline(project.id, what, who, due, clause, jurisdiction.code, done_at))

    if project.start is not None:
        add(f"开班信息登记（举办 {p.registration_days_before} 天前）", HOST,
            end_of_day(project.start - timedelta(days=p.registration_days_before)), S.ref("四(一)1(登记时限)"), registered)
        if is_out_of_province(project.host_province) and project.mode is Mode.FACE_TO_FACE:
            add(f"协办单位开班信息登记（举办 {p.co_host_registration_days_before} 天前）", project.co_host or CO_HOST,
                end_of_day(project.start - timedelta(days=p.co_host_registration_days_before)), S.ref("四(一)1(协办登记)"), registered)
    if project.end is not None:
        add(f"执行情况登记（结束后 {p.records_days_after} 天内：考勤、考核、学分预授）", HOST,
            end_of_day(project.end + timedelta(days=p.records_days_after)), S.ref("四(一)1(登记时限)"), recorded)
    if is_recommended_project(project, p.recommended_year):
        # Done at its end only where the record says it was held: not recorded is not known to be done.
        finished = end_of_day(project.end) if project.end is not None and E.HELD.of(execution) is True else None
        add(f"{p.recommended_year}年度推荐项目全部执行完毕", HOST, end_of_day(p.recommended_final_date), N.ref("一(二)"), finished)
    return found


def activity_deadlines(activity, jurisdiction, p) -> list[Deadline]:
    if not is_other_activity(activity):
        return []
    due = end_of_day(last_day_of_month(activity.year + 1, p.other_registration_month))
    done = datetime.combine(activity.registered_on, time(0), tzinfo=CHINA_TZ) if activity.registered_on else None
    return [Deadline(activity.id, f"{activity.kind.zh}学分登记（次年 {p.other_registration_month} 月底前）", "参加活动的学员",
                     due, S.ref("四(二)2"), jurisdiction.code, done)]


def last_day_of_month(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def calendar(year, jurisdiction, p) -> list[Deadline]:
    found = [
        Deadline(jurisdiction.code, f"{year - 1}年度进修、实践活动、自学等其他活动学分登记", "卫生专业技术人员",
                 end_of_day(last_day_of_month(year, p.other_registration_month)), S.ref("四(二)2"), jurisdiction.code),
    ]
    if year == p.recommended_year:
        found.append(Deadline(jurisdiction.code, f"{year}年度推荐项目全部执行完毕", HOST,
                              end_of_day(p.recommended_final_date), N.ref("一(二)"), jurisdiction.code))
        # Reading: the monthly reports of 三(三) run from the notice's month to the year's end.
        for month in range(N.issued.month, 13):
            found.append(Deadline(jurisdiction.code, f"{year}年{month}月抽查评价表报送省卫生健康服务中心（月末）", "各抽查单位",
                                  end_of_day(last_day_of_month(year, month)), N.ref("三(三)"), jurisdiction.code))
    return found
