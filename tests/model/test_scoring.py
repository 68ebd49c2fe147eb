"""Scoring by the framework's rules (domain.md §2–3), with figures worked out by hand in each test."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.model.evaluation import Evaluation
from jixiao.model.frameworks import load_framework
from jixiao.model.measures import compute
from jixiao.model.scoring import Scored, score

D = Decimal


def evaluation(indicators: list[dict[str, Any]], framework: str = "mof-2020", **extra: Any) -> Evaluation:
    data: dict[str, Any] = {
        "framework": framework,
        "unit": {"name": "测试局", "year": 2024},
        "budget": {"total": {"annual": "100", "executed": "100"}},
        "indicators": [
            {"name": "产出指标", "weight": "50", "groups": [{"name": "数量指标", "indicators": indicators}]}
        ],
    }
    for key, value in extra.items():
        data[key] = value
    return Evaluation.model_validate(data)


def one(ind: dict[str, Any], framework: str = "mof-2020", **extra: Any) -> Decimal:
    """The score of a single indicator."""
    base = {"name": "指标", "weight": "10", "unit": "个"}
    scored = score(evaluation([{**base, **ind}], framework, **extra), load_framework(framework))
    return scored.indicators[0].score


@pytest.mark.parametrize(
    ("nature", "target", "actual", "expected"),
    [
        ("≥", "100", "90", "9.00"),  # actual / target × weight
        ("≥", "100", "150", "10"),  # exceeding gives no extra
        ("≥", "3", "2", "6.67"),  # 6.666… rounded once, to 2 decimals
        ("≥", "8", "1", "1.25"),
        ("≥", "0", "5", "10"),  # a target of 0 is met by any non-negative actual
        ("≤", "10", "8", "10"),
        ("≤", "10", "20", "5.00"),  # reverse ratio: target / actual × weight
        ("≤", "0", "0", "10"),
        ("≤", "0", "1", "0.00"),  # a target of 0 exceeded earns nothing
        ("=", "100", "100", "10"),
        ("=", "100", "95", "9.50"),  # not equal: treated as positive
    ],
)
def test_quantitative_scores(nature: str, target: str, actual: str, expected: str) -> None:
    assert one({"nature": nature, "target": target, "actual": actual}) == D(expected)


def test_half_up_rounding_not_bankers() -> None:
    # 1 / 8 × 1 = 0.125: officers round half up to 0.13 (banker's rounding would give 0.12).
    assert one({"weight": "1", "nature": "≥", "target": "8", "actual": "1"}) == D("0.13")


def test_reverse_linear_2x(tmp_path: Path) -> None:
    fw = tmp_path / "linear.yaml"
    fw.write_text(
        "name: linear\ntitle: 线性\nextends: mof-2020\nreverse_method: linear-2x\n", encoding="utf-8"
    )
    ind = {"nature": "≤", "target": "10"}
    assert one({**ind, "actual": "15"}, str(fw)) == D("5.00")  # halfway to 2 × target
    assert one({**ind, "actual": "20"}, str(fw)) == D("0.00")
    assert one({**ind, "actual": "25"}, str(fw)) == D("0.00")
    assert one({**ind, "actual": "10"}, str(fw)) == D("10")


def test_qualitative_scores() -> None:
    assert one({"nature": "定性", "tier": "达成"}) == D("10")  # no score typed: 达成 → full
    assert one({"nature": "定性", "tier": "部分达成"}) == D("6.0")  # no score: the band's lower end
    assert one({"nature": "定性", "tier": "部分达成", "score": "7.5"}) == D("7.50")
    assert one({"nature": "定性"}) == D("0.00")
    assert one({"nature": "定性", "tier": "达成", "score": "12"}) == D("10")  # clamped to the weight


def test_missing_actual_scores_zero_with_a_note() -> None:
    ev = evaluation([{"name": "a", "weight": "10", "nature": "≥", "target": "5"}])
    item = score(ev, load_framework("mof-2020")).indicators[0]
    assert item.score == 0 and "实际完成值" in item.note


def test_execution_rate_and_cap(tmp_path: Path) -> None:
    ind = [{"name": "a", "weight": "50", "nature": "定性", "tier": "达成"}]
    ev = evaluation(ind, budget={"total": {"annual": "200.00", "executed": "187.00"}})
    s = score(ev, load_framework("mof-2020"))
    assert s.execution_rate == D("93.5") and s.execution_score == D("9.35")
    over = evaluation(ind, budget={"total": {"annual": "100", "executed": "110"}})
    assert score(over, load_framework("mof-2020")).execution_score == D("10.00")
    fw = tmp_path / "nocap.yaml"
    fw.write_text(
        "name: nocap\ntitle: 不封顶\nextends: mof-2020\nexecution: {name: 预算执行率, weight: 10, cap: false}\n",
        encoding="utf-8",
    )
    # cap: false penalises the excess (110% scores as 90%): never a bonus over the weight.
    assert score(over, load_framework(str(fw))).execution_score == D("9.00")


def test_measures_and_methods_of_mof_2013() -> None:
    ev = evaluation(
        [],
        "mof-2013-dept",
        unit={"name": "测试局", "year": 2024, "staff_quota": 50, "staff_actual": 48},
        budget={"total": {"initial": "100", "annual": "120", "executed": "102"}},
    )
    assert compute("在职人员控制率", ev) == D(96)
    assert compute("预算调整率", ev) == D(20)
    assert compute("结转结余率", ev) == D(15)  # (120 − 102) / 120
    assert compute("预算完成率", ev) == D(85)
    extra: dict[str, Any] = {
        "unit": {"name": "测试局", "year": 2024, "staff_quota": 50, "staff_actual": 48},
        "budget": {"total": {"initial": "100", "annual": "120", "executed": "102"}},
    }
    # steps: ≤10 → 0.8, ≤20 → 0.6 of the weight; 20% adjustment → 6 of 10.
    assert one({"nature": "≤", "target": "0", "measure": "预算调整率"}, "mof-2013-dept", **extra) == D("6.00")
    # deduct-per-point: 15% carry-over is 5 points above the 10% threshold, 0.5 each → 10 − 2.5.
    assert one({"nature": "≤", "target": "10", "measure": "结转结余率"}, "mof-2013-dept", **extra) == D(
        "7.50"
    )
    # Hunan's 预算调整率 gives points: ≤20% → 3 points.
    assert one({"nature": "≤", "target": "0", "measure": "预算调整率"}, "hunan-2013-dept", **extra) == D(
        "3.00"
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("60", "中"), ("59.99", "差")],
)
def test_grade_bands(total: str, grade: str) -> None:
    assert load_framework("mof-2020").grade_for(D(total)) == grade


def test_subtotals_add_up_as_printed() -> None:
    # Three scores of 6.666… each round to 6.67; the subtotal is 20.01, the sum of what is printed.
    inds = [
        {"name": f"a{k}", "weight": "10", "unit": "个", "nature": "≥", "target": "3", "actual": "2"}
        for k in range(3)
    ]
    s: Scored = score(evaluation(inds), load_framework("mof-2020"))
    assert [g.score for g in s.level2] == [D("20.01")]
    assert s.level1[0].score == D("20.01")
    assert s.level2[0].children_weight == D(30) and s.level1[0].weight == D(50)
    assert s.total == s.execution_score + D("20.01")


def _one(ind: dict[str, Any]) -> D:
    s = score(evaluation([{"name": "x", "weight": "50", **ind}]), load_framework("mof-2020"))
    return s.indicators[0].score


def test_equality_with_target_zero_missed_scores_zero() -> None:
    assert _one({"nature": "=", "target": "0", "unit": "起", "actual": "3"}) == D("0.00")
    assert _one({"nature": "=", "target": "0", "unit": "起", "actual": "0"}) == D("50.00")


def test_negative_target_missed_scores_zero() -> None:
    # ≥ −10 with −20: missed; the ratio of two negatives (2) must not read as over-achievement.
    assert _one({"nature": "≥", "target": "-10", "unit": "%", "actual": "-20"}) == D("0.00")
    assert _one({"nature": "≥", "target": "-10", "unit": "%", "actual": "-5"}) == D("50.00")


def test_a_partial_project_list_does_not_rewrite_a_total_that_adds_up() -> None:
    budget = {
        "total": {"initial": "1000", "annual": "1000", "executed": "950"},
        "basic": {"initial": "600", "annual": "600", "executed": "600"},
        "project": {"initial": "400", "annual": "400", "executed": "350"},
        "projects": [{"name": "重点项目", "initial": "100", "annual": "100", "executed": "50"}],
    }
    s = score(evaluation([], budget=budget), load_framework("mof-2020"))
    assert s.money is not None
    assert s.money.rows["total"].replaced == () and s.money.rows["project"].replaced == ()
    assert s.execution_rate == D(95)
