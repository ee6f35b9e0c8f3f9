"""What the Liaoning documents name that the national ones do not: the fourteen kinds of planned
self-study of 方案 三(六), the facts of an activity its rules read (期刊类别, 每日考勤次数 ...),
the facts of a project's execution that the checks of 56号 四 read, and the two lists those
facts take their values from (期刊类别, 专利类型).

The kinds of activity the national documents name (项目, 进修学习 ...), the two credit categories
and the kind of the annual requirement are the national plugin's (`jijiao_national.vocabulary`);
Liaoning's rules judge them, and its self-study kinds are cases of `Kind.SELF_STUDY`.

Codes and Chinese labels are the ones files and stored results have always used: a file that
says 活动类型 "发表论文或综述" or 期刊类别 "SCI期刊" reads as before.
"""

from datetime import date, datetime
from decimal import Decimal

from jijiao.models import ActivityKind, Fact, LabelledEnum, Review
from jijiao_national.vocabulary import Kind

from .documents import CREDIT_SCHEME as S, NOTICE_2026_56 as N


def _self_study(code, label, clause, description):
    return ActivityKind(code, label, S.ref(clause), parent=Kind.SELF_STUDY, description=description)


class SelfStudy:
    """The kinds of 有计划的自学 of 方案 三(六), each with the clause that sets its standard.

    Fourteen numbered ways, the first of which (三(六)1) holds two rules -- supervising
    residents and teaching -- so there are fifteen kinds (see `self_study`'s Reading on 三(六)1).
    """

    SUPERVISION = _self_study("self_supervision", "住培带教", "三(六)1(指导医师)", "住培/专培指导医师带教，按带教满月数计分")
    TEACHING = _self_study("self_teaching", "授课或带教", "三(六)1(授课带教)", "参与授课或带教活动，按学时计分")
    EXAM_SETTING = _self_study("self_exam_setting", "考试命题或考官", "三(六)2", "参与专业考试命题、担任考官，按考试级别计分")
    GUIDELINE = _self_study("self_guideline", "临床指南或专家共识编撰", "三(六)3", "参与国家级临床指南、专家共识编撰")
    BOOK = _self_study("self_book", "出版医学著作", "三(六)4", "出版医学著作（明确编写章节），按字数计分")
    REPORT = _self_study("self_report", "专题研究报告被采纳", "三(六)5", "专题研究报告被市级以上政府部门采纳或领导批示，按字数计分")
    TRANSLATION = _self_study("self_translation", "发表医学译文", "三(六)6", "发表医学译文，按字数计分")
    PAPER = _self_study("self_paper", "发表论文或综述", "三(六)7", "发表论文或综述，按期刊类别与作者位次计分")
    GRANT = _self_study("self_grant", "科研课题获批", "三(六)8", "科研课题获批，按级别与课题组成员位次计分")
    AWARD = _self_study("self_award", "获科技奖励", "三(六)9", "获科技奖励，按级别与获奖等级计分")
    PATENT = _self_study("self_patent", "获得专利", "三(六)10", "获得专利，按专利类型计分")
    HEALTH_EDUCATION = _self_study("self_health_education", "健康宣教或科普", "三(六)11", "健康宣教、原创科普文章或视频，按次数计分")
    PLAN = _self_study("self_plan", "自学计划", "三(六)12", "个人申请的自学计划，由用人单位综合评估授分")
    COMPETITION = _self_study("self_competition", "技能竞赛获奖", "三(六)13", "技能竞赛获奖，按竞赛级别计分")
    OTHER = _self_study("self_other", "其他可验证的自学", "三(六)14", "其他可验证的有计划的自学，由用人单位综合评估授分")


KINDS = [value for value in vars(SelfStudy).values() if isinstance(value, ActivityKind)]


class JournalTier(LabelledEnum):
    """The three tiers of journal of 方案 三(六)7."""

    SCI = "sci", "SCI期刊"
    CORE = "core", "核心期刊"
    ORDINARY = "ordinary", "普通期刊"


class PatentKind(LabelledEnum):
    """The three kinds of patent of 方案 三(六)10."""

    DESIGN = "design", "外观设计专利"
    UTILITY = "utility", "实用新型专利"
    INVENTION = "invention", "发明专利"


# --- facts of an activity ------------------------------------------------------------------------

SESSIONS = Fact("sessions", "次数", int, minimum=0, clause=S.ref("三(六)"),
                description="自学活动的次数（项、篇）：按次（项）计分的自学方式，未记录时按 1 次计")
WORDS = Fact("words", "字数", int, unit="字", minimum=0, clause=S.ref("三(六)4"),
             description="著作、研究报告、译文的字数（三(六)4、5、6 按字数计分）")
EXAM_SCORE_PCT = Fact("exam_score_pct", "考试成绩", Decimal, unit="%", minimum=Decimal(0), maximum=Decimal(100), clause=S.ref("四(一)3"),
                      description="项目能力考核的成绩，占总分的百分比")
ATTENDANCE_PER_DAY = Fact("attendance_per_day", "每日考勤次数", int, minimum=0, clause=S.ref("四(一)3"),
                          description="学员参加项目或实践活动时每天的考勤次数（四(一)3、四(二)4）")
EVALUATION_DONE = Fact("evaluation_done", "完成满意度评价", bool, clause=S.ref("四(一)3"),
                       description="学员是否完成了项目满意度评价")
RANK = Fact("rank", "排名或等级", int, minimum=1, clause=S.ref("三(六)7"),
            description="作者位次、课题组成员位次或获奖等级（1 为第一位、一等奖）")
JOURNAL_TIER = Fact("journal_tier", "期刊类别", JournalTier, clause=S.ref("三(六)7"),
                    description="论文所发表期刊的类别：SCI期刊、核心期刊、普通期刊")
PATENT_KIND = Fact("patent_kind", "专利类型", PatentKind, clause=S.ref("三(六)10"),
                   description="专利的类型：外观设计专利、实用新型专利、发明专利")
PLAN_SUBMITTED_ON = Fact("plan_submitted_on", "学习计划提交日期", date, clause=S.ref("三(六)12"),
                         description="自学计划的学习计划提交日期（须在第一季度）")
EVIDENCE_SUBMITTED_ON = Fact("evidence_submitted_on", "佐证材料提交日期", date, clause=S.ref("三(六)12"),
                             description="自学计划的佐证材料提交日期（须在第四季度）")

# 四(一)1(省外学分) and 四(二)5: "经用人单位审核后，逐级提交卫生健康行政部门审核后授予学分" -- two
# reviewing levels, each 通过 / 待审核 / 不通过 (absent: 待审核). Where neither is given, the record's
# one review (审核结果, or the old 已审核通过, whose 否 is 待审核 here) stands for both.
EMPLOYER_REVIEW = Fact("employer_review", "用人单位审核", Review, clause=S.ref("四(二)5"),
                       description="用人单位的审核结果：通过、待审核、不通过（四(一)1 省外学分、四(二)5）")
HEALTH_ADMIN_REVIEW = Fact("health_admin_review", "卫生健康行政部门审核", Review, clause=S.ref("四(二)5"),
                           description="逐级提交的卫生健康行政部门的审核结果：通过、待审核、不通过（四(一)1 省外学分、四(二)5）")

ACTIVITY_FACTS = [
    SESSIONS, WORDS, EXAM_SCORE_PCT, ATTENDANCE_PER_DAY, EVALUATION_DONE,
    RANK, JOURNAL_TIER, PATENT_KIND, PLAN_SUBMITTED_ON, EVIDENCE_SUBMITTED_ON,
    EMPLOYER_REVIEW, HEALTH_ADMIN_REVIEW,
]


# --- facts of a project's execution --------------------------------------------------------------


def _executed(name, label, type, clause, description, unit=None, minimum=None):
    maximum = Decimal(100) if unit == "%" else None  # a share of what was applied for
    return Fact(name, label, type, record="execution", unit=unit, minimum=minimum, maximum=maximum, clause=clause,
                description=description)


class Execution:
    """What happened when a project was held (执行情况), as the checks of 56号 四 and the
    registration deadlines of 方案 四(一)1 read it: ``Execution.HELD.of(project.execution)``."""

    HELD = _executed("held", "已举办", bool, N.ref("四(一)"), "获批项目是否已组织开展")
    REGISTERED_AT = _executed("registered_at", "开班信息登记时间", datetime, S.ref("四(一)1(登记时限)"),
                              "主办单位在省继教系统登记开班信息的时间")
    RECORDS_AT = _executed("records_at", "执行情况录入时间", datetime, S.ref("四(一)1(登记时限)"),
                           "主办单位登记学员考勤、考核、学分预授等执行情况的时间")
    ACTUAL_ENROLMENT = _executed("actual_enrolment", "实际参培人数", int, N.ref("四(三)"), "实际参加培训的学员人数", minimum=0)
    GRASSROOTS_TRAINEES = _executed("grassroots_trainees", "基层学员数", int, N.ref("四(三)"), "实际参培学员中基层学员的人数", minimum=0)
    CONTENT_CHANGE_PCT = _executed("content_change_pct", "课程内容变更幅度", Decimal, N.ref("四(一)"),
                                   "实施与申报相比课程内容的变更幅度", unit="%", minimum=Decimal(0))
    TEACHER_CHANGE_PCT = _executed("teacher_change_pct", "授课教师变更幅度", Decimal, N.ref("四(一)"),
                                   "实施与申报相比授课教师的变更幅度", unit="%", minimum=Decimal(0))
    HOURS_CHANGE_PCT = _executed("hours_change_pct", "总学时变更幅度", Decimal, N.ref("四(一)"),
                                 "实施与申报相比总学时的变更幅度", unit="%", minimum=Decimal(0))
    LONGEST_THEORY_LECTURE_HOURS = _executed("longest_theory_lecture_hours", "理论单次授课最长时长", Decimal, N.ref("四(四)"),
                                             "授课教师理论单次授课的最长时长（实践教学除外）", unit="小时", minimum=Decimal(0))
    ATTENDANCE_CHECKS_PER_DAY = _executed("attendance_checks_per_day", "每日考勤次数", int, N.ref("四(五)"),
                                          "项目每天组织的考勤次数", minimum=0)
    CREDIT_IRREGULARITIES = _executed("credit_irregularities", "学分发放违规", tuple[str, ...], N.ref("四(五)"),
                                      "查实的违规发放学分情形，用通知原词：漏授、错授、超发、售卖")
    OTHER_VIOLATIONS = _executed("other_violations", "其他违规情形", tuple[str, ...], N.ref("四(二)"),
                                 "查实的其他违规情形，用通知原词（转交其他单位举办、嵌套举办、代签、代学、篡改学习时长等）")


EXECUTION_FACTS = [value for value in vars(Execution).values() if isinstance(value, Fact)]

FACTS = ACTIVITY_FACTS + EXECUTION_FACTS
