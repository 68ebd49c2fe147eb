"""The section tree of a report and the outline checks (T3xx).

``parse_sections(document)`` finds every numbered heading or list item at the start of a paragraph block
(一、 （一） (一) 1． 1. 1、 （1） (1) 1） ① ⑴ ⒈ 第一部分 第一章 第一节, with spaces or half-width marks) and nests
them. Levels come from the order in which numbering *families* appear inside their parent, the way Chinese
reports nest (一、 > （一） > 1． > （1） > ①), not from fixed numbers: a report that goes 一、 → 1． gets 1． at
level 2. Two guards against the conventional order being broken by accident: 一、 and 第X部分 never nest
inside a lower family (a stray "1." list before the first heading must not swallow the report), and a lower
family only nests against the conventional order when its list starts at 1.

Numbered lines that carry their own content ("1、全区网络租赁及运行，年度指标值：正常运行，…",
"1．内设机构设置。……") are kept in the tree as *items* (``Heading.item``): they nest and are numbered like
headings, claims are read from them, but an item is never an empty section. "一是/二是" enumerations and
"一、二季度" / "3、4月" are not headings.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.model.frameworks import Framework, Section
from jixiao.review.document import Block, Document
from jixiao.review.numerals import CN_DIGITS, cn_to_int, int_to_cn

__all__ = [
    "Heading",
    "Marker",
    "ancestors",
    "children",
    "cn_to_int",
    "int_to_cn",
    "match_heading",
    "outline_matches",
    "parse_sections",
    "render_marker",
    "render_tree",
    "section_blocks",
    "section_end",
    "section_of",
    "section_path",
]

# ---------------------------------------------------------------- Chinese numerals

_CN_DIGITS = CN_DIGITS
_CN_CHARS = "一二三四五六七八九十百零〇"


# ---------------------------------------------------------------- markers

# Conventional rank of each family (lower = outer). Used only as a guard, see the module doc.
_RANK = {"part": 0, "chapter": 1, "section": 2, "cn": 3, "pcn": 4, "ar": 5, "par": 6, "arc": 7, "circ": 8}
_TOP_RANK = _RANK["cn"]

_S = r"[ \u3000]*"
_OPEN = "（("
_CLOSE = "）)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "part",
        lazy_compile(
            rf"^第{_S}(?P<n>[{_CN_CHARS}]+|\d{{1,3}}){_S}(?P<w>部分|章|节|篇){_S}[、，,：:.．]?{_S}"
        ),
    ),
    ("cn", lazy_compile(rf"^(?P<n>[{_CN_CHARS}]+){_S}(?P<d>[、.．]){_S}")),
    (
        "pcn",
        lazy_compile(rf"^(?P<o>[{_OPEN}]){_S}(?P<n>[{_CN_CHARS}]+){_S}(?P<c>[{_CLOSE}]){_S}[、.．]?{_S}"),
    ),
    ("par", lazy_compile(rf"^(?P<o>[{_OPEN}]){_S}(?P<n>\d{{1,3}}){_S}(?P<c>[{_CLOSE}]){_S}[、.．]?{_S}")),
    ("ar", lazy_compile(rf"^(?P<n>\d{{1,3}}){_S}(?P<d>、|[.．](?!\d)){_S}")),
    ("arc", lazy_compile(rf"^(?P<n>\d{{1,3}})(?P<c>[{_CLOSE}]){_S}")),
    ("circ", lazy_compile(rf"^(?P<g>[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]){_S}[、.．]?{_S}")),
    ("par", lazy_compile(rf"^(?P<g>[\u2474-\u2487]){_S}")),  # ⑴
    ("ar", lazy_compile(rf"^(?P<g>[\u2488-\u249b]){_S}")),  # ⒈
]
# The characters each pattern above can start with (its first item), in the same order.
_PATTERN_FIRST = [
    re.compile(first)
    for first in (
        "第",
        rf"[{_CN_CHARS}]",
        rf"[{_OPEN}]",
        rf"[{_OPEN}]",
        r"\d",
        r"\d",
        "[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]",
        "[\u2474-\u2487]",
        "[\u2488-\u249b]",
    )
]
# The first character of every pattern above and of the "1.2024" case below: a block starting with
# anything else has no marker.
_MARKER_START = lazy_compile(rf"[第{_CN_CHARS}{_OPEN}\d\u2460-\u249b\u3251-\u325f\u32b1-\u32bf]")


@lru_cache(maxsize=512)
def _patterns_from(first: str) -> tuple[tuple[str, re.Pattern[str], bool], ...]:
    """(family, pattern, glyph), in order, of the patterns that can match a text starting with the
    character ``first``: no other can, so trying only these finds the same marker. ``glyph``: the number
    is one glyph ("①", "⑴", "⒈", group "g"), else digits or Chinese numerals (group "n")."""
    return tuple(
        (family, pattern, "g" in pattern.groupindex)
        for (family, pattern), start in zip(_PATTERNS, _PATTERN_FIRST, strict=True)
        if start.match(first)
    )


# "1．2024年…" becomes "1.2024年…" after normalisation; the raw text still shows the heading.
_RAW_FW_DOT = lazy_compile(rf"^{_S}(?P<n>\d{{1,3}})．(?=\d)")
# What may follow a marker without it being one: "一、二季度", "一、二级指标", "3、4月", "1、2项".
_ENUMERATION = lazy_compile(rf"^(?:[{_CN_DIGITS}十]{_S}[、级季类档批等]|\d{{1,3}}{_S}[、,，月日号项])")
# Table-of-contents lines: "一、基本情况……3", "（一）部门职能 .......... 12".
_TOC = lazy_compile(r"(?:[.…·．_]{2,}|\t| {3,})\s*\d{1,4}\s*$")
_NONE_SAID = lazy_compile(
    r"(?:^无|[：:（(，,]\s*无|无\s*[）)]?\s*[。.]?$|无\S{0,16}(?:支出|收入|项目|情况|资金))"
)
_TITLE_STOP = "。；;：:"
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?")  # a numbered line ending a sentence is an item
_TITLE_SPLIT_LONG = 40  # a rest longer than this is split at its first "，" too: it is an item, not a title


def _glyph_number(ch: str) -> int:
    code = ord(ch)
    for start, first in ((0x2460, 1), (0x3251, 21), (0x32B1, 36), (0x2474, 1), (0x2488, 1)):
        span = 20 if start in (0x2460, 0x2474, 0x2488) else 15
        if start <= code < start + span:
            return first + code - start
    return 0


# Not frozen (see review/document.py): equal and hashed by value, never changed once built.
@dataclass(slots=True, unsafe_hash=True)
class Marker:
    family: str  # part chapter section cn pcn par ar arc circ
    style: str  # the marker as written, with the number shown as 一/1: "一、" "（一）" "(1)" "1．" "①" "第一部分"
    number: int
    rest: str  # the text after the marker


def match_heading(text: str, raw: str = "") -> Marker | None:
    """The numbering marker at the start of ``text`` (a normalised block text), or None."""
    found = _read_marker(text, raw)
    return None if found is None else Marker(*found)


# A marker's fields (family, style, number, rest) as a plain tuple: parse_sections reads one per heading
# and needs no Marker object (a frozen dataclass is slow to build).
_MarkerFields = tuple[str, str, int, str]


def _read_marker(text: str, raw: str) -> _MarkerFields | None:
    """``match_heading``'s marker as a tuple of its fields."""
    text = text.lstrip(" \u3000")
    if not text:
        return None
    patterns = _patterns_from(text[0])
    if not patterns:
        return None  # most blocks: no marker can start here (one look-up instead of ten patterns)
    for family, pattern, glyph in patterns:
        m = pattern.match(text)
        if m is None:
            continue
        found = _marker(family, m, glyph=glyph)
        if found is None:
            return None
        rest = found[3]
        if not rest or _ENUMERATION.match(rest):
            return None
        return found
    fw = _RAW_FW_DOT.match(raw) if raw else None
    digits = _DIGITS_DOT_DIGIT.match(text)
    if fw is not None and digits is not None and fw.group("n") == digits.group(1):
        return ("ar", "1．", int(digits.group(1)), text[digits.end() :].strip())
    return None


_DIGITS_DOT_DIGIT = lazy_compile(r"^(\d{1,3})\.(?=\d)")
_PART_FAMILY = {"部分": "part", "篇": "part", "章": "chapter", "节": "section"}
_GLYPH_STYLE = {"circ": "①", "par": "⑴", "ar": "⒈"}


def _marker(family: str, m: re.Match[str], *, glyph: bool) -> _MarkerFields | None:
    rest = m.string[m.end() :].strip()
    if glyph:
        number = _glyph_number(m.group("g"))
        return (family, _GLYPH_STYLE[family], number, rest) if number else None
    raw_number = m.group("n")
    parsed = int(raw_number) if raw_number.isdigit() else cn_to_int(raw_number)
    if not parsed:
        return None
    number = parsed
    shown = "1" if raw_number.isdigit() else "一"
    if family == "part":
        word = m.group("w")
        return (_PART_FAMILY[word], f"第{shown}{word}", number, rest)
    if family == "cn" and rest.startswith("是"):
        return None
    if family in ("pcn", "par"):
        return (family, f"{m.group('o')}{shown}{m.group('c')}", number, rest)
    if family == "arc":
        return (family, f"1{m.group('c')}", number, rest)
    return (family, f"{shown}{m.group('d')}", number, rest)


_TITLE_STOP_CHAR = lazy_compile(f"[{re.escape(_TITLE_STOP)}]")
_TITLE_STOP_OR_COMMA = lazy_compile(f"[{re.escape(_TITLE_STOP)}，,]")
_TITLE_OPEN = "（(《“[【"
_TITLE_CLOSE = "）)》”]】"
_TITLE_BRACKET = lazy_compile(f"[{re.escape(_TITLE_OPEN + _TITLE_CLOSE)}]")
_TITLE_MARK = lazy_compile(f"[{re.escape(_TITLE_OPEN + _TITLE_CLOSE + _TITLE_STOP)}，,]")


def _split_title(rest: str) -> tuple[str, str]:
    """(title, inline content): "政府性基金预算支出情况：无" → ("政府性基金预算支出情况", "无").

    The title ends at the first stop outside brackets. The stops are 。；;：:, and also ，, when the rest
    is long or holds one of those: so a short rest without 。；;：: has no stop at all."""
    if len(rest) <= _TITLE_SPLIT_LONG and _TITLE_STOP_CHAR.search(rest) is None:
        return rest.strip(), ""
    stop = _TITLE_STOP_OR_COMMA.search(rest)
    if stop is None:
        return rest.strip(), ""
    if _TITLE_BRACKET.search(rest, 0, stop.start()) is not None:
        stop = _stop_outside_brackets(rest)
        if stop is None:
            return rest.strip(), ""
    # else no bracket before the first stop: it is outside brackets.
    i = stop.start()
    return rest[:i].strip(), rest[i + 1 :].strip()


def _stop_outside_brackets(rest: str) -> re.Match[str] | None:
    depth = 0
    for m in _TITLE_MARK.finditer(rest):  # brackets and stops: nothing else changes anything
        ch = m.group()
        if ch in _TITLE_OPEN:
            depth += 1
        elif ch in _TITLE_CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:  # a stop
            return m
    return None


# ---------------------------------------------------------------- the tree


@dataclass(slots=True, unsafe_hash=True)
class Heading:
    level: int  # 1 = outermost
    style: str  # the marker as written: "一、" "（一）" "(一)" "1．" "1、" "（1）" "①" "第一部分"
    number: int
    title: str  # the text after the marker, up to the first sentence or clause break
    block_index: int  # index of its block in ``document.blocks``
    location: Location
    text: str  # the whole block text
    family: str = ""  # numbering family (see Marker); nested variants read "ar:1、"
    parent: int | None = None  # index of the parent in the list parse_sections returned
    index: int = 0  # its own index in that list
    inline: str = ""  # content after the title in the same block ("无", "年度指标值：…")
    item: bool = False  # a numbered paragraph carrying its own content, not a heading over a body

    @property
    def label(self) -> str:
        """The number as written in its style: "五、", "（二）", "3、"."""
        return render_marker(self.style, self.number)


def _new_heading(
    level: int,
    style: str,
    number: int,
    title: str,
    block_index: int,
    location: Location,
    text: str,
    family: str,
    parent: int | None,
    index: int,
    inline: str,
    item: bool,
) -> Heading:
    """``Heading(...)``, positional."""
    return Heading(
        level, style, number, title, block_index, location, text, family, parent, index, inline, item
    )


def render_marker(style: str, number: int) -> str:
    """``style`` with its number put in: ("（一）", 12) → "（十二）", ("1．", 3) → "3．", ("①", 4) → "④"."""
    if style == "①":
        return chr(0x2460 + number - 1) if number <= 20 else f"({number})"
    if style == "⑴":
        return chr(0x2474 + number - 1) if number <= 20 else f"({number})"
    if style == "⒈":
        return chr(0x2488 + number - 1) if number <= 20 else f"{number}."
    if "一" in style:
        return style.replace("一", int_to_cn(number) if 1 <= number <= 999 else str(number), 1)
    return style.replace("1", str(number), 1)


@dataclass(slots=True)
class _Open:
    key: str  # family, or "family:style" for a variant nested inside its own family
    family: str
    index: int  # heading index


def _is_toc_line(text: str) -> bool:
    """Is the first line of ``text`` a table-of-contents line (_TOC)?"""
    first = text.splitlines()[0] if text else ""
    # _TOC ends with "\d{1,4}\s*$": a line whose last non-space character is no digit is not one
    # (regex \d and \s are str.isdecimal and str.isspace, the spaces rstrip() strips).
    if not first.rstrip()[-1:].isdecimal():
        return False
    return _TOC.search(first) is not None


def parse_sections(document: Document) -> list[Heading]:
    """Every numbered heading and item of the document, in order, with levels and parents. A table of
    contents (a run of headings repeated later in the body) is not part of the tree."""
    headings = _parse(document, frozenset())
    contents = _contents_blocks(document, headings)
    return _parse(document, contents) if contents else headings


_CONTENTS_RUN = 3  # a table of contents lists at least this many headings in a row


def _contents_blocks(document: Document, headings: Sequence[Heading]) -> frozenset[int]:
    """Blocks of a table of contents without page numbers: a run of headings on consecutive non-empty
    blocks, none with a body, holding two or more top headings that come again, with the same number
    and title, after the run (most of them; one is enough under a "目录" line: the body may be cut)."""
    # A run counts only when one of its top headings comes again (``repeated`` below): without a top
    # heading written twice, the usual report, there is no table of contents to look for.
    all_tops = [(h.label, h.title) for h in headings if h.level == 1]
    if len(set(all_tops)) == len(all_tops):
        return frozenset()
    filled = [i for i, b in enumerate(document.blocks) if b.text.strip()]
    next_filled = dict(pairwise(filled))
    out: set[int] = set()
    start = 0
    while start < len(headings):
        end = start + 1
        while (
            end < len(headings)
            and next_filled.get(headings[end - 1].block_index) == headings[end].block_index
        ):
            end += 1
        # The body may follow the contents without a line between: the run stops where its first top
        # heading comes again.
        first = next(((h.label, h.title) for h in headings[start:end] if h.level == 1), None)
        again = next(
            (
                i
                for i in range(start + 1, end)
                if headings[i].level == 1 and (headings[i].label, headings[i].title) == first
            ),
            end,
        )
        end = again
        run = headings[start:end]
        tops = [(h.label, h.title) for h in run if h.level == 1]
        if len(run) >= _CONTENTS_RUN and len(tops) >= 2:
            later = {(h.label, h.title) for h in headings[end:] if h.level == 1}
            repeated = sum(1 for top in tops if top in later)
            titled = _CONTENTS_TITLE.search(_text_before(document, filled, run[0].block_index)) is not None
            if repeated * 3 >= len(tops) * 2 or (titled and repeated):
                out.update(h.block_index for h in run)
        start = end
    return frozenset(out)


_CONTENTS_TITLE = lazy_compile(r"目\s*录\s*$")


def _text_before(document: Document, filled: Sequence[int], block_index: int) -> str:
    """The text of the non-empty block before ``block_index`` ("" at the start)."""
    at = bisect_left(filled, block_index)
    return document.blocks[filled[at - 1]].text if at > 0 else ""


def _parse(document: Document, skip: frozenset[int]) -> list[Heading]:
    headings: list[Heading] = []
    stack: list[_Open] = []
    for block_index, block in enumerate(document.blocks):
        if block.kind != "paragraph" or block_index in skip:
            continue
        found = _heading_parts(block.text, block.raw)
        if found is None:
            continue
        family, style, number, title, inline, item = found
        variant = f"{family}:{style}"
        position = _place(stack, headings, family, variant, style, number)
        del stack[position:]
        # A heading of the same family as the one it nests in is a variant list inside an item.
        key = variant if stack and stack[-1].family == family else family
        parent = stack[-1].index if stack else None
        heading = _new_heading(
            len(stack) + 1,  # level
            style,
            number,
            title,
            block_index,
            block.location,
            block.text,
            key,  # family
            parent,
            len(headings),  # index
            inline,
            item,
        )
        headings.append(heading)
        stack.append(_Open(key, family, heading.index))
    return headings


# A heading's parts read from its block alone: (family, style, number, title, inline, item).
_HeadingParts = tuple[str, str, int, str, str, bool]


def _heading_parts(text: str, raw: str) -> _HeadingParts | None:
    """The parts of the heading a paragraph block (``text``, ``raw``) starts with; None when it starts
    with no marker or is a table-of-contents line. Most blocks start with no marker's first character
    and are answered at once; the others are remembered (``_heading_parts_of``)."""
    first = text.lstrip(" \u3000")[:1]
    if not first or not _patterns_from(first):
        return None  # as _read_marker answers (without remembering the block's text)
    return _heading_parts_of(text, raw)


@lru_cache(maxsize=2048)
def _heading_parts_of(text: str, raw: str) -> _HeadingParts | None:
    """``_heading_parts`` in general. Remembered: reports from one template or one unit share most of
    their headings ("一、基本情况", "（一）部门职能职责"), and each takes a marker pattern, the number, a
    table-of-contents test and the title split."""
    found = _read_marker(text, raw)
    if found is None or _is_toc_line(text):
        return None
    family, style, number, rest = found
    title, inline = _split_title(rest)
    item = bool(inline) or len(title) > _TITLE_SPLIT_LONG or rest.endswith(_SENTENCE_END)
    return family, style, number, title.rstrip("。."), inline, item


def _place(
    stack: list[_Open], headings: list[Heading], family: str, variant: str, style: str, number: int
) -> int:
    """Stack position a new heading of ``family`` (``variant``: "family:style") takes (everything from
    there on is closed)."""
    # A variant nested inside its own family ("1、" items under a "1．" item) continues where it is open.
    for pos in range(len(stack) - 1, -1, -1):
        if stack[pos].key == variant:
            return pos
    for pos in range(len(stack) - 1, -1, -1):
        entry = stack[pos]
        if entry.key != family:
            continue
        sibling = headings[entry.index]
        if style != sibling.style and number == 1 and sibling.number >= 1 and pos == len(stack) - 1:
            return len(stack)  # "1、" right after "1．x" restarting at 1: a list inside the item
        return pos
    # A family not open yet nests under the current one, unless the conventional order says it is outer
    # and either it is a top family or its list does not start at 1 (then it is no new sub-list).
    rank = _RANK[family]
    position = len(stack)
    while position > 0:
        top = stack[position - 1]
        if _RANK[top.family] > rank and (rank <= _TOP_RANK or number != 1):
            position -= 1
        else:
            break
    return position


# ---------------------------------------------------------------- navigation


def section_end(headings: Sequence[Heading], heading: Heading, n_blocks: int) -> int:
    """Block index where ``heading``'s section ends: the next heading of the same or a higher level."""
    for other in headings[heading.index + 1 :]:
        if other.level <= heading.level:
            return other.block_index
    return n_blocks


def section_blocks(
    document: Document, headings: Sequence[Heading], heading: Heading, *, direct: bool = False
) -> list[Block]:
    """The body blocks of a section (not the heading's own block). ``direct``: stop at the first sub-heading."""
    end = section_end(headings, heading, len(document.blocks))
    if direct:
        nxt = headings[heading.index + 1] if heading.index + 1 < len(headings) else None
        if nxt is not None and nxt.block_index < end:
            end = nxt.block_index
    return document.blocks[heading.block_index + 1 : end]


def section_of(headings: Sequence[Heading], block_index: int) -> Heading | None:
    """The innermost heading whose section holds ``block_index`` (a heading's own block is in its section)."""
    found: Heading | None = None
    for heading in headings:
        if heading.block_index > block_index:
            break
        found = heading
    return found


def ancestors(headings: Sequence[Heading], heading: Heading) -> list[Heading]:
    """Outermost first, without ``heading`` itself."""
    chain: list[Heading] = []
    parent = heading.parent
    while parent is not None:
        chain.append(headings[parent])
        parent = headings[parent].parent
    return chain[::-1]


def section_path(headings: Sequence[Heading], block_index: int) -> list[Heading]:
    """The chain of sections around a block, outermost first (empty before the first heading)."""
    inner = section_of(headings, block_index)
    return [] if inner is None else [*ancestors(headings, inner), inner]


def children(headings: Sequence[Heading], heading: Heading | None) -> list[Heading]:
    """Direct children of ``heading`` (of the document when None)."""
    parent = None if heading is None else heading.index
    return [h for h in headings if h.parent == parent]


def render_tree(headings: Sequence[Heading]) -> str:
    """One line per heading, indented by level: for debugging and the CLI."""
    return "\n".join(f"{'  ' * (h.level - 1)}{h.label}{h.title}  [{h.location.line}]" for h in headings)


# ---------------------------------------------------------------- outline matching


def _top_headings(headings: Sequence[Heading]) -> list[Heading]:
    """Headings that stand for outline sections: level 1, and level 2 under 第X部分/章 parts."""
    out = []
    for h in headings:
        under_part = h.parent is not None and headings[h.parent].family in ("part", "chapter")
        if h.level == 1 or (h.level == 2 and under_part):
            out.append(h)
    return out


@lru_cache(maxsize=256)
def _words_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    # One search for all of a section's words: the outline checks ask this of every heading and every
    # short line, for every section of the outline.
    wanted = [re.escape(w) for w in words if w]
    return re.compile("|".join(wanted)) if wanted else None


class _OutlineWords:
    """An outline's match words (one pattern per section, see _words_re) and, per title, the sections it
    names: the outline checks ask this of the same headings several times per report (T304, T305), and
    reports of one framework share most of their titles."""

    _MAX_TITLES = 4096  # titles remembered; forgotten all at once past this (a long batch)

    def __init__(self, words: tuple[tuple[str, ...], ...]) -> None:
        self.patterns = [_words_re(section_words) for section_words in words]
        # A word without a line break matches in "\n".join(titles) only inside one title, so one search
        # of the joined titles answers "is it in any title" exactly (see said_in_any).
        self.joinable = all("\n" not in word for section_words in words for word in section_words)
        self._said: dict[str, tuple[int, ...]] = {}

    def sections_in(self, title: str) -> tuple[int, ...]:
        """The indices of the sections whose words occur in ``title``, in outline order."""
        said = self._said.get(title)
        if said is None:
            said = tuple(i for i, words in enumerate(self.patterns) if _said_in(words, title))
            if len(self._said) >= self._MAX_TITLES:
                self._said.clear()
            self._said[title] = said
        return said

    def said_in_any(self, index: int, titles: Sequence[str]) -> bool:
        """Does any of section ``index``'s words occur in any of ``titles``?"""
        words = self.patterns[index]
        if words is None or not titles:
            return False
        if self.joinable:
            return words.search("\n".join(titles)) is not None
        return any(words.search(title) is not None for title in titles)


@lru_cache(maxsize=16)
def _outline_words_of(words: tuple[tuple[str, ...], ...]) -> _OutlineWords:
    return _OutlineWords(words)


def _outline_words(outline: Sequence[Section]) -> _OutlineWords:
    """The outline's words, built once per outline (keyed by the words themselves)."""
    return _outline_words_of(tuple(tuple(section.match) for section in outline))


def _said_in(words: re.Pattern[str] | None, title: str) -> bool:
    """Does any of a section's match words (see _words_re) occur in ``title``?"""
    return words is not None and words.search(title) is not None


def outline_matches(headings: Sequence[Heading], framework: Framework) -> list[tuple[Heading, int]]:
    """Top headings that match an outline section, with the lowest outline index they match, in doc order."""
    sections_in = _outline_words(framework.outline).sections_in
    out = []
    for h in _top_headings(headings):
        said = sections_in(h.title)
        if said:
            out.append((h, said[0]))
    return out


def _titles_elsewhere(document: Document, headings: Sequence[Heading]) -> list[str]:
    """Where a section not found at the top level may still be: the titles of level-2 headings (nested
    under another section) and short unnumbered heading lines (a PDF or text export may have lost Word's
    list numbers)."""
    titles = [h.title for h in headings if h.level == 2 and not h.item]
    numbered = {h.block_index for h in headings}
    for i, block in enumerate(document.blocks):
        if block.kind != "paragraph" or i in numbered:
            continue
        text = block.text.strip()
        if len(text) > 30 or text.endswith(("。", ".")):
            continue
        if _LABEL_LINE.match(text):
            continue  # "改进措施：完善制度" under an indicator is a labelled line, not a section title
        titles.append(text)
    return titles


# "label：text" with text after the colon that is not just "无" (a title may say "…情况：无").
_LABEL_LINE = lazy_compile(r"^[^：:]{1,20}[：:]\s*(?!无[。.]?\s*$)\S")
