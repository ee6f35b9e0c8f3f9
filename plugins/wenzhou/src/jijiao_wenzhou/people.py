"""Who may lead and teach a city project: 一(一), 一(二)1–3 and 一(三)(本单位师资)."""

from __future__ import annotations

from fractions import Fraction

from .review import Review, label, share
from .vocabulary import Application


def check_leader(r: Review) -> None:
    if r.fact(Application.LEADER_EMPLOYED_BY_UNIT, "一(一)(负责人)") is False:
        r.refuse("一(一)(负责人)", "项目负责人必须是申报单位在职(岗)人员")
    if r.fact(Application.LEADER_TEACHES_THEORY, "一(一)(负责人)") is False:
        r.refuse("一(一)(负责人)", "项目负责人须参与理论授课")
    count = r.fact(Application.LEADER_APPLICATIONS, "一(一)(每人一项)")
    if count is not None and count > r.p.leader_max_applications:
        r.refuse("一(一)(每人一项)", f"项目负责人本年申报 {count} 项，每人仅可申请 {r.p.leader_max_applications} 项")


def check_applicant_is_host(r: Review) -> None:
    applicant = r.fact(Application.APPLICANT, "一(一)(申报单位)")
    host = r.field("host", "一(一)(申报单位)")
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
    discipline = r.fact(Application.DISCIPLINE, "一(一)(授课教师)")
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


def check_records(r: Review) -> None:
    p = r.p
    if r.fact(Application.LEADER_UNEXECUTED_RECENT, "一(二)1"):
        r.refuse("一(二)1", f"项目负责人{p.unexecuted_years}年度无正当理由未执行已立项的市级继续医学教育项目")
    if r.fact(Application.INTEGRITY_RECORD, "一(二)2"):
        r.refuse("一(二)2", f"项目负责人或授课教师近{p.record_lookback_years}年存在科研诚信不良记录")
    if r.fact(Application.FALSIFICATION_RECORD, "一(二)3"):
        r.refuse("一(二)3", f"项目负责人近{p.record_lookback_years}年项目执行中存在弄虚作假、不良反馈等情况")


def check_own_teachers(r: Review) -> None:
    teachers = r.project.teachers
    applicant = Application.APPLICANT.of(r.application)
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
