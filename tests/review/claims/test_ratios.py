"""Rates stated with both terms in one sentence (claims/ratios.py, B156): 支付率, 拨付率, 到位率, 完成率,
增长/下降, 超任务 — recomputed with interval arithmetic, claimed only where each term's role is named."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.review.pipeline import review_document
from jixiao.review.read import document_from_text


def b156(text: str) -> list[tuple[str, str, str]]:
    report = review_document(document_from_text(text + "\n", path="t.txt"))
    return [
        (f.severity.value, f.values["stated"], f.values["recomputed"])
        for f in report.findings
        if f.code == "B156"
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("省级下达补助资金150万元，已拨付135万元，拨付率95%。", [("error", "95", "90.00")]),
        ("省级下达补助资金150万元，已拨付135万元，拨付率90%。", []),
        ("项目资金已支付2460.50万元，未支付39.50万元，支付率95%。", [("error", "95", "98.42")]),
        ("项目资金已支付2460.50万元，未支付39.50万元，支付率98.42%。", []),
        ("应到位资金300万元，实际到位240万元，到位率80%。", []),
        ("应到位资金300万元，实际到位240万元，到位率85%。", [("error", "85", "80.00")]),
        ("本年培训支出84万元，上年培训支出70万元，增长20%。", []),
        ("本年培训支出84万元，上年培训支出70万元，增长25%。", [("error", "25", "20.00")]),
        ("本年培训支出56万元，上年培训支出70万元，下降20%。", []),
        ("计划改造60户，实际改造75户，超任务25%。", []),
        ("计划改造60户，实际改造75户，超任务43%。", [("error", "43", "25.00")]),
    ],
)
def test_rates_with_both_terms(text: str, found: list[tuple[str, str, str]]) -> None:
    assert b156(text) == found


# Why nothing is claimed → a sentence of that kind.
UNCLEAR = {
    "a change amount is not last year's level": "全年支出比上年增加14万元，增长20%。",
    "the whole is stated in another sentence": "全年下达资金150万元。已拨付135万元，拨付率95%。",
    "two amounts of one role": "已拨付一期资金60万元，已拨付二期资金75万元，拨付率95%。",
    "an approximate term": "下达资金约150万元，已拨付135万元，拨付率95%。",
}


@pytest.mark.parametrize("why", sorted(UNCLEAR))
def test_no_claim_where_a_role_is_missing_or_unclear(why: str) -> None:
    assert b156(UNCLEAR[why]) == [], why


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_a_rate_computed_and_rounded_from_its_terms_is_never_flagged(paid: int, unpaid: int) -> None:
    paid_amount, unpaid_amount = Decimal(paid) / 100, Decimal(unpaid) / 100
    rate = (paid_amount / (paid_amount + unpaid_amount) * 100).quantize(Decimal("0.01"))
    assert b156(f"项目资金已支付{paid_amount}万元，未支付{unpaid_amount}万元，支付率{rate}%。") == []


def test_a_completion_rate_that_names_its_amount() -> None:
    text = "本年年初预算收入640.00万元，决算数为704.00万元。年初预算收入完成率为{}%。"
    assert b156(text.format("110")) == []
    assert b156(text.format("100")) == [("error", "100", "110.00")]
    # the named amount stated twice: which one is meant cannot be read
    twice = (
        "年初预算收入640.00万元，决算数为704.00万元。调整后年初预算收入660.00万元。年初预算收入完成率为100%。"
    )
    assert b156(twice) == []


def b156_warnings(text: str) -> list[tuple[str, str, str]]:
    return [f for f in b156(text) if f[0] == "warning"]


EARLIER = "全县计划新建村级服务站{plan}座，实际建成{built}座。\n\n新建服务站数超计划{rate}%，群众满意度较高。"


@given(st.integers(1, 5000), st.integers(0, 5000))
def test_an_over_plan_rate_from_an_earlier_paragraph_agrees_or_warns(plan: int, extra: int) -> None:
    built = plan + extra
    exact = Decimal(extra) / Decimal(plan) * 100
    rate = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # as the finding prints it
    assert b156(EARLIER.format(plan=plan, built=built, rate=rate)) == []
    wrong = rate + 1  # one point off, beyond the rounding of two decimals
    found = b156(EARLIER.format(plan=plan, built=built, rate=wrong))
    assert found == [("warning", str(wrong), str(rate))]


# From 100万元 up, written to the 万元 cent: the recomputed rate is known to far better than 100 points.
@given(st.integers(10**4, 10**6), st.integers(0, 10**6))
def test_an_owed_amount_with_its_excess_reads_done_over_whole(owed: int, extra: int) -> None:
    whole, done = Decimal(owed) / 100, Decimal(owed + extra) / 100
    excess = done - whole
    rate = (done / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = "县级应配套资金{w:.2f}万元，实际配套到位资金{d:.2f}万元，超规模配套{e:.2f}万元，执行率为{r}%。"
    assert b156(text.format(w=whole, d=done, e=excess, r=rate)) == []
    if extra:
        # the excess over the whole written as the rate: always 100 points short
        wrong = (excess / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert b156(text.format(w=whole, d=done, e=excess, r=wrong)) == [("error", str(wrong), str(rate))]


def test_no_rate_across_the_sides_of_the_account() -> None:
    assert b156("本年收入预算520万元，实际支出500万元，收入完成率为100%。") == []
    assert b156("本年支出预算520万元，实际支付500万元，支付率为100%。") == [("error", "100", "96.15")]
