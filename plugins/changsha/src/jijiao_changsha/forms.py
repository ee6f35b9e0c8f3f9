"""附件1 (国家级、省级继续医学教育项目举办报备表, 第十条) and 附件2 (长沙市市级继续医学教育计划申报表,
第十一条), filled from projects.

Options (``--option``): ``unit`` -- 报备单位 / 填报处室（单位）; ``date`` -- 填报时间 (附件2).
"""

from __future__ import annotations

from jijiao.forms import Form, table_workbook

from .documents import CS_2022_CME as DOC

FILING_COLUMNS = ("举办单位", "项目编号", "项目名称", "举办时间", "举办地点", "培训人数", "拟授学分", "备注")
PLAN_COLUMNS = ("序号", "培训名称", "培训内容", "培训对象", "培训时间", "培训地点", "培训人数", "承办单位", "培训方式", "拟授学分", "备注")


def held_when(project) -> str:
    if project.start is None:
        return ""
    if project.end is None or project.end == project.start:
        return f"{project.start:%Y-%m-%d}"
    return f"{project.start:%Y-%m-%d}至{project.end:%Y-%m-%d}"


def _number(value) -> object:
    """Numbers stay numbers in the sheet (so the office can total them); a blank stays blank."""
    return "" if value is None else value


def fill_filing(projects, options) -> object:
    rows = [
        (p.host, p.id, p.name, held_when(p), p.venue, _number(p.planned_enrolment), _number(p.requested_credits), "")
        for p in projects
    ]
    return table_workbook(
        "国家级、省级继续医学教育项目举办报备表", FILING_COLUMNS, rows,
        heading=[f"报备单位：{options.get('unit', '')}"], sheet="附件1",
    )


def fill_plan(projects, options) -> object:
    rows = [
        (i, p.name, p.content, p.audience, held_when(p), p.venue, _number(p.planned_enrolment), p.host,
         p.mode.zh, _number(p.requested_credits), "")
        for i, p in enumerate(projects, 1)
    ]
    heading = f"填报处室（单位）：{options.get('unit', '')}    填报时间：{options.get('date', '')}"
    return table_workbook("长沙市市级继续医学教育计划申报表", PLAN_COLUMNS, rows, heading=[heading], sheet="附件2")


FORMS = [
    Form("changsha-filing", "国家级、省级继续医学教育项目举办报备表（附件1）", DOC.ref("第十条"), "projects", fill_filing),
    Form("changsha-plan", "长沙市市级继续医学教育计划申报表（附件2）", DOC.ref("第十一条"), "projects", fill_plan),
]
