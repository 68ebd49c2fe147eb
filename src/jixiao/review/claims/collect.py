"""Claims a report makes about its own figures (the review pipeline's step after sections).

``extract_claims(document, sections)`` returns every claim found, in kinds defined in
``claims_model``: budget facts, sums, shares, share sets, rates, score groups and totals, counts and
indicator targets. Prose is read by ``claims_prose`` and ``claims_scores``, tables by ``claims_tables``.
A block that cannot be understood yields no claim; a reader that fails is reported (R516).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jixiao.core.findings import Finding, Location
from jixiao.core.patterns import lazy_compile
from jixiao.core.rules.registry import rule
from jixiao.review.claims.form_note import extract_form_note_claims
from jixiao.review.claims.glued import extract_glued_claims
from jixiao.review.claims.model import (
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
from jixiao.review.claims.prose import extract_prose_claims, scope_in
from jixiao.review.claims.scores import extract_score_claims
from jixiao.review.claims.selfeval import extract_selfeval_claims
from jixiao.review.claims.tables import extract_table_claims
from jixiao.review.document import Document
from jixiao.review.quantities import find_quantities, unit_words, written_forms
from jixiao.review.structure import Heading

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


def _safely(
    reader: Callable[[Document], list[Claim]], what: str, document: Document, problems: list[Finding] | None
) -> list[Claim]:
    """A reader defect on odd text loses that reader's claims, never the review (bad input never
    produces a traceback), and never silently: it becomes an R516 warning in ``problems``, as a
    crashing check becomes a warning (core/rules/registry.run_checks). Without ``problems`` the
    error propagates."""
    if problems is None:
        return reader(document)
    try:
        return reader(document)
    except Exception as exc:
        problems.append(
            rule("R516").finding(
                f"读取{what}中的陈述时程序出错（程序缺陷，请报告），这部分内容未核对：{type(exc).__name__}: {exc}",
                Location(path=document.path),
            )
        )
        return []


def extract_claims(
    document: Document, sections: Sequence[Heading] = (), problems: list[Finding] | None = None
) -> list[Claim]:
    """All claims of a document. ``sections`` (headings) is accepted for the pipeline's signature;
    figures are named from their own sentences, which proved more reliable than section titles
    (the seed states the unit's total inside its 基本支出 section). A reader that fails adds an R516
    warning to ``problems`` and the others still read; without ``problems`` its error propagates."""
    del sections
    claims: list[Claim] = []
    claims.extend(_safely(extract_prose_claims, "正文", document, problems))
    prose_scores = _safely(extract_score_claims, "评分", document, problems)
    table_claims = _safely(extract_table_claims, "表格", document, problems)
    # Each total keeps the grade written beside it (prose, or the 自评表's 总分 row): the checks compare
    # every stated grade with a total (S258), so a grade written in two places is checked in both.
    claims.extend(prose_scores)
    claims.extend(table_claims)
    selfeval = _safely(extract_selfeval_claims, "自评表", document, problems)
    claims.extend(_not_read_yet(selfeval, table_claims))
    claims.extend(_safely(extract_glued_claims, "粘连的自评表", document, problems))
    claims.extend(_safely(extract_form_note_claims, "自评表表注", document, problems))
    claims.extend(_execution_scores(document, [*prose_scores, *table_claims]))
    return claims


def _blocks_of(claim: Claim) -> set[int]:
    """The blocks a claim's figures lie in (what tells two readings of one table row apart)."""
    if isinstance(claim, SumClaim):
        return {claim.total.block_index}
    if isinstance(claim, RateClaim):
        return {claim.rate.block_index}
    if isinstance(claim, ExecutionScore):
        return {claim.line.block_index}
    if isinstance(claim, ScoreGroup):
        return {line.block_index for line in claim.items} or {claim.head.block_index}
    if isinstance(claim, ScoreTotal):
        return {line.block_index for g in claim.groups for line in (g.head, *g.items)}
    return set()


def _not_read_yet(selfeval: list[Claim], table_claims: list[Claim]) -> list[Claim]:
    """The 自评表 reader's claims, less the sums, rates, execution scores and score lines the column reader
    (claims/tables.py) already states for the same block: one relation, one finding. The reader's own kinds
    (indicator rows, money blocks) are kept: nothing else states them."""
    # Only the kinds the 自评表 reader stated are compared (most table claims are of other kinds), and a
    # claim of a kind no table claim has is kept without reading its blocks.
    kinds = {type(c) for c in selfeval}
    seen: dict[type, set[int]] = {}
    for claim in table_claims:
        kind = ScoreGroup if isinstance(claim, ScoreTotal) else type(claim)
        if kind in kinds:
            seen.setdefault(kind, set()).update(_blocks_of(claim))
    return [c for c in selfeval if type(c) not in seen or not (_blocks_of(c) & seen[type(c)])]


# How far after the execution indicator's own line its rate may be stated: "（一）预算执行率（分值10分，
# 得9.87分）" is usually followed by the sentence with the amounts and the rate.
_RATE_REACH = 2
# Words that may stand before 执行率 in the indicator's name or in a rate's label and still mean the
# budget being evaluated: "预算执行率", "年度资金执行率", "项目资金执行率" — not "“三公”经费预算执行率",
# "政府采购执行率", "基本支出执行率".
_WHOLE = r"(?:年度|全年|部门|单位|整体|总体|部门整体|本年度?)?(?:预算|资金|预算资金|财政资金|财政拨款|项目资金|项目预算|部门预算)?"
_EXECUTION_NAME = lazy_compile(rf"{_WHOLE}执行率")
# A percentage that 执行率 labels directly: "预算执行率95%", "执行率为95%" — not "执行率=执行数/预算数×100%",
# "执行率同比提高5%". The label is what the clause says before 执行率.
_RATE_LABEL = lazy_compile(r"(?P<label>[^，,；;。：:\s（(“”]{0,8})执行率(?:为|是|达到|达|:|：)?\s*$")


def _execution_scores(document: Document, claims: Sequence[Claim]) -> list[Claim]:
    """The prose execution indicator (a score line named 预算执行率, 资金执行率… with weight and score) with
    the execution rates of the same budget stated in its block or the next two (prose, or a table's
    年度资金总额 row). Without such a rate there is no claim: a part's rate (基本支出, 政府采购) says nothing
    about the indicator's score."""
    groups: list[ScoreGroup] = []
    for claim in claims:
        if isinstance(claim, ScoreGroup):
            groups.append(claim)
        elif isinstance(claim, ScoreTotal):
            groups.extend(claim.groups)  # first-level indicators without items are only here
    table_rates = [
        c.rate
        for c in claims
        if isinstance(c, RateClaim) and c.rate.label == "总执行率" and c.rate.block_index >= 0
    ]
    out: list[Claim] = []
    seen: set[int] = set()
    for group in groups:
        for line in (group.head, *group.items):
            if id(line) in seen or line.source != "prose" or line.weight is None or line.score is None:
                continue
            seen.add(id(line))
            if _EXECUTION_NAME.fullmatch(line.name.replace(" ", "")) is None:
                continue
            # "项目资金执行率" in a project report: the project is the whole, and its rates count.
            scopes = {"", "总", scope_in(line.name)}
            at = line.block_index
            rates = _rates_near(document, at, scopes)
            rates += tuple(r for r in table_rates if at <= r.block_index <= at + _RATE_REACH)
            if rates:
                out.append(ExecutionScore(line, rates))
    return out


# The scanner reads a figure as a % only with a % unit word after it or 百分之 before it (the unit rule
# prose._may_hold_figures relies on): a block with neither has no rate, and is not scanned ("（一）预算执行率
# （分值10分，得9.87分）", which the prose reader does not scan either).
_PERCENT_WORDS = (
    "百分之",
    *sorted({f for w, u in unit_words().items() if u == "%" for f in written_forms(w)}),
)


def _rates_near(document: Document, at: int, scopes: set[str]) -> tuple[Figure, ...]:
    found: list[Figure] = []
    for index in range(at, min(at + _RATE_REACH + 1, len(document.blocks))):
        block = document.blocks[index]
        text = block.text
        if block.kind != "paragraph" or "执行率" not in text or not any(w in text for w in _PERCENT_WORDS):
            continue
        previous = 0  # end of the previous percentage: a scope named before that one is its own
        for q in find_quantities(text):
            if q.unit != "%":
                continue
            sentence_start, _ = sentence_bounds(text, q.start)
            named = text[max(sentence_start, previous) : q.start]
            previous = q.end
            m = _RATE_LABEL.search(text, max(0, q.start - 16), q.start)
            if q.approximate or m is None or _EXECUTION_NAME.fullmatch(m.group("label") + "执行率") is None:
                continue
            if scope_in(named) in scopes:
                found.append(make_figure(q, index, block, label="执行率"))
    return tuple(found)
