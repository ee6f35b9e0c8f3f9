"""Spot-check plans (辽卫办发〔2026〕56号 三(二)(三)): who checks which projects, on which form.

Reading (10 %): "抽查项目数量不低于本地区公布项目总数的10%" together with the split of the work
("6~10学分项目由省卫生健康服务中心直接抽查，5学分及以下项目由属地市级卫生健康行政部门负责抽查")
is read as each checker drawing at least 10 % (rounded up) of the projects it is responsible
for; the plan as a whole then always reaches 10 % of all projects.

Reading (credit bands): the notice names 6~10 credits and "5学分及以下"; a project above 5
credits (5.5, or above 10) is checked by the provincial centre, the higher of the two checkers.

Reading (which projects): the plan covers the projects published in Liaoning (jurisdiction code
21xxxx) for the year; a project with dates in another year is left out.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from jijiao.models import Medicine, SpotCheck

from .documents import NOTICE_2026_56 as N
from .rules import in_province, plain

PROVINCIAL_CENTRE = "省卫生健康服务中心"
CITY_OFFICE = "属地市级卫生健康行政部门"
FORMS = {
    Medicine.WESTERN: "附件3《继续医学教育项目执行情况抽查评价表》",
    Medicine.TCM: "附件4《中医药继续教育项目执行情况抽查评价表》",
}


def checker_of(project, p) -> str:
    if project.requested_credits is None:
        raise ValueError(f"Project.requested_credits: project {project.id} has no 申请学分, so its checker cannot be decided")
    if project.requested_credits > p.spot_check_city_max_credits:
        return PROVINCIAL_CENTRE
    return CITY_OFFICE


def city_of(project) -> str:
    """The city responsible for a project, from its jurisdiction code where it names one."""
    code = project.jurisdiction
    return f"（{code[:4]}00）" if code[2:4] != "00" else ""


def sample_size(count: int, share_pct: Decimal) -> int:
    """At least ``share_pct`` % of ``count``, rounded up."""
    return math.ceil(Decimal(count) * Decimal(share_pct) / 100)


def in_scope(project, year: int) -> bool:
    dates = [d for d in (project.start, project.end) if d is not None]
    return in_province(project.jurisdiction) and all(d.year == year for d in dates)


def plan(projects, year, seed, jurisdiction, p) -> list[SpotCheck]:
    rng = random.Random(seed)
    bands: dict[str, list] = {PROVINCIAL_CENTRE: [], CITY_OFFICE: []}
    for project in sorted((pr for pr in projects if in_scope(pr, year)), key=lambda pr: pr.id):
        bands[checker_of(project, p)].append(project)
    checks = []
    for checker, members in bands.items():
        n = sample_size(len(members), p.spot_check_share_pct)
        for project in sorted(rng.sample(members, n), key=lambda pr: pr.id):
            who = checker + (city_of(project) if checker == CITY_OFFICE else "")
            reason = (
                f"{plain(project.requested_credits)} 学分项目由{checker}抽查；本类 {len(members)} 项，"
                f"按不低于 {plain(p.spot_check_share_pct)}%（向上取整）抽取 {n} 项；{project.medicine.zh}项目填报{FORMS[project.medicine][:3]}（三(三)）"
            )
            checks.append(SpotCheck(project.id, who, FORMS[project.medicine], N.ref("三(二)"), jurisdiction.code, reason))
    return checks
