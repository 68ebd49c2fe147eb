"""One file through the review pipeline, in a worker process: everything the store keeps of it, as plain
data (it crosses a process boundary). The parent process does all the writing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.rules.registry import rule
from jixiao.store import summary
from jixiao.store.catalogue import catalogue_version

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class Analysis:
    findings: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    unit: str = ""  # as the report's title gives it
    year: int | None = None
    stated_score: str | None = None
    recomputed_score: str | None = None
    grade: str | None = None
    execution_rate: str | None = None
    figures: dict[tuple[str, str], str] = field(default_factory=dict)
    readable: bool = True
    catalogue: str = ""


def _finding(code: str, message: str, name: str) -> Finding:
    return rule(code).finding(message, Location(path=name))


def analyse(path: str, name: str, kind: str, framework: str = "mof-2020") -> Analysis:
    """Check the stored file at ``path`` (``name``: the name it came with, shown in findings)."""
    from jixiao.convert.extract import unit_name_year, year_fallback
    from jixiao.review.pipeline import check_file

    out = Analysis(catalogue=catalogue_version())
    if kind in ("unknown", "zip"):
        what = (
            "zip 中不是报告"
            if kind == "zip"
            else "无法识别的文件类型（支持 .txt .docx .pdf .html .xlsx .doc .wps）"
        )
        code = "R509" if kind != "unknown" else "R504"
        out.findings = [_finding(code, what, name).to_dict()]
        out.readable = False
        return out
    try:
        report = check_file(path, framework)
    except Exception as exc:  # one bad file must not stop an import
        f = _finding("R502", f"处理此文件时程序出错（请报告此缺陷）：{type(exc).__name__}: {exc}", name)
        out.findings, out.readable = [f.to_dict()], False
        return out
    for f in report.findings:
        d = f.to_dict()
        d["path"] = name
        d["location"]["path"] = name
        out.findings.append(d)
    doc, ctx = report.document, report.context
    reading = [f for f in report.findings if f.code.startswith("R")]
    out.readable = not (
        doc is None
        or not doc.blocks
        or (any(f.severity is Severity.ERROR for f in reading) and len(reading) == len(report.findings))
    )
    if doc is not None:
        out.paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    if doc is not None and ctx is not None:
        out.unit, out.year = unit_name_year(doc, ctx.sections)
        out.year = out.year or year_fallback(doc)
        out.stated_score, out.recomputed_score, out.grade = summary.scores(ctx.claims)
        out.figures = summary.figures(ctx.claims)
        out.execution_rate = summary.execution_rate(out.figures)
    return out


def unit_from_path(name: str, folders: tuple[str, ...]) -> tuple[str, str | None, int | None]:
    """(unit, 主管部门 or None, year) from where a file sat: ``主管部门/单位/报告.docx``, ``单位/报告.docx`` or
    a name like ``某局2024年自评报告.docx``."""
    stem = Path(name).stem
    m = _YEAR.search(name)
    year = int(m.group(1)) if m else None
    meaningful = [f for f in folders if not _YEAR.fullmatch(f)]
    if meaningful:
        unit = meaningful[-1]
        parent = meaningful[-2] if len(meaningful) > 1 else None
        return unit, parent, year
    unit = re.split(r"(?:19|20)\d{2}", stem)[0].strip(" -_（(") or stem
    return unit, None, year
