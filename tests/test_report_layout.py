"""Issue 10 items 4–6 and 8: the .docx annex tables, the title line, .xlsx row heights, .docx metadata.

The checks read the files' XML (column widths, tblHeader, keepNext, row heights) and compare them with a
text-width count of their own (CJK characters two half-em units, Latin one), so they fail when a figure
such as "100.00%" or a label such as "年度资金总额" would wrap, whatever the writer believes.
"""

from __future__ import annotations

import math
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.author.pipeline import evaluate
from jixiao.report.emit import write_outputs
from jixiao.report.layout import title_lines
from jixiao.report.xlsx_template import template_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {p.stem: p for p in sorted((ROOT / "examples").glob("*.yaml"))}
TABLE_PT = 12.0  # 小四
CELL_MARGINS_PT = 2 * 5.4  # Table Grid's left and right cell margins (0.19 cm)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _must_not_wrap(text: str) -> bool:
    """Figures and short labels (the ones the issue saw broken): "100.00%", "年度资金总额", "满意度指标"."""
    t = text.strip()
    if not t:
        return False
    figure = all(ch.isdigit() or ch in ".,%-—" for ch in t)
    return figure or _width(t) <= 12


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    result = evaluate(EXAMPLES[request.param])
    assert result.scored is not None
    out = tmp_path_factory.mktemp(request.param)
    written, _ = write_outputs(result.scored, result.findings, out, ("docx", "xlsx"))
    return {p.suffix.lstrip("."): p for p in written}


def _annex_tables(path: Path) -> list[Table]:
    return list(docx.Document(str(path)).tables)


# ---------------------------------------------------------------- item 4: annex tables


def test_figures_and_short_labels_fit_their_columns(outputs: dict[str, Path]) -> None:
    for table in _annex_tables(outputs["docx"]):
        grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        for tr in table._tbl.tr_lst:
            col = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                if span == 1 and _must_not_wrap(text):
                    need = _width(text) * TABLE_PT / 2 + CELL_MARGINS_PT
                    assert grid[col] / 20 >= need, (text, grid[col] / 20, need)
                col += span


def test_header_rows_repeat_and_first_rows_keep_with_title(outputs: dict[str, Path]) -> None:
    tables = _annex_tables(outputs["docx"])
    indicator = [t for t in tables if "一级指标" in t.rows[0].cells[0].text]
    assert indicator, "the 自评表's indicator part starts a table of its own"
    for table in indicator + [t for t in tables if t.rows[0].cells[0].text == "类别"]:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        # Header and the first two body rows keep with the next row: never one row at a page's foot.
        for tr in table._tbl.tr_lst[:3]:
            if tr is table._tbl.tr_lst[-1]:
                break
            for p in tr.iter(qn("w:p")):
                ppr = p.pPr
                assert ppr is not None and ppr.find(qn("w:keepNext")) is not None


def test_caption_and_note_keep_with_the_table(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["docx"]))
    for name in ("Annex Title", "Table Note"):
        style = document.styles[name]
        assert style.paragraph_format.keep_with_next, name


# ---------------------------------------------------------------- item 5: the title


def test_title_breaks_at_a_semantic_point_and_is_balanced(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["docx"]))
    title = document.paragraphs[0]
    lines = title.text.split("\n")
    capacity = (210 - 28 - 26) / 25.4 * 72 / 11  # half-em units of 二号 (22 pt) on the A4 text block
    assert all(_width(line) <= capacity for line in lines), lines
    assert len(lines) == 2, lines
    assert lines[0].endswith("年度") or lines[1].startswith(("20", "19")), lines
    assert abs(_width(lines[0]) - _width(lines[1])) <= 10, lines


def test_title_lines_never_cut_inside_a_word() -> None:
    title = "沅溪县教育局2024年度部门整体支出绩效自评报告"
    assert title_lines(title, ["沅溪县教育局2024年度", "沅溪县教育局"], 40) == [
        "沅溪县教育局2024年度",
        "部门整体支出绩效自评报告",
    ]
    assert title_lines("短标题", ["短"], 40) == ["短标题"]


# ---------------------------------------------------------------- item 6: .xlsx row heights


def _check_heights(path: Path | bytes) -> None:
    import io

    wb = load_workbook(io.BytesIO(path) if isinstance(path, bytes) else path)
    for ws in wb.worksheets:
        merged = {str(r).split(":")[0]: r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                rng = merged.get(cell.coordinate)
                if rng is not None and rng.max_row > rng.min_row:
                    continue  # spread over several rows: not one row's business
                cols = range(rng.min_col, rng.max_col + 1) if rng else [cell.column]
                width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in cols)
                size = float(cell.font.sz or 11)
                lines = sum(
                    max(1, math.ceil(_width(part) * size / 11 / max(width - 1, 1)))
                    for part in cell.value.split("\n")
                )
                height = ws.row_dimensions[cell.row].height or 15
                assert height >= lines * size, (ws.title, cell.coordinate, cell.value, height, lines)


def test_xlsx_rows_are_tall_enough_for_their_wrapped_text(outputs: dict[str, Path]) -> None:
    _check_heights(outputs["xlsx"])


def test_empty_template_rows_are_tall_enough() -> None:
    _check_heights(template_bytes())


# ---------------------------------------------------------------- item 8: .docx metadata


def test_docx_core_properties_are_the_reports(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["docx"]))
    core = document.core_properties
    assert core.title.endswith("自评报告") and core.author and core.author in core.title
    assert core.subject and "自评" in core.subject
    now = datetime.now(UTC)
    assert core.created is not None and abs((now - core.created.replace(tzinfo=UTC)).days) <= 1
    assert core.modified is not None and core.modified.year == now.year
    assert "python-docx" not in (core.comments or "") and core.last_modified_by == "jixiao"
    with zipfile.ZipFile(outputs["docx"]) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
    assert not [n for n in names if "thumbnail" in n]
    assert "<Application>jixiao" in app
