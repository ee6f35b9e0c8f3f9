"""What the Changsha document names that the national one does not: public subjects by hours
(第九条), the facts its routes and filings read (第十条, 第十一条, 第十二条), and its two annual
requirements.

The national kinds of activity and credit categories (继续医学教育项目, Ⅰ类学分 ...) are judged here
too: they are imported from `jijiao_national.vocabulary`, not declared again.

Codes and labels are those the host's own models had before plugins declared them, so that files
written then keep importing and stored results keep their names.
"""

from datetime import datetime

from jijiao.models import ActivityKind, Category, Fact, RequirementKind, Review

from .documents import CS_2022_CME as DOC

_9 = DOC.ref("第九条")

PUBLIC_SUBJECT = ActivityKind(
    "public_subject", "公共科目培训", _9,
    description="公共科目培训：实行学时制，学时由市人力资源社会保障局认定（不是继续医学教育学分）",
)
KINDS = [PUBLIC_SUBJECT]

PUBLIC_HOURS = Category("public_hours", "公共科目学时", unit="学时", clause=_9)
CATEGORIES = [PUBLIC_HOURS]

# --- facts ------------------------------------------------------------------------------------

REMOTE_BODY = Fact(
    "remote_body", "远程教育机构", str, clause=DOC.ref("第十二条"),
    description="远程学习所在的远程继续医学教育机构",
)
REMOTE_BODY_FILED = Fact(
    "remote_body_filed", "远程机构及课程已备案", bool, clause=DOC.ref("第十二条"),
    description="远程教育机构及其课程是否已经市卫生健康委备案",
)
# A city-level project's plan application (附件2) is its application: its time is the
# application's 网上申报时间 (the same fact Wenzhou's application rounds read).
SUBMITTED_AT = Fact(
    "submitted_at", "网上申报时间", datetime, record="application", clause=DOC.ref("第十一条"),
    description="市级继续医学教育计划申请表（附件2）的提交时间",
)
HELD = Fact(
    "held", "已举办", bool, record="execution", clause=DOC.ref("第十条"),
    description="项目是否已经举办",
)
FILED_WITH_CITY_AT = Fact(
    "filed_with_city_at", "报市卫生健康委备案时间", datetime, record="execution", clause=DOC.ref("第十条"),
    description="国家级、省级项目举办报备资料报市卫生健康委科教处的时间",
)
# 第二十条、第二十一条: "经所在单位、市卫生健康委在平台上审核通过后，生成相应学分" -- two reviewing
# levels, each 通过 / 待审核 / 不通过 (absent: 待审核). Where neither is given, the one review of the
# record (审核结果, or the old 已审核通过) stands for the whole route.
UNIT_REVIEW = Fact(
    "unit_review", "所在单位审核", Review, clause=DOC.ref("第二十条"),
    description="所在单位在平台上的审核结果：通过、待审核、不通过（第二十条、第二十一条）",
)
CITY_REVIEW = Fact(
    "city_review", "市卫生健康委审核", Review, clause=DOC.ref("第二十条"),
    description="市卫生健康委在平台上的审核结果：通过、待审核、不通过（第十二条、第二十条、第二十一条）",
)
FACTS = [REMOTE_BODY, REMOTE_BODY_FILED, SUBMITTED_AT, HELD, FILED_WITH_CITY_AT, UNIT_REVIEW, CITY_REVIEW]

# --- annual requirements --------------------------------------------------------------------------

PUBLIC_HOURS_REQUIRED = RequirementKind("public_hours", "公共科目学时")
REQUIREMENT_KINDS = [PUBLIC_HOURS_REQUIRED]

PROFESSIONAL_LABEL = "专业科目学分"


# Reading: 第九条's professional part is the CME credit requirement of the year -- what the
# national layer's annual credits are everywhere else -- so it is of that kind and replaces it
# (as Liaoning's 25 credits do); only its wording differs (专业科目学分), because 第九条 sets it
# beside the public-subject hours. Its stored name stays ``annual_credits``.
