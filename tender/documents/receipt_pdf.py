"""The bid receipt (投标回执) as a PDF, drawn by WeasyPrint from its printable page.

Chinese is set in Debian's Noto CJK fonts (``fonts-noto-cjk``, which ``make setup``
installs); hashes in a monospace font. WeasyPrint is imported only when a PDF is asked
for: the import alone takes most of a second.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "receipt.css"


def stylesheet() -> str:
    """The receipt's style sheet, put inline into the page the PDF is drawn from."""
    return STYLESHEET.read_text(encoding="utf-8")


def pdf_of(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
