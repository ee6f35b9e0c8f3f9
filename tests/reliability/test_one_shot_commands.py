"""One-shot commands (credit, year, check-project, deadlines): every bad input of the corpus in
oneshot/ is one line naming what is wrong (oneshot/expected.json), exit status 1, never a
traceback and never silently accepted. Deeply nested JSON is made here (too big to keep)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao.cli import cli

ONESHOT = Path(__file__).with_name("oneshot")
EXPECTED = json.loads((ONESHOT / "expected.json").read_text("utf-8"))


def invoke(command: str, path: Path):
    args = ["deadlines", "--project", str(path)] if command == "deadlines" else [command, str(path)]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def assert_one_line_error(result, words: str) -> None:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert words in lines[0], lines[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_one_shot_input_is_one_line(name):
    assert_one_line_error(invoke(name.split("--")[0], ONESHOT / name), EXPECTED[name])


@pytest.mark.parametrize("command", ["credit", "year", "check-project", "deadlines"])
def test_deeply_nested_json_is_one_line(command, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    assert_one_line_error(invoke(command, path), "nested too deeply")


def test_a_good_input_still_works_with_a_full_width_region_code(tmp_path):
    path = tmp_path / "credit.json"
    path.write_text(json.dumps({
        "practitioner": {"id": "P1", "jurisdiction": "４３０１００"},
        "activity": {"id": "A1", "kind": "继续医学教育项目", "year": 2026, "project_level": "国家级", "project_mode": "远程",
                     "certified_credits": 2, "verified_by_province": True},
    }, ensure_ascii=False), "utf-8")
    result = invoke("credit", path)
    assert result.exit_code == 0 and result.output.startswith("授予 2 学分"), result.output
