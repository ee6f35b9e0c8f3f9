"""Execution checks of 辽卫办发〔2026〕56号 四 (and the co-host rule of 方案 四(一)1).

Each breach is a `Finding` of severity 违规, citing the numbered part of 四 it falls under, with
the numbers found and the consequence 四 names for all of them.

Reading (thresholds): "变更幅度超过30%" is strictly more than 30 % (30 % passes, 30.1 % does
not); "偏差达50%以上" includes 50 % itself (deviation = |actual − planned| / planned); "低于10%"
is strictly below; "超过3小时" strictly above; "不足2次" strictly below 2.

Reading (free-text breaches): the execution facts credit_irregularities and other_violations use
the notice's own words (漏授、错授、超发、售卖; 转交其他单位举办、嵌套举办、假借名义、推介产品、
乱收费、只收费不培训、代签、代学、篡改学习时长、伪造执行材料); any other word is refused as bad
input naming the field, so that nothing is silently dropped.
"""

from __future__ import annotations

from decimal import Decimal

from jijiao.models import Finding, Mode, Severity

from .deadlines import is_recommended_project
from .documents import CREDIT_SCHEME as S, NOTICE_2026_56 as N
from .rules import in_province, is_out_of_province, plain
from .vocabulary import Execution as E

CONSEQUENCE = "立即暂停项目举办并责令限期整改；整改验收不合格的，1—3年内不予受理其继续医学教育项目申报，并依规追究相关单位及责任人责任（四(处理)）"

CREDIT_IRREGULARITIES = ("漏授", "错授", "超发", "售卖")
OTHER_VIOLATIONS = {
    "转交其他单位举办": "四(二)",
    "嵌套举办": "四(二)",
    "假借名义": "四(二)",
    "推介产品": "四(二)",
    "乱收费": "四(二)",
    "只收费不培训": "四(二)",
    "代签": "四(五)",
    "代学": "四(五)",
    "篡改学习时长": "四(六)",
    "伪造执行材料": "四(六)",
}


def pct(part, whole) -> Decimal:
    return Decimal(part) * 100 / Decimal(whole)


def project_findings(project, jurisdiction, p) -> list[Finding]:
    found = co_host_findings(project, jurisdiction)
    if project.execution is not None and in_province(project.jurisdiction):
        found += execution_findings(project, project.execution, jurisdiction, p)
    return found


def co_host_findings(project, jurisdiction) -> list[Finding]:
    if (
        in_province(project.jurisdiction)
        and is_out_of_province(project.host_province)
        and project.mode is Mode.FACE_TO_FACE
        and not project.co_host.strip()
    ):
        return [Finding(project.id, jurisdiction.code, Severity.VIOLATION, S.ref("四(一)1(外省主办)"),
                        f"外省医疗卫生机构（{project.host or project.host_province}）主办的面授项目，协办单位应当为我省医疗卫生机构，但未填写协办单位")]
    return []


def execution_findings(project, e, jurisdiction, p) -> list[Finding]:
    """The breaches of 56号 四 in ``e``, a project's execution facts (see `vocabulary.Execution`)."""
    found = []

    def breach(clause, message):
        found.append(Finding(project.id, jurisdiction.code, Severity.VIOLATION, N.ref(clause), message, CONSEQUENCE))

    for label, fact in (("课程内容", E.CONTENT_CHANGE_PCT), ("授课教师", E.TEACHER_CHANGE_PCT), ("总学时", E.HOURS_CHANGE_PCT)):
        change = fact.of(e)
        if change is not None and change > p.execution_change_max_pct:
            breach("四(一)", f"申报与实施不符：{label}变更幅度 {plain(change)}%，超过 {plain(p.execution_change_max_pct)}%")
    if E.HELD.of(e) is False:
        breach("四(一)", "获批项目未组织开展")
    elif is_recommended_project(project, p.recommended_year) and project.end is not None and project.end > p.recommended_final_date:
        breach("四(一)", f"未按期执行：结束日期 {project.end} 晚于 {p.recommended_final_date}")
    enrolment, grassroots = E.ACTUAL_ENROLMENT.of(e), E.GRASSROOTS_TRAINEES.of(e)
    if enrolment is not None and project.planned_enrolment:
        deviation = pct(abs(enrolment - project.planned_enrolment), project.planned_enrolment)
        if deviation >= p.enrolment_deviation_pct:
            breach("四(三)", f"招生规模违规：计划招收 {project.planned_enrolment} 人，实际参培 {enrolment} 人，偏差 {plain(round(deviation, 1))}%，达 {plain(p.enrolment_deviation_pct)}%以上")
    if grassroots is not None and enrolment:
        share = pct(grassroots, enrolment)
        if share < p.grassroots_min_pct:
            breach("四(三)", f"基层参培学员 {grassroots} 人，占实际参培 {enrolment} 人的 {plain(round(share, 1))}%，低于 {plain(p.grassroots_min_pct)}%")
    lecture = E.LONGEST_THEORY_LECTURE_HOURS.of(e)
    if lecture is not None and lecture > p.theory_lecture_max_hours:
        breach("四(四)", f"授课教师理论单次授课时长 {plain(lecture)} 小时，超过 {plain(p.theory_lecture_max_hours)} 小时（实践教学除外）")
    checks = E.ATTENDANCE_CHECKS_PER_DAY.of(e)
    if checks is not None and checks < p.execution_min_attendance_per_day:
        breach("四(五)", f"每日考勤频次 {checks} 次，不足 {p.execution_min_attendance_per_day} 次")
    for word in E.CREDIT_IRREGULARITIES.of(e) or ():
        if word not in CREDIT_IRREGULARITIES:
            raise ValueError(f"execution.credit_irregularities: unknown {word!r}; expected one of {'、'.join(CREDIT_IRREGULARITIES)}")
        breach("四(五)", f"违规发放学分：{word}学分")
    for word in E.OTHER_VIOLATIONS.of(e) or ():
        if word not in OTHER_VIOLATIONS:
            raise ValueError(f"execution.other_violations: unknown {word!r}; expected one of {'、'.join(OTHER_VIOLATIONS)}")
        breach(OTHER_VIOLATIONS[word], f"违规情形：{word}")
    return found
