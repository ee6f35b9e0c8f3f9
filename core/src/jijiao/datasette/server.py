"""A configured Datasette over a browse copy: used by `jijiao serve` and by the tests."""

from __future__ import annotations

from pathlib import Path

from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from . import DATABASE, plugin
from .metadata import build_metadata

TEMPLATES = Path(__file__).with_name("templates")

SETTINGS = {
    "allow_download": False,  # the whole file is never offered (see plugin.permission_allowed)
    "facet_time_limit_ms": 800,  # facets over a year's credit awards need more than the default 200 ms
    "sql_time_limit_ms": 3000,
    "default_page_size": 50,
    "suggest_facets": False,  # suggestions run a query per column: seconds on a province's activities
}


def register_plugin() -> None:
    if not pm.is_registered(plugin):
        pm.register(plugin, name="jijiao")


def make_datasette(browse_copy: str | Path, *, metadata: dict | None = None) -> Datasette:
    """Datasette serving ``browse_copy`` immutable as database `DATABASE`, with our metadata,
    templates and plugin."""
    register_plugin()
    ds = Datasette(
        metadata=metadata or build_metadata(),
        template_dir=str(TEMPLATES),
        settings=SETTINGS,
    )
    ds.add_database(Database(ds, path=str(browse_copy), is_mutable=False), name=DATABASE)
    if "_memory" in ds.databases:  # Datasette adds it when constructed without files
        ds.remove_database("_memory")
    return ds
