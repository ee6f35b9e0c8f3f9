"""Who may lead and teach a city project: 一(一), 一(二)1–3 and 一(三)(本单位师资).

Two of 一(一)'s rules span applications: "每人仅可申请1项" and "同一项目只能通过一家单位申报". They
count the applications of the batch judged together (`Review.batch_group`); the typed count
负责人本年申报项目数 only stands for applications outside the batch. A teacher may teach in
several applications: the notice limits what a person applies for (as leader), not where one
teaches, so teachers are not counted across applications.
"""

from __future__ import annotations

from fractions import Fraction

from jijiao.models import Project

from .application_round import ordered_after, submission_list
from .readings import (
    LEADER_IDENTITY,
    LEADER_ONE_APPLICATION,
    OWN_TEACHERS_GENERALLY,
    SAME_NAME_SAME_PROJECT,
    SPECIALTY_MATCH,
)
from .review import Review, in_this_round, label, listing, share, unit_of
from .vocabulary import Application


def leader_in_unit(project: Project):
    """Who leads an application of this round, as the form identifies a person (readings.LEADER_IDENTITY)."""
    leader, unit = project.leader.strip(), unit_of(project)
    return (leader, unit) if in_this_round(project) and leader and unit else None


def leader_name(project: Project):
    leader = project.leader.strip()
    return leader if in_this_round(project) and leader else None


def project_name(project: Project):
    name = project.name.strip()
    return name if in_this_round(project) and name else None


def check_leader(r: Review) -> None:
    if r.fact(Application.LEADER_EMPLOYED_BY_UNIT, "一(一)(负责人)") is False:
        r.refuse("一(一)(负责人)", "项目负责人必须是申报单位在职(岗)人员")
    if r.fact(Application.LEADER_TEACHES_THEORY, "一(一)(负责人)") is False:
        r.refuse("一(一)(负责人)", "项目负责人须参与理论授课")


def check_one_per_leader(r: Review) -> None:
    """每人仅可申请1项: the batch's applications with the same leader first; the typed count
    (an office record) only where the batch shows none beyond this one."""
    limit = r.p.leader_max_applications
    same_leader = r.batch_group(leader_in_unit)
    counted = {q.id for q in same_leader}
    namesakes = [q for q in r.batch_group(leader_name) if q.id not in counted]
    if namesakes:
        r.note(
            "一(一)(每人一项)",
            f"本批次中另有同名负责人{r.project.leader}的申报：{listing(namesakes)}，申报单位不同，未计为同一人，须核实是否同一人",
            LEADER_IDENTITY,
        )
    if len(same_leader) + 1 > limit:
        who = f"项目负责人{r.project.leader}在本批次中共申报 {len(same_leader) + 1} 项（另有{listing(same_leader)}），每人仅可申请 {limit} 项"
        if r.reading(LEADER_ONE_APPLICATION):
            r.refuse("一(一)(每人一项)", who, LEADER_ONE_APPLICATION)
            return
        ahead = ordered_after(r.project, same_leader)
        if len(ahead) < limit:
            r.note("一(一)(每人一项)", f"{who}；本项申报在先，可受理，在后的申报不予受理", LEADER_ONE_APPLICATION)
        else:
            r.refuse("一(一)(每人一项)", f"{who}；本项申报不在先（在先或先后不明的：{submission_list(ahead)}）", LEADER_ONE_APPLICATION)
        return
    count = r.fact(Application.LEADER_APPLICATIONS, "一(一)(每人一项)")
    if count is not None and count > limit:
        # Applications outside the batch: which of them came first is not known here.
        if r.reading(LEADER_ONE_APPLICATION):
            r.refuse("一(一)(每人一项)", f"项目负责人本年申报 {count} 项，每人仅可申请 {limit} 项", LEADER_ONE_APPLICATION)
        else:
            r.warn(
                "一(一)(每人一项)",
                f"项目负责人本年申报 {count} 项，每人仅可申请 {limit} 项；其余申报不在本批次中，须核实本项是否在先申报",
                LEADER_ONE_APPLICATION,
            )


def check_same_project_elsewhere(r: Review) -> None:
    """同一项目只能通过一家单位申报: a project of the same name applied for by another unit in the batch."""
    mine = unit_of(r.project)
    elsewhere = [q for q in r.batch_group(project_name) if unit_of(q) and unit_of(q) != mine]
    if mine and elsewhere:
        r.warn(
            "一(一)(申报单位)",
            f"本批次中其他单位申报了同名项目：{listing(elsewhere)}；同一项目只能通过一家单位申报，请核实是否同一项目",
            SAME_NAME_SAME_PROJECT,
        )


def check_applicant_is_host(r: Review) -> None:
    applicant = r.fact(Application.APPLICANT, "一(一)(申报单位)")
    host = r.field("host", "一(一)(申报单位)")
    if applicant and host and applicant != host:
        r.refuse("一(一)(申报单位)", f"申报单位（{applicant}）与主办单位（{host}）不一致，申报单位及主办单位需一致")


def specialty_matches(specialty: str, discipline: str) -> bool:
    # Reading (readings.SPECIALTY_MATCH): "其专业与授课内容的学科专业要一致" is met where one names
    # the other (a 心血管内科 teacher teaching a 内科 project, or the reverse); unrelated ones are refused.
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
                SPECIALTY_MATCH,
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
    # Reading (readings.OWN_TEACHERS_GENERALLY): "1/2以上" includes one half itself, as "以上" does
    # in Chinese regulations; "一般应" makes a shortfall a warning.
    minimum = share(r.p.own_teachers_share)
    if Fraction(own, len(teachers)) < minimum:
        r.warn(
            "一(三)(本单位师资)",
            f"申报单位所属授课师资 {own} 人，占授课师资总数 {len(teachers)} 人的 {own}/{len(teachers)}，"
            f"一般应占 {r.p.own_teachers_share} 以上",
            OWN_TEACHERS_GENERALLY,
        )
