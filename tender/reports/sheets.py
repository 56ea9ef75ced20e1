"""How the report workbook looks: formats, header rows, title block, widths, printing.

Kept apart from :mod:`tender.reports.workbook` (what is on each sheet) so the sheets read
as content. Column widths count East Asian wide characters as two.
"""

from __future__ import annotations

import math
import unicodedata
from copy import copy
from decimal import Decimal
from functools import lru_cache

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from tender.reports.safe import put_text
from tender.reports.view import ReportView

MONEY = "¥#,##0.00"
UNIT_PRICE = "¥#,##0.00##"  # quote parameters keep their own decimals (0.685)
SCORE = "0.00"
SHARE = "0.00%"
INTEGER = "0"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
RED = Font(bold=True, color="C00000", size=12)
NOTE = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION = Font(bold=True, size=12, color="1F4E78")
WINNER_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
FLAG_FILL = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
FAIL_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)

HEADER_WIDTH = 12  # header labels wrap onto a few lines rather than widen a column of numbers
SAMPLE_ROWS = 2000  # column widths are taken from a table's first rows; longer text below wraps

FORMATS = {"money": MONEY, "unit_price": UNIT_PRICE, "score": SCORE, "share": SHARE, "integer": INTEGER}


@lru_cache(maxsize=65536)
def width(text: str) -> int:
    """Display width of the longest line: a Chinese (wide) character counts two."""
    text = str(text)
    if text.isascii():
        return max(len(line) for line in text.split("\n"))
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n"))


def _styled(cell, key: tuple, apply) -> None:
    """Give a cell a style made once per workbook: openpyxl hashes every style object on
    each assignment, which for a 500-bid report (~200,000 cells) costs seconds."""
    cache = cell.parent.parent.__dict__.setdefault("_report_styles", {})
    style = cache.get(key)
    if style is None:
        apply(cell)
        cache[key] = cell._style = copy(cell._style)
    else:
        cell._style = style  # shared: put_text copies it before marking a cell quote-prefixed


def _apply(cell, kind: str, number_format: str | None, bold: bool, box: bool) -> None:
    if number_format:
        cell.number_format = number_format
    if box:
        cell.alignment = WRAP if kind == "text" else TOP
        cell.border = BOX
    if bold:
        cell.font = BOLD


def put(ws: Worksheet, row: int, column: int, value, fmt: str | None = None, *, bold: bool = False, box: bool = True):
    """One cell: a number keeps its exact value with a number format; text is escaped."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        kind, number_format = "empty", None
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        kind = "number"
        if fmt == "quantity":
            number_format = "#,##0" if value == int(value) else "#,##0.00##"
        else:
            number_format = FORMATS.get(fmt, fmt) if fmt else None
    else:
        kind, number_format = "text", None
    _styled(cell, (kind, number_format, bold, box), lambda c: _apply(c, kind, number_format, bold, box))
    if kind == "number":
        cell.value = value
    elif kind == "text":
        put_text(cell, str(value))
    return cell


def merge(ws: Worksheet, row: int, first: int, last: int) -> None:
    """Merge a row's cells ``first``..``last``, boxed. (openpyxl's merge_cells restyles every
    cell of the range through the slow style path: 2 s for a few hundred invalid bids.)"""
    if last <= first:
        return
    for column in range(first + 1, last + 1):
        put(ws, row, column, None)
    ws.merged_cells.add(MergedCellRange(ws, f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"))


def header_row(ws: Worksheet, row: int, labels: list[str], start: int = 1) -> None:
    for offset, label in enumerate(labels):
        cell = ws.cell(row=row, column=start + offset)
        _styled(cell, ("header",), _header_style)
        put_text(cell, label)


def _header_style(cell) -> None:
    cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, CENTER


def section(ws: Worksheet, row: int, label: str, column: int = 1) -> int:
    cell = put_text(ws.cell(row=row, column=column), label)
    cell.font = SECTION
    return row + 1


def note(ws: Worksheet, row: int, label: str, column: int = 1) -> int:
    cell = put_text(ws.cell(row=row, column=column), label)
    cell.font = NOTE
    return row + 1


def title_block(ws: Worksheet, view: ReportView, heading: str) -> int:
    """Tender, buyer, date and evaluation status on top of every sheet; returns the next row."""
    named = view.title != view.t("not_given")
    put_text(ws.cell(row=1, column=1), f"{view.title} — {heading}" if named else heading).font = TITLE
    sep = "; " if view.en else "；"
    colon = ": " if view.en else "："
    lines = [
        sep.join([f"{view.t('buyer')}{colon}{view.buyer}", f"{view.t('project_code')}{colon}{view.project_code}"]),
        sep.join(
            [
                f"{view.t('evaluation_date')}{colon}{view.evaluation_date}",
                f"{view.t('generated_at')}{colon}{view.generated_at}",
            ]
        ),
        f"{view.t('status')}{colon}{view.status_text}",
    ]
    row = 2
    for line in lines:
        put_text(ws.cell(row=row, column=1), line)
        row += 1
    if view.draft:
        put_text(ws.cell(row=row, column=1), view.t("draft_notice")).font = RED
        row += 1
    for reason in view.status_reasons[:20]:
        put_text(ws.cell(row=row, column=1), f"· {reason}").font = NOTE
        row += 1
    return row + 1


def _cells(ws: Worksheet, first: int, last: int):
    """The cells with a value in rows ``first``..``last`` (no empty cells created)."""
    return [cell for (row, _column), cell in ws._cells.items() if first <= row <= last and cell.value is not None]


def fit_columns(
    ws: Worksheet, first: int, last: int, *, minimum: int = 6, maximum: int = 50, fixed: dict[int, int] | None = None
) -> None:
    """Each column as wide as its longest line in rows ``first``..``last`` (one table, not the
    title block or section labels), merged cells left out. Row ``first`` is the table's
    header: it wraps, so it asks for at most ``HEADER_WIDTH``."""
    merged = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }
    widths: dict[int, int] = {}
    for cell in _cells(ws, first, max(first, min(last, first + SAMPLE_ROWS))):
        if (cell.row, cell.column) not in merged:
            wanted = width(_shown(cell))
            if cell.row == first:
                wanted = min(wanted, HEADER_WIDTH)
            widths[cell.column] = max(widths.get(cell.column, 0), wanted)
    for column, size in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, size + 2))
    for column, size in (fixed or {}).items():
        ws.column_dimensions[get_column_letter(column)].width = size


def _shown(cell) -> str:
    value = cell.value
    if isinstance(value, Decimal):
        return f"¥{value:,.2f}" if cell.number_format in (MONEY, UNIT_PRICE) else f"{value:f}"
    return str(value)


def column_width(ws: Worksheet, column: int) -> float:
    return ws.column_dimensions[get_column_letter(column)].width or 8.43


def fit_rows(ws: Worksheet, first: int, last: int) -> None:
    """Row heights for wrapped text (LibreOffice and Excel do not grow merged or header rows)."""
    wrapping = {index for index, alignment in enumerate(ws.parent._alignments) if alignment.wrap_text}
    spans = {
        (rng.min_row, rng.min_col): sum(column_width(ws, c) for c in range(rng.min_col, rng.max_col + 1))
        for rng in ws.merged_cells.ranges
    }
    rooms = {}
    lines: dict[int, int] = {}
    for cell in _cells(ws, first, last):
        if not isinstance(cell.value, str) or cell._style is None or cell._style.alignmentId not in wrapping:
            continue
        room = spans.get((cell.row, cell.column))
        if room is None:
            room = rooms.get(cell.column) or rooms.setdefault(cell.column, column_width(ws, cell.column))
        room = max(room, 1)
        # wrapping at word boundaries wastes the end of a line; Chinese breaks anywhere
        needed = sum(
            max(1, math.ceil(width(part) / (room if not part.isascii() else room * 0.9)))
            for part in cell.value.split("\n")
        )
        if needed > lines.get(cell.row, 1):
            lines[cell.row] = needed
    for row, count in lines.items():
        ws.row_dimensions[row].height = 15 * count


def print_setup(ws: Worksheet, view: ReportView, header: int | None) -> None:
    """Landscape A4, fit to the page width, header row repeated, page numbers, draft mark."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if header:
        ws.print_title_rows = f"{header}:{header}"
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.left.text = view.title.replace("&", "&&")[:60]
    if view.draft:
        ws.oddHeader.center.text = view.t("draft")
        ws.oddHeader.center.color = "C00000"
        ws.oddHeader.center.size = 20


def freeze_and_filter(ws: Worksheet, header: int, last_row: int, last_column: int, freeze_columns: int = 0) -> None:
    ws.freeze_panes = ws.cell(row=header + 1, column=freeze_columns + 1)
    if last_row > header:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(last_column)}{last_row}"


def highlight_rows(
    ws: Worksheet, first: int, last: int, last_column: int, marker_column: int, fill: PatternFill, *, bold: bool = False
) -> None:
    """Colour a table row when its marker column is not empty (winners, flags)."""
    if last < first:
        return
    marker = get_column_letter(marker_column)
    area = f"A{first}:{get_column_letter(last_column)}{last}"
    ws.conditional_formatting.add(
        area,
        FormulaRule(
            formula=[f"LEN(${marker}{first})>0"], fill=fill, font=Font(bold=True) if bold else None, stopIfTrue=True
        ),
    )


def highlight_failed(ws: Worksheet, area: str, top_left: str) -> None:
    ws.conditional_formatting.add(area, FormulaRule(formula=[f'LEFT({top_left},1)="✗"'], fill=FAIL_FILL))
