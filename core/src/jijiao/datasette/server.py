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
    "sql_time_limit_ms": 3000,  # a query taking longer is stopped (heavy SQL is bounded)
    "max_returned_rows": 1000,  # rows per page of any query, whatever it asks for
    "max_csv_mb": 100,  # a CSV download stops there
    "default_page_size": 50,
    "suggest_facets": False,  # suggestions run a query per column: seconds on a province's activities
}

AUTH_PLUGIN = "datasette-auth-passwords"
ACCOUNT = "office"
"""The one account `jijiao serve --password-file` creates (user name office, HTTP Basic auth)."""


def register_plugin() -> None:
    if not pm.is_registered(plugin):
        pm.register(plugin, name="jijiao")


def use_password_plugin(wanted: bool) -> None:
    """datasette-auth-passwords, installed with jijiao, is loaded by Datasette for every server;
    it adds a "Log in" menu even with no account. Only a password-protected server keeps it."""
    import datasette_auth_passwords

    registered = pm.get_plugin(AUTH_PLUGIN) or (datasette_auth_passwords if pm.is_registered(datasette_auth_passwords) else None)
    if wanted and registered is None:
        pm.register(datasette_auth_passwords, name=AUTH_PLUGIN)
    elif not wanted and registered is not None:
        pm.unregister(registered)


def password_metadata(metadata: dict, password_hash: str) -> dict:
    """``metadata`` with every page behind HTTP Basic auth for the `ACCOUNT` account."""
    plugins = dict(metadata.get("plugins") or {})
    plugins[AUTH_PLUGIN] = {"http_basic_auth": True, f"{ACCOUNT}_password_hash": password_hash}
    return {**metadata, "plugins": plugins, "allow": {"id": ACCOUNT}}


def make_datasette(browse_copy: str | Path, *, metadata: dict | None = None, password_hash: str | None = None,
                   beside: dict[str, Path] | None = None) -> Datasette:
    """Datasette serving ``browse_copy`` immutable as database `DATABASE`, with our metadata,
    templates and plugin; with ``password_hash`` (datasette_auth_passwords.utils.hash_password)
    every request needs the `ACCOUNT` account's password. ``beside``: more databases served
    immutable under their names (the national summary as ``national``)."""
    register_plugin()
    use_password_plugin(password_hash is not None)
    metadata = metadata or build_metadata()
    if password_hash is not None:
        metadata = password_metadata(metadata, password_hash)
    ds = Datasette(
        metadata=metadata,
        template_dir=str(TEMPLATES),
        settings=SETTINGS,
    )
    from ..publish import hold_serving

    # read immutable: the builder must not change this file under us (it writes a new one instead)
    ds.jijiao_serving = hold_serving(browse_copy)
    ds.add_database(Database(ds, path=str(browse_copy), is_mutable=False), name=DATABASE)
    for name, path in (beside or {}).items():
        ds.add_database(Database(ds, path=str(path), is_mutable=False), name=name)
    if "_memory" in ds.databases:  # Datasette adds it when constructed without files
        ds.remove_database("_memory")
    return ds
