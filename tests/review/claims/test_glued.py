"""The glued 自评表 reader (claims/glued.py): money runs split the one way that holds, echo rows."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.review.claims.glued import EchoRow, ScoreCeiling, extract_glued_claims, split_money_run
from jixiao.review.claims.model import ExecutionScore, ScoreTotal
from jixiao.review.read import document_from_text


def _values(run: str) -> list[str] | None:
    split = split_money_run(run)
    return None if split is None else [piece for _, piece in split]


def test_split_money_run_finds_the_one_split_that_holds() -> None:
    assert _values("202010100.00") == ["20", "20", "10", "100.00"]
    assert _values("194.9194.910100") == ["194.9", "194.9", "10", "100"]
    assert _values("3002701090.00") == ["300", "270", "10", "90.00"]


def test_split_money_run_refuses_ambiguous_or_impossible_runs() -> None:
    assert split_money_run("1111") is None  # 1, 1, 1, 1 has the rate 100 ≠ 1
    # 100 | 75 | 5 | 75 and 1007 | 55 | 7 | 5 both hold: no guess.
    assert split_money_run("10075575") is None
    assert _values("15155100.00") == ["15", "15", "5", "100.00"]  # 1 | 51 | 5 | 5100.00: no such rate
    assert split_money_run("") is None
    assert split_money_run("9" * 30) is None  # too long to be one row


@given(
    budget=st.integers(min_value=1, max_value=99999),
    spent_share=st.integers(min_value=1, max_value=100),
    weight=st.sampled_from([5, 10, 15, 20]),
)
def test_split_money_run_reads_back_a_glued_row(budget: int, spent_share: int, weight: int) -> None:
    spent = budget * spent_share // 100 or 1
    rate = (Decimal(spent) / Decimal(budget) * 100).quantize(Decimal("0.01"))
    run = f"{budget}{spent}{weight}{rate}"
    split = split_money_run(run)
    # Whenever the reader answers, its answer is a split of the run whose quotient is the stated rate.
    if split is not None:
        a, b, w, r = (Decimal(p) for _, p in split)
        assert "".join(p for _, p in split) == run
        assert abs(b / a * 100 - r) <= Decimal("0.005")
        assert 0 < w <= 100


def _claims(text: str) -> list[object]:
    return list(extract_glued_claims(document_from_text(text, path="t.txt")))


_TABLE = (
    "一级指标二级指标三级指标分值指标值实际值得分产出指标(50分)数量指标培训人次30≥300人次≥300人次30"
    "时效指标结业时间202025年9月2025年9月18效益指标(40分)"
)


def test_echo_rows_read_weight_target_and_score() -> None:
    rows = [c for c in _claims(_TABLE) if isinstance(c, EchoRow)]
    assert [(r.written, r.weight.value, r.score.value) for r in rows] == [
        ("≥300人次", 30, 30),
        ("2025年9月", 20, 18),
    ]
    assert rows[1].name == "时效指标结业时间"
    assert rows[1].reason == ""  # the next heading follows the score


def test_no_header_no_claims() -> None:
    # The same run without the glued indicator header is not taken for a table.
    assert _claims(_TABLE.replace("一级指标二级指标三级指标", "")) == []


def test_execution_row_and_ceiling() -> None:
    text = "自评得分99" + _TABLE + "预算执行率10—90%9"
    claims = _claims(text)
    execution = [c for c in claims if isinstance(c, ExecutionScore)]
    assert [(e.line.weight.value, e.line.score.value, e.rates[0].value) for e in execution] == [(10, 9, 90)]
    ceiling = [c for c in claims if isinstance(c, ScoreCeiling)]
    assert len(ceiling) == 1 and ceiling[0].total.value == 99
    assert sorted(line.score.value for line in ceiling[0].deductions) == [9, 18]
    assert not [c for c in claims if isinstance(c, ScoreTotal)]  # no 总分 row


_PIECES = st.sampled_from(
    [
        "一级指标二级指标三级指标分值指标值实际值得分",
        "产出指标(50分)",
        "效益指标(30分)",
        "满意度指标(10分)",
        "年度绩效目标(80分)",
        "总分100",
        "自评得分9",
        "预算执行率10—",
        "年度资金总额:",
        "%",
        "≥",
        "万元",
        "。",
        "，",
        "完成",
        " ",
        "\n",
        "注：一级指标分值统一设置为：产出指标50分、效益指标30分",
    ]
)


@given(st.lists(st.one_of(_PIECES, st.integers(0, 1000).map(str), st.text(max_size=4)), max_size=40))
def test_glued_readers_never_fail_and_claim_only_what_holds(parts: list[str]) -> None:
    # Any text: the readers return claims, never raise; every echo row's score is within its 分值.
    from jixiao.review.claims.form_note import extract_form_note_claims

    document = document_from_text("".join(parts), path="t.txt")
    for claim in extract_glued_claims(document):
        if isinstance(claim, EchoRow):
            assert 0 <= claim.score.value <= claim.weight.value
    extract_form_note_claims(document)
