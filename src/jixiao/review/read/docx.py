"""Word .docx: body paragraphs and tables in document order, merged cells de-duplicated.

python-docx opens the package (its lxml parser does not resolve entities); the text is taken from the
XML directly so tracked insertions count, deletions and field codes do not, and text boxes (stored twice,
as DrawingML and VML fallback) are skipped rather than read twice. Word's automatic list numbers are
written in front of their paragraphs (``read.numbering``), so numbered headings keep their "一、"; a
column in such a paragraph counts the number as Word shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from jixiao.review.document import Block
from jixiao.review.read.lines import SourceLine, build_block, build_table
from jixiao.review.read.numbering import ListNumbers

__all__ = ["blocks_from_docx"]

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC, _TCPR, _TRPR = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:trPr")
_T, _TAB, _PTAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NB_HYPHEN = qn("w:noBreakHyphen")
_VAL = qn("w:val")
_GRID_BEFORE, _GRID_SPAN, _V_MERGE = qn("w:gridBefore"), qn("w:gridSpan"), qn("w:vMerge")  # asked per cell
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not body text (or would be read twice).
_SKIP = {
    qn("w:delText"),
    qn("w:instrText"),
    qn("w:txbxContent"),
    qn("w:drawing"),
    qn("w:pict"),
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:footnoteReference"),
    _MC + "AlternateContent",
}


# Where a paragraph may sit inside another paragraph's run: text boxes, drawings, their VML fallback.
_BOXES = (qn("w:txbxContent"), qn("w:drawing"), qn("w:pict"), _MC + "AlternateContent")


def paragraph_text(p: Any) -> str:
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _T:
                out.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _NB_HYPHEN:
                out.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _int_attr(parent: Any, tag: str, default: int) -> int:
    el = parent.find(tag) if parent is not None else None
    if el is None:
        return default
    try:
        return int(el.get(_VAL, default))
    except ValueError:
        return default


def _unwrap(el: Any, tag: str) -> list[Any]:
    """Children with ``tag``, looking through content controls (w:sdt) that may wrap rows or cells."""
    found = []
    for child in el:
        if child.tag == tag:
            found.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                found.extend(_unwrap(content, tag))
    return found


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs joined by newlines; a nested table is flattened into the text; paragraphs of a
    text box in the cell are skipped, as in the body (Word stores them twice, DrawingML and VML)."""
    parts: list[str] = []
    for el in _own_paragraphs(tc):
        text = paragraph_text(el).strip()
        if text:
            parts.append(text)
    return "\n".join(parts)


def _own_paragraphs(container: Any) -> list[Any]:
    """Paragraphs under ``container`` in document order, without those inside skipped subtrees."""
    inner = [p for box in container.iter(*_BOXES) for p in box.iter(_P)]
    if not inner:
        return list(container.iter(_P))
    boxed = set(inner)  # lxml gives the same proxy for an element while a reference to it is held
    return [p for p in container.iter(_P) if p not in boxed]


def _table_rows(tbl: Any) -> list[list[tuple[str, int | None]]]:
    rows: list[list[tuple[str, int | None]]] = []
    for tr in _unwrap(tbl, _TR):
        row: list[tuple[str, int | None]] = []
        row.extend([("", None)] * _int_attr(tr.find(_TRPR), _GRID_BEFORE, 0))
        for tc in _unwrap(tr, _TC):
            tc_pr = tc.find(_TCPR)
            span = max(1, _int_attr(tc_pr, _GRID_SPAN, 1))
            v_merge = tc_pr.find(_V_MERGE) if tc_pr is not None else None
            continued = v_merge is not None and v_merge.get(_VAL, "continue") != "restart"
            # A vertically merged cell shows its text in the first row only; a horizontal span once.
            row.append(("" if continued else _cell_text(tc), None))
            row.extend([("", None)] * (span - 1))
        rows.append(row)
    return rows


def blocks_from_docx(path: Path, shown: str) -> list[Block]:
    document = docx.Document(str(path))
    body = document.element.body
    numbers = ListNumbers.of(document)
    numbered = numbers.used_in(body)
    blocks: list[Block] = []
    paragraphs = 0
    tables = 0

    def visit(container: Any) -> None:
        nonlocal paragraphs, tables
        for el in container:
            if el.tag == _P:
                paragraphs += 1
                text = paragraph_text(el)
                label, separator = numbers.label(el) if numbered else ("", "")
                if label and text.strip():
                    # Word's automatic numbering, as the reader sees it: "一、基本情况".
                    text = label + separator + text
                # Soft line breaks inside one Word paragraph stay in that paragraph.
                lines = [SourceLine(text=part, number=paragraphs) for part in text.split("\n")]
                block = build_block(lines, shown)
                if block is not None:
                    blocks.append(block)
            elif el.tag == _TBL:
                tables += 1  # count every table, empty or not, as a reader counting in Word would
                for cell_paragraph in _own_paragraphs(el) if numbered else ():
                    numbers.label(cell_paragraph)  # a list may go on inside a table: keep Word's count
                block = build_table(_table_rows(el), shown, tables)
                if block is not None:
                    blocks.append(block)
            elif el.tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None:
                    visit(content)

    visit(body)
    return blocks
