"""The tables the Gherkin steps accept, and the columns of each.

A step ending in ":" takes a table. Its columns are the Chinese labels of model fields and of
the facts the installed plugins declare (the steps build their records with
`jijiao.inputs.build`, which accepts a field or a declared fact by label or name), so the
columns a table accepts are read from the models and the registry here, never written out
twice. `step_tables` is the one list of them: ``jijiao steps --fields`` prints it and the
scenario lint (`jijiao.featurelint`) checks every table's columns against it.
"""

from __future__ import annotations

import attrs

from .inputs import fact_index, field_index
from .models import MAPPING_FIELDS
from .models import Activity, Practitioner, Project, Teacher

ONE = "字段 | 值"
"""One record: two columns, one row per field (the header row ``| 字段 | 值 |`` is optional)."""
MANY = "首行为字段名"
"""Several records: a header row of field labels, then one row per record."""


@attrs.frozen
class TablePart:
    """What a table's columns fill: a model's fields (and, for an activity, the facts the plugins
    declare for it), or one part of a project (its application or execution facts)."""

    name: str
    model: type | None = None
    facts: dict = attrs.field(factory=dict, eq=False)
    owners: dict = attrs.field(factory=dict, eq=False)  # (record, fact name) -> declaring plugins

    @property
    def kind(self) -> str:
        return self.model.__name__ if self.model is not None else "各插件声明的字段"

    def labels(self) -> dict[str, tuple[str, str | None, str]]:
        """Chinese label → (field or fact name, unit, declaring plugins or "" for core's fields)."""
        found: dict[str, tuple[str, str | None, str]] = {}
        if self.model is not None:
            for label, a in field_index(self.model).items():
                if label != a.name and a.name not in MAPPING_FIELDS:
                    found[label] = (a.name, a.metadata.get("unit"), "")
        for fact in self.facts.values():
            owners = "、".join(sorted(set(self.owners.get((fact.record, fact.name), ()))))
            found.setdefault(fact.zh, (fact.name, fact.unit, owners))
        return found

    def accepts(self, column: str) -> bool:
        column = column.strip()
        in_model = self.model is not None and column in field_index(self.model) and column not in MAPPING_FIELDS
        return in_model or column in fact_index(self.facts)


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
        return any(part.accepts(column) for part in self.parts)

    def labels(self) -> list[str]:
        return [label for part in self.parts for label in part.labels()]


def step_tables(registry=None) -> list[StepTable]:
    """Every table a step accepts, nested ones (a project's teachers, application, execution)
    included, with the facts the installed plugins (or ``registry``'s) declare."""
    from .plugins import default_registry

    registry = registry or default_registry()
    facts, owners = registry.facts, registry.fact_owners
    practitioner = (TablePart("人员", Practitioner),)
    activity = (TablePart("活动", Activity, facts["activity"], owners),)
    project = (
        TablePart("项目", Project),
        TablePart("申报", None, facts["application"], owners),
        TablePart("执行", None, facts["execution"], owners),
    )
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


def table_of(pattern: str, registry=None) -> StepTable | None:
    """The table the step declared with ``pattern`` takes, if any."""
    for table in step_tables(registry):
        if pattern in table.patterns:
            return table
    return None
