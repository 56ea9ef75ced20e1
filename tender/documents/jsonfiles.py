"""The JSON files of domain §8: reading them with exact decimals, writing the result.

Numbers are read as ``Decimal`` (never binary floats). Errors a user can cause — a
missing file, broken JSON — become :class:`~scoring.errors.Problem` values naming the
file, line and column.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from scoring.errors import InvalidInput, Problem


def loads(text: str, source: str):
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            [
                Problem(
                    f"{source}:{error.lineno}:{error.colno}",
                    f"JSON 格式错误：{error.msg}",
                    f"invalid JSON: {error.msg}",
                )
            ]
        ) from None


def load(path: Path | str):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput([Problem(str(path), "文件不存在", "file not found")]) from None
    except UnicodeDecodeError:
        raise InvalidInput([Problem(str(path), "文件不是 UTF-8 编码的 JSON", "the file is not UTF-8 JSON")]) from None
    except OSError as error:
        raise InvalidInput(
            [Problem(str(path), f"无法读取：{error.strerror}", f"cannot be read: {error.strerror}")]
        ) from None
    return loads(text, str(path))


def _default(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(data, *, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_default)


# Without indentation ``json`` encodes in C; with it, in pure Python (~20× slower: 1.4 s for
# the 10 MB result of 1,000 bids). So a file is laid out line by line instead, each line
# encoded in C.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_default)


def dumps_lines(data) -> str:
    """JSON with one top-level key a line and one element of a top-level list a line (a
    bid of result.json is one line): readable, diffable, and written by json's C encoder."""
    encode = _ENCODER.encode
    if not isinstance(data, dict):
        return encode(data)
    parts = []
    for key, value in data.items():
        name = encode(str(key))
        if isinstance(value, list) and value:
            items = ",\n".join("    " + encode(item) for item in value)
            parts.append(f"  {name}: [\n{items}\n  ]")
        else:
            parts.append(f"  {name}: {encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}" if parts else "{}"


def dump(data, path: Path | str) -> None:
    """Write ``data`` (result.json) as :func:`dumps_lines` lays it out."""
    Path(path).write_text(dumps_lines(data) + "\n", encoding="utf-8")


def fingerprint(data) -> str:
    """A stable id of a tender definition: the template marker of a tender given as a file."""
    import hashlib  # only the price-sheet commands need it: `tender evaluate` of JSON files starts without

    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)
    return "file-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
