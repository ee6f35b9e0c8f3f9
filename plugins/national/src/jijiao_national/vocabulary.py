"""What the national documents name, for every jurisdiction's rules: the kinds of activity that
earn credits, the two credit categories, the facts of the national rules and the national kinds
of annual requirement.

Provinces and cities judge these kinds too: their plugins import them from here (``from
jijiao_national.vocabulary import Kind``) and add their own cases (辽宁's 14 kinds of planned
self-study are cases of `Kind.SELF_STUDY`).
"""

from jijiao.models import ActivityKind, Category, Fact, RequirementKind, Review

from .documents import NHC_2019_702, NHC_2024_20

_20 = NHC_2024_20.ref("二")


class Kind:
    """The kinds of activity 国卫办科教发〔2024〕20号 二 and 国卫办科教函〔2019〕702号 三 name."""

    PROJECT = ActivityKind("project", "继续医学教育项目", _20)
    FURTHER_STUDY = ActivityKind("further_study", "进修学习", _20)
    DEGREE_STUDY = ActivityKind("degree_study", "在职学历（学位）教育", _20)
    PRACTICE = ActivityKind("practice", "有组织的继续医学教育实践活动", _20)
    GOVERNMENT_TASK = ActivityKind("government_task", "政府指令性医疗卫生任务", _20)
    SELF_STUDY = ActivityKind("self_study", "有计划的自学", _20)
    OTHER = ActivityKind("other", "符合规定的其他方式", _20)
    RESIDENCY_TRAINING = ActivityKind("residency_training", "住院医师规范化培训", NHC_2019_702.ref("三(视为合格)"))
    SPECIALIST_TRAINING = ActivityKind("specialist_training", "专科医师规范化培训", NHC_2019_702.ref("三(视为合格)"))
    ASSISTANT_GP_TRAINING = ActivityKind("assistant_gp_training", "助理全科医生培训", NHC_2019_702.ref("三(视为合格)"))
    AWARD_PROJECT_LEADER = ActivityKind("award_project_leader", "担任科技成果奖励项目负责人", NHC_2019_702.ref("三(视为合格)"))


KINDS = [value for name, value in vars(Kind).items() if isinstance(value, ActivityKind)]


class Credits:
    """The two credit categories of 702号 三 ("Ⅰ类和Ⅱ类学分")."""

    CLASS_I = Category("class_i", "Ⅰ类学分", "学分", NHC_2019_702.ref("三(当年有效)"))
    CLASS_II = Category("class_ii", "Ⅱ类学分", "学分", NHC_2019_702.ref("三(当年有效)"))


CATEGORIES = [Credits.CLASS_I, Credits.CLASS_II]

# 702号 三: "远程继续医学教育机构不得直接向学员授予学分，需经学员所在地的省级继教委核实后发放相应学分"
# -- the province's verification is a review like the others: 通过 / 待审核 / 不通过 (absent: not
# known). The old yes/no column keeps importing: 是 is 通过, 否 is 待审核 (it always meant "not yet
# verified", never a refusal); `province_verification` reads the two together.
PROVINCE_REVIEW = Fact(
    "province_review", "省级继教委核实结果", Review, clause=NHC_2019_702.ref("三(远程授分)"),
    description="学员所在地省级继教委对远程继续医学教育机构学分的核实结果：通过、待审核、不通过（702号 三）",
)
VERIFIED_BY_PROVINCE = Fact(
    "verified_by_province", "经省级继教委核实", bool, clause=NHC_2019_702.ref("三(远程授分)"),
    description="旧的是/否列（仍可导入）：是即核实结果“通过”，否即“待审核”（尚未核实）；两列都给出时以核实结果为准",
)
FACTS = [PROVINCE_REVIEW, VERIFIED_BY_PROVINCE]


def province_verification(activity) -> Review | None:
    """The provincial CME committee's verification of an activity (702号 三): its 核实结果 where
    recorded, else what the old 经省级继教委核实 says (是: 通过; 否: 待审核, not yet verified);
    None where neither is recorded -- not known, and the rule reading it decides what that means."""
    review = PROVINCE_REVIEW.of(activity)
    if review is not None:
        return review
    return Review.from_yes_no(VERIFIED_BY_PROVINCE.of(activity), no=Review.PENDING)


class Requirements:
    """The national kinds of annual requirement: the year's credits (20号 一), and the split by
    category that 702号 三(相互补充) presupposes where a province sets one."""

    ANNUAL_CREDITS = RequirementKind("annual_credits", "年度学分")
    CLASS_I_CREDITS = RequirementKind("class_i", "Ⅰ类学分")
    CLASS_II_CREDITS = RequirementKind("class_ii", "Ⅱ类学分")


REQUIREMENT_KINDS = [Requirements.ANNUAL_CREDITS, Requirements.CLASS_I_CREDITS, Requirements.CLASS_II_CREDITS]
