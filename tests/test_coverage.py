"""Every computable clause of every document has a scenario, and every clause tag is a real clause."""

from pathlib import Path

from jijiao.coverage import report, scan
from jijiao.plugins import Registry

FEATURES = Path(__file__).resolve().parent.parent / "features"


def test_every_computable_clause_has_a_scenario():
    documents, unknown = report(Registry(), FEATURES)
    assert {d.document for d in documents} >= {"nhc-2019-702", "ln-credit-scheme", "ln-2026-56", "wz-2026-17", "cs-2022-cme"}
    assert unknown == [], [f"{s.file}:{s.line} {ref}" for s, ref in unknown]
    uncovered = {d.document: [str(r) for r in d.uncovered] for d in documents if d.uncovered}
    assert uncovered == {}


def test_every_scenario_names_the_clause_it_checks():
    untagged = [
        f"{s.file}:{s.line} {s.name}" for s in scan(FEATURES) if not s.clauses and "missing-document" not in s.tags
    ]
    assert untagged == []


def test_every_feature_file_is_zh_cn():
    for path in FEATURES.rglob("*.feature"):
        assert path.read_text("utf-8").startswith("# language: zh-CN"), path
