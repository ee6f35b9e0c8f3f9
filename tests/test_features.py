"""Binds the scenarios of every installed plugin (each jurisdiction's executable specification).

The folders come from the plugins themselves (``registry.feature_paths``), so a fifth plugin's
scenarios run here without a line changing. The workspace's own plugins' scenarios (features/)
run against a registry of only those plugins: they speak of what this workspace holds ("we have
no plugin for 浙江省"), which an outside plugin installed beside them must not change. An
outside plugin's scenarios run against everything installed (it may build on the built-in ones).
"""

from jijiao.featurelint import lint
from jijiao.features import installed_feature_paths, workspace_plugins
from jijiao.plugins import Registry
from jijiao.testing import bind_scenarios

# A slip that makes a file unreadable (a full-width colon after 功能, no language line) would
# otherwise surface as an obscure parser error: name the file and line instead, before pytest-bdd
# reads anything. Every other slip fails the scenarios it affects (the hooks of jijiao.testing).
_registry = Registry()
_unreadable = [slip for paths in installed_feature_paths(_registry).values() for slip in lint(list(paths)) if slip.unreadable]
if _unreadable:
    raise SyntaxError("场景文件无法读取，需要修改：\n" + "\n".join(map(str, _unreadable)))

_workspace = workspace_plugins(_registry)
_outside = sorted(set(installed_feature_paths(_registry)) - _workspace)

bind_scenarios(*sorted(_workspace), run_with=_workspace, registry=_registry)
if _outside:
    bind_scenarios(*_outside, registry=_registry)
