"""The annual-run commands: ``import``, ``demo``, ``assess``, ``compare``, ``export``.

    jijiao demo --db demo.db --size 10000            build, import and assess a demo year
    jijiao import --db F.db practitioners.csv ...    load files (bad rows → import_errors)
    jijiao assess --db F.db --year 2026              assess the year (run "baseline")
    jijiao assess --db F.db --year 2026 --set liaoning.annual_credits=30      a what-if run
    jijiao compare --db F.db --base baseline --other liaoning.annual_credits=30
    jijiao export --db F.db --out results/           every result table as .xlsx

Long steps show a progress bar on stderr and end with a short summary.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import click

from . import annual, cli_national, demo as demo_data, export as exporting, importing, storage
from .cli import cli, parse_settings, registry
from .plugins import parameter_value_text

db_option = click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The SQLite database file.")
MAX_ERRORS_SHOWN = 50


def open_db(path: str):
    return storage.connect(path)


def progress_bar(length: int | None, label: str):
    return click.progressbar(length=length or 0, label=label, file=sys.stderr, show_pos=True, show_eta=True)


# --- import ------------------------------------------------------------------------------------------


@cli.command("import")
@db_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(list(importing.KINDS)), help="What the files hold (default: from each file name).")
@click.option("--year", type=int, help="Activities: refuse rows of any other year.")
@click.option("--source", help="The source this (one) file is the new version of (default: the file's path).")
@click.option("--dry-run", is_flag=True, help="Show what would be added, changed and withdrawn; write nothing.")
def import_(db_path, files, kind, year, source, dry_run):
    """Load practitioners, projects or activities from CSV, JSON Lines or .xlsx files.

    The header row names the fields in English or by their Chinese labels (docs/data-format.md).
    Bad rows are reported with row and field and kept in import_errors; the good rows load.
    Each file is the new version of its source (its path, or --source): rows gone from it are
    withdrawn, changed rows updated, the difference printed and kept in import_changes; an id
    another source owns is refused as a conflict.

    Exit status: 0 every row of every file loaded; 2 some rows were refused (the others
    loaded); 1 a file could not be read or imported at all (nothing loaded from it).
    """
    if source and len(files) > 1:
        raise click.UsageError("--source names the source of ONE file; import the files one by one")
    # A dry run against a database that does not exist yet must not create it: compare with nothing.
    db = open_db(":memory:" if dry_run and not Path(db_path).exists() else db_path)
    status = 0
    for file in files:
        result = import_one(db, file, kind, year, source, dry_run)
        if result.unreadable:
            status = 1
        elif result.rows_bad and status == 0:
            status = 2
    sys.exit(status)


def import_one(db, file: str, kind: str | None, year: int | None, source: str | None = None,
               dry_run: bool = False) -> importing.ImportResult:
    state = {"bar": None}

    def on_length(length):
        state["bar"] = progress_bar(length, Path(file).name)
        state["bar"].__enter__()

    try:
        result = importing.import_file(
            db, file, kind=kind, year=year, source=source, dry_run=dry_run, on_length=on_length,
            progress=lambda n: state["bar"].update(n) if state["bar"] else None,
        )
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        click.echo(error.describe(result.file), err=True)
    if result.rows_bad > MAX_ERRORS_SHOWN:
        click.echo(f"... and {result.rows_bad - MAX_ERRORS_SHOWN} more rows refused (see table import_errors)", err=True)
    click.echo(result.line())
    if result.difference is not None:
        click.echo(f"  {result.difference.line()}" + ("" if result.source == result.file else f"（来源 {result.source}）"))
    return result


# --- demo ----------------------------------------------------------------------------------------------


@cli.command()
@db_option
@click.option("--size", default=10000, show_default=True, type=click.IntRange(1), help="Number of practitioners.")
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same population.")
@click.option("--year", default=2026, show_default=True, type=int)
@click.option("--against", "earlier", type=click.Path(dir_okay=False),
              help="A demo database an earlier version wrote: its records judged again, how the verdicts moved (jijiao moves).")
def demo(db_path, size, seed, year, earlier):
    """Build a realistic synthetic year for all four jurisdictions, import it and assess it."""
    started = time.perf_counter()
    db = open_db(db_path)
    with progress_bar(size, "生成演示数据") as bar:
        counts = demo_data.build(db, size, seed, year, progress=bar.update)
    click.echo(
        f"演示数据：{counts['practitioners']} 人，{counts['projects']} 个项目，{counts['activities']} 项活动"
        f"（种子 {seed}，{year} 年度，用时 {counts['seconds']:.1f} 秒）"
    )
    for problem in counts.get("problems", ()):
        click.echo(f"插件问题（演示数据）：{problem}", err=True)
    summary = run_assessment(db, year, annual.BASELINE, {})
    if earlier:
        print_moves(earlier, f"{Path(db_path).with_suffix('')}.before.db", summary.name, year)
    click.echo(f"合计用时 {time.perf_counter() - started:.1f} 秒。")
    click.echo(f"浏览：jijiao serve --db {db_path}    导出：jijiao export --db {db_path} --out results/")
    example = next((key for key, p in sorted(registry().parameters.items()) if p.unit == "学分" and p.value and "annual" in p.key), None)
    if example is not None:
        value = registry().parameters[example].value
        setting = f"{example}={parameter_value_text(value + 5)}"
        click.echo(f"假设分析：jijiao assess --db {db_path} --year {year} --set {setting} && "
                   f"jijiao compare --db {db_path} --base {summary.name} --other {setting}")


# --- assess ---------------------------------------------------------------------------------------------


def run_assessment(db, year: int, name: str | None, settings: dict, as_of: date | None = None,
                   workers: int | None = None, base: str | None = None, full: bool = False) -> annual.RunSummary:
    total = db.execute(f"SELECT count(*) FROM practitioners WHERE {storage.LIVE}").fetchone()[0]
    bar = None

    def progress(done: int) -> None:  # the bar appears with the first practitioners judged, not before
        nonlocal bar
        if bar is None:
            bar = progress_bar(total, f"评定 {year} 年度")
            bar.__enter__()
        bar.update(done)

    try:
        summary = annual.assess(db, registry(), year, name=name, settings=settings, as_of=as_of, progress=progress,
                                workers=workers, base=base, by_dependency=not full)
    except ValueError as error:  # an unknown or unreadable what-if setting
        raise click.ClickException(str(error)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in summary.lines():
        click.echo(line)
    return summary


def read_params_file(path: str) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: not a JSON object of parameters ({error})") from None
    if not isinstance(data, dict):
        raise click.ClickException(f'{path}: expected {{"plugin.key": value, ...}}')
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="The SQLite database file (required, but for --cluster --parquet).")
@click.option("--year", type=int, help="The year to assess (default: the latest year of the activities).")
@click.option("--name", help="The run's name (default: baseline, or the what-if settings).")
@click.option("--set", "--reading", "settings", multiple=True, metavar="PLUGIN.KEY=VALUE",
              help="What-if: replace a policy number, or take a reading's alternative (KEY=alternative).")
@click.option("--params", "params_file", type=click.Path(dir_okay=False), help='What-if: a JSON file {"plugin.key": value}.')
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Judge open deadlines as of this date (default today).")
@click.option("--workers", type=click.IntRange(1), help="Processes judging practitioners (default: one per CPU from 20,000 practitioners).")
@click.option("--base", "base", metavar="RUN", help="What-if: the run to derive it from by dependency (default: the year's baseline).")
@click.option("--full", is_flag=True, help="What-if: judge every practitioner again instead of only those the changes reach.")
@cli_national.with_cluster_options
def assess(db_path, year, name, settings, params_file, as_of, workers, base, full, **on_cluster):
    """Assess a year: every practitioner's credits and verdict, every project's findings and
    deadlines, stored as a run (re-running a run of the same name replaces it atomically).
    With --cluster: partition by partition on Dask, results in --out (docs/national.md)."""
    chosen = read_params_file(params_file) if params_file else {}
    chosen.update(parse_settings(settings))
    if name is None and params_file and not settings:
        name = Path(params_file).stem
    if on_cluster["cluster"]:
        return cli_national.assess_on_cluster(db_path, year, name, chosen, as_of.date() if as_of else None, workers,
                                              **on_cluster)
    cli_national.refuse_without_cluster(on_cluster)
    if db_path is None:
        raise click.UsageError("Missing option '--db'.")
    db = open_db(db_path)
    if year is None:
        year = db.execute("SELECT max(year) FROM activities").fetchone()[0]
        if year is None:
            raise click.ClickException("no activities in the database; import some, or give --year")
    run_assessment(db, year, name, chosen, as_of.date() if as_of else None, workers, base, full)


# --- compare --------------------------------------------------------------------------------------------


@cli.command()
@db_option
@click.option("--base", required=True, help="The baseline run's name.")
@click.option("--other", required=True, help="The what-if run's name.")
@click.option("--year", type=int, help="The year (default: the base run's latest).")
@click.option("--other-year", type=int, help="The other run's year, to compare two years (default: --year).")
@click.option("--limit", default=20, show_default=True, help="Practitioners to list (all are in table comparisons).")
def compare(db_path, base, other, year, other_year, limit):
    """Who passes under one run and fails under the other (stored in table comparisons), and
    the rule changes between the two runs."""
    db = open_db(db_path)
    try:
        base_run, other_run, rows = annual.compare(db, base, other, year, other_year)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    years = (f"{base_run['year']} 年度" if base_run["year"] == other_run["year"]
             else f"{base_run['year']} 年度 → {other_run['year']} 年度")
    click.echo(f"基准「{base_run['name']}」（#{base_run['id']}，合格率 {base_run['pass_rate']}%）对比"
               f"「{other_run['name']}」（#{other_run['id']}，合格率 {other_run['pass_rate']}%），{years}：")
    changed_rules = annual.rule_changes(db, base_run, other_run)
    if changed_rules:
        click.echo("  规则的变化：")
        for line in changed_rules:
            click.echo(f"    {line}")
    changes: dict[str, int] = {}
    for row in rows:
        changes[row["change"]] = changes.get(row["change"], 0) + 1
    if not rows:
        click.echo("  两次运行的结论完全相同。")
    for change, count in sorted(changes.items()):
        click.echo(f"  {change}：{count} 人")
    for row in rows[:limit]:
        click.echo(
            f"  {row['practitioner']} {row['unit']}（{row['jurisdiction']}）：{row['change']}，"
            f"已获 {fmt(row['base_earned'])}/{fmt(row['base_required'])} → {fmt(row['other_earned'])}/{fmt(row['other_required'])} 学分"
        )
    if len(rows) > limit:
        click.echo(f"  ……另 {len(rows) - limit} 人见表 comparisons")


@cli.command()
@click.option("--against", "earlier", required=True, type=click.Path(dir_okay=False),
              help="The database an earlier version (earlier rules) wrote; only read.")
@click.option("--copy", "copy_path", type=click.Path(dir_okay=False),
              help="Where its records are judged again (replaced; default: beside it, <name>.now.db).")
@click.option("--run", "name", default=annual.BASELINE, show_default=True, help="The run to compare, by name.")
@click.option("--year", type=int, help="The run's year (default: its latest).")
def moves(earlier, copy_path, name, year):
    """How the verdicts moved under the installed rules: the earlier database's records judged
    again, and how many 无法判定 became 不合格 or 合格 (and the other moves), per jurisdiction, and why."""
    print_moves(earlier, copy_path or f"{Path(earlier).with_suffix('')}.now.db", name, year)


def print_moves(earlier, copy_path, name, year) -> None:
    from . import moves as verdict_moves  # the command's own module, loaded when used

    try:
        found = verdict_moves.rejudge(earlier, copy_path, registry(), name, year)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    for line in found.lines(registry()):
        click.echo(line)
    click.echo(f"  （{earlier} 的记录按现行规则重新评定于 {copy_path}，运行「{found.run['name']}」）")


def fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


# --- export ---------------------------------------------------------------------------------------------


@cli.command()
@db_option
@click.option("--out", required=True, type=click.Path(), help="A directory (one .xlsx per table) or a .xlsx file (one sheet per table).")
@click.option("--table", "tables", multiple=True, help="Only these tables (default: every result table).")
@click.option("--run", "run_name", help="Only this run's rows (by name).")
@click.option("--year", type=int, help="With --run: the run's year.")
@click.option("--include-personal-data", "include_personal", is_flag=True,
              help="Write ID numbers and phone numbers unmasked (default: masked, wherever they occur).")
def export(db_path, out, tables, run_name, year, include_personal):
    """Export result tables to Excel, with Chinese column headers; personal data masked unless
    --include-personal-data."""
    db = open_db(db_path)
    run = None
    if run_name:
        try:
            run = annual.find_run(db, run_name, year)["id"]
        except LookupError as error:
            raise click.ClickException(str(error)) from None
    try:
        written = exporting.export(db, out, list(tables) or None, run, include_personal)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for path, table, count in written:
        click.echo(f"{path}: {table} {count} 行")


# --- forms from the database ------------------------------------------------------------------------------


def form_records(form, db_path: str) -> list:
    """The records a plugin's form is filled from, read from the database: the projects (or
    practitioners) of the jurisdiction whose document orders the form."""
    db = open_db(db_path)
    document = registry().documents.get(form.clause.document)
    code = document.jurisdiction if document else None
    if form.input == "projects":
        return list(storage.projects(db, "jurisdiction = ?" if code else "", (code,) if code else ()))
    if form.input == "practitioners":
        sql = storage.select_sql(db, "practitioners") + (" WHERE jurisdiction = ?" if code else "") + " ORDER BY id"
        return [storage.codec(db, "practitioners").decode(row) for row in db.conn.execute(sql, (code,) if code else ())]
    raise click.ClickException(f"form {form.name} is filled from {form.input!r}, which the database does not hold")
