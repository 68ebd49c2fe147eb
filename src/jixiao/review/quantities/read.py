"""The general reader: a number with its magnitude and unit (``_read_tok``), then the range and the
qualifiers around it (``_read``)."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import NamedTuple

from jixiao.core.decimals import Interval, new_interval
from jixiao.review.quantities.chinese import (
    _CN_DIGITS,
    _MAG_EXP,
    _MAG_SUM,
    _cn_value,
)
from jixiao.review.quantities.patterns import (
    _AFTER_CN,
    _AROUND,
    _AT_LEAST,
    _AT_MOST,
    _BEFORE_PAREN_HEADING,
    _CLOSE_PAREN,
    _CN_FIXED,
    _COMPARATOR,
    _DAY_UNITS,
    _JIAOFEN,
    _LATIN,
    _LIST_END,
    _LONE_YI_BEFORE,
    _MAX_DIGITS,
    _MAX_WHOLE_DIGITS,
    _NOT_JIN,
    _NOT_YUE,
    _NUM_ONLY,
    _OPEN_PAREN,
    _POST,
    _PRE,
    _PRE_LAST,
    _RANGE_SEP,
    _SCAN,
    _SCORE_CTX,
    _TAIL,
    _TIME_CTX,
    _YEAR_UNIT,
)
from jixiao.review.quantities.quantity import (
    Kind,
    Quantity,
    _half,
    new_quantity,
)
from jixiao.review.quantities.units import _COMPOUND, _UNIT_NORM


class _Tok(NamedTuple):
    """A number read with its unit, before qualifiers and ranges are resolved."""

    value: Decimal
    start: int
    end: int
    unit: str
    kind: Kind
    mid: str  # 余/多/几 between number and unit
    year_like: bool
    folded: int  # power of ten folded into value from 千/万/亿
    needs_unit: bool  # a bare Chinese numeral: only a quantity as the low end of a range


def _read_tok(t: str, m: re.Match[str], cell: bool, *, bare_ok: bool, high_end: bool = False) -> _Tok | None:
    """Number at ``m`` plus magnitude and unit; None when it is not a quantity."""
    start = m.start()
    ar = m.group("ar")
    pct = m.re is _SCAN and m.group("pct") is not None
    prev = t[start - 1] if start else ""
    if prev == "第":
        return None
    if ar is not None:
        if prev in _LATIN:
            return None
        if not high_end and prev == "-" and start >= 2 and t[start - 2].isdigit():
            return None  # the tail of "0734-8888888": a hyphenated code, not a range (ranges are read whole)
        raw = ar.replace(",", "").replace("，", "") if ("," in ar or "，" in ar) else ar
        negative = raw.startswith("-")
        digits = raw.lstrip("-")
        if len(digits) > 1 and digits[0] == "0" and "." not in digits:
            return None  # "0734": an identifier, not an amount
        if len(digits.partition(".")[0]) > _MAX_WHOLE_DIGITS or len(digits) > _MAX_DIGITS:
            return None  # ID-card and account numbers; also keeps intervals inside Decimal's 28 digits
        value = Decimal(raw)
        cn_text = ""
    else:
        cn_text = m.group("cn")
        if not cell and not pct and t[m.end() : m.end() + 1] not in _AFTER_CN:
            return None  # fast path: most Chinese numerals in prose are words ("一是", "三湘")
        cv = _cn_value(cn_text)
        if cv is None:
            return None
        value = cv
        negative = False
    end = m.end()
    if pct:
        return _Tok(value, start, end, "%", "number", "", False, 0, False)
    if ar is not None and end < len(t) and t[end] == "." and end + 1 < len(t) and t[end + 1].isdigit():
        return None  # "1.2.3": a section number or version
    post = _POST.match(t, end)
    assert post is not None  # every group is optional
    mid = post.group("q1") or post.group("q2") or ""
    mag = post.group("mag") or ""
    unit_raw = post.group("unit") or ""
    if mid in ("多", "几") and not (mag or unit_raw):
        mid = ""  # "10多" alone is not read as approximate; stop before it
    if unit_raw or mag or mid:
        end = post.end()
    unit = _UNIT_NORM.get(unit_raw, unit_raw)
    year_like = False
    needs_unit = False
    kind: Kind = "number"

    if ar is not None:
        if unit == "" and end < len(t) and t[end] in _LATIN:
            return None  # "5G", "4K"
        if end < len(t) and t[end] == "号" and not unit:
            return None
        is_int = "." not in raw and "," not in ar and "，" not in ar and not negative
        year_like = is_int and _year_digits(raw)
        if not unit and not mag and not cell and is_int and _is_heading(t, start, end):
            return None
    else:
        # A Chinese numeral without a unit is a word ("一是", "二十大"), unless a range follows ("三至五天").
        needs_unit = not unit and not cell
        if needs_unit and not bare_ok:
            return None
        year_like = len(cn_text) == 4 and all(ch in _CN_DIGITS for ch in cn_text)
        if cn_text == "一" and not cell:
            if prev in _LONE_YI_BEFORE or _CN_FIXED.match(t, start):
                return None
            nxt = t[end] if end < len(t) else ""
            if "\u4e00" <= nxt <= "\u9fff" and not mid:
                # "一条具有…之路", "一户一策": 一 + measure word inside a phrase is an article or a slogan;
                # only a phrase that ends there ("建成一个。") is read as a count.
                return None
        if unit == "分" and not cell and not _SCORE_CTX.search(t, max(0, start - 3), start):
            return None  # "十分重要": the adverb
    if unit == "分" and _TIME_CTX.search(t, max(0, start - 4), start):
        kind = "date"  # "9时30分"
    elif unit == _YEAR_UNIT and year_like and not mag and not mid:
        kind = "year"
    elif unit_raw in _DAY_UNITS and not mag and not mid and value == value.to_integral() and value >= 1:
        kind = "date"  # "12月", "31日": a calendar date; durations are written 个月 / 天

    # Magnitudes: money and 人次 keep a trailing 万/亿 in the unit; anything else is folded in.
    exp = _MAG_SUM[mag] if mag else 0
    compound = _COMPOUND.get(unit)
    if compound is not None:
        last = mag[-1:] if mag else (cn_text[-1:] if cn_text else "")
        if last in compound:
            unit = compound[last]
            if mag:
                exp -= _MAG_EXP[last]
            else:
                with localcontext() as ctx:
                    ctx.prec = 50
                    value = value / Decimal(10 ** _MAG_EXP[last])
    if exp:
        value = value.scaleb(exp)
    # 大写 money: 壹佰贰拾叁元肆角伍分
    if unit == "元" and cn_text:
        jf = _JIAOFEN.match(t, end)
        if jf is not None and jf.end() > end:
            jiao = _CN_DIGITS[jf.group("jiao")] if jf.group("jiao") else 0
            if jf.group("fen"):
                value = Decimal(f"{int(value)}.{jiao}{_CN_DIGITS[jf.group('fen')]}")
            else:
                value = Decimal(f"{int(value)}.{jiao}")
            end = jf.end()
    return _Tok(value, start, end, unit, kind, mid, year_like, exp, needs_unit)


def _year_digits(raw: str) -> bool:
    """A whole number written as a year: four digits, 1900 to 2100 ("2024年" is a year, "3000年" a count)."""
    return len(raw) == 4 and 1900 <= int(raw) <= 2100


def _is_heading(t: str, start: int, end: int) -> bool:
    """ "1、" "1．" "（1）" "1 概况" at the start of a line are outline markers, not amounts."""
    nxt = t[end] if end < len(t) else ""
    if nxt == "、" and not (end + 1 < len(t) and t[end + 1].isdigit()):
        return True  # "3、贴近民生" even after a stray prefix; "3、5个" is a list of numbers
    before = t[start - 1] if start else ""
    if before in _OPEN_PAREN and nxt in _CLOSE_PAREN:
        b2 = t[start - 2] if start >= 2 else "\n"
        return b2 in _BEFORE_PAREN_HEADING
    if nxt == " ":
        # "1 概况" is a heading; "6 8 100%" (a table row flattened to text) is not.
        after = t[end : end + 8].lstrip(" ")[:1]
        if not ("\u4e00" <= after <= "\u9fff"):
            return False
        nxt = after
    if nxt in _LIST_END or nxt in _CLOSE_PAREN or ("\u4e00" <= nxt <= "\u9fff"):
        line_start = t.rfind("\n", 0, start) + 1
        return t[line_start:start].strip(" \t(（[【") == ""
    return False


def _read(
    t: str, orig: str, m: re.Match[str], cell: bool, include_dates: bool
) -> tuple[Quantity | None, int]:
    tok = _read_tok(t, m, cell, bare_ok=True)
    if tok is None:
        return None, m.end()
    start, end = tok.start, tok.end

    # A range "20-30个", "三至五天", "2023-2024年": one Quantity from the low end to the high end.
    upper: _Tok | None = None
    sep_text = ""
    if not tok.mid:
        sep = _RANGE_SEP.match(t, end)
        if sep is not None:
            m2 = _NUM_ONLY.match(t, sep.end())
            if m2 is not None and (m2.group("ar") is None) == (m.group("ar") is None):
                tok2 = _read_tok(t, m2, cell, bare_ok=False, high_end=True)
                if tok2 is not None and not tok2.mid:
                    bare = not tok.unit and not tok2.unit and m2.group("ar") is not None
                    low = tok.value.scaleb(tok2.folded) if not tok.unit and tok2.folded else tok.value
                    same_unit = bare or (tok2.unit and tok.unit in ("", tok2.unit))
                    if same_unit and tok2.value > low:  # "1-0" or "5~3" is no range
                        upper = tok2
                        sep_text = sep.group().strip()
    if upper is None and tok.needs_unit:
        return None, m.end()

    low_value = tok.value
    if upper is not None:
        unit = upper.unit
        both_years = tok.year_like and upper.year_like and (upper.kind == "year" or not upper.unit)
        kind: Kind = "year" if both_years else upper.kind
        end = upper.end
        if not tok.unit and upper.folded:
            # The low end shares the high end's magnitude: "3-5万人" is 3万 to 5万.
            low_value = low_value.scaleb(upper.folded)
    else:
        unit = tok.unit
        kind = tok.kind
    if kind != "number" and not include_dates:
        return None, end

    # Qualifiers before and after.
    pre_words: list[str] = []
    pm = _PRE.search(t, max(0, start - 6), start) if start and t[start - 1] in _PRE_LAST else None
    if pm is not None:
        word = pm.group("pre")
        b = t[pm.start() - 1] if pm.start() else ""
        if not ((word == "约" and b in _NOT_YUE) or (word == "近" and b in _NOT_JIN)):
            pre_words.append(word)
            start = pm.start()
    tail_word = ""
    tm = _TAIL.match(t, end)
    if tm is not None:
        tail_word = tm.group("tail")
        if tail_word != "整" or unit.endswith("元"):
            end = tm.end()
        if tail_word == "整":
            tail_word = ""
    exponent = low_value.as_tuple().exponent
    assert isinstance(exponent, int)
    decimals = -exponent if exponent < 0 else 0
    upper_value = upper.value if upper is not None else None
    if not (pre_words or tok.mid or tail_word or upper is not None):
        # The common case: an exact figure, standing for ± half a unit in its last place.
        if kind != "number":
            interval = new_interval(low_value, low_value)
        else:
            h = _half(exponent)
            interval = new_interval(low_value - h, low_value + h)
        q = new_quantity(
            low_value, orig[start:end], start, end, unit, decimals, False, "", interval, "", kind
        )
        return q, end

    words = pre_words + ([tok.mid] if tok.mid else []) + ([tail_word] if tail_word else [])
    if pre_words and (tok.mid or tail_word):
        qualifier = pre_words[0] + "…" + tok.mid + tail_word
    else:
        qualifier = "".join(words)
    comparator = next((_COMPARATOR[w] for w in words if w in _COMPARATOR), "")
    around = any(w in _AROUND for w in words)
    ge = any(w in _AT_LEAST for w in words)
    le = any(w in _AT_MOST for w in words)
    if kind != "number":
        interval = Interval(low_value, upper_value if upper_value is not None else low_value)
    elif around or (ge and le):
        interval = Interval(None, None)
    elif upper_value is not None:
        lo = low_value - _half(exponent)
        up_exp = upper_value.as_tuple().exponent
        assert isinstance(up_exp, int)
        hi = upper_value + _half(up_exp)
        interval = Interval(None, hi) if le else Interval(lo, None) if ge else Interval(lo, hi)
    elif ge:
        interval = Interval.at_least(low_value)
    elif le:
        interval = Interval.at_most(low_value)
    else:
        interval = Interval.stated(low_value)
    approximate = bool(around or ge or le or upper is not None)
    if upper is not None and not qualifier:
        qualifier = sep_text
    q = new_quantity(
        value=low_value,
        text=orig[start:end],
        start=start,
        end=end,
        unit=unit,
        decimals=decimals,
        approximate=approximate,
        qualifier=qualifier,
        interval=interval,
        comparator=comparator,
        kind=kind,
        upper=upper_value,
    )
    return q, end
