"""Interval arithmetic on stated figures (domain.md §8)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.decimals import Interval, dec, decimals_of, fmt, half_ulp, round2

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2, allow_nan=False)


def test_dec_keeps_written_precision():
    assert str(dec("279.10")) == "279.10"
    assert decimals_of(dec("279.10")) == 2
    assert decimals_of(dec("12")) == 0
    assert dec("1,234.5") == Decimal("1234.5")


@pytest.mark.parametrize("bad", ["abc", "", "1.2.3", "NaN", "Infinity"])
def test_dec_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        dec(bad)


def test_half_ulp():
    assert half_ulp(Decimal("1.5")) == Decimal("0.05")
    assert half_ulp(Decimal("12")) == Decimal("0.5")
    assert half_ulp(Decimal("391.39")) == Decimal("0.005")


def test_seed_personnel_plus_public_is_within_rounding():
    # 95.47 + 183.64 = 279.11 against a stated 279.12: honest rounding, must not be an error.
    parts = Interval.stated(dec("95.47")) + Interval.stated(dec("183.64"))
    assert parts.overlaps(Interval.stated(dec("279.12")))


def test_seed_initial_budget_does_not_add_up():
    # 111.01 + 280.35 = 391.36 against a stated 391.39.
    parts = Interval.stated(dec("111.01")) + Interval.stated(dec("280.35"))
    assert not parts.overlaps(Interval.stated(dec("391.39")))


def test_share_quotient():
    share = (Interval.stated(dec("183.64")) / Interval.stated(dec("279.12"))).scale(Decimal(100))
    assert not share.overlaps(Interval.stated(dec("63.8")))
    assert share.overlaps(Interval.stated(dec("65.8")))


def test_open_intervals():
    assert Interval.at_least(Decimal(20)).overlaps(Interval.stated(Decimal(30)))
    assert not Interval.at_most(Decimal(20)).overlaps(Interval.stated(Decimal(30)))
    assert (Interval.at_least(Decimal(1)) + Interval.stated(Decimal(2))).hi is None


def test_division_by_interval_containing_zero_is_unbounded():
    q = Interval.stated(Decimal(5)) / Interval.stated(Decimal(0))
    assert q.lo is None and q.hi is None


@given(st.lists(amounts, min_size=1, max_size=8), st.integers(min_value=0, max_value=2))
def test_sum_of_rounded_parts_never_contradicts_rounded_total(parts, places):
    """Rounding honest parts and the honest total can never produce a false alarm."""
    q = Decimal(1).scaleb(-places)
    total = sum(parts, Decimal(0)).quantize(q)
    rounded = [p.quantize(q) for p in parts]
    acc = Interval.exact(Decimal(0))
    for r in rounded:
        acc = acc + Interval.stated(r)
    assert acc.overlaps(Interval.stated(total))


@given(st.lists(amounts, min_size=2, max_size=6))
def test_a_change_beyond_the_intervals_is_detected(parts):
    total = sum(parts, Decimal(0))
    wrong = total + Decimal("0.02") * len(parts)  # wider than the parts' summed half-units
    acc = Interval.exact(Decimal(0))
    for p in parts:
        acc = acc + Interval.stated(p)
    assert not acc.overlaps(Interval.stated(wrong))


@given(amounts, amounts)
def test_interval_arithmetic_contains_exact_result(a, b):
    ia, ib = Interval.stated(a), Interval.stated(b)
    assert (ia + ib).contains(a + b)
    assert (ia - ib).contains(a - b)
    assert (ia * ib).contains(a * b)
    assert (ia / ib).contains(a / b)


def test_round2_half_up_and_fmt():
    assert round2(Decimal("9.995")) == Decimal("10.00")
    assert round2(Decimal("9.994")) == Decimal("9.99")
    assert fmt(Decimal("-0")) == "0"
    assert fmt(Decimal("1E+2")) == "100"


@pytest.mark.parametrize("text", ["0，8", "80，00", "1300，88", "1,23", "12,3456"])
def test_comma_that_is_not_a_thousands_separator_is_refused(text):
    with pytest.raises(ValueError, match="逗号"):
        dec(text)


def test_full_width_digits_and_thousands_separators():
    assert dec("７７５．１８") == Decimal("775.18")
    assert str(dec("１，２３４．５０")) == "1234.50"
    assert dec("-12,345,678") == Decimal("-12345678")


def test_amount_with_unit_gets_a_hint():
    with pytest.raises(ValueError, match="去掉单位"):
        dec("1240.50万")


@pytest.mark.parametrize("text", ["1e30", "9e999999999", "1E-20"])
def test_absurd_magnitudes_are_refused(text):
    with pytest.raises(ValueError, match="合理范围"):
        dec(text)
