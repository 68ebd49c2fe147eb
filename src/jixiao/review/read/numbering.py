"""Word's automatic list numbering, written out as the text a reader sees ("一、", "（二）", "1.").

A heading numbered by a Word list ("标题 1" linked to a multilevel list, or a paragraph with its own
``w:numPr``) has no number in its text: Word draws it from ``numbering.xml``. Without it the outline
checks would see unnumbered titles. ``ListNumbers`` keeps Word's counters while the body is read in
order and returns each paragraph's label.

What is followed: the paragraph's ``w:numPr`` or its style's (through ``w:basedOn``), ``w:num`` →
``w:abstractNum`` with ``w:lvlOverride/w:startOverride``, each level's ``w:start``, ``w:numFmt``,
``w:lvlText`` (``%1``…``%9``), ``w:isLgl`` and ``w:suff``; a level restarts when a level above it
advances; paragraphs in tables count too (their labels are not written into cells). Counters are kept
per abstract list, as Word does for lists that share one. Not followed: ``w:lvlRestart`` other than the
default, ``w:numStyleLink`` indirections, legacy (Word 6) numbering. Bullets give no label: they number
nothing. Odd values (a negative start, a start beyond Word's 32767) are clamped; a label that cannot be
worked out is left off rather than costing the document its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from jixiao.review.numerals import int_to_cn
from jixiao.review.read.ooxml import w

__all__ = ["ListNumbers", "format_number"]

_VAL = w("val")
_PPR, _NUMPR, _PSTYLE = w("pPr"), w("numPr"), w("pStyle")
_LEVELS = 9
_LEGAL = str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_MAX_NUMBER = 32767  # Word's largest list number (ST_DecimalNumber in w:start is clamped to it)


def _legal(n: int) -> str:
    """大写 counting (chineseLegalSimplified): 10 → 壹拾, 21 → 贰拾壹, 105 → 壹佰零伍."""
    counted = int_to_cn(n)
    return ("一" + counted if counted.startswith("十") else counted).translate(_LEGAL)


def _letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA (Word repeats the letter)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's ``w:numFmt`` ``fmt``; unknown formats fall back to decimal, as Word does, and so
    do numbers no format can show (below 1, or beyond Word's 32767)."""
    if n < 1 or n > _MAX_NUMBER:
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting") and n <= 999:
        return int_to_cn(n)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(ch)] for ch in str(n))
    if fmt == "chineseLegalSimplified" and n <= 999:
        return _legal(n)
    if fmt == "ideographTraditional" and n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and n <= 12:
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 0 < n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False
    suffix: str = "tab"


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # level -> startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # level -> w:lvlOverride/w:lvl
    used: bool = False


def _child(el: Any, tag: str) -> Any:
    """The first child of ``el`` with ``tag``, or None (``el.find(tag)`` without its path machinery: this
    runs for every paragraph of a document that numbers any)."""
    return next(el.iterchildren(tag), None)


def _val(el: Any, name: str) -> str | None:
    """The w:val of ``el``'s child w:``name``."""
    child = _child(el, w(name)) if el is not None else None
    return None if child is None else child.get(_VAL)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _start(text: str | None) -> int:
    """A w:start or w:startOverride, within Word's 0–32767 (a broken file may say anything)."""
    return min(max(_int(text, 1), 0), _MAX_NUMBER)


def _level(lvl: Any) -> _Level:
    legal = _child(lvl, w("isLgl"))
    return _Level(
        start=_start(_val(lvl, "start")),
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        legal=legal is not None and legal.get(_VAL, "1") not in ("0", "false", "off"),
        suffix=_val(lvl, "suff") or "tab",
    )


class ListNumbers:
    """Labels of numbered paragraphs, in body order (call ``label`` once per body paragraph)."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._style_numbers: dict[str | None, tuple[str | None, str | None]] = {}
        if numbering is not None:
            for a in numbering.iterchildren(w("abstractNum")):
                levels = {_int(lvl.get(w("ilvl")), 0): _level(lvl) for lvl in a.iterchildren(w("lvl"))}
                self._abstract[a.get(w("abstractNumId"), "")] = levels
            for n in numbering.iterchildren(w("num")):
                num = _Num(_val(n, "abstractNumId") or "")
                for o in n.iterchildren(w("lvlOverride")):
                    ilvl = _int(o.get(w("ilvl")), 0)
                    start = _val(o, "startOverride")
                    if start is not None:
                        num.starts[ilvl] = _start(start)
                    lvl = _child(o, w("lvl"))
                    if lvl is not None:
                        num.levels[ilvl] = _level(lvl)
                self._nums[n.get(w("numId"), "")] = num
        if styles is not None:
            for s in styles.iterchildren(w("style")):
                ppr = _child(s, w("pPr"))
                numpr = _child(ppr, w("numPr")) if ppr is not None else None
                self._styles[s.get(w("styleId"), "")] = (
                    _val(numpr, "numId"),
                    _val(numpr, "ilvl"),
                    _val(s, "basedOn"),
                )

    def used_in(self, body: Any) -> bool:
        """Does any paragraph of ``body`` carry list numbering, its own or its style's? (Most reports
        have list definitions in their template but number nothing with them: then no paragraph needs
        looking at.)"""
        if not self._nums:
            return False
        if next(body.iter(_NUMPR), None) is not None:
            return True
        if not any(num_id is not None for num_id, _, _ in self._styles.values()):
            return False  # no style numbers its paragraphs (the usual template): no w:pStyle to look up
        return any(self._from_style(el.get(_VAL))[0] not in (None, "0") for el in body.iter(_PSTYLE))

    def _from_style(self, style: str | None) -> tuple[str | None, str | None]:
        found = self._style_numbers.get(style)
        if found is None:
            found = self._style_numbers[style] = self._walk_styles(style)
        return found

    def _walk_styles(self, style: str | None) -> tuple[str | None, str | None]:
        num_id: str | None = None
        ilvl: str | None = None
        for _ in range(10):  # basedOn chains are short; a loop in a broken file must not hang
            if style is None or style not in self._styles:
                break
            s_num, s_lvl, based_on = self._styles[style]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            if num_id is not None:
                break
            style = based_on
        return num_id, ilvl

    def label(self, p: Any) -> tuple[str, str]:
        """(label, separator) Word draws before paragraph ``p``; ("", "") when it is not numbered.
        Advances the counters: call it for every paragraph, in order (table cells too)."""
        try:
            return self._label(p)
        except Exception:  # pragma: no cover - odd numbering XML must never cost the document's text
            return "", ""

    def _label(self, p: Any) -> tuple[str, str]:
        if not self._nums:
            return "", ""  # no lists in this document: nothing is numbered (most reports)
        ppr = _child(p, _PPR)
        if ppr is None:
            return "", ""
        numpr = _child(ppr, _NUMPR)
        num_id = ilvl = None
        if numpr is not None:
            num_id, ilvl = _val(numpr, "numId"), _val(numpr, "ilvl")
        if num_id is None or ilvl is None:
            style = _child(ppr, _PSTYLE)
            if style is not None:
                s_num, s_lvl = self._from_style(style.get(_VAL))
                num_id = num_id if num_id is not None else s_num
                ilvl = ilvl if ilvl is not None else s_lvl
        num = self._nums.get(num_id or "")
        if num is None or num_id == "0":
            return "", ""
        levels = {**self._abstract.get(num.abstract, {}), **num.levels}
        for level, start in num.starts.items():  # a restarted level starts again from the override
            if level in levels:
                levels[level] = replace(levels[level], start=start)
        k = min(max(_int(ilvl, 0), 0), _LEVELS - 1)
        if k not in levels:
            return "", ""
        counters = self._counters.setdefault(num.abstract, [None] * _LEVELS)
        if not num.used:
            num.used = True
            for level, start in num.starts.items():
                if 0 <= level < _LEVELS:
                    counters[level] = start - 1
                    counters[level + 1 :] = [None] * (_LEVELS - level - 1)
        current = counters[k]
        counters[k] = levels[k].start if current is None else current + 1
        counters[k + 1 :] = [None] * (_LEVELS - k - 1)
        lvl = levels[k]
        if lvl.fmt in ("bullet", "none"):
            return "", ""
        text = lvl.text
        for j in range(_LEVELS, 0, -1):  # %10 does not exist; going down keeps %1 from eating %1x
            token = f"%{j}"
            if token in text:
                shown = levels.get(j - 1, _Level())
                value = counters[j - 1]
                n = shown.start if value is None else value
                # isLgl shows the levels above in Arabic numerals; the level's own number keeps its
                # format ("Section 1.01" under "ARTICLE I", ECMA-376 §17.9.4).
                fmt = "decimal" if lvl.legal and j - 1 != k else shown.fmt
                text = text.replace(token, "" if fmt == "none" else format_number(n, fmt))
        # Word puts a tab (or a space) between label and text; a space stands for either here, so a
        # heading is never mistaken for a tab-separated table row.
        return text, "" if lvl.suffix == "nothing" else " "
