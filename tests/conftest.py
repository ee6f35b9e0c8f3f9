"""Test set-up shared by every test: the Gherkin step vocabulary, clause tags and the scenario lint."""

import pytest

from jijiao import featurelint, steps

pytest_plugins = steps.modules()


def pytest_bdd_apply_tag(tag, function):
    """A tag ``@<document>/<clause>`` names the clause a scenario checks: mark it as such.

    A tag the lint refuses (a colon, full-width brackets, an unknown clause) is not made a
    pytest mark -- that would only print pytest's English "Unknown pytest.mark" warning and
    pass -- the scenario fails instead, with the lint's Chinese message (below).
    """
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
    slips = featurelint.slips_for(feature.filename, scenario.line_number)
    if slips:
        pytest.fail("场景需要修改：\n" + "\n".join(str(s) for s in slips), pytrace=False)
