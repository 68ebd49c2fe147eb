"""The 自评表 reader's stream kept as columns gives what a list of Cells gives.

``_document_stream`` writes a document's cells into one ``_Stream`` (their texts and rows in lists, a
``_Line`` per text line rather than a ``Cell`` per cell); the reference here is the plain reading it
replaced: each block's ``cells_from_text`` / ``cells_from_table`` list, runs of them joined, a break
before a run that prose came between.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Location
from jixiao.review.claims import selfeval as se
from jixiao.review.document import Block, Cell, Document, Table


def _reference_stream(document: Document, start: int) -> list[se.Cell]:
    """The stream as a list of Cells: runs of table-like blocks, each table block a run of its own."""
    runs: list[tuple[list[se.Cell], bool]] = []
    run: list[se.Cell] = []
    prose = False
    for index in range(start, len(document.blocks)):
        block = document.blocks[index]
        if block.table is not None:
            if run:
                runs.append((run, prose))
                run, prose = [], False
            cells = se.cells_from_table(block.table, index, block)
            if cells:
                runs.append((cells, prose))
                prose = False
            continue
        cells_or_none = se.cells_from_text(block, index)
        if cells_or_none is None:
            if run:
                runs.append((run, prose))
                run = []
            prose = prose or bool(block.text.strip())
            continue
        run.extend(cells_or_none)
    if run:
        runs.append((run, prose))
    stream: list[se.Cell] = []
    for part, after_prose in runs:
        if stream and after_prose:
            stream.append(se.Cell(se._BREAK, part[0].block_index, part[0].block, (-1, len(stream))))
        stream.extend(part)
    return stream


_line = st.one_of(
    st.lists(
        st.sampled_from(["", "1", " 2 ", "≥95%", "名称", "年初预算数", "a b", "\u3000x"]), max_size=8
    ).map("\t".join),
    st.sampled_from(["", "说明如下，见表。", "12 34 56", "名称 | 1 | 2", "指标值", "（一）标题"]),
    # An indicator header and rows, so that claims are read.
    st.sampled_from(
        [
            "指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因",
            "指标\t年度指标值\t实际完成值\t分值\t得分",
            "完成率\t≥95%\t96%\t10\t10",
            "数量 \t ≥12个\t10个\t5\t4\t进度较慢原因说明",
            "时效\t≤3天\t3天\t5\t5\t—",
        ]
    ),
)
_paragraph = st.lists(_line, min_size=1, max_size=4).map("\n".join)
_table = st.lists(st.lists(st.sampled_from(["", "10", " 分值 ", "得分"]), min_size=1, max_size=3), max_size=3)


def _document(items: list[str | list[list[str]]]) -> Document:
    """A paragraph block per text, a table block per list of rows, each on the lines after the last."""
    blocks: list[Block] = []
    line = 1
    for item in items:
        location = Location(path="t.txt", line=line)
        if isinstance(item, str):
            blocks.append(Block(kind="paragraph", text=item.replace("\t", " "), location=location, raw=item))
            line += item.count("\n") + 1
        else:
            rows = tuple(
                tuple(Cell(text, Location(path="t.txt", line=line, column=c + 1)) for c, text in enumerate(r))
                for r in item
            )
            blocks.append(Block(kind="table", text="", location=location, table=Table(rows, location)))
            line += 1
    return Document(path="t.txt", format="txt", encoding="utf-8", blocks=blocks)


@settings(max_examples=400)
@given(st.lists(st.one_of(_paragraph, _table), max_size=6), st.integers(0, 2))
def test_the_document_stream_is_its_runs_of_cells(items: list[str | list[list[str]]], start: int) -> None:
    document = _document(items)
    stream = se._document_stream(document, start)
    expected = _reference_stream(document, start)
    assert stream.cells() == expected
    assert stream.texts == [c.text for c in expected]
    assert stream.rows == [c.row for c in expected]
    assert [stream.place(k) for k in range(len(stream))] == [
        (c.block_index, c.block, c.location) for c in expected
    ]
    # Read from the columns or from the Cells, the claims are the same.
    assert se._read(stream) == se.read_selfeval(expected)


# Cells repeated whole (text, row and location: a merged table cell's copies) among others.
_cells = st.lists(
    st.tuples(st.sampled_from(["10", "5", "a"]), st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=8
).map(
    lambda specs: [
        se.Cell(text, 0, _TABLE_BLOCK, (0, row), location=Location(path="t.txt", line=1, column=column))
        for text, row, column in specs
    ]
)
_TABLE_BLOCK = Block(kind="table", text="", location=Location(path="t.txt"))


@settings(max_examples=300)
@given(_cells, st.data())
def test_the_first_equal_cell_is_what_index_finds(cells: list[se.Cell], data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(cells) - 1))
    start = data.draw(st.integers(0, at))
    assert se._first_equal(se._Stream.of(cells), at, start) == cells.index(cells[at], start)


@settings(max_examples=300)
@given(_cells, st.data())
def test_a_row_span_marks_each_figure_cell_as_its_own_place_did(
    cells: list[se.Cell], data: st.DataObject
) -> None:
    # One place source per row: each figure's excerpt marks its own cell, the weight's the first cell of
    # the row equal to it (what a place of its own per figure, with ``list.index``, marked).
    at = data.draw(st.integers(0, len(cells) - 1))
    start = data.draw(st.integers(0, at))
    end = data.draw(st.integers(at + 1, len(cells)))
    is_weight = data.draw(st.booleans())
    span = se._Span(se._Stream.of(cells), start, end, at if is_weight else -1)
    mark = cells.index(cells[at], start) if is_weight else at
    expected = " | ".join(
        ("【" + c.text + "】" if k == mark else c.text) for k, c in enumerate(cells) if start <= k < end
    )
    assert span.place_excerpt(at) == expected
