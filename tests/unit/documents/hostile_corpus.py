"""A corpus of hostile and broken files, made by the tests themselves from a real template
or .docx: zip bombs, path traversal, DOCTYPE/ENTITY parts, macros, renamed executables,
truncated and foreign files."""

from __future__ import annotations

import io
import os
import struct
import warnings
import zipfile

import docx

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<lolz>&lol3;</lolz>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
)


def rezip(data: bytes, *, add: dict | None = None, replace: dict | None = None, drop=()) -> bytes:
    """The same package with parts added, replaced or dropped (names kept exactly as given)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names, which one case wants
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename in drop:
                    continue
                content = (replace or {}).get(info.filename, source.read(info.filename))
                target.writestr(info.filename, content)
            for name, content in (add or {}).items():
                target.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def patch_directory(data: bytes, name: str, *, file_size: int | None = None, flag_bits: int | None = None) -> bytes:
    """Make the central directory lie about one entry (its size or its encryption flag)."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]).decode("utf-8") == name:
            if file_size is not None:
                struct.pack_into("<I", data, at + 24, file_size)
            if flag_bits is not None:
                struct.pack_into("<H", data, at + 8, flag_bits)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def simple_docx() -> bytes:
    document = docx.Document()
    document.add_heading("一、服务方案", 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def corpus(template: bytes) -> dict[str, tuple[str, bytes, str]]:
    """case → (file name, bytes, a fragment of the Chinese refusal), every one an .xlsx by name."""
    zeros = b"0" * (10 * 1024 * 1024)
    lying = rezip(template, add={"xl/media/big.xml": b" " * (2 * 1024 * 1024)})
    many = rezip(template, add={f"xl/media/{index}.xml": b"<a/>" for index in range(1001)})
    xlsm_types = (
        zipfile.ZipFile(io.BytesIO(template))
        .read("[Content_Types].xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    )
    utf16_doctype = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16")
    return {
        "zip bomb (ratio)": ("报价单.xlsx", rezip(template, add={"xl/media/zeros.xml": zeros}), "压缩比异常"),
        "zip bomb (lying directory)": (
            "报价单.xlsx",
            patch_directory(lying, "xl/media/big.xml", file_size=1000),
            "已损坏",
        ),
        "too many parts": ("报价单.xlsx", many, "文件过多"),
        "path traversal": (
            "报价单.xlsx",
            rezip(template, add={"../../etc/cron.d/evil": b"* * * * * rm -rf /"}),
            "不安全的路径",
        ),
        "absolute path": ("报价单.xlsx", rezip(template, add={"/etc/passwd": b"root:x:0:0"}), "不安全的路径"),
        "windows drive path": ("报价单.xlsx", rezip(template, add={"C:/Windows/evil.dll": b"MZ"}), "不安全的路径"),
        "billion laughs": ("报价单.xlsx", rezip(template, replace={"xl/workbook.xml": BILLION_LAUGHS}), "DOCTYPE"),
        "external entity": ("报价单.xlsx", rezip(template, add={"xl/sharedStrings2.xml": EXTERNAL_ENTITY}), "DOCTYPE"),
        "doctype in utf-16": ("报价单.xlsx", rezip(template, add={"xl/custom.xml": utf16_doctype}), "DOCTYPE"),
        "macro part": ("报价单.xlsx", rezip(template, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}), "宏"),
        "macro-enabled content type": (
            "报价单.xlsx",
            rezip(template, replace={"[Content_Types].xml": xlsm_types}),
            "启用宏",
        ),
        "renamed exe": ("报价单.xlsx", b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(2000), "不是有效的"),
        "not a zip": ("报价单.xlsx", "这是一个文本文件".encode(), "不是有效的"),
        "truncated": ("报价单.xlsx", template[: len(template) * 2 // 3], "已损坏"),
        "old or encrypted office file": ("报价单.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "加密"),
        "encrypted entry": ("报价单.xlsx", patch_directory(template, "xl/workbook.xml", flag_bits=0x1), "加密"),
        "duplicate part": ("报价单.xlsx", rezip(template, add={"xl/workbook.xml": b"<workbook/>"}), "重复"),
        "no content types": ("报价单.xlsx", rezip(template, drop={"[Content_Types].xml"}), "Content_Types"),
        "a word document": ("报价单.xlsx", simple_docx(), "这是Word 文档"),
    }
