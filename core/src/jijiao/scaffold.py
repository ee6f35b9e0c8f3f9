"""``jijiao new-region NAME CODE``: a complete jurisdiction plugin package that passes its own tests.

The package is made from the templates in ``plugin_template/`` (`string.Template`, ``${...}``
placeholders): a pyproject with the ``jijiao`` entry point and its dependencies, a document
with two clauses, the numbers as a `ParameterSet`, one kind of activity of its own, a credit
rule and an annual requirement, a zh-CN feature using the shared steps, unit tests and the test
module that binds its scenarios. Its texts and numbers are placeholders, marked as such, for
the regional team to replace with their documents' own; docs/plugin-guide.md walks through it.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from string import Template

import attrs

from .models import NATIONAL_CODE

NAME = re.compile(r"[a-z][a-z0-9_]*")

# template file -> where it goes in the package (placeholders allowed in the path)
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "src/${package}/__init__.py",
    "documents.py.tmpl": "src/${package}/documents.py",
    "parameters.py.tmpl": "src/${package}/parameters.py",
    "vocabulary.py.tmpl": "src/${package}/vocabulary.py",
    "plugin.py.tmpl": "src/${package}/plugin.py",
    "region.feature.tmpl": "src/${package}/features/${name}.feature",
    "test_scenarios.py.tmpl": "tests/test_scenarios.py",
    "test_rules.py.tmpl": "tests/test_rules.py",
}


class ScaffoldError(ValueError):
    """A name, code or target the scaffold cannot use (the message is for the user)."""


@attrs.frozen
class Region:
    """What the templates are filled with."""

    name: str  # entry-point name and parameter namespace
    code: str
    zh: str
    level: str
    parent: str

    @property
    def values(self) -> dict[str, str]:
        constant = self.name.upper()
        return {
            "name": self.name,
            "code": self.code,
            "zh": self.zh,
            "level": self.level,
            "parent": self.parent,
            "package": f"jijiao_{self.name}",
            "dist": f"jijiao-{self.name.replace('_', '-')}",
            "doc_id": f"{self.name.replace('_', '-')}-cme",
            "constant": constant,
            "kind_code": f"{self.name}_local_activity",
            "kind_constant": "LOCAL_ACTIVITY",
            "activity_zh": f"{self.zh}特色培训活动",
        }


def region(name: str, code: str, zh: str | None = None) -> Region:
    """Check NAME and CODE and work out the level, parent and Chinese name."""
    from .plugins import province_names

    if not NAME.fullmatch(name):
        raise ScaffoldError(f"NAME {name!r}: use lower-case letters, digits and _ (it is the entry point and the parameter namespace)")
    if not re.fullmatch(r"\d{6}", code) or code == NATIONAL_CODE:
        raise ScaffoldError(f"CODE {code!r}: give the GB/T 2260 code of a province (ending 0000) or a city (ending 00)")
    if code.endswith("0000"):
        level, parent = "provincial", NATIONAL_CODE
    elif code.endswith("00"):
        level, parent = "city", code[:2] + "0000"
    else:
        raise ScaffoldError(f"CODE {code}: jijiao's layers are national, provincial and city; a county is governed by its city")
    zh = zh or (province_names().get(code) if level == "provincial" else None)
    if not zh:
        raise ScaffoldError(f"CODE {code}: give the jurisdiction's Chinese name with --zh (e.g. --zh 某某市)")
    return Region(name, code, zh, level, parent)


def render(template_name: str, values: dict[str, str]) -> str:
    text = importlib.resources.files("jijiao").joinpath("plugin_template", template_name).read_text("utf-8")
    return Template(text).substitute(values)


def create(target: Path, region: Region) -> list[Path]:
    """Write the package into ``target`` (which must not exist yet); return the files written."""
    target = Path(target)
    if target.exists():
        raise ScaffoldError(f"{target}: already exists; choose another --directory or remove it")
    values = region.values
    written = []
    for template_name, destination in FILES.items():
        path = target / Template(destination).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(template_name, values), encoding="utf-8")
        written.append(path)
    return written
