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
    ExecutionScore,
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
    "ExecutionScore",
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
    claims.extend(_execution_scores(prose_scores, claims))
    return claims


# How far after the execution indicator's own line its rate may be stated: "（一）预算执行率（分值10分，
# 得9.87分）" is usually followed by the sentence with the amounts and the rate.
_RATE_REACH = 2


def _execution_scores(prose_scores: Sequence[Claim], claims: Sequence[Claim]) -> list[Claim]:
    """The prose execution indicator (a score line named …执行率 with weight and score) paired with the
    first stated execution rate in its own block or the next two (table lines pair in claims_tables)."""
    rates = sorted(
        (c for c in claims if isinstance(c, RateClaim) and c.rate.block_index >= 0),
        key=lambda c: (c.rate.block_index, c.rate.quantity.start),
    )
    out: list[Claim] = []
    seen: set[int] = set()
    groups: list[ScoreGroup] = []
    for claim in prose_scores:
        if isinstance(claim, ScoreGroup):
            groups.append(claim)
        elif isinstance(claim, ScoreTotal):
            groups.extend(claim.groups)  # first-level indicators without items are only here
    for group in groups:
        for line in (group.head, *group.items):
            if id(line) in seen or "执行率" not in line.name or line.weight is None or line.score is None:
                continue
            seen.add(id(line))
            at = line.block_index
            rate = next((r.rate for r in rates if at <= r.rate.block_index <= at + _RATE_REACH), None)
            if rate is not None:
                out.append(ExecutionScore(line, rate))
    return out
