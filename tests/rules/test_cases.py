"""Every rule case runs; every live rule has a failing and a passing case; every R/I code is emitted.

The cases are data (tests/rules/<CODE>.yaml, format in tests/rules/README.md); the machinery that runs
them is tests/rules/cases.py.
"""

from __future__ import annotations

import pytest

from jixiao.rulesets import every_rule
from tests.rules.cases import Case, doc_example, load_cases, mismatch, run_case

CASES = load_cases()
LIVE = [r for r in every_rule() if not r.retired]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    problem = mismatch(case, run_case(case))
    assert problem is None, problem


def test_every_live_rule_has_a_failing_and_a_passing_case() -> None:
    failing = {c.code for c in CASES if c.failing}
    passing = {c.code for c in CASES if not c.failing}
    missing = [
        f"{r.code}: {'、'.join(k for k, have in (('失败', failing), ('通过', passing)) if r.code not in have)}"
        for r in LIVE
        if r.code not in failing or r.code not in passing
    ]
    assert missing == [], "rules without a failing or a passing case"


def test_retired_rules_have_no_cases() -> None:
    retired = {r.code for r in every_rule() if r.retired}
    assert sorted({c.code for c in CASES} & retired) == []


def test_every_reading_and_input_code_is_emitted() -> None:
    """R and I findings come from stages, not checks: nothing else shows that each is ever produced."""
    emitted = {f.code for c in CASES if c.failing for f in run_case(c).findings}
    never = [r.code for r in LIVE if r.code[0] in "RI" and r.code not in emitted]
    assert never == [], "documented reading/input codes that no case emits (emit them, or retire them)"


def test_every_runnable_example_is_a_case() -> None:
    """A 示例 with a ```text or ```yaml block runs as a `from_doc` case of its rule."""
    from_doc = {c.code for c in CASES if c.spec.get("from_doc")}
    runnable = {r.code for r in LIVE if doc_example(r) is not None}
    assert sorted(runnable - from_doc) == []
    assert sorted(from_doc - runnable) == []
