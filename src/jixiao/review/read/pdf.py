"""PDF via PDFium (pypdfium2): text lines with their boxes joined into paragraphs by layout, ruled tables
as tables.

PDFium reads the text layer in C (about 3× the time of ``pdftotext``, against 8–9× for pdfminer) and
reads the CFF-flavoured CJK fonts that pdfminer returns as no text. Lines come from PDFium's own line
breaks in the page text; a line's box is that of its first and last character. Tables are the grids
drawn by ruling lines (``tables.py``); their text is read cell by cell and left out of the prose.

A text layer that cannot be read is reported, never returned silently empty: U+FFFD or unmapped glyphs
(fonts without a Unicode map) → R501; pages with images but no text (scans) → R511.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from jixiao.core.findings import Finding, Severity
from jixiao.core.locks import PDFIUM
from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Block
from jixiao.review.read.guard import ReadLimits, ReadTimeout, deadline, make_finding
from jixiao.review.read.lines import SourceLine, build_block, build_table, group_lines
from jixiao.review.read.tables import Frame, Grid, find_grids

__all__ = ["blocks_from_pdf", "garbled_share"]

_CID = lazy_compile(r"\(cid:\d+\)")
# Page furniture: "— 3 —", "- 3 -", "第 3 页", "3 / 10", a bare number.
_PAGE_NUMBER = lazy_compile(r"^[\s\-—–]*(?:第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[\s\-—–]*$")
_LINE_BREAK = lazy_compile(r"\r\n|\r|\n")
# What PDFium puts for a glyph it cannot map (no ToUnicode, no usable font cmap): control characters and
# U+FFFE (its stand-in for a soft hyphen is U+0002, dropped with the other controls).
_UNMAPPED = lazy_compile(r"[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CJK_GAP = lazy_compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")
_CONTROLS = lazy_compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class EncryptedPdf(Exception):
    pass


def garbled_share(text: str) -> tuple[int, float]:
    """(unreadable glyphs, their share of all non-space characters) in extracted page text."""
    cids = _CID.findall(text)
    bad = len(cids) + text.count("\ufffd") + len(_UNMAPPED.findall(text))
    visible = _visible(text) - sum(len(c) - 1 for c in cids)
    return bad, (bad / visible if visible else 0.0)


def _visible(text: str) -> int:
    """Characters that are not whitespace."""
    return len("".join(text.split()))


@dataclass(frozen=True, slots=True)
class _Line:
    """A text line as PDFium breaks the page text, with its box (top-down: ``top`` < ``bottom``)."""

    number: int  # 1-based on the page, counting the lines inside tables
    text: str
    first: int  # index of the line's first and last visible character in the page text
    last: int
    x0: float
    x1: float
    top: float
    bottom: float

    def inside(self, grid: Grid) -> bool:
        return grid.contains((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)


def _layout_gap(textpage: pdfium.PdfTextPage, frame: Frame, start: int, end: int, generated: Any) -> bool:
    """Is the run of spaces ``text[start:end]`` next to Chinese only the layout's spacing?

    PDFium puts a space wherever two runs of text leave a gap. Between Chinese and digits or Latin,
    LibreOffice and Word leave about a quarter of an em (autospacing): no space in the text. A gap
    between two table cells printed without borders is wider and stays a space, as pdfminer read it.
    """
    if not all(generated(textpage, at) for at in range(start, end)):
        return False
    _, top, right, bottom = frame.box(*textpage.get_charbox(start - 1, loose=True))
    left2, top2, _, bottom2 = frame.box(*textpage.get_charbox(end, loose=True))
    em = max(bottom - top, bottom2 - top2)
    return left2 - right < 0.3 * em


def _same_row(before: _Line, after: _Line) -> bool:
    """Does ``after`` continue ``before`` on the same printed line, to its right?"""
    height = before.bottom - before.top
    middle, middle2 = (before.top + before.bottom) / 2, (after.top + after.bottom) / 2
    return abs(middle - middle2) <= 0.3 * height and after.x0 >= before.x1 - 0.1 * height


def _joined(before: _Line, after: _Line) -> _Line:
    height = max(before.bottom - before.top, after.bottom - after.top)
    sep = " " if after.x0 - before.x1 >= 0.3 * height else ""
    return _Line(
        before.number,
        before.text + sep + after.text,
        before.first,
        after.last,
        before.x0,
        after.x1,
        min(before.top, after.top),
        max(before.bottom, after.bottom),
    )


def _ranges(text: str) -> list[tuple[int, int]]:
    """(first, last) index of the visible text of each line PDFium breaks the page text into."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in [*_LINE_BREAK.finditer(text), None]:
        end = len(text) if m is None else m.start()
        raw = text[start:end]
        if raw.strip():
            out.append((start + len(raw) - len(raw.lstrip()), start + len(raw.rstrip()) - 1))
        start = len(text) if m is None else m.end()
    return out


def _pieces(
    textpage: pdfium.PdfTextPage, frame: Frame, text: str, first: int, last: int
) -> list[tuple[int, int]]:
    """The line ``text[first:last + 1]`` split where it leaves its printed line.

    PDFium now and then runs two printed lines into one (a table's last row and the page number below
    it, on a turned page). Such a line ends left of where it starts or is much taller than its first
    character; only then is it gone through character by character, and cut where the next character
    lies back to the left or a line away."""
    x0, top, _, bottom = frame.box(*textpage.get_charbox(first, loose=True))
    x1, top2, _, bottom2 = frame.box(*textpage.get_charbox(last, loose=True))
    size = bottom - top
    if x1 >= x0 and max(bottom, bottom2) - min(top, top2) <= 2.5 * size:
        return [(first, last)]
    pieces: list[tuple[int, int]] = []
    start = end = first
    middle, right = (top + bottom) / 2, x0
    for i in range(first + 1, last + 1):
        if text[i].isspace():
            continue
        left_i, top_i, right_i, bottom_i = frame.box(*textpage.get_charbox(i, loose=True))
        middle_i = (top_i + bottom_i) / 2
        # A glyph's box may sit high or low (a "，" from another font): only a whole line away counts.
        if abs(middle_i - middle) > size or left_i < right - size:
            pieces.append((start, end))
            start = i
        end, middle, right = i, middle_i, right_i
    pieces.append((start, end))
    return pieces


def _page_lines(textpage: pdfium.PdfTextPage, frame: Frame) -> tuple[list[_Line], str]:
    """The page's lines with their boxes, and its whole text (for the diagnostics)."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)  # explicit range: the page's characters, in their order
    positioned = len(text) == count  # one character per index (no surrogate pairs)
    charbox = textpage.get_charbox
    generated = pdfium_c.FPDFText_IsGenerated
    lines: list[_Line] = []
    number = 0
    for first, last in _ranges(text):
        if not positioned:
            number += 1
            lines.append(_Line(number, _CONTROLS.sub("", text[first : last + 1]), first, last, 0, 0, 0, 0))
            continue
        for a, b in _pieces(textpage, frame, text, first, last):
            number += 1
            # Loose boxes span the glyph's advance, as a line's extent is measured: a closing "，"
            # has little ink but a full em of width.
            x0, top, _, bottom = frame.box(*charbox(a, loose=True))
            _, top2, x1, bottom2 = frame.box(*charbox(b, loose=True))
            drops = [
                at
                for gap in _CJK_GAP.finditer(text, a, b + 1)
                if _layout_gap(textpage, frame, gap.start(), gap.end(), generated)
                for at in range(gap.start(), gap.end())
            ]
            stops = [*drops, b + 1]
            body = text[a : stops[0]] + "".join(text[i + 1 : j] for i, j in pairwise(stops))
            line = _Line(number, _CONTROLS.sub("", body), a, b, x0, x1, min(top, top2), max(bottom, bottom2))
            if lines and _same_row(lines[-1], line):
                # PDFium sometimes breaks one printed line in two ("—", "9 —" of a page number).
                number -= 1
                line = _joined(lines.pop(), line)
            lines.append(line)
    return lines, text


def _cell_texts(
    textpage: pdfium.PdfTextPage, text: str, lines: list[_Line], grid: Grid, frame: Frame
) -> list[list[str]]:
    """The grid's rows of cell texts, each character put in the cell its box's centre falls in.

    Within a cell the characters are laid out again by position (PDFium's line order inside a table
    can interleave two cells' lines): lines top to bottom joined with a line break, characters left to
    right, a space where a gap is wider than the spacing between scripts (``_layout_gap``)."""
    generated = pdfium_c.FPDFText_IsGenerated
    glyphs: dict[tuple[int, int], list[tuple[float, float, float, float, str]]] = {}
    for line in lines:
        for i in range(line.first, line.last + 1):
            ch = text[i]
            if _CONTROLS.match(ch) or (ch.isspace() and generated(textpage, i)):
                continue
            left, top, right, bottom = frame.box(*textpage.get_charbox(i, loose=True))
            cell = grid.cell_at((left + right) / 2, (top + bottom) / 2)
            if cell is not None:
                glyphs.setdefault(cell, []).append((top, bottom, left, right, ch))
    return grid.rows({cell: _lay_out(chars) for cell, chars in glyphs.items()})


def _lay_out(chars: list[tuple[float, float, float, float, str]]) -> str:
    """Characters (top, bottom, left, right, char) of one cell as text: visual lines, then left to right."""
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for glyph in sorted(chars, key=lambda g: (g[0] + g[1]) / 2):
        middle = (glyph[0] + glyph[1]) / 2
        if rows and abs(middle - (rows[-1][0][0] + rows[-1][0][1]) / 2) <= 0.5 * (glyph[1] - glyph[0]):
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    out: list[str] = []
    for row in rows:
        row.sort(key=lambda g: g[2])
        pieces: list[str] = []
        for before, after in zip([None, *row], row, strict=False):
            if before is not None and not before[4].isspace() and not after[4].isspace():
                em = max(before[1] - before[0], after[1] - after[0])
                if after[2] - before[3] >= 0.3 * em:
                    pieces.append(" ")
            pieces.append(after[4])
        out.append("".join(pieces).strip())
    return "\n".join(out)


def _upright(textpage: pdfium.PdfTextPage, samples: int = 40) -> int | None:
    """The page rotation (clockwise degrees) that shows most of the page's characters upright."""
    count = textpage.count_chars()
    votes: dict[int, int] = {}
    for index in sorted({k * count // samples for k in range(samples)}) if count else ():
        if pdfium_c.FPDFText_IsGenerated(textpage, index):
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)  # radians, -1 on failure
        if angle < 0:
            continue
        turn = round(math.degrees(angle) / 90) % 4 * 90
        votes[(360 - turn) % 360] = votes.get((360 - turn) % 360, 0) + 1
    return max(votes, key=lambda turn: votes[turn]) if votes else None


def _page_blocks(
    page: pdfium.PdfPage, page_no: int, shown: str, first_table: int
) -> tuple[list[Block], str, int]:
    """(blocks in reading order, all extracted text for diagnostics, tables found)."""
    textpage = page.get_textpage()
    upright = _upright(textpage)
    if upright is not None and upright != page.get_rotation() % 360:
        # Shown turned (/Rotate against the way the text is drawn): read it the way it is written. In
        # memory only; the file is never written.
        textpage.close()
        page.set_rotation(upright)
        textpage = page.get_textpage()
    frame = Frame.of(page)
    try:
        raw_lines, all_text = _page_lines(textpage, frame)
        grids = find_grids(page, frame) if raw_lines else []
        placed: list[tuple[float, Block]] = []
        for index, grid in enumerate(grids):
            inside = [line for line in raw_lines if line.inside(grid)]
            rows = [
                [(cell, None) for cell in row] for row in _cell_texts(textpage, all_text, inside, grid, frame)
            ]
            first_line = inside[0].number if inside else None
            block = build_table(rows, shown, first_table + index, line=first_line, page=page_no)
            if block is not None:
                placed.append((grid.top, block))
    finally:
        textpage.close()

    numbered = list(raw_lines)
    # Drop page numbers standing alone on the first or last line.
    if numbered and _PAGE_NUMBER.match(numbered[-1].text):
        numbered.pop()
    if numbered and _PAGE_NUMBER.match(numbered[0].text):
        numbered.pop(0)
    body = [line for line in numbered if not any(line.inside(g) for g in grids)]
    if body:
        left = min(line.x0 for line in body)
        right = max(line.x1 for line in body)
        em = median((line.x1 - line.x0) / max(len(line.text), 1) for line in body)
        # A wrapped line reaches the right margin and spans at least half the page: on a page of short
        # lines (a cover, a last page) the longest line is not thereby "full".
        min_span = 0.5 * frame.shown_width
        lines = [
            SourceLine(
                text=line.text,
                number=line.number,
                page=page_no,
                full=line.x1 >= right - 1.5 * em and line.x1 - left >= min_span,
                indented=line.x0 > left + 1.5 * em,
            )
            for line in body
        ]
        tops = {line.number: line.top for line in body}
        for group in group_lines(lines):
            block = build_block(group, shown)
            if block is not None:
                placed.append((tops[group[0].number], block))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], all_text, len(grids)


def _has_images(page: pdfium.PdfPage) -> bool:
    raw = page.raw
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, i)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
        for i in range(pdfium_c.FPDFPage_CountObjects(raw))
    )


def blocks_from_pdf(path: Path, shown: str, limits: ReadLimits) -> tuple[list[Block], list[Finding]]:
    with PDFIUM:  # PDFium is not thread-safe
        return _blocks_from_pdf(path, shown, limits)


def _blocks_from_pdf(path: Path, shown: str, limits: ReadLimits) -> tuple[list[Block], list[Finding]]:
    blocks: list[Block] = []
    findings: list[Finding] = []
    garbled_pages: list[int] = []
    bad_total = 0
    visible_total = 0
    image_pages: list[int] = []
    started = time.monotonic()
    tables = 0
    pdf: pdfium.PdfDocument | None = None
    try:
        with deadline(limits.max_seconds):
            pdf = pdfium.PdfDocument(path)
            n_pages = len(pdf)
            for page_no in range(1, n_pages + 1):
                if page_no > limits.max_pages:
                    findings.append(
                        make_finding(
                            "R512",
                            f"PDF 共 {n_pages} 页，超过上限 {limits.max_pages} 页；只读取了前 {limits.max_pages} 页。",
                            shown,
                            values={"pages": str(n_pages), "read": str(limits.max_pages)},
                        )
                    )
                    break
                page = pdf[page_no - 1]
                try:
                    page_blocks, text, n_tables = _page_blocks(page, page_no, shown, tables + 1)
                    # A scan may carry a stray text line (a stamp, a page number): judge by how little text.
                    if len(text.strip()) < 10 and _has_images(page):
                        image_pages.append(page_no)
                finally:
                    page.close()
                tables += n_tables
                blocks.extend(page_blocks)
                bad, share = garbled_share(text)
                visible_total += _visible(text)
                if bad and share > 0.02:
                    garbled_pages.append(page_no)
                    bad_total += bad
                elapsed = time.monotonic() - started
                if elapsed > limits.max_seconds and page_no < n_pages:
                    findings.append(_timeout(shown, limits, page_no, n_pages))
                    break
    except ReadTimeout:
        findings.append(_timeout(shown, limits, None, None))
    except Exception as exc:
        if isinstance(exc, pdfium.PdfiumError) and exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            findings.append(
                make_finding("R507", "PDF 已加密，需要密码才能读取文字；请提供未加密的文件。", shown)
            )
        else:
            findings.append(
                make_finding(
                    "R502", f"PDF 文件已损坏或格式不正确，无法读取：{type(exc).__name__}: {exc}", shown
                )
            )
        return blocks, findings
    finally:
        if pdf is not None:
            pdf.close()
    if garbled_pages:
        # A few stray glyphs (a symbol font) only make some words doubtful; a mostly garbled layer
        # makes every figure doubtful.
        severity = Severity.WARNING if bad_total < 0.1 * max(visible_total, 1) else None
        findings.append(
            make_finding(
                "R501",
                f"第 {_pages(garbled_pages)} 页的文字层无法识别（共 {bad_total} 个乱码字形，"
                "字体缺少 Unicode 映射），这些页上的数字和文字可能读错；请用原始 Word 文件或可复制文字的 PDF。",
                shown,
                values={"pages": ",".join(map(str, garbled_pages)), "glyphs": str(bad_total)},
                severity=severity,
                page=garbled_pages[0],
            )
        )
    if image_pages:
        findings.append(
            make_finding(
                "R511",
                f"第 {_pages(image_pages)} 页只有图像、没有文字层（扫描件），无法审查其内容；"
                "请提供可复制文字的 PDF 或 Word 原文件，或先做文字识别（OCR）。",
                shown,
                values={"pages": ",".join(map(str, image_pages))},
                page=image_pages[0],
            )
        )
    return blocks, findings


def _pages(pages: list[int]) -> str:
    listed = "、".join(map(str, pages[:10]))
    return listed + (f" 等（共 {len(pages)} 页）" if len(pages) > 10 else "")


def _timeout(shown: str, limits: ReadLimits, page_no: int | None, n_pages: int | None) -> Finding:
    where = f"读到第 {page_no} 页（共 {n_pages} 页）时" if page_no else ""
    return make_finding(
        "R508",
        f"读取 PDF {where}超过时限 {limits.max_seconds:g} 秒，已停止；后面的内容没有审查。",
        shown,
        values={"seconds": f"{limits.max_seconds:g}", **({"page": str(page_no)} if page_no else {})},
    )
