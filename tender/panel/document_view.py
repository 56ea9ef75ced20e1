"""A bid document (.docx) shown in the browser: mammoth's HTML, cleaned by an allow-list.

mammoth's output comes from an untrusted file, so it is sanitized with nh3 (ammonia):
only text-structure tags survive, no attribute but table spans, no script, style, link
or image (an image could call an outside server), and no link (its text stays).
"""

from __future__ import annotations

import io

import mammoth
import nh3

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


def document_html(data: bytes) -> tuple[str, list[str]]:
    """The document as safe HTML, and mammoth's messages (unrecognised styles …)."""
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
