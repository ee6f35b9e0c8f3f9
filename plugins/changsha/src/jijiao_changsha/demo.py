"""长沙市's part of the demo (``jijiao demo``): projects held in the city with their plan
applications and filings, and a quarter of the population, each with public subjects.

- Projects (`project`): mostly city-level (their plan application, 附件2, is the application's
  网上申报时间, 第十一条), some provincial ones held in the city (filed with the city a week
  before, 第十条). A broken project (a quarter) hands its plan in after the half-year's due
  date, or files late or never; the numbers broken are the parameters' own.
- Practitioners (`ChangshaYear`): the national profiles of year, plus the public subjects by
  hours every Changsha year has (第九条; a short year has one, too few); online learning names
  its remote body, filed with the city or -- now and then -- not (第十二条); in-province
  provincial projects wait on the provincial committee's review unless it is done (第十九条);
  late registrations are refused as entered out of their year (第二十三条).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from jijiao import hookimpl
from jijiao.demo import City, Demo, Places
from jijiao.models import Level, Mode, Project
from jijiao_national.demo import Year, project_id, usual_credits
from jijiao_national.vocabulary import VERIFIED_BY_PROVINCE

from .documents import CHANGSHA
from .parameters import PARAMETERS
from .projects import yearly
from .vocabulary import FILED_WITH_CITY_AT, HELD, PUBLIC_HOURS, PUBLIC_SUBJECT, REMOTE_BODY, REMOTE_BODY_FILED, SUBMITTED_AT

SHARE = Decimal("0.25")
BROKEN_SHARE = 0.25  # of projects breaking some rule
PROVINCIAL_SHARE = 0.2  # of the projects held in the city: provincial ones
REMOTE_BODIES = ("国家卫生健康委能力建设和继续教育中心", "华医网", "好医生继续医学教育网")

PLACES = Places(
    province="湖南省",
    provincial_units=("湖南省人民医院", "湖南省肿瘤医院", "湖南中医药大学第一附属医院"),
    cities=(City(CHANGSHA.code, "长沙市", ("长沙县", "浏阳市", "宁乡市")),),
)


def project(demo: Demo, number: int) -> Project:
    rng = demo.rng
    broken = rng.random() < BROKEN_SHARE
    level = Level.PROVINCIAL if rng.random() < PROVINCIAL_SHARE else Level.CITY
    drawn = demo.project(project_id(CHANGSHA.code, demo.year, number), jurisdiction=CHANGSHA.code, level=level,
                         host=demo.unit(PLACES).name, credits=usual_credits)
    held = drawn.start < date(demo.year, 11, 1)  # assessed in late November: December's are still to come
    execution = {HELD.name: held}
    if level is Level.PROVINCIAL:
        filed = filing(demo, drawn, broken)
        if filed is not None:
            execution[FILED_WITH_CITY_AT.name] = filed
    application = {SUBMITTED_AT.name: plan_submitted(demo, drawn, broken)} if level is Level.CITY else None
    return attrs.evolve(drawn, application=application, execution=execution)


def plan_submitted(demo: Demo, project: Project, broken: bool):
    """第十一条: a city-level project's plan goes in by the due date of the half-year it starts in;
    most in the autumn before, a broken one a few days after the due date."""
    rng, p = demo.rng, demo.params(PARAMETERS)
    if broken and rng.random() < 0.3:
        due = yearly(project.start.year, p.first_half_plan_due if project.start.month <= 6 else p.second_half_plan_due)
        return demo.moment(due.date() + timedelta(days=rng.randrange(1, 10)))
    return demo.moment(date(demo.year - 1, rng.choice([10, 11]), rng.randrange(1, 28)))


def filing(demo: Demo, project: Project, broken: bool):
    """第十条: filed with the city a week before; a broken project files days late, or never."""
    rng, p = demo.rng, demo.params(PARAMETERS)
    if broken and rng.random() < 0.4:
        return None
    days = p.filing_days_before_start + (-rng.randrange(1, 5) if broken else rng.randrange(0, 5))
    return demo.moment(project.start - timedelta(days=days))


class ChangshaYear(Year):
    """The national years with Changsha's public subjects and the facts of its routes."""

    def public_subject(self) -> dict:
        held = self.demo.day()
        return dict(kind=PUBLIC_SUBJECT, date=held, hours=Decimal(self.rng.choice([10, 15, 20, 30])), passed=True,
                    approved=True, category=PUBLIC_HOURS, registered_on=held + timedelta(days=5))

    def base(self, practitioner) -> list[dict]:
        return [self.public_subject() for _ in range(2)]

    def remote_body(self, filed: bool) -> dict:
        return {REMOTE_BODY.name: self.rng.choice(REMOTE_BODIES), REMOTE_BODY_FILED.name: filed}

    def attended(self, practitioner, *, careless: bool = False, late: bool = False) -> dict:
        fields = super().attended(practitioner, careless=careless, late=late)
        facts = dict(fields["facts"])
        if fields["project_mode"] is Mode.REMOTE:
            facts.update(self.remote_body(filed=self.rng.random() < 0.85))
        elif fields["project_level"] is Level.PROVINCIAL:  # 第十九条: reviewed by the provincial committee, or not yet
            facts[VERIFIED_BY_PROVINCE.name] = self.rng.random() < 0.85
        return {**fields, "facts": facts}

    def national_remote(self, practitioner, *, verified: bool = True) -> dict:
        fields = super().national_remote(practitioner, verified=verified)
        return {**fields, "facts": {**fields["facts"], **self.remote_body(filed=True)}}


@hookimpl
def jijiao_demo(demo):
    projects = [demo.add_project(project(demo, number)) for number in range(1, demo.projects_per_region + 1)]
    year = ChangshaYear(demo, projects)
    for _ in range(demo.share(SHARE)):
        year.add(demo.practitioner(CHANGSHA.code, demo.unit(PLACES)))
