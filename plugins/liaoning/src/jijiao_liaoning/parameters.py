"""Liaoning's policy numbers, each with the clause it comes from.

Rules read them as ``ctx.params(PARAMETERS).<key>``; what-if runs override them under the
namespace ``liaoning`` (``jijiao year --set liaoning.annual_credits=30``).

Ranges such as "SCI 期刊 6—4 学分/篇" are stored by their two ends (``paper_sci_first`` = 6,
``paper_sci_last`` = 4); `rules.rank_credits` reads them one step per rank (see its Reading).
"""

from datetime import date
from decimal import Decimal as D

from jijiao.models import Parameter, ParameterSet

from .documents import CREDIT_SCHEME as S, NOTICE_2026_56 as N


def _p(key, value, unit, document, clause, description, assumed=False):
    return Parameter(key, value, unit, document.ref(clause), description, assumed)


PARAMETERS = ParameterSet("liaoning", [
    # 一 the annual requirement
    _p("annual_credits", D(25), "学分", S, "一", "每年所获得学分累计不低于此数"),
    _p("annual_hours", D(90), "学时", S, "一", "与25学分并列表述的学时数（本插件按学分评定，见 rules.py 的 Reading）"),
    # 三(一) projects
    _p("project_participant_hours_per_credit", D(3), "小时", S, "三(一)", "项目参加者每此小时数授予1学分"),
    _p("project_lecturer_credits_per_hour", D(2), "学分", S, "三(一)", "项目主讲人每小时授予的学分"),
    _p("project_face_to_face_max", D(10), "学分", S, "三(一)", "每个面授项目最多学分"),
    _p("project_remote_max", D(3), "学分", S, "三(一)", "每个远程继续医学教育项目最多学分"),
    _p("project_min_attendance_per_day", 2, "次/天", S, "四(一)3", "项目考勤频次下限"),
    _p("project_pass_mark_pct", D(80), "%", S, "四(一)3", "项目考核合格分数线（占总分）下限"),
    # 三(二)(三)(五) further study, degree study, government tasks
    _p("deemed_months", D(3), "月", S, "三(二)", "当年累计满此月数（进修、学历教育须考核合格）视为完成当年25学分；三(三)、三(五)同"),
    _p("study_hours_per_credit", D(6), "小时", S, "三(二)", "进修学习、学历教育、政府指令性任务不足3个月时每此小时数授予1学分；三(三)、三(五)同"),
    _p("study_monthly_max", D(8), "学分", S, "三(二)", "进修学习、学历教育、政府指令性任务每个月最多学分；三(三)、三(五)同"),
    # 三(四) practice activities
    _p("practice_participant_hours_per_credit", D(6), "小时", S, "三(四)", "实践活动参加者每此小时数授予1学分"),
    _p("practice_lecturer_hours_per_credit", D(3), "小时", S, "三(四)", "实践活动主讲人每此小时数授予1学分"),
    _p("practice_session_min_hours", D(1), "小时", S, "三(四)", "时间不足时按单次计分的最短时长"),
    _p("practice_participant_session_credits", D("0.2"), "学分", S, "三(四)", "时间不足时参加者单次学分"),
    _p("practice_lecturer_session_credits", D("0.5"), "学分", S, "三(四)", "时间不足时主讲人单次学分"),
    _p("practice_annual_max", D(15), "学分", S, "三(四)", "实践活动每年最多学分"),
    _p("practice_min_attendance_per_day", 1, "次/天", S, "四(二)4", "实践活动考勤频次下限"),
    # 三(六) planned self-study
    _p("self_study_annual_max", D(10), "学分", S, "三(六)", "有计划的自学每年最多学分"),
    _p("supervision_credits_per_month", D(1), "学分", S, "三(六)1(指导医师)", "指导医师每带教满1个月授予的学分"),
    _p("teaching_credits_per_hour", D("0.5"), "学分", S, "三(六)1(授课带教)", "授课或带教每学时学分"),
    _p("teaching_annual_max", D(5), "学分", S, "三(六)1(授课带教)", "授课或带教每年最多学分"),
    _p("exam_national_credits", D(2), "学分/次", S, "三(六)2", "国家级考试命题或考官"),
    _p("exam_provincial_credits", D(1), "学分/次", S, "三(六)2", "省级考试命题或考官"),
    _p("exam_city_credits", D("0.5"), "学分/次", S, "三(六)2", "市级考试命题或考官"),
    _p("exam_hospital_credits", D("0.3"), "学分/次", S, "三(六)2", "院级/科级考试命题或考官"),
    _p("exam_annual_max", D(5), "学分", S, "三(六)2", "考试命题或考官每年最多学分"),
    _p("guideline_credits", D(5), "学分/项", S, "三(六)3", "国家卫生健康委或中华医学会发布的临床指南、专家共识编撰"),
    _p("book_words_per_credit", 1000, "字", S, "三(六)4", "医学著作每此字数1学分"),
    _p("report_words_per_credit", 2000, "字", S, "三(六)5", "被采纳的专题研究报告每此字数1学分"),
    _p("report_annual_max", D(5), "学分", S, "三(六)5", "专题研究报告每年最多学分"),
    _p("translation_words_per_credit", 1500, "字", S, "三(六)6", "医学译文每此字数1学分"),
    _p("paper_ranks", 3, "位", S, "三(六)7", "论文计分的作者位次数（第一作者（通讯作者）—第三作者）"),
    _p("paper_sci_first", D(6), "学分/篇", S, "三(六)7", "SCI期刊第一作者"),
    _p("paper_sci_last", D(4), "学分/篇", S, "三(六)7", "SCI期刊第三作者"),
    _p("paper_core_first", D(4), "学分/篇", S, "三(六)7", "核心期刊第一作者"),
    _p("paper_core_last", D(2), "学分/篇", S, "三(六)7", "核心期刊第三作者"),
    _p("paper_ordinary_first", D(3), "学分/篇", S, "三(六)7", "普通期刊第一作者"),
    _p("paper_ordinary_last", D(1), "学分/篇", S, "三(六)7", "普通期刊第三作者"),
    _p("grant_ranks", 5, "位", S, "三(六)8", "科研课题计分的成员位次数（第一位—第五位）"),
    _p("grant_national_first", D(10), "学分/项", S, "三(六)8", "国家级课题第一位"),
    _p("grant_national_last", D(6), "学分/项", S, "三(六)8", "国家级课题第五位"),
    _p("grant_provincial_first", D(8), "学分/项", S, "三(六)8", "省、部级课题第一位"),
    _p("grant_provincial_last", D(4), "学分/项", S, "三(六)8", "省、部级课题第五位"),
    _p("grant_city_first", D(6), "学分/项", S, "三(六)8", "市、厅级课题第一位"),
    _p("grant_city_last", D(2), "学分/项", S, "三(六)8", "市、厅级课题第五位"),
    _p("award_grades", 3, "等", S, "三(六)9", "科技奖励计分的获奖等级数（一等—三等，条文未写明，见 Reading）", assumed=True),
    _p("award_national_first", D(10), "学分/项", S, "三(六)9", "国家级奖项一等奖"),
    _p("award_national_last", D(8), "学分/项", S, "三(六)9", "国家级奖项三等奖"),
    _p("award_provincial_first", D(7), "学分/项", S, "三(六)9", "省、部级奖项一等奖"),
    _p("award_provincial_last", D(5), "学分/项", S, "三(六)9", "省、部级奖项三等奖"),
    _p("award_city_first", D(4), "学分/项", S, "三(六)9", "市、厅级奖项一等奖"),
    _p("award_city_last", D(2), "学分/项", S, "三(六)9", "市、厅级奖项三等奖"),
    _p("patent_design_credits", D(1), "学分/项", S, "三(六)10", "外观设计专利"),
    _p("patent_utility_credits", D(2), "学分/项", S, "三(六)10", "实用新型专利"),
    _p("patent_invention_credits", D(3), "学分/项", S, "三(六)10", "发明专利"),
    _p("patent_annual_max", D(5), "学分", S, "三(六)10", "专利每年最多学分"),
    _p("health_education_credits", D("0.5"), "学分/次", S, "三(六)11", "健康宣教、科普文章或视频每次（篇、个）"),
    _p("health_education_annual_max", D(5), "学分", S, "三(六)11", "健康宣教每年最多学分"),
    _p("self_plan_plan_quarter", 1, "季度", S, "三(六)12", "自学计划须于每年此季度提交学习计划"),
    _p("self_plan_evidence_quarter", 4, "季度", S, "三(六)12", "自学计划须于每年此季度提交佐证材料"),
    _p("self_plan_annual_max", D(5), "学分", S, "三(六)12", "自学计划每年最多学分"),
    _p("competition_provincial_credits", D(2), "学分/次", S, "三(六)13", "省级及以上技能竞赛获奖"),
    _p("competition_city_credits", D(1), "学分/次", S, "三(六)13", "市级技能竞赛获奖"),
    _p("competition_hospital_credits", D("0.5"), "学分/次", S, "三(六)13", "院级技能竞赛获奖"),
    # 四 registration deadlines
    _p("registration_days_before", 7, "天", S, "四(一)1(登记时限)", "省级项目于举办此天数（1周）前登记开班信息"),
    _p("records_days_after", 14, "天", S, "四(一)1(登记时限)", "项目结束后此天数（2周）内登记执行情况"),
    _p("co_host_registration_days_before", 14, "天", S, "四(一)1(协办登记)", "外省主办项目的协办单位于举办此天数（2周）前登记"),
    _p("other_registration_month", 1, "月", S, "四(二)2", "其他活动于次年此月月底前登记"),
    # 辽卫办发〔2026〕56号
    _p("recommended_year", 2026, "年", N, "一(二)", "本通知公布的推荐项目所属年度"),
    _p("recommended_final_date", date(2026, 12, 15), "日期", N, "一(二)", "2026年度推荐项目须于此日前全部执行完毕"),
    _p("spot_check_share_pct", D(10), "%", N, "三(二)", "抽查项目数量不低于公布项目总数的此比例"),
    _p("spot_check_province_min_credits", D(6), "学分", N, "三(二)", "此学分及以上（6~10学分）项目由省卫生健康服务中心抽查"),
    _p("spot_check_city_max_credits", D(5), "学分", N, "三(二)", "此学分及以下项目由属地市级卫生健康行政部门抽查"),
    _p("execution_change_max_pct", D(30), "%", N, "四(一)", "课程内容、授课教师、总学时变更幅度超过此比例即违规"),
    _p("enrolment_deviation_pct", D(50), "%", N, "四(三)", "计划与实际参培人数偏差达此比例即违规"),
    _p("grassroots_min_pct", D(10), "%", N, "四(三)", "基层参培学员比例低于此比例即违规"),
    _p("theory_lecture_max_hours", D(3), "小时", N, "四(四)", "理论单次授课时长超过此数即违规"),
    _p("execution_min_attendance_per_day", 2, "次/天", N, "四(五)", "每日考勤频次不足此数即违规"),
])
