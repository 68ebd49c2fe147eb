"""Checks of the typed evaluation (author path): money that must add up, weights, scores, indicators.

Each check is a pure function ``(ModelContext) -> Iterator[Finding]`` registered with ``@check``.
Money figures are compared as the intervals their written decimals stand for (domain.md §8): a total is
wrong only when its interval misses the interval sum of its parts. Weights and typed scores are
definitions, not measurements, so they are compared exactly (3.33 × 3 is 9.99, never 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.author.context import ModelContext
from jixiao.core.decimals import ZERO, Interval, agrees, fmt, round2, sum_intervals
from jixiao.core.findings import Finding, Severity
from jixiao.core.rules.registry import check, rule
from jixiao.core.yamlio import closest
from jixiao.model.evaluation import Evaluation, Funds, Nature
from jixiao.model.measures import MEASURES, compute
from jixiao.model.money import MoneyRow
from jixiao.model.scoring import IndicatorScore

COLUMNS = (("initial", "年初预算数"), ("annual", "全年预算数"), ("executed", "全年执行数"))
NATURE_LABELS = {
    "basic": "基本支出",
    "personnel": "人员经费",
    "public": "日常公用经费",
    "project": "项目支出",
}

Row = tuple[str, str, Funds | None]  # (model path, 中文名称, the row)


def _ev(ctx: ModelContext) -> Evaluation:
    return ctx.scored.evaluation


def _plain(value: Decimal) -> str:
    """A computed bound without the zeros multiplication adds: 0.6 × 10 → 6, 0.8 × 2.5 → 2."""
    return fmt(value.to_integral_value() if value == value.to_integral_value() else value.normalize())


def _pct(value: Decimal | None) -> str:
    return "" if value is None else fmt(round2(value))


# ---- money ---------------------------------------------------------------------------------------------


def _sum_findings(
    ctx: ModelContext, code: str, total: Row, parts: list[Row], hint: str = ""
) -> Iterator[Finding]:
    """One finding per column where the stated total's interval misses the interval sum of the parts."""
    t_path, t_label, t_funds = total
    if t_funds is None or not parts:
        return
    for col, col_label in COLUMNS:
        stated = getattr(t_funds, col)
        values = [getattr(p, col) if p is not None else None for _, _, p in parts]
        if stated is None or any(v is None for v in values):
            continue  # a column not given for every part cannot be added up
        known = [v for v in values if v is not None]
        if agrees(stated, known):
            continue
        total_iv = Interval.stated(stated)
        sum_iv = sum_intervals([Interval.stated(v) for v in known])
        exact = sum(known, ZERO)
        names = "、".join(label for _, label, _ in parts)
        shown_parts = " + ".join(f"{label} {fmt(v)}" for (_, label, _), v in zip(parts, known, strict=True))
        yield rule(code).finding(
            f"{t_label}{col_label} {fmt(stated)} 与{names}之和 {fmt(exact)} 不符（相差 {fmt(stated - exact)}）{hint}",
            ctx.locate(f"{t_path}.{col}"),
            excerpt=f"{t_label} {fmt(stated)} ≠ {shown_parts} = {fmt(exact)}",
            values={
                "stated": fmt(stated),
                "recomputed": fmt(exact),
                "difference": fmt(stated - exact),
                "stated_interval": str(total_iv),
                "sum_interval": str(sum_iv),
                "parts": "；".join(
                    f"{label}={fmt(v)}" for (_, label, _), v in zip(parts, known, strict=True)
                ),
            },
            related=[(label, ctx.locate(f"{path}.{col}")) for path, label, _ in parts],
        )


@check("B101", target="model")
def sources_add_up(ctx: ModelContext) -> Iterator[Finding]:
    budget = _ev(ctx).budget
    if not budget.by_source:
        return
    parts: list[Row] = [(f"budget.by_source.{s}", s, f) for s, f in budget.by_source.items()]
    yield from _sum_findings(
        ctx, "B101", ("budget.total", "年度资金总额", budget.total), parts, "：是否漏填了某一资金来源？"
    )


@check("B102", target="model")
def natures_add_up(ctx: ModelContext) -> Iterator[Finding]:
    b = _ev(ctx).budget
    if b.basic is not None and b.project is not None:
        yield from _sum_findings(
            ctx,
            "B102",
            ("budget.total", "年度资金总额", b.total),
            [("budget.basic", "基本支出", b.basic), ("budget.project", "项目支出", b.project)],
        )
    if b.basic is not None and b.personnel is not None and b.public is not None:
        yield from _sum_findings(
            ctx,
            "B102",
            ("budget.basic", "基本支出", b.basic),
            [("budget.personnel", "人员经费", b.personnel), ("budget.public", "日常公用经费", b.public)],
        )
    if b.project is not None and b.projects:
        yield from _sum_findings(
            ctx,
            "B102",
            ("budget.project", "项目支出", b.project),
            [(f"budget.projects.{i}", f"项目“{p.name}”", p) for i, p in enumerate(b.projects)],
        )


def _money_rows(ev: Evaluation) -> list[Row]:
    b = ev.budget
    rows: list[Row] = [("budget.total", "年度资金总额", b.total)]
    rows += [(f"budget.by_source.{s}", s, f) for s, f in b.by_source.items()]
    rows += [(f"budget.{k}", label, getattr(b, k)) for k, label in NATURE_LABELS.items()]
    rows += [(f"budget.projects.{i}", f"项目“{p.name}”", p) for i, p in enumerate(b.projects)]
    return rows


def _above(a: Decimal, b: Decimal) -> bool:
    """``a`` is above ``b`` even after allowing for how each was rounded (touching intervals count as above:
    100.01 against 100.00 is a real excess, 279.13 against 279.1 is not)."""
    return a > b and Interval.stated(a).lo >= Interval.stated(b).hi  # type: ignore[operator]


@check("B103", target="model")
def execution_above_budget(ctx: ModelContext) -> Iterator[Finding]:
    ev = _ev(ctx)
    if ev.budget.execution_note.strip():
        return
    for path, label, funds in _money_rows(ev):
        if funds is None or funds.annual is None or funds.executed is None:
            continue
        if _above(funds.executed, funds.annual):
            yield rule("B103").finding(
                f"{label}全年执行数 {fmt(funds.executed)} 超过全年预算数 {fmt(funds.annual)}，"
                "但未填写执行偏差说明（budget.execution_note）",
                ctx.locate(f"{path}.executed"),
                excerpt=f"{label} 全年预算数 {fmt(funds.annual)} / 全年执行数 {fmt(funds.executed)}",
                values={
                    "annual": fmt(funds.annual),
                    "executed": fmt(funds.executed),
                    "excess": fmt(funds.executed - funds.annual),
                },
            )


def _total(ctx: ModelContext) -> MoneyRow | Funds:
    """The 年度资金总额 row as scored and printed (typed, or filled in / reconciled from its parts)."""
    money = ctx.scored.money
    return money.rows["total"] if money is not None else _ev(ctx).budget.total


@check("B104", target="model")
def low_execution_unexplained(ctx: ModelContext) -> Iterator[Finding]:
    ev = _ev(ctx)
    rate = ctx.scored.execution_rate
    limit = ctx.framework.low_execution
    if rate is None or rate >= limit or ev.budget.execution_note.strip():
        return
    t = _total(ctx)
    yield rule("B104").finding(
        f"预算执行率 {_pct(rate)}% 低于 {fmt(limit)}%，但未填写执行偏差说明（budget.execution_note）",
        ctx.locate("budget.total.executed"),
        excerpt=f"全年执行数 {fmt(t.executed)} / 全年预算数 {fmt(t.annual)} = {_pct(rate)}%",
        values={
            "rate": _pct(rate),
            "threshold": fmt(limit),
            "annual": fmt(t.annual),
            "executed": fmt(t.executed),
        },
    )


@check("B105", target="model")
def adjustment_unexplained(ctx: ModelContext) -> Iterator[Finding]:
    ev = _ev(ctx)
    t = _total(ctx)
    if t.initial is None or t.annual is None or ev.budget.adjustment_note.strip():
        return
    if Interval.stated(t.initial).overlaps(Interval.stated(t.annual)):
        return
    yield rule("B105").finding(
        f"全年预算数 {fmt(t.annual)} 与年初预算数 {fmt(t.initial)} 不同（调整 {fmt(t.annual - t.initial)}），"
        "但未填写预算调整说明（budget.adjustment_note）",
        ctx.locate("budget.total.annual"),
        excerpt=f"年度资金总额 年初 {fmt(t.initial)} → 全年 {fmt(t.annual)}",
        values={"initial": fmt(t.initial), "annual": fmt(t.annual), "adjustment": fmt(t.annual - t.initial)},
    )


@check("B106", target="model")
def missing_amount(ctx: ModelContext) -> Iterator[Finding]:
    t = _total(ctx)  # a blank total filled in from 基本支出 + 项目支出 is not missing
    missing = [label for col, label in COLUMNS[1:] if getattr(t, col) is None]
    if missing:
        yield rule("B106").finding(
            f"年度资金总额缺少{'、'.join(missing)}，无法计算预算执行率",
            ctx.locate("budget.total"),
            values={"missing": "、".join(missing)},
        )


@check("B107", target="model")
def negative_amount(ctx: ModelContext) -> Iterator[Finding]:
    ev = _ev(ctx)
    for path, label, funds in _money_rows(ev):
        if funds is None:
            continue
        for col, col_label in COLUMNS:
            value = getattr(funds, col)
            if value is not None and value < 0:
                yield rule("B107").finding(
                    f"{label}{col_label}为负数 {fmt(value)}",
                    ctx.locate(f"{path}.{col}"),
                    values={"stated": fmt(value)},
                )
    for i, line in enumerate(ev.basic_data):
        for col, col_label in (("previous", "上年决算数"), ("budget", "本年预算数"), ("final", "本年决算数")):
            value = getattr(line, col)
            if value is not None and value < 0:
                yield rule("B107").finding(
                    f"基础数据表“{line.name}”{col_label}为负数 {fmt(value)}",
                    ctx.locate(f"basic_data.{i}.{col}"),
                    values={"stated": fmt(value)},
                )


# ---- weights -------------------------------------------------------------------------------------------


@check("S201", target="model")
def children_weights(ctx: ModelContext) -> Iterator[Finding]:
    for i, l1 in enumerate(_ev(ctx).indicators):
        for j, l2 in enumerate(l1.groups):
            children = sum((ind.weight for ind in l2.indicators), ZERO)
            if l2.weight is not None and children != l2.weight:
                parts = " + ".join(fmt(ind.weight) for ind in l2.indicators) or "（无三级指标）"
                yield rule("S201").finding(
                    f"二级指标“{l2.name}”分值 {fmt(l2.weight)}，其三级指标分值之和为 {fmt(children)}",
                    ctx.locate(f"indicators.{i}.groups.{j}.weight"),
                    excerpt=f"{l2.name} {fmt(l2.weight)} ≠ {parts} = {fmt(children)}",
                    values={"stated": fmt(l2.weight), "recomputed": fmt(children), "parts": parts},
                )
        group_weights = [
            (l2.name, l2.weight if l2.weight is not None else sum((x.weight for x in l2.indicators), ZERO))
            for l2 in l1.groups
        ]
        total = sum((w for _, w in group_weights), ZERO)
        if total != l1.weight:
            parts = " + ".join(f"{n} {fmt(w)}" for n, w in group_weights) or "（无二级指标）"
            yield rule("S201").finding(
                f"一级指标“{l1.name}”分值 {fmt(l1.weight)}，其二级指标分值之和为 {fmt(total)}",
                ctx.locate(f"indicators.{i}.weight"),
                excerpt=f"{l1.name} {fmt(l1.weight)} ≠ {parts} = {fmt(total)}",
                values={"stated": fmt(l1.weight), "recomputed": fmt(total), "parts": parts},
            )


def _stem(name: str) -> str:
    return name.strip().removesuffix("指标")


@check("S202", target="model")
def level1_match_framework(ctx: ModelContext) -> Iterator[Finding]:
    fw = ctx.framework
    ev = _ev(ctx)
    expected = {spec.name: spec.weight for spec in fw.level1}
    # "产出" and "产出指标" name the same first-level indicator: tables write both.
    by_stem = {_stem(name): name for name in expected}
    seen: set[str] = set()
    for i, l1 in enumerate(ev.indicators):
        name = by_stem.get(_stem(l1.name), l1.name)
        if name in seen:
            yield rule("S202").finding(
                f"一级指标“{l1.name}”重复出现", ctx.locate(f"indicators.{i}.name"), values={"name": l1.name}
            )
            continue
        seen.add(name)
        want = expected.get(name)
        if want is None:
            best = closest(l1.name, list(expected))
            hint = f"；是否应为“{best}”？" if best else ""
            yield rule("S202").finding(
                f"一级指标“{l1.name}”不在框架 {fw.name} 中（框架的一级指标：{'、'.join(expected)}）{hint}",
                ctx.locate(f"indicators.{i}.name"),
                values={"name": l1.name, "framework": fw.name},
            )
        elif want != l1.weight:
            yield rule("S202").finding(
                f"一级指标“{l1.name}”分值 {fmt(l1.weight)}，框架 {fw.name} 规定为 {fmt(want)}",
                ctx.locate(f"indicators.{i}.weight"),
                values={"stated": fmt(l1.weight), "framework": fmt(want)},
            )
    for name, weight in expected.items():
        if name not in seen:
            yield rule("S202").finding(
                f"缺少框架 {fw.name} 的一级指标“{name}”（分值 {fmt(weight)}）",
                ctx.locate("indicators"),
                values={"name": name, "framework": fmt(weight)},
            )
    exec_weight = fw.execution.weight if fw.execution is not None else ZERO
    total = exec_weight + sum((l1.weight for l1 in ev.indicators), ZERO)
    if total != fw.total_weight:
        parts = [f"{fw.execution.name} {fmt(exec_weight)}"] if fw.execution is not None else []
        parts += [f"{l1.name} {fmt(l1.weight)}" for l1 in ev.indicators]
        yield rule("S202").finding(
            f"一级指标分值之和{'（含预算执行率）' if fw.execution else ''}为 {fmt(total)}，应为 {fmt(fw.total_weight)}",
            ctx.locate("indicators"),
            excerpt=" + ".join(parts) + f" = {fmt(total)}",
            values={"recomputed": fmt(total), "expected": fmt(fw.total_weight), "parts": "；".join(parts)},
        )


# ---- scores --------------------------------------------------------------------------------------------


def _typed_score_bad(item: IndicatorScore) -> bool:
    s = item.indicator.score
    return s is not None and (s < 0 or s > item.weight)


@check("S203", target="model")
def score_exceeds_weight(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        typed = item.indicator.score
        if typed is None or not _typed_score_bad(item):
            continue
        what = "为负数" if typed < 0 else f"超过分值 {fmt(item.weight)}"
        yield rule("S203").finding(
            f"指标“{item.indicator.name}”填写的得分 {fmt(typed)} {what}（计分时按 0 至分值截取为 {fmt(item.score)}）",
            ctx.locate(f"{item.path}.score"),
            values={"stated": fmt(typed), "weight": fmt(item.weight), "used": fmt(item.score)},
        )


def _incomplete(item: IndicatorScore) -> bool:
    """Scored on missing data: another rule (S206/S207/S212…) already says what to fill in."""
    ind = item.indicator
    if ind.nature is Nature.QUALITATIVE:
        return ind.tier is None and ind.score is None
    return bool(item.note)


@check("S204", target="model")
def deduction_without_reason(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        if item.full or _incomplete(item) or item.indicator.deviation_reason.strip():
            continue
        yield rule("S204").finding(
            f"指标“{item.indicator.name}”得分 {fmt(item.score)}，低于分值 {fmt(item.weight)}，但未说明偏差（扣分）原因",
            ctx.locate(f"{item.path}.deviation_reason"),
            values={
                "score": fmt(item.score),
                "weight": fmt(item.weight),
                "deducted": fmt(item.weight - item.score),
            },
        )


@check("S205", target="model")
def deduction_without_improvement(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        if item.full or _incomplete(item) or item.indicator.improvement.strip():
            continue
        yield rule("S205").finding(
            f"指标“{item.indicator.name}”被扣 {fmt(item.weight - item.score)} 分，但未填写改进措施",
            ctx.locate(f"{item.path}.improvement"),
            values={"score": fmt(item.score), "weight": fmt(item.weight)},
        )


@check("S206", target="model")
def qualitative_in_tier(ctx: ModelContext) -> Iterator[Finding]:
    fw = ctx.framework
    top = max(band.high for band in fw.tiers.values())
    for item in ctx.scored.indicators:
        ind = item.indicator
        if ind.nature is not Nature.QUALITATIVE:
            continue
        if ind.tier is None:
            yield rule("S206").finding(
                f"定性指标“{ind.name}”未选档次（达成 / 部分达成 / 未达成）"
                + ("，得分无从核对" if ind.score is not None else "，按 0 分计"),
                ctx.locate(f"{item.path}.tier"),
                values={"score": fmt(ind.score)},
            )
            continue
        if ind.score is None or _typed_score_bad(item):
            continue
        band = fw.tiers[ind.tier]
        low, high = band.low * ind.weight, band.high * ind.weight
        closed = band.high == top  # only the top band includes its upper end: 80% belongs to 达成
        inside = low <= ind.score and (ind.score <= high if closed else ind.score < high)
        if inside:
            continue
        shown = f"[{_plain(low)}, {_plain(high)}{']' if closed else ')'}"
        yield rule("S206").finding(
            f"定性指标“{ind.name}”档次为“{ind.tier.value}”，得分应在 {shown} 内，填写的是 {fmt(ind.score)}",
            ctx.locate(f"{item.path}.score"),
            values={
                "stated": fmt(ind.score),
                "tier": ind.tier.value,
                "band": shown,
                "weight": fmt(ind.weight),
            },
        )


@check("S207", target="model")
def quantitative_complete(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        ind = item.indicator
        if not ind.quantitative:
            continue
        missing = []
        if ind.target is None:
            missing.append(("target", "年度指标值"))
        if not ind.unit.strip():
            missing.append(("unit", "计量单位"))
        if ind.actual is None and not ind.measure:
            missing.append(("actual", "实际完成值"))
        if not missing:
            continue
        yield rule("S207").finding(
            f"定量指标“{ind.name}”（{ind.nature.value}）缺少{'、'.join(label for _, label in missing)}",
            ctx.locate(f"{item.path}.{missing[0][0]}"),
            values={"missing": "、".join(label for _, label in missing)},
        )


@check("S208", target="model")
def far_exceeds_target(ctx: ModelContext) -> Iterator[Finding]:
    ratio_limit = ctx.framework.far_exceed_ratio
    for item in ctx.scored.indicators:
        ind = item.indicator
        if ind.nature is not Nature.AT_LEAST or item.ratio is None or ind.target is None or ind.target <= 0:
            continue
        # Only an explanation silences it: 佐证材料 (evidence) shows the figure, not why the target was low.
        if item.ratio < ratio_limit or ind.deviation_reason.strip():
            continue
        yield rule("S208").finding(
            f"指标“{ind.name}”实际完成值 {fmt(item.actual)} 为年度指标值 {fmt(ind.target)} 的 "
            f"{_pct(item.ratio * 100)}%（达到 {_pct(ratio_limit * 100)}% 及以上），未说明原因：指标值是否偏低？",
            ctx.locate(f"{item.path}.actual"),
            values={
                "target": fmt(ind.target),
                "actual": fmt(item.actual),
                "ratio": _pct(item.ratio * 100),
                "threshold": _pct(ratio_limit * 100),
            },
        )


@check("S209", target="model")
def typed_score_differs(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        ind = item.indicator
        if not ind.quantitative or ind.score is None:
            continue
        # A typed 8.6 agrees with a computed 8.57: the typed figure stands for [8.55, 8.65].
        if Interval.stated(ind.score).contains(item.score):
            continue
        yield rule("S209").finding(
            f"定量指标“{ind.name}”填写的得分 {fmt(ind.score)} 与按规则（{item.method}）计算的 {fmt(item.score)} 不同；"
            "报告使用计算值",
            ctx.locate(f"{item.path}.score"),
            values={"stated": fmt(ind.score), "recomputed": fmt(item.score), "method": item.method},
        )


_COMPARISON = re.compile(r"[≥≤<>＜＞=＝]")
_STARTS_WITH_NUMBER = re.compile(r"\s*[-+]?\d")


@check("S211", target="model")
def unit_as_nature(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        ind = item.indicator
        if ind.unit and (_COMPARISON.search(ind.unit) or _STARTS_WITH_NUMBER.match(ind.unit)):
            yield rule("S211").finding(
                f"指标“{ind.name}”的计量单位“{ind.unit}”里混入了性质或数值：性质、指标值、单位应分列填写",
                ctx.locate(f"{item.path}.unit"),
                values={"unit": ind.unit},
            )
        if not ind.quantitative or ind.measure:
            continue
        for field, text, value, label in (
            ("actual", ind.actual_text, ind.actual, "实际完成值"),
            ("target", ind.target_text, ind.target, "年度指标值"),
        ):
            if value is None and text.strip():
                yield rule("S211").finding(
                    f"定量指标“{ind.name}”的{label}写成了文字“{text}”，应填写可计算的数值",
                    ctx.locate(f"{item.path}.{field}_text"),
                    values={field: text},
                )


@check("S212", target="model")
def measure_not_computable(ctx: ModelContext) -> Iterator[Finding]:
    ev = _ev(ctx)
    for item in ctx.scored.indicators:
        ind = item.indicator
        if not ind.measure or ind.measure not in MEASURES or compute(ind.measure, ev) is not None:
            continue
        formula = MEASURES[ind.measure][1]
        typed = ind.actual is not None
        yield rule("S212").finding(
            f"指标“{ind.name}”的口径“{ind.measure}”（{formula}）缺少所需数据或除数为 0，无法计算"
            + ("；暂用填写的实际完成值" if typed else "；该指标按 0 分计"),
            ctx.locate(f"{item.path}.measure"),
            values={"measure": ind.measure, "formula": formula, "actual": fmt(ind.actual)},
            severity=Severity.WARNING if typed else None,
        )


@check("S213", target="model")
def unknown_measure(ctx: ModelContext) -> Iterator[Finding]:
    for item in ctx.scored.indicators:
        ind = item.indicator
        if not ind.measure or ind.measure in MEASURES:
            continue
        best = closest(ind.measure, list(MEASURES))
        yield rule("S213").finding(
            f"指标“{ind.name}”的计算口径“{ind.measure}”未定义"
            + (f"；是否应为“{best}”？" if best else f"；可用的口径：{'、'.join(MEASURES)}"),
            ctx.locate(f"{item.path}.measure"),
            values={"measure": ind.measure},
        )


@check("S214", target="model")
def unknown_method(ctx: ModelContext) -> Iterator[Finding]:
    fw = ctx.framework
    for item in ctx.scored.indicators:
        ind = item.indicator
        if not ind.method or ind.method in fw.methods:
            continue
        known = "、".join(fw.methods) or "（无，按指标性质计分）"
        yield rule("S214").finding(
            f"指标“{ind.name}”的评分方法“{ind.method}”不在框架 {fw.name} 中（框架的方法：{known}），该指标按 0 分计",
            ctx.locate(f"{item.path}.method"),
            values={"method": ind.method, "framework": fw.name},
        )
