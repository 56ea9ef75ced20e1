"""Checks every uploaded file passes before any parser sees it (hostile files).

No parser library caps how much it decompresses, so the zip is checked first, from its
directory and again while reading every entry with a capped read: size, the name's
extension (after decoding it), that it is a zip whose ``[Content_Types].xml`` declares a
workbook or a Word document, no macros, no zip bomb, no path traversal, no ``<!DOCTYPE``
(XXE, billion laughs). A refusal is :class:`UploadRefused`, carrying one problem in
Chinese and English and the HTTP status to answer with (413 for size, else 400).
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from scoring.errors import InvalidInput, Problem

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MiB

# What a parser of Office files may raise on a damaged or hostile file, once these checks
# have passed: each becomes a message to the user, never a stack trace.
PARSER_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    LookupError,
    OSError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
    NotImplementedError,
    struct.error,
    OverflowError,
)

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN_TYPES = {
    "quote": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
_MACRO_TYPES = (
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-word.document.macroenabled.main+xml",
)
_EXTENSIONS = {"quote": ".xlsx", "document": ".docx"}
_NAMES = {"quote": ("Excel 工作簿", "an Excel workbook"), "document": ("Word 文档", "a Word document")}
_DOCTYPE = tuple(
    marker.encode(encoding)
    for marker in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    """How much an upload may hold once decompressed (an .xlsx price sheet is ~20 kB)."""

    max_entries: int = 1000
    max_total_uncompressed: int = 100 * MiB
    max_ratio: int = 100  # uncompressed / compressed, per entry (as Apache POI)
    ratio_grace: int = 100 * 1024  # entries smaller than this are not ratio-checked


# A filled price sheet is ~100 kB decompressed, and openpyxl loads it twice into memory, so
# its cap is lower; a bid document may carry large images.
DEFAULT_LIMITS = {"quote": Limits(max_total_uncompressed=20 * MiB), "document": Limits()}


class UploadRefused(InvalidInput):
    """An upload refused before parsing: one problem, and the HTTP status to answer with."""

    def __init__(self, problem: Problem, status: int = 400):
        super().__init__([problem])
        self.problem = problem
        self.status = status


def check_upload(
    filename: str, data: bytes, *, kind: str, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits | None = None
) -> None:
    """Refuse an upload (``kind`` "quote" for .xlsx, "document" for .docx) that is too large,
    wrongly named or not a safe Office file of that kind; return None when it may be parsed."""
    _known(kind)
    name = decoded_name(filename)
    where = name or "upload"
    if len(data) > max_bytes:
        raise UploadRefused(
            Problem(
                where,
                f"文件过大：{_size(len(data))}，上限 {_size(max_bytes)}",
                f"the file is too large: {_size(len(data))}, the limit is {_size(max_bytes)}",
            ),
            status=413,
        )
    expected = _EXTENSIONS[kind]
    extension = _extension(name)
    if extension != expected:
        zh, en = _NAMES[kind]
        shown = extension or "无 none"
        raise UploadRefused(
            Problem(
                where,
                f"只接受 {expected} 格式的{zh}，此文件的扩展名为 {shown}",
                f"only {expected} files are accepted here ({en}); this file's extension is {shown}",
            )
        )
    check_package(data, kind=kind, limits=limits, where=where)


def decoded_name(filename: str) -> str:
    """The file's own name as the user sees it: percent-decoded, full-width folded,
    without any folder part; ``%E6%8A%A5%E4%BB%B7%E5%8D%95.xlsx`` → ``报价单.xlsx``."""
    name = str(filename or "")
    if name.lower().startswith("utf-8''"):
        name = name[7:]
    name = unicodedata.normalize("NFKC", unquote(name))
    name = re.split(r"[/\\]", name)[-1]
    return name.strip()


def _extension(name: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return ""  # a NUL or a right-to-left override hides the real extension
    name = name.rstrip(" .")  # Windows ignores trailing dots and spaces
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def check_package(data: bytes, *, kind: str, limits: Limits | None = None, where: str = "") -> None:
    """Refuse bytes that are not a safe Office package of ``kind`` (readers call this too)."""
    _known(kind)
    limits = limits or DEFAULT_LIMITS[kind]
    zh_name, en_name = _NAMES[kind]

    def refuse(zh: str, en: str) -> UploadRefused:
        return UploadRefused(Problem(where, zh, en))

    if data[:8] == _OLE_MAGIC:
        raise refuse(
            f"这是旧版 Office 文件或加密文件，不是 {_EXTENSIONS[kind]}：请另存为不加密的{zh_name}",
            f"this is an old-format or password-protected Office file, not {_EXTENSIONS[kind]}: "
            f"save it unencrypted as {en_name}",
        )
    if not data.startswith(b"PK\x03\x04"):
        raise refuse(
            f"不是有效的{zh_name}（{_EXTENSIONS[kind]} 文件应为 zip 格式）",
            f"this is not {en_name} ({_EXTENSIONS[kind]} files are zip packages)",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            _check_directory(infos, limits, refuse)
            parts = _read_capped(package, infos, limits, refuse)
    except UploadRefused:
        raise
    except (*PARSER_ERRORS, zipfile.LargeZipFile, RuntimeError):
        raise refuse(
            f"文件已损坏或不完整，无法作为{zh_name}读取",
            f"the file is damaged or incomplete and cannot be read as {en_name}",
        ) from None
    _check_content_types(parts, {info.filename for info in infos}, kind, refuse)


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits, refuse) -> None:
    if len(infos) > limits.max_entries:
        raise refuse(
            f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_entries}）",
            f"the package holds too many parts ({len(infos)}, the limit is {limits.max_entries})",
        )
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        parts = re.split(r"[/\\]", name)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts or "\x00" in name:
            raise refuse(f"压缩包内含不安全的路径“{name[:80]}”", f"the package holds an unsafe path '{name[:80]}'")
        if name.lower() in names:
            raise refuse(f"压缩包内“{name[:80]}”重复出现", f"the package holds '{name[:80]}' twice")
        names.add(name.lower())
        if info.flag_bits & 0x1:
            raise refuse("文件已加密，请上传未加密的文件", "the file is encrypted: upload it without a password")
        if "vba" in parts[-1].lower():  # vbaProject.bin, vbaProjectSignature.bin, vbaData.xml
            raise refuse(
                "文件含宏（VBA），不予接受：请另存为不含宏的文件",
                "the file contains macros (VBA) and is refused: save it as a file without macros",
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_grace and ratio > limits.max_ratio:
            raise refuse(
                f"压缩比异常（{name[:80]} 压缩比 {ratio:.0f}:1），疑似压缩炸弹",
                f"abnormal compression ratio ({name[:80]} at {ratio:.0f}:1): a suspected zip bomb",
            )
    if total > limits.max_total_uncompressed:
        raise refuse(
            f"解压后过大（{_size(total)}，上限 {_size(limits.max_total_uncompressed)}），疑似压缩炸弹",
            f"too large once decompressed ({_size(total)}, the limit is "
            f"{_size(limits.max_total_uncompressed)}): a suspected zip bomb",
        )


def _read_capped(package: zipfile.ZipFile, infos, limits: Limits, refuse) -> dict[str, bytes]:
    """Decompress every entry, never more than the limits whatever the directory claims;
    return the XML parts, each checked for a ``<!DOCTYPE`` or ``<!ENTITY``."""
    total = 0
    parts: dict[str, bytes] = {}
    for info in infos:
        is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml", ".svg"))
        chunks = []
        with package.open(info) as stream:
            while True:
                chunk = stream.read(MiB)
                if not chunk:
                    break
                total += len(chunk)
                if total > limits.max_total_uncompressed:
                    raise refuse(
                        f"解压后过大（超过 {_size(limits.max_total_uncompressed)}），疑似压缩炸弹",
                        f"too large once decompressed (over {_size(limits.max_total_uncompressed)}): "
                        "a suspected zip bomb",
                    )
                if is_xml:
                    chunks.append(chunk)
        if is_xml:
            content = b"".join(chunks)
            lowered = content.lower()
            if any(marker in lowered for marker in _DOCTYPE):
                raise refuse(
                    f"文件部件 {info.filename[:80]} 含 DOCTYPE/ENTITY 声明，出于安全原因不予接受",
                    f"the part {info.filename[:80]} declares a DOCTYPE or ENTITY and is refused for safety",
                )
            parts[info.filename] = content
    return parts


def _check_content_types(parts: dict[str, bytes], names: set[str], kind: str, refuse) -> None:
    zh_name, en_name = _NAMES[kind]
    raw = parts.get("[Content_Types].xml")
    if raw is None:
        raise refuse(
            f"不是有效的{zh_name}（缺少 [Content_Types].xml）",
            f"this is not {en_name} ([Content_Types].xml is missing)",
        )
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise refuse(
            f"不是有效的{zh_name}（[Content_Types].xml 无法解析）",
            f"this is not {en_name} ([Content_Types].xml cannot be parsed)",
        ) from None
    overrides = {}
    for element in root:
        content_type = (element.get("ContentType") or "").strip().lower()
        if "macroenabled" in content_type or "vbaproject" in content_type:
            raise refuse(
                "文件含宏（启用宏的 .xlsm/.docm 格式），不予接受：请另存为 .xlsx/.docx",
                "the file is macro-enabled (.xlsm/.docm) and is refused: save it as .xlsx/.docx",
            )
        if element.tag == f"{_CT_NS}Override":
            overrides[(element.get("PartName") or "").lstrip("/")] = content_type
    mains = [part for part, content_type in overrides.items() if content_type == _MAIN_TYPES[kind]]
    if not mains or not any(part in names for part in mains):
        other = "document" if kind == "quote" else "quote"
        if _MAIN_TYPES[other] in overrides.values():
            found_zh, found_en = _NAMES[other]
            raise refuse(
                f"这是{found_zh}，不是{zh_name}：请上传 {_EXTENSIONS[kind]} 文件",
                f"this is {found_en}, not {en_name}: upload a {_EXTENSIONS[kind]} file",
            )
        raise refuse(
            f"文件未声明为{zh_name}（{_EXTENSIONS[kind]}）",
            f"the file does not declare itself {en_name} ({_EXTENSIONS[kind]})",
        )


def _known(kind: str) -> None:
    if kind not in _EXTENSIONS:
        raise ValueError(f"kind must be 'quote' or 'document', not {kind!r}")


def _size(count: int) -> str:
    return f"{count / MiB:.1f} MB" if count >= MiB else f"{count / 1024:.0f} KB"
