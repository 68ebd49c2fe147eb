"""Document checks on claims: sums, shares, rates, scores, grades, repeated figures (target "document").

Every comparison is interval arithmetic on figures as written (domain.md §8): a stated figure is
wrong only when its interval cannot meet the interval recomputed from the figures it depends on.
A figure written as approximate (余/约/以上) lowers any finding it takes part in to a warning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import Any, TypeVar

from jixiao.core.decimals import HUNDRED, ZERO, Interval, fmt, sum_intervals
from jixiao.core.findings import Location, Severity
from jixiao.review.claims.model import (
    Claim,
    Figure,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    SumClaim,
)
from jixiao.review.context import ReviewContext

__all__: list[str] = []

_C = TypeVar("_C")  # a claim class (or ScoreLine): _of gives the claims of that class

_CENT = Decimal("0.01")
_PER_CENT = Decimal("0.01")  # a rate in % times a weight, as a share of the weight


_EXACT_HUNDRED = Interval.exact(HUNDRED)


class _Index:
    """What several checks derive from one report's claims, worked out once per run of the checks
    (``ReviewContext.derive``): claims by kind, the score lines (deduplicated by place and name) and the
    score groups. Each check asked for these again over the whole claim list."""

    def __init__(self, claims: list[Claim]) -> None:
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

    def of(self, kind: type[_C]) -> tuple[_C, ...]:
        found = self.by_kind.get(kind)
        if found is None:
            types = [t for t in self.by_type if issubclass(t, kind)]
            if not types:
                found = ()  # most kinds asked for are absent from a report: no scan of its claims
            elif len(types) == 1:
                found = tuple(self.by_type[types[0]])
            else:  # several classes interleaved: keep the claims' own order
                found = tuple(c for c in self.claims if isinstance(c, kind))
            self.by_kind[kind] = found
        return found


def _index(ctx: ReviewContext) -> _Index:
    return ctx.derive("checks.index", ctx.claims, _Index)


def _of(ctx: ReviewContext, kind: type[_C]) -> tuple[_C, ...]:
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


def _row_key(figure: Figure) -> tuple[object, ...]:
    """One table cell's figure, however the row was read (claims/tables.py by columns, claims/selfeval.py
    as a stream): its block, its source line (a text row) or table row (a table block), and the number
    as written."""
    loc = figure.location
    where = (loc.line,) if loc.line is not None else (loc.table, loc.row)
    return (figure.block_index, *where, figure.quantity.text)


def execution_score_interval(weight: Interval, rate: Interval, cap: bool) -> Interval | None:
    """分值 × 执行率 / 100 as an interval, the rate (in %) capped at 100 when ``cap``; None for an open
    rate ("95%以上"). One formula for the rate a report states (S260) and the one its amounts give (S264)."""
    if rate.lo is None or rate.hi is None:
        return None
    if cap:
        rate = Interval(min(rate.lo, HUNDRED), min(rate.hi, HUNDRED))
    return (weight * rate).scale(_PER_CENT)
