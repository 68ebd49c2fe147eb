"""Money checks on a report's claims (B15x): totals and their parts, shares, rates.

Every comparison is interval arithmetic on figures as written: a stated figure is wrong only when its
interval cannot meet the interval recomputed from the figures it depends on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, getcontext

from jixiao.core.decimals import HUNDRED, Interval, fmt
from jixiao.core.findings import Finding, Severity
from jixiao.core.rules.registry import check, rule
from jixiao.review.checks.common import (
    _EXACT_HUNDRED,
    _figures_interval,
    _of,
    _pct,
    _point_sum,
    _related,
    _severity,
    _show,
    _sum_key,
    _unit,
    _value,
)
from jixiao.review.claims.model import (
    Figure,
    RateClaim,
    ShareClaim,
    ShareSet,
    StatedRatio,
    SumClaim,
)
from jixiao.review.context import ReviewContext

__all__: list[str] = []  # checks register themselves; nothing here is imported by name


# --- B151/B152: totals and their parts -----------------------------------------------------------


@check("B151", target="document")
def sum_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    claims = [c for c in _of(ctx, SumClaim) if c.exhaustive]
    for i, claim in enumerate(claims):
        interval = _figures_interval(claim.parts)
        if claim.total.interval.overlaps(interval):
            continue
        # One finding per place of total and parts: a claim read twice (prose and table) is reported once,
        # for its first reading. Places are worked out lazily, so only for a claim that is wrong.
        key = _sum_key(claim)
        if any(_sum_key(earlier) == key for earlier in claims[:i]):
            continue
        figures = [claim.total, *claim.parts]
        unit = _unit(figures)
        if len(claim.parts) == 1 and _digit_dropped(claim.parts[0], claim.total):
            yield _sole_part_short(claim, unit)
            continue
        recomputed, parts = _point_sum(claim.parts, unit)
        label = claim.label or "总数"
        names = "、".join(p.label for p in claim.parts if p.label)
        message = (
            f"{label}{fmt(_value(claim.total, unit))}{unit}不等于"
            f"{names + '之和' if names and claim.how != '合计' else '各分项之和'}"
            f"{fmt(recomputed)}{unit}（{parts}）"
        )
        yield rule("B151").finding(
            message,
            claim.total.location,
            excerpt=claim.total.excerpt,
            values={
                "stated": fmt(_value(claim.total, unit)),
                "recomputed": fmt(recomputed),
                "parts": parts,
                "unit": unit,
                "stated_interval": _show(claim.total.interval),
                "recomputed_interval": _show(interval),
                "how": claim.how,
            },
            related=_related(claim.parts),
            # A 合计 list against its sub-funds' lists is read from their order: it can only warn.
            severity=Severity.WARNING if claim.how == "分表合计" else _severity(figures),
        )


def _digit_dropped(short: Figure, full: Figure) -> bool:
    """Is ``short`` written as ``full`` with its last digit(s) left off ("1157.9" for "1157.97")?"""
    a, b = short.quantity.text, full.quantity.text
    return short.quantity.unit == full.quantity.unit and len(a) < len(b) and b.startswith(a) and "." in a


def _sole_part_short(claim: SumClaim, unit: str) -> Finding:
    """A total with one listed part must equal it; when the part reads as the total with a digit left
    off, the part is the likelier slip, and the finding stands there (the total is related)."""
    part, total = claim.parts[0], claim.total
    label = claim.label or "总数"
    return rule("B151").finding(
        f"{part.label or '唯一列出的分项'}{fmt(_value(part, unit))}{unit}应与{label}{fmt(_value(total, unit))}{unit}"
        f"相等（只列出这一项），所写数字像是漏写了末位",
        part.location,
        excerpt=part.excerpt,
        values={
            "stated": fmt(_value(part, unit)),
            "recomputed": fmt(_value(total, unit)),
            "parts": fmt(_value(part, unit)),
            "unit": unit,
            "stated_interval": _show(part.interval),
            "recomputed_interval": _show(total.interval),
            "how": claim.how,
        },
        related=_related([total]),
        severity=_severity([part, total]),
    )


@check("B152", target="document")
def listed_parts_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for claim in _of(ctx, SumClaim):
        if claim.exhaustive:
            continue
        interval = _figures_interval(claim.parts)
        if claim.total.interval.overlaps(interval):
            continue
        figures = [claim.total, *claim.parts]
        unit = _unit(figures)
        recomputed, parts = _point_sum(claim.parts, unit)
        over = (
            interval.lo is not None
            and claim.total.interval.hi is not None
            and interval.lo > claim.total.interval.hi
        )
        stated = fmt(_value(claim.total, unit))
        # Error only for an explicit relation: a total named as one (合计/共计/总额…) with a closed list
        # in its sentence. A list under a plain amount may be read wrongly: a warning at most.
        explicit = claim.how != "其中"
        if over:
            message = f"“其中”所列各项之和{fmt(recomputed)}{unit}（{parts}）超过总数{stated}{unit}"
            severity = _severity(figures) if explicit else Severity.WARNING
        else:
            # A 其中 list often names only some parts: a shortfall is worth a word only when the total
            # is named as one, or the gap is small enough to be a slip rather than a part left out.
            if not explicit and not _small_gap(claim.total.interval, interval):
                continue
            message = f"“其中”所列各项之和{fmt(recomputed)}{unit}（{parts}）小于总数{stated}{unit}；如已列全，则数字有误"
            severity = Severity.WARNING
        yield rule("B152").finding(
            message,
            claim.total.location,
            excerpt=claim.total.excerpt,
            values={
                "stated": stated,
                "recomputed": fmt(recomputed),
                "parts": parts,
                "unit": unit,
                "stated_interval": _show(claim.total.interval),
                "recomputed_interval": _show(interval),
            },
            related=_related(claim.parts),
            severity=severity,
        )


_SLIP = Decimal("0.01")  # a shortfall under 1% of the total reads as a slip, not a part left out


def _small_gap(total: Interval, parts: Interval) -> bool:
    if total.lo is None or parts.hi is None or total.lo <= 0:
        return False
    return (total.lo - parts.hi) <= total.lo * _SLIP


# --- B153/B154: shares -------------------------------------------------------------------------


def _quotient_interval(part: Figure, whole: Figure) -> Interval:
    return (part.interval / whole.interval).scale(HUNDRED)


# Products of a few digits each, never rounded (MAX_PREC: exact, as the decimal docs say).
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
# Whether a value rounds to itself at 28 digits (the default precision; 34 for the quotient is more).
_PREC_28 = Context(prec=28)


def _bounds_representable(stated: Interval) -> bool:
    """Whether each bound of ``stated`` keeps its value when rounded to either precision
    ``_quotient_interval`` rounds to (34 for the quotient, the context's for the × 100): the condition
    under which ``_meets_exactly`` is exact. A value that survives rounding to 28 digits survives
    rounding to any precision of at least 28 (and its hundredth survives 34 digits)."""
    if getcontext().prec < 28:
        return False
    lo, hi = stated.lo, stated.hi
    return (lo is None or _PREC_28.plus(lo) == lo) and (hi is None or _PREC_28.plus(hi) == hi)


def _meets_exactly(part: Interval, whole: Interval, stated: Interval) -> bool:
    """Whether the exact range of part ÷ whole × 100 meets ``stated`` (non-negative parts, positive wholes,
    finite bounds; False otherwise), by cross-multiplying: no division, nothing rounded.

    Yes here means yes for ``_quotient_interval(part, whole).overlaps(stated)`` too, when
    ``_bounds_representable(stated)``: that interval is the exact one with each bound rounded (the
    quotient to 34 digits, then × 100 to the context's precision), rounding is monotone, and a rounded
    bound cannot pass a stated bound that rounding leaves unchanged (x ≥ s ⇒ round(x) ≥ round(s) = s).
    No here decides nothing: the slow test is asked then."""
    p_lo, p_hi, w_lo, w_hi = part.lo, part.hi, whole.lo, whole.hi
    if p_lo is None or p_hi is None or w_lo is None or w_hi is None:
        return False
    if not (p_lo.is_finite() and p_hi.is_finite() and w_lo.is_finite() and w_hi.is_finite()):
        return False
    if not (0 <= p_lo <= p_hi and 0 < w_lo <= w_hi):
        return False
    # The exact quotients range over [p_lo / w_hi, p_hi / w_lo] (all positive); × w (> 0) keeps order.
    mul = _EXACT.multiply
    if stated.lo is not None and mul(p_hi, HUNDRED) < mul(stated.lo, w_lo):
        return False
    return stated.hi is None or mul(p_lo, HUNDRED) <= mul(stated.hi, w_hi)


def _percent_mismatch(
    part: Figure, wholes: Sequence[Figure], stated: Figure
) -> tuple[Figure, Decimal, Interval] | None:
    """(whole, recomputed %, its interval) when ``stated`` % fits part ÷ none of ``wholes``; else None.
    The point value is needed for a message only: most percentages agree and are done with first."""
    expect = stated.interval
    if _bounds_representable(expect):
        exact = part.interval
        for w in wholes:
            if _meets_exactly(exact, w.interval, expect):
                return None  # this whole fits exactly, so it fits as rounded (see _meets_exactly)
    if any(_quotient_interval(part, w).overlaps(expect) for w in wholes):
        return None
    whole = wholes[0]
    if whole.wan == 0:
        return None
    return whole, part.wan / whole.wan * HUNDRED, _quotient_interval(part, whole)


def _percent_values(
    stated: Figure, part: Figure, whole: Figure, value: Decimal, interval: Interval
) -> dict[str, str]:
    return {
        "stated": fmt(stated.value),
        "recomputed": _pct(value),
        "parts": f"{fmt(part.wan)} / {fmt(whole.wan)}",
        "stated_interval": _show(stated.interval),
        "recomputed_interval": _show(interval),
    }


@check("B153", target="document")
def share_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for claim in _of(ctx, ShareClaim):
        found = _percent_mismatch(claim.part, claim.wholes, claim.share)
        if found is None:
            continue
        whole, value, interval = found
        message = (
            f"{claim.part.label}{fmt(claim.part.wan)}万元占{claim.whole_name}的比例应为{_pct(value)}%"
            f"（{fmt(claim.part.wan)} ÷ {fmt(whole.wan)}），报告写{fmt(claim.share.value)}%"
        )
        yield rule("B153").finding(
            message,
            claim.share.location,
            excerpt=claim.share.excerpt,
            values=_percent_values(claim.share, claim.part, whole, value, interval),
            related=_related([claim.part, whole]),
            severity=_severity([claim.part, whole, claim.share]),
        )


@check("B154", target="document")
def shares_not_100(ctx: ReviewContext) -> Iterable[Finding]:
    for claim in _of(ctx, ShareSet):
        shares = [s.share for s in claim.shares]
        interval = _figures_interval(shares)
        if interval.overlaps(_EXACT_HUNDRED):
            continue
        total, parts = _point_sum(shares, "%")
        names = "、".join(s.part.label for s in claim.shares)
        message = f"{names}占{claim.whole_name}的比例合计{fmt(total)}%（{' + '.join(f.text for f in shares)}），应为100%"
        yield rule("B154").finding(
            message,
            shares[-1].location,
            excerpt=shares[-1].excerpt,
            values={
                "stated": "100",
                "recomputed": fmt(total),
                "parts": parts,
                "recomputed_interval": _show(interval),
            },
            related=_related(shares),
            severity=_severity(shares),
        )


# --- B155: rates -------------------------------------------------------------------------------


# One stated rate read both as the budget's execution rate (B155) and as a rate of its own terms (B156)
# gives one finding: the reading that names its amount ("年初预算收入完成率") wins, then B155's.
def _place_key(f: Figure) -> tuple[int, object, str]:
    return f.block_index, f.location, f.text


def _names_its_amount(claim: StatedRatio) -> bool:
    return claim.label.endswith("完成率") and len(claim.label) > len("完成率")


@check("B155", target="document")
def rate_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    named: set[tuple[int, object, str]] | None = None  # worked out for a wrong rate only
    for claim in _of(ctx, RateClaim):
        found = _percent_mismatch(claim.numerator, claim.denominators, claim.rate)
        if found is None:
            continue
        if named is None:
            named = {_place_key(c.rate) for c in _of(ctx, StatedRatio) if _names_its_amount(c)}
        if _place_key(claim.rate) in named:
            continue  # B156 reads it with the amount it names
        den, value, interval = found
        message = (
            f"{claim.label}{fmt(claim.rate.value)}%与执行数{fmt(claim.numerator.wan)}万元 ÷ 预算数{fmt(den.wan)}万元"
            f" = {_pct(value)}%不符"
        )
        yield rule("B155").finding(
            message,
            claim.rate.location,
            excerpt=claim.rate.excerpt,
            values=_percent_values(claim.rate, claim.numerator, den, value, interval),
            related=_related([claim.numerator, *claim.denominators]),
            severity=_severity([claim.rate, claim.numerator, den]),
        )


# --- B156: other stated rates (支付率, 到位率, 完成率, 增长, 超任务) ---------------------------------


_FALLS = ("下降率", "减少率")


@check("B156", target="document")
def stated_ratio_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    budget_rates: set[tuple[int, object, str]] | None = None  # the rates B155 reads, worked out when needed
    for claim in _of(ctx, StatedRatio):
        done = _figures_interval(claim.done)
        whole = _figures_interval(claim.whole)
        if whole.lo is None or whole.lo <= 0 or done.lo is None:
            continue
        quotient = (done / whole).scale(HUNDRED)
        fall = claim.label in _FALLS
        if claim.change:
            expect = Interval.exact(HUNDRED) - quotient if fall else quotient - Interval.exact(HUNDRED)
        else:
            expect = quotient
        if expect.overlaps(claim.rate.interval):
            continue
        if budget_rates is None:
            budget_rates = {_place_key(c.rate) for c in _of(ctx, RateClaim)}
        if not _names_its_amount(claim) and _place_key(claim.rate) in budget_rates:
            continue  # an execution rate of the budget: B155 compares it (with 年初 and 全年 both)
        unit = _unit([*claim.done, *claim.whole])
        num, num_parts = _point_sum(claim.done, unit)
        den, den_parts = _point_sum(claim.whole, unit)
        value = num / den * HUNDRED
        if claim.change:
            value = HUNDRED - value if fall else value - HUNDRED
        how = f"({num_parts}) ÷ ({den_parts})" + (
            (" 与 100% 之差" if fall else " − 100%") if claim.change else ""
        )
        message = f"{claim.label}{fmt(claim.rate.value)}%与所述数字不符：{how} = {_pct(value)}%"
        if claim.excess is not None and _quotient_interval(claim.excess, claim.whole[0]).overlaps(
            claim.rate.interval
        ):
            message += f"；所写比率是超出部分{claim.excess.printed} ÷ {den_parts}，不是{claim.label}"
        if claim.inferred:
            message += "（两项数字取自前文，请核对口径）"
        severity = Severity.WARNING if claim.inferred else _severity([claim.rate, *claim.done, *claim.whole])
        yield rule("B156").finding(
            message,
            claim.rate.location,
            excerpt=claim.rate.excerpt,
            values={
                "stated": fmt(claim.rate.value),
                "recomputed": _pct(value),
                "numerator": fmt(num),
                "denominator": fmt(den),
                "unit": unit,
            },
            related=_related([*claim.done, *claim.whole]),
            severity=severity,
        )
