"""The database schema: migrations, model columns, round trips and the streamed year."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from jijiao import storage
from jijiao.models import CHINA_TZ, Activity, Practitioner, Project, Teacher

PROVENANCE = ("test-batch", "test.csv", 2, "2026-01-01T00:00:00+08:00")


@pytest.fixture
def db(tmp_path):
    return storage.connect(tmp_path / "t.db")


def add(db, table, *records):
    codec = storage.codec(db, table)
    with db.atomic():
        storage.upsert_records(db, table, [(*codec.encode(r), *PROVENANCE) for r in records])


def test_every_table_of_the_schema_is_made_once(db):
    tables = set(db.table_names())
    assert {"practitioners", "projects", "activities", "import_errors", "import_batches", "jurisdictions",
            "documents", "clauses", "parameters", "missing_documents", "runs", "credit_awards_stored",
            "annual_results_stored", "requirement_results", "cap_applications_stored", "findings_stored", "deadlines",
            "recognitions_stored", "result_texts", "comparisons", "run_parameters", "column_labels", "labels"} <= tables
    # the result tables whose texts are stored once are read through views of their own names
    assert {"pass_rates", "latest_runs", "credit_awards", "annual_results", "findings", "recognitions",
            "cap_applications"} <= set(db.view_names())
    applied = [r["name"] for r in db["schema_migrations"].rows]
    assert applied == [m.__name__ for m in storage.MIGRATIONS]
    assert storage.migrate(db) == []  # opening again applies nothing


def test_a_model_field_added_later_gets_its_column(db):
    db.execute("ALTER TABLE activities DROP COLUMN falsified")
    assert "falsified" not in db["activities"].columns_dict
    storage.migrate(db)
    assert "falsified" in db["activities"].columns_dict


def test_records_read_back_equal_to_what_was_written(db):
    practitioner = Practitioner(id="P1", name="李华", jurisdiction="210000", unit_level="县级", grassroots=True, title="中级")
    project = Project(
        id="X1", name="急救培训班", jurisdiction="330300", teachers=[Teacher("张三", "正高级")], hours=Decimal("7.5"),
        start=date(2026, 3, 1), application={"submitted_at": datetime(2026, 3, 1, 10, tzinfo=CHINA_TZ)},
    )
    activity = Activity(id="A1", practitioner="P1", kind="project", year=2026, hours=Decimal(3), passed=True,
                        date=date(2026, 4, 1), category="class_i", facts={"exam_score_pct": Decimal("82.5")})
    add(db, "practitioners", practitioner)
    add(db, "projects", project)
    add(db, "activities", activity)
    (read_project,) = storage.projects(db)
    assert read_project == project and read_project.execution is None
    ((read_practitioner, (read_activity,)),) = storage.practitioner_years(db, 2026)
    assert read_practitioner == practitioner
    assert read_activity == activity and read_activity.kind is activity.kind  # the declared kind itself
    assert str(read_activity.hours) == "3"  # stored as REAL, read back without a spurious ".0"


def test_upsert_by_id_updates_instead_of_duplicating(db):
    add(db, "practitioners", Practitioner(id="P1", name="旧名"))
    add(db, "practitioners", Practitioner(id="P1", name="新名"))
    assert db.execute("SELECT id, name FROM practitioners").fetchall() == [("P1", "新名")]


def test_the_year_streams_every_practitioner_with_only_that_years_activities(db):
    add(db, "practitioners", Practitioner(id="P1"), Practitioner(id="P2"), Practitioner(id="P3"))
    add(db, "activities",
        Activity(id="A1", practitioner="P1", kind="project", year=2026),
        Activity(id="A2", practitioner="P1", kind="project", year=2025),
        Activity(id="A3", practitioner="P3", kind="self_paper", year=2026),
        Activity(id="A4", practitioner="P0", kind="self_paper", year=2026))  # nobody's: skipped
    year = [(p.id, [a.id for a in acts]) for p, acts in storage.practitioner_years(db, 2026, batch=1)]
    assert year == [("P1", ["A1"]), ("P2", []), ("P3", ["A3"])]


def test_the_year_of_only_the_practitioners_a_query_selects(db):
    # A what-if judges a few practitioners again: read in one pass, each as the whole year reads them.
    add(db, "practitioners", *(Practitioner(id=f"P{i}") for i in range(1, 6)))
    add(db, "activities", *(Activity(id=f"A{i}{n}", practitioner=f"P{i}", kind="project", year=2026)
                            for i in range(1, 6) for n in range(2)))
    db.conn.execute("CREATE TEMP TABLE again (id TEXT PRIMARY KEY)")
    db.conn.executemany("INSERT INTO temp.again VALUES (?)", [("P2",), ("P3",), ("P5",)])
    whole = {p.id: [a.id for a in acts] for p, acts in storage.practitioner_years(db, 2026)}
    some = [(p.id, [a.id for a in acts])
            for p, acts in storage.practitioner_years(db, 2026, batch=1, practitioners="SELECT id FROM temp.again")]
    assert some == [(pid, whole[pid]) for pid in ("P2", "P3", "P5")]
    within = storage.practitioner_years(db, 2026, since="P3", practitioners="SELECT id FROM temp.again")
    assert [p.id for p, _acts in within] == ["P3", "P5"]


def test_a_fact_a_plugin_declares_gets_its_column(db):
    # journal_tier is no core field: Liaoning declares it, and its column comes with the plugin
    assert "journal_tier" in db["activities"].columns_dict
    assert "application_leader_phone" in db["projects"].columns_dict


def test_column_labels_come_from_the_models_and_the_declarations(db):
    with db.atomic():
        storage.write_labels(db)
    labels = storage.column_labels(db, "activities")
    assert labels["hours"] == "学时" and labels["exam_score_pct"] == "考试成绩"
    assert storage.column_labels(db, "projects")["application_submitted_at"] == "申报：网上申报时间"
    personal = {r[0] for r in db.execute("SELECT column_name FROM column_labels WHERE personal = 1 AND table_name = 'practitioners'")}
    assert personal == {"id_number", "phone"}
    assert db.execute("SELECT zh FROM labels WHERE enum = 'Level' AND code = 'county'").fetchone() == ("县级",)
    assert db.execute("SELECT zh FROM labels WHERE enum = 'ActivityKind' AND code = 'self_paper'").fetchone() == ("发表论文或综述",)
    assert storage.column_labels(db, "annual_results")["public_hours"] == "公共科目学时"
