"""The application checks of 温卫发函〔2026〕17号 一 and 二(一), in the notice's order.

One function per rule, grouped by topic: `people` (who leads and teaches), `programme` (what is
applied for), `application_round` (quotas and the window); `review` holds the shared machinery
and says how severities and missing facts are decided.
"""

from __future__ import annotations

from jijiao.models import Finding, Level, Project, Severity
from jijiao.plugins import ParameterValues

from .application_round import check_dates_given, check_quota, check_window
from .documents import WZ_2026_17 as DOC
from .readings import CITY_PROJECTS_ONLY, OFFICE_RECORDS
from .people import (
    check_applicant_is_host,
    check_leader,
    check_one_per_leader,
    check_own_teachers,
    check_records,
    check_same_project_elsewhere,
    check_teachers,
)
from .programme import (
    check_annual_meeting,
    check_attendance,
    check_credits,
    check_enrolment,
    check_form,
    check_name,
    check_online_course,
    check_sessions,
    check_theme,
)
from .review import Review

CHECKS = (
    check_leader,
    check_one_per_leader,
    check_applicant_is_host,
    check_same_project_elsewhere,
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


def review(project: Project, jurisdiction: str, p: ParameterValues, ctx=None) -> list[Finding]:
    """Every finding of the notice on one application, the missing and unchecked facts last.

    ``ctx`` is the run's `RuleContext`: the readings taken, and in ``ctx.projects`` the batch of
    applications judged together, which the checks across records (one application per leader,
    the unit's quota) count."""
    if project.level is not Level.CITY:
        # Reading (readings.CITY_PROJECTS_ONLY): the notice rules the application of 市级 projects
        # only; a national or provincial project held in Wenzhou is applied for under its own rules.
        return [
            Finding(project.id, jurisdiction, Severity.NOTE, DOC.ref("一(适用范围)"),
                    f"温卫发函〔2026〕17号只规范市级项目的申报；该项目为{project.level.zh}项目，未按其审查；"
                    + CITY_PROJECTS_ONLY.step())
        ]
    r = Review(project, project.application, p, jurisdiction, ctx)
    for check in CHECKS:
        check(r)
    for what, clause_id in r.missing.items():
        r.refuse("一(二)6", f"项目申报书未完整填写：缺少“{what}”（审查 {DOC.id}/{clause_id} 所需）")
    for what, clause_id in r.unchecked.items():
        r.note(clause_id, f"市继教办记录未载明“{what}”，未能审查，须核实后再定是否受理", OFFICE_RECORDS)
    return r.findings
