"""docs/scenarios-guide.md, run: every example and command in the guide does what the guide says.

The guide is what policy staff read instead of the code, so a drifting example misleads them.
Each fenced block is checked by its kind:
- ```gherkin: a whole file runs as it stands; a scenario or a few steps run inside a Liaoning
  feature (the guide's examples are Liaoning's); tags alone must be registered clauses; the one
  marked as deliberately wrong gives exactly the ``jijiao check-features`` report that follows it;
- ```sh: each ``.venv/bin/...`` command runs from the project folder and succeeds (a pytest run
  must run at least one test);
- ``` (output): its lines appear in the output of the command it shows (a line ending in "……"
  is a prefix).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao.cli import cli
from jijiao.featurelint import default_vocabulary, lint

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "scenarios-guide.md"
TEXT = GUIDE.read_text("utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
WRONG_EXAMPLE = "<!-- 指南测试：有意写错的例子"

BLOCKS = [(m.group(1), m.group(2), TEXT[: m.start()].count("\n") + 1, TEXT[: m.start()]) for m in FENCE.finditer(TEXT)]
WRONG_AT = next(i for i, block in enumerate(BLOCKS) if block[3].rstrip().rsplit("\n", 1)[-1].startswith(WRONG_EXAMPLE))
"""The deliberately wrong example; the block after it is the report ``jijiao check-features`` gives."""
HEAD = '# language: zh-CN\n@liaoning\n功能: 指南中的例子\n\n  背景:\n    假如 一名在"辽宁省"执业的卫生专业技术人员\n\n'


def jijiao(*args) -> str:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False).output


def run_features(folder: Path) -> subprocess.CompletedProcess:
    """Run the feature files in ``folder`` with the project's steps and scenario lint."""
    shutil.copy(ROOT / "tests" / "conftest.py", folder / "conftest.py")
    (folder / "test_guide.py").write_text("from pytest_bdd import scenarios\nscenarios('.')\n", encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\nbdd_features_base_dir = .\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", str(folder)], cwd=folder, capture_output=True, text=True, timeout=300)


def test_the_guide_uses_paths_of_the_project_only():
    assert not re.search(r"(?<![\w.])/(work|home|tmp|opt|usr)/", TEXT), "machine-specific path in the guide"


def gherkin_file(block: str, number: int) -> str:
    if block.startswith("# language:"):
        return block
    if re.search(r"^\s*(场景|场景大纲):", block, re.M):
        return HEAD + block
    return HEAD + f"  @ln-credit-scheme/一\n  场景: 指南第 {number} 行的例子\n" + block + "    当 计算该活动的学分\n"


def test_every_gherkin_example_reads_without_a_slip_and_runs(tmp_path):
    examples = [(text, line) for i, (kind, text, line, _b) in enumerate(BLOCKS) if kind == "gherkin" and i != WRONG_AT]
    runnable = [(text, line) for text, line in examples if not text.lstrip().startswith("@") or "场景" in text]
    for text, line in runnable:
        (tmp_path / f"guide_{line}.feature").write_text(gherkin_file(text, line), encoding="utf-8")
    assert len(runnable) >= 4
    assert [str(s) for s in lint([tmp_path])] == []
    run = run_features(tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert re.search(r"\b\d+ passed", run.stdout)
    # Tags shown on their own must be registered clauses.
    for text, line in examples:
        if text.lstrip().startswith("@") and "场景" not in text:
            for tag in text.split():
                assert default_vocabulary().tag_problem(tag[1:]) is None, (line, tag)


def test_the_deliberately_wrong_example_gets_the_report_the_guide_shows(tmp_path, monkeypatch):
    kind, text, _line, before = BLOCKS[WRONG_AT]
    assert kind == "gherkin"
    name = re.search(r"保存为 (\S+\.feature)", before.rstrip().rsplit("\n", 1)[-1]).group(1)
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check-features", name], catch_exceptions=False)
    assert result.exit_code == 1
    assert_shown(BLOCKS[WRONG_AT + 1][1].splitlines(), result.output.splitlines())


def assert_shown(expected: list[str], actual: list[str]) -> None:
    """Each expected line is an actual line, in order; "……" at its end stands for the rest of it."""
    assert len(expected) == len(actual), "\n".join(actual)
    for want, got in zip(expected, actual):
        if want.endswith("……"):
            assert got.startswith(want[: -len("……")]), (want, got)
        else:
            assert got == want


COMMANDS = [
    line.strip()
    for kind, text, _line, _before in BLOCKS
    if kind == "sh"
    for line in text.splitlines()
    if line.strip().startswith(".venv/bin/")
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_of_the_guide_runs(command):
    """A pytest run over whole files is only collected here (this suite runs those tests itself);
    one picking scenarios by name (-k) runs, to show the name the guide gives selects them."""
    collect_only = " pytest " in command and " -k " not in command
    run = subprocess.run(command + (" --co" if collect_only else ""), shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    if collect_only:
        assert re.search(r"\b[1-9]\d* tests? collected", run.stdout), run.stdout[-500:]
    elif " pytest " in command:
        assert re.search(r"\b[1-9]\d* passed", run.stdout), run.stdout[-500:]


def test_the_commands_include_the_ones_the_guide_teaches():
    for wanted in ("jijiao steps", "jijiao steps --fields", "jijiao check-features", "jijiao coverage", "-m liaoning", "-k "):
        assert any(wanted in c for c in COMMANDS), wanted


def output_blocks():
    """The plain blocks that show a command's output, with the command's arguments."""
    for i, (kind, text, line, _before) in enumerate(BLOCKS):
        if kind or "<文件>" in text or i == WRONG_AT + 1:
            continue  # the check-features report is checked with its example
        lines = [l for l in text.splitlines() if l.strip()]
        if "→" in text:
            yield line, ["steps", "--fields"], [l.split("→")[0].strip() for l in lines]
        elif text.startswith(("那么", "假如", "当")):
            yield line, ["steps"], [l.strip() for l in lines]
        elif "computable clauses covered" in text:
            yield line, ["coverage"], [l.strip() for l in lines]
        else:
            raise AssertionError(f"docs/scenarios-guide.md:{line}: a block this test does not know how to check")


@pytest.mark.parametrize("line, command, expected", list(output_blocks()))
def test_every_output_shown_is_what_the_command_prints(line, command, expected):
    printed = [l.strip() for l in jijiao(*command).splitlines()]
    for want in expected:
        if want.endswith("……"):
            assert any(p.startswith(want[: -len("……")]) for p in printed), (line, want)
        else:
            assert want in printed, (line, want)
