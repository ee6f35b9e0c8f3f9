"""Browse benchmark: how long the browse copy takes to be ready after a run, and how long each
analyst page takes to answer, on a generated year.

    .venv/bin/python bench/browse.py --size 40000 [--db /tmp/browse-bench.db] [--repeat 3]

Makes the year with `jijiao demo --size N` (plus one what-if run) unless --db exists. Then times
the copy (publish.update_browse_copy), each with where its time went:

1. **fresh**: built from nothing (the first `jijiao serve`, or `--rebuild`);
2. **new run**: the copy as it was before the newest run (that run's rows taken out of the copy
   and its bookkeeping), brought up to date: the case "a run finished, serve again";
3. **replaced run**: the newest run's copy made stale (as when a what-if is run again under the
   same name): removed and copied again;
4. **nothing new**: the source touched, no run or import since: the input tables are checked
   and kept.

Then asks each page through Datasette in process (no network) --repeat times and prints the
median of each, as Markdown tables for docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from datetime import timedelta
from urllib.parse import quote, urlencode

JIJIAO = str(Path(sys.executable).with_name("jijiao"))


def pages(sql) -> list[tuple[str, str]]:
    from jijiao.datasette.dashboard import beijing_today

    person = sql("SELECT practitioner FROM annual_results WHERE run = 1 AND verdict = '不合格' LIMIT 1")
    unit = sql("SELECT unit FROM result_summary WHERE run = 1 GROUP BY unit ORDER BY sum(practitioners) DESC LIMIT 1")
    name = sql("SELECT name FROM practitioners WHERE length(name) = 2 LIMIT 1")
    # the city with the most people of the year (the demo's and the province benchmark's differ)
    city = sql("SELECT city FROM result_summary WHERE run = 1 AND city IS NOT NULL GROUP BY city "
               "ORDER BY sum(practitioners) DESC LIMIT 1")
    city_name = sql(f"SELECT name FROM places WHERE code = '{city}'")
    other = sql("SELECT max(id) FROM runs WHERE status = 'complete'")
    today = beijing_today()
    month = {"run": 1, "done_at__isnull": 1, "due__gte": today.isoformat(),
             "due__lt": (today + timedelta(days=31)).isoformat(), "_sort": "due"}
    return [
        ("首页（仪表盘：各市合格率、最差十个单位、扣学分最多的条款、下月截止）", "/"),
        (f"首页，按{city_name}", f"/?region={city}"),
        ("首页，全部单位", "/?units=all"),
        ("达标页（一人一年）", f"/-/jijiao/person/{person}"),
        ("政策调整的影响", "/-/jijiao/whatif"),
        ("查找两个字的姓名", "/-/jijiao/search?q=" + quote(name)),
        ("查找单位名称的一部分（三字，全文索引）", "/-/jijiao/search?q=" + quote("人民医")),
        ("年度结果表（含分面）", "/jijiao/annual_results?run=1"),
        ("年度结果表，一个单位不合格", f"/jijiao/annual_results?run=1&unit={quote(unit)}&verdict={quote('不合格')}"),
        ("学分授予表（含分面）", "/jijiao/credit_awards?run=1"),
        ("学分授予表，一人", f"/jijiao/credit_awards?run=1&practitioner={person}"),
        ("学习活动表", "/jijiao/activities"),
        ("截止日期表，下月到期", "/jijiao/deadlines?" + urlencode(month)),
        ("条款扣减学分表（按学分排序）", "/jijiao/clause_costs?run=1&_sort_desc=credits"),
        ("状态变化者表（一次假设运行）", f"/jijiao/run_changes?other_run={other}"),
        ("导出一个单位不合格者（.xlsx）", "/-/jijiao/export.xlsx?path=" + quote(
            f"/jijiao/annual_results?run=1&unit={quote(unit)}&verdict={quote('不合格')}", safe="")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=40000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages-only", action="store_true", help="time the pages of the copy as it is (built if missing)")
    args = parser.parse_args()
    db = Path(args.db or f"/tmp/browse-bench-{args.size}.db")
    if not db.exists():
        started = time.perf_counter()
        subprocess.run([JIJIAO, "demo", "--db", str(db), "--size", str(args.size)], check=True, capture_output=True)
        subprocess.run([JIJIAO, "assess", "--db", str(db), "--year", "2026", "--set", "liaoning.annual_credits=30"],
                       check=True, capture_output=True)
        print(f"demo + what-if: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    from jijiao.datasette.server import make_datasette
    from jijiao.publish import update_browse_copy

    builds = []

    def build(label, force=False):
        started = time.perf_counter()
        path, _built, update = update_browse_copy(db, force=force)
        seconds = time.perf_counter() - started
        steps = sorted(((k, v) for k, v in (update.seconds if update else {}).items() if v >= 0.05), key=lambda kv: -kv[1])
        builds.append((label, seconds, path.stat().st_size / 1e6, steps, update))
        print(f"{label}: {seconds:.1f} s", file=sys.stderr)
        return path

    def forget_newest_run(path, remove_rows: bool):
        """Make the copy as it was before its newest run (remove_rows) or make that run stale."""
        with sqlite3.connect(path) as conn:
            (newest,) = conn.execute("SELECT max(id) FROM _browse_runs").fetchone()
            if remove_rows:
                for (table,) in conn.execute("SELECT name FROM _browse_objects WHERE type = 'table'").fetchall():
                    columns = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
                    if "run" in columns and table != "runs":
                        conn.execute(f"DELETE FROM [{table}] WHERE run = ?", [newest])
                for table in ("result_summary", "clause_costs"):
                    conn.execute(f"DELETE FROM [{table}] WHERE run = ?", [newest])
                conn.execute("DELETE FROM run_changes WHERE other_run = ?", [newest])
                conn.execute("DELETE FROM _browse_runs WHERE id = ?", [newest])
            else:
                conn.execute("UPDATE _browse_runs SET started_at = 'stale' WHERE id = ?", [newest])
        os.utime(path, (1, 1))  # older than the source: the next build looks at it

    if args.pages_only:
        copy = build("（已有副本）")
    else:
        copy = build("全新构建", force=True)
        forget_newest_run(copy, remove_rows=True)
        build("新增一次运行")
        forget_newest_run(copy, remove_rows=False)
        build("替换一次运行（同名假设重算）")
        os.utime(copy, (1, 1))
        copy = build("无新运行（只检查）")
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("practitioners", "activities", "credit_awards")}

    def sql(q):
        return conn.execute(q).fetchone()[0]

    ds = make_datasette(copy)

    async def measure():
        out = []
        for label, path in pages(sql):
            times, status = [], None
            for _ in range(args.repeat):
                t = time.perf_counter()
                response = await ds.client.get(path)
                times.append(time.perf_counter() - t)
                status = str(response.status_code)
                if "x-jijiao-rows" in response.headers:
                    status += f"，{response.headers['x-jijiao-rows']} 行"
            timed_out = "超时" if "以下分面统计超时" in response.text else ""
            out.append((label, statistics.median(times), status, timed_out))
        return out

    results = asyncio.run(measure())
    print(f"{counts['practitioners']:,} 人，{counts['activities']:,} 项活动，{counts['credit_awards']:,} 条学分授予（全部运行）\n")
    print("| 浏览副本 | 用时（秒） | 文件 | 主要步骤（秒） |\n|---|---|---|---|")
    for label, seconds, size_mb, steps, _update in builds:
        shown = "，".join(f"{k} {v:.1f}" for k, v in steps[:8])
        print(f"| {label} | {seconds:.1f} | {size_mb:,.0f} MB | {shown} |")
    print("\n| 页面 | 用时（中位数，秒） | 状态 |\n|---|---|---|")
    for label, seconds, status, timed_out in results:
        print(f"| {label} | {seconds:.3f} | {status}{' · 有分面超时' if timed_out else ''} |")


if __name__ == "__main__":
    main()
