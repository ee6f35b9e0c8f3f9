"""温州市 (330300, under 浙江省 330000): the rules of 温卫发函〔2026〕17号.

The notice is about applying for and running 2026 city-level (市级) projects; its users are the
units that apply and the city CME office that reviews. What this layer decides:
- the application checks of 一 and 二(一) -- leader, teachers, refusals, name, credits, enrolment,
  sessions, attendance, quotas, the application window (`checks`);
- the round's dates and each project's deadlines, to the minute in Beijing time (`dates`);
- the unit's summary table, 附件1, as .xlsx (`summary`).

The checks across applications -- 每人仅可申请1项, the unit's quota, 同一项目只能通过一家单位申报 --
count the batch the host gives (``ctx.projects``: the file's in ``jijiao check-project``, the
year's in ``jijiao assess``); the typed counts stand only for applications outside it.

What it declares: the facts of a city project's application its rules read (`vocabulary`),
its policy numbers (`parameters`), its readings of what the notice leaves open (`readings`,
each said in the findings that rest on it) and its scenarios (``features/wenzhou``).

What it does not decide: a Wenzhou practitioner's annual credits. Those come from Zhejiang's
provincial rules, which we do not have (and no 浙江省 plugin ships with jijiao): the chain names
the missing layer, and `jijiao_missing_documents` names the document, owned by 浙江省, so a year
is 无法判定 -- until a Zhejiang plugin is installed, which then speaks for its own rules.
"""

from jijiao import hookimpl
from jijiao.features import workspace_features

from . import checks, dates
from .documents import WENZHOU, WZ_2026_17, ZHEJIANG_CREDIT_RULES
from .parameters import PARAMETERS
from .readings import READINGS
from .summary import SUMMARY_FORM
from .vocabulary import FACTS

JURISDICTION = WENZHOU


@hookimpl
def jijiao_jurisdictions():
    return [WENZHOU]


@hookimpl
def jijiao_documents():
    return [WZ_2026_17]


@hookimpl
def jijiao_parameters():
    return PARAMETERS


@hookimpl
def jijiao_facts():
    return FACTS


@hookimpl
def jijiao_readings():
    return READINGS


@hookimpl
def jijiao_feature_paths():
    return workspace_features(__file__, "wenzhou")


@hookimpl
def jijiao_missing_documents(jurisdiction):
    return [ZHEJIANG_CREDIT_RULES]


@hookimpl
def jijiao_forms():
    return [SUMMARY_FORM]


@hookimpl
def jijiao_project_findings(project, jurisdiction, ctx):
    return checks.review(project, jurisdiction.code, ctx.params(PARAMETERS), ctx)


@hookimpl
def jijiao_project_deadlines(project, jurisdiction, ctx):
    return dates.project_deadlines(project, jurisdiction.code, ctx.params(PARAMETERS))


@hookimpl
def jijiao_calendar(year, jurisdiction, ctx):
    return dates.calendar(year, jurisdiction.code, ctx.params(PARAMETERS))
from .demo import jijiao_demo  # noqa: F401,E402  (the demo hook lives in demo.py)
