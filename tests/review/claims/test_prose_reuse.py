"""The prose reader reads each sentence once for all its figures: the shared readings give what reading
the sentence again for each figure gives.

``_sentence_starts`` looks up a sentence once for the figures in it; ``_scope_before`` reads a sentence's
scope words on from the previous figure; ``stated_ratios`` takes the sentence starts it is given. Each is
compared with the plain reading on random text made of the words they look for.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.review.claims.model import sentence_bounds
from jixiao.review.claims.prose import (
    _SCOPE_WORDS,
    _scope_before,
    _sentence_starts,
    _strip_share_targets,
    scope_in,
)
from jixiao.review.claims.ratios import stated_ratios
from jixiao.review.quantities import find_quantities
from tests.review.claims.test_claims import doc_of

# Scope words whole and in pieces (a piece next to a figure may complete a word across it), figures,
# share phrases and sentence marks.
_PIECES = [w for w, _ in _SCOPE_WORDS] + [w[:2] for w, _ in _SCOPE_WORDS] + [w[2:] for w, _ in _SCOPE_WORDS]
_PIECES += ["120.5万元", "30万元", "95%", "一百万元", "≥80%", "占", "的", "占基本支出的", "执行率", "拨付率"]
_PIECES += ["，", "。", "；", "\n", "（", "）", "已拨付", "下达", "年初预算", "实际支出", "增长", "上年"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_sentence_starts_are_the_sentence_bounds(text: str) -> None:
    quantities = find_quantities(text)
    assert _sentence_starts(text, quantities) == [sentence_bounds(text, q.start)[0] for q in quantities]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("项目支出30万元，占基本支出的比重为120.5万元")  # the scope word inside 占…的 is no scope
def test_scope_read_on_from_the_last_figure_is_the_scope_of_the_whole_span(text: str) -> None:
    last = (-1, 0, "")
    for q, s in zip(find_quantities(text), _sentence_starts(text, find_quantities(text)), strict=True):
        scope = _scope_before(text, s, q.start, last)
        assert scope == scope_in(_strip_share_targets(text[s : q.start])), (text, q)
        last = (s, q.start, scope)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_stated_ratios_with_given_sentence_starts_are_the_same(text: str) -> None:
    block = doc_of(text).blocks[0]
    quantities = find_quantities(block.text)
    starts = _sentence_starts(block.text, quantities)
    assert list(stated_ratios(0, block, quantities, starts=starts)) == list(
        stated_ratios(0, block, quantities)
    )
