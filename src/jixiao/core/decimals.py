"""Decimal numbers as written, and the intervals they stand for (domain.md §8).

A figure written with d decimals stands for [v - ½·10^-d, v + ½·10^-d] (XBRL Calculations 1.1).
A stated total is inconsistent only when its interval does not overlap the interval of the sum of its
parts; a stated rate only when it lies outside the interval quotient. No epsilon anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "HUNDRED",
    "ZERO",
    "Interval",
    "dec",
    "decimals_of",
    "fmt",
    "half_ulp",
    "new_interval",
    "round2",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_TWO_PLACES = Decimal("0.01")


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")
_UNIT_CHARS = "万元亿%％"
_UNIT_HINT = "（只写数字，去掉单位；金额单位在 amount_unit 中统一设定）"
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def dec(text: str | int | Decimal) -> Decimal:
    """Build a Decimal from text as written, keeping its precision.

    Full-width digits are read as digits; a comma is accepted only as a thousands separator
    ("1,234.50"). "0，8" or "1300，88" is refused rather than guessed: it is most likely a decimal
    point typed as a comma, and dropping the comma would silently multiply the figure.
    Raises ValueError (never InvalidOperation) so callers can report a location.
    """
    if isinstance(text, Decimal):
        return _in_range(text, text)
    if isinstance(text, bool):
        raise ValueError(f"不是数字：{text!r}")
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):  # pragma: no cover - guarded: floats lose the digits as written
        raise TypeError("binary floats are not accepted; pass the text as written")
    cleaned = str(text).strip().translate(_FULLWIDTH).replace(" ", "")
    if cleaned and cleaned[-1] in _UNIT_CHARS:
        # "1,234.5万": the unit is what is wrong (a thousands comma is fine), so say that first.
        raise ValueError(f"不是数字：{text!r}{_UNIT_HINT}")
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned):
            raise ValueError(f"不是数字：{text!r}（逗号只能作千位分隔符；是否把小数点写成了逗号？）")
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"不是数字：{text!r}") from None
    return _in_range(value, text)


def _in_range(value: Decimal, text: object) -> Decimal:
    if not value.is_finite():
        raise ValueError(f"不是有限数字：{text!r}")
    # No budget figure, rate or score needs more than 15 integer digits or 12 decimals; beyond that the
    # text is a typing slip (and Decimal contexts would overflow downstream).
    if value and not -12 <= value.adjusted() <= 15:
        raise ValueError(f"数字超出合理范围：{str(text)!r}（请检查是否多打或少打了位数）")
    return value


def decimals_of(value: Decimal) -> int:
    """Number of decimals as written: Decimal('1.50') -> 2, Decimal('12') -> 0."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def half_ulp(value: Decimal) -> Decimal:
    """Half a unit in the last place written: 1.5 -> 0.05, 12 -> 0.5."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


def round2(value: Decimal) -> Decimal:
    """Scores are kept to 2 decimals (domain.md §2), rounded half up as officers do by hand."""
    return value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """Print a Decimal as a person writes it: no exponent, no '-0'."""
    if value is None:
        return ""
    if value == 0:
        value = abs(value)
    text = format(value, "f")
    return text


# Not frozen: a frozen dataclass sets each field through object.__setattr__, about four times the cost of
# a plain one, and the review path builds a few hundred intervals per report. Equal and hashed by value as
# before (unsafe_hash); nothing changes an interval once built.
@dataclass(slots=True, unsafe_hash=True)
class Interval:
    """A closed (or, for approximate figures, open-ended) interval of Decimals.

    ``lo``/``hi`` of None mean unbounded on that side (e.g. "300余篇" is (300, +inf)).
    """

    lo: Decimal | None
    hi: Decimal | None

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @classmethod
    def stated(cls, value: Decimal) -> Interval:
        """The interval a figure stands for, from the decimals it was written with."""
        h = half_ulp(value)
        return cls(value - h, value + h)

    @classmethod
    def at_least(cls, value: Decimal) -> Interval:
        return cls(value, None)

    @classmethod
    def at_most(cls, value: Decimal) -> Interval:
        return cls(None, value)

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def __add__(self, other: Interval) -> Interval:
        lo = None if self.lo is None or other.lo is None else self.lo + other.lo
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return new_interval(lo, hi)

    def __sub__(self, other: Interval) -> Interval:
        lo = None if self.lo is None or other.hi is None else self.lo - other.hi
        hi = None if self.hi is None or other.lo is None else self.hi - other.lo
        return new_interval(lo, hi)

    def __mul__(self, other: Interval) -> Interval:
        if not (self.bounded and other.bounded):
            return new_interval(None, None)
        assert self.lo is not None and self.hi is not None and other.lo is not None and other.hi is not None
        products = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return new_interval(min(products), max(products))

    def scale(self, factor: Decimal) -> Interval:
        lo = None if self.lo is None else self.lo * factor
        hi = None if self.hi is None else self.hi * factor
        return new_interval(lo, hi) if factor >= 0 else new_interval(hi, lo)

    def __truediv__(self, other: Interval) -> Interval:
        """Interval quotient; unbounded when the divisor may be zero."""
        if not (self.bounded and other.bounded):
            return new_interval(None, None)
        assert self.lo is not None and self.hi is not None and other.lo is not None and other.hi is not None
        if other.lo <= 0 <= other.hi:
            return new_interval(None, None)
        with localcontext() as ctx:
            ctx.prec = 34
            q = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return new_interval(min(q), max(q))

    def overlaps(self, other: Interval) -> bool:
        if self.hi is not None and other.lo is not None and self.hi < other.lo:
            return False
        return not (other.hi is not None and self.lo is not None and other.hi < self.lo)

    def contains(self, value: Decimal) -> bool:
        if self.lo is not None and value < self.lo:
            return False
        return not (self.hi is not None and value > self.hi)

    def __str__(self) -> str:
        lo = (
            "-∞"
            if self.lo is None
            else fmt(self.lo.normalize() if self.lo == self.lo.to_integral() else self.lo)
        )
        hi = (
            "+∞"
            if self.hi is None
            else fmt(self.hi.normalize() if self.hi == self.hi.to_integral() else self.hi)
        )
        return f"[{lo}, {hi}]"


# ``Interval(lo, hi)`` by the name the readers import: the class itself, so no wrapper call per interval.
new_interval = Interval


def sum_intervals(items: Iterable[Interval]) -> Interval:
    """``Interval.exact(0) + a + b + …``: the same additions in the same order (so the same Decimals),
    without an Interval built per step. A side once unbounded (None) stays unbounded, as in __add__."""
    lo: Decimal | None = ZERO
    hi: Decimal | None = ZERO
    for item in items:
        lo = None if lo is None or item.lo is None else lo + item.lo
        hi = None if hi is None or item.hi is None else hi + item.hi
    return new_interval(lo, hi)


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100, exactly enough for every comparison; None when either is missing or whole is 0."""
    if part is None or whole is None or whole == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return part * HUNDRED / whole


def agrees(stated: Decimal, parts: list[Decimal]) -> bool:
    """A stated total agrees with its parts when its interval overlaps their interval sum (domain.md §8).

    The one test behind both the author-path rules (B101/B102) and the money block's reconciliation, so a
    total is never replaced without a finding, nor reported while kept.
    """
    return Interval.stated(stated).overlaps(sum_intervals([Interval.stated(p) for p in parts]))
