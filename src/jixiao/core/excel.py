"""Excel numbers as the Decimals the user meant: shared by the author path's workbook reader and the review
path's spreadsheet readers (which must not import each other).

Excel stores a double and forgets trailing zeros, so the decimals the cell's number format shows are taken
as the decimals written (279.1 in a ``0.00`` cell is 279.10); the double becomes text with ``repr`` (the
shortest text giving the same double, i.e. what was typed), never by binary arithmetic; a percent format
shifts the point (0.905 shown as 90.50% is 90.50).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.decimals import decimals_of

__all__ = ["decimal_from_number", "format_decimals", "is_percent_format"]

_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def format_decimals(number_format: str) -> int | None:
    """Decimals a number format always shows (``0.00`` → 2, ``#,##0`` → 0); None for General/text."""
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    if section.lower() in ("general", "@", "") or "0" not in section:
        return None
    _, dot, frac = section.partition(".")
    if not dot:
        return 0
    return len(frac) - len(frac.lstrip("0"))


def is_percent_format(number_format: str) -> bool:
    """The format shows the value times 100 with a % sign (``0.00%``; a quoted "%" does not count)."""
    return "%" in _QUOTED.sub("", number_format or "")


def decimal_from_number(value: int | float, number_format: str, *, formula: bool = False) -> Decimal:
    """An Excel number as the Decimal the user meant (see the module docstring for the policy)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # repr(90.0) is "90.0": that ".0" was never typed
    d = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    if is_percent_format(number_format):
        d = d.scaleb(2)  # shift the point: 0.905 → 90.5, adding no zeros the user did not type
        if d.as_tuple().exponent > 0:  # type: ignore[operator]
            d = d.quantize(Decimal(1))  # 0.9 → 9E+1 → 90
    places = format_decimals(number_format)
    if places is not None:
        step = Decimal(1).scaleb(-places)
        if decimals_of(d) < places or (formula and decimals_of(d) > places):
            d = d.quantize(step)
    return d
