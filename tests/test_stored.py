"""Reading our own stored rows without the models' constructors (stored.py) gives the very models
the constructors give; a row the models would refuse is still refused, by the constructor, with
its message naming the field."""

from __future__ import annotations

import attrs
import pytest

from jijiao import annual, demo, importing, storage, stored
from jijiao.cli import registry
from jijiao.models import Activity, Practitioner

YEAR = 2026


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = storage.connect(tmp_path_factory.mktemp("stored") / "year.db")
    demo.build(db, 300, 5, YEAR)
    return db


@pytest.mark.parametrize("table", ["activities", "practitioners"])
def test_every_stored_row_reads_back_as_the_constructor_builds_it(demo_db, table):
    codec = storage.codec(demo_db, table)
    assert stored.trustable(codec) is None
    read = stored.reader(codec)
    assert read != codec.decode  # the trusted reader, not the validated one
    rows = demo_db.conn.execute(stored.select_sql(codec, table) + " WHERE withdrawn = 0").fetchall()
    assert len(rows) > 250
    for row in rows:
        trusted, validated = read(row), codec.decode(row)
        assert trusted == validated and repr(trusted) == repr(validated)
        assert type(trusted) is type(validated)
        if table == "practitioners":  # (an activity's facts mapping makes it unhashable, either way)
            assert hash(trusted) == hash(validated)
        assert row[-1] == 0  # nothing in a demo year is flagged by the guard
    kinds = {read(row).kind.code for row in rows} if table == "activities" else set()
    assert table == "practitioners" or len(kinds) > 5  # the demo's mix, not one kind


def test_the_year_reads_the_same_as_through_the_constructors(demo_db, monkeypatch):
    trusted = list(storage.practitioner_years(demo_db, YEAR))
    monkeypatch.setattr(stored, "reader", lambda codec: codec.decode)
    validated = list(storage.practitioner_years(demo_db, YEAR))
    assert trusted == validated and sum(len(acts) for _p, acts in trusted) > 1000


def test_a_model_the_guard_cannot_stand_in_for_is_read_through_its_constructor(demo_db):
    codec = storage.codec(demo_db, "projects")
    assert stored.trustable(codec) == "it has nested parts (a project's application and execution)"
    assert stored.reader(codec) == codec.decode


def test_every_validator_of_the_stored_models_has_its_sql_twin():
    # A validator added to Activity or Practitioner without one would turn the trusted reading
    # off (trustable says why): this test says so first.
    for cls in (Activity, Practitioner):
        for a in attrs.fields(cls):
            assert a.validator is None or a.validator in stored.VALIDATOR_SQL, f"{cls.__name__}.{a.name}"


PEOPLE = "人员编号,执业地区\nP1,430100\nP2,430100\nP3,430100\nP4,430100\n"
ACTS = ("活动编号,人员编号,活动类型,年度,项目级别,举办形式,证书学分,经省级继教委核实\n"
        + "".join(f"A{p},P{p},继续医学教育项目,2026,国家级,远程,2,是\n" for p in (1, 2, 3, 4)))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_row_edited_past_the_validators_is_refused_as_before(tmp_path, workers):
    """Rows changed by hand after import, each into a value a validator refuses: each is read
    through the constructor, reported as unreadable naming the field, and nobody else's year
    changes."""
    db = storage.connect(tmp_path / "t.db")
    (tmp_path / "practitioners.csv").write_text(PEOPLE, "utf-8")
    (tmp_path / "activities.csv").write_text(ACTS, "utf-8")
    importing.import_file(db, tmp_path / "practitioners.csv")
    importing.import_file(db, tmp_path / "activities.csv")
    with db.atomic():
        db.execute("UPDATE activities SET certified_credits = -2 WHERE id = 'A1'")
        db.execute("UPDATE activities SET project_jurisdiction = '43ab00' WHERE id = 'A2'")
        db.execute("UPDATE practitioners SET jurisdiction = '4301' WHERE id = 'P3'")
    summary = annual.assess(db, registry(), YEAR, workers=workers)
    assert summary.practitioners == 3  # P3 could not be read: reported, not judged
    findings = dict(db.execute("SELECT subject, message FROM findings WHERE subject IN ('A1', 'A2', 'P3')").fetchall())
    assert "无法读取" in findings["A1"] and "certified_credits" in findings["A1"]
    assert "无法读取" in findings["A2"] and "project_jurisdiction" in findings["A2"]
    assert "无法读取" in findings["P3"] and "jurisdiction" in findings["P3"]
    earned = dict(db.execute("SELECT practitioner, earned FROM annual_results").fetchall())
    assert earned == {"P1": 0, "P2": 0, "P4": 2}
