"""Author-path rules as machinery: the clean models and the shipped examples are silent, the seed example
shows its real errors, and B101 fires exactly when the written decimals cannot explain a gap (property).

Each rule's own cases (a patched model and the clean one, with the expected finding) live in
tests/rules/<CODE>.yaml and run through tests/rules/test_cases.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.author.load import Loaded, load_yaml_evaluation
from jixiao.author.pipeline import evaluate_loaded
from jixiao.core.decimals import fmt, half_ulp
from jixiao.core.findings import Finding, Severity
from jixiao.core.yamlio import load_yaml
from jixiao.model.evaluation import Evaluation
from tests.strategies import evaluation_data

REPO = Path(__file__).resolve().parents[1]

# The clean models are shared with the rule cases (tests/rules/<CODE>.yaml patch them).
CASE_FILES = Path(__file__).parent / "rules" / "files"
CLEAN = (CASE_FILES / "clean-2020.yaml").read_text(encoding="utf-8")
CLEAN_2013 = (CASE_FILES / "clean-2013.yaml").read_text(encoding="utf-8")


def _data(text: str) -> dict[str, Any]:
    data, _, findings = load_yaml(text, "t.yaml")
    assert not findings
    assert isinstance(data, dict)
    return data


def run_data(data: dict[str, Any]) -> list[Finding]:
    ev = Evaluation.model_validate(data)
    result = evaluate_loaded(Loaded("t.yaml", ev, {}, []))
    return result.findings


def run_text(text: str) -> list[Finding]:
    result = evaluate_loaded(load_yaml_evaluation(text, "t.yaml"))
    return result.findings


# ---- clean data is silent -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [CLEAN, CLEAN_2013], ids=["mof-2020", "mof-2013-dept"])
def test_clean_model_has_no_findings(text: str) -> None:
    assert [f.render() for f in run_text(text)] == []


@settings(max_examples=80, deadline=None)
@given(data=evaluation_data(), delta_cents=st.integers(0, 300), up=st.booleans())
def test_b101_fires_iff_intervals_do_not_overlap(data: dict[str, Any], delta_cents: int, up: bool) -> None:
    """Move the total annual figure away from the exact sum of its sources: B101 fires exactly when the
    move exceeds what the written decimals can explain (half a unit in the last place of each figure)."""
    budget = data["budget"]
    parts = [row["annual"] for row in budget["by_source"].values()]
    delta = Decimal(delta_cents).scaleb(-2)
    stated = sum(parts, Decimal(0)) + (delta if up else -delta)
    budget["total"]["annual"] = stated
    budget["adjustment_note"] = "调整"
    budget["execution_note"] = "说明"
    slack = sum((half_ulp(v) for v in parts), Decimal(0)) + half_ulp(stated)
    b101 = [f for f in run_data(data) if f.code == "B101"]
    assert len(b101) == (1 if delta > slack else 0)
    if b101:
        assert b101[0].values["stated"] == fmt(stated)


# ---- shipped examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "src/jixiao/author/templates/example.yaml",
        "src/jixiao/author/templates/example-mof-2013-dept.yaml",
        "examples/county-education-2024.yaml",
    ],
)
def test_clean_examples_have_no_findings(path: str) -> None:
    result = evaluate_loaded(load_yaml_evaluation((REPO / path).read_text(encoding="utf-8"), path))
    assert result.scored is not None
    assert [f.render() for f in result.findings] == []


def test_seed_example_shows_its_real_errors() -> None:
    path = "examples/yanfeng-media-2024.yaml"
    result = evaluate_loaded(load_yaml_evaluation((REPO / path).read_text(encoding="utf-8"), path))
    got = {(f.code, f.values.get("stated", ""), f.values.get("recomputed", "")) for f in result.findings}
    assert ("B101", "775.18", "691.74") in got  # by source: only 一般公共预算 691.74 of 775.18
    assert ("B102", "391.39", "391.36") in got  # 年初: 111.01 + 280.35
    assert ("S201", "50", "45") in got  # 产出 weights
    assert "S204" in {code for code, _, _ in got}  # 开设专题专栏 9 of 10, no reason
    # 95.47 + 183.64 = 279.11 against 279.12 is honest rounding: no B102 on the basic row.
    assert not any(f.code == "B102" and f.values.get("stated") == "279.12" for f in result.findings)
    assert result.scored is not None and result.scored.total == Decimal("94.00")
    assert all(
        f.severity is not Severity.ERROR or f.code in ("B101", "B102", "S201", "S204")
        for f in result.findings
    )


@pytest.mark.parametrize(
    ("framework", "template"), [("mof-2020", "example.yaml"), ("mof-2013-dept", "example-mof-2013-dept.yaml")]
)
def test_init_writes_the_commented_template(tmp_path: Path, framework: str, template: str) -> None:
    from click.testing import CliRunner

    from jixiao.cli import main

    out = tmp_path / "jixiao.yaml"
    result = CliRunner().invoke(main, ["init", str(out), "--framework", framework])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text == (REPO / "src/jixiao/author/templates" / template).read_text(encoding="utf-8")
    assert f"framework: {framework}" in text
