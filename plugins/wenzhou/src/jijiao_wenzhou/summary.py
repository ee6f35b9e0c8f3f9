"""附件1: 温州市申报2026年市级继续医学教育培训项目汇总表, filled from a unit's applications.

``jijiao forms make wenzhou-summary --input applications.jsonl --out 汇总表.xlsx`` with optional
``--option unit=… --option date=2026-03-28 --option filler=… --option contact=… --option completed=N``.
Without options the unit and the 2025 total are taken from the applications themselves.
"""

from __future__ import annotations

from datetime import date

import click
from openpyxl import Workbook

from jijiao.forms import Form, table_workbook
from jijiao.models import Mode, Project

from .documents import WZ_2026_17 as DOC
from .vocabulary import Application

NAME = "wenzhou-summary"
TITLE = "温州市申报2026年市级继续医学教育培训项目汇总表"
COLUMNS = (
    "序号",
    "申请代码",
    "项目名称",
    "项目负责人",
    "项目负责人联系电话",
    "所属学科",
    "申请学分数 (分)",
    "拟招生人数(人)",
    "项目举办形式 (线上/线下)",
    "2025 年度市继教项目完成举办数",
)
MODE_WORDS = {Mode.FACE_TO_FACE: "线下", Mode.REMOTE: "线上"}
OPTIONS = {"unit": "项目申报单位", "date": "填报日期", "filler": "填报人", "contact": "联系方式", "completed": "2025 年完成举办总数"}


def _option_error(key: str, reason: str) -> click.BadParameter:
    return click.BadParameter(f"{key}: {reason}", param_hint="--option")


def _common(projects: list[Project], read, key: str):
    """The one value every application gives for a unit-wide fact (None if none gives it)."""
    values = {read(p.application) for p in projects} - {None, ""}
    if len(values) > 1:
        raise _option_error(key, f"the applications disagree ({'、'.join(map(str, sorted(values)))}); give --option {key}=…")
    return values.pop() if values else None


def _fill_date(text: str | None) -> str:
    if not text:
        return "填报日期：    年   月   日"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise _option_error("date", f"expected a date such as 2026-03-28, got {text!r}") from None
    return f"填报日期：{day.year} 年 {day.month} 月 {day.day} 日"


def _text(fact, application) -> str:
    """A text fact of the application; one it leaves out is an empty cell (never "None")."""
    return fact.of(application) or ""


def row(number: int, project: Project) -> list:
    app = project.application
    # Reading (readings.SUMMARY_ROW_COMPLETED): the per-row "2025 年度市继教项目完成举办数" is the project leader's count of city
    # projects held in 2025 (each row is one leader's application, and 三 makes past execution a
    # reference for review); the unit's total is the footer line.
    return [
        number,
        _text(Application.CODE, app),
        project.name,
        project.leader,
        _text(Application.LEADER_PHONE, app),
        _text(Application.DISCIPLINE, app),
        project.requested_credits,
        project.planned_enrolment,
        MODE_WORDS[project.mode],
        Application.LEADER_COMPLETED_LAST_YEAR.of(app),
    ]


def fill(projects: list[Project], options: dict) -> Workbook:
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise _option_error(unknown[0], f"unknown option; known: {', '.join(OPTIONS)}")
    unit = options.get("unit") or _common(projects, Application.APPLICANT.of, "unit") or ""
    completed = options.get("completed")
    if completed is None:
        completed = _common(projects, Application.UNIT_COMPLETED_LAST_YEAR.of, "completed")
    elif not str(completed).isdigit():
        raise _option_error("completed", f"expected a whole number, got {completed!r}")
    total = "" if completed is None else completed
    footer = f"2025 年完成举办市级继续医学教育项目总数 ({total}) 项    填报人：{options.get('filler', '')}    联系方式：{options.get('contact', '')}"
    return table_workbook(
        TITLE,
        COLUMNS,
        [row(i, p) for i, p in enumerate(projects, 1)],
        heading=(f"项目申报单位（加盖公章）：{unit}", _fill_date(options.get("date"))),
        footer=(footer,),
        sheet="附件1",
    )


SUMMARY_FORM = Form(name=NAME, title=TITLE, clause=DOC.ref("附件1"), input="projects", fill=fill)
