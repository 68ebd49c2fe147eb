"""The PDF reader on PDFium: CFF fonts, line boxes and reading order, ruled tables, spacing, page numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.review.document import Document
from jixiao.review.read import read_document
from tests.test_readers import block_with, cjk_font, codes

NOTO_SANS_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def new_pdf(font: Path | None = None) -> Any:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is needed to write PDF fixtures")
    font = font or cjk_font()
    if font is None or not font.exists():
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    pdf = fpdf.FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    return pdf


def read_back(pdf: Any, path: Path) -> Document:
    pdf.output(str(path))
    return read_document(path)


def test_cff_cjk_font_is_read(tmp_path: Path) -> None:
    """fpdf2 from 2.8.3 embeds Noto Sans CJK as CFF (FontFile3); pdfminer read such a PDF as no text."""
    pdf = new_pdf(NOTO_SANS_CJK)
    pdf.multi_cell(0, 8, "一、预算执行情况", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0, 8, "全年预算数775.18万元，全年执行数760.02万元，执行率98.04%。", new_x="LMARGIN", new_y="NEXT"
    )
    path = tmp_path / "cff.pdf"
    pdf.output(str(path))
    if b"/FontFile3" not in path.read_bytes():
        pytest.skip("this fpdf2 embeds the font as TrueType, not CFF")
    doc = read_document(path)
    assert codes(doc) == []
    assert [b.text for b in doc.blocks] == [
        "一、预算执行情况",
        "全年预算数775.18万元，全年执行数760.02万元，执行率98.04%。",
    ]
    assert [(b.location.page, b.location.line) for b in doc.blocks] == [(1, 1), (1, 2)]


def test_blocks_follow_the_page_top_to_bottom(tmp_path: Path) -> None:
    # Written bottom first: the content stream's order is not the reading order.
    pdf = new_pdf()
    pdf.set_xy(10, 120)
    pdf.cell(0, 8, "二、绩效目标完成情况。")
    pdf.set_xy(10, 40)
    pdf.cell(0, 8, "一、部门基本情况。")
    doc = read_back(pdf, tmp_path / "order.pdf")
    assert [b.text for b in doc.blocks] == ["一、部门基本情况。", "二、绩效目标完成情况。"]


def test_indented_line_starts_a_paragraph_and_full_lines_join(tmp_path: Path) -> None:
    pdf = new_pdf()
    wrapped = "本年度共安排项目资金496.06万元，全部用于应急广播和网络运维，" * 3 + "已按期完成。"
    pdf.multi_cell(150, 8, wrapped, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(30)  # indented: a new paragraph even though the line above does not end a sentence
    pdf.multi_cell(130, 8, "下一段从缩进处开始", new_x="LMARGIN", new_y="NEXT")
    doc = read_back(pdf, tmp_path / "wrap.pdf")
    assert [b.text for b in doc.blocks] == [wrapped, "下一段从缩进处开始"]
    first = doc.blocks[0]
    assert (
        len(first.line_map) >= 3 and [line for _, line in first.line_map] == [1, 2, 3][: len(first.line_map)]
    )
    assert doc.blocks[1].location.line == first.line_map[-1][1] + 1


def test_spacing_between_scripts_is_no_space_but_a_wide_gap_is(tmp_path: Path) -> None:
    """Word and LibreOffice leave about a quarter em between Chinese and digits; PDFium reads that gap
    as a space. A gap as wide as a table column stays one."""
    pdf = new_pdf()
    pdf.set_xy(10, 30)
    for text, gap in (("全年预算", 0.6), ("775.18", 0.6), ("万元", 0.0)):
        pdf.cell(pdf.get_string_width(text) + gap, 8, text)
    pdf.set_xy(10, 50)
    for text, gap in (("合计", 25.0), ("100", 0.0)):
        pdf.cell(pdf.get_string_width(text) + gap, 8, text)
    doc = read_back(pdf, tmp_path / "gaps.pdf")
    assert [b.text for b in doc.blocks] == ["全年预算775.18万元", "合计 100"]


def test_page_number_in_pieces_is_dropped(tmp_path: Path) -> None:
    pdf = new_pdf()
    pdf.multi_cell(0, 8, "正文一段。", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(95, 280)
    for text in ("—", " 3 ", "—"):  # three runs on one printed line
        pdf.cell(pdf.get_string_width(text) + 1, 8, text)
    assert [b.text for b in read_back(pdf, tmp_path / "footer.pdf").blocks] == ["正文一段。"]


def test_ruled_table_with_merged_cells(tmp_path: Path) -> None:
    pdf = new_pdf()
    pdf.multi_cell(0, 8, "附表1 资金情况", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as table:
        row = table.row()
        row.cell("资金来源")
        row.cell("金额（万元）", colspan=2)
        for values in (["", "年初预算数", "全年执行数"], ["财政拨款", "391.36", "775.18"]):
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 8, "表后说明。", new_x="LMARGIN", new_y="NEXT")
    doc = read_back(pdf, tmp_path / "merged.pdf")
    kinds_and_cells = [(b.kind, b.table.texts() if b.table else None) for b in doc.blocks]
    assert kinds_and_cells[1] == (
        "table",
        [
            ["资金来源", "金额（万元）", ""],
            ["", "年初预算数", "全年执行数"],
            ["财政拨款", "391.36", "775.18"],
        ],
    )
    assert [kind for kind, _ in kinds_and_cells] == ["paragraph", "table", "paragraph"]
    table_block = doc.blocks[1]
    cell = table_block.cell_at(table_block.text.index("775.18"))
    assert cell is not None and (cell.location.row, cell.location.col, cell.location.page) == (3, 3, 1)
    assert "391.36" not in block_with(doc, "表后说明").text


def test_traditional_pdf_is_read_in_simplified(tmp_path: Path) -> None:
    pdf = new_pdf(NOTO_SANS_CJK)
    pdf.multi_cell(0, 8, "二、績效目標完成情況", new_x="LMARGIN", new_y="NEXT")
    body = "本項目全年預算數88.50萬元，全年執行數86.20萬元，預算執行率97.40%，資金撥付及時。"
    pdf.multi_cell(0, 8, body, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "產出數量指標：維修農村道路12條，實際完成12條。", new_x="LMARGIN", new_y="NEXT")
    doc = read_back(pdf, tmp_path / "hant.pdf")
    assert codes(doc) == ["R515"]
    assert [b.text for b in doc.blocks] == [
        "二、绩效目标完成情况",
        "本项目全年预算数88.50万元，全年执行数86.20万元，预算执行率97.40%，资金拨付及时。",
        "产出数量指标：维修农村道路12条，实际完成12条。",
    ]
    assert doc.blocks[1].location.page == 1 and doc.blocks[1].location.line == 2


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_pages_read_as_upright(tmp_path: Path, turn: int) -> None:
    """A page shown turned (/Rotate) reads as written; so does one drawn turned and shown upright."""
    pypdf = pytest.importorskip("pypdf")
    pdf = new_pdf()
    wrapped = "全年预算数775.18万元，全年执行数760.02万元，预算执行率98.04%，" * 2 + "完成年度目标。"
    pdf.multi_cell(0, 8, "一、预算执行情况", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(120, 8, wrapped, new_x="LMARGIN", new_y="NEXT")
    plain = read_back(pdf, tmp_path / "plain.pdf")
    expected = [(b.text, b.location.line) for b in plain.blocks]
    assert expected[1][0] == wrapped
    shown_turned = pypdf.PdfWriter(clone_from=str(tmp_path / "plain.pdf"))
    for page in shown_turned.pages:
        page.rotate(turn)
    shown_turned.write(tmp_path / "shown.pdf")
    assert [(b.text, b.location.line) for b in read_document(tmp_path / "shown.pdf").blocks] == expected
    drawn_turned = pypdf.PdfWriter(clone_from=str(tmp_path / "plain.pdf"))
    for page in drawn_turned.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        # Drawn a quarter turn anticlockwise on a landscape sheet, shown a quarter turn clockwise.
        page.add_transformation(pypdf.Transformation().rotate(90).translate(tx=height, ty=0))
        page.mediabox = page.cropbox = pypdf.generic.RectangleObject([0, 0, height, width])
        page.rotate(90)
    drawn_turned.write(tmp_path / "drawn.pdf")
    assert [(b.text, b.location.line) for b in read_document(tmp_path / "drawn.pdf").blocks] == expected
