"""The hook specifications: the reference for anyone writing a jurisdiction plugin.

A jurisdiction plugin is a module (or object) that implements some of these hooks with
``@jijiao.hookimpl``, shipped as its own distribution and announced by an entry point in the
``jijiao`` group::

    [project.entry-points.jijiao]
    zhejiang = "jijiao_zhejiang"

Two kinds of hooks
==================

*Registration hooks* (``jijiao_jurisdictions``, ``jijiao_documents``, ``jijiao_parameters``,
``jijiao_activity_kinds``, ``jijiao_categories``, ``jijiao_facts``, ``jijiao_requirement_kinds``,
``jijiao_forms``, ``jijiao_feature_paths``, ``jijiao_step_modules``, ``jijiao_demo``,
``jijiao_register_commands``) are called once on every plugin, to learn what it brings. What
they return is checked: a wrong type, a conflicting declaration or a hook that raises is a
registration problem reported by the plugin's name by every command and in every run
(`Registry.problems`), and the rest of the plugin's declarations still count.

*Rule hooks* (everything else) are called only on the plugins of one practitioner's or
project's jurisdiction chain -- national → province → city -- and each call names the layer
being asked in ``jurisdiction``. A plugin answers only for the jurisdictions it declared; for a
question its documents do not rule on, it returns None (or an empty list). The host calls the
layers one by one, top-down, so the cost of a record does not grow with the number of installed
jurisdictions, and no result depends on the order in which plugins were registered.

How the layers combine is stated on each hook below. In short: the most specific layer that
answers wins (a city refines its province), findings, deadlines and caps accumulate from every
layer, and a higher layer's ``binding`` answer cannot be overridden below it.

Arguments every rule hook may take (pluggy lets an implementation accept any subset):

- ``jurisdiction``: the `Jurisdiction` being asked (one of the plugin's own);
- ``ctx``: the `RuleContext` of the run: ``ctx.year``, ``ctx.params(PARAMETERS)`` for the
  policy numbers (with any what-if overrides), ``ctx.reading(READING)`` for the readings taken,
  ``ctx.projects`` for the batch of projects judged together (checks that span records).

The verdict
===========

Awards are three-valued too: besides 授予 / 不予授予 / 待审核 an award may be 无法判定
(``AwardStatus.UNDETERMINED``) where the rule that decides it is in a document we do not have; it
names the document and, where known, its ``bound`` (the most it can earn). A requirement is

- met when the awarded credits reach it;
- unmet when even the awarded credits plus every undetermined award's bound cannot reach it;
- undetermined otherwise (its number unknown, or an undetermined award without a bound).

And the year (after deeming, which meets the requirements of the categories it covers):

=====================================  ==========
any requirement unmet                  不合格
else every requirement met, or deemed  合格
else                                   无法判定
=====================================  ==========

A definite failure decides whatever else is unknown; unknowns never count as 0 or as met. The
one reason that decides is ``AnnualResult.reason``. Never a year judged without its rules: a
level of the chain whose rules do not exist for the year (below), or that has no installed
plugin and that no installed level below speaks for (no `MissingDocument` names it as
``owner``: 广东省 under the national rules alone; 温州 and 长沙 do name their provinces' rules),
makes a year that would be 合格 无法判定, naming the gap first and what the applied rules found
after it ("广东省（440000）：未安装该地区的规则插件，其规则未适用，该层级本年度的要求无从评定；按已
适用的规则可判为合格（……）"): its requirements cannot be met, nor judged by a later year's
rules. A definite failure under the rules we apply still decides (不合格). A city or county with
no plugin under an installed province (沈阳市 under 辽宁省) is governed by the province's rules
(`MissingLayer.governed_by`, "按辽宁省的规则评定"): no gap.

Rules in force by date
======================

Every `Document` has its period: ``effective_from`` (its date of effect, or its date of issue
where it says 自印发/发布之日起施行) to ``effective_until``; ``effect_unknown`` where the date of
effect is in a part we do not hold (then `Document.in_force` answers None, never a guess);
``repeals`` names what it repeals. Which date judges what:

- a year's annual rules (requirements, caps, deemings, the year's findings) are those in force on
  its **last day** -- the day its credits are counted; `Document.governs_year`;
- an activity is judged by the rules in force on **its own date** (its credit and recognition
  hooks see ``ctx.on`` = the activity's date, so dated parameters and `Document.in_force(
  ctx.judged_on)` follow it); one without a date by its year's. An activity done before every
  document of a layer took effect (Changsha's, on 2022-04-14, for an activity of 2022-04-13)
  was done under that layer's earlier rules, which we do not hold: the host leaves the layer out
  for that activity (`Registry.chain_on`), so its credit is 无法判定 naming the gap -- never the
  later document's credit, never 0 -- at most the certificate's credits (or the hours recorded,
  for a category in hours, read from the year's rules), and higher layers in force that day
  still decide (a binding national recognition stands). It still counts in its year;
- a project is judged by the rules of the year it starts (else the run's year);
- a year before any document of a level, or after the last one ends, has no rules of that level:
  the host (`Registry.chain(code, year)`) leaves the level out as a *missing layer* whose reason
  says what governed instead, as far as our documents say ("辽宁省：2021 年度没有在册的有效文件；
  当时施行的是辽继医教发〔2007〕12号（未收录）"). No hook of that plugin is called for that year,
  so no plugin compares dates by hand; an activity no remaining layer credits is 无法判定.
- A `Parameter` may have several versions (the same key listed with different ``since``):
  ``ctx.params`` gives the version in force on ``ctx.judged_on`` (``ctx.on``, else the last day of
  ``ctx.year``); before the first ``since`` the value is None and the rule says the number is
  missing. A what-if override applies on top, whatever the date. ``jijiao params KEY`` shows the
  history; ``jijiao plugins --year Y`` what is in force in Y.
- A plugin that holds several documents in time asks `Document.in_force(ctx.judged_on)` for the
  rules that belong to one document only (national: 20号 beside 702号).

A hook that raises is reported as a finding naming the plugin; other jurisdictions' results
are unaffected.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "jijiao"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# ---------------------------------------------------------------------------------------------
# Registration: what a plugin brings
# ---------------------------------------------------------------------------------------------


@hookspec
def jijiao_jurisdictions():
    """Return the `Jurisdiction` values this plugin makes rules for.

    A jurisdiction code may be claimed by one plugin only; two plugins claiming the same code
    are both reported and neither is used for it (so the result never depends on which loaded
    first).
    """


@hookspec
def jijiao_documents():
    """Return the `Document` values (with their `Clause` lists) this plugin's rules cite.

    Every `ClauseRef` a plugin puts in an award, finding, deadline or parameter must point to a
    clause listed here; ``jijiao coverage`` reports, per document, which computable clauses
    have scenarios.
    """


@hookspec
def jijiao_parameters():
    """Return the policy numbers this plugin uses, as a `ParameterSet` (or a list of them).

    A set has the namespace the plugin declares (``liaoning``) and its `Parameter` values, each
    with a key, a value, a unit and the clause it comes from. Rules read them through
    ``ctx.params(PARAMETERS)`` -- the set itself, not a name -- and never write the numbers
    themselves, so that a what-if run (``jijiao assess --set liaoning.annual_credits=30``) can
    change them. Two plugins declaring one namespace are both reported and neither is used.
    """


@hookspec
def jijiao_activity_kinds():
    """Return the kinds of activity (`ActivityKind`) this plugin's documents name.

    Files and scenarios give an activity's kind by its code or its Chinese label; a kind no
    installed plugin declares is an import error. A plugin may use kinds another plugin declares
    (a province's rules judge the national kinds): import them from that plugin's package.
    A code declared by two plugins is a registration problem.
    """


@hookspec
def jijiao_categories():
    """Return the credit categories (`Category`) this plugin's documents name (Ⅰ类学分 ...).

    A category in 学分 adds up to the year's credits; one in 学时 (长沙's public subjects) does
    not. Each category becomes a column of ``annual_results``.
    """


@hookspec
def jijiao_facts():
    """Return the facts (`Fact`) this plugin's rules read that core's models do not hold.

    A fact of record ``activity`` is a column of the activity files and table, read by rules as
    ``FACT.of(activity)``; one of record ``application`` or ``execution`` is a column of a
    project's application or execution (``application_<name>`` in flat files). Labels, types,
    units and personal marks come from here for the importers, docs/data-format.md, the step
    tables and Datasette. Two plugins may declare the same fact only identically.
    """


@hookspec
def jijiao_requirement_kinds():
    """Return the kinds of annual requirement (`RequirementKind`) this plugin declares.

    A requirement a rule returns must be of a declared kind; a kind's ``replaces`` must name a
    declared kind. See `jijiao_annual_requirements` for how kinds combine across layers.
    """


@hookspec
def jijiao_readings():
    """Return the `Reading` values this plugin takes of clauses the documents leave open.

    Rules ask ``ctx.reading(READING)`` -- True while the reading taken applies, False where a
    what-if switched a ``switchable`` reading to its alternative -- and put ``READING.step(...)``
    in the explanation of every result that depends on it, so every reading is said in the
    output, not only in code.
    """


@hookspec
def jijiao_missing_documents(jurisdiction):
    """Return the `MissingDocument` values this jurisdiction's rules depend on but we do not have.

    Every result for a practitioner or project on a chain through this jurisdiction lists them,
    so nobody mistakes an unapplied rule for a met one. A document that another jurisdiction is
    expected to supply names it as ``owner`` (a city names its province's rules): where the
    owner's plugin is installed on the chain, the host drops the entry and the owner's own
    answer stands.
    """


@hookspec
def jijiao_forms():
    """Return the official forms (`jijiao.forms.Form`) this plugin can fill in as .xlsx.

    ``jijiao forms`` lists them and ``jijiao forms make NAME`` fills one from the data.
    """


@hookspec
def jijiao_feature_paths():
    """Return the folders (`pathlib.Path`) of zh-CN ``.feature`` files this plugin ships.

    ``jijiao coverage`` and ``jijiao check-features`` read them to report, per document, which
    clauses the plugin's scenarios cover; the pytest plugin ``jijiao.testing`` runs them. A
    plugin with none returns nothing.
    """


@hookspec
def jijiao_step_modules():
    """Return the names of modules of Gherkin steps this plugin adds to the shared vocabulary.

    Steps are declared with `jijiao.steps.step`, so ``jijiao steps`` lists them with the
    rest. Use them for what only this plugin's documents speak of.
    """


@hookspec
def jijiao_demo(demo):
    """Add this plugin's part of the demo population (``jijiao demo``) to ``demo``.

    ``demo`` is a `jijiao.demo.Demo`: its seeded ``rng`` and ``fake`` (Faker zh_CN), the
    ``year``, the population ``size`` and ``add_practitioner``, ``add_project`` and
    ``add_activity`` to contribute records. Each plugin draws the practitioners, projects and
    activities its own rules speak of, so a new region appears in the demo with its plugin and
    core's demo code holds no region's rules. Called once per plugin, in plugin-name order.
    """


@hookspec
def jijiao_register_commands(cli):
    """Add click commands of this plugin's own to the ``jijiao`` command group."""


# ---------------------------------------------------------------------------------------------
# Credits for one activity
# ---------------------------------------------------------------------------------------------


@hookspec
def jijiao_recognize(activity, practitioner, jurisdiction, ctx):
    """Decide whether ``activity`` counts in this jurisdiction at all: a `Recognition` or None.

    Asked before any credit is computed. Combination: a ``binding`` answer from a higher layer is
    final (702号 一: national remote projects count everywhere, so no province or city may refuse
    them); otherwise the most specific layer that answers wins. No answer means recognised.
    A refused or pending recognition makes the activity's award refused or pending, with the
    recognition's clause and reason.
    """


@hookspec
def jijiao_credit(activity, practitioner, jurisdiction, ctx):
    """Compute the credit for one ``activity``: a `CreditAward`, or None where silent.

    Combination: the most specific layer that answers wins (a city's rule replaces its
    province's; a province's replaces the national one) -- unless a higher layer's award is
    ``binding``: then it stands, and lower layers' answers are noted as overruled. The award
    explains itself: its
    ``steps`` name every number used and its ``clauses`` every clause applied. Per-activity
    ceilings (10 credits per face-to-face project) are applied here; annual ceilings are
    `Cap` values from ``jijiao_annual_caps``, matched by the award's ``cap_group``.
    An activity no layer answers for is refused as "no rule of this chain grants credit for it".
    """


# ---------------------------------------------------------------------------------------------
# The year
# ---------------------------------------------------------------------------------------------


@hookspec
def jijiao_year_awards(practitioner, activities, awards, year, jurisdiction, ctx):
    """Restate, in view of the whole year, the awards this jurisdiction's rules decided.

    Return the year's awards (the same activities, in the same order) with this layer's own
    awards restated, or None to leave them as they are. For rules that judge records together:
    辽宁方案 三(五) counts records adding up to 3 months as the year's 25 credits, not each at its
    hourly rate. Called after every activity is judged and before deeming, void credits, caps
    and requirements; layers are asked top-down, each seeing the previous layers' restatement.
    The host refuses (as a plugin error) a list of other activities or a changed award that
    another layer decided. A restatement that applies a ceiling across records (三(一): one
    project's credits across all of its records) returns a `RestatedAwards` instead, with a
    `CapApplication` per ceiling that cut, naming the project and its records; the host keeps
    them with the annual caps' (``cap_applications``, the person's page).
    """


@hookspec
def jijiao_annual_caps(practitioner, year, jurisdiction, ctx):
    """Return the annual ceilings (`Cap`) this jurisdiction sets, as a list.

    Combination: caps accumulate from every layer; each is applied to the awards in its groups,
    cutting the latest activities first, and each cut is recorded as a `CapApplication`.
    """


@hookspec
def jijiao_annual_requirements(practitioner, year, jurisdiction, ctx):
    """Return this jurisdiction's annual requirements (`Requirement`) for ``practitioner``.

    Combination: by declared `RequirementKind`. A layer's requirement replaces, from the layers
    above it, the requirements of its own kind and of every kind its kind ``replaces``;
    requirements of unrelated kinds all apply. A requirement of an undeclared kind is a plugin
    error (a finding naming the plugin), never a silent extra requirement. A requirement whose
    number depends on a document we do not have has ``required=None`` and names the document.
    """


@hookspec
def jijiao_category_makeup(practitioner, year, jurisdiction, ctx):
    """Return a `CategoryMakeup` if credits of one category may make up another's shortfall.

    It matters where the annual requirements are split by category (Ⅰ类 at least so many, Ⅱ类 at
    least so many): a shortfall in one may be covered by the other's surplus, up to
    ``share_pct`` of the receiving requirement's total (702号 三: "所补充比例不得超过该类别学分总值的
    50%"). Combination: the most specific layer that answers wins.
    """


@hookspec
def jijiao_deemed_complete(practitioner, activities, awards, year, jurisdiction, ctx):
    """Return a `DeemedComplete` if this jurisdiction deems the year complete, else None.

    ``activities`` are the practitioner's activities of the year; ``awards`` their awards
    (after recognition, before caps). Combination: any layer's deeming counts, and a lower
    layer cannot undo a higher one's.
    """


@hookspec
def jijiao_annual_findings(practitioner, activities, awards, year, jurisdiction, ctx):
    """Return findings (`Finding`) about a practitioner's year as a whole (e.g. credits void
    for falsification, late registrations). Combination: findings accumulate from every layer.
    A finding whose ``voids`` names activities makes their credits void: the host refuses those
    awards before it judges the year's requirements.
    """


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------


@hookspec
def jijiao_project_findings(project, jurisdiction, ctx):
    """Check a project -- its application and, where given, its execution -- and return findings.

    Severity ``refused`` means the application is not accepted (不予受理); ``violation`` is a
    breach found in execution, with the consequence the document names; ``warning`` is a
    "should" (一般应) not met; ``note`` is information. Combination: findings accumulate from
    every layer of the project's chain.
    """


@hookspec
def jijiao_spot_check_plan(projects, year, seed, jurisdiction, ctx):
    """Draw a reproducible spot-check plan over a year's ``projects``: a list of `SpotCheck`.

    Only jurisdictions whose documents order spot checks answer. The same ``seed`` must give
    the same plan. Combination: the plans of every layer are listed together.
    """


# ---------------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------------


@hookspec
def jijiao_project_deadlines(project, jurisdiction, ctx):
    """Return the deadlines (`Deadline`) that apply to one project, with ``done_at`` filled in
    from the project's record where it says when the act was done. A ``done_at`` after ``due``
    is reported by the host as one finding of the deadline's ``late_severity`` (违规 by default;
    不予受理 for an application after its window) naming its ``consequence``: do not report the
    same late act again as a finding of your own. Combination: accumulate from every layer.
    """


@hookspec
def jijiao_activity_deadlines(activity, practitioner, jurisdiction, ctx):
    """Return the deadlines that apply to one activity (e.g. registering it by the end of next
    January), with ``done_at`` where known. Combination: accumulate from every layer.
    """


@hookspec
def jijiao_calendar(year, jurisdiction, ctx):
    """Return the jurisdiction-wide deadlines of ``year`` (application windows, plan dates,
    unit reports). Combination: accumulate from every layer.
    """
