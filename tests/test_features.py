"""Binds every scenario under features/ (each jurisdiction's executable specification)."""

from pathlib import Path

from pytest_bdd import scenarios

from jijiao.coverage import lint

FEATURES = Path(__file__).resolve().parent.parent / "features"

# Typing slips would otherwise surface as an unreadable parser error or "step not found":
# name the file and line instead, before pytest-bdd reads anything.
_slips = lint(FEATURES)
if _slips:
    raise SyntaxError("feature files need fixing:\n" + "\n".join(_slips))

scenarios("national", "liaoning", "wenzhou", "changsha")
