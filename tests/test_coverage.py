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


def test_typing_slips_in_feature_files_are_named_with_file_and_line(tmp_path):
    from jijiao.coverage import lint

    (tmp_path / "x.feature").write_text(
        "# language: zh-CN\n功能： 示例\n  场景: 甲\n    那么 年度考核结果为“合格”\n    而且 说明包含\"含有“中国”字样\"\n",
        encoding="utf-8",
    )
    problems = lint(tmp_path)
    assert len(problems) == 2
    assert problems[0].endswith("x.feature:2: 关键字后应为半角冒号“:”，不是全角“：”：功能： 示例")
    assert ":4: 步骤中的取值应使用半角引号" in problems[1]
