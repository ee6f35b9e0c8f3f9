"""A record that cannot be judged is reported by id and field; the run goes on for everyone
else. The values are written straight into the database, as an older jijiao (which let 1e28
学时 in) or a hand edit would have left them."""

from __future__ import annotations

import pytest

from jijiao import annual, importing, storage
from jijiao.cli import registry

PEOPLE = "人员编号,执业地区\nP1,430100\nP2,430100\nP3,430100\n"
ACTS = ("活动编号,人员编号,活动类型,年度,项目级别,举办形式,证书学分,经省级继教委核实\n"
        + "".join(f"A{p},P{p},继续医学教育项目,2026,国家级,远程,2,是\n" for p in (1, 2, 3)))


@pytest.mark.parametrize("workers", [1, 2])
def test_out_of_range_and_unreadable_rows_are_findings_not_a_crash(tmp_path, workers):
    db = storage.connect(tmp_path / "t.db")
    (tmp_path / "practitioners.csv").write_text(PEOPLE, "utf-8")
    (tmp_path / "activities.csv").write_text(ACTS, "utf-8")
    importing.import_file(db, tmp_path / "practitioners.csv")
    importing.import_file(db, tmp_path / "activities.csv")
    with db.atomic():
        db.execute("UPDATE activities SET hours = 1e28 WHERE id = 'A1'")
        db.execute("UPDATE activities SET kind = 'no-such-kind' WHERE id = 'A2'")
    summary = annual.assess(db, registry(), 2026, workers=workers)
    assert summary.practitioners == 3  # nobody's year was lost
    findings = dict(db.execute("SELECT subject, message FROM findings WHERE subject IN ('A1', 'A2')").fetchall())
    assert "hours" in findings["A1"] and "超出" in findings["A1"]
    assert "无法读取" in findings["A2"]
    earned = dict(db.execute("SELECT practitioner, earned FROM annual_results").fetchall())
    assert earned == {"P1": 0, "P2": 0, "P3": 2}
