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
            assert annual.texts_json.__wrapped__(chosen) == annual.as_json(chosen), chosen


def test_composed_steps_and_lists_read_back_as_the_plain_text():
    """Numbered steps and lists of texts, composed or not, stored as step lists read back
    through step_list_text as the plain text would."""
    conn = sqlite3.connect(":memory:")
    result_texts.create_text_table(conn)
    ids = result_texts.TextIds(conn)
    for steps in itertools.product(PLAIN + COMPOSED, repeat=2):
        plain = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
        for text, expected in ((numbered_steps(steps), plain), (annual.texts_json.__wrapped__(steps), annual.as_json(steps))):
            assert text == expected, steps
            read = conn.execute(f"SELECT {result_texts.step_list_text('?')}", (ids.steps(text),)).fetchone()[0]
            assert read == expected, steps
