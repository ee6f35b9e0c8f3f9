"""Credits for projects (三(一), 四(一)), further and degree study (三(二)(三)), organised practice
(三(四), 四(二)4) and government-directed tasks (三(五)); recognition of out-of-province and
remote credits (二(一)1, 四(一)1, 四(一)2, 四(二)5) and of falsified ones (56号 二(二)).

Reading (three months, no pass): 三(二)(三) deem the year complete after 3 months' study "经相关
考核合格"; below 3 months they grant 1 credit per 6 hours with no exam named. A study of 3
months or more whose exam is not (yet) passed is therefore not deemed complete but still earns
the hourly credits, capped per month: the scheme cannot mean that a longer study earns less.

Reading (per-month ceiling): "每个月最多 8 学分" is applied pro rata to the months recorded
(1.5 months: at most 12), the same way the hourly rate is; the months must be recorded.

Each reading below is also declared as data in `readings` (its key in brackets), and every award
resting on one says so in a step ("按本插件的理解：…").

Absent is unknown (issue 13): a yes/no or a recorded fact that is not recorded is never read as
done. A review not recorded (已审核通过, or 702号's 经省级继教委核实 for a remote project) makes the
award wait (待审核: 四(一)1(省外学分), 四(一)2, 四(二)5), as does an upload not recorded and a remote
participant's exam result not recorded; a study of 3 months whose pass is not recorded is not
deemed complete (it keeps its hourly credits). Only the conditions that 四(一)3 makes the award's
("必须……方可授予学分") refuse when not recorded, and the refusal says 未记录.

Reading (attendance not recorded, ``liaoning.attendance_not_recorded``): 四(一)3 and 四(二)4 make
the attendance, evaluation and exam conditions of the award ("必须……方可授予学分"); a fact not
recorded is a condition not met, and the refusal names it as 未记录.

Reading (the pass mark): "考核合格分数线原则上不低于总分的 80%" sets the lowest pass line a host
may use, not the line itself: a score under 80 % never passes, and a host that records the exam
as failed (考核合格：否) is followed even where the score is 80 % or more.

Reading (remote projects, ``liaoning.remote_three_steps``, switchable to "strict"): the attendance (≥2 次/天, registered in 省继教系统) and satisfaction
conditions of 四(一)3 are organised by the host in the provincial system for projects held there;
a remote project's learning is verified on the remote body's platform and reaches the province
as pre-granted credits (四(一)2). A remote participant therefore needs 三(一)'s pass only ("参加者
经考核合格"), recorded as 考核合格 or as a score at or above the pass mark; a verified
certificate is the record of it. Under the strict alternative a remote participant needs the
attendance (≥2 次/天) and the evaluation as well.

One project's ceiling (三(一)) holds across its records: `project_ceiling_across_records`, called
over the year by `plugin.jijiao_year_awards`, caps a person's credits from one 项目编号 (two 期,
or attending and lecturing) at 10 (face-to-face) or 3 (remote), cutting the latest records first.

City projects (二(一)2) are undetermined, naming the city's rules we lack (`city_rules`), at most
the credits on their certificate.

Reading (months added up, 三(二)(三)(五)): "当年累计时间满 3 个月，视为完成当年继续医学教育 25
学分" deems the year's CME complete *as 25 credits*, and the hourly rate applies only "不足 3
个月", i.e. while the year's months are short of 3. So records of one kind whose months add up to
3 (with a pass, for study) count 25 credits together -- as one record of 3 months does -- and no
hourly credits beside them: the record with which the months reach 3 (by date) carries the 25,
the others of that kind count 0 towards the total, and each one's explanation says that the year
is deemed complete by the months added up, and where the 25 are counted. The year's total is
then 25 plus the credits of the year's other activities, the same as with a single record of 3
months. Records that do not count towards the months (a study not passed) keep their hourly
credits. See `deemed_by_months`.

Reading (other provinces' projects): their credits come from the certificate (四(一)1(省外学分)),
but they are "省级卫生健康委公布的继续医学教育项目" of 三(一) all the same, so Liaoning grants at
most 10 credits for a face-to-face and 3 for a remote one, as it does for its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from jijiao.models import (
    ActivityKind, AwardStatus, CapApplication, Composed, Level, MissingDocument, Mode, Recognition, RecognitionStatus, RestatedAwards, Review, Role,
)
from jijiao_national.documents import NHC_2019_702
from jijiao_national.vocabulary import Kind, province_verification

from .documents import CREDIT_SCHEME as S, NOTICE_2026_56 as N
from .readings import (
    ATTENDANCE_NOT_RECORDED,
    MONTHLY_CEILING,
    MONTHS_ADDED_UP,
    OTHER_PROVINCE_CEILING,
    PASS_MARK,
    RATES_PRO_RATA,
    REMOTE_THREE_STEPS,
    THREE_MONTHS_NO_PASS,
)
from .rules import PRACTICE_GROUP, PROVINCE_CODE, Judge, at_rate, is_out_of_province, plain
from .vocabulary import ATTENDANCE_PER_DAY, EMPLOYER_REVIEW, EVALUATION_DONE, EXAM_SCORE_PCT, HEALTH_ADMIN_REVIEW

STUDY_CLAUSES = {
    Kind.FURTHER_STUDY: "三(二)",
    Kind.DEGREE_STUDY: "三(三)",
    Kind.GOVERNMENT_TASK: "三(五)",
}
OTHER_ACTIVITIES = {
    Kind.FURTHER_STUDY, Kind.DEGREE_STUDY, Kind.PRACTICE, Kind.GOVERNMENT_TASK, Kind.OTHER,
}
"""四(二)1: the activities registered by the learner (and planned self-study, see `is_other_activity`)."""


def is_other_activity(activity) -> bool:
    return activity.kind in OTHER_ACTIVITIES or activity.kind.is_a(Kind.SELF_STUDY)


def is_other_province_project(activity) -> bool:
    """A project published by another province's health commission (二(一)1)."""
    return (
        activity.kind is Kind.PROJECT
        and activity.project_level is Level.PROVINCIAL
        and is_out_of_province(activity.project_jurisdiction)
    )


# --- recognition --------------------------------------------------------------------------------


def review_of(activity) -> Review:
    """The activity's review (审核结果), else the old 已审核通过. In Liaoning 否 is 待审核, not a
    refusal: 四(一)、四(二)5 grant "经审核合格后" after the unit's and the administrations' review
    逐级, and a 否 says only that it has not passed yet; 不通过 is given as 审核结果."""
    return Review.of(activity, no=Review.PENDING)


def stepwise_review(activity) -> tuple[Review, str | None]:
    """The review of the two routes that go 用人单位 → 卫生健康行政部门 逐级 (四(一)1(省外学分),
    四(二)5): each level's where recorded, combined (不通过 at either refuses), with the text of
    what is awaited; else the record's one review (`review_of`) and None."""
    levels = [(fact.zh.removesuffix("审核"), fact.of(activity)) for fact in (EMPLOYER_REVIEW, HEALTH_ADMIN_REVIEW)]
    if all(review is None for _who, review in levels):
        return review_of(activity), None
    passed = "、".join(who for who, r in levels if r is Review.PASSED)
    waiting = f"待{'、'.join(who for who, r in levels if r is not Review.PASSED)}审核"
    return Review.combined(r for _who, r in levels), f"{passed}已审核通过，{waiting}" if passed else waiting


def review_recorded(activity) -> bool:
    """Whether any review is recorded (审核结果, or the old 已审核通过): absent is 待审核 too, but
    the explanation says it was not recorded."""
    return activity.review is not None or activity.approved is not None


def recognise(activity, jurisdiction) -> Recognition | None:
    """Liaoning's answer on whether an activity counts at all (None: no objection)."""

    def answer(status, document, clause, reason):
        return Recognition(activity.id, jurisdiction.code, status, document.ref(clause), reason)

    if activity.falsified:
        return answer(RecognitionStatus.REFUSED, N, "二(二)", "经查实弄虚作假获取学分（买卖学分、代刷签到等），违规所获学分作废")
    if is_other_province_project(activity):
        if activity.certificate_uploaded is not True:
            recorded = "未记录是否已上传" if activity.certificate_uploaded is None else "尚未上传"
            return answer(RecognitionStatus.PENDING, S, "四(一)1(省外学分)",
                          f"其他省级卫生健康委公布的项目：须当年在“省继教系统—省外学分”模块上传学分证书电子版后审核授予（{recorded}）")
        review, waiting = stepwise_review(activity)
        if review is Review.REJECTED:
            return answer(RecognitionStatus.REFUSED, S, "四(一)1(省外学分)", "省外学分证书经用人单位或卫生健康行政部门审核不通过")
        if review is not Review.PASSED:
            recorded = waiting or ("尚未审核通过" if review_recorded(activity) else "未记录审核结果")
            return answer(RecognitionStatus.PENDING, S, "四(一)1(省外学分)",
                          f"省外学分证书已上传，待用人单位及卫生健康行政部门逐级审核（{recorded}）")
        return answer(RecognitionStatus.RECOGNISED, S, "二(一)1",
                      "其他省级卫生健康委公布的项目，我省卫生技术人员可按需参加；学分证书已上传并审核通过")
    if activity.kind is Kind.PROJECT and activity.project_mode is Mode.REMOTE:
        review = review_of(activity)
        if review is Review.REJECTED:
            return answer(RecognitionStatus.REFUSED, S, "四(一)2", "远程项目的预授学分经省级以上继教管理部门审核不合格")
        if review is Review.PENDING and review_recorded(activity):
            return answer(RecognitionStatus.PENDING, S, "四(一)2", "远程项目的预授学分须报省级以上继教管理部门审核合格后授予，尚未审核通过")
    if not is_other_activity(activity):
        return None  # a project (or a kind 四(二) does not name): no review of 四(二)5 to wait for
    review, waiting = stepwise_review(activity)
    if review is Review.REJECTED:
        return answer(RecognitionStatus.REFUSED, S, "四(二)5", "用人单位或卫生健康行政部门审核不通过，不授予学分")
    if review is not Review.PASSED:
        # 四(二)5 grants these credits only after the unit's and the administrations' review: a
        # review not recorded is not known to have happened, so the credit waits for it.
        recorded = waiting or ("尚未审核通过" if review_recorded(activity) else "未记录审核结果（已审核通过）")
        return answer(RecognitionStatus.PENDING, S, "四(二)5", f"须经用人单位审核后，逐级提交卫生健康行政部门审核后授予学分，{recorded}")
    return None


# --- projects -----------------------------------------------------------------------------------


def exam_failure(activity, p) -> str | None:
    """Why a participant has not passed (三(一) "经考核合格", 四(一)3(3)), or None; see the Reading."""
    score = EXAM_SCORE_PCT.of(activity)
    if activity.passed is False:
        return "能力考核：考核未合格"
    if score is not None and score < p.project_pass_mark_pct:
        return f"能力考核：考试成绩 {plain(score)}%，低于合格线 {plain(p.project_pass_mark_pct)}%"
    if activity.passed is None and score is None:
        return "能力考核：未记录考试成绩或考核结果"
    return None


def attendance_and_evaluation(activity, p) -> list[str]:
    """The first two steps of 四(一)3 a participant did not meet (未记录 where not recorded)."""
    failed = []
    attendance = ATTENDANCE_PER_DAY.of(activity)
    if attendance is None:
        failed.append("考勤：未记录每日考勤次数")
    elif attendance < p.project_min_attendance_per_day:
        failed.append(f"考勤：每日考勤 {attendance} 次，少于 {p.project_min_attendance_per_day} 次/天")
    evaluation = EVALUATION_DONE.of(activity)
    if evaluation is None:
        failed.append("质量评估：未记录是否完成项目满意度评价")
    elif not evaluation:
        failed.append("质量评估：未完成项目满意度评价")
    return failed


def project_conditions(activity, p) -> list[str]:
    """The conditions of 四(一)3 a participant did not meet, each named with its numbers."""
    failed = attendance_and_evaluation(activity, p)
    if exam := exam_failure(activity, p):
        failed.append(exam)
    return failed


def remote_review(activity) -> bool | None:
    """Whether a remote project's pre-granted credits were reviewed (四(一)2 "经审核合格后授予";
    702号 三: verified by the learner's provincial CME committee): True where either record says
    so, False where one says not, None where neither is recorded -- not known, so not granted."""
    verified = province_verification(activity)
    answers = (review_of(activity) is Review.PASSED if review_recorded(activity) else None,
               None if verified is None else verified is Review.PASSED)
    if False in answers:
        return False
    return True if True in answers else None


def city_rules(activity, name_of) -> MissingDocument:
    """The city's credit rules for its own projects (二(一)2), which we do not hold; owned by the
    city where the project's code names one, else by the province that lets cities set them."""
    code = activity.project_jurisdiction
    if code is not None and code[2:4] != "00" and not code.startswith("00"):
        name = name_of(code)
        owner, where = code, (name if name != code else f"行政区划代码 {code} 所属市")
    else:
        owner, where = PROVINCE_CODE, "设立该项目的市"
    return MissingDocument(
        title=f"{where}的市级继续医学教育项目授分规定", number="文号未注明",
        needed_for="市级继续医学教育项目的学分标准（二(一)2：市级项目由各市卫生健康委设立）", owner=owner,
    )


def project_credit(judge: Judge, p, ctx):
    a = judge.activity
    if a.project_level is None:
        return judge.refuse([S.ref("三(一)")], ["缺少“项目级别”（project_level）：三(一)的授分标准只适用于国家和省级卫生健康委公布的项目"])
    if a.project_level not in (Level.NATIONAL, Level.PROVINCIAL):
        # 三(一) sets the standard for national and provincial projects only; 二(一)2 lets each
        # city set up its own projects, whose credit standard is the city's. We hold no city's
        # rules: the credit is undetermined (at most its certificate's credits), not guessed.
        missing = city_rules(a, ctx.registry.name_of)
        bound = a.certified_credits
        limit = f"；学分证书所载 {plain(bound)} 学分为其上限" if bound is not None else "；未记录证书学分，其上限不详"
        return judge.undetermined(
            [S.ref("二(一)2")],
            [f"{a.project_level.zh}项目由各市卫生健康委设立（二(一)2），方案三(一)的授分标准只适用于国家和省级项目；"
             f"《{missing.title}》未收录，学分无法判定{limit}"],
            missing, bound,
        )
    remote = a.project_mode is Mode.REMOTE
    strict = not ctx.reading(REMOTE_THREE_STEPS)
    ceiling = p.project_remote_max if remote else p.project_face_to_face_max
    clauses = [S.ref("三(一)")]
    steps = []
    readings = []
    remote_participant = remote and a.role is not Role.LECTURER and not is_other_province_project(a)
    if remote_participant:
        # 四(一)3's steps do not apply to remote projects (REMOTE_THREE_STEPS), unless a what-if
        # takes the strict reading; the pass of 三(一) and the review of 四(一)2 always do.
        readings.append(REMOTE_THREE_STEPS)
        if strict:
            clauses.append(S.ref("四(一)3"))
            failed = attendance_and_evaluation(a, p)
            if failed:
                return judge.refuse(clauses, ["学员须同时完成考勤、质量评估、能力考核三个环节方可授予学分（四(一)3），未满足：" + "；".join(failed)],
                                    readings=[REMOTE_THREE_STEPS.step(taken=False)])
        exam = exam_failure(a, p)
        if exam and (a.passed is False or EXAM_SCORE_PCT.of(a) is not None):  # a recorded failure
            return judge.refuse(clauses, [f"三(一)：参加者经考核合格方授予学分，该远程项目未满足：{exam}"],
                                readings=[REMOTE_THREE_STEPS.step(taken=not strict), PASS_MARK])
        review = remote_review(a)
        if review is not True:
            recorded = "未记录审核结果（已审核通过）" if review is None else "尚未审核通过"
            return judge.pending(
                [*clauses, S.ref("四(一)2")],
                [f"远程项目的预授学分须报省级以上继教管理部门，经审核合格后授予学分（四(一)2）：{recorded}"],
            )
        clauses.append(S.ref("四(一)2"))
        steps.append("预授学分已经省级以上继教管理部门审核合格（四(一)2）")
        if province_verification(a) is Review.PASSED:  # it counts because the province verified it: cite that too
            clauses.append(NHC_2019_702.ref("三(远程授分)"))
            steps.append("学分经学员所在地省级继教委核实后发放（702号 三）")
        by_certificate = a.certified_credits is not None and a.hours is None  # a verified certificate records the pass
        if exam and not by_certificate:  # the exam result is not recorded: the credit waits for it
            return judge.pending(clauses, ["三(一)：参加者经考核合格方授予学分，该远程项目未记录考试成绩或考核结果，待记录后授予"])
    if is_other_province_project(a):
        if a.certified_credits is None:
            return judge.refuse([S.ref("四(一)1(省外学分)")], ["缺少“证书学分”（certified_credits）：省外项目按学分证书授予"])
        raw = a.certified_credits
        clauses = [S.ref("二(一)1"), S.ref("四(一)1(省外学分)"), *clauses]
        steps.append(f"其他省级卫生健康委公布的项目，按上传审核通过的学分证书 {plain(raw)} 学分计")
        readings.append(OTHER_PROVINCE_CEILING)
    elif a.role is Role.LECTURER:
        if a.hours is None:
            return judge.refuse(clauses, [f"缺少“学时”（hours），无法按主讲人每小时 {plain(p.project_lecturer_credits_per_hour)} 学分计算"])
        raw = a.hours * p.project_lecturer_credits_per_hour
        steps.append(f"主讲人每小时授予 {plain(p.project_lecturer_credits_per_hour)} 学分：{plain(a.hours)} 小时 × {plain(p.project_lecturer_credits_per_hour)} = {plain(raw)} 学分")
    elif is_out_of_province(a.project_jurisdiction) and a.certified_credits is not None and a.hours is None:
        # Reading: a national project held in another province keeps its attendance, evaluation
        # and exam in that province's system (四(一)1: "同时接受项目举办地省级卫生健康委的监督管理");
        # its certificate is the record of them, so its credits are taken from the certificate.
        raw = a.certified_credits
        steps.append(f"在其他省份举办的{a.project_level.zh}项目，按学分证书所载 {plain(raw)} 学分计（考勤、评价、考核由举办地管理）")
    elif remote and a.certified_credits is not None and a.hours is None:
        raw = a.certified_credits
        steps.append(f"远程项目按审核合格的预授学分（证书）{plain(raw)} 学分计")
    else:
        if remote:
            steps.append(f"远程项目参加者考核合格（合格线 {plain(p.project_pass_mark_pct)}%）")
        else:
            clauses.append(S.ref("四(一)3"))
            failed = project_conditions(a, p)
            if failed:
                said = [ATTENDANCE_NOT_RECORDED] if any("未记录" in f for f in failed) else []
                return judge.refuse(clauses, ["学员须同时完成考勤、质量评估、能力考核三个环节方可授予学分（四(一)3），未满足：" + "；".join(failed)],
                                    readings=[*said, PASS_MARK])
            steps.append(f"考勤、满意度评价、考试（合格线 {plain(p.project_pass_mark_pct)}%）三个环节均已完成")
        readings.append(PASS_MARK)
        if a.hours is None:
            return judge.refuse(clauses, [f"缺少“学时”（hours），无法按每 {plain(p.project_participant_hours_per_credit)} 小时 1 学分计算"])
        raw = at_rate(a.hours, p.project_participant_hours_per_credit)
        steps.append(f"参加者按每 {plain(p.project_participant_hours_per_credit)} 小时授予 1 学分：{plain(a.hours)} 小时计 {plain(raw)} 学分（按比例，向下取至0.1）")
        readings.append(RATES_PRO_RATA)
    mode_text = "远程" if remote else "面授"
    if a.project_mode is None:
        steps.append("未注明举办形式，按面授项目计")
    if raw > ceiling:
        steps.append(f"每个{mode_text}项目最多 {plain(ceiling)} 学分：由 {plain(raw)} 学分计为 {plain(ceiling)} 学分")
        raw = ceiling
    else:
        steps.append(f"未超过每个{mode_text}项目最多 {plain(ceiling)} 学分")
    return judge.award(raw, clauses, steps, readings=[REMOTE_THREE_STEPS.step(taken=not strict) if r is REMOTE_THREE_STEPS else r for r in readings])


# --- further study, degree study, government tasks -----------------------------------------------


def deems_alone(activity, p) -> bool:
    """This activity alone reaches the 3 months that complete the year."""
    if activity.months is None or activity.months < p.deemed_months:
        return False
    return activity.kind is Kind.GOVERNMENT_TASK or activity.passed is True


def study_credit(judge: Judge, p):
    a = judge.activity
    clause = S.ref(STUDY_CLAUSES[a.kind])
    needs_pass = a.kind is not Kind.GOVERNMENT_TASK
    if deems_alone(a, p):
        passed = "，经考核合格" if needs_pass else ""
        return judge.award(
            p.annual_credits, [clause],
            [f"当年累计 {plain(a.months)} 个月（满 {plain(p.deemed_months)} 个月）{passed}，视为完成当年继续医学教育 {plain(p.annual_credits)} 学分"],
            deems_complete=True,
        )
    if a.hours is None:
        return judge.refuse([clause], [f"缺少“学时”（hours），无法按每 {plain(p.study_hours_per_credit)} 小时 1 学分计算"])
    if a.months is None:
        return judge.refuse([clause], [f"缺少“累计时间”（months），无法适用每个月最多 {plain(p.study_monthly_max)} 学分的上限"])
    readings = [RATES_PRO_RATA, MONTHLY_CEILING]
    if a.months >= p.deemed_months:
        if a.kind is Kind.GOVERNMENT_TASK or a.passed is False:
            why = f"累计 {plain(a.months)} 个月但未经考核合格，不视为完成当年继续医学教育"
        else:  # passed not recorded: not known to be passed, so not deemed (yet)
            why = f"累计 {plain(a.months)} 个月但未记录考核结果（考核合格），暂不视为完成当年继续医学教育"
        readings.insert(0, THREE_MONTHS_NO_PASS)
    else:
        why = f"不足 {plain(p.deemed_months)} 个月"
    raw = at_rate(a.hours, p.study_hours_per_credit)
    steps = [f"{why}，按每 {plain(p.study_hours_per_credit)} 小时授予 1 学分：{plain(a.hours)} 小时计 {plain(raw)} 学分（按比例，向下取至0.1）"]
    ceiling = p.study_monthly_max * a.months
    if raw > ceiling:
        steps.append(f"每个月最多 {plain(p.study_monthly_max)} 学分：{plain(a.months)} 个月最多 {plain(ceiling)} 学分，计为 {plain(ceiling)} 学分")
        raw = ceiling
    return judge.award(raw, [clause], steps, readings=readings)


# --- organised practice activities --------------------------------------------------------------


def practice_credit(judge: Judge, p):
    a = judge.activity
    clauses = [S.ref("三(四)"), S.ref("四(二)4")]
    attendance = ATTENDANCE_PER_DAY.of(a)
    if attendance is None or attendance < p.practice_min_attendance_per_day:
        recorded = "未记录每日考勤次数" if attendance is None else f"每日考勤 {attendance} 次"
        return judge.refuse(clauses, [f"实践活动考勤频次必须≥{p.practice_min_attendance_per_day} 次/天，{recorded}"],
                            readings=[ATTENDANCE_NOT_RECORDED] if attendance is None else [])
    if a.hours is None:
        return judge.refuse(clauses, ["缺少“学时”（hours），无法计算实践活动学分"])
    lecturer = a.role is Role.LECTURER
    per = p.practice_lecturer_hours_per_credit if lecturer else p.practice_participant_hours_per_credit
    session = p.practice_lecturer_session_credits if lecturer else p.practice_participant_session_credits
    who = "主讲人" if lecturer else "参加者"
    if a.hours >= per:
        raw = at_rate(a.hours, per)
        step = f"{who}每 {plain(per)} 小时授予 1 学分：{plain(a.hours)} 小时计 {plain(raw)} 学分（按比例，向下取至0.1）"
    elif a.hours >= p.practice_session_min_hours:
        raw = session
        step = f"时间不足 {plain(per)} 小时，按单次（不少于 {plain(p.practice_session_min_hours)} 小时）{who}授予 {plain(session)} 学分"
    else:
        return judge.refuse(clauses, [f"单次时长 {plain(a.hours)} 小时，不足 {plain(p.practice_session_min_hours)} 小时，不授予学分"])
    return judge.award(raw, clauses[:1], [step, f"实践活动每年最多 {plain(p.practice_annual_max)} 学分（年度合计时适用）"], cap_group=PRACTICE_GROUP,
                       readings=[RATES_PRO_RATA] if a.hours >= per else [])


def months_by_kind(activities, year, p) -> dict[ActivityKind, tuple[Decimal, list]]:
    """Per kind of 三(二)(三)(五), the months counting towards the 3 that complete the year."""
    totals: dict[ActivityKind, tuple[Decimal, list]] = {}
    for a in activities:
        if a.kind not in STUDY_CLAUSES or a.year != year or a.falsified or not a.months:
            continue
        if a.kind is not Kind.GOVERNMENT_TASK and a.passed is not True:
            continue
        months, ids = totals.get(a.kind, (Decimal(0), []))
        totals[a.kind] = (months + a.months, [*ids, a.id])
    return totals


def deemed_by_months(awards, activities, year, p, jurisdiction: str) -> list:
    """The awards of the year with 三(二)(三)(五) applied over the months added up (see the Reading).

    A record that reaches 3 months alone already carries the 25 credits (`study_credit`); here
    the records of its kind that share the deeming with it are set to 0 with the same words.
    """
    by_id = {a.id: a for a in activities}
    awards = list(awards)
    for kind, (months, ids) in months_by_kind(activities, year, p).items():
        if months < p.deemed_months:
            continue
        clause = STUDY_CLAUSES[kind]
        mine = {
            i: award for i, award in enumerate(awards)
            if award.activity in ids and award.jurisdiction == jurisdiction and award.status is AwardStatus.AWARDED
        }
        ordered = sorted(mine, key=lambda i: (by_id[awards[i].activity].date or date.min, awards[i].activity))
        carrier, running = None, Decimal(0)
        for i in ordered:
            running += by_id[awards[i].activity].months
            if awards[i].deems_complete or running >= p.deemed_months:
                carrier = i
                break
        if carrier is None:  # the months reach 3 only with records not (yet) awarded
            continue
        passed = "并经考核合格" if kind is not Kind.GOVERNMENT_TASK else ""
        deeming = (
            f"当年{kind.zh}累计 {plain(months)} 个月（满 {plain(p.deemed_months)} 个月）{passed}，"
            f"视为完成当年继续医学教育 {plain(p.annual_credits)} 学分（{clause}），不再按每 {plain(p.study_hours_per_credit)} 小时授予 1 学分"
        )
        for i in ordered:
            award = awards[i]
            if i == carrier and award.deems_complete:
                if len(ordered) > 1:  # its own 3 months deem the year; say that the others add nothing
                    awards[i] = attrs.evolve(award, steps=(*award.steps, f"当年{kind.zh}累计 {plain(months)} 个月，{len(ordered)} 项共计 {plain(p.annual_credits)} 学分，计入本项"))
                continue
            months_here = plain(by_id[award.activity].months)
            if i == carrier:
                steps = (f"本项 {months_here} 个月；{deeming}", f"{plain(p.annual_credits)} 学分计入本项（当年累计自本项起满 {plain(p.deemed_months)} 个月）")
                amount = p.annual_credits
            else:
                steps = (f"本项 {months_here} 个月；{deeming}", f"{plain(p.annual_credits)} 学分计入活动 {awards[carrier].activity}，本项不另计学分")
                amount = Decimal(0)
            awards[i] = attrs.evolve(award, credits=amount, steps=(*steps, MONTHS_ADDED_UP.step()))
    return awards


# --- one project's ceiling across its records (三(一)) ----------------------------------------------


def project_ceiling_across_records(awards, activities, p, jurisdiction: str, projects=()) -> RestatedAwards:
    """三(一) "每个面授项目最多 10 学分，每个远程继续医学教育项目最多 3 学分" over the year: a
    person's credits from one project are capped across all of that project's records (two 期,
    or attending and lecturing), not only per record as `project_credit` does.

    Records are of one project by their 项目编号; a record without one stands alone. The ceiling
    is the remote one where every record of the project is remote, the face-to-face one
    otherwise. Credits other layers decided count towards the ceiling but are not cut (the host
    lets each layer restate only its own awards); this layer's are cut latest first, as annual
    caps are, and each cut names the project, its records and the clause -- in the awards' steps,
    and as a `CapApplication` (``cap_applications``, the person's page) like an annual cap's.
    """
    by_id = {a.id: a for a in activities}
    names = {pr.id: pr.name for pr in projects if getattr(pr, "name", "")}
    groups: dict[str, list[int]] = {}
    for i, award in enumerate(awards):
        a = by_id.get(award.activity)
        if a is None or a.kind is not Kind.PROJECT or not a.project or award.status is not AwardStatus.AWARDED:
            continue
        groups.setdefault(a.project, []).append(i)
    awards = list(awards)
    applied = []
    for project, members in groups.items():
        if len(members) < 2:
            continue
        records = [by_id[awards[i].activity] for i in members]
        remote = all(r.project_mode is Mode.REMOTE for r in records)
        ceiling = p.project_remote_max if remote else p.project_face_to_face_max
        mode_text = "远程" if remote else "面授"
        members.sort(key=lambda i: (by_id[awards[i].activity].date or date.min, awards[i].activity))
        total = sum((awards[i].credits for i in members), Decimal(0))
        named = f"项目 {project}" + (f"（{names[project]}）" if project in names else "")
        ids = "、".join(awards[i].activity for i in members)
        # The person's own piece of each step and of the cap (stored once for all of them: Composed).
        records = f"{named}当年 {len(members)} 条记录（{ids}）"
        summed = f"合计 {plain(total)} 学分"
        if total <= ceiling:
            for i in members:
                if awards[i].jurisdiction == jurisdiction:
                    step = Composed(records, f"{summed}，未超过每个{mode_text}项目最多 {plain(ceiling)} 学分（三(一)）")
                    awards[i] = attrs.evolve(awards[i], steps=(*awards[i].steps, step))
            continue
        # Room left for this layer's records once the other layers' credits are counted.
        room = ceiling - sum((awards[i].credits for i in members if awards[i].jurisdiction != jurisdiction), Decimal(0))
        room = max(room, Decimal(0))
        cut = []
        for i in members:
            award = awards[i]
            if award.jurisdiction != jurisdiction:
                continue
            kept = min(award.credits, room)
            room -= kept
            if kept < award.credits:
                cut.append(award.activity)
            if kept == award.credits:
                steps = (*award.steps, Composed(records, f"{summed}，每个{mode_text}项目最多 {plain(ceiling)} 学分（三(一)）：本项 {plain(kept)} 学分全数计入"))
                awards[i] = attrs.evolve(award, steps=steps)
                continue
            clauses = award.clauses if S.ref("三(一)") in award.clauses else (*award.clauses, S.ref("三(一)"))
            steps = (*award.steps, Composed(records, f"{summed}，每个{mode_text}项目最多 {plain(ceiling)} 学分（三(一)），按项目合计：本项由 {plain(award.credits)} 学分计为 {plain(kept)} 学分"))
            awards[i] = attrs.evolve(award, credits=kept, clauses=clauses, steps=steps)
        if cut:
            after = sum((awards[i].credits for i in members), Decimal(0))
            applied.append(CapApplication(Composed(f"每个{mode_text}项目最多 {plain(ceiling)} 学分：", records), S.ref("三(一)"),
                                          ceiling, total, after, tuple(cut)))
    return RestatedAwards(awards, applied)
