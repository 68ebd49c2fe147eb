"""Findings: what a rule reports. Collected and returned, never raised (beancount's error records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a figure or a finding lives. Every field optional; ``str()`` gives ``file:line[:col]``.

    line     1-based line in a text file or YAML file; for .docx the paragraph number; for .pdf the line on the page
    column   1-based column
    page     1-based page (pdf)
    sheet, cell   workbook sheet name and A1 cell (xlsx input)
    table, row, col   1-based table number in the document and cell coordinates inside it
    """

    path: str = ""
    line: int | None = None
    column: int | None = None
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path or "<input>"]
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cell or ''}")
        elif self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        extra = []
        if self.page is not None:
            extra.append(f"第{self.page}页")
        if self.table is not None:
            extra.append(f"表{self.table}")
            if self.row is not None:
                extra.append(f"行{self.row}")
            if self.col is not None:
                extra.append(f"列{self.col}")
        return text + (f" ({' '.join(extra)})" if extra else "")

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found. ``values`` holds the figures involved as strings (stated, recomputed, parts...)."""

    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    excerpt: str = ""
    values: dict[str, str] = field(default_factory=dict)
    # Where each figure used came from, for the reviewer to check by hand.
    related: tuple[tuple[str, Location], ...] = ()

    @property
    def slug(self) -> str:
        from jixiao.rules.registry import get_rule

        rule = get_rule(self.code)
        return rule.slug if rule else ""

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity.value,
            "message": self.message,
            "path": loc.path,
            "line": loc.line,
            "location": loc.to_dict(),
            "excerpt": self.excerpt,
            "values": dict(self.values),
            "related": [{"what": what, **where.to_dict()} for what, where in self.related],
        }

    def render(self) -> str:
        """Compiler-style one-liner: ``file:line: CODE message``."""
        return f"{self.location}: {self.code} [{self.severity.label}] {self.message}"


def max_severity(findings: list[Finding]) -> Severity | None:
    if not findings:
        return None
    return max((f.severity for f in findings), key=lambda s: s.rank)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[Any, ...]:
        loc = f.location
        return (loc.path, loc.page or 0, loc.line or 0, loc.sheet or "", loc.cell or "", f.code)

    return sorted(findings, key=key)
