"""Plain-text renderings of results for people (the CLI's default output), in Chinese."""

from __future__ import annotations

from .models import AnnualResult, CreditAward, Deadline, Finding
from .plugins import Registry, parameter_value_text


def clause_line(registry: Registry, ref) -> str:
    clause = registry.clauses.get(ref)
    if clause is None:
        return f"  {ref}"
    document = registry.documents[ref.document]
    return f"  {ref}  {document.number or document.title}：{clause.text}"


def award_text(registry: Registry, award: CreditAward) -> str:
    lines = [f"{award.status.zh} {parameter_value_text(award.credits)} 学分" + (f"（{award.category.zh}）" if award.category else "")]
    lines += [f"  {i}. {s}" for i, s in enumerate(award.steps, 1)]
    if award.clauses:
        lines.append("依据：")
        lines += [clause_line(registry, ref) for ref in award.clauses]
    return "\n".join(lines)


def finding_text(f: Finding) -> str:
    text = f"[{f.severity.zh}] {f.clause or '—'}  {f.message}"
    return text + (f"（后果：{f.consequence}）" if f.consequence else "")


def deadline_text(d: Deadline) -> str:
    state = {True: "逾期", False: "按时", None: ""}[d.late]
    done = f"，完成于 {d.done_at:%Y-%m-%d %H:%M}" if d.done_at else ""
    return f"{d.due:%Y-%m-%d %H:%M}  {d.what}（{d.who}）  {d.clause}{done} {state}".rstrip()


VERDICT = {True: "合格", False: "不合格", None: "无法判定"}


def annual_text(registry: Registry, result: AnnualResult) -> str:
    chain = " → ".join(registry.name_of(c) for c in result.chain)
    head = f"{result.practitioner} {result.year} 年度：{VERDICT[result.passed]}"
    lines = [head + (f"（{result.reason}）" if result.reason else ""), f"适用规则：{chain}"]
    for missing in result.missing_layers:
        lines.append(f"未适用：{missing}")
    for document in result.missing_documents:
        lines.append(f"缺少文件：{document.citation}，涉及{document.needed_for}")
    for deemed in result.deemed_complete:
        lines.append(f"视为合格：{deemed.reason}（{deemed.clause}）")
    for r in result.requirements:
        q = r.requirement
        required = "未知" if q.required is None else parameter_value_text(q.required)
        shortfall = r.shortfall
        tail = "" if shortfall is None else f"，尚缺 {parameter_value_text(shortfall)}"
        lines.append(f"{q.label}：已取得 {parameter_value_text(r.earned)} / 要求 {required} {q.unit}{tail}（{q.clause or '—'}）")
        if r.note:
            lines.append(f"  {r.note}")
        lines += [f"  {reading.step()}" for reading in q.readings]
        if r.met is None and q.missing is not None:
            lines.append(f"  无法判定：要求数值由{q.missing.citation}规定，我们没有该文件")
    for cap in result.caps:
        lines.append(f"上限 {cap.cap}：{parameter_value_text(cap.before)} → {parameter_value_text(cap.after)}（{cap.clause}）")
    lines.append("各项活动：")
    for award in result.awards:
        head = f"  {award.activity}: {award.status.zh} {parameter_value_text(award.credits)}"
        if award.bound is not None:
            head += f"（至多 {parameter_value_text(award.bound)}）"
        lines.append(head + (f" {award.category.zh}" if award.category else ""))
        lines += [f"      - {s}" for s in award.steps]
    if result.findings:
        lines.append("结论：")
        lines += ["  " + finding_text(f) for f in result.findings]
    return "\n".join(lines)
