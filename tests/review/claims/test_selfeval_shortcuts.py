"""The 自评表 reader's shortcuts give what the plain readings they replace give.

Each test compares a helper of ``claims/selfeval.py`` with the straightforward code it stands for (kept
here as the reference), on generated text built from the characters and words the shortcut is about.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Location
from jixiao.review.claims import selfeval as se
from jixiao.review.document import Block, Document
from jixiao.review.normalize import may_change, normalize_text

# Characters around which the shortcuts decide: cell separators and line breaks, spaces, sentence
# punctuation, what normalisation rewrites (full-width digits and point, no-break and ideographic spaces,
# a zero-width space, digit grouping), operators, digits and the words of the headers.
_PIECES = [
    "\t",
    "\t",
    "\t\t",
    "|",
    "｜",
    "\n",
    " ",
    "  ",
    "\u00a0",
    "\u3000",
    "\u200b",
    "１",
    "．",
    ",",
    "，",
    "。",
    "；",
    "123",
    "4",
    ".5",
    "1 234",
    "≥",
    "＞＝",
    "%",
    "—",
    "分",
    "万元",
    "指标",
    "年初预算",
    "全年预算数",
    "指标值",
    "实际完成值",
    "资金总额",
    "其中：财政拨款",
    "偏差原因分析",
    "维修改造设施",
    "达成",
]
_block_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _reference_cells(block: Block, block_index: int) -> list[se.Cell] | None:
    """``cells_from_text`` as it read before its shortcuts: the prose tests in their first order, every
    line split by ``_line_cells``, each cell built by ``Cell(...)``."""
    raw = block.raw or block.text
    if len(raw) > 40 and (
        not se._MAYBE_TABLE.search(raw)
        or (
            "\t" not in raw
            and "|" not in raw
            and "｜" not in raw
            and se._SENTENCE_PUNCT.search(raw) is not None
            and se._HEADER_WORDS.search(raw) is None
        )
    ):
        return None
    if "\t" not in raw and "|" not in raw and "｜" not in raw:
        words = raw.split(None, 1)
        if not words or (len(words) == 1 and (len(words[0]) > 40 or se._SENTENCE_PUNCT.search(words[0]))):
            return None
    out: list[se.Cell] = []
    first = block.location.line or 1
    any_row = False
    for n, line in enumerate(raw.split("\n")):
        cells = se._line_cells(line)
        if cells is None:
            if out and out[-1].text != se._BREAK:
                out.append(se.Cell(se._BREAK, block_index, block, (block_index, n)))
            continue
        if not cells:
            continue
        any_row = True
        changes = may_change(line.replace("\t", "\x1f"))
        for off, cell in cells:
            text = normalize_text(cell).strip() if changes else cell
            out.append(se.Cell(text, block_index, block, (block_index, n), first + n, off + 1))
    return out if any_row else None


@settings(max_examples=600)
@given(_block_text, st.integers(1, 30))
def test_cells_from_text_are_the_cells_read_line_by_line(raw: str, line: int) -> None:
    block = Block(
        kind="paragraph", text=raw.replace("\t", " "), location=Location(path="t.txt", line=line), raw=raw
    )
    got = se.cells_from_text(block, 3)
    assert got == _reference_cells(block, 3)
    # Built by the tab rows' shortcut or not, a cell is a Cell like any other.
    assert all(type(cell) is se.Cell for cell in got or ())


# --- the stream's texts: cells holding a word ---------------------------------------------------------

_cell_text = st.lists(
    st.sampled_from(
        ["", "年", "初", "预算", "預算", "指标值", "目 标 值", "总", "额", "总额", "總額", "达成", "1", "\n"]
    ),
    max_size=4,
).map("".join)


def _stream(texts: list[str]) -> se._Stream:
    block = Block(kind="paragraph", text="", location=Location(path="t.txt"))
    return se._Stream.of(se.Cell(text, 0, block, (0, k)) for k, text in enumerate(texts))


@settings(max_examples=400)
@given(st.lists(_cell_text, max_size=12), st.sampled_from(["年", "总额", "總額", "达", "到位率", "额总"]))
def test_cells_holding_a_word_are_those_tested_one_by_one(texts: list[str], word: str) -> None:
    assert se._Texts(_stream(texts)).holding(word) == [k for k, text in enumerate(texts) if word in text]


@settings(max_examples=400)
@given(st.lists(_cell_text, max_size=12))
def test_header_starts_are_the_cells_tested_one_by_one(texts: list[str]) -> None:
    stream = _stream(texts)
    expected = [
        k
        for k, text in enumerate(texts)
        if re.search("[预預指目年]", text) and se._HEAD_START.search(se.fold(text)) is not None
    ]
    assert se._header_starts(se._Texts(stream), se._Folded(stream)) == expected


# --- row sizes ----------------------------------------------------------------------------------------


def _document(raws: list[str]) -> Document:
    """One paragraph block per text, each starting on the line after the one before."""
    firsts = accumulate([raw.count("\n") + 1 for raw in raws], initial=1)
    return Document(
        path="t.txt",
        format="txt",
        encoding="utf-8",
        blocks=[
            Block(kind="paragraph", text=raw, location=Location(path="t.txt", line=line), raw=raw)
            for raw, line in zip(raws, firsts, strict=False)
        ],
    )


# Tab rows of a few cells to a few dozen (a whole table on one line), among prose lines.
_row_line = st.one_of(
    st.lists(st.sampled_from(["", "1", "≥2%", "名称", "名称。", "a b"]), max_size=10).map("\t".join),
    st.lists(st.sampled_from(["1", "≥2%", "名称", ""]), min_size=25, max_size=40).map("\t".join),
    st.sampled_from(["", "说明如下，见表。", "12 34 56"]),
)
_row_text = st.lists(_row_line, max_size=4).map("\n".join)


@settings(max_examples=300)
@given(st.lists(_row_text, max_size=5))
def test_a_short_row_is_one_of_few_cells_in_the_stream(raws: list[str]) -> None:
    stream = se._document_stream(_document(raws), 0)
    sizes = Counter(stream.rows)
    assert [se._row_is_short(stream, k) for k in range(len(stream))] == [
        sizes[row] <= se._ROW_CELLS for row in stream.rows
    ]
