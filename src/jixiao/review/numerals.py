"""Chinese numerals of outline markers and list numbers: "十一" ↔ 11, up to 999."""

from __future__ import annotations

__all__ = ["CN_DIGITS", "cn_to_int", "int_to_cn"]

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_DIGITS = "一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """ "十一" → 11, "二十" → 20, "一百零五" → 105; None for anything that is not a numeral below 1000."""
    if not text:
        return None
    total = 0
    digit: int | None = None
    seen_ten = seen_hundred = False
    for ch in text:
        if ch in _CN_DIGIT:
            if digit not in (None, 0):
                return None  # "一一": two digits in a row
            digit = _CN_DIGIT[ch]
        elif ch == "十":
            if seen_ten:
                return None
            total += (1 if digit is None else digit) * 10
            digit, seen_ten = None, True
        elif ch == "百":
            if seen_hundred or seen_ten or digit in (None, 0):
                return None
            total += digit * 100
            digit, seen_hundred = None, True
        else:
            return None
    total += digit or 0
    return total or None


def int_to_cn(n: int) -> str:
    """1 → 一, 11 → 十一, 21 → 二十一, 105 → 一百零五 (1 ≤ n ≤ 999)."""
    if not 1 <= n <= 999:
        raise ValueError(f"{n} is outside 1..999")
    digits = " " + CN_DIGITS
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + ("一" + int_to_cn(rest) if rest < 20 else int_to_cn(rest))
