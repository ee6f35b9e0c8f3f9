"""Datasette's CSV with every formula-like text cell escaped (safe_cells.py), as an ASGI wrapper.

Datasette 0.65 writes CSV itself (``.csv`` URLs, streamed or not) with no hook for its cells,
so the response is rewritten on its way out: the body is cut at record ends (a newline outside
quotes), each whole record parsed and written again with `safe_cells.csv_text` applied to its
cells. Only successful responses to ``.csv`` paths are touched; anything else passes as it is.
"""

from __future__ import annotations

import csv
import io
import re

from ..safe_cells import csv_text

_QUOTE_OR_NEWLINE = re.compile(rb'["\n]')


def record_end(data: bytes) -> int:
    """The index just after the last newline of ``data`` that is outside quotes (0 if none)."""
    inside, end = False, 0
    for match in _QUOTE_OR_NEWLINE.finditer(data):
        if match.group() == b'"':
            inside = not inside
        elif not inside:
            end = match.end()
    return end


def escape_records(data: bytes) -> bytes:
    """Whole CSV records with their formula-like cells escaped."""
    if not data:
        return data
    out = io.StringIO()
    writer = csv.writer(out)  # Datasette's own dialect: excel, CRLF
    for record in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        writer.writerow([csv_text(cell) for cell in record])
    return out.getvalue().encode("utf-8")


def escaping_csv(app):
    """Wrap a Datasette ASGI app so that its CSV responses are safe to open."""

    async def wrapped(scope, receive, send):
        if scope.get("type") != "http" or not scope.get("path", "").endswith(".csv"):
            return await app(scope, receive, send)
        state = {"pending": b"", "rewrite": False}

        async def escaped_send(message):
            if message["type"] == "http.response.start":
                state["rewrite"] = message.get("status") == 200
                if state["rewrite"]:  # the body changes length
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                    message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and state["rewrite"]:
                data = state["pending"] + message.get("body", b"")
                cut = record_end(data) if message.get("more_body", False) else len(data)
                state["pending"] = data[cut:]
                message = {**message, "body": escape_records(data[:cut])}
            await send(message)

        await app(scope, receive, escaped_send)

    return wrapped
