"""The three charts, drawn as SVG on the server: no JavaScript and nothing fetched from a CDN, so
they render offline (an office intranet), print, and show in screenshots.

Each chart has a ``*_data`` function (one SQL query on one run, by its id, returning plain rows,
also served as JSON at /-/jijiao/charts.json) and a drawing function.
"""

from __future__ import annotations

from html import escape

from ..plugins import province_names

PASS, FAIL, UNKNOWN, ACCENT = "#2e7d32", "#c62828", "#9e9e9e", "#1565c0"
FONT = 'font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif"'
BIN = 5  # credits per histogram bar
TOP_CLAUSES = 15


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


async def credits_distribution_data(db, run: int | None) -> list[dict]:
    """Per jurisdiction: how many practitioners earned 0–5, 5–10 … credits, and the requirement
    (the most common one there; NULL where it depends on a document we lack)."""
    rows = await db.execute(
        f"""SELECT a.jurisdiction, coalesce(j.name, a.jurisdiction) AS name,
                   CAST(coalesce(a.earned, 0) / {BIN} AS INTEGER) AS bin, count(*) AS n
            FROM annual_results a LEFT JOIN jurisdictions j ON j.code = a.jurisdiction
            WHERE a.run = :run GROUP BY a.jurisdiction, bin ORDER BY a.jurisdiction, bin""",
        {"run": run},
    )
    required = await db.execute(
        f"""SELECT jurisdiction, required, count(*) AS n FROM annual_results WHERE run = :run
            GROUP BY jurisdiction, required ORDER BY jurisdiction, n DESC""",
        {"run": run},
    )
    usual: dict[str, float | None] = {}
    for row in required.rows:
        usual.setdefault(row["jurisdiction"], row["required"])
    provinces = province_names()  # practitioners may sit in a province no plugin covers (广东省)
    out: dict[str, dict] = {}
    for row in rows.rows:
        name = row["name"] if row["name"] != row["jurisdiction"] else provinces.get(row["jurisdiction"], row["name"])
        entry = out.setdefault(row["jurisdiction"], {
            "jurisdiction": row["jurisdiction"], "name": name, "required": usual.get(row["jurisdiction"]), "bins": {},
        })
        entry["bins"][row["bin"] * BIN] = row["n"]
    return list(out.values())


async def pass_rate_by_level_data(db, run: int | None) -> list[dict]:
    rows = await db.execute(
        f"""SELECT coalesce(unit_level, '（未填）') AS level, count(*) AS n,
                   sum(verdict = '合格') AS passed, sum(verdict = '不合格') AS failed,
                   sum(verdict = '无法判定') AS undetermined
            FROM annual_results WHERE run = :run GROUP BY unit_level ORDER BY n DESC""",
        {"run": run},
    )
    return [dict(r) for r in rows.rows]


async def findings_by_clause_data(db, run: int | None) -> list[dict]:
    rows = await db.execute(
        f"""SELECT f.clause, coalesce(c.summary, '') AS summary, count(*) AS n
            FROM findings f LEFT JOIN clauses c ON c.id = f.clause
            WHERE f.run = :run AND f.clause IS NOT NULL
            GROUP BY f.clause ORDER BY n DESC, f.clause LIMIT {TOP_CLAUSES}""",
        {"run": run},
    )
    return [dict(r) for r in rows.rows]


# --------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------


def _text(x, y, text, size=12, anchor="start", fill="#222", weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}" {FONT}>{escape(str(text))}</text>')


def credits_histogram(entry: dict, width: int = 420, height: int = 220) -> str:
    """One jurisdiction's histogram of earned credits, bars left of the requirement in red."""
    bins = entry["bins"]
    required = entry["required"]
    top = max(bins) if bins else 0
    if required is not None:
        top = max(top, int(required // BIN) * BIN)
    edges = list(range(0, top + BIN, BIN))
    most = max(bins.values(), default=1)
    left, bottom, plot_h = 40, height - 40, height - 80
    bar_w = (width - left - 10) / max(len(edges), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    title = f"{entry['name']}：已获学分分布"
    parts.append(_text(left, 18, title, 14, weight="bold"))
    parts.append(_text(left, 34, f"年度要求 {required:g} 学分" if required is not None else "年度要求无法确定（缺少文件）", 11, fill="#555"))
    for i, edge in enumerate(edges):
        n = bins.get(edge, 0)
        h = plot_h * n / most
        x = left + i * bar_w
        below = required is not None and edge + BIN <= required
        colour = FAIL if below else (PASS if required is not None else UNKNOWN)
        parts.append(f'<rect x="{x + 1:.1f}" y="{bottom - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{colour}">'
                     f'<title>{edge}–{edge + BIN} 学分：{n} 人</title></rect>')
        if i % 2 == 0:
            parts.append(_text(x, bottom + 14, edge, 10))
    if required is not None:
        x = left + required / BIN * bar_w
        parts.append(f'<line x1="{x:.1f}" y1="{bottom - plot_h - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#000" stroke-dasharray="4 3"/>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="#888"/>')
    parts.append(_text(width - 10, bottom + 28, "已获学分（Ⅰ类＋Ⅱ类）", 10, "end", "#555"))
    parts.append(_text(4, bottom - plot_h, f"{most} 人", 10, fill="#555"))
    parts.append("</svg>")
    return "".join(parts)


def pass_rate_bars(rows: list[dict], width: int = 720) -> str:
    """100 % stacked bars per unit level: 合格 / 不合格 / 无法判定, labelled with the pass rate."""
    row_h, left = 30, 90
    height = 50 + row_h * len(rows) + 30
    plot_w = width - left - 130
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
             _text(left, 20, "各级单位的年度结论（合格率）", 14, weight="bold")]
    for i, row in enumerate(rows):
        y = 40 + i * row_h
        x = left
        parts.append(_text(left - 8, y + 17, row["level"], 12, "end"))
        for key, colour, label in (("passed", PASS, "合格"), ("failed", FAIL, "不合格"), ("undetermined", UNKNOWN, "无法判定")):
            w = plot_w * (row[key] or 0) / row["n"]
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}">'
                         f'<title>{escape(row["level"])} {label}：{row[key] or 0} / {row["n"]} 人</title></rect>')
            x += w
        rate = 100.0 * (row["passed"] or 0) / row["n"]
        parts.append(_text(left + plot_w + 6, y + 17, f"{rate:.1f}%（{row['n']}人）", 11))
    y = 40 + len(rows) * row_h + 10
    for j, (colour, label) in enumerate(((PASS, "合格"), (FAIL, "不合格"), (UNKNOWN, "无法判定"))):
        parts.append(f'<rect x="{left + j * 110}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(left + j * 110 + 16, y + 11, label, 11))
    parts.append("</svg>")
    return "".join(parts)


def findings_bars(rows: list[dict], width: int = 720) -> str:
    """Horizontal bars: the clauses that raise the most findings."""
    row_h, left = 26, 300
    height = 40 + row_h * len(rows) + 10
    most = max((r["n"] for r in rows), default=1)
    plot_w = width - left - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
             _text(10, 20, f"问题最多的{len(rows)}个条款", 14, weight="bold")]
    for i, row in enumerate(rows):
        y = 32 + i * row_h
        label = row["clause"] + (f" {row['summary']}" if row["summary"] else "")
        if len(label) > 26:
            label = label[:25] + "…"
        w = plot_w * row["n"] / most
        parts.append(_text(left - 8, y + 15, label, 11, "end"))
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row_h - 8}" fill="{ACCENT}">'
                     f'<title>{escape(row["clause"])}：{row["n"]} 条</title></rect>')
        parts.append(_text(left + w + 4, y + 14, row["n"], 11))
    parts.append("</svg>")
    return "".join(parts)
