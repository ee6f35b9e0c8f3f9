"""Cells safe to open: nothing jijiao writes opens as a formula in Excel or WPS.

A unit named ``=HYPERLINK("http://…","温州医院")`` or a remark ``cmd|'/C calc'!A0`` comes from
the office's own files; written as it is, a spreadsheet would run it (CSV injection, OWASP).
A text cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
therefore written as text:

- **.xlsx** (`jijiao export`, `jijiao forms make`): the cell is a text cell (never a formula
  cell) with Excel's *quote prefix* set -- what Excel itself stores when one types a leading
  apostrophe -- so it shows, prints and stays exactly the text, even when edited;
- **CSV** (Datasette's CSV of the browse copy): the text gets a leading apostrophe (U+0027),
  the OWASP recommendation; the apostrophe is visible in a text editor, and Excel hides it.

Numbers stay numbers: a negative number stored as a number is written as one, and a text that
is only a number (``-3``, ``+2.5``, `is_plain_number`) is left alone, since a spreadsheet reads
it as that number and runs nothing.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
APOSTROPHE = "'"


def is_plain_number(text: str) -> bool:
    """``-3``, ``+2.5``, ``-1e3``: a number a spreadsheet reads as a number, nothing to run."""
    return PLAIN_NUMBER.fullmatch(text) is not None


def opens_as_formula(value) -> bool:
    """Whether a spreadsheet could read this text cell as a formula (or a DDE command)."""
    return isinstance(value, str) and value[:1] in FORMULA_STARTS and not is_plain_number(value)


def csv_text(value):
    """A CSV cell's text, with a leading apostrophe if it could open as a formula."""
    return APOSTROPHE + value if opens_as_formula(value) else value


def make_text(cell) -> None:
    """An openpyxl cell (ordinary or write-only) holding formula-like text becomes a text cell
    with the quote prefix. A cell openpyxl took for a formula (any text starting with ``=``)
    is one of these."""
    if cell.data_type == "f" or opens_as_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_only_row(sheet, values) -> list:
    """A row for a write-only sheet's ``append``: formula-like texts as text cells, the rest as is."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if opens_as_formula(value):
            cell = WriteOnlyCell(sheet, value=value)
            make_text(cell)
            row.append(cell)
        else:
            row.append(value)
    return row


def workbook_as_text(book) -> None:
    """Every formula-like cell of every sheet of an ordinary workbook made text (in place)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    make_text(cell)
