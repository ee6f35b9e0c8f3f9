"""Facets of one whole run, counted once when the copy took the run in.

A table page of one run (``/jijiao/credit_awards?run=1``) shows its default facets (metadata.
FACETS). Datasette counts a facet with a GROUP BY over the page's rows: one run's credit awards
are 8 million rows in a province, seconds per facet. The browse copy counts each default facet
of each run table once, as it copies the run (summaries.build_facet_counts: ``facet_counts``),
and `CountedFacet` reads those counts when the page shows the whole run, no other filter. Any
other page (a filter, a search, ``_where``) is counted by Datasette's own way, over its rows.
"""

from __future__ import annotations

from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

TYPE = "jijiao_counted"

NOT_FILTERS = {"_size", "_next", "_sort", "_sort_desc", "_facet", "_labels", "_nolabels", "_nocount", "_nofacet",
               "_col", "_nocol", "_shape", "_json", "_trace", "_stream", "_dl", "_nl"}
"""Query-string keys that change how a page shows its rows, not which rows it has."""


def whole_run(pairs: list[tuple[str, str]]) -> int | None:
    """The run a page shows whole (its only filter is ``run``), or None."""
    filters = [(k, v) for k, v in pairs if k not in NOT_FILTERS and not k.startswith("_facet")]
    if len(filters) == 1 and filters[0][0] in ("run", "run__exact") and filters[0][1].isdigit():
        return int(filters[0][1])
    return None


class CountedFacet(ColumnFacet):
    """A column facet that reads ``facet_counts`` on a page of one whole run."""

    type = TYPE

    async def facet_results(self):
        run = whole_run(self.get_querystring_pairs())
        db = self.ds.get_database(self.database)
        if run is None or not self.table or not await db.table_exists("facet_counts"):
            return await super().facet_results()  # Datasette's GROUP BY over this page's rows
        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        results = []
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            rows = (await db.execute(
                "SELECT value, rows AS count FROM facet_counts WHERE run = ? AND table_name = ? AND column_name = ? "
                "AND value IS NOT NULL ORDER BY rows DESC, value LIMIT ?", [run, self.table, column, size + 1])).rows
            values = [r["value"] for r in rows[:size]]
            expanded = await self.ds.expand_foreign_keys(self.database, self.table, column, values)
            column_qs = f"{column}__exact" if column.startswith("_") else column
            entries = []
            for row in rows[:size]:
                selected = (column_qs, str(row["value"])) in pairs
                toggle = (path_with_removed_args(self.request, {column_qs: str(row["value"])}) if selected
                          else path_with_added_args(self.request, {column_qs: row["value"]}))
                entries.append({"value": row["value"], "label": expanded.get((column, row["value"]), row["value"]),
                                "count": row["count"], "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                                "selected": selected})
            results.append({"name": column, "type": self.type, "hideable": source != "metadata",
                            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
                            "results": entries, "truncated": len(rows) > size})
        return results, []
