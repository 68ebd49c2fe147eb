"""The prose reader reads each sentence once for all its figures: the shared readings give what reading
the sentence again for each figure gives.

``_sentence_starts`` looks up a sentence once for the figures in it, ``stated_ratios`` takes the
sentence starts it is given, and ``_rate_terms`` skips the readings a block has no word for. Each is compared with the plain reading on random text made of the words the
readers look for.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review.claims.model import BudgetFact, sentence_bounds
from jixiao.review.claims.prose import (
    _LAST_YEARS,
    _QIZHONG,
    _SCOPE_WORDS,
    _budget_facts,
    _in_parens,
    _rate_terms,
    _sentence_starts,
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


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_stated_ratios_with_given_sentence_starts_are_the_same(text: str) -> None:
    block = doc_of(text).blocks[0]
    quantities = find_quantities(block.text)
    starts = _sentence_starts(block.text, quantities)
    assert list(stated_ratios(0, block, quantities, starts=starts)) == list(
        stated_ratios(0, block, quantities)
    )


def _rate_terms_by_reading_each(text: str, facts: list[BudgetFact], last_year: bool) -> list[BudgetFact]:
    """``_rate_terms`` without its block-wide pre-tests: every fact's brackets and sentence read."""
    out = []
    for f in facts:
        start = f.figure.quantity.start
        if _in_parens(text, start):
            continue
        s, _ = sentence_bounds(text, start)
        if last_year and _LAST_YEARS.search(text, s, start):
            continue
        if _QIZHONG.search(text, s, start) is None:
            out.append(f)
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*_PIECES, "其中", "其中：", "上年", "去年", "(", ")"]), max_size=30).map(
        "".join
    )
)
def test_rate_terms_pre_tests_keep_every_term(text: str) -> None:
    block = doc_of(text).blocks[0]
    quantities = find_quantities(block.text)
    facts = _budget_facts(0, block, quantities, _sentence_starts(block.text, quantities))
    last_year = _LAST_YEARS.search(block.text) is not None
    assert _rate_terms(block.text, facts, last_year) == _rate_terms_by_reading_each(
        block.text, facts, last_year
    )
