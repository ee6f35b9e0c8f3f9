"""What this example's document names that core does not: a kind of activity, an activity fact
and a field of a project's application. Labels are what files, scenarios and Datasette show."""

from jijiao.models import ActivityKind, Fact

from .documents import EXAMPLE_DOCUMENT

MOBILE_SERVICE = ActivityKind(
    "zj_mobile_service", "下基层巡回医疗服务", EXAMPLE_DOCUMENT.ref("二"),
    description="示例：到基层开展巡回医疗服务（按服务天数授予Ⅱ类学分）",
)
KINDS = [MOBILE_SERVICE]

SERVICE_DAYS = Fact(
    "zj_service_days", "巡回服务天数", int, unit="天", clause=EXAMPLE_DOCUMENT.ref("二"), minimum=1,
    description="示例：一次巡回医疗服务的天数",
)
PAIRED_COUNTY = Fact(
    "zj_paired_county", "结对帮扶县", str, record="application", clause=EXAMPLE_DOCUMENT.ref("三"),
    description="示例：省级项目申报书中填写的结对帮扶县（市、区）",
)
FACTS = [SERVICE_DAYS, PAIRED_COUNTY]
