"""A bid document (.docx) shown in the browser: mammoth's HTML, cleaned by an allow-list.

mammoth's output comes from an untrusted file, so it is sanitized with nh3 (ammonia):
only text-structure tags survive, no attribute but table spans, no script, style, link
or image (an image could call an outside server), and no link (its text stays).

A conversion takes about a second for a document whose styles part is large (python-docx's
default template has 12,000 XML elements there, which mammoth reads into a DOM), and the
panel opens each bid's document many times: the HTML of the last documents converted is
kept in memory by the SHA-256 of their bytes (the same bytes always give the same HTML;
who may see a document is checked before it is asked for).
"""

from __future__ import annotations

import io

import mammoth
import nh3

from tender.platform.memo import ContentMemo

ALLOWED_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "u",
    "s",
    "sup",
    "sub",
    "br",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def _no_images(image):
    return {}


# The HTML of the last 32 documents converted, 8 million characters at most.
MEMO = ContentMemo(items=32, size=8_000_000, size_of=lambda kept: len(kept[0]))


def document_html(data: bytes) -> tuple[str, list[str]]:
    """The document as safe HTML, and mammoth's messages (unrecognised styles …)."""
    html, messages = MEMO.get(data, convert)
    return html, list(messages)  # a copy: the kept list stays as converted


def convert(data: bytes) -> tuple[str, list[str]]:
    """mammoth's HTML of the document, sanitized, and its messages (no memo)."""
    result = mammoth.convert_to_html(io.BytesIO(data), convert_image=mammoth.images.img_element(_no_images))
    clean = nh3.clean(
        result.value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    return clean, [message.message for message in result.messages]
