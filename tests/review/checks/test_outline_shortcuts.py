"""The outline checks' shortcuts give the same answers as the plain searches they replace."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from jixiao.model.frameworks import load_framework
from jixiao.review.checks.outline import _sibling_runs
from jixiao.review.context import ReviewContext
from jixiao.review.document import Document
from jixiao.review.read import document_from_text
from jixiao.review.structure import Heading, _OutlineWords, _said_in, _words_re, parse_sections

_CHARS = "情况目标绩效问题措施\n、 一二"
_words = st.lists(st.text(alphabet=_CHARS, max_size=4), max_size=3).map(tuple)
_outline = st.lists(_words, min_size=1, max_size=5).map(tuple)
_titles = st.lists(st.text(alphabet=_CHARS, max_size=12), max_size=6)


def _plain_sections_in(words: tuple[tuple[str, ...], ...], title: str) -> tuple[int, ...]:
    return tuple(i for i, w in enumerate(words) if _said_in(_words_re(w), title))


@given(_outline, _titles)
def test_sections_in_and_said_in_any_match_the_plain_search(
    words: tuple[tuple[str, ...], ...], titles: list[str]
) -> None:
    outline = _OutlineWords(words)
    for title in titles:
        assert outline.sections_in(title) == _plain_sections_in(words, title)
        assert outline.sections_in(title) == _plain_sections_in(words, title)  # remembered answer
    for i, w in enumerate(words):
        expected = any(_said_in(_words_re(w), title) for title in titles)
        assert outline.said_in_any(i, titles) == expected


def test_joined_search_is_not_used_for_words_with_line_breaks() -> None:
    # "况\n目" would match across two titles joined by a line break; it is in neither title.
    outline = _OutlineWords((("况\n目",),))
    assert not outline.joinable
    assert outline.said_in_any(0, ["项目情况", "目标"]) is False


def test_said_in_any_on_a_title_holding_a_line_break() -> None:
    outline = _OutlineWords((("情况",),))
    assert outline.said_in_any(0, ["基本\n情况"]) is True
    assert outline.said_in_any(0, ["基本情\n况"]) is False


def _doc(text: str) -> Document:
    return document_from_text(text)


def _context(text: str) -> ReviewContext:
    doc = _doc(text)
    ctx = ReviewContext(document=doc, framework=load_framework("mof-2020"))
    ctx.sections = parse_sections(doc)
    return ctx


def _titles_of(runs: list[list[Heading]]) -> list[list[str]]:
    return [[h.title for h in run] for run in runs]


def test_sibling_runs_are_worked_out_for_each_context_and_each_heading_list() -> None:
    first = _context("一、概况\n正文。\n二、目标\n正文。\n")
    second = _context("一、概况\n正文。\n（一）目标\n正文。\n（二）问题\n正文。\n")
    assert _titles_of(_sibling_runs(first)) == [["概况", "目标"]]
    assert _titles_of(_sibling_runs(second)) == [["概况"], ["目标", "问题"]]
    assert _sibling_runs(first) is _sibling_runs(first)  # shared by the checks of one run
    first.sections = second.sections  # another list: grouped anew
    assert _titles_of(_sibling_runs(first)) == [["概况"], ["目标", "问题"]]
    # The same list edited in place, as long as before: the next run of the checks groups it anew.
    first.sections[:] = parse_sections(_doc("一、概况\n正文。\n二、目标\n正文。\n三、问题\n正文。\n"))
    first.begin_checks()
    assert _titles_of(_sibling_runs(first)) == [["概况", "目标", "问题"]]


def test_words_re_escapes() -> None:
    pattern = _words_re(("a.b",))
    assert pattern is not None and pattern.search("axb") is None and pattern.search("a.b")
    assert re.escape("a.b") in pattern.pattern
