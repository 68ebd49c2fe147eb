"""dump_evaluation: YAML the loader reads back to the same Evaluation, decimals as stored."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.author.load import load_evaluation, load_yaml_evaluation
from jixiao.model.evaluation import Evaluation
from jixiao.report.yaml_out import dump_evaluation
from tests.strategies import evaluations, odd_decimals

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "yanfeng-media-2024.yaml"


def exact(value: Any) -> Any:
    """A comparable form in which 279.1 and 279.10 differ (Decimal equality alone ignores the exponent)."""
    if isinstance(value, Evaluation):
        return exact(value.model_dump(mode="python"))
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exact(v) for v in value]
    if isinstance(value, Decimal):
        return ("D", value, value.as_tuple().exponent)
    return value


def example() -> Evaluation:
    loaded = load_evaluation(EXAMPLE)
    assert loaded.evaluation is not None, [f.render() for f in loaded.findings]
    return loaded.evaluation


def reload(text: str) -> Evaluation:
    loaded = load_yaml_evaluation(text, "<dump>")
    assert loaded.evaluation is not None, [f.render() for f in loaded.findings] + [text]
    return loaded.evaluation


def test_example_round_trip_keeps_decimals_and_comments() -> None:
    ev = example()
    text = dump_evaluation(ev)
    assert exact(reload(text)) == exact(ev)
    # figures are written as typed: trailing zeros and integers stay as they were
    assert "executed: 279.12" in text and "weight: 50\n" in text
    assert "# 资金情况" in text and "# 绩效指标" in text
    assert text.startswith("# 雁峰区融媒体中心 2024")


def test_trailing_zero_survives() -> None:
    ev = example()
    data = ev.model_dump()
    data["budget"]["basic"]["annual"] = Decimal("279.10")
    data["budget"]["carry_over"] = Decimal("0.500")
    ev2 = Evaluation.model_validate(data)
    text = dump_evaluation(ev2)
    assert "annual: 279.10" in text and "carry_over: 0.500" in text
    back = reload(text)
    assert back.budget.basic is not None
    assert back.budget.basic.annual is not None and str(back.budget.basic.annual) == "279.10"
    assert str(back.budget.carry_over) == "0.500"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_random_evaluations_round_trip(ev: Evaluation) -> None:
    assert exact(reload(dump_evaluation(ev))) == exact(ev)


_ODD_TEXT = st.text(max_size=30)
_ODD_DECIMAL = odd_decimals()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=_ODD_TEXT,
    problems=_ODD_TEXT,
    functions=st.lists(_ODD_TEXT, max_size=3),
    indicator=_ODD_TEXT,
    amount=_ODD_DECIMAL,
    weight=odd_decimals(non_negative=True),
    target_text=_ODD_TEXT,
)
def test_awkward_text_and_numbers_round_trip(
    name: str,
    problems: str,
    functions: list[str],
    indicator: str,
    amount: Decimal,
    weight: Decimal,
    target_text: str,
) -> None:
    """Quotes, colons, '#', leading '=', newlines, '1E+2', '-0.000': all must come back as stored."""
    data = copy.deepcopy(example().model_dump())
    data["unit"]["name"] = name
    data["unit"]["functions"] = functions
    data["narrative"]["problems"] = problems
    data["budget"]["total"]["annual"] = amount
    ind = data["indicators"][0]["groups"][0]["indicators"][0]
    ind.update(name=indicator, weight=weight, target_text=target_text)
    ev = Evaluation.model_validate(data)
    assert exact(reload(dump_evaluation(ev))) == exact(ev)
