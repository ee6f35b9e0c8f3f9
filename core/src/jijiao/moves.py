"""How the verdicts moved when the rules changed: the same records judged before and now.

`jijiao compare` compares two runs of one database (a what-if beside its baseline). When the
rules themselves change -- absent facts read as unknown instead of done, a year judged only by
the rules in force, a level with no plugin no longer passing on the national rules alone -- the
run under the earlier rules lives in a database an earlier version wrote (an office's file of
last month, /work/baseline/demo.db for the demo). `rejudge` copies that database (the original
is only read), judges the same records again with the installed rules, and `verdict_moves`
says how many verdicts moved from what to what in each jurisdiction, and why: the deciding
reason of the new result (`AnnualResult.reason`), grouped by its opening words. ``jijiao
moves`` and ``jijiao demo --against`` print it. Comparing the same records matters: a newer
demo draws a different population, so its ids are other people.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import attrs

from . import annual, storage
from .plugins import Registry, RuleContext

REASONS_SHOWN = 3  # the most common reasons of each move
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@attrs.frozen
class Move:
    jurisdiction: str
    before: str
    after: str
    count: int
    reasons: tuple[tuple[str, int], ...]  # (the new deciding reason, numbers as N; practitioners)
    awards: tuple[tuple[str, int], ...] = ()  # (how their activities' awards changed, and the step saying why; awards)


@attrs.frozen
class Moves:
    earlier: str
    earlier_run: dict
    run: dict
    compared: int  # practitioners in both runs
    moves: tuple[Move, ...]
    only_earlier: int = 0
    only_here: int = 0

    @property
    def moved(self) -> int:
        return sum(m.count for m in self.moves)

    def lines(self, registry: Registry) -> list[str]:
        lines = [
            f"结论的变化：对比 {self.earlier} 的运行 #{self.earlier_run['id']}「{self.earlier_run['name']}」"
            f"（{self.earlier_run['year']} 年度），{self.compared} 人中 {self.moved} 人的结论不同"
            + (f"（另有 {self.only_earlier} 人只在原数据库中、{self.only_here} 人只在本数据库中）"
               if self.only_earlier or self.only_here else "")
        ]
        for move in self.moves:
            lines.append(f"  {registry.name_of(move.jurisdiction)}（{move.jurisdiction}）：{move.before}→{move.after} {move.count} 人")
            lines += [f"      {n} 人：{reason}" for reason, n in move.reasons]
            lines += [f"      其中 {n} 项活动 {change}" for change, n in move.awards]
        return lines


def reason_head(reason: str | None) -> str:
    """A reason with its numbers as N (they differ person by person; the words say why), cut
    at 70 characters: the reasons that move the same way group together."""
    text = _NUMBER.sub("N", (reason or "（未记录理由）").strip())
    return text if len(text) <= 70 else text[:70] + "……"


def _latest_run(conn: sqlite3.Connection, name: str, year: int | None, where: str) -> dict:
    sql = "SELECT * FROM runs WHERE name = ? AND status = 'complete'" + (" AND year = ?" if year else "") + " ORDER BY year DESC, id DESC"
    conn.row_factory = sqlite3.Row
    row = conn.execute(sql, (name, year) if year else (name,)).fetchone()
    conn.row_factory = None
    if row is None:
        raise LookupError(f"{where}: no complete run named {name!r}{f' for {year}' if year else ''}")
    return dict(row)


def verdict_moves(before: sqlite3.Connection, before_run: dict, here: sqlite3.Connection, run: dict,
                  where: str) -> Moves:
    """How ``run`` (of ``here``) moved against ``before_run`` (of ``before``), by practitioner."""
    old = dict(before.execute("SELECT practitioner, verdict FROM annual_results WHERE run = ?", (before_run["id"],)))
    counts: Counter = Counter()
    reasons: dict[tuple, Counter] = {}
    compared = 0
    seen = set()
    moved: dict[tuple, list[str]] = {}
    for practitioner, jurisdiction, verdict, reason in here.execute(
            "SELECT practitioner, jurisdiction, verdict, reason FROM annual_results WHERE run = ?", (run["id"],)):
        seen.add(practitioner)
        was = old.get(practitioner)
        if was is None:
            continue
        compared += 1
        if was != verdict:
            key = (jurisdiction, was, verdict)
            counts[key] += 1
            moved.setdefault(key, []).append(practitioner)
            reasons.setdefault(key, Counter())[reason_head(reason)] += 1
    changed = award_changes(before, before_run, here, run, moved) if before is here else {}
    moves = tuple(
        Move(j, b, a, n, tuple(reasons[(j, b, a)].most_common(REASONS_SHOWN)),
             tuple(sum((changed.get(p, Counter()) for p in moved.get((j, b, a), ())), Counter()).most_common(REASONS_SHOWN)))
        for (j, b, a), n in sorted(counts.items())
    )
    return Moves(where, before_run, run, compared, moves,
                 only_earlier=len(set(old) - seen), only_here=len(seen - set(old)))


def award_changes(before: sqlite3.Connection, before_run: dict, here: sqlite3.Connection, run: dict,
                  moved: dict) -> dict[str, Counter]:
    """For the practitioners whose verdict moved, how their activities' awards changed between
    the two runs of one database: "授予 → 待审核：<the last step of the new explanation>" (the
    step that decided it, numbers as N), counted per practitioner."""
    people = {p for group in moved.values() for p in group}
    found: dict[str, Counter] = {}
    for practitioner, was, now, explanation in here.execute(
            """SELECT n.practitioner, o.status, n.status, n.explanation FROM credit_awards n
               JOIN credit_awards o ON o.run = ? AND o.activity = n.activity AND o.practitioner = n.practitioner
               WHERE n.run = ? AND (o.status <> n.status OR o.credits <> n.credits)""", (before_run["id"], run["id"])):
        if practitioner in people:
            last = (explanation or "").strip().splitlines()[-1:] or [""]
            step = re.sub(r"^\d+\.\s*", "", last[0])
            found.setdefault(practitioner, Counter())[f"{was}→{now}：{reason_head(step)}"] += 1
    return found


def rejudge(earlier: str | Path, copy: str | Path, registry: Registry, name: str = annual.BASELINE,
            year: int | None = None, progress=None) -> Moves:
    """Judge the records of ``earlier`` again with the installed rules, in ``copy`` (replaced;
    ``earlier`` is only read), and say how run ``name`` (of ``year``, else its latest) moved."""
    earlier, copy = Path(earlier), Path(copy)
    if not earlier.is_file():
        raise LookupError(f"{earlier}: no such database")
    if copy.resolve() == earlier.resolve():
        raise LookupError(f"{copy}: the copy must not be the earlier database itself")
    for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        stale.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{earlier.resolve()}?mode=ro", uri=True)
    try:
        source.backup(target := sqlite3.connect(copy))  # a consistent copy, even of a WAL database
        target.close()
    except sqlite3.DatabaseError as error:
        raise LookupError(f"{earlier}: not a jijiao database ({error})") from None
    finally:
        source.close()
    db = storage.connect(copy, registry)
    before_run = _latest_run(db.conn, name, year, str(earlier))
    # A what-if is judged again with its own settings: only the rules are to differ.
    settings = json.loads(before_run.get("overrides") or "{}")
    try:
        RuleContext.with_overrides(registry, settings)
    except ValueError as error:  # a setting the installed plugins no longer have
        raise LookupError(f"{earlier}: 运行「{name}」的参数调整无法按现行规则使用（{error}）") from None
    now = annual.assess(db, registry, before_run["year"], name=f"{name}（现行规则）", settings=settings,
                        progress=progress)
    run = _latest_run(db.conn, now.name, now.year, str(copy))
    return verdict_moves(db.conn, before_run, db.conn, run, str(earlier))
