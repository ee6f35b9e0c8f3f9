"""Where scenarios live: the folders of zh-CN ``.feature`` files that the installed plugins ship.

Each plugin names its folders through ``jijiao_feature_paths``. An outside plugin keeps its
features beside its code (inside its package); the four built-in jurisdictions keep theirs in
the workspace's top-level ``features/<folder>`` and find it with `workspace_features`.
"""

from __future__ import annotations

from pathlib import Path


def workspace_features(module_file: str, folder: str) -> list[Path]:
    """``features/<folder>`` of the source checkout a plugin module lives in, if there is one.

    A plugin installed editable from this workspace (``plugins/<name>/src/<package>/...``)
    finds the workspace by walking up to the folder that holds ``features/``; installed from a
    wheel elsewhere it ships no scenarios, and the list is empty.
    """
    for parent in Path(module_file).resolve().parents:
        candidate = parent / "features" / folder
        if candidate.is_dir() and (parent / "plugins").is_dir():
            return [candidate]
    return []


def installed_feature_paths(registry) -> dict[str, tuple[Path, ...]]:
    """Plugin name → its feature folders, for every installed plugin that ships any."""
    return {name: paths for name, paths in sorted(registry.feature_paths.items()) if paths}


def in_workspace(folder: Path) -> bool:
    """Whether a feature folder is a source checkout's ``features/<folder>`` (see `workspace_features`)."""
    folder = Path(folder).resolve()
    return folder.parent.name == "features" and (folder.parent.parent / "plugins").is_dir()


def workspace_plugins(registry) -> set[str]:
    """The plugins whose scenarios all live in a source checkout's ``features/`` (the built-in
    ones in this workspace), as opposed to outside plugins that ship theirs in their package."""
    return {name for name, paths in installed_feature_paths(registry).items() if all(in_workspace(p) for p in paths)}
