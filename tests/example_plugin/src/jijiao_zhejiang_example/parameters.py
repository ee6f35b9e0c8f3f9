"""Every number of the example document, with the clause it comes from (invented numbers)."""

from decimal import Decimal

from jijiao.models import Parameter, ParameterSet

from .documents import EXAMPLE_DOCUMENT as DOC

PARAMETERS = ParameterSet("zhejiang_example", [
    Parameter("annual_credits", Decimal(25), "学分", DOC.ref("一"), "示例：每年累计学分下限"),
    Parameter("credits_per_service_day", Decimal(1), "学分", DOC.ref("二"), "示例：巡回医疗服务每天授予的Ⅱ类学分"),
    Parameter("max_credits_per_service", Decimal(5), "学分", DOC.ref("二"), "示例：每次巡回医疗服务最多授予的学分"),
])
