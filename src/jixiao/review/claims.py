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
    make_figure,
    sentence_bounds,
)
from jixiao.review.claims_prose import extract_prose_claims, scope_in
from jixiao.review.claims_scores import extract_score_claims
from jixiao.review.claims_tables import extract_table_claims
from jixiao.review.document import Document
from jixiao.review.quantities import find_quantities

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
    claims.extend(_execution_scores(document, prose_scores))
    return claims


# How far after the execution indicator's own line its rate may be stated: "（一）预算执行率（分值10分，
# 得9.87分）" is usually followed by the sentence with the amounts and the rate.
_RATE_REACH = 2
_RATE_BEFORE = 12  # characters before a percentage searched for 执行率


def _execution_scores(document: Document, prose_scores: Sequence[Claim]) -> list[Claim]:
    """The prose execution indicator (a score line named …执行率 with weight and score) with every
    execution rate stated in its own block or the next two: the whole budget's first, then the parts'
    (基本支出, a source…), each in the order written. The check asks that one of them fit."""
    groups: list[ScoreGroup] = []
    for claim in prose_scores:
        if isinstance(claim, ScoreGroup):
            groups.append(claim)
        elif isinstance(claim, ScoreTotal):
            groups.extend(claim.groups)  # first-level indicators without items are only here
    out: list[Claim] = []
    seen: set[int] = set()
    for group in groups:
        for line in (group.head, *group.items):
            if id(line) in seen or "执行率" not in line.name or line.weight is None or line.score is None:
                continue
            seen.add(id(line))
            if scope_in(line.name) not in ("", "总"):
                continue  # "项目支出执行率": a part's rate, not the budget execution indicator
            rates = _rates_near(document, line.block_index)
            if rates:
                out.append(ExecutionScore(line, rates))
    return out


def _rates_near(document: Document, at: int) -> tuple[Figure, ...]:
    whole: list[Figure] = []
    parts: list[Figure] = []
    for index in range(at, min(at + _RATE_REACH + 1, len(document.blocks))):
        block = document.blocks[index]
        if block.kind != "paragraph" or "执行率" not in block.text:
            continue
        text = block.text
        previous = 0  # end of the previous percentage: a scope named before that one is its own
        for q in find_quantities(text):
            if q.unit != "%":
                continue
            sentence_start, _ = sentence_bounds(text, q.start)
            named = text[max(sentence_start, previous) : q.start]
            previous = q.end
            if q.approximate or "执行率" not in text[max(0, q.start - _RATE_BEFORE) : q.start]:
                continue
            target = whole if scope_in(named) in ("", "总") else parts
            target.append(make_figure(q, index, block, label="执行率"))
    return (*whole, *parts)
