"""A second reader's cases of a what-if's rows shown through from the run that stores them
(result_texts.SHOWN_THROUGH): the orders of deletion and re-running that tests/
test_whatif_dependency.py does not take, the texts a pruning must keep, and the browse copy
brought up to date after the base run was replaced."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from jijiao import annual, demo, publish, result_texts, storage
from jijiao.plugins import Registry

YEAR = 2026
AS_OF = date(2027, 3, 31)
FIRST = {"liaoning.annual_credits": "30"}
SECOND = {"liaoning.annual_credits": "30", "liaoning.teaching_credits_per_hour": "2"}


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shown") / "year.db"
    db = storage.connect(path)
    demo.build(db, 300, 3, YEAR)
    annual.assess(db, Registry(), YEAR, as_of=AS_OF, workers=1)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def path(demo_year, tmp_path) -> Path:
    copy = tmp_path / "jijiao.db"
    shutil.copy(demo_year, copy)
    return copy


def rows_of(db, run: int) -> dict[str, list]:
    """A run's rows of the shown-through tables as every reader sees them (the views), without the run id."""
    found = {}
    for table in result_texts.SHOWN_THROUGH:
        names = ", ".join(f"[{c}]" for c in annual.result_columns(Registry())[table] if c != "run")
        found[table] = sorted(db.execute(f"SELECT {names} FROM [{table}] WHERE run = ?", (run,)).fetchall(), key=repr)
    return found


def chain(db) -> tuple:
    """baseline <- first what-if <- second what-if (of the first)."""
    registry = Registry()
    first = annual.assess(db, registry, YEAR, settings=FIRST, as_of=AS_OF)
    second = annual.assess(db, registry, YEAR, settings=SECOND, as_of=AS_OF, base=first.name)
    assert db.execute("SELECT base FROM runs WHERE id = ?", (second.run,)).fetchone()[0] == first.run
    return first, second


def test_deleting_the_middle_of_a_chain_then_its_base_keeps_the_last_what_if(path):
    db = storage.connect(path)
    first, second = chain(db)
    # The second shows rows of both: the baseline's (one hop, past the first) and the first's own.
    holders = {h for (h,) in db.execute("SELECT holder FROM inherited_rows WHERE run = ?", (second.run,))}
    assert holders == {1, first.run}
    before = rows_of(db, second.run)
    with db.atomic():
        annual.delete_run(db, first.name, YEAR)  # the middle one first
    assert rows_of(db, second.run) == before
    assert {h for (h,) in db.execute("SELECT holder FROM inherited_rows WHERE run = ?", (second.run,))} == {1}
    with db.atomic():
        annual.delete_run(db, annual.BASELINE, YEAR)  # then its base
    assert rows_of(db, second.run) == before
    assert not db.execute("SELECT count(*) FROM inherited_rows").fetchone()[0]
    assert not db.execute("SELECT count(*) FROM run_holders").fetchone()[0]
    full = annual.assess(db, Registry(), YEAR, settings=SECOND, as_of=AS_OF, name="full", by_dependency=False)
    assert rows_of(db, second.run) == rows_of(db, full.run)
    db.close()


def test_two_what_ifs_of_one_base_keep_their_rows_when_it_and_then_the_heir_go(path):
    """The base's rows go to the earliest inheritor; the other then inherits them from it, and
    gets them in turn when that one is re-run."""
    db = storage.connect(path)
    registry = Registry()
    one = annual.assess(db, registry, YEAR, settings=FIRST, as_of=AS_OF)
    other = annual.assess(db, registry, YEAR, settings={"liaoning.teaching_credits_per_hour": "2"}, as_of=AS_OF)
    before = {run: rows_of(db, run) for run in (one.run, other.run)}
    annual.assess(db, registry, YEAR, as_of=AS_OF, workers=1)  # the baseline replaced
    assert {h for (h,) in db.execute("SELECT holder FROM inherited_rows WHERE run = ?", (other.run,))} == {one.run}
    again = annual.assess(db, registry, YEAR, settings=FIRST, as_of=AS_OF)  # the heir re-run (against the new baseline)
    assert again.run != one.run
    assert rows_of(db, other.run) == before[other.run]
    assert rows_of(db, again.run) == before[one.run]
    db.close()


def test_pruning_keeps_the_texts_of_rows_shown_through(path):
    """A text or step list only the handed-over (or inherited) rows use stays: prune reads the
    stored rows, and those rows are stored once, by their holder."""
    db = storage.connect(path)
    first, second = chain(db)
    before = {run: rows_of(db, run) for run in (first.run, second.run)}
    annual.assess(db, Registry(), YEAR, settings={"liaoning.annual_credits": "28"}, as_of=AS_OF, workers=1)
    with db.atomic():
        annual.delete_run(db, annual.BASELINE, YEAR)
        removed = result_texts.prune(db.conn)
    assert removed > 0  # (the baseline's own texts of the years both what-ifs judged again)
    for run, rows in before.items():
        assert rows_of(db, run) == rows, run
    db.close()


def copies_around_a_replaced_base(path: Path, tmp_path: Path) -> tuple[Path, Path, int]:
    """A copy made while a what-if showed the baseline's rows, brought up to date after the
    baseline was replaced (its rows handed to the what-if); and a fresh copy of the same source."""
    def touched():
        later = os.stat(path).st_mtime + 2
        os.utime(path, (later, later))

    db = storage.connect(path)
    what_if = annual.assess(db, Registry(), YEAR, settings=FIRST, as_of=AS_OF)
    db.close()
    touched()
    publish.update_browse_copy(path)
    db = storage.connect(path)
    annual.assess(db, Registry(), YEAR, as_of=AS_OF, workers=1)
    db.close()
    touched()
    copy, _built, update = publish.update_browse_copy(path)
    assert not update.fresh and update.runs_removed == (1,)
    fresh, _built, _update = publish.update_browse_copy(path, tmp_path / "fresh.db", force=True)
    return copy, fresh, what_if.run


def shown_rows(copy_path: Path, with_rowid: bool) -> dict[str, list]:
    conn = sqlite3.connect(f"file:{copy_path}?mode=ro", uri=True)
    try:
        return {t: sorted(conn.execute(f"SELECT {'rowid, ' if with_rowid else ''}* FROM [{t}]").fetchall(), key=repr)
                for t in result_texts.SHOWN_THROUGH}
    finally:
        conn.close()


def test_the_browse_copy_updated_after_the_base_was_replaced_has_every_row(path, tmp_path):
    copy, fresh, what_if = copies_around_a_replaced_base(path, tmp_path)
    assert shown_rows(copy, False) == shown_rows(fresh, False)
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM credit_awards WHERE run = ?", (what_if,)).fetchone()[0] > 0
    conn.close()


def test_the_browse_copy_updated_after_the_base_was_replaced_keeps_the_fresh_copys_rowids(path, tmp_path):
    """A row page's address does not move when the row is handed over: the updated copy kept the
    what-if's rows under the rowids it gave them while they were inherited, and a fresh copy
    (the row now stored by the what-if) gives them the same."""
    copy, fresh, _what_if = copies_around_a_replaced_base(path, tmp_path)
    assert shown_rows(copy, True) == shown_rows(fresh, True)
