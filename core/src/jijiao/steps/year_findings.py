"""Steps about the findings of a practitioner's year (late registrations, voided credits) and
the deadlines of one activity.

PYTEST_DONT_REWRITE: a failed step says only what its message says, in the policy's words (see
`._messages`), not pytest's "assert None is True" beneath it.
"""

from __future__ import annotations

from ..engine import activity_deadlines
from . import step
from .projects import select_findings


def _year_findings(world, severity=None, clause=None):
    assert world.result is not None, "先用“评定该人员的年度学分”评定年度"
    return select_findings(world.result.findings, severity, clause)


def _show(world):
    return "\n".join(f"[{f.severity.zh}] {f.clause} {f.message}" for f in world.result.findings) or "（无结论）"


@step(
    "那么",
    '年度结论中有一条"{severity}"结论，依据条款"{clause}"',
    '那么 年度结论中有一条"违规"结论，依据条款"ln-credit-scheme/四(二)2"',
)
def year_has_finding(world, severity, clause):
    """年度评定结果中有一条该等级（违规、提醒、说明）的结论，依据该条款（如逾期登记）。"""
    assert _year_findings(world, severity, clause), f"年度结论中没有依据 {clause} 的“{severity}”结论：\n{_show(world)}"


@step(
    "那么",
    '年度结论中没有依据条款"{clause}"的结论',
    '那么 年度结论中没有依据条款"ln-credit-scheme/四(二)2"的结论',
)
def year_has_no_finding(world, clause):
    """年度评定结果中没有依据该条款的结论（边界的另一侧）。"""
    assert not _year_findings(world, clause=clause), f"年度结论中有依据 {clause} 的结论：\n{_show(world)}"


@step("当", "列出该活动的期限", "当 列出该活动的期限")
def list_activity_deadlines(world):
    """列出适用于最后一项活动的期限（如次年1月底前登记），各层规定合并列出。"""
    assert world.activities, "先用“他参加了一项活动”设定活动"
    chain = world.registry.chain(world.practitioner.jurisdiction)
    world.deadlines = activity_deadlines(world.context(), chain, world.practitioner, world.activities[-1])
    world.clauses_in_view = tuple(d.clause for d in world.deadlines)
    world.texts_in_view = tuple(d.what for d in world.deadlines)
