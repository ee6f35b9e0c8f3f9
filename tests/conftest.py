"""Test set-up of the workspace's own tests: nothing of its own at present.

The step vocabulary, clause tags, markers and registry fixtures (``jijiao_registry``,
``jijiao_registries``, ``jijiao_registry_with``, ``jijiao_limit_plugins``) come from the pytest
plugin ``jijiao.testing`` that jijiao ships (with the scenario lint's hooks), loaded through its ``pytest11`` entry point exactly as
for an outside plugin's package (there is no need to list it in ``pytest_plugins``).
"""
