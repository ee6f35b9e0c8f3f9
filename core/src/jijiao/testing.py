"""The pytest plugin every jijiao package gets: steps, clause tags, markers and registry fixtures.

It is shipped with jijiao and loaded by pytest through the ``pytest11`` entry point named
``jijiao.testing`` (core/pyproject.toml), so a plugin package's tests need no conftest of
their own. What it gives:

- the shared Gherkin step vocabulary (`jijiao.steps.modules`) plus every installed plugin's
  own step modules (``jijiao_step_modules``), loaded once as pytest plugins;
- the clause tags: a scenario tag ``@<document>/<clause>`` becomes the marker
  ``clause(document, clause)``;
- the markers its scenarios use: ``clause``, ``missing-document``, ``jijiao_plugins`` and one per
  installed plugin with scenarios (its name and its feature folders' names), so no
  pyproject lists the regions;
- fixtures: ``jijiao_registry`` (the installed plugins, once per session), ``jijiao_registries``
  (a registry of only the named plugins, once per session each), ``jijiao_registry_with``
  (a fresh registry with throwaway plugin objects registered for one test) and
  ``jijiao_limit_plugins`` (the commands of one test see only the named plugins);
- `bind_scenarios`, which a package's ``tests/test_scenarios.py`` calls to run every scenario
  of the feature folders its plugin declares.

Because the entry point's name is the module's name, ``pytest_plugins = ["jijiao.testing"]`` or
``-p jijiao.testing`` find it already loaded and do not load it a second time; ``-p
no:jijiao.testing`` turns it off.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

import pytest

from .hookspecs import hookimpl
from .models import NATIONAL_CODE, Jurisdiction
from .plugins import Registry, get_plugin_manager

PLUGIN_NAME = "jijiao.testing"
"""This plugin's name in pytest (the ``pytest11`` entry point's name)."""

MARKER = "jijiao_plugins"
"""Marks a test that runs against only the named plugins (see `bind_scenarios`)."""


# ---------------------------------------------------------------------------------------------
# Registries of a chosen set of plugins
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _only(names: Iterable[str] | None) -> Iterator[None]:
    """Within the block, entry-point loading sees only ``names`` (None: as the environment says)."""
    if names is None:
        yield
        return
    saved = os.environ.get("JIJIAO_PLUGINS")
    os.environ["JIJIAO_PLUGINS"] = ",".join(sorted(names))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["JIJIAO_PLUGINS"]
        else:
            os.environ["JIJIAO_PLUGINS"] = saved


def registry_of(names: Iterable[str] | None = None) -> Registry:
    """A new registry of the installed plugins, or of only those named (entry-point names)."""
    with _only(names):
        return Registry(get_plugin_manager())


def _checked(registry: Registry, what: str) -> Registry:
    if registry.problems:
        pytest.fail(f"{what}: plugin registration problems:\n" + "\n".join(registry.problems), pytrace=False)
    return registry


class ThrowawayRegion:
    """A plugin object for one test: a jurisdiction with no rules of its own (unless subclassed).

    For tests that need "a city whose province has no plugin" or "a province that is installed"
    without depending on which plugins happen to be installed::

        registry = jijiao_registry_with(ThrowawayRegion("320100", "测试市", parent="320000"))
        assert [m.code for m in registry.chain("320100").missing] == ["320000"]
    """

    def __init__(self, code: str, name: str, level: str = "city", parent: str | None = None):
        self.jurisdiction = Jurisdiction(code=code, name=name, level=level,
                                         parent=parent if parent is not None else _parent_of(code, level))
        self.__name__ = f"throwaway-{code}"

    @hookimpl
    def jijiao_jurisdictions(self):
        return [self.jurisdiction]


def _parent_of(code: str, level: str) -> str:
    return NATIONAL_CODE if level in ("provincial", "省级") else code[:2] + "0000"


# ---------------------------------------------------------------------------------------------
# The pytest hooks
# ---------------------------------------------------------------------------------------------


def _feature_markers(registry: Registry) -> set[str]:
    """One marker per plugin with scenarios and per folder of its scenarios (``@<plugin>``)."""
    names = set()
    for plugin, folders in registry.feature_paths.items():
        if folders:
            names.add(plugin)
            names.update(folder.name for folder in folders if folder.name != "features")
    return names


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    from . import steps

    config.addinivalue_line("markers", "clause(document, clause): the policy clause a scenario checks (from a tag @<document>/<clause>)")
    config.addinivalue_line("markers", "missing-document: checks what happens where no document we hold rules")
    config.addinivalue_line("markers", f"{MARKER}(*names): run against a registry of only these plugins (entry-point names)")
    registry = Registry()
    for name in sorted(_feature_markers(registry)):
        config.addinivalue_line("markers", f"{name}: a scenario of the {name} plugin's features")
    # The shared steps and every installed plugin's own; import_plugin skips a module already
    # loaded (a conftest listing them in pytest_plugins does no harm).
    for module in steps.modules(registry):
        config.pluginmanager.import_plugin(module)
    # Registered after the step modules so that these fixtures are the ones pytest uses.
    config.pluginmanager.register(_Fixtures(), f"{PLUGIN_NAME}.fixtures")


def pytest_bdd_apply_tag(tag, function):
    """A tag ``@<document>/<clause>`` names the clause a scenario checks: mark it as such.

    A tag the scenario lint refuses (a colon, full-width brackets, an unknown clause) is not made
    a pytest mark -- that would only print pytest's English "Unknown pytest.mark" warning and
    pass -- the scenario fails instead, with the lint's Chinese message (below).
    """
    from . import featurelint

    if featurelint.default_vocabulary().tag_problem(tag):
        return True
    if "/" in tag:
        document, _, clause = tag.partition("/")
        pytest.mark.clause(document, clause)(function)
        return True
    return None


def pytest_bdd_before_scenario(request, feature, scenario):
    """A scenario with a slip fails with the file, line and fix in Chinese, before any step runs
    (instead of pytest-bdd's "Step definition is not found" or a green run past a bad tag)."""
    from . import featurelint

    slips = featurelint.slips_for(feature.filename, scenario.line_number)
    if slips:
        pytest.fail("场景需要修改：\n" + "\n".join(str(s) for s in slips), pytrace=False)


class _Fixtures:
    """The fixtures of this plugin (a separate plugin object: see `pytest_configure`)."""

    @pytest.fixture(scope="session")
    @classmethod
    def jijiao_registry(cls) -> Registry:
        """The registry of the installed plugins (as ``JIJIAO_PLUGINS`` allows), built once."""
        return _checked(Registry(), "installed plugins")

    @pytest.fixture(scope="session")
    @classmethod
    def jijiao_registries(cls):
        """Registries of a chosen set of plugins, built once each: ``jijiao_registries(names)``."""
        built: dict[frozenset, Registry] = {}

        def of(names: Iterable[str]) -> Registry:
            key = frozenset(names)
            if key not in built:
                built[key] = _checked(registry_of(key), f"plugins {', '.join(sorted(key))}")
            return built[key]

        return of

    @pytest.fixture
    def jijiao_registry_with(self):
        """A fresh registry with throwaway plugin objects, for one test (unregistered after it).

        ``jijiao_registry_with(plugin, ..., only=None)``: the installed plugins (or only the
        entry-point names in ``only``) plus each given object, registered under its ``__name__``
        (or its class name). Registry problems are left for the test to check.
        """
        registered = []

        def make(*plugins, only: Iterable[str] | None = None) -> Registry:
            with _only(only):
                pm = get_plugin_manager()
            for plugin in plugins:
                name = getattr(plugin, "__name__", None) or f"throwaway-{type(plugin).__name__}-{id(plugin)}"
                pm.register(plugin, name=name)
                registered.append((pm, plugin))
            return Registry(pm)

        try:
            yield make
        finally:
            for pm, plugin in registered:
                if pm.is_registered(plugin):
                    pm.unregister(plugin)

    @pytest.fixture
    def jijiao_limit_plugins(self, monkeypatch):
        """``jijiao_limit_plugins(*names)``: for this test, commands (in-process or in a
        subprocess) load only these plugins; the command line's cached registry is reset."""
        from . import cli, plugins

        def reset() -> None:
            for cached in (getattr(cli, "registry", None), plugins.default_registry):
                if hasattr(cached, "cache_clear"):
                    cached.cache_clear()

        def limit(*names: str) -> None:
            monkeypatch.setenv("JIJIAO_PLUGINS", ",".join(names))
            reset()

        try:
            yield limit
        finally:
            monkeypatch.undo()
            reset()


# ---------------------------------------------------------------------------------------------
# Binding scenarios
# ---------------------------------------------------------------------------------------------


def _run_with_marked_plugins(request, jijiao_registry, jijiao_registries):
    """The registry a test runs against: of the plugins its ``jijiao_plugins`` marker names, else
    every installed plugin. `bind_scenarios` puts this in the calling module as ``jijiao_registry``."""
    marker = request.node.get_closest_marker(MARKER)
    return jijiao_registry if marker is None else jijiao_registries(marker.args)


def feature_folders(registry: Registry, plugins: Iterable[str]) -> list[Path]:
    """The feature folders the named plugins declare; a name that is not installed is an error."""
    folders = []
    for plugin in plugins:
        if registry.pm.get_plugin(plugin) is None:
            installed = "、".join(sorted(set(registry.owners.values()))) or "none"
            raise LookupError(f"plugin {plugin!r} is not installed (installed: {installed})")
        folders.extend(registry.feature_paths.get(plugin, ()))
    return folders


def bind_scenarios(*plugins: str, folders: Iterable[Path | str] = (), run_with: Iterable[str] | None = None,
                   registry: Registry | None = None, module: dict | None = None) -> int:
    """Bind every scenario of the named plugins' feature folders as tests of the calling module.

    A plugin package's ``tests/test_scenarios.py`` is one line::

        bind_scenarios("<your plugin>")

    ``folders`` adds folders of .feature files by path. ``run_with`` (entry-point names) makes
    these scenarios run against a registry of only those plugins, so their results do not
    depend on what else is installed. Returns the number of scenarios bound; a plugin that
    ships none binds nothing. Feature files are checked for typing slips first
    (`jijiao.coverage.lint`), so a slip is named with its file and line.
    """
    from pytest_bdd import scenario
    from pytest_bdd.feature import get_features
    from pytest_bdd.scenario import get_python_name_generator

    from .coverage import lint

    target = module if module is not None else sys._getframe(1).f_globals
    registry = registry if registry is not None else Registry()
    paths = [*feature_folders(registry, plugins), *(Path(f) for f in folders)]
    slips = [problem for path in paths for problem in lint(Path(path))]
    if slips:
        raise SyntaxError("feature files need fixing:\n" + "\n".join(slips))
    marks = [] if run_with is None else [getattr(pytest.mark, MARKER)(*sorted(run_with))]
    if marks and "jijiao_registry" not in target:
        target["jijiao_registry"] = pytest.fixture(name="jijiao_registry")(_run_with_marked_plugins)
    bound = 0
    for feature in get_features([str(Path(p).resolve()) for p in paths]):
        for name in feature.scenarios:
            test = scenario(feature.filename, name, features_base_dir=str(Path(feature.filename).parent))(_scenario_body)
            for mark in marks:
                test = mark(test)
            test_name = next(n for n in get_python_name_generator(name) if n not in target)
            target[test_name] = test
            bound += 1
    return bound


def _scenario_body() -> None:
    """A bound scenario runs its steps; there is nothing more to do."""


# ---------------------------------------------------------------------------------------------
# A real server for browser tests
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback address, for a `jijiao serve` under test."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server, seconds: float = 30) -> None:
    """Wait until ``url`` answers 200, failing with the server's output if it exits first."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"jijiao serve exited: {server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"jijiao serve did not answer at {url} within {seconds}s")

