"""Canned queries for the three groups who read the results, in their words.

- 继续医学教育办公室 (the CME office): who is short, what was cut by caps, which cross-region
  credits wait for recognition, what falls due;
- 政策研究人员 (policy staff): pass rates by unit level, findings by clause, what a change of
  policy numbers would do (a what-if run against the baseline);
- 单位 (units): their own people and their own deadlines.

Every query reads one run: ``:run`` is a run name (empty = ``baseline``), and the latest year of
that name is used. Empty text parameters mean "all". Output columns carry Chinese names. They run
on the browse copy, whose annual results carry province, city and district (`in_place`); a
parameter naming nothing that exists is said on the page (plugin.query_vars), not answered with
zero rows.
"""

from __future__ import annotations

def named_run(param: str, default: str) -> str:
    """The id of the latest complete run named by parameter ``param`` (``default`` when empty)."""
    return (
        f"(SELECT id FROM runs WHERE status = 'complete' AND name = coalesce(nullif(:{param}, ''), {default}) "
        "ORDER BY year DESC, id DESC LIMIT 1)"
    )


# The id of the run a query reads: the latest complete run named :run (default baseline).
RUN = named_run("run", "'baseline'")


def in_jurisdiction(column: str) -> str:
    """A filter on a jurisdiction column that accepts a code (430100) or a name (长沙市); '' = all.
    A province's code or name also matches its cities (210000 matches 210100)."""
    return (
        f"(:jurisdiction = '' OR {column} = :jurisdiction "
        f"OR {column} IN (SELECT code FROM jurisdictions WHERE name = :jurisdiction OR parent = :jurisdiction "
        f"OR parent IN (SELECT code FROM jurisdictions WHERE name = :jurisdiction)))"
    )


def in_place(alias: str) -> str:
    """`in_jurisdiction` for annual results in the browse copy, which also knows each result's
    province, city and district (datasette/summaries.py): 丹东市 finds Liaoning's people of
    丹东市 though their own code is 210000."""
    return (
        f"({in_jurisdiction(alias + '.jurisdiction')} OR {alias}.province = :jurisdiction OR {alias}.city = :jurisdiction "
        f"OR {alias}.district = :jurisdiction OR :jurisdiction IN (SELECT name FROM places WHERE code IN "
        f"({alias}.province, {alias}.city, {alias}.district)))"
    )


QUERIES: dict[str, dict] = {
    # ---------------------------------------------------------------- the CME office
    "short_of_credits": {
        "title": "学分未达标人员（按单位、地区）",
        "description": "年度应修学分未修满的人员，按执业地区、单位、差额排列。"
        "参数：jurisdiction 地区代码或名称（留空为全部），unit 单位名称的一部分，run 运行名称（留空为 baseline）。",
        "sql": f"""
SELECT a.practitioner AS "人员编号", p.name AS "姓名", a.unit AS "工作单位", j.name AS "执业地区",
       a.unit_level AS "单位级别", a.title AS "职称", a.required AS "应修学分", a.earned AS "已获学分",
       a.shortfall AS "差额学分", /*categories:学分*/ a.verdict AS "年度结论"
FROM annual_results a
JOIN practitioners p ON p.id = a.practitioner
LEFT JOIN jurisdictions j ON j.code = a.jurisdiction
WHERE a.run = {RUN}
  AND a.shortfall > 0
  AND a.verdict <> '合格'  -- a year deemed complete (规培, 6 months' study …) is not short
  AND {in_place("a")}
  AND (:unit = '' OR a.unit LIKE '%' || :unit || '%')
ORDER BY a.jurisdiction, a.unit, a.shortfall DESC, a.practitioner
""",
    },
    "short_by_unit": {
        "title": "各单位学分未达标人数",
        "description": "按单位汇总：人数、未达标人数、未达标比例、差额合计。参数同上。",
        "sql": f"""
SELECT j.name AS "执业地区", a.unit AS "工作单位", a.unit_level AS "单位级别", count(*) AS "人数",
       sum(a.shortfall > 0 AND a.verdict <> '合格') AS "未达标人数",
       round(100.0 * sum(a.shortfall > 0 AND a.verdict <> '合格') / count(*), 1) AS "未达标比例（%）",
       round(sum(CASE WHEN a.verdict <> '合格' THEN coalesce(a.shortfall, 0) ELSE 0 END), 1) AS "差额学分合计"
FROM annual_results a
LEFT JOIN jurisdictions j ON j.code = a.jurisdiction
WHERE a.run = {RUN}
  AND {in_place("a")}
  AND (:unit = '' OR a.unit LIKE '%' || :unit || '%')
GROUP BY a.jurisdiction, a.unit
ORDER BY "未达标人数" DESC, a.unit
""",
    },
    "capped_credits": {
        "title": "被上限削减的学分",
        "description": "某类活动超过年度上限、被削减的学分：上限、削减前后、依据条款。",
        "sql": f"""
SELECT c.practitioner AS "人员编号", p.name AS "姓名", p.unit AS "工作单位", j.name AS "执业地区",
       c.cap AS "年度上限", c.cap_limit AS "上限学分", c.before_credits AS "削减前学分",
       c.after_credits AS "削减后学分", round(c.before_credits - c.after_credits, 1) AS "被削减学分",
       c.clause AS "依据条款"
FROM cap_applications c
JOIN practitioners p ON p.id = c.practitioner
LEFT JOIN jurisdictions j ON j.code = p.jurisdiction
WHERE c.run = {RUN}
  AND {in_jurisdiction("p.jurisdiction")}
  AND (:unit = '' OR p.unit LIKE '%' || :unit || '%')
ORDER BY "被削减学分" DESC, c.practitioner
""",
    },
    "cross_region_pending": {
        "title": "待认可的跨地区学分",
        "description": "在执业地所在省以外公布的项目所获学分，尚待认可（状态为待审核）。",
        "sql": f"""
SELECT r.activity AS "活动编号", r.practitioner AS "人员编号", p.name AS "姓名", p.unit AS "工作单位",
       jp.name AS "执业地区", jj.name AS "项目公布地区", r.status AS "认可结果", r.reason AS "理由",
       r.clause AS "依据条款"
FROM recognitions r
JOIN practitioners p ON p.id = r.practitioner
LEFT JOIN jurisdictions jp ON jp.code = r.practitioner_jurisdiction
LEFT JOIN jurisdictions jj ON jj.code = r.project_jurisdiction
WHERE r.run = {RUN}
  AND r.cross_region = 1 AND r.status = '待审核'
  AND {in_jurisdiction("r.practitioner_jurisdiction")}
ORDER BY r.practitioner_jurisdiction, p.unit, r.practitioner
""",
    },
    "deadlines_next_30_days": {
        "title": "未来30天内到期的事项",
        "description": "从 today（留空为今天，北京时间）起30天内到期、尚未完成的截止事项。"
        "也可订阅日历：/-/jijiao/deadlines.ics?jurisdiction=…&unit=…",
        "sql": f"""
WITH t AS (SELECT coalesce(nullif(:today, ''), date('now', '+8 hours')) AS today)
SELECT d.due AS "截止时间", d.what AS "事项", d.who AS "责任方", d.project AS "项目编号",
       pr.name AS "项目名称", pr.host AS "主办单位", j.name AS "地区", d.state AS "状态", d.clause AS "依据条款"
FROM deadlines d CROSS JOIN t
LEFT JOIN projects pr ON pr.id = d.project
LEFT JOIN jurisdictions j ON j.code = d.jurisdiction
WHERE d.run = {RUN}
  AND d.done_at IS NULL
  AND substr(d.due, 1, 10) BETWEEN t.today AND date(t.today, '+30 days')
  AND {in_jurisdiction("d.jurisdiction")}
  AND (:unit = '' OR pr.host LIKE '%' || :unit || '%')
ORDER BY d.due, d.project
""",
    },
    # ---------------------------------------------------------------- policy staff
    "pass_rate_by_unit_level": {
        "title": "各级单位的合格率",
        "description": "按单位级别（县级、市级……）统计年度结论。",
        "sql": f"""
SELECT coalesce(a.unit_level, '（未填）') AS "单位级别", count(*) AS "人数",
       sum(a.verdict = '合格') AS "合格", sum(a.verdict = '不合格') AS "不合格",
       sum(a.verdict = '无法判定') AS "无法判定",
       round(100.0 * sum(a.verdict = '合格') / count(*), 1) AS "合格率（%）"
FROM annual_results a
WHERE a.run = {RUN}
  AND {in_place("a")}
GROUP BY a.unit_level
ORDER BY "合格率（%）"
""",
    },
    "findings_by_clause": {
        "title": "按条款统计的问题",
        "description": "每一条款引出的问题数（人员与项目），以及涉及的对象数。",
        "sql": f"""
SELECT f.clause AS "依据条款", c.summary AS "条款摘要", d.number AS "文号", f.severity AS "性质",
       count(*) AS "问题数", count(DISTINCT f.subject) AS "涉及对象数"
FROM findings f
LEFT JOIN clauses c ON c.id = f.clause
LEFT JOIN documents d ON d.id = c.document
WHERE f.run = {RUN}
  AND {in_jurisdiction("f.jurisdiction")}
GROUP BY f.clause, f.severity
ORDER BY "问题数" DESC, f.clause
""",
    },
    "projects_with_violations": {
        "title": "存在违规的项目（按条款）",
        "description": "项目审查发现的违规和不予受理情形；clause 可填条款编号或其一部分（如 四(五)）。",
        "sql": f"""
SELECT f.clause AS "依据条款", f.project AS "项目编号", pr.name AS "项目名称", pr.host AS "主办单位",
       j.name AS "项目所属地区", f.severity AS "性质", f.message AS "问题", f.consequence AS "后果"
FROM findings f
JOIN projects pr ON pr.id = f.project
LEFT JOIN jurisdictions j ON j.code = f.jurisdiction
WHERE f.run = {RUN}
  AND f.subject_kind = 'project' AND f.severity IN ('违规', '不予受理')
  AND (:clause = '' OR f.clause LIKE '%' || :clause || '%')
  AND {in_jurisdiction("f.jurisdiction")}
ORDER BY f.clause, f.project
""",
    },
    "what_if": {
        "title": "政策调整的影响（两次运行对比）",
        "description": "base 与 other 为运行名称（base 留空为 baseline，other 留空为最近的另一次运行），"
        "列出年度结论不同的人员。先用 jijiao assess --set 插件.参数=值 生成对比运行。",
        "sql": """
WITH b AS (SELECT id FROM runs WHERE status = 'complete' AND name = coalesce(nullif(:base, ''), 'baseline')
           ORDER BY year DESC, id DESC LIMIT 1),
     o AS (SELECT r.id FROM runs r, runs br WHERE br.id = (SELECT id FROM b) AND r.status = 'complete'
           AND r.year = br.year AND r.id <> br.id AND (:other = '' OR r.name = :other)
           ORDER BY r.finished_at DESC LIMIT 1)
SELECT ba.practitioner AS "人员编号", p.name AS "姓名", ba.unit AS "工作单位", j.name AS "执业地区",
       ba.verdict || '→' || oa.verdict AS "变化", ba.earned AS "基准已获学分", oa.earned AS "对比已获学分",
       ba.required AS "基准应修学分", oa.required AS "对比应修学分"
FROM annual_results ba
JOIN annual_results oa ON oa.practitioner = ba.practitioner AND oa.run = (SELECT id FROM o)
JOIN practitioners p ON p.id = ba.practitioner
LEFT JOIN jurisdictions j ON j.code = ba.jurisdiction
WHERE ba.run = (SELECT id FROM b) AND ba.verdict <> oa.verdict
  AND {jurisdiction}
ORDER BY "变化", ba.jurisdiction, ba.practitioner
""".replace("{jurisdiction}", in_jurisdiction("ba.jurisdiction")),
    },
    "what_if_summary": {
        "title": "政策调整的影响（按地区汇总）",
        "description": "两次运行各地区合格人数与合格率的对比。参数同上。",
        "sql": """
WITH b AS (SELECT id FROM runs WHERE status = 'complete' AND name = coalesce(nullif(:base, ''), 'baseline')
           ORDER BY year DESC, id DESC LIMIT 1),
     o AS (SELECT r.id FROM runs r, runs br WHERE br.id = (SELECT id FROM b) AND r.status = 'complete'
           AND r.year = br.year AND r.id <> br.id AND (:other = '' OR r.name = :other)
           ORDER BY r.finished_at DESC LIMIT 1)
SELECT j.name AS "执业地区", count(*) AS "人数",
       sum(ba.verdict = '合格') AS "基准合格", sum(oa.verdict = '合格') AS "对比合格",
       sum(oa.verdict = '合格') - sum(ba.verdict = '合格') AS "合格人数变化",
       round(100.0 * sum(ba.verdict = '合格') / count(*), 1) AS "基准合格率（%）",
       round(100.0 * sum(oa.verdict = '合格') / count(*), 1) AS "对比合格率（%）"
FROM annual_results ba
JOIN annual_results oa ON oa.practitioner = ba.practitioner AND oa.run = (SELECT id FROM o)
LEFT JOIN jurisdictions j ON j.code = ba.jurisdiction
WHERE ba.run = (SELECT id FROM b)
GROUP BY ba.jurisdiction
ORDER BY ba.jurisdiction
""",
    },
    # ---------------------------------------------------------------- units
    "unit_results": {
        "title": "本单位人员年度结果",
        "description": "填写单位名称（或其一部分），查看本单位每个人的学分与结论。",
        "sql": f"""
SELECT a.practitioner AS "人员编号", p.name AS "姓名", a.unit AS "工作单位", a.title AS "职称",
       a.required AS "应修学分", a.earned AS "已获学分", a.shortfall AS "差额学分",
       /*categories:学时*/ a.verdict AS "年度结论", a.deemed_complete AS "视为合格原因"
FROM annual_results a
JOIN practitioners p ON p.id = a.practitioner
WHERE a.run = {RUN}
  AND :unit <> '' AND a.unit LIKE '%' || :unit || '%'
ORDER BY a.unit, a.verdict, a.practitioner
""",
    },
    # ---------------------------------------------------------------- search
    "find_by_name": {
        "title": "按名称查找（一两个字也可以）",
        "description": "全文检索（trigram）要求至少3个字；本查询用 LIKE 查找任意长度的片段："
        "人员姓名与单位、项目名称与主办单位、条款原文。",
        "sql": """
SELECT * FROM (
  SELECT '人员' AS "类型", id AS "编号", name AS "名称", unit AS "所属" FROM practitioners
  WHERE :q <> '' AND (name LIKE '%' || :q || '%' OR unit LIKE '%' || :q || '%')
  UNION ALL
  SELECT '项目', id, name, host FROM projects
  WHERE :q <> '' AND (name LIKE '%' || :q || '%' OR host LIKE '%' || :q || '%')
  UNION ALL
  SELECT '条款', id, coalesce(nullif(summary, ''), substr(text, 1, 60)), document FROM clauses
  WHERE :q <> '' AND text LIKE '%' || :q || '%'
) LIMIT 500
""",
    },
}


def with_categories(sql: str, registry) -> str:
    """Fill a query's ``/*categories:UNIT*/`` with the ``annual_results`` column of each declared
    category in that unit (Ⅰ类学分, Ⅱ类学分; 公共科目学时), so that no query names a region's."""
    import re

    def columns(match) -> str:
        unit = match.group(1)
        return "".join(f'a.[{c.code}] AS "{c.zh}", ' for c in registry.categories.values() if c.unit == unit)

    return re.sub(r"/\*categories:(\w+)\*/ ", columns, sql)
