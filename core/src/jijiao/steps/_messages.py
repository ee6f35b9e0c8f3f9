"""Failure messages of the steps in the policy's words: Chinese field labels, verdicts and statuses.

A failed step is read by policy staff, so it names a field by the label they wrote in the table
(学时, not ``hours``), a verdict as 合格/不合格/无法判定 (never ``None``), and shows what was
expected beside what came out.
"""

from __future__ import annotations

import re

from ..inputs import InputError, field_index
from ..report import VERDICT, annual_text

MET = {True: "已达到", False: "未达到", None: "无法判定"}
"""A requirement's state, as `report.VERDICT` is the year's."""

_REASONS = [
    (re.compile(r"^a value is required$|^is required$"), lambda m: "必须填写"),
    (re.compile(r"^expected yes/no \(是/否\), got (.*)$"), lambda m: f"应写“是”或“否”，实际为 {m[1]}"),
    (re.compile(r"^expected a whole number, got (.*)$"), lambda m: f"应为整数，实际为 {m[1]}"),
    (re.compile(r"^expected a (?:finite )?number, got (.*)$"), lambda m: f"应为数字（不写单位），实际为 {m[1]}"),
    (re.compile(r"^expected a date and time such as (\S+), got (.*)$"), lambda m: f"应为北京时间，如 {m[1]}，实际为 {m[2]}"),
    (re.compile(r"^expected a date such as (\S+), got (.*)$"), lambda m: f"应为日期，如 {m[1]}（年-月-日，月和日补足两位），实际为 {m[2]}"),
    (re.compile(r"^unknown \w+ (.*); expected one of: (.*)$"), lambda m: f"{m[1]} 不是可写的值；可写：{m[2]}"),
    (re.compile(r"^\w+ has no such field"), lambda m: "没有这个字段（`jijiao steps --fields` 列出各表格的字段）"),
]


def _label(name: str, models) -> str:
    """``hours`` -> 学时 (hours); ``application.code`` -> 申请代码 (code)."""
    last = name.rsplit(".", 1)[-1]
    for model in models:
        attribute = field_index(model).get(last)
        if attribute is not None and attribute.metadata.get("zh"):
            return f"“{attribute.metadata['zh']}”（{last}）"
    from ..plugins import default_registry

    for facts in default_registry().facts.values():  # a fact a plugin declares
        if last in facts:
            return f"“{facts[last].zh}”（{last}）"
    return f"“{name}”"


def reason_zh(reason: str) -> str:
    """The reason `jijiao.inputs` gives for a bad value, in Chinese (as given when not known)."""
    for pattern, say in _REASONS:
        if match := pattern.search(reason):
            return say(match)
    return f"：{reason}"


def input_problem(what: str, error: InputError, *models) -> str:
    """One line naming the field by its Chinese label and the reason in Chinese."""
    return f"{what}有误：{_label(error.field, models)}{reason_zh(error.reason)}"


def year_text(world) -> str:
    """The year as `jijiao year` shows it: verdict, requirements, deemings, caps and each activity."""
    return annual_text(world.registry, world.result)


def verdict_word(passed) -> str:
    return VERDICT[passed]
