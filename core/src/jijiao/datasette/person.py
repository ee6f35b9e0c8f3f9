"""A practitioner's year (the 达标 page, as 华医网 shows it): the badge and the one reason that
decides it, progress against each requirement, every activity with 计入 / 不计入 and why, the
caps, findings and deadlines, each step linked to its clause.

The deciding reason is read from the requirement results, not from the annual row's
``deemed_complete``: a year can be deemed complete for its professional credits (规培) and
still fail on 公共科目学时, and then the unmet requirement is what decides it.
"""

from __future__ import annotations

import json

from .context import View

COUNTED = {"授予": "计入", "不予授予": "不计入", "待审核": "待审核（暂不计入）"}


def fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def deciding_reason(result: dict, requirements: list[dict]) -> tuple[str, str | None]:
    """(the sentence that decides the verdict, the clause it rests on)."""
    verdict = result["verdict"]
    if verdict == "不合格":
        for r in requirements:
            if r["met"] == 0:
                return (f"{r['label'] or r['requirement']}：已获 {fmt(r['earned'])} / 应修 {fmt(r['required'])} "
                        f"{r['unit'] or ''}，差 {fmt(r['shortfall'])} {r['unit'] or ''}。".replace(" 。", "。"), r["clause"])
        return f"应修 {fmt(result['required'])} 学分，已获 {fmt(result['earned'])} 学分，差 {fmt(result['shortfall'])} 学分。", None
    if verdict == "无法判定":
        for r in requirements:
            if r["met"] is None:
                missing = f"《{r['missing_document']}》" if r["missing_document"] else "我们没有的文件"
                return (f"{r['label'] or r['requirement']}：已获 {fmt(r['earned'])} {r['unit'] or ''}，"
                        f"年度要求取决于{missing}，我们没有该文件，不作猜测。", r["clause"])
        return result.get("reason") or "年度要求取决于我们没有的文件。", None
    if result.get("deemed_complete"):
        return f"视为合格：{result['deemed_complete']}。", result.get("deemed_clause")
    met = "、".join(f"{r['label'] or r['requirement']} {fmt(r['earned'])}/{fmt(r['required'])} {r['unit'] or ''}".strip()
                   for r in requirements)
    return f"各项要求均已达到：{met}。", requirements[0]["clause"] if requirements else None


def progress(r: dict) -> int | None:
    if not r["required"]:
        return None
    return max(0, min(100, round(100 * (r["earned"] or 0) / r["required"])))


async def person_data(datasette, db, database: str, view: View, practitioner: str, row_url, steps) -> dict | None:
    result = (await db.execute("SELECT * FROM annual_results WHERE run = ? AND practitioner = ?",
                               [view.run_id, practitioner])).first()
    person = (await db.execute("SELECT * FROM practitioners WHERE id = ?", [practitioner])).first()
    if result is None:
        return {"person": dict(person) if person else None, "result": None}
    result = dict(result)
    requirements = [dict(r) for r in (await db.execute(
        "SELECT * FROM requirement_results WHERE run = ? AND practitioner = ? ORDER BY rowid",
        [view.run_id, practitioner])).rows]
    for r in requirements:
        r["percent"] = progress(r)
        r["clause_url"] = row_url("clauses", r["clause"]) if r["clause"] else None
    reason, reason_clause = deciding_reason(result, requirements)
    awards = []
    for r in (await db.execute(
            """SELECT ca.rowid AS award_id, ca.*, act.date, act.hours, act.project, pr.name AS project_name,
                      (SELECT zh FROM labels WHERE enum = 'ActivityKind' AND code = ca.kind) AS kind_zh,
                      (SELECT zh FROM labels WHERE enum = 'Category' AND code = ca.category) AS category_zh
               FROM credit_awards ca LEFT JOIN activities act ON act.id = ca.activity
               LEFT JOIN projects pr ON pr.id = act.project
               WHERE ca.run = ? AND ca.practitioner = ? ORDER BY ca.status <> '授予', act.date, ca.activity""",
            [view.run_id, practitioner])).rows:
        award = dict(r)
        ids = json_list(award["clauses"])
        award["counted"] = COUNTED.get(award["status"], award["status"])
        if award["status"] == "授予" and award["capped"]:
            award["counted"] = "计入（受上限削减）"
        award["steps"] = steps(award["explanation"] or "", ids)
        award["clause_links"] = [(c, row_url("clauses", c)) for c in ids]
        award["url"] = row_url("credit_awards", str(award["award_id"]))
        awards.append(award)
    caps = [dict(r) for r in (await db.execute(
        "SELECT *, (SELECT summary FROM clauses WHERE id = clause) AS cap_zh FROM cap_applications "  # the cap's own
        "WHERE run = ? AND practitioner = ?",  # description is not stored; its clause's summary names it
        [view.run_id, practitioner])).rows]
    for c in caps:
        c["clause_url"] = row_url("clauses", c["clause"]) if c["clause"] else None
        if not c["cap"].isascii():  # a ceiling across records names its project and records in words: say that
            c["cap_zh"] = c["cap"]
    findings = [dict(r) for r in (await db.execute(
        "SELECT rowid AS id, * FROM findings WHERE run = ? AND practitioner = ? ORDER BY rowid",
        [view.run_id, practitioner])).rows]
    # The readings the year's requirements rest on are stored once per run; each person's page
    # still says them, beside the findings, as it did when every result carried them.
    keys = sorted({key for r in requirements for key in json_list(r.get("readings"))})
    if keys:
        for reading in (await db.execute(
                f"SELECT key, clause, taken FROM readings WHERE key IN ({', '.join('?' for _k in keys)}) ORDER BY key", keys)).rows:
            findings.append({"severity": "说明", "message": f"按本插件的理解：{reading['taken']}（{reading['clause']}）",
                             "consequence": "", "clause": reading["clause"]})
    for f in findings:
        f["clause_url"] = row_url("clauses", f["clause"]) if f["clause"] else None
    deadlines = [dict(r) for r in (await db.execute(
        "SELECT rowid AS id, * FROM deadlines WHERE run = ? AND subject = ? ORDER BY due",
        [view.run_id, practitioner])).rows]
    for d in deadlines:
        d["clause_url"] = row_url("clauses", d["clause"]) if d["clause"] else None
    others = [dict(r) for r in (await db.execute(
        "SELECT a.run, a.year, a.verdict, r.name FROM annual_results a JOIN runs r ON r.id = a.run "
        "WHERE a.practitioner = ? ORDER BY a.year DESC, a.run DESC", [practitioner])).rows]
    return {
        "person": dict(person) if person else {"id": practitioner, "name": practitioner},
        "result": result,
        "reason": reason,
        "reason_clause": reason_clause,
        "reason_clause_url": row_url("clauses", reason_clause) if reason_clause else None,
        "requirements": requirements,
        "awards": awards,
        "counted_credits": round(sum(a["credits"] or 0 for a in awards if a["status"] == "授予"), 1),
        "caps": caps,
        "findings": findings,
        "deadlines": deadlines,
        "other_runs": others,
        "missing_layers": json_list(result.get("missing_layers")),
        "chain": [await place_name(db, code) for code in json_list(result.get("chain"))],
        "missing_documents": json_list(result.get("missing_documents")),
    }


def json_list(value) -> list[str]:
    from .plugin import clause_ids  # one reader of our JSON list columns

    return clause_ids(value)


async def place_name(db, code: str) -> str:
    row = (await db.execute("SELECT name FROM jurisdictions WHERE code = ? UNION ALL SELECT name FROM places WHERE code = ?",
                            [code, code])).first()
    return f"{row[0]}（{code}）" if row else code
