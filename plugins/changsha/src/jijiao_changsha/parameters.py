"""Changsha's policy numbers, each with the article it comes from.

Dates that recur every year are written "MM-DD" (the day itself is included: "3月31日前" is read
as "by the end of 31 March", the reading a submitting unit would take and the office accepts).
"""

from decimal import Decimal

from jijiao.models import Parameter, ParameterSet

from .documents import CS_2022_CME as DOC

PARAMETERS = ParameterSet("changsha", [
    Parameter(
        key="public_hours_required",
        value=Decimal(30),
        unit="学时",
        clause=DOC.ref("第九条"),
        description="公共科目每人每年不少于此学时（学时制，由市人力资源社会保障局认定）",
    ),
    Parameter(
        key="professional_annual_credits",
        value=None,
        unit="学分",
        clause=DOC.ref("第九条"),
        description="专业科目每年应取得的学分：按湖南省学分管理实施细则（湘卫科教发〔2016〕9号），我们没有该文件；"
        "仅可由 what-if 设定（--set changsha.professional_annual_credits=25）",
        assumed=True,
    ),
    Parameter(
        key="professional_hours_equivalent",
        value=Decimal(60),
        unit="学时",
        clause=DOC.ref("第九条"),
        description="专业科目学分合格，视同完成当年度省人力资源社会保障厅此学时的专业科目培训要求",
    ),
    Parameter(
        key="filing_days_before_start",
        value=7,
        unit="天",
        clause=DOC.ref("第十条"),
        description="国家级、省级项目举办单位应于举办前此天数（一周）将报备表等资料报市卫生健康委科教处",
    ),
    Parameter(
        key="first_half_plan_due",
        value="03-31",
        unit="月-日",
        clause=DOC.ref("第十一条"),
        description="上半年市级继续医学教育计划申请表（附件2）的提交截止日",
    ),
    Parameter(
        key="second_half_plan_due",
        value="07-31",
        unit="月-日",
        clause=DOC.ref("第十一条"),
        description="下半年市级继续医学教育计划申请表（附件2）的提交截止日",
    ),
    Parameter(
        key="account_application_day",
        value=25,
        unit="日",
        clause=DOC.ref("第十四条"),
        description="单位账户申请资料每月此日前递交至发证机构",
    ),
    Parameter(
        key="unit_report_due",
        value="12-31",
        unit="月-日",
        clause=DOC.ref("第七条"),
        description="委属各单位及各区县（市）报送当年继续医学教育工作开展情况的截止日",
    ),
])
