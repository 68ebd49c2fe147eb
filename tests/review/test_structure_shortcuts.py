"""parse_sections' shortcuts give what the general path gives: the first-character test and the
remembered heading parts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao.review import structure as st_
from jixiao.review.read import document_from_text

_PIECES = st.sampled_from(
    [
        "一、",
        "（一）",
        "(二)",
        "1．",
        "2.",
        "3、",
        "1)",
        "①",
        "⑴",
        "⒈",
        "第一部分",
        "一是",
        "1．2024",
        "  ",
        "\u3000",
        "基本情况",
        "预算执行情况：无",
        "年度",
        "。",
        "；",
        "，",
        "…… 3",
        "\t5",
        "12",
        "二季度",
        "目录",
    ]
)
_TEXTS = st.lists(st.lists(_PIECES, min_size=1, max_size=5).map("".join), max_size=12).map("\n\n".join)


def _parts_in_general(text: str, raw: str) -> st_._HeadingParts | None:
    """What ``_heading_parts`` stands for, step by step, nothing remembered."""
    found = st_._read_marker(text, raw)
    if found is None or st_._is_toc_line(text):
        return None
    family, style, number, rest = found
    title, inline = st_._split_title(rest)
    item = bool(inline) or len(title) > st_._TITLE_SPLIT_LONG or rest.endswith(st_._SENTENCE_END)
    return family, style, number, title.rstrip("。."), inline, item


@given(st.lists(_PIECES, max_size=6).map("".join), st.sampled_from(["", "1．2024年", " 一、"]))
def test_heading_parts_are_the_steps_they_stand_for(text: str, raw: str) -> None:
    st_._heading_parts_of.cache_clear()
    assert st_._heading_parts(text, raw) == _parts_in_general(text, raw)
    assert st_._heading_parts(text, raw) == _parts_in_general(text, raw)  # remembered


@given(_TEXTS)
def test_sections_are_the_same_read_afresh_or_remembered(text: str) -> None:
    document = document_from_text(text)
    st_._heading_parts_of.cache_clear()
    afresh = st_.parse_sections(document)
    assert st_.parse_sections(document) == afresh
