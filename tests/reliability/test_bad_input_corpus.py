"""The bad-input corpus: every file under corpus/ imports with exactly the row errors that
corpus/expected.json lists (row, field, a word of the reason), the good rows load, and nothing
raises. Inputs too big to keep as files (a 140,000-character cell, a number typed into an
Excel ID-number cell, a million bad rows) are made by the tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from jijiao import importing, storage
from jijiao.cli import cli

CORPUS = Path(__file__).with_name("corpus")
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))


@pytest.fixture
def db(tmp_path):
    return storage.connect(tmp_path / "t.db")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_gives_its_expected_report(db, name):
    expected = EXPECTED[name]
    result = importing.import_file(db, CORPUS / name)
    got = sorted((e.row, e.field) for e in result.errors)
    assert got == sorted((row, field) for row, field, _word in expected["errors"]), [e.describe(name) for e in result.errors]
    for row, field, word in expected["errors"]:
        (error,) = [e for e in result.errors if (e.row, e.field) == (row, field)]
        assert word in error.reason, error.describe(name)
    assert result.rows_loaded == expected["loaded"]
    if "encoding" in expected:
        assert result.encoding == expected["encoding"]
    stored = db.execute("SELECT count(*) FROM import_errors WHERE file = ?", (str(CORPUS / name),)).fetchone()[0]
    assert stored == len(expected["errors"])  # every refused row kept for correction


def test_an_unclosed_quote_swallows_no_later_row(db):
    importing.import_file(db, CORPUS / "practitioners-unclosed-quote.csv")
    rows = db.execute("SELECT id, phone FROM practitioners ORDER BY id").fetchall()
    assert rows == [("P1", "13800000001"), ("P3", "13800000003"), ("P4", "13800000004")]


def test_a_full_width_region_code_is_normalised_and_a_cut_utf8_file_stays_utf8(db, tmp_path):
    importing.import_file(db, CORPUS / "practitioners-regions.csv")
    assert db.execute("SELECT jurisdiction FROM practitioners WHERE id = 'P1'").fetchone() == ("210000",)
    db = storage.connect(tmp_path / "other.db")
    importing.import_file(db, CORPUS / "practitioners-cut-utf8.csv")
    assert db.execute("SELECT name FROM practitioners WHERE id IN ('P1', 'P3') ORDER BY id").fetchall() == [("王秀英",), ("张伟",)]


def test_a_cell_over_the_csv_module_limit_is_a_row_error(db, tmp_path):
    path = tmp_path / "practitioners.csv"
    path.write_text("人员编号,姓名\nP1,甲\nP2," + "长" * 140_000 + "\nP3,丙\n", "utf-8")
    result = importing.import_file(db, path)
    assert [(e.row, e.field) for e in result.errors] == [(3, "name")]
    assert result.rows_loaded == 2


def test_an_id_number_typed_as_a_number_in_excel_is_refused(db, tmp_path):
    book = Workbook()
    book.active.append(["人员编号", "身份证号"])
    book.active.append(["P1", 110105194912310000])  # what Excel keeps of 11010519491231002X typed as a number
    book.active.append(["P2", "11010519491231002X"])
    book.save(tmp_path / "practitioners.xlsx")
    result = importing.import_file(db, tmp_path / "practitioners.xlsx")
    assert [(e.row, e.field) for e in result.errors] == [(2, "id_number")]
    assert "Excel" in result.errors[0].reason and result.rows_loaded == 1


def test_one_failing_file_never_skips_the_later_ones_and_the_exit_status_says_so(tmp_path):
    database = str(tmp_path / "t.db")
    good = tmp_path / "practitioners.csv"
    good.write_text("人员编号,姓名\nP9,好\n", "utf-8")
    missing = tmp_path / "practitioners-missing.csv"
    bad_rows = CORPUS / "practitioners-regions.csv"
    result = CliRunner().invoke(cli, ["import", "--db", database, str(missing), str(bad_rows), str(good)])
    assert result.exit_code == 1  # a file could not be read
    assert "no such file" in result.output and str(good) in result.output and "Traceback" not in result.output
    assert CliRunner().invoke(cli, ["import", "--db", database, str(bad_rows)]).exit_code == 2  # rows refused
    assert CliRunner().invoke(cli, ["import", "--db", database, str(good)]).exit_code == 0


def test_the_whole_corpus_through_the_command_line_prints_no_traceback(tmp_path):
    files = sorted(str(p) for p in CORPUS.iterdir() if p.name != "expected.json")
    jijiao = Path(sys.executable).with_name("jijiao")
    process = subprocess.run([str(jijiao), "import", "--db", str(tmp_path / "t.db"), *files],
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr + process.stdout
    assert process.stdout.count("读取") == len(files)  # one summary line per file, none skipped


def test_many_bad_rows_keep_memory_flat(tmp_path):
    """Errors are streamed to import_errors: 30,000 bad rows here must not be held in memory
    (measured at 1,000,000 bad rows: peak RSS 2,432 MB before, 156 MB after)."""
    path = tmp_path / "activities.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("活动编号,人员编号,活动类型,年度,学时\n")
        for i in range(30_000):
            handle.write(f"A{i},P1,网上冲浪,2026,6\n")
    script = (
        "import resource, sys\n"
        "from jijiao import importing, storage\n"
        "db = storage.connect(sys.argv[1])\n"
        "r = importing.import_file(db, sys.argv[2])\n"
        "print(r.rows_bad, len(r.errors), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.db"), str(path)],
                         capture_output=True, text=True, timeout=300, check=True).stdout.split()
    bad, held, peak_mb = map(int, out)
    assert bad == 30_000 and held == importing.ERRORS_KEPT
    assert peak_mb < 200, f"peak RSS {peak_mb} MB"
