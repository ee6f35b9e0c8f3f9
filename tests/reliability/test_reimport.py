"""Corrected re-imports: a file is the new version of its source, so a corrected id replaces the
mistyped one, a deleted row is withdrawn, and an id owned by another file is a conflict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao import annual, importing, storage
from jijiao.cli import cli, registry

PEOPLE = "人员编号,姓名,执业地区\nP1,王秀英,430100\n"
HEADER = "活动编号,人员编号,活动类型,年度,项目级别,举办形式,证书学分,经省级继教委核实\n"


def activity(activity_id: str) -> str:
    """A national remote project worth 2 credits anywhere (国卫办科教函〔2019〕702号)."""
    return f"{activity_id},P1,继续医学教育项目,2026,国家级,远程,2,是\n"


@pytest.fixture
def office(tmp_path):
    db = storage.connect(tmp_path / "office.db")
    (tmp_path / "practitioners.csv").write_text(PEOPLE, "utf-8")
    assert importing.import_file(db, tmp_path / "practitioners.csv").rows_loaded == 1
    return db, tmp_path


def earned(db) -> float:
    annual.assess(db, registry(), 2026)
    return db.execute("SELECT earned FROM annual_results WHERE practitioner = 'P1'").fetchone()[0]


def test_a_corrected_id_replaces_the_mistyped_one_4_credits_not_6(office):
    db, tmp = office
    path = tmp / "activities.csv"
    path.write_text(HEADER + activity("A001") + activity("A0O2"), "utf-8")  # O typed for 0
    importing.import_file(db, path)
    assert earned(db) == 4
    path.write_text(HEADER + activity("A001") + activity("A002"), "utf-8")
    result = importing.import_file(db, path)
    assert result.difference.counts == {"added": 1, "changed": 0, "withdrawn": 1, "restored": 0, "conflict": 0, "kept": 0}
    assert result.difference.samples["withdrawn"] == ["A0O2"] and result.difference.samples["added"] == ["A002"]
    assert earned(db) == 4  # not 6: the mistyped row no longer counts
    kept = db.execute("SELECT withdrawn, withdrawn_at IS NOT NULL FROM activities WHERE id = 'A0O2'").fetchone()
    assert kept == (1, 1)  # kept, marked, with its history
    history = db.execute("SELECT change FROM import_changes WHERE record = 'A0O2' ORDER BY id").fetchall()
    assert [h[0] for h in history] == ["added", "withdrawn"]


def test_a_row_deleted_from_the_file_is_withdrawn_and_restored_when_it_comes_back(office):
    db, tmp = office
    path = tmp / "activities.csv"
    path.write_text(HEADER + activity("A001") + activity("A002"), "utf-8")
    importing.import_file(db, path)
    path.write_text(HEADER + activity("A001"), "utf-8")
    assert importing.import_file(db, path).difference.counts["withdrawn"] == 1
    assert earned(db) == 2
    path.write_text(HEADER + activity("A001") + activity("A002"), "utf-8")
    assert importing.import_file(db, path).difference.counts["restored"] == 1
    assert earned(db) == 4


def test_a_changed_row_is_updated_and_its_earlier_values_kept(office):
    db, tmp = office
    path = tmp / "activities.csv"
    path.write_text(HEADER + activity("A001"), "utf-8")
    importing.import_file(db, path)
    path.write_text(HEADER + activity("A001").replace(",2,是", ",3,是"), "utf-8")
    result = importing.import_file(db, path)
    assert result.difference.counts["changed"] == 1
    fields, before = db.execute("SELECT fields, before FROM import_changes WHERE change = 'changed'").fetchone()
    assert json.loads(fields) == ["certified_credits"] and json.loads(before) == {"certified_credits": 2.0}
    assert earned(db) == 3


def test_the_same_id_in_two_files_is_a_conflict_naming_both_sources(office):
    db, tmp = office
    first, second = tmp / "activities-a.csv", tmp / "activities-b.csv"
    first.write_text(HEADER + activity("A001"), "utf-8")
    second.write_text(HEADER + activity("A001").replace(",2,是", ",5,是"), "utf-8")
    importing.import_file(db, first)
    result = importing.import_file(db, second)
    assert result.rows_loaded == 0 and result.difference.counts["conflict"] == 1
    (error,) = result.errors
    assert (error.row, error.field) == (2, "id") and str(first) in error.reason and str(second) in error.reason
    assert db.execute("SELECT certified_credits, source FROM activities WHERE id = 'A001'").fetchone() == (2.0, str(first))
    assert db.execute("SELECT count(*) FROM import_errors WHERE file = ?", (str(second),)).fetchone()[0] == 1


def test_a_refused_row_in_the_correction_keeps_its_earlier_version(office):
    db, tmp = office
    path = tmp / "activities.csv"
    path.write_text(HEADER + activity("A001") + activity("A002"), "utf-8")
    importing.import_file(db, path)
    path.write_text(HEADER + activity("A001") + "A002,P1,继续医学教育项目,2026,国家级,远程,二,是\n", "utf-8")
    result = importing.import_file(db, path)
    assert result.difference.counts["kept"] == 1 and result.difference.counts["withdrawn"] == 0
    assert earned(db) == 4


def test_a_renamed_corrected_file_replaces_its_source_given_by_name(office):
    db, tmp = office
    (tmp / "activities-v1.csv").write_text(HEADER + activity("A001") + activity("A0O2"), "utf-8")
    (tmp / "activities-v2.csv").write_text(HEADER + activity("A001") + activity("A002"), "utf-8")
    importing.import_file(db, tmp / "activities-v1.csv", source="2026年学分")
    result = importing.import_file(db, tmp / "activities-v2.csv", source="2026年学分")
    assert result.difference.counts["withdrawn"] == 1 and result.difference.counts["added"] == 1
    assert earned(db) == 4


def test_dry_run_prints_the_difference_and_writes_nothing(office):
    db, tmp = office
    path = tmp / "activities.csv"
    path.write_text(HEADER + activity("A001") + activity("A0O2"), "utf-8")
    importing.import_file(db, path)
    path.write_text(HEADER + activity("A001") + activity("A002"), "utf-8")
    database = db.conn.execute("PRAGMA database_list").fetchone()[2]
    before = db.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    result = CliRunner().invoke(cli, ["import", "--db", database, "--dry-run", str(path)])
    assert result.exit_code == 0, result.output
    assert "差异：新增 1（A002），修改 0，撤回 1（A0O2）" in result.output and "试运行" in result.output
    assert db.execute("SELECT count(*) FROM import_batches").fetchone()[0] == before
    assert db.execute("SELECT id FROM activities WHERE withdrawn = 0 ORDER BY id").fetchall() == [("A001",), ("A0O2",)]


def test_withdrawn_practitioners_are_not_assessed_and_their_activities_not_orphans(office):
    db, tmp = office
    (tmp / "activities.csv").write_text(HEADER + activity("A001"), "utf-8")
    importing.import_file(db, tmp / "activities.csv")
    (tmp / "practitioners.csv").write_text("人员编号,姓名,执业地区\n", "utf-8")
    assert importing.import_file(db, tmp / "practitioners.csv").difference.counts["withdrawn"] == 1
    summary = annual.assess(db, registry(), 2026)
    assert summary.practitioners == 0
    assert summary.unassessed == 1  # the activity of a withdrawn practitioner is reported, not judged
