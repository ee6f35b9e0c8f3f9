"""Example: a provincial layer for 浙江省 (330000), to show an outside plugin taking part.

The document and its number are invented for the example; nothing here is Zhejiang's policy.
"""

from datetime import date
from decimal import Decimal

from jijiao import hookimpl
from jijiao.models import Category, Clause, ClauseRef, Document, Jurisdiction, Parameter, Requirement

DOC_ID = "example-zj"
ZHEJIANG = Jurisdiction(code="330000", name="浙江省", level="provincial", parent="000000")
REQUIREMENT = ClauseRef(DOC_ID, "一")

EXAMPLE_DOCUMENT = Document(
    id=DOC_ID,
    title="示例文件：浙江省继续医学教育学分要求（测试用，非真实政策）",
    number="",
    issuer="示例",
    issued=date(2026, 1, 1),
    status="draft_for_comment",
    jurisdiction="330000",
    clauses=[Clause(REQUIREMENT, "示例：每年累计学分不低于 25 学分。", True, "示例年度学分要求")],
)


@hookimpl
def jijiao_jurisdictions():
    return [ZHEJIANG]


@hookimpl
def jijiao_documents():
    return [EXAMPLE_DOCUMENT]


@hookimpl
def jijiao_parameters():
    return [Parameter("annual_credits", Decimal(25), "学分", REQUIREMENT, "示例年度学分要求")]


@hookimpl
def jijiao_annual_requirements(jurisdiction, ctx):
    return [
        Requirement(
            name="annual_credits",
            label="年度学分",
            categories=(Category.CLASS_I, Category.CLASS_II),
            required=ctx.params("zhejiang_example").annual_credits,
            unit="学分",
            clause=REQUIREMENT,
            jurisdiction=jurisdiction.code,
        )
    ]
