"""Lay out a ReportDoc as a .docx in GB/T 9704-2012 styling.

The fonts and spacing live in the styles (``docx_template.apply_styles``); this module only places text.
Heading numbers (一、 （一） 1． （1）) are written as text, not Word auto-numbering, so that text extraction —
including our own review path — sees exactly what a printed page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao import __version__
from jixiao.report import docx_template as tpl
from jixiao.report.content import (
    Paragraph,
    ReportDoc,
    SectionContent,
    TableCell,
    TableContent,
    annex_label,
)
from jixiao.report.layout import column_weights, title_lines
from jixiao.report.numbers import heading_number

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
    set_properties(document, doc)

    _clear_body(document)
    _title(document, doc)
    for para in doc.preamble:
        _para(document, para.text, "Normal")
    counters = _Counters([0, 0, 0, 0])
    for section in doc.sections:
        _write_section(document, section, counters)
    for index, annex in enumerate(doc.annexes, start=1):
        if index == 1:
            # The 自评表 has eight or more columns: annexes go on landscape pages of their own section
            # (the section break starts the new page, so the first label needs no page break of its own).
            _landscape_section(document)
            label = _para(document, annex_label(index), tpl.ANNEX_LABEL)
            label.paragraph_format.page_break_before = False
        else:
            _para(document, annex_label(index), tpl.ANNEX_LABEL)
        _write_table(document, annex, caption_style=tpl.ANNEX_TITLE)
    document.save(str(path))


def _title(document: DocumentObject, doc: ReportDoc) -> None:
    """The title, broken where the sense allows when it needs two lines (GB/T 9704: whole words, balanced)."""
    capacity = int(_text_width(document).pt / (tpl.SIZE_2 / 2))  # half-em units of 二号 on one line
    breaks = [f"{doc.unit_name}{doc.year}年度", doc.unit_name] if doc.unit_name else []
    paragraph = _para(document, "", "Title")
    for n, line in enumerate(title_lines(doc.title, breaks, capacity)):
        run = paragraph.add_run(line)
        if n:
            run._r.addprevious(_line_break())


def _line_break() -> BaseOxmlElement:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def set_properties(document: DocumentObject, doc: ReportDoc) -> None:
    """Core properties of this report, none of python-docx's template (2013 dates, its own name)."""
    now = datetime.now(UTC).replace(microsecond=0)
    core = document.core_properties
    core.title = doc.title
    core.subject = f"{doc.year}年度部门整体支出绩效自评"
    core.author = doc.unit_name
    core.last_modified_by = "jixiao"
    core.comments = "由 jixiao 生成"
    core.keywords = "绩效自评"
    core.category = "预算绩效自评报告"
    core.language = "zh-CN"
    core.created = core.modified = now
    core.revision = 1
    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):  # the template's blank preview image
            package.rels.pop(rel.rId)
    app = next((part for part in package.iter_parts() if str(part.partname) == "/docProps/app.xml"), None)
    if app is not None:
        app._blob = _app_xml()


def _app_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>jixiao {__version__}</Application><DocSecurity>0</DocSecurity></Properties>"
    ).encode()


def _style_id(name: str) -> str:
    return name.replace(" ", "")


def _set_style_id(paragraph: DocxParagraph, name: str) -> None:
    """Set the paragraph style by id: python-docx's by-name setter scans every style each time."""
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = _style_id(name)


def _para(document: DocumentObject, text: str, style: str) -> DocxParagraph:
    paragraph = document.add_paragraph(text)
    _set_style_id(paragraph, style)
    return paragraph


def _clear_body(document: DocumentObject) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _write_section(document: DocumentObject, section: SectionContent, counters: _Counters) -> None:
    level = min(max(section.level, 1), 4)
    n = counters.next(level)
    _para(document, heading_text(level, n, section.title), f"Heading {level}")
    for item in section.items:
        if isinstance(item, Paragraph):
            _para(document, item.text, "Normal")
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


def _landscape_section(document: DocumentObject) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = tpl.PAGE_HEIGHT, tpl.PAGE_WIDTH
    # The binding edge of a landscape page is its top: keep the 28 mm there, the text block centred.
    section.top_margin, section.bottom_margin = tpl.MARGIN_LEFT, tpl.MARGIN_RIGHT
    section.left_margin = section.right_margin = (tpl.MARGIN_TOP + tpl.MARGIN_BOTTOM) // 2


def _text_width(document: DocumentObject | None = None) -> Length:
    """Width of the text block of the section being written (annexes are landscape)."""
    if document is not None:
        sec = document.sections[-1]
        assert sec.page_width is not None and sec.left_margin is not None and sec.right_margin is not None
        return Emu(sec.page_width - sec.left_margin - sec.right_margin)
    return Emu(tpl.PAGE_WIDTH - tpl.MARGIN_LEFT - tpl.MARGIN_RIGHT)


def _setup_footers(document: DocumentObject) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    indent = round(tpl.SIZE_4 * 20)  # one 4号 character from the edge of the text block
    _page_number(section.footer.paragraphs[0], "right", indent)
    _page_number(section.even_page_footer.paragraphs[0], "left", indent)


def _page_number(paragraph: DocxParagraph, side: str, indent_twips: int) -> None:
    """Page number as — 3 —: a PAGE field between one-em dashes, one character in from the outer edge."""
    _set_style_id(paragraph, "Footer")
    paragraph.alignment = _ALIGN[side]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Emu(0)
    if side == "right":
        fmt.right_indent = Emu(indent_twips * 635)
    else:
        fmt.left_indent = Emu(indent_twips * 635)
    paragraph.add_run("— ")
    # One run per field part (begin / instruction / separate / shown value / end), as Word writes them.
    for xml in (
        f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>',
        f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>',
        f"<w:t {nsdecls('w')}>1</w:t>",
        f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>',
    ):
        paragraph.add_run()._r.append(parse_xml(xml))
    paragraph.add_run(" —")


# ---------------------------------------------------------------------------------------------- tables


def _write_table(document: DocumentObject, content: TableContent, *, caption_style: str) -> None:
    if content.title:
        _para(document, content.title, caption_style)
    if content.note:
        _para(document, content.note, tpl.TABLE_NOTE)
    placed = place_cells(content)
    n_rows = len(content.rows)
    n_cols = max(content.columns, 1)
    if n_rows == 0:
        return
    widths = _column_widths(content, n_cols, _text_width(document), placed)
    for n, (first, last) in enumerate(_parts(content, placed)):
        if n:
            _para(document, "", tpl.TABLE_JOIN)  # Word merges adjacent tables: a hairline paragraph between
        part = {(r - first, c): cell for (r, c), cell in placed.items() if first <= r < last}
        _write_grid(document, part, last - first, widths, _header_row_count(content.rows[first:last]))
    # A table directly followed by another table or the end of the document merges into it in Word; an empty
    # paragraph after each table keeps them apart and gives the sectPr a paragraph to follow.
    _para(document, "", tpl.TABLE_TEXT)


KEEP_ROWS = 2  # body rows kept on the page of a table's title and header: never one row at a page's foot


def _write_grid(
    document: DocumentObject,
    placed: dict[tuple[int, int], TableCell],
    n_rows: int,
    widths: list[Length],
    header_rows: int,
) -> None:
    table = document.add_table(rows=n_rows, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    _fixed_layout(table, widths)
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    # The grid before any merge, read once: table.cell() rebuilds the whole grid on every call.
    grid = [list(row.cells) for row in table.rows]
    for row_cells in grid:
        for cell, width in zip(row_cells, widths, strict=True):
            cell.width = width
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page the table runs onto
    keep = min(header_rows + KEEP_ROWS, n_rows - 1)
    for (r, c), cell_content in placed.items():
        cell = grid[r][c]
        if cell_content.rowspan > 1 or cell_content.colspan > 1:
            # Spans never overlap (place_cells), so the far corner is still an unmerged cell of the grid.
            cell = cell.merge(grid[r + cell_content.rowspan - 1][c + cell_content.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        _set_style_id(para, tpl.TABLE_HEADER if cell_content.header else tpl.TABLE_TEXT)
        para.alignment = _cell_alignment(cell_content)
        if cell_content.text:
            para.add_run(cell_content.text)
    # Keep-with-next on a row's paragraphs (merged continuations included) holds that row on the page of
    # the next one, in Word and LibreOffice: the title, the header and the first rows move together.
    for tr in table._tbl.tr_lst[:keep]:
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True


def _parts(content: TableContent, placed: dict[tuple[int, int], TableCell]) -> list[tuple[int, int]]:
    """Row ranges of the table, cut before every header row after the first rows (the 自评表's 指标 header).

    Word repeats only a table's leading header rows on later pages: the indicator part of the 自评表 gets a
    table of its own so its header ("一级指标 二级指标 …") is repeated. A cut never splits a row span.
    """
    n_rows = len(content.rows)
    reach = [0] * (n_rows + 1)  # the last row a span starting at or above r reaches
    furthest = 0
    for r in range(n_rows):
        for (rr, _c), cell in placed.items():
            if rr == r:
                furthest = max(furthest, r + cell.rowspan)
        reach[r + 1] = furthest
    cuts = [0]
    lead = _header_row_count(content.rows)
    for r in range(max(lead, 1), n_rows):
        row = content.rows[r]
        if row and all(cell.header for cell in row) and reach[r] <= r and len(row) > 1 and r > cuts[-1]:
            cuts.append(r)
    return list(zip(cuts, [*cuts[1:], n_rows], strict=True))


def _fixed_layout(table: Table, widths: list[Length]) -> None:
    """Fixed layout and a total width: viewers then use the column widths given, not their own guess."""
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(int(w) for w in widths) // 635))
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")


def place_cells(content: TableContent) -> dict[tuple[int, int], TableCell]:
    """Grid position of each cell: the next free column of its row, skipping positions covered by spans.

    Spans are clipped to the table and to positions still free, so malformed input (a colspan running into
    a cell spanned from above, more cells than columns) gives a smaller merge instead of an error; the
    returned cells carry the spans actually used.
    """
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
            width = 1
            while width < max(cell.colspan, 1) and c + width < n_cols and not taken[r][c + width]:
                width += 1
            height = 1
            while (
                height < max(cell.rowspan, 1)
                and r + height < n_rows
                and not any(taken[r + height][c : c + width])
            ):
                height += 1
            for rr in range(r, r + height):
                for cc in range(c, c + width):
                    taken[rr][cc] = True
            if (height, width) != (cell.rowspan, cell.colspan):
                cell = replace(cell, rowspan=height, colspan=width)
            placed[(r, c)] = cell
            c += width
    return placed


def _header_row_count(rows: list[list[TableCell]]) -> int:
    """Leading rows made only of header cells, extended over the rows their row spans cover."""
    count = 0
    reach = 0
    for r, row in enumerate(rows):
        if row and all(cell.header for cell in row):
            count = r + 1
            reach = max(reach, *(r + cell.rowspan for cell in row))
        elif not row and r < reach:
            count = r + 1
        else:
            break
    return max(count, min(reach, len(rows)))


def _cell_alignment(cell: TableCell) -> WD_ALIGN_PARAGRAPH:
    if cell.header:
        return _ALIGN["center"] if cell.align == "left" else _ALIGN[cell.align]
    if cell.align == "left" and _NUMBER.match(cell.text.strip()):
        return _ALIGN["right"]
    return _ALIGN[cell.align]


def _column_widths(
    content: TableContent,
    n_cols: int,
    total: Length | None = None,
    placed: dict[tuple[int, int], TableCell] | None = None,
) -> list[Length]:
    """Column widths from the cells' text (CJK counting double), so figures and short labels never wrap."""
    total = total if total is not None else _text_width()
    placed = placed if placed is not None else place_cells(content)
    unit = Pt(tpl.SIZE_XIAO4 / 2)  # half an em of the table's 小四
    # Headers and the two name columns (一级/二级指标, the money rows' names) are labels kept whole.
    cells = [(c, cell.colspan, cell.text, cell.header or c <= 1) for (_r, c), cell in placed.items()]
    weights = column_weights(cells, n_cols, total / unit, padding=_CELL_PADDING)
    # Round in whole twips (635 EMU) so Word's grid and the cell widths agree exactly.
    return [Emu(int(w * unit) // 635 * 635) for w in weights]


# Left and right cell margins of "Table Grid" (0.19 cm each) in half-em units of 小四, and a little air.
_CELL_PADDING = 2.5


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
