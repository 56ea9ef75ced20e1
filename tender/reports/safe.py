"""Text from users, made safe to put in a workbook or a document.

A vendor can name itself ``=HYPERLINK("http://x","点我")``. Written as a plain string an
.xlsx cell is never evaluated, but Excel re-reads the cell as a formula as soon as someone
edits it, and a copy to CSV loses the cell type altogether. So a text starting with
``=``, ``+``, ``-``, ``@``, a tab, a carriage return or NUL gets a leading single quote
(the OWASP rule for spreadsheet exports), the cell is typed as a string and marked
quote-prefixed. Characters that XML cannot carry at all (NUL and the other C0 controls
but tab and newline) are replaced by U+FFFD in both the workbook and the document.
"""

from __future__ import annotations

import re
from copy import copy

from openpyxl.cell.cell import Cell

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\x00")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML cannot hold replaced (for docx and xlsx alike)."""
    return _ILLEGAL_XML.sub("\ufffd", value)


def escape_formula(value: str) -> str:
    """A cell text that Excel will never take for a formula."""
    if value.startswith(DANGEROUS_START):
        value = "'" + value
    return xml_text(value)


def put_text(cell: Cell, value: str) -> Cell:
    """Write user text into a cell: string type, formula triggers escaped."""
    text = escape_formula(str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl would type a leading "=" as a formula
    if text != str(value):
        if cell._style is not None:
            cell._style = copy(cell._style)  # style arrays may be shared between cells
        cell.quotePrefix = True
    return cell
