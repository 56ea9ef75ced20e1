"""Decimal parsing, rounding and formatting.

Money and rates are ``Decimal`` from the moment they are read. Amounts may arrive as
numbers or strings (``2.5``, ``"2.50"``); binary floats are turned into their shortest
decimal text first, so ``0.1`` is ``Decimal("0.1")``. Rounding is half-up to 0.01, and
only for figures that are shown or stored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


class NotANumber(ValueError):
    pass


def to_decimal(value) -> Decimal:
    """Read a number given as int, Decimal, float or numeric string; refuse anything else."""
    kind = type(value)  # the two kinds a JSON file gives (read with exact decimals), first
    if kind is Decimal and value.is_finite():
        return value
    if kind is int:
        return Decimal(value)
    if isinstance(value, bool) or value is None:
        raise NotANumber(repr(value))
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise NotANumber(value) from None
    else:
        raise NotANumber(repr(value))
    if not result.is_finite():
        raise NotANumber(str(value))
    return result


def round2(value: Decimal) -> Decimal:
    """Half-up rounding to 0.01 (domain §7: ROUND_HALF_UP everywhere)."""
    # The rounding given by position: by keyword the C method is handed a new dict of
    # keyword arguments each call, ~2× its time (a result of 1,000 bids rounds ~56,000 times).
    return value.quantize(CENT, ROUND_HALF_UP)


def fmt2(value: Decimal | None) -> str | None:
    """Two-decimal text, as amounts and scores are written out: ``"52266.67"``."""
    if value is None:
        return None
    # round2, inline: ~26,000 calls for 1,000 bids. Written by str(): a Decimal of exponent -2
    # is never in exponent notation (that needs an exponent above 0 or adjusted() below -6),
    # so it reads as format "f" would write it, at a third of its cost (~730 instructions
    # against ~2,200: format parses its specification and formats through a copy).
    return str(value.quantize(CENT, ROUND_HALF_UP))


def plain(value: Decimal) -> str:
    """A quantity without trailing zeros or exponent: 15600, 0.35, 266.67."""
    text = str(value)  # already that for most values ("3.5", "15600"), and cheap: a result writes 300,000
    if not ("E" in text or text.endswith("0") and "." in text or text == "-0" or not value.is_finite()):
        return text
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"


class Recurring(dict):
    """``make(value)``, kept for the values that recur (the texts of a few dozen scores asked
    for 100,000s of times): a lookup is the dict's own, with no Python call but for a new
    value. At most 4,096 values are kept; then they are forgotten all at once."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, value):
        if len(self) >= 4096:
            self.clear()
        made = self[value] = self.make(value)
        return made


# :func:`plain` of a value that recurs: the evaluators' scores (153,000 of them for 1,000 bids
# × 9 evaluators × 17 criteria) take a few dozen values. Equal decimals have the same plain
# text ("26.0" and "26" are both 26), so a value is a safe key. The dict's own lookup (no
# Python call but for a new value) instead of an lru_cache, which wraps each value in a key
# tuple and reorders its list on every hit: ~15 ms less in ``Result.to_json`` of 1,000 bids.
plain_recurring = Recurring(plain).__getitem__


_fmt2_texts = Recurring(fmt2)


def fmt2_recurring(value: Decimal) -> str:
    """:func:`fmt2` of a value that recurs: the scores of a criterion (1,000 bids × 20
    criteria) take a few hundred values. Equal decimals have the same two-decimal text, but
    for the sign of a zero ("-0.00"): a negative value is written as it comes."""
    if value.is_signed():
        return fmt2(value)
    return _fmt2_texts[value]


def thousands(value: Decimal) -> str:
    """``1000000`` → ``1,000,000``; decimals kept as written (``0.35``)."""
    text = plain(value)
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return sign + whole + (f".{fraction}" if fraction else "")


def money_text(value: Decimal) -> str:
    """A price as written in a formula: at least two decimals (2.50), more if given (0.685)."""
    # Rounded once and written by str(), as fmt2 (~5,000 calls for 1,000 bids' formulas).
    rounded = value.quantize(CENT, ROUND_HALF_UP)
    if value == rounded:
        return str(rounded)
    return plain(value)


def pct_text(value: Decimal) -> str:
    """A share as a percentage: 0.02 → 2%, 0.065 → 6.5%."""
    return f"{plain(value * HUNDRED)}%"
