"""The host: asks each layer of a chain and combines the answers as `hookspecs` documents.

This module is where the combination rules live -- the most specific layer wins, findings
accumulate, a higher layer's binding answer stands -- so that no plugin has to know about the
others, and no result depends on the order plugins were registered in.

Entry points: `judge_activity`, `assess_year`, `check_project`, `project_deadlines`,
`activity_deadlines`, `calendar`, `spot_check_plan`.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from time import perf_counter
from decimal import Decimal
from typing import Iterable

import attrs

from .models import (
    Activity,
    AnnualResult,
    AwardStatus,
    Cap,
    CapApplication,
    CategoryMakeup,
    CreditAward,
    Deadline,
    DeemedComplete,
    Finding,
    MissingDocument,
    Practitioner,
    Project,
    Recognition,
    RecognitionStatus,
    Requirement,
    RestatedAwards,
    RequirementKind,
    RequirementResult,
    Severity,
    SpotCheck,
    amend,
)
from .plugins import Chain, PluginFailure, RuleContext
from .plugins import parameter_value_text as number_text


ANSWER_TYPES: dict[str, tuple[type, bool]] = {
    # hook -> (the type of its answer or of each item, whether the answer is a list of them)
    "jijiao_recognize": (Recognition, False),
    "jijiao_credit": (CreditAward, False),
    "jijiao_category_makeup": (CategoryMakeup, False),
    "jijiao_deemed_complete": (DeemedComplete, False),
    "jijiao_annual_caps": (Cap, True),
    "jijiao_annual_requirements": (Requirement, True),
    "jijiao_annual_findings": (Finding, True),
    "jijiao_project_findings": (Finding, True),
    "jijiao_project_deadlines": (Deadline, True),
    "jijiao_activity_deadlines": (Deadline, True),
    "jijiao_calendar": (Deadline, True),
    "jijiao_missing_documents": (MissingDocument, True),
    "jijiao_year_awards": (CreditAward, True),
    "jijiao_spot_check_plan": (SpotCheck, True),
}
"""What each rule hook must answer: a wrong type is the plugin's error, reported like a raise."""

CALL_BUDGET_SECONDS = 2.0
"""A single rule call taking longer than this is reported as the plugin's error (its answer is
not used), so a plugin that hangs on one record shows up by name instead of silently."""


class HookPlan:
    """How one hook is called on one chain, worked out once per chain (`plan`): for each layer
    implementing it, top-down, the plugin's name, the layer's code and jurisdiction, the
    function and what picks the arguments it takes from the host's (`arguments`); and the type
    its answer must have (`ANSWER_TYPES`). A province's year calls each rule hook millions of
    times: nothing of this is looked up again per call."""

    __slots__ = ("calls", "expected", "listed", "chain_wide")

    def __init__(self, chain: Chain, hook_name: str):
        self.expected, self.listed = ANSWER_TYPES.get(hook_name, (object, False))
        implementations = chain.implementations(hook_name)
        self.calls = tuple(
            (layer.plugin_name, layer.jurisdiction.code, layer.jurisdiction, function, arguments(argnames))
            for layer, function, argnames in implementations
        )
        # No layer takes anything of the person (`chain_wide_layers` asks it once per chain).
        self.chain_wide = all(CHAIN_WIDE_ARGUMENTS.issuperset(argnames) for *_rest, argnames in implementations)

    def well_typed(self, answer) -> bool:
        expected = self.expected
        if not self.listed:
            return isinstance(answer, expected)
        return isinstance(answer, (list, tuple)) and all(item.__class__ is expected or isinstance(item, expected) for item in answer)


def arguments(argnames: tuple[str, ...]):
    """A function from the host's keyword arguments to the tuple of those ``argnames`` takes, in
    order: an ``itemgetter`` (one C call, where a list built per call cost a rule call a third
    of a microsecond more), made a tuple where it picks only one or none."""
    if len(argnames) > 1:
        return itemgetter(*argnames)
    if argnames:
        name = argnames[0]
        return lambda kwargs: (kwargs[name],)
    return lambda kwargs: ()


def plan(chain: Chain, hook_name: str) -> HookPlan:
    """The chain's `HookPlan` for ``hook_name``, made on first use."""
    found = chain.plans.get(hook_name)
    if found is None:
        found = chain.plans[hook_name] = HookPlan(chain, hook_name)
    return found


def call_layers(chain: Chain, hook_name: str, **kwargs) -> list[tuple[str, object]]:
    """Call ``hook_name`` on each layer of the chain, top-down: [(jurisdiction code, answer)].

    Only the plugins of this chain are called. Every rule call goes through here: a plugin that
    raises, answers with the wrong type (`ANSWER_TYPES`) or takes longer than
    `CALL_BUDGET_SECONDS` becomes a `PluginFailure` naming it and the hook.
    """
    answers = []
    hook = chain.plans.get(hook_name) or plan(chain, hook_name)
    expected = hook.expected
    for plugin, code, jurisdiction, function, taken in hook.calls:
        kwargs["jurisdiction"] = jurisdiction
        started = perf_counter()
        try:
            answer = function(*taken(kwargs))
        except Exception as error:
            raise PluginFailure(plugin, hook_name, error) from error
        spent = perf_counter() - started
        if spent > CALL_BUDGET_SECONDS:
            raise PluginFailure(plugin, hook_name, TimeoutError(
                f"one call took {spent:.1f} s (budget {CALL_BUDGET_SECONDS} s)"))
        if answer is not None and (hook.listed or answer.__class__ is not expected) and not hook.well_typed(answer):
            raise PluginFailure(plugin, hook_name, TypeError(
                f"answered {type(answer).__name__}; expected {'a list of ' if hook.listed else ''}{expected.__name__}"))
        answers.append((code, answer))
    return answers


CHAIN_WIDE_ARGUMENTS = frozenset({"year", "jurisdiction", "ctx"})
"""The arguments of a hook of the year that are the same for every practitioner on a chain."""


def chain_wide_layers(ctx: RuleContext, chain: Chain, hook_name: str, **kwargs) -> list[tuple[str, object]]:
    """`call_layers` for a hook of the year (the caps, the requirements, the make-up), asked once
    per chain, year and day of the run where no layer's implementation takes anything of the
    person (only ``year``, ``jurisdiction``, ``ctx``: liaoning's caps, every installed plugin's
    requirements): their answer is then the same for every practitioner on the chain, and a
    province's year would otherwise build the same caps and requirements 400,000 times.

    Safe because the key holds all that such an implementation is given: the hook, the chain
    (its code and year, and the layers called: a chain of a day, `Registry.chain_on`, may have
    fewer), the year and the day judged (``ctx.on``, which decides the parameters' version);
    the rest of ``ctx`` (overrides, readings switched, as-of) is fixed for the context, whose memo
    this is (`RuleContext.chain_answers`, not shared with a context evolved from it). What the
    first call read is noted again on every later one (a what-if by dependency, whatif.py, sees
    the same reads); a failure is not kept, so every practitioner's year reports it as before.
    Answers are frozen models; the list is copied for each caller."""
    hook = chain.plans.get(hook_name) or plan(chain, hook_name)
    if not hook.chain_wide:
        return call_layers(chain, hook_name, ctx=ctx, **kwargs)
    key = (hook_name, chain.key, chain.codes, kwargs.get("year"), ctx.on)
    found = ctx.chain_answers.get(key)
    if found is None:
        before = ctx.took()
        try:
            answers = call_layers(chain, hook_name, ctx=ctx, **kwargs)
            found = ctx.chain_answers[key] = (answers, ctx.took())
        finally:
            ctx.reads |= before
    ctx.reads |= found[1]
    return list(found[0])


def _accumulate(chain: Chain, hook_name: str, **kwargs) -> list:
    return [item for _code, answer in call_layers(chain, hook_name, **kwargs) for item in (answer or ())]


def failure_finding(subject: str, failure: PluginFailure, chain: Chain) -> Finding:
    code = next((l.jurisdiction.code for l in chain.layers if l.plugin_name == failure.plugin), chain.code)
    return Finding(
        subject=subject,
        jurisdiction=code,
        severity=Severity.ERROR,
        clause=None,
        message=f"规则插件 {failure.plugin} 在 {failure.hook} 中出错（{type(failure.error).__name__}: {failure.error}），该结果未能判定",
    )


def missing_layer_notes(subject: str, chain: Chain) -> list[Finding]:
    return [
        Finding(subject=subject, jurisdiction=m.code, severity=Severity.NOTE, clause=None, message=f"{m}")
        for m in chain.missing if m.governed_by is None  # (a level governed from above: in missing_layers only)
    ]


def missing_documents(ctx: RuleContext, chain: Chain) -> tuple[MissingDocument, ...]:
    """What the chain's rules depend on but we do not have: the same for every practitioner on
    the chain, so asked once per chain and run.

    A document owned by another jurisdiction that is itself a layer of the chain is dropped: the
    owner's plugin says for itself what it lacks (a city cannot know what its installed
    province holds). A document issued after the chain's year governs none of it: not named."""
    documents = ctx.missing_documents.get(chain.key)
    if documents is None:
        layers, before = set(chain.codes), ctx.took()
        try:
            documents = ctx.missing_documents[chain.key] = tuple(
                document
                for code, answer in call_layers(chain, "jijiao_missing_documents", ctx=ctx)
                for document in answer or ()
                if (document.owner is None or document.owner == code or document.owner not in layers)
                and (chain.year is None or document.issued_year is None or document.issued_year <= chain.year)
            )
            ctx.chain_reads[chain.key] = ctx.took()
        finally:
            ctx.reads |= before
    ctx.reads |= ctx.chain_reads[chain.key]  # asked once per chain, read by every year on it
    return documents


# ---------------------------------------------------------------------------------------------
# One activity
# ---------------------------------------------------------------------------------------------


def recognise(ctx: RuleContext, chain: Chain, practitioner: Practitioner, activity: Activity) -> tuple[Recognition | None, list[str]]:
    """The deciding recognition (None: nobody objects) and notes on answers it overruled."""
    answers = [a for _c, a in call_layers(chain, "jijiao_recognize", activity=activity, practitioner=practitioner, ctx=ctx) if a]
    if not answers:
        return None, []
    binding = next((a for a in answers if a.binding), None)
    decision = binding if binding is not None else answers[-1]
    overruled = [
        f"{ctx.registry.name_of(a.jurisdiction)}的决定（{a.status.zh}：{a.reason}，{a.clause}）不适用："
        f"上级{ctx.registry.name_of(decision.jurisdiction)}的规定（{decision.clause}）具有约束力"
        for a in answers
        if a is not decision and a.status is not decision.status
    ]
    return decision, overruled


def judge_activity(ctx: RuleContext, chain: Chain, practitioner: Practitioner, activity: Activity) -> CreditAward:
    """The award for one activity: recognition first, then the most specific layer's credit --
    by the rules in force on the activity's own date (hookspecs, "Rules in force by date"):
    ``ctx.on`` is that date for its hooks, and a level with no document in force on it is left
    out for it. An activity without a date is judged by its year's rules."""
    day = activity.date
    if day is None:
        return _judge_activity(ctx, chain, practitioner, activity)
    dated = ctx.registry.chain_on(chain, day)
    outer, ctx.on = ctx.on, day
    try:
        award = _judge_activity(ctx, dated, practitioner, activity)
    finally:
        ctx.on = outer
    if dated is not chain and award.status is AwardStatus.UNDETERMINED and award.category is None:
        # Done before its layer's earliest document took effect: its credit is by the rules of
        # its day, which we do not hold. What it counts towards (Ⅰ类学分, 公共科目学时) is read
        # from the year's rules, whose requirements it is measured against; at most what the
        # record states in that unit (hookspecs, "Rules in force by date").
        category = _judge_activity(ctx, chain, practitioner, activity).category
        if category is not None:
            award = attrs.evolve(award, category=category,
                                 bound=activity.certified_credits if category.counts_as_credits else activity.hours)
    return award


def _judge_activity(ctx: RuleContext, chain: Chain, practitioner: Practitioner, activity: Activity) -> CreditAward:
    decision, overruled = recognise(ctx, chain, practitioner, activity)
    if decision is not None and decision.status is not RecognitionStatus.RECOGNISED:
        return CreditAward(
            activity=activity.id,
            practitioner=practitioner.id,
            jurisdiction=decision.jurisdiction,
            status=AwardStatus.REFUSED if decision.status is RecognitionStatus.REFUSED else AwardStatus.PENDING,
            credits=0,
            clauses=(decision.clause,),
            steps=(decision.reason, *overruled),
            recognition=decision,
        )
    answers = [a for _c, a in call_layers(chain, "jijiao_credit", activity=activity, practitioner=practitioner, ctx=ctx) if a]
    binding_award = next((a for a in answers if a.binding), None)
    if binding_award is not None and binding_award is not answers[-1]:
        # A higher layer's mandate on the credit stands; say which answers below it were set aside.
        set_aside = [
            f"{ctx.registry.name_of(a.jurisdiction)}的结果（{a.status.zh} {number_text(a.credits)} 学分）不适用："
            f"上级{ctx.registry.name_of(binding_award.jurisdiction)}的规定具有约束力"
            for a in answers[answers.index(binding_award) + 1:]
        ]
        answers = [attrs.evolve(binding_award, steps=(*binding_award.steps, *set_aside))]
    if not answers:
        # No layer grants credit for it. Where a level of the chain has no plugin, its rules
        # might: unknown, not refused (a rule we do not have is not a rule that says no).
        step, gap, missing = no_credit_rule(ctx, chain, activity.kind)
        return CreditAward(
            activity=activity.id,
            practitioner=practitioner.id,
            jurisdiction=chain.code,
            status=AwardStatus.UNDETERMINED if gap else AwardStatus.REFUSED,
            credits=0,
            clauses=(decision.clause,) if decision is not None else (),
            steps=(*((decision.reason,) if decision is not None else ()), step),
            recognition=decision,
            missing=missing,
            bound=activity.certified_credits if gap else None,
        )
    award = answers[-1]
    if decision is None:
        return award
    if decision.binding:
        return amend(
            award,
            clauses=(decision.clause, *[c for c in award.clauses if c != decision.clause]),
            steps=(decision.reason, *overruled, *award.steps),
            recognition=decision,
        )
    return amend(award, recognition=decision)  # the award stands as its plugin built it: no validating it again


def no_credit_rule(ctx: RuleContext, chain: Chain, kind) -> tuple[str, object, MissingDocument | None]:
    """What the chain says of a kind of activity none of its layers grants credit for: the step,
    the level whose rules might (a level whose rules stop short of the day first; None: every
    level's rules apply, and none credits it) and the document it lacks. Made once per chain and
    kind (`Chain.silences`): it is built of nothing else -- the chain's levels and their names,
    its missing levels, the kind's name -- and a Wenzhou year (whose credit rules are Zhejiang's,
    not installed) or a Guangdong one (national rules only) meets it for most of its activities."""
    found = chain.silences.get(kind)
    if found is None:
        silent = f"{'已安装' if chain.missing else '适用'}的规则（{'、'.join(ctx.registry.name_of(c) for c in chain.codes) or '无'}）中没有为“{kind.zh}”授予学分的规定"
        gap = (chain.out_of_force or chain.missing or (None,))[0]
        if gap:
            found = (f"{silent}，而{gap}：其学分标准未收录，无法判定", gap,
                     MissingDocument(f"{gap.name}{'当时施行' if gap.out_of_force else ''}的继续医学教育学分规定", "",
                                     f"“{kind.zh}”的学分标准", owner=gap.code))
        else:
            found = (silent, None, None)
        chain.silences[kind] = found
    return found


# ---------------------------------------------------------------------------------------------
# The year
# ---------------------------------------------------------------------------------------------


def restate_awards(ctx: RuleContext, chain: Chain, practitioner: Practitioner, activities: list[Activity],
                   awards: list[CreditAward], year: int) -> tuple[list[CreditAward], list[CapApplication]]:
    """Let each layer restate its own awards in view of the whole year (`hookspecs.jijiao_year_awards`);
    with them, the ceilings across records the layers applied (`RestatedAwards.caps`)."""
    applied = []
    for layer, function, argnames in chain.implementations("jijiao_year_awards"):
        kwargs = dict(practitioner=practitioner, activities=activities, awards=list(awards), year=year,
                      jurisdiction=layer.jurisdiction, ctx=ctx)
        try:
            restated = function(*map(kwargs.__getitem__, argnames))
        except Exception as error:
            raise PluginFailure(layer.plugin_name, "jijiao_year_awards", error) from error
        if restated is None:
            continue
        if isinstance(restated, RestatedAwards):
            caps, restated = list(restated.caps), restated.awards
        else:
            caps = []
        restated = list(restated)
        mine = layer.jurisdiction.code
        problem = None
        if [a.activity for a in restated] != [a.activity for a in awards]:
            problem = "returned the awards of other activities, or in another order"
        elif any(new is not old and old.jurisdiction != mine for new, old in zip(restated, awards)):
            problem = "changed an award another layer decided"
        if problem:
            raise PluginFailure(layer.plugin_name, "jijiao_year_awards", ValueError(problem))
        awards = restated
        applied += caps
    return awards, applied


def apply_caps(caps: Iterable[Cap], awards: list[CreditAward], order: dict[str, tuple]) -> tuple[list[CreditAward], list[CapApplication]]:
    """Apply annual ceilings: the narrowest caps first, the earliest activities kept first."""
    awards = list(awards)
    applied = []
    # Capping changes credits, never a status or a group: which awards a cap may cut is known upfront.
    awarded = AwardStatus.AWARDED
    grouped = [(i, a.cap_group) for i, a in enumerate(awards) if a.status is awarded]
    for cap in sorted(caps, key=lambda c: (len(c.groups), c.name, c.jurisdiction)):
        members = sorted(
            (i for i, group in grouped if group in cap.groups),
            key=lambda i: order.get(awards[i].activity, ()),
        )
        before = sum((awards[i].credits for i in members), Decimal(0))
        if before <= cap.limit:
            continue
        room = cap.limit
        cut_ids = []
        for i in members:
            award = awards[i]
            kept = min(award.credits, room)
            room -= kept
            if kept < award.credits:
                cut_ids.append(award.activity)
                awards[i] = attrs.evolve(
                    award,
                    credits=kept,
                    clauses=(*award.clauses, cap.clause),
                    steps=(
                        *award.steps,
                        f"年度上限：{cap.description or cap.name}每年最多 {number_text(cap.limit)} 学分（{cap.clause}），"
                        f"本年合计 {number_text(before)} 学分，本项由 {number_text(award.credits)} 学分计为 {number_text(kept)} 学分",
                    ),
                )
        applied.append(CapApplication(cap.name, cap.clause, cap.limit, before, cap.limit, tuple(cut_ids)))
    return awards, applied


def merge_requirements(chain_answers: list[tuple[str, list[Requirement]]]) -> list[Requirement]:
    """Layer by layer, top-down: a requirement takes the place of those above it of its own kind
    and of every kind its kind replaces (`RequirementKind.lineage`); unrelated kinds all apply."""
    merged: list[Requirement] = []
    for _code, requirements in chain_answers:
        for requirement in requirements or ():
            replaced = requirement.kind.lineage()
            places = [i for i, r in enumerate(merged) if r.kind in replaced]
            if places:
                merged[places[0]] = requirement
                merged = [r for i, r in enumerate(merged) if i not in places[1:]]
            else:
                merged.append(requirement)
    return merged


def undeclared_requirements(ctx: RuleContext, chain_answers: list[tuple[str, list[Requirement]]]) -> list[tuple[str, str]]:
    """(layer code, message) for each requirement of a kind no plugin declared: a plugin error,
    never a silent extra requirement."""
    declared = ctx.registry.requirement_kinds
    return [
        (code, f"{code}：要求“{r.kind.label}”（{r.kind.name}）的类型未经任何插件声明（jijiao_requirement_kinds）")
        for code, requirements in chain_answers
        for r in requirements or ()
        if declared.get(r.kind.name) is not r.kind
    ]


def requirement_met(required: Decimal | None, earned: Decimal, undetermined: Decimal | None) -> bool | None:
    """Three-valued: met when the known credits reach it, unmet when even every undetermined
    credit (at its bound) could not, undetermined otherwise (see the truth table in hookspecs)."""
    if required is None:
        return None
    if earned >= required:
        return True
    if undetermined is None:
        return None
    return False if earned + undetermined < required else None


def may_count(award: CreditAward, categories) -> bool:
    """Whether an undetermined award may count towards a requirement of ``categories``: where its
    category is known, if it is one of them; where not (the category is in the rule we lack too),
    only towards credits -- an unknown credit never becomes public-subject hours."""
    if award.category is not None:
        return award.category in categories
    return all(c.counts_as_credits for c in categories)


def evaluate(requirement: Requirement, awards: list[CreditAward]) -> RequirementResult:
    awarded, undetermined, categories = AwardStatus.AWARDED, AwardStatus.UNDETERMINED, requirement.categories
    earned = sum((a.credits for a in awards if a.status is awarded and a.category in categories), Decimal(0))
    open_ = [a for a in awards if a.status is undetermined and may_count(a, categories)]
    pending = None if any(a.bound is None for a in open_) else sum((a.bound for a in open_), Decimal(0))
    met = requirement_met(requirement.required, earned, pending)
    return RequirementResult(requirement, earned, met, undetermined=pending)


def apply_makeup(makeup: CategoryMakeup | None, results: list[RequirementResult]) -> list[RequirementResult]:
    """Let single-category requirements make up each other's shortfall, within the share allowed.

    Reading of 702号 三(相互补充): the surplus of one category (what it earned beyond its own
    requirement) may count towards another category's shortfall, but never more than
    ``share_pct`` of the receiving category's required total.
    """
    if makeup is None:
        return results
    single = {
        r.requirement.categories[0]: i
        for i, r in enumerate(results)
        if len(r.requirement.categories) == 1 and r.requirement.categories[0] in makeup.categories and r.requirement.required is not None
    }
    results = list(results)
    for receiver, i in single.items():
        for giver, j in single.items():
            if giver is receiver or not results[i].shortfall:
                continue
            surplus = results[j].earned - results[j].requirement.required
            ceiling = results[i].requirement.required * makeup.share_pct / 100 - results[i].made_up
            moved = min(results[i].shortfall, max(surplus, Decimal(0)), max(ceiling, Decimal(0)))
            if moved <= 0:
                continue
            r, g = results[i], results[j]
            results[j] = attrs.evolve(g, earned=g.earned - moved, note=f"{moved} 学分用于补充{r.requirement.label}")
            earned = r.earned + moved
            results[i] = attrs.evolve(
                r,
                earned=earned,
                met=requirement_met(r.requirement.required, earned, r.undetermined),
                made_up=r.made_up + moved,
                makeup_clause=makeup.clause,
                note=(
                    f"以{g.requirement.label}超出部分补充 {moved} 学分（补充不超过该类别学分总值的 {makeup.share_pct}%，"
                    f"即 {r.requirement.required * makeup.share_pct / 100} 学分；{makeup.clause}）"
                ),
            )
    return results


def void_credits(awards: list[CreditAward], findings: Iterable[Finding]) -> list[CreditAward]:
    """Refuse the awards a finding voids (``Finding.voids``, e.g. a year's credits void for
    falsification), so that the year's requirements are judged without them."""
    voiding = {activity: finding for finding in findings for activity in finding.voids}
    return [
        attrs.evolve(
            award,
            status=AwardStatus.REFUSED,
            credits=0,
            clauses=(*award.clauses, *((voiding[award.activity].clause,) if voiding[award.activity].clause else ())),
            steps=(*award.steps, f"学分作废：{voiding[award.activity].message}"),
        )
        if award.activity in voiding and award.status is not AwardStatus.REFUSED
        else award
        for award in awards
    ]


def apply_deeming(deemed: list[DeemedComplete], results: list[RequirementResult]) -> list[RequirementResult]:
    """A requirement whose categories a deeming covers is met, whatever was earned towards it."""

    def covered(category) -> bool:
        return any(d.covers_category(category) for d in deemed)

    return [
        attrs.evolve(r, met=True, note=f"视为完成：{deemed[0].reason}（{deemed[0].clause}）")
        if deemed and all(covered(c) for c in r.requirement.categories)
        else r
        for r in results
    ]


def assess_year(
    ctx: RuleContext,
    practitioner: Practitioner,
    activities: list[Activity],
    year: int,
    *,
    extra_requirements: Iterable[Requirement] = (),
) -> AnnualResult:
    """One practitioner's year under every layer of their chain.

    ``extra_requirements`` are stated by the caller (e.g. a scenario describing a province's
    split by category) and treated as the most specific layer.
    """
    # The rules of the year: a level none of whose documents is in force in it is left out.
    chain = ctx.registry.chain(practitioner.jurisdiction, year)
    findings = missing_layer_notes(practitioner.id, chain)
    # What each stage reads is noted for a what-if by dependency (whatif.py, ctx.year_reads).
    ctx.reads.clear()
    award_reads = before_requirements = frozenset()
    try:
        awards = [judge_activity(ctx, chain, practitioner, a) for a in activities]
        award_reads = ctx.took()
        awards, record_caps = restate_awards(ctx, chain, practitioner, activities, awards, year)
        deemed = [
            d
            for _c, d in call_layers(chain, "jijiao_deemed_complete", practitioner=practitioner, activities=activities, awards=awards, year=year, ctx=ctx)
            if d
        ]
        # Void credits first: a void credit must not take up room under an annual cap.
        year_findings = _accumulate(chain, "jijiao_annual_findings", practitioner=practitioner, activities=activities, awards=awards, year=year, ctx=ctx)
        awards = void_credits(awards, year_findings)
        caps = [cap for _c, answer in chain_wide_layers(ctx, chain, "jijiao_annual_caps", practitioner=practitioner, year=year)
                for cap in (answer or ())]
        order = {a.id: (a.date or date.min, a.id) for a in activities}
        awards, cap_applications = apply_caps(caps, awards, order)
        cap_applications = record_caps + cap_applications
        before_requirements = ctx.took()
        results = year_requirements(ctx, chain, practitioner, year, awards, extra_requirements)
        requirement_reads = ctx.took()
        findings += year_findings
        if chain.implementations("jijiao_activity_deadlines"):  # most chains set none per activity
            for activity in activities:
                findings += [late_finding(d) for d in activity_deadlines(ctx, chain, practitioner, activity) if d.late]
        documents = missing_documents(ctx, chain)
        ctx.year_reads = (award_reads, before_requirements | ctx.took(), requirement_reads)
    except PluginFailure as failure:
        # Whatever was read led to the failure: a change to any of it judges the year afresh.
        ctx.year_reads = (award_reads, before_requirements | ctx.took(), frozenset())
        return AnnualResult(
            practitioner=practitioner.id, year=year, chain=chain.codes,
            missing_layers=tuple(str(m) for m in chain.missing), missing_documents=(),
            awards=(), caps=(), requirements=(), deemed_complete=(),
            findings=(*findings, failure_finding(practitioner.id, failure, chain)), passed=None,
            reason=f"规则插件 {failure.plugin} 出错，该年度未能判定",
        )
    results = apply_deeming(deemed, results)
    passed, reason = year_verdict(chain, results, deemed, awards, documents)
    return AnnualResult(
        practitioner=practitioner.id,
        year=year,
        chain=chain.codes,
        missing_layers=tuple(str(m) for m in chain.missing),
        missing_documents=documents,
        awards=tuple(awards),
        caps=tuple(cap_applications),
        requirements=tuple(results),
        deemed_complete=tuple(deemed),
        findings=tuple(findings),
        passed=passed,
        reason=reason,
    )


def year_requirements(ctx: RuleContext, chain: Chain, practitioner: Practitioner, year: int, awards: list[CreditAward],
                      extra_requirements: Iterable[Requirement] = ()) -> list[RequirementResult]:
    """The year's requirements, merged over the chain, each evaluated on the (capped) awards and
    made up between categories: the last stage of `assess_year`, which a what-if by dependency
    also runs alone on a year's stored awards (whatif.py)."""
    answers = [*chain_wide_layers(ctx, chain, "jijiao_annual_requirements", practitioner=practitioner, year=year),
               ("", list(extra_requirements))]
    undeclared = undeclared_requirements(ctx, answers)
    if undeclared:
        layer = next((l for l in chain.layers if l.jurisdiction.code == undeclared[0][0]), None)
        raise PluginFailure(layer.plugin_name if layer else "（场景）", "jijiao_annual_requirements",
                            ValueError("；".join(message for _code, message in undeclared)))
    requirements = merge_requirements(answers)
    makeups = [m for _c, m in chain_wide_layers(ctx, chain, "jijiao_category_makeup", practitioner=practitioner, year=year) if m]
    return apply_makeup(makeups[-1] if makeups else None, [evaluate(r, awards) for r in requirements])


def year_verdict(chain: Chain, results: list[RequirementResult], deemed: list[DeemedComplete],
                 awards: list[CreditAward], documents: tuple[MissingDocument, ...]) -> tuple[bool | None, str]:
    """`verdict`, where a level of the chain has no rules for the year: only a definite failure
    decides then (the last step of `assess_year`; a what-if by dependency runs it alone)."""
    passed, reason = verdict(results, deemed, awards)
    gaps = chain.out_of_force or (unspoken_levels(chain, documents) if passed else ())
    if gaps and passed is not False:
        # Never judge a year without its rules: a level whose rules do not exist for this year,
        # or whose plugin is not installed and that no installed level speaks for (广东省),
        # may require what we cannot see, so the year cannot be 合格 on the other levels alone
        # (nor by a later year's rules); a definite failure under the rules we apply still
        # decides. The gap is named first, what the applied rules found kept after it.
        found = f"；按已适用的规则可判为合格（{reason}）" if passed else ""
        passed, reason = None, f"{gaps[0]}，该层级本年度的要求无从评定{found}"
    return passed, reason


def unspoken_levels(chain: Chain, documents: tuple[MissingDocument, ...]) -> tuple:
    """The levels of the chain without rules for the year that no installed level speaks for.

    A city whose plugin names what it needs of its province's rules (`MissingDocument.owner`:
    温州 names Zhejiang's credit rules, 长沙 Hunan's 9号) states the year's requirements and
    leaves only those numbers open, each undetermined where it matters. A city or county under
    an installed province (沈阳市 under 辽宁省) is governed by the province's scheme
    (`MissingLayer.governed_by`; our reading, docs/architecture.md). A level nobody speaks
    for (广东省, under the national rules alone), or one whose plugin has no document in force
    that year, is rules we know nothing of."""
    owners = {d.owner for d in documents}
    return tuple(m for m in chain.missing if m.code not in owners and m.governed_by is None)


def verdict(results: list[RequirementResult], deemed: list[DeemedComplete], awards: list[CreditAward]) -> tuple[bool | None, str]:
    """The year's verdict by the truth table of hookspecs ("The verdict"), and the one reason
    that decides it: a definite failure decides whatever else is unknown; 合格 needs every
    requirement met (or deemed); 无法判定 only otherwise."""
    unmet = [r for r in results if r.met is False]
    if unmet:
        return False, _requirement_text(unmet[0], awards)
    unknown = [r for r in results if r.met is None]
    if unknown:
        return None, _requirement_text(unknown[0], awards)
    if not results:
        return (True, f"视为完成：{deemed[0].reason}（{deemed[0].clause}）") if deemed else (None, "没有适用的年度要求")
    if deemed:
        return True, f"视为完成：{deemed[0].reason}（{deemed[0].clause}）"
    return True, "；".join(_requirement_text(r, awards) for r in results)


def _requirement_text(r: RequirementResult, awards: list[CreditAward]) -> str:
    q = r.requirement
    if q.required is None:
        where = q.missing.citation if q.missing else "未收录的文件"
        return f"{q.label}：要求的数值由{where}规定，未收录，无法判定"
    text = f"{q.label}：已取得 {number_text(r.earned)} / 要求 {number_text(q.required)} {q.unit}"
    if r.met:
        return text
    open_ = [a for a in awards if a.status is AwardStatus.UNDETERMINED and may_count(a, q.categories)]
    if r.met is False:
        more = f"，另有 {len(open_)} 项无法判定的学分至多 {number_text(r.undetermined)}，仍不足" if open_ else ""
        return f"{text}，尚缺 {number_text(r.shortfall)}{more}"
    missing = next((a.missing for a in open_ if a.missing), None)
    why = f"（由{missing.citation}规定，未收录）" if missing else ""
    bound = "不详" if r.undetermined is None else f"至多 {number_text(r.undetermined)}"
    return f"{text}，尚缺 {number_text(r.shortfall)}；另有 {len(open_)} 项活动的学分无法判定{why}，{bound}"


# ---------------------------------------------------------------------------------------------
# Projects and deadlines
# ---------------------------------------------------------------------------------------------


def late_finding(deadline: Deadline) -> Finding:
    return Finding(
        subject=deadline.subject,
        jurisdiction=deadline.jurisdiction,
        severity=deadline.late_severity,
        clause=deadline.clause,
        consequence=deadline.consequence,
        message=f"逾期：{deadline.what}应于 {deadline.due:%Y-%m-%d %H:%M} 前完成（{deadline.who}），实际 {deadline.done_at:%Y-%m-%d %H:%M}",
    )


def activity_deadlines(ctx: RuleContext, chain: Chain, practitioner: Practitioner, activity: Activity) -> list[Deadline]:
    """Every layer's deadlines for one activity (e.g. registering it by the end of next January)."""
    deadlines = _accumulate(chain, "jijiao_activity_deadlines", activity=activity, practitioner=practitioner, ctx=ctx)
    return sorted(deadlines, key=lambda d: (d.due, d.what))


def project_deadlines(ctx: RuleContext, project: Project) -> list[Deadline]:
    """Every layer's deadlines for a project (a failing plugin raises `PluginFailure`; the run
    reports it through `check_project`, which asks for them too)."""
    chain = ctx.registry.chain(project.jurisdiction, project_year(ctx, project))
    deadlines = _accumulate(chain, "jijiao_project_deadlines", project=project, ctx=ctx)
    return sorted(deadlines, key=lambda d: (d.due, d.what))


def project_year(ctx: RuleContext, project: Project) -> int | None:
    """The year whose rules judge a project: the year it starts, else the run's year."""
    return project.start.year if project.start is not None else ctx.year


def check_project(ctx: RuleContext, project: Project) -> list[Finding]:
    """Every layer's findings on a project, late acts included, most serious first: by the
    rules in force in its year (a level with no document in force then is named, not applied)."""
    chain = ctx.registry.chain(project.jurisdiction, project_year(ctx, project))
    findings = missing_layer_notes(project.id, chain)
    try:
        findings += _accumulate(chain, "jijiao_project_findings", project=project, ctx=ctx)
        findings += [late_finding(d) for d in project_deadlines(ctx, project) if d.late]
    except PluginFailure as failure:
        findings.append(failure_finding(project.id, failure, chain))
    severity_rank = {s: i for i, s in enumerate(Severity)}
    return sorted(findings, key=lambda f: (severity_rank[f.severity], str(f.clause)))


def calendar(ctx: RuleContext, jurisdiction: str, year: int) -> list[Deadline]:
    chain = ctx.registry.chain(jurisdiction, year)
    return sorted(_accumulate(chain, "jijiao_calendar", year=year, ctx=ctx), key=lambda d: (d.due, d.what))


def spot_check_plan(ctx: RuleContext, jurisdiction: str, projects: list[Project], year: int, seed: int) -> list:
    chain = ctx.registry.chain(jurisdiction, year)
    return _accumulate(chain, "jijiao_spot_check_plan", projects=projects, year=year, seed=seed, ctx=ctx)
