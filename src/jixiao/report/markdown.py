"""Markdown rendering of a composed report: plain CommonMark/GFM, no HTML.

Headings carry the Chinese numbering of the level (一、 （一） 1． （1））. Markdown tables cannot merge
cells, so a merged cell's text goes in its top-left position and every position it covers is left
empty (the reader sees the label once, as in the printed table; repeating it would read as repeated
figures and break the "each figure printed once" round trip).
"""

from __future__ import annotations

import re

from jixiao.report.content import Paragraph, ReportDoc, SectionContent, TableContent, annex_label
from jixiao.report.numbers import heading_number

__all__ = ["md_escape", "render_markdown", "table_grid"]

_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_MARK = re.compile(r"^(\s*)([#+\-=])")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def md_escape(text: str) -> str:
    """Escape what Markdown would interpret; line breaks become spaces (one block per paragraph)."""
    text = " ".join(part.strip() for part in text.splitlines())
    text = _INLINE.sub(r"\\\1", text)
    # A paragraph starting like a heading, list item or setext underline must stay a paragraph.
    text = _BLOCK_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def table_grid(table: TableContent) -> list[list[str]]:
    """Expand a table with spans to a full grid: each cell's text at its top-left, covered positions ""."""
    grid: list[list[str | None]] = []
    for r, row in enumerate(table.rows):
        while len(grid) <= r:
            grid.append([None] * table.columns)
        c = 0
        for cell in row:
            while c < table.columns and grid[r][c] is not None:
                c += 1
            if c >= table.columns:
                break  # a malformed row: more cells than columns; drop the overflow rather than crash
            for dr in range(cell.rowspan):
                while len(grid) <= r + dr:
                    grid.append([None] * table.columns)
                for dc in range(cell.colspan):
                    if c + dc < table.columns:
                        grid[r + dr][c + dc] = ""
            grid[r][c] = cell.text
            c += cell.colspan
    return [[v if v is not None else "" for v in row] for row in grid]


def _table(table: TableContent) -> list[str]:
    out = [md_escape(table.note), ""] if table.note else []
    grid = table_grid(table)
    for i, row in enumerate(grid):
        out.append("| " + " | ".join(md_escape(v) for v in row) + " |")
        if i == 0:
            out.append("|" + "---|" * table.columns)
    return [*out, ""] if grid else out


def _section(sec: SectionContent, number: str, out: list[str]) -> None:
    hashes = "#" * min(6, sec.level + 1)
    out += [f"{hashes} {number}{md_escape(sec.title)}", ""]
    for item in sec.items:
        if isinstance(item, Paragraph):
            out += [md_escape(item.text), ""]
        else:
            out += ([md_escape(item.title), ""] if item.title else []) + _table(item)
    for i, child in enumerate(sec.children, 1):
        _section(child, heading_number(child.level, i), out)


def render_markdown(doc: ReportDoc) -> str:
    out = [f"# {md_escape(doc.title)}", ""]
    for p in doc.preamble:
        out += [md_escape(p.text), ""]
    for i, sec in enumerate(doc.sections, 1):
        _section(sec, heading_number(sec.level, i), out)
    for i, table in enumerate(doc.annexes, 1):
        out += [f"## {annex_label(i)}　{md_escape(table.title)}", "", *_table(table)]
    return "\n".join(out).rstrip("\n") + "\n"
