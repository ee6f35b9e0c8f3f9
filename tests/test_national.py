"""The national year on Dask (national.py): the same answers on a LocalCluster of 2 worker
processes as on one machine, a worker killed mid-run, a failing partition reported by name and
re-runs that judge only what is missing, failed or changed.

"The same answers" compares every result table (`annual.result_columns`: the columns the run
writes, whatever other branches add) row by row, leaving out only the ``run`` column (the run's
id: each partition file numbers its own run). Timings live in ``runs`` and the manifest, which
are not compared.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from jijiao import annual, demo, national, storage
from jijiao.cli import cli
from jijiao.plugins import default_registry

YEAR = 2026
AS_OF = date(2027, 3, 31)
SIZE = 300  # the demo's four jurisdictions: 辽宁省 120, 温州市 75, 长沙市 75, 广东省 30
PARTITION_SIZE = 40  # cuts 辽宁, 温州 and 长沙 into id ranges; 广东 stays whole


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A generated multi-province year, assessed on one machine, and its Parquet store."""
    folder = tmp_path_factory.mktemp("national")
    db = storage.connect(folder / "year.db")
    demo.build(db, SIZE, 7, YEAR)
    single = annual.assess(db, default_registry(), YEAR, as_of=AS_OF, workers=1)
    national.export_parquet(db, folder / "store")
    return {"folder": folder, "db": db, "run": single.run, "store": folder / "store"}


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    import logging

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.CRITICAL)
    with Client(cluster) as c:
        yield c
    cluster.close()


def run(year, out, client, **kwargs):
    lines = []
    result = national.assess_national(year["store"], out, YEAR, as_of=AS_OF, client=client,
                                      partition_size=PARTITION_SIZE, progress=lines.append, **kwargs)
    return result, lines


def single_rows(year):
    return national.result_rows(year["db"], annual.result_columns(default_registry()), run=year["run"])


def cluster_rows(out: Path):
    return national.result_rows(sorted((out / "partitions").glob("*.db")), annual.result_columns(default_registry()))


def clause_costs_of(db) -> list[tuple]:
    return db.execute("SELECT clause, how, credits, activities, unknown_credits, practitioners FROM clause_statistics "
                      "ORDER BY clause, how").fetchall()


def single_machine_clause_costs(year) -> list[tuple]:
    """The browse copy's clause costs (datasette/summaries.py) of the single-machine run."""
    from jijiao.datasette import summaries

    copy = sqlite_utils.Database(":memory:")
    year["db"].conn.backup(copy.conn)
    summaries.build_clause_costs(copy, [year["run"]], [])
    return copy.execute("""SELECT clause, how, round(sum(credits), 1), sum(activities), sum(unknown_credits), sum(practitioners)
                           FROM clause_costs WHERE run = ? GROUP BY clause, how ORDER BY clause, how""", (year["run"],)).fetchall()


def assert_same_answers(year, out: Path):
    single, spread = single_rows(year), cluster_rows(out)
    for table in annual.result_columns(default_registry()):
        assert spread[table] == single[table], table
    assert sum(map(len, single.values())) > SIZE * 5  # a real year: awards, findings, deadlines ...


def test_partitions_cover_every_practitioner_once_by_province_and_id_range(year):
    partitions = national.plan(year["store"], PARTITION_SIZE)
    names = [p.name for p in partitions]
    assert names[-1] == national.PROJECTS and "440000" in names and "210000-1" in names
    assert all(p.practitioners <= PARTITION_SIZE for p in partitions)
    people = year["db"].execute("SELECT id, substr(jurisdiction, 1, 2) || '0000' FROM practitioners").fetchall()
    for pid, province in people:
        holding = [p.name for p in partitions if p.province == province
                   and (p.since is None or pid >= p.since) and (p.until is None or pid < p.until)]
        assert len(holding) == 1, (pid, holding)
    assert sum(p.practitioners for p in partitions) == len(people)


def test_a_local_cluster_of_two_workers_gives_the_single_machine_rows_and_a_complete_summary(year, client):
    out = year["folder"] / "run"
    result, lines = run(year, out, client)
    assert result.complete and not result.unchanged and len(result.computed) == result.partitions
    assert len({line.split()[2] for line in lines if "完成" in line}) == result.partitions  # one line per partition
    assert len({r["worker"] for r in national.Manifest(out).partitions().values()}) == 2  # both workers judged some
    assert_same_answers(year, out)
    summary = sqlite3.connect(out / "national.db")
    by_province = summary.execute("SELECT province, practitioners, passed, failed, undetermined FROM pass_rates_by_province").fetchall()
    expected = year["db"].execute(
        """SELECT substr(jurisdiction, 1, 2) || '0000', count(*), sum(verdict = '合格'), sum(verdict = '不合格'),
                  sum(verdict = '无法判定') FROM annual_results WHERE run = ? GROUP BY 1 ORDER BY 1""", (year["run"],)).fetchall()
    assert by_province == expected
    assert summary.execute("SELECT sum(practitioners) FROM credit_distribution").fetchone()[0] == SIZE
    assert clause_costs_of(summary) == single_machine_clause_costs(year)
    assert summary.execute("SELECT count(*) FROM clause_statistics WHERE how = '不予授予'").fetchone()[0] > 0
    assert summary.execute("SELECT count(*) FROM pass_rates_by_unit").fetchone()[0] > 10
    assert summary.execute("SELECT practitioners, partitions FROM national_run").fetchone() == (SIZE, result.partitions)
    (status,) = national.Manifest(out).db.execute("SELECT status FROM run").fetchone()
    assert status == "complete"

    again, lines = run(year, out, client)  # nothing changed: nothing judged again
    assert again.complete and not again.computed and len(again.unchanged) == again.partitions
    assert all("未变化" in line for line in lines)
    assert_same_answers(year, out)


def test_a_worker_killed_mid_run_still_completes_the_run_correctly(year, client):
    out = year["folder"] / "killed"
    killed = []

    def kill_a_busy_worker(answer):
        if killed:
            return
        busy = [address for address, keys in client.processing().items() if keys]
        assert busy, "no partition left in progress to kill a worker under"
        pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append((busy[0], client.processing()[busy[0]]))

    result, _lines = run(year, out, client, on_result=kill_a_busy_worker)
    assert killed and killed[0][1], "a worker holding a partition was killed"
    assert result.complete and len(result.computed) == result.partitions
    assert_same_answers(year, out)
    assert not list((out / "partitions").glob("*.building-*"))  # the killed attempt left no half file


def test_a_failing_partition_is_reported_by_name_and_a_rerun_judges_only_it(year, client):
    store = year["folder"] / "store-broken"
    shutil.copytree(year["store"], store)
    out = year["folder"] / "broken"
    good = store / "activities" / "province=440000" / "part-0.parquet"
    kept = good.read_bytes()
    good.write_bytes(b"not parquet")
    broken = dict(year, store=store)

    result, lines = run(broken, out, client, retries=1)
    assert not result.complete and set(result.failed) == {"440000"}
    assert any("分区 440000 第 1 次失败" in line for line in lines)
    assert not (out / "national.db").exists()  # no summary of a half run
    state = national.Manifest(out).partitions()["440000"]
    assert (state["status"], state["attempts"]) == ("failed", 2) and "440000" in result.lines()[1]
    assert national.Manifest(out).db.execute("SELECT status FROM run").fetchone()[0] == "incomplete"

    good.write_bytes(kept)
    again, _lines = run(broken, out, client)
    assert again.complete and again.computed == ("440000",) and len(again.unchanged) == again.partitions - 1
    assert_same_answers(year, out)
    assert (out / "national.db").exists()


def test_a_changed_partition_alone_is_judged_again(year, client, tmp_path):
    db = storage.connect(tmp_path / "changed.db")
    db.conn.execute("ATTACH DATABASE ? AS source", (str(year["folder"] / "year.db"),))
    for table in storage.INPUT_TABLES:
        db.conn.execute(f"INSERT INTO [{table}] SELECT * FROM source.[{table}]")
    db.conn.commit()
    db.conn.execute("DETACH DATABASE source")
    national.export_parquet(db, tmp_path / "store")
    out = tmp_path / "run"
    changed = dict(year, store=tmp_path / "store", db=db)
    first, _lines = run(changed, out, client)
    assert first.complete
    (someone,) = db.execute("SELECT id FROM practitioners WHERE jurisdiction = '440000' ORDER BY id LIMIT 1").fetchone()
    with db.atomic():
        db.conn.execute("UPDATE activities SET withdrawn = 1 WHERE practitioner = ?", (someone,))
    national.export_parquet(db, tmp_path / "store")
    again, _lines = run(changed, out, client)
    assert again.computed == ("440000",)
    changed["run"] = annual.assess(db, default_registry(), YEAR, as_of=AS_OF, workers=1).run
    assert_same_answers(changed, out)


def test_the_cli_exports_a_store_and_assesses_it_on_a_local_cluster(year, tmp_path):
    runner = CliRunner()
    exported = runner.invoke(cli, ["export-parquet", "--db", str(year["folder"] / "year.db"), str(tmp_path / "store")])
    assert exported.exit_code == 0, exported.output
    assert f"practitioners: {SIZE} 行，4 个省份分区" in exported.output
    refused = runner.invoke(cli, ["assess", "--db", str(year["folder"] / "year.db"), "--out", str(tmp_path / "x")])
    assert refused.exit_code == 2 and "only with --cluster" in refused.output
    done = runner.invoke(cli, ["assess", "--parquet", str(tmp_path / "store"), "--year", str(YEAR), "--as-of", "2027-03-31",
                               "--cluster", "local", "--workers", "1", "--out", str(tmp_path / "run")])
    assert done.exit_code == 0, done.output
    assert "5 个分区，本次评定 5 个" in done.output and "全国汇总" in done.output
    assert_same_answers(year, tmp_path / "run")


def test_the_summary_is_served_beside_a_province_database(year, client):
    import asyncio

    from jijiao.datasette.server import make_datasette
    from jijiao.publish import build_browse_copy

    out = year["folder"] / "run"
    if not (out / "national.db").exists():
        run(year, out, client)
    ds = make_datasette(build_browse_copy(year["folder"] / "year.db")[0],
                        beside={"national": build_browse_copy(out / "national.db")[0]})

    async def fetch():
        await ds.invoke_startup()
        return (await ds.client.get("/national/pass_rates_by_province.json?_shape=array")).json()

    rows = asyncio.run(fetch())
    assert {r["province_name"] for r in rows} == {"辽宁省", "浙江省", "湖南省", "广东省"}
