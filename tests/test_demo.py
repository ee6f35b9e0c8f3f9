"""The demo population: seeded, all four jurisdictions, every kind of year an office sees."""

import hashlib

import pytest
from click.testing import CliRunner

from jijiao import demo, storage
from jijiao.cli import cli

SIZE = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(path), "--size", str(SIZE), "--seed", "7"])
    assert result.exit_code == 0, result.output
    return path, result.output


def fingerprint(path) -> str:
    db = storage.connect(path)
    digest = hashlib.sha256()
    for table in ("practitioners", "projects", "activities"):
        for row in db.execute(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(repr(row[:-4]).encode())  # without the import time
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


def test_the_population_holds_every_kind_of_year(built):
    db = storage.connect(built[0])
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT count(DISTINCT jurisdiction) FROM practitioners") == 4
    assert one("SELECT count(DISTINCT unit_level) FROM practitioners") == 3
    assert one("SELECT count(*) FROM practitioners WHERE unit LIKE '%镇卫生院' AND grassroots = 1") > 0
    assert one("SELECT count(DISTINCT title) FROM practitioners") == 4
    assert one("SELECT count(*) FROM activities WHERE exam_score_pct < 80") > 0                # refusals
    assert one("SELECT count(*) FROM activities WHERE attendance_per_day < 2") > 0
    assert one("SELECT count(*) FROM activities WHERE registered_on >= '2027-01-01'") > 0      # late filings
    assert one("SELECT count(*) FROM activities WHERE project_jurisdiction NOT IN ('000000', '210000', '330300', '430100')") > 0
    assert one("SELECT count(*) FROM activities WHERE project_mode = 'remote' AND project_level = 'national'") > 0
    assert one("SELECT count(*) FROM activities WHERE kind IN ('residency_training', 'further_study')") > 0
    assert one("SELECT count(*) FROM projects WHERE has_execution = 1 AND execution_attendance_checks_per_day < 2") > 0
    assert one("SELECT count(*) FROM practitioners WHERE length(id_number) = 18") == SIZE


def test_the_assessed_demo_shows_passes_failures_caps_deemed_years_and_findings(built):
    db = storage.connect(built[0])
    verdicts = {r[0] for r in db.execute("SELECT DISTINCT verdict FROM annual_results")}
    assert {"合格", "无法判定"} <= verdicts
    assert db.execute("SELECT count(*) FROM annual_results WHERE deemed_complete IS NOT NULL").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM credit_awards WHERE status = '不予授予'").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM recognitions WHERE cross_region = 1").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM findings WHERE subject_kind = 'project'").fetchone()[0] > 0
