"""The national-year commands: ``export-parquet`` and ``assess --cluster`` (national.py).

    jijiao export-parquet --db F.db STORE/                        input tables → Parquet, by province
    jijiao assess --db F.db --year 2026 --cluster local --workers 2    (exports to OUT/input first)
    jijiao assess --parquet STORE/ --year 2026 --cluster tcp://scheduler:8786 --out /shared/run2026

Progress is one line per partition on stderr; docs/national.md is the operations guide.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import national, storage
from .cli import cli, registry

cluster_options = [
    click.option("--cluster", help="Judge the year partition by partition on Dask: 'local' (a LocalCluster of --workers "
                                   "processes) or a scheduler address tcp://host:8786 (docs/national.md)."),
    click.option("--parquet", "parquet", type=click.Path(file_okay=False),
                 help="With --cluster: read the input from this Parquet store (jijiao export-parquet) instead of --db."),
    click.option("--out", "out", type=click.Path(file_okay=False),
                 help="With --cluster: the run's folder (partitions, manifest.db, national.db); default <db>.national/."),
    click.option("--partition-size", type=click.IntRange(1),
                 help="With --cluster: cut a province of more practitioners than this into id ranges of this many."),
    click.option("--retries", default=national.DEFAULT_RETRIES, show_default=True, type=click.IntRange(0),
                 help="With --cluster: times a failed partition is sent again before it is reported."),
]


def with_cluster_options(command):
    for option in reversed(cluster_options):
        command = option(command)
    return command


def refuse_without_cluster(on_cluster: dict) -> None:
    given = [f"--{key.replace('_', '-')}" for key in ("parquet", "out", "partition_size") if on_cluster.get(key)]
    if given:
        raise click.UsageError(f"{', '.join(given)}: only with --cluster (local or tcp://host:8786)")


def default_out(db_path: str | None, parquet: str | None) -> Path:
    source = Path(db_path or parquet)
    return source.with_name(source.stem + ".national")


def assess_on_cluster(db_path, year, name, settings, as_of, workers, *, cluster, parquet, out, partition_size,
                      retries) -> None:
    """`jijiao assess --cluster`: export --db to <out>/input (or read --parquet), then run
    `national.assess_national`; exit 1 naming every partition that failed."""
    if bool(db_path) == bool(parquet):
        raise click.UsageError("--cluster needs exactly one of --db (exported to <out>/input first) or --parquet STORE")
    out = Path(out) if out else default_out(db_path, parquet)
    registry()  # the plugins' registration problems, reported once on stderr
    if db_path:
        if not Path(db_path).exists():
            raise click.ClickException(f"--db: no database at {db_path}")
        db = storage.connect(db_path)
        if year is None:
            year = db.execute("SELECT max(year) FROM activities").fetchone()[0]
        store = out / "input"
        counts = national.export_parquet(db, store)
        click.echo(f"输入已导出为 Parquet：{store}（" + "，".join(
            f"{table} {sum(by.values())} 行" for table, by in counts.items()) + "）", err=True)
    else:
        store = Path(parquet)
    if year is None:
        raise click.UsageError("--parquet needs --year")
    try:
        result = national.assess_national(store, out, year, name=name, settings=settings, as_of=as_of, cluster=cluster,
                                          workers=workers, partition_size=partition_size, retries=retries)
    except (ValueError, national.ClusterUnreachable) as error:  # an unknown setting, not a store, no scheduler
        raise click.ClickException(str(error)) from None
    for line in result.lines():
        click.echo(line)
    if not result.complete:
        raise click.ClickException(f"{len(result.failed)} 个分区未完成：" + "、".join(sorted(result.failed)))


@cli.command("export-parquet")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True), help="The SQLite database file.")
@click.argument("dest", type=click.Path(file_okay=False))
def export_parquet(db_path, dest):
    """Write the input tables (practitioners, activities, projects) to a Parquet store
    partitioned by province, the shared input of `jijiao assess --cluster --parquet`."""
    try:
        counts = national.export_parquet(storage.connect(db_path), dest)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for table, by_province in counts.items():
        click.echo(f"{dest}/{table}: {sum(by_province.values())} 行，{len(by_province)} 个省份分区（"
                   + "，".join(f"{p} {n}" for p, n in sorted(by_province.items())) + "）")
