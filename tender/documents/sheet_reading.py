"""Opening a vendor's workbook safely and reading its cells with ``sheet!cell`` addresses.

The workbook is loaded twice: with the values Excel saved (``data_only=True``) and with the
formulas (``data_only=False``), so a formula whose value was never saved is told apart from
an empty cell. Merged cells read as their top-left cell. Reading never raises: what cannot
be read becomes a :class:`~scoring.errors.Problem`.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from scoring.errors import Problem
from scoring.money import plain
from tender.documents import cells, layout
from tender.documents.cells import CellValueError, clean_text, is_blank, shown
from tender.documents.upload_check import PARSER_ERRORS

# What openpyxl may raise on a damaged or hostile file (the zip checks come first).
PARSE_ERRORS = (*PARSER_ERRORS, InvalidFileException)


class Unreadable:
    """A cell whose value cannot be used; its problem is already reported."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = Unreadable()


class Sheet:
    """One worksheet, as saved values plus formulas, with problems reported by cell."""

    def __init__(self, name: str, values, formulas, problems: list[Problem]):
        self.name = name
        self._values = values
        self._formulas = formulas
        self._problems = problems
        self._merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in formulas.merged_cells.ranges]

    @property
    def last_row(self) -> int:
        return min(self._values.max_row or 0, layout.MAX_ROWS)

    def where(self, row: int, column: int) -> str:
        return f"{self.name}!{get_column_letter(column)}{row}"

    def problem(self, row: int, column: int, zh: str, en: str) -> None:
        self._problems.append(Problem(self.where(row, column), zh, en))

    def sheet_problem(self, zh: str, en: str) -> None:
        """A problem with the sheet as a whole (a row that is missing)."""
        self._problems.append(Problem(self.name, zh, en))

    def _origin(self, row: int, column: int) -> tuple[int, int]:
        for min_row, min_col, max_row, max_col in self._merged:
            if min_row <= row <= max_row and min_col <= column <= max_col:
                return min_row, min_col
        return row, column

    def value(self, row: int, column: int):
        """The cell's value (a merged cell's top-left value); a formula gives its saved
        value, or :data:`UNREADABLE` with a problem when none was saved."""
        origin = self._origin(row, column)
        formula = self._formulas.cell(*origin).value
        saved = self._values.cell(*origin).value
        is_formula = (
            isinstance(formula, (ArrayFormula, DataTableFormula)) or self._formulas.cell(*origin).data_type == "f"
        )
        if is_formula and saved is None:
            text = formula.text if isinstance(formula, ArrayFormula) else formula
            self.problem(
                row,
                column,
                f"公式 {shown(text)} 没有保存计算结果：请在 Excel 或 WPS 中打开并保存后再上传，或直接填写数值",
                f"the formula {shown(text)} has no saved value: open and save the file in Excel or WPS "
                "before uploading, or type the value",
            )
            return UNREADABLE
        return saved

    def read(
        self,
        row: int,
        column: int,
        kind: str,
        zh: str,
        en: str,
        *,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal | None = None,
        integer: bool = False,
        units: tuple[str, ...] = cells.COUNT_UNITS,
        choices: dict | None = None,
    ):
        """The cell read as ``kind`` (amount, quantity, share, bool, date, list, choice, text):
        None when empty; :data:`UNREADABLE` (with a problem naming the cell) when it cannot
        be read or is out of range. ``zh``/``en`` name the field in the messages."""
        raw = self.value(row, column)
        if raw is UNREADABLE:
            return UNREADABLE
        if is_blank(raw):
            return None
        try:
            value = _parse(raw, kind, units, choices)
        except CellValueError as error:
            self.problem(row, column, f"“{zh}”{error.zh}", f"{en}: {error.en}")
            return UNREADABLE
        if isinstance(value, Decimal):
            reason = _out_of_range(value, minimum, maximum, integer, kind)
            if reason:
                self.problem(row, column, f"“{zh}”{reason[0]}", f"{en}: {reason[1]}")
                return UNREADABLE
        return value

    def blank(self, row: int, column: int) -> bool:
        """Nothing typed in the cell: no value and no formula."""
        origin = self._origin(row, column)
        return is_blank(self._values.cell(*origin).value) and is_blank(self._formulas.cell(*origin).value)

    def text(self, row: int, column: int) -> str:
        """A code or label cell as folded text ('' when empty or unreadable)."""
        origin = self._origin(row, column)
        value = self._values.cell(*origin).value
        return "" if is_blank(value) else clean_text(value)


class Book:
    """A vendor's workbook, opened twice (values and formulas)."""

    def __init__(self, values, formulas, problems: list[Problem]):
        self._values = values
        self._formulas = formulas
        self.problems = problems

    def sheet(self, name: str) -> Sheet | None:
        """The worksheet of that name; None if there is none (or it is a chart sheet)."""
        if name not in self._values.sheetnames or name not in self._formulas.sheetnames:
            return None
        values, formulas = self._values[name], self._formulas[name]
        if not isinstance(values, Worksheet) or not isinstance(formulas, Worksheet):
            return None
        return Sheet(name, values, formulas, self.problems)

    def missing_sheet(self, name: str) -> None:
        self.problems.append(
            Problem(
                name,
                f"找不到工作表“{name}”：请使用本项目的报价单模板，不要改动工作表名称",
                f"the sheet '{name}' is missing: use this tender's price-sheet template and keep its sheet names",
            )
        )


def open_book(data: bytes, problems: list[Problem]) -> Book | None:
    """Load the workbook twice; a file openpyxl cannot read becomes a problem, not an error."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, drawings, unknown styles) in
            # files made by Excel or WPS; a vendor cannot act on those, so they are not errors.
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    except PARSE_ERRORS:
        problems.append(
            Problem(
                "",
                "无法读取此 Excel 文件（文件已损坏或不是 .xlsx 工作簿）",
                "this Excel file cannot be read (it is damaged or not an .xlsx workbook)",
            )
        )
        return None
    return Book(values, formulas, problems)


def _parse(raw, kind: str, units: tuple[str, ...], choices: dict | None):
    if kind == "amount":
        return cells.parse_amount(raw)
    if kind == "quantity":
        return cells.parse_quantity(raw, units)
    if kind == "share":
        return cells.parse_share(raw)
    if kind == "bool":
        return cells.parse_bool(raw)
    if kind == "date":
        return cells.parse_date(raw)
    if kind == "list":
        return cells.parse_list(raw)
    if kind == "choice":
        return cells.parse_choice(raw, choices or {})
    return clean_text(raw)


def _out_of_range(value: Decimal, minimum, maximum, integer: bool, kind: str) -> tuple[str, str] | None:
    shown_value = plain(value)
    if minimum is not None and value < minimum:
        if minimum == 0:
            return f"不能为负数（{shown_value}）", f"must not be negative ({shown_value})"
        return f"不能小于 {minimum}（实为 {shown_value}）", f"must be at least {minimum} (got {shown_value})"
    if maximum is not None and value > maximum:
        if kind == "share" and maximum == 1:
            return (
                f"应在 0 到 1 之间，如 2% 或 0.02（实为 {shown_value}）",
                f"must be a share between 0 and 1 such as 2% or 0.02 (got {shown_value})",
            )
        return f"不能大于 {maximum}（实为 {shown_value}）", f"must be at most {maximum} (got {shown_value})"
    if integer and value != value.to_integral_value():
        return f"应为整数（实为 {shown_value}）", f"must be a whole number (got {shown_value})"
    return None


@dataclass
class Scan:
    """Where each code's rows are on a sheet, and the rows of each table."""

    rows: dict[str, list[int]] = field(default_factory=dict)
    tables: dict[str, list[int]] = field(default_factory=dict)

    def first(self, code: str) -> int | None:
        found = self.rows.get(code)
        return found[0] if found else None


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def scan_rows(
    sheet: Sheet,
    *,
    codes: set[str],
    labels: dict[str, str],
    sections: set[str],
    tables: tuple[str, ...] = (),
    open_codes: bool = False,
) -> Scan:
    """Find rows by the code in column A, else (outside tables) by the label in column B.

    A table (tiers, one-time fees) runs from the row coded with its name to the next coded
    row or section title, so rows a vendor inserts inside it are read too. ``open_codes``
    accepts any identifier in column A as a code (vendor facts are open).
    """
    scan = Scan(tables={name: [] for name in tables})
    current: str | None = None
    for row in range(1, sheet.last_row + 1):
        code_text = sheet.text(row, layout.CODE).lower()
        label = layout.label_key(sheet.text(row, layout.LABEL))
        code = code_text if code_text in codes or (open_codes and _IDENTIFIER.match(code_text)) else None
        if code is None and label and label in sections:
            current = None
            continue
        if code is None and current is None:
            code = labels.get(label)
        if code is None:
            if current is not None:
                scan.tables[current].append(row)
            continue
        current = code if code in tables else None
        scan.rows.setdefault(code, []).append(row)
    return scan


def label_keys(zh: str, en: str) -> list[str]:
    """The forms a row label may take: Chinese, English, or both as the template writes it."""
    return [key for key in (layout.label_key(zh), layout.label_key(en), layout.label_key(zh + en)) if key]
