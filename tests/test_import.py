"""Importing files: each bad row reported with its row and field, good rows loaded, nothing
duplicated on a second import."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from jijiao import importing, storage
from jijiao.cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

HEADER = "活动编号,人员编号,活动类型,年度,日期,学时,考核合格\n"
GOOD = "A1,P1,继续医学教育项目,2026,2026-05-01,6,是\n"


@pytest.fixture
def db(tmp_path):
    return storage.connect(tmp_path / "t.db")


def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def reported(result) -> set[tuple]:
    return {(e.row, e.field) for e in result.errors}


def count(db, table) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def test_each_bad_row_is_reported_with_row_and_field_and_the_good_rows_load(db, tmp_path):
    path = write(tmp_path / "activities.csv", HEADER + GOOD + (
        "A2,P1,网上冲浪,2026,2026-05-02,6,是\n"        # row 3: unknown kind
        "A3,P1,继续医学教育项目,2026,2025-12-20,6,是\n"  # row 4: date outside the year
        "A4,P1,继续医学教育项目,2026,2026-05-03,六,是\n"  # row 5: wrong type
        "A1,P2,继续医学教育项目,2026,2026-05-04,6,是\n"  # row 6: duplicate key
        "A5,P2,继续医学教育项目,2026,2026-05-05,3,否\n"   # row 7: good
        "A6,P2,继续医学教育项目,20"                      # row 8: cut off mid-row
    ))
    result = importing.import_file(db, path)
    assert reported(result) == {(3, "kind"), (4, "date"), (5, "hours"), (6, "id"), (8, "date")}
    assert result.rows_read == 7 and result.rows_loaded == 2
    assert [r[0] for r in db.execute("SELECT id FROM activities ORDER BY id")] == ["A1", "A5"]
    stored = db.execute("SELECT row, field, reason, raw FROM import_errors ORDER BY row").fetchall()
    assert [(r[0], r[1]) for r in stored] == [(3, "kind"), (4, "date"), (5, "hours"), (6, "id"), (8, "date")]
    assert "网上冲浪" in stored[0][2] and "2025-12-20" in stored[1][2] and "already in row 2" in stored[3][2]
    assert "cut off" in stored[4][2]
    assert json.loads(stored[2][3])["学时"] == "六"  # the raw row, kept for correction


def test_importing_the_same_file_again_duplicates_nothing(db, tmp_path):
    path = write(tmp_path / "activities.csv", HEADER + GOOD + "A2,P1,网上冲浪,2026,2026-05-02,6,是\n")
    first = importing.import_file(db, path)
    second = importing.import_file(db, path)
    assert (first.rows_loaded, second.rows_loaded) == (1, 1)
    assert count(db, "activities") == 1
    assert count(db, "import_errors") == 1  # the file's errors are those of its latest import
    assert count(db, "import_batches") == 2


def test_a_corrected_file_clears_its_errors_and_updates_the_row(db, tmp_path):
    path = write(tmp_path / "activities.csv", HEADER + "A1,P1,继续医学教育项目,2026,2026-05-01,六,是\n")
    importing.import_file(db, path)
    write(path, HEADER + "A1,P1,继续医学教育项目,2026,2026-05-01,6,是\n")
    importing.import_file(db, path)
    assert count(db, "import_errors") == 0
    assert db.execute("SELECT hours FROM activities").fetchall() == [(6.0,)]


def test_a_gbk_file_is_decoded_with_a_warning(db, tmp_path):
    path = write(tmp_path / "practitioners.csv", "人员编号,姓名,执业地区\nP1,王秀英,210000\nP2,李建国,ABC\n", "gbk")
    result = importing.import_file(db, path)
    assert result.encoding == "gb18030"
    assert any("GBK" in w for w in result.warnings)
    assert reported(result) == {(3, "jurisdiction")}
    assert db.execute("SELECT id, name FROM practitioners").fetchall() == [("P1", "王秀英")]
    assert "GBK" in db.execute("SELECT notes FROM import_batches").fetchone()[0]


def test_a_truncated_json_lines_file_reports_its_last_line(db, tmp_path):
    path = write(tmp_path / "practitioners.jsonl", '{"id": "P1", "name": "王秀英"}\n{"id": "P2", "na')
    result = importing.import_file(db, path)
    (error,) = result.errors
    assert (error.row, error.field) == (2, "<file>") and "cut off" in error.reason
    assert count(db, "practitioners") == 1


def test_json_lines_wrong_types_and_unknown_fields_are_reported(db, tmp_path):
    path = write(tmp_path / "activities.jsonl", "\n".join([
        '{"id": "A1", "practitioner": "P1", "kind": "project", "year": 2026, "passed": "maybe"}',
        '{"id": "A2", "practitioner": "P1", "kind": "project", "year": 2026, "colour": "red"}',
        '["not", "an", "object"]',
        '{"id": "A3", "practitioner": "P1", "kind": "project", "year": 2026, "hours": 3}',
    ]) + "\n")
    result = importing.import_file(db, path)
    assert reported(result) == {(1, "passed"), (2, "colour"), (3, "<file>")}
    assert result.rows_loaded == 1


def test_an_excel_sheet_with_chinese_headers_loads_and_bad_cells_name_their_field(db, tmp_path):
    book = Workbook()
    book.active.append(["人员编号", "姓名", "执业地区", "单位级别"])
    book.active.append([1001, "王秀英", 210000, "县级"])  # numbers as Excel types them
    book.active.append([1002, "李建国", 210000, "乡级"])
    book.save(tmp_path / "人员.xlsx")
    result = importing.import_file(db, tmp_path / "人员.xlsx")
    assert result.kind == "practitioners"
    assert reported(result) == {(3, "unit_level")}
    assert db.execute("SELECT id, jurisdiction, unit_level FROM practitioners").fetchall() == [("1001", "210000", "county")]


def test_a_truncated_workbook_is_reported_as_unreadable(db, tmp_path):
    book = Workbook()
    book.active.append(["人员编号"])
    book.save(tmp_path / "practitioners.xlsx")
    data = (tmp_path / "practitioners.xlsx").read_bytes()
    (tmp_path / "practitioners.xlsx").write_bytes(data[: len(data) // 2])
    result = importing.import_file(db, tmp_path / "practitioners.xlsx")
    (error,) = result.errors
    assert error.field == "<file>" and "complete .xlsx" in error.reason
    assert db.execute("SELECT field FROM import_errors").fetchall() == [("<file>",)]


def test_an_unknown_column_rejects_the_file_naming_the_column(db, tmp_path):
    path = write(tmp_path / "practitioners.csv", "人员编号,籍贯\nP1,辽宁\n")
    result = importing.import_file(db, path)
    assert reported(result) == {(1, "籍贯")}
    assert count(db, "practitioners") == 0


def test_the_kind_comes_from_the_file_name_or_the_flag(db, tmp_path):
    path = write(tmp_path / "data.csv", "id,name\nP1,王\n")
    assert importing.import_file(db, path).errors[0].reason.endswith("give --kind")
    assert importing.import_file(db, path, kind="practitioners").rows_loaded == 1


def test_an_import_for_a_year_refuses_other_years(db, tmp_path):
    path = write(tmp_path / "activities.csv", HEADER + GOOD + "A2,P1,继续医学教育项目,2025,2025-05-01,6,是\n")
    assert reported(importing.import_file(db, path, year=2026)) == {(3, "year")}


def test_every_example_file_imports_cleanly_and_the_bad_rows_sample_reports_five(tmp_path):
    runner = CliRunner()
    database = str(tmp_path / "ex.db")
    good = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx") and "bad" not in p.name)
    assert len(good) == 9  # three kinds × three formats
    result = runner.invoke(cli, ["import", "--db", database, *map(str, good)])
    assert result.exit_code == 0, result.output
    assert "错误 0 行" in result.output and "错误 1" not in result.output
    bad = runner.invoke(cli, ["import", "--db", database, str(EXAMPLES / "activities-bad-rows.csv")])
    assert bad.exit_code == 2  # rows were refused (the good ones loaded): docs/data-format.md
    assert "错误 5 行" in bad.output
    for row, field in [(3, "kind"), (4, "date"), (5, "hours"), (6, "id"), (7, "year")]:
        assert f"row {row}: field '{field}'" in bad.output


def test_the_documented_columns_are_the_declared_ones(jijiao_limit_plugins):
    """docs/data-format.md's column tables are generated from the models and the built-in plugins'
    declarations (`python -m jijiao.importing`): a new fact must be documented."""
    from pathlib import Path

    from jijiao import importing
    from jijiao.plugins import Registry

    jijiao_limit_plugins("national", "liaoning", "wenzhou", "changsha")
    doc = (Path(__file__).resolve().parent.parent / "docs" / "data-format.md").read_text("utf-8")
    assert importing.format_reference(Registry()).strip() in doc
