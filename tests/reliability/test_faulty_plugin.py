"""A faulty plugin is named and never aborts anyone's run: each fault of a throwaway region
becomes an error finding naming the plugin and the hook, and every other jurisdiction's results
are exactly as without it."""

from __future__ import annotations

import time
from datetime import date

import pytest

from jijiao import annual, engine, hookimpl, storage
from jijiao.models import Practitioner
from jijiao.testing import ThrowawayRegion

YEAR = 2026


class Faulty(ThrowawayRegion):
    """A city (320100, province 320000 not installed) whose one hook misbehaves."""

    def __init__(self, fault: str):
        super().__init__("320100", "测试市", parent="320000")
        self.__name__ = f"faulty-{fault}"
        self.fault = fault

    def _answer(self, hook: str, good):
        if hook != self.fault.split(":")[0]:
            return good
        how = self.fault.split(":")[1]
        if how == "raise":
            raise RuntimeError("坏插件")
        if how == "type":
            return "not a rule answer"
        if how == "slow":
            time.sleep(engine.CALL_BUDGET_SECONDS + 0.1)
            return good
        raise AssertionError(how)

    @hookimpl
    def jijiao_credit(self, activity, practitioner, jurisdiction, ctx):
        return self._answer("jijiao_credit", None)

    @hookimpl
    def jijiao_annual_requirements(self, practitioner, year, jurisdiction, ctx):
        return self._answer("jijiao_annual_requirements", [])

    @hookimpl
    def jijiao_calendar(self, year, jurisdiction, ctx):
        return self._answer("jijiao_calendar", [])

    @hookimpl
    def jijiao_project_deadlines(self, project, jurisdiction, ctx):
        return self._answer("jijiao_project_deadlines", [])

    @hookimpl
    def jijiao_missing_documents(self, jurisdiction):
        return self._answer("jijiao_missing_documents", [])


FAULTS = [f"{hook}:{how}" for hook in ("jijiao_credit", "jijiao_annual_requirements", "jijiao_calendar",
                                       "jijiao_project_deadlines", "jijiao_missing_documents")
          for how in ("raise", "type")] + ["jijiao_credit:slow"]


def _year_db(tmp_path, registry):
    db = storage.connect(tmp_path / "t.db", registry)
    people = [Practitioner(id="P1", jurisdiction="210000"), Practitioner(id="P2", jurisdiction="320100")]
    from jijiao.inputs import build
    from jijiao.models import Activity, Project

    acts = [build(Activity, {"id": f"A{i}", "practitioner": p, "kind": "project", "year": YEAR, "hours": 6, "passed": True,
                             "project": "X1"}, facts=registry.declared_facts(Activity)) for i, p in enumerate(["P1", "P2"])]
    tail = ("t", "t", 1, "t")
    with db.atomic():
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(p), *tail) for p in people])
        storage.upsert_records(db, "activities", [(*storage.codec(db, "activities").encode(a), *tail) for a in acts])
        storage.upsert_records(db, "projects", [(*storage.codec(db, "projects").encode(Project(id="X1", jurisdiction="320100")), *tail)])
    return db


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_plugin_is_named_and_the_run_goes_on(fault, tmp_path, jijiao_registry_with):
    registry = jijiao_registry_with(Faulty(fault), only=["national", "liaoning"])
    db = _year_db(tmp_path, registry)
    summary = annual.assess(db, registry, YEAR, as_of=date(YEAR, 6, 1), workers=1)
    assert summary.practitioners == 2
    errors = db.execute("SELECT message FROM findings WHERE severity = ?", ("规则出错",)).fetchall()
    hook = fault.split(":")[0]
    assert any(f"faulty-{fault}" in m and hook in m for (m,) in errors), errors
    # Liaoning's practitioner is judged as if the faulty city did not exist
    (verdict,) = db.execute("SELECT verdict FROM annual_results WHERE practitioner = 'P1'").fetchone()
    clean = jijiao_registry_with(ThrowawayRegion("320100", "测试市", parent="320000"), only=["national", "liaoning"])
    clean_db = _year_db(tmp_path / "clean", clean) if (tmp_path / "clean").mkdir() is None else None
    annual.assess(clean_db, clean, YEAR, as_of=date(YEAR, 6, 1), workers=1)
    rows = "SELECT status, credits, explanation FROM credit_awards WHERE practitioner = 'P1'"
    assert db.execute(rows).fetchall() == clean_db.execute(rows).fetchall()
    assert verdict == clean_db.execute("SELECT verdict FROM annual_results WHERE practitioner = 'P1'").fetchone()[0]
