"""The regional team's kit on the command line: ``coverage``, ``test-plugin`` and ``new-region``.

``coverage`` reads the scenarios every installed plugin ships (``jijiao_feature_paths``), plus any
``--features`` folders; ``test-plugin NAME`` runs one installed plugin's scenarios with the
shared steps, from any directory; ``new-region NAME CODE`` writes a complete plugin package
(`jijiao.scaffold`). docs/plugin-guide.md walks through them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from .cli import cli, json_option, registry


@cli.command()
@click.option("--features", "features_dirs", multiple=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A further folder of .feature files (may be given several times).")
@click.option("--plugin", "plugin_names", multiple=True, metavar="NAME",
              help="Only this plugin's documents (entry-point name; may be given several times).")
@json_option
def coverage(features_dirs, plugin_names, as_json):
    """Per document, which clauses the scenarios cover, and the share covered.

    The scenarios are those each installed plugin ships, plus any --features folders.
    """
    from .coverage import report as coverage_report

    reg = registry()
    for name in plugin_names:
        if reg.pm.get_plugin(name) is None:
            raise click.ClickException(f"--plugin {name}: no such plugin is installed (`jijiao plugins` lists them)")
    documents, unknown = coverage_report(reg, features_dirs, plugins=plugin_names or None)
    if as_json:
        click.echo(json.dumps({
            "documents": [
                {
                    "document": d.document, "number": d.number, "share": round(d.share, 3),
                    "covered": {str(ref): [f"{s.file}:{s.line} {s.name}" for s in found] for ref, found in d.covered.items()},
                    "uncovered": [str(ref) for ref in d.uncovered],
                    "not_computable": [str(ref) for ref in d.not_computable],
                }
                for d in documents
            ],
            "unknown_tags": [f"{s.file}:{s.line} {ref}" for s, ref in unknown],
        }, ensure_ascii=False, indent=2))
    else:
        for d in documents:
            click.echo(f"{d.document} {d.number or d.title}: {len(d.covered)}/{len(d.computable)} computable clauses covered ({d.share:.0%})")
            for ref, found in d.covered.items():
                click.echo(f"  ✓ {ref.clause}  ← " + "; ".join(sorted({s.name for s in found})))
            for ref in d.uncovered:
                click.echo(f"  ✗ {ref.clause}  {reg.clauses[ref].summary}")
            for ref in d.not_computable:
                click.echo(f"  · {ref.clause}  不计算：{reg.clauses[ref].summary}")
        for scenario, ref in unknown:
            click.echo(f"unknown clause tag {ref} at {scenario.file}:{scenario.line}", err=True)
    from .coverage import scenario_folders, tag_slips

    # A tag with a colon or full-width brackets is no clause tag at all, so `report` never sees it.
    folders = scenario_folders(reg, plugin_names or None, list(features_dirs))
    malformed = [s for folder in folders for s in tag_slips(folder) if "不是已登记的条款" not in s]
    for slip in malformed:
        click.echo(slip, err=True)
    if unknown or malformed:
        sys.exit(1)


RUNNER = '''"""Made by `jijiao test-plugin`: binds the scenarios of one installed plugin."""

from jijiao.testing import bind_scenarios

bind_scenarios({name!r})
'''


@cli.command("test-plugin", context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def test_plugin(name, pytest_args):
    """Run the scenarios an installed plugin ships, with the shared steps (exit status: pytest's).

    NAME is the plugin's entry-point name (`jijiao plugins` lists them); further arguments go to
    pytest (e.g. -k 年度 or -x).
    """
    reg = registry()
    if reg.pm.get_plugin(name) is None:
        raise click.ClickException(f"{name}: no such plugin is installed (`jijiao plugins` lists them)")
    if not reg.feature_paths.get(name):
        raise click.ClickException(f"{name}: the plugin ships no scenarios (its jijiao_feature_paths returns none)")
    with tempfile.TemporaryDirectory(prefix="jijiao-test-plugin-") as folder:
        # A folder of its own, so that no project's pytest settings (testpaths, conftest) apply.
        (Path(folder) / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n", encoding="utf-8")
        module = Path(folder) / f"test_{name}_scenarios.py"
        module.write_text(RUNNER.format(name=name), encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "--rootdir", folder, "-c", str(Path(folder) / "pytest.ini"),
                   str(module), *pytest_args]
        sys.exit(subprocess.call(command))


@cli.command("new-region")
@click.argument("name")
@click.argument("code")
@click.option("--zh", help="The jurisdiction's Chinese name (needed for a city: --zh 某某市).")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the package (default: ./jijiao-NAME).")
def new_region(name, code, zh, directory):
    """Write a complete plugin package for a jurisdiction, ready to install and test.

    NAME is the plugin's entry-point name and parameter namespace (lower-case letters, digits, _);
    CODE its GB/T 2260 code (a province's ends in 0000, a city's in 00). The package passes its own tests at once; replace its placeholder document,
    numbers and scenarios with your own (docs/plugin-guide.md).
    """
    from .scaffold import ScaffoldError, create, region

    try:
        chosen = region(name, code, zh)
        reg = registry()
        if code in reg.owners:
            raise ScaffoldError(f"CODE {code}: plugin {reg.owners[code]!r} already provides {reg.name_of(code)}")
        if reg.pm.get_plugin(name) is not None:
            raise ScaffoldError(f"NAME {name!r}: a plugin of that name is already installed")
        target = directory or Path(chosen.values["dist"])
        written = create(target, chosen)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {len(written)} files to {target}/ for {chosen.zh}（{chosen.code}）:")
    for path in written:
        click.echo(f"  {path.relative_to(target)}")
    click.echo(f"next: cd {target} && pip install -e . && pytest")
