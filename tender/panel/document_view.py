"""A bid document (.docx) shown in the browser: mammoth's HTML, cleaned by an allow-list.

mammoth's output comes from an untrusted file, so it is sanitized with nh3 (ammonia):
only text-structure tags survive, no attribute but table spans, no script, style, link
or image (an image could call an outside server), and no link (its text stays).

mammoth reads the whole styles part into a pure-Python DOM, and a document made from
Word's or python-docx's template carries every style of the template there (python-docx's:
164 styles, 12,000 XML elements, 349 KB) where its text uses a handful: that reading was
~90 % of a conversion (0.27 s of 0.30 s for a two-page bid document). So mammoth is given
the document with a lean styles part — the styles its parts refer to, what those are based
on or linked to, and the defaults — which gives the same HTML and the same messages.
The panel opens each bid's document many times: the HTML of the last documents converted is
kept in memory by the SHA-256 of their bytes (the same bytes always give the same HTML;
who may see a document is checked before it is asked for).
"""

from __future__ import annotations

import io
import zipfile

import mammoth
import nh3
from lxml import etree

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
    result = mammoth.convert_to_html(
        io.BytesIO(lean_styles(data)), convert_image=mammoth.images.img_element(_no_images)
    )
    clean = nh3.clean(
        result.value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    return clean, [message.message for message in result.messages]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLES = "word/styles.xml"
_STYLE_REFERENCES = tuple(W + name for name in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"))
_STYLE_CHAIN = {W + "basedOn", W + "link", W + "next"}


def lean_styles(data: bytes) -> bytes:
    """The document with a styles part that holds only the styles it uses (see the module's
    text); the document as it is when it has no styles part or cannot be read this way (then
    mammoth says what it says of it)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)  # an upload: nothing expanded or fetched
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            names = source.namelist()
            if STYLES not in names:
                return data
            used: set[str] = set()
            for name in names:
                if name.startswith("word/") and name.endswith(".xml") and not name.startswith("word/styles"):
                    used.update(
                        e.get(W + "val") for e in etree.fromstring(source.read(name), parser).iter(*_STYLE_REFERENCES)
                    )
            styles = etree.fromstring(source.read(STYLES), parser)
            by_id = {style.get(W + "styleId"): style for style in styles.iter(W + "style")}
            wanted = [i for i in used if i in by_id]
            wanted += [i for i, style in by_id.items() if style.get(W + "default") in ("1", "true", "on")]
            kept: set[str] = set()
            while wanted:
                style_id = wanted.pop()
                if style_id in kept or style_id not in by_id:
                    continue
                kept.add(style_id)
                wanted += [child.get(W + "val") for child in by_id[style_id] if child.tag in _STYLE_CHAIN]
            for style_id, style in by_id.items():
                if style_id not in kept:
                    style.getparent().remove(style)
            for latent in styles.findall(W + "latentStyles"):  # Word's menu of built-in styles
                styles.remove(latent)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as lean:
                for info in source.infolist():
                    if info.filename == STYLES:
                        lean.writestr(STYLES, etree.tostring(styles, xml_declaration=True, encoding="UTF-8"))
                    else:
                        lean.writestr(info.filename, source.read(info.filename))
            return out.getvalue()
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError, OSError):
        return data
