"""Steps about the official forms (附件) a plugin fills in as .xlsx.

The form is filled from the projects given with "的以下项目", saved as .xlsx and read back with
openpyxl, so a scenario checks what a person opening the file would see. The layout is the one
`jijiao.forms.table_workbook` makes: a title, heading lines, the header row, one row per record,
footer lines.

PYTEST_DONT_REWRITE: a failed step says only what its message says, in the policy's words (see
`._messages`), not pytest's "assert None is True" beneath it.
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


@step("当", '用这些项目填写表格"{form}"', '当 用这些项目填写表格"wenzhou-summary"', target_fixture="filled_form")
def fill_form(world, form):
    """用前面给出的项目填写表格（`jijiao forms list` 列出可用表格），保存为 .xlsx 后再读回检查。"""
    return _fill(world, form, {})


@step(
    "当",
    '用这些项目填写表格"{form}"，选项如下:',
    '当 用这些项目填写表格"wenzhou-summary"，选项如下:\n  | 字段 | 值 |\n  | unit | 温州市中心医院 |\n  | date | 2026-03-28 |',
    target_fixture="filled_form",
)
def fill_form_with(world, form, datatable):
    """同上，并给出表格的选项（字段 | 值，如 unit 申报单位、date 填报日期，见各表格的说明）。"""
    return _fill(world, form, record(datatable))


@step("那么", '表格标题为"{text}"', '那么 表格标题为"温州市申报2026年市级继续医学教育培训项目汇总表"')
def form_title(filled_form, text):
    """表格第一行是这个标题。"""
    assert filled_form.rows[0][0] == text, f"标题为“{filled_form.rows[0][0]}”"


@step("那么", "表格的列依次为:", "那么 表格的列依次为:\n  | 列名 |\n  | 序号 |\n  | 项目名称 |")
def form_columns(filled_form, datatable):
    """表头各列依次为这些列名（一列的表，首行为“列名”）。"""
    expected = [row[0] for row in datatable[1:]]
    assert filled_form.columns == expected, f"表头为：{' | '.join(filled_form.columns)}，而非：{' | '.join(expected)}"


@step("那么", "表格有 {count:d} 行数据", "那么 表格有 2 行数据")
def form_row_count(filled_form, count):
    """表格列出的数据行数（不含标题、表头和表尾）。"""
    assert len(filled_form.records) == count, f"有 {len(filled_form.records)} 行：{filled_form.records}"


def _same(actual, expected: str) -> bool:
    if actual is None:
        return expected == ""
    try:
        return Decimal(str(actual)) == Decimal(expected)
    except InvalidOperation:
        return str(actual) == expected


@step("那么", "表格第 {row:d} 行数据为:", "那么 表格第 1 行数据为:\n  | 字段 | 值 |\n  | 项目名称 | 基层慢病管理适宜技术培训班 |")
def form_row(filled_form, row, datatable):
    """第几行数据中各列的值（字段 | 值，字段为列名；数字按数值比较，5 与 5.0 相同）。"""
    rows = filled_form.records
    assert 0 < row <= len(rows), f"只有 {len(rows)} 行数据"
    cells = rows[row - 1]
    for column, expected in record(datatable).items():
        assert column in cells, f"没有列“{column}”；表格的列：{'、'.join(cells)}"
        assert _same(cells[column], expected), f"第 {row} 行“{column}”为 {cells[column]!r}，而非 {expected!r}"


@step("那么", '表格包含文字"{text}"', '那么 表格包含文字"填报人："')
def form_text(filled_form, text):
    """表格某个单元格（标题、表头上方各行、表内或表尾）包含这段文字。"""
    assert any(text in cell for cell in filled_form.texts()), f"表格中没有“{text}”：{filled_form.texts()}"
