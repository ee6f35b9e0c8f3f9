"""The application round: the unit's quota and the online window (二(一)), and the dates the
deadlines need (一(七)). Late acts themselves are reported by the host from `dates`.

The quota spans applications: the unit's applications in the batch judged together are counted
(`Review.batch_group`); the typed count 单位本年申报项目数 only stands for those outside the batch.
"""

from __future__ import annotations

from datetime import datetime

from jijiao.models import Project, in_china

from .readings import BOTH_SUBMISSIONS, NO_QUOTA_WITHOUT_COMPLETED, UNIT_OVER_QUOTA, WINDOW_TO_THE_MINUTE
from .review import Review, in_this_round, listing, unit_of
from .vocabulary import Application

BOTH_REQUIRED = "网上申报与纸质申报同时进行，缺一不可"


def submitted(project: Project) -> datetime | None:
    at = Application.SUBMITTED_AT.of(project.application)
    return None if at is None else in_china(at)


def ordered_after(project: Project, others: list[Project]) -> list[Project]:
    """Those of ``others`` not shown to be submitted after ``project``: earlier, at the same minute,
    or at an unknown time (where either time is unknown, which came first is unknown)."""
    mine = submitted(project)
    return [q for q in others if mine is None or submitted(q) is None or submitted(q) <= mine]


def submission_list(projects) -> str:
    return "、".join(f"{q.id}（{'网上申报时间不明' if submitted(q) is None else f'{submitted(q):%Y-%m-%d %H:%M}'}）" for q in projects)


def applying_unit(project: Project):
    """The unit whose quota an application of this round counts against."""
    unit = unit_of(project)
    return unit if in_this_round(project) and unit else None


def check_quota(r: Review) -> None:
    p = r.p
    first_time = r.fact(Application.UNIT_FIRST_TIME, "二(一)(首次申报)")
    if first_time is None:
        r.fact(Application.UNIT_APPLICATIONS, "二(一)(限额)")  # said to be unchecked as well
        return
    if first_time:
        quota, clause_id = p.first_time_unit_quota, "二(一)(首次申报)"
        rule = f"首次申报项目的单位推荐项目数不超过 {quota} 项"
        because = None
    else:
        # Reading (readings.NO_QUOTA_WITHOUT_COMPLETED): a unit that has applied before but
        # completed no city project in the base year has a quota of 0; only a first-time unit gets
        # the one-project allowance.
        completed = r.fact(Application.UNIT_COMPLETED_LAST_YEAR, "二(一)(限额)")
        if completed is None:
            r.fact(Application.UNIT_APPLICATIONS, "二(一)(限额)")
            return
        quota, clause_id = completed, "二(一)(限额)"
        rule = f"申报项目数以{p.quota_base_year}年度已完成举办的市级继教项目数（{completed} 项）为上限"
        because = NO_QUOTA_WITHOUT_COMPLETED if completed == 0 else None
    same_unit = r.batch_group(applying_unit)
    if len(same_unit) + 1 > quota:
        # The batch itself shows the unit over its quota: the typed count is not needed.
        found = f"{rule}，本单位在本批次中申报 {len(same_unit) + 1} 项" + (f"（另有{listing(same_unit)}）" if same_unit else "")
        if because is not None:
            found = f"{found}；{r.said(because)}"
        if r.reading(UNIT_OVER_QUOTA):
            r.refuse(clause_id, found, UNIT_OVER_QUOTA)
            return
        ahead = ordered_after(r.project, same_unit)
        if len(ahead) < quota:
            r.note(clause_id, f"{found}；本项申报在限额以内的在先申报中，可受理", UNIT_OVER_QUOTA)
        else:
            r.refuse(clause_id, f"{found}；在先或先后不明的申报已有 {len(ahead)} 项：{submission_list(ahead)}", UNIT_OVER_QUOTA)
        return
    # Applications outside the batch: only the typed count (an office record) can say.
    applications = r.fact(Application.UNIT_APPLICATIONS, "二(一)(限额)")
    if applications is None or applications <= quota:
        return
    found = f"{rule}，本单位申报 {applications} 项"
    if because is not None:
        found = f"{found}；{r.said(because)}"
    if r.reading(UNIT_OVER_QUOTA) or quota == 0:
        r.refuse(clause_id, found, UNIT_OVER_QUOTA)
    else:
        r.warn(clause_id, f"{found}；其余申报不在本批次中，须核实本项是否在限额以内的在先申报中", UNIT_OVER_QUOTA)


def check_window(r: Review) -> None:
    # Late submissions are reported by the host from the deadlines (see dates.py); a submission
    # before the window opened cannot have been an application in this round.
    # Reading (readings.BOTH_SUBMISSIONS): "网上申报与纸质申报同时进行，缺一不可": an application with
    # no online submission or no paper materials on record is not accepted under 二(一) itself (the
    # 申报书 may be complete).
    at, opens = submitted(r.project), r.p.online_window_opens
    if at is None:
        r.refuse("二(一)(网上申报)", f"没有网上申报记录：{BOTH_REQUIRED}", BOTH_SUBMISSIONS)
    elif at < opens:
        r.refuse(
            "二(一)(网上申报)",
            f"网上申报时间 {at:%Y-%m-%d %H:%M} 早于网络申报开始时间 {opens:%Y-%m-%d %H:%M}（北京时间）",
            WINDOW_TO_THE_MINUTE,
        )
    if Application.PAPER_SUBMITTED_AT.of(r.application) is None:
        r.refuse("二(一)(纸质材料)", f"没有纸质申报材料的提交记录：{BOTH_REQUIRED}", BOTH_SUBMISSIONS)


def check_dates_given(r: Review) -> None:
    if r.online:
        r.field("start", "一(七)(线上上线)")
    r.field("end", "一(七)(完成举办)")
