"""Filling a price-sheet template with openpyxl the way a vendor does in Excel: find the
row by its code in column A, type into the yellow cell next to it, save."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

FACTS, QUOTE, RATE_CARD = "供应商信息", "报价", "报价清单"


def row_of(ws, code: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == code:
            return row
    raise KeyError(code)


def cell_of(template: bytes, sheet: str, code: str, column: str = "C") -> str:
    """The address a code's input cell has in a fresh template, e.g. ``报价!C7``."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    return f"{sheet}!{column}{row_of(wb[sheet], code)}"


def fill(
    template: bytes,
    *,
    facts: dict | None = None,
    quote: dict | None = None,
    tiers: list | None = None,
    fees: list | None = None,
    prices: dict | None = None,
    edit=None,
) -> bytes:
    """``tiers`` as (up_to, fee, rate) rows, ``fees`` as (label, amount) rows, ``prices`` by
    work item id; ``edit(wb)`` makes any further change before saving."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    for code, value in (facts or {}).items():
        wb[FACTS].cell(row=row_of(wb[FACTS], code), column=3, value=value)
    for code, value in (quote or {}).items():
        wb[QUOTE].cell(row=row_of(wb[QUOTE], code), column=3, value=value)
    for offset, values in enumerate(tiers or [], start=1):
        row = row_of(wb[QUOTE], "tiers") + offset
        for column, value in zip((3, 4, 5), values):
            wb[QUOTE].cell(row=row, column=column, value=value)
    for offset, (label, amount) in enumerate(fees or [], start=1):
        row = row_of(wb[QUOTE], "one_time_fees") + offset
        wb[QUOTE].cell(row=row, column=2, value=label)
        wb[QUOTE].cell(row=row, column=3, value=amount)
    for item_id, price in (prices or {}).items():
        wb[RATE_CARD].cell(row=row_of(wb[RATE_CARD], item_id), column=5, value=price)
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def save_formula_value(data: bytes, sheet_xml: str, cell: str, value: str) -> bytes:
    """Give a formula cell the value Excel would have saved with it (openpyxl saves none)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == sheet_xml:
                text = content.decode("utf-8")
                text, count = re.subn(
                    rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", text
                )
                assert count == 1, f"no formula cell {cell} in {sheet_xml}"
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def sheet_part(data: bytes, title: str) -> str:
    """The zip part holding the sheet with this title (xl/worksheets/sheetN.xml)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"
