"""Every computable clause of every document has a scenario, and every clause tag is a real clause.

Only the documents of the plugins whose scenarios live in this workspace are checked here: an
outside plugin checks its own (tests/example_plugin/tests/test_coverage.py does), so installing
one never turns these red.
"""

from pathlib import Path

from jijiao.coverage import report, scan
from jijiao.features import workspace_plugins

WORKSPACE_FEATURES = Path(__file__).resolve().parent.parent / "features"


def test_every_computable_clause_has_a_scenario(jijiao_registry):
    plugins = workspace_plugins(jijiao_registry)
    assert plugins, "no plugin announces features in this workspace's features/"
    documents, unknown = report(jijiao_registry, plugins=plugins)
    assert {d.document for d in documents} >= {"nhc-2019-702", "ln-credit-scheme", "ln-2026-56", "wz-2026-17", "cs-2022-cme"}
    assert unknown == [], [f"{s.file}:{s.line} {ref}" for s, ref in unknown]
    uncovered = {d.document: [str(r) for r in d.uncovered] for d in documents if d.uncovered}
    assert uncovered == {}


def test_every_scenario_names_the_clause_it_checks():
    untagged = [
        f"{s.file}:{s.line} {s.name}" for s in scan(WORKSPACE_FEATURES) if not s.clauses and "missing-document" not in s.tags
    ]
    assert untagged == []


def test_every_feature_file_is_zh_cn(jijiao_registry):
    for folders in jijiao_registry.feature_paths.values():
        for folder in folders:
            for path in folder.rglob("*.feature"):
                assert path.read_text("utf-8").startswith("# language: zh-CN"), path


def test_extra_feature_folders_add_to_the_plugins_own(jijiao_registry, tmp_path):
    plugins = workspace_plugins(jijiao_registry)
    own, _unknown = report(jijiao_registry, plugins=plugins)
    (tmp_path / "extra.feature").write_text(
        "# language: zh-CN\n功能: 示例\n  @nhc-2019-702/三(当年有效)\n  场景: 甲\n    那么 年度考核结果为\"合格\"\n"
        "  @no-such-document/一\n  场景: 乙\n    那么 年度考核结果为\"合格\"\n",
        encoding="utf-8",
    )
    documents, unknown = report(jijiao_registry, [tmp_path, tmp_path], plugins=plugins)
    before = {d.document: d for d in own}["nhc-2019-702"]
    after = {d.document: d for d in documents}["nhc-2019-702"]
    ref = next(r for r in after.covered if r.clause == "三(当年有效)")
    assert [s.name for s in after.covered[ref]].count("甲") == 1  # a folder given twice is read once
    assert len(after.covered[ref]) == len(before.covered[ref]) + 1
    assert [str(ref) for _s, ref in unknown] == ["no-such-document/一"]


def test_coverage_of_one_plugin_counts_only_its_documents(jijiao_registry):
    owned = {d.document for d in report(jijiao_registry, plugins=["national"])[0]}
    assert "nhc-2019-702" in owned and "wz-2026-17" not in owned


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
