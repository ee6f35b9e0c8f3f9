"""Helpers the Liaoning rule modules share: building awards, rates, ranks and the credit category.

Readings taken here (each covered by a scenario under features/liaoning/, and declared as data in
`readings`; `Judge.award` says the Ⅰ类/Ⅱ类 one on every award and the others where passed in):

Reading (rates and remainders): "按每 6 小时授予 1 学分计算" is a rate, not a count of whole
blocks: hours are converted pro rata and rounded down to 0.1 credit with `models.credits` (7
hours at 1 credit per 6 hours give 1.1; 6.5 hours give 1.0). Where the scheme wants whole units
it says so ("每带教……满 1 个月授予 1 学分"), and there we count whole units only. The same holds
for words ("1 学分/1000 字": 2500 字 give 2.5).

Reading (ranges): "SCI 期刊 6—4 学分/篇" for the first to the third author, "国家级课题 10—6
学分/项" for the first to the fifth member, "国家级奖项 10—8 学分/项" by grade: the credits fall
by one equal step per rank from the first value to the last (6, 5, 4; 10, 9, 8, 7, 6; 10, 9, 8
for 一等, 二等, 三等奖). A rank beyond the last named one earns nothing, and the refusal says so.

Reading (Ⅰ类 / Ⅱ类): the scheme does not say which activities give Ⅰ类 credit. Following the
national practice it refers to (国卫办科教发〔2024〕20号, which we do not hold), projects published
by the national or a provincial health commission (三(一), including other provinces' published
projects) give Ⅰ类学分 and every other activity gives Ⅱ类学分. The annual requirement (一) counts
both together, so the choice shows in the result but not in the verdict.

Reading (25 学分 / 90 学时): 一 states the requirement as "不低于 25 学分（不少于 90 学时）"; the
credits are the measure every standard in 三 converts to, so the year is judged on credits.
"""

from __future__ import annotations

from decimal import Decimal

from jijiao.models import AwardStatus, Category, ClauseRef, CreditAward, Level, MissingDocument, credits
from jijiao_national.vocabulary import Credits, Kind

from .readings import CREDIT_CATEGORY
from .vocabulary import SelfStudy

PROVINCE_PREFIX = "21"
PROVINCE_CODE = "210000"

# Annual cap groups (matched by CreditAward.cap_group; see plugin.jijiao_annual_caps).
PRACTICE_GROUP = "ln.practice"
SELF_GROUPS = {
    SelfStudy.SUPERVISION: "ln.self.supervision",
    SelfStudy.TEACHING: "ln.self.teaching",
    SelfStudy.EXAM_SETTING: "ln.self.exam",
    SelfStudy.GUIDELINE: "ln.self.guideline",
    SelfStudy.BOOK: "ln.self.book",
    SelfStudy.REPORT: "ln.self.report",
    SelfStudy.TRANSLATION: "ln.self.translation",
    SelfStudy.PAPER: "ln.self.paper",
    SelfStudy.GRANT: "ln.self.grant",
    SelfStudy.AWARD: "ln.self.award",
    SelfStudy.PATENT: "ln.self.patent",
    SelfStudy.HEALTH_EDUCATION: "ln.self.health_education",
    SelfStudy.PLAN: "ln.self.plan",
    SelfStudy.COMPETITION: "ln.self.competition",
    SelfStudy.OTHER: "ln.self.other",
}


def in_province(code: str | None) -> bool:
    return code is not None and code.startswith(PROVINCE_PREFIX)


def is_out_of_province(code: str | None) -> bool:
    """A jurisdiction code of another province (not Liaoning, not the national level)."""
    return code is not None and not in_province(code) and not code.startswith("00")


def category_of(activity) -> Category:
    """Ⅰ类 for national and provincial published projects, Ⅱ类 for everything else (see Reading)."""
    if activity.kind is Kind.PROJECT and activity.project_level in (Level.NATIONAL, Level.PROVINCIAL):
        return Credits.CLASS_I
    return Credits.CLASS_II


def at_rate(quantity, per) -> Decimal:
    """Credits for ``quantity`` at 1 credit per ``per`` (hours or words), pro rata, down to 0.1."""
    return credits(Decimal(quantity) / Decimal(per))


def rank_credits(first: Decimal, last: Decimal, ranks: int, rank: int) -> Decimal | None:
    """Credits for ``rank`` (1 = first) in a range "first—last" over ``ranks`` ranks; None beyond it.

    One equal step per rank (see the Reading on ranges): 6—4 over 3 ranks gives 6, 5, 4.
    """
    if rank < 1 or rank > ranks:
        return None
    if ranks == 1:
        return Decimal(first)
    step = (Decimal(first) - Decimal(last)) / (ranks - 1)
    return credits(Decimal(first) - step * (rank - 1))


def plain(value) -> str:
    """A number as policy staff write it: 2, 0.5, 1.1 (no trailing zeros)."""
    return format(Decimal(value).normalize(), "f")


def _said(reading) -> str:
    """A reading's step: a `Reading` taken, or the step text itself (a what-if's alternative)."""
    return reading if isinstance(reading, str) else reading.step()


class Judge:
    """Builds the awards for one activity under the Liaoning layer, citing its clauses."""

    def __init__(self, activity, practitioner, jurisdiction):
        self.activity = activity
        self.practitioner = practitioner
        self.jurisdiction = jurisdiction

    def _award(self, status, amount, clauses, steps, **extra) -> CreditAward:
        return CreditAward(
            activity=self.activity.id,
            practitioner=self.practitioner.id,
            jurisdiction=self.jurisdiction.code,
            status=status,
            credits=amount,
            clauses=tuple(clauses),
            steps=tuple(steps),
            **extra,
        )

    def award(self, amount, clauses: list[ClauseRef], steps: list[str], *, cap_group=None, deems_complete=False,
              readings=()) -> CreditAward:
        """An awarded credit; ``readings`` are the readings (`readings`) its amount rests on, each
        said as a step; the Ⅰ类/Ⅱ类 reading is said on every award, since every category rests on it."""
        said = [_said(r) for r in (*readings, CREDIT_CATEGORY)]
        return self._award(
            AwardStatus.AWARDED, credits(amount), clauses, [*steps, *said],
            category=category_of(self.activity), cap_group=cap_group, deems_complete=deems_complete,
        )

    def refuse(self, clauses: list[ClauseRef], steps: list[str], *, readings=()) -> CreditAward:
        return self._award(AwardStatus.REFUSED, 0, clauses, [*steps, *map(_said, readings)])

    def pending(self, clauses: list[ClauseRef], steps: list[str]) -> CreditAward:
        """Waiting for an act or its record (an upload, a review, an exam result)."""
        return self._award(AwardStatus.PENDING, 0, clauses, steps)

    def undetermined(self, clauses: list[ClauseRef], steps: list[str], missing: MissingDocument, bound=None) -> CreditAward:
        """The rule that decides lives in ``missing``, a document we do not have; ``bound`` is the
        most the activity can earn where that is known (the credits on its certificate)."""
        return self._award(AwardStatus.UNDETERMINED, 0, clauses, steps, missing=missing, bound=bound)
