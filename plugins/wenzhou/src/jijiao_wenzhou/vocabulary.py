"""What Wenzhou's rules read that core's models do not hold: the facts of a city project's
application (申报书, 附件1 and the city office's own records), as 温卫发函〔2026〕17号 asks them.

Each is a `Fact` of record ``application``: a key of a project's ``application`` object in
files (``application_<name>`` or ``申报：<label>`` in flat ones), read by the rules as
``FACT.of(project.application)`` -- None where the application does not give it. The names,
labels, types and units are those of the fields the core model had before plugins declared
their own vocabulary, so that files written for it keep importing.
"""

from datetime import datetime
from decimal import Decimal

from jijiao.models import Fact

from .documents import WZ_2026_17 as DOC


def _application(name, zh, type, clause_id, description, **kw) -> Fact:
    return Fact(name, zh, type, record="application", clause=DOC.ref(clause_id), description=description, **kw)


class Application:
    """The facts of a city project's application, in the order the old core model listed them."""

    SUBMITTED_AT = _application("submitted_at", "网上申报时间", datetime, "二(一)(网上申报)", "在省继教管理系统提交网上申报的时间（北京时间）")
    PAPER_SUBMITTED_AT = _application("paper_submitted_at", "纸质材料提交时间", datetime, "二(一)(纸质材料)", "盖章纸质申报材料提供给市继教办的时间（北京时间）")
    APPLICANT = _application("applicant", "申报单位", str, "一(一)(申报单位)", "申报单位名称（须与主办单位一致）")
    LEADER_EMPLOYED_BY_UNIT = _application("leader_employed_by_unit", "负责人为申报单位在职人员", bool, "一(一)(负责人)", "项目负责人是否为申报单位在职(岗)人员")
    LEADER_TEACHES_THEORY = _application("leader_teaches_theory", "负责人参与理论授课", bool, "一(一)(负责人)", "项目负责人是否参与理论授课")
    LEADER_APPLICATIONS = _application("leader_applications", "负责人本年申报项目数", int, "一(一)(每人一项)", "项目负责人本年在各单位申报的市级项目数（市继教办记录）", minimum=0)
    LEADER_UNEXECUTED_RECENT = _application("leader_unexecuted_recent", "负责人近两年无正当理由未执行项目", bool, "一(二)1", "负责人近两年是否无正当理由未执行已立项的市级项目（市继教办记录）")
    LEADER_COMPLETED_LAST_YEAR = _application("leader_completed_last_year", "负责人上年完成举办项目数", int, "附件1", "项目负责人上年度完成举办的市级项目数（附件1每行）", minimum=0)
    INTEGRITY_RECORD = _application("integrity_record", "近三年科研诚信不良记录", bool, "一(二)2", "负责人或授课教师近三年是否有科研诚信不良记录（市继教办记录）")
    FALSIFICATION_RECORD = _application("falsification_record", "近三年弄虚作假或不良反馈", bool, "一(二)3", "负责人近三年项目执行中是否有弄虚作假、不良反馈（市继教办记录）")
    THEME_IS_ACADEMIC_EVENT = _application("theme_is_academic_event", "以学术会议论坛讲座为主题", bool, "一(二)4", "是否以学术会议、论坛、学术讲座等学术活动为主题申请")
    FORM_COMPLETE = _application("form_complete", "申报书完整真实", bool, "一(二)6", "申报书是否按要求完整、真实填写")
    SESSIONS_PLANNED = _application("sessions_planned", "多期举办已按计划申报", bool, "一(五)(期数)", "多期举办的是否已在申报时按计划填写")
    ATTENDANCE_UNIT_HOURS = _application("attendance_unit_hours", "考勤单元时长", Decimal, "一(五)(考勤)", "线下项目系统考勤一次签到或签退的单元时长", unit="小时", minimum=0)
    ONLINE_ASSESSMENT = _application("online_assessment", "线上课程设置考核和评价环节", bool, "一(六)(考核评价)", "线上项目课程是否设置考核和评价环节")
    OUTSIDE_TRAINEES = _application("outside_trainees", "外单位学员数", int, "一(五)(外单位学员)", "线下项目拟招收的外单位学员数", minimum=0)
    UNIT_COMPLETED_LAST_YEAR = _application("unit_completed_last_year", "单位上年完成项目数", int, "二(一)(限额)", "申报单位上年度完成举办的市级项目数（本年申报上限）", minimum=0)
    UNIT_FIRST_TIME = _application("unit_first_time", "单位首次申报", bool, "二(一)(首次申报)", "申报单位是否首次申报市级项目")
    UNIT_APPLICATIONS = _application("unit_applications", "单位本年申报项目数", int, "二(一)(限额)", "申报单位本年申报的市级项目数", minimum=0)
    CODE = _application("code", "申请代码", str, "附件1", "附件1的申请代码")
    LEADER_PHONE = _application("leader_phone", "项目负责人联系电话", str, "附件1", "附件1的项目负责人联系电话", personal=True)
    DISCIPLINE = _application("discipline", "所属学科", str, "一(一)(授课教师)", "项目所属学科（授课教师的专业须与之一致）")


FACTS = [value for value in vars(Application).values() if isinstance(value, Fact)]
