"""A realistic, seeded synthetic population for the demo database.

Practitioners of Liaoning (辽宁省), Wenzhou (温州市), Changsha (长沙市) and, for the national
layer alone, Guangdong (广东省, no plugin: national rules only), with Faker's zh_CN names, real
unit types and title ladders, and a year of activities drawn from *profiles* -- the kinds of
year a CME office actually sees:

- diligent: enough face-to-face and remote projects, some self-study: passes;
- short: too few credits: a shortfall;
- prolific self-study: papers, talks, science outreach beyond the annual self-study cap;
- careless: an exam under 80 %, a day with one attendance check, no evaluation: refusals;
- late: credits registered after the registration deadline;
- travelling: projects of other provinces (some without an uploaded certificate) and national
  remote projects;
- deemed: residency training, or six months' further study: the year is complete.

Projects with applications and executions (some breaking the rules: large changes, too few
grassroots trainees, one attendance check a day, late records) are generated for each city and
province, so that project findings and deadlines appear too. Same seed, same database.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Callable, Iterator

from faker import Faker

from . import storage
from .models import (
    CHINA_TZ,
    Activity,
    ActivityKind,
    Practitioner,
    Project,
    ProjectApplication,
    ProjectExecution,
    Teacher,
)

DEMO_BATCH_PREFIX = "demo-"

REGIONS = {
    # code: (share of the population, province name, cities and counties used in unit names)
    "210000": (0.40, "辽宁省", ["沈阳", "大连", "鞍山", "锦州", "丹东"], ["康平", "法库", "台安", "岫岩", "黑山", "义县", "宽甸"]),
    "330300": (0.25, "浙江省", ["温州"], ["永嘉", "平阳", "苍南", "文成", "泰顺"]),
    "430100": (0.25, "湖南省", ["长沙"], ["长沙"]),
    "440000": (0.10, "广东省", ["广州", "深圳", "佛山"], ["博罗", "惠东", "龙门"]),
}
OTHER_PROVINCES = ["110000", "310000", "320000", "370000", "420000", "510000"]
PROFILES = [  # (name, weight)
    ("diligent", 45), ("short", 14), ("self_study", 8), ("careless", 10), ("late", 8), ("travelling", 10), ("deemed", 5),
]
TITLES = [("junior", 35), ("intermediate", 35), ("associate_senior", 20), ("senior", 10)]
PROFESSIONS = [("医师", 50), ("护士", 30), ("药师", 8), ("技师", 12)]
REMOTE_BODIES = ["国家卫生健康委能力建设和继续教育中心", "华医网", "好医生继续医学教育网"]
DISCIPLINES = ["内科学", "外科学", "妇产科学", "儿科学", "护理学", "全科医学", "急诊医学", "影像医学", "中医学"]
TOPICS = ["慢性病规范化管理", "急危重症识别与处置", "合理用药", "院感防控", "基层常见病诊疗", "护理质量与安全", "超声诊断新进展", "中医适宜技术推广"]


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]


class Population:
    """Draws practitioners, projects and activities for one year from one seed."""

    def __init__(self, size: int, seed: int, year: int):
        self.size, self.year = size, year
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.projects: dict[str, list[Project]] = {}

    # -- dates ----------------------------------------------------------------------------------

    def day(self, start_month: int = 1, end_month: int = 11) -> date:
        first = date(self.year, start_month, 1)
        last = date(self.year, end_month, 28)
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def moment(self, day: date, hour: int = 10) -> datetime:
        return datetime(day.year, day.month, day.day, hour, self.rng.choice([0, 15, 30, 45]), tzinfo=CHINA_TZ)

    # -- units and people -----------------------------------------------------------------------

    def unit(self, code: str) -> tuple[str, str, bool]:
        """A unit name, its level and whether it is a grassroots unit."""
        _share, province, cities, counties = REGIONS[code]
        city, county = self.rng.choice(cities), self.rng.choice(counties)
        draw = self.rng.random()
        if draw < 0.15:
            return f"{province}人民医院", "provincial", False
        if draw < 0.45:
            return self.rng.choice([f"{city}市中心医院", f"{city}市第一人民医院", f"{city}市中医院"]), "city", False
        if draw < 0.75:
            return self.rng.choice([f"{county}县人民医院", f"{county}县中医院", f"{county}县妇幼保健院"]), "county", False
        if draw < 0.9:
            return f"{county}县{self.fake.last_name()}家镇卫生院", "county", True
        return f"{city}市{self.fake.street_name()}社区卫生服务中心", "county", True

    def practitioners(self) -> Iterator[Practitioner]:
        codes = list(REGIONS)
        weights = [REGIONS[c][0] for c in codes]
        for number in range(1, self.size + 1):
            code = self.rng.choices(codes, weights)[0]
            unit, level, grassroots = self.unit(code)
            yield Practitioner(
                id=f"D{number:07d}",
                name=self.fake.name(),
                jurisdiction=code,
                unit=unit,
                unit_level=level,
                grassroots=grassroots,
                title=weighted(self.rng, TITLES),
                profession=weighted(self.rng, PROFESSIONS),
                medicine="tcm" if "中医" in unit else "western",
                id_number=self.fake.ssn(),
                phone=self.fake.phone_number(),
            )

    # -- projects -------------------------------------------------------------------------------

    def make_projects(self, per_region: int) -> list[Project]:
        made = []
        for code in ("210000", "330300", "430100"):
            for number in range(1, per_region + 1):
                made.append(self.project(code, number))
        for number in range(1, per_region // 2 + 1):  # national projects, held everywhere
            made.append(self.project("000000", number))
        for project in made:
            self.projects.setdefault(project.jurisdiction, []).append(project)
        return made

    def application_time(self, code: str, broken: bool) -> datetime:
        """When an application went in: Wenzhou's inside its online window (二(一)), now and then a
        broken one just after it closes; elsewhere in the autumn before the year."""
        rng = self.rng
        if code == "330300":
            if broken and rng.random() < 0.3:
                return datetime(self.year, 3, 30, 18, rng.randrange(1, 59), tzinfo=CHINA_TZ)
            return self.moment(date(self.year, 3, rng.randrange(16, 30)))
        return self.moment(date(self.year - 1, rng.choice([10, 11]), rng.randrange(1, 28)))

    def project(self, code: str, number: int) -> Project:
        rng = self.rng
        level = {"000000": "national", "210000": "provincial"}.get(code, "city")
        mode = "remote" if rng.random() < 0.2 else "face_to_face"
        # Most projects are held March–October; some in early December, not yet held when the
        # year is assessed in late November, so their registration deadlines are still open.
        start = self.day(3, 10) if rng.random() < 0.85 else date(self.year, 12, rng.randrange(1, 6))
        days = rng.choice([1, 2, 3])
        hours = Decimal(rng.choice([6, 9, 12, 15, 18, 24]))
        planned = rng.choice([60, 80, 100, 150])
        unit = self.unit(code if code in REGIONS else "210000")[0]
        broken = rng.random() < 0.25  # a quarter of projects break some rule
        discipline = rng.choice(DISCIPLINES)
        completed_last_year = rng.choice([1, 2, 3])
        application = ProjectApplication(
            submitted_at=self.application_time(code, broken),
            paper_submitted_at=self.moment(date(self.year, 3, 31), hour=9),
            applicant=unit,
            leader_employed_by_unit=not (broken and rng.random() < 0.3),
            leader_teaches_theory=True,
            leader_applications=1,
            leader_unexecuted_recent=broken and rng.random() < 0.2,
            leader_completed_last_year=rng.choice([0, 1]),
            integrity_record=False,
            falsification_record=False,
            theme_is_academic_event=broken and rng.random() < 0.2,
            form_complete=True,
            sessions_planned=True,
            attendance_unit_hours=Decimal(rng.choice([2, 3, 4])),
            online_assessment=True,
            outside_trainees=int(planned * (rng.choice([0.2, 0.5]) if broken else 0.5)),
            unit_completed_last_year=completed_last_year,
            unit_first_time=False,
            unit_applications=completed_last_year + (1 if broken and rng.random() < 0.2 else 0),
            discipline=discipline,
        )
        enrolment = int(planned * (rng.choice([0.3, 1.6]) if broken and rng.random() < 0.4 else rng.uniform(0.8, 1.1)))
        execution = ProjectExecution(
            held=True,
            registered_at=self.moment(start - timedelta(days=rng.choice([3, 8, 10]) if broken else rng.choice([8, 10, 14]))),
            records_at=self.moment(start + timedelta(days=days + (rng.choice([10, 20]) if broken else rng.choice([3, 7, 10])))),
            actual_enrolment=enrolment,
            grassroots_trainees=int(enrolment * (0.05 if broken and rng.random() < 0.4 else rng.uniform(0.15, 0.5))),
            content_change_pct=Decimal(rng.choice([40, 35])) if broken and rng.random() < 0.3 else Decimal(rng.choice([0, 5, 10])),
            teacher_change_pct=Decimal(rng.choice([0, 10, 20])),
            hours_change_pct=Decimal(0),
            longest_theory_lecture_hours=Decimal(4) if broken and rng.random() < 0.3 else Decimal(rng.choice([1, 2, 3])),
            attendance_checks_per_day=1 if broken and rng.random() < 0.3 else 2,
        ) if start < date(self.year, 11, 1) else None
        leader = self.fake.name()
        return Project(
            id=f"{code[:4]}-{self.year}-{number:04d}",
            name=f"{rng.choice(TOPICS)}培训班",
            jurisdiction=code,
            level=level,
            mode=mode,
            host=unit,
            leader=leader,
            teachers=tuple(
                Teacher(
                    name=self.fake.name(),
                    title=title,
                    unit=unit,
                    specialty=discipline,
                    # intermediate titles teach the practical part, except in some broken projects
                    practical=title == "intermediate" and not (broken and rng.random() < 0.5),
                )
                for title in (
                    weighted(rng, [("associate_senior", 2), ("senior", 2), ("intermediate", 1)])
                    for _ in range(rng.choice([3, 4, 5]))
                )
            ),
            hours=hours,
            requested_credits=min(hours / 3, Decimal(5) if code == "330300" else Decimal(10)) + (Decimal(2) if broken and code == "330300" else 0),
            planned_enrolment=planned,
            sessions=rng.choice([1, 1, 2]) + (6 if broken and code == "330300" and rng.random() < 0.3 else 0),
            start=start,
            end=start + timedelta(days=days - 1),
            application=application,
            execution=execution,
        )

    # -- activities -----------------------------------------------------------------------------

    def activities(self, practitioner: Practitioner) -> list[Activity]:
        """A year of activities from one of the profiles."""
        profile = weighted(self.rng, PROFILES)
        drafts = getattr(self, f"_{profile}")(practitioner)
        return [
            Activity(id=f"{practitioner.id}-{i:02d}", practitioner=practitioner.id, year=self.year, **draft)
            for i, draft in enumerate(drafts, 1)
        ]

    def _attended(self, practitioner, *, careless=False, late=False, region=None, mode=None) -> dict:
        """A project attended to the end (or not, when careless)."""
        rng = self.rng
        pool = self.projects.get(region or practitioner.jurisdiction) or self.projects["000000"]
        project = rng.choice(pool)
        mode = mode or project.mode.value
        held = project.start or self.day()
        score = Decimal(rng.choice([62, 70, 75])) if careless and rng.random() < 0.6 else Decimal(rng.choice([80, 85, 90, 95, 100]))
        registered = held + timedelta(days=rng.choice([7, 30, 60]))
        if late:
            registered = date(self.year + 1, rng.choice([2, 3]), rng.randrange(1, 28))
        return dict(
            kind="project", date=held, project=project.id, project_level=project.level.value, project_mode=mode,
            project_jurisdiction=project.jurisdiction, hours=project.hours if mode == "face_to_face" else None,
            certified_credits=min(project.hours / 3, Decimal(10)).quantize(Decimal("0.1")),
            category="class_i", passed=score >= 80, exam_score_pct=score,
            attendance_per_day=1 if careless and rng.random() < 0.5 else 2,
            evaluation_done=not (careless and rng.random() < 0.3),
            certificate_uploaded=True, approved=True, registered_on=registered,
            remote_body=rng.choice(REMOTE_BODIES) if mode == "remote" else "",
            remote_body_filed=(rng.random() < 0.85) if mode == "remote" else None,
            verified_by_province=True if mode == "remote" else None,
        )

    def _national_remote(self, practitioner, verified=True) -> dict:
        held = self.day()
        credits = Decimal(self.rng.choice([2, 3, 4, 5]))
        return dict(
            kind="project", date=held, project=None, project_level="national", project_mode="remote",
            project_jurisdiction="000000", certified_credits=credits, category="class_i", passed=True,
            remote_body=self.rng.choice(REMOTE_BODIES), remote_body_filed=True, verified_by_province=verified,
            approved=True, certificate_uploaded=True, registered_on=held + timedelta(days=3),
        )

    def _other_province(self, practitioner) -> dict:
        held = self.day()
        uploaded = self.rng.random() < 0.7
        return dict(
            kind="project", date=held, project=None, project_level="provincial", project_mode="face_to_face",
            project_jurisdiction=self.rng.choice(OTHER_PROVINCES), hours=Decimal(self.rng.choice([6, 12, 18])),
            certified_credits=Decimal(self.rng.choice([2, 4, 6])), category="class_i", passed=True,
            exam_score_pct=Decimal(90), attendance_per_day=2, evaluation_done=True,
            certificate_uploaded=uploaded, approved=uploaded and self.rng.random() < 0.8,
            registered_on=held + timedelta(days=20),
        )

    def _self_item(self, kind: str, **facts) -> dict:
        held = self.day()
        return dict(kind=kind, date=held, approved=True, plan_submitted_on=date(self.year, 1, 20),
                    evidence_submitted_on=held + timedelta(days=10), registered_on=held + timedelta(days=15),
                    category="class_ii", **facts)

    def _some_self_study(self, count: int) -> list[dict]:
        rng = self.rng
        menu = [
            lambda: self._self_item("self_paper", journal_tier=rng.choice(["sci", "core", "ordinary"]), rank=rng.choice([1, 2, 3])),
            lambda: self._self_item("self_teaching", hours=Decimal(rng.choice([2, 4, 8])), sessions=rng.choice([1, 2, 4])),
            lambda: self._self_item("self_health_education", sessions=rng.choice([1, 2, 3, 5])),
            lambda: self._self_item("self_translation", words=rng.choice([3000, 5000, 10000])),
            lambda: self._self_item("self_plan", hours=Decimal(rng.choice([10, 20, 30]))),
        ]
        return [rng.choice(menu)() for _ in range(count)]

    def _public_subject(self) -> dict:
        held = self.day()
        return dict(kind="public_subject", date=held, hours=Decimal(self.rng.choice([10, 15, 20, 30])), passed=True,
                    approved=True, category="public_hours", registered_on=held + timedelta(days=5))

    def _base(self, practitioner) -> list[dict]:
        """Changsha's public subjects: every Changsha year has some."""
        return [self._public_subject() for _ in range(2)] if practitioner.jurisdiction == "430100" else []

    def _diligent(self, p) -> list[dict]:
        rng = self.rng
        return [
            *self._base(p),
            *(self._attended(p) for _ in range(rng.choice([5, 6, 7]))),
            *(self._national_remote(p) for _ in range(rng.choice([1, 2, 3]))),
            *self._some_self_study(rng.choice([2, 3])),
        ]

    def _short(self, p) -> list[dict]:
        return [*self._base(p)[:1], self._attended(p), *self._some_self_study(1)]

    def _self_study(self, p) -> list[dict]:
        return [*self._base(p), *(self._attended(p) for _ in range(2)), *self._some_self_study(self.rng.choice([8, 10, 12]))]

    def _careless(self, p) -> list[dict]:
        return [*self._base(p), *(self._attended(p, careless=True) for _ in range(4)), *self._some_self_study(2)]

    def _late(self, p) -> list[dict]:
        return [*self._base(p), *(self._attended(p, late=self.rng.random() < 0.5) for _ in range(4)), self._national_remote(p)]

    def _travelling(self, p) -> list[dict]:
        rng = self.rng
        return [
            *self._base(p),
            *(self._other_province(p) for _ in range(rng.choice([1, 2, 3]))),
            *(self._national_remote(p, verified=rng.random() < 0.85) for _ in range(rng.choice([2, 3]))),
            self._attended(p),
        ]

    def _deemed(self, p) -> list[dict]:
        if self.rng.random() < 0.5:
            return [*self._base(p), dict(kind="residency_training", date=date(self.year, 1, 1), passed=True, months=Decimal(12), approved=True)]
        months = Decimal(self.rng.choice([3, 6, 7]))
        held = self.day(1, 3)
        return [
            *self._base(p),
            dict(kind="further_study", date=held, months=months, hours=months * 160, passed=True, approved=True,
                 level="provincial", registered_on=held + timedelta(days=200)),
            self._attended(p),
        ]


def build(db, size: int, seed: int, year: int, progress: Callable[[int], None] | None = None,
          population_class: type[Population] = Population) -> dict:
    """Write the demo population into ``db`` (replacing an earlier demo population); counts.

    ``population_class`` lets a caller draw a different mix from the same generator (the
    province benchmark, bench/province.py, draws busier years)."""
    started = time.perf_counter()
    population = population_class(size, seed, year)
    batch = f"{DEMO_BATCH_PREFIX}{seed}-{year}"
    stamp = storage.now_text()
    tail = (batch, "jijiao demo", None, stamp)
    counts = {"practitioners": 0, "projects": 0, "activities": 0}
    with db.atomic():
        for table in ("activities", "projects", "practitioners"):
            db.conn.execute(f"DELETE FROM [{table}] WHERE import_batch LIKE ?", (DEMO_BATCH_PREFIX + "%",))
        db.conn.execute("DELETE FROM import_batches WHERE id = ?", (batch,))
        db.conn.execute(
            storage.insert_sql("import_batches", ["id", "file", "kind", "format", "encoding", "sha256", "started_at", "notes"]),
            (batch, "jijiao demo", "demo", "synthetic", "", "", stamp, f"seed {seed}, size {size}, year {year}"),
        )
        projects = population.make_projects(per_region=max(20, size // 100))
        storage.upsert_records(db, "projects", [(*storage.PROJECT_CODEC.encode(p), *tail) for p in projects])
        counts["projects"] = len(projects)
        people, acts = [], []
        for practitioner in population.practitioners():
            people.append((*storage.PRACTITIONER_CODEC.encode(practitioner), *tail))
            for activity in population.activities(practitioner):
                acts.append((*storage.ACTIVITY_CODEC.encode(activity), *tail))
            if len(people) >= 2000:
                counts["practitioners"] += flush(db, people, acts, counts)
                if progress:
                    progress(2000)
        remaining = len(people)
        counts["practitioners"] += flush(db, people, acts, counts)
        if progress and remaining:
            progress(remaining)
        db.conn.execute(
            "UPDATE import_batches SET rows_read = ?, rows_loaded = ?, rows_bad = 0, finished_at = ? WHERE id = ?",
            (sum(counts.values()), sum(counts.values()), storage.now_text(), batch),
        )
    counts["seconds"] = time.perf_counter() - started
    return counts


def flush(db, people: list, acts: list, counts: dict) -> int:
    storage.upsert_records(db, "practitioners", people)
    storage.upsert_records(db, "activities", acts)
    written = len(people)
    counts["activities"] += len(acts)
    people.clear()
    acts.clear()
    return written
