"""Normalise report text for matching, keeping a map back to the raw text.

``normalize(raw)`` returns ``Normalized(text, offsets)``: ``offsets[i]`` is the offset in ``raw`` of the
character ``text[i]`` came from, and ``offsets[len(text)] == len(raw)`` (a sentinel, so an end offset maps
too). The map is non-decreasing and every entry lies in ``[0, len(raw)]``; a character inserted by a
replacement maps to the raw character it replaces. ``normalize`` is idempotent.

What changes, and why (checks downstream should see figures the way a reader does):
- conversion artefacts go: ``[bookmark: _GoBack]`` (docx→txt converters), soft hyphens, zero-width
  characters and BOMs; ``(cid:N)`` glyphs from an unreadable PDF text layer become U+FFFD so their digits
  are not read as figures;
- NBSP, ideographic and other typographic spaces, tabs → a plain space;
- full-width digits, Latin letters and the signs that belong to numbers (％＋－＝＜＞／) → half-width;
  Kangxi radicals and CJK compatibility ideographs (PDF text-layer look-alikes such as ⼀) → the usual ideograph;
- ``．`` between digits → ``.``; a space after a decimal point inside a number goes (``775. 18`` → ``775.18``);
- thousands separators go (``1,234.5`` / ``1，234`` / ``共1 234.5`` → ``1234.5``), but only where every group
  after the first has exactly three digits, so ``1，2`` (a list) stays as it is. A plain space counts as a
  separator only when the number is glued to the text before it: ``10 775.18`` at the start of a string or
  after a space is two figures (a score and an amount in a table row), not 10775.18.
Full-width brackets （） and the Chinese comma/enumeration marks are kept: heading matchers accept both forms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from jixiao.core.patterns import lazy_compile

__all__ = [
    "Mapped",
    "Normalized",
    "Normalizer",
    "cells_may_change",
    "compose",
    "normalize",
    "normalize_map",
    "normalize_text",
    "normalized_lines",
    "normalizer_for",
]


class Normalized(NamedTuple):
    text: str
    offsets: list[int]  # len(text) + 1 entries: raw offset of each character, then len(raw)


# One character in, zero or one out. Built once; lookups are per character.
_CHAR_MAP: dict[int, str] = {}
for _code in range(0xFF10, 0xFF1A):  # ０-９
    _CHAR_MAP[_code] = chr(_code - 0xFEE0)
for _code in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _CHAR_MAP[_code] = chr(_code - 0xFEE0)
for _full, _half in zip("％＋－＝＜＞／", "%+-=<>/", strict=True):
    _CHAR_MAP[ord(_full)] = _half
_CHAR_MAP[0x2212] = "-"  # MINUS SIGN
for _code in (0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF):  # soft hyphen, zero-width, BOM
    _CHAR_MAP[_code] = ""
for _code in (0x0009, 0x000B, 0x000C, 0x00A0, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B)):
    _CHAR_MAP[_code] = " "


def _fold_lookalike(ch: str) -> str:
    """Kangxi radicals (U+2F00–2FD5), CJK radicals supplement and compatibility ideographs → unified form."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


for _code in [*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6), *range(0xF900, 0xFADA)]:
    _folded = _fold_lookalike(chr(_code))
    if _folded != chr(_code):
        _CHAR_MAP[_code] = _folded

_ARTEFACT = lazy_compile(r"\[bookmark:[^\]\n]*\]|\(cid:\d+\)")
_FW_POINT = lazy_compile(r"(?<=\d)．(?=\d)")
# "775. 18": a decimal point followed by spaces inside a number. A heading "1. 2024年…" at the start of a
# line looks the same, so a one- or two-digit number at line start is left alone.
_POINT_SPACE = lazy_compile(r"(?<![\d.])(\d+)\.( +)(?=\d)")
# Thousands groups: a first group of 1-3 digits not glued to other digits, then groups of exactly 3 digits
# with one and the same separator, not followed by more digits or another separator+digit.
_THOUSANDS = lazy_compile(r"(?<![\d.,，])(\d{1,3})(?P<sep>[,， ])\d{3}(?:(?P=sep)\d{3})*(?!\d)(?!(?P=sep)\d)")

# Speed: most lines of a report have nothing to rewrite. One search for anything any pass could change
# (a superset of what the passes match) lets such a line through untouched, with an identity offset map.
_MAPPED_CLASS = "".join(f"\\u{code:04x}" for code in sorted(_CHAR_MAP))
_MAPPED = lazy_compile(f"[{_MAPPED_CLASS}]")
_DROPPED = lazy_compile("[" + "".join(f"\\u{c:04x}" for c, r in sorted(_CHAR_MAP.items()) if not r) + "]+")
_TRANSLATE = str.maketrans(_CHAR_MAP)
# The last two alternatives are what the thousands pass can join: a comma group after a digit, or a
# space group whose first digits follow something other than a space, a digit or a separator
# ("共1 234"; _thousands leaves "10 775.18", two cells of a flattened table row, apart).
_GROUP_PATTERN = r"\d[,，]\d{3}|[^\d.,，\s]\d{1,3} \d{3}"
_ANY_CHANGE = lazy_compile(rf"[{_MAPPED_CLASS}]|\[bookmark:|\(cid:\d|\d．\d|\d\. +\d|{_GROUP_PATTERN}")
# The same test as ``_ANY_CHANGE.search(text) is not None``, branch by branch: one regex of six
# alternatives tries each at every position (5 µs on a line of prose); a literal test first and a
# narrow regex only when the literal is there is four times faster. tests/test_normalize.py keeps
# the two equal.
_CID = lazy_compile(r"\(cid:\d")
# The same matches as r"\d．\d" and r"\d\. +\d", one character later: a pattern that starts with its
# literal is found by a fast search, while one that starts with \d is tried at every character (a
# report's whole text is tested once, and "．" is common in its headings).
_FW_POINT_ANY = lazy_compile(r"．(?<=\d．)\d")
_POINT_SPACE_ANY = lazy_compile(r"\.(?<=\d\.) +\d")
_GROUP = lazy_compile(_GROUP_PATTERN)
# Per separator: the separator between a digit and three digits (the literal first, so it is found
# quickly; the look-behind then passes over the many separators that follow a word), and for the space
# what must come before that digit, searched for in the few characters before the separator.
_GROUP_PARTS: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, int], ...] = (
    (",", lazy_compile(r",(?<=\d,)\d{3}"), None, 0),
    ("，", lazy_compile(r"，(?<=\d，)\d{3}"), None, 0),
    (" ", lazy_compile(r" (?<=\d )\d{3}"), lazy_compile(r"[^\d.,，\s]\d{1,3}\Z"), 4),
)


def may_change(text: str) -> bool:
    """Could any normalisation pass change ``text``? (``_ANY_CHANGE`` matches somewhere in it.)"""
    return _MAPPED.search(text) is not None or _passes_may_change(text)


# Stands for the tab between cells in ``cells_may_change`` (normalisation rewrites a tab): a control
# character no pass touches, so a match can only lie inside one cell, never across two.
_CELL_GAP = "\x1f"


# The table readers (claims/tables.py, then claims/selfeval.py) ask this of every tab block of a report,
# and it scans the whole block: kept for the blocks of the report being read.
@lru_cache(maxsize=64)
def cells_may_change(text: str) -> bool:
    """Could normalising change any tab-separated cell of ``text`` (a row, or a block of rows)? A cell is
    a stretch of its line, and a line of its block: when nothing in the text (tabs aside) could be
    rewritten, no cell can be (``may_change`` looks for its patterns anywhere in the text)."""
    return may_change(text.replace("\t", _CELL_GAP))


def _passes_may_change(text: str) -> bool:
    """``may_change`` for a text known to hold no mapped character (one the character map has just
    replaced: no replacement is itself mapped), without the scan for them."""
    if "[bookmark:" in text:
        return True
    if "(cid:" in text and _CID.search(text) is not None:
        return True
    if "．" in text and _FW_POINT_ANY.search(text) is not None:
        return True
    if ". " in text and _POINT_SPACE_ANY.search(text) is not None:
        return True
    return _has_group(text)


def _has_group(text: str) -> bool:
    """``_GROUP.search(text) is not None``: a group the thousands pass could join."""
    # One separator at a time: a pattern that starts with a literal is searched for quickly, and most
    # lines hold one kind of separator or none ("，" in prose, " " in table rows).
    for sep, tail, head, width in _GROUP_PARTS:
        if sep in text:
            for m in tail.finditer(text):
                at = m.start()
                if head is None or head.search(text, max(0, at - width), at) is not None:
                    return True
    return False


_Piece = tuple[str, int]  # replacement text, index inside the match it stands for
# (new text, map to the input text); None stands for the identity map (same length, position i ← i).
_Pass = tuple[str, list[int] | None]


def _rewrite(
    text: str, pattern: re.Pattern[str], fn: Callable[[re.Match[str]], list[_Piece] | None]
) -> _Pass:
    """Apply ``fn`` to each match (None = keep the match); return the new text and its offset map."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    changed = False
    for m in pattern.finditer(text):
        pieces = fn(m)
        if pieces is None:
            continue  # kept: it stays in the stretch copied up to the next change
        changed = True
        start = m.start()
        out.append(text[pos:start])
        offsets.extend(range(pos, start))
        for piece, index in pieces:
            out.append(piece)
            offsets.extend([start + index] * len(piece))
        pos = m.end()
    if not changed:
        return text, None
    out.append(text[pos:])
    offsets.extend(range(pos, len(text) + 1))
    return "".join(out), offsets


def _translated(text: str) -> str:
    """``text.translate(_TRANSLATE)``, five to ten times faster: ``str.translate`` with a dict looks up
    every character of the line in Python, while a report line has only a few distinct characters to
    map (tabs, ideographic spaces, ％). Replacing each of those in turn gives the same string because no
    replacement contains a character that is itself mapped (tests/test_normalize.py checks this)."""
    return _replaced(text, set(_MAPPED.findall(text)))


def _map_chars(text: str) -> _Pass:
    if _MAPPED.search(text) is None:
        return text, None
    new = _translated(text)
    if len(new) == len(text):  # every replacement is one character for one
        return new, None
    offsets: list[int] = []
    pos = 0
    for m in _DROPPED.finditer(text):
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    offsets.extend(range(pos, len(text) + 1))
    return new, offsets


def _artefact(m: re.Match[str]) -> list[_Piece]:
    return [("\ufffd", 0)] if m.group().startswith("(cid:") else []


def _keep_digits(m: re.Match[str], drop: str) -> list[_Piece]:
    return [(ch, i) for i, ch in enumerate(m.group()) if ch not in drop]


def _at_line_start(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def _point_space(m: re.Match[str]) -> list[_Piece] | None:
    if len(m.group(1)) <= 2 and _at_line_start(m.string, m.start()):
        return None  # "1. 2024年度…" is a numbered heading, not 1.2024
    return _keep_digits(m, " ")


def _thousands(m: re.Match[str]) -> list[_Piece] | None:
    sep = m.group("sep")
    # Plain spaces also separate table columns ("10 775.18" = score, amount): only join when the
    # number is glued to preceding text ("共1 234.5万元"), never at the start or after a space.
    if sep == " " and (m.start() == 0 or m.string[m.start() - 1].isspace()):
        return None
    return _keep_digits(m, sep)


def compose(outer: list[int], inner: list[int]) -> list[int]:
    """Offset map of applying ``inner`` after ``outer``: text2 → text1 (inner) → raw (outer)."""
    return [outer[j] for j in inner]


def _then(outer: list[int] | None, inner: list[int] | None) -> list[int] | None:
    """``compose`` where None is the identity map."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    return [outer[j] for j in inner]


# Each pass but the character map first makes sure its pattern can match at all: every match holds
# the literal tested (or, for thousands, a digit, a separator and three digits), and a pass that finds
# no match returns the text as it is. Those patterns start with a look-behind, so the regex engine
# would try them at every character of the text; a literal test is nearly free.
_PASSES: tuple[Callable[[str], _Pass], ...] = (
    lambda t: _rewrite(t, _ARTEFACT, _artefact) if "[bookmark:" in t or "(cid:" in t else (t, None),
    _map_chars,
    lambda t: _rewrite(t, _FW_POINT, lambda m: [(".", 0)]) if "．" in t else (t, None),
    lambda t: _rewrite(t, _POINT_SPACE, _point_space) if ". " in t else (t, None),
    lambda t: _rewrite(t, _THOUSANDS, _thousands) if _has_group(t) else (t, None),
)


def _once(text: str) -> _Pass:
    offsets: list[int] | None = None
    for step in _PASSES:
        text, inner = step(text)
        offsets = _then(offsets, inner)
    return text, offsets


def _rewritten(raw: str) -> tuple[str, tuple[int, ...] | None]:
    text, offsets = raw, None
    if "[bookmark:" not in raw and "(cid:" not in raw:
        # The usual change (tab-separated table rows, ideographic spaces): characters replaced one for
        # one, which is what the first round's artefact and character passes would do, with the identity
        # map. The rounds go on from the translated text (its character pass finds nothing left).
        new = _translated(raw)
        if len(new) == len(raw):
            if not _passes_may_change(new):
                return new, None  # the remaining passes would find nothing either
            text = new
    # A removal can bring two pieces together that form a new match ("1[bookmark: x],234"); repeating
    # until nothing changes makes the function idempotent. Three rounds are plenty in practice.
    for _ in range(4):
        new, inner = _once(text)
        if new == text:
            break
        text, offsets = new, _then(offsets, inner)
        if not may_change(text):
            break  # another round would find nothing to change (tabs and wide spaces, the usual case)
    return text, None if offsets is None else tuple(offsets)


# What normalize_map returns (text, offsets; None: identity), and a function that answers as it does.
Mapped = tuple[str, Sequence[int] | None]
Normalizer = Callable[[str], Mapped]


def normalize_map(raw: str) -> Mapped:
    """``normalize`` for callers that compose maps themselves: the map is None when it is the identity
    (text of the same length, character i from raw character i), else a read-only sequence."""
    if not may_change(raw):
        return raw, None
    # The same line is normalised more than once (paragraph grouping, then the block; table cells):
    # a small cache keeps the lines that need rewriting from being rewritten again. Only lines of a
    # modest length, so a few long paragraphs cannot fill memory with their maps.
    if len(raw) <= _CACHED_CHARS:
        return _rewritten_cached(raw)
    return _rewritten(raw)


_CACHED_CHARS = 1000
_rewritten_cached = lru_cache(maxsize=512)(_rewritten)


def normalizer_for(text: str) -> Normalizer:
    """``normalize_map`` for pieces of ``text`` (its lines, stripped or not: any substring), with the
    same results. A reader normalises a report line by line; asking once of the whole text what any
    pass could change in it spares each line the tests that cannot succeed: most reports saved as text
    have nothing to change (identity for every line), most generated ones only tabs and wide spaces
    (replaced one for one, nothing else to test). Anything else takes ``normalize_map`` line by line.

    Exact because no pattern of ``_ANY_CHANGE`` (what ``may_change`` tests) looks outside its match, so
    one that matches in a piece matches in the whole; and the character map, one character at a time,
    turns a piece of ``text`` into a piece of the mapped ``text``. tests/test_normalize.py checks it."""
    return _normalizer_of(_one_for_one(text))


def _normalizer_of(found: tuple[tuple[str, ...], str] | None) -> Normalizer:
    """``normalizer_for(text)``, ``found`` being ``_one_for_one(text)``."""
    if found is None:
        return normalize_map
    chars, _ = found
    if not chars:
        return _unchanged
    return lambda raw: (_replaced(raw, chars), None)


def _one_for_one(text: str) -> tuple[tuple[str, ...], str] | None:
    """(the mapped characters of ``text``, ``text`` with them replaced) when normalising any piece of
    ``text`` replaces those characters one for one and changes nothing else; None when it may do more."""
    if "[bookmark:" in text or "(cid:" in text:
        return None  # removals that may bring figures together: the general path
    chars = tuple(set(_MAPPED.findall(text)))
    if any(not _CHAR_MAP[ord(ch)] for ch in chars):
        return None  # zero-width characters dropped: the offsets change
    replaced = _replaced(text, chars)
    if _passes_may_change(replaced):
        return None  # a full-width point, a thousands group…: the passes decide line by line
    return chars, replaced


# Line breaks to str.splitlines that the character map replaces (by spaces).
_MAPPED_BREAKS = ("\x0b", "\x0c")


def normalized_lines(text: str) -> tuple[list[str] | None, Normalizer]:
    """(``normalize_map(line)[0]`` of each line of ``text.splitlines()``, all with the identity map, or
    None; ``normalizer_for(text)``, from the same look at ``text``). The lines are given when the
    normaliser replaces characters one for one (most reports saved as text; see there): one replacement
    over the whole text instead of one per line gives the same lines, as no replacement is or makes a
    line break once \\v and \\f (breaks that become spaces) are ruled out. A line's ``.strip()`` is also
    the normalised stripped line: a character is whitespace exactly when its replacement is
    (tests/review/read/test_reading_shortcuts.py checks both)."""
    found = _one_for_one(text)
    normalise = _normalizer_of(found)
    if found is None or any(brk in found[0] for brk in _MAPPED_BREAKS):
        return None, normalise
    return found[1].splitlines(), normalise


def _unchanged(raw: str) -> tuple[str, None]:
    return raw, None


def _replaced(text: str, chars: Iterable[str]) -> str:
    """``text`` with each of ``chars`` (mapped characters) replaced as ``_CHAR_MAP`` says."""
    for ch in chars:
        if ch in text:
            text = text.replace(ch, _CHAR_MAP[ord(ch)])
    return text


def normalize(raw: str) -> Normalized:
    """Normalised text and its map to ``raw`` offsets (see the module doc). Idempotent."""
    text, offsets = normalize_map(raw)
    return Normalized(text, list(range(len(raw) + 1)) if offsets is None else list(offsets))


def normalize_text(raw: str) -> str:
    """``normalize`` without the offset map."""
    return normalize_map(raw)[0]
