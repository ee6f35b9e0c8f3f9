"""Wenzhou's policy numbers (温卫发函〔2026〕17号), each with the clause it comes from.

Shares ("1/3", "1/2") are kept as the notice writes them, as text read with `fractions.Fraction`,
so that 100 of 300 trainees is exactly a third and a what-if (``--set wenzhou.outside_share=2/5``)
can change them. Times are Beijing time.
"""

from datetime import datetime
from decimal import Decimal

from jijiao.models import CHINA_TZ, Parameter, ParameterSet, Title

from .documents import WZ_2026_17 as DOC


def _beijing(*parts) -> datetime:
    return datetime(*parts, tzinfo=CHINA_TZ)


def _p(key, value, unit, clause_id, description, assumed=False):
    return Parameter(key, value, unit, DOC.ref(clause_id), description, assumed)


PARAMETERS = ParameterSet("wenzhou", [
    # 一(一): who may lead and teach
    _p("leader_max_applications", 1, "项", "一(一)(每人一项)", "每名项目负责人本年最多申请的项目数"),
    _p("theory_teacher_min_title", Title.ASSOCIATE_SENIOR, "职称", "一(一)(授课教师)", "理论授课教师的最低专业技术职务"),
    _p("practical_teacher_min_title", Title.INTERMEDIATE, "职称", "一(一)(授课教师)", "实验(技术示范)教师的最低专业技术职务"),
    # 一(二): refusals
    _p("unexecuted_years", "2024、2025", "年度", "一(二)1", "负责人无正当理由未执行市级项目即不予受理的年度"),
    _p("record_lookback_years", 3, "年", "一(二)2", "科研诚信、弄虚作假与不良反馈记录的追溯年限"),
    _p(
        "academic_event_words",
        ("学术会议", "论坛", "学术讲座"),
        "字样",
        "一(二)4",
        "名称含这些字样即视为以学术活动为主题申请",
    ),
    _p(
        "forbidden_name_words",
        ("中国", "中华", "全国", "国际", "世界", "峰会", "高端", "高峰", "巅峰"),
        "字样",
        "一(二)5",
        "项目名称不得含有的字样",
    ),
    # Reading (readings.ABOVE_CITY_LEVEL_NAMES): the notice names no words for "其他高于实际规格的名号"; these (the higher levels' own
    # titles) are ours, so the parameter is marked assumed.
    _p(
        "above_city_level_words",
        ("国家级", "省级", "全省"),
        "字样",
        "一(二)5",
        "市级项目名称中高于实际规格的名号（通知未列举，按上级项目的名号认定）",
        assumed=True,
    ),
    # 一(三)
    _p("annual_meeting_word", "年会", "字样", "一(三)(年会)", "名称含此字样的项目原则上不得申报（无主题授课内容的年会）"),
    _p("own_teachers_share", "1/2", "比例", "一(三)(本单位师资)", "申报单位所属授课师资一般应占授课师资总数的比例下限"),
    # 一(四): credits
    _p("hours_per_credit", Decimal(3), "学时", "一(四)(学时折算)", "每授予1学分所需的教学学时"),
    _p("minutes_per_hour", 60, "分钟", "一(四)(学时折算)", "1学时的分钟数（仅计实际授课时间）"),
    _p("max_credits_offline", Decimal("5.0"), "学分", "一(四)(学分上限)", "每个线下项目申请学分上限"),
    _p("max_credits_online", Decimal("3.0"), "学分", "一(四)(学分上限)", "每个线上项目申请学分上限"),
    # 一(五), 一(六): enrolment
    _p("max_enrolment_per_session", 300, "人", "一(五)(招生规模)", "线下项目每期招生规模上限（原则上）"),
    _p("outside_share", "1/3", "比例", "一(五)(外单位学员)", "线下项目外单位学员占总学员数的比例下限"),
    _p("max_sessions_per_year", 6, "期", "一(五)(期数)", "每年举办期（次）数上限"),
    _p(
        "attendance_unit_max_hours",
        Decimal(4),
        "小时",
        "一(五)(考勤)",
        "考勤单元最长时长：“半天”按4小时计（通知未给出半天的小时数）",
        assumed=True,
    ),
    # 二(一): quotas
    _p("quota_base_year", 2025, "年", "二(一)(限额)", "以该年度完成举办的市级项目数为申报上限"),
    _p("first_time_unit_quota", 1, "项", "二(一)(首次申报)", "首次申报单位的推荐项目数上限"),
    # Dates (一(七), 二(一), 二(三))
    _p("online_window_opens", _beijing(2026, 3, 16, 8, 0), "北京时间", "二(一)(网上申报)", "网上申报开始时间"),
    _p("online_window_closes", _beijing(2026, 3, 30, 18, 0), "北京时间", "二(一)(网上申报)", "网上申报截止时间"),
    _p("paper_due", _beijing(2026, 4, 2, 18, 0), "北京时间", "二(一)(纸质材料)", "纸质申报材料提供截止时间"),
    _p("summary_due", _beijing(2026, 4, 2, 18, 0), "北京时间", "二(三)", "附件1汇总表（纸质盖章及Excel电子版）报送截止时间"),
    # Reading (readings.DAY_INCLUSIVE): "2026 年 11 月 10 日前" / "12 月 10 前" include the day named, as Chinese official
    # deadlines do (截至当日); the deadline is that day's last minute.
    _p("online_live_by", _beijing(2026, 11, 10, 23, 59), "北京时间", "一(七)(线上上线)", "市级线上项目上线截止时间（含当日）"),
    _p("held_by", _beijing(2026, 12, 10, 23, 59), "北京时间", "一(七)(完成举办)", "所有市级项目完成举办截止时间（含当日）"),
])
