"""Official forms (附件) filled in as .xlsx.

A plugin returns `Form` values from ``jijiao_forms``; ``jijiao forms`` lists them and
``jijiao forms make NAME --input FILE --out FILE.xlsx`` fills one. `table_workbook` lays out the
common shape of these forms -- a title, a few heading lines, a header row, the rows, a footer --
so each form states only its own wording and columns. No text cell of a form opens as a formula
(`save_form`, safe_cells.py).
"""

from __future__ import annotations

from typing import Callable, Sequence

import attrs
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .models import ClauseRef
from .safe_cells import workbook_as_text


@attrs.frozen
class Form:
    """A fillable official form.

    Attributes:
        name: Short name used on the command line, e.g. ``wenzhou-summary``.
        title: The form's own title.
        clause: The clause that orders it.
        input: What it is filled from: ``projects`` (a JSON list of projects) or ``practitioners``.
        fill: ``fill(records, options) -> Workbook``; ``options`` are the command's ``--option``
            key=value pairs (unit name, date ...).
    """

    name: str
    title: str
    clause: ClauseRef
    input: str
    fill: Callable[[list, dict], Workbook]


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def table_workbook(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    heading: Sequence[str] = (),
    footer: Sequence[str] = (),
    sheet: str = "Sheet1",
) -> Workbook:
    """A one-sheet workbook: centred title, heading lines, a boxed table, footer lines."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    width = len(columns)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for line in heading:
        ws.append([line])
    ws.append(list(columns))
    header_row = ws.max_row
    for column in range(1, width + 1):
        cell = ws.cell(header_row, column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for row in rows:
        ws.append(list(row))
        for column in range(1, width + 1):
            ws.cell(ws.max_row, column).border = BOX
    for line in footer:
        ws.append([line])
    for column, name in enumerate(columns, 1):
        longest = max([len(str(name))] + [len(str(r[column - 1])) for r in rows if column - 1 < len(r)])
        ws.column_dimensions[get_column_letter(column)].width = min(60, max(8, longest * 2 + 2))
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    workbook_as_text(book)  # a unit named "=HYPERLINK(…)" stays text (safe_cells.py)
    return book


def save_form(book: Workbook, out) -> None:
    """Save a filled form, with every formula-like text cell made text first: a plugin's
    ``fill`` may build its workbook without `table_workbook`, and no form we write may open as
    a formula."""
    workbook_as_text(book)
    book.save(out)
