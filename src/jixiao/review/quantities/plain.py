"""The usual figure read in one step: an Arabic number as written, then a unit or nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, cast

from jixiao.core.decimals import Interval, new_interval
from jixiao.review.quantities.patterns import (
    _AT_LEAST,
    _AT_MOST,
    _COMPARATOR,
    _DAY_UNITS,
    _LATIN,
    _MAX_DIGITS,
    _MAX_WHOLE_DIGITS,
    _POST,
    _POST_FIRST,
    _PRE_LAST,
    _PRE_WORDS,
    _RANGE_OR_TAIL_FIRST,
    _RANGE_SEP,
    _TAIL,
    _TIME_CTX,
    _UNIT_AT,
    _YEAR_UNIT,
    UnitWords,
)
from jixiao.review.quantities.quantity import Quantity, _half, _new_tuple, new_quantity
from jixiao.review.quantities.read import _is_heading, _year_digits
from jixiao.review.quantities.units import _COMPOUND, _UNIT_NORM

_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Characters before a figure that send it to the general reader: an ordinal, a code, a qualifier.
_NOT_PLAIN_BEFORE = frozenset("第-") | _LATIN | _PRE_LAST
_DATE_UNITS = frozenset({_YEAR_UNIT, *_DAY_UNITS})
_YUAN = cast("UnitWords", _UNIT_AT["元"])  # words, not a string: 元 has its lookaheads (元素, 元旦…)
_TIME_LAST = frozenset("时点 \t")


# A figure right after one of these signs takes it as its qualifier ("≥95%"): one-character _PRE words
# that end no longer word, bound the figure on one side and give a comparator (no 约/近 exceptions),
# so the plain reader reads them as _read would.
_SIGN_BEFORE = frozenset(
    w
    for w in _PRE_WORDS
    if len(w) == 1
    and w in _COMPARATOR
    and (w in _AT_LEAST) != (w in _AT_MOST)
    and not any(o != w and o.endswith(w) for o in _PRE_WORDS)
)


def _read_plain(
    t: str, orig: str, m: re.Match[str], cell: bool, include_dates: bool = False
) -> Quantity | int | None:
    """The usual figure read in one step: an Arabic number as written ("81641.63", "12", "≥95%"), then
    a unit or nothing; no range, word qualifier or percent word around it. The same Quantity ``_read``
    gives (tests/review/test_quantities.py compares the two on every figure of the test texts and on random
    text). An int when ``_read`` would find no quantity there ("第3", "0734", "1.2.3", a "1、" heading,
    a year or date without ``include_dates``): the offset where the scan goes on, the one ``_read``
    gives. None for anything else, which ``_read`` then reads. Most figures of a report take this path,
    and it skips the general reader's branches for ranges, qualifiers and Chinese numerals."""
    pct, raw = m.group("pct", "ar")
    if pct is not None:
        return None
    start, end = m.span()
    sign: str | None = None
    if start:
        prev = t[start - 1]
        if prev in _NOT_PLAIN_BEFORE:
            if prev == "第" or prev in _LATIN:
                return end  # an ordinal or a code: _read_tok refuses it before anything else
            if prev not in _SIGN_BEFORE:
                return None
            sign = prev
    # The same test as _PLAIN_NUMBER.fullmatch(raw) for what _AR matches: an ASCII _AR match without a
    # sign or a "," separator is digits with at most one point (tests/review/test_quantities.py).
    if not raw.isascii() or "-" in raw or "," in raw:
        return None  # separators, a sign, other scripts' digits
    point = raw.find(".")
    whole = raw if point < 0 else raw[:point]
    if _is_identifier(raw, point, whole):
        return end  # an identifier ("0734") or an ID-card or account number
    after = t[end : end + 1]
    unit_at = _UNIT_AT.get(after)
    if unit_at is not None:
        # A unit word right after the number ("95%", "10分", "3个"), where _POST could read nothing else.
        mag = None
        if isinstance(unit_at, str):
            unit_raw, post_end = unit_at, end + 1
        else:
            word = unit_at.word_at(t, end)
            unit_raw, post_end = (word, end + len(word)) if word is not None else ("", end)
    elif (after == "万" or after == "亿") and t[end + 1 : end + 2] == "元":
        # "万元"/"亿元", most money: _POST reads the magnitude, then 元 unless a word goes on ("万元素").
        if _YUAN.word_at(t, end + 1) is None:
            return None
        mag, unit_raw, post_end = after, "元", end + 2
    elif after in _POST_FIRST:
        post = _POST.match(t, end)
        assert post is not None  # every group is optional
        q1, mag, q2, unit_raw = post.group("q1", "mag", "q2", "unit")
        if q1 or q2:
            return None
        unit_raw = unit_raw or ""
        post_end = post.end()
    else:  # _POST would match the empty string here
        if after == "." and t[end + 1 : end + 2].isdigit():
            return end  # "1.2.3": a section number or a version
        mag, unit_raw, post_end = None, "", end
    unit = _UNIT_NORM.get(unit_raw, unit_raw)
    if mag:
        if unit != "元" or mag not in ("万", "亿"):
            return None
        unit = _COMPOUND["元"][mag]  # 万元 / 亿元: the magnitude stays in the unit
    elif unit_raw in _DATE_UNITS:
        if unit_raw == _YEAR_UNIT:  # a year is four digits without a point, as _read_tok's year_like
            is_date = point < 0 and _year_digits(raw)
        elif point >= 0:
            return None  # "12.0月" is a date to _read_tok (a whole value), "0.5月" is not: left to it
        else:
            is_date = raw != "0"
        if is_date:
            # "2024年", "12月": a year or a date, which _read skips unless dates are asked for
            if include_dates or sign or t[post_end : post_end + 1] in _RANGE_OR_TAIL_FIRST:
                return None
            return post_end
    if unit_raw or mag:
        end = post_end
    else:
        if end < len(t) and (t[end] in _LATIN or t[end] == "号"):
            return end  # "5G", "3号"
        if not cell and point < 0 and _is_heading(t, start, end):
            return end  # "1、" at the start of a line
    # "9时30分" is a time: _TIME_CTX can end at the figure only after one of these ("10分" in a cell, "得
    # 10分" in prose are scores, and skip the search).
    if (
        unit == "分"
        and start
        and t[start - 1] in _TIME_LAST
        and _TIME_CTX.search(t, max(0, start - 4), start)
    ):
        return None
    if t[end : end + 1] in _RANGE_OR_TAIL_FIRST and (
        _RANGE_SEP.match(t, end) is not None or _TAIL.match(t, end) is not None
    ):
        return None
    value, decimals, interval = _EXACT.get(raw) or _exact(raw, point)
    if sign is not None:
        # What _read makes of the one qualifier word: its comparator, and a bound on one side.
        interval = Interval.at_least(value) if sign in _AT_LEAST else Interval.at_most(value)
        begin = start - 1  # the sign is part of the figure's text
        return new_quantity(
            value, orig[begin:end], begin, end, unit, decimals, True, sign, interval, _COMPARATOR[sign]
        )
    fields = (value, orig[start:end], start, end, unit, decimals, False, "", interval, "", "number", None)
    return _new_tuple(Quantity, fields)


def _is_identifier(raw: str, point: int, whole: str) -> bool:
    """Digits (``raw``, its point at ``point``, ``whole`` before it) that name something rather than
    count it: a leading zero ("0734"), or more digits than an amount has (ID-card, account numbers)."""
    return (
        (len(raw) > 1 and raw[0] == "0" and point < 0)
        or len(whole) > _MAX_WHOLE_DIGITS
        or len(raw) > _MAX_DIGITS
    )


def _plain_cell(cell: str) -> Quantity | Literal[False] | None:
    """A cell that is one plain number and at most one unit word ("10", "95.5", "98%", "3个月"), as the
    scan reads it: the figure filling the cell, or None for an identifier ("0734"). False for any other
    cell, which the scan reads. Half the cells read are such (weights, scores, rates, counts); nothing
    stands around the figure, so the scan's search and the reader's tests of the characters around it are
    skipped (tests/review/test_quantities.py compares the two)."""
    number = _PLAIN_NUMBER.match(cell)
    if number is None:
        return False
    end = number.end()
    unit = _whole_unit(cell[end:])
    if unit is None:
        return False
    raw = number.group()
    point = raw.find(".")
    if _is_identifier(raw, point, raw if point < 0 else raw[:point]):
        return None
    value, decimals, interval = _EXACT.get(raw) or _exact(raw, point)
    return _new_tuple(
        Quantity, (value, cell, 0, len(cell), unit, decimals, False, "", interval, "", "number", None)
    )


def _whole_unit(word: str) -> str | None:
    """The unit ``word`` gives when it is one unit word and nothing else, as _read_plain reads it after a
    number ("%", "亩", "人次", "个月" → 月), "" for no word; None for anything else, and for 年, 月, 日 and
    月份, after which a number may be a date, and words a magnitude may start (百分点, 千米)."""
    if not word:
        return ""
    unit_at = _UNIT_AT.get(word[0])
    if unit_at is None or word in _DATE_UNITS:
        return None
    if isinstance(unit_at, str):
        return _UNIT_NORM.get(word, word) if word == unit_at else None
    return _UNIT_NORM.get(word, word) if unit_at.word_at(word, 0) == word else None


# The value, decimals and exact interval of the plain numbers read lately, by the digits as written: a
# report repeats its weights, scores and rates ("10", "100", "95"), and a Decimal with its two half-unit
# sums costs more than the look-up. Figures may share them: Decimals are immutable, and nothing changes
# an Interval once built. Emptied when full, so that a long batch does not grow it.
_EXACT: dict[str, tuple[Decimal, int, Interval]] = {}
_EXACT_KEPT = 2048


def _exact(raw: str, point: int) -> tuple[Decimal, int, Interval]:
    """``raw`` (digits, at most one point at ``point``) read and remembered in ``_EXACT``."""
    value = Decimal(raw)
    exponent = point - len(raw) + 1 if point >= 0 else 0
    h = _half(exponent)
    found = value, -exponent, new_interval(value - h, value + h)
    if len(_EXACT) >= _EXACT_KEPT:
        _EXACT.clear()
    _EXACT[raw] = found
    return found
