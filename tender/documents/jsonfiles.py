"""The JSON files of domain §8: reading them with exact decimals, writing the result.

Numbers are read as ``Decimal`` (never binary floats). Errors a user can cause — a
missing file, broken JSON — become :class:`~scoring.errors.Problem` values naming the
file, line and column.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import orjson

from scoring.errors import InvalidInput, Problem


class _Decimals(dict):
    """number text → its Decimal, made on the first lookup."""

    def __missing__(self, text: str) -> Decimal:
        value = self[text] = Decimal(text)
        return value


# ``parse_float`` that reads each distinct number text once: equal numbers share one
# (immutable) Decimal. A panel file repeats a few dozen scores 153,000 times; read this way
# it parses in ~60 % of the time and its scores take a few objects, not 153,000. The lookup
# is the dict's own (no Python call but for a new text): ~85 M instructions less than a
# function for that panel file. One decoder serves every file (``json.loads`` with
# ``parse_float`` builds a decoder and its scanner a call, ~4.6 µs: ~5 ms of 1,000 bid
# files); the numbers are forgotten after each file. (Were two threads to read at once, one
# might forget the other's numbers: each is still read from its own text.)
_numbers = _Decimals()
_decoder = json.JSONDecoder(parse_float=_numbers.__getitem__)


def loads(text: str, source: str):
    try:
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        try:
            return _decoder.decode(text)
        finally:
            _numbers.clear()
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


# A file from 1 MB on (a panel's 153,000 scores are 3.3 MB) is decoded where the system keeps
# it (mapped, not read into a copy first): ~800 fresh pages of memory less for that file.
_MAPPED = 1 << 20
_BOM = codecs.BOM_UTF8


def _read_text(path: str) -> str:
    """A file's text (UTF-8, a byte-order mark left out); a file under 1 MB in four system
    calls: open, size, read, close. A file object reads a whole file in seven (it asks the size twice and the
    position once, and reads until an empty read): the kernel's share of reading 1,000 bid
    files of ~1 KB was ~2× as much."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size >= _MAPPED:
            import mmap  # only a large file needs it

            with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as mapped, memoryview(mapped) as whole:
                with whole[3:] if whole[:3] == _BOM else whole[:] as text:
                    return codecs.utf_8_decode(text, "strict", True)[0]
        data = os.read(fd, size + 1)
        if len(data) > size:  # it grew since, or its size is not known ahead (a pipe): read on
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data.decode("utf-8-sig")
    finally:
        os.close(fd)


def load(path: Path | str):
    # A text path is used as it is (a Path made of it parses its parts: ~3 µs a file).
    path = os.fspath(path)
    try:
        # The bytes, decoded apart: ``read_text`` makes a text wrapper and an incremental
        # decoder a file, ~0.013 s of the 1,000 bid files. Its newline translation kept:
        # "\r\n" and "\r" read as "\n" (error lines and columns as before).
        text = _read_text(path)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        raise InvalidInput([Problem(path, "文件不存在", "file not found")]) from None
    except UnicodeDecodeError:
        raise InvalidInput([Problem(path, "文件不是 UTF-8 编码的 JSON", "the file is not UTF-8 JSON")]) from None
    except OSError as error:
        raise InvalidInput(
            [Problem(path, f"无法读取：{error.strerror}", f"cannot be read: {error.strerror}")]
        ) from None
    return loads(text, path)


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


# result.json of 1,000 bids is ~12 MB of indented JSON: ``json`` with ``indent`` falls back
# to its pure-Python encoder (~1.4 s), orjson writes the same layout in ~0.01 s. The
# output is what ``json.dumps(data, indent=2, ensure_ascii=False)`` writes (Chinese as
# such, two-space indentation), in UTF-8. Keys that are not text (``{12: …}`` → ``"12"``)
# are allowed, but asked for only when met: the option costs ~30 % of orjson's time.
_INDENTED = orjson.OPT_INDENT_2
_ANY_KEYS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


def dumps_bytes(data, newline: bool = False) -> bytes:
    """``data`` as indented JSON in UTF-8, as :func:`dump` writes it (with ``newline``, the
    final newline too, written by orjson into the same buffer: no 12 MB copy to add it)."""
    extra = orjson.OPT_APPEND_NEWLINE if newline else 0
    try:
        return orjson.dumps(data, default=_default, option=_INDENTED | extra)
    except orjson.JSONEncodeError as error:
        if "Dict key must be str" not in str(error):
            raise
        return orjson.dumps(data, default=_default, option=_ANY_KEYS | extra)


# Written a megabyte at a time: a bid's part (~12 KB) a system call made the kernel's share
# of writing result.json of 1,000 bids 3 to 8 times as long.
_BUFFER = 1 << 20


def dump(data, path: Path | str, streamed: tuple[str, Iterable[dict]] | None = None) -> None:
    """Write ``data`` (result.json, a settlement) as indented JSON.

    With ``streamed=(key, items)``, ``data[key]`` is written as the list of ``items``, each
    made, written and let go in turn (result.json's bids): the same bytes as writing
    ``{**data, key: list(items)}``, without ever holding the whole text (12 MB for 1,000
    bids) or every item at once; the memory of one item serves the next (a fresh page of
    memory costs more than the bytes written on it).

    The file appears whole or not at all: it is written beside ``path`` and moved into place
    when complete, so a value JSON cannot hold leaves the previous file as it was."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb", buffering=_BUFFER) as file:
            if streamed is None:
                file.write(dumps_bytes(data, newline=True))
            else:
                _write_streamed(file, data, *streamed)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# Stands for the streamed list while the rest of the file is laid out: text no data can hold
# as such (orjson writes a NUL as \u0000); were it met elsewhere all the same, the file is
# written at once instead.
_PLACE = "\x00streamed list\x00"
_PLACE_JSON = orjson.dumps(_PLACE)


def _write_streamed(file, data: dict, key: str, items: Iterable[dict]) -> None:
    items = iter(items)
    first = next(items, None)
    frame = dumps_bytes({**data, key: [_PLACE]}, newline=True)
    if first is None or frame.count(_PLACE_JSON) != 1:
        rest = [] if first is None else [first, *items]
        file.write(dumps_bytes({**data, key: rest}, newline=True))
        return
    before, after = frame.split(_PLACE_JSON)
    # Each item is laid out alone (its braces at the margin), then moved to its place in the
    # list: every line break of orjson's indented output is structure (a line break inside a
    # text is written as \n), so adding the list's indentation after each one is exact.
    indent = before[before.rindex(b"\n") :]
    file.write(before)
    file.write(dumps_bytes(first).replace(b"\n", indent))
    del first
    separator = b"," + indent
    for item in items:
        file.write(separator)
        file.write(dumps_bytes(item).replace(b"\n", indent))
    file.write(after)


def fingerprint(data) -> str:
    """A stable id of a tender definition: the template marker of a tender given as a file."""
    import hashlib  # only the price-sheet commands need it: `tender evaluate` of JSON files starts without

    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)
    return "file-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
