"""The browse copy brought up to date run by run (publish.update_browse_copy): a run already in
the copy is not copied again, a deleted or replaced run is removed, an import is seen, the result
is row for row what a fresh build makes, masking holds, and a served copy is never changed
under its server."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date

import pytest

from jijiao import annual, demo, importing, publish, result_texts, storage
from jijiao.datasette.server import make_datasette
from jijiao.plugins import Registry

YEAR = 2026
AS_OF = date(YEAR, 11, 1)
WHAT_IF = {"liaoning.annual_credits": "30"}
# (publish.STEP_LISTS caches the explanations of the runs copied since a run last left the copy:
# what the pages read of it is compared through credit_awards)
BOOKKEEPING = {"_browse_copy", "_browse_objects", "_browse_runs", publish.STEP_LISTS, "sqlite_stat1", "sqlite_stat4"}


@pytest.fixture(scope="module")
def assessed(tmp_path_factory):
    """A demo year with its baseline only; tests copy it and add runs to their copy."""
    path = tmp_path_factory.mktemp("copy") / "year.db"
    db = storage.connect(path)
    demo.build(db, 250, 5, YEAR)
    annual.assess(db, Registry(), YEAR, as_of=AS_OF)
    db.close()
    return path


@pytest.fixture()
def source(assessed, tmp_path):
    path = tmp_path / "jijiao.db"
    shutil.copyfile(assessed, path)
    return path


def assess(path, settings=None):
    db = storage.connect(path)
    annual.assess(db, Registry(), YEAR, settings=settings, as_of=AS_OF)
    db.close()
    later = os.stat(path).st_mtime + 2  # the copy is judged by the source's time: make it visibly newer
    os.utime(path, (later, later))


def contents(path) -> dict[str, list]:
    """Every table of a copy the pages read, as sorted rows (rowid included where there is one)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'"):
        if name in BOOKKEEPING:
            continue
        try:
            rows = conn.execute(f"SELECT rowid, * FROM [{name}]").fetchall()
        except sqlite3.OperationalError:
            rows = conn.execute(f"SELECT * FROM [{name}]").fetchall()
        if name in ("result_summary", "clause_costs", "unit_clause_costs", "run_changes", "facet_counts"):  # made per run: their rowids differ
            rows = [row[1:] for row in rows]
        found[name] = sorted(rows, key=repr)
    conn.close()
    return found


def fresh_copy(source, tmp_path):
    path, built, _update = publish.update_browse_copy(source, tmp_path / "fresh.browse.db", force=True)
    assert built
    return path


def test_a_new_run_is_added_without_copying_the_others_again(source, tmp_path):
    copy, built, first = publish.update_browse_copy(source)
    assert built and first.fresh and first.runs_added == (1,)
    assess(source, WHAT_IF)
    copy, built, update = publish.update_browse_copy(source)
    assert built and not update.fresh
    assert update.runs_added == (2,) and update.runs_removed == ()
    # the baseline's rows stay where they are; the untouched input tables are not copied again
    assert not {"credit_awards", "annual_results", "activities", "practitioners", "projects"} & set(update.tables_copied)
    assert contents(copy) == contents(fresh_copy(source, tmp_path))


def test_a_replaced_run_is_removed_and_its_new_version_added(source, tmp_path):
    assess(source, WHAT_IF)
    copy, _built, _update = publish.update_browse_copy(source)
    before = sqlite3.connect(copy).execute("SELECT started_at FROM runs WHERE id = 2").fetchone()
    assess(source, {"liaoning.annual_credits": "28"})  # a third run
    db = storage.connect(source)
    with db.atomic():  # the what-if of run 2 deleted, as `assess` does before running it again
        annual.delete_run(db, "liaoning.annual_credits=30", YEAR)
    db.close()
    assess(source, WHAT_IF)  # run again: it may get id 2 back, or a new one
    copy, _built, update = publish.update_browse_copy(source)
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    runs = conn.execute("SELECT id, name, started_at FROM runs ORDER BY id").fetchall()
    assert [name for _id, name, _s in runs].count("liaoning.annual_credits=30") == 1
    assert 2 in update.runs_removed and (2, before[0]) not in [(i, s) for i, _n, s in runs]
    kept = {r for (r,) in conn.execute("SELECT DISTINCT run FROM credit_awards")}
    assert kept == {i for i, _n, _s in runs}
    conn.close()
    assert contents(copy) == contents(fresh_copy(source, tmp_path))


def test_explanations_read_as_the_source_writes_them_cached_or_not(source, tmp_path):
    """The awards' explanations in the copy are the source's, byte for byte, whether their step
    list was rendered into the cache or (missing from it) rendered as the row is read."""
    assess(source, WHAT_IF)
    copy, _built, _update = publish.update_browse_copy(source)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    view = result_texts.run_rows_select(conn, "credit_awards", with_rowid=True)  # what the view reads, inherited rows included
    written = conn.execute(f"SELECT rowid, explanation FROM ({view}) ORDER BY rowid").fetchall()
    conn.close()
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == publish.PAGE_SIZE
    assert conn.execute("SELECT rowid, explanation FROM credit_awards ORDER BY rowid").fetchall() == written
    cached = conn.execute(f"SELECT count(*) FROM [{publish.STEP_LISTS}]").fetchone()[0]
    assert 0 < cached < len(written)  # a list per distinct explanation, not per award
    conn.execute(f"DELETE FROM [{publish.STEP_LISTS}] WHERE id % 2 = 0")  # half the lists not cached
    conn.execute("ATTACH DATABASE ? AS src", [f"file:{source}?mode=ro"])
    select = result_texts.run_rows_select(conn, "credit_awards", with_rowid=True, schema="src",
                                          rendered_lists=f"main.[{publish.STEP_LISTS}]")
    assert conn.execute(f"SELECT rowid, explanation FROM ({select}) ORDER BY rowid").fetchall() == written
    conn.close()


def test_an_import_is_seen_and_masked(source, tmp_path):
    copy, _built, _update = publish.update_browse_copy(source)
    people = tmp_path / "people.csv"
    people.write_text("人员编号,姓名,执业地区,工作单位,单位级别,基层单位,职称,专业类别,医学类别,身份证号,联系电话\n"
                      "N0001,新来者,210600,丹东市中心医院,市级,否,中级,医师,西医,210602199001011234,13812345678\n",
                      "utf-8-sig")
    db = storage.connect(source)
    result = importing.import_file(db, people, kind="practitioners")
    db.close()
    assert result.rows_loaded == 1, result
    later = os.stat(source).st_mtime + 2
    os.utime(source, (later, later))
    copy, built, update = publish.update_browse_copy(source)
    assert built and "practitioners" in update.tables_copied and update.runs_added == ()
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    assert conn.execute("SELECT id_number, phone FROM practitioners WHERE id = 'N0001'").fetchone() == (
        "2106**********1234", "138****5678")
    assert conn.execute("SELECT count(*) FROM practitioners_fts WHERE practitioners_fts MATCH '新来者'").fetchone() == (1,)
    conn.close()
    data = copy.read_bytes()
    assert b"210602199001011234" not in data and b"13812345678" not in data
    assert contents(copy) == contents(fresh_copy(source, tmp_path))


def test_a_served_copy_is_replaced_not_changed_under_its_server(source):
    copy, _built, _update = publish.update_browse_copy(source)
    ds = make_datasette(copy)  # holds the copy's serving lock, as `jijiao serve` does
    served = os.stat(copy).st_ino
    assess(source, WHAT_IF)
    copy, built, update = publish.update_browse_copy(source)
    assert built and update.runs_added == (2,) and not update.fresh
    assert os.stat(copy).st_ino != served  # a new file renamed over the served one
    ds.jijiao_serving.close()
    assess(source, {"liaoning.annual_credits": "28"})
    unserved = os.stat(copy).st_ino
    copy, built, update = publish.update_browse_copy(source)
    assert update.runs_added == (3,) and os.stat(copy).st_ino == unserved  # nobody serves it: in place


def test_a_build_stopped_half_way_is_not_reused(source):
    copy, _built, _update = publish.update_browse_copy(source)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE _browse_copy SET state = 'updating'")
    conn.commit()
    conn.close()
    assert not publish.is_current(source, copy)
    copy, built, update = publish.update_browse_copy(source)
    assert built and update.fresh


def test_views_and_new_tables_of_the_source_are_copied_whatever_their_columns(source, tmp_path):
    """The copy follows the database, not a list: a new table and a view over it are served as
    the source has them, and a result table stored with text ids (result_texts.py: its view
    over ``<table>_stored``) is served as the plain table it reads as, row for row."""
    db = storage.connect(source)
    with db.atomic():
        db.execute("CREATE TABLE unit_notes (id INTEGER PRIMARY KEY, unit TEXT, note TEXT)")
        db.execute("INSERT INTO unit_notes (unit, note) SELECT DISTINCT unit, '待核' FROM annual_results")
        db.execute("CREATE VIEW noted_results AS SELECT r.practitioner, r.verdict, n.note FROM annual_results r "
                   "JOIN unit_notes n ON n.unit IS r.unit")
    db.close()
    copy, built, _update = publish.update_browse_copy(source)
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    source_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
    assert kinds["noted_results"] == "view" and kinds["unit_notes"] == "table"
    query = "SELECT practitioner, verdict, note FROM noted_results ORDER BY practitioner"
    assert conn.execute(query).fetchall() == source_conn.execute(query).fetchall()
    for table in result_texts.INTERNED:
        assert kinds[table] == "table" and result_texts.stored_table(table) not in kinds
        columns = [r[1] for r in source_conn.execute(f"PRAGMA table_info([{table}])")]
        query = f"SELECT {', '.join(f'[{c}]' for c in columns if c not in ('province', 'city', 'district'))} FROM [{table}]"
        assert sorted(map(repr, conn.execute(query))) == sorted(map(repr, source_conn.execute(query))), table
    assert result_texts.TEXT_TABLE not in kinds
    conn.close()
    source_conn.close()
