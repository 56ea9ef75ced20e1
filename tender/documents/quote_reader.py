"""Reading a filled price sheet (报价单, .xlsx) back into a bid (domain §8).

:func:`read_quote` returns a :class:`QuoteReading`: the bid as ``bid.json`` would give it
(``{"facts": …, "documents": […], "pricing": {…}}``, numbers as ``Decimal``, only filled
cells) and every problem found, each naming ``sheet!cell`` and the reason in Chinese and
English. For a tender divided into lots the bid is ``{"facts", "documents", "lots": {lot
id: pricing}}`` with the lots whose sheets the vendor filled; a problem names the lot's
sheet (``报价 L2!C7``). It never raises on a vendor's file: a damaged, hostile or foreign file, or one
made for another tender or an older version of this one, is a problem too. Nothing
should be stored from a reading that has problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.errors import Problem
from tender.documents import layout
from tender.documents.cells import clean_text
from tender.documents.quote_facts import read_vendor_facts
from tender.documents.quote_pricing import lot_is_filled, read_pricing
from tender.documents.sheet_reading import Book, open_book
from tender.documents.upload_check import UploadRefused, check_package


@dataclass
class QuoteReading:
    bid: dict
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_quote(data: bytes, *, tender: dict, tender_id: str, version: int) -> QuoteReading:
    """Read a filled price sheet made from this tender's template (this version)."""
    bid: dict = {"facts": {}, "documents": [], "pricing": {}}
    try:
        check_package(data, kind="quote")
    except UploadRefused as refused:
        return QuoteReading(bid, [refused.problem])
    problems: list[Problem] = []
    book = open_book(data, problems)
    if book is None:
        return QuoteReading(bid, problems)
    _check_marker(book, tender_id, version)
    bid["facts"], bid["documents"] = read_vendor_facts(book, tender)
    if layout.tender_lots(tender):
        del bid["pricing"]
        bid["lots"] = _read_lots(book, tender)
    else:
        bid["pricing"] = read_pricing(book, tender)
    return QuoteReading(bid, problems)


def _read_lots(book: Book, tender: dict) -> dict:
    """The pricing of each lot whose sheets were filled in; at least one lot must be."""
    lots: dict = {}
    for lot in layout.tender_lots(tender):
        view = layout.lot_view(tender, lot)
        quote, rate_card = layout.lot_sheet(layout.QUOTE, lot["id"]), layout.lot_sheet(layout.RATE_CARD, lot["id"])
        if lot_is_filled(book, view, quote, rate_card):
            lots[str(lot["id"])] = read_pricing(book, view, quote=quote, rate_card=rate_card)
    if not lots and not book.problems:
        names = "、".join(layout.lot_sheet(layout.QUOTE, lot["id"]) for lot in layout.tender_lots(tender))
        book.problems.append(
            Problem(
                "",
                f"未填写任何标包的报价：请至少填写一个所投标包的报价表（{names}）",
                f"no lot is priced: fill in the quote sheet of at least one lot you bid for ({names})",
            )
        )
    return lots


def _check_marker(book: Book, tender_id: str, version: int) -> None:
    """The workbook must come from this tender's template, in its current version. The
    marker is on a very hidden sheet, so the problem names the workbook, not a cell."""
    sheet = book.sheet(layout.MARKER)
    marker = {}
    if sheet is not None:
        for row in range(1, len(layout.MARKER_KEYS) + 1):
            key = sheet.text(row, 1)
            if key in layout.MARKER_KEYS:
                marker[key] = sheet.text(row, 2)
    if "tender_id" not in marker or "version" not in marker:
        book.problems.append(
            Problem(
                "",
                "此文件不是本项目的报价单模板（缺少模板标记）：请下载本项目的报价单模板，填写后上传",
                "this workbook was not made from this tender's price-sheet template (its marker is missing): "
                "download the template of this tender, fill it in and upload it",
            )
        )
        return
    found_id, found_version = marker["tender_id"], marker["version"]
    if found_id != clean_text(tender_id):
        book.problems.append(
            Problem(
                "",
                f"此报价单由另一个招标项目（{found_id}）的模板生成，不是本项目（{tender_id}）的：请下载本项目的报价单模板",
                f"this price sheet was made from the template of another tender ({found_id}), not of this one "
                f"({tender_id}): download this tender's template",
            )
        )
        return
    if _as_int(found_version) != int(version):
        book.problems.append(
            Problem(
                "",
                f"此报价单由第 {found_version} 版招标文件生成，招标文件现为第 {version} 版：请重新下载报价单模板并填写",
                f"this price sheet was made for version {found_version} of the tender, which is now at version "
                f"{version}: download the template again and fill it in",
            )
        )


def _as_int(text: str) -> int | None:
    try:
        return int(float(text))
    except (TypeError, ValueError, OverflowError):
        return None
