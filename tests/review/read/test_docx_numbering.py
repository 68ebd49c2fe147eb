"""Word's automatic list numbering is read as the text a reader sees ("一、", "（一）", "1.")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import given
from hypothesis import strategies as st

from jixiao.review.pipeline import check_file
from jixiao.review.read.docx import blocks_from_docx
from jixiao.review.read.numbering import format_number
from jixiao.review.structure import cn_to_int, int_to_cn

ABSTRACT_ID = "90"
NUM_ID = "91"
RESTART_NUM_ID = "92"  # the same list, its second level started again at 5


def _lvl(ilvl: int, fmt: str, text: str, suff: str = "nothing") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/></w:lvl>'
    )


def _numbered_document() -> docx.document.Document:
    """A document with one multilevel list: 一、 / （一） / 1. / bullet, used by the heading style and by
    paragraphs directly."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ABSTRACT_ID}">'
            + _lvl(0, "chineseCounting", "%1、")
            + _lvl(1, "chineseCounting", "（%2）")
            + _lvl(2, "decimal", "%3.", suff="space")
            + _lvl(3, "bullet", "•")
            + "</w:abstractNum>"
        )
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{ABSTRACT_ID}"/></w:num>'
        )
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{RESTART_NUM_ID}"><w:abstractNumId w:val="{ABSTRACT_ID}"/>'
            '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        )
    )
    # "Heading 1" carries level 0 of the list, as a Word template with a linked multilevel list does.
    heading = d.styles["Heading 1"].element
    heading.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{NUM_ID}"/></w:numPr>')
    )
    return d


def _numbered(d: docx.document.Document, text: str, ilvl: int, num_id: str = NUM_ID) -> None:
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def test_list_numbers_are_written_in_front_of_their_paragraphs(tmp_path: Path) -> None:
    d = _numbered_document()
    d.add_heading("基本情况", level=1)
    _numbered(d, "部门职能", 1)
    _numbered(d, "人员情况", 1)
    _numbered(d, "在职12人", 2)
    _numbered(d, "要点", 3)  # a bullet: no label
    d.add_heading("绩效情况", level=1)  # level 0 advances: level 1 starts again
    _numbered(d, "产出", 1)
    _numbered(d, "效益", 1, RESTART_NUM_ID)  # the same list, level 1 restarted at 5
    p = d.add_paragraph("不编号")
    p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="0"/></w:numPr>'))
    path = tmp_path / "numbered.docx"
    d.save(str(path))
    texts = [b.text for b in blocks_from_docx(path, "numbered.docx")]
    assert texts == [
        "一、基本情况",
        "（一）部门职能",
        "（二）人员情况",
        "1. 在职12人",
        "要点",
        "二、绩效情况",
        "（一）产出",
        "（五）效益",
        "不编号",
    ]


def test_numbered_headings_give_the_same_findings_as_typed_ones(tmp_path: Path) -> None:
    sections = [
        "基本情况",
        "一般公共预算支出情况",
        "部门整体支出绩效情况",
        "存在的问题及原因",
        "下一步改进措施",
    ]
    body = "全年预算100万元，执行90万元，执行率90%。"
    typed = docx.Document()
    auto = _numbered_document()
    for i, title in enumerate(sections, start=1):
        typed.add_paragraph(f"{int_to_cn(i)}、{title}")
        auto.add_heading(title, level=1)
        typed.add_paragraph(body)
        auto.add_paragraph(body)
    typed.save(str(tmp_path / "typed.docx"))
    auto.save(str(tmp_path / "auto.docx"))
    reports = {name: check_file(tmp_path / f"{name}.docx") for name in ("typed", "auto")}
    found = {
        name: sorted((f.code, f.location.line, f.message) for f in r.findings) for name, r in reports.items()
    }
    assert found["auto"] == found["typed"]
    # The outline is seen: five numbered top-level sections (unnumbered titles would give none).
    sections_read = reports["auto"].context.sections  # type: ignore[union-attr]
    assert [(h.level, h.number, h.title) for h in sections_read] == [
        (1, i, title) for i, title in enumerate(sections, start=1)
    ]


@given(st.integers(min_value=1, max_value=999))
def test_chinese_counting_reads_back_as_its_number(n: int) -> None:
    shown = format_number(n, "chineseCounting")
    assert cn_to_int(shown) == n
    assert shown == int_to_cn(n)


def test_other_number_formats() -> None:
    assert [format_number(n, "decimalEnclosedCircle") for n in (1, 20)] == ["①", "⑳"]
    assert format_number(3, "ideographTraditional") == "丙"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(14, "upperRoman") == "XIV"
    assert format_number(28, "lowerLetter") == "bb"
    assert format_number(21, "chineseLegalSimplified") == "贰拾壹"
    assert format_number(7, "someFutureFormat") == "7"


def test_a_document_without_lists_is_read_as_before(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("一、基本情况")
    d.add_heading("未编号标题", level=1)
    path = tmp_path / "plain.docx"
    d.save(str(path))
    assert [b.text for b in blocks_from_docx(path, "plain.docx")] == ["一、基本情况", "未编号标题"]
    assert qn("w:numPr") not in {el.tag for el in d.element.body.iter()}


def _list_document(levels: str, num_extra: str = "") -> docx.document.Document:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ABSTRACT_ID}">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{ABSTRACT_ID}"/>{num_extra}</w:num>'
        )
    )
    return d


def test_odd_numbering_values_never_cost_the_text(tmp_path: Path) -> None:
    # A negative or huge start (a broken or hand-edited file) gives a plain number, never an exception
    # that would make the whole document unreadable, and never a label of billions of letters.
    levels = (
        '<w:lvl w:ilvl="0"><w:start w:val="-1"/><w:numFmt w:val="ideographDigital"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="100000000000"/><w:numFmt w:val="upperLetter"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="%2."/></w:lvl>'
    )
    d = _list_document(levels, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="-5"/></w:lvlOverride>')
    _numbered(d, "基本情况", 0)
    _numbered(d, "职能", 1)
    path = tmp_path / "odd.docx"
    d.save(str(path))
    texts = [b.text for b in blocks_from_docx(path, "odd.docx")]
    assert texts[0] == "0、基本情况"
    assert texts[1].endswith(".职能") and len(texts[1]) < 1300


def test_legal_numbering_shows_the_levels_above_in_arabic(tmp_path: Path) -> None:
    levels = _lvl(0, "upperRoman", "ARTICLE %1", suff="space") + (
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalZero"/><w:isLgl/>'
        '<w:suff w:val="space"/><w:lvlText w:val="Section %1.%2"/></w:lvl>'
    )
    d = _list_document(levels)
    _numbered(d, "Scope", 0)
    _numbered(d, "Terms", 1)
    path = tmp_path / "legal.docx"
    d.save(str(path))
    assert [b.text for b in blocks_from_docx(path, "legal.docx")] == ["ARTICLE I Scope", "Section 1.01 Terms"]


def test_list_paragraphs_inside_tables_are_counted(tmp_path: Path) -> None:
    d = _numbered_document()
    d.add_heading("基本情况", level=1)
    table = d.add_table(rows=1, cols=1)
    cell_paragraph = table.cell(0, 0).paragraphs[0]
    cell_paragraph.text = "表内编号段"
    cell_paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{NUM_ID}"/></w:numPr>')
    )
    d.add_heading("绩效情况", level=1)
    path = tmp_path / "table.docx"
    d.save(str(path))
    texts = [b.text for b in blocks_from_docx(path, "table.docx") if b.kind == "paragraph"]
    assert texts == ["一、基本情况", "三、绩效情况"]  # Word counts the table's list paragraph as 二


def test_more_number_formats() -> None:
    assert format_number(10, "chineseLegalSimplified") == "壹拾"
    assert [format_number(n, "ideographZodiac") for n in (1, 2, 12)] == ["子", "丑", "亥"]
    assert format_number(0, "upperLetter") == "0" and format_number(40000, "lowerRoman") == "40000"


def test_an_overridden_start_holds_when_the_level_restarts(tmp_path: Path) -> None:
    d = _numbered_document()
    _numbered(d, "甲", 0, RESTART_NUM_ID)
    _numbered(d, "乙", 1, RESTART_NUM_ID)
    _numbered(d, "丙", 0, RESTART_NUM_ID)
    _numbered(d, "丁", 1, RESTART_NUM_ID)
    path = tmp_path / "restart.docx"
    d.save(str(path))
    assert [b.text for b in blocks_from_docx(path, "restart.docx")] == [
        "一、甲",
        "（五）乙",
        "二、丙",
        "（五）丁",
    ]


def test_numbering_is_looked_at_only_where_something_is_numbered() -> None:
    from jixiao.review.read.numbering import ListNumbers

    def of(document: Any) -> ListNumbers:
        return ListNumbers(document.part.numbering_part.element, document.styles.element)

    d = _numbered_document()  # list definitions, and "Heading 1" linked to one
    d.add_paragraph("正文")
    assert not of(d).used_in(d.element.body)
    d.add_heading("基本情况", level=1)  # the linked style numbers this one
    assert of(d).used_in(d.element.body)
    plain = _numbered_document()
    _numbered(plain, "直接编号", 0)
    assert of(plain).used_in(plain.element.body)


def test_a_text_box_in_a_table_cell_is_not_read_twice(tmp_path: Path) -> None:
    # Word stores a text box twice (DrawingML and its VML fallback); body paragraphs skip both, and so do
    # table cells now (a cell read "项目 文本框甲 文本框甲" before).
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "金额100万元"
    box = (
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/>'
        "</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框甲</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    table.cell(0, 1).paragraphs[0]._p.append(parse_xml(box))
    path = tmp_path / "box.docx"
    d.save(str(path))
    (block,) = blocks_from_docx(path, "box.docx")
    assert block.text == "项目\t金额100万元"
