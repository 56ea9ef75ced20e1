"""Files as a vendor makes them: the price-sheet template filled with openpyxl, and a
bid document (.docx) with the required sections. Used by the demo seed and the tests, so
both go through the same upload path as a real vendor's files."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
from openpyxl import load_workbook

from tender.documents import layout


def _cell_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _rows_by_code(ws) -> dict[str, int]:
    rows = {}
    for row in range(1, ws.max_row + 1):
        code = ws.cell(row=row, column=layout.CODE).value
        if isinstance(code, str) and code.strip():
            rows.setdefault(code.strip(), row)
    return rows


def fill_quote(template: bytes, bid: dict) -> bytes:
    """The template with a bid's facts, documents and pricing typed into the input cells."""
    book = load_workbook(io.BytesIO(template))
    facts_sheet = book[layout.FACTS]
    rows = _rows_by_code(facts_sheet)
    for name, value in (bid.get("facts") or {}).items():
        if name in rows:
            facts_sheet.cell(row=rows[name], column=layout.INPUT, value=_cell_value(value))
    if bid.get("documents") and layout.DOCUMENTS in rows:
        facts_sheet.cell(row=rows[layout.DOCUMENTS], column=layout.INPUT, value=", ".join(bid["documents"]))
    if "lots" in bid:  # a tender divided into lots: each lot's sheets
        for lot_id, pricing in bid["lots"].items():
            _fill_pricing(
                book, pricing, layout.lot_sheet(layout.QUOTE, lot_id), layout.lot_sheet(layout.RATE_CARD, lot_id)
            )
    else:
        _fill_pricing(book, bid.get("pricing") or {}, layout.QUOTE, layout.RATE_CARD)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_pricing(book, pricing: dict, quote_sheet: str, rate_card: str) -> None:
    quote = book[quote_sheet]
    rows = _rows_by_code(quote)
    for name, value in dict(pricing).items():
        if name == layout.TIERS:
            for offset, tier in enumerate(value, start=1):
                row = rows[layout.TIERS] + offset
                for column, key in ((layout.TIER_UP_TO, "up_to"), (layout.TIER_FEE, "fee"), (layout.TIER_RATE, "rate")):
                    if tier.get(key) is not None:
                        quote.cell(row=row, column=column, value=_cell_value(tier[key]))
        elif name == layout.FEES:
            for offset, fee in enumerate(value, start=1):
                row = rows[layout.FEES] + offset
                quote.cell(row=row, column=layout.FEE_LABEL, value=fee.get("label"))
                quote.cell(row=row, column=layout.FEE_AMOUNT, value=_cell_value(fee.get("amount")))
        elif name == "prices":
            card = book[rate_card]
            card_rows = _rows_by_code(card)
            for item, price in value.items():
                card.cell(row=card_rows[item], column=layout.ITEM_PRICE, value=_cell_value(price))
        elif name in rows:
            quote.cell(row=rows[name], column=layout.INPUT, value=_cell_value(value))


def make_bid_document(sections: list[str], facts: dict | None = None, title: str = "投标文件") -> bytes:
    """A .docx with a heading per section and a facts table (公司名称 | …, 注册资本 | …)."""
    document = docx.Document()
    document.add_heading(title, level=0)
    facts = facts or {}
    if facts:
        table = document.add_table(rows=0, cols=2)
        for label, name in (
            ("公司名称", "company_name"),
            ("注册资本", "registered_capital"),
            ("员工人数", "staff_count"),
            ("同类项目数量", "similar_projects"),
        ):
            if facts.get(name) is not None:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, str(facts[name])
    for number, section in enumerate(sections, start=1):
        document.add_heading(f"{number}、{section}", level=1)
        document.add_paragraph(f"{section}：本节说明我方的{section}。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
