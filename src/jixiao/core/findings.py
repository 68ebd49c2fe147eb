"""Findings: what a rule reports. Collected and returned, never raised (beancount's error records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple


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


class Location(NamedTuple):
    """Where a figure or a finding lives. Every field optional; ``str()`` gives ``file:line[:col]``.

    Immutable; a named tuple rather than a frozen dataclass because the review path builds one per
    block and table cell, and a tuple is built in one C call where a frozen dataclass sets each of its
    nine fields in turn.

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
        return {k: v for k, v in zip(self._fields, self, strict=True) if v is not None}


# Labels for the machine keys of ``Finding.values`` in human output (JSON keeps the keys).
# Values for programs (JSON output, tests) that a reader has in words already: the outline key of a section
# ("results_use") is the section's title in the message itself.
MACHINE_ONLY = frozenset({"section"})
VALUE_LABELS = {
    "stated": "所写值",
    "recomputed": "重算值",
    "parts": "分项",
    "found": "实际",
    "expected": "应为",
    "stated_interval": "所写值区间",
    "recomputed_interval": "重算值区间",
    "sum_interval": "合计区间",
    "weight": "分值",
    "score": "得分",
    "deducted": "扣分",
    "unit": "单位",
    "other": "另一处",
    "difference": "差额",
    "framework": "框架",
    "section": "部分",
    "name": "名称",
    "annual": "全年预算数",
    "executed": "全年执行数",
    "initial": "年初预算数",
    "target": "目标值",
    "actual": "实际值",
    "threshold": "阈值",
    "method": "评分方法",
    "measure": "计算口径",
    "ratio": "比例",
    "rate": "比率",
    "tier": "档次",
    "total": "合计",
    "part": "部分",
    "path": "字段",
    "missing": "缺少",
    "replaced": "已替换",
    "encoding": "编码",
    "pages": "页数",
    "page": "页",
    "limit": "上限",
    "seconds": "秒",
    "previous": "前一个",
    "previous_line": "前一个所在行",
    "next_line": "后一个所在行",
    "problem": "问题",
    "key": "字段名",
    "how": "关系",
    "format": "格式",
}


def values_text(values: dict[str, str]) -> str:
    """``报告值: 391.39；重算值: 391.36`` — the values of a finding for people."""
    return "；".join(f"{VALUE_LABELS.get(k, k)}: {v}" for k, v in values.items() if k not in MACHINE_ONLY)


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

    def to_dict(self, slug: str = "") -> dict[str, Any]:
        """The JSON shape of ``check --format json``; ``registry.finding_dict`` fills in the slug."""
        loc = self.location
        return {
            "code": self.code,
            "slug": slug,
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
