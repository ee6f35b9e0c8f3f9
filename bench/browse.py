"""Browse benchmark: how long the browse copy takes to build after a run, and how long each
analyst page takes to answer, on a generated year.

    .venv/bin/python bench/browse.py --size 40000 [--db /tmp/browse-bench.db] [--repeat 3]

Makes the year with `jijiao demo --size N` (plus one what-if run) unless --db exists, builds the
copy (timed), then asks each page through Datasette in process (no network) --repeat times and
prints the median of each, as a Markdown table for docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

JIJIAO = str(Path(sys.executable).with_name("jijiao"))


def pages(sql) -> list[tuple[str, str]]:
    person = sql("SELECT practitioner FROM annual_results WHERE run = 1 AND verdict = '不合格' LIMIT 1")
    unit = sql("SELECT unit FROM result_summary WHERE run = 1 GROUP BY unit ORDER BY sum(practitioners) DESC LIMIT 1")
    name = sql("SELECT name FROM practitioners WHERE length(name) = 2 LIMIT 1")
    return [
        ("首页（仪表盘）", "/"),
        ("首页，按丹东市", "/?region=210600"),
        ("首页，全部单位", "/?units=all"),
        ("达标页（一人一年）", f"/-/jijiao/person/{person}"),
        ("政策调整的影响", "/-/jijiao/whatif"),
        ("查找两个字的姓名", "/-/jijiao/search?q=" + quote(name)),
        ("年度结果表（含分面）", "/jijiao/annual_results?run=1"),
        ("年度结果表，一个单位不合格", f"/jijiao/annual_results?run=1&unit={quote(unit)}&verdict={quote('不合格')}"),
        ("学分授予表（含分面）", "/jijiao/credit_awards?run=1"),
        ("学分授予表，一人", f"/jijiao/credit_awards?run=1&practitioner={person}"),
        ("学习活动表", "/jijiao/activities"),
        ("导出一个单位不合格者（.xlsx）", "/-/jijiao/export.xlsx?path=" + quote(
            f"/jijiao/annual_results?run=1&unit={quote(unit)}&verdict={quote('不合格')}", safe="")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=40000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = Path(args.db or f"/tmp/browse-bench-{args.size}.db")
    if not db.exists():
        started = time.perf_counter()
        subprocess.run([JIJIAO, "demo", "--db", str(db), "--size", str(args.size)], check=True, capture_output=True)
        subprocess.run([JIJIAO, "assess", "--db", str(db), "--year", "2026", "--set", "liaoning.annual_credits=30"],
                       check=True, capture_output=True)
        print(f"demo + what-if: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    import sqlite3

    from jijiao.datasette.server import make_datasette
    from jijiao.publish import build_browse_copy

    started = time.perf_counter()
    copy, _built = build_browse_copy(db, force=True)
    build_s = time.perf_counter() - started
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("practitioners", "activities", "credit_awards")}
    size_mb = copy.stat().st_size / 1e6

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
    print(f"| 浏览副本 | {counts['practitioners']:,} 人，{counts['activities']:,} 项活动，{counts['credit_awards']:,} 条学分授予（两次运行）"
          f"| 构建 {build_s:.1f} 秒，{size_mb:,.0f} MB |")
    print("\n| 页面 | 用时（中位数，秒） | 状态 |\n|---|---|---|")
    for label, seconds, status, timed_out in results:
        print(f"| {label} | {seconds:.3f} | {status}{' · 有分面超时' if timed_out else ''} |")


if __name__ == "__main__":
    main()
