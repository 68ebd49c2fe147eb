"""Chinese numerals (三千五百, 二〇二四, 十二点五) and the magnitudes 百/千/万/亿 as powers of ten."""

from __future__ import annotations

from decimal import Decimal

_CN_DIGITS: dict[str, int] = {}
for _chars, _val in (
    ("〇零", 0),
    ("一壹", 1),
    ("二两贰貳", 2),
    ("三叁參", 3),
    ("四肆", 4),
    ("五伍", 5),
    ("六陆陸", 6),
    ("七柒", 7),
    ("八捌", 8),
    ("九玖", 9),
):
    for _ch in _chars:
        _CN_DIGITS[_ch] = _val
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_D = "".join(_CN_DIGITS)
_M = "".join(_CN_SMALL) + "".join(_CN_BIG)

_MAG_EXP = {"百": 2, "千": 3, "万": 4, "亿": 8, "萬": 4, "億": 8}
# Every magnitude _POST can read ("百万", "千万", "万亿" or one character), with its power of ten.
_MAG_SUM = {
    **_MAG_EXP,
    **{w: sum(_MAG_EXP[ch] for ch in w) for w in ("百万", "千万", "万亿")},
}


def _cn_int(s: str) -> int | None:
    """Value of a Chinese integer numeral, or None when malformed ("十四五")."""
    if not any(ch in _CN_SMALL or ch in _CN_BIG for ch in s):
        # Digit by digit: "二〇二四", "一".
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0  # committed at 亿
    wan = 0  # committed at 万 inside the current 亿 group
    section = 0
    digit: int | None = None
    last_small = 10**5
    last_mult = 1
    zero = False
    for ch in s:
        if ch in _CN_DIGITS:
            v = _CN_DIGITS[ch]
            if digit is not None:
                return None
            if v == 0:
                zero = True
                continue
            digit = v
        elif ch in _CN_SMALL:
            m = _CN_SMALL[ch]
            if digit is None:
                # "十二" = 12: a leading 十 means one ten.
                if m == 10 and section == 0 and not zero:
                    digit = 1
                else:
                    return None
            if m >= last_small:
                return None
            section += digit * m
            digit = None
            last_small = m
            last_mult = m
            zero = False
        else:
            b = _CN_BIG[ch]
            if digit is not None:
                section += digit
                digit = None
            if b == 10**4:
                if section == 0 or wan:
                    return None
                wan = section * b
            else:
                group = wan + section
                if group == 0 or total:
                    return None
                total = group * b
                wan = 0
            section = 0
            last_small = 10**5
            last_mult = b
            zero = False
    if digit is not None:
        # Spoken shorthand: "一百五" = 150, "三千五" = 3500, "一万五" = 15000.
        if not zero and last_mult >= 100:
            digit *= last_mult // 10
        section += digit
    return total + wan + section


def _cn_value(s: str) -> Decimal | None:
    head, sep, tail = s.partition("点")
    whole = _cn_int(head)
    if whole is None:
        return None
    if not sep:
        return Decimal(whole)
    return Decimal(f"{whole}.{''.join(str(_CN_DIGITS[ch]) for ch in tail)}")
