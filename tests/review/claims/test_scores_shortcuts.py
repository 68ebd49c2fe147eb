"""The shortcuts in claims_scores.py and structure.py give what the plain regex calls they replace give."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review import structure
from jixiao.review.checks import outline
from jixiao.review.claims import scores as claims_scores

# Characters that make markers, breaks, brackets and stops, plus some filler.
_MARKER_ALPHABET = [
    *"一二三十（()）、.．。；;，,：: \u3000\t\n1290１分得值扣其中部分章",
    "12",
    "（一）",
    "1．",
    "。 ",
]
_texts = st.lists(st.sampled_from(_MARKER_ALPHABET), max_size=14).map("".join)


def _spans(m: re.Match[str]) -> tuple[str | None, tuple[int, int] | None, int]:
    kind = m.lastgroup
    return kind, (m.span(kind) if kind else None), m.end()


@settings(max_examples=1500)
@given(_texts)
def test_markers_are_the_finditer_markers(text: str) -> None:
    expected = [_spans(m) for m in claims_scores._MARKER.finditer(text)]
    assert [_spans(m) for m in claims_scores._markers(text)] == expected


def _segments_by_regex(text: str) -> list[tuple[int, int, int]]:
    """_segments as it was: every cut found by regex."""
    cuts = []
    for m in claims_scores._MARKER.finditer(text):
        kind = m.lastgroup or ""
        cuts.append((m.start(kind), claims_scores._RANK.get(kind, claims_scores._NO_MARKER)))
    marked = []
    if not cuts or cuts[0][0] > 0:
        marked.append((0, cuts[0][0] if cuts else len(text), claims_scores._NO_MARKER))
    for i, (start, rank) in enumerate(cuts):
        marked.append((start, cuts[i + 1][0] if i + 1 < len(cuts) else len(text), rank))
    out = []
    for start, end, rank in marked:
        pos = start
        for m in re.finditer(r"[。；;]", text[start:end]):
            cut = start + m.end()
            if cut < end and text[cut:end].strip():
                out.append((pos, cut, rank if pos == start else claims_scores._NO_MARKER))
                pos = cut
        out.append((pos, end, rank if pos == start else claims_scores._NO_MARKER))
    return out


@settings(max_examples=1500)
@given(_texts)
def test_segments_are_the_regex_segments(text: str) -> None:
    assert claims_scores._segments(text) == _segments_by_regex(text)


def test_blanks_are_regex_blanks_and_digits_regex_digits() -> None:
    # _has_break and _is_toc_line read regex \s as str.isspace (split, rstrip) and \d as str.isdecimal.
    space, digit = re.compile(r"\s"), re.compile(r"\d")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert (space.match(ch) is not None) == ch.isspace(), hex(code)
        assert (digit.match(ch) is not None) == ch.isdecimal(), hex(code)


def _split_title_by_loop(rest: str) -> tuple[str, str]:
    """_split_title as it was: a walk over every character."""
    stops = structure._TITLE_STOP + (
        "，,"
        if len(rest) > structure._TITLE_SPLIT_LONG or any(c in rest for c in structure._TITLE_STOP)
        else ""
    )
    depth = 0
    for i, ch in enumerate(rest):
        if ch in "（(《“[【":
            depth += 1
        elif ch in "）)》”]】":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in stops:
            return rest[:i].strip(), rest[i + 1 :].strip()
    return rest.strip(), ""


@settings(max_examples=1500)
@given(
    st.lists(
        st.sampled_from([*"（()）《》“”[]【】。；;：:，, 无情况", "预算支出情况", "x" * 20]), max_size=12
    ).map("".join)
)
def test_split_title_is_the_character_walk(rest: str) -> None:
    assert structure._split_title(rest) == _split_title_by_loop(rest)


@settings(max_examples=1500)
@given(
    st.lists(st.sampled_from([*".…·．_\t 1２3。", "......", "   ", "\n", "\u3000"]), max_size=10).map("".join)
)
def test_toc_shortcut_is_the_toc_regex(text: str) -> None:
    first = text.splitlines()[0] if text else ""
    assert structure._is_toc_line(text) == (structure._TOC.search(first) is not None)


@settings(max_examples=1500)
@given(
    st.lists(
        st.sampled_from([*"一二十第（()）、.．1２①⑴⒈㉑部分章是 \u3000预算", "", "12", "1．2024年", "。"]),
        max_size=8,
    ).map("".join)
)
def test_patterns_tried_by_first_character_find_the_same_marker(text: str) -> None:
    stripped = text.lstrip(" \u3000")
    tried = structure._patterns_from(stripped[0]) if stripped else ()
    first_of_all = next(((f, p) for f, p in structure._PATTERNS if p.match(stripped)), None)
    first_tried = next(((f, p) for f, p, _ in tried if p.match(stripped)), None)
    assert first_tried == first_of_all


def test_section_ends_are_section_end() -> None:
    from jixiao.core.findings import Location
    from jixiao.review.document import Block, Document

    lines = [
        "一、基本情况",
        "（一）职能",
        "1．甲",
        "正文",
        "2．乙",
        "（二）机构",
        "二、支出",
        "正文",
        "三、问题",
    ]
    document = Document(
        path="x.txt",
        format="txt",
        encoding="utf-8",
        blocks=[Block("paragraph", t, Location(line=i + 1)) for i, t in enumerate(lines)],
    )
    headings = structure.parse_sections(document)
    ends = outline._section_ends(headings, len(document.blocks))
    assert ends == [structure.section_end(headings, h, len(document.blocks)) for h in headings]
    assert ends == [6, 5, 4, 5, 6, 8, 9]


# Digits of other scripts and blanks of other kinds: what regex \d and \s match beyond ASCII.
_POINTS_ALPHABET = [*"分得值部9０٣ \u3000\t\n\u2003x，", "5分", "分5"]


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(_POINTS_ALPHABET), max_size=12).map("".join))
def test_number_points_are_the_regex_number_points(text: str) -> None:
    expected = claims_scores._NUMBER_POINTS.search(text) is not None
    assert claims_scores._has_number_points(text) == expected


@settings(max_examples=800)
@given(_texts)
def test_name_is_read_as_with_the_marker_substituted(text: str) -> None:
    marker = claims_scores._MARKER.match(text)
    # _name strips the marker where it starts; that is what substituting the first match removes.
    if marker is not None:
        assert text[marker.end() :] == claims_scores._MARKER.sub("", text, count=1)
