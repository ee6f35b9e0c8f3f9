"""Changsha's readings of the clauses its document leaves open, declared as data (``jijiao
plugins`` lists them; every award or finding that rests on one carries ``READING.step()``).

Each is also explained where the rule that takes it lives (the "Reading:" notes in `credits`
and `year`). A ``switchable`` reading's alternative is computed by the same rule when a what-if
takes it (``--reading changsha.uncategorised_class_i=alternative``).
"""

from jijiao.models import Reading

from .documents import CS_2022_CME as DOC

UNCATEGORISED_CLASS_I = Reading(
    "changsha.uncategorised_class_i",
    DOC.ref("第十九条"),
    "学分证书未注明学分类别的，国家级、省级项目学分按Ⅰ类学分计",
    "学分类别按湖南省规定（第二十四条），我们没有该文件：学分无法判定，至多为证书学分",
    switchable=True,
)
CITY_FILING_SCOPE = Reading(
    "changsha.city_filing_scope",
    DOC.ref("第十二条"),
    "第十二条的备案要求针对拟在长沙市举办的市级（及以下）远程项目；省级远程项目经省继教委审核（第十九条），不以市卫生健康委备案为条件",
    "省级远程项目的机构和课程也须经市卫生健康委备案，未备案的学分不予认可",
    switchable=True,
)
OUT_OF_PROVINCE_ROUTE = Reading(
    "changsha.out_of_province_route",
    DOC.ref("第二十条"),
    "项目公布地区即举办地：全国（000000）或湖南省以外公布的国家级项目按出省参加（第二十条）由本人上传、单位和市卫生健康委审核",
    "全国公布而在省内举办的国家级项目按第十九条由举办单位授分、省继教委审核",
)
LATE_ENTRY_VOID = Reading(
    "changsha.late_entry_void",
    DOC.ref("第二十三条"),
    "当年度结束后才录入的学分，不是该年度的有效学分，也不得跨年度审核计入次年（第二十五条）",
    "年度结束后录入的学分仍计入其所属年度",
)
AWARD_LEADER_CREDITS = Reading(
    "changsha.award_leader_credits",
    DOC.ref("第二十四条"),
    "702号只规定省级及以上科技成果奖励项目负责人视为当年合格，未规定其学分：担任负责人的学分按湖南省标准，无法判定",
    "担任省级及以上科技成果奖励项目负责人不另计学分（按国家层面的规定计 0 学分）",
    switchable=True,
)
FALSIFICATION_SPARES_PUBLIC_HOURS = Reading(
    "changsha.falsification_spares_public_hours",
    DOC.ref("第二十六条"),
    "弄虚作假的，当事人当年所获学分（含如实取得的）全部作废；公共科目学时由市人力资源社会保障局认定，不是继续医学教育学分，不在作废之列",
    "公共科目学时一并作废",
    switchable=True,
)
PROFESSIONAL_IS_ANNUAL_CREDITS = Reading(
    "changsha.professional_is_annual_credits",
    DOC.ref("第九条"),
    "第九条的专业科目学分即当年的继续医学教育学分要求，取代国家层面的年度学分要求（只是名称为“专业科目学分”）",
    "专业科目学分与国家层面的年度学分是两项要求，分别判定",
)
DEEMING_LEAVES_PUBLIC_HOURS = Reading(
    "changsha.deeming_leaves_public_hours",
    DOC.ref("第九条"),
    "702号 三 视为完成的是当年继续医学教育（学分）；公共科目30学时是人力资源社会保障部门的要求，视为合格的仍须达到",
    "视为完成当年继续医学教育的，公共科目学时也视为完成",
)

UNSTATED_MEDICINE_WESTERN = Reading(
    "changsha.unstated_medicine_western",
    DOC.ref("第二十一条"),
    "未填写医学类别的国家级、省级项目按西医类别的录入途径（第十九条、第二十条）判定：中医类别项目的学分证由中医药继续教育委员会授予，记录中会写明",
    "未填写医学类别的，不知应按第十九条、第二十条还是第二十一条、第二十二条录入，待补录医学类别",
)

DEADLINE_DAY_INCLUSIVE = Reading(
    "changsha.deadline_day_inclusive",
    DOC.ref("第十条"),
    "“3月31日前”“每月25日前”“举办前一周”均含当日：截止于当日 23:59:59（北京时间），之后办理的为逾期",
    "“前”不含当日：截止于前一日 23:59:59",
)
HELD_WITHOUT_FILING = Reading(
    "changsha.held_without_filing",
    DOC.ref("第十条"),
    "已举办而未于举办前一周报备的项目即“项目执行不规范”，结论为违规并列明第十条所列后果（是否处理由市卫生健康委决定）",
    "第十条所列后果只针对经检查认定执行不规范的项目，未报备本身只作提醒",
)

READINGS = [
    UNCATEGORISED_CLASS_I,
    CITY_FILING_SCOPE,
    OUT_OF_PROVINCE_ROUTE,
    LATE_ENTRY_VOID,
    AWARD_LEADER_CREDITS,
    FALSIFICATION_SPARES_PUBLIC_HOURS,
    PROFESSIONAL_IS_ANNUAL_CREDITS,
    DEEMING_LEAVES_PUBLIC_HOURS,
    UNSTATED_MEDICINE_WESTERN,
    DEADLINE_DAY_INCLUSIVE,
    HELD_WITHOUT_FILING,
]
