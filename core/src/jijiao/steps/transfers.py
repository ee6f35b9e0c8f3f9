"""Steps about a practitioner moving between units (人员调动): the person's credits go with them.

PYTEST_DONT_REWRITE: a failed step says only what its message says, in the policy's words (see
`._messages`), not pytest's "assert None is True" beneath it.
"""

from __future__ import annotations

import attrs
import pytest

from ..engine import assess_year
from ..report import annual_text
from . import step


@pytest.fixture
def earlier_units() -> list:
    """The practitioner as they were before each transfer in the scenario."""
    return []


@step("假如", '他从原单位调至"{unit}"', '而且 他从原单位调至"长沙县人民医院"')
def transfer(world, earlier_units, unit):
    """人员调动：同一人员（人员编号、身份证号不变）调入另一单位；此前的活动仍是他本人的活动。"""
    assert world.practitioner is not None, "先用“一名在…执业的卫生专业技术人员”设定人员"
    assert unit != world.practitioner.unit, f"调入单位与原单位相同：{unit}"
    earlier_units.append(world.practitioner)
    world.practitioner = attrs.evolve(world.practitioner, unit=unit)


@step("那么", "调动前后的年度评定结果相同", "那么 调动前后的年度评定结果相同")
def same_result_in_every_unit(world, earlier_units):
    """在原单位与现单位评定同一年度，学分、要求与结论完全相同（学分随人，不随单位）。"""
    assert earlier_units, "场景中没有人员调动"
    assert world.result is not None, "先“评定该人员的年度学分”"
    for before in earlier_units:
        result = assess_year(world.context(), before, world.activities, world.year, extra_requirements=world.requirements)
        assert result == world.result, (
            f"在“{before.unit}”与“{world.practitioner.unit}”的评定结果不同：\n"
            f"{annual_text(world.registry, result)}\n---\n{annual_text(world.registry, world.result)}"
        )
