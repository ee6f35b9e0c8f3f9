"""Which clauses the Gherkin scenarios cover: read the tags of features/, compare with the clauses.

A scenario's clause tags (``@<document>/<clause>``) -- its own and its feature's -- say which
clauses it checks. A scenario that checks what happens where no document we hold rules is tagged
``@missing-document`` instead. A document's coverage is the share of its computable clauses that at least
one scenario checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from .models import ClauseRef
from .plugins import Registry

SCENARIO = re.compile(r"^\s*(场景大纲|场景|剧本大纲|剧本|Scenario Outline|Scenario Template|Scenario|Example)\s*[:：]\s*(.*)$")
FEATURE = re.compile(r"^\s*(功能|Feature)\s*[:：]")
EXAMPLES = re.compile(r"^\s*(例子|Examples)\s*[:：]")


@attrs.frozen
class TaggedScenario:
    file: str
    line: int
    name: str
    clauses: tuple[ClauseRef, ...]
    tags: tuple[str, ...] = ()


def _tags(line: str) -> list[str]:
    return [t[1:] for t in line.split() if t.startswith("@")]


def scan(features_dir: Path) -> list[TaggedScenario]:
    """Every scenario under ``features_dir`` with the clause tags that apply to it."""
    found = []
    for path in sorted(features_dir.rglob("*.feature")):
        feature_tags: list[str] = []
        pending: list[str] = []
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("@"):
                pending += _tags(stripped)
            elif FEATURE.match(line):
                feature_tags, pending = pending, []
            elif match := SCENARIO.match(line):
                tags = feature_tags + pending
                clauses = tuple(ClauseRef.parse(t) for t in tags if "/" in t)
                found.append(TaggedScenario(str(path), number, match.group(2).strip(), clauses, tuple(tags)))
                pending = []
            elif EXAMPLES.match(line):
                pending = []
    return found


@attrs.frozen
class DocumentCoverage:
    document: str
    title: str
    number: str
    computable: tuple[ClauseRef, ...]
    covered: dict
    not_computable: tuple[ClauseRef, ...]

    @property
    def share(self) -> float:
        return len(self.covered) / len(self.computable) if self.computable else 1.0

    @property
    def uncovered(self) -> list[ClauseRef]:
        return [c for c in self.computable if c not in self.covered]


def report(registry: Registry, features_dir: Path) -> tuple[list[DocumentCoverage], list[tuple[TaggedScenario, ClauseRef]]]:
    """Coverage per document, and the tags that name a clause no plugin lists (typos)."""
    scenarios = scan(features_dir)
    by_clause: dict[ClauseRef, list[TaggedScenario]] = {}
    unknown = []
    for scenario in scenarios:
        for ref in scenario.clauses:
            if ref not in registry.clauses:
                unknown.append((scenario, ref))
            by_clause.setdefault(ref, []).append(scenario)
    documents = []
    for document in registry.documents.values():
        computable = tuple(c.ref for c in document.clauses if c.computable)
        documents.append(
            DocumentCoverage(
                document=document.id,
                title=document.title,
                number=document.number,
                computable=computable,
                covered={ref: by_clause[ref] for ref in computable if ref in by_clause},
                not_computable=tuple(c.ref for c in document.clauses if not c.computable),
            )
        )
    return documents, unknown


def lint(features_dir: Path) -> list[str]:
    """Every slip in the feature files under ``features_dir`` as ``file:line: message`` lines, in
    Chinese with the fix (`jijiao.featurelint` checks; ``jijiao check-features`` prints them)."""
    from .featurelint import lint as lint_features

    return [str(slip) for slip in lint_features([features_dir])]


def tag_slips(features_dir: Path) -> list[str]:
    """The tags that are not ``@文件/条款`` (a colon, full-width brackets, an unknown clause), as
    ``file:line: message`` lines: `report` only sees the tags that parse as clauses."""
    from .featurelint import lint as lint_features

    return [str(slip) for slip in lint_features([features_dir]) if slip.kind == "标签"]
