"""Reading the vendor-facts sheet (供应商信息) of a filled price sheet into bid facts and
the list of documents submitted (domain §5, §8)."""

from __future__ import annotations

from decimal import Decimal

from scoring.facts import STANDARD_FACTS, normalize_code
from tender.documents import cells, layout
from tender.documents.sheet_reading import UNREADABLE, Book, label_keys, scan_rows

_READ_AS = {
    "money": "amount",
    "number": "quantity",
    "integer": "quantity",
    "share": "share",
    "bool": "bool",
    "date": "date",
    "set": "list",
    "text": "text",
}


def read_vendor_facts(book: Book, tender: dict) -> tuple[dict, list[str]]:
    """The facts the vendor filled in (only filled rows) and the documents it names."""
    sheet = book.sheet(layout.FACTS)
    if sheet is None:
        book.missing_sheet(layout.FACTS)
        return {}, []
    extras = layout.extra_facts(tender)
    labels: dict[str, str] = {}
    for name, fact in STANDARD_FACTS.items():
        labels.update(dict.fromkeys(label_keys(fact.zh, fact.en), name))
    labels.update({layout.label_key(name): name for name in extras})
    labels.update(dict.fromkeys(label_keys("提交的文件", "documents submitted"), layout.DOCUMENTS))
    sections = {key for zh, en in layout.SECTIONS.values() for key in label_keys(zh, en)}
    scan = scan_rows(
        sheet, codes={*STANDARD_FACTS, *extras, layout.DOCUMENTS}, labels=labels, sections=sections, open_codes=True
    )
    facts: dict = {}
    documents: list[str] = []
    for name, rows in scan.rows.items():
        kind = layout.fact_kind(name, extras)
        for row in rows:
            if name == layout.DOCUMENTS:
                value = sheet.read(row, layout.INPUT, "list", "提交的文件", "documents submitted")
                if value not in (None, UNREADABLE):
                    documents.extend(code for code in map(_document_code, value) if code not in documents)
                continue
            value = _read_fact(sheet, row, name, kind)
            if value is None or value is UNREADABLE:
                continue
            if name in facts:
                sheet.problem(
                    row,
                    layout.INPUT,
                    f"“{name}”重复填写（已在别处填写）",
                    f"'{name}' is given twice (it is already filled in elsewhere)",
                )
                continue
            facts[name] = value
    return facts, documents


def _read_fact(sheet, row: int, name: str, kind: str):
    fact = STANDARD_FACTS.get(name)
    zh, en = (fact.zh, fact.en) if fact else (name, name)
    if kind == "auto":
        return _read_auto(sheet, row)
    value = sheet.read(
        row,
        layout.INPUT,
        _READ_AS.get(kind, "text"),
        zh,
        en,
        maximum=Decimal(1) if kind == "share" else None,
        integer=kind == "integer",
        units=layout.FACT_UNITS.get(name, cells.COUNT_UNITS),
    )
    if value is None or value is UNREADABLE:
        return value
    if kind == "set":
        return list(dict.fromkeys(normalize_code(item) for item in value))
    if kind == "date":
        return value.isoformat()
    return value


def _read_auto(sheet, row: int):
    """A fact the tender names without saying its kind: yes/no, a number, else text."""
    raw = sheet.value(row, layout.INPUT)
    if raw is UNREADABLE or cells.is_blank(raw):
        return None if raw is not UNREADABLE else UNREADABLE
    if isinstance(raw, bool):
        return raw
    for parse in (cells.parse_quantity, cells.parse_bool):
        try:
            return parse(raw)
        except cells.CellValueError:
            pass
    return cells.clean_text(raw)


def _document_code(text: str) -> str:
    key = layout.label_key(text)
    for code, aliases in layout.DOCUMENT_LABELS.items():
        if key in {code, *(layout.label_key(alias) for alias in aliases)}:
            return code
    return text
