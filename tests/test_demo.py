"""The demo population: seeded, drawn by the installed plugins, every kind of year an office sees."""

import hashlib

import attrs
import pytest
from click.testing import CliRunner

from jijiao import demo, hookimpl, regions, storage
from jijiao.cli import cli
from jijiao.demo import City, Places
from jijiao.models import Jurisdiction
from jijiao.plugins import Registry, get_plugin_manager

SIZE = 300
PROVENANCE = len(storage.PROVENANCE)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(path), "--size", str(SIZE), "--seed", "7"])
    assert result.exit_code == 0, result.output
    return path, result.output


def rows(db, table: str, skip: int = 0) -> list[tuple]:
    """A table's rows in id order, without the import's provenance (and the first ``skip`` columns)."""
    return [row[skip:-PROVENANCE] for row in db.execute(f"SELECT * FROM {table} ORDER BY id")]


def fingerprint(path) -> str:
    db = storage.connect(path)
    digest = hashlib.sha256()
    for table in ("practitioners", "projects", "activities"):
        for row in rows(db, table):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_demo_command_builds_assesses_and_says_how_to_browse(built):
    path, output = built
    assert f"演示数据：{SIZE} 人" in output
    assert "运行 #1「baseline」2026 年度" in output
    for name in ("辽宁省", "温州市", "长沙市", "广东省"):
        assert name in output
    assert f"jijiao serve --db {path}" in output
    db = storage.connect(path)
    assert db.execute("SELECT count(*) FROM annual_results").fetchone()[0] == SIZE


def test_the_same_seed_gives_the_same_population(built, tmp_path):
    path, _output = built
    db = storage.connect(tmp_path / "again.db")
    demo.build(db, SIZE, 7, 2026)
    assert fingerprint(tmp_path / "again.db") == fingerprint(path)
    demo.build(db, SIZE // 2, 7, 2026)  # a second demo replaces the first, never adds to it
    assert db.execute("SELECT count(*) FROM practitioners").fetchone()[0] == SIZE // 2
    assert db.execute("SELECT count(*) FROM import_batches WHERE kind = 'demo'").fetchone()[0] == 1
    other = storage.connect(tmp_path / "other.db")
    demo.build(other, SIZE, 8, 2026)
    assert fingerprint(tmp_path / "other.db") != fingerprint(path)


def test_the_population_holds_every_kind_of_year(built):
    db = storage.connect(built[0])
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT count(DISTINCT substr(jurisdiction, 1, 2)) FROM practitioners") == 4  # four provinces
    assert one("SELECT count(DISTINCT unit_level) FROM practitioners") == 3
    assert one("SELECT count(*) FROM practitioners WHERE unit LIKE '%镇卫生院' AND grassroots = 1") > 0
    assert one("SELECT count(DISTINCT title) FROM practitioners") == 4
    assert one("SELECT count(*) FROM activities WHERE exam_score_pct < 80") > 0                # refusals
    assert one("SELECT count(*) FROM activities WHERE attendance_per_day < 2") > 0
    assert one("SELECT count(*) FROM activities WHERE registered_on >= '2027-01-01'") > 0      # late filings
    assert one("SELECT count(*) FROM activities WHERE project_jurisdiction NOT IN ('000000', '210000', '330300', '430100')") > 0
    assert one("SELECT count(*) FROM activities WHERE project_mode = 'remote' AND project_level = 'national'") > 0
    assert one("SELECT count(*) FROM activities WHERE kind IN ('residency_training', 'further_study')") > 0
    assert one("SELECT count(*) FROM activities WHERE kind LIKE 'self_%' AND kind != 'self_study'") > 0  # 辽宁's own kinds
    assert one("SELECT count(*) FROM activities WHERE kind = 'public_subject'") > 0                      # 长沙's
    assert one("SELECT count(*) FROM projects WHERE has_execution = 1 AND execution_attendance_checks_per_day < 2") > 0
    assert one("SELECT count(*) FROM projects WHERE application_submitted_at > '2026-03-30T18:00'") > 0  # after 温州's window
    assert one("SELECT count(*) FROM projects WHERE start >= '2026-12-01'") > 0                          # deadlines still open
    assert one("SELECT count(*) FROM practitioners WHERE length(id_number) = 18") == SIZE
    # 辽宁's units are named after its real cities, and its people are coded where they practise
    # (GB/T 2260): the county or city the unit's name begins with, the province for a provincial hospital.
    cities = ("沈阳", "大连", "鞍山", "丹东", "锦州", "康平", "法库", "新民", "长海", "瓦房店", "庄河", "台安", "岫岩",
              "海城", "宽甸", "东港", "凤城", "黑山", "义县", "凌海", "北镇", "辽宁省")
    people = db.execute("SELECT jurisdiction, unit, unit_level FROM practitioners WHERE jurisdiction LIKE '21%'").fetchall()
    assert people and all(any(city in unit for city in cities) for _code, unit, _level in people)
    for code, unit, level in people:
        if level == "provincial":
            assert code == "210000", unit
        else:
            assert regions.name_of(code) and unit.startswith(regions.name_of(code)), (code, unit)
    codes = {code for code, _unit, _level in people}
    assert {c for c in codes if c.endswith("00") and not c.endswith("0000")} and {c for c in codes if not c.endswith("00")}


def test_the_assessed_demo_shows_passes_failures_caps_deemed_years_and_findings(built):
    db = storage.connect(built[0])
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    verdicts = {r[0] for r in db.execute("SELECT DISTINCT verdict FROM annual_results")}
    assert {"合格", "不合格", "无法判定"} <= verdicts
    assert one("SELECT count(*) FROM annual_results WHERE deemed_complete IS NOT NULL") > 0
    assert one("SELECT count(*) FROM annual_results WHERE shortfall > 0") > 0
    assert one("SELECT count(*) FROM cap_applications") > 0
    assert one("SELECT count(*) FROM credit_awards WHERE status = '不予授予'") > 0
    assert one("SELECT count(*) FROM recognitions WHERE cross_region = 1") > 0
    projects_found = {r[0] for r in db.execute("SELECT DISTINCT jurisdiction FROM findings WHERE subject_kind = 'project'")}
    assert {"210000", "330300", "430100"} <= projects_found  # each region's projects break its own rules


# --- the orchestration, with throwaway regions ------------------------------------------------------------


ELSEWHERE = Places("新疆维吾尔自治区", ["新疆维吾尔自治区人民医院"], [City("650100", "乌鲁木齐市", ["乌鲁木齐县"])])


class ThrowawayRegion:
    """A region with a demo of its own: a tenth of the population, practitioners without activities."""

    code = "650000"

    @hookimpl
    def jijiao_jurisdictions(self):
        return [Jurisdiction(self.code, "新疆维吾尔自治区", "provincial", "000000")]

    @hookimpl
    def jijiao_demo(self, demo):
        for _ in range(demo.share("0.1")):
            demo.add_practitioner(demo.practitioner(self.code, demo.unit(ELSEWHERE)))


class FailingRegion(ThrowawayRegion):
    """Draws its part, then fails: its part must go, named, and the others' stay."""

    @hookimpl
    def jijiao_demo(self, demo):
        super().jijiao_demo(demo)
        raise RuntimeError("broken demo")


def registry_with(plugin, name: str) -> Registry:
    pm = get_plugin_manager()
    pm.register(plugin, name=name)
    return Registry(pm)


def test_a_new_region_brings_its_part_and_leaves_the_others_draws_as_they_were(tmp_path):
    plain = storage.connect(tmp_path / "plain.db")
    counts = demo.build(plain, SIZE, 3, 2026)
    registry = registry_with(ThrowawayRegion(), "aaa_region")  # called first: every practitioner number moves
    more = storage.connect(tmp_path / "more.db", registry)
    more_counts = demo.build(more, SIZE, 3, 2026, registry=registry)
    assert more_counts["by_plugin"]["aaa_region"] == SIZE // 10
    assert more_counts["practitioners"] == counts["practitioners"] + SIZE // 10
    assert {k: v for k, v in more_counts["by_plugin"].items() if k != "aaa_region"} == counts["by_plugin"]
    # The others' people and activities are drawn exactly as before, only numbered later.
    before = rows(plain, "practitioners", skip=1)
    after = [row for row in rows(more, "practitioners", skip=1) if row[1] != ThrowawayRegion.code]
    assert after == before
    assert rows(more, "activities", skip=2) == rows(plain, "activities", skip=2)
    assert rows(more, "projects") == rows(plain, "projects")


def test_a_plugin_whose_demo_fails_is_named_and_its_part_rolled_back(tmp_path):
    registry = registry_with(FailingRegion(), "aaa_failing")
    db = storage.connect(tmp_path / "failing.db", registry)
    counts = demo.build(db, SIZE, 3, 2026, registry=registry)
    assert len(counts["problems"]) == 1 and "aaa_failing" in counts["problems"][0] and "broken demo" in counts["problems"][0]
    assert "aaa_failing" not in counts["by_plugin"]
    assert db.execute("SELECT count(*) FROM practitioners WHERE jurisdiction = '650000'").fetchone()[0] == 0
    assert counts["practitioners"] == db.execute("SELECT count(*) FROM practitioners").fetchone()[0] == SIZE
    assert db.execute("SELECT min(id) FROM practitioners").fetchone()[0] == "D0000001"  # numbers not used up
    assert "aaa_failing" in db.execute("SELECT notes FROM import_batches WHERE kind = 'demo'").fetchone()[0]


def test_records_are_checked_before_they_are_written(tmp_path):
    registry = Registry(get_plugin_manager(load_entry_points=False))
    state = demo._Build(storage.connect(tmp_path / "x.db", registry), 10, 1, 2026, None, ("b", "f", None, "now"))
    part = demo.Demo(state, "check", registry)
    with pytest.raises(ValueError, match="demo.practitioner"):
        part.add_practitioner(attrs.evolve(part.practitioner("650000", part.unit(ELSEWHERE)), id="X1"))
    person = part.add_practitioner(part.practitioner("650000", part.unit(ELSEWHERE)))
    with pytest.raises(ValueError, match="declared by no installed plugin"):
        part.add_activity(person, kind="project", facts={"journal_tier": "core"})


def test_shares_adding_up_to_one_give_exactly_the_size_asked(tmp_path):
    registry = Registry(get_plugin_manager(load_entry_points=False))
    for size in (1, 7, 150, 333):
        state = demo._Build(storage.connect(tmp_path / "s.db", registry), size, 1, 2026, None, ())
        parts = [demo.Demo(state, name, registry) for name in ("a", "b", "c", "d")]
        assert sum(part.share(fraction) for part, fraction in zip(parts, ("0.25", "0.40", "0.10", "0.25"))) == size


class BusierYears(demo.Demo):
    """The province benchmark's extension point: each year topped up from its own activities."""

    def activities_written(self, practitioner, activities):
        extra = [attrs.evolve(self.rng.choice(activities), id=self.activity_id(practitioner, n))
                 for n in range(len(activities) + 1, 21)] if activities else []
        return activities + extra


def test_a_demo_class_can_change_what_is_written_from_the_same_draws(tmp_path):
    db = storage.connect(tmp_path / "busy.db")
    counts = demo.build(db, 100, 3, 2026, demo_class=BusierYears)
    assert counts["activities"] >= 100 * 20 * 0.9
    assert db.execute("SELECT count(DISTINCT id) FROM activities").fetchone()[0] == counts["activities"]
