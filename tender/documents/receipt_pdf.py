"""The bid receipt (投标回执) as a PDF, drawn by WeasyPrint from its printable page.

Chinese is set in Debian's Noto CJK fonts (``fonts-noto-cjk``, which ``make setup``
installs); hashes in a monospace font. WeasyPrint is imported only when a PDF is asked
for: the import alone takes most of a second. A receipt never changes once issued, and
drawing it takes ~0.3 s: the PDFs of the last 16 pages drawn are kept by the SHA-256 of the
page (a vendor who downloads its receipt again gets it at once).
"""

from __future__ import annotations

from pathlib import Path

from tender.platform.memo import ContentMemo

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "receipt.css"


def stylesheet() -> str:
    """The receipt's style sheet, put inline into the page the PDF is drawn from."""
    return STYLESHEET.read_text(encoding="utf-8")


# The last 16 receipts drawn, 16 MB at most.
MEMO = ContentMemo(items=16, size=16 << 20, size_of=len)


def pdf_of(html: str) -> bytes:
    return MEMO.get(html.encode("utf-8"), draw)


def draw(page: bytes) -> bytes:
    """WeasyPrint's PDF of the page (UTF-8 HTML), no memo."""
    from weasyprint import HTML

    return HTML(string=page.decode("utf-8")).write_pdf()
