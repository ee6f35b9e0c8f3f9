"""The dates of 温卫发函〔2026〕17号 (一(七), 二(一), 二(三)), in Beijing time, to the minute.

`calendar` gives the round's dates for every applying unit; `project_deadlines` gives one city
project's deadlines with ``done_at`` from its record, so the host reports what was late.
"""

from __future__ import annotations

from datetime import date, datetime, time

from jijiao.models import CHINA_TZ, Deadline, Level, Mode, Project, Severity, in_china
from jijiao.plugins import ParameterValues

from .documents import WZ_2026_17 as DOC
from .readings import DAY_INCLUSIVE, WINDOW_TO_THE_MINUTE
from .review import REFUSED
from .vocabulary import Application

UNITS = "各申报单位"


# Which reading each date rests on: where the window's ends fall to the minute, and that "前" a
# day includes that day. The deadline's consequence says it, so the late finding carries it too.
READING_OF = {
    "二(一)(网上申报)": WINDOW_TO_THE_MINUTE,
    "二(一)(纸质材料)": WINDOW_TO_THE_MINUTE,
    "二(三)": WINDOW_TO_THE_MINUTE,
    "一(七)(线上上线)": DAY_INCLUSIVE,
    "一(七)(完成举办)": DAY_INCLUSIVE,
}


def _deadline(subject, what, who, due, clause_id, jurisdiction, done_at=None, late_severity=Severity.VIOLATION) -> Deadline:
    consequence = REFUSED if late_severity is Severity.REFUSED else ""
    reading = READING_OF.get(clause_id)
    if reading is not None:
        consequence = f"{consequence}（{reading.step()}）" if consequence else reading.step()
    return Deadline(subject, what, who, due, DOC.ref(clause_id), jurisdiction, done_at, late_severity, consequence)


def calendar(year: int, jurisdiction: str, p: ParameterValues) -> list[Deadline]:
    """The round's dates, for the year the notice runs in (2026) only."""
    if year != p.online_window_closes.year:
        return []
    rows = [
        ("网络申报开始（此前不受理）", p.online_window_opens, "二(一)(网上申报)"),
        ("网络申报截止", p.online_window_closes, "二(一)(网上申报)"),
        ("纸质申报材料（申报表、单位推荐数汇总表）盖章提供", p.paper_due, "二(一)(纸质材料)"),
        ("附件1汇总表（纸质盖章及Excel电子版）报送温州市继教办", p.summary_due, "二(三)"),
        ("市级线上项目上线", p.online_live_by, "一(七)(线上上线)"),
        ("所有市级项目完成举办", p.held_by, "一(七)(完成举办)"),
    ]
    return [_deadline(jurisdiction, what, UNITS, due, clause, jurisdiction) for what, due, clause in rows]


def on_day(day: date | None) -> datetime | None:
    """A date-only record as the start of that day in Beijing: a project ending on 12-10 was held by 12-10."""
    return None if day is None else datetime.combine(day, time(0, 0), CHINA_TZ)


def project_deadlines(project: Project, jurisdiction: str, p: ParameterValues) -> list[Deadline]:
    if project.level is not Level.CITY:
        return []
    submitted = Application.SUBMITTED_AT.of(project.application)
    paper = Application.PAPER_SUBMITTED_AT.of(project.application)
    submitted = None if submitted is None else in_china(submitted)
    paper = None if paper is None else in_china(paper)
    who = project.host or "申报单位"
    found = [
        # An application after its window, or paper materials after their date, is not accepted:
        # 网上申报与纸质申报同时进行，缺一不可.
        _deadline(project.id, "网络申报", who, p.online_window_closes, "二(一)(网上申报)", jurisdiction, submitted, Severity.REFUSED),
        _deadline(project.id, "纸质申报材料提供", who, p.paper_due, "二(一)(纸质材料)", jurisdiction, paper, Severity.REFUSED),
    ]
    if project.mode is Mode.REMOTE:
        found.append(_deadline(project.id, "线上项目上线", who, p.online_live_by, "一(七)(线上上线)", jurisdiction, on_day(project.start)))
    found.append(_deadline(project.id, "完成举办", who, p.held_by, "一(七)(完成举办)", jurisdiction, on_day(project.end)))
    return found
