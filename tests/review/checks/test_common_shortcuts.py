"""The shortcuts in review/checks.py against the slow computations they stand in for."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.decimals import Interval, sum_intervals
from jixiao.core.findings import Location
from jixiao.review.checks.common import _first_per_key
from jixiao.review.checks.money import _bounds_representable, _meets_exactly
from jixiao.review.claims.model import ScoreLine, fixed_place

# Decimals as figures are written: a few digits, up to 4 decimals, sometimes negative or zero.
_written = st.builds(
    lambda digits, places, negative: Decimal(digits).scaleb(-places) * (-1 if negative else 1),
    st.integers(0, 10**9),
    st.integers(0, 4),
    st.booleans(),
)
_bound = st.one_of(st.none(), _written)


def _interval(draw: st.DrawFn, bounded: bool = False) -> Interval:
    a = draw(_written if bounded else _bound)
    b = draw(_written if bounded else _bound)
    if a is not None and b is not None and a > b:
        a, b = b, a
    return Interval(a, b)


@st.composite
def _intervals(draw: st.DrawFn) -> Interval:
    return _interval(draw)


@st.composite
def _near_quotient(draw: st.DrawFn) -> tuple[Interval, Interval, Interval]:
    """A part, a whole and a stated % near part ÷ whole, so both answers of _meets_exactly occur."""
    part_value = Decimal(draw(st.integers(1, 10**8))).scaleb(-2)
    whole_value = Decimal(draw(st.integers(1, 10**8))).scaleb(-2)
    half = Decimal("0.005")
    part = Interval(part_value - half, part_value + half)
    whole = Interval(whole_value - half, whole_value + half)
    pct = (part_value / whole_value * 100).quantize(Decimal("0.01"))
    nudge = Decimal(draw(st.integers(-3, 3))).scaleb(-draw(st.integers(1, 6)))
    stated = Interval(pct + nudge - Decimal("0.005"), pct + nudge + Decimal("0.005"))
    return part, whole, stated


def _slow(part: Interval, whole: Interval, stated: Interval) -> bool:
    return (part / whole).scale(Decimal(100)).overlaps(stated)


@settings(max_examples=400)
@given(_near_quotient())
def test_meets_exactly_implies_the_rounded_quotient_fits(case: tuple[Interval, Interval, Interval]) -> None:
    part, whole, stated = case
    assert _bounds_representable(stated)
    if _meets_exactly(part, whole, stated):
        assert _slow(part, whole, stated)


@settings(max_examples=400)
@given(_intervals(), _intervals(), _intervals())
def test_meets_exactly_implies_overlap_for_any_intervals(
    part: Interval, whole: Interval, stated: Interval
) -> None:
    if _bounds_representable(stated) and _meets_exactly(part, whole, stated):
        assert _slow(part, whole, stated)


def test_meets_exactly_says_yes_and_no() -> None:
    half = Decimal("0.005")
    part = Interval(Decimal("95852.085"), Decimal("95852.095"))
    whole = Interval(Decimal("98404.085"), Decimal("98404.095"))
    assert _meets_exactly(part, whole, Interval(Decimal("97.41") - half, Decimal("97.41") + half))
    assert not _meets_exactly(part, whole, Interval(Decimal("97.51") - half, Decimal("97.51") + half))
    assert not _meets_exactly(part, Interval(Decimal(0), Decimal(1)), Interval(Decimal(1), Decimal(2)))
    assert not _bounds_representable(Interval(Decimal("1." + "1" * 30), None))


@given(st.lists(_intervals(), max_size=6))
def test_interval_sum_is_repeated_addition(intervals: list[Interval]) -> None:
    expected = Interval.exact(Decimal(0))
    for iv in intervals:
        expected = expected + iv
    got = sum_intervals(intervals)
    assert repr(got) == repr(expected)  # the same Decimals, exponents included


def _line(name: str, line_no: int) -> ScoreLine:
    return ScoreLine(name=name, block_index=0, place=fixed_place(Location(line=line_no), ""))


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(1, 3), st.integers(0, 5)), max_size=12))
def test_first_per_key_is_the_first_of_each_place_and_name(spec: list[tuple[str, int, int]]) -> None:
    pool: dict[int, ScoreLine] = {}
    lines = []
    for name, line_no, which in spec:
        # ``which`` picks a line object to repeat, so the same object may occur several times.
        lines.append(pool.setdefault(which, _line(name, line_no)))
    expected: list[ScoreLine] = []
    seen: set[tuple[Location, str]] = set()
    for line in lines:
        key = (line.location, line.name)
        if key not in seen:
            seen.add(key)
            expected.append(line)
    got = _first_per_key(lines)
    assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected, strict=True))
