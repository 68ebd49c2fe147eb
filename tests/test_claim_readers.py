"""A claim reader that fails is reported (R516), never a silent loss of its claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.findings import Severity
from jixiao.review.claims import collect
from jixiao.review.claims.model import BudgetFact, Claim
from jixiao.review.document import Document
from jixiao.review.pipeline import check_file

FIXTURE = Path(__file__).parent / "fixtures" / "review" / "hunan_dept_clean.txt"


def _broken(document: Document) -> list[Claim]:
    raise RuntimeError("reader defect")


def test_a_failing_reader_becomes_a_warning_and_the_others_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = check_file(FIXTURE)
    assert not [f for f in before.findings if f.code == "R516"]
    monkeypatch.setattr(collect, "extract_table_claims", _broken)
    after = check_file(FIXTURE)
    failed = [f for f in after.findings if f.code == "R516"]
    assert len(failed) == 1
    assert failed[0].severity is Severity.WARNING
    assert "表格" in failed[0].message and "RuntimeError: reader defect" in failed[0].message
    assert failed[0].location.path == str(FIXTURE)
    assert after.context is not None  # the prose reader's claims are still there
    assert any(isinstance(c, BudgetFact) for c in after.context.claims)


def test_without_a_list_for_problems_the_error_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.review.read import document_from_text

    monkeypatch.setattr(collect, "extract_prose_claims", _broken)
    with pytest.raises(RuntimeError, match="reader defect"):
        collect.extract_claims(document_from_text("全年预算100万元。", path="x.txt"))
