"""附件1 and 附件2 filled from projects through the CLI, and read back from the .xlsx."""

import json

from click.testing import CliRunner
from openpyxl import load_workbook

from jijiao.cli import cli

PROJECTS = [
    {
        "id": "2026-04-01-001(国)",
        "name": "心血管疾病诊疗新进展",
        "jurisdiction": "430100",
        "level": "国家级",
        "host": "长沙市第一医院",
        "venue": "长沙市第一医院学术报告厅",
        "start": "2026-06-10",
        "end": "2026-06-12",
        "planned_enrolment": 120,
        "requested_credits": 10,
    },
    {
        "项目编号": "CS2026-02",
        "项目名称": "基层慢病管理适宜技术培训班",
        "项目所属地区": "430100",
        "项目级别": "市级",
        "举办形式": "远程",
        "主办单位": "长沙市卫生健康协会",
        "举办地点": "线上",
        "培训内容": "高血压、糖尿病规范化管理",
        "培训对象": "基层医疗卫生机构医师",
        "开始日期": "2026-09-01",
        "拟招生人数": 300,
        "申请学分": 2.5,
    },
]


def make(tmp_path, form, *options):
    source = tmp_path / "projects.json"
    source.write_text(json.dumps(PROJECTS, ensure_ascii=False), "utf-8")
    out = tmp_path / f"{form}.xlsx"
    args = ["forms", "make", form, "--input", str(source), "--out", str(out)]
    for option in options:
        args += ["--option", option]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return [list(row) for row in load_workbook(out).active.iter_rows(values_only=True)]


def test_both_forms_are_listed_with_their_clauses():
    result = CliRunner().invoke(cli, ["forms", "list"])
    assert "changsha-filing: 国家级、省级继续医学教育项目举办报备表（附件1）（cs-2022-cme/第十条" in result.output
    assert "changsha-plan: 长沙市市级继续医学教育计划申报表（附件2）（cs-2022-cme/第十一条" in result.output


def test_filing_form_附件1(tmp_path):
    rows = make(tmp_path, "changsha-filing", "unit=长沙市第一医院")
    assert rows[0][0] == "国家级、省级继续医学教育项目举办报备表"
    assert rows[1][0] == "报备单位：长沙市第一医院"
    assert rows[2] == ["举办单位", "项目编号", "项目名称", "举办时间", "举办地点", "培训人数", "拟授学分", "备注"]
    assert rows[3] == [
        "长沙市第一医院", "2026-04-01-001(国)", "心血管疾病诊疗新进展", "2026-06-10至2026-06-12",
        "长沙市第一医院学术报告厅", 120, 10, None,
    ]
    assert rows[4][3] == "2026-09-01" and rows[4][6] == 2.5


def test_plan_form_附件2(tmp_path):
    rows = make(tmp_path, "changsha-plan", "unit=科教处", "date=2026-03-20")
    assert rows[0][0] == "长沙市市级继续医学教育计划申报表"
    assert rows[1][0] == "填报处室（单位）：科教处    填报时间：2026-03-20"
    assert rows[2] == ["序号", "培训名称", "培训内容", "培训对象", "培训时间", "培训地点", "培训人数", "承办单位", "培训方式", "拟授学分", "备注"]
    assert rows[4] == [
        2, "基层慢病管理适宜技术培训班", "高血压、糖尿病规范化管理", "基层医疗卫生机构医师", "2026-09-01", "线上",
        300, "长沙市卫生健康协会", "远程", 2.5, None,
    ]
    assert rows[3][8] == "面授"


def test_a_bad_project_names_the_field(tmp_path):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps([{"id": "X", "开始日期": "6月10日"}], ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(cli, ["forms", "make", "changsha-filing", "--input", str(source), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert "start" in result.output
