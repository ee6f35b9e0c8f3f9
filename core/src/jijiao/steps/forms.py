"""Steps about the official forms (附件) a plugin fills in as .xlsx.

The form is filled from the projects given with "的以下项目", saved as .xlsx and read back with
openpyxl, so a scenario checks what a person opening the file would see. The layout is the one
`jijiao.forms.table_workbook` makes: a title, heading lines, the header row, one row per record,
footer lines.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO

import attrs
from openpyxl import load_workbook

from . import step
from .common import record


@attrs.frozen
class FilledForm:
    """The first sheet of a filled form as read back: every row's cell values."""

    rows: tuple[tuple, ...]

    @property
    def header_index(self) -> int:
        """The header row: the first row with more than one filled cell."""
        for i, row in enumerate(self.rows):
            if sum(1 for v in row if v not in (None, "")) > 1:
                return i
        raise AssertionError(f"表格中没有表头行：{self.rows}")

    @property
    def columns(self) -> list[str]:
        return [str(v) for v in self.rows[self.header_index] if v not in (None, "")]

    @property
    def records(self) -> list[dict]:
        """The rows after the header that fill more than one cell, by column name."""
        found = []
        for row in self.rows[self.header_index + 1:]:
            if sum(1 for v in row if v not in (None, "")) <= 1:
                break
            found.append(dict(zip(self.columns, row)))
        return found

    def texts(self) -> list[str]:
        return [str(v) for row in self.rows for v in row if v not in (None, "")]


def _forms(registry) -> dict:
    return {form.name: form for forms in registry.pm.hook.jijiao_forms() for form in forms or ()}


def _fill(world, name: str, options: dict) -> FilledForm:
    forms = _forms(world.registry)
    assert name in forms, f"没有表格“{name}”；已有：{'、'.join(sorted(forms)) or '无'}"
    buffer = BytesIO()
    forms[name].fill(world.projects, options).save(buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).worksheets[0]
    return FilledForm(tuple(tuple(row) for row in sheet.iter_rows(values_only=True)))


@step("当", '用这些项目填写表格"{name}"', '当 用这些项目填写表格"wenzhou-summary"', target_fixture="filled_form")
def fill_form(world, name):
    """Fill the named form (``jijiao forms list``) from the projects given, and read the .xlsx back."""
    return _fill(world, name, {})


@step(
    "当",
    '用这些项目填写表格"{name}"，选项如下:',
    '当 用这些项目填写表格"wenzhou-summary"，选项如下:\n  | 字段 | 值 |\n  | unit | 温州市中心医院 |\n  | date | 2026-03-28 |',
    target_fixture="filled_form",
)
def fill_form_with(world, name, datatable):
    """The same, with the form's options (unit, date ... as the form documents them)."""
    return _fill(world, name, record(datatable))


@step("那么", '表格标题为"{title}"', '那么 表格标题为"温州市申报2026年市级继续医学教育培训项目汇总表"')
def form_title(filled_form, title):
    """The form's first line is its title."""
    assert filled_form.rows[0][0] == title, f"标题为“{filled_form.rows[0][0]}”"


@step("那么", "表格的列依次为:", "那么 表格的列依次为:\n  | 列名 |\n  | 序号 |\n  | 项目名称 |")
def form_columns(filled_form, datatable):
    """The header row, column by column (a one-column table headed 列名)."""
    expected = [row[0] for row in datatable[1:]]
    assert filled_form.columns == expected, f"表头为：{filled_form.columns}"


@step("那么", "表格有 {count:d} 行数据", "那么 表格有 2 行数据")
def form_row_count(filled_form, count):
    """How many records the table lists."""
    assert len(filled_form.records) == count, f"有 {len(filled_form.records)} 行：{filled_form.records}"


def _same(actual, expected: str) -> bool:
    if actual is None:
        return expected == ""
    try:
        return Decimal(str(actual)) == Decimal(expected)
    except InvalidOperation:
        return str(actual) == expected


@step("那么", "表格第 {number:d} 行数据为:", "那么 表格第 1 行数据为:\n  | 字段 | 值 |\n  | 项目名称 | 基层慢病管理适宜技术培训班 |")
def form_row(filled_form, number, datatable):
    """One record's cells by column name (numbers compare as numbers: 5 equals 5.0)."""
    rows = filled_form.records
    assert 0 < number <= len(rows), f"只有 {len(rows)} 行数据"
    row = rows[number - 1]
    for column, expected in record(datatable).items():
        assert column in row, f"没有列“{column}”：{list(row)}"
        assert _same(row[column], expected), f"第 {number} 行“{column}”为 {row[column]!r}，而非 {expected!r}"


@step("那么", '表格包含文字"{text}"', '那么 表格包含文字"填报人："')
def form_text(filled_form, text):
    """Some cell (title, heading, table or footer) contains this text."""
    assert any(text in cell for cell in filled_form.texts()), f"表格中没有“{text}”：{filled_form.texts()}"
