"""Which clauses the Gherkin scenarios cover: read the scenarios' tags, compare with the clauses.

The scenarios are those the installed plugins ship (``jijiao_feature_paths``: the built-in
plugins keep theirs in the workspace's features/, an outside plugin inside its package), plus
any folders given. A scenario's clause tags (``@<document>/<clause>``) -- its own and its feature's -- say which
clauses it checks. A scenario that checks what happens where no document we hold rules is tagged
``@missing-document`` instead. A document's coverage is the share of its computable clauses that at least
one scenario checks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

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
    for path in sorted(p.resolve() for p in features_dir.rglob("*.feature")):
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


def documents_by_plugin(registry: Registry) -> dict[str, list[str]]:
    """Plugin name → the ids of the documents it registered (a failing hook is already one of
    ``registry.problems``, and gives nothing here)."""
    found: dict[str, list[str]] = {}
    for impl in registry.pm.hook.jijiao_documents.get_hookimpls():
        name = registry.pm.get_name(impl.plugin) or repr(impl.plugin)
        try:
            documents = impl.function() or ()
        except Exception:
            continue
        found.setdefault(name, []).extend(d.id for d in documents if getattr(d, "id", None) in registry.documents)
    return found


def scenario_folders(registry: Registry, plugins: Iterable[str] | None = None, extra: Iterable[Path] = ()) -> list[Path]:
    """The folders of scenarios of the given plugins (default: every installed one) and ``extra``,
    each once."""
    wanted = None if plugins is None else set(plugins)
    folders = [
        folder for name, paths in sorted(registry.feature_paths.items()) if wanted is None or name in wanted
        for folder in paths
    ]
    unique: dict[Path, None] = {}
    for folder in [*folders, *extra]:
        unique.setdefault(Path(folder).resolve(), None)
    return list(unique)


def report(
    registry: Registry, features: Path | Iterable[Path] = (), *, plugins: Iterable[str] | None = None
) -> tuple[list[DocumentCoverage], list[tuple[TaggedScenario, ClauseRef]]]:
    """Coverage of the documents of ``plugins`` (entry-point names; default: every installed
    plugin), from the scenarios those plugins ship and any further ``features`` folders; and
    the tags that name a clause no plugin lists (typos)."""
    extra = [features] if isinstance(features, (str, Path)) else list(features)
    plugins = None if plugins is None else list(plugins)
    scenarios = list({(s.file, s.line): s for folder in scenario_folders(registry, plugins, extra) for s in scan(folder)}.values())
    owned = documents_by_plugin(registry)
    in_scope = None if plugins is None else {doc for name in plugins for doc in owned.get(name, ())}
    by_clause: dict[ClauseRef, list[TaggedScenario]] = {}
    unknown = []
    for scenario in scenarios:
        for ref in scenario.clauses:
            if ref not in registry.clauses:
                unknown.append((scenario, ref))
            by_clause.setdefault(ref, []).append(scenario)
    documents = []
    for document in registry.documents.values():
        if in_scope is not None and document.id not in in_scope:
            continue
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
