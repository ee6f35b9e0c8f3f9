"""A what-if by dependency stores the same results as a full what-if run, table by table.

The demo year is assessed once (the baseline, noting what each stage read); each what-if is
then made twice -- by dependency, and in full (``by_dependency=False``) -- and every result
table is compared row by row, the run id aside (as multisets: the copied rows are not in the
full run's rowid order).
"""

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jijiao import annual, demo, storage, whatif
from jijiao.cli import cli
from jijiao.plugins import Registry

YEAR = 2026
AS_OF = date(2027, 3, 31)


def assessed_demo_year(tmp_path_factory, seed: int, workers: int) -> Path:
    """A 600-person demo year with its baseline judged by ``workers`` processes, kept for a
    module's tests to copy (`copied`)."""
    path = tmp_path_factory.mktemp("whatif") / "year.db"
    db = storage.connect(path)
    demo.build(db, 600, seed, YEAR)
    if workers > 1 and annual.choose_workers(db, workers) < workers:
        pytest.skip("worker processes need fork")
    annual.assess(db, Registry(), YEAR, as_of=AS_OF, workers=workers)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def copied(year: Path, tmp_path: Path):
    path = tmp_path / "copy.db"
    shutil.copy(year, path)
    return storage.connect(path)


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory) -> Path:
    return assessed_demo_year(tmp_path_factory, 2, workers=1)


@pytest.fixture
def db(demo_year, tmp_path):
    return copied(demo_year, tmp_path)


def run_rows(db, registry, run: int) -> dict[str, Counter]:
    """Every row a run wrote in each result table, without the run id."""
    tables = {}
    for table, columns in annual.result_columns(registry).items():
        if table == "run_reads":
            continue
        names = ", ".join(f"[{c}]" for c in columns if c != "run")
        tables[table] = Counter(db.execute(f"SELECT {names} FROM [{table}] WHERE run = ?", (run,)).fetchall())
    return tables


def both_ways(db, registry, settings: dict) -> tuple:
    by_dependency = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF)
    full = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF, name="full", by_dependency=False)
    return by_dependency, full


def assert_same_run(db, registry, by_dependency, full) -> None:
    mine, theirs = run_rows(db, registry, by_dependency.run), run_rows(db, registry, full.run)
    for table in theirs:
        assert sum(theirs[table].values()) > 0 or table in ("cap_applications",), table
        assert mine[table] == theirs[table], (
            f"{table}: {sum((mine[table] - theirs[table]).values())} rows only by dependency, "
            f"{sum((theirs[table] - mine[table]).values())} only in the full run")
    assert by_dependency.jurisdictions == full.jurisdictions
    assert (by_dependency.practitioners, by_dependency.activities, by_dependency.projects, by_dependency.unassessed) == (
        full.practitioners, full.activities, full.projects, full.unassessed)
    assert by_dependency.rows == full.rows


def derivation(db, run: int) -> tuple[str, int | None]:
    return db.execute("SELECT derivation, base FROM runs WHERE id = ?", (run,)).fetchone()


@pytest.mark.parametrize("setting, reaches", [
    # A year-level number: read by every Liaoning year's requirement, by a few awards (further
    # study is granted the annual total) -- most years are recomputed on their stored awards.
    ("liaoning.annual_credits=30", "requirements"),
    # A per-activity number under a cap: the awards of those who teach are judged again.
    ("liaoning.teaching_credits_per_hour=2", "awards"),
    # An annual cap.
    ("liaoning.teaching_annual_max=3", "awards"),
    # A reading switched to its alternative (remote projects' three steps, strict).
    ("liaoning.remote_three_steps=alternative", "awards"),
    # A national requirement over every jurisdiction: the years with an award that waits on a
    # missing document are judged again in full (its stored row names the document only).
    ("national.annual_credits=20", "requirements and awards"),
    # A number the projects' deadlines read, not the practitioners.
    ("liaoning.registration_days_before=20", "projects"),
    # A number no rule reads in this year: everything is copied.
    ("liaoning.spot_check_share_pct=50", "nothing"),
])
def test_a_what_if_by_dependency_stores_what_a_full_run_stores(db, setting, reaches, monkeypatch):
    monkeypatch.setattr(whatif, "COPY_CHUNK", 97)  # rows copied a few practitioners at a time
    registry = Registry()
    key, value = setting.split("=")
    by_dependency, full = both_ways(db, registry, {key: value})
    assert_same_run(db, registry, by_dependency, full)
    text, base = derivation(db, by_dependency.run)
    assert base == 1 and text.startswith("按依赖评定（基准运行 #1「baseline」）")
    assert derivation(db, full.run) == (None, None)
    plan = db.execute_returning_dicts("SELECT how, count(*) AS n FROM temp.whatif_plan GROUP BY how")
    counts = {row["how"]: row["n"] for row in plan}
    if reaches == "nothing":
        assert counts == {0: by_dependency.practitioners} and "项目与日历沿用" in text
    elif reaches == "projects":
        assert counts == {0: by_dependency.practitioners} and "项目与日历重新评定" in text
    elif reaches == "requirements":
        assert counts.get(1, 0) > counts.get(2, 0) > 0
    elif reaches == "requirements and awards":
        assert counts.get(1, 0) > 0 and counts.get(2, 0) > 0
    else:
        assert counts.get(2, 0) > 0 and counts.get(1, 0) == 0
    # What the what-if read is noted too: a what-if can be the base of the next one.
    noted = db.execute("SELECT count(*) FROM run_reads WHERE run = ? AND subject_kind = 'practitioner'",
                       (by_dependency.run,)).fetchone()[0]
    assert noted == by_dependency.practitioners


def test_a_what_if_of_a_what_if_and_a_base_made_by_workers(db, tmp_path):
    registry = Registry()
    first = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF)
    # Against the first what-if: only national.annual_credits differs (liaoning.annual_credits
    # is the same on both sides), so the base is that run.
    settings = {"liaoning.annual_credits": "30", "national.annual_credits": "20"}
    second = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF, base=first.name)
    full = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF, name="full", by_dependency=False)
    assert_same_run(db, registry, second, full)
    assert derivation(db, second.run)[1] == first.run
    # A baseline judged by two worker processes notes the same reads.
    if annual.choose_workers(db, 2) < 2:
        pytest.skip("worker processes need fork")
    annual.assess(db, registry, YEAR, as_of=AS_OF, workers=2)  # replaces the baseline
    by_dependency = annual.assess(db, registry, YEAR, settings={"liaoning.teaching_annual_max": "3"}, as_of=AS_OF)
    full = annual.assess(db, registry, YEAR, settings={"liaoning.teaching_annual_max": "3"}, as_of=AS_OF, name="full",
                         by_dependency=False)
    assert derivation(db, by_dependency.run)[0].startswith("按依赖评定")
    assert_same_run(db, registry, by_dependency, full)


def test_another_as_of_day_judges_the_deadlines_again(db):
    registry = Registry()
    settings = {"liaoning.annual_credits": "30"}
    by_dependency = annual.assess(db, registry, YEAR, settings=settings, as_of=date(2026, 6, 1))
    full = annual.assess(db, registry, YEAR, settings=settings, as_of=date(2026, 6, 1), name="full", by_dependency=False)
    assert "项目与日历重新评定" in by_dependency.derivation
    assert_same_run(db, registry, by_dependency, full)
    def states(run):
        return dict(db.execute("SELECT state, count(*) FROM deadlines WHERE run = ? GROUP BY state", (run,)).fetchall())

    assert states(by_dependency.run) != states(1)  # the base's were judged as of 2027-03-31


def test_a_base_run_of_other_inputs_gives_a_full_run_that_says_why(db):
    registry = Registry()
    # An input row added since the baseline: the base no longer judged these inputs.
    tail = ("t", "t", 1, "t")
    person = storage.codec(db, "practitioners").decode(db.execute(storage.select_sql(db, "practitioners") + " LIMIT 1").fetchone())
    with db.atomic():
        db.conn.execute("INSERT INTO import_batches (id, file, kind) VALUES ('later', 'later.csv', 'practitioners')")
        storage.upsert_records(db, "practitioners", [(*storage.codec(db, "practitioners").encode(
            type(person)(id="NEW1", jurisdiction=person.jurisdiction, unit="新单位")), *tail)])
    later = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF)
    assert "输入数据已变" in later.derivation
    missing = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF, base="nothing")
    assert missing.derivation == f"全部重新评定：没有 {YEAR} 年度的运行「nothing」可作基准"


def test_the_command_says_how_a_what_if_was_made(db):
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    result = runner.invoke(cli, ["assess", "--db", path, "--year", str(YEAR), "--as-of", AS_OF.isoformat(),
                                 "--set", "liaoning.annual_credits=30"])
    assert result.exit_code == 0, result.output
    assert "按依赖评定（基准运行 #1「baseline」）：重新评定" in result.output
    result = runner.invoke(cli, ["assess", "--db", path, "--year", str(YEAR), "--as-of", AS_OF.isoformat(),
                                 "--set", "liaoning.annual_credits=30", "--full"])
    assert result.exit_code == 0, result.output
    assert "按依赖评定" not in result.output
    result = runner.invoke(cli, ["compare", "--db", path, "--base", "baseline", "--other", "liaoning.annual_credits=30"])
    assert result.exit_code == 0 and "合格→不合格" in result.output


def test_the_rules_note_what_they_read(db):
    """A Liaoning year reads its annual total at the requirement; the sets are stored once."""
    row = db.execute(
        """SELECT a.keys, y.keys, q.keys FROM run_reads r JOIN practitioners p ON p.id = r.subject
           JOIN read_sets a ON a.id = r.awards JOIN read_sets y ON y.id = r.year JOIN read_sets q ON q.id = r.requirements
           WHERE r.run = 1 AND p.jurisdiction LIKE '21%' LIMIT 1""").fetchone()
    awards, year, requirements = (set(json.loads(keys)) for keys in row)
    assert "liaoning.annual_credits" in requirements and "national.annual_credits" in requirements
    assert any(key.startswith("liaoning.") and key.endswith("_annual_max") for key in year)  # the caps
    distinct = db.execute("SELECT count(*) FROM read_sets").fetchone()[0]
    assert distinct < db.execute("SELECT count(*) FROM run_reads WHERE run = 1").fetchone()[0] / 3


def test_a_plugin_failing_on_a_recomputed_requirement_judges_that_year_again(db, monkeypatch):
    """A year only the requirements reach is recomputed on its stored awards; where the plugin
    fails there, its copied rows are taken back and the year is judged again, as a full run
    reports it (a plugin error finding, 无法判定)."""
    from jijiao import engine
    from jijiao.plugins import PluginFailure

    registry = Registry()
    victim = db.execute("""SELECT r.subject FROM run_reads r JOIN read_sets q ON q.id = r.requirements
                           WHERE r.run = 1 AND q.keys LIKE '%liaoning.annual_credits%' ORDER BY r.subject LIMIT 1 OFFSET 7""").fetchone()[0]
    plain = engine.year_requirements

    def failing(ctx, chain, practitioner, year, awards, extra_requirements=()):
        if practitioner.id == victim and ctx.overrides:
            raise PluginFailure("liaoning", "jijiao_annual_requirements", RuntimeError("test"))
        return plain(ctx, chain, practitioner, year, awards, extra_requirements)

    monkeypatch.setattr(engine, "year_requirements", failing)
    monkeypatch.setattr(whatif, "COPY_CHUNK", 50)
    by_dependency, full = both_ways(db, registry, {"liaoning.annual_credits": "30"})
    assert_same_run(db, registry, by_dependency, full)
    assert db.execute("SELECT verdict FROM annual_results WHERE run = ? AND practitioner = ?",
                      (by_dependency.run, victim)).fetchone() == ("无法判定",)


# --------------------------------------------------------------------------------------------
# Rows shown through: a what-if stores only what differs from its base run
# --------------------------------------------------------------------------------------------

SHOWN = ("credit_awards", "recognitions")


def stored_rows(db, table: str, run: int) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}_stored] WHERE run = ?", (run,)).fetchone()[0]


def test_a_what_if_stores_only_the_awards_of_the_years_it_judged_again(db):
    """The copy must not come back: the awards and recognitions of the practitioners a what-if
    leaves as the base had them are the base's stored rows, shown through."""
    registry = Registry()
    what_if = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF)
    plan = dict(db.execute("SELECT how, count(*) FROM temp.whatif_plan GROUP BY how").fetchall())
    judged = [p for (p,) in db.execute("SELECT practitioner FROM temp.whatif_plan WHERE how = 2")]
    assert 0 < len(judged) < plan[0] + plan[1]
    for table in SHOWN:
        in_base = dict(db.execute(f"SELECT practitioner, count(*) FROM [{table}_stored] WHERE run = 1 "
                                  "GROUP BY practitioner").fetchall())
        # Stored: no more rows than the years judged again had in the base (their own, new rows).
        assert stored_rows(db, table, what_if.run) <= 2 * sum(in_base.get(p, 0) for p in judged) + 5
        assert stored_rows(db, table, what_if.run) < stored_rows(db, table, 1) / 5
        # Seen: every row (through the view).
        seen = db.execute(f"SELECT count(*) FROM [{table}] WHERE run = ?", (what_if.run,)).fetchone()[0]
        assert seen == what_if.rows[table] >= stored_rows(db, table, 1) * 0.9
    inherited = db.execute("SELECT count(*), min(holder), max(holder) FROM inherited_rows WHERE run = ?",
                           (what_if.run,)).fetchone()
    assert inherited == (plan[0] + plan[1], 1, 1)
    assert f"（{plan[0] + plan[1]} 人的学分与认定记录不另存" in what_if.derivation


def test_replacing_or_deleting_the_base_keeps_its_what_ifs_complete(db):
    """The base run's rows a what-if (and a what-if of that what-if) shows through are handed to
    it when the base is replaced or deleted: the what-ifs read as before, row for row."""
    registry = Registry()
    first = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF)
    settings = {"liaoning.annual_credits": "30", "liaoning.teaching_credits_per_hour": "2"}
    second = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF, base=first.name)
    # One hop: the second what-if reads the baseline's rows from the baseline, not via the first.
    holders = dict(db.execute("SELECT holder, count(*) FROM inherited_rows WHERE run = ? GROUP BY holder",
                              (second.run,)).fetchall())
    assert set(holders) == {1, first.run} and holders[1] > holders[first.run] > 0
    assert not db.execute("""SELECT count(*) FROM inherited_rows a JOIN inherited_rows b
                             ON b.run = a.holder AND b.practitioner = a.practitioner""").fetchone()[0]
    before = {run: run_rows(db, registry, run) for run in (first.run, second.run)}

    annual.assess(db, registry, YEAR, as_of=AS_OF, workers=1)  # the baseline replaced: run 1 is gone
    assert not db.execute("SELECT count(*) FROM runs WHERE id = 1").fetchone()[0]
    assert not db.execute("SELECT count(*) FROM credit_awards_stored WHERE run = 1").fetchone()[0]
    assert not db.execute("SELECT count(*) FROM inherited_rows WHERE holder = 1 OR run = 1").fetchone()[0]
    for run, rows in before.items():
        assert run_rows(db, registry, run) == rows, run
    # Now the first what-if holds the rows both showed; the second inherits them from it.
    assert db.execute("SELECT DISTINCT holder FROM inherited_rows WHERE run = ?", (second.run,)).fetchall() == [
        (first.run,)]

    with db.atomic():
        annual.delete_run(db, first.name, YEAR)  # the first what-if deleted: the second keeps its rows
    assert not db.execute("SELECT count(*) FROM inherited_rows").fetchone()[0]
    assert run_rows(db, registry, second.run) == before[second.run]
    full = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF, name="full", by_dependency=False)
    assert run_rows(db, registry, second.run) == run_rows(db, registry, full.run)


def test_re_running_a_what_if_under_its_name_keeps_the_what_ifs_derived_from_it(db):
    registry = Registry()
    first = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF)
    settings = {"liaoning.annual_credits": "30", "liaoning.teaching_credits_per_hour": "2"}
    second = annual.assess(db, registry, YEAR, settings=settings, as_of=AS_OF, base=first.name)
    assert db.execute("SELECT count(*) FROM inherited_rows WHERE run = ? AND holder = ?",
                      (second.run, first.run)).fetchone()[0] > 0  # (those rows are handed over)
    before = run_rows(db, registry, second.run)
    again = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF)
    assert again.run != first.run and run_rows(db, registry, second.run) == before
    full = annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF, name="full",
                         by_dependency=False)
    assert_same_run(db, registry, again, full)


def test_the_browse_copy_of_a_what_if_has_every_row(db, tmp_path):
    """The browse copy serves plain tables: a what-if's rows there include those it shows
    through, the same as a full what-if's."""
    import sqlite3

    from jijiao import publish

    registry = Registry()
    by_dependency, full = both_ways(db, registry, {"liaoning.annual_credits": "30"})
    source = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    db.conn.close()
    copy, _built = publish.build_browse_copy(source, tmp_path / "browse.db")
    conn = sqlite3.connect(copy)
    try:
        assert not conn.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('inherited_rows', 'run_holders')"
                                ).fetchone()[0]
        for table, columns in annual.result_columns(registry).items():
            if table == "run_reads" or not conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
                continue
            names = ", ".join(f"[{c}]" for c in columns if c != "run")
            mine, theirs = (Counter(conn.execute(f"SELECT {names} FROM [{table}] WHERE run = ?", (run,)).fetchall())
                            for run in (by_dependency.run, full.run))
            assert sum(theirs.values()) > 0 or table == "cap_applications", table
            assert mine == theirs, table
        # Every row of the copy has a rowid of its own (the row pages link by it).
        for table in SHOWN:
            assert conn.execute(f"SELECT count(DISTINCT rowid) = count(*) FROM [{table}]").fetchone()[0] == 1
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# A second reader's checks (after engine.chain_wide_layers memoised the year's caps,
# requirements and make-up): more settings -- a per-project ceiling, readings that switch a
# recognition or credit rule, the make-up -- on a baseline judged by two worker processes; and
# a memoised hook failing in the what-if only (the recomputed years taken back, whatif._take_back).
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_year_by_workers(tmp_path_factory):
    return assessed_demo_year(tmp_path_factory, 3, workers=2)


@pytest.fixture
def db_by_workers(demo_year_by_workers, tmp_path):
    return copied(demo_year_by_workers, tmp_path)


@pytest.mark.parametrize("setting", [
    "liaoning.project_face_to_face_max=8",             # a project's ceiling (三(一)), across records too
    "national.remote_verification_scope=alternative",  # recognition of remote projects (short-circuited for others)
    "national.remote_certificate_credits=alternative",
    "changsha.award_leader_credits=alternative",
    "changsha.falsification_spares_public_hours=alternative",
    "national.category_makeup_share=10",                # the make-up, memoised per chain
])
def test_a_what_if_on_a_baseline_of_two_workers_stores_what_a_full_run_stores(db_by_workers, setting, monkeypatch):
    db = db_by_workers
    monkeypatch.setattr(whatif, "COPY_CHUNK", 89)
    registry = Registry()
    key, value = setting.split("=")
    by_dependency, full = both_ways(db, registry, {key: value})
    assert derivation(db, by_dependency.run)[0].startswith("按依赖评定")
    assert_same_run(db, registry, by_dependency, full)


def test_a_memoised_hook_failing_in_the_what_if_only_is_reported_for_every_year_it_reaches(db_by_workers, monkeypatch):
    db = db_by_workers
    """Liaoning's requirements (a hook of the year that takes nothing of the person: asked once
    per chain and context) fail under the what-if: every Liaoning year recomputed on its stored
    awards is taken back and judged again, each reporting the failure, as the full run does."""
    import jijiao_liaoning.plugin as liaoning
    from jijiao.hookspecs import hookimpl

    plain = liaoning.jijiao_annual_requirements.__wrapped__ if hasattr(
        liaoning.jijiao_annual_requirements, "__wrapped__") else liaoning.jijiao_annual_requirements

    @hookimpl
    def jijiao_annual_requirements(jurisdiction, ctx):
        if ctx.overrides:
            raise RuntimeError("第二读者的测试")
        return plain(jurisdiction, ctx)

    monkeypatch.setattr(liaoning, "jijiao_annual_requirements", jijiao_annual_requirements)
    monkeypatch.setattr(whatif, "COPY_CHUNK", 61)
    taken_back, take_back = [], whatif._take_back
    monkeypatch.setattr(whatif, "_take_back", lambda db, out, run, pid: (taken_back.append(pid), take_back(db, out, run, pid)))
    registry = Registry()  # registers the module again: the failing implementation
    by_dependency, full = both_ways(db, registry, {"liaoning.annual_credits": "30"})
    assert_same_run(db, registry, by_dependency, full)
    failed = db.execute(
        "SELECT count(*) FROM annual_results WHERE run = ? AND jurisdiction LIKE '21%' AND verdict = '无法判定'",
        (by_dependency.run,)).fetchone()[0]
    liaoning_years = db.execute("SELECT count(*) FROM annual_results WHERE run = ? AND jurisdiction LIKE '21%'",
                                (by_dependency.run,)).fetchone()[0]
    assert failed == liaoning_years > 0
    findings = db.execute("SELECT count(DISTINCT practitioner) FROM findings WHERE run = ? AND message LIKE '%第二读者的测试%'",
                          (by_dependency.run,)).fetchone()[0]
    assert findings == liaoning_years
    assert taken_back and all(db.execute("SELECT jurisdiction FROM practitioners WHERE id = ?", (pid,)).fetchone()[0]
                              .startswith("21") for pid in taken_back)  # the recomputed years were taken back


def read_keys(db, run: int) -> dict[str, tuple]:
    """Per practitioner, the keys each stage of their year read (run_reads, as sets of keys)."""
    rows = db.execute(
        """SELECT r.subject, a.keys, y.keys, q.keys FROM run_reads r
           JOIN read_sets a ON a.id = r.awards JOIN read_sets y ON y.id = r.year JOIN read_sets q ON q.id = r.requirements
           WHERE r.run = ? AND r.subject_kind = 'practitioner'""", (run,)).fetchall()
    return {subject: tuple(frozenset(json.loads(keys)) for keys in stages) for subject, *stages in rows}


def test_the_memo_of_the_years_hooks_notes_the_reads_each_year_made(db_by_workers, monkeypatch):
    """What a baseline notes of each year's reads is the same whether the year's caps,
    requirements and make-up are asked once per chain (engine.chain_wide_layers, its reads
    replayed) or of every practitioner; and a what-if by dependency notes what its full run notes."""
    from jijiao import engine

    db = db_by_workers
    registry = Registry()
    memoised = annual.assess(db, registry, YEAR, as_of=AS_OF, name="memoised", workers=1)
    with monkeypatch.context() as patched:
        patched.setattr(engine, "chain_wide_layers",
                        lambda ctx, chain, hook_name, **kwargs: engine.call_layers(chain, hook_name, ctx=ctx, **kwargs))
        asked_each = annual.assess(db, registry, YEAR, as_of=AS_OF, name="asked each time", workers=1)
    assert read_keys(db, memoised.run) == read_keys(db, asked_each.run)
    assert len(read_keys(db, memoised.run)) == memoised.practitioners > 0
    for settings in ({"liaoning.annual_credits": "30"}, {"national.category_makeup_share": "10"},
                     {"liaoning.teaching_annual_max": "3"}):
        by_dependency, full = both_ways(db, registry, settings)
        assert read_keys(db, by_dependency.run) == read_keys(db, full.run), settings
