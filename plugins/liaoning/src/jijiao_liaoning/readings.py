"""How this plugin reads the clauses of the Liaoning scheme that the text leaves open, declared as
data (`jijiao.models.Reading`) so that every result resting on one says so ("按本插件的理解：…")
and ``jijiao plugins`` lists them. The rule modules' docstrings give the longer argument for each.

Only ``liaoning.remote_three_steps`` can be switched by a what-if (``--reading
liaoning.remote_three_steps=alternative``): its alternative ("strict": remote projects, too,
need the attendance checks and the satisfaction evaluation of 四(一)3) is computed by the same
rules. The others' alternatives are stated but not computed.
"""

from jijiao.models import Reading

from .documents import CREDIT_SCHEME as S

RATES_PRO_RATA = Reading(
    "liaoning.rates_pro_rata", S.ref("三(一)"),
    "“按每 3（6）小时授予 1 学分”是比率：学时按比例折算、向下取至0.1学分（7 小时按每 6 小时 1 学分计 1.1 学分），字数同理",
    "只按满 3（6）小时的整段计分，余数不计（7 小时按每 6 小时 1 学分计 1 学分）",
)
RANGES = Reading(
    "liaoning.ranges", S.ref("三(六)7"),
    "“6—4 学分/篇”等区间按位次（等级）每一位次递减相同学分（第一至第三作者 6、5、4 学分）",
    "区间内的学分由用人单位在区间内评定",
)
CREDIT_CATEGORY = Reading(
    "liaoning.credit_category", S.ref("三(一)"),
    "国家和省级卫生健康委公布的项目（含其他省份公布的项目）授予Ⅰ类学分，其他活动授予Ⅱ类学分（方案未写明类别，依国家惯例）",
    "按国卫办科教发〔2024〕20号的分类（未收录）确定各类活动的学分类别",
)
CREDITS_NOT_HOURS = Reading(
    "liaoning.credits_not_hours", S.ref("一"),
    "“不低于 25 学分（不少于 90 学时）”按学分评定，90 学时是与之并列的表述，不另作要求",
    "25 学分与 90 学时两项都须达到",
)
THREE_MONTHS_NO_PASS = Reading(
    "liaoning.three_months_no_pass", S.ref("三(二)"),
    "累计满 3 个月但未经（或未记录）考核合格的，不视为完成当年 25 学分，仍按每 6 小时 1 学分、每月最多 8 学分计分",
    "累计满 3 个月而未经考核合格的，不授予学分",
)
MONTHLY_CEILING = Reading(
    "liaoning.monthly_ceiling_pro_rata", S.ref("三(二)"),
    "“每个月最多 8 学分”按记录的累计月数按比例适用（1.5 个月最多 12 学分），须记录累计时间",
    "按自然月分别计算，每个自然月最多 8 学分",
)
MONTHS_ADDED_UP = Reading(
    "liaoning.months_added_up", S.ref("三(二)"),
    "同一类活动当年累计满 3 个月（进修、学历教育须考核合格）的各条记录合计计为 25 学分，不再按学时另计",
    "各条记录仍按学时计分，另视为完成当年继续医学教育",
)
ATTENDANCE_NOT_RECORDED = Reading(
    "liaoning.attendance_not_recorded", S.ref("四(一)3"),
    "考勤、满意度评价、考试是授予学分的条件（“必须……方可授予学分”），未记录的即未满足，不授予学分并写明“未记录”",
    "未记录的环节待主办单位补录后再授予",
)
PASS_MARK = Reading(
    "liaoning.pass_mark", S.ref("四(一)3"),
    "“考核合格分数线原则上不低于总分的 80%”是合格线的下限：低于 80% 的不合格；主办单位记录为考核未合格的，即使成绩不低于 80% 也不合格",
    "80% 即合格线：成绩不低于 80% 的一律合格",
)
REMOTE_THREE_STEPS = Reading(
    "liaoning.remote_three_steps", S.ref("四(一)3"),
    "四(一)3 的三个环节（考勤≥2 次/天、满意度评价）由主办单位在省继教系统组织，不适用于远程项目；远程项目参加者只须经考核合格（三(一)），"
    "其学习由远程机构平台核验并以预授学分报省审核（四(一)2）",
    "远程项目同样须考勤≥2 次/天并完成满意度评价，方可授予学分（严格理解）",
    switchable=True,
)
OTHER_PROVINCE_CEILING = Reading(
    "liaoning.other_province_ceiling", S.ref("二(一)1"),
    "其他省级卫生健康委公布的项目按学分证书授予（四(一)1），但同属三(一)所称“省级卫生健康委公布的项目”，每个面授项目最多 10 学分、远程项目最多 3 学分",
    "按学分证书所载学分全数授予，不适用三(一)的上限",
)

READINGS = [
    RATES_PRO_RATA, RANGES, CREDIT_CATEGORY, CREDITS_NOT_HOURS, THREE_MONTHS_NO_PASS, MONTHLY_CEILING,
    MONTHS_ADDED_UP, ATTENDANCE_NOT_RECORDED, PASS_MARK, REMOTE_THREE_STEPS, OTHER_PROVINCE_CEILING,
]
