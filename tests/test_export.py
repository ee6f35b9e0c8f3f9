"""Result tables to .xlsx with Chinese headers; forms from the database."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from click.testing import CliRunner
from openpyxl import load_workbook

from jijiao import annual, storage
from jijiao.cli import cli
from jijiao.models import Activity, Practitioner
from jijiao.plugins import Registry


def assessed(tmp_path):
    path = tmp_path / "e.db"
    db = storage.connect(path)
    tail = ("t", "t", 1, "t")
    with db.atomic():
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(Practitioner(id="P1", jurisdiction="000000")), *tail)])
        storage.upsert_records(db, "activities", [(*storage.codec(db, "activities").encode(
            Activity(id="A1", practitioner="P1", kind="residency_training", year=2026, date=date(2026, 1, 1), months=Decimal(12))), *tail)])
    annual.assess(db, Registry(), 2026)
    annual.assess(db, Registry(), 2026, name="again")
    return path


def test_every_result_table_exports_with_chinese_headers(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(assessed(tmp_path)), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "out" / "annual_results.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["运行编号", "人员编号", "年度"] and "年度结论" in header
    assert [c.value for c in sheet[2]][header.index("年度结论")] == "合格"
    assert sheet.max_row == 3  # two runs
    for table in ("credit_awards", "findings", "deadlines", "recognitions", "runs", "import_errors"):
        assert (tmp_path / "out" / f"{table}.xlsx").exists()


def test_one_run_into_one_workbook(tmp_path):
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(cli, ["export", "--db", str(assessed(tmp_path)), "--out", str(out),
                                      "--table", "credit_awards", "--table", "runs", "--run", "again"])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["credit_awards", "runs"]
    awards = book["credit_awards"]
    assert [c.value for c in awards[1]][:2] == ["运行编号", "活动编号"] and awards.max_row == 2
    assert [c.value for c in book["runs"][2]][1] == "again"


def test_an_unknown_table_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", str(assessed(tmp_path)), "--out", str(tmp_path / "x"), "--table", "nope"])
    assert result.exit_code == 1 and "no table 'nope'" in result.output


def test_a_plugin_form_is_filled_from_the_projects_table(tmp_path):
    path = tmp_path / "f.db"
    runner = CliRunner()
    examples = Path(__file__).resolve().parents[1] / "examples"
    assert runner.invoke(cli, ["import", "--db", str(path), str(examples / "projects.csv")]).exit_code == 0
    listed = runner.invoke(cli, ["forms", "list"]).output
    if "wenzhou-summary" not in listed:
        pytest.skip("the Wenzhou plugin (which provides the form) is not installed")
    result = runner.invoke(cli, ["forms", "make", "wenzhou-summary", "--db", str(path), "--out", str(tmp_path / "w.xlsx")])
    assert result.exit_code == 0, result.output
    assert "1 rows" in result.output  # only the Wenzhou project of the two
