"""Test set-up shared by every test: the Gherkin step vocabulary and clause tags."""

import pytest

from jijiao import steps

pytest_plugins = steps.modules()


def pytest_bdd_apply_tag(tag, function):
    """A tag ``@<document>/<clause>`` names the clause a scenario checks: mark it as such."""
    if "/" in tag:
        document, _, clause = tag.partition("/")
        pytest.mark.clause(document, clause)(function)
        return True
    return None
