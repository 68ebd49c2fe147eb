"""How figures and heading numbers are printed in a report (one place, so every writer prints alike).

Amounts keep the decimals they were typed with; a sum keeps the most decimals of its parts (Decimal
addition already does, ``sum_amounts`` makes it explicit). Rates and shares: 2 decimals, half up.
Scores: rounded to 2 decimals, then trailing zeros dropped ("10", "9.5", "9.25"), the way officers
write them in the text and in the 自评表.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jixiao.core.decimals import fmt, round2

__all__ = [
    "cn_numeral",
    "fmt_amount",
    "fmt_rate",
    "fmt_score",
    "heading_number",
    "rate2",
    "sum_amounts",
]

_DIGITS = "零一二三四五六七八九"
_TWO_PLACES = Decimal("0.01")


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (heading numbers, up to 9999)."""
    if not 0 < n < 10000:
        raise ValueError(f"heading number out of range: {n}")
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out = ""
    rest = n
    zero_pending = False
    for size, name in units:
        digit, rest = divmod(rest, size)
        if digit:
            if zero_pending:
                out += "零"
                zero_pending = False
            # 十一, not 一十一, when ten is the leading unit.
            out += ("" if (size == 10 and digit == 1 and not out) else _DIGITS[digit]) + name
        elif out:
            zero_pending = True
    if rest:
        out += ("零" if zero_pending else "") + _DIGITS[rest]
    return out


def heading_number(level: int, index: int) -> str:
    """The number before a heading: 1 → 一、 2 → （一） 3 → 1． 4 → （1）. ``index`` is 1-based."""
    if level <= 1:
        return f"{cn_numeral(index)}、"
    if level == 2:
        return f"（{cn_numeral(index)}）"
    if level == 3:
        return f"{index}．"
    return f"（{index}）"


def rate2(value: Decimal) -> Decimal:
    """A rate or share as printed: 2 decimals, half up."""
    return value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def fmt_rate(value: Decimal | None) -> str:
    """``Decimal('99.998')`` → "100.00" (no % sign; callers add it). None → ""."""
    return "" if value is None else fmt(rate2(value))


def fmt_amount(value: Decimal | None) -> str:
    """An amount exactly as typed (or as summed): no exponent, no '-0'."""
    return fmt(value)


def fmt_score(value: Decimal | None) -> str:
    """Score to at most 2 decimals, trailing zeros dropped: 10.00 → "10", 9.50 → "9.5"."""
    if value is None:
        return ""
    text = fmt(round2(value))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


from jixiao.model.money import sum_amounts  # noqa: E402  (re-exported: writers format sums with it)
