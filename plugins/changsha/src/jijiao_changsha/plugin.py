"""长沙市: the rules of 长沙市继续医学教育管理办法（试行） (2022-04-14), a layer under 湖南省.

What it decides (quoted clauses in `documents`):
- the year has two parts (第九条): public subjects by hours (`year`), professional subjects by
  credits under Hunan's rules -- which we do not have, so that part has no number unless a what-if
  sets it, and the result says so;
- which route enters a project's credits and when they exist (第十二条, 第十九—二十二条), credits
  only in their own year (第二十三条, 第二十五条), falsification voids the year (第二十六条):
  `credits` and `year`;
- filings, plans, accounts and reports with their deadlines (第七条, 第十条, 第十一条, 第十四条):
  `projects`; the forms 附件1 and 附件2: `forms`.

Staff transfers (第十八条): the province's platform moves a person between units by ID number
(调出 / 调入), and the person's credits move with them. We model that by never reading the unit:
every rule here judges an activity by its facts and the person's id, so the same activities give
the same year in any Changsha unit (features/changsha/人员调动.feature checks it).

Where the rule is Hunan's (第二十四条) or the higher authorities' (第二十二条) the credit is
undetermined (无法判定), naming the document, at most the certificate's credits (`credits`); its
readings of open clauses are declared in `readings`.

The chain is 全国 → 湖南省 → 长沙市; 湖南省 has no plugin (its rules, 湘卫科教发〔2016〕9号, are
not in our collection), so every result names it as a missing layer and a missing document.
"""

from jijiao import hookimpl
from jijiao.features import workspace_features

from . import credits, projects
from . import year as annual
from .documents import CHANGSHA, CS_2022_CME, HIGHER_TCM_RULES, HUNAN_CREDIT_RULES
from .forms import FORMS
from .parameters import PARAMETERS
from .readings import READINGS
from .vocabulary import CATEGORIES, FACTS, KINDS, REQUIREMENT_KINDS

JURISDICTION = CHANGSHA


@hookimpl
def jijiao_jurisdictions():
    return [CHANGSHA]


@hookimpl
def jijiao_documents():
    return [CS_2022_CME]


@hookimpl
def jijiao_activity_kinds():
    return KINDS


@hookimpl
def jijiao_categories():
    return CATEGORIES


@hookimpl
def jijiao_facts():
    return FACTS


@hookimpl
def jijiao_requirement_kinds():
    return REQUIREMENT_KINDS


@hookimpl
def jijiao_feature_paths():
    return workspace_features(__file__, "changsha")


@hookimpl
def jijiao_parameters():
    return PARAMETERS


@hookimpl
def jijiao_missing_documents(jurisdiction):
    # Hunan's rules are Hunan's to supply (owner 430000): with a Hunan plugin installed the host
    # drops them from this list and the province's own answer stands.
    return [HUNAN_CREDIT_RULES, HIGHER_TCM_RULES]


@hookimpl
def jijiao_forms():
    return FORMS


@hookimpl
def jijiao_readings():
    return READINGS


@hookimpl
def jijiao_recognize(activity, ctx):
    return credits.recognise(activity, ctx)


@hookimpl
def jijiao_credit(activity, practitioner, ctx):
    return credits.credit(activity, practitioner, ctx)


@hookimpl
def jijiao_annual_requirements(ctx):
    return annual.requirements(ctx)


@hookimpl
def jijiao_annual_findings(practitioner, activities, awards, year, ctx):
    return annual.findings(practitioner, activities, awards, year, ctx)


@hookimpl
def jijiao_project_findings(project, ctx):
    return projects.filing_findings(project, ctx)


@hookimpl
def jijiao_project_deadlines(project, ctx):
    return projects.project_deadlines(project, ctx)


@hookimpl
def jijiao_calendar(year, ctx):
    return projects.calendar(year, ctx)
from .demo import jijiao_demo  # noqa: F401,E402  (the demo hook lives in demo.py)
