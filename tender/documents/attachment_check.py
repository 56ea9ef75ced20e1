"""Checks a file attached to a written explanation (PDF, JPG, PNG) passes before it is kept.

The same distrust as for bid files (:mod:`tender.documents.upload_check`): the size first,
the name's extension after decoding it, then the bytes themselves — they must be what the
extension says (a PDF starts ``%PDF-``, a JPEG ``FF D8 FF``, a PNG its eight-byte signature),
an image must decode as one of its kind within a pixel budget (no decompression bomb), and a
PDF may carry no script, launch action or embedded file. A refusal is
:class:`~tender.documents.upload_check.UploadRefused` (413 for size, else 400).
"""
from __future__ import annotations

import io
import re

from scoring.errors import Problem
from tender.documents.upload_check import UploadRefused, _extension, _size, decoded_name

MiB = 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * MiB
MAX_PIXELS = 40_000_000            # a 40-megapixel scan; beyond it an image is refused, never decoded

CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
_MAGIC = {".pdf": b"%PDF-", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")


def check_attachment(filename: str, data: bytes, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> tuple[str, str]:
    """(the file's shown name, its content type) when the attachment may be kept; else UploadRefused."""
    name = decoded_name(filename)
    where = name or "upload"

    def refuse(zh: str, en: str, status: int = 400) -> UploadRefused:
        return UploadRefused(Problem(where, zh, en), status=status)

    if len(data) > max_bytes:
        raise refuse(f"文件过大：{_size(len(data))}，上限 {_size(max_bytes)}",
                     f"the file is too large: {_size(len(data))}, the limit is {_size(max_bytes)}", 413)
    extension = _extension(name)
    if extension not in CONTENT_TYPES:
        shown = extension or "无 none"
        raise refuse(f"只接受 PDF、JPG、PNG 文件，此文件的扩展名为 {shown}",
                     f"only PDF, JPG and PNG files are accepted; this file's extension is {shown}")
    if not data.startswith(_MAGIC[extension]):
        raise refuse(f"文件内容不是 {extension} 格式（扩展名与内容不符）",
                     f"the file's content is not {extension} (its name does not match what it is)")
    if extension == ".pdf":
        if _PDF_ACTIVE.search(data):
            raise refuse("PDF 含有脚本、自动操作或嵌入文件，不予接受：请打印为普通 PDF 后再上传",
                         "the PDF carries scripts, automatic actions or embedded files: print it to a plain PDF "
                         "and upload that")
        if b"%%EOF" not in data[-2048:]:
            raise refuse("PDF 文件已损坏或不完整", "the PDF is damaged or incomplete")
    else:
        _check_image(data, "JPEG" if extension in (".jpg", ".jpeg") else "PNG", refuse)
    return name, CONTENT_TYPES[extension]


def _check_image(data: bytes, expected: str, refuse) -> None:
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                raise refuse("图片内容与扩展名不符", "the image's content does not match its name")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise refuse(f"图片过大：{width}×{height} 像素", f"the image is too large: {width}×{height} pixels")
            image.verify()
    except UploadRefused:
        raise
    except Exception:        # Pillow raises many kinds on a damaged or hostile image
        raise refuse("图片已损坏，无法读取", "the image is damaged and cannot be read") from None
