"""Attachments (a challenge's evidence, a qualification certificate) are PDF, JPG or PNG by
their name and by their bytes, within the size limit, without scripts or image bombs."""

from __future__ import annotations

import struct
import zlib

import pytest

from tender.documents.attachment_check import MAX_PIXELS, check_attachment
from tender.documents.upload_check import UploadRefused

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + b"IEND"


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def refusal(name: str, data: bytes, **limits) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        check_attachment(name, data, **limits)
    return caught.value


def test_a_pdf_a_png_and_a_jpeg_pass_with_their_content_type():
    assert check_attachment("营业执照.pdf", PDF) == "application/pdf"
    assert check_attachment("scan.PNG", png(1240, 1754)) == "image/png"
    assert check_attachment("photo.jpeg", jpeg(4000, 3000)) == "image/jpeg"
    assert check_attachment("%E8%AF%81%E4%B9%A6.jpg", jpeg(800, 600)) == "image/jpeg"  # 证书.jpg, percent-encoded


def test_a_file_over_the_limit_is_refused_with_413_naming_both_sizes():
    error = refusal("big.pdf", PDF + b" " * 2048, max_bytes=1024)
    assert error.status == 413 and "2 KB" in error.problem.en and "1 KB" in error.problem.en


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("setup.exe", b"MZ\x90\x00", "PDF, JPG or PNG"),
        ("licence.pdf.exe", PDF, "extension is .exe"),
        ("licence.docx", b"PK\x03\x04", "PDF, JPG or PNG"),
        ("licence.pdf", b"MZ\x90\x00", "not what its extension .pdf says"),
        ("licence.png", jpeg(10, 10), "not what its extension .png says"),
        ("licence\u202egpj.pdf", PDF, "PDF, JPG or PNG"),  # a right-to-left override hides the extension
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(name, data, words):
    assert words in refusal(name, data).problem.en


@pytest.mark.parametrize(
    "body",
    [
        b"/JavaScript (app.alert(1))",
        b"/JS (x)",
        b"/Launch << /F (cmd.exe) >>",
        b"/EmbeddedFile",
        b"/J#61vaScript (hidden)",
        b"/Encrypt 5 0 R",
    ],
)
def test_an_active_or_encrypted_pdf_is_refused(body):
    assert "scripts, embedded files or encryption" in refusal("x.pdf", PDF + body).problem.en


def test_an_image_bomb_or_a_broken_header_is_refused():
    assert "not plausible" in refusal("bomb.png", png(100_000, 100_000)).problem.en
    assert str(MAX_PIXELS) in refusal("bomb.jpg", jpeg(65_000, 65_000)).problem.en
    assert "damaged" in refusal("cut.png", b"\x89PNG\r\n\x1a\n").problem.en
    assert "damaged" in refusal("cut.jpg", b"\xff\xd8\xff\xe0").problem.en
