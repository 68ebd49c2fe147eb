"""The plain framework read (no pydantic) is never laxer than pydantic's and builds what pydantic builds."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.validate import validate
from jixiao.model.frameworks import Framework, _data, builtin_names
from jixiao.model.frameworks.read import NotPlain, framework_from


def _plain(data: Any) -> Any:
    try:
        return framework_from(data)
    except NotPlain:
        return None


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_frameworks_read_plainly_as_pydantic_reads_them(name):
    plain = _plain(_data(name, quick=True)[0])
    careful, findings = validate(Framework, *_data(name))
    assert findings == []
    assert plain is not None, "a built-in framework must load without the schema (start-up)"
    assert plain == careful


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path into ``node``."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


_BASES = {name: _data(name, quick=True)[0] for name in builtin_names()}
_VALUES = st.sampled_from(
    [
        None,
        "",
        "x",
        "full",
        "ratio",
        "steps",
        "达成年度指标",
        -1,
        0,
        10,
        100,
        "10",
        "1,000",
        "1，0",
        True,
        False,
        Decimal("-0.5"),
        Decimal("0.6"),
        Decimal("NaN"),
        [],
        {},
        ["a"],
        {"low": 0, "high": 1},
        1.5,
    ]
)


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(_BASES[draw(st.sampled_from(sorted(_BASES)))])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        owner: Any = data
        for part in path[:-1]:
            owner = owner[part]
        how = draw(st.sampled_from(["replace", "delete", "add"]))
        if how == "replace":
            owner[path[-1]] = copy.deepcopy(draw(_VALUES))
        elif how == "delete":
            del owner[path[-1]]
        elif isinstance(owner, dict):
            owner[draw(st.sampled_from(["nme", "weight", "cap", "extra", "match"]))] = copy.deepcopy(
                draw(_VALUES)
            )
        if not _paths(data):
            break
    return data


@settings(max_examples=300, deadline=None)
@given(_mutated())
def test_plain_read_never_takes_what_pydantic_refuses(data):
    plain = _plain(data)
    careful, findings = validate(Framework, data, {}, "test.yaml")
    if plain is not None:
        assert careful == plain, findings
