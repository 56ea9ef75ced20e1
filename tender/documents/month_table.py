"""A table of months read into the monthly profile's rows (domain §10 ``monthly_profile``).

The same reader serves the three ways a buyer gives the months on the tender form: text
pasted from a spreadsheet (tab- or comma-separated), and last year's monthly volumes
uploaded as .csv or .xlsx (:mod:`tender.documents.volume_upload` turns the file into rows).
It takes rows of raw cell values and finds out what each column is:

- **With a header row** (within the first :data:`HEADER_SEARCH` rows, so a title row above
  it is skipped) the columns are named as a shop's customer-service system exports them,
  in Chinese or English: 月份/日期/month, 咨询量/接待量/inquiries (the month's total),
  日均咨询量/daily inquiries, 天数/days, 坐席/seats, 大促天数/peak days, 客服销售额/CS sales,
  and a work item's id or name for its quantity. Unknown columns are left aside.
- **Without one** the columns are the form's own, in its order: month, daily inquiries,
  days, seats, peak days, CS sales, then the work items' quantities (a single column of
  numbers is the daily inquiries alone).

A month's total is turned into a daily figure by the month's days: the days column when
there is one, else the calendar days of the month its label names (``2025-01``,
``2025年1月``, a date cell, ``1月``; February without a year has 28), rounded half-up to
0.01 — 1,550,000 inquiries in January are 50,000 a day — and the month's days are set to
them. Rows of single days (an export by date) are added up month by month: the month's
daily figure is the sum ÷ the days listed. Total and average rows (合计, 平均, total) are
skipped. Every value that cannot be read is a problem at its cell (``B3``, or
``Sheet1!B3`` for a workbook), with the column's name; nothing is guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.utils import get_column_letter

from scoring.errors import Problem
from scoring.money import plain
from tender.documents.cells import CellValueError, clean_text, is_blank, parse_amount, parse_quantity, shown

HEADER_SEARCH = 10  # rows searched for the header (a title row or two may come first)
MAX_ROWS = 1000  # a day-by-day export of two years and a half
MAX_MONTHS = 120

# The columns of the form's month table, in its order (the order of a table without header).
COLUMNS = ("label", "daily_inquiries", "days", "agents_per_shift", "peak_days", "cs_sales")
NAMES = {  # column → (zh, en) as messages name it
    "label": ("月份", "month"),
    "daily_inquiries": ("日均咨询量", "daily inquiries"),
    "total_inquiries": ("月咨询量", "inquiries in the month"),
    "days": ("天数", "days"),
    "agents_per_shift": ("每班坐席数", "seats per shift"),
    "peak_days": ("大促天数", "peak days"),
    "cs_sales": ("客服销售额", "CS sales"),
}
# Header words, folded (lower case, no spaces, no bracketed unit), for each column. A header
# is matched whole first, then by the words it contains (the daily words before the totals').
_EXACT = {
    "label": {
        "月份",
        "月",
        "日期",
        "时间",
        "统计日期",
        "统计月份",
        "统计时间",
        "期间",
        "周期",
        "年月",
        "名称",
        "标签",
        "month",
        "date",
        "period",
        "label",
        "time",
        "day",
    },
    "daily_inquiries": {
        "日均咨询量",
        "日均咨询",
        "日均接待量",
        "日均接待",
        "日均",
        "日均咨询人数",
        "日均接待人数",
        "dailyinquiries",
        "daily_inquiries",
        "inquiriesperday",
        "inquiriesaday",
        "daily",
        "averagedailyinquiries",
        "avgdailyinquiries",
    },
    "total_inquiries": {
        "咨询量",
        "咨询人数",
        "咨询总量",
        "咨询次数",
        "月咨询量",
        "接待量",
        "接待人数",
        "接待总量",
        "会话量",
        "会话数",
        "进线量",
        "询单量",
        "总咨询量",
        "总接待量",
        "inquiries",
        "monthlyinquiries",
        "totalinquiries",
        "sessions",
        "conversations",
        "chats",
        "contacts",
    },
    "days": {"天数", "服务天数", "当月天数", "days", "servicedays"},
    "agents_per_shift": {
        "坐席",
        "坐席数",
        "每班坐席",
        "每班坐席数",
        "席位",
        "seats",
        "agents",
        "agentspershift",
        "agents_per_shift",
        "seatspershift",
    },
    "peak_days": {"大促天数", "大促", "活动天数", "peakdays", "peak_days", "peak"},
    "cs_sales": {"客服销售额", "销售额", "客服销售", "询单销售额", "cssales", "cs_sales", "sales"},
}
_CONTAINS = (  # (column, words any of which the folded header contains), tried in this order
    ("daily_inquiries", ("日均", "daily", "perday", "aday")),
    ("peak_days", ("大促", "peak")),
    ("days", ("天数", "days")),
    ("agents_per_shift", ("坐席", "席位", "seat", "agent")),
    ("cs_sales", ("销售额", "sales")),
    ("total_inquiries", ("咨询", "接待", "会话", "进线", "询单", "inquir", "session", "conversation", "chat")),
    ("label", ("月份", "日期", "month", "date")),
)
_SUMMARY = re.compile(r"^(合计|总计|汇总|小计|平均|均值|总和|total|sum|average|avg|mean)\b", re.I)
_UNIT = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")

_YEAR_MONTH = re.compile(
    r"^(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})(?:\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?|\s*月)?"
    r"(?![\d])"
)
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})?(?![\d])")
_MONTH_ONLY = re.compile(r"^(?P<month>\d{1,2})\s*月")
_ENGLISH = re.compile(
    r"^(?P<name>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:[\s,-]*(?P<year>\d{4}|\d{2}))?"
    r"(?![a-z])",
    re.I,
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
TWO_PLACES = Decimal("0.01")
_GROUPED = re.compile(r"^\s*[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万|千|k|w)?\s*$", re.I)


@dataclass(frozen=True)
class MonthKey:
    """The calendar month a label names (year None when it gives none) and its day, if any."""

    year: int | None
    month: int
    day: int | None = None

    @property
    def days(self) -> int:
        """Calendar days of the month; February of an unknown year has 28."""
        return calendar.monthrange(self.year if self.year is not None else 2001, self.month)[1]

    @property
    def text(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.year is not None else f"{self.month}月"


@dataclass(frozen=True)
class MonthRow:
    """One month for the form's table (numbers exact; ``None`` leaves the scenario's value)."""

    label: str
    daily_inquiries: Decimal
    days: Decimal | None = None
    agents_per_shift: Decimal | None = None
    peak_days: Decimal | None = None
    cs_sales: Decimal | None = None
    work_quantities: tuple[tuple[str, Decimal], ...] = ()
    total_inquiries: Decimal | None = None  # the month's total it was converted from


@dataclass
class Reading:
    months: list[MonthRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # column key → the header as written
    header: bool = False
    converted: bool = False  # daily figures were computed from the months' totals


def fold(header) -> str:
    """A header as compared: NFKC, lower case, no bracketed unit, no spaces."""
    text = _UNIT.sub("", clean_text(header)).lower()
    return re.sub(r"[\s:：]", "", text)


def column_of(header, work_items: dict[str, str]) -> str | None:
    """Which column a header names: a key of :data:`NAMES`, ``item:<id>``, or None."""
    folded = fold(header)
    if not folded:
        return None
    for item_id, name in work_items.items():
        if folded in (fold(item_id), fold(name)):
            return f"item:{item_id}"
    for key, words in _EXACT.items():
        if folded in words:
            return key
    for key, words in _CONTAINS:
        if any(word in folded for word in words):
            return key
    return None


def month_key(value) -> MonthKey | None:
    """The month a label cell names: a date cell, ``2025-01``, ``2025年1月``, ``202501``,
    ``2025-01-15``, ``1月``, ``Jan 2025``; None when it names none."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return MonthKey(value.year, value.month, value.day)
    if isinstance(value, (int, float, Decimal)) or is_blank(value):
        return None
    text = clean_text(value)
    for pattern in (_YEAR_MONTH, _COMPACT):
        match = pattern.match(text)
        if match and 1 <= int(match["month"]) <= 12:
            day = int(match["day"]) if match["day"] else None
            key = MonthKey(int(match["year"]), int(match["month"]), day)
            if day is not None and not 1 <= day <= key.days:
                return None
            return key
    match = _MONTH_ONLY.match(text)
    if match and 1 <= int(match["month"]) <= 12:
        return MonthKey(None, int(match["month"]))
    match = _ENGLISH.match(text)
    if match:
        year = match["year"]
        year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        return MonthKey(year, _MONTH_NAMES.index(match["name"].lower()[:3]) + 1)
    return None


def label_text(value) -> str:
    """A label cell as the month's label: a date cell as ``2025-01``, text as typed."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, (float, Decimal)):
        return plain(Decimal(str(value)))
    return clean_text(value)


def read_rows(rows: list[list], *, work_items: dict[str, str] | None = None, where=None) -> Reading:
    """The months of a table given as rows of cell values. ``work_items``: id → name of the
    scenario's work items (their quantity columns); ``where(row, column)`` names a cell
    (0-based indexes; default ``B3`` style)."""
    work_items = work_items or {}
    where = where or (lambda row, column: f"{get_column_letter(column + 1)}{row + 1}")
    reading = Reading()
    rows = [list(row) for row in rows]
    filled = [index for index, row in enumerate(rows) if any(not is_blank(v) for v in row)]
    if not filled:
        reading.problems.append(Problem("", "表格是空的：没有找到任何月份", "the table is empty: no month was found"))
        return reading
    header_at, columns = _header(rows, filled, work_items)
    if header_at is None:
        columns = _positional(rows, filled, work_items)
        body = filled
    else:
        reading.header = True
        reading.columns = {key: clean_text(rows[header_at][index]) for index, key in columns.items()}
        body = [index for index in filled if index > header_at]
        if not any(key in ("daily_inquiries", "total_inquiries") for key in columns.values()):
            reading.problems.append(
                Problem(
                    where(header_at, 0),
                    "表头中没有咨询量列：请用“咨询量”（当月合计）或“日均咨询量”作为列名",
                    "the header has no inquiries column: name it 咨询量 / inquiries "
                    "(the month's total) or 日均咨询量 / daily inquiries",
                )
            )
            return reading
    if len(body) > MAX_ROWS:
        reading.problems.append(
            Problem(
                "",
                f"行数过多（{len(body)} 行，上限 {MAX_ROWS} 行）",
                f"too many rows ({len(body)}, the limit is {MAX_ROWS})",
            )
        )
        return reading
    _read_body(rows, body, columns, where, reading)
    return reading


def _header(rows, filled, work_items) -> tuple[int | None, dict[int, str]]:
    """The header row and its columns, or (None, {}) when the table starts with data.

    A header is a row of text only (no number, no date) naming two known columns, or one
    by its exact name; a row of text naming fewer (a title such as 店铺接待数据) is passed over."""
    for index in filled[:HEADER_SEARCH]:
        cells = [(position, value) for position, value in enumerate(rows[index]) if not is_blank(value)]
        if any(isinstance(value, (dt.date, dt.datetime)) or _number_like(value) for _p, value in cells):
            break  # data before any header: the table has none
        columns: dict[int, str] = {}
        exact = 0
        for position, value in cells:
            key = column_of(value, work_items)
            if key is not None and key not in columns.values():
                columns[position] = key
                exact += fold(value) in _EXACT.get(key, ()) or key.startswith("item:")
        if len(columns) >= 2 or exact:
            return index, columns
    return None, {}


def _number_like(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    try:
        parse_quantity(value)
    except CellValueError:
        return False
    return True


def _positional(rows, filled, work_items) -> dict[int, str]:
    """The form's own columns in its order; one column of numbers is the daily inquiries."""
    width = max(len([v for v in rows[i]]) for i in filled)
    keys = list(COLUMNS) + [f"item:{item_id}" for item_id in work_items]
    if width == 1 and all(_number_like(rows[i][0]) for i in filled):
        return {0: "daily_inquiries"}
    return {position: key for position, key in enumerate(keys[:width])}


@dataclass
class _Month:
    key: MonthKey | None
    label: str
    cells: dict = field(default_factory=dict)  # column → (value, cell) of its first row
    total: Decimal | None = None
    daily: list[Decimal] = field(default_factory=list)
    dates: set = field(default_factory=set)
    rows: list[int] = field(default_factory=list)


def _read_body(rows, body, columns: dict[int, str], where, reading: Reading) -> None:
    label_at = _position(columns, "label")
    inquiries_at = _position(columns, "daily_inquiries")
    inquiries_at = inquiries_at if inquiries_at is not None else _position(columns, "total_inquiries")
    if inquiries_at is None:
        reading.problems.append(
            Problem(
                "",
                "没有咨询量列：每行应写月份和日均咨询量（如“2027-01<Tab>1650”）",
                "no inquiries column: each row gives the month and its daily inquiries (e.g. '2027-01<Tab>1650')",
            )
        )
        return
    months: list[_Month] = []
    by_date: dict[tuple, _Month] = {}
    for index in body:
        row = rows[index] + [None] * (max(columns) + 1 - len(rows[index]))
        raw_label = row[label_at] if label_at is not None else None
        if isinstance(raw_label, str) and _SUMMARY.match(clean_text(raw_label)):
            continue
        values = {
            key: _number(row[position], key, where(index, position), reading)
            for position, key in columns.items()
            if key != "label"
        }
        key = month_key(raw_label)
        dated = key is not None and key.day is not None
        month = by_date.get((key.year, key.month)) if dated else None
        if month is None:
            label = label_text(raw_label) if not is_blank(raw_label) else str(len(months) + 1)
            month = _Month(key, label)
            months.append(month)
            if dated:
                by_date[(key.year, key.month)] = month
        month.rows.append(index)
        if dated:
            month.dates.add(key.day)
        for name, value in values.items():
            if value is None:
                continue
            if name == "total_inquiries":
                month.total = (month.total or 0) + value
            elif name == "daily_inquiries":
                month.daily.append(value)
            elif name not in month.cells:
                month.cells[name] = (value, where(index, _position(columns, name)))
        at = where(index, inquiries_at)
        if (
            is_blank(row[inquiries_at])
            and values.get("daily_inquiries") is None
            and values.get("total_inquiries") is None
        ):
            reading.problems.append(_problem(at, columns[inquiries_at], "没有填写", "is empty", reading))
    if len(months) > MAX_MONTHS:
        reading.problems.append(
            Problem(
                "",
                f"月份过多（{len(months)} 个，上限 {MAX_MONTHS} 个）",
                f"too many months ({len(months)}, the limit is {MAX_MONTHS})",
            )
        )
    if reading.problems:
        return
    # rows of single days when some month has several; else a date names its month (2025-01-01)
    by_day = any(len(m.rows) > 1 for m in by_date.values())
    seen: dict[str, int] = {}
    for month in months:
        if month.key is not None and month.key.day is not None:
            month.label = f"{month.key.year}-{month.key.month:02d}"
            if not by_day:
                month.dates = set()
        row = _month_row(month, label_at, where, reading)
        if row is None:
            continue
        if row.label in seen:
            reading.problems.append(
                Problem(
                    where(month.rows[0], label_at or 0),
                    f"月份“{row.label}”重复（与第 {seen[row.label] + 1} 行相同）",
                    f"the month '{row.label}' is repeated (as on row {seen[row.label] + 1})",
                )
            )
            continue
        seen[row.label] = month.rows[0]
        reading.months.append(row)
    if reading.problems:
        reading.months = []


def _position(columns: dict[int, str], name: str) -> int | None:
    return next((p for p, k in columns.items() if k == name), None)


def _number(value, key: str, at: str, reading: Reading) -> Decimal | None:
    if is_blank(value):
        return None
    try:
        number = parse_amount(value) if key == "cs_sales" else parse_quantity(value)
    except CellValueError as error:
        reading.problems.append(_problem(at, key, error.zh, error.en, reading))
        return None
    if number < 0:
        reading.problems.append(
            _problem(at, key, f"不能为负数（{shown(value)}）", f"must not be negative ({shown(value)})", reading)
        )
        return None
    if key in ("days", "peak_days") and number > 31:
        reading.problems.append(
            _problem(
                at,
                key,
                f"一个月不超过 31 天（{shown(value)}）",
                f"a month has at most 31 days ({shown(value)})",
                reading,
            )
        )
        return None
    return number


def _problem(at: str, key: str, zh: str, en: str, reading: Reading) -> Problem:
    """A problem at a cell, naming its column as the file's header writes it (else as the form does)."""
    written = reading.columns.get(key)
    name_zh, name_en = (
        (written, written) if written else NAMES.get(key, (key.removeprefix("item:"), key.removeprefix("item:")))
    )
    return Problem(at, f"“{name_zh}”{zh}", f"{name_en}: {en}")


def _month_row(month: _Month, label_at, where, reading: Reading) -> MonthRow | None:
    cells = {name: value for name, (value, _at) in month.cells.items()}
    days = cells.get("days")
    if days is not None and days == 0:
        reading.problems.append(_problem(month.cells["days"][1], "days", "至少为 1", "must be at least 1", reading))
        return None
    daily = None
    if month.total is not None:
        if month.dates and days is None:
            divisor, days = Decimal(len(month.dates)), Decimal(month.key.days)
        elif days is not None:
            divisor = days
        elif month.key is not None:
            divisor = days = Decimal(month.key.days)
        else:
            reading.problems.append(
                Problem(
                    where(month.rows[0], label_at if label_at is not None else 0),
                    f"无法确定“{month.label}”的天数，不能把月咨询量换算为日均：请写明月份（如 2025-01），或增加“天数”列",
                    f"the days of '{month.label}' are unknown, so its total cannot be turned into a daily figure: "
                    "name the month (e.g. 2025-01) or add a days column",
                )
            )
            return None
        daily = (month.total / divisor).quantize(TWO_PLACES, ROUND_HALF_UP)
        reading.converted = True
    elif month.daily:
        daily = sum(month.daily) / len(month.daily)
        if len(month.daily) > 1:
            daily = daily.quantize(TWO_PLACES, ROUND_HALF_UP)
    if daily is None:
        return None
    quantities = tuple((key.removeprefix("item:"), value) for key, value in cells.items() if key.startswith("item:"))
    return MonthRow(
        month.label,
        _normal(daily),
        _normal(days),
        _normal(cells.get("agents_per_shift")),
        _normal(cells.get("peak_days")),
        _normal(cells.get("cs_sales")),
        quantities,
        _normal(month.total),
    )


def _normal(value: Decimal | None) -> Decimal | None:
    """Without trailing zeros (50000, not 50000.00), as typed numbers are shown."""
    if value is None:
        return None
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


# --------------------------------------------------------------------------- pasted text


def split_text(text: str) -> list[list[str]]:
    """Pasted text as rows of cells: tab-separated (what a spreadsheet copies), else
    comma-separated (a full-width comma or a semicolon too); quotes as in CSV."""
    import csv
    import io

    lines = [line for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    sample = "\n".join(lines[:20])
    if "\t" in sample:
        delimiter = "\t"
    elif "，" in sample and "," not in sample:
        delimiter = "，"
    elif ";" in sample and "," not in sample:
        delimiter = ";"
    else:
        delimiter = ","
    if delimiter == ",":
        # thousands separators inside a number ("1,550,000") would split it: a column of
        # numbers alone is one column; a row written with commas between cells quotes such
        # numbers (as CSV does), a spreadsheet copy uses tabs
        if all(_GROUPED.match(line) for line in lines if line.strip()):
            return [[line.strip()] for line in lines]
        return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=",")]
    return [line.split(delimiter) for line in lines]


def read_text(text: str, *, work_items: dict[str, str] | None = None) -> Reading:
    return read_rows(split_text(text), work_items=work_items)
