"""`jixiao check --format html`: the document as read, with each finding marked where it occurs."""

from __future__ import annotations

import html
from pathlib import Path

from jixiao.core.findings import Finding, Severity, values_text
from jixiao.core.output import write_text
from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Block
from jixiao.review.pipeline import FileReport

_CSS = """
body{font-family:"FangSong","仿宋","STFangsong","Noto Serif CJK SC",serif;max-width:60em;margin:2em auto;line-height:1.8;color:#222}
h1{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;font-size:1.3em}
.block{position:relative;padding:.1em .4em;margin:.2em 0;border-left:3px solid transparent}
.block.error{border-left-color:#c0392b;background:#fdf0ef}.block.warning{border-left-color:#d68910;background:#fef9e7}
.block.info{border-left-color:#2e86c1}
.ln{color:#999;font-size:.8em;display:inline-block;min-width:3.5em;user-select:none}
mark.error{background:#f5b7b1}mark.warning{background:#f9e79f}mark.info{background:#d6eaf8}
.finding{font-family:sans-serif;font-size:.85em;margin:.2em 0 .4em 3.5em;padding:.2em .5em;border-radius:3px}
.finding.error{background:#c0392b;color:#fff}.finding.warning{background:#f0b429}.finding.info{background:#d6eaf8}
table{border-collapse:collapse;margin:.5em 0}td{border:1px solid #999;padding:.1em .4em;font-size:.9em}
.summary td{border:none;padding:0 1em 0 0}
"""


def _block_lines(block: Block) -> tuple[int, int]:
    first = block.location.line or 0
    last = max([line for _, line in block.line_map] or [first])
    return first, last


def findings_by_block(
    blocks: list[Block], findings: list[Finding]
) -> tuple[dict[int, list[Finding]], list[Finding]]:
    placed: dict[int, list[Finding]] = {}
    unplaced: list[Finding] = []
    for f in findings:
        loc = f.location
        target = None
        for i, b in enumerate(blocks):
            if loc.page is not None and b.location.page != loc.page:
                continue
            if loc.table is not None and b.location.table == loc.table:
                target = i
                break
            first, last = _block_lines(b)
            if loc.line is not None and first <= loc.line <= last and b.kind == "paragraph":
                target = i
                break
        if target is None:
            unplaced.append(f)
        else:
            placed.setdefault(target, []).append(f)
    return placed, unplaced


def worst(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), key=lambda s: s.rank)


_FIGURE = lazy_compile(r"[+-]?[0-9][0-9.,]*(?:%|‰|万元|亿元|元|分|个|人次|人|篇|次)?")


def _offset_of(block: Block, line: int, column: int) -> int | None:
    """The offset in ``block.text`` of a source (line, column), or None when the block cannot say."""
    for offset in range(len(block.text)):
        if block.line_at(offset) == line and block.column_at(offset) == column:
            return offset
    return None


def _spans(block: Block, findings: list[Finding]) -> list[tuple[int, int, Severity]]:
    """The figure each finding points at: by its line and column, which the reader maps exactly."""
    spans = []
    for f in findings:
        loc = f.location
        if loc.line is None or loc.column is None:
            continue
        start = _offset_of(block, loc.line, loc.column)
        if start is None:
            continue
        m = _FIGURE.match(block.text, start)
        spans.append((start, m.end() if m else start + 1, f.severity))
    return spans


def _mark(text: str, spans: list[tuple[int, int, Severity]]) -> str:
    """Escape text and wrap each span in <mark>."""
    out, pos = [], 0
    for start, end, sev in sorted(spans):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark class="{sev.value}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _cell_html(cell_text: str, row: int, col: int, table: int | None, findings: list[Finding]) -> str:
    """A table cell, marked whole when a finding points at it."""
    hits = [
        f for f in findings if f.location.table == table and f.location.row == row and f.location.col == col
    ]
    if not hits:
        return html.escape(cell_text)
    return _mark(cell_text, [(0, len(cell_text), worst(hits))])


def block_html(block: Block, findings: list[Finding]) -> str:
    """One block as escaped HTML with ``findings`` (those placed on it) marked in place: a table's cells,
    or the text's figures. The report page of the web app shows blocks the same way."""
    if block.kind == "table" and block.table is not None:
        table_no = block.location.table
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{_cell_html(c.text, r, k, table_no, findings)}</td>" for k, c in enumerate(row, start=1)
            )
            + "</tr>"
            for r, row in enumerate(block.table.rows, start=1)
        )
        return f"<table>{rows}</table>"
    return _mark(block.text, _spans(block, findings))


def _finding_html(f: Finding) -> str:
    vals = html.escape(values_text(f.values))
    return (
        f'<div class="finding {f.severity.value}"><b>{f.code}</b> {html.escape(f.severity.label)} '
        f"{html.escape(f.message)}{('<br>' + vals) if vals else ''}</div>"
    )


def render_html_report(report: FileReport) -> str:
    doc = report.document
    blocks = doc.blocks if doc is not None else []
    placed, unplaced = findings_by_block(blocks, report.findings)
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>审查：{html.escape(report.path)}</title><style>{_CSS}</style></head><body>",
        f"<h1>审查结果：{html.escape(report.path)}</h1>",
        f"<p>{report.errors} 个错误，{report.warnings} 个警告，共 {len(report.findings)} 项发现。</p>",
    ]
    for f in unplaced:
        parts.append(_finding_html(f))
    for i, b in enumerate(blocks):
        fs = placed.get(i, [])
        cls = f" {worst(fs).value}" if fs else ""
        line = "" if b.kind == "table" else f'<span class="ln">{b.location.line or ""}</span>'
        parts.append(f'<div class="block{cls}">{line}{block_html(b, fs)}</div>')
        parts.extend(_finding_html(f) for f in fs)
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html_report(
    report: FileReport, outdir: Path, *, force: bool = False, name: str | None = None
) -> Path:
    """Write the page as ``outdir/name`` (default ``<file name>.check.html``); never clobbers without force."""
    target = outdir / (name or Path(report.path).name + ".check.html")
    write_text(target, render_html_report(report), force=force)
    return target
