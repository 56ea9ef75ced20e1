"""Reading plain dicts (from JSON, a workbook or a form) into values, collecting problems.

Every reader function takes a :class:`~scoring.errors.Problems` and a path, and records
what is wrong instead of raising, so that one run reports every problem at once.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.errors import Problems
from scoring.money import NotANumber, to_decimal

_MISSING = object()


def join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def check_keys(data: dict, allowed, path: str, problems: Problems) -> None:
    """Refuse unknown keys, naming their path, so a typo never passes silently."""
    for key in data:
        if key not in allowed:
            problems.add(join(path, key), f"未知字段“{key}”", f"unknown key '{key}'")


def expect_dict(value, path: str, problems: Problems) -> dict | None:
    if isinstance(value, dict):
        return value
    problems.add(path, "应为对象（键值表）", "must be an object")
    return None


def expect_list(value, path: str, problems: Problems) -> list | None:
    if isinstance(value, list):
        return value
    problems.add(path, "应为列表", "must be a list")
    return None


def number(
    data: dict,
    key: str,
    path: str,
    problems: Problems,
    *,
    default=_MISSING,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    below: Decimal | int | None = None,
    above: Decimal | int | None = None,
    integer: bool = False,
    allow_none: bool = False,
) -> Decimal | None:
    """Read ``data[key]`` as a Decimal within bounds; record a problem and return None if not."""
    where = join(path, key)
    raw = data.get(key, _MISSING)
    if raw is _MISSING or (raw is None and not allow_none):
        if default is _MISSING:
            problems.add(where, "缺少必填项", "is required")
            return None
        return default
    if raw is None:
        return None
    return check_number(
        raw, where, problems, minimum=minimum, maximum=maximum, below=below, above=above, integer=integer
    )


def check_number(
    raw, where: str, problems: Problems, *, minimum=None, maximum=None, below=None, above=None, integer: bool = False
) -> Decimal | None:
    try:
        value = to_decimal(raw)
    except NotANumber:
        problems.add(where, f"应为数字，实为 {raw!r}", f"must be a number, got {raw!r}")
        return None
    if integer and value != value.to_integral_value():
        problems.add(where, f"应为整数，实为 {value}", f"must be a whole number, got {value}")
        return None
    if minimum is not None and value < minimum:
        if minimum == 0:
            problems.add(where, f"不能为负数（{value}）", f"must not be negative ({value})")
        else:
            problems.add(where, f"不能小于 {minimum}（实为 {value}）", f"must be at least {minimum} (got {value})")
        return None
    if above is not None and value <= above:
        problems.add(where, f"必须大于 {above}（实为 {value}）", f"must be greater than {above} (got {value})")
        return None
    if maximum is not None and value > maximum:
        problems.add(where, f"不能大于 {maximum}（实为 {value}）", f"must be at most {maximum} (got {value})")
        return None
    if below is not None and value >= below:
        problems.add(where, f"必须小于 {below}（实为 {value}）", f"must be less than {below} (got {value})")
        return None
    return value


def text(data: dict, key: str, path: str, problems: Problems, *, default=_MISSING) -> str | None:
    where = join(path, key)
    raw = data.get(key, _MISSING)
    if raw is _MISSING or raw is None:
        if default is _MISSING:
            problems.add(where, "缺少必填项", "is required")
            return None
        return default
    if not isinstance(raw, str) or not raw.strip():
        problems.add(where, "应为非空文本", "must be a non-empty text")
        return None
    return raw.strip()


def boolean(data: dict, key: str, path: str, problems: Problems, *, default: bool) -> bool:
    raw = data.get(key, _MISSING)
    if raw is _MISSING or raw is None:
        return default
    value = as_bool(raw)
    if value is None:
        problems.add(join(path, key), f"应为是/否（true/false），实为 {raw!r}", f"must be true or false, got {raw!r}")
        return default
    return value


_TRUE = {"true", "yes", "y", "1", "是", "有", "具备", "对", "√", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "无", "不具备", "×", "✗"}


def as_bool(raw) -> bool | None:
    """A yes/no as people give it: true, "是", "yes", 1. None when it is not one."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, Decimal)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        key = raw.strip().lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    return None
