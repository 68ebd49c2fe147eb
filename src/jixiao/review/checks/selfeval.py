"""自评表 checks on the rows the 自评表 reader finds (claims/selfeval.py): an indicator's score against its
target and actual (S261–S263), the execution score against the money block's own amounts (S264), and
the narrative against the table (S265). Thresholds that vary by province are the framework's data
(``far_exceed_ratio``, ``reverse_method``, ``low_execution``), never code.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.decimals import HUNDRED, Interval, fmt
from jixiao.core.findings import Finding, Severity
from jixiao.core.patterns import lazy_compile
from jixiao.core.rules.registry import check, rule
from jixiao.review.checks.common import (
    _figures_interval,
    _of,
    _pct,
    _related,
    _row_key,
    _show,
    execution_score_interval,
)
from jixiao.review.claims.glued import EchoRow
from jixiao.review.claims.model import Figure, SumClaim, is_table_like
from jixiao.review.claims.selfeval import (
    ArrivalScore,
    IndicatorRow,
    MoneyBlock,
    QualitativeRow,
    UnweightedRow,
    target_met,
)
from jixiao.review.context import ReviewContext
from jixiao.review.document import Block

__all__: list[str] = []

_OP_WORD = {"≥": "不低于", ">": "高于", "≤": "不高于", "<": "低于", "=": "等于"}


def _unit(f: Figure) -> str:
    return f.quantity.unit if f.quantity.unit not in ("", "分") else ""


def _expected(row: IndicatorRow, reverse_method: str) -> tuple[Decimal, Interval] | None:
    """The score the official formula gives a missed target (point value, interval), or None for "=".

    ≥/>: actual ÷ target × 分值. ≤/<: target ÷ actual × 分值 ("ratio"), or (1 − (actual − target) ÷ target)
    × 分值 down to 0 at twice the target ("linear-2x")."""
    assert row.weight is not None
    w = row.weight.value
    t = row.target.value
    a = row.actual.value
    ai = row.actual.quantity.interval
    if t <= 0 or ai.lo is None or ai.hi is None:
        return None
    if row.op in ("≥", ">") or (row.op == "=" and a < t):
        # An "=" target missed from below is scored as a positive one (the frameworks' 等于（未达按正向）,
        # model/scoring.py): the report jixiao itself writes must not be called wrong here.
        return a / t * w, Interval(ai.lo / t * w, ai.hi / t * w)
    if row.op in ("≤", "<"):
        if a <= 0 or ai.lo <= 0:
            return None
        if reverse_method == "linear-2x":

            def f(x: Decimal) -> Decimal:
                return max(Decimal(0), (1 - (x - t) / t) * w)

            return f(a), Interval(f(ai.hi), f(ai.lo))
        return t / a * w, Interval(t / ai.hi * w, t / ai.lo * w)
    return None


def _short(value: Decimal) -> str:
    """A percentage for a message: two decimals at most, trailing zeros dropped ("250", "133.33")."""
    text = _pct(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _full_marks(row: IndicatorRow) -> bool:
    return row.weight is not None and row.score.value >= row.weight.value


@check("S261", target="document")
def score_despite_missed_target(ctx: ReviewContext) -> Iterable[Finding]:
    """Full marks although the target is missed (A2–A4)."""
    method = ctx.framework.reverse_method
    for row in _of(ctx, IndicatorRow):
        if row.weight is None or not _full_marks(row) or target_met(row) is not False:
            continue
        unit = _unit(row.target)
        target = f"{row.op}{row.target.printed}{unit}"
        actual = f"{row.actual.printed}{unit}"
        found = _expected(row, "linear-2x" if method == "linear-2x" else "ratio")
        values = {
            "stated": row.score.printed,
            "weight": row.weight.printed,
            "target": target,
            "actual": actual,
        }
        if found is None:
            if row.op != "=" or row.target.value > 0:
                continue  # an "=" target exceeded earns full marks under the framework's positive scoring
            message = f"“{row.name}”年度指标值为{target}，实际完成{actual}，未达到指标值，却得满分{row.score.printed}分"
        else:
            value, interval = found
            if row.score.quantity.interval.overlaps(interval):
                continue  # the score is the formula's, rounded as written
            values["recomputed"] = _pct(value)
            values["recomputed_interval"] = _show(interval)
            formula = "实际完成值 ÷ 指标值 × 分值" if row.op in ("≥", ">") else "按反向指标计分"
            message = (
                f"“{row.name}”年度指标值{target}，实际完成{actual}，未达到指标值，得分应约为{_pct(value)}分"
                f"（{formula}），报告写满分{row.score.printed}分"
            )
        yield rule("S261").finding(
            message,
            row.score.location,
            excerpt=row.score.excerpt,
            values=values,
            related=_related([row.target, row.actual, row.weight]),
        )


@check("S262", target="document")
def deducted_although_met(ctx: ReviewContext) -> Iterable[Finding]:
    """Points deducted although the target is met, and the row gives no reason."""
    for row in _of(ctx, IndicatorRow):
        if row.weight is None or row.reason or target_met(row) is not True:
            continue
        hi = row.score.quantity.interval.hi
        if hi is None or hi >= row.weight.value:
            continue
        unit = _unit(row.target)
        lost = row.weight.value - row.score.value
        yield rule("S262").finding(
            f"“{row.name}”实际完成{row.actual.printed}{unit}，已达到年度指标值{row.op}{row.target.printed}{unit}，"
            f"却扣{fmt(lost)}分（分值{row.weight.printed}分，得{row.score.printed}分），未见扣分原因",
            row.score.location,
            excerpt=row.score.excerpt,
            values={
                "stated": row.score.printed,
                "recomputed": row.weight.printed,
                "target": f"{row.op}{row.target.printed}{unit}",
                "actual": f"{row.actual.printed}{unit}",
            },
            related=_related([row.target, row.actual, row.weight]),
        )
    for echo in _of(ctx, EchoRow):
        # A row read from glued text whose actual is written exactly as its target (claims/glued.py).
        if echo.reason or echo.score.value >= echo.weight.value:
            continue
        lost = echo.weight.value - echo.score.value
        yield rule("S262").finding(
            f"“{echo.name}”实际完成值与年度指标值写法相同（“{echo.written}”），已达到指标值，"
            f"却扣{fmt(lost)}分（分值{echo.weight.printed}分，得{echo.score.printed}分），未见扣分原因",
            echo.score.location,
            excerpt=echo.score.excerpt,
            values={
                "stated": echo.score.printed,
                "recomputed": echo.weight.printed,
                "target": echo.written,
                "actual": echo.written,
            },
            related=_related([echo.weight]),
            severity=Severity.WARNING,
        )


@check("S263", target="document")
def far_above_target(ctx: ReviewContext) -> Iterable[Finding]:
    """Over-achievement at or beyond the framework's ratio with an empty 偏差原因 cell (A7/C2)."""
    ratio = ctx.framework.far_exceed_ratio
    for row in _of(ctx, IndicatorRow):
        if row.op not in ("≥", ">") or row.reason != "" or row.target.value <= 0:
            continue
        lo = row.actual.quantity.interval.lo
        if lo is None or lo < row.target.value * ratio:
            continue
        if row.target.quantity.unit == "%" and row.actual.value <= HUNDRED:
            continue  # a percentage met up to 100%: nothing to explain
        unit = _unit(row.target)
        share = row.actual.value / row.target.value * HUNDRED
        yield rule("S263").finding(
            f"“{row.name}”实际完成{row.actual.printed}{unit}，为年度指标值{row.op}{row.target.printed}{unit}的"
            f"{_short(share)}%，超过{_short(ratio * HUNDRED)}%，偏差原因栏未作说明（目标是否偏低）",
            row.actual.location,
            excerpt=row.actual.excerpt,
            values={"stated": row.actual.printed, "target": row.target.printed, "share": _pct(share)},
            related=_related([row.target]),
        )


@check("S264", target="document")
def execution_score_vs_amounts(ctx: ReviewContext) -> Iterable[Finding]:
    """The 年度资金总额 row's 得分 against its own amounts: 全年执行数 ÷ 全年预算数 × 分值, capped (D1)."""
    execution = ctx.framework.execution
    if execution is None:
        return
    for block in _of(ctx, MoneyBlock):
        total = block.total
        if total is None:
            continue
        v = total.values
        weight, score, done, budget = v.get("weight"), v.get("score"), v.get("执行数"), v.get("全年预算")
        if weight is None or score is None or done is None or budget is None or budget.value <= 0:
            continue
        if _contradicted(ctx, done) or _contradicted(ctx, budget):
            continue  # the amount itself is in doubt (B151 reports it): the score is not the first error
        expected = execution_score_interval(
            weight.interval, (done.interval / budget.interval).scale(HUNDRED), execution.cap
        )
        if expected is None:
            continue
        stated = score.quantity.interval
        if stated.overlaps(expected):
            continue
        stated_rate = v.get("rate")
        if stated_rate is not None and stated_rate.quantity.unit == "%":
            # A score that follows from a wrong stated rate is S260's and B155's to report, not again here.
            from_rate = weight.value * min(stated_rate.value, HUNDRED) / HUNDRED
            if not stated.contains(from_rate):
                continue
        rate = done.wan / budget.wan * HUNDRED
        counted = min(rate, HUNDRED) if execution.cap else rate
        value = weight.value * counted / HUNDRED
        note = ""
        initial = v.get("年初预算")
        if initial is not None and initial.value > 0 and initial.value != budget.value:
            by_initial = weight.value * min(done.wan / initial.wan * HUNDRED, HUNDRED) / HUNDRED
            if stated.contains(by_initial):
                note = "；所写得分是按年初预算数算出的，执行率应以调整后的全年预算数为分母"
        yield rule("S264").finding(
            f"预算执行率得分应为{_pct(value)}分（分值{weight.printed} × 执行率{_pct(rate)}%，"
            f"执行率 = 全年执行数{done.printed} ÷ 全年预算数{budget.printed}），报告写{score.printed}分{note}",
            score.location,
            excerpt=score.excerpt,
            values={
                "stated": score.printed,
                "recomputed": _pct(value),
                "parts": f"{weight.printed} × {done.printed} / {budget.printed}",
                "recomputed_interval": _show(expected),
            },
            related=_related([weight, done, budget]),
        )


def _contradicted(ctx: ReviewContext, amount: Figure) -> bool:
    """Whether ``amount`` is a total its own listed parts do not add up to."""
    key = _row_key(amount)
    for claim in _of(ctx, SumClaim):
        if claim.exhaustive and (claim.total is amount or _row_key(claim.total) == key):
            return not claim.total.interval.overlaps(_figures_interval(claim.parts))
    return False


# A conclusion about every target ("各项绩效目标全面完成", "年度目标均已实现"), not a qualitative row's value
# ("年度重点任务：全面完成"): a quantifier over the targets, or 均/全部 before the verb.
_OVERCLAIM = lazy_compile(
    r"(?:各项|所有|全部)[^。；;，,\t|]{0,12}(?:目标|任务|指标)[^。；;，,\t|]{0,6}(?:全面|圆满|均已?|全部|都已?)(?:完成|达到|达成|实现)"
    r"|(?:目标|任务|指标)[^。；;，,\t|]{0,6}(?:均已?|全部|都已?)(?:完成|达到|达成|实现)"
)


def _may_overclaim(text: str) -> bool:
    """Does ``text`` hold the words every ``_OVERCLAIM`` match holds: a target word, a word for all
    (全面 圆满 均 全部 都) and a verb? Testing them is far cheaper than the pattern, which is tried at
    every character of every block (most of the time of this check)."""
    return (
        ("目标" in text or "任务" in text or "指标" in text)
        and ("全面" in text or "圆满" in text or "均" in text or "全部" in text or "都" in text)
        and ("完成" in text or "达到" in text or "达成" in text or "实现" in text)
    )


@check("S265", target="document")
def overclaim(ctx: ReviewContext) -> Iterable[Finding]:
    """The text says every target was met (全面完成/圆满完成…) while a row misses its target (E2)."""
    missed = [row for row in _of(ctx, IndicatorRow) if target_met(row) is False]
    if not missed:
        return
    for block in ctx.document.blocks:
        if not _may_overclaim(block.text) or is_table_like(block):
            continue
        m = _OVERCLAIM.search(block.text)
        if m is None:
            continue
        row = missed[0]
        unit = _unit(row.target)
        yield rule("S265").finding(
            f"文中称“{m.group()}”，但自评表中“{row.name}”实际完成{row.actual.printed}{unit}，"
            f"未达到年度指标值{row.op}{row.target.printed}{unit}"
            + (f"（另有{len(missed) - 1}项未达到）" if len(missed) > 1 else ""),
            block.location_at(m.start()),
            excerpt=block.text[max(0, m.start() - 30) : m.end() + 30],
            values={"stated": m.group(), "missed": str(len(missed))},
            related=_related([row.actual]),
            severity=Severity.WARNING,
        )
        return


# Column and section headings that name a reason without giving one ("偏差原因分析及改进措施").
_REASON_HEADINGS = lazy_compile(
    r"(?:偏差|未完成|偏差大或目标未完成)?原因(?:分析)?(?:及|和)?(?:改进措施)?(?:及结果应用方案)?"
    r"|存在(?:的)?问题(?:和|及)改进措施"
)
_REASON_WORDS = lazy_compile(
    r"由于|因为|主要原因|原因(?:是|为|在于|主要)|主要是|受[^，。]{0,12}影响|尚未|未能|未及时|滞后|延迟|推迟|结余|未支付|未拨付"
)
_ADJUSTMENT_WORDS = lazy_compile(r"追加|调减|调增|调剂|收回|调整|新增|上级下达|补助下达")


def _text_without_headings(ctx: ReviewContext) -> str:
    return ctx.derive(
        "selfeval.plain-text",
        ctx.document.blocks,
        # The prose only: a table's own cells ("调整后预算数", "偏差原因分析") explain nothing.
        lambda blocks: _REASON_HEADINGS.sub("", "\n".join(_prose_lines(blocks))),
    )


def _prose_lines(blocks: Iterable[Block]) -> Iterable[str]:
    for block in blocks:
        if block.table is None:
            yield from (line for line in (block.raw or block.text).split("\n") if "\t" not in line)


def _total_rate(block: MoneyBlock) -> tuple[Decimal, Figure] | None:
    """The 年度资金总额 row's execution rate (from its amounts, else as written) and the figure to point at."""
    assert block.total is not None
    v = block.total.values
    done, budget = v.get("执行数"), v.get("全年预算")
    if done is not None and budget is not None and budget.value > 0:
        return done.wan / budget.wan * HUNDRED, v.get("rate") or done
    rate = v.get("rate")
    if rate is not None and rate.quantity.unit == "%":
        return rate.value, rate
    return None


@check("B161", target="document")
def low_execution_unexplained(ctx: ReviewContext) -> Iterable[Finding]:
    """Execution below the framework's ``low_execution`` with no reason anywhere in the text (D2)."""
    threshold = ctx.framework.low_execution
    for block in _of(ctx, MoneyBlock):
        if block.total is None:
            continue
        found = _total_rate(block)
        if found is None or found[0] >= threshold or found[0] <= 0:
            continue
        if _REASON_WORDS.search(_text_without_headings(ctx)) is not None:
            return  # some reason is given somewhere: a reviewer reads it
        rate, at = found
        yield rule("B161").finding(
            f"预算执行率{_short(rate)}%，低于{fmt(threshold)}%，报告未说明执行率偏低的原因",
            at.location,
            excerpt=at.excerpt,
            values={"stated": at.printed, "rate": _pct(rate), "threshold": fmt(threshold)},
        )
        return


@check("B162", target="document")
def adjustment_unexplained(ctx: ReviewContext) -> Iterable[Finding]:
    """年初预算数 and 全年预算数 of the total row differ and the text never names an adjustment (D3)."""
    for block in _of(ctx, MoneyBlock):
        if block.total is None:
            continue
        initial, budget = block.total.values.get("年初预算"), block.total.values.get("全年预算")
        if initial is None or budget is None or initial.interval.overlaps(budget.interval):
            continue
        if _ADJUSTMENT_WORDS.search(_text_without_headings(ctx)) is not None:
            return
        change = budget.wan - initial.wan
        yield rule("B162").finding(
            f"年初预算数{initial.printed}与全年预算数{budget.printed}不同（{'追加' if change > 0 else '调减'}"
            f"{fmt(abs(change))}），报告未说明预算调整的原因",
            budget.location,
            excerpt=budget.excerpt,
            values={"stated": budget.printed, "initial": initial.printed},
            related=_related([initial]),
        )
        return


# Weights a 自评表 gives an indicator: whole numbers. A score that is actual ÷ target times one of them,
# with the actual above the target, was scored without the cap.
_WEIGHT_STEP = Decimal(1)


@check("S266", target="document")
def uncapped_over_target(ctx: ReviewContext) -> Iterable[Finding]:
    """A form without a 分值 column: an over-achieved row scored actual ÷ target × a whole weight, uncapped."""
    for row in _of(ctx, UnweightedRow):
        t, a, sc = row.target.value, row.actual.value, row.score.value
        if a <= t or t <= 0:
            continue
        weight = (sc * t / a).quantize(_WEIGHT_STEP)
        if weight <= 0 or weight >= sc or weight > 40:
            continue
        # The score is that weight × actual ÷ target as written (the score's rounding): the formula, uncapped.
        implied = (row.actual.quantity.interval / row.target.quantity.interval).scale(weight)
        if not row.score.quantity.interval.overlaps(implied):
            continue
        yield rule("S266").finding(
            f"“{row.name}”实际完成{row.actual.printed}超过目标值{row.target.printed}，得分{row.score.printed}"
            f"按“实际值 ÷ 目标值 × {fmt(weight)}”计算而未封顶，超过该指标分值{fmt(weight)}分",
            row.score.location,
            excerpt=row.score.excerpt,
            values={"stated": row.score.printed, "recomputed": fmt(weight), "weight": fmt(weight)},
            related=_related([row.target, row.actual]),
        )


_TIER_OF_BAND = {"达成": 0, "部分达成": 1, "未达成": 2}


@check("S267", target="document")
def qualitative_band_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    """A qualitative row's score outside the framework's band for the result it states (A5)."""
    tiers = list(ctx.framework.tiers.items())  # in the framework's order: met, partly, not met
    for row in _of(ctx, QualitativeRow):
        if row.weight.value <= 0:
            continue
        tier, band = tiers[_TIER_OF_BAND[row.band]]
        share = row.score.quantity.interval.scale(1 / row.weight.value)
        if share.lo is None or share.hi is None:
            continue
        # In the band when the score, as written, can lie in it (the upper bound of a lower band is open).
        if share.hi >= band.low and share.lo <= band.high:
            continue
        low, high = band.low * row.weight.value, band.high * row.weight.value
        yield rule("S267").finding(
            f"“{row.name}”自评为“{row.result}”，按评价框架（{tier.value}）得分应在{fmt(low.normalize())}至"
            f"{fmt(high.normalize())}分之间（分值{row.weight.printed}分），报告写{row.score.printed}分",
            row.score.location,
            excerpt=row.score.excerpt,
            values={"stated": row.score.printed, "band": row.band, "low": fmt(low), "high": fmt(high)},
            related=_related([row.weight]),
        )


@check("S270", target="document")
def arrival_score_vs_amounts(ctx: ReviewContext) -> Iterable[Finding]:
    """The 到位率 indicator's score against the table's 实际到位资金 ÷ 计划投资额 × 分值 (capped at 分值)."""
    for c in _of(ctx, ArrivalScore):
        # The execution score's formula (S260/S264), with the arrival rate in the rate's place.
        rate = (c.arrived.interval / c.planned.interval).scale(HUNDRED)
        expected = execution_score_interval(c.weight.interval, rate, cap=True)
        if expected is None or c.score.quantity.interval.overlaps(expected):
            continue
        share = c.arrived.value / c.planned.value
        value = min(share, Decimal(1)) * c.weight.value
        yield rule("S270").finding(
            f"到位率得分应约为{_pct(value)}分（实际到位资金{c.arrived.printed} ÷ 计划投资额{c.planned.printed}"
            f" = {_pct(share * HUNDRED)}%，× 分值{c.weight.printed}），报告写{c.score.printed}分",
            c.score.location,
            excerpt=c.score.excerpt,
            values={
                "stated": c.score.printed,
                "recomputed": _pct(value),
                "parts": f"{c.arrived.printed} ÷ {c.planned.printed} × {c.weight.printed}",
            },
            related=_related([c.arrived, c.planned, c.weight]),
        )
