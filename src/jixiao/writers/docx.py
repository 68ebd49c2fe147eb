"""Lay out a ReportDoc as a .docx in GB/T 9704-2012 styling.

The fonts and spacing live in the styles (``docx_template.apply_styles``); this module only places text.
Heading numbers (一、 （一） 1． （1）) are written as text, not Word auto-numbering, so that text extraction —
including our own review path — sees exactly what a printed page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Length
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao.writers import docx_template as tpl
from jixiao.writers.content import Paragraph, ReportDoc, SectionContent, TableCell, TableContent
from jixiao.writers.numbers import heading_number

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

# A cell that is only a figure: "1,234.56", "-3.2", "95%", "100.00％". Such cells are right-aligned even when
# the composer left the default alignment, so digits line up by their last place.
_NUMBER = re.compile(r"^[-+−]?\d[\d,，]*(?:\.\d+)?\s*[%％]?$")


def heading_text(level: int, n: int, title: str) -> str:
    return heading_number(level, n) + title


@dataclass
class _Counters:
    """Per-level counters; a heading resets every deeper level, as in a printed outline."""

    counts: list[int]

    def next(self, level: int) -> int:
        self.counts[level - 1] += 1
        for deeper in range(level, len(self.counts)):
            self.counts[deeper] = 0
        return self.counts[level - 1]


def write_docx(doc: ReportDoc, path: Path) -> None:
    """Write ``doc`` to ``path`` (the caller renames atomically)."""
    document = docx.Document()
    tpl.apply_styles(document)
    _setup_section(document)
    _setup_footers(document)
    core = document.core_properties
    core.title = doc.title
    core.author = doc.unit_name
    core.language = "zh-CN"

    _clear_body(document)
    document.add_paragraph(doc.title, style="Title")
    for para in doc.preamble:
        document.add_paragraph(para.text, style="Normal")
    counters = _Counters([0, 0, 0, 0])
    for section in doc.sections:
        _write_section(document, section, counters)
    for index, annex in enumerate(doc.annexes, start=1):
        document.add_paragraph(f"附件{index}", style=tpl.ANNEX_LABEL)
        _write_table(document, annex, caption_style=tpl.ANNEX_TITLE)
    document.save(str(path))


def _clear_body(document: DocumentObject) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _write_section(document: DocumentObject, section: SectionContent, counters: _Counters) -> None:
    level = min(max(section.level, 1), 4)
    n = counters.next(level)
    document.add_paragraph(heading_text(level, n, section.title), style=f"Heading {level}")
    for item in section.items:
        if isinstance(item, Paragraph):
            document.add_paragraph(item.text, style="Normal")
        else:
            _write_table(document, item, caption_style=tpl.TABLE_CAPTION)
    for child in section.children:
        _write_section(document, child, counters)


# ---------------------------------------------------------------------------------------------- page setup


def _setup_section(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width = tpl.PAGE_WIDTH
    section.page_height = tpl.PAGE_HEIGHT
    section.top_margin = tpl.MARGIN_TOP
    section.bottom_margin = tpl.MARGIN_BOTTOM
    section.left_margin = tpl.MARGIN_LEFT
    section.right_margin = tpl.MARGIN_RIGHT
    section.header_distance = tpl.HEADER_DISTANCE
    section.footer_distance = tpl.FOOTER_DISTANCE
    section.gutter = Emu(0)
    # No character grid (see docx_template.BODY_TRACKING); the line pitch is recorded for Word's ruler.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:linePitch"), str(tpl.LINE_TWIPS))


def _text_width() -> Length:
    return Emu(tpl.PAGE_WIDTH - tpl.MARGIN_LEFT - tpl.MARGIN_RIGHT)


def _setup_footers(document: DocumentObject) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    indent = round(tpl.SIZE_4 * 20)  # one 4号 character from the edge of the text block
    _page_number(section.footer.paragraphs[0], "right", indent)
    _page_number(section.even_page_footer.paragraphs[0], "left", indent)


def _page_number(paragraph: DocxParagraph, side: str, indent_twips: int) -> None:
    """Page number as — 3 —: a PAGE field between one-em dashes, one character in from the outer edge."""
    paragraph.style = "Footer"
    paragraph.alignment = _ALIGN[side]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Emu(0)
    if side == "right":
        fmt.right_indent = Emu(indent_twips * 635)
    else:
        fmt.left_indent = Emu(indent_twips * 635)
    paragraph.add_run("— ")
    run = paragraph.add_run()
    r = run._r
    r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>')
    r.append(instr)
    r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    r.append(parse_xml(f'<w:t {nsdecls("w")}>1</w:t>'))
    r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    paragraph.add_run(" —")


# ---------------------------------------------------------------------------------------------- tables


def _write_table(document: DocumentObject, content: TableContent, *, caption_style: str) -> None:
    if content.title:
        document.add_paragraph(content.title, style=caption_style)
    if content.note:
        document.add_paragraph(content.note, style=tpl.TABLE_NOTE)
    placed = place_cells(content)
    n_rows = len(content.rows)
    n_cols = max(content.columns, 1)
    if n_rows == 0:
        return
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    widths = _column_widths(content, n_cols)
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    header_rows = _header_row_count(content)
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
    for (r, c), cell_content in placed.items():
        cell = table.cell(r, c)
        if cell_content.rowspan > 1 or cell_content.colspan > 1:
            r2 = min(r + cell_content.rowspan, n_rows) - 1
            c2 = min(c + cell_content.colspan, n_cols) - 1
            cell = cell.merge(table.cell(r2, c2))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para.style = tpl.TABLE_HEADER if cell_content.header else tpl.TABLE_TEXT
        para.alignment = _cell_alignment(cell_content)
        if cell_content.text:
            para.add_run(cell_content.text)
    # A table directly followed by another table or the end of the document merges into it in Word; an empty
    # paragraph after each table keeps them apart and gives the sectPr a paragraph to follow.
    document.add_paragraph("", style=tpl.TABLE_TEXT)


def place_cells(content: TableContent) -> dict[tuple[int, int], TableCell]:
    """Grid position of each cell: the next free column of its row, skipping positions covered by spans."""
    n_rows = len(content.rows)
    n_cols = max(content.columns, 1)
    taken = [[False] * n_cols for _ in range(n_rows)]
    placed: dict[tuple[int, int], TableCell] = {}
    for r, row in enumerate(content.rows):
        c = 0
        for cell in row:
            while c < n_cols and taken[r][c]:
                c += 1
            if c >= n_cols:
                break  # more cells than columns: drop the excess rather than fail
            placed[(r, c)] = cell
            for rr in range(r, min(r + max(cell.rowspan, 1), n_rows)):
                for cc in range(c, min(c + max(cell.colspan, 1), n_cols)):
                    taken[rr][cc] = True
            c += max(cell.colspan, 1)
    return placed


def _header_row_count(content: TableContent) -> int:
    """Leading rows made only of header cells, extended over the rows their row spans cover."""
    count = 0
    reach = 0
    for r, row in enumerate(content.rows):
        if row and all(cell.header for cell in row):
            count = r + 1
            reach = max(reach, *(r + cell.rowspan for cell in row))
        elif not row and r < reach:
            count = r + 1
        else:
            break
    return max(count, min(reach, len(content.rows)))


def _cell_alignment(cell: TableCell) -> WD_ALIGN_PARAGRAPH:
    if cell.header:
        return _ALIGN["center"] if cell.align == "left" else _ALIGN[cell.align]
    if cell.align == "left" and _NUMBER.match(cell.text.strip()):
        return _ALIGN["right"]
    return _ALIGN[cell.align]


def _column_widths(content: TableContent, n_cols: int) -> list[Length]:
    total = _text_width()
    weights = [w if w > 0 else 1.0 for w in content.widths[:n_cols]]
    weights += [1.0] * (n_cols - len(weights))
    s = sum(weights)
    # Round in whole twips (635 EMU) so Word's grid and the cell widths agree exactly.
    return [Emu(int(total * w / s) // 635 * 635) for w in weights]


def _table_borders(table: Table) -> None:
    """Single 0.5 pt borders on every cell, set on the table itself so no viewer depends on the style."""
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders>"
    )
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    # Schema order matters to Word: tblBorders goes before shd, tblLayout, tblCellMar and tblLook.
    successors = {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption")}
    for child in tbl_pr:
        if child.tag in successors:
            child.addprevious(borders)
            break
    else:
        tbl_pr.append(borders)
