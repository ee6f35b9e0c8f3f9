"""辽宁省: the provincial layer, from 辽宁省继续医学教育学分管理实施方案（试行）（征求意见稿）
(``ln-credit-scheme``) and 辽卫办发〔2026〕56号 (``ln-2026-56``).

What it decides (the rule modules say how, and why where the text is open):
- `credits`: project credits and their three conditions, further/degree study, practice,
  government tasks, out-of-province and remote recognition, voided falsified credits;
- `self_study`: the fourteen kinds of planned self-study;
- here: the annual caps, the 25-credit requirement and the years deemed complete;
- `deadlines`, `execution`, `spot_checks`: registrations and their dates, the execution
  checks of 56号 四, the seeded spot-check plans of 56号 三(二).

What it declares (`vocabulary`): the fifteen kinds of planned self-study (cases of the national
有计划的自学), the facts of an activity and of a project's execution its rules read, and the
journal tiers and patent kinds they take. The national kinds, credit categories and the kind of
the annual requirement are the national plugin's, imported from `jijiao_national.vocabulary`.
`readings` declares how it reads the clauses the scheme leaves open (one of them,
``liaoning.remote_three_steps``, can be switched by a what-if); every award resting on one says so.

Residency, specialist and assistant-GP training are left to the national layer (702号), which
deems the year complete; Liaoning's scheme adds nothing to them.
"""

from jijiao import hookimpl
from jijiao.features import workspace_features
from jijiao.models import Cap, DeemedComplete, Jurisdiction, Requirement
from jijiao_national.vocabulary import Credits, Kind, Requirements

from . import credits as credit_rules
from . import deadlines, execution, self_study, spot_checks
from .documents import CREDIT_SCHEME, NOTICE_2026_56, PROVINCIAL_MANAGEMENT_RULES
from .parameters import PARAMETERS
from .readings import MONTHS_ADDED_UP, READINGS
from .rules import PRACTICE_GROUP, SELF_GROUPS, Judge, plain
from .vocabulary import FACTS, KINDS, SelfStudy

JURISDICTION = Jurisdiction(code="210000", name="辽宁省", level="provincial", parent="000000")
S = CREDIT_SCHEME


@hookimpl
def jijiao_jurisdictions():
    return [JURISDICTION]


@hookimpl
def jijiao_documents():
    return [CREDIT_SCHEME, NOTICE_2026_56]


@hookimpl
def jijiao_parameters():
    return PARAMETERS


@hookimpl
def jijiao_readings():
    return READINGS


@hookimpl
def jijiao_activity_kinds():
    return KINDS


@hookimpl
def jijiao_facts():
    return FACTS


@hookimpl
def jijiao_feature_paths():
    return workspace_features(__file__, "liaoning")


@hookimpl
def jijiao_missing_documents(jurisdiction):
    return [PROVINCIAL_MANAGEMENT_RULES]


# --- one activity -----------------------------------------------------------------------------


@hookimpl
def jijiao_recognize(activity, jurisdiction):
    return credit_rules.recognise(activity, jurisdiction)


@hookimpl
def jijiao_credit(activity, practitioner, jurisdiction, ctx):
    p = ctx.params(PARAMETERS)
    judge = Judge(activity, practitioner, jurisdiction)
    kind = activity.kind
    if kind is Kind.PROJECT:
        return credit_rules.project_credit(judge, p, ctx)
    if kind in credit_rules.STUDY_CLAUSES:
        return credit_rules.study_credit(judge, p)
    if kind is Kind.PRACTICE:
        return credit_rules.practice_credit(judge, p)
    if kind in self_study.RULES:
        return self_study.self_study_credit(judge, p)
    return None


# --- the year ----------------------------------------------------------------------------------


def _cap(name, limit, groups, clause, jurisdiction, description):
    return Cap(name, limit, tuple(groups), S.ref(clause), jurisdiction.code, description)


@hookimpl
def jijiao_annual_caps(jurisdiction, ctx):
    p = ctx.params(PARAMETERS)
    g = SELF_GROUPS
    return [
        _cap("ln.practice", p.practice_annual_max, [PRACTICE_GROUP], "三(四)", jurisdiction, "有组织的继续医学教育实践活动"),
        _cap("ln.self_study", p.self_study_annual_max, sorted(g.values()), "三(六)", jurisdiction, "有计划的自学（合计）"),
        _cap("ln.self.teaching", p.teaching_annual_max, [g[SelfStudy.TEACHING]], "三(六)1(授课带教)", jurisdiction, "授课或带教"),
        _cap("ln.self.exam", p.exam_annual_max, [g[SelfStudy.EXAM_SETTING]], "三(六)2", jurisdiction, "考试命题或考官"),
        _cap("ln.self.report", p.report_annual_max, [g[SelfStudy.REPORT]], "三(六)5", jurisdiction, "专题研究报告"),
        _cap("ln.self.patent", p.patent_annual_max, [g[SelfStudy.PATENT]], "三(六)10", jurisdiction, "专利"),
        _cap("ln.self.health_education", p.health_education_annual_max, [g[SelfStudy.HEALTH_EDUCATION]], "三(六)11", jurisdiction, "健康宣教或科普"),
        _cap("ln.self.plan", p.self_plan_annual_max, [g[SelfStudy.PLAN]], "三(六)12", jurisdiction, "自学计划"),
    ]


@hookimpl
def jijiao_annual_requirements(jurisdiction, ctx):
    p = ctx.params(PARAMETERS)
    return [
        # The national kind itself: Liaoning's 25 credits replace the national number.
        Requirement(
            kind=Requirements.ANNUAL_CREDITS, categories=(Credits.CLASS_I, Credits.CLASS_II),
            required=p.annual_credits, unit="学分", clause=S.ref("一"), jurisdiction=jurisdiction.code,
        )
    ]


@hookimpl
def jijiao_year_awards(activities, awards, year, jurisdiction, ctx):
    """Rules over several records of the year: 三(二)(三)(五) records of one kind whose months add up
    to 3 count 25 credits together (`credits.deemed_by_months`), instead of each record's hourly
    credits; 三(一) one project's credits are capped across all of its records
    (`credits.project_ceiling_across_records`)."""
    p = ctx.params(PARAMETERS)
    awards = credit_rules.deemed_by_months(awards, activities, year, p, jurisdiction.code)
    return credit_rules.project_ceiling_across_records(awards, activities, p, jurisdiction.code, ctx.projects)


@hookimpl
def jijiao_deemed_complete(activities, year, jurisdiction, ctx):
    """三(二)(三)(五): 3 months in the year (with a pass, for study) complete the year.

    Reading: the months are added up per kind ("当年累计"), each clause counting its own kind;
    the records so added up count 25 credits together (`credits.deemed_by_months`).
    """
    p = ctx.params(PARAMETERS)
    for kind, (months, ids) in credit_rules.months_by_kind(activities, year, p).items():
        if months >= p.deemed_months:
            passed = "并经考核合格" if kind is not Kind.GOVERNMENT_TASK else ""
            added_up = f"；{MONTHS_ADDED_UP.step()}" if len(ids) > 1 else ""
            return DeemedComplete(
                jurisdiction.code, S.ref(credit_rules.STUDY_CLAUSES[kind]),
                f"当年{kind.zh}累计 {plain(months)} 个月（满 {plain(p.deemed_months)} 个月）{passed}，视为完成当年继续医学教育 {plain(p.annual_credits)} 学分{added_up}",
                tuple(ids),
            )
    return None


# --- projects and deadlines ----------------------------------------------------------------------


@hookimpl
def jijiao_project_findings(project, jurisdiction, ctx):
    return execution.project_findings(project, jurisdiction, ctx.params(PARAMETERS))


@hookimpl
def jijiao_spot_check_plan(projects, year, seed, jurisdiction, ctx):
    return spot_checks.plan(projects, year, seed, jurisdiction, ctx.params(PARAMETERS))


@hookimpl
def jijiao_project_deadlines(project, jurisdiction, ctx):
    return deadlines.project_deadlines(project, jurisdiction, ctx.params(PARAMETERS))


@hookimpl
def jijiao_activity_deadlines(activity, jurisdiction, ctx):
    return deadlines.activity_deadlines(activity, jurisdiction, ctx.params(PARAMETERS))


@hookimpl
def jijiao_calendar(year, jurisdiction, ctx):
    return deadlines.calendar(year, jurisdiction, ctx.params(PARAMETERS))
from .demo import jijiao_demo  # noqa: F401,E402  (the demo hook lives in demo.py)
