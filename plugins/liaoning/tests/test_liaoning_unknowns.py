"""Issue 13 in the Liaoning plugin: one project's ceiling across its records, absent facts that
stay unknown, city projects undetermined, and the readings declared as data."""

from datetime import date
from decimal import Decimal as D

import pytest

from jijiao.models import Activity, AwardStatus, CreditAward, Practitioner, Project
from jijiao.plugins import Registry, RuleContext
from jijiao_national.vocabulary import Kind
from jijiao_liaoning import deadlines
from jijiao_liaoning.credits import project_ceiling_across_records, project_credit
from jijiao_liaoning.documents import CREDIT_SCHEME, NOTICE_2026_56
from jijiao_liaoning.parameters import PARAMETERS
from jijiao_liaoning.plugin import JURISDICTION
from jijiao_liaoning.readings import READINGS, REMOTE_THREE_STEPS
from jijiao_liaoning.rules import Judge

CLAUSES = {c.ref for d in (CREDIT_SCHEME, NOTICE_2026_56) for c in d.clauses}
PERSON = Practitioner(id="P", jurisdiction="210000")


def test_every_reading_cites_a_clause_of_the_scheme_and_only_the_remote_one_is_switchable():
    assert all(r.clause in CLAUSES for r in READINGS)
    assert len({r.key for r in READINGS}) == len(READINGS)
    assert [r.key for r in READINGS if r.switchable] == [REMOTE_THREE_STEPS.key]


def _remote(**fields):
    base = dict(id="A1", practitioner="P", kind=Kind.PROJECT, year=2026, project_level="省级", project_mode="远程",
                hours=D(6), passed=True, approved=True)
    return Activity(**{**base, **fields})


def _credit(activity, ctx):
    return project_credit(Judge(activity, PERSON, JURISDICTION), ctx.params(PARAMETERS), ctx)


def test_the_strict_reading_of_the_three_steps_refuses_a_remote_project_checked_once_a_day():
    registry = Registry()
    activity = _remote(facts={"attendance_per_day": 1, "evaluation_done": True})
    taken = _credit(activity, RuleContext(registry))
    assert taken.status is AwardStatus.AWARDED and taken.credits == D(2)
    assert REMOTE_THREE_STEPS.step() in taken.steps
    strict = _credit(activity, RuleContext(registry, alternatives=frozenset({REMOTE_THREE_STEPS.key})))
    assert strict.status is AwardStatus.REFUSED
    assert REMOTE_THREE_STEPS.step(taken=False) in strict.steps


@pytest.mark.parametrize("approved, status", [(True, AwardStatus.AWARDED), (None, AwardStatus.PENDING), (False, AwardStatus.PENDING)])
def test_a_remote_review_not_recorded_is_pending_never_granted(approved, status):
    award = _credit(_remote(approved=approved), RuleContext(Registry()))
    assert award.status is status


def test_a_city_project_is_undetermined_owned_by_its_city_and_bounded_by_its_certificate():
    activity = Activity(id="A1", practitioner="P", kind=Kind.PROJECT, year=2026, project_level="市级",
                        project_jurisdiction="210200", certified_credits=D(4))
    award = _credit(activity, RuleContext(Registry()))
    assert award.status is AwardStatus.UNDETERMINED
    assert award.missing.owner == "210200" and award.bound == D(4)
    unplaced = _credit(Activity(id="A2", practitioner="P", kind=Kind.PROJECT, year=2026, project_level="市级"), RuleContext(Registry()))
    assert unplaced.missing.owner == "210000" and unplaced.bound is None


def test_a_recommended_project_not_recorded_as_held_is_not_done_at_its_end():
    p = RuleContext(Registry()).params(PARAMETERS)
    project = Project(id="P", jurisdiction="210000", level="省级", start=date(2026, 12, 1), end=date(2026, 12, 5))
    (final,) = [d for d in deadlines.project_deadlines(project, JURISDICTION, p) if "执行完毕" in d.what]
    assert final.done_at is None and final.late is None
    held = Project(id="P", jurisdiction="210000", level="省级", start=date(2026, 12, 1), end=date(2026, 12, 5), execution={"held": True})
    (final,) = [d for d in deadlines.project_deadlines(held, JURISDICTION, p) if "执行完毕" in d.what]
    assert final.late is False


def _award(activity_id, amount, jurisdiction="210000"):
    return CreditAward(activity=activity_id, practitioner="P", jurisdiction=jurisdiction, status=AwardStatus.AWARDED, credits=amount)


def test_another_layers_credits_count_towards_the_project_ceiling_but_are_not_cut():
    p = RuleContext(Registry()).params(PARAMETERS)
    activities = [
        Activity(id=f"A{i}", practitioner="P", kind=Kind.PROJECT, year=2026, project="LN1", project_mode="面授", date=date(2026, i, 1))
        for i in (1, 2)
    ]
    awards = [_award("A1", D(7), jurisdiction="000000"), _award("A2", D(6))]
    restated = project_ceiling_across_records(awards, activities, p, "210000", (Project(id="LN1", name="心电图"),))
    first, second = restated.awards
    assert first is awards[0]
    assert second.credits == D(3)
    assert "项目 LN1（心电图）当年 2 条记录（A1、A2）合计 13 学分" in second.steps[-1]
    # The cut is a cap application naming the project and its records, the cut record its activity.
    (cap,) = restated.caps
    assert "项目 LN1（心电图）当年 2 条记录（A1、A2）" in cap.cap
    assert (str(cap.clause), cap.limit, cap.before, cap.after, cap.activities) == ("ln-credit-scheme/三(一)", D(10), D(13), D(10), ("A2",))


def test_records_without_a_project_number_are_not_pooled():
    p = RuleContext(Registry()).params(PARAMETERS)
    activities = [Activity(id=f"A{i}", practitioner="P", kind=Kind.PROJECT, year=2026) for i in (1, 2)]
    awards = [_award("A1", D(6)), _award("A2", D(6))]
    restated = project_ceiling_across_records(awards, activities, p, "210000")
    assert (list(restated.awards), restated.caps) == (awards, ())
