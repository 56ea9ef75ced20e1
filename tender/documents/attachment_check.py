"""Checks an attachment (a challenge's evidence, a qualification certificate, an explanation of
an abnormally low price) passes before it is stored: PDF, JPG or PNG only, named for what it is and being what it is named.

The file is distrusted as bid files are (:mod:`tender.documents.upload_check`, whose name
decoding and refusal it reuses): its size is capped; its extension must be one of the three
and its first bytes must match it (a renamed program or Office file is refused); a PDF may
not carry scripts, launch actions or embedded files, nor be encrypted; an image's header
must declare sane dimensions (no decompression bomb: at most 40 megapixels). The file is
never parsed further here, and it is only ever served back as a download.
"""

from __future__ import annotations

import re
import struct

from scoring.errors import Problem
from tender.documents.upload_check import MiB, UploadRefused, _extension, _size, decoded_name

MAX_ATTACHMENT_BYTES = 10 * MiB
MAX_ATTACHMENTS = 5
MAX_PIXELS = 40_000_000

CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
_MAGIC = {".pdf": (b"%PDF-",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}
# PDF names that run something or carry another file (also written with #xx escapes).
_PDF_ACTIVE = (
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/EmbeddedFile",
    b"/RichMedia",
    b"/XFA",
    b"/Encrypt",
    b"/OpenAction",
    b"/AA",
)


def _pdf_names(data: bytes) -> set[bytes]:
    """The PDF names in ``data`` with their #xx escapes decoded (``/J#61vaScript`` → ``/JavaScript``)."""
    names = set()
    for raw in re.findall(rb"/[A-Za-z0-9#]+", data):
        names.add(re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw))
    return names


def _png_pixels(data: bytes) -> int | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width * height


def _jpeg_pixels(data: bytes) -> int | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width * height
        at += 2 + length
    return None


def check_attachment(filename: str, data: bytes, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> str:
    """Refuse (:class:`UploadRefused`) an attachment that is too large, not a PDF/JPG/PNG by
    its name and its bytes, an active PDF or an image bomb; return its content type."""
    name = decoded_name(filename)
    where = name or "upload"

    def refuse(zh: str, en: str, status: int = 400) -> UploadRefused:
        return UploadRefused(Problem(where, zh, en), status=status)

    if not data:
        raise refuse("文件为空", "the file is empty")
    if len(data) > max_bytes:
        raise refuse(
            f"文件过大：{_size(len(data))}，上限 {_size(max_bytes)}",
            f"the file is too large: {_size(len(data))}, the limit is {_size(max_bytes)}",
            413,
        )
    extension = _extension(name)
    if extension not in CONTENT_TYPES:
        shown = extension or "无 none"
        raise refuse(
            f"附件只接受 PDF、JPG、PNG 格式，此文件的扩展名为 {shown}",
            f"attachments are PDF, JPG or PNG files only; this file's extension is {shown}",
        )
    if not data.startswith(_MAGIC[extension]):
        raise refuse(
            f"文件内容与扩展名 {extension} 不符", f"the file's contents are not what its extension {extension} says"
        )
    if extension == ".pdf":
        active = sorted(n.decode("ascii", "replace") for n in _pdf_names(data) & set(_PDF_ACTIVE))
        if active:
            raise refuse(
                f"PDF 含有脚本、嵌入文件或加密（{', '.join(active)}），请另存为普通 PDF 后再上传",
                f"the PDF carries scripts, embedded files or encryption ({', '.join(active)}): "
                f"save it as a plain PDF and upload it again",
            )
    else:
        pixels = _png_pixels(data) if extension == ".png" else _jpeg_pixels(data)
        if pixels is None:
            raise refuse("图片已损坏或不完整", "the image is damaged or incomplete")
        if pixels == 0 or pixels > MAX_PIXELS:
            raise refuse(
                f"图片尺寸异常（{pixels} 像素，上限 {MAX_PIXELS}）",
                f"the image's size is not plausible ({pixels} pixels, the limit is {MAX_PIXELS})",
            )
    return CONTENT_TYPES[extension]
