"""What is applied for: theme and name (一(二)4–6, 一(三)(年会)), credits (一(四)), enrolment,
sessions and attendance (一(五)), online courses (一(六))."""

from __future__ import annotations

from fractions import Fraction

from jijiao.models import credits
from jijiao.plugins import parameter_value_text as num

from .readings import (
    ABOVE_CITY_LEVEL_NAMES,
    ACADEMIC_THEME_BY_NAME,
    ANNUAL_MEETING_BY_NAME,
    ATTENDANCE_OFFLINE,
    ENROLMENT_IN_PRINCIPLE,
    SESSIONS_EVERY_PROJECT,
)
from .review import Review, share, words_in
from .vocabulary import Application


def check_theme(r: Review) -> None:
    if r.fact(Application.THEME_IS_ACADEMIC_EVENT, "一(二)4"):
        r.refuse("一(二)4", "以学术会议、论坛、学术讲座等学术活动主题申请的项目")
    # Reading (readings.ACADEMIC_THEME_BY_NAME): a name that calls the project a 论坛 or 学术会议
    # applies with that theme, whatever the form's own answer says.
    for word in words_in(r.project.name, r.p.academic_event_words):
        r.refuse("一(二)4", f"项目名称“{r.project.name}”含“{word}”字样，属以学术活动主题申请", ACADEMIC_THEME_BY_NAME)


def check_name(r: Review) -> None:
    name = r.field("name", "一(二)5")
    if not name:
        return
    for word in words_in(name, r.p.forbidden_name_words):
        r.refuse("一(二)5", f"培训项目名称“{name}”含有“{word}”字样")
    # Reading (readings.ABOVE_CITY_LEVEL_NAMES): "其他高于实际规格的名号" can only be judged for names
    # we can recognise; for a city project (the only level reviewed, see checks.review) these are
    # the higher levels' own titles (国家级, 省级, 全省). Others are left to the reviewer.
    for word in words_in(name, r.p.above_city_level_words):
        r.refuse("一(二)5", f"市级项目名称“{name}”含有“{word}”，属高于实际规格的名号", ABOVE_CITY_LEVEL_NAMES)


def check_form(r: Review) -> None:
    if r.fact(Application.FORM_COMPLETE, "一(二)6") is False:
        r.refuse("一(二)6", "项目申报书填写存在虚假、错误信息或未按要求完整填写")


def check_annual_meeting(r: Review) -> None:
    # Reading (readings.ANNUAL_MEETING_BY_NAME): only a 年会 "无主题授课内容" is barred, and the name
    # cannot tell whether it has themed teaching; a name with 年会 is flagged for the reviewer
    # (原则上: a warning, not a refusal).
    word = r.p.annual_meeting_word
    if word in (r.project.name or ""):
        r.warn("一(三)(年会)", f"项目名称含“{word}”：无主题授课内容的年会原则上不得作为继续医学教育项目申报，请核实有主题授课内容", ANNUAL_MEETING_BY_NAME)


def check_credits(r: Review) -> None:
    p = r.p
    hours = r.field("hours", "一(四)(学时折算)")
    requested = r.field("requested_credits", "一(四)(学分上限)")
    if requested is None:
        return
    if hours is not None:
        supported = credits(hours / p.hours_per_credit)
        if requested > supported:
            r.refuse(
                "一(四)(学时折算)",
                f"教学学时 {num(hours)} 学时（1学时为{p.minutes_per_hour}分钟，仅计实际授课时间），按 {num(p.hours_per_credit)} 学时授予1学分"
                f"最多可申请 {supported} 学分，申请 {requested} 学分超出",
            )
    limit = p.max_credits_online if r.online else p.max_credits_offline
    if requested > limit:
        r.refuse("一(四)(学分上限)", f"每个{'线上' if r.online else '线下'}项目申请学分数最多不超过 {limit} 学分，申请 {requested} 学分")


def check_enrolment(r: Review) -> None:
    p = r.p
    # An online project has no limit to check (一(六)), but 附件1 asks every project's 拟招生人数.
    planned = r.field("planned_enrolment", "附件1" if r.online else "一(五)(招生规模)")
    if r.online:
        if planned is not None and planned > p.max_enrolment_per_session:
            r.note("一(六)(招生)", f"线上项目招生人数不设上限：拟招生 {planned} 人不受线下每期 {p.max_enrolment_per_session} 人的限制")
        return
    if planned is not None and planned > p.max_enrolment_per_session:
        # Reading (readings.ENROLMENT_IN_PRINCIPLE): 原则上 -- a warning, not a refusal.
        r.warn("一(五)(招生规模)", f"线下项目每期招生规模原则上不超过 {p.max_enrolment_per_session} 人，拟招生 {planned} 人",
               ENROLMENT_IN_PRINCIPLE)
    outside = r.fact(Application.OUTSIDE_TRAINEES, "一(五)(外单位学员)")
    if planned is None or outside is None:
        return
    if outside > planned:
        r.refuse("一(二)6", f"外单位学员数 {outside} 人多于拟招生人数 {planned} 人，申报信息有误")
        return
    minimum = share(p.outside_share)
    if planned and Fraction(outside, planned) < minimum:
        r.refuse(
            "一(五)(外单位学员)",
            f"线下项目面向外单位招收学员数不低于总学员数的 {p.outside_share}：拟招生 {planned} 人，外单位 {outside} 人",
        )


def check_sessions(r: Review) -> None:
    # Reading (readings.SESSIONS_EVERY_PROJECT): the sentence sits in the 线下 paragraph but speaks
    # of "继教项目" in general, so the session limit is applied to every project.
    sessions, p = r.project.sessions, r.p
    relied_on = SESSIONS_EVERY_PROJECT if r.online else None  # an offline project is ruled by the paragraph itself
    if sessions > p.max_sessions_per_year:
        r.refuse("一(五)(期数)", f"每年举办的期（次）数不超过 {p.max_sessions_per_year} 期（次），申报 {sessions} 期", relied_on)
    if sessions > 1 and r.fact(Application.SESSIONS_PLANNED, "一(五)(期数)") is False:
        r.refuse("一(五)(期数)", f"申报 {sessions} 期，但未在申报时按计划填写：未按计划申报的不允许多期举办", relied_on)


def check_attendance(r: Review) -> None:
    # Reading (readings.ATTENDANCE_OFFLINE): signing in or out by half days is for classes held in
    # person (the sentence closes the 线下 paragraph 一(五)); an online course is checked by its
    # 考核和评价 (一(六)) instead.
    if r.online:
        return
    hours = r.fact(Application.ATTENDANCE_UNIT_HOURS, "一(五)(考勤)")
    limit = r.p.attendance_unit_max_hours
    # Reading (readings.ATTENDANCE_OFFLINE): "至少以半天为一个单元" sets the longest unit between
    # sign-ins: half a day, taken as the assumed parameter attendance_unit_max_hours (the notice
    # does not say how long half a day is).
    if hours is not None and hours > limit:
        r.refuse("一(五)(考勤)", f"系统考勤至少以半天（按 {num(limit)} 小时计，假定值）为一个单元签到或签退，申报的考勤单元为 {num(hours)} 小时", ATTENDANCE_OFFLINE)


def check_online_course(r: Review) -> None:
    if r.online and r.fact(Application.ONLINE_ASSESSMENT, "一(六)(考核评价)") is False:
        r.refuse("一(六)(考核评价)", "线上项目课程须设置考核和评价环节")
