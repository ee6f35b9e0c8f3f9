"""Binds the scenarios of every installed plugin (each jurisdiction's executable specification).

The folders come from the plugins themselves (``registry.feature_paths``), so a fifth plugin's
scenarios run here without a line changing. The workspace's own plugins' scenarios (features/)
run against a registry of only those plugins: they speak of what this workspace holds ("we have
no plugin for 浙江省"), which an outside plugin installed beside them must not change. An
outside plugin's scenarios run against everything installed (it may build on the built-in ones).
"""

from jijiao.features import installed_feature_paths, workspace_plugins
from jijiao.plugins import Registry
from jijiao.testing import bind_scenarios

_registry = Registry()
_workspace = workspace_plugins(_registry)
_outside = sorted(set(installed_feature_paths(_registry)) - _workspace)

bind_scenarios(*sorted(_workspace), run_with=_workspace, registry=_registry)
if _outside:
    bind_scenarios(*_outside, registry=_registry)
