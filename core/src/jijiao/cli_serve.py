"""``jijiao serve``: Datasette over the assessed database, for analysts and policy staff.

It serves a masked, indexed browse copy (publish.py), immutable, on 127.0.0.1 by default.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import click

from .cli import cli


@cli.command()
@click.option("--db", "db_path", default="demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="The assessed database (jijiao demo / jijiao assess).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (0.0.0.0 exposes it to the network).")
@click.option("--rebuild", is_flag=True, help="Rebuild the browse copy even if it is up to date.")
def serve(db_path, port, host, rebuild):
    """Browse the results in Datasette (personal data masked; read-only)."""
    import uvicorn

    from .datasette.server import make_datasette
    from .publish import build_browse_copy

    source = Path(db_path)
    if not source.exists():
        raise click.ClickException(f"--db: no database at {source}; make one with `jijiao demo --db {source}`")
    started = time.perf_counter()
    copy, built = build_browse_copy(source, force=rebuild)
    what = "built" if built else "reusing"
    click.echo(f"{what} browse copy {copy} (ID numbers and phones masked) in {time.perf_counter() - started:.1f}s")
    ds = make_datasette(copy)
    asyncio.run(ds.invoke_startup())
    click.echo(f"jijiao: serving {source} at http://{host}:{port}/ (dashboard; tables at /jijiao)", nl=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
