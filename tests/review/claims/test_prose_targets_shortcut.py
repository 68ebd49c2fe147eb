"""A block that can hold only an indicator target is scanned for figures only when it gives a target.

The plain reading scans every such block and keeps its targets only when the scanner finds some figure
in it; the prose reader reads the targets first and scans only when there is one. Both must give the
same claims.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review.claims import prose as claims_prose
from jixiao.review.claims.model import Claim, IndicatorTarget
from jixiao.review.claims.prose import _may_hold_figures, _targets, extract_prose_claims
from jixiao.review.quantities import Quantity, find_quantities
from tests.review.claims.test_claims import doc_of


def _plain_reading(text: str) -> list[Claim]:
    """What the prose reader gives for a block without money, % or counted figures."""
    doc = doc_of(text)
    return list(_targets(0, doc.blocks[0])) if find_quantities(doc.blocks[0].text) else []


def test_a_target_block_without_a_target_is_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []

    def counting_scan(text: str) -> list[Quantity]:
        scanned.append(text)
        return find_quantities(text)

    monkeypatch.setattr(claims_prose, "find_quantities", counting_scan)
    no_target = "5．任务完成及时性，年度指标值：按时完成，分值15分，得分15分。"
    target = "4．投诉办结时长，年度指标值：≤191天，实际完成195天，分值5分。"  # no sure value (_surely_found)
    claims = extract_prose_claims(doc_of(no_target, target))
    assert [(c.kind, c.target) for c in claims if isinstance(c, IndicatorTarget)] == [("target", "≤191天")]
    assert len(claims) == 1
    assert scanned == [target]


def test_a_target_block_with_scores_gives_its_target() -> None:
    text = "4．投诉办结时长，年度指标值：≤191天，实际完成值：195天，分值5分，得分4.9分。"
    assert not _may_hold_figures(text)
    claims = extract_prose_claims(doc_of(text))
    assert [c.kind for c in claims] == ["target"]
    assert claims == _plain_reading(text)


def test_a_target_block_without_a_figure_target_gives_nothing() -> None:
    text = "5．任务完成及时性，年度指标值：按时完成，实际完成值：按时完成，分值15分，得分15分。"
    assert extract_prose_claims(doc_of(text)) == [] == _plain_reading(text)


_PIECES = st.sampled_from(
    [
        "年度指标值：",
        "目标值:",
        "指标值：",
        "实际完成值：",
        "≥",
        "≤",
        "约",
        "191",
        "5",
        "12.5",
        "三",
        "2024年",
        "天",
        "分",
        "小时",
        "按时完成",
        "明显提升",
        "，",
        "。",
        "、",
        "1．",
        "（3）",
        "分值",
        "得分",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_target_blocks_read_as_the_plain_reading(pieces: list[str]) -> None:
    text = "".join(pieces)
    if _may_hold_figures(text):
        return
    assert extract_prose_claims(doc_of(text)) == _plain_reading(text), text
