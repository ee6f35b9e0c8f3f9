"""The province benchmark keeps working (run at a tiny size, not timed), and a run judged by
worker processes over practitioner partitions stores exactly what one process stores."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from jijiao import annual, demo, storage
from jijiao.plugins import Registry

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026


def test_the_benchmark_script_runs_and_writes_its_figures(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    earlier = out / f"province-300-workers2-{date.today().isoformat()}.json"
    earlier.write_text("{}", "utf-8")  # an earlier result of the same day is kept, not overwritten
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "province.py"), "--size", "300", "--workdir", str(tmp_path),
         "--out", str(out), "--dispatch-activities", "300", "--workers", "2", "--rounds", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "round 1 of 1" in done.stderr  # progress is shown
    assert earlier.read_text("utf-8") == "{}"
    result = json.loads(earlier.with_name(earlier.stem + "-2.json").read_text("utf-8"))
    assert result["practitioners"] == 300
    assert result["activities"] > 300 * 15  # topped up to about 20 a year
    assert result["workers"] == 2
    phases = result["phases"]
    assert set(phases) == {"floor-1", "jijiao-1", "what-if-1", "fair-floor-1", "jijiao-2", "what-if-2", "fair-floor-2"}
    (measured,) = result["rounds"]
    for name, part in measured.items():
        assert part["activities"] == result["activities"], name
        assert part["workers"] == int(name.rsplit("-", 1)[1]), name
    assert measured["jijiao-1"]["rows_by_table"]["annual_results"] == 300
    # The fair floor writes what jijiao writes: the same rows per table, the same bytes.
    def written(name: str) -> dict:  # (a table the run wrote nothing to, e.g. inherited_rows of a baseline, left out)
        return {table: n for table, n in measured[name]["rows_by_table"].items() if n}

    for name in ("fair-floor-1", "fair-floor-2", "jijiao-2"):
        assert written(name) == written("jijiao-1"), name
    # A what-if's texts join those its baseline left (result_texts is shared by the runs); it
    # stores the awards and recognitions only of the years it judged again, and shows the
    # baseline's through for the others (inherited_rows: one per practitioner).
    own, base = written("what-if-2"), written("jijiao-1")
    for shared in ("result_texts", "result_step_lists"):
        assert own.pop(shared) >= base.pop(shared) > 0
    for table in ("credit_awards", "recognitions"):
        assert own.pop(table, 0) < base.pop(table) / 2, table
    assert 0 < own.pop("inherited_rows") <= result["practitioners"] and own.pop("run_holders") == 1
    assert own == base
    sizes = result["result_bytes"]
    assert sizes["fair_floor_over_jijiao"] == pytest.approx(1.0, abs=0.05)
    assert sizes["jijiao_per_activity"] > sizes["floor_per_activity"] > 0
    assert sizes["by_table"]["credit_awards"]["rows"] == result["activities"]
    # Ratios are taken pair by pair within a round.
    ratio = result["ratios"]["jijiao-1 / fair-floor-1"]
    assert ratio["median"] == pytest.approx(measured["jijiao-1"]["seconds"] / measured["fair-floor-1"]["seconds"], rel=0.01)
    assert {"jijiao-2 / fair-floor-2", "what-if-2 / jijiao-2", "jijiao-1 / floor-1"} <= set(result["ratios"])
    assert result["dispatch"]["installed_crowded"] == result["dispatch"]["installed_plain"] + 300
    assert set(result["targets"]) == {
        "jijiao_1_within_2x_floor_1", "jijiao_1_within_1_5x_fair_floor_1", "peak_rss_under_1gb",
        "what_if_within_0_1x_full_run", "result_bytes_within_a_third_of_reference", "dispatch_within_1_1x"}
    assert "ratio jijiao-1 / fair-floor-1" in done.stdout
    # The floors' scratch tables are gone, and the what-if ran after the baseline it is compared with.
    db = storage.connect(tmp_path / "province-300-20-s1.db")
    assert not [t for t in db.table_names() if t.startswith("bench_")]
    assert [r[0] for r in db.execute("SELECT name FROM runs ORDER BY id")] == ["baseline", "liaoning.annual_credits=30"]


def result_rows(db) -> dict[str, list[tuple]]:
    return {table: db.execute(f"SELECT * FROM [{table}] ORDER BY rowid").fetchall() for table in annual.RESULT_COLUMNS}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("partitions") / "year.db"
    db = storage.connect(path)
    demo.build(db, 300, 3, YEAR)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone holds the year, so it can be copied
    return path


def test_worker_processes_store_the_same_run_as_one_process(demo_db, tmp_path):
    if annual.choose_workers(storage.connect(demo_db), 2) < 2:
        pytest.skip("worker processes need fork")
    copies = {}
    for workers in (1, 2):
        path = tmp_path / f"w{workers}.db"
        shutil.copy(demo_db, path)
        db = storage.connect(path)
        ticks = []
        summary = annual.assess(db, Registry(), YEAR, as_of=date(YEAR, 12, 1), workers=workers, progress=ticks.append)
        assert sum(ticks) == summary.practitioners == 300
        copies[workers] = (summary, result_rows(db))
    (one, rows_one), (two, rows_two) = copies[1], copies[2]
    assert rows_two == rows_one
    assert two.rows == one.rows and two.jurisdictions == one.jurisdictions and two.activities == one.activities
    db = storage.connect(tmp_path / "w2.db")
    assert [r[1] for r in db.execute("PRAGMA database_list")] == ["main"]  # partitions detached


def test_partitions_cover_every_practitioner_once(demo_db):
    db = storage.connect(demo_db)
    seen = [
        p.id
        for since, until in annual.partition_bounds(db, 3)
        for p, _acts in storage.practitioner_years(db, YEAR, since=since, until=until)
    ]
    assert seen == [p.id for p, _acts in storage.practitioner_years(db, YEAR)]


def test_a_small_year_or_an_in_memory_database_uses_one_process(demo_db):
    assert annual.choose_workers(storage.connect(demo_db), None) == 1  # 300 < PARALLEL_MINIMUM
    assert annual.choose_workers(storage.connect(":memory:"), 4) == 1


def test_a_failing_worker_stops_the_run_and_stores_nothing(demo_db, tmp_path, monkeypatch):
    if annual.choose_workers(storage.connect(demo_db), 2) < 2:
        pytest.skip("worker processes need fork")
    path = tmp_path / "failing.db"
    shutil.copy(demo_db, path)
    db = storage.connect(path)

    def broken(*_args, **_kwargs):
        raise ValueError("a bug in the host")

    monkeypatch.setattr(annual.engine, "assess_year", broken)  # the forked workers inherit it
    with pytest.raises(RuntimeError, match="a bug in the host"):
        annual.assess(db, Registry(), YEAR, workers=2)
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM credit_awards").fetchone()[0] == 0
    assert [r[1] for r in db.execute("PRAGMA database_list")] == ["main"]


def test_an_interrupted_parallel_run_rolls_back(demo_db, tmp_path):
    if annual.choose_workers(storage.connect(demo_db), 2) < 2:
        pytest.skip("worker processes need fork")
    path = tmp_path / "interrupted.db"
    shutil.copy(demo_db, path)
    db = storage.connect(path)
    annual.assess(db, Registry(), YEAR, as_of=date(YEAR, 12, 1), workers=1)
    before = result_rows(db)

    def explode(_n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        annual.assess(db, Registry(), YEAR, as_of=date(YEAR, 12, 1), workers=2, progress=explode)
    assert result_rows(db) == before  # the earlier run stands, untouched
