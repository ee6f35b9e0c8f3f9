"""Nothing we write opens as a formula: `jijiao export`'s .xlsx, `jijiao forms make`, and
Datasette's CSV, each opened as a spreadsheet program would (openpyxl, csv)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jijiao import annual, importing, publish, safe_cells, storage
from jijiao.cli import cli, registry
from jijiao.datasette.server import make_datasette

HYPERLINK = '=HYPERLINK("http://example.invalid/x","温州医院")'
DDE = "=cmd|' /C calc'!A0"
TRICKY = [HYPERLINK, DDE, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]
WENZHOU = Path(__file__).resolve().parents[2] / "plugins" / "wenzhou" / "examples" / "applications.jsonl"


def test_what_opens_as_a_formula_and_what_stays_a_number():
    assert all(safe_cells.opens_as_formula(t) for t in TRICKY)
    assert not any(safe_cells.opens_as_formula(v) for v in ["-3", "+2.5", "-1e3", -3, "温州医院", "", None, "3-2"])
    assert safe_cells.csv_text(HYPERLINK) == "'" + HYPERLINK and safe_cells.csv_text("-3") == "-3"


def no_formula_in(path: Path) -> None:
    """The workbook's XML holds no formula element at all."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


@pytest.fixture
def assessed(tmp_path):
    db = storage.connect(tmp_path / "office.db")
    people = tmp_path / "practitioners.csv"
    with people.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["人员编号", "姓名", "执业地区", "工作单位"])
        for i, text in enumerate(TRICKY):
            writer.writerow([f"P{i}", "王秀英", "430100", text])
    assert importing.import_file(db, people).rows_loaded == len(TRICKY)
    with db.atomic():  # import strips the tab and CR; a value stored by other means may keep them
        for i, text in enumerate(TRICKY):
            db.execute("UPDATE practitioners SET unit = ? WHERE id = ?", (text, f"P{i}"))
    annual.assess(db, registry(), 2026)
    return db, tmp_path


def test_jijiao_export_writes_formula_like_text_as_text_and_numbers_as_numbers(assessed):
    db, tmp = assessed
    database = db.conn.execute("PRAGMA database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["export", "--db", database, "--out", str(tmp / "out.xlsx"), "--table", "annual_results"])
    assert result.exit_code == 0, result.output
    no_formula_in(tmp / "out.xlsx")
    sheet = load_workbook(tmp / "out.xlsx")["annual_results"]
    header = [c.value for c in sheet[1]]
    unit, earned = header.index("工作单位") + 1, header.index("已获学分") + 1
    cells = [sheet.cell(row, unit) for row in range(2, sheet.max_row + 1)]
    assert {c.value for c in cells} == {t.replace("\r", "\n") for t in TRICKY}  # XML reads CR as LF
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert all(isinstance(sheet.cell(row, earned).value, (int, float)) for row in range(2, sheet.max_row + 1))


def test_forms_make_writes_no_live_formula(tmp_path):
    applications = [json.loads(line) for line in WENZHOU.read_text("utf-8").splitlines() if line.strip()]
    applications[0]["name"] = DDE
    applications[1]["host"] = HYPERLINK
    applications[2]["leader"] = "@SUM(1+1)"
    source = tmp_path / "applications.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in applications), "utf-8")
    out = tmp_path / "汇总表.xlsx"
    result = CliRunner().invoke(cli, ["forms", "make", "wenzhou-summary", "--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    no_formula_in(out)
    texts = {c.value: c for row in load_workbook(out).active.iter_rows() for c in row if isinstance(c.value, str)}
    for tricky in (DDE, "@SUM(1+1)"):
        assert tricky in texts and texts[tricky].data_type == "s" and texts[tricky].quotePrefix


def test_datasette_csv_escapes_formula_like_cells_streamed_or_not(assessed):
    db, _tmp = assessed
    database = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.close()
    copy, _built = publish.build_browse_copy(database)
    ds = make_datasette(copy)
    for query in ("?_size=max", "?_stream=on", "?_stream=on&_dl=1"):
        response = asyncio.run(ds.client.get(f"/jijiao/annual_results.csv{query}"))
        assert response.status_code == 200, response.text
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        assert {r["unit"] for r in rows} == {"'" + t for t in TRICKY}
        assert all(not safe_cells.opens_as_formula(r["unit"]) for r in rows)
        assert all(float(r["earned"]) >= 0 for r in rows)  # numbers untouched


def test_a_write_only_row_keeps_numbers_as_numbers_and_makes_formulas_text():
    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet("t")
    row = safe_cells.write_only_row(sheet, [-3, -2.5, "-3", "=1+1", "温州医院", None])
    assert row[:3] == [-3, -2.5, "-3"] and row[4:] == ["温州医院", None]
    assert row[3].value == "=1+1" and row[3].data_type == "s" and row[3].quotePrefix
