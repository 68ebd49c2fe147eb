"""Claims a report makes about its own figures (the review pipeline's step after sections).

``extract_claims(document, sections)`` returns every claim found, in kinds defined in
``claims_model``: budget facts, sums, shares, share sets, rates, score groups and totals, counts and
indicator targets. Prose is read by ``claims_prose`` and ``claims_scores``, tables by ``claims_tables``.
Reading never raises: a block that cannot be understood simply yields no claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
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
    # The stated grade belongs to one total: the prose one when it states a total, else the table's.
    prose_total = next((c for c in prose_scores if isinstance(c, ScoreTotal)), None)
    if prose_total is not None and prose_total.total is None:
        grade = (prose_total.grade, prose_total.grade_location, prose_total.grade_excerpt)
        for i, c in enumerate(table_claims):
            if isinstance(c, ScoreTotal) and c.total is not None:
                table_claims[i] = replace(c, grade=grade[0], grade_location=grade[1], grade_excerpt=grade[2])
                prose_scores = [
                    replace(p, grade="") if isinstance(p, ScoreTotal) else p for p in prose_scores
                ]
                break
    claims.extend(prose_scores)
    claims.extend(table_claims)
    return claims
