"""Document checks on claims: sums, shares, rates, scores, grades, repeated figures (target "document").

Every comparison is interval arithmetic on figures as written (domain.md §8): a stated figure is
wrong only when its interval cannot meet the interval recomputed from the figures it depends on.
A figure written as approximate (余/约/以上) lowers any finding it takes part in to a warning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, getcontext
from itertools import groupby
from typing import Any

from jixiao.core.decimals import HUNDRED, ZERO, Interval, fmt, sum_intervals
from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.rules.registry import check, rule
from jixiao.review.claims.model import (
    BudgetFact,
    CountFact,
    ExecutionScore,
    Figure,
    IndicatorTarget,
    RateClaim,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    ShareClaim,
    ShareSet,
    SumClaim,
)
from jixiao.review.claims.scores import GRADE_WORDS
from jixiao.review.context import ReviewContext

__all__: list[str] = []

_CENT = Decimal("0.01")
_PER_CENT = Decimal("0.01")  # a rate in % times a weight, as a share of the weight


_EXACT_HUNDRED = Interval.exact(HUNDRED)


class _Index:
    """What several checks derive from one report's claims, worked out once per run of the checks
    (``ReviewContext.derive``): claims by kind, the score lines (deduplicated by place and name) and the
    score groups. Each check asked for these again over the whole claim list."""

    def __init__(self, claims: list[Any]) -> None:
        self.claims = tuple(claims)
        # Claims by their exact class, in order: one pass (by runs: readers emit one kind at a time)
        # instead of an isinstance scan of every claim per kind.
        self.by_type: dict[type, list[Any]] = {}
        for cls, run in groupby(self.claims, type):
            self.by_type.setdefault(cls, []).extend(run)
        self.by_kind: dict[type, tuple[Any, ...]] = {}
        self.line_objects: tuple[ScoreLine, ...] | None = None  # each line object once
        self.lines: tuple[ScoreLine, ...] | None = None  # each line key once (see _all_lines)
        self.groups: tuple[ScoreGroup, ...] | None = None

    def of(self, kind: type) -> tuple[Any, ...]:
        found = self.by_kind.get(kind)
        if found is None:
            types = [t for t in self.by_type if issubclass(t, kind)]
            if len(types) == 1:
                found = tuple(self.by_type[types[0]])
            else:  # none, or several classes interleaved: keep the claims' own order
                found = tuple(c for c in self.claims if isinstance(c, kind))
            self.by_kind[kind] = found
        return found


def _index(ctx: ReviewContext) -> _Index:
    return ctx.derive("checks.index", ctx.claims, _Index)


def _of(ctx: ReviewContext, kind: type) -> tuple[Any, ...]:
    """The claims of ``kind`` (isinstance), in the order of ``ctx.claims``."""
    return _index(ctx).of(kind)


def _first_per_object(lines: Iterable[ScoreLine]) -> list[ScoreLine]:
    """Each line object once, where it first occurs (all are alive, so their ids are distinct)."""
    return list({id(line): line for line in lines}.values())


def _first_per_key(lines: Iterable[ScoreLine]) -> list[ScoreLine]:
    """The first line of each key (``line.location``, ``line.name``), in order.

    A line's place is worked out lazily (Figure.__getattr__) and most are never shown, so places are
    compared only where they can decide: the same line object always has the same key, and two lines of
    different names never do. Only distinct lines sharing a name are told apart by place (compared with
    ``in`` on a list, which is ``is`` or ``==`` as for a set of keys, without hashing each place)."""
    unique = _first_per_object(lines)
    names = [line.name for line in unique]
    if len(set(names)) == len(names):
        return unique
    shared = {name for name, n in Counter(names).items() if n > 1}
    out: list[ScoreLine] = []
    places: dict[str, list[Location]] = {}  # name -> places of the lines of that name kept so far
    for line in unique:
        if line.name in shared:
            kept = places.setdefault(line.name, [])
            place = line.location
            if place in kept:
                continue
            kept.append(place)
        out.append(line)
    return out


def _severity(figures: Iterable[Figure | None]) -> Severity | None:
    """Approximate figures can only warn."""
    return Severity.WARNING if any(f is not None and f.approximate for f in figures) else None


def _pct(value: Decimal) -> str:
    return fmt(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _unit(figures: Sequence[Figure]) -> str:
    units = {f.quantity.unit for f in figures}
    if len(units) == 1:
        return units.pop()
    return "万元" if all(f.is_money for f in figures) else ""


def _value(f: Figure, unit: str) -> Decimal:
    return f.quantity.value if f.quantity.unit == unit else f.wan


def _show(interval: Interval) -> str:
    """An interval for people: bounds rounded outward to 4 decimals (display only, never compared)."""
    step = Decimal("0.0001")
    lo = "-∞" if interval.lo is None else fmt(interval.lo.quantize(step, rounding="ROUND_FLOOR").normalize())
    hi = (
        "+∞" if interval.hi is None else fmt(interval.hi.quantize(step, rounding="ROUND_CEILING").normalize())
    )
    return f"[{lo}, {hi}]"


def _related(figures: Iterable[Figure]) -> list[tuple[str, Location]]:
    return [(f"{f.label}：{f.text}" if f.label else f.text, f.location) for f in figures]


def _figures_interval(figures: Iterable[Figure]) -> Interval:
    """The interval the figures add up to (what every sum check compares first)."""
    return sum_intervals([f.interval for f in figures])


def _point_sum(figures: Sequence[Figure], unit: str) -> tuple[Decimal, str]:
    """The figures' sum in ``unit`` and how it is added up ("1 + 2"): for the message of a finding only,
    so worked out after the intervals have shown a mismatch."""
    values = [_value(f, unit) for f in figures]
    total = ZERO
    for v in values:
        total += v
    return total, " + ".join(fmt(v) for v in values)


def _sum_key(claim: SumClaim) -> tuple[Location, tuple[Location, ...]]:
    return (claim.total.location, tuple(p.location for p in claim.parts))


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
            severity=_severity(figures),
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
        if over:
            message = f"“其中”所列各项之和{fmt(recomputed)}{unit}（{parts}）超过总数{stated}{unit}"
            severity = _severity(figures)
        else:
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


@check("B155", target="document")
def rate_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for claim in _of(ctx, RateClaim):
        found = _percent_mismatch(claim.numerator, claim.denominators, claim.rate)
        if found is None:
            continue
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


# --- S260: the execution indicator's score -------------------------------------------------------


@check("S260", target="document")
def execution_score_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    execution = ctx.framework.execution
    if execution is None:
        return  # this framework scores execution inside another indicator, by its own rule
    scored = [c for c in _of(ctx, ExecutionScore) if c.line.weight is not None and c.line.score is not None]
    for i, claim in enumerate(scored):
        weight, score = claim.line.weight, claim.line.score
        stated = score.quantity.interval  # the score as written, rounding included ("10" for 9.87)
        computed = [(rate, _execution_score(weight, rate, execution.cap)) for rate in claim.rates]
        options = [(rate, interval) for rate, interval in computed if interval is not None]
        if not options or any(stated.overlaps(interval) for _, interval in options):
            continue  # no bounded rate to compute with, or one of the rates stated with it fits
        if any(earlier.line.score.location == score.location for earlier in scored[:i]):
            continue  # one score read twice: reported once, at its first reading (places asked only here)
        rate, found = options[0]
        assert found is not None
        recomputed = found
        counted = min(rate.value, HUNDRED) if execution.cap else rate.value
        value = weight.value * counted / HUNDRED
        capped = "，执行率超过100%按100%计" if execution.cap and rate.value > HUNDRED else ""
        # 9.872 written 9.87 is rounding; written 9.8 it is cut off, a habit rather than a wrong score.
        step = Decimal(1).scaleb(-score.quantity.decimals)
        cut = score.value == value.quantize(step, rounding=ROUND_DOWN)
        note = "；所写得分是应得分直接截去尾数的结果，应四舍五入" if cut else ""
        yield rule("S260").finding(
            f"{claim.line.name}得分应为{_pct(value)}分（分值{weight.printed} × 执行率{rate.printed}%{capped}），"
            f"报告写{score.printed}分{note}",
            score.location,
            excerpt=score.excerpt,
            values={
                "stated": score.printed,
                "recomputed": _pct(value),
                "parts": f"{weight.printed} × {rate.printed}%",
                "stated_interval": _show(stated),
                "recomputed_interval": _show(recomputed),
            },
            related=_related([weight, rate]),
            severity=Severity.WARNING if cut else _severity([weight, score, rate]),
        )


def _execution_score(weight: Figure, rate: Figure, cap: bool) -> Interval | None:
    """weight × rate / 100 as an interval (the rate capped at 100% when ``cap``); None for an open rate."""
    stated = rate.quantity.interval
    if stated.lo is None or stated.hi is None:
        return None  # "95%以上": no bound to compute with
    if cap:
        stated = Interval(min(stated.lo, HUNDRED), min(stated.hi, HUNDRED))
    return (weight.interval * stated).scale(_PER_CENT)


# --- Q401/Q402: one figure stated twice ------------------------------------------------------------

_OTHER_SOURCES = {
    "其他资金",
    "上年结转",
    "政府性基金",
    "非税收入",
    "国有资本经营",
    "社会保险基金",
    "事业收入",
}


def _rough(f: Figure, as_written: bool = False) -> tuple[Decimal, Decimal, bool] | None:
    """The range a figure may stand for, as (lo, hi, hi_open). 30余 → [30, 40): 余 stops short of the next
    step in the last written digit; 近/以内 mirror it. 约/左右 have no range and are not compared.
    ``as_written``: a whole-number score stands for its rounding ("97" for 96.5) rather than exactly."""
    q = f.quantity
    if not q.approximate:
        iv = q.interval if as_written else f.interval
        if iv.lo is None or iv.hi is None:
            return None
        return iv.lo, iv.hi, False
    if q.upper is not None or q.interval.bounded or (q.interval.lo is None and q.interval.hi is None):
        return None
    digits = q.value.normalize()
    exponent = digits.as_tuple().exponent
    assert isinstance(exponent, int)
    step = Decimal(1).scaleb(max(exponent, 0))
    if q.interval.lo is not None:
        return q.value, q.value + step, True
    return q.value - step, q.value, False


def _disjoint(a: tuple[Decimal, Decimal, bool], b: tuple[Decimal, Decimal, bool]) -> bool:
    lo_a, hi_a, open_a = a
    lo_b, hi_b, open_b = b
    return hi_a < lo_b or hi_b < lo_a or (hi_a == lo_b and open_a) or (hi_b == lo_a and open_b)


@check("Q401", target="document")
def repeated_figure_conflict(ctx: ReviewContext) -> Iterable[Finding]:
    groups: dict[tuple[str, ...], list[Figure]] = {}
    for fact in _of(ctx, BudgetFact):
        if fact.scope in ("项目", "条目"):
            continue  # many projects each state their own 项目 amounts
        groups.setdefault(("money", fact.measure, fact.scope), []).append(fact.figure)
    for count in _of(ctx, CountFact):
        # A target is never the same quantity as an actual; a plain statement reads as an actual.
        stage = "target" if count.stage == "target" else "actual"
        groups.setdefault(("count", count.key, count.unit, stage), []).append(count.figure)
    totals = [t.total for t in _of(ctx, ScoreTotal) if t.total is not None]
    totals += [again for t in _of(ctx, ScoreTotal) for again in t.restated]
    if totals:
        groups[("score", "总分")] = totals
    for key, figures in groups.items():
        if len(figures) < 2:
            continue
        first = figures[0]
        first_range = _rough(first)  # the same for every other figure but a score total's (below)
        scores = key == ("score", "总分")
        for other in figures[1:]:
            # The total written twice to different precisions: "96.5" and then "97" is the same total
            # rounded, while "98" and "99" are two totals (S252 checks the first against the indicators).
            as_written = scores and first.quantity.decimals != other.quantity.decimals
            a = _rough(first, as_written) if as_written else first_range
            b = _rough(other, as_written)
            if a is None or b is None or not _disjoint(a, b):
                continue
            if other.location == first.location:
                continue  # one statement read twice; asked second, as places are worked out lazily
            what = other.label or first.label
            unit = other.quantity.unit
            message = f"{what}前后不一致：此处为{other.text}，{first.location.line or '前文'}行为{first.text}"
            severity = Severity.WARNING if key[0] == "count" else _severity([first, other])
            yield rule("Q401").finding(
                message,
                other.location,
                excerpt=other.excerpt,
                values={"stated": fmt(other.value), "other": fmt(first.value), "unit": unit},
                related=_related([first]),
                severity=severity,
            )
            break
    yield from _score_line_conflicts(ctx)


def _score_line_conflicts(ctx: ReviewContext) -> Iterable[Finding]:
    """An indicator scored in the prose and in the 自评表: one score stated twice. Paired only when the
    name occurs once on each side (reports that append several project tables repeat generic names)
    and both state the same weight (a different weight may be a different indicator)."""
    # Asked first of every line object: the lines of _all_lines are among them, so when no prose and
    # table line of one name conflict, none of _all_lines do, and no line's place is worked out.
    prose, table = _by_side(_line_objects(ctx))
    if not any(
        _conflict(t, p) for key, in_table in table.items() for t in in_table for p in prose.get(key, [])
    ):
        return
    prose, table = _by_side(_all_lines(ctx))
    for key, in_table in table.items():
        in_prose = prose.get(key, [])
        if len(in_table) != 1 or len(in_prose) != 1:
            continue
        t, p = in_table[0], in_prose[0]
        if not _conflict(t, p):
            continue
        assert t.score is not None and p.score is not None
        where = f"第{p.score.location.line}行" if p.score.location.line else "正文"
        yield rule("Q401").finding(
            f"{t.name}得分前后不一致：自评表为{fmt(t.score.value)}分，正文（{where}）为{fmt(p.score.value)}分",
            t.score.location,
            excerpt=t.score.excerpt,
            values={"stated": fmt(t.score.value), "other": fmt(p.score.value), "unit": "分"},
            related=_related([p.score]),
            severity=_severity([t.score, p.score]),
        )


def _by_side(lines: Iterable[ScoreLine]) -> tuple[dict[str, list[ScoreLine]], dict[str, list[ScoreLine]]]:
    """The scored lines (weight and score stated, named) of the prose and of the tables, by name
    without spaces."""
    prose: dict[str, list[ScoreLine]] = {}
    table: dict[str, list[ScoreLine]] = {}
    for line in lines:
        if line.score is None or line.weight is None or not line.name:
            continue
        side = table if line.source == "table" else prose
        side.setdefault("".join(line.name.split()), []).append(line)
    return prose, table


def _conflict(t: ScoreLine, p: ScoreLine) -> bool:
    """The same weight and scores that cannot be the same (both stated: see _by_side)."""
    assert t.score is not None and p.score is not None and t.weight is not None and p.weight is not None
    return t.weight.interval.overlaps(p.weight.interval) and not t.score.interval.overlaps(p.score.interval)


@check("Q402", target="document")
def source_differs_from_total(ctx: ReviewContext) -> Iterable[Finding]:
    facts = _of(ctx, BudgetFact)
    scopes = {f.scope for f in facts}
    if scopes & _OTHER_SOURCES:
        return  # the report names other funds: the difference is explained by them
    totals: dict[str, BudgetFact] = {}
    for f in facts:
        if f.scope == "总":
            totals.setdefault(f.measure, f)
    reported: set[str] = set()
    for f in facts:
        if f.scope not in ("财政拨款", "一般公共预算") or f.measure not in totals or f.scope in reported:
            continue
        total = totals[f.measure]
        if f.figure.interval.overlaps(total.figure.interval):
            continue
        reported.add(f.scope)  # once per source: its 预算数 and 执行数 usually differ for one reason
        diff = total.figure.wan - f.figure.wan
        above = diff < 0
        message = (
            f"{f.scope}{f.measure}{fmt(f.figure.wan)}万元与{f.measure}总额{fmt(total.figure.wan)}万元"
            + (f"相差{fmt(diff)}万元，报告未说明其余资金来源" if not above else "，来源资金超过总额")
        )
        yield rule("Q402").finding(
            message,
            f.figure.location,
            excerpt=f.figure.excerpt,
            values={"stated": fmt(f.figure.wan), "other": fmt(total.figure.wan), "difference": fmt(diff)},
            related=_related([total.figure]),
            severity=Severity.ERROR if above and not f.figure.approximate else None,
        )


# --- S251–S258: scores -----------------------------------------------------------------------------


def _item_figures(items: Sequence[ScoreLine], attr: str) -> list[Figure] | None:
    """Every item's ``attr`` figure ("score" or "weight"); None when there are no items or one lacks it."""
    figures = [getattr(i, attr) for i in items]
    # all() in C: a Figure is always true (no __bool__ or __len__), so only a None is false.
    return figures if figures and all(figures) else None


def _groups(ctx: ReviewContext) -> tuple[ScoreGroup, ...]:
    """The score groups, the first of each head (place and name) only."""
    index = _index(ctx)
    if index.groups is None:
        groups = index.of(ScoreGroup)
        kept = {id(head) for head in _first_per_key([g.head for g in groups])}
        out = []
        for g in groups:
            if id(g.head) in kept:
                kept.discard(id(g.head))  # a later group with this very head has its key: not kept
                out.append(g)
        index.groups = tuple(out)
    return index.groups


def _groups_where(ctx: ReviewContext, test: Callable[[ScoreGroup], bool]) -> list[ScoreGroup]:
    """The groups of ``_groups`` that pass ``test``. Every group is asked first: those of ``_groups`` are
    among them, so when none passes (a report without that mistake) no head's place is worked out."""
    if not any(map(test, _of(ctx, ScoreGroup))):
        return []
    return [g for g in _groups(ctx) if test(g)]


def _subtotal_differs(g: ScoreGroup, attr: str) -> bool:
    """The head's ``attr`` ("score" or "weight") cannot be the sum of its items' (all stated)."""
    head = getattr(g.head, attr)
    figures = _item_figures(g.items, attr)
    return head is not None and figures is not None and not head.interval.overlaps(_figures_interval(figures))


def _score_subtotal_differs(g: ScoreGroup) -> bool:
    return _subtotal_differs(g, "score")


def _weight_subtotal_differs(g: ScoreGroup) -> bool:
    return _subtotal_differs(g, "weight")


@check("S251", target="document")
def subtotal_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for g in _groups_where(ctx, _score_subtotal_differs):
        head = g.head.score
        figures = _item_figures(g.items, "score")
        assert head is not None and figures is not None
        interval = _figures_interval(figures)
        total, parts = _point_sum(figures, figures[0].quantity.unit)
        yield rule("S251").finding(
            f"{g.head.name}得分{fmt(head.value)}分不等于其下各项得分之和{fmt(total)}分（{parts}）",
            head.location,
            excerpt=head.excerpt,
            values={
                "stated": fmt(head.value),
                "recomputed": fmt(total),
                "parts": parts,
                "stated_interval": _show(head.interval),
                "recomputed_interval": _show(interval),
            },
            related=_related(figures),
        )


def _group_interval(g: ScoreGroup) -> Interval | None:
    """A first-level indicator's score from its items when all are stated, else its own stated score."""
    figures = _item_figures(g.items, "score")
    if figures is not None:
        return _figures_interval(figures)
    if g.head.score is not None:
        return g.head.score.interval
    return None


def _group_value(g: ScoreGroup) -> Decimal:
    """The point value of ``_group_interval`` (for a message: asked only when the total is wrong)."""
    figures = _item_figures(g.items, "score")
    if figures is not None:
        return _point_sum(figures, figures[0].quantity.unit)[0]
    assert g.head.score is not None
    return g.head.score.value


@check("S252", target="document")
def total_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, ScoreTotal):
        if t.total is None or not t.groups:
            continue
        intervals = [_group_interval(g) for g in t.groups]
        if any(v is None for v in intervals):
            continue
        interval = sum_intervals([v for v in intervals if v is not None])
        if t.total.interval.overlaps(interval):
            continue
        values = [_group_value(g) for g in t.groups]
        recomputed = sum(values, ZERO)
        parts = " + ".join(fmt(v) for v in values)
        # One finding for the whole chain: say whether the stated subtotals explain the gap.
        heads = [g.head.score for g in t.groups]
        note = ""
        if all(h is not None for h in heads):
            stated_sum = sum((h.value for h in heads if h is not None), Decimal(0))
            if stated_sum != recomputed:
                note = f"；各一级指标所报小计之和为{fmt(stated_sum)}分，小计与其明细不符"
        yield rule("S252").finding(
            f"总分{fmt(t.total.value)}分不等于各指标得分之和{fmt(recomputed)}分（{parts}）{note}",
            t.total.location,
            excerpt=t.total.excerpt,
            values={
                "stated": fmt(t.total.value),
                "recomputed": fmt(recomputed),
                "parts": parts,
                "stated_interval": _show(t.total.interval),
                "recomputed_interval": _show(interval),
            },
            related=[(g.head.name, (g.head.score or g.head.weight or t.total).location) for g in t.groups],
        )


@check("S253", target="document")
def weight_subtotal_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for g in _groups_where(ctx, _weight_subtotal_differs):
        head = g.head.weight
        figures = _item_figures(g.items, "weight")
        assert head is not None and figures is not None
        total, parts = _point_sum(figures, figures[0].quantity.unit)
        yield rule("S253").finding(
            f"{g.head.name}分值{fmt(head.value)}分不等于其下各项分值之和{fmt(total)}分（{parts}）",
            head.location,
            excerpt=head.excerpt,
            values={"stated": fmt(head.value), "recomputed": fmt(total), "parts": parts},
            related=_related(figures),
        )


@check("S254", target="document")
def weights_not_total(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, ScoreTotal):
        weights = [g.head.weight for g in t.groups]
        if len(weights) < 3 or any(w is None for w in weights):
            continue
        present = [w for w in weights if w is not None]
        interval = _figures_interval(present)
        expected = t.total_weight.value if t.total_weight is not None else ctx.framework.total_weight
        if interval.overlaps(Interval.exact(expected)):
            continue
        total, parts = _point_sum(present, "分")
        anchor = t.total_weight or t.total or present[0]
        yield rule("S254").finding(
            f"一级指标分值之和为{fmt(total)}分（{parts}），应为{fmt(expected)}分",
            anchor.location,
            excerpt=anchor.excerpt,
            values={"stated": fmt(expected), "recomputed": fmt(total), "parts": parts},
            related=_related(present),
        )


def _line_objects(ctx: ReviewContext) -> tuple[ScoreLine, ...]:
    """Every score line object once: heads and items of the groups, then of the totals' groups (which
    repeat the groups' own lines)."""
    index = _index(ctx)
    if index.line_objects is None:
        groups = [*index.of(ScoreGroup), *(g for t in index.of(ScoreTotal) for g in t.groups)]
        index.line_objects = tuple(_first_per_object([line for g in groups for line in (g.head, *g.items)]))
    return index.line_objects


def _all_lines(ctx: ReviewContext) -> tuple[ScoreLine, ...]:
    """Every score line, the first of each place and name only."""
    index = _index(ctx)
    if index.lines is None:
        index.lines = tuple(_first_per_key(_line_objects(ctx)))
    return index.lines


def _lines_where(ctx: ReviewContext, test: Callable[[ScoreLine], bool]) -> list[ScoreLine]:
    """The lines of ``_all_lines`` that pass ``test``. Every line object is asked first: those of
    ``_all_lines`` are among them, so when none passes (a report without that mistake) no line's place
    is worked out."""
    if not any(map(test, _line_objects(ctx))):
        return []
    return [line for line in _all_lines(ctx) if test(line)]


def _is_one_of(line: ScoreLine, lines: Sequence[ScoreLine]) -> bool:
    """Whether ``line`` has the key (place and name) of one of ``lines``; places compared only between
    distinct lines of one name (see _first_per_key)."""
    namesakes = [other for other in lines if other.name == line.name]
    if not namesakes:
        return False
    if any(other is line for other in namesakes):
        return True
    return (line.location, line.name) in {(other.location, other.name) for other in namesakes}


def _score_above_weight(line: ScoreLine) -> bool:
    if line.weight is None or line.score is None:
        return False
    lo = line.score.interval.lo
    return not (lo is None or lo <= line.weight.value)


@check("S255", target="document")
def score_exceeds_weight(ctx: ReviewContext) -> Iterable[Finding]:
    for line in _lines_where(ctx, _score_above_weight):
        assert line.weight is not None and line.score is not None
        yield rule("S255").finding(
            f"{line.name}得分{fmt(line.score.value)}分超过分值{fmt(line.weight.value)}分",
            line.score.location,
            excerpt=line.score.excerpt,
            values={"stated": fmt(line.score.value), "weight": fmt(line.weight.value)},
            related=_related([line.weight]),
        )


def _deduction_differs(line: ScoreLine) -> bool:
    if line.weight is None or line.score is None or line.deduction is None:
        return False
    return not (line.weight.interval - line.score.interval).overlaps(line.deduction.interval)


@check("S256", target="document")
def deduction_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for line in _lines_where(ctx, _deduction_differs):
        assert line.weight is not None and line.score is not None and line.deduction is not None
        diff = line.weight.value - line.score.value
        yield rule("S256").finding(
            f"{line.name}写明扣{fmt(line.deduction.value)}分，但分值{fmt(line.weight.value)}分减得分"
            f"{fmt(line.score.value)}分为{fmt(diff)}分",
            line.deduction.location,
            excerpt=line.deduction.excerpt,
            values={
                "stated": fmt(line.deduction.value),
                "recomputed": fmt(diff),
                "parts": f"{fmt(line.weight.value)} - {fmt(line.score.value)}",
            },
            related=_related([line.weight, line.score]),
        )


def _deducted_without_reason(line: ScoreLine) -> bool:
    if line.weight is None or line.score is None or line.has_reason:
        return False
    if "执行" in line.name:
        return False  # the execution score follows from the stated rate: the rate is its reason
    hi = line.score.interval.hi
    return not (hi is None or hi >= line.weight.value)


@check("S257", target="document")
def deduction_without_reason(ctx: ReviewContext) -> Iterable[Finding]:
    heads_with_items = [g.head for g in _of(ctx, ScoreGroup) if g.items]

    def unexplained(line: ScoreLine) -> bool:
        # A subtotal's deduction is explained at its items (asked last: it may need places).
        return _deducted_without_reason(line) and not _is_one_of(line, heads_with_items)

    for line in _lines_where(ctx, unexplained):
        assert line.weight is not None and line.score is not None
        lost = line.weight.value - line.score.value
        yield rule("S257").finding(
            f"{line.name}分值{fmt(line.weight.value)}分、得分{fmt(line.score.value)}分，扣{fmt(lost)}分，未见扣分原因说明",
            line.score.location,
            excerpt=line.score.excerpt,
            values={"weight": fmt(line.weight.value), "stated": fmt(line.score.value), "deducted": fmt(lost)},
            related=_related([line.weight]),
        )


@check("S258", target="document")
def grade_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    """Every stated grade (the prose one and each 自评表 总分 row's) against the total beside it, or the
    first stated total when none is beside it; with no total anywhere, stated grades must agree."""
    grades = ctx.framework.grades
    totals = [t for t in _of(ctx, ScoreTotal) if t.grade in GRADE_WORDS]
    fallback = next((t.total for t in _of(ctx, ScoreTotal) if t.total is not None), None)
    for t in totals:
        total = t.total or fallback
        if total is None:
            continue
        stated_rank = GRADE_WORDS[t.grade]
        if stated_rank >= len(grades):
            continue
        lo = total.interval.lo if total.interval.lo is not None else total.value
        hi = total.interval.hi if total.interval.hi is not None else total.value
        possible = {ctx.framework.grade_for(lo), ctx.framework.grade_for(hi)}
        if grades[stated_rank].name in possible:
            continue
        expected = ctx.framework.grade_for(total.value)
        bands = "，".join(f"{g.name}≥{fmt(g.min)}" for g in grades)
        yield rule("S258").finding(
            f"总分{fmt(total.value)}分应评为“{expected}”，报告写“{t.grade}”（等级：{bands}）",
            t.grade_location,
            excerpt=t.grade_excerpt,
            values={"stated": t.grade, "recomputed": expected, "total": fmt(total.value)},
            related=_related([total]),
        )
    if fallback is None and len(totals) >= 2:
        first = totals[0]
        for other in totals[1:]:
            if GRADE_WORDS[other.grade] == GRADE_WORDS[first.grade]:
                continue
            where = f"第{first.grade_location.line}行" if first.grade_location.line else "前文"
            yield rule("S258").finding(
                f"评价等级前后不一致：此处写“{other.grade}”，{where}写“{first.grade}”；报告未写总分，无法判断哪一处正确",
                other.grade_location,
                excerpt=other.grade_excerpt,
                values={"stated": other.grade, "other": first.grade},
                related=[(f"等级：{first.grade}", first.grade_location)],
            )
            break


@check("S259", target="document")
def target_incomplete(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, IndicatorTarget):
        if t.missing_unit:
            message = f"指标“{t.name}”的年度指标值“{t.target}”没有计量单位"
            severity = None
        elif t.missing_nature:
            message = f"指标“{t.name}”的年度指标值“{t.target}”未写明性质（≥、≤ 或 =）"
            severity = Severity.INFO
        else:
            continue
        yield rule("S259").finding(
            message, t.location, excerpt=t.excerpt, values={"target": t.target}, severity=severity
        )
