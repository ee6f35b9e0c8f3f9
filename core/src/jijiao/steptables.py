"""The tables the Gherkin steps accept, and the columns of each.

A step ending in ":" takes a table. Its columns are the Chinese labels of model fields (the
steps build their records with `jijiao.inputs.build`, which accepts a field by label or name),
so the columns a table accepts are read from the models here, never written out twice.
`step_tables` is the one list of them: ``jijiao steps --fields`` prints it and the scenario lint
(`jijiao.featurelint`) checks every table's columns against it. When plugins declare fields of
their own, this is the function to extend with them.
"""

from __future__ import annotations

import attrs

from .inputs import field_index
from .models import Activity, Practitioner, Project, ProjectApplication, ProjectExecution, Teacher

ONE = "字段 | 值"
"""One record: two columns, one row per field (the header row ``| 字段 | 值 |`` is optional)."""
MANY = "首行为字段名"
"""Several records: a header row of field labels, then one row per record."""


@attrs.frozen
class TablePart:
    """A model whose fields a table accepts; a project table routes each column to its part."""

    name: str
    model: type

    def labels(self) -> dict[str, attrs.Attribute]:
        """The Chinese labels of the part's fields (the names policy staff write)."""
        return {label: a for label, a in field_index(self.model).items() if label != a.name}


@attrs.frozen
class StepTable:
    name: str
    shape: str
    patterns: tuple[str, ...]
    """The step patterns (as declared with `jijiao.steps.step`) that take this table."""
    parts: tuple[TablePart, ...] = ()
    """Empty: the columns are not model fields (a form's options or its own column names)."""
    note: str = ""

    @property
    def checked(self) -> bool:
        return bool(self.parts)

    def accepts(self, column: str) -> bool:
        return any(column.strip() in field_index(part.model) for part in self.parts)

    def labels(self) -> list[str]:
        return [label for part in self.parts for label in part.labels()]


def step_tables() -> list[StepTable]:
    """Every table a step accepts, nested ones (a project's teachers, application, execution) included."""
    practitioner = (TablePart("人员", Practitioner),)
    activity = (TablePart("活动", Activity),)
    project = (TablePart("项目", Project), TablePart("申报", ProjectApplication), TablePart("执行", ProjectExecution))
    return [
        StepTable("人员", ONE, ('一名在"{region}"执业的卫生专业技术人员，信息如下:',), practitioner),
        StepTable("活动", ONE, ("他参加了一项活动:",), activity),
        StepTable("活动", MANY, ("他参加了以下活动:",), activity),
        StepTable(
            "项目", ONE, ('"{region}"的一个项目:',), project,
            "项目本身、申报信息和执行情况的字段可写在同一张表中，各自归入项目、申报、执行",
        ),
        StepTable("项目", MANY, ('"{region}"的以下项目:',), project),
        StepTable("授课教师", MANY, ("该项目的授课教师如下:",), (TablePart("授课教师", Teacher),), "接在“的一个项目:”之后，每行一名教师"),
        StepTable("填表选项", ONE, ('用这些项目填写表格"{form}"，选项如下:',), note="字段为各表格的选项（`jijiao forms list`）"),
        StepTable("表头各列", MANY, ("表格的列依次为:",), note="一列，首行为“列名”"),
        StepTable("表格中的一行", ONE, ("表格第 {row:d} 行数据为:",), note="字段为表格的列名"),
    ]


def table_of(pattern: str) -> StepTable | None:
    """The table the step declared with ``pattern`` takes, if any."""
    for table in step_tables():
        if pattern in table.patterns:
            return table
    return None
