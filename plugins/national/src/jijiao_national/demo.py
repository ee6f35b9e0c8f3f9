"""The national layer's part of the demo (``jijiao demo``), and the years every region's part is made of.

`Year` draws a practitioner's year from one of the *profiles* a CME office sees, with the
national kinds of activity (`vocabulary.Kind`):

- diligent: enough face-to-face and remote projects, some self-study;
- short: too few credits;
- self_study: much self-study beside two projects (beyond a province's self-study cap);
- careless: projects with a failed assessment;
- late: credits registered after the year has closed;
- travelling: projects of provinces we have no rules for (some without an uploaded
  certificate) and national remote projects, some not yet verified by the province (702号
  三(远程授分));
- deemed: residency training, or three to seven months' further study (702号 三(视为合格)).

A province's demo subclasses `Year` to add the facts its own rules read (辽宁's exam scores,
长沙's remote bodies ...) and its own kinds, and draws its practitioners with it; so does this
plugin for the practitioners of a province no plugin covers (广东省 440000: national rules only),
who attend the national projects it publishes.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from jijiao import hookimpl
from jijiao.demo import City, Demo, Places
from jijiao.models import NATIONAL_CODE, Level, Mode, Practitioner, Project, credits

from .vocabulary import VERIFIED_BY_PROVINCE, Credits, Kind

PROFILES = (
    ("diligent", 45), ("short", 14), ("self_study", 8), ("careless", 10), ("late", 8), ("travelling", 10), ("deemed", 5),
)
"""The profiles of year and how often each is drawn."""

OTHER_PROVINCES = ("110000", "310000", "320000", "370000", "420000", "510000")
"""Provinces a travelling practitioner attends projects in: none of them has a plugin of ours."""

UNCOVERED = "440000"
UNCOVERED_SHARE = Decimal("0.10")
"""广东省: no plugin covers it, so its practitioners are judged by the national rules alone."""

GUANGDONG = Places(
    province="广东省",
    provincial_units=("广东省人民医院", "广东省中医院"),
    cities=(
        City("440100", "广州市", ("从化区", "增城区")),
        City("440300", "深圳市", ("宝安区", "龙岗区")),
        City("440600", "佛山市", ("顺德区", "南海区")),
        City("441300", "惠州市", ("博罗县", "惠东县", "龙门县")),
    ),
)

# The credits a demo certificate carries where the region's own documents set no standard (the
# national standard is 国卫办科教发〔2024〕20号's, which we do not have; 长沙's is Hunan's): one
# credit for three hours, at most ten -- what certificates commonly carry -- so they look real.
CERTIFICATE_HOURS_PER_CREDIT = Decimal(3)
CERTIFICATE_MAX_CREDITS = Decimal(10)


def usual_credits(hours: Decimal, mode: Mode | None = None) -> Decimal:
    return min(hours / CERTIFICATE_HOURS_PER_CREDIT, CERTIFICATE_MAX_CREDITS)


def project_id(code: str, year: int, number: int) -> str:
    """A demo project's number: the region's first four digits, the year, a running number."""
    return f"{code[:4]}-{year}-{number:04d}"


class Year:
    """Draws practitioners' years from the profiles, attending ``projects`` (the region's own).

    Each profile is a method ``<profile>_year`` returning the year's activities as `Activity`
    fields (without id, practitioner and year); the building blocks (`attended`,
    `national_remote`, `other_province`, `self_study`, `deeming`, `base`) are what a province
    overrides to add its own facts and kinds.
    """

    profiles = PROFILES

    def __init__(self, demo: Demo, projects: list[Project]):
        if not projects:
            raise ValueError("a demo year needs projects to attend")
        self.demo = demo
        self.rng = demo.rng
        self.projects = projects

    def add(self, practitioner: Practitioner) -> None:
        """Add ``practitioner`` and a year drawn from one of the profiles."""
        self.demo.add_practitioner(practitioner)
        profile = self.demo.weighted(self.profiles)
        for fields in getattr(self, f"{profile}_year")(practitioner):
            self.demo.add_activity(practitioner, **fields)

    # -- building blocks -----------------------------------------------------------------------

    def attended(self, practitioner, *, careless: bool = False, late: bool = False) -> dict:
        """One of the region's projects, attended to the end, with its certificate; careless
        attendees fail the assessment now and then, late ones register the next spring."""
        rng, demo = self.rng, self.demo
        project = rng.choice(self.projects)
        held = project.start or demo.day()
        remote = project.mode is Mode.REMOTE
        registered = held + timedelta(days=rng.choice([7, 30, 60]))
        if late:
            registered = date(demo.year + 1, rng.choice([2, 3]), rng.randrange(1, 28))
        return dict(
            kind=Kind.PROJECT, date=held, project=project.id, project_level=project.level, project_mode=project.mode,
            project_jurisdiction=project.jurisdiction, hours=None if remote else project.hours,
            certified_credits=credits(project.requested_credits), category=Credits.CLASS_I,
            passed=not (careless and rng.random() < 0.6),
            certificate_uploaded=True, approved=True, registered_on=registered,
            facts={VERIFIED_BY_PROVINCE.name: True} if remote else {},
        )

    def national_remote(self, practitioner, *, verified: bool = True) -> dict:
        """A national remote project (702号 一(远程互认)), its credits verified by the province or not yet."""
        held = self.demo.day()
        return dict(
            kind=Kind.PROJECT, date=held, project=None, project_level=Level.NATIONAL, project_mode=Mode.REMOTE,
            project_jurisdiction=NATIONAL_CODE, certified_credits=Decimal(self.rng.choice([2, 3, 4, 5])),
            category=Credits.CLASS_I, passed=True, approved=True, certificate_uploaded=True,
            registered_on=held + timedelta(days=3), facts={VERIFIED_BY_PROVINCE.name: verified},
        )

    def other_province(self, practitioner) -> dict:
        """A provincial project in a province without a plugin; not every certificate is uploaded
        or approved."""
        rng = self.rng
        held = self.demo.day()
        uploaded = rng.random() < 0.7
        return dict(
            kind=Kind.PROJECT, date=held, project=None, project_level=Level.PROVINCIAL, project_mode=Mode.FACE_TO_FACE,
            project_jurisdiction=rng.choice(OTHER_PROVINCES), hours=Decimal(rng.choice([6, 12, 18])),
            certified_credits=Decimal(rng.choice([2, 4, 6])), category=Credits.CLASS_I, passed=True,
            certificate_uploaded=uploaded, approved=uploaded and rng.random() < 0.8,
            registered_on=held + timedelta(days=20),
        )

    def self_study(self, count: int) -> list[dict]:
        """Planned self-study (有计划的自学), in Ⅱ类学分."""
        found = []
        for _ in range(count):
            held = self.demo.day()
            found.append(dict(kind=Kind.SELF_STUDY, date=held, hours=Decimal(self.rng.choice([10, 20, 30])),
                              approved=True, category=Credits.CLASS_II, registered_on=held + timedelta(days=15)))
        return found

    def deeming(self, practitioner) -> list[dict]:
        """What makes a year the national rules deem complete: residency training, or further study of 3, 6 or
        7 months (only 6 or more complete the year, 702号 三(视为合格)) beside one project."""
        rng = self.rng
        if rng.random() < 0.5:
            return [dict(kind=Kind.RESIDENCY_TRAINING, date=date(self.demo.year, 1, 1), passed=True,
                         months=Decimal(12), approved=True)]
        months = Decimal(rng.choice([3, 6, 7]))
        held = self.demo.day(1, 3)
        return [
            dict(kind=Kind.FURTHER_STUDY, date=held, months=months, hours=months * 160, passed=True, approved=True,
                 level=Level.PROVINCIAL, registered_on=held + timedelta(days=200)),
            self.attended(practitioner),
        ]

    def base(self, practitioner) -> list[dict]:
        """What every year of the region has besides the profile's activities (nothing here)."""
        return []

    # -- the profiles ----------------------------------------------------------------------------

    def diligent_year(self, p) -> list[dict]:
        rng = self.rng
        return [
            *self.base(p),
            *(self.attended(p) for _ in range(rng.choice([5, 6, 7]))),
            *(self.national_remote(p) for _ in range(rng.choice([1, 2, 3]))),
            *self.self_study(rng.choice([2, 3])),
        ]

    def short_year(self, p) -> list[dict]:
        return [*self.base(p)[:1], self.attended(p), *self.self_study(1)]

    def self_study_year(self, p) -> list[dict]:
        return [*self.base(p), *(self.attended(p) for _ in range(2)), *self.self_study(self.rng.choice([8, 10, 12]))]

    def careless_year(self, p) -> list[dict]:
        return [*self.base(p), *(self.attended(p, careless=True) for _ in range(4)), *self.self_study(2)]

    def late_year(self, p) -> list[dict]:
        return [*self.base(p), *(self.attended(p, late=self.rng.random() < 0.5) for _ in range(4)), self.national_remote(p)]

    def travelling_year(self, p) -> list[dict]:
        rng = self.rng
        return [
            *self.base(p),
            *(self.other_province(p) for _ in range(rng.choice([1, 2, 3]))),
            *(self.national_remote(p, verified=rng.random() < 0.85) for _ in range(rng.choice([2, 3]))),
            self.attended(p),
        ]

    def deemed_year(self, p) -> list[dict]:
        return [*self.base(p), *self.deeming(p)]


def national_projects(demo: Demo) -> list[Project]:
    """National projects, held across the country (half as many as a region publishes)."""
    return [
        demo.add_project(demo.project(
            project_id(NATIONAL_CODE, demo.year, number), jurisdiction=NATIONAL_CODE, level=Level.NATIONAL,
            host=demo.unit(GUANGDONG).name,
            credits=usual_credits,
        ))
        for number in range(1, demo.projects_per_region // 2 + 1)
    ]


@hookimpl
def jijiao_demo(demo):
    projects = national_projects(demo)
    year = Year(demo, projects)
    for _ in range(demo.share(UNCOVERED_SHARE)):
        year.add(demo.practitioner(UNCOVERED, demo.unit(GUANGDONG)))
