"""The table reader's shortcuts give what the plain readings they replace give.

Each test compares a helper of ``claims_tables`` with the straightforward code it stands for (kept
here as the reference), on generated text built from the characters and words the shortcut is about.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Location
from jixiao.review.claims import tables as ct
from jixiao.review.document import Block, Document, new_location
from jixiao.review.normalize import _CELL_GAP, may_change, normalize_text

# Characters around which the shortcuts decide: tabs and newlines (cells, lines), what normalisation
# rewrites (full-width digits and point, no-break and ideographic spaces, a zero-width space, digit
# grouping, "(cid:"), digits, points and the words of the headers and labels.
_PIECES = [
    "\t",
    "\t",
    "\n",
    " ",
    "\u00a0",
    "\u3000",
    "\u200b",
    "１",
    "．",
    ". ",
    ",",
    "，",
    "123",
    "4",
    ".5",
    "(cid:3)",
    "[bookmark: x]",
    "其中",
    "：",
    ":",
    "合计",
    "小计",
    "财政拨款",
    "其他",
    "—",
    "-",
    "万元",
    "%",
    "≥",
    "个",
    *(word for word, _ in ct._MONEY_COLS + ct._INDICATOR_COLS),
]
_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
_short = st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)


# --- _tables: the rows of plain-text blocks ---------------------------------------------------------


def _reference_rows(document: Document) -> list[list[tuple[list[str], int, tuple[str, int, int, int]]]]:
    """The runs of tab-separated rows as the reader found them before its shortcuts: every line of
    every block split and tested, each row's line tested by ``may_change``."""
    grids: list[list[tuple[list[str], int, tuple[str, int, int, int]]]] = []
    run: list[tuple[list[str], int, tuple[str, int, int, int]]] = []
    number = 0
    for index, block in enumerate(document.blocks):
        first = block.location.line or 1
        for i, raw in enumerate((block.raw or block.text).split("\n")):
            cells = raw.split("\t")
            if len(cells) >= 3 and sum(1 for c in cells if c.strip()) >= 2:
                if not run:
                    number += 1
                texts = (
                    [c.strip() for c in cells]
                    if not may_change(raw.replace("\t", _CELL_GAP))
                    else [normalize_text(c).strip() for c in cells]
                )
                run.append((texts, index, (block.location.path, first + i, number, len(run) + 1)))
            elif raw.strip() and run:
                grids.append(run)
                run = []
    if run:
        grids.append(run)
    return grids


def _document(raws: list[str]) -> Document:
    blocks = []
    line = 1
    for raw in raws:
        blocks.append(Block(kind="paragraph", text=raw, location=Location(path="t.txt", line=line), raw=raw))
        line += raw.count("\n") + 1
    return Document(path="t.txt", format="txt", encoding="utf-8", blocks=blocks)


@settings(max_examples=400)
@given(st.lists(_text, max_size=6))
def test_plain_text_rows_are_the_rows_read_line_by_line(raws: list[str]) -> None:
    document = _document(raws)
    got = [[(row.texts, row.block_index, row._where) for row in grid] for grid in ct._tables(document)]
    assert got == _reference_rows(document)


@settings(max_examples=400)
@given(st.lists(_short, min_size=1, max_size=8))
def test_a_line_that_may_change_is_in_a_block_that_may_change(lines: list[str]) -> None:
    # The block-wide may_change test skips the per-line one only when it is exact: a pattern found in
    # a line is found in the block holding it.
    block = "\n".join(lines).replace("\t", _CELL_GAP)
    if any(may_change(line.replace("\t", _CELL_GAP)) for line in lines):
        assert may_change(block)


# --- header roles, labels, excerpts ----------------------------------------------------------------


def _reference_roles(texts: list[str], columns: tuple[tuple[str, str], ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, text in enumerate(texts):
        for word, role in columns:
            if word in text and role not in found:
                found[role] = j
                break
    return found


_header_cell = st.lists(
    st.sampled_from(
        [word for word, _ in ct._MONEY_COLS + ct._INDICATOR_COLS] + ["数", "名称", "（万元）", "项目"]
    ),
    max_size=3,
).map("".join)


@settings(max_examples=400)
@given(st.lists(_header_cell, max_size=10))
def test_roles_are_the_first_unnamed_role_of_each_cell(texts: list[str]) -> None:
    assert ct._roles(texts, ct._money_roles_named) == _reference_roles(texts, ct._MONEY_COLS)
    assert ct._roles(texts, ct._indicator_roles_named) == _reference_roles(texts, ct._INDICATOR_COLS)


_label = st.tuples(
    st.sampled_from(["", "其中", "其", "中"]), st.sampled_from(["", ":", "：", "：：", " "]), _short
)


@given(_label.map("".join))
def test_label_without_qizhong_is_the_regex_substitution(label: str) -> None:
    assert ct._without_qizhong(label) == re.sub(r"^其中[:：]?", "", label)


@given(st.lists(st.sampled_from(["", "", "a", "12", "其中", "—"]), min_size=1, max_size=6), st.data())
def test_excerpt_marks_the_cell_among_the_non_empty_ones(texts: list[str], data: st.DataObject) -> None:
    j = data.draw(st.integers(0, len(texts) - 1))
    row = ct._Row(texts, 0, Block(kind="paragraph", text="", location=new_location()), {}, None, None)
    expected = " | ".join([("【" + t + "】") if k == j else t for k, t in enumerate(texts) if t])
    assert ct._excerpt(row, j) == expected


def test_a_cell_read_twice_is_read_once() -> None:
    row = ct._Row(
        ["合计", "1,234.5", "98%"],
        0,
        Block(kind="paragraph", text="", location=new_location()),
        {},
        None,
        None,
    )
    first = row.number(1, "万元")
    assert first is not None and first.unit == "万元"
    assert row.number(1, "万元") is first
    assert row.number(2, "") is not None and row.number(0, "") is None
