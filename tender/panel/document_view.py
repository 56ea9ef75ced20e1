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

import hashlib
import io
import threading
from collections import OrderedDict

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


# At most this many documents' HTML, and this many characters of it, are kept.
MEMO_DOCUMENTS = 32
MEMO_CHARACTERS = 8_000_000

_memo: OrderedDict[str, tuple[str, tuple[str, ...]]] = OrderedDict()
_memo_lock = threading.Lock()


def document_html(data: bytes) -> tuple[str, list[str]]:
    """The document as safe HTML, and mammoth's messages (unrecognised styles …)."""
    key = hashlib.sha256(data).hexdigest()
    with _memo_lock:
        kept = _memo.get(key)
        if kept is not None:
            _memo.move_to_end(key)
            return kept[0], list(kept[1])
    html, messages = convert(data)
    with _memo_lock:
        _memo[key] = (html, tuple(messages))
        while len(_memo) > MEMO_DOCUMENTS or (
            len(_memo) > 1 and sum(len(h) for h, _m in _memo.values()) > MEMO_CHARACTERS
        ):
            _memo.popitem(last=False)
    return html, messages


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
