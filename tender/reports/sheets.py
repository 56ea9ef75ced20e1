"""How the report workbook looks: formats, header rows, title block, widths, printing.

Kept apart from :mod:`tender.reports.workbook` (what is on each sheet) so the sheets read
as content. Column widths count East Asian wide characters as two.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tender.reports.safe import put_text
from tender.reports.view import ReportView

MONEY = "¥#,##0.00"
UNIT_PRICE = "¥#,##0.00##"      # quote parameters keep their own decimals (0.685)
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

FORMATS = {"money": MONEY, "unit_price": UNIT_PRICE, "score": SCORE, "share": SHARE, "integer": INTEGER}


def width(text: str) -> int:
    """Display width of the longest line: a Chinese (wide) character counts two."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(text).split("\n")), default=0)


def put(ws: Worksheet, row: int, column: int, value, fmt: str | None = None, *, bold: bool = False,
        box: bool = True):
    """One cell: a number keeps its exact value with a number format; text is escaped."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        pass
    elif isinstance(value, bool):
        put_text(cell, str(value))
    elif isinstance(value, (int, Decimal)):
        cell.value = value
        if fmt == "quantity":
            cell.number_format = "#,##0" if value == int(value) else "#,##0.00##"
        elif fmt:
            cell.number_format = FORMATS.get(fmt, fmt)
        if box:
            cell.alignment = TOP
    else:
        put_text(cell, str(value))
        if box:
            cell.alignment = WRAP
    if bold:
        cell.font = BOLD
    if box:
        cell.border = BOX
    return cell


def header_row(ws: Worksheet, row: int, labels: list[str], start: int = 1) -> None:
    for offset, label in enumerate(labels):
        cell = ws.cell(row=row, column=start + offset)
        put_text(cell, label)
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
    put_text(ws.cell(row=1, column=1), f"{view.title} — {heading}").font = TITLE
    sep = "; " if view.en else "；"
    colon = ": " if view.en else "："
    lines = [
        sep.join([f"{view.t('buyer')}{colon}{view.buyer}", f"{view.t('project_code')}{colon}{view.project_code}"]),
        sep.join([f"{view.t('evaluation_date')}{colon}{view.evaluation_date}",
                  f"{view.t('generated_at')}{colon}{view.generated_at}"]),
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


def fit_columns(ws: Worksheet, first: int, last: int, *, minimum: int = 6, maximum: int = 50,
                fixed: dict[int, int] | None = None) -> None:
    """Each column as wide as its longest line in rows ``first``..``last`` (one table, not the
    title block or section labels), merged cells left out; then every row tall enough."""
    merged = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
              for c in range(rng.min_col, rng.max_col + 1)}
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first, max_row=max(first, last)):
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), width(_shown(cell)))
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
    spans = {(rng.min_row, rng.min_col): sum(column_width(ws, c) for c in range(rng.min_col, rng.max_col + 1))
             for rng in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first, max_row=last):
        lines = 1
        for cell in row:
            if cell.value is None or not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            room = max(spans.get((cell.row, cell.column), column_width(ws, cell.column)) - 1, 1)
            needed = sum(max(1, -(-width(part) // int(room))) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines


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


def highlight_rows(ws: Worksheet, first: int, last: int, last_column: int, marker_column: int, fill: PatternFill,
                   *, bold: bool = False) -> None:
    """Colour a table row when its marker column is not empty (winners, flags)."""
    if last < first:
        return
    marker = get_column_letter(marker_column)
    area = f"A{first}:{get_column_letter(last_column)}{last}"
    ws.conditional_formatting.add(area, FormulaRule(formula=[f'LEN(${marker}{first})>0'], fill=fill,
                                                    font=Font(bold=True) if bold else None, stopIfTrue=True))


def highlight_failed(ws: Worksheet, area: str, top_left: str) -> None:
    ws.conditional_formatting.add(area, FormulaRule(formula=[f'LEFT({top_left},1)="✗"'], fill=FAIL_FILL))
