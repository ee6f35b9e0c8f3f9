"""The demo population: a seeded synthetic year for ``jijiao demo``, drawn by the installed plugins.

Core holds only the orchestration. What a year looks like in a region -- its units and cities,
the kinds of activity and the facts its rules read, its projects and how some of them break its
rules -- is drawn by that region's plugin through the ``jijiao_demo`` hook (see `hookspecs`), so
a new region appears in the demo with its plugin and nothing here names one.

How `build` puts a demo together:

- each plugin's hook is called once, in plugin-name order, with a `Demo` of its own whose
  ``rng`` (`random.Random`) and ``fake`` (Faker, zh_CN) are seeded from the demo's seed *and
  the plugin's name*: one plugin's draws never shift another's, so installing a fifth region
  leaves the other regions' people, projects and activities as they were (only the running
  numbers of the practitioners after it move);
- a plugin asks for its share of the population (`Demo.share`); shares are fractions of
  ``size``, rounded so that shares adding up to one give exactly ``size`` people;
- records stream into the database in batches as plugins add them (a province-sized year never
  sits in memory), in one transaction that first removes any earlier demo population;
- a plugin whose hook raises is reported by its name (``counts["problems"]``, and the import
  batch's notes) and everything it added is rolled back; the other plugins' parts stand.

The generic pieces every region's demo draws with are here too, and none of them is a region's
rule: dates, units of the usual Chinese kinds (`Places`, `Demo.unit`), people
(`Demo.practitioner`) and training courses (`Demo.project`). The profiles of year a CME office
sees (diligent, short, careless, late, travelling, deemed ...) are built from the national kinds
of activity by the national plugin (``jijiao_national.demo.Year``), and each province refines
them with its own kinds and facts. Same seed, same database.
"""

from __future__ import annotations

import hashlib
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Callable, Iterable

import attrs
from faker import Faker

from . import regions, storage
from .models import CHINA_TZ, Activity, Level, Mode, Practitioner, Project, Teacher
from .plugins import PluginFailure, RuleContext, plugin_name

DEMO_BATCH_PREFIX = "demo-"
HOOK = "jijiao_demo"
BATCH_PRACTITIONERS = 2000  # written (and reported to ``progress``) every this many people ...
BATCH_ACTIVITIES = 20000  # ... or this many activities, whichever comes first

# The make-up of any region's staff and courses (not a rule of any region).
TITLES = (("junior", 35), ("intermediate", 35), ("associate_senior", 20), ("senior", 10))
PROFESSIONS = (("医师", 50), ("护士", 30), ("药师", 8), ("技师", 12))
TEACHER_TITLES = (("associate_senior", 2), ("senior", 2), ("intermediate", 1))
DISCIPLINES = ("内科学", "外科学", "妇产科学", "儿科学", "护理学", "全科医学", "急诊医学", "影像医学", "中医学")
TOPICS = ("慢性病规范化管理", "急危重症识别与处置", "合理用药", "院感防控", "基层常见病诊疗", "护理质量与安全",
          "超声诊断新进展", "中医适宜技术推广")
REMOTE_SHARE = 0.2  # of projects held online
HELD_IN_DECEMBER_SHARE = 0.15  # of projects held in early December: not yet held when the year is assessed


def derived_seed(seed: int, plugin: str) -> int:
    """A plugin's own seed: the same for the same demo seed and plugin name, on any machine
    (hashlib, not ``hash``, which changes between processes)."""
    return int.from_bytes(hashlib.sha256(f"{seed}/{plugin}".encode()).digest()[:8], "big")


def weighted(rng: random.Random, choices: Iterable[tuple[str, int]]) -> str:
    choices = tuple(choices)
    return rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]


# --------------------------------------------------------------------------------------------
# Places and units
# --------------------------------------------------------------------------------------------


@attrs.frozen
class City:
    """A city (地级市) and the counties (县、县级市、区) of it that unit names use."""

    code: str
    name: str
    counties: tuple[str, ...] = attrs.field(converter=tuple)


@attrs.frozen
class Places:
    """Where a region's practitioners work, for drawing units (`Demo.unit`).

    Attributes:
        province: The province's name.
        provincial_units: Provincial-level hospitals the region's people work in.
        cities: The cities, each with some of its counties; a unit's city is drawn evenly.
    """

    province: str
    provincial_units: tuple[str, ...] = attrs.field(converter=tuple)
    cities: tuple[City, ...] = attrs.field(converter=tuple)


@attrs.frozen
class Unit:
    """A drawn workplace: its name, level, whether it is grassroots, the code of its city, and
    ``place``: the GB/T 2260 code of where it is -- its county (区、县、县级市) where its name
    names one GB/T 2260 lists under the city, else the city; the province for a provincial
    hospital (省直单位). A region whose practitioners are coded where they practise uses it as
    their jurisdiction code."""

    name: str
    level: Level
    grassroots: bool
    city: str
    place: str | None = None


# --------------------------------------------------------------------------------------------
# One build: what the plugins' Demo objects share
# --------------------------------------------------------------------------------------------


class _Build:
    """The running state of one `build`: buffers, counts, running numbers and the shares asked."""

    def __init__(self, db, size: int, seed: int, year: int, progress, tail: tuple):
        self.db, self.size, self.seed, self.year = db, size, seed, year
        self.progress = progress
        self.tail = tail
        self.codecs = {table: storage.codec(db, table) for table in storage.INPUT_TABLES}
        self.rows: dict[str, list[tuple]] = {table: [] for table in storage.INPUT_TABLES}
        self.counts = {table: 0 for table in storage.INPUT_TABLES}
        self.by_plugin: dict[str, int] = {}
        self.next_number = 1
        self.asked = Fraction(0)
        self.project_ids: set[str] = set()
        self.problems: list[str] = []

    def add(self, table: str, record) -> None:
        self.rows[table].append((*self.codecs[table].encode(record), *self.tail))

    def maybe_flush(self) -> None:
        if len(self.rows["practitioners"]) >= BATCH_PRACTITIONERS or len(self.rows["activities"]) >= BATCH_ACTIVITIES:
            self.flush()

    def flush(self) -> None:
        people = len(self.rows["practitioners"])
        for table in ("projects", "practitioners", "activities"):
            rows = self.rows[table]
            if rows:
                storage.upsert_records(self.db, table, rows)
                self.counts[table] += len(rows)
                rows.clear()
        if self.progress and people:
            self.progress(people)

    def mark(self) -> tuple:
        return dict(self.counts), self.next_number, self.asked, set(self.project_ids)

    def restore(self, mark: tuple) -> None:
        """Back to ``mark``: a failed plugin's part is gone (its rows are rolled back by the caller)."""
        counts, self.next_number, self.asked, self.project_ids = mark
        self.counts.update(counts)
        for rows in self.rows.values():
            rows.clear()


# --------------------------------------------------------------------------------------------
# What a plugin's hook is given
# --------------------------------------------------------------------------------------------


class Demo:
    """One plugin's part of the demo: its seeded ``rng`` and ``fake``, and where its records go.

    Attributes:
        plugin: The plugin's name (its entry point).
        registry: The installed plugins (for `params` and to check what is added).
        rng: `random.Random` seeded from the demo's seed and ``plugin``.
        fake: Faker (zh_CN) seeded the same way: names, streets, ID numbers, phones.
        year: The year drawn.
        size: The population asked for (``jijiao demo --size``).

    A plugin adds its practitioners each followed by that practitioner's activities::

        person = demo.add_practitioner(demo.practitioner(JURISDICTION.code, demo.unit(PLACES)))
        demo.add_activity(person, kind=MY_KIND, date=demo.day(), facts={MY_FACT.name: ...})

    (``jijiao_national.demo`` and the provinces' ``demo`` modules are the worked examples.)

    Subclasses may change what is written: `activities_written` is called with each practitioner's finished
    year (the province benchmark, bench/province.py, tops it up to a busier one).
    """

    def __init__(self, build: _Build, plugin: str, registry):
        self.plugin = plugin
        self.registry = registry
        self.year = build.year
        self.size = build.size
        seed = derived_seed(build.seed, plugin)
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self._build = build
        self._open: tuple[Practitioner, list[Activity]] | None = None
        self._issued: set[str] = set()
        self._facts = {record: set(facts) for record, facts in registry.facts.items()}

    # -- how many -------------------------------------------------------------------------------

    def share(self, fraction) -> int:
        """How many practitioners to draw for ``fraction`` of the population (0.4 = 40 %).

        Shares are counted in the order plugins are called and rounded on the running total, so
        shares adding up to one give exactly ``size`` people whatever the size."""
        share = Fraction(str(fraction))
        if not 0 <= share <= 1:
            raise ValueError(f"share {fraction!r}: a share of the population is between 0 and 1")
        build = self._build
        before = build.asked
        build.asked += share
        return _rounded(build.size * build.asked) - _rounded(build.size * before)

    @property
    def projects_per_region(self) -> int:
        """How many projects a region publishes in a demo of this size (at least 20)."""
        return max(20, self.size // 100)

    def params(self, parameters):
        """A plugin's policy numbers as a run without what-ifs reads them (``p.annual_credits``),
        so that a demo's rule-breaking projects break the numbers the rules will check."""
        return RuleContext(self.registry, year=self.year).params(parameters)

    # -- dates ----------------------------------------------------------------------------------

    def day(self, start_month: int = 1, end_month: int = 11) -> date:
        """A day of the year from the first of ``start_month`` to the 28th of ``end_month``."""
        first = date(self.year, start_month, 1)
        last = date(self.year, end_month, 28)
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def moment(self, day: date, hour: int = 10) -> datetime:
        """A time (Beijing) on ``day`` around ``hour`` o'clock."""
        return datetime(day.year, day.month, day.day, hour, self.rng.choice([0, 15, 30, 45]), tzinfo=CHINA_TZ)

    def weighted(self, choices: Iterable[tuple[str, int]]) -> str:
        """One of ``(value, weight)`` pairs, drawn by weight."""
        return weighted(self.rng, choices)

    # -- units and people -----------------------------------------------------------------------

    def unit(self, places: Places) -> Unit:
        """A workplace as a region's staff are spread: provincial hospitals 15 %, city
        hospitals 30 %, county hospitals 30 %, township health centres 15 % and community
        health centres 10 % (the last two grassroots units, at county level)."""
        city = self.rng.choice(places.cities)
        county = self.rng.choice(city.counties)
        in_county = regions.code_in(city.code, county) or city.code
        draw = self.rng.random()
        if draw < 0.15:
            return Unit(self.rng.choice(places.provincial_units), Level.PROVINCIAL, False, city.code, city.code[:2] + "0000")
        if draw < 0.45:
            name = self.rng.choice([f"{city.name}中心医院", f"{city.name}第一人民医院", f"{city.name}中医院"])
            return Unit(name, Level.CITY, False, city.code, city.code)
        if draw < 0.75:
            name = self.rng.choice([f"{county}人民医院", f"{county}中医院", f"{county}妇幼保健院"])
            return Unit(name, Level.COUNTY, False, city.code, in_county)
        if draw < 0.9:
            return Unit(f"{county}{self.fake.last_name()}家镇卫生院", Level.COUNTY, True, city.code, in_county)
        return Unit(f"{city.name}{self.fake.street_name()}社区卫生服务中心", Level.COUNTY, True, city.code, city.code)

    def practitioner(self, jurisdiction: str, unit: Unit, **fields) -> Practitioner:
        """A new practitioner of ``unit``, with the next running number (D0000001 ...), a
        Chinese name, a title and profession in the usual mix, an ID number and a phone.
        ``fields`` override what is drawn. Add it with `add_practitioner`."""
        build = self._build
        number = build.next_number
        build.next_number += 1
        values = dict(
            id=f"D{number:07d}",
            name=self.fake.name(),
            jurisdiction=jurisdiction,
            unit=unit.name,
            unit_level=unit.level,
            grassroots=unit.grassroots,
            title=self.weighted(TITLES),
            profession=self.weighted(PROFESSIONS),
            medicine="tcm" if "中医" in unit.name else "western",
            id_number=self.fake.ssn(),
            phone=self.fake.phone_number(),
        )
        values.update(fields)
        person = Practitioner(**values)
        self._issued.add(person.id)
        return person

    def discipline(self) -> str:
        return self.rng.choice(DISCIPLINES)

    def project(self, id: str, *, jurisdiction: str, level: str | Level, host: str,
                credits: Callable[[Decimal, Mode], Decimal], discipline: str | None = None, **fields) -> Project:
        """A training course as hosts run them: a topic, 1–3 days between March and October (some
        in early December, not yet held when the year is assessed, so their deadlines are still
        open), 6–24 hours, 60–150 places, one or two sessions, 3–5 teachers of ``discipline``
        (teachers with an intermediate title teach the practical part), a fifth of them online.
        ``credits(hours, mode)`` gives the credits applied for; ``fields`` override what is drawn
        (application, execution ...). Add it with `add_project`."""
        rng, fake = self.rng, self.fake
        mode = Mode.REMOTE if rng.random() < REMOTE_SHARE else Mode.FACE_TO_FACE
        if rng.random() < HELD_IN_DECEMBER_SHARE:
            start = date(self.year, 12, rng.randrange(1, 6))
        else:
            start = self.day(3, 10)
        days = rng.choice([1, 2, 3])
        hours = Decimal(rng.choice([6, 9, 12, 15, 18, 24]))
        discipline = discipline or self.discipline()
        teachers = tuple(
            Teacher(name=fake.name(), title=title, unit=host, specialty=discipline, practical=title == "intermediate")
            for title in (self.weighted(TEACHER_TITLES) for _ in range(rng.choice([3, 4, 5])))
        )
        values = dict(
            id=id,
            name=f"{rng.choice(TOPICS)}培训班",
            jurisdiction=jurisdiction,
            level=level,
            mode=mode,
            host=host,
            leader=fake.name(),
            teachers=teachers,
            hours=hours,
            requested_credits=credits(hours, mode),
            planned_enrolment=rng.choice([60, 80, 100, 150]),
            sessions=rng.choice([1, 1, 2]),
            start=start,
            end=start + timedelta(days=days - 1),
        )
        values.update(fields)
        return Project(**values)

    # -- adding records -------------------------------------------------------------------------

    def add_practitioner(self, practitioner: Practitioner) -> Practitioner:
        """Add a practitioner made by `practitioner`; their activities follow (`add_activity`)."""
        if practitioner.id not in self._issued:
            raise ValueError(f"practitioner {practitioner.id!r}: make practitioners with demo.practitioner() "
                             "(it gives each a number of its own), and add each once")
        self._issued.discard(practitioner.id)
        self._close()
        self._open = (practitioner, [])
        return practitioner

    def add_activity(self, practitioner: Practitioner, **fields) -> Activity:
        """Add one activity of ``practitioner`` (the one added last): ``fields`` are the
        `Activity` fields but id, practitioner and year, which are filled in; a plugin's own
        facts go in ``facts`` by their declared names."""
        if self._open is None or self._open[0].id != practitioner.id:
            raise ValueError(f"activity of {practitioner.id!r}: add a practitioner's activities right after "
                             "add_practitioner, before the next practitioner")
        activities = self._open[1]
        number = self.activity_id(practitioner, len(activities) + 1)
        self._check_declared(number, "activity", fields.get("facts"))
        activity = Activity(id=number, practitioner=practitioner.id, year=self.year, **fields)
        if activity.kind.code not in self.registry.kinds:
            raise ValueError(f"activity {activity.id}: kind {activity.kind.code!r} is declared by no installed plugin")
        if activity.category is not None and activity.category.code not in self.registry.categories:
            raise ValueError(f"activity {activity.id}: category {activity.category.code!r} is declared by no installed plugin")
        activities.append(activity)
        return activity

    def add_project(self, project: Project) -> Project:
        """Add a project (practitioners' activities name it by id)."""
        if project.id in self._build.project_ids:
            raise ValueError(f"project {project.id!r} is added twice")
        for part in ("application", "execution"):
            self._check_declared(project.id, part, getattr(project, part))
        self._build.project_ids.add(project.id)
        self._build.add("projects", project)
        return project

    @staticmethod
    def activity_id(practitioner: Practitioner, number: int) -> str:
        return f"{practitioner.id}-{number:02d}"

    def activities_written(self, practitioner: Practitioner, activities: list[Activity]) -> list[Activity]:
        """The activities written for ``practitioner``'s year: as the plugin drew them.

        The extension point for callers that want a different year from the same draws
        (bench/province.py tops each year up); number new activities with `activity_id`."""
        return activities

    def _check_declared(self, subject: str, record: str, facts) -> None:
        unknown = sorted(set(facts or ()) - self._facts[record])
        if unknown:
            raise ValueError(f"{subject}: {record} facts {', '.join(unknown)} are declared by no installed plugin "
                             "(they would not be stored)")

    def _close(self) -> None:
        """Write the open practitioner and their year into the batch."""
        if self._open is None:
            return
        practitioner, activities = self._open
        self._open = None
        build = self._build
        build.add("practitioners", practitioner)
        for activity in self.activities_written(practitioner, activities):
            build.add("activities", activity)
        build.by_plugin[self.plugin] = build.by_plugin.get(self.plugin, 0) + 1
        build.maybe_flush()


def _rounded(value: Fraction) -> int:
    """Half up (``round`` would round halves to even: 37.5 and 38.5 both to 38)."""
    return int(value + Fraction(1, 2))


def contributors(registry) -> list[tuple[str, Callable, tuple[str, ...]]]:
    """(plugin name, hook function, argument names) of every plugin with a demo, by plugin name."""
    pm = registry.pm
    found = [(plugin_name(pm, impl.plugin), impl.function, tuple(impl.argnames))
             for impl in getattr(pm.hook, HOOK).get_hookimpls()]
    return sorted(found, key=lambda item: item[0])


def build(db, size: int, seed: int, year: int, progress: Callable[[int], None] | None = None,
          demo_class: type[Demo] = Demo, registry=None) -> dict:
    """Write the demo population into ``db`` (replacing an earlier demo population); counts.

    Each installed plugin with a ``jijiao_demo`` hook draws its part (see the module's text).
    ``progress`` is called with the number of practitioners written in each batch. ``registry``
    defaults to the one ``db`` was opened with. ``demo_class`` (a `Demo` subclass) lets a caller
    change what is written from the same draws: bench/province.py draws busier years.

    Returns the counts of practitioners, projects and activities written, ``seconds``,
    ``by_plugin`` (practitioners per plugin) and ``problems`` (one line per plugin whose hook
    failed, naming it; its part is left out)."""
    started = time.perf_counter()
    registry = registry if registry is not None else storage.schema_of(db).registry
    batch = f"{DEMO_BATCH_PREFIX}{seed}-{year}"
    stamp = storage.now_text()
    state = _Build(db, size, seed, year, progress, (batch, "jijiao demo", None, stamp))
    with db.atomic():
        for table in ("activities", "projects", "practitioners"):
            db.conn.execute(f"DELETE FROM [{table}] WHERE import_batch LIKE ?", (DEMO_BATCH_PREFIX + "%",))
        db.conn.execute("DELETE FROM import_batches WHERE id LIKE ? AND kind = 'demo'", (DEMO_BATCH_PREFIX + "%",))
        db.conn.execute(
            storage.insert_sql("import_batches", ["id", "file", "kind", "format", "encoding", "sha256", "started_at", "notes"]),
            (batch, "jijiao demo", "demo", "synthetic", "", "", stamp, f"seed {seed}, size {size}, year {year}"),
        )
        for name, function, argnames in contributors(registry):
            mark = state.mark()
            try:
                with db.atomic():  # a savepoint: a failing plugin's rows go, the others' stay
                    demo = demo_class(state, name, registry)
                    function(**{arg: demo for arg in argnames})
                    demo._close()
                    state.flush()
            except Exception as error:  # a faulty plugin must not stop the others' demo
                state.restore(mark)
                state.by_plugin.pop(name, None)
                state.problems.append(str(PluginFailure(name, HOOK, error)))
        written = sum(state.counts.values())
        notes = "；".join([f"seed {seed}, size {size}, year {year}", *state.problems])
        db.conn.execute(
            "UPDATE import_batches SET rows_read = ?, rows_loaded = ?, rows_bad = 0, finished_at = ?, notes = ? WHERE id = ?",
            (written, written, storage.now_text(), notes, batch),
        )
    return {
        "practitioners": state.counts["practitioners"],
        "projects": state.counts["projects"],
        "activities": state.counts["activities"],
        "seconds": time.perf_counter() - started,
        "by_plugin": dict(state.by_plugin),
        "problems": list(state.problems),
    }
