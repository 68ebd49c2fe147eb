"""Claims a report makes about its own figures (the review pipeline's step after sections).

``extract_claims(document, sections)`` returns every claim found, in kinds defined in
``claims_model``: budget facts, sums, shares, share sets, rates, score groups and totals, counts and
indicator targets. Prose is read by ``claims_prose`` and ``claims_scores``, tables by ``claims_tables``.
Reading never raises: a block that cannot be understood simply yields no claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from jixiao.review.claims_model import (
    BudgetFact,
    Claim,
    CountFact,
    Figure,
    IndicatorTarget,
    RateClaim,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    ShareClaim,
    ShareSet,
    SumClaim,
)
from jixiao.review.claims_prose import extract_prose_claims
from jixiao.review.claims_scores import extract_score_claims
from jixiao.review.claims_tables import extract_table_claims
from jixiao.review.document import Document

__all__ = [
    "BudgetFact",
    "Claim",
    "CountFact",
    "Figure",
    "IndicatorTarget",
    "RateClaim",
    "ScoreGroup",
    "ScoreLine",
    "ScoreTotal",
    "ShareClaim",
    "ShareSet",
    "SumClaim",
    "extract_claims",
]


def _safely(reader: Callable[[Document], list[Claim]], document: Document) -> list[Claim]:
    """A reader defect on odd text loses that reader's claims, never the review (bad input never
    produces a traceback); the fuzz test in tests/test_claims.py keeps this path unused."""
    try:
        return reader(document)
    except Exception:  # pragma: no cover - defensive
        return []


def extract_claims(document: Document, sections: Sequence[Any] = ()) -> list[Claim]:
    """All claims of a document. ``sections`` (headings) is accepted for the pipeline's signature;
    figures are named from their own sentences, which proved more reliable than section titles
    (the seed states the unit's total inside its 基本支出 section)."""
    del sections
    claims: list[Claim] = []
    claims.extend(_safely(extract_prose_claims, document))
    prose_scores = _safely(extract_score_claims, document)
    table_claims = _safely(extract_table_claims, document)
    # Each total keeps the grade written beside it (prose, or the 自评表's 总分 row): the checks compare
    # every stated grade with a total (S258), so a grade written in two places is checked in both.
    claims.extend(prose_scores)
    claims.extend(table_claims)
    return claims
