"""The ``jijiao`` command line.

Commands here judge single records (``credit``, ``year``, ``check-project``, ``deadlines``) and
describe the rules (``plugins``, ``steps``, ``coverage``, ``forms``). Plugins add their own
commands through ``jijiao_register_commands``; they are added the first time the group is used,
not at import time.

Bad input exits with status 1 and one line naming the field; never a traceback. Whatever else
fails -- a read-only file, a full disk, a database another process holds -- is one line too
(`PluginGroup.invoke`); ``JIJIAO_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import attrs
import click

from . import engine, report
from .inputs import InputError, build, to_jsonable
from .models import Activity, Practitioner, Project, Teacher, year_end
from .plugins import Registry, RuleContext, default_registry


@functools.cache
def registry() -> Registry:
    """The installed plugins, loaded once per command; registration problems are reported by
    plugin name on standard error by every command (a faulty plugin never stops the others)."""
    loaded = default_registry()
    for problem in loaded.problems:
        click.echo(f"插件问题：{problem}", err=True)
    return loaded


class PluginGroup(click.Group):
    """A group that adds plugin commands lazily, on first use."""

    _plugins_loaded = False

    def _load_plugin_commands(self) -> None:
        if not self._plugins_loaded:
            self._plugins_loaded = True
            registry().pm.hook.jijiao_register_commands(cli=self)

    def list_commands(self, ctx):
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        self._load_plugin_commands()
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        """Every command's failures as one line (`one_line_error`), never a traceback."""
        database = database_argument(ctx)  # before click hands the arguments to the command
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:  # noqa: BLE001
            if os.environ.get("JIJIAO_DEBUG"):
                raise
            raise click.ClickException(one_line_error(error, database)) from None


def database_argument(ctx) -> str:
    """The --db a command was given (for messages), or "the database"."""
    protected = getattr(ctx, "_protected_args", None)  # click 8.2; before, a plain attribute
    args = [*(ctx.protected_args if protected is None else protected), *ctx.args]
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--db="):
            return arg.split("=", 1)[1]
    return "the database"


def one_line_error(error: Exception, database: str) -> str:
    """What went wrong, in one line a user can act on: a read-only or full disk, a database
    another process is writing, a file that is not a database, a run already in progress."""
    import errno
    import sqlite3

    from .runlock import RunInProgress

    text = str(error)
    if isinstance(error, RunInProgress):
        return text
    if isinstance(error, sqlite3.OperationalError):
        if "readonly" in text or "read-only" in text:
            return f"{database}: 数据库文件只读（或所在目录不可写），无法写入；请检查文件和目录的权限（{text}）"
        if "disk is full" in text or "disk I/O" in text:
            return f"{database}: 磁盘已满或无法写入，未写入任何结果（{text}）；请腾出空间后重试"
        if "locked" in text or "busy" in text:
            return f"{database}: 正被另一个进程写入，等待后仍未释放；请稍后再试（{text}）"
        if "unable to open" in text:
            return f"{database}: 无法打开数据库文件（目录不存在，或无权限）"
        return f"{database}: 数据库错误：{text}"
    if isinstance(error, sqlite3.DatabaseError):
        return f"{database}: 不是 jijiao 的 SQLite 数据库，或文件已损坏（{text}）"
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return f"{error.filename or database}: 磁盘已满，未能写入（{error.strerror}）"
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return f"{error.filename or database}: 无权写入或文件系统只读（{error.strerror}）"
        return f"{error.filename or database}: {error.strerror or text}"
    if isinstance(error, MemoryError):
        return "内存不足：输入过大（请分成几个文件）"
    return f"内部错误（{type(error).__name__}: {text}）；设置 JIJIAO_DEBUG=1 可看到详细信息"


@click.group(cls=PluginGroup)
@click.version_option(package_name="jijiao")
def cli():
    """jijiao (继教): continuing-medical-education credit rules, executable."""


# --- input helpers -------------------------------------------------------------------------------


def read_json(source: str):
    """A JSON document or JSON Lines from a file or '-' (stdin); errors name file and line."""
    name = "<stdin>" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
    except FileNotFoundError:
        raise click.ClickException(f"{name}: no such file") from None
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    try:
        return checked_json(name, json.loads(text))
    except RecursionError:
        raise click.ClickException(f"{name}: JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)") from None
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and _parses(lines[0]):  # JSON Lines: one document per line
            items = []
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        items.append(checked_json(f"{name}: line {number}", json.loads(line)))
                    except RecursionError:
                        raise click.ClickException(f"{name}: line {number}: JSON nested too deeply") from None
                    except json.JSONDecodeError as error:
                        raise click.ClickException(f"{name}: line {number}: invalid JSON: {error.msg}") from None
            return items
        raise click.ClickException(f"{name}: line {whole.lineno}: invalid JSON: {whole.msg}") from None


MAX_JSON_DEPTH = 8
"""Nesting of a one-shot input: a list of projects with their teachers needs 4."""


def checked_json(name: str, value):
    """A parsed document, refused if nested past `MAX_JSON_DEPTH` or holding a NUL character."""
    stack = [(value, 0, "")]
    while stack:
        item, depth, where = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise click.ClickException(f"{name}: JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)")
        if isinstance(item, dict):
            stack.extend((v, depth + 1, f"{where}.{k}" if where else str(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(item))
        elif isinstance(item, str) and "\x00" in item:
            raise click.ClickException(f"{name}: field {where!r}: contains a NUL character")
    return value


def _parses(line: str) -> bool:
    try:
        json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def expect_object(name: str, data, keys: set[str], required: set[str]) -> dict:
    """A one-shot document: an object with only ``keys``, ``required`` among them."""
    if not isinstance(data, dict):
        raise click.ClickException(f"{name}: expected an object with {', '.join(repr(k) for k in sorted(required))}, "
                                   f"got {type(data).__name__}")
    unknown = sorted(set(data) - keys)
    if unknown:
        raise click.ClickException(f"{name}: field {unknown[0]!r}: unknown; expected {', '.join(sorted(keys))}")
    missing = sorted(required - set(data))
    if missing:
        raise click.ClickException(f"{name}: field {missing[0]!r}: is required")
    return data


def no_repeated_ids(name: str, records, what: str) -> None:
    """Refuse the same id twice in one input (it would be judged, and counted, twice)."""
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.id in seen:
            raise click.ClickException(f"{name}: {what}[{index}]: field 'id': {record.id!r} repeats {what}[{seen[record.id]}]")
        seen[record.id] = index


def model(cls, data, what: str):
    try:
        return build(cls, data, places=registry().find_jurisdiction, facts=registry().declared_facts(cls))
    except InputError as error:
        raise click.ClickException(f"{what}: {error}") from None


def parse_settings(settings: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep:
            raise click.BadParameter(f"{setting!r} is not KEY=VALUE", param_hint="--set")
        parsed[key.strip()] = value.strip()
    return parsed


def context(year=None, settings=()) -> RuleContext:
    try:
        return RuleContext.with_overrides(registry(), parse_settings(settings), year=year)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def jurisdiction_code(text: str) -> str:
    try:
        return registry().find_jurisdiction(text)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def emit(as_json: bool, value, text: str) -> None:
    if as_json:
        click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))
    else:
        click.echo(text)


set_option = click.option(
    "--set", "--reading", "settings", multiple=True, metavar="PLUGIN.KEY=VALUE",
    help="What-if: replace a policy number, or take a reading's alternative (KEY=alternative).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def build_project(data) -> Project:
    if not isinstance(data, dict):
        raise click.ClickException(f"project: expected a JSON object, got {type(data).__name__}")
    for part in ("application", "execution"):
        value = data.get(part)
        if value is not None and not isinstance(value, dict):
            raise click.ClickException(f"project {data.get('id', '?')}: field {part!r}: expected a JSON object, "
                                       f"got {type(value).__name__}")
    return model(Project, data, f"project {data.get('id', '?')}")


# --- describing the rules ----------------------------------------------------------------------------


def document_period(d) -> str:
    """A document's period of effect as the listings show it."""
    start = f"{d.effective_from} 起施行" if d.effective_from else f"{d.issued} 印发，施行日期不详" if d.effect_unknown else f"{d.issued} 起"
    return start + (f"，至 {d.effective_until}" if d.effective_until else "") + (f"；废止 {'、'.join(d.repeals)}" if d.repeals else "")


IN_FORCE_WORDS = {True: "该年度有效", False: "该年度不适用", None: "施行日期不详，其数值按参数所注日期适用"}


@cli.command()
@click.option("--year", type=int, help="Show what is in force in this year (its last day decides).")
@json_option
def plugins(year, as_json):
    """The loaded jurisdictions, their documents and their policy numbers (in force in --year)."""
    reg = registry()
    on = year_end(year) if year is not None else None
    listing = []
    for code, jurisdiction in sorted(reg.jurisdictions.items()):
        name = reg.owners[code]
        listing.append(
            {
                "plugin": name,
                "jurisdiction": to_jsonable(jurisdiction),
                "chain": [reg.name_of(c) for c in reg.lineage(code)],
                "missing_layers": [str(m) for m in reg.chain(code, year).missing],
                "documents": [
                    {"id": d.id, "number": d.number, "title": d.title, "status": d.status.zh, "clauses": len(d.clauses),
                     "effective_from": to_jsonable(d.effective_from), "effective_until": to_jsonable(d.effective_until),
                     "effect_unknown": d.effect_unknown, "repeals": list(d.repeals), "period": document_period(d),
                     **({"in_force": d.in_force(on)} if on else {})}
                    for d in reg.documents_of(code)
                ],
                "readings": [
                    {"key": r.key, "clause": str(r.clause), "taken": r.taken, "alternative": r.alternative, "switchable": r.switchable}
                    for r in reg.readings.values() if r.key.partition(".")[0] in {n for n, o in reg.namespaces.items() if o == name}
                ],
                "parameters": {
                    f"{namespace}.{key}": (
                        {"value": to_jsonable(p.value), "unit": p.unit, "clause": str(p.clause) if p.clause else None,
                         "description": p.description, "assumed": p.assumed, "since": to_jsonable(p.since),
                         "versions": len(reg.parameter_history[f"{namespace}.{key}"])}
                        if p is not None else
                        {"value": None, "unit": reg.parameters[f"{namespace}.{key}"].unit, "clause": None,
                         "description": reg.parameters[f"{namespace}.{key}"].description, "assumed": False,
                         "since": None, "versions": len(reg.parameter_history[f"{namespace}.{key}"]),
                         "not_yet": to_jsonable(reg.parameter_history[f"{namespace}.{key}"][0].since)}
                    )
                    for namespace, owner in reg.namespaces.items() if owner == name
                    for key, p in reg.parameters_of(namespace, on).items()
                },
            }
        )
    if as_json:
        click.echo(json.dumps({"plugins": listing, "problems": reg.problems}, ensure_ascii=False, indent=2))
        return
    for item in listing:
        j = item["jurisdiction"]
        click.echo(f"{item['plugin']}: {j['name']}（{j['code']}，{' → '.join(item['chain'])}）")
        for missing in item["missing_layers"]:
            click.echo(f"  未适用：{missing}")
        for d in item["documents"]:
            force = f"；{year} 年：{IN_FORCE_WORDS[d['in_force']]}" if year is not None else ""
            click.echo(f"  文件 {d['id']}：{d['number'] or d['title']}（{d['status']}，{d['clauses']} 条；{d['period']}{force}）")
        for key, p in item["parameters"].items():
            flag = "（假定值）" if p["assumed"] else ""
            since = f"（自 {p['since']} 起）" if p["since"] else ""
            history = f"（共 {p['versions']} 个取值，jijiao params {key}）" if p["versions"] > 1 else ""
            if p.get("not_yet"):
                click.echo(f"  参数 {key}：{year} 年尚无取值（自 {p['not_yet']} 起才有，jijiao params {key}）  {p['description']}")
                continue
            click.echo(f"  参数 {key} = {p['value']} {p['unit']}{flag}{since}{history}  {p['description']}  [{p['clause']}]")
        for r in item["readings"]:
            switch = f"（可切换：--reading {r['key']}=alternative）" if r["switchable"] else ""
            click.echo(f"  理解 {r['key']} [{r['clause']}]：{r['taken']}；另一种理解：{r['alternative']}{switch}")
    for problem in reg.problems:
        click.echo(f"problem: {problem}", err=True)


@cli.command()
@click.argument("key")
@json_option
def params(key, as_json):
    """One policy number's history: each value, the day it took effect and its clause."""
    reg = registry()
    history = reg.parameter_history.get(key)
    if history is None:
        raise click.ClickException(f"unknown parameter {key!r}; `jijiao plugins` lists them")
    versions = [
        {"since": to_jsonable(p.since), "value": to_jsonable(p.value), "unit": p.unit,
         "clause": str(p.clause) if p.clause else None,
         "document": reg.documents[p.clause.document].number or reg.documents[p.clause.document].title if p.clause else None,
         "clause_text": reg.clauses[p.clause].text if p.clause in reg.clauses else None,
         "description": p.description, "assumed": p.assumed}
        for p in history
    ]
    if as_json:
        click.echo(json.dumps({"parameter": key, "history": versions}, ensure_ascii=False, indent=2))
        return
    click.echo(f"参数 {key}：{history[-1].description}")
    if history[0].since is not None:
        click.echo(f"  {history[0].since} 以前：无取值（在册文件未规定）")
    for v in versions:
        since = f"自 {v['since']} 起" if v["since"] else "自规则适用之日起"
        flag = "（假定值）" if v["assumed"] else ""
        click.echo(f"  {since}：{v['value']} {v['unit']}{flag}  [{v['clause']}，{v['document']}]")
        if v["clause_text"]:
            click.echo(f"    “{v['clause_text']}”")


@cli.command()
@click.option("--fields", is_flag=True, help="List the field labels usable in step tables instead.")
def steps(fields):
    """The Gherkin step vocabulary, with an example of each, for writing scenarios."""
    from .steps import load_catalogue, readable

    if fields:
        from .steptables import ONE, step_tables

        by_name: dict[str, list] = {}
        for table in step_tables():
            by_name.setdefault(table.name, []).append(table)
        for name, tables in by_name.items():
            click.echo(f"\n## {name}")
            for table in tables:
                shape = "“字段 | 值”两列，每行一个字段" if table.shape == ONE else "首行为字段名，每行一项"
                for pattern in table.patterns:
                    click.echo(f"  用于：{readable(pattern)}（{shape}）")
                if table.note:
                    click.echo(f"  {table.note}")
            parts = tables[0].parts
            for part in parts:
                click.echo(f"  [{part.name}]（{part.kind}）" if len(parts) > 1 else f"  （{part.kind}）")
                for label, (name, unit, owner) in part.labels().items():
                    declared = f"；{owner} 声明" if owner else ""
                    click.echo(f"    {label}（{name}{'，' + unit if unit else ''}{declared}）")
        return
    current = None
    for entry in load_catalogue():
        if entry.module != current:
            current = entry.module
            click.echo(f"\n## {current.rsplit('.', 1)[-1]}")
        click.echo(f"\n{entry.keyword} {readable(entry.pattern)}\n    {entry.doc}\n    例：\n" + "\n".join("      " + line for line in entry.example.splitlines()))


@cli.command("check-features")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def check_features(paths):
    """Check scenario files (default: features/) for slips: every one named with file, line and fix.

    Tags that are not @文件/条款, full-width colons, spaces and quotes, steps that match no step of
    the vocabulary, table columns a step does not accept, unfilled outline placeholders. Exits 1
    when there is any.
    """
    from .featurelint import Vocabulary, feature_files, lint_file

    if not paths:
        # The project's features/: here or in a folder above (run from docs/ or features/liaoning/).
        here = Path.cwd()
        found = next((folder / "features" for folder in (here, *here.parents) if (folder / "features").is_dir()), None)
        if found is None:
            click.echo("找不到 features/ 目录：请在项目目录下运行，或给出场景文件（或其目录）的路径", err=True)
            sys.exit(1)
        paths = (str(found.relative_to(here)) if found.is_relative_to(here) else str(found),)
    files = feature_files(paths)
    if not files:
        click.echo(f"{'、'.join(paths)} 中没有场景文件（*.feature）", err=True)
        sys.exit(1)
    vocabulary = Vocabulary(registry())
    slips = [slip for path in files for slip in lint_file(path, vocabulary)]
    for slip in slips:
        click.echo(str(slip))
    if slips:
        stopped = len({s.file for s in slips if s.unreadable})
        tail = f"，其中 {stopped} 个文件无法读取（文件中的场景都不会运行）" if stopped else ""
        click.echo(f"{len(files)} 个场景文件中有 {len(slips)} 处需要修改{tail}", err=True)
        sys.exit(1)
    click.echo(f"{len(files)} 个场景文件，未发现问题")


# --- judging records ------------------------------------------------------------------------------------


@cli.command()
@click.argument("source", default="-")
@click.option("--year", type=int, help="The year being assessed (default: the activity's).")
@set_option
@json_option
def credit(source, year, settings, as_json):
    """One activity to its award, explained and cited.

    SOURCE is a JSON file (or - for stdin): {"practitioner": {...}, "activity": {...}}, with the
    fields of Practitioner and Activity by English name or Chinese label.
    """
    data = expect_object(source, read_json(source), {"practitioner", "activity"}, {"activity"})
    practitioner = model(Practitioner, data.get("practitioner") or {"id": "P"}, "practitioner")
    if not isinstance(data["activity"], dict):
        raise click.ClickException(f"{source}: field 'activity': expected an object, got {type(data['activity']).__name__}")
    activity = model(Activity, {"practitioner": practitioner.id, **data["activity"]}, "activity")
    if activity.practitioner != practitioner.id:
        raise click.ClickException(f"{source}: activity: field 'practitioner': {activity.practitioner!r} is not the "
                                   f"practitioner given ({practitioner.id!r})")
    ctx = context(year or activity.year, settings)
    award = engine.judge_activity(ctx, registry().chain(practitioner.jurisdiction), practitioner, activity)
    emit(as_json, award, report.award_text(registry(), award))


@cli.command()
@click.argument("source", default="-")
@click.option("--year", type=int, help="The year to assess (default: the file's 'year').")
@set_option
@json_option
def year(source, year, settings, as_json):
    """One practitioner's year to the annual result.

    SOURCE: {"practitioner": {...}, "year": 2026, "activities": [{...}, ...]}.
    """
    from .models import FIRST_YEAR, LAST_YEAR

    data = expect_object(source, read_json(source), {"practitioner", "year", "activities"}, {"practitioner"})
    practitioner = model(Practitioner, data["practitioner"], "practitioner")
    the_year = year or data.get("year")
    if the_year is None:
        raise click.ClickException(f"{source}: field 'year': give the year to assess (or --year)")
    if isinstance(the_year, bool) or not isinstance(the_year, int) or not FIRST_YEAR <= the_year <= LAST_YEAR:
        raise click.ClickException(f"{source}: field 'year': expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {the_year!r}")
    items = data.get("activities") or []
    if not isinstance(items, list):
        raise click.ClickException(f"{source}: field 'activities': expected a list of objects, got {type(items).__name__}")
    activities = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise click.ClickException(f"{source}: activities[{i - 1}]: expected an object, got {type(item).__name__}")
        activity = model(Activity, {"practitioner": practitioner.id, "year": the_year, "id": f"A{i}", **item}, f"activities[{i - 1}]")
        if activity.practitioner != practitioner.id:
            raise click.ClickException(f"{source}: activities[{i - 1}]: field 'practitioner': {activity.practitioner!r} "
                                       f"is not the practitioner of this year ({practitioner.id!r})")
        if activity.year != the_year:
            raise click.ClickException(f"{source}: activities[{i - 1}]: field 'year': an activity of {activity.year} "
                                       f"in the {the_year} year")
        activities.append(activity)
    no_repeated_ids(source, activities, "activities")
    ctx = context(the_year, settings)
    result = engine.assess_year(ctx, practitioner, activities, the_year)
    emit(as_json, result, report.annual_text(registry(), result))


@cli.command("check-project")
@click.argument("source", default="-")
@set_option
@json_option
def check_project(source, settings, as_json):
    """A project or application (or a list / JSON Lines of them) to its findings.

    Each project is an object with Project's fields, plus optional "application" and
    "execution" objects.
    """
    data = read_json(source)
    projects = [build_project(item) for item in (data if isinstance(data, list) else [data])]
    if not projects:
        raise click.ClickException(f"{source}: no project in the file")
    no_repeated_ids(source, projects, "projects")
    # The file is one batch: checks that span records (one application per leader) see all of it.
    ctx = attrs.evolve(context(None, settings), projects=tuple(projects))
    results = [(p, engine.check_project(ctx, p)) for p in projects]
    if as_json:
        click.echo(json.dumps([{"project": p.id, "findings": to_jsonable(f)} for p, f in results], ensure_ascii=False, indent=2))
        return
    for project, findings in results:
        click.echo(f"{project.id} {project.name}：{len(findings)} 条结论")
        for finding in findings:
            click.echo("  " + report.finding_text(finding))


@cli.command()
@click.option("--jurisdiction", "region", help="A jurisdiction's calendar (name or code).")
@click.option("--year", type=int, help="With --jurisdiction: the year.")
@click.option("--project", "project_source", help="A project's deadlines, from a JSON file.")
@json_option
def deadlines(region, year, project_source, as_json):
    """Deadlines for a jurisdiction and year, or for one project."""
    if project_source:
        project = build_project(read_json(project_source))
        ctx = context(None)
        found = engine.project_deadlines(ctx, project)
        chain = registry().chain(project.jurisdiction, engine.project_year(ctx, project))
    elif region and year:
        found = engine.calendar(context(year), jurisdiction_code(region), year)
        chain = registry().chain(jurisdiction_code(region), year)
    else:
        raise click.UsageError("give --jurisdiction and --year, or --project")
    # A level with no document in force that year sets no deadline: say so rather than "none".
    gaps = [f"未适用：{m}" for m in chain.out_of_force]
    emit(as_json, found, "\n".join([*(report.deadline_text(d) for d in found), *gaps]) or "（无）")


@cli.command("spot-check")
@click.option("--jurisdiction", "region", required=True, help="Whose spot-check rules (name or code).")
@click.option("--year", type=int, required=True, help="The year of the projects.")
@click.option("--seed", type=int, required=True, help="Random seed: the same seed gives the same plan.")
@click.option("--projects", "source", required=True, help="The year's projects: a JSON list or JSON Lines file.")
@json_option
def spot_check(region, year, seed, source, as_json):
    """A reproducible spot-check plan (抽查计划) over a year's projects: who checks what, on which form."""
    from .plugins import PluginFailure

    data = read_json(source)
    projects = [build_project(item) for item in (data if isinstance(data, list) else [data])]
    try:
        plan = engine.spot_check_plan(context(year), jurisdiction_code(region), projects, year, seed)
    except PluginFailure as failure:
        raise click.ClickException(f"{source}: {failure.error}") from None
    lines = [f"{c.project}  {c.checker}  {c.form}  [{c.clause}]  {c.reason}" for c in plan]
    emit(as_json, plan, f"抽查 {len(plan)} / {len(projects)} 个项目（随机种子 {seed}）\n" + "\n".join(lines))


@cli.group()
def forms():
    """Official forms (附件) the plugins can fill in as .xlsx."""


def all_forms() -> dict:
    return {form.name: form for forms_ in registry().pm.hook.jijiao_forms() for form in forms_ or ()}


@forms.command("list")
def forms_list():
    """List the fillable forms."""
    for form in sorted(all_forms().values(), key=lambda f: f.name):
        click.echo(f"{form.name}: {form.title}（{form.clause}；填自 {form.input}）")


@forms.command("make")
@click.argument("name")
@click.option("--input", "source", help="JSON (or JSON Lines) records to fill it from.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, exists=True), help="Or: fill it from a jijiao database (the form's jurisdiction's records).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The .xlsx to write.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="Form options (unit name, date ...).")
def forms_make(name, source, out, options, db_path=None):
    """Fill form NAME from records and write it as .xlsx."""
    found = all_forms()
    if name not in found:
        raise click.ClickException(f"unknown form {name!r}; known: {', '.join(sorted(found)) or 'none'}")
    form = found[name]
    if db_path:
        from .cli_annual import form_records

        records = form_records(form, db_path)
    elif not source:
        raise click.UsageError("give --input FILE or --db DATABASE")
    else:
        data = read_json(source)
        records = data if isinstance(data, list) else [data]
        if form.input == "projects":
            records = [build_project(r) for r in records]
    from .forms import save_form

    book = form.fill(records, parse_settings(options))
    save_form(book, out)
    click.echo(f"wrote {out}: {form.title}, {len(records)} rows")


from . import cli_annual  # noqa: E402,F401  (import, demo, assess, compare, export)
from . import cli_serve  # noqa: E402,F401  (serve)
from . import cli_kit  # noqa: E402,F401  (coverage, test-plugin, new-region)
