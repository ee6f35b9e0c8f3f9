"""The application checks of 温卫发函〔2026〕17号 一 and 二(一): one function per rule.

Each check reads the facts it needs through `Review.fact`, which notes a missing fact instead of
guessing: the notice refuses an application whose form is not completely filled in (一(二)6), so
every fact a rule needs and the form lacks becomes one 不予受理 finding naming the field.

Severities follow the wording: the 一(二) list and the "必须 / 须 / 要 / 不超过 / 不低于" rules refuse
the application (不予受理); "原则上" and "一般应" rules are warnings (提醒), since the reviewing
office may accept a justified exception; information is a note (说明).
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from jijiao.models import Finding, Level, Mode, Project, ProjectApplication, Severity, credits
from jijiao.plugins import ParameterValues, parameter_value_text as num

from .documents import WZ_2026_17 as DOC

REFUSED = "不予受理"


def share(text: str) -> Fraction:
    """A share as the notice writes it ("1/3"), exactly."""
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"a share is written like 1/3, got {text!r}") from None


def label(record: object, name: str) -> str:
    return attrs.fields_dict(type(record))[name].metadata.get("zh", name)


@attrs.define
class Review:
    """One application under review: its facts, the policy numbers, and what was found so far."""

    project: Project
    application: ProjectApplication
    p: ParameterValues
    jurisdiction: str
    findings: list[Finding] = attrs.field(factory=list)
    missing: dict[str, str] = attrs.field(factory=dict)

    @property
    def online(self) -> bool:
        return self.project.mode is Mode.REMOTE

    def fact(self, record: object, name: str, clause_id: str):
        """The value of a fact, or None -- then the form lacks it and we say which rule needed it."""
        value = getattr(record, name)
        if value is None or value == "":
            self.lacks(label(record, name), clause_id)
            return None
        return value

    def lacks(self, what: str, clause_id: str) -> None:
        self.missing.setdefault(what, clause_id)

    def add(self, severity: Severity, clause_id: str, message: str, consequence: str = "") -> None:
        self.findings.append(
            Finding(self.project.id, self.jurisdiction, severity, DOC.ref(clause_id), message, consequence)
        )

    def refuse(self, clause_id: str, message: str) -> None:
        self.add(Severity.REFUSED, clause_id, message, REFUSED)

    def warn(self, clause_id: str, message: str) -> None:
        self.add(Severity.WARNING, clause_id, message)

    def note(self, clause_id: str, message: str) -> None:
        self.add(Severity.NOTE, clause_id, message)


# --- 一(一): the leader, the applying unit, the teachers ----------------------------------------------


def check_leader(r: Review) -> None:
    app = r.application
    if r.fact(app, "leader_employed_by_unit", "一(一)(负责人)") is False:
        r.refuse("一(一)(负责人)", "项目负责人必须是申报单位在职(岗)人员")
    if r.fact(app, "leader_teaches_theory", "一(一)(负责人)") is False:
        r.refuse("一(一)(负责人)", "项目负责人须参与理论授课")
    count = r.fact(app, "leader_applications", "一(一)(每人一项)")
    if count is not None and count > r.p.leader_max_applications:
        r.refuse("一(一)(每人一项)", f"项目负责人本年申报 {count} 项，每人仅可申请 {r.p.leader_max_applications} 项")


def check_applicant_is_host(r: Review) -> None:
    applicant = r.fact(r.application, "applicant", "一(一)(申报单位)")
    host = r.fact(r.project, "host", "一(一)(申报单位)")
    if applicant and host and applicant != host:
        r.refuse("一(一)(申报单位)", f"申报单位（{applicant}）与主办单位（{host}）不一致，申报单位及主办单位需一致")


def specialty_matches(specialty: str, discipline: str) -> bool:
    # Reading: "其专业与授课内容的学科专业要一致" is met where one names the other (a 心血管内科
    # teacher teaching a 内科 project, or the reverse); unrelated specialties are refused.
    return specialty in discipline or discipline in specialty


def check_teachers(r: Review) -> None:
    if not r.project.teachers:
        r.lacks(label(r.project, "teachers"), "一(一)(授课教师)")
        return
    discipline = r.fact(r.application, "discipline", "一(一)(授课教师)")
    for teacher in r.project.teachers:
        if teacher.practical:
            kind, minimum = "实验(技术示范)教师", r.p.practical_teacher_min_title
        else:
            kind, minimum = "理论授课教师", r.p.theory_teacher_min_title
        if teacher.title.rank < minimum.rank:
            r.refuse("一(一)(授课教师)", f"{kind}{teacher.name}为{teacher.title.zh}职称，{kind}要具有{minimum.zh}及以上专业技术职务")
        if not teacher.specialty:
            r.lacks(f"授课教师{teacher.name}的专业", "一(一)(授课教师)")
        elif discipline and not specialty_matches(teacher.specialty, discipline):
            r.refuse(
                "一(一)(授课教师)",
                f"授课教师{teacher.name}的专业（{teacher.specialty}）与授课内容的学科专业（{discipline}）不一致",
            )


# --- 一(二): the refusals --------------------------------------------------------------------------------


def check_records(r: Review) -> None:
    app, p = r.application, r.p
    if r.fact(app, "leader_unexecuted_recent", "一(二)1"):
        r.refuse("一(二)1", f"项目负责人{p.unexecuted_years}年度无正当理由未执行已立项的市级继续医学教育项目")
    if r.fact(app, "integrity_record", "一(二)2"):
        r.refuse("一(二)2", f"项目负责人或授课教师近{p.record_lookback_years}年存在科研诚信不良记录")
    if r.fact(app, "falsification_record", "一(二)3"):
        r.refuse("一(二)3", f"项目负责人近{p.record_lookback_years}年项目执行中存在弄虚作假、不良反馈等情况")


def check_theme(r: Review) -> None:
    if r.fact(r.application, "theme_is_academic_event", "一(二)4"):
        r.refuse("一(二)4", "以学术会议、论坛、学术讲座等学术活动主题申请的项目")
    # Reading: a name that calls the project a 论坛 or 学术会议 applies with that theme, whatever the
    # form's own answer says; the reviewer would refuse it on the name alone.
    for word in words_in(r.project.name, r.p.academic_event_words):
        r.refuse("一(二)4", f"项目名称“{r.project.name}”含“{word}”字样，属以学术活动主题申请")


def words_in(text: str, words) -> list[str]:
    return [word for word in words if word in text]


def check_name(r: Review) -> None:
    name = r.fact(r.project, "name", "一(二)5")
    if not name:
        return
    for word in words_in(name, r.p.forbidden_name_words):
        r.refuse("一(二)5", f"培训项目名称“{name}”含有“{word}”字样")
    # Reading: "其他高于实际规格的名号" can only be judged for names we can recognise; for a city
    # project these are the higher levels' own titles (国家级, 省级, 全省). Others are left to the
    # reviewer.
    if r.project.level is Level.CITY:
        for word in words_in(name, r.p.above_city_level_words):
            r.refuse("一(二)5", f"市级项目名称“{name}”含有“{word}”，属高于实际规格的名号")


def check_form(r: Review) -> None:
    if r.fact(r.application, "form_complete", "一(二)6") is False:
        r.refuse("一(二)6", "项目申报书填写存在虚假、错误信息或未按要求完整填写")


# --- 一(三): annual meetings, the unit's own teachers ---------------------------------------------------------


def check_annual_meeting(r: Review) -> None:
    # Reading: only a 年会 "无主题授课内容" is barred, and the name cannot tell whether it has themed
    # teaching; a name with 年会 is flagged for the reviewer (原则上: a warning, not a refusal).
    word = r.p.annual_meeting_word
    if word in (r.project.name or ""):
        r.warn("一(三)(年会)", f"项目名称含“{word}”：无主题授课内容的年会原则上不得作为继续医学教育项目申报，请核实有主题授课内容")


def check_own_teachers(r: Review) -> None:
    teachers = r.project.teachers
    applicant = r.application.applicant
    if not teachers or not applicant:
        return  # already reported as missing by check_teachers / check_applicant_is_host
    without_unit = [t.name for t in teachers if not t.unit]
    for name in without_unit:
        r.lacks(f"授课教师{name}的工作单位", "一(三)(本单位师资)")
    if without_unit:
        return
    own = sum(1 for t in teachers if t.unit == applicant)
    # Reading: "1/2以上" includes one half itself, as "以上" does in Chinese regulations.
    minimum = share(r.p.own_teachers_share)
    if Fraction(own, len(teachers)) < minimum:
        r.warn(
            "一(三)(本单位师资)",
            f"申报单位所属授课师资 {own} 人，占授课师资总数 {len(teachers)} 人的 {own}/{len(teachers)}，"
            f"一般应占 {r.p.own_teachers_share} 以上",
        )


# --- 一(四): credits ---------------------------------------------------------------------------------------


def check_credits(r: Review) -> None:
    p = r.p
    hours = r.fact(r.project, "hours", "一(四)(学时折算)")
    requested = r.fact(r.project, "requested_credits", "一(四)(学分上限)")
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


# --- 一(五), 一(六): enrolment, sessions, attendance, online courses ------------------------------------------------


def check_enrolment(r: Review) -> None:
    p = r.p
    planned = r.fact(r.project, "planned_enrolment", "一(五)(招生规模)" if not r.online else "一(六)(招生)")
    if r.online:
        if planned is not None and planned > p.max_enrolment_per_session:
            r.note("一(六)(招生)", f"线上项目招生人数不设上限：拟招生 {planned} 人不受线下每期 {p.max_enrolment_per_session} 人的限制")
        return
    if planned is not None and planned > p.max_enrolment_per_session:
        r.warn("一(五)(招生规模)", f"线下项目每期招生规模原则上不超过 {p.max_enrolment_per_session} 人，拟招生 {planned} 人")
    outside = r.fact(r.application, "outside_trainees", "一(五)(外单位学员)")
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
    # Reading: the sentence sits in the 线下 paragraph but speaks of "继教项目" in general, so the
    # session limit is applied to every project.
    sessions, p = r.project.sessions, r.p
    if sessions > p.max_sessions_per_year:
        r.refuse("一(五)(期数)", f"每年举办的期（次）数不超过 {p.max_sessions_per_year} 期（次），申报 {sessions} 期")
    if sessions > 1 and r.fact(r.application, "sessions_planned", "一(五)(期数)") is False:
        r.refuse("一(五)(期数)", f"申报 {sessions} 期，但未在申报时按计划填写：未按计划申报的不允许多期举办")


def check_attendance(r: Review) -> None:
    if r.online:
        return
    hours = r.fact(r.application, "attendance_unit_hours", "一(五)(考勤)")
    limit = r.p.attendance_unit_max_hours
    # Reading: "至少以半天为一个单元" sets the longest unit between sign-ins: half a day, taken as
    # 4 hours (an assumed number: the notice does not say how long half a day is).
    if hours is not None and hours > limit:
        r.refuse("一(五)(考勤)", f"系统考勤至少以半天（按 {num(limit)} 小时计，假定值）为一个单元签到或签退，申报的考勤单元为 {num(hours)} 小时")


def check_online_course(r: Review) -> None:
    if r.online and r.fact(r.application, "online_assessment", "一(六)(考核评价)") is False:
        r.refuse("一(六)(考核评价)", "线上项目课程须设置考核和评价环节")


# --- 二(一): quotas and the application window --------------------------------------------------------------


def check_quota(r: Review) -> None:
    app, p = r.application, r.p
    applications = r.fact(app, "unit_applications", "二(一)(限额)")
    first_time = r.fact(app, "unit_first_time", "二(一)(首次申报)")
    if applications is None or first_time is None:
        return
    if first_time:
        if applications > p.first_time_unit_quota:
            r.refuse("二(一)(首次申报)", f"首次申报项目的单位推荐项目数不超过 {p.first_time_unit_quota} 项，本单位申报 {applications} 项")
        return
    # Reading: a unit that has applied before but completed no city project in the base year has a
    # quota of 0; only a first-time unit gets the one-project allowance.
    completed = r.fact(app, "unit_completed_last_year", "二(一)(限额)")
    if completed is not None and applications > completed:
        r.refuse(
            "二(一)(限额)",
            f"申报项目数以{p.quota_base_year}年度已完成举办的市级继教项目数（{completed} 项）为上限，本单位申报 {applications} 项",
        )


def check_window(r: Review) -> None:
    # Late submissions are reported by the host from the deadlines (see dates.py); a submission
    # before the window opened cannot have been an application in this round.
    submitted = r.fact(r.application, "submitted_at", "二(一)(网上申报)")
    # Reading: "网上申报与纸质申报同时进行，缺一不可": an application whose record has no paper
    # submission is not complete.
    r.fact(r.application, "paper_submitted_at", "二(一)(纸质材料)")
    opens = r.p.online_window_opens
    if submitted is not None and submitted < opens:
        r.refuse("二(一)(网上申报)", f"网上申报时间 {submitted:%Y-%m-%d %H:%M} 早于网络申报开始时间 {opens:%Y-%m-%d %H:%M}（北京时间）")


def check_dates_given(r: Review) -> None:
    if r.online:
        r.fact(r.project, "start", "一(七)(线上上线)")
    r.fact(r.project, "end", "一(七)(完成举办)")


CHECKS = (
    check_leader,
    check_applicant_is_host,
    check_teachers,
    check_records,
    check_theme,
    check_name,
    check_form,
    check_annual_meeting,
    check_own_teachers,
    check_credits,
    check_enrolment,
    check_sessions,
    check_attendance,
    check_online_course,
    check_quota,
    check_window,
    check_dates_given,
)


def review(project: Project, jurisdiction: str, p: ParameterValues) -> list[Finding]:
    """Every finding of the notice on one application, the missing facts last."""
    if project.level is not Level.CITY:
        # Reading: the notice rules the application of 市级 projects only; a national or provincial
        # project held in Wenzhou is applied for under its own level's rules.
        return [
            Finding(project.id, jurisdiction, Severity.NOTE, DOC.ref("一(适用范围)"),
                    f"温卫发函〔2026〕17号只规范市级项目的申报；该项目为{project.level.zh}项目，未按其审查")
        ]
    r = Review(project, project.application or ProjectApplication(), p, jurisdiction)
    for check in CHECKS:
        check(r)
    for what, clause_id in r.missing.items():
        r.refuse("一(二)6", f"项目申报书未完整填写：缺少“{what}”（审查 {DOC.id}/{clause_id} 所需）")
    return r.findings
