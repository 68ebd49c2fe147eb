"""Properties of scoring over random clean evaluations (tests/strategies.py)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings

from jixiao.author.load import Loaded
from jixiao.author.pipeline import evaluate_loaded
from jixiao.core.decimals import ZERO, decimals_of
from jixiao.core.findings import Severity
from jixiao.model.evaluation import Evaluation
from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import score
from tests.strategies import evaluations

FW = load_framework("mof-2020")


@settings(max_examples=100, deadline=None)
@given(evaluations())
def test_every_score_lies_in_zero_to_weight_with_two_decimals(ev: Evaluation) -> None:
    s = score(ev, FW)
    for item in s.indicators:
        assert ZERO <= item.score <= item.weight, item.path
        assert decimals_of(item.score) <= 2
    assert ZERO <= s.execution_score <= s.execution_weight


@settings(max_examples=100, deadline=None)
@given(evaluations())
def test_subtotals_are_sums_of_their_items(ev: Evaluation) -> None:
    s = score(ev, FW)
    for g in s.level2:
        items = [i.score for i in s.indicators if i.path.startswith(g.path + ".")]
        assert g.score == sum(items, ZERO)
    for g in s.level1:
        groups = [x.score for x in s.level2 if x.path.startswith(g.path + ".")]
        items = [i.score for i in s.indicators if i.path.startswith(g.path + ".")]
        assert g.score == sum(groups, ZERO) == sum(items, ZERO)
        assert g.children_weight == sum((x.weight for x in s.level2 if x.path.startswith(g.path + ".")), ZERO)


@settings(max_examples=100, deadline=None)
@given(evaluations())
def test_total_and_grade(ev: Evaluation) -> None:
    s = score(ev, FW)
    assert s.total == s.execution_score + sum((g.score for g in s.level1), ZERO)
    assert s.total <= Decimal(100)
    assert s.grade == FW.grade_for(s.total)
    # The grade is the first band (from the top) whose minimum the total reaches.
    expected = next(g.name for g in FW.grades if s.total >= g.min)
    assert s.grade == expected


@settings(max_examples=100, deadline=None)
@given(evaluations())
def test_clean_random_model_has_no_error_findings(ev: Evaluation) -> None:
    result = evaluate_loaded(Loaded("random.yaml", ev, {}, []))
    errors = [f.render() for f in result.findings if f.severity is Severity.ERROR]
    assert errors == []


@settings(max_examples=100, deadline=None)
@given(evaluations())
def test_full_weights_give_full_marks(ev: Evaluation) -> None:
    """Weights close at every level: the maximum total is exactly 100."""
    s = score(ev, FW)
    assert s.execution_weight + sum((g.weight for g in s.level1), ZERO) == Decimal(100)
    assert all(g.weight == g.children_weight for g in s.level2)
