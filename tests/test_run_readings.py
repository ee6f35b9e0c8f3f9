"""A reading a year's requirement rests on is said once per run, and named with every result
that rests on it (``requirement_results.readings``), not written as a finding per person."""

import json
from datetime import date
from decimal import Decimal

from jijiao import annual, report, storage
from jijiao.engine import assess_year
from jijiao.models import Activity, Practitioner
from jijiao.plugins import Registry, RuleContext

READING = "national.nhc_2024_20_from_2025"


def test_the_national_reading_of_20号_is_one_run_finding_and_a_key_on_each_result(tmp_path):
    db = storage.connect(tmp_path / "r.db")
    tail = ("t", "t", 1, "t")
    people = [Practitioner(id=f"P{n}", jurisdiction=code) for n, code in enumerate(("210000", "440000", "330300"))]
    acts = [Activity(id=f"A{n}", practitioner=p.id, kind="further_study", year=2026, months=Decimal(1), passed=True,
                     date=date(2026, 3, 1)) for n, p in enumerate(people)]
    with db.atomic():
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(p), *tail) for p in people])
        storage.upsert_records(db, "activities", [(*storage.codec(db, "activities").encode(a), *tail) for a in acts])
    registry = Registry()
    summary = annual.assess(db, registry, 2026)
    said = db.execute("SELECT subject_kind, subject, clause, message FROM findings WHERE run = ? AND message LIKE '%20号于2024-10-23印发%'",
                      (summary.run,)).fetchall()
    assert [(kind, subject, clause) for kind, subject, clause, _m in said] == [("run", READING, "nhc-2024-20/一")]
    assert "702号关于学分类别（相互补充、当年有效、视为合格）的规定继续适用" in said[0][3]
    named = db.execute("SELECT practitioner, readings FROM requirement_results WHERE run = ? AND requirement = 'annual_credits'",
                       (summary.run,)).fetchall()
    # Guangdong is judged by the national total; Liaoning's and Wenzhou's chains replace or keep it
    assert ("P1", json.dumps([READING])) in named
    assert db.execute("SELECT count(*) FROM readings WHERE key = ?", (READING,)).fetchone()[0] == 1


def test_a_year_before_20号_rests_on_no_reading_of_it_and_the_report_says_it_where_it_does():
    registry = Registry()
    practitioner = Practitioner(id="P", jurisdiction="000000")
    before = assess_year(RuleContext(registry, year=2023), practitioner, [], 2023)
    assert all(not r.requirement.readings for r in before.requirements)
    after = assess_year(RuleContext(registry, year=2026), practitioner, [], 2026)
    assert [reading.key for r in after.requirements for reading in r.requirement.readings] == [READING]
    assert "按本插件的理解：20号于2024-10-23印发" in report.annual_text(registry, after)
