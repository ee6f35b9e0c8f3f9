"""How this plugin reads the clauses of 温卫发函〔2026〕17号 that the notice leaves open, as data.

Each `Reading` is declared to the host (``jijiao plugins`` lists them) and every finding that rests
on one says so: `review.Review` appends ``READING.step()`` ("按本插件的理解：…") to its message, and
the deadlines that depend on one carry it in their consequence. The two readings of checks across
records are ``switchable``: a what-if (``--reading wenzhou.leader_one_application=alternative``)
computes the other reading.

The comments marked "Reading:" in the check modules point here by the constant's name.
"""

from __future__ import annotations

from jijiao.models import Reading

from .documents import WZ_2026_17 as DOC


def _reading(name, clause_id, taken, alternative, switchable=False) -> Reading:
    return Reading(f"wenzhou.{name}", DOC.ref(clause_id), taken, alternative, switchable)


CITY_PROJECTS_ONLY = _reading(
    "city_projects_only", "一(适用范围)",
    "本通知只规范市级项目的申报，国家级、省级项目按其本级规定申报，不按本通知审查",
    "本通知适用于在温州举办的各级项目",
)

LEADER_ONE_APPLICATION = _reading(
    "leader_one_application", "一(一)(每人一项)",
    "同一负责人申报超过1项的，其各项申报均不予受理（通知未说明保留哪一项，市继教办不代为选择）",
    "仅网上申报时间在后的申报不予受理，在先的1项可受理（申报时间不明或相同的无法认定在先，亦不予受理）",
    switchable=True,
)

LEADER_IDENTITY = _reading(
    "leader_identity", "一(一)(每人一项)",
    "负责人以姓名及申报单位认定（负责人须为申报单位在职人员）：同名负责人在其他单位申报的，不计为同一人，仅提示核实",
    "同名负责人即为同一人，不论申报单位",
)

UNIT_OVER_QUOTA = _reading(
    "unit_over_quota", "二(一)(限额)",
    "单位申报数超出限额的，该单位本批次各项申报均不予受理（择优遴选由单位在推荐前完成，市继教办不代为选择）",
    "按网上申报时间先后，限额以内的在先申报可受理，超出限额的在后申报不予受理（申报时间不明或相同的无法认定在先，亦不予受理）",
    switchable=True,
)

NO_QUOTA_WITHOUT_COMPLETED = _reading(
    "no_quota_without_completed", "二(一)(限额)",
    "曾申报但2025年度未完成举办市级项目的单位，限额为0项；只有首次申报的单位可推荐1项",
    "2025年度未完成举办市级项目的单位，按首次申报单位可推荐1项",
)

SAME_NAME_SAME_PROJECT = _reading(
    "same_name_same_project", "一(一)(申报单位)",
    "本批次中不同单位申报的同名项目可能是同一项目通过多家单位申报，提醒核实，不径行不予受理",
    "同名项目即为同一项目，各单位的申报均不予受理",
)

OFFICE_RECORDS = _reading(
    "office_records", "一(二)6",
    "未执行项目、诚信与弄虚作假记录、负责人及单位本年申报项目数、申报书是否真实完整由市继教办记录或审核认定，"
    "不是申报书的填写项：未载明的未能审查、须核实，不按申报书未完整填写处理",
    "上述事项未载明的，按申报书未完整填写不予受理",
)

BOTH_SUBMISSIONS = _reading(
    "both_submissions", "二(一)(网上申报)",
    "“网上申报与纸质申报同时进行，缺一不可”：没有网上申报或纸质材料提交记录的，按未提交不予受理",
    "没有提交记录的，提交情况未知，待核实",
)

WINDOW_TO_THE_MINUTE = _reading(
    "window_to_the_minute", "二(一)(网上申报)",
    "申报起止时间为北京时间的整点时刻，两端均含：3月16日8:00整起、3月30日18:00整（纸质材料4月2日18:00整）止提交的按时，"
    "其后（18:01，或18:00:01）逾期；“18:00前”亦含18:00整",
    "“18:00前”不含18:00整，须在17:59之前提交",
)

DAY_INCLUSIVE = _reading(
    "day_inclusive", "一(七)(完成举办)",
    "“12月10前”“11月10日前”含当日，截至当日23:59",
    "不含当日，须在前一日完成",
)

SPECIALTY_MATCH = _reading(
    "specialty_match", "一(一)(授课教师)",
    "授课教师专业与学科专业“一致”指二者之一包含另一者（心血管内科教师讲授内科项目，或反之）；互不包含的不一致",
    "专业名称须与所属学科完全相同",
)

OWN_TEACHERS_GENERALLY = _reading(
    "own_teachers_generally", "一(三)(本单位师资)",
    "“一般应占1/2以上”：1/2以上含1/2本身；“一般应”允许有理由的例外，不足的作提醒，不作不予受理",
    "不足1/2的不予受理",
)

ENROLMENT_IN_PRINCIPLE = _reading(
    "enrolment_in_principle", "一(五)(招生规模)",
    "“原则上不超过300人”允许有理由的例外：超过的作提醒，不作不予受理",
    "超过300人的不予受理",
)

ANNUAL_MEETING_BY_NAME = _reading(
    "annual_meeting_by_name", "一(三)(年会)",
    "名称含“年会”的，名称不能说明有无主题授课内容，且“原则上”允许例外：作提醒请核实，不作不予受理",
    "名称含“年会”的不予受理",
)

ACADEMIC_THEME_BY_NAME = _reading(
    "academic_theme_by_name", "一(二)4",
    "项目名称称为“学术会议”“论坛”“学术讲座”的，即属以学术活动为主题申请，不论申报书如何填写",
    "只按申报书所填主题认定",
)

ABOVE_CITY_LEVEL_NAMES = _reading(
    "above_city_level_names", "一(二)5",
    "“其他高于实际规格的名号”：市级项目名称中的上级项目名号（国家级、省级、全省）属之；通知未列举，其余由审核人员判断",
    "只认定通知列举的字样",
)

SESSIONS_EVERY_PROJECT = _reading(
    "sessions_every_project", "一(五)(期数)",
    "期数的限制虽写在线下项目一段，所说为“继教项目”，线上线下项目均适用",
    "只适用于线下项目",
)

ATTENDANCE_OFFLINE = _reading(
    "attendance_offline", "一(五)(考勤)",
    "“至少以半天为一个单元签到或签退”是线下项目的考勤要求（线上课程以一(六)的考核和评价审查），"
    "规定两次签到（签退）之间最长半天，半天按4小时计（假定值，通知未给出）",
    "线上项目亦须按半天考勤",
)

SUMMARY_ROW_COMPLETED = _reading(
    "summary_row_completed", "附件1",
    "附件1每行的“2025年度市继教项目完成举办数”是该行项目负责人2025年度完成举办的市级项目数；单位的总数在表尾一行",
    "每行填写单位2025年度完成举办的市级项目总数",
)

READINGS = [value for value in list(globals().values()) if isinstance(value, Reading)]
