"""CSV cells a spreadsheet program will not run as formulas ("CSV injection").

Excel, LibreOffice Calc and Google Sheets evaluate a cell that begins with
``=``, ``+``, ``-`` or ``@`` (and, after their own trimming, with a tab or a
carriage return followed by one of those) as a formula: ``=HYPERLINK(...)``
sends data away, ``=cmd|' /C calc'!A0`` runs a program. OWASP's
recommendation (https://owasp.org/www-community/attacks/CSV_Injection) is to
prefix such cells with a single quote, which spreadsheets take as "this is
text" and do not show.

Plain numbers are the one exception: a cell made only of an optional sign,
digits, dots and commas (``-12,5``, ``-1.234,56``, ``+3``) holds no function,
reference or operator, so a spreadsheet can only read it as a number (or as
text); nothing runs. OWASP's rule would prefix ``-12,5`` anyway, turning the
negative amounts of a budget table into text that no longer sums. ``-1+1``,
``-2e3`` or ``+55 11 4798-5000`` are not plain numbers and are prefixed.

Cells that are not strings (numbers, dates read from a spreadsheet) are
written by :mod:`csv` as plain literals and are returned unchanged.
"""

from __future__ import annotations

import re
from typing import Any

#: First characters that make a spreadsheet program read a cell as a formula (OWASP's,
#: plus the line feed, which some programs trim like the carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: What spreadsheets can only read as a number: sign, digits, dots, commas.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")
#: The prefix that makes a spreadsheet show the rest as text.
QUOTE = "'"


def neutralise(cell: Any) -> Any:
    """``cell`` as a spreadsheet will show it but never run it (see the module)."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_STARTS):
        return cell
    if PLAIN_NUMBER.fullmatch(cell):
        return cell
    return QUOTE + cell


def neutralise_row(row: Any) -> list[Any]:
    """Every cell of ``row`` through :func:`neutralise`."""
    return [neutralise(cell) for cell in row]
