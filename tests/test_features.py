"""Binds every scenario under features/ (each jurisdiction's executable specification)."""

from pathlib import Path

from pytest_bdd import scenarios

from jijiao.featurelint import lint

FEATURES = Path(__file__).resolve().parent.parent / "features"

# A slip that makes a file unreadable (a full-width colon after 功能, no language line) would
# otherwise surface as an obscure parser error: name the file and line instead, before pytest-bdd
# reads anything. Every other slip fails the scenarios it affects (tests/conftest.py).
_unreadable = [slip for slip in lint([FEATURES]) if slip.unreadable]
if _unreadable:
    raise SyntaxError("场景文件无法读取，需要修改：\n" + "\n".join(map(str, _unreadable)))

scenarios("national", "liaoning", "wenzhou", "changsha")
