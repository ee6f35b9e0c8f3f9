"""National policy numbers, each with the clause it comes from."""

from datetime import date
from decimal import Decimal

from jijiao.models import Level, Parameter, ParameterSet

from .documents import NHC_2019_702 as DOC, NHC_2024_20

PARAMETERS = ParameterSet("national", [
    Parameter(
        key="deemed_further_study_months",
        value=Decimal(6),
        unit="月",
        clause=DOC.ref("三(视为合格)"),
        description="累计进修满此月数并考核合格，视为当年继续医学教育合格",
    ),
    Parameter(
        key="deemed_award_leader_level",
        value=Level.PROVINCIAL,
        unit="级别",
        clause=DOC.ref("三(视为合格)"),
        description="担任此级别及以上科技成果奖励项目负责人，视为当年合格",
    ),
    Parameter(
        key="category_makeup_share",
        value=Decimal(50),
        unit="%",
        clause=DOC.ref("三(相互补充)"),
        description="Ⅰ类、Ⅱ类学分相互补充的比例上限（占该类别学分要求总值）",
    ),
    # 702号 states no annual total: before 20号 the key has no value (the national total of
    # those years is in a document we do not hold). Reading (national.nhc_2024_20_from_2025):
    # 20号's date of effect is in the part we do not hold, so it governs from the first year
    # after its issue; 2024 stays undetermined.
    Parameter(
        key="annual_credits",
        value=Decimal(25),
        unit="学分",
        clause=NHC_2024_20.ref("一"),
        description="卫生专业技术人员每年所获得学分累计不低于此数（不少于90学时）",
        since=date(2025, 1, 1),
    ),
])
