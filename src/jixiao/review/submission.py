"""A submission checked as a whole: which files belong together, and what each states that the others can
be held against (total score, grade, 预算数/执行数/执行率, the indicators of its 自评表).

Which files belong together (``group_files``; the README says the same to users): files in one folder
whose names are alike once the words for what a file is are taken out — 报告/自评报告/自评表/评价表/
绩效/支出/情况/附件N, years, spaces and brackets: "城乡道路养护项目绩效自评报告.docx" and
"2023年城乡道路养护项目自评表.xlsx" are one submission (both "城乡道路养护项目"), and so are "养护.docx"
and "养护.xlsx". Failing that, a folder holding exactly one report and exactly one 自评表 is one
submission. Two files whose names carry different years never belong together. A group needs a report
(any document not named …表) and a 自评表 (a spreadsheet, or a document named …自评表/评价表).

The facts are taken from a file's claims in the worker that checked it, as plain figures (they cross the
process boundary; the claims and the document do not). Until the table reader of the ``tables`` branch
lands they come from the claims the review already extracts (ScoreTotal, BudgetFact, RateClaim,
ScoreLine, IndicatorTarget); an indicator's actual value will come from that table model.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import (
    BudgetFact,
    Figure,
    IndicatorTarget,
    RateClaim,
    ScoreGroup,
    ScoreTotal,
)
from jixiao.review.context import ReviewContext

__all__ = [
    "Indicator",
    "Pair",
    "SubmissionFacts",
    "group_files",
    "is_sheet_file",
    "money_of",
    "submission_facts",
]

SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".et"})
_MEASURES = ("年初预算", "全年预算", "执行数")


@dataclass(frozen=True)
class Indicator:
    """One indicator of a 自评表 (or of a report's own table): name, target as written, weight, score."""

    name: str
    location: Location
    excerpt: str
    target: str = ""
    target_location: Location | None = None
    weight: Figure | None = None
    score: Figure | None = None


@dataclass
class SubmissionFacts:
    """What one file states that the other files of its submission can be compared with."""

    path: str
    sheet: bool  # a 自评表 (spreadsheet, or a document named so)
    total: Figure | None = None
    grade: tuple[str, Location, str] | None = None
    form: str = ""  # "项目" or "部门整体": what the file says it evaluates (its title words)
    money: dict[str, Figure] = field(default_factory=dict)  # 年初预算/全年预算/执行数 of all funds
    # The same of "本项目…", when the file states one figure per measure: a project report's own total.
    project_money: dict[str, Figure] = field(default_factory=dict)
    rate: Figure | None = None  # 预算执行率 of all funds
    indicators: dict[str, list[Indicator]] = field(default_factory=dict)  # table rows, by name without spaces
    prose_scores: dict[str, list[Indicator]] = field(default_factory=dict)  # scored in the text


@dataclass(frozen=True)
class Pair:
    """A report and a 自评表 of one submission: what the bundle checks compare."""

    report: SubmissionFacts
    sheet: SubmissionFacts


def is_sheet_file(path: str | Path) -> bool:
    p = Path(path)
    return p.suffix.lower() in SHEET_SUFFIXES or bool(_SHEET_NAME.search(_nfkc(p.stem)))


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SHEET_NAME = lazy_compile(r"(自评|评价|绩效)[^报]*表[\d\s()（）_\-]*$")  # the name ends with the table word
_ATTACHMENT = lazy_compile(r"^附件\s*\d*[-_:、.\s]*")
_YEAR = lazy_compile(r"(20\d\d)\s*年?度?")
# The words saying what a file is, not what it is about (longest first), and what separates words.
_ROLE_WORDS = lazy_compile(
    r"(绩效)?(自我评价|自评|评价)?(情况|结果)?(报告|汇总表|情况表|表)|支出绩效|部门整体|整体支出|绩效|自评|支出|年度"
)
_NOISE = lazy_compile(r"[\s()\[\]{}<>《》【】「」_\-—–·.,，、:：;；]+")


def _key(path: Path) -> tuple[str, str]:
    """(name without its role words, the year it names or "")."""
    stem = _ATTACHMENT.sub("", _nfkc(path.stem))
    years = _YEAR.findall(stem)
    stem = _YEAR.sub("", stem)
    stem = _NOISE.sub("", _ROLE_WORDS.sub("", stem))
    return stem, years[0] if years else ""


def group_files(paths: Sequence[Path]) -> list[list[int]]:
    """Indices of ``paths`` that form one submission (each group holds a report and a 自评表)."""
    by_folder: dict[Path, list[int]] = {}
    for i, p in enumerate(paths):
        by_folder.setdefault(p.parent, []).append(i)
    groups: list[list[int]] = []
    for members in by_folder.values():
        keyed: dict[str, list[int]] = {}
        years: dict[int, str] = {}
        for i in members:
            name, year = _key(paths[i])
            years[i] = year
            if name:
                keyed.setdefault(name, []).append(i)
        found = [g for g in keyed.values() if _has_both(paths, g)]
        if not found:
            reports = [i for i in members if not is_sheet_file(paths[i])]
            sheets = [i for i in members if is_sheet_file(paths[i])]
            if len(reports) == 1 and len(sheets) == 1:
                found = [sorted(reports + sheets)]
        for g in found:
            named = {years[i] for i in g if years[i]}
            if len(named) <= 1:
                groups.append(g)
    return groups


def _has_both(paths: Sequence[Path], group: list[int]) -> bool:
    kinds = {is_sheet_file(paths[i]) for i in group}
    return kinds == {True, False}


def submission_facts(ctx: ReviewContext, path: str) -> SubmissionFacts:
    """The facts of one checked file: each figure it states, when every statement of it agrees (a
    workbook of several project sheets, or a report that also gives last year's total, states several
    different totals: which one to compare is not known, so none is)."""
    facts = SubmissionFacts(path=path, sheet=is_sheet_file(path), form=_form(ctx))
    totals: list[Figure] = []
    grades: list[tuple[str, Location, str]] = []
    money: dict[str, list[Figure]] = {}
    project: dict[str, list[Figure]] = {}
    for claim in ctx.claims:
        if isinstance(claim, ScoreTotal):
            if claim.total is not None:
                totals.append(claim.total)
            if claim.grade:
                grades.append((claim.grade, claim.grade_location, claim.grade_excerpt))
            for group in claim.groups:
                _add_lines(facts, group)
        elif isinstance(claim, ScoreGroup):
            _add_lines(facts, claim)
        elif isinstance(claim, BudgetFact) and claim.measure in _MEASURES:
            if claim.scope == "总":
                money.setdefault(claim.measure, []).append(claim.figure)
            elif claim.scope == "项目":
                project.setdefault(claim.measure, []).append(claim.figure)
        elif isinstance(claim, IndicatorTarget):
            key = _compact(claim.name)
            if key:
                rows = facts.indicators.setdefault(key, [])
                if not any(row.location == claim.location for row in rows):
                    rows.append(
                        Indicator(claim.name, claim.location, claim.excerpt, claim.target, claim.location)
                    )
    facts.total = _agreed(totals)
    if grades and all(g[0] == grades[0][0] for g in grades):
        facts.grade = grades[0]
    facts.money = {m: f for m, found in money.items() if (f := _agreed(found)) is not None}
    facts.project_money = {m: f for m, found in project.items() if (f := _agreed(found)) is not None}
    done = facts.money.get("执行数") or facts.project_money.get("执行数")
    rates = [c for c in ctx.claims if isinstance(c, RateClaim) and c.rate.quantity.unit == "%"]
    # The rate of all funds: its numerator is the total 执行数 (a source row has its own).
    if done is not None:
        facts.rate = next((c.rate for c in rates if c.numerator.interval.overlaps(done.interval)), None)
    _merge_targets(facts)
    return facts


def _agreed(figures: list[Figure]) -> Figure | None:
    """The first figure, when every other statement of it may be the same figure; else None."""
    if not figures:
        return None
    first = figures[0]
    if all(f.quantity.interval.overlaps(first.quantity.interval) for f in figures[1:]):
        return first
    return None


def _form(ctx: ReviewContext) -> str:
    """ "项目" or "部门整体" from the first words of the file (its title), "" when it does not say."""
    head = "".join(block.text for block in ctx.document.blocks[:5])[:400]
    project, department = head.find("项目"), head.find("部门整体")
    if project < 0 and department < 0:
        return ""
    if department < 0 or 0 <= project < department:
        return "项目"
    return "部门整体"


def money_of(facts: SubmissionFacts, measure: str, other: SubmissionFacts) -> Figure | None:
    """``facts``' figure of all funds for ``measure``; a project report's "本项目" figure stands for it when
    the other file is a project 自评表."""
    found = facts.money.get(measure)
    if found is None and other.form == "项目" and facts.form != "部门整体":
        found = facts.project_money.get(measure)
    return found


def _compact(name: str) -> str:
    return "".join(_nfkc(name).split())


def _add_lines(facts: SubmissionFacts, group: ScoreGroup) -> None:
    for line in group.items:
        key = _compact(line.name)
        if not key or (line.score is None and line.weight is None):
            continue
        side = facts.indicators if line.source == "table" else facts.prose_scores
        rows = side.setdefault(key, [])
        if not any(row.location == line.location and row.score is line.score for row in rows):
            rows.append(
                Indicator(line.name, line.location, line.excerpt, weight=line.weight, score=line.score)
            )


def _merge_targets(facts: SubmissionFacts) -> None:
    """A table row gives a score line and a target claim: one indicator, with both (same row)."""
    for key, rows in facts.indicators.items():
        targets = [r for r in rows if r.target_location is not None]
        scored = [r for r in rows if r.target_location is None]
        if not targets or not scored:
            continue
        merged: list[Indicator] = []
        for s in scored:
            row = s.score.location.row if s.score is not None else s.location.row
            match = next((t for t in targets if t.target_location and t.target_location.row == row), None)
            if match is not None:
                targets.remove(match)
                merged.append(
                    Indicator(
                        s.name, s.location, s.excerpt, match.target, match.target_location, s.weight, s.score
                    )
                )
            else:
                merged.append(s)
        facts.indicators[key] = merged + targets
