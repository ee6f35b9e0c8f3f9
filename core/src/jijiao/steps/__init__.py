"""The shared Gherkin step vocabulary (zh-CN) for every jurisdiction's scenarios.

Policy staff write scenarios with these steps only; ``jijiao steps`` prints the catalogue with
an example for each. Steps live in topic modules of this package (``common``: practitioners,
activities, credits and the year; ``projects``: projects, findings, deadlines; more topics may be
added as modules). Each is declared with `step`, which registers it with pytest-bdd and in the
catalogue at once, so the catalogue can never drift from what runs.

Conventions: quoted values use ASCII double quotes ("..."); numbers are written plainly
(2.5); a table of 字段 | 值 gives one record, a table with a header row gives several; field
names are the Chinese labels of the models (``jijiao steps --fields`` lists them).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

import attrs
from pytest_bdd import given, parsers, then, when

_DECORATORS = {"假如": given, "当": when, "那么": then}


@attrs.frozen
class StepEntry:
    keyword: str
    pattern: str
    example: str
    doc: str
    module: str


CATALOGUE: list[StepEntry] = []


def step(keyword: str, pattern: str, example: str, *, target_fixture: str | None = None) -> Callable:
    """Declare a step: ``keyword`` is 假如/当/那么, ``pattern`` a `parse` pattern, ``example`` a
    line (with its table, if any) that policy staff can copy."""

    def register(function):
        decorator = _DECORATORS[keyword]
        decorated = decorator(parsers.parse(pattern), target_fixture=target_fixture, stacklevel=2)(function)
        CATALOGUE.append(
            StepEntry(keyword, pattern, example.strip("\n"), (function.__doc__ or "").strip(), function.__module__)
        )
        return decorated

    return register


PLACEHOLDERS = {
    "region": "地区", "year": "年份", "key": "参数名", "value": "数值", "credits": "学分数",
    "text": "文字", "category": "类别", "clause": "文件/条款", "label": "要求名称", "amount": "数量",
    "number": "文号", "verdict": "合格|不合格|无法判定", "before": "削减前", "after": "削减后",
    "name": "地区名称", "class_i": "Ⅰ类学分数", "class_ii": "Ⅱ类学分数", "severity": "不予受理|违规|提醒|说明",
    "what": "期限名称", "moment": "日期时间", "count": "个数", "seed": "种子", "project": "项目编号",
    "checker": "抽查单位", "form": "表格",
    "row": "行号",
    "unit": "单位",
}


def readable(pattern: str) -> str:
    """A step pattern with its placeholders named in Chinese, for the printed catalogue."""
    import re

    return re.sub(r"\{(\w+)(?::\w)?\}", lambda m: "{" + PLACEHOLDERS.get(m.group(1), m.group(1)) + "}", pattern)


def modules(registry=None) -> list[str]:
    """The names of every step module, for ``pytest_plugins``: the shared ones here, then each
    installed plugin's own (``jijiao_step_modules``)."""
    from ..plugins import default_registry

    registry = registry or default_registry()
    own = [f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return [*own, *(name for plugin in sorted(registry.step_modules) for name in registry.step_modules[plugin])]


def load_catalogue() -> list[StepEntry]:
    for name in modules():
        importlib.import_module(name)
    return CATALOGUE
