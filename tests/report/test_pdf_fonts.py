"""PDF through LibreOffice: Chinese text must come out in CJK fonts with real glyphs (no tofu)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jixiao.report import pdf as pdf_mod
from jixiao.report.content import Paragraph, ReportDoc, SectionContent, TableCell, TableContent
from jixiao.report.docx import write_docx
from jixiao.report.pdf import (
    PdfConversionError,
    PdfUnavailable,
    chinese_glyph_fonts,
    docx_to_pdf,
    font_substitutions,
    is_cjk_font,
    page_text,
    pdffonts,
)

TITLE = "白沙县图书馆2024年度部门整体支出绩效自评报告"

needs_tools = pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) or not shutil.which("pdffonts"),
    reason="需要 LibreOffice（soffice）和 poppler-utils（pdffonts/pdftotext）才能测试 PDF 字体",
)


def small_report() -> ReportDoc:
    table = TableContent(
        title="部门整体支出绩效自评表",
        columns=4,
        note="金额单位：万元",
        rows=[
            [TableCell("指标", header=True, rowspan=2), TableCell("评分", header=True, colspan=3)],
            [TableCell("分值", header=True), TableCell("得分", header=True), TableCell("扣分", header=True)],
            [TableCell("预算执行率"), TableCell("10"), TableCell("9.6"), TableCell("0.4")],
        ],
    )
    return ReportDoc(
        title=TITLE,
        preamble=[Paragraph("按照县财政局通知要求，我馆对2024年度部门整体支出开展了绩效自评。")],
        sections=[
            SectionContent(
                "basic",
                "部门基本情况",
                1,
                [Paragraph("全年接待读者8.6万人次，举办阅读推广活动42场。")],
                [SectionContent("", "资金使用情况", 2, [Paragraph("年度预算152.30万元，支出148.75万元。")])],
            )
        ],
        annexes=[table],
        unit_name="白沙县图书馆",
        year=2024,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or not shutil.which("pdffonts"):
        pytest.skip("需要 LibreOffice（soffice）和 poppler-utils（pdffonts/pdftotext）才能测试 PDF 字体")
    out = tmp_path_factory.mktemp("pdf")
    docx_path = out / "report.docx"
    write_docx(small_report(), docx_path)
    return docx_to_pdf(docx_path, out)


@needs_tools
def test_chinese_glyphs_use_cjk_fonts(rendered: Path) -> None:
    glyphs = chinese_glyph_fonts(rendered, page=1)
    assert sum(glyphs.values()) >= len(TITLE) - 4  # the title's Chinese characters at least
    assert all(is_cjk_font(name) for name in glyphs), glyphs
    fonts = pdffonts(rendered, 1, 1)
    assert any(is_cjk_font(f.name) for f in fonts), fonts
    assert all(f.embedded for f in fonts if is_cjk_font(f.name)), fonts


@needs_tools
def test_headings_get_distinct_cjk_faces(rendered: Path) -> None:
    """黑体 heading and 仿宋 body must not collapse into one fallback font."""
    glyphs = chinese_glyph_fonts(rendered, page=1)
    assert len(glyphs) >= 2, glyphs


@needs_tools
def test_page_one_text_contains_title(rendered: Path) -> None:
    text = re.sub(r"\s+", "", page_text(rendered, 1))
    assert TITLE in text
    assert "（一）资金使用情况" in text
    assert "\ufffd" not in text and "(cid:" not in text


@needs_tools
def test_annex_on_its_own_page_and_page_numbers(rendered: Path) -> None:
    page1 = page_text(rendered, 1)
    page2 = re.sub(r"\s+", "", page_text(rendered, 2))
    assert "附件1" not in page1.replace(" ", "")
    assert page2.startswith("附件1部门整体支出绩效自评表")
    assert re.search(r"—\s*1\s*—", page1)
    assert re.search(r"—\s*2\s*—", page_text(rendered, 2))


def test_missing_soffice_raises_pdf_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf_mod.shutil, "which", lambda name: None)
    with pytest.raises(PdfUnavailable) as info:
        docx_to_pdf(tmp_path / "x.docx", tmp_path)
    message = str(info.value)
    assert "LibreOffice" in message
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in message


@needs_tools
def test_timeout_raises_conversion_error(tmp_path: Path) -> None:
    docx_path = tmp_path / "slow.docx"
    write_docx(small_report(), docx_path)
    with pytest.raises(PdfConversionError, match="超时"):
        docx_to_pdf(docx_path, tmp_path / "out", timeout=0.05)


def test_font_substitutions_only_for_missing_fonts() -> None:
    installed = {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "黑体"}
    pairs = dict(font_substitutions(installed))
    assert pairs["仿宋"] == "Noto Serif CJK SC"
    assert pairs["楷体"] == "AR PL UKai CN"
    assert pairs["方正小标宋简体"] == "Noto Serif CJK SC"
    assert "黑体" not in pairs  # installed: used as is
    assert pairs["SimHei"] == "Noto Sans CJK SC"
    assert "Times New Roman" not in pairs  # no stand-in installed: LibreOffice's own fallback
    assert font_substitutions(set()) == []


def test_is_cjk_font_names() -> None:
    for name in ("BAAAAA+NotoSerifCJKjp-Regular", "EAAAAA+UKaiCN", "SimSun", "FangSong", "仿宋"):
        assert is_cjk_font(name), name
    for name in ("CAAAAA+DejaVuSerif", "LiberationSerif", "TimesNewRomanPSMT", "Helvetica"):
        assert not is_cjk_font(name), name
