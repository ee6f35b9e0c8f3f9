"""温州市's part of the demo (``jijiao demo``): city projects with their applications, a quarter of
them breaking a rule of 温卫发函〔2026〕17号, and the city's practitioners.

Wenzhou's rules judge applications (申报书), so each project carries one, with the facts
`vocabulary.Application` declares. A broken project (a quarter) breaks one or more of: the online
window (二(一)), the credit limit (一(四)), the yearly sessions (一(五)), the share of outside
trainees (一(五)), a practical teacher's title (一(一)), the leader's record (一(一)、一(二)),
an academic-event theme (一(二)4) or the unit's quota (二(一)); the numbers broken are the
parameters' own, so the demo breaks exactly what the rules check.

The year's projects are one round of applications, judged together (`jijiao assess` gives the
checks the year's projects): each unit's quota is set from the number of applications it makes in
the round (a unit over it breaks 二(一) for all of its applications), each leader leads one, and
no two applications share a name -- so the round breaks the rules across records only where it
means to.

The practitioners' years are the national ones (`jijiao_national.demo.Year`) attending these
projects: Wenzhou's notice sets no credit rules of its own (浙江省's are missing).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs
from jijiao import hookimpl
from jijiao.demo import City, Demo, Places
from jijiao.models import Level, Mode, Project
from jijiao_national.demo import Year, project_id

from .documents import WENZHOU
from .parameters import PARAMETERS
from .vocabulary import Application as A

SHARE = Decimal("0.25")
BROKEN_SHARE = 0.25  # of projects breaking some rule
UNIT_OVER_QUOTA_SHARE = 0.1  # of the units with a broken project: over quota, so all of theirs break 二(一)

PLACES = Places(
    province="浙江省",
    provincial_units=("温州医科大学附属第一医院", "温州医科大学附属第二医院"),
    cities=(City(WENZHOU.code, "温州市", ("永嘉县", "平阳县", "苍南县", "文成县", "泰顺县", "瑞安市", "乐清市")),),
)


def project(demo: Demo, number: int) -> tuple[Project, bool]:
    """One application, and whether it is one of the broken quarter."""
    rng, p = demo.rng, demo.params(PARAMETERS)
    broken = rng.random() < BROKEN_SHARE
    host = demo.unit(PLACES).name

    def credits(hours, mode):
        limit = p.max_credits_online if mode is Mode.REMOTE else p.max_credits_offline
        return min(hours / p.hours_per_credit, limit) + (Decimal(2) if broken else 0)  # broken: above the limit

    drawn = demo.project(project_id(WENZHOU.code, demo.year, number), jurisdiction=WENZHOU.code, level=Level.CITY,
                         host=host, credits=credits)
    # Broken: an intermediate-title teacher of the theory part (only the practical part is theirs).
    teachers = tuple(attrs.evolve(t, practical=False) if broken and t.practical and rng.random() < 0.5 else t
                     for t in drawn.teachers)
    sessions = drawn.sessions + (p.max_sessions_per_year if broken and rng.random() < 0.3 else 0)  # broken: too many
    return attrs.evolve(drawn, teachers=teachers, sessions=sessions, application=application(demo, drawn, host, broken)), broken


def application(demo: Demo, drawn: Project, host: str, broken: bool) -> dict:
    rng, p = demo.rng, demo.params(PARAMETERS)
    opens, closes = p.online_window_opens, p.online_window_closes
    if broken and rng.random() < 0.3:  # just after the window closed
        submitted = closes + timedelta(minutes=rng.randrange(1, 59))
    else:
        submitted = demo.moment(opens.date() + timedelta(days=rng.randrange((closes.date() - opens.date()).days)))
    outside_share = rng.choice([0.2, 0.5]) if broken else 0.5  # broken: fewer than a third from outside
    return {
        A.SUBMITTED_AT.name: submitted,
        A.PAPER_SUBMITTED_AT.name: demo.moment(closes.date() + timedelta(days=1), hour=9),
        A.APPLICANT.name: host,
        A.LEADER_EMPLOYED_BY_UNIT.name: not (broken and rng.random() < 0.3),
        A.LEADER_TEACHES_THEORY.name: True,
        A.LEADER_APPLICATIONS.name: p.leader_max_applications,
        A.LEADER_UNEXECUTED_RECENT.name: broken and rng.random() < 0.2,
        A.LEADER_COMPLETED_LAST_YEAR.name: rng.choice([0, 1]),
        A.INTEGRITY_RECORD.name: False,
        A.FALSIFICATION_RECORD.name: False,
        A.THEME_IS_ACADEMIC_EVENT.name: broken and rng.random() < 0.2,
        A.FORM_COMPLETE.name: True,
        A.SESSIONS_PLANNED.name: True,
        A.ATTENDANCE_UNIT_HOURS.name: Decimal(rng.choice([2, 3, 4])),
        A.ONLINE_ASSESSMENT.name: True,
        A.OUTSIDE_TRAINEES.name: int(drawn.planned_enrolment * outside_share),
        A.UNIT_FIRST_TIME.name: False,
        A.DISCIPLINE.name: drawn.teachers[0].specialty,
        # the unit's quota and count: set for the whole round, by `one_round`
    }


def one_round(demo: Demo, drawn: list[tuple[Project, bool]]) -> list[Project]:
    """The year's applications as one round: distinct names and leaders, and each unit's quota
    (2025 completed) and count (本年申报) from its applications in the round, the same on each."""
    rng, fake = demo.rng, demo.fake
    names, leaders, by_unit = set(), set(), {}
    projects, broken_units = [], set()
    for project, broken in drawn:
        name, leader = project.name, project.leader
        if name in names:  # a topic another unit runs too: the unit's name tells them apart
            name = f"{project.host}{project.name}"
        again = 1
        while name in names:  # the unit runs it twice: a second course of its own
            again += 1
            name = f"{project.host}{project.name}（{again}）"
        while leader in leaders:
            leader = fake.name()
        names.add(name)
        leaders.add(leader)
        projects.append(attrs.evolve(project, name=name, leader=leader))
        by_unit.setdefault(project.host, []).append(len(projects) - 1)
        if broken:
            broken_units.add(project.host)
    for unit, indexes in by_unit.items():
        count = len(indexes)
        broken = unit in broken_units and rng.random() < UNIT_OVER_QUOTA_SHARE
        completed = count - 1 if broken else count + rng.choice([0, 1, 2])  # broken: over quota
        for i in indexes:
            facts = {A.UNIT_COMPLETED_LAST_YEAR.name: completed, A.UNIT_APPLICATIONS.name: count}
            projects[i] = attrs.evolve(projects[i], application={**projects[i].application, **facts})
    return projects


@hookimpl
def jijiao_demo(demo):
    drawn = [project(demo, number) for number in range(1, demo.projects_per_region + 1)]
    projects = [demo.add_project(p) for p in one_round(demo, drawn)]
    year = Year(demo, projects)
    for _ in range(demo.share(SHARE)):
        year.add(demo.practitioner(WENZHOU.code, demo.unit(PLACES)))
