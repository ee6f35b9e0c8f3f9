"""The scenario lint, as a policy officer meets it: each typical slip made in a copy of a real
feature file is named by ``jijiao check-features`` with file, line and fix, in Chinese, and the
command exits 1; the same slip fails the scenario under pytest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao.cli import cli
from jijiao.featurelint import lint
from jijiao.steps import load_catalogue
from jijiao.steptables import step_tables

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"


def check(*paths):
    return CliRunner().invoke(cli, ["check-features", *map(str, paths)], catch_exceptions=False)


def slipped(tmp_path, source: str, old: str, new: str, *, nth: int = 1) -> tuple[Path, int]:
    """A copy of ``features/<source>`` with the ``nth`` ``old`` replaced by ``new``; and that line."""
    text = (FEATURES / source).read_text("utf-8")
    at = -1
    for _ in range(nth):
        at = text.index(old, at + 1)
    copy = tmp_path / Path(source).name
    copy.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return copy, text[:at].count("\n") + 1


SLIPS = [
    # (file, old, new, what the message must say)
    ("wenzhou/学分.feature", "@wz-2026-17/一(四)", "@wz-2026-17:一(四)", "文件与条款之间用“/”，不用冒号，应写成“@wz-2026-17/一(四)(学时折算)”"),
    ("liaoning/实践活动.feature", "@ln-credit-scheme/三(四)", "@ln-credit-scheme/三（四）", "括号用半角“( )”，不用全角“（ ）”，应写成“@ln-credit-scheme/三(四)”"),
    ("liaoning/实践活动.feature", "@ln-credit-scheme/三(四)", "@ln-credit-scheme/三(十四)", "文件 ln-credit-scheme 中没有条款“三(十四)”"),
    ("liaoning/实践活动.feature", "@ln-credit-scheme/三(四)", "@ln-credit/三(四)", "没有代号为“ln-credit”的文件。您是否想写“ln-credit-scheme”？"),
    ("liaoning/项目学分.feature", "那么 授予 3 学分", "那么 授予 3 学份", "您是否想写：“那么 授予 {学分数} 学分”（例：那么 授予 2 学分）"),
    ("liaoning/项目学分.feature", "他参加了一项活动:", "他参加了一项活动：", "全角冒号“：”应为半角“:”（步骤末尾的冒号表示下面跟一张表格），即写成“假如 他参加了一项活动:”"),
    ("liaoning/项目学分.feature", "那么 授予 3 学分", "那么 授予　3 学分", "全角空格应为半角空格"),
    ("liaoning/年度学分.feature", '年度考核结果为"合格"', '年度考核结果为"通过"', "“通过”不是可写的值：这里只能写 合格、不合格、无法判定"),
    ("liaoning/年度学分.feature", '年度考核结果为"合格"', "年度考核结果为“合格”", "步骤中的取值应使用半角引号"),
    ("liaoning/年度学分.feature", "当 评定该人员的年度学分", "那么 评定该人员的年度学分", "是“当”类步骤，这里按“那么”读：把关键字改为“当”"),
    ("wenzhou/项目负责人与授课教师.feature", "| 姓名 | 职称   | 专业     |", "| 姓名 | 职称   | 所在单位 |", "“所在单位”不是授课教师表格的字段。您是否想写“工作单位”？授课教师表格可写的字段（`jijiao steps --fields`）——姓名、职称、工作单位"),
    ("liaoning/进修学历与指令性任务.feature", "| 累计时间 | <月数>   |", "| 月数 | <月数>   |", "“月数”不是活动表格的字段。您是否想写“累计时间”"),
    ("wenzhou/学分.feature", "| 教学学时 | <学时>     |", "| 教学学时 | ‹学时>     |", "占位符“‹学时>”应写成半角尖括号“<学时>”"),
    ("wenzhou/学分.feature", "| 形式 | 学时 | 申请学分 |", "| 形式 | 时数 | 申请学分 |", "例子中没有“学时”一列（您是否想写“<时数>”？）", "| 教学学时 | <学时>"),
    ("liaoning/年度学分.feature", "功能:", "功能：", "关键字后应为半角冒号“:”，不是全角“：”"),
    ("liaoning/年度学分.feature", "  场景:", "  场景　:", "关键字与冒号之间不能有空格，应写成“场景:”（半角冒号）"),
    ("national/远程教育.feature", '学分类别为"Ⅰ类学分"', '学分类别为"I类学分"', "“I类学分”不是可写的值：这里只能写 Ⅰ类学分、Ⅱ类学分、公共科目学时"),
    ("liaoning/项目学分.feature", "    当 计算该活动的学分\n", "", "“那么”之前没有“当”步骤，没有结果可查"),
    ("liaoning/年度学分.feature", '一名在"辽宁省"执业', '一名在"辽宁"执业', "“辽宁”不是地区名称：写全称（如 辽宁省、温州市、长沙市、浙江省、全国）或六位行政区划代码。您是否想写“辽宁省”？"),
    ("liaoning/进修学历与指令性任务.feature", "| 累计时间 | 3        |", "| 累计时间 | 三个月   |", "“累计时间”应为数字（不写单位），实际为 '三个月'"),
]


@pytest.mark.parametrize("source, old, new, says, at", [(*s, None)[:5] for s in SLIPS], ids=[s[3][:12] for s in SLIPS])
def test_each_slip_is_named_with_file_line_and_fix(tmp_path, source, old, new, says, at):
    """``at``: the slip is named where it shows (a placeholder's use), not where the change was."""
    copy, line = slipped(tmp_path, source, old, new)
    if at:
        line = copy.read_text("utf-8")[: copy.read_text("utf-8").index(at)].count("\n") + 1
    result = check(copy)
    assert result.exit_code == 1, result.output
    mine = [row for row in result.output.splitlines() if row.startswith(f"{copy}:{line}: ")]
    assert mine, f"nothing at line {line}:\n{result.output}"
    assert any(says in row for row in mine), result.output


def test_the_projects_features_have_no_slip_and_the_command_says_so():
    result = check(FEATURES)
    assert result.exit_code == 0, result.output
    assert "个场景文件，未发现问题" in result.output


def test_a_missing_table_and_a_file_the_parser_cannot_read(tmp_path):
    (tmp_path / "x.feature").write_text(
        "# language: zh-CN\n功能: 示例\n  场景: 甲\n    假如 一名在\"辽宁省\"执业的卫生专业技术人员\n    而且 他参加了一项活动:\n    当 评定该人员的年度学分\n",
        encoding="utf-8",
    )
    (tmp_path / "y.feature").write_text("# language: zh-CN\n功能: 示例\n  场景纲要: 甲\n    假如 评定年度为 2026 年\n", encoding="utf-8")
    (tmp_path / "z.feature").write_text("功能: 示例\n  场景: 甲\n", encoding="utf-8")
    messages = [str(s) for s in lint([tmp_path])]
    assert any(m.startswith(f"{tmp_path / 'x.feature'}:5: 步骤末尾的“:”表示下面跟一张表格，但这里没有表格") for m in messages), messages
    assert any(m.startswith(f"{tmp_path / 'y.feature'}:4: 这一步不属于任何场景，不会运行：上面的“场景纲要: 甲”不是关键字") for m in messages), messages
    assert any(m.startswith(f"{tmp_path / 'z.feature'}:1: 第一行必须是“# language: zh-CN”") for m in messages), messages


def test_every_step_with_a_table_says_which_table():
    """The tables of `step_tables` are the ones the steps take: none missing, none stale."""
    with_table = {e.pattern for e in load_catalogue() if e.pattern.endswith(":")}
    declared = {p for table in step_tables() for p in table.patterns}
    assert with_table == declared


def test_steps_fields_lists_every_table_nested_ones_included():
    output = CliRunner().invoke(cli, ["steps", "--fields"]).output
    for heading in ("## 人员", "## 活动", "## 项目", "## 授课教师"):
        assert heading in output
    for part in ("[项目]（Project）", "[申报]（各插件声明的字段）", "[执行]（各插件声明的字段）"):
        assert part in output
    assert "    工作单位（unit）" in output.split("## 授课教师")[1]
    assert "    累计时间（months，月）" in output


def test_a_slip_fails_its_scenario_under_pytest_with_the_chinese_message(tmp_path):
    """A colon in a tag used to pass with pytest's English "Unknown pytest.mark" warning."""
    copy, line = slipped(tmp_path, "wenzhou/学分.feature", "@wz-2026-17/一(四)", "@wz-2026-17:一(四)")
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_copy.py").write_text(
        f"from pytest_bdd import scenarios\nscenarios({str(copy)!r})\n", encoding="utf-8"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\nmarkers =\n    wenzhou\n    clause\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error::pytest.PytestUnknownMarkWarning", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{copy}:{line}: 标签“@wz-2026-17:一(四)(学时折算)”写法有误" in run.stdout
    assert "场景需要修改" in run.stdout
    assert "passed" in run.stdout  # the file's other scenarios still run


def test_coverage_no_longer_passes_a_tag_with_a_colon(tmp_path):
    copy, line = slipped(tmp_path, "wenzhou/学分.feature", "@wz-2026-17/一(四)", "@wz-2026-17:一(四)")
    result = CliRunner().invoke(cli, ["coverage", "--features", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{copy}:{line}: 标签“@wz-2026-17:一(四)(学时折算)”写法有误" in result.output


def test_a_failed_check_says_the_verdict_and_the_year_in_chinese(jijiao_registries):
    """Not "结果为 None": the verdict in words, expected beside actual, and the year as `jijiao year` shows it."""
    from jijiao.steps import common

    world = common.World(jijiao_registries(["national", "wenzhou"]))  # no 浙江省 plugin: 无法判定
    common.practitioner_in(world, "温州市")
    common.assessed_year(world, 2024)  # before 20号's 25 credits apply
    common.assess(world)
    with pytest.raises(AssertionError) as failed:
        common.verdict_is(world, "合格")
    message = str(failed.value)
    assert message.startswith("年度考核结果为“无法判定”，而非“合格”")
    assert "None" not in message and "年度：无法判定" in message
    with pytest.raises(AssertionError) as failed:
        common.requirement_met(world, "年度学分")
    assert "无法判定" in str(failed.value) and "None" not in str(failed.value)


def test_a_bad_value_names_the_field_by_its_chinese_label():
    from jijiao.plugins import Registry
    from jijiao.steps import common

    world = common.World(Registry())
    common.practitioner_in(world, "辽宁省")
    with pytest.raises(AssertionError) as failed:
        common.one_activity(world, [["字段", "值"], ["活动类型", "进修学习"], ["学时", "‹学时>"]])
    assert str(failed.value) == "活动数据有误：“学时”（hours）应为数字（不写单位），实际为 '‹学时>'"


def test_a_then_step_before_its_when_step_says_which_when_to_write():
    from jijiao.plugins import Registry
    from jijiao.steps import common

    world = common.World(Registry())
    common.practitioner_in(world, "辽宁省")
    with pytest.raises(AssertionError, match="先写“当 评定该人员的年度学分”"):
        common.total_is(world, "25")
    with pytest.raises(AssertionError, match="先写“当 计算该活动的学分”"):
        common.awarded(world, "2")
