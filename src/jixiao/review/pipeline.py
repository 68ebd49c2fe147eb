"""The review pipeline in one place: read → normalise → sections → claims → checks.

``check_file`` never raises for bad input: reading problems come back as findings (R5xx) and the
rest of the pipeline is skipped for that file only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jixiao.core.findings import Finding, Severity, sort_findings
from jixiao.core.rules.registry import all_rules, run_checks
from jixiao.model.frameworks import load_framework
from jixiao.review import checks as _checks  # noqa: F401  (importing registers the review checks)
from jixiao.review.context import ReviewContext
from jixiao.review.document import Document
from jixiao.review.submission import SubmissionFacts, is_sheet_file


@dataclass
class FileReport:
    path: str
    findings: list[Finding] = field(default_factory=list)
    document: Document | None = None
    context: ReviewContext | None = None
    facts: SubmissionFacts | None = None  # set by a batch for a file of a submission (review.submission)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


def _enabled(document: Document, enabled: Iterable[str] | None) -> Iterable[str] | None:
    """Rules that apply to the document (of ``enabled``, when given): a 自评表 (a spreadsheet, or a file
    named …自评表) has no report outline to check."""
    if document.format != "xlsx" and not is_sheet_file(document.path):
        return enabled
    return _sheet_rules() if enabled is None else _sheet_rules() & frozenset(enabled)


@cache
def _sheet_rules() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if not r.code.startswith("T"))


def review_document(
    document: Document, framework: str = "mof-2020", *, enabled: Iterable[str] | None = None
) -> FileReport:
    """Sections, claims and the document checks (only the codes in ``enabled``, when given)."""
    from jixiao.review.claims.collect import extract_claims
    from jixiao.review.doctype import document_type
    from jixiao.review.structure import parse_sections

    fw = load_framework(framework)
    ctx = ReviewContext(document=document, framework=fw)
    ctx.sections = parse_sections(document)
    problems: list[Finding] = []  # a claim reader that fails (R516)
    ctx.claims = extract_claims(document, ctx.sections, problems)
    checked = run_checks("document", ctx, enabled=_enabled(document, enabled))
    # Set after the checks: those that ask work it out once, sharing with T304/T305 what it is made of
    # (the outline's sections found, ReviewContext.derive); afterwards it is that same value.
    ctx.doctype = document_type(ctx)
    findings = list(document.findings) + problems + checked
    return FileReport(document.path, sort_findings(findings), document, ctx)


def check_file(
    path: str | Path,
    framework: str = "mof-2020",
    limits: object | None = None,
    *,
    enabled: Iterable[str] | None = None,
) -> FileReport:
    from jixiao.review.read import ReadLimits, read_document

    document = read_document(path, limits=limits if isinstance(limits, ReadLimits) else ReadLimits())
    if not document.blocks:
        return FileReport(str(path), list(document.findings), document)
    return review_document(document, framework, enabled=enabled)
