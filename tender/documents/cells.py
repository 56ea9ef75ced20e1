"""Reading what people type into a cell: amounts, shares, yes/no, dates, lists, choices.

Vendors type ``¥1,500.00``, ``1500元``, ``500万元``, ``0.68元/条``, ``2%``, ``１５００`` (full
width), ``是``, and Excel hands us numbers, text, booleans or datetimes. Each parser returns
the value in its domain type (``Decimal`` for every number, never a float) or raises
:class:`CellValueError` with the reason in Chinese and English; the caller adds where
(``sheet!cell`` or a table row). Ranges (negative, above 1) are the caller's business.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from scoring.money import NotANumber, to_decimal

_MULTIPLIERS = {"": 1, "千": 1000, "k": 1000, "万": 10000, "w": 10000, "百万": 1000000, "亿": 100000000}

# sign, currency, number (with thousands commas or plain), multiplier, the rest (unit words)
_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)(?:¥|\$|rmb|cny|人民币)?(?P<sign2>[-+]?)"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<mult>百万|千|万|亿|k|w)?(?P<rest>.*)$"
)
_MONEY_REST = re.compile(r"^(?:元|圆|块|rmb|cny|yuan)?(?:/[^/]+)*(?:\(.*\))?$")
COUNT_UNITS = ("个", "项", "人", "名", "家", "条", "件", "次", "单", "席", "份", "通", "天", "月", "年")

_TRUE = {"是", "有", "具备", "对", "yes", "y", "true", "1", "√", "✓", "✔", "含税"}
_FALSE = {"否", "无", "没有", "不具备", "no", "n", "false", "0", "×", "✗", "✘", "不含税"}


class CellValueError(ValueError):
    """A value that cannot be read as what the cell asks for, with the reason in zh and en."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


def clean_text(value) -> str:
    """Text as compared: full-width forms folded (NFKC), spaces trimmed and collapsed."""
    text = unicodedata.normalize("NFKC", str(value)).replace("−", "-").replace("\u00a0", " ")
    return " ".join(text.split())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value) -> str:
    """A cell value as quoted in a message: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:37] + "…"


def _from_number(value) -> Decimal | None:
    """A number cell as a Decimal (read as the engine reads numbers); None when not a number type."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        return None
    try:
        return to_decimal(value)
    except NotANumber:
        raise CellValueError(f"不是有效数字（{shown(value)}）", f"is not a valid number ({shown(value)})") from None


def _split_number(value) -> tuple[Decimal, str, str] | None:
    """A typed number as (value with multiplier applied, multiplier, the rest); None if none."""
    text = clean_text(value).lower().replace(" ", "")
    match = _NUMBER.match(text)
    if match is None or (match["sign"] and match["sign2"]):
        return None
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:
        return None
    mult = match["mult"] or ""
    number *= _MULTIPLIERS[mult]
    if "-" in (match["sign"], match["sign2"]):
        number = -number
    return number, mult, match["rest"]


_CN_DIGITS = {
    ch: n
    for n, chars in enumerate(("零〇", "一壹", "二贰两", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"))
    for ch in chars
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_AMOUNT = re.compile(r"^(?:人民币)?([零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿]+)(?:元|圆)整?$")


def _chinese_amount(text: str) -> Decimal | None:
    """Whole yuan written in Chinese numerals, as contracts state capital: ``人民币伍佰万元整``."""
    match = _CN_AMOUNT.match(text)
    if match is None:
        return None
    total, section, digit = 0, 0, 0
    for ch in match[1]:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:  # 亿
            total = (total + section + digit) * 100000000
            section = digit = 0
    return Decimal(total + section + digit)


def parse_amount(value) -> Decimal:
    """An amount of money in CNY: ``1500``, ``¥1,500.00``, ``1500元``, ``500万元``, ``0.68元/条``,
    ``人民币伍佰万元整``."""
    number = _from_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        parts = _split_number(value)
        if parts is not None and _MONEY_REST.match(parts[2]):
            return parts[0]
        chinese = _chinese_amount(clean_text(value).replace(" ", ""))
        if chinese is not None:
            return chinese
        if parts is not None and parts[2].startswith("%"):
            raise CellValueError(
                f"应为金额而不是百分比（{shown(value)}）", f"must be an amount, not a percentage ({shown(value)})"
            )
    raise CellValueError(
        f"应为金额（如 1500、¥1,500.00、1500元），实为“{shown(value)}”",
        f"must be an amount such as 1500, ¥1,500.00 or 1500元, got '{shown(value)}'",
    )


def parse_quantity(value, units: tuple[str, ...] = COUNT_UNITS) -> Decimal:
    """A count or measure, with an optional unit word: ``800``, ``2万``, ``120人``, ``30秒``."""
    number = _from_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        parts = _split_number(value)
        if parts is not None:
            rest = re.sub(r"\(.*\)$", "", parts[2]).split("/")[0]
            if rest == "" or rest in units:
                return parts[0]
    raise CellValueError(f"应为数字，实为“{shown(value)}”", f"must be a number, got '{shown(value)}'")


def parse_share(value) -> Decimal:
    """A share or rate: ``0.02``, ``2%``, ``２％``, ``5‰``. Excel's 2 % cells arrive as 0.02."""
    number = _from_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        text = clean_text(value).replace(" ", "")
        scale = Decimal(1)
        if text.endswith("%"):
            text, scale = text[:-1], Decimal(100)
        elif text.endswith("‰"):
            text, scale = text[:-1], Decimal(1000)
        parts = _split_number(text)
        if parts is not None and parts[1] == "" and parts[2] == "" and not text.lower().startswith(("¥", "rmb", "cny")):
            return parts[0] / scale
    raise CellValueError(
        f"应为比例（如 0.02 或 2%），实为“{shown(value)}”", f"must be a share such as 0.02 or 2%, got '{shown(value)}'"
    )


def parse_bool(value) -> bool:
    """Yes or no: ``是``/``否``, ``yes``/``no``, ``true``/``false``, 1/0, ``√``/``×``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = clean_text(value).lower()
        for key in (text, re.split(r"[\s/]", text)[0] if text else text):
            if key in _TRUE:
                return True
            if key in _FALSE:
                return False
    raise CellValueError(f"应为“是”或“否”，实为“{shown(value)}”", f"must be yes (是) or no (否), got '{shown(value)}'")


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value) -> dt.date:
    """A date: a date cell, ``2019-03-01``, ``2019/3/1``, ``2019.3.1`` or ``2019年3月1日``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE.match(clean_text(value).split("T")[0].split(" 00:00")[0])
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
    raise CellValueError(
        f"应为日期（如 2019-03-01），实为“{shown(value)}”", f"must be a date such as 2019-03-01, got '{shown(value)}'"
    )


def parse_list(value) -> list[str]:
    """A list typed into one cell: ``taobao, tmall、京东；jd`` → its elements in order, no repeats."""
    text = clean_text(value)
    items: list[str] = []
    for part in re.split(r"[,、;；\n]+|\s+", text):
        part = part.strip()
        if part and part not in items:
            items.append(part)
    return items


def parse_choice(value, options: dict[str, tuple[str, ...]]) -> str:
    """One code from ``options`` (code → aliases): ``"tiered — 咨询量阶梯"``, ``"tiered"`` or ``"咨询量阶梯"``."""
    text = clean_text(value).lower()
    candidates = [text, re.split(r"\s*[—–]\s*|\s+-\s+", text)[0], text.split(" ")[0]]
    for code, aliases in options.items():
        names = {code.lower(), *(clean_text(alias).lower() for alias in aliases)}
        if any(candidate in names for candidate in candidates):
            return code
    known = ", ".join(options)
    raise CellValueError(
        f"“{shown(value)}”不是可选项（可选：{known}）", f"'{shown(value)}' is not one of the choices ({known})"
    )


# Unit words a number may carry in a form or a cell beyond money and counts: time and points.
MEASURE_UNITS = (*COUNT_UNITS, "秒", "s", "秒钟", "分钟", "min", "小时", "h", "分", "点", "周", "日")


def read_number(value) -> tuple[Decimal, str]:
    """Any number people type, read as the vendor's sheet reads it, with the unit it was
    written with: ``95%`` → (0.95, "%"), ``0.95`` → (0.95, ""), ``3,000条`` → (3000, "条"),
    ``100万`` → (1000000, "万"), ``100万元`` → (1000000, "万元"), ``¥1,000,000`` → (1000000, "元").
    Shares first (``%``, ``‰``), then amounts, then counts and measures."""
    number = _from_number(value)
    if number is not None:
        return number, ""
    text = clean_text(value).lower().replace(" ", "") if isinstance(value, str) else ""
    if text.endswith(("%", "‰")):
        return parse_share(value), text[-1]
    parts = _split_number(text) if text else None
    if parts is not None:
        number, mult, rest = parts
        money = re.sub(r"/.*$", "", rest)
        if rest == "" and re.match(r"^(?:¥|rmb|cny|人民币)", text):
            return number, "元"
        if _MONEY_REST.match(rest) and rest:
            return number, mult + (money or "元")
        if rest == "":
            return number, mult
        unit = re.sub(r"\(.*\)$", "", rest).split("/")[0]
        if unit in MEASURE_UNITS:
            return number, mult + unit
    if isinstance(value, str):
        chinese = _chinese_amount(text)
        if chinese is not None:
            return chinese, "元"
    raise CellValueError(
        f"应为数字（如 95%、0.95、3,000、3000条、100万），实为“{shown(value)}”",
        f"must be a number such as 95%, 0.95, 3,000, 3000条 or 100万, got '{shown(value)}'",
    )


def parse_number(value) -> Decimal:
    """:func:`read_number` without the unit: the one reader of every number a person types."""
    return read_number(value)[0]
