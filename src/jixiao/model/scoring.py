"""Scores by the framework's rules (domain.md §2–3). Pure: model + framework in, a Scored view out.

Rounding: a score is computed exactly and rounded once, to 2 decimals, half up. Subtotals and the
total are sums of the rounded scores, so every figure printed in a report adds up as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from jixiao.core.decimals import ZERO, round2
from jixiao.model.evaluation import Evaluation, Indicator, Level2, Nature, Tier
from jixiao.model.frameworks import Framework, Method
from jixiao.model.measures import compute
from jixiao.model.money import MoneyView, money_view

ONE = Decimal(1)


@dataclass(frozen=True)
class IndicatorScore:
    path: str
    level1: str
    level2: str
    indicator: Indicator
    weight: Decimal
    score: Decimal
    actual: Decimal | None  # typed, or computed from a measure
    ratio: Decimal | None  # actual / target where both are known (for the 130% check)
    method: str
    note: str = ""  # why the score is what it is, when not obvious (missing data...)

    @property
    def full(self) -> bool:
        return self.score >= self.weight


@dataclass(frozen=True)
class GroupScore:
    name: str
    path: str
    weight: Decimal  # declared weight (or the sum of children when none was declared)
    children_weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class Scored:
    evaluation: Evaluation
    framework: Framework
    execution_rate: Decimal | None  # percent, exact
    execution_weight: Decimal
    execution_score: Decimal
    indicators: list[IndicatorScore]
    level2: list[GroupScore]
    level1: list[GroupScore]
    total: Decimal
    grade: str
    rates: dict[str, Decimal | None] = field(default_factory=dict)  # per money row, percent
    money: MoneyView | None = None  # the money block as printed (typed totals reconciled with parts)

    def indicator(self, path: str) -> IndicatorScore | None:
        return next((s for s in self.indicators if s.path == path), None)


def _ratio_score(actual: Decimal, target: Decimal, weight: Decimal) -> Decimal:
    """Positive indicator: met → full; else actual/target × weight; exceeding gives no extra."""
    if target == 0:
        return weight if actual >= 0 else ZERO
    if actual >= target:
        return weight
    if target < 0:
        return ZERO  # a negative target missed: the ratio of two negatives would read as over-achievement
    return max(ZERO, actual / target * weight)


def _reverse_score(actual: Decimal, target: Decimal, weight: Decimal, method: str) -> Decimal:
    if actual <= target:
        return weight
    if target <= 0:
        return ZERO  # a target of 0 that is exceeded earns nothing (domain.md §2)
    if method == "linear-2x":
        if actual >= 2 * target:
            return ZERO
        return weight * (2 * target - actual) / target
    return target / actual * weight


def _method_score(m: Method, actual: Decimal, target: Decimal | None, weight: Decimal) -> Decimal:
    if m.type == "ratio":
        return _ratio_score(actual, target if target is not None else Decimal(100), weight)
    if m.type in ("reverse-ratio", "reverse-linear-2x"):
        tgt = target if target is not None else ZERO
        return _reverse_score(actual, tgt, weight, "linear-2x" if m.type == "reverse-linear-2x" else "ratio")
    if m.type == "steps":
        for step in m.steps:
            if step.upto is None or actual <= step.upto:
                if step.share is not None:
                    return step.share * weight
                return weight if step.points == "full" else min(weight, Decimal(str(step.points)))
        return ZERO  # unreachable: the last step is the catch-all (checked when loading)
    if m.type == "deduct-per-point":
        assert m.threshold is not None and m.per_point is not None
        over = actual - m.threshold
        return weight if over <= 0 else max(ZERO, weight - over * m.per_point)
    raise ValueError(m.type)  # pragma: no cover - Literal type guards this


def tier_band(fw: Framework, tier: Tier, weight: Decimal) -> tuple[Decimal, Decimal]:
    band = fw.tiers[tier]
    return band.low * weight, band.high * weight


def score_indicator(
    ind: Indicator, fw: Framework, ev: Evaluation
) -> tuple[Decimal, Decimal | None, Decimal | None, str, str]:
    """(score, actual, ratio, method name, note)."""
    weight = ind.weight
    actual = ind.actual
    note = ""
    if ind.measure:
        computed = compute(ind.measure, ev)
        if computed is not None:
            actual = computed
        elif actual is None:
            note = f"无法由资金数据计算“{ind.measure}”，缺少所需数据"
    if ind.nature is Nature.QUALITATIVE:
        if ind.score is not None:
            return ind.score, None, None, "定性（单位选定）", note
        if ind.tier is Tier.MET:
            return weight, None, None, "定性（达成，默认满分）", note
        if ind.tier is not None:
            low, _ = tier_band(fw, ind.tier, weight)
            return low, None, None, "定性（未给得分，取档次下限）", note
        return ZERO, None, None, "定性（未选档次）", note or "定性指标未选档次也未给得分"
    if actual is None:
        return ZERO, None, None, "定量（缺实际值）", note or "定量指标缺少实际完成值"
    ratio = None
    if ind.target is not None and ind.target != 0:
        ratio = actual / ind.target
    method_name = ind.method or (ind.measure if ind.measure in fw.methods else "")
    if method_name:
        m = fw.methods.get(method_name)
        if m is None:
            return (
                ZERO,
                actual,
                ratio,
                f"未知评分方法 {method_name}",
                f"框架 {fw.name} 未定义评分方法“{method_name}”",
            )
        return _method_score(m, actual, ind.target, weight), actual, ratio, method_name, note
    if ind.target is None:
        return ZERO, actual, None, "定量（缺目标值）", note or "定量指标缺少年度指标值"
    if ind.nature is Nature.AT_MOST:
        return (
            _reverse_score(actual, ind.target, weight, fw.reverse_method),
            actual,
            ratio,
            f"反向（{fw.reverse_method}）",
            note,
        )
    if ind.nature is Nature.EQUAL:
        if actual == ind.target:
            return weight, actual, ratio, "等于", note
        if ind.target == 0:
            return (
                ZERO,
                actual,
                ratio,
                "等于（目标为0，未达）",
                note,
            )  # domain.md §2: target 0, actual ≠ 0 → 0
        return _ratio_score(actual, ind.target, weight), actual, ratio, "等于（未达按正向）", note
    return _ratio_score(actual, ind.target, weight), actual, ratio, "正向", note


def _level2_weight(l2: Level2) -> tuple[Decimal, Decimal]:
    children = sum((i.weight for i in l2.indicators), ZERO)
    return (l2.weight if l2.weight is not None else children), children


def score(ev: Evaluation, fw: Framework) -> Scored:
    with localcontext() as ctx:
        ctx.prec = 34
        return _score(ev, fw)


def _score(ev: Evaluation, fw: Framework) -> Scored:
    # Rates come from the reconciled money block, so the score and every printed report agree.
    money = money_view(ev)
    rate = money.rows["total"].rate
    exec_weight = fw.execution.weight if fw.execution else ZERO
    exec_score = ZERO
    if fw.execution is not None and rate is not None:
        # Over 100%: capped, or (cap: false) penalised as far above as it is over — never a bonus.
        used = min(rate, Decimal(100)) if fw.execution.cap or rate <= 100 else max(ZERO, 200 - rate)
        exec_score = round2(max(ZERO, used) / 100 * exec_weight)

    scores: list[IndicatorScore] = []
    level2: list[GroupScore] = []
    level1: list[GroupScore] = []
    for i, l1 in enumerate(ev.indicators):
        l1_sum = ZERO
        l1_children = ZERO
        for j, l2 in enumerate(l1.groups):
            l2_sum = ZERO
            for k, ind in enumerate(l2.indicators):
                s, actual, ratio, method, note = score_indicator(ind, fw, ev)
                s = round2(min(max(s, ZERO), ind.weight))
                path = f"indicators.{i}.groups.{j}.indicators.{k}"
                scores.append(
                    IndicatorScore(path, l1.name, l2.name, ind, ind.weight, s, actual, ratio, method, note)
                )
                l2_sum += s
            w2, c2 = _level2_weight(l2)
            level2.append(GroupScore(l2.name, f"indicators.{i}.groups.{j}", w2, c2, l2_sum))
            l1_sum += l2_sum
            l1_children += w2
        level1.append(GroupScore(l1.name, f"indicators.{i}", l1.weight, l1_children, l1_sum))

    total = exec_score + sum((g.score for g in level1), ZERO)
    rates = {key: row.rate for key, row in money.rows.items()}
    return Scored(
        evaluation=ev,
        framework=fw,
        execution_rate=rate,
        execution_weight=exec_weight,
        execution_score=exec_score,
        indicators=scores,
        level2=level2,
        level1=level1,
        total=total,
        grade=fw.grade_for(total),
        rates=rates,
        money=money,
    )
