"""Last year's monthly volumes uploaded on the tender form (.xlsx or .csv), read into months.

A shop's customer-service system (千牛, 店小蜜, 京东咚咚 …) exports its reception figures as a
workbook or a CSV file — often in GB18030 when it comes from a Chinese Excel. The file is
distrusted like every upload (:mod:`tender.documents.upload_check`): its size, its
extension, and for a workbook the zip checks (no macros, no zip bomb, no DOCTYPE) before
openpyxl sees it; a CSV must be text (no NUL byte) in UTF-8, UTF-16 with its mark, or
GB18030. The rows are then read by :func:`tender.documents.month_table.read_rows`, so a
problem is named at its cell (``B3``, or ``Sheet1!B3`` in a workbook).
"""

from __future__ import annotations

import csv
import io
import warnings

from openpyxl.utils import get_column_letter

from scoring.errors import Problem
from tender.documents.month_table import MAX_ROWS, Reading, read_rows
from tender.documents.upload_check import PARSER_ERRORS, Limits, MiB, UploadRefused, check_package, decoded_name

MAX_BYTES = 5 * MiB
EXTENSIONS = (".xlsx", ".csv")
MAX_COLUMNS = 40
LIMITS = Limits(max_total_uncompressed=20 * MiB)
_READ_ROWS = MAX_ROWS + 20  # a header and a few title rows above the data


def read_volume_file(filename: str, data: bytes, *, work_items: dict[str, str] | None = None) -> Reading:
    """The months of an uploaded .xlsx or .csv; a refused or unreadable file is one problem."""
    name = decoded_name(filename) or "upload"
    try:
        rows, where = _rows(name, data)
    except UploadRefused as refused:
        return Reading(problems=[refused.problem])
    reading = read_rows(rows, work_items=work_items, where=where)
    return reading


def _rows(name: str, data: bytes):
    if len(data) > MAX_BYTES:
        raise UploadRefused(
            Problem(
                name,
                f"文件过大：{len(data) / MiB:.1f} MB，上限 {MAX_BYTES // MiB} MB",
                f"the file is too large: {len(data) / MiB:.1f} MB, the limit is {MAX_BYTES // MiB} MB",
            ),
            413,
        )
    extension = _extension(name)
    if extension not in EXTENSIONS:
        shown = extension or "无 none"
        raise UploadRefused(
            Problem(
                name,
                f"只接受 .xlsx 工作簿或 .csv 文件，此文件的扩展名为 {shown}",
                f"only .xlsx workbooks and .csv files are accepted; this file's extension is {shown}",
            )
        )
    if not data:
        raise UploadRefused(Problem(name, "文件是空的", "the file is empty"))
    if extension == ".xlsx":
        check_package(data, kind="quote", limits=LIMITS, where=name)
        return _workbook_rows(name, data)
    return _csv_rows(name, data), None


def _extension(name: str) -> str:
    stem, dot, extension = name.rstrip(" .").rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def _workbook_rows(name: str, data: bytes):
    """The rows of the first worksheet that has an inquiries column (else the first one)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            sheets = [sheet for sheet in book.worksheets if getattr(sheet, "sheet_state", "visible") == "visible"]
            tables = [
                (
                    sheet.title,
                    [list(row) for row in sheet.iter_rows(max_row=_READ_ROWS, max_col=MAX_COLUMNS, values_only=True)],
                )
                for sheet in sheets
            ]
            book.close()
    except (*PARSER_ERRORS, InvalidFileException):
        raise UploadRefused(
            Problem(
                name,
                "无法读取此 Excel 文件（文件已损坏或不是 .xlsx 工作簿）",
                "this Excel file cannot be read (it is damaged or not an .xlsx workbook)",
            )
        ) from None
    if not tables:
        raise UploadRefused(Problem(name, "工作簿中没有工作表", "the workbook has no worksheet"))
    chosen = tables[0]
    for title, rows in tables:
        if read_rows(rows).header:
            chosen = (title, rows)
            break
    title, rows = chosen
    return rows, lambda row, column: f"{title}!{get_column_letter(column + 1)}{row + 1}"


def _csv_rows(name: str, data: bytes) -> list[list[str]]:
    text = _decode(name, data)
    sample = text[:4096]
    delimiter = (
        "\t" if sample.count("\t") > sample.count(",") else ";" if sample.count(";") > sample.count(",") else ","
    )
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
            if number >= _READ_ROWS:
                break
            rows.append(row[:MAX_COLUMNS])
    except csv.Error:
        raise UploadRefused(
            Problem(name, "CSV 文件格式有误，无法读取", "the CSV file is malformed and cannot be read")
        ) from None
    return rows


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UploadRefused(
        Problem(
            name,
            "不是文本格式的 CSV 文件（应为 UTF-8 或 GBK 编码）",
            "this is not a text CSV file (UTF-8 or GBK expected)",
        )
    )
