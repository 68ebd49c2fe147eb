"""Document checks on claims: sums, shares, rates, scores, grades, repeated figures (target "document").

Every comparison is interval arithmetic on figures as written (domain.md §8): a stated figure is
wrong only when its interval cannot meet the interval recomputed from the figures it depends on.
A figure written as approximate (余/约/以上) lowers any finding it takes part in to a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from operator import is_
from typing import Any

from jixiao.decimals import HUNDRED, Interval, fmt
from jixiao.findings import Finding, Location, Severity
from jixiao.review.claims_model import (
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
from jixiao.review.claims_scores import GRADE_WORDS
from jixiao.review.context import ReviewContext
from jixiao.rules.registry import check, rule

__all__: list[str] = []

_CENT = Decimal("0.01")
_PER_CENT = Decimal("0.01")  # a rate in % times a weight, as a share of the weight


# A score line's identity for deduplication: its place and name (Location is hashable and compares by
# its fields, the same as comparing the text of its repr, without building that text).
_LineKey = tuple[Location, str]


class _Index:
    """What several checks derive from one report's claims, worked out once: claims by kind, the score
    lines (deduplicated by place and name) and the score groups. Each check asked for these again over
    the whole claim list, and ``str(Location)`` in the keys was a third of the checks' time."""

    def __init__(self, claims: list[Any]) -> None:
        self.claims = tuple(claims)
        self.by_kind: dict[type, list[Any]] = {}
        self.lines: list[ScoreLine] | None = None
        self.groups: list[ScoreGroup] | None = None
        self.keys: dict[int, _LineKey] = {}  # id(ScoreLine) -> (location, name), for lines in self.claims

    def matches(self, claims: list[Any]) -> bool:
        # By identity, element by element (in C): a new or edited claim list is indexed anew.
        return len(claims) == len(self.claims) and all(map(is_, claims, self.claims))

    def key(self, line: ScoreLine) -> _LineKey:
        key = self.keys.get(id(line))
        if key is None:
            key = self.keys[id(line)] = (line.location, line.name)
        return key


_last: _Index | None = None


def _index(ctx: ReviewContext) -> _Index:
    global _last
    if _last is None or not _last.matches(ctx.claims):
        _last = _Index(ctx.claims)
    return _last


def _of(ctx: ReviewContext, kind: type) -> list:  # type: ignore[type-arg]
    index = _index(ctx)
    found = index.by_kind.get(kind)
    if found is None:
        found = index.by_kind[kind] = [c for c in index.claims if isinstance(c, kind)]
    return list(found)


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


def _sum_values(figures: Sequence[Figure], unit: str) -> tuple[Decimal, Interval, str]:
    total = Decimal(0)
    interval = Interval.exact(Decimal(0))
    for f in figures:
        total += _value(f, unit)
        interval = interval + f.interval
    return total, interval, " + ".join(fmt(_value(f, unit)) for f in figures)


# --- B151/B152: totals and their parts -----------------------------------------------------------


@check("B151", target="document")
def sum_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    seen: set[tuple[Location, tuple[Location, ...]]] = set()
    for claim in _of(ctx, SumClaim):
        if not claim.exhaustive:
            continue
        key = (claim.total.location, tuple(p.location for p in claim.parts))
        if key in seen:
            continue
        seen.add(key)
        figures = [claim.total, *claim.parts]
        unit = _unit(figures)
        recomputed, interval, parts = _sum_values(claim.parts, unit)
        if claim.total.interval.overlaps(interval):
            continue
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
        figures = [claim.total, *claim.parts]
        unit = _unit(figures)
        recomputed, interval, parts = _sum_values(claim.parts, unit)
        if claim.total.interval.overlaps(interval):
            continue
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


def _percent_mismatch(
    part: Figure, wholes: Sequence[Figure], stated: Figure
) -> tuple[Figure, Decimal, Interval] | None:
    """(whole, recomputed %, its interval) when ``stated`` % fits part ÷ none of ``wholes``; else None.
    The point value is needed for a message only: most percentages agree and are done with first."""
    if any(_quotient_interval(part, w).overlaps(stated.interval) for w in wholes):
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
        total, interval, parts = _sum_values(shares, "%")
        if interval.overlaps(Interval.exact(HUNDRED)):
            continue
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
    seen: set[Location] = set()
    for claim in _of(ctx, ExecutionScore):
        weight, score = claim.line.weight, claim.line.score
        if weight is None or score is None or score.location in seen:
            continue
        seen.add(score.location)
        stated = score.quantity.interval  # the score as written, rounding included ("10" for 9.87)
        computed = [(rate, _execution_score(weight, rate, execution.cap)) for rate in claim.rates]
        options = [(rate, interval) for rate, interval in computed if interval is not None]
        if not options or any(stated.overlaps(interval) for _, interval in options):
            continue  # no bounded rate to compute with, or one of the rates stated with it fits
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

_OTHER_SOURCES = {"其他资金", "上年结转", "政府性基金", "非税收入", "国有资本经营", "事业收入"}


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
        first = figures[0]
        for other in figures[1:]:
            # The total written twice to different precisions: "96.5" and then "97" is the same total
            # rounded, while "98" and "99" are two totals (S252 checks the first against the indicators).
            as_written = key == ("score", "总分") and first.quantity.decimals != other.quantity.decimals
            a, b = _rough(first, as_written), _rough(other, as_written)
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


def _name_key(name: str) -> str:
    return "".join(name.split())


def _score_line_conflicts(ctx: ReviewContext) -> Iterable[Finding]:
    """An indicator scored in the prose and in the 自评表: one score stated twice. Paired only when the
    name occurs once on each side (reports that append several project tables repeat generic names)
    and both state the same weight (a different weight may be a different indicator)."""
    prose: dict[str, list[ScoreLine]] = {}
    table: dict[str, list[ScoreLine]] = {}
    for line in _all_lines(ctx):
        if line.score is None or line.weight is None or not line.name:
            continue
        side = table if line.source == "table" else prose
        side.setdefault(_name_key(line.name), []).append(line)
    for key, in_table in table.items():
        in_prose = prose.get(key, [])
        if len(in_table) != 1 or len(in_prose) != 1:
            continue
        t, p = in_table[0], in_prose[0]
        assert t.score is not None and p.score is not None and t.weight is not None and p.weight is not None
        if not t.weight.interval.overlaps(p.weight.interval) or t.score.interval.overlaps(p.score.interval):
            continue
        where = f"第{p.score.location.line}行" if p.score.location.line else "正文"
        yield rule("Q401").finding(
            f"{t.name}得分前后不一致：自评表为{fmt(t.score.value)}分，正文（{where}）为{fmt(p.score.value)}分",
            t.score.location,
            excerpt=t.score.excerpt,
            values={"stated": fmt(t.score.value), "other": fmt(p.score.value), "unit": "分"},
            related=_related([p.score]),
            severity=_severity([t.score, p.score]),
        )


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


def _items_sum(items: Sequence[ScoreLine], attr: str) -> tuple[Decimal, Interval, str, list[Figure]] | None:
    figures = [getattr(i, attr) for i in items]
    if not figures or any(f is None for f in figures):
        return None
    present: list[Figure] = [f for f in figures if f is not None]
    total, interval, parts = _sum_values(present, present[0].quantity.unit)
    return total, interval, parts, present


def _groups(ctx: ReviewContext) -> list[ScoreGroup]:
    index = _index(ctx)
    if index.groups is None:
        seen: set[_LineKey] = set()
        out = []
        for g in _of(ctx, ScoreGroup):
            key = index.key(g.head)
            if key not in seen:
                seen.add(key)
                out.append(g)
        index.groups = out
    return list(index.groups)


@check("S251", target="document")
def subtotal_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for g in _groups(ctx):
        head = g.head.score
        summed = _items_sum(g.items, "score")
        if head is None or summed is None:
            continue
        total, interval, parts, figures = summed
        if head.interval.overlaps(interval):
            continue
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


def _group_value(g: ScoreGroup) -> tuple[Decimal, Interval, Figure | None, list[Figure]] | None:
    """A first-level indicator's score from its items when all are stated, else its own stated score."""
    summed = _items_sum(g.items, "score")
    if summed is not None:
        total, interval, _, figures = summed
        return total, interval, g.head.score, figures
    if g.head.score is not None:
        return g.head.score.value, g.head.score.interval, g.head.score, [g.head.score]
    return None


@check("S252", target="document")
def total_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, ScoreTotal):
        if t.total is None or not t.groups:
            continue
        values = [_group_value(g) for g in t.groups]
        if any(v is None for v in values):
            continue
        present = [v for v in values if v is not None]
        recomputed = sum((v[0] for v in present), Decimal(0))
        interval = Interval.exact(Decimal(0))
        for v in present:
            interval = interval + v[1]
        if t.total.interval.overlaps(interval):
            continue
        parts = " + ".join(fmt(v[0]) for v in present)
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
    for g in _groups(ctx):
        head = g.head.weight
        summed = _items_sum(g.items, "weight")
        if head is None or summed is None:
            continue
        total, interval, parts, figures = summed
        if head.interval.overlaps(interval):
            continue
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
        total, interval, parts = _sum_values(present, "分")
        expected = t.total_weight.value if t.total_weight is not None else ctx.framework.total_weight
        if interval.overlaps(Interval.exact(expected)):
            continue
        anchor = t.total_weight or t.total or present[0]
        yield rule("S254").finding(
            f"一级指标分值之和为{fmt(total)}分（{parts}），应为{fmt(expected)}分",
            anchor.location,
            excerpt=anchor.excerpt,
            values={"stated": fmt(expected), "recomputed": fmt(total), "parts": parts},
            related=_related(present),
        )


def _all_lines(ctx: ReviewContext) -> list[ScoreLine]:
    index = _index(ctx)
    if index.lines is None:
        seen: set[_LineKey] = set()
        out: list[ScoreLine] = []
        for g in _of(ctx, ScoreGroup) + [g for t in _of(ctx, ScoreTotal) for g in t.groups]:
            for line in (g.head, *g.items):
                key = index.key(line)
                if key not in seen:
                    seen.add(key)
                    out.append(line)
        index.lines = out
    return list(index.lines)


@check("S255", target="document")
def score_exceeds_weight(ctx: ReviewContext) -> Iterable[Finding]:
    for line in _all_lines(ctx):
        if line.weight is None or line.score is None:
            continue
        lo = line.score.interval.lo
        if lo is None or lo <= line.weight.value:
            continue
        yield rule("S255").finding(
            f"{line.name}得分{fmt(line.score.value)}分超过分值{fmt(line.weight.value)}分",
            line.score.location,
            excerpt=line.score.excerpt,
            values={"stated": fmt(line.score.value), "weight": fmt(line.weight.value)},
            related=_related([line.weight]),
        )


@check("S256", target="document")
def deduction_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for line in _all_lines(ctx):
        if line.weight is None or line.score is None or line.deduction is None:
            continue
        expected = line.weight.interval - line.score.interval
        if expected.overlaps(line.deduction.interval):
            continue
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


@check("S257", target="document")
def deduction_without_reason(ctx: ReviewContext) -> Iterable[Finding]:
    index = _index(ctx)
    heads_with_items = {index.key(g.head) for g in _of(ctx, ScoreGroup) if g.items}
    for line in _all_lines(ctx):
        if index.key(line) in heads_with_items:
            continue  # a subtotal's deduction is explained at its items
        if line.weight is None or line.score is None or line.has_reason:
            continue
        if "执行" in line.name:
            continue  # the execution score follows from the stated rate: the rate is its reason
        hi = line.score.interval.hi
        if hi is None or hi >= line.weight.value:
            continue
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
