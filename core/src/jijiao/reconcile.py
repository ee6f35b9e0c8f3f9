"""Reconciling an import with what its source loaded before.

Every input row belongs to one *source*: the file it came from (its path as given on the
command line), or a name the office gives with ``jijiao import --source NAME`` -- for a
corrected file saved under a new name, or a unit's monthly returns. A new version of a source
replaces its rows:

- a row whose id is new is **added**;
- a row the source loaded before is **changed** when any value differs (the earlier values are
  kept in ``import_changes.before``), and left as it is otherwise;
- a row the source loaded before and that is not in the new version is **withdrawn**: kept,
  marked ``withdrawn = 1`` with the time, and no longer read by ``assess``
  (`storage.practitioner_years`, `storage.projects`); it comes back (**restored**) if a later
  version has it again;
- a row whose new version is refused (a bad row in the corrected file) is **kept** as it was,
  not withdrawn: a typing slip in the correction must not silently cost a practitioner credits;
- an id that another source owns (and has not withdrawn) is a **conflict**: refused, reported
  with both sources, never overwritten. An id another source withdrew may be taken over.

Withdrawal is per source and per kind: importing the practitioners of ``a.csv`` never touches
its activities. A file that cannot be read at all changes nothing.

Rows loaded before this scheme (and the demo's) belong to their ``source_file``.
"""

from __future__ import annotations

import json
from typing import Iterable, Sequence

import attrs
import sqlite_utils

from . import storage

CHANGES = ("added", "changed", "withdrawn", "restored", "conflict", "kept")
CHANGE_WORDS = {"added": "新增", "changed": "修改", "withdrawn": "撤回", "restored": "恢复", "conflict": "冲突", "kept": "保留"}
SAMPLES = 5  # ids shown per kind of change in the printed difference


@attrs.define
class Difference:
    """What an import did to its source's rows, with a few ids of each change for the summary."""

    counts: dict = attrs.field(factory=lambda: dict.fromkeys(CHANGES, 0))
    samples: dict = attrs.field(factory=lambda: {c: [] for c in CHANGES})

    def note(self, change: str, record: str) -> None:
        self.counts[change] += 1
        if len(self.samples[change]) < SAMPLES:
            self.samples[change].append(record)

    def line(self) -> str:
        """``差异：新增 1，修改 0，撤回 1（A0O2）`` -- zero counts of the rarer changes left out."""
        parts = []
        for change in CHANGES:
            count = self.counts[change]
            if count == 0 and change in ("restored", "conflict", "kept"):
                continue
            shown = self.samples[change]
            more = "…" if count > len(shown) else ""
            parts.append(f"{CHANGE_WORDS[change]} {count}" + (f"（{'、'.join(shown)}{more}）" if shown else ""))
        return "差异：" + "，".join(parts)


CHANGE_COLUMNS = ["batch", "source", "kind", "record", "change", "row", "fields", "before", "other_source", "changed_at"]
RECONCILED_COLUMNS = ["source", "withdrawn", "withdrawn_at"]


class Reconciler:
    """Writes one file's good rows into ``table`` as the new version of ``source``.

    `write` takes a chunk of (id, row number, encoded values) and returns the rows refused:
    (row number, field, reason) for a duplicate id within the file or a conflict with another
    source. `keep` protects the id of a refused row from withdrawal. `finish` withdraws what the
    new version no longer has. Call everything inside the import's transaction.
    """

    def __init__(self, db: sqlite_utils.Database, table: str, source: str, batch: str, when: str):
        self.db, self.table, self.source, self.batch, self.when = db, table, source, batch, when
        self.names = storage.codec(db, table).names
        self.difference = Difference()
        columns = self.names + list(storage.PROVENANCE) + RECONCILED_COLUMNS
        self.upsert = storage.upsert_sql(table, columns)
        self.change_sql = storage.insert_sql("import_changes", CHANGE_COLUMNS)
        db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS reconcile_kept (id TEXT PRIMARY KEY)")
        db.conn.execute("DELETE FROM reconcile_kept")

    def earlier(self, ids: Sequence[str]) -> dict[str, tuple]:
        """The stored rows of these ids: (batch, owner, withdrawn, source_row, values...)."""
        found = {}
        select = ", ".join(f"[{c}]" for c in self.names)
        for start in range(0, len(ids), 500):
            part = list(ids[start:start + 500])
            marks = ",".join("?" * len(part))
            for row in self.db.conn.execute(
                f"SELECT import_batch, coalesce(source, source_file), withdrawn, source_row, {select} "
                f"FROM [{self.table}] WHERE id IN ({marks})", part,
            ):
                found[row[4 + self.names.index("id")]] = row
        return found

    def write(self, chunk: Iterable[tuple[str, int, tuple]], file: str) -> list[tuple[int, str, str, str]]:
        """Upsert a chunk of good rows; returns the refused ones as (row, field, reason, id)."""
        chunk = list(chunk)
        stored = self.earlier([record_id for record_id, _n, _v in chunk])
        refused, rows, changes = [], [], []
        for record_id, number, values in chunk:
            before = stored.get(record_id)
            change, fields, old = "added", None, None
            if before is not None:
                batch, owner, withdrawn, earlier_row, *old_values = before
                if batch == self.batch:
                    refused.append((number, "id", f"duplicate id {record_id!r}: already in row {earlier_row} of this file", record_id))
                    continue
                if owner != self.source and not withdrawn:
                    reason = (f"id {record_id!r} already belongs to source {owner!r} (row {earlier_row}); "
                              f"refused from {self.source!r} -- correct the id, or withdraw it there first")
                    refused.append((number, "id", reason, record_id))
                    changes.append((self.batch, self.source, self.table, record_id, "conflict", number, None, None, owner, self.when))
                    self.difference.note("conflict", record_id)
                    continue
                differing = [n for n, a, b in zip(self.names, old_values, values) if a != b]
                if owner != self.source:  # taking over an id its old source withdrew
                    change = "added"
                elif withdrawn:
                    change = "restored"
                elif differing:
                    change = "changed"
                else:
                    change = None
                if differing and change is not None:
                    fields = json.dumps(differing)
                    old = json.dumps({n: old_values[self.names.index(n)] for n in differing}, ensure_ascii=False, default=str)
            rows.append((*values, self.batch, file, number, self.when, self.source, 0, None))
            if change is not None:
                changes.append((self.batch, self.source, self.table, record_id, change, number, fields, old, None, self.when))
                self.difference.note(change, record_id)
        self.db.conn.executemany(self.upsert, rows)
        self.db.conn.executemany(self.change_sql, changes)
        return refused

    def keep(self, record_ids: Iterable[str]) -> None:
        """Ids whose new version was refused: their earlier version stays (and is counted as kept)."""
        self.db.conn.executemany("INSERT OR IGNORE INTO reconcile_kept (id) VALUES (?)", ((i,) for i in record_ids))

    def finish(self) -> Difference:
        """Withdraw the source's rows that the new version does not have (nor kept)."""
        conn, table = self.db.conn, self.table
        owned = (f"coalesce(source, source_file) = ? AND withdrawn = 0 AND import_batch IS NOT ? "
                 f"AND id NOT IN (SELECT id FROM temp.reconcile_kept)")
        for (record_id,) in conn.execute(
            f"SELECT id FROM [{table}] WHERE coalesce(source, source_file) = ? AND withdrawn = 0 AND import_batch IS NOT ? "
            f"AND id IN (SELECT id FROM temp.reconcile_kept) ORDER BY id", (self.source, self.batch),
        ):
            self.difference.note("kept", record_id)
        conn.execute(
            f"INSERT INTO import_changes ({', '.join(CHANGE_COLUMNS)}) "
            f"SELECT ?, ?, ?, id, 'withdrawn', source_row, NULL, NULL, NULL, ? FROM [{table}] WHERE {owned} ORDER BY id",
            (self.batch, self.source, table, self.when, self.source, self.batch),
        )
        for (record_id,) in conn.execute(f"SELECT id FROM [{table}] WHERE {owned} ORDER BY id", (self.source, self.batch)):
            self.difference.note("withdrawn", record_id)
        conn.execute(
            f"UPDATE [{table}] SET withdrawn = 1, withdrawn_at = ? WHERE {owned}", (self.when, self.source, self.batch)
        )
        conn.execute("DELETE FROM reconcile_kept")
        return self.difference
