"""辽宁省's part of the demo (``jijiao demo``): provincial projects with their execution records, a
quarter of them breaking 辽卫办发〔2026〕56号 四, and four in ten of the population.

- Projects (`project`): provincial, held in the province, with an execution record (`vocabulary.
  Execution`) once held -- those in early December are not yet, so their registration deadlines
  (方案 四(一)1) are still open. A broken project registers late, records late, changes more
  than the allowed share of its content, enrols far from its plan, has too few grassroots
  trainees, a theory lecture too long or one attendance check a day.
- Practitioners (`LiaoningYear`): the national profiles of year, with the facts Liaoning's rules
  read on a project (考试成绩, 每日考勤次数, 完成满意度评价, 方案 四(一)3) -- careless ones fail
  the assessment, check in once a day or skip the evaluation -- and self-study of the kinds of
  方案 三(六) in place of the national 有计划的自学, so the self-study cap (三(六)) is reached.

Where a rule is broken the number is the parameter's own (`parameters`), so the demo breaks
exactly what the rules check. Units are named after real cities of the province (沈阳市 210100
...), and the practitioners are coded where they practise (GB/T 2260, `jijiao.demo.Unit.place`):
the county of a county unit (海城市人民医院: 210381), the city of a city hospital (丹东市中心医院:
210600), the province for a provincial hospital (辽宁省人民医院: 210000). No plugin covers a city
of Liaoning, so their chain resolves upwards to the province, whose rules govern them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from jijiao import hookimpl
from jijiao.demo import City, Demo, Places
from jijiao.models import Level, Project
from jijiao_national.demo import Year, project_id
from jijiao_national.vocabulary import Credits

from .documents import CREDIT_SCHEME
from .parameters import PARAMETERS
from .vocabulary import (
    ATTENDANCE_PER_DAY,
    EVALUATION_DONE,
    EVIDENCE_SUBMITTED_ON,
    EXAM_SCORE_PCT,
    JOURNAL_TIER,
    PLAN_SUBMITTED_ON,
    RANK,
    SESSIONS,
    WORDS,
    Execution as E,
    JournalTier,
    SelfStudy,
)

LIAONING = CREDIT_SCHEME.jurisdiction  # 210000: the province's rules govern its practitioners, wherever in it
SHARE = Decimal("0.40")
BROKEN_SHARE = 0.25  # of projects breaking some rule

PLACES = Places(
    province="辽宁省",
    provincial_units=("辽宁省人民医院", "辽宁省肿瘤医院", "辽宁省中医院"),
    cities=(
        City("210100", "沈阳市", ("康平县", "法库县", "新民市")),
        City("210200", "大连市", ("长海县", "瓦房店市", "庄河市")),
        City("210300", "鞍山市", ("台安县", "岫岩满族自治县", "海城市")),
        City("210600", "丹东市", ("宽甸满族自治县", "东港市", "凤城市")),
        City("210700", "锦州市", ("黑山县", "义县", "凌海市", "北镇市")),
    ),
)


def project(demo: Demo, number: int) -> Project:
    rng, p = demo.rng, demo.params(PARAMETERS)
    broken = rng.random() < BROKEN_SHARE

    def credits(hours, mode):
        # What the host applies for: the hours' worth up to the face-to-face limit, online too
        # (the remote limit of 三(一) is applied to the attendee's award: caps in the results).
        return min(hours / p.project_participant_hours_per_credit, p.project_face_to_face_max)

    drawn = demo.project(project_id(LIAONING, demo.year, number), jurisdiction=LIAONING, level=Level.PROVINCIAL,
                         host=demo.unit(PLACES).name, credits=credits)
    held = drawn.start < date(demo.year, 11, 1)  # assessed in late November: December's are still to come
    return attrs.evolve(drawn, execution=execution(demo, drawn, broken) if held else None)


def execution(demo: Demo, project: Project, broken: bool) -> dict:
    rng, p = demo.rng, demo.params(PARAMETERS)
    days = (project.end - project.start).days + 1
    # 方案 四(一)1: registered at least 7 days before, records within 14 days after; broken ones miss.
    before = rng.choice([3, 8, 10]) if broken else rng.choice([8, 10, 14])
    after = days + (rng.choice([10, 20]) if broken else rng.choice([3, 7, 10]))
    enrolment = int(project.planned_enrolment * (
        rng.choice([0.3, 1.6]) if broken and rng.random() < 0.4 else rng.uniform(0.8, 1.1)))  # broken: ≥ 50 % off plan
    grassroots = 0.05 if broken and rng.random() < 0.4 else rng.uniform(0.15, 0.5)  # broken: under 10 %
    return {
        E.HELD.name: True,
        E.REGISTERED_AT.name: demo.moment(project.start - timedelta(days=before)),
        E.RECORDS_AT.name: demo.moment(project.start + timedelta(days=after)),
        E.ACTUAL_ENROLMENT.name: enrolment,
        E.GRASSROOTS_TRAINEES.name: int(enrolment * grassroots),
        E.CONTENT_CHANGE_PCT.name: (p.execution_change_max_pct + Decimal(rng.choice([5, 10]))
                                    if broken and rng.random() < 0.3 else Decimal(rng.choice([0, 5, 10]))),
        E.TEACHER_CHANGE_PCT.name: Decimal(rng.choice([0, 10, 20])),
        E.HOURS_CHANGE_PCT.name: Decimal(0),
        E.LONGEST_THEORY_LECTURE_HOURS.name: (p.theory_lecture_max_hours + 1 if broken and rng.random() < 0.3
                                              else Decimal(rng.choice([1, 2, 3]))),
        E.ATTENDANCE_CHECKS_PER_DAY.name: (p.execution_min_attendance_per_day - 1 if broken and rng.random() < 0.3
                                           else p.execution_min_attendance_per_day),
    }


class LiaoningYear(Year):
    """The national years with Liaoning's facts and its kinds of self-study."""

    def __init__(self, demo: Demo, projects: list[Project]):
        super().__init__(demo, projects)
        self.p = demo.params(PARAMETERS)

    def assessed(self, *, passed: bool = True, careless: bool = False) -> dict:
        """The facts of 方案 四(一)3: the exam score, attendance checks a day, the evaluation."""
        rng, p = self.rng, self.p
        if passed:
            score = p.project_pass_mark_pct + Decimal(rng.choice([0, 5, 10, 15, 20]))
        else:
            score = p.project_pass_mark_pct - Decimal(rng.choice([5, 10, 18]))
        return {
            EXAM_SCORE_PCT.name: min(score, Decimal(100)),
            ATTENDANCE_PER_DAY.name: (p.project_min_attendance_per_day - 1 if careless and rng.random() < 0.5
                                      else p.project_min_attendance_per_day),
            EVALUATION_DONE.name: not (careless and rng.random() < 0.3),
        }

    def attended(self, practitioner, *, careless: bool = False, late: bool = False) -> dict:
        fields = super().attended(practitioner, careless=careless, late=late)
        return {**fields, "facts": {**fields["facts"], **self.assessed(passed=fields["passed"], careless=careless)}}

    def other_province(self, practitioner) -> dict:
        fields = super().other_province(practitioner)
        return {**fields, "facts": {**fields.get("facts", {}), **self.assessed()}}

    def self_study(self, count: int) -> list[dict]:
        """Self-study of the kinds of 方案 三(六): papers, teaching, health education, translations
        and personal study plans, each with its plan (first quarter) and evidence."""
        rng = self.rng
        menu = [
            lambda: (SelfStudy.PAPER, {JOURNAL_TIER.name: rng.choice(list(JournalTier)), RANK.name: rng.choice([1, 2, 3])}, None),
            lambda: (SelfStudy.TEACHING, {SESSIONS.name: rng.choice([1, 2, 4])}, Decimal(rng.choice([2, 4, 8]))),
            lambda: (SelfStudy.HEALTH_EDUCATION, {SESSIONS.name: rng.choice([1, 2, 3, 5])}, None),
            lambda: (SelfStudy.TRANSLATION, {WORDS.name: rng.choice([3000, 5000, 10000])}, None),
            lambda: (SelfStudy.PLAN, {}, Decimal(rng.choice([10, 20, 30]))),
        ]
        found = []
        for _ in range(count):
            kind, facts, hours = rng.choice(menu)()
            held = self.demo.day()
            found.append(dict(
                kind=kind, date=held, hours=hours, approved=True, category=Credits.CLASS_II,
                registered_on=held + timedelta(days=15),
                facts={**facts, PLAN_SUBMITTED_ON.name: date(self.demo.year, 1, 20),
                       EVIDENCE_SUBMITTED_ON.name: held + timedelta(days=10)},
            ))
        return found


@hookimpl
def jijiao_demo(demo):
    projects = [demo.add_project(project(demo, number)) for number in range(1, demo.projects_per_region + 1)]
    year = LiaoningYear(demo, projects)
    for _ in range(demo.share(SHARE)):
        unit = demo.unit(PLACES)
        year.add(demo.practitioner(unit.place or LIAONING, unit))

