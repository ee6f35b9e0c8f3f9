"""The regional team's kit: `jijiao new-region` output passes its own tests, as the plugin guide says;
the pytest plugin jijiao.testing is loaded once and its fixtures clean up after themselves."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from jijiao import hookspecs, models
from jijiao.testing import PLUGIN_NAME, ThrowawayRegion

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "plugin-guide.md"
BIN = Path(sys.executable).parent


def guide_commands() -> list[str]:
    """The commands of the guide's first ``sh`` block ("Start from a package that already passes")."""
    match = re.search(r"```sh\n(.*?)```", GUIDE.read_text("utf-8"), re.S)
    assert match, "docs/plugin-guide.md has no ```sh block of commands"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def install_like_pip(package: Path, site: Path) -> dict[str, str]:
    """What ``pip install -e .`` does, without touching the shared environment: a .dist-info with the
    package's entry points in a private folder, and that folder and the package's src/ on the path.
    (A real editable install into .venv takes ~7 s and would show the plugin to any other test run.)"""
    project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))["project"]
    dist_info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    groups = project["entry-points"]
    (dist_info / "entry_points.txt").write_text(
        "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()) for group, points in groups.items())
    )
    return {"PYTHONPATH": os.pathsep.join([str(site), str(package / "src")])}


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    program, *args = command.split()
    executable = [sys.executable, "-m", "pytest"] if program == "pytest" else [str(BIN / program)]
    return subprocess.run([*executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_new_region_passes_its_own_tests_with_the_guides_commands(tmp_path):
    commands = guide_commands()
    assert commands[0].startswith("jijiao new-region ")
    env = {k: v for k, v in os.environ.items() if k not in ("JIJIAO_PLUGINS", "PYTHONPATH")}  # everything installed
    cwd = tmp_path
    name = commands[0].split()[2]
    outputs = {}
    for command in commands:
        if command.startswith("cd "):
            cwd = cwd / command[3:]
            continue
        if command == "pip install -e .":
            env.update(install_like_pip(cwd, tmp_path / "site"))
            continue
        result = run(command, cwd, env)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        outputs[command] = result.stdout
    assert re.search(r"\b6 passed\b", outputs["pytest"]), outputs["pytest"]  # 3 unit tests, 3 scenarios
    assert re.search(r"\b3 passed\b", outputs[f"jijiao test-plugin {name}"])
    (line,) = [line for line in outputs[f"jijiao coverage --plugin {name}"].splitlines() if not line.startswith(" ")]
    assert "2/2 computable clauses covered (100%)" in line


def test_the_generated_package_is_complete(tmp_path):
    from jijiao.scaffold import create, region

    create(tmp_path / "pkg", region("jiangsu", "320000"))
    package = tmp_path / "pkg" / "src" / "jijiao_jiangsu"
    project = tomllib.loads((tmp_path / "pkg" / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["entry-points"]["jijiao"] == {"jiangsu": "jijiao_jiangsu.plugin"}
    assert set(project["dependencies"]) == {"jijiao", "jijiao-national"}
    assert (package / "features" / "jiangsu.feature").read_text("utf-8").startswith("# language: zh-CN")
    plugin = ast.parse((package / "plugin.py").read_text("utf-8"))
    hooks = {node.name for node in plugin.body if isinstance(node, ast.FunctionDef)}
    assert {"jijiao_jurisdictions", "jijiao_documents", "jijiao_parameters", "jijiao_activity_kinds",
            "jijiao_feature_paths", "jijiao_credit", "jijiao_annual_requirements"} <= hooks
    assert 'bind_scenarios("jiangsu")' in (tmp_path / "pkg" / "tests" / "test_scenarios.py").read_text("utf-8")


@pytest.mark.parametrize("args, message", [
    (["Jiangsu", "320000"], "NAME 'Jiangsu'"),
    (["jiangsu", "32000"], "CODE '32000'"),
    (["jiangsu", "320581"], "a county is governed by its city"),
    (["suzhou", "320500"], "--zh"),
    (["liaoning2", "210000"], "plugin 'liaoning' already provides 辽宁省"),
])
def test_new_region_refuses_what_it_cannot_make_in_one_line(tmp_path, monkeypatch, args, message):
    from click.testing import CliRunner

    from jijiao import cli_kit  # noqa: F401  (the commands; the guide's test runs them through `jijiao`)
    from jijiao.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["new-region", *args])
    assert result.exit_code == 1 and message in result.output and result.exception.__class__ is SystemExit
    assert len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_guide_shows_every_model_a_plugin_author_touches():
    """Every model the hook reference names (`Name` in hookspecs.py) is shown in the guide."""
    named = set(re.findall(r"`([A-Z][A-Za-z]+)`", hookspecs.__doc__ + "".join(
        f.__doc__ or "" for f in vars(hookspecs).values() if callable(f))))
    used = {name for name in named if isinstance(getattr(models, name, None), type)}
    used |= {"Practitioner", "Activity", "Project", "Fact", "ActivityKind", "Category", "RequirementKind", "ParameterSet"}
    guide = GUIDE.read_text("utf-8")
    assert sorted(name for name in used if not re.search(rf"\b{name}\(", guide)) == []


def test_the_testing_plugin_is_loaded_once(pytestconfig):
    import jijiao.testing

    names = [name for name, plugin in pytestconfig.pluginmanager.list_name_plugin() if plugin is jijiao.testing]
    assert names == [PLUGIN_NAME]
    # a conftest that asks for it by module name finds it already loaded
    assert pytestconfig.pluginmanager.get_plugin("jijiao.testing") is jijiao.testing


def test_throwaway_regions_are_registered_for_one_test_only(jijiao_registry_with, jijiao_registry):
    city = ThrowawayRegion("320500", "测试市")
    registry = jijiao_registry_with(city)
    assert registry.chain("320500").codes == ("000000", "320500")
    assert [m.code for m in registry.chain("320500").missing] == ["320000"]
    assert registry.pm.is_registered(city)
    assert "320500" not in jijiao_registry.jurisdictions


def test_only_limits_a_registry_to_the_named_plugins(jijiao_registry_with):
    registry = jijiao_registry_with(ThrowawayRegion("320000", "测试省", level="provincial"), only=["national"])
    assert set(registry.owners.values()) == {"national", "throwaway-320000"}


def test_limit_plugins_makes_commands_see_only_the_named_plugins(jijiao_limit_plugins):
    import json

    from click.testing import CliRunner

    from jijiao.cli import cli

    jijiao_limit_plugins("national", "wenzhou")
    listing = json.loads(CliRunner().invoke(cli, ["plugins", "--json"], catch_exceptions=False).output)
    assert {p["plugin"] for p in listing["plugins"]} == {"national", "wenzhou"}
    wenzhou = next(p for p in listing["plugins"] if p["plugin"] == "wenzhou")
    assert wenzhou["chain"] == ["全国", "浙江省", "温州市"] and any("浙江省" in m for m in wenzhou["missing_layers"])
    in_a_subprocess = subprocess.run([sys.executable, "-c", "from jijiao.plugins import Registry; print(sorted(set(Registry().owners.values())))"],
                                     capture_output=True, text=True, check=True)
    assert in_a_subprocess.stdout.strip() == "['national', 'wenzhou']"
