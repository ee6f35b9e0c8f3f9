"""Steps that speak of what only the national documents name (added to the shared vocabulary
through ``jijiao_step_modules``)."""

from decimal import Decimal

from jijiao.models import Requirement
from jijiao.steps import step

from .vocabulary import Credits, Requirements


@step(
    "假如",
    "所在省份要求Ⅰ类学分不少于 {class_i} 学分、Ⅱ类学分不少于 {class_ii} 学分",
    "假如 所在省份要求Ⅰ类学分不少于 10 学分、Ⅱ类学分不少于 15 学分",
)
def split_requirement(world, class_i, class_ii):
    """以Ⅰ类、Ⅱ类分列的年度学分要求（由省级规定；用于检验国家层面的相互补充规则 702号 三）。"""
    code = world.practitioner.jurisdiction
    first, second = Decimal(class_i.strip()), Decimal(class_ii.strip())
    world.requirements = [
        Requirement(Requirements.CLASS_I_CREDITS, (Credits.CLASS_I,), first, "学分", None, code, assumed=True),
        Requirement(Requirements.CLASS_II_CREDITS, (Credits.CLASS_II,), second, "学分", None, code, assumed=True),
        Requirement(Requirements.ANNUAL_CREDITS, (Credits.CLASS_I, Credits.CLASS_II), first + second, "学分", None, code, assumed=True),
    ]
