"""quick_init gives frozen dataclasses the same construction as their own __init__."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from jixiao.core.findings import Location
from jixiao.review.claims import model as claims_model
from jixiao.review.claims.model import quick_init


def _pair() -> tuple[type, type]:
    def make() -> type:
        @dataclass(frozen=True)
        class Thing:
            a: int
            b: str = "b"
            c: tuple[int, ...] = field(default_factory=tuple)
            d: Location = field(default_factory=Location)

        return Thing

    return make(), quick_init(make())


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((1,), {}),
        ((1, "x"), {}),
        ((1,), {"c": (2,)}),
        ((), {"a": 3, "d": Location(path="p")}),
        ((1, "x", (3,)), {}),
    ],
)
def test_same_fields_as_the_dataclass_init(args: tuple, kwargs: dict) -> None:
    plain, quick = _pair()
    want, got = plain(*args, **kwargs), quick(*args, **kwargs)
    assert dataclasses.asdict(got) == dataclasses.asdict(want)
    assert repr(got).replace(quick.__qualname__, "") == repr(want).replace(plain.__qualname__, "")
    assert got == quick(*args, **kwargs) and hash(got) == hash(quick(*args, **kwargs))
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.a = 5  # type: ignore[misc]


def test_default_factories_give_fresh_values_and_arguments_are_checked() -> None:
    _, quick = _pair()
    assert quick(1).d is not quick(1).d  # the factory is called for each object
    with pytest.raises(TypeError):
        quick()
    with pytest.raises(TypeError):
        quick(1, "b", (), Location(), "too many")
    with pytest.raises(TypeError):
        quick(1, e=2)


def test_every_claim_kind_keeps_its_fields_and_pickles() -> None:
    loc = Location(path="r.txt", line=3)
    line = claims_model.ScoreLine("产出指标", 2, loc, "分值50分", has_reason=False)
    assert (line.name, line.block_index, line.location, line.excerpt, line.weight, line.has_reason) == (
        "产出指标",
        2,
        loc,
        "分值50分",
        None,
        False,
    )
    assert line.source == "prose"
    assert pickle.loads(pickle.dumps(line)) == line
    total = claims_model.ScoreTotal(None, ())
    assert total.grade_location == Location() and total.kind == "score-total" and total.restated == ()
