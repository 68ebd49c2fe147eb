"""Readers of the review path: every format round-trips with locations; bad input gives one finding each."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Severity
from jixiao.core.rules.registry import get_rule
from jixiao.review.document import Block, Document
from jixiao.review.read import ReadLimits, document_from_text, read_document
from jixiao.review.read.pdf import garbled_share

SHARED = Path(__file__).resolve().parents[4] / "shared"
SEED = SHARED / "seeds" / "000_e908e985cae8175b.txt"
CJK_FONTS = [
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
]


def codes(doc: Document) -> list[str]:
    return [f.code for f in doc.findings]


def block_with(doc: Document, needle: str) -> Block:
    found = [b for b in doc.blocks if needle in b.text]
    assert found, f"no block contains {needle!r}: {[b.text for b in doc.blocks]}"
    return found[0]


def digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# --------------------------------------------------------------------------- plain text


def test_seed_report_lines_and_artefacts() -> None:
    if not SEED.exists():
        pytest.skip(f"seed report not available at {SEED}")
    doc = read_document(SEED)
    assert doc.format == "txt"
    assert doc.encoding == "utf-8"
    assert doc.findings == []
    assert "[bookmark:" not in doc.text()
    raw_lines = SEED.read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, line in enumerate(raw_lines, start=1) if "占基本支出的63.8%" in line)
    assert expected_line == 22  # counted by hand in the seed file
    block = block_with(doc, "占基本支出的63.8%")
    offset = block.text.index("占基本支出的63.8%")
    assert block.line_at(offset) == expected_line
    loc = block.location_at(offset)
    assert loc.line == expected_line
    assert loc.column == raw_lines[expected_line - 1].index("占基本支出的63.8%") + 1
    # The bookmark artefact is gone and the heading behind it starts its own block at its own line.
    item = block_with(doc, "贴近民生服务群众")
    assert item.text.startswith("3、贴近民生服务群众")
    assert item.location.line == 48
    # The title broken over two lines is one block; its second half maps to line 2.
    title = doc.blocks[0]
    assert title.text == "雁峰区融媒体中心2024年度部门整体支出绩效自评报告"
    assert title.line_at(title.text.index("整体")) == 2
    # A heading followed by body text stays its own block.
    assert block_with(doc, "（三）人员编制情况").text == "（三）人员编制情况"


def test_hard_wrapped_text_joins_lines_and_maps_offsets(tmp_path: Path) -> None:
    text = (
        "一、基本情况\n"
        "我单位全年预算数为775.18万元，全年执行数为\n"
        "775.18万元，预算执行率为100%。\n"
        "\n"
        "（一）项目支出\n"
        "1. 项目A\n"
        "2．项目B的全年预算数与年初预算数相同，均为\n"
        "１，２３４元。\n"
    )
    path = tmp_path / "wrapped.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "一、基本情况"
    para = block_with(doc, "全年执行数为775.18万元")
    assert para.location.line == 2
    assert para.line_at(para.text.index("全年预算数")) == 2
    assert para.line_at(para.text.index("预算执行率")) == 3
    assert para.location_at(para.text.index("预算执行率")).column == len("775.18万元，") + 1
    assert "（一）项目支出" in texts
    assert "1. 项目A" in texts
    # A numbered item as wide as the text continues onto the next line when it does not end a sentence;
    # its figure is normalised (full-width digits, thousands comma) and still maps to line 8.
    item = block_with(doc, "项目B")
    assert item.text == "2．项目B的全年预算数与年初预算数相同，均为1234元。"
    assert item.line_at(item.text.index("1234")) == 8


def test_gb18030_text_is_decoded_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、基本情况\n全年预算数775.18万元。\n".encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert codes(doc) == ["R510"]
    assert doc.findings[0].severity is Severity.INFO
    assert block_with(doc, "775.18万元").location.line == 2


@pytest.mark.parametrize(("codec", "bom"), [("utf-8-sig", b""), ("utf-16", b"")])
def test_bom_encodings(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "预算执行率100%。\n".encode(codec))
    doc = read_document(path)
    assert doc.findings == []
    assert doc.encoding == codec
    assert doc.blocks[0].text == "预算执行率100%。"


def test_markdown_headings_and_pipe_table(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(
        "## 一、基本情况\n\n**（一）部门职能**\n\n| 项目 | 全年预算数 |\n|---|---:|\n| 基本支出 | 279.12 |\n"
        "| 项目支出 | 496.06 |\n\n正文。\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert doc.format == "md"
    assert doc.blocks[0].text == "一、基本情况"
    assert doc.blocks[1].text == "（一）部门职能"
    table_block = doc.blocks[2]
    assert table_block.kind == "table"
    assert table_block.table is not None
    assert table_block.table.texts() == [
        ["项目", "全年预算数"],
        ["基本支出", "279.12"],
        ["项目支出", "496.06"],
    ]
    cell = table_block.cell_at(table_block.text.index("496.06"))
    assert cell is not None
    assert (cell.location.row, cell.location.col, cell.location.line) == (3, 2, 8)
    assert table_block.line_at(table_block.text.index("496.06")) == 8


def test_document_from_text() -> None:
    doc = document_from_text("一、基本情况\n支出合计\n100万元。\n", path="pasted")
    assert [b.text for b in doc.blocks] == ["一、基本情况", "支出合计100万元。"]
    assert doc.blocks[1].line_at(len("支出合计")) == 3


# --------------------------------------------------------------------------- docx


def make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("一、基本情况")  # paragraph 1
    d.add_paragraph("")  # paragraph 2 (empty, still counted)
    d.add_paragraph("全年预算数７７５．１８万元。[bookmark: _GoBack]")  # paragraph 3
    table = d.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r + 1}c{c + 1}"
    table.cell(0, 0).merge(table.cell(0, 1))  # horizontal span
    table.cell(1, 2).merge(table.cell(2, 2))  # vertical span
    table.cell(0, 0).text = "项目"
    table.cell(1, 2).text = "合计 100"
    nested = table.cell(2, 0).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "内表甲"
    nested.cell(0, 1).text = "内表乙"
    p = d.add_paragraph("二、支出情况")  # paragraph 4
    p.add_run().add_break()
    p.add_run("续行")
    d.add_paragraph("最后一段。")  # paragraph 5
    d.save(str(path))


def test_docx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    make_docx(path)
    before = digest(path)
    doc = read_document(path)
    assert digest(path) == before  # nothing written to the input
    assert doc.format == "docx"
    assert doc.findings == []
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph", "paragraph", "table", "paragraph", "paragraph"]
    assert [b.location.line for b in doc.blocks if b.kind == "paragraph"] == [1, 3, 4, 5]
    assert doc.blocks[1].text == "全年预算数775.18万元。"
    assert doc.blocks[3].text == "二、支出情况续行"
    table_block = doc.blocks[2]
    assert table_block.table is not None
    rows = table_block.table.texts()
    assert rows[0] == ["项目", "", "r1c3"]  # the horizontal span appears once
    assert rows[1][2] == "合计 100"
    assert rows[2][2] == ""  # covered by the vertical span
    assert "内表甲" in rows[2][0] and "内表乙" in rows[2][0]  # nested table flattened
    assert table_block.location.table == 1
    cell = table_block.cell_at(table_block.text.index("合计"))
    assert cell is not None
    assert (cell.location.table, cell.location.row, cell.location.col) == (1, 2, 3)
    assert table_block.text.split("\n")[0] == "项目\t\tr1c3"


def test_docx_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a word file at all" * 10)
    doc = read_document(path)
    assert codes(doc) == ["R502"]
    assert doc.blocks == []


def test_docx_zip_without_document_part(tmp_path: Path) -> None:
    path = tmp_path / "empty-package.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a docx")
    doc = read_document(path)
    assert codes(doc) == ["R502"]


def test_legacy_doc_in_a_docx_name_is_unsupported_and_a_broken_doc_is_one_finding(tmp_path: Path) -> None:
    renamed = tmp_path / "old.docx"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert codes(read_document(renamed)) == ["R509"]
    legacy = tmp_path / "old.doc"  # converted by LibreOffice (R517 where it is not installed)
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert codes(read_document(legacy)) in (["R502"], ["R517"])


def test_zip_bomb_by_ratio_is_not_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (4 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    doc = read_document(path)
    assert codes(doc) == ["R506"]
    assert float(doc.findings[0].values["ratio"]) > 100


def test_zip_bomb_by_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    make_docx(path)
    doc = read_document(path, limits=ReadLimits(max_unzipped_bytes=1000))
    assert codes(doc) == ["R506"]
    assert int(doc.findings[0].values["unzipped_bytes"]) > 1000


# --------------------------------------------------------------------------- html


GBK_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某局2024年度部门整体支出绩效自评报告</title>
<script>var x = "脚本里的中文不应出现";</script><style>.a{}</style></head>
<body>
<div class="nav"><nav>首页 | 政务公开 | 机构设置 | 联系我们</nav></div>
<header>网站头部的中文导航栏目</header>
<div id="zoom">
<p>一、基本情况</p>
<p>全年预算数775.18万元，
全年执行数775.18万元。</p>
<table>
<tr><td colspan="2">资金来源</td><td>金额</td></tr>
<tr><td rowspan="2">财政拨款</td><td>基本支出</td><td>279.12</td></tr>
<tr><td>项目支出</td><td>496.06</td></tr>
</table>
<p>二、绩效情况<br>得分99分。</p>
</div>
<footer>版权所有：某局 网站标识码</footer>
</body></html>
"""


@pytest.mark.parametrize("charset", ['<meta charset="gbk">', ""])
def test_html_gbk_page(tmp_path: Path, charset: str) -> None:
    page = (
        GBK_PAGE
        if not charset
        else GBK_PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', charset)
    )
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb18030"))
    doc = read_document(path)
    assert doc.format == "html"
    assert doc.encoding == "gb18030"
    assert [f.code for f in doc.findings if f.severity is not Severity.INFO] == []
    text = doc.text()
    assert "脚本" not in text and "首页" not in text and "版权所有" not in text and "网站头部" not in text
    para = block_with(doc, "全年预算数")
    assert para.text == "全年预算数775.18万元，全年执行数775.18万元。"
    assert para.location.line == page.splitlines().index("<p>全年预算数775.18万元，") + 1
    table_block = next(b for b in doc.blocks if b.kind == "table")
    assert table_block.table is not None
    assert table_block.table.texts() == [
        ["资金来源", "", "金额"],
        ["财政拨款", "基本支出", "279.12"],
        ["", "项目支出", "496.06"],
    ]
    assert "得分99分。" in [b.text for b in doc.blocks]
    # Block order follows the page.
    order = [b.text.split("\t")[0] for b in doc.blocks]
    assert order.index("一、基本情况") < order.index("资金来源") < order.index("二、绩效情况")


def test_html_without_known_container_picks_densest_text(tmp_path: Path) -> None:
    page = (
        "<html><body><div><a href='/'>首页</a> <a href='/x'>新闻</a></div>"
        "<div><div><p>第一段正文，预算执行率为百分之百。</p><p>第二段正文，得分九十九分。</p></div></div>"
        "<div>联系电话</div></body></html>"
    )
    path = tmp_path / "plain.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == [
        "第一段正文，预算执行率为百分之百。",
        "第二段正文，得分九十九分。",
    ]


# --------------------------------------------------------------------------- pdf


def cjk_font() -> Path | None:
    return next((f for f in CJK_FONTS if f.exists()), None)


def make_pdf(path: Path, pages: list[list[str]], *, width: float = 120) -> None:
    """A PDF with one multi_cell per paragraph (fpdf2 wraps long ones into several lines)."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is needed to write PDF fixtures")
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk or fonts-arphic-ukai)")
    pdf = fpdf.FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    for paragraphs in pages:
        pdf.add_page()
        for text in paragraphs:
            pdf.multi_cell(width, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_pdf_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    long_para = "全年预算数775.18万元，全年执行数775.18万元，预算执行率100%，" * 3 + "完成全年目标。"
    make_pdf(path, [["一、基本情况", long_para], ["二、绩效情况", "得分99分。"]])
    before = digest(path)
    doc = read_document(path)
    assert digest(path) == before
    assert doc.format == "pdf"
    assert doc.findings == []
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "一、基本情况"
    para = block_with(doc, "完成全年目标")
    assert para.text == long_para  # wrapped lines joined back into one paragraph
    assert len(para.line_map) > 1  # it really was wrapped
    assert para.location.page == 1 and para.location.line == 2
    assert para.line_at(len(para.text) - 1) == para.line_map[-1][1] > 2
    second = block_with(doc, "得分99分")
    assert (second.location.page, second.location.line) == (2, 2)


def test_pdf_time_and_page_limits(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    make_pdf(path, [["第一页。"], ["第二页。"], ["第三页。"]])
    doc = read_document(path, limits=ReadLimits(max_pages=1))
    assert codes(doc) == ["R512"]
    assert [b.text for b in doc.blocks] == ["第一页。"]
    # A time limit of zero is exceeded after the first page whatever the machine.
    slow = read_document(path, limits=ReadLimits(max_seconds=0))
    assert codes(slow) == ["R508"]
    assert [b.text for b in slow.blocks] == ["第一页。"]


def test_pdf_ruled_table(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is needed to write PDF fixtures")
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    pdf.multi_cell(0, 8, "一、预算执行情况", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as table:
        for values in (["项目", "全年预算数"], ["基本支出", "279.12"], ["项目支出", "496.06"]):
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 8, "二、合计775.18万元。", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "table.pdf"
    pdf.output(str(path))
    doc = read_document(path)
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph"]
    table_block = doc.blocks[1]
    assert table_block.table is not None
    assert table_block.table.texts() == [
        ["项目", "全年预算数"],
        ["基本支出", "279.12"],
        ["项目支出", "496.06"],
    ]
    assert "279.12" not in doc.blocks[0].text + doc.blocks[2].text  # table text is not read twice
    cell = table_block.cell_at(table_block.text.index("496.06"))
    assert cell is not None
    assert (cell.location.page, cell.location.table, cell.location.row, cell.location.col) == (1, 1, 3, 2)
    assert doc.blocks[2].location.line == 5  # lines inside the table still count


def test_encrypted_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    plain = tmp_path / "plain.pdf"
    make_pdf(plain, [["需要密码的报告。"]])
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    doc = read_document(locked)
    assert codes(doc) == ["R507"]
    # An owner password alone (printing/copying restricted) does not stop reading.
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    restricted = tmp_path / "restricted.pdf"
    with open(restricted, "wb") as handle:
        writer.write(handle)
    assert [b.text for b in read_document(restricted).blocks] == ["需要密码的报告。"]


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is needed to write PDF fixtures")
    image = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(buffer, x=10, y=10, w=100)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    doc = read_document(path)
    assert codes(doc) == ["R511"]
    assert doc.findings[0].location.page == 1


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"garbage " * 100)
    assert codes(read_document(path)) == ["R502"]
    fake = tmp_path / "fake.pdf"
    fake.write_text("只是一段文字", encoding="utf-8")
    assert codes(read_document(fake)) == ["R502"]


def strip_unicode_maps(writer: Any) -> None:
    """Drop every font's ToUnicode map (a pypdf writer): what a PDF whose text cannot be copied lacks."""
    import pypdf

    for page in writer.pages:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            font = fonts[name].get_object()
            if "/ToUnicode" in font:
                del font[pypdf.generic.NameObject("/ToUnicode")]


def test_pdf_without_unicode_map_is_reported(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    plain = tmp_path / "plain.pdf"
    make_pdf(plain, [["一、基本情况", "全年预算数775.18万元，执行率100%。"]])
    writer = pypdf.PdfWriter(clone_from=str(plain))
    strip_unicode_maps(writer)
    broken = tmp_path / "no-tounicode.pdf"
    with open(broken, "wb") as handle:
        writer.write(handle)
    doc = read_document(broken)
    assert "R501" in codes(doc)
    finding = next(f for f in doc.findings if f.code == "R501")
    assert finding.location.page == 1
    assert "(cid:" not in doc.text()  # glyph codes are not left behind as digits


def test_garbled_text_layer_detection() -> None:
    bad, share = garbled_share("(cid:12)(cid:13)(cid:14)元\n（cid）")
    assert bad == 3
    assert share > 0.3
    assert garbled_share("全年预算数775.18万元") == (0, 0.0)


# --------------------------------------------------------------------------- bad input


def test_empty_files(tmp_path: Path) -> None:
    for name in ("empty.txt", "empty.docx", "empty.pdf", "empty.html"):
        path = tmp_path / name
        path.write_bytes(b"")
        doc = read_document(path)
        assert codes(doc) == ["R503"], name
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\u3000\n", encoding="utf-8")
    assert codes(read_document(blank)) == ["R503"]


def test_binary_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 8)
    doc = read_document(path)
    assert codes(doc) == ["R504"]
    assert doc.blocks == []


def test_file_over_size_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the size limit must not be opened")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr("builtins.open", refuse)
    doc = read_document(path)
    assert codes(doc) == ["R505"]
    assert doc.size == 200 * 1024 * 1024


def test_small_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("预算执行率100%。" * 10, encoding="utf-8")
    assert codes(read_document(path, limits=ReadLimits(max_bytes=10))) == ["R505"]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert codes(read_document(tmp_path / "nope.docx")) == ["R513"]
    assert codes(read_document(tmp_path)) == ["R513"]


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    docx_bytes = tmp_path / "report.docx"
    make_docx(docx_bytes)
    disguised = tmp_path / "report.bin"
    disguised.write_bytes(docx_bytes.read_bytes())
    doc = read_document(disguised)
    assert doc.format == "docx"
    assert block_with(doc, "全年预算数").location.line == 3
    page = tmp_path / "page.data"
    page.write_text("<!doctype html><html><body><p>正文一段。</p></body></html>", encoding="utf-8")
    assert [b.text for b in read_document(page).blocks] == ["正文一段。"]
    text = tmp_path / "notes"
    text.write_text("预算执行率100%。\n", encoding="utf-8")
    sniffed = read_document(text)
    assert sniffed.format == "txt" and sniffed.blocks[0].text == "预算执行率100%。"


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.ofd"
    path.write_bytes(b"PK\x03\x04whatever")
    assert codes(read_document(path)) == ["R509"]
    broken = tmp_path / "table.xlsx"
    broken.write_bytes(b"PK\x03\x04whatever")
    assert codes(read_document(broken)) == ["R502"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=3000),
    suffix=st.sampled_from([".txt", ".md", ".docx", ".pdf", ".html", ".bin"]),
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe"]),
)
def test_garbage_never_raises(tmp_path: Path, data: bytes, suffix: str, prefix: bytes) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(prefix + data)
    doc = read_document(path)
    assert isinstance(doc, Document)
    assert doc.blocks or doc.findings  # never an empty result without a word


def test_every_reading_code_is_in_the_catalog() -> None:
    for n in range(501, 514):
        found = get_rule(f"R{n}")
        assert found is not None, f"R{n}"
        assert all(
            found.doc.get(section) for section in ("作用", "为何重要", "示例", "应当怎样", "已知局限", "依据")
        )


def test_html_report_split_into_sections_is_read_whole(tmp_path: Path) -> None:
    """A page whose body is several <section>s (as jixiao's own HTML is) must not be cut to the largest one."""
    page = (
        "<html><body><h1>某局2024年度部门整体支出绩效自评报告</h1>"
        "<section><h2>一、基本情况</h2><p>本局内设机构三个，实有人数十二人。</p></section>"
        "<section><h2>二、存在的问题</h2><p>预算编制不够精准。</p></section>"
        "<section><table><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>分值</td><td>得分</td></tr>"
        "<tr><td>产出指标</td><td>数量指标</td><td>培训人次完成率</td><td>10</td><td>10</td></tr></table></section>"
        "</body></html>"
    )
    path = tmp_path / "sections.html"
    path.write_text(page, encoding="utf-8")
    texts = [b.text for b in read_document(path).blocks]
    assert "一、基本情况" in texts and "二、存在的问题" in texts
    assert any("培训人次完成率" in t for t in texts)


# --- the sliced line reading against the character-by-character definition -------------------------


def _kept_indices_reference(text: str, markdown: bool) -> list[int]:
    """The characters a source line keeps, one by one: markup removed, outer whitespace trimmed."""
    from jixiao.review.read.lines import _MD_MARKUP

    keep = [True] * len(text)
    if markdown:
        for m in _MD_MARKUP.finditer(text):
            for i in range(m.start(), m.end()):
                keep[i] = False
    indices = [i for i, k in enumerate(keep) if k]
    start, end = 0, len(indices)
    while start < end and text[indices[start]].isspace():
        start += 1
    while end > start and text[indices[end - 1]].isspace():
        end -= 1
    return indices[start:end]


_md_line = st.lists(
    st.sampled_from(
        ["# ", "## ", "> ", "- ", "* ", "**", "__", "\\*", "\\", " ", "\u3000", "\t", "预算", "1", "a"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400)
@given(_md_line, st.booleans())
def test_kept_spans_are_the_kept_characters(line: str, markdown: bool) -> None:
    from jixiao.review.read.lines import _kept_spans, _kept_text

    spans = _kept_spans(line, markdown)
    assert [i for a, b in spans for i in range(a, b)] == _kept_indices_reference(line, markdown)
    assert all(a < b for a, b in spans)
    assert _kept_text(line, markdown) == "".join(line[i] for i in _kept_indices_reference(line, markdown))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_md_line, min_size=1, max_size=4), st.booleans())
def test_block_offsets_point_at_the_raw_characters(lines: list[str], markdown: bool) -> None:
    from jixiao.review.normalize import normalize_text
    from jixiao.review.read.lines import SourceLine, build_block

    group = [SourceLine(text=t, number=n) for n, t in enumerate(lines, start=1)]
    block = build_block(group, "x.md", markdown=markdown)
    kept = "".join(t[i] for t in lines for i in _kept_indices_reference(t, markdown))
    if block is None:
        assert not normalize_text(kept).strip()
        return
    assert block.raw == "\n".join(lines)
    assert len(block.raw_offsets) == len(block.text) + 1
    assert block.raw_offsets[-1] == len(block.raw)
    for i, ch in enumerate(block.text):
        source = block.raw[block.raw_offsets[i]]
        # A joining space stands for the line break; a wide space or tab became a plain space.
        assert source == ch or (ch == " " and source.isspace())


def test_location_at_keeps_every_other_field() -> None:
    from jixiao.core.findings import Location

    loc = Location(
        path="p", line=3, column=None, page=2, sheet="s", cell="A1", table=None, row=None, col=None
    )
    block = Block(
        kind="paragraph",
        text="ab\ncd",
        location=loc,
        raw="ab\ncd",
        line_map=((0, 3), (3, 4)),
        raw_offsets=(0, 1, 2, 3, 4, 5),
    )
    at = block.location_at(4)
    assert (at.line, at.column) == (4, 2)
    assert (at.path, at.page, at.sheet, at.cell, at.table, at.row, at.col) == (
        "p",
        2,
        "s",
        "A1",
        None,
        None,
        None,
    )
    assert block.location_at(0) == Location(path="p", line=3, column=1, page=2, sheet="s", cell="A1")
    assert block.line_at(2) == 3 and block.line_at(3) == 4


_plain_line = st.lists(
    st.sampled_from(
        [
            "一、",
            "（二）",
            "1．",
            "1、",
            "①",
            "预算",
            "执行率",
            "。",
            "；",
            "：",
            "，",
            " ",
            "\u3000",
            "\t",
            "\xa0",
            "１２",
            "3",
            "4.5",
            "1,234",
            "1，234",
            "775. 18",
            "[bookmark: x]",
            "\u200b",
            "%",
            "％",
            "a",
            "",
        ]
    ),
    max_size=10,
).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_plain_line, min_size=1, max_size=8))
def test_plain_text_one_pass_gives_the_general_blocks(lines: list[str]) -> None:
    # plain_blocks normalises each line once and builds one-line paragraphs from that; the general path
    # (group_lines, then the joined builder for every group) must give the same blocks and offsets.
    from jixiao.review.read.lines import SourceLine, _joined_block, group_lines, plain_blocks

    source = [SourceLine(text=t, number=n) for n, t in enumerate(lines, start=1)]
    fast = plain_blocks(source, "x.txt")
    general = [b for g in group_lines(source) if (b := _joined_block(g, "x.txt", False)) is not None]
    assert fast == general
    # the fast path may hold a run of offsets as a range: compare the positions, not the container
    assert [tuple(b.raw_offsets) for b in fast] == [tuple(b.raw_offsets) for b in general]


# --------------------------------------------------------------------------- text that reads but is wrong

_MOJIBAKE_SOURCE = (
    "全年预算数775.18万元，全年执行数775.18万元，预算执行率100%，完成全年目标。部门整体支出绩效自评报告"
)
# The same sentence saved as UTF-8 and opened as GBK: what a wrong conversion leaves behind.
_MOJIBAKE = _MOJIBAKE_SOURCE.encode("utf-8").decode("gbk", errors="replace")


def test_mojibake_text_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(f"一、基本情况\n\n{_MOJIBAKE}\n\n{_MOJIBAKE}\n", encoding="utf-8")
    doc = read_document(path)
    found = [f for f in doc.findings if f.code == "R514"]
    assert len(found) == 1 and found[0].severity.value == "warning"
    assert found[0].location.line == 3
    assert int(found[0].values["share"]) > 40


def test_clean_reports_have_no_suspect_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    # Rare but real: a name with a character outside GB 2312, in an otherwise ordinary report.
    path.write_text("一、基本情况\n\n" + _MOJIBAKE_SOURCE * 3 + "负责人：王堃。\n", encoding="utf-8")
    assert not [f for f in read_document(path).findings if f.code == "R514"]


def test_mojibake_pdf_page_is_named(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    make_pdf(path, [["一、基本情况", _MOJIBAKE_SOURCE], ["二、绩效情况", _MOJIBAKE]])
    found = [f for f in read_document(path).findings if f.code == "R514"]
    assert len(found) == 1
    assert found[0].values["pages"] == "2" and found[0].location.page == 2


@settings(max_examples=300)
@given(
    st.text(max_size=40)
    | st.text(alphabet=st.sampled_from([*"预算 \u3000\t①≥％ab鍏ㄥ勾堃\ue000\ufffd·—?\u2028"]), max_size=40)
)
def test_suspect_character_count_matches_the_per_character_reading(text: str) -> None:
    from jixiao.review.read.plausible import _plausible, implausible

    odd = sum(1 for ch in text if not ch.isspace() and not _plausible(ch))
    assert implausible(text) == (odd, sum(1 for ch in text if not ch.isspace()))


def test_plain_text_pipe_rows_are_a_table(tmp_path: Path) -> None:
    # Text copied from a web page keeps table rows as "a | b | c", without markdown's leading bar.
    path = tmp_path / "web.txt"
    path.write_text(
        "一、基本情况\n说明：A|B 两类。\n项目 | 全年预算数 | 执行率\n总额 | 100.00 | 94.50%\n合计｜100.00｜94.50%\n正文。\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds[0] == ("paragraph", "一、基本情况")
    assert kinds[1] == ("paragraph", "说明：A|B 两类。")  # one bar: prose
    table = doc.blocks[2].table
    assert table is not None and table.texts() == [
        ["项目", "全年预算数", "执行率"],
        ["总额", "100.00", "94.50%"],
        ["合计", "100.00", "94.50%"],
    ]
    assert table.rows[1][2].location.line == 4 and table.rows[1][2].location.col == 3
    assert kinds[3] == ("paragraph", "正文。")
