"""The seed report (a real published report with arithmetic errors) must yield exactly its errors."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from jixiao.core.findings import Finding, Severity
from jixiao.review.pipeline import check_file

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seeds" / "000_e908e985cae8175b.txt"
# Every rule of the review path's catalog (core/rules/money, scores and consistency .yaml): a rule added later is covered by
# test_nothing_else_is_an_error without editing this file.
REVIEW_CODES = {
    code
    for name in ("money.yaml", "scores.yaml", "consistency.yaml")
    for code in YAML(typ="safe").load(
        (resources.files("jixiao.core.rules") / name).read_text(encoding="utf-8")
    )
}


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    if not SEED.is_file():
        pytest.skip(f"seed report not available: {SEED} (the shared folder is absent)")
    return [f for f in check_file(SEED).findings if f.code in REVIEW_CODES]


def one(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, [f.render() for f in findings]
    return matching[0]


def test_budget_total_is_not_basic_plus_project(findings: list[Finding]) -> None:
    f = one(findings, "B151")
    assert f.severity is Severity.ERROR
    assert (f.values["stated"], f.values["recomputed"], f.values["parts"]) == (
        "391.39",
        "391.36",
        "111.01 + 280.35",
    )
    assert f.location.line == 22
    assert "【391.39万元】" in f.excerpt
    assert [loc.line for _, loc in f.related] == [22, 24]


def test_share_of_public_expenses(findings: list[Finding]) -> None:
    f = one(findings, "B153")
    assert (f.values["stated"], f.values["recomputed"]) == ("63.8", "65.79")
    assert "183.64 ÷ 279.12" in f.message
    # 34.2% of 279.12 is right: only the 63.8% share is reported.
    assert "95.47" not in f.message


def test_shares_do_not_add_to_100(findings: list[Finding]) -> None:
    f = one(findings, "B154")
    assert f.values["recomputed"] == "98.0"
    assert "34.2% + 63.8%" in f.message


def test_output_weights_and_scores(findings: list[Finding]) -> None:
    weights = one(findings, "S253")
    assert (weights.values["stated"], weights.values["recomputed"]) == ("50", "45")
    assert weights.values["parts"] == "10 + 10 + 10 + 10 + 5"
    scores = one(findings, "S251")
    assert (scores.values["stated"], scores.values["recomputed"]) == ("49", "44")
    assert scores.location.line == weights.location.line == 33


def test_total_reported_once_with_the_chain(findings: list[Finding]) -> None:
    f = one(findings, "S252")
    assert (f.values["stated"], f.values["recomputed"], f.values["parts"]) == (
        "99",
        "94",
        "10 + 44 + 30 + 10",
    )
    assert "小计之和为99分" in f.message
    assert f.location.line == 30


def test_deduction_without_reason(findings: list[Finding]) -> None:
    f = one(findings, "S257")
    assert f.severity is Severity.WARNING
    assert "专题专栏" in f.message and f.location.line == 39


def test_approximate_counts_conflict_as_warning(findings: list[Finding]) -> None:
    f = one(findings, "Q401")
    assert f.severity is Severity.WARNING
    assert (f.values["stated"], f.values["other"]) == ("20", "30")


def test_appropriation_differs_from_total_as_warning(findings: list[Finding]) -> None:
    f = one(findings, "Q402")
    assert f.severity is Severity.WARNING
    assert (f.values["stated"], f.values["other"], f.values["difference"]) == ("691.74", "775.18", "83.44")


def test_nothing_else_is_an_error(findings: list[Finding]) -> None:
    errors = sorted(f.code for f in findings if f.severity is Severity.ERROR)
    assert errors == ["B151", "B153", "B154", "S251", "S252", "S253"]
    # 95.47 + 183.64 = 279.11 against 279.12 is rounding, and every 100% rate follows from its amounts.
    assert not any("279.11" in f.message for f in findings)
    assert not any(f.code in ("B155", "S255", "S256", "S258") for f in findings)
