"""A quantity found in text, and half a unit in the last place of a figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

from jixiao.core.decimals import Interval
from jixiao.review.quantities.units import _SCALE

Kind = Literal["number", "date", "year"]


class Quantity(NamedTuple):
    """One figure found in text (immutable; a named tuple, so that the scanner builds one in a single C
    call — a report has a few hundred — where a frozen dataclass sets its twelve fields one by one).

    value      the number in the written unit ("391.39万元" -> 391.39, unit 万元; "5千" -> 5E+3)
    text       the exact substring, qualifiers included ("≥90%", "30余个")
    start/end  offsets in the input string
    unit       normalised unit ("" when none)
    decimals   decimals as written (0 for Chinese numerals without 点)
    approximate  余/多/约/近/以上/+/… or a range
    qualifier  the qualifier words, "…" between a prefix and a suffix ("突破…+")
    interval   what the figure stands for (see module doc)
    comparator "", ">=", "<=", ">", "<", "="
    kind       "number", or "date"/"year" (returned only with include_dates=True)
    upper      high end of a range "20-30个", else None
    """

    value: Decimal
    text: str
    start: int
    end: int
    unit: str
    decimals: int
    approximate: bool
    qualifier: str
    interval: Interval
    comparator: str = ""
    kind: Kind = "number"
    upper: Decimal | None = None

    def in_unit(self, unit: str) -> Decimal | None:
        """The value in another unit of the same dimension (元/万元/亿元, 人次/万人次, %/‰/fraction "").

        The precision written is kept in the exponent: 391.39万元 in 元 is Decimal('3.9139E+6').
        None when the units are not convertible.
        """
        factor = self._factor(unit)
        return None if factor is None else self.value.scaleb(factor)

    def interval_in(self, unit: str) -> Interval | None:
        if unit == self.unit:
            # Scaling by 1 would give an equal interval (its ends have at most 25 digits, within
            # Decimal's 28): most money is written in the unit it is compared in (万元).
            return self.interval
        factor = self._factor(unit)
        return None if factor is None else self.interval.scale(Decimal(1).scaleb(factor))

    def _factor(self, unit: str) -> int | None:
        if unit == self.unit:
            return 0
        src = _SCALE.get(self.unit)
        dst = ("ratio", 0) if unit == "" else _SCALE.get(unit)
        if src is None or dst is None or src[0] != dst[0]:
            return None
        return src[1] - dst[1]


def new_quantity(
    value: Decimal,
    text: str,
    start: int,
    end: int,
    unit: str,
    decimals: int,
    approximate: bool,
    qualifier: str,
    interval: Interval,
    comparator: str = "",
    kind: Kind = "number",
    upper: Decimal | None = None,
) -> Quantity:
    """``Quantity(...)``, positional."""
    return _new_tuple(
        Quantity,
        (value, text, start, end, unit, decimals, approximate, qualifier, interval, comparator, kind, upper),
    )


# ``_new_tuple(Quantity, fields)`` is ``Quantity(*fields)`` with all twelve fields given, in one C call: a
# named tuple's own __new__ is a Python function, a frame per figure that does nothing else.
_new_tuple = tuple.__new__


# Half a unit for each exponent met so far: a handful of exponents (figures carry up to a dozen
# decimals), read with a dict lookup.
_HALVES: dict[int, Decimal] = {}


def _half(exponent: int) -> Decimal:
    """Half a unit in the last place of a figure with this exponent (decimals.half_ulp, remembered)."""
    half = _HALVES.get(exponent)
    if half is None:
        half = _HALVES[exponent] = Decimal(5).scaleb(exponent - 1)
    return half
