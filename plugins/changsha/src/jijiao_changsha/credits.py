"""Whether one activity counts in Changsha yet, and for how much.

Changsha's document does not set credit standards (those are Hunan's, 湘卫科教发〔2016〕9号,
第二十四条, which we do not have). What it does say is *who enters the credits, by which route*,
and when they exist: so recognition (`recognise`) answers "does it count yet" -- pending until the
review the route names, refused with the article -- and `credit` takes the amount from the
certificate the route produces.

Routes for a project (继续医学教育项目):
- city-level (and lower) remote learning: the body and course filed with the city, the city's review
  of the learner list, content and hours (第十二条);
- national remote projects: the national layer decides (702号 一, binding); this document is silent;
- in-province national/provincial projects: credits granted by the host, reviewed by the provincial
  committee (第十九条);
- out-of-province national projects: the person uploads the certificate, unit and city approve
  (第二十条);
- in-province provincial TCM projects: the person uploads the paper certificate of the provincial
  TCM committee, unit and city approve (第二十一条);
- national TCM projects: per the higher authorities' rules, which we do not have (第二十二条);
- anything else (city-level and lower face-to-face projects, out-of-province provincial projects):
  Hunan's rules (第二十四条), which we do not have.
Other kinds of activity (further study, self-study, ...) earn credits by Hunan's standard too.
Where the rule is in a document we do not have (Hunan's, or the higher authorities' for national
TCM projects) the award is *undetermined* (无法判定), naming the document, with the certificate's
credits as its bound where a certificate states them -- not pending (nobody's act is awaited) and
not refused (a rule we lack is not a rule that says no). Pending stays for a review or an upload
not yet done, or a fact the route needs that was not recorded.
Public subjects (公共科目) count by hours once the city HR bureau has recognised them (第九条).
"""

from __future__ import annotations

from typing import NamedTuple

import attrs

from jijiao.models import (
    Activity,
    AwardStatus,
    CreditAward,
    Level,
    Medicine,
    MissingDocument,
    Mode,
    Recognition,
    RecognitionStatus,
    Review,
    credits,
)
from jijiao.plugins import parameter_value_text
from jijiao_national.vocabulary import Credits, Kind, province_verification

from .documents import CHANGSHA, CS_2022_CME as DOC, HIGHER_TCM_RULES, HUNAN_CREDIT_RULES
from .readings import (
    AWARD_LEADER_CREDITS,
    CITY_FILING_SCOPE,
    LATE_ENTRY_VOID,
    OUT_OF_PROVINCE_ROUTE,
    UNCATEGORISED_CLASS_I,
    UNSTATED_MEDICINE_WESTERN,
)
from .vocabulary import CITY_REVIEW, PUBLIC_HOURS, PUBLIC_SUBJECT, REMOTE_BODY, REMOTE_BODY_FILED, UNIT_REVIEW

NATIONAL_OR_PROVINCIAL = (Level.NATIONAL, Level.PROVINCIAL)

# Kinds whose outcome the national layer states itself (702号 三(视为合格): the training completes
# the year rather than earning credits); every other kind earns credits by Hunan's standard (第二十四条).
# Reading: leading a science award project (担任科技成果奖励项目负责人) is not among them: 702号
# deems the year complete only for a provincial-or-higher award, and says nothing of the credits,
# so the credits of any award project wait on Hunan's standard while the national layer decides,
# on its own, whether the year is deemed complete (readings.AWARD_LEADER_CREDITS, switchable).
DECIDED_ABOVE = {
    Kind.RESIDENCY_TRAINING,
    Kind.SPECIALIST_TRAINING,
    Kind.ASSISTANT_GP_TRAINING,
}

ROUTE_WHO = {
    "第十二条": "远程学习：机构和课程经市卫生健康委备案，学习人员名单、内容、时长经市卫生健康委审核无误后授予年度学分",
    "第十九条": "省内举办的国家级、省级项目：由项目举办单位授分，经省继教委审核后生成学分",
    "第二十条": "出省参加国家级项目：由本人上传凭证，经所在单位、市卫生健康委审核通过后生成学分",
    "第二十一条": "省内举办的省级中医类别项目：由本人上传省中医药继续教育委员会授予的纸质学分证，经所在单位、市卫生健康委审核通过后生成学分",
}


def in_hunan(code: str | None) -> bool:
    """Whether a GB/T 2260 code lies in Hunan (Changsha's province), by its first two digits."""
    return code is not None and code[:2] == CHANGSHA.parent[:2]


def _recognition(activity: Activity, status: RecognitionStatus, clause: str, reason: str) -> Recognition:
    return Recognition(activity.id, CHANGSHA.code, status, DOC.ref(clause), reason)


def _missing(document) -> str:
    return f"我们没有{document.citation}，学分无法判定"


class Route(NamedTuple):
    """Which article's route enters a project's credits.

    ``undecided`` says why the route cannot be followed, if it cannot; ``missing`` is the
    document holding the rule where that is the reason (the award is then undetermined), None
    where a fact the route needs was not recorded (the award waits for it)."""

    clause: str
    undecided: str = ""
    missing: MissingDocument | None = None


# --- which route ---------------------------------------------------------------------------------


def project_route(activity: Activity) -> Route:
    """The article whose route enters this project's credits, and -- where the route cannot be
    followed (a document we lack, a field not given) -- why not.

    Reading: an activity's 项目公布地区 (project_jurisdiction) is where the project was held and
    published; a national project published nationally (000000) or anywhere outside Hunan takes the
    out-of-province route of 第二十条, the stricter one (the person uploads, unit and city approve),
    so no credit exists before a reviewer in Changsha has seen it.

    (readings.OUT_OF_PROVINCE_ROUTE.)

    Reading: 第十二条's filing with the city is for "拟在长沙市举办的市级继续医学教育项目和内容", and its
    last sentence ("未经市卫生健康委备案的机构和课程，学分不予认可") speaks of those same bodies and
    courses. It governs remote projects below the provincial level; a provincial remote project is
    approved by the provincial committee and takes the route of its level like any other
    (第十九条: reviewed by the provincial committee, not filed with the city) -- a city refusing it
    would overrule the committee its own 第十九条 defers to. (readings.CITY_FILING_SCOPE,
    switchable: the alternative files provincial remote projects with the city too, see
    `project_recognition`.)
    """
    level = activity.project_level
    remote = activity.project_mode is Mode.REMOTE
    if level is None:
        return Route("第十二条" if remote else "第十九条", "未填写项目级别（project_level），无法确定学分录入途径（第十二条、第十九条至第二十二条）")
    if level not in NATIONAL_OR_PROVINCIAL:
        if remote:
            return Route("第十二条")
        return Route("第二十四条", f"{level.zh}项目的学分授予按湖南省学分管理实施细则执行（第二十四条）；{_missing(HUNAN_CREDIT_RULES)}", HUNAN_CREDIT_RULES)
    if activity.medicine is Medicine.TCM and level is Level.NATIONAL:
        return Route("第二十二条", f"国家级中医类别项目的授分根据上级卫生健康部门规定执行（第二十二条）；{_missing(HIGHER_TCM_RULES)}", HIGHER_TCM_RULES)
    if activity.project_jurisdiction is None:
        return Route("第十九条", "未填写项目公布地区（project_jurisdiction），无法确定是省内举办（第十九条）还是出省参加（第二十条）")
    inside = in_hunan(activity.project_jurisdiction)
    if activity.medicine is Medicine.TCM:
        if inside:
            return Route("第二十一条")
        return Route("第二十四条", f"长沙办法未规定出省参加省级中医类别项目的学分录入途径，按湖南省规定执行（第二十四条）；{_missing(HUNAN_CREDIT_RULES)}", HUNAN_CREDIT_RULES)
    if inside:
        return Route("第十九条")
    if level is Level.NATIONAL:
        return Route("第二十条")
    return Route("第二十四条", f"长沙办法未规定出省参加省级项目的学分录入途径，按湖南省规定执行（第二十四条）；{_missing(HUNAN_CREDIT_RULES)}", HUNAN_CREDIT_RULES)


# --- does it count yet -------------------------------------------------------------------------------


def review_of(activity: Activity) -> Review:
    """The record's one review (审核结果), else the old 已审核通过: in Changsha 否 is 不通过 -- the
    platform's review refused it (第二十条 "审核通过后，生成相应学分"); absent is 待审核."""
    return Review.of(activity, no=Review.REJECTED)


def _uploaded_and_approved(activity: Activity, clause: str, evidence: str) -> Recognition:
    """The routes where the person uploads and unit and city approve (第二十条, 第二十一条): each
    level's review where recorded (所在单位审核, 市卫生健康委审核), else the record's one review
    for both."""
    if activity.certificate_uploaded is not True:
        return _recognition(activity, RecognitionStatus.PENDING, clause, f"{ROUTE_WHO[clause]}；待本人上传{evidence}")
    levels = [(fact.zh.removesuffix("审核"), fact.of(activity)) for fact in (UNIT_REVIEW, CITY_REVIEW)]
    if all(review is None for _who, review in levels):
        review, refused, waiting = review_of(activity), "所在单位或市卫生健康委", "待所在单位、市卫生健康委审核"
    else:
        review = Review.combined(r for _who, r in levels)
        refused = "、".join(who for who, r in levels if r is Review.REJECTED)
        passed = "、".join(who for who, r in levels if r is Review.PASSED)
        waiting = f"待{'、'.join(who for who, r in levels if r is not Review.PASSED)}审核"
        waiting = f"{passed}已审核通过，{waiting}" if passed else waiting
    if review is Review.REJECTED:
        return _recognition(activity, RecognitionStatus.REFUSED, clause, f"{ROUTE_WHO[clause]}；{refused}审核未通过")
    if review is Review.PENDING:
        return _recognition(activity, RecognitionStatus.PENDING, clause, f"{ROUTE_WHO[clause]}；已上传{evidence}，{waiting}")
    return _recognition(activity, RecognitionStatus.RECOGNISED, clause, f"{ROUTE_WHO[clause]}；已审核通过")


def remote_recognition(activity: Activity) -> Recognition:
    """第十二条: a city-level remote course counts only once its body and course are filed with
    the city and the city has reviewed the learners, content and hours."""
    remote_body = REMOTE_BODY.of(activity)
    body = f"（远程教育机构：{remote_body}）" if remote_body else ""
    filed = REMOTE_BODY_FILED.of(activity)
    if filed is False:
        return _recognition(
            activity, RecognitionStatus.REFUSED, "第十二条",
            f"未经市卫生健康委备案的机构和课程，学分不予认可{body}",
        )
    if filed is None:
        # Absent is unknown: a filing nobody recorded is neither done nor known to be missing.
        return _recognition(
            activity, RecognitionStatus.PENDING, "第十二条",
            f"未经市卫生健康委备案的机构和课程，学分不予认可：记录中没有机构和课程是否已备案（{REMOTE_BODY_FILED.zh}）{body}，待确认",
        )
    review = CITY_REVIEW.of(activity) or review_of(activity)  # 第十二条: the city reviews
    if review is Review.REJECTED:
        return _recognition(activity, RecognitionStatus.REFUSED, "第十二条", f"远程学习记录经市卫生健康委审核未通过{body}")
    if review is not Review.PASSED:
        return _recognition(
            activity, RecognitionStatus.PENDING, "第十二条",
            f"机构和课程已备案{body}；完成远程学习的人员名单、学习内容、学习时长待市卫生健康委审核无误后授予学分",
        )
    return _recognition(activity, RecognitionStatus.RECOGNISED, "第十二条", f"{ROUTE_WHO['第十二条']}{body}")


def is_national_remote(activity: Activity) -> bool:
    """702号 一: the national layer decides whether a national remote project counts (binding) and
    what it is worth; this document has no route of its own for one, so this layer stays silent."""
    return activity.project_mode is Mode.REMOTE and activity.project_level is Level.NATIONAL


def project_recognition(activity: Activity, ctx=None) -> Recognition | None:
    if is_national_remote(activity):
        return None
    clause, undecided, missing = project_route(activity)
    if missing is not None:
        return None  # nothing to wait for: the rule is in a document we lack (`credit` says so)
    if undecided:
        return _recognition(activity, RecognitionStatus.PENDING, clause, undecided)
    if clause == "第十二条":
        return remote_recognition(activity)
    if (
        clause == "第十九条" and ctx is not None and not ctx.reading(CITY_FILING_SCOPE)
        and activity.project_mode is Mode.REMOTE
    ):
        # The other reading of 第十二条: a provincial remote course must be filed with the city too
        # (not filed: refused; filing not recorded: pending -- remote_recognition says which).
        if REMOTE_BODY_FILED.of(activity) is not True:
            unfiled = remote_recognition(activity)
            return attrs.evolve(unfiled, reason=f"{unfiled.reason}；{CITY_FILING_SCOPE.step(taken=False)}")
    if clause == "第十九条":
        verified = province_verification(activity)
        if verified is Review.PASSED:
            return _recognition(activity, RecognitionStatus.RECOGNISED, clause, f"{ROUTE_WHO[clause]}；省继教委已审核")
        if verified is Review.REJECTED:
            return _recognition(activity, RecognitionStatus.REFUSED, clause, f"{ROUTE_WHO[clause]}；省继教委审核未通过")
        return _recognition(activity, RecognitionStatus.PENDING, clause, f"{ROUTE_WHO[clause]}；待省继教委审核")
    if clause == "第二十条":
        return _uploaded_and_approved(activity, clause, "学分凭证")
    return _uploaded_and_approved(activity, clause, "省中医药继续教育委员会授予的纸质学分证")


def public_subject_recognition(activity: Activity) -> Recognition:
    """第九条: public-subject hours are recognised by the city HR bureau (市人力资源社会保障局);
    until it has (审核结果 通过, or the old 已审核通过 是), they wait; if it refused, they do not count."""
    review = review_of(activity)
    if review is Review.REJECTED:
        return _recognition(activity, RecognitionStatus.REFUSED, "第九条", "公共科目学时未获市人力资源社会保障局认定")
    if review is not Review.PASSED:
        return _recognition(activity, RecognitionStatus.PENDING, "第九条", "公共科目学时由市人力资源社会保障局认定：待认定")
    return _recognition(activity, RecognitionStatus.RECOGNISED, "第九条", "公共科目学时已由市人力资源社会保障局认定")


def recognise(activity: Activity, ctx=None) -> Recognition | None:
    if activity.falsified:
        return _recognition(
            activity, RecognitionStatus.REFUSED, "第二十六条",
            "弄虚作假：该学分作废，当事人当年所获学分一并作废（见年度结果）",
        )
    if activity.kind is PUBLIC_SUBJECT:
        # Hours the city HR bureau recognises (第九条), not CME credits: 第二十三条's entry by year
        # is about credits, as 第二十六条's voiding is (see year.falsification_finding).
        return public_subject_recognition(activity)
    if activity.registered_on is not None and activity.registered_on.year != activity.year:
        # Reading: 第二十三条 "按年度录入，方可视为当年有效学分" and 第二十五条 "不得跨年度审核":
        # credits entered after their year has closed are valid for no year -- not for their own
        # (not entered within it) and not for the next (that would be a cross-year review).
        # A record without an entry date (学分登记日期) is not refused on this ground: the rule
        # needs the date, and refusing for a missing fact would punish the record, not the act.
        return _recognition(
            activity, RecognitionStatus.REFUSED, "第二十三条",
            f"学分按年度录入方为当年有效学分：该活动属于 {activity.year} 年度，于 {activity.registered_on} 录入，"
            f"不视为 {activity.year} 年度有效学分，也不得跨年度审核（第二十五条）；{LATE_ENTRY_VOID.step()}",
        )
    if activity.kind is Kind.PROJECT:
        return project_recognition(activity, ctx)
    # Other kinds: nothing to wait for here; `credit` says whose rule decides them.
    return None


# --- how much ------------------------------------------------------------------------------------------


def _award(activity, practitioner, status, amount, category, clauses, steps, missing=None) -> CreditAward:
    return CreditAward(
        activity=activity.id,
        practitioner=practitioner.id,
        jurisdiction=CHANGSHA.code,
        status=status,
        credits=amount,
        category=category,
        clauses=tuple(DOC.ref(c) for c in clauses),
        steps=tuple(steps),
        missing=missing,
        # The most it can earn: what its certificate states, where one does (no certificate: no bound).
        bound=activity.certified_credits if missing is not None else None,
    )


def undetermined(activity, practitioner, clauses, steps, missing) -> CreditAward:
    """The rule is in ``missing``, a document we do not have: 无法判定, at most the certificate's credits."""
    bound = activity.certified_credits
    limit = f"至多为证书所载 {parameter_value_text(credits(bound))} 学分" if bound is not None else "记录中没有证书学分，无从估计上限"
    return _award(activity, practitioner, AwardStatus.UNDETERMINED, 0, activity.category, clauses,
                  [*steps, f"学分无法判定：{limit}"], missing=missing)


def public_subject_credit(activity, practitioner) -> CreditAward:
    if activity.hours is None:
        return _award(activity, practitioner, AwardStatus.PENDING, 0, PUBLIC_HOURS, ["第九条"],
                      ["公共科目实行学时制：未填写学时（hours），待补充市人力资源社会保障局认定的学时"])
    return _award(
        activity, practitioner, AwardStatus.AWARDED, activity.hours, PUBLIC_HOURS, ["第九条"],
        [f"公共科目实行学时制，按市人力资源社会保障局认定的 {activity.hours} 学时计入“公共科目学时”（不折算学分）"],
    )


def certificate_credit(activity, practitioner, clause: str, ctx=None) -> CreditAward:
    """The credits on the certificate the route produced, in the certificate's category.

    Reading: where the certificate states no category, national and provincial projects count as
    Ⅰ类学分 (they are the Ⅰ类 projects of the national scheme); for lower levels the category is
    Hunan's to set (第二十四条), so the award is undetermined instead of guessing
    (readings.UNCATEGORISED_CLASS_I, switchable: the alternative leaves every level to Hunan).
    """
    if activity.certified_credits is None:
        return _award(activity, practitioner, AwardStatus.PENDING, 0, None, [clause],
                      [f"{ROUTE_WHO[clause]}；未填写证书学分（certified_credits）"])
    steps = [f"{ROUTE_WHO[clause]}；按学分证书计 {parameter_value_text(credits(activity.certified_credits))} 学分"]
    category = activity.category
    if category is None:
        taken = ctx is None or ctx.reading(UNCATEGORISED_CLASS_I)
        if activity.project_level not in NATIONAL_OR_PROVINCIAL or not taken:
            level = activity.project_level.zh if activity.project_level else "该"
            why = f"证书未注明学分类别，{level}项目的学分类别按湖南省规定（第二十四条）；{_missing(HUNAN_CREDIT_RULES)}"
            also = [] if taken else [UNCATEGORISED_CLASS_I.step(taken=False)]
            return undetermined(activity, practitioner, [clause, "第二十四条"], [*steps, why, *also], HUNAN_CREDIT_RULES)
        category = Credits.CLASS_I
        steps.append(f"证书未注明学分类别：{activity.project_level.zh}项目学分按Ⅰ类学分计")
        steps.append(UNCATEGORISED_CLASS_I.step())
    return _award(activity, practitioner, AwardStatus.AWARDED, credits(activity.certified_credits), category, [clause], steps)


def other_kind_credit(activity, practitioner, ctx=None) -> CreditAward | None:
    """Activities other than projects and public subjects: by Hunan's standard (第二十四条)."""
    if activity.kind in DECIDED_ABOVE:
        return None
    steps = [f"“{activity.kind.zh}”的学分授予按湖南省学分管理实施细则执行（第二十四条）；{_missing(HUNAN_CREDIT_RULES)}"]
    if activity.kind is Kind.AWARD_PROJECT_LEADER:
        if ctx is not None and not ctx.reading(AWARD_LEADER_CREDITS):
            return None  # the other reading: the national layer's 0 credits (视为合格) stands
        steps.append(AWARD_LEADER_CREDITS.step())
    return undetermined(activity, practitioner, ["第二十四条"], steps, HUNAN_CREDIT_RULES)


def credit(activity, practitioner, ctx=None) -> CreditAward | None:
    if activity.kind is PUBLIC_SUBJECT:
        return public_subject_credit(activity, practitioner)
    if activity.kind is not Kind.PROJECT:
        return other_kind_credit(activity, practitioner, ctx)
    if is_national_remote(activity):
        return None
    clause, undecided, missing = project_route(activity)
    if missing is not None:
        return undetermined(activity, practitioner, [clause], [undecided], missing)
    if undecided:
        return None  # recognition has already made it pending with the reason
    award = certificate_credit(activity, practitioner, clause, ctx)
    if award.status is AwardStatus.AWARDED:
        award = attrs.evolve(award, steps=(*award.steps, *(r.step() for r in route_readings(activity, clause, ctx))))
    return award


def route_readings(activity, clause, ctx) -> list:
    """The readings an awarded project's route rests on (each said in its explanation)."""
    readings = []
    if clause in ("第十九条", "第二十条") and activity.medicine is None:
        readings.append(UNSTATED_MEDICINE_WESTERN)
    if clause == "第二十条":
        readings.append(OUT_OF_PROVINCE_ROUTE)
    if clause == "第十九条" and activity.project_mode is Mode.REMOTE and (ctx is None or ctx.reading(CITY_FILING_SCOPE)):
        readings.append(CITY_FILING_SCOPE)  # a provincial remote project needs no city filing
    return readings
