"""Explanations as data: the result tables' repeated texts stored once, every row read back as written.

The reference is what the rules produce: `annual.write_year` builds every practitioner's rows
with their full texts (the form the tables stored before); the views must give those rows back
exactly, column by column, for a whole demo run.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import types
from collections import Counter
from datetime import date

import pytest

from jijiao import annual, demo, engine, publish, result_texts, storage
from jijiao.models import Composed, numbered_steps
from jijiao.plugins import Registry, RuleContext

YEAR = 2026
AS_OF = date(YEAR, 12, 1)


@pytest.fixture(scope="module")
def registry():
    return Registry()


@pytest.fixture(scope="module")
def assessed(tmp_path_factory, registry):
    path = tmp_path_factory.mktemp("texts") / "year.db"
    db = storage.connect(path, registry)
    demo.build(db, 1500, 7, YEAR)
    annual.assess(db, registry, YEAR, as_of=AS_OF, workers=1)
    annual.assess(db, registry, YEAR, settings={"liaoning.annual_credits": "30"}, as_of=AS_OF, workers=1)
    db.close()
    return path


class Rows:
    """A writer that keeps the rows `annual.write_year` makes, texts and all."""

    def __init__(self, registry):
        self.categories = list(registry.categories.values())
        self.rows: dict[str, list[tuple]] = {}

    def add(self, table: str, row: tuple) -> None:
        self.rows.setdefault(table, []).append(row)


def reference_rows(db, registry, run: int, settings: dict) -> dict[str, list[tuple]]:
    """Every practitioner's rows as the rules make them (before any storage form)."""
    ctx = RuleContext.with_overrides(registry, settings, year=YEAR, as_of=AS_OF)
    out = Rows(registry)
    for practitioner, activities in storage.practitioner_years(db, YEAR):
        annual.write_year(out, run, practitioner, activities, engine.assess_year(ctx, practitioner, activities, YEAR))
    return out.rows


@pytest.mark.parametrize("name, settings", [("baseline", {}), ("liaoning.annual_credits=30", {"liaoning.annual_credits": "30"})])
def test_every_stored_row_reads_back_as_the_rules_wrote_it(assessed, registry, name, settings):
    db = storage.connect(assessed, registry)
    run = annual.find_run(db, name, YEAR)["id"]
    expected = reference_rows(db, registry, run, settings)
    columns = annual.result_columns(registry)
    for table, rows in expected.items():
        names = ", ".join(f"[{c}]" for c in columns[table])
        where = " AND subject_kind = 'practitioner'" if table == "findings" else ""  # projects' findings: below
        stored = db.execute(f"SELECT {names} FROM [{table}] WHERE run = ?{where}", (run,)).fetchall()
        assert Counter(stored) == Counter(rows), table
    assert sum(len(r) for r in expected.values()) > 10_000  # a real year (1,500 people), not a handful of rows
    awards = db.execute("SELECT explanation FROM credit_awards WHERE run = ? LIMIT 1", (run,)).fetchone()[0]
    assert awards.startswith("1. ")


def copy_database(source, target) -> None:
    """A copy with whatever the source's WAL holds (another test may still have it open)."""
    with sqlite3.connect(source) as conn, sqlite3.connect(target) as out:
        conn.backup(out)


def test_every_text_id_names_a_text(assessed):
    conn = sqlite3.connect(assessed)
    for table, columns in result_texts.INTERNED.items():
        for column in columns:
            names = "result_step_lists" if (table, column) in result_texts.STEPPED else "result_texts"
            dangling = conn.execute(
                f"SELECT count(*) FROM [{result_texts.stored_table(table)}] s WHERE s.[{column}] IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM [{names}] t WHERE t.id = s.[{column}])").fetchone()[0]
            assert dangling == 0, (table, column)
            # and the stored form holds ids, not texts
            assert conn.execute(f"SELECT count(*) FROM [{result_texts.stored_table(table)}] "
                                f"WHERE typeof([{column}]) = 'text'").fetchone()[0] == 0, (table, column)
    steps = "SELECT j.value FROM result_step_lists l, json_tree(l.steps) j WHERE j.type != 'array'"  # composed lines' pieces too
    assert conn.execute(f"SELECT count(*) FROM ({steps}) WHERE value NOT IN (SELECT id FROM result_texts)").fetchone()[0] == 0


def test_a_run_stores_each_text_once_and_its_rows_hold_small_ids(assessed):
    conn = sqlite3.connect(assessed)
    texts = conn.execute("SELECT count(*), max(id) FROM result_texts").fetchone()
    awards = conn.execute("SELECT count(*) FROM credit_awards_stored").fetchone()[0]
    assert texts[0] == texts[1] and texts[0] < awards / 5  # two runs' worth of awards share a few thousand texts
    distinct = conn.execute("SELECT count(DISTINCT explanation) FROM credit_awards").fetchone()[0]
    assert distinct == conn.execute("SELECT count(DISTINCT explanation) FROM credit_awards_stored").fetchone()[0]


def test_the_views_have_the_stored_tables_columns_in_their_order(assessed, registry):
    conn = sqlite3.connect(assessed)
    for table, columns in annual.result_columns(registry).items():
        shown = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
        assert set(shown) == set(columns), table
        assert shown == [r[1] for r in conn.execute(f"PRAGMA table_info([{result_texts.stored_table(table)}])")], table


def test_a_database_written_before_keeps_every_row_and_text(tmp_path, registry, assessed, monkeypatch):
    """A file made before this storage form (plain text columns) is converted when opened: the
    same rows, in the same order, the same texts, its indexes on the stored tables."""
    source = storage.connect(assessed, registry)
    before = {table: source.execute(f"SELECT * FROM [{table}]").fetchall() for table in result_texts.INTERNED}
    columns = {table: [r[1] for r in source.execute(f"PRAGMA table_info([{table}])")] for table in result_texts.INTERNED}
    path = tmp_path / "old.db"
    with monkeypatch.context() as patched:  # the schema as it was: migrations up to m010
        patched.setattr(storage, "MIGRATIONS", [m for m in storage.MIGRATIONS
                                                if m not in (storage.m011_result_texts, storage.m016_composed_texts)])
        old = storage.connect(path, registry)
        for code in storage.category_columns(registry):  # as add_category_columns did on the plain table
            old["annual_results"].add_column(code, float)
        assert old["credit_awards"].exists() and "credit_awards" in old.table_names()
        runs = source.execute("SELECT id, name, year FROM runs").fetchall()  # (whose rows the views show)
        with old.atomic():
            old.conn.executemany("INSERT INTO runs (id, name, year) VALUES (?, ?, ?)", runs)
            for table, rows in before.items():
                old.conn.executemany(storage.insert_sql(table, columns[table]), rows)
        old.close()
    db = storage.connect(path, registry)  # m011 converts
    assert "m011_result_texts" in {r["name"] for r in db["schema_migrations"].rows}
    for table, rows in before.items():
        assert table in db.view_names()
        assert db.execute(f"SELECT * FROM [{table}]").fetchall() == rows, table
    indexes = {r[0]: r[1] for r in db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")}
    assert indexes["idx_credit_awards_run_practitioner"] == "credit_awards_stored"
    assert indexes["idx_findings_run_subject"] == "findings_stored"


def test_a_database_written_before_cap_texts_were_stored_keeps_its_caps(tmp_path, registry, assessed, monkeypatch):
    """A file whose cap_applications is still a plain table and whose caps_applied are whole
    texts (before m016) gets both stored as step lists when opened: the same rows, in the same
    order, the same texts."""
    source = storage.connect(assessed, registry)
    before = source.execute("SELECT * FROM cap_applications").fetchall()
    results = source.execute("SELECT * FROM annual_results").fetchall()
    result_columns = [r[1] for r in source.execute("PRAGMA table_info(annual_results)")]
    path = tmp_path / "old.db"
    with monkeypatch.context() as patched:
        patched.setattr(storage, "MIGRATIONS", [m for m in storage.MIGRATIONS if m is not storage.m016_composed_texts])
        old = storage.connect(path, registry)
        assert "cap_applications" in old.table_names() and "credit_awards" in old.view_names()
        columns = [r[1] for r in old.execute("PRAGMA table_info(cap_applications)")]
        storage.add_category_columns(old, registry)
        ids = result_texts.TextIds(old.conn)  # annual_results as m011 stored it: caps_applied a whole text's id
        positions = tuple((i, False) for i, c in enumerate(result_columns) if c in result_texts.INTERNED["annual_results"])
        with old.atomic():
            old.conn.executemany("INSERT INTO runs (id, name, year) VALUES (?, ?, ?)",
                                 source.execute("SELECT id, name, year FROM runs").fetchall())
            old.conn.executemany(storage.insert_sql("cap_applications", columns), before)
            old.conn.executemany(storage.insert_sql("annual_results_stored", result_columns),
                                 [result_texts.intern_row(row, positions, ids) for row in results])
        old.close()
    db = storage.connect(path, registry)
    assert "cap_applications" in db.view_names() and db["cap_applications_stored"].exists()
    assert db.execute("SELECT * FROM cap_applications").fetchall() == before and len(before) > 20
    assert db.execute("SELECT * FROM annual_results").fetchall() == results
    # each caps_applied now a list of one line, its old text (an old text's pieces are not known: new runs compose)
    lists = db.execute("SELECT l.steps FROM annual_results_stored a JOIN result_step_lists l ON l.id = a.caps_applied").fetchall()
    assert len(lists) == len(results) and all(len(json.loads(steps)) == 1 for (steps,) in lists)


def test_an_explanation_is_its_steps_and_texts_are_found_by_hash_not_by_a_copy_of_themselves(tmp_path, registry):
    db = storage.connect(tmp_path / "t.db", registry)
    ids = result_texts.TextIds(db.conn)
    first, again = ids.steps("1. 甲\n2. 乙"), ids.steps("1. 甲\n2. 乙")
    other = ids.steps("1. 甲\n2. 丙\n")  # shares its first step; the trailing empty line is kept
    assert first == again != other
    assert db.execute("SELECT count(*) FROM result_texts").fetchone()[0] == 4  # 1. 甲, 2. 乙, 2. 丙, ''
    fresh = result_texts.TextIds(db.conn)  # a new writer finds what an earlier one stored
    assert fresh.steps("1. 甲\n2. 乙") == first and fresh.text("2. 丙") == ids.text("2. 丙")
    # two texts with one hash stay two texts (the text itself is compared)
    db.execute("INSERT INTO result_texts (key, text) VALUES (?, ?)", (result_texts.text_key("丁"), "not 丁"))
    assert result_texts.TextIds(db.conn).text("丁") != db.execute("SELECT id FROM result_texts WHERE text = 'not 丁'").fetchone()[0]
    # no index holds the texts themselves
    indexed = db.execute("SELECT group_concat(sql) FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'result_%'").fetchone()[0]
    assert "(key)" in indexed and "text" not in indexed.replace("result_texts", "")


def test_a_composed_line_is_stored_as_its_pieces_and_reads_back_whole(tmp_path, registry):
    """A step the rule composed (the records of one project, then the wording) is stored as its
    pieces' ids; the records' piece is stored once for every step and cap naming it, and the
    text reads back exactly as the plain text would."""
    db = storage.connect(tmp_path / "t.db", registry)
    ids = result_texts.TextIds(db.conn)
    records = "项目 P1当年 2 条记录（A1、A2）"
    first = Composed(records, "合计 12 学分，……本项 6 学分全数计入")
    second = Composed(records, "合计 12 学分，……本项由 6 学分计为 4 学分")
    explanations = [numbered_steps(("甲", first)), numbered_steps(("甲", "乙\n丙", second, ""))]
    cap = Composed("每个面授项目最多 10 学分：", records)
    listed = [ids.steps(text) for text in (*explanations, cap)]
    lists = [json.loads(db.execute("SELECT steps FROM result_step_lists WHERE id = ?", (i,)).fetchone()[0]) for i in listed]
    record_id = ids.text(records)
    assert lists[0][0] == ids.text("1. 甲") and lists[0][1] == [ids.text("2. "), record_id, ids.text(first.pieces[1])]
    assert lists[1][-2][1] == record_id and lists[2] == [[ids.text(cap.pieces[0]), record_id]]
    assert db.execute("SELECT count(*) FROM result_texts WHERE text = ?", (records,)).fetchone()[0] == 1
    for list_id, text in zip(listed, (*explanations, cap)):
        read = db.execute(f"SELECT {result_texts.step_list_text('?')}", (list_id,)).fetchone()[0]
        assert read == str(text) == text.replace("", "")  # the whole text, as a plain str has it
    assert explanations[1] == "1. 甲\n2. 乙\n丙\n3. " + second + "\n4. "  # numbered as a plain explanation is
    assert numbered_steps(("甲", "乙")) == "1. 甲\n2. 乙" and not isinstance(numbered_steps(("甲",)), Composed)


def test_a_composed_text_keeps_its_pieces_through_a_worker(tmp_path):
    """A composed text pickled and back keeps its pieces (a worker process writes its own
    partition's rows and sends back only counts, so no award crosses processes today; a
    Composed that did would still be stored as its pieces)."""
    text = Composed("项目 P1当年 2 条记录（A1、A2）", "合计 12 学分")
    again = pickle.loads(pickle.dumps(text))
    assert again == text and again.pieces == text.pieces and isinstance(again, Composed)


def test_the_demo_year_stores_each_projects_records_once_for_its_steps_and_cap(assessed):
    """On a demo year: 辽宁's ceiling across one project's records stores the piece naming the
    records once, shared by the records' steps and the cap that cut them (no whole line per record)."""
    conn = sqlite3.connect(assessed)
    composed = conn.execute("SELECT count(*) FROM result_step_lists WHERE instr(steps, ',[') OR instr(steps, '[[')").fetchone()[0]
    assert composed > 50
    stored, steps = conn.execute("SELECT s.cap, l.steps FROM cap_applications_stored s JOIN result_step_lists l "
                                 "ON l.id = s.cap WHERE l.steps LIKE '[[%' LIMIT 1").fetchone()
    cap = conn.execute(f"SELECT {result_texts.step_list_text('?')}", (stored,)).fetchone()[0]
    assert conn.execute("SELECT count(*) FROM cap_applications WHERE cap = ?", (cap,)).fetchone()[0] >= 1
    pieces = json.loads(steps)[0]
    records = conn.execute("SELECT text FROM result_texts WHERE id = ?", (pieces[1],)).fetchone()[0]
    assert cap.endswith(records) and "条记录（" in records
    naming = conn.execute("SELECT count(*) FROM credit_awards WHERE instr(explanation, ?)", (records,)).fetchone()[0]
    assert naming >= 2 and conn.execute("SELECT count(*) FROM result_texts WHERE instr(text, ?)", (records,)).fetchone()[0] == 1


def test_a_writer_forgetting_texts_past_its_cache_limit_still_finds_them(tmp_path, registry, monkeypatch):
    monkeypatch.setattr(result_texts, "CACHE_LIMIT", 3)
    db = storage.connect(tmp_path / "t.db", registry)
    ids = result_texts.TextIds(db.conn)
    first = [ids.steps(f"1. 第 {n} 项\n2. 共同的一步") for n in range(10)]
    assert len(ids.texts) <= 3 and len(ids.explanations) <= 3
    assert [ids.steps(f"1. 第 {n} 项\n2. 共同的一步") for n in range(10)] == first
    assert db.execute("SELECT count(*) FROM result_texts").fetchone()[0] == 11  # each text once


def test_a_category_declared_later_gets_its_column_in_the_view(tmp_path, registry):
    db = storage.connect(tmp_path / "t.db", registry)
    storage.add_category_columns(db, types.SimpleNamespace(categories={"extra_hours": None}))
    assert "extra_hours" in db["annual_results_stored"].columns_dict
    assert [r[1] for r in db.execute("PRAGMA table_info(annual_results)")][-1] == "extra_hours"


def test_texts_no_run_uses_are_pruned_and_the_rest_still_read(tmp_path, registry, assessed):
    path = tmp_path / "copy.db"
    copy_database(assessed, path)
    db = storage.connect(path, registry)
    baseline = db.execute("SELECT * FROM credit_awards WHERE run = 1").fetchall()
    with db.atomic():
        annual.delete_run(db, "liaoning.annual_credits=30", YEAR)
        removed = result_texts.prune(db.conn)
    assert removed > 0  # the what-if's own texts (its reasons say 30 学分)
    assert db.execute("SELECT * FROM credit_awards WHERE run = 1").fetchall() == baseline
    assert result_texts.prune(db.conn) == 0


def test_the_browse_copy_serves_tables_with_the_texts_in_place(tmp_path, assessed):
    source = tmp_path / "served.db"
    copy_database(assessed, source)
    copy, built = publish.build_browse_copy(source)
    assert built
    served, stored = sqlite3.connect(copy), sqlite3.connect(source)
    for table in result_texts.INTERNED:
        assert served.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone() == ("table",)
        rows = stored.execute(f"SELECT * FROM [{table}]").fetchall()
        names = ", ".join(f"[{r[1]}]" for r in stored.execute(f"PRAGMA table_info([{table}])"))
        assert sorted(served.execute(f"SELECT {names} FROM [{table}]").fetchall(), key=repr) == sorted(rows, key=repr), table
        # the stored rows' rowids: a row page's address does not move between copies; a row of a
        # table shown through has the stored row's moved past them by the run it is shown for, its
        # own or inherited alike (so it keeps it when the row is handed over, test_shown_through)
        stored_ids = stored.execute(f"SELECT rowid, run FROM [{result_texts.stored_table(table)}] ORDER BY rowid").fetchall()
        if table not in result_texts.SHOWN_THROUGH:
            assert served.execute(f"SELECT rowid, run FROM [{table}] ORDER BY rowid").fetchall() == stored_ids, table
            continue
        shift = result_texts.INHERITED_ROWID_SHIFT
        served_ids = served.execute(f"SELECT rowid >> {shift}, run, rowid % (1 << {shift}) FROM [{table}]").fetchall()
        assert all(shown_for == run for shown_for, run, _rowid in served_ids), table
        holder_of = dict(stored_ids)
        own = [(rowid, run) for _s, run, rowid in served_ids if holder_of[rowid] == run]
        assert sorted(own) == stored_ids, table
        assert len(served_ids) - len(own) == result_texts.inherited_rows(stored, 2, table) > 0, table
    assert not served.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_stored' OR name = 'result_texts'").fetchall()
