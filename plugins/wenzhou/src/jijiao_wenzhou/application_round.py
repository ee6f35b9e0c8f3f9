"""The application round: the unit's quota and the online window (二(一)), and the dates the
deadlines need (一(七)). Late acts themselves are reported by the host from `dates`."""

from __future__ import annotations

from jijiao.models import in_china

from .review import Review
from .vocabulary import Application

BOTH_REQUIRED = "网上申报与纸质申报同时进行，缺一不可"


def check_quota(r: Review) -> None:
    p = r.p
    applications = r.fact(Application.UNIT_APPLICATIONS, "二(一)(限额)")
    first_time = r.fact(Application.UNIT_FIRST_TIME, "二(一)(首次申报)")
    if applications is None or first_time is None:
        return
    if first_time:
        if applications > p.first_time_unit_quota:
            r.refuse("二(一)(首次申报)", f"首次申报项目的单位推荐项目数不超过 {p.first_time_unit_quota} 项，本单位申报 {applications} 项")
        return
    # Reading: a unit that has applied before but completed no city project in the base year has a
    # quota of 0; only a first-time unit gets the one-project allowance.
    completed = r.fact(Application.UNIT_COMPLETED_LAST_YEAR, "二(一)(限额)")
    if completed is not None and applications > completed:
        r.refuse(
            "二(一)(限额)",
            f"申报项目数以{p.quota_base_year}年度已完成举办的市级继教项目数（{completed} 项）为上限，本单位申报 {applications} 项",
        )


def check_window(r: Review) -> None:
    # Late submissions are reported by the host from the deadlines (see dates.py); a submission
    # before the window opened cannot have been an application in this round.
    # Reading: "网上申报与纸质申报同时进行，缺一不可": an application with no online submission or
    # no paper materials on record is not accepted under 二(一) itself (the 申报书 may be complete).
    submitted, opens = Application.SUBMITTED_AT.of(r.application), r.p.online_window_opens
    if submitted is None:
        r.refuse("二(一)(网上申报)", f"没有网上申报记录：{BOTH_REQUIRED}")
    elif in_china(submitted) < opens:
        r.refuse(
            "二(一)(网上申报)",
            f"网上申报时间 {in_china(submitted):%Y-%m-%d %H:%M} 早于网络申报开始时间 {opens:%Y-%m-%d %H:%M}（北京时间）",
        )
    if Application.PAPER_SUBMITTED_AT.of(r.application) is None:
        r.refuse("二(一)(纸质材料)", f"没有纸质申报材料的提交记录：{BOTH_REQUIRED}")


def check_dates_given(r: Review) -> None:
    if r.online:
        r.field("start", "一(七)(线上上线)")
    r.field("end", "一(七)(完成举办)")
