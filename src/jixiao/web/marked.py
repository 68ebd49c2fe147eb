"""The report page's text: the document as read, each finding marked where it occurs — the same placing
and marking as ``check --format html`` (jixiao.review.render), with the stored findings' rows attached so
the page can put decision buttons beside each. Every piece of report text is HTML-escaped."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from jixiao.core.findings import Finding, Location, Severity
from jixiao.store import schema


@dataclass
class Block:
    html: Markup
    line: int | None
    severity: str = ""
    findings: list[schema.Finding] = field(default_factory=list)


def _as_finding(row: schema.Finding) -> Finding:
    loc = json.loads(row.location)
    return Finding(row.code, Severity(row.severity), row.message, Location(**loc), row.excerpt)


def marked_blocks(path: Path, rows: list[schema.Finding]) -> tuple[list[Block], list[schema.Finding]]:
    """(blocks of the stored file with their findings, findings placed nowhere)."""
    from jixiao.review.read import read_document
    from jixiao.review.render import block_html, findings_by_block, worst

    findings = [_as_finding(r) for r in rows]
    row_of = {id(f): r for f, r in zip(findings, rows, strict=True)}
    if any(r.code.startswith("R5") and r.severity == "error" for r in rows) and len(rows) == 1:
        return [], rows  # not readable: nothing to place on
    doc = read_document(path)
    placed, unplaced = findings_by_block(doc.blocks, findings)
    blocks: list[Block] = []
    for i, b in enumerate(doc.blocks):
        fs = placed.get(i, [])
        text = block_html(b, fs)
        blocks.append(
            Block(
                Markup(text),
                b.location.line,
                worst(fs).value if fs else "",
                [row_of[id(f)] for f in fs],
            )
        )
    return blocks, [row_of[id(f)] for f in unplaced]


def values_line(row: schema.Finding) -> str:
    from jixiao.core.findings import values_text

    return values_text(json.loads(row.values))


def escape(text: str) -> str:
    return html.escape(text)
