"""``jijiao serve``: Datasette over the assessed database, for analysts and policy staff.

It serves a masked, indexed browse copy (publish.py), immutable, on 127.0.0.1 by default. Any
other address needs a password (HTTP Basic auth through datasette-auth-passwords, user name
``office``) or an explicit ``--public``. Heavy SQL is bounded by the server's settings and
limits (datasette/server.py, datasette/plugin.py).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import click

from .cli import cli


LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def read_password(path: str | None) -> str | None:
    """The password from a file (first line), or from $JIJIAO_SERVE_PASSWORD; None if neither."""
    if path:
        try:
            text = Path(path).read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"--password-file: cannot read {path} ({error})") from None
        password = text[0].strip() if text else ""
        if not password:
            raise click.ClickException(f"--password-file: {path} is empty")
        return password
    return os.environ.get("JIJIAO_SERVE_PASSWORD") or None


@cli.command()
@click.option("--db", "db_path", default="demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="The assessed database (jijiao demo / jijiao assess).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Listen address. Any other than this machine's own (0.0.0.0 …) needs --password-file or --public.")
@click.option("--password-file", type=click.Path(dir_okay=False),
              help="Ask every visitor for this password (user name office); or set $JIJIAO_SERVE_PASSWORD.")
@click.option("--public", is_flag=True, help="Serve a non-loopback address without a password, knowingly.")
@click.option("--rebuild", is_flag=True, help="Rebuild the browse copy even if it is up to date.")
@click.option("--national", "national_path", type=click.Path(dir_okay=False, exists=True),
              help="A national summary (<out>/national.db of jijiao assess --cluster), served beside --db at /national.")
def serve(db_path, port, host, password_file, public, rebuild, national_path=None):
    """Browse the results in Datasette (personal data masked; read-only)."""
    from datasette_auth_passwords.utils import hash_password

    source = Path(db_path)
    if not source.exists():
        raise click.ClickException(f"--db: no database at {source}; make one with `jijiao demo --db {source}`")
    password = read_password(password_file)
    if not is_loopback(host) and password is None and not public:
        raise click.ClickException(
            f"--host {host}: 其他计算机也能访问；请用 --password-file（或 $JIJIAO_SERVE_PASSWORD）设置访问密码，"
            "或加 --public 表示有意公开")
    import uvicorn

    from .datasette.server import ACCOUNT, make_datasette
    from .publish import build_browse_copy

    started = time.perf_counter()
    copy, built = build_browse_copy(source, force=rebuild)
    what = "built" if built else "reusing"
    click.echo(f"{what} browse copy {copy} (ID numbers and phones masked) in {time.perf_counter() - started:.1f}s")
    beside = {}
    if national_path:
        beside["national"], _built = build_browse_copy(national_path, force=rebuild)
    ds = make_datasette(copy, password_hash=hash_password(password) if password else None, beside=beside)
    asyncio.run(ds.invoke_startup())
    guard = f"（密码保护，用户名 {ACCOUNT}）" if password else "（无密码）" if not is_loopback(host) else ""
    click.echo(f"jijiao: serving {source} at http://{host}:{port}/ (dashboard; tables at /jijiao){guard}", nl=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
