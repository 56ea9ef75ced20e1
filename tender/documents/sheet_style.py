"""How the generated workbooks look: bold headers, yellow input cells, read-only cells,
column widths that fit Chinese text, and sheet protection without a password."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
CODE_FONT = Font(color="808080", size=9)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def display_width(text: str) -> int:
    """Width of the longest line in Excel's character units: a Chinese character counts two."""
    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in str(text).split("\n")),
        default=0,
    )


def fit_columns(ws: Worksheet, *, minimum: int = 6, maximum: int = 48) -> None:
    """Set each column's width to its longest line (merged title cells do not count)."""
    merged = {rng.min_row for rng in ws.merged_cells.ranges}
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.row in merged:
                continue
            text = f"{cell.value:f}" if isinstance(cell.value, Decimal) else str(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), display_width(text))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, width + 2))


def header(cell: Cell) -> None:
    cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, WRAP
    cell.parent.row_dimensions[cell.row].height = 30


def section(cell: Cell) -> None:
    cell.font, cell.fill = BOLD, SECTION_FILL


def readonly(cell: Cell) -> None:
    cell.border, cell.alignment = BOX, WRAP


def code(cell: Cell) -> None:
    cell.font, cell.alignment = CODE_FONT, WRAP


def input_cell(cell: Cell, number_format: str | None = None) -> None:
    """A cell the vendor fills: yellow, unlocked, boxed."""
    cell.fill, cell.border, cell.protection = INPUT_FILL, BOX, UNLOCKED
    if number_format:
        cell.number_format = number_format


def title(ws: Worksheet, text: str, subtitle: str, last_column: int) -> None:
    ws.cell(row=1, column=1, value=text).font = TITLE
    ws.cell(row=2, column=1, value=subtitle).alignment = WRAP
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_column)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_column)
    ws.row_dimensions[2].height = 32


def protect(ws: Worksheet) -> None:
    """Protect the sheet without a password; vendors may still insert rows and resize.
    Printed, the sheet fits the width of a landscape page. Nothing in a template is a
    formula: text from the tender that starts with "=" stays text (no formula injection)."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.insertRows = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
