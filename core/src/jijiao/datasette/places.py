"""Places for the browse copy (publish.py): to count by city and district where a practitioner's
own code stops at the province, a unit named 海城市中医院 lies in 海城市 (210381), which lies in
鞍山市 (210300). The divisions are GB/T 2260's, from `jijiao.regions` (the list the importer checks
codes against); with only the provinces' fallback list there are no cities to count by.
"""

from __future__ import annotations

from .. import regions


def places() -> list[tuple[str, str, str]]:
    """(code, name, parent code) of every prefecture and county."""
    return regions.divisions()


def place_of_unit(unit: str | None, by_name: dict[str, str]) -> str | None:
    """The code of the most specific listed place a unit's name starts with (海城市中医院 -> 海城市,
    沈阳市北镇街社区卫生服务中心 -> 沈阳市, never 北镇市), or None (辽宁省人民医院)."""
    if not unit:
        return None
    best = None
    for length in range(2, min(len(unit), 9) + 1):
        code = by_name.get(unit[:length])
        if code:
            best = code
    return best
