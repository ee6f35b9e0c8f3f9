"""Spot-check plans (辽卫办发〔2026〕56号 三(二)(三)): who checks which projects, on which form.

Reading (10 %): "各级卫生健康行政部门要对辖区内……随机抽查，抽查项目数量不低于本地区公布项目总数的
10%" together with the split of the work ("6~10学分项目由省卫生健康服务中心直接抽查，5学分及以下项目
由属地市级卫生健康行政部门负责抽查") is read as each checker drawing at least 10 % (rounded up) of
the projects it is responsible for in its own area: the provincial centre over the province's
6~10 credit projects, and each city (属地, by the first four digits of the project's code) over
its own projects of 5 credits and fewer, so that no city's area goes unchecked. Projects coded
to the province only (210000) in the city band are drawn as one pool whose city is not named.
The plan as a whole then always reaches 10 % of all projects.

Reading (credit bands): the notice names 6~10 credits and "5学分及以下"; a project above 5
credits (5.5, or above 10) is checked by the provincial centre, the higher of the two checkers.

Reading (which projects): "本地区公布项目" are the provincial recommended projects this notice
publishes: provincial projects governed by Liaoning (jurisdiction code 21xxxx) for the year. A
project with dates in another year, a national project and a city's own project (方案 二(一)2)
are left out.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from jijiao.models import Level, Medicine, SpotCheck

from .documents import NOTICE_2026_56 as N
from .rules import in_province, plain

PROVINCIAL_CENTRE = "省卫生健康服务中心"
CITY_OFFICE = "属地市级卫生健康行政部门"
FORMS = {
    Medicine.WESTERN: "附件3《继续医学教育项目执行情况抽查评价表》",
    Medicine.TCM: "附件4《中医药继续教育项目执行情况抽查评价表》",
}


def checker_of(project, p) -> str:
    """Who checks a project: the provincial centre, or the city office of the project's city."""
    if project.requested_credits is None:
        raise ValueError(f"Project.requested_credits: project {project.id} has no 申请学分, so its checker cannot be decided")
    if project.requested_credits > p.spot_check_city_max_credits:
        return PROVINCIAL_CENTRE
    return CITY_OFFICE + city_of(project)


def city_of(project) -> str:
    """The city responsible for a project, from its jurisdiction code where it names one."""
    code = project.jurisdiction
    return f"（{code[:4]}00）" if code[2:4] != "00" else ""


def pool_name(checker: str) -> str:
    """The projects a checker draws from, as the reason names them."""
    if checker == PROVINCIAL_CENTRE:
        return "全省同类"
    return "未注明所属市的同类" if checker == CITY_OFFICE else "本市同类"


def sample_size(count: int, share_pct: Decimal) -> int:
    """At least ``share_pct`` % of ``count``, rounded up."""
    return math.ceil(Decimal(count) * Decimal(share_pct) / 100)


def in_scope(project, year: int) -> bool:
    dates = [d for d in (project.start, project.end) if d is not None]
    return project.level is Level.PROVINCIAL and in_province(project.jurisdiction) and all(d.year == year for d in dates)


def plan(projects, year, seed, jurisdiction, p) -> list[SpotCheck]:
    rng = random.Random(seed)
    pools: dict[str, list] = {}
    for project in sorted((pr for pr in projects if in_scope(pr, year)), key=lambda pr: pr.id):
        pools.setdefault(checker_of(project, p), []).append(project)
    checks = []
    # The provincial centre first, then the cities by code: the draw depends on the seed only.
    for checker in sorted(pools, key=lambda c: (c != PROVINCIAL_CENTRE, c)):
        members = pools[checker]
        n = sample_size(len(members), p.spot_check_share_pct)
        for project in sorted(rng.sample(members, n), key=lambda pr: pr.id):
            reason = (
                f"{plain(project.requested_credits)} 学分项目由{checker}抽查；{pool_name(checker)} {len(members)} 项，"
                f"按不低于 {plain(p.spot_check_share_pct)}%（向上取整）抽取 {n} 项；{project.medicine.zh}项目填报{FORMS[project.medicine][:3]}（三(三)）"
            )
            checks.append(SpotCheck(project.id, checker, FORMS[project.medicine], N.ref("三(二)"), jurisdiction.code, reason))
    return checks
