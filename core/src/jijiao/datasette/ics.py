"""Deadlines as an iCalendar feed (RFC 5545) a unit can subscribe to.

Times are written in UTC (``DTSTART:20260926T155959Z``), which every calendar converts to the
reader's zone, so no VTIMEZONE block is needed; the Beijing time is repeated in the description
because that is what the policy states. Lines end in CRLF and are folded at 75 octets (UTF-8:
a Chinese character is 3 octets and is never split).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

PRODID = "-//jijiao//继续医学教育截止事项//ZH"


def escape_text(text: str | None) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    text = "" if text is None else str(text)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, continuation lines starting with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not pieces else 74  # a continuation line's leading space counts
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def event_uid(deadline: dict) -> str:
    """Stable across re-runs (the same deadline of the same subject keeps its UID), so that a
    subscribed calendar updates the event instead of adding a copy."""
    key = "|".join(str(deadline.get(k) or "") for k in ("subject_kind", "subject", "what", "clause"))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20] + "@jijiao"


def event_lines(deadline: dict, now: datetime, base_url: str = "") -> list[str]:
    due = datetime.fromisoformat(deadline["due"])
    subject = deadline.get("project_name") or deadline.get("jurisdiction_name") or deadline.get("subject") or ""
    summary = f"{deadline['what']}（{subject}）" if subject else deadline["what"]
    description = "\n".join(line for line in (
        f"截止时间（北京时间）：{due.isoformat(sep=' ')}",
        f"责任方：{deadline['who']}" if deadline.get("who") else "",
        f"项目：{deadline['project']} {deadline.get('project_name') or ''}" if deadline.get("project") else "",
        f"状态：{deadline['state']}" if deadline.get("state") else "",
        f"依据：{deadline['clause']}" if deadline.get("clause") else "",
        f"条款原文：{deadline['clause_text']}" if deadline.get("clause_text") else "",
    ) if line)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event_uid(deadline)}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(due)}",
        f"DTEND:{utc_stamp(due)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
    ]
    if base_url and deadline.get("url"):
        lines.append(f"URL:{base_url}{deadline['url']}")
    lines.append("END:VEVENT")
    return lines


def calendar(deadlines: list[dict], name: str, now: datetime | None = None, base_url: str = "") -> str:
    """The whole VCALENDAR as text with CRLF line endings."""
    now = now or datetime.now(timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(PRODID)}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    for deadline in deadlines:
        lines += event_lines(deadline, now, base_url)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
