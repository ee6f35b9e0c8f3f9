"""A composed text (`models.Composed`) is the plain text to everyone who reads it: the second
reader's checks of 047e3f1, for the writers' helpers that keep its pieces apart."""

from __future__ import annotations

import itertools
import sqlite3

from jijiao import annual, result_texts
from jijiao.models import Composed, numbered_steps

# Texts with what JSON escapes, newlines (a line break inside a piece) and empty pieces.
PLAIN = ("", "项目 P1当年 2 条记录（A1、A2）", 'a"b\\c', "甲\n乙", "\t")
COMPOSED = (Composed(), Composed(""), Composed("项目 P1当年 2 条记录（A1、A2）", "合计 12 学分"),
            Composed("每个面授项目最多 10 学分：", "项目 P1（“甲”）"), Composed("甲\n", "", "乙"))


def test_a_list_of_texts_is_the_same_json_whether_or_not_a_text_is_composed():
    """annual.texts_json (the caps applied) composes the JSON list from its texts' pieces: the
    same text as json.dumps of the plain texts, for any texts -- a composed text of no pieces
    (the empty text) too, which used to drop out of the list with the comma before it."""
    for texts in itertools.product(PLAIN + COMPOSED, repeat=3):
        for length in range(1, 4):
            chosen = texts[:length]
            assert annual.texts_json(chosen) == annual.as_json(chosen), chosen


def test_composed_steps_and_lists_read_back_as_the_plain_text():
    """Numbered steps and lists of texts, composed or not, stored as step lists read back
    through step_list_text as the plain text would."""
    conn = sqlite3.connect(":memory:")
    result_texts.create_text_table(conn)
    ids = result_texts.TextIds(conn)
    for steps in itertools.product(PLAIN + COMPOSED, repeat=2):
        plain = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
        for text, expected in ((numbered_steps(steps), plain), (annual.texts_json(steps), annual.as_json(steps))):
            assert text == expected, steps
            read = conn.execute(f"SELECT {result_texts.step_list_text('?')}", (ids.steps(text),)).fetchone()[0]
            assert read == expected, steps


def test_the_browse_copy_links_the_caps_to_their_run_and_practitioner_as_before(tmp_path):
    """cap_applications was a plain table with foreign keys to runs and practitioners, so its
    page in the browse copy showed each cap's run by name and its practitioner with a name; read
    through a view since m016, the copy's table (result_texts.materialized_sql) declares the
    links again, as it does the clause's."""
    from jijiao import demo, publish, storage
    from jijiao.plugins import Registry

    registry = Registry()
    source = tmp_path / "year.db"
    db = storage.connect(source, registry)
    demo.build(db, 600, 7, 2026)
    annual.assess(db, registry, 2026, workers=1)
    db.close()
    copy, _built = publish.build_browse_copy(source)
    served = sqlite3.connect(copy)
    assert served.execute("SELECT count(*) FROM cap_applications").fetchone()[0] > 0
    links = {(r[3], r[2], r[4]) for r in served.execute("PRAGMA foreign_key_list(cap_applications)")}
    assert {("run", "runs", "id"), ("practitioner", "practitioners", "id"), ("clause", "clauses", "id")} <= links
