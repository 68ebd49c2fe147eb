"""The execution-score reader scans a block for its rates only when a % can be read in it: a block without
a % unit word or 百分之 gives no % figure, whatever else it holds. Checked against the scanner."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review.claims import collect
from jixiao.review.claims.collect import _PERCENT_WORDS, _rates_near
from jixiao.review.quantities import find_quantities
from tests.review.claims.test_claims import doc_of

_PIECES = st.sampled_from(
    [
        "预算执行率",
        "执行率为",
        "（分值10分，得9.87分）",
        "99.18",
        "100",
        "九十",
        "百分之",
        "百",
        "分",
        "%",
        "％",
        "﹪",
        "‰",
        "个百分点",
        "基本支出",
        "项目",
        "，",
        "。",
        "（",
        "）",
        " ",
        "≥",
    ]
)


def test_percent_words_are_the_scanner_s() -> None:
    assert set(_PERCENT_WORDS) >= {"百分之", "%", "％"}
    assert find_quantities("执行率百分之九十")[0].unit == "%"


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_a_block_without_percent_words_has_no_percent_figure(pieces: list[str]) -> None:
    text = "".join(pieces)
    if not any(w in text for w in _PERCENT_WORDS):
        assert [q for q in find_quantities(text) if q.unit == "%"] == [], text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=10).map("".join), min_size=1, max_size=3))
def test_rates_near_reads_as_without_the_filter(texts: list[str]) -> None:
    doc = doc_of(*texts)
    scopes = {"", "总"}
    with mock.patch.object(collect, "_PERCENT_WORDS", ("",)):  # "" is in every text: every block scanned
        plain = _rates_near(doc, 0, scopes)
    assert _rates_near(doc, 0, scopes) == plain, texts
