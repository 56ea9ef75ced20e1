"""The web app's seam onto the file adapters of ``tender/documents`` (price sheet, .docx).

Services call these few functions; the adapters themselves stay shared with the command
line. Document readings are turned into plain JSON here so they can be sealed and stored.
"""

from __future__ import annotations

from decimal import Decimal


def check_upload(filename: str, data: bytes, kind: str) -> None:
    """Raise ``UploadRefused`` (an ``InvalidInput``) for a file no parser should see."""
    from tender.documents.upload_check import check_upload as check

    check(filename, data, kind=kind)


def display_name(filename: str) -> str:
    """The original file name as the user knows it (Chinese kept), for metadata only."""
    from tender.documents.upload_check import decoded_name

    return decoded_name(filename or "") or "upload"


def read_quote(data: bytes, definition: dict, tender_id: str, version: int):
    """The quote read from a filled price sheet: ``.bid`` (like bid.json) and ``.problems``."""
    from tender.documents.quote_reader import read_quote as read

    return read(data, tender=definition, tender_id=tender_id, version=version)


def plain(value):
    """A reading as JSON-able values (decimals as exact text), for sealing."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if hasattr(value, "to_json"):
        return plain(value.to_json())
    if hasattr(value, "__dataclass_fields__"):
        return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def read_document(data: bytes, required_sections: list[str], declared_facts: dict) -> dict:
    """What the bid document (.docx) says: headings, missing sections, stated facts, mismatches."""
    from tender.documents.bid_document import read_bid_document

    reading = read_bid_document(data, required_sections=required_sections, declared_facts=declared_facts)
    return {
        "headings": plain(list(reading.headings)),
        "missing_sections": plain(list(reading.missing_sections)),
        "stated_facts": plain(reading.stated_facts),
        "mismatches": plain(list(reading.mismatches)),
        "problems": [{"path": p.path, "zh": p.zh, "en": p.en} for p in reading.problems],
    }
