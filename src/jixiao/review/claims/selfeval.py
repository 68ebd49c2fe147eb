"""The standard 自评表 (项目 / 部门整体) read from table blocks and from flattened text: one model, two ways in.

Published 自评表 reach us whole (a .docx/.xlsx table, a Table block per grid) or flattened by a PDF, web
or Excel export into runs of cells: "|"-separated, tab-separated, space-separated on one line, or one cell
per line. Flattening loses blank cells and shifts rows against their headers, so columns cannot be read
by position. What survives is the order of the cells, so both ways in become one **stream of cells**
(``Cell``: text and place), and the block and the indicator rows are recognised in it by the kinds of
their cells, in the order the table's own header gives:

- money block: a row label (年度资金总额, 其中：财政拨款, 上年结转, 其他资金) followed by its values, mapped
  to the header's columns (年初预算数 全年预算数 全年执行数 分值 执行率 得分, recognised by meaning). A row is
  read only when its values fit the columns unambiguously (all of them, or the three amounts, or the
  amounts and a percentage under 执行率); otherwise it claims nothing.
- indicator rows: a target (an operator ≥ ≤ = > < and a number with its unit, in one cell or split
  over operator / number / unit cells), then 实际完成值, 分值, 得分 (or 分值 first, when the header says so),
  and what follows in the same row as 偏差原因分析.

Entry points: ``read_selfeval(cells)`` for any stream of cells (``cells_from_table`` makes one from a
``Table`` block — the spreadsheet reader's tables plug in here — and ``cells_from_text`` from paragraph
lines), ``extract_selfeval_claims(document)`` for a whole document.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from jixiao.core.decimals import sum_intervals
from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import (
    Claim,
    ExecutionScore,
    Figure,
    RateClaim,
    ScoreGroup,
    ScoreLine,
    SumClaim,
    anchored_line,
    make_figure,
)
from jixiao.review.claims.tables import _as_percent
from jixiao.review.document import Block, Document, Table, new_location
from jixiao.review.normalize import cells_may_change, normalize_text
from jixiao.review.quantities import Quantity, parse_quantity

__all__ = [
    "ArrivalScore",
    "Cell",
    "IndicatorRow",
    "MoneyBlock",
    "MoneyRow",
    "QualitativeRow",
    "UnweightedRow",
    "cells_from_table",
    "cells_from_text",
    "extract_selfeval_claims",
    "read_selfeval",
    "target_met",
]


class Cell(NamedTuple):
    """One cell of the stream: its text, the block it is in and where. ``row`` tells cells of one table
    row (or one text line) apart from the next; ``offset`` is the cell's place in ``block.text`` for
    text cells (None for a table cell, which carries its own ``location``)."""

    text: str
    block_index: int
    block: Block
    row: tuple[int, int]
    line: int | None = None  # a text cell's source line and column (its location is built when needed)
    column: int | None = None
    location: Location | None = None


class _Line(NamedTuple):
    """A tab row's place: what each of its cells' ``Cell`` would repeat, and the row as written (a cell's
    column is worked out from it when its ``Cell`` is built)."""

    block_index: int
    block: Block
    line: int
    text: str


class _Stream:
    """A stream of cells kept as columns: each cell's text (what the readers test, cell after cell), its
    row, and where it is — its ``Cell``, or the ``_Line`` shared by the cells of a tab row. A report's
    stream has a few hundred cells, most of them in tab rows, and the readers make figures of a few
    dozen: a tab row's cells are strings in lists, not objects the collector walks while the report is
    read, and a ``Cell`` is built for the few a figure is read from."""

    __slots__ = ("rows", "texts", "wheres")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.rows: list[tuple[int, int]] = []
        self.wheres: list[Cell | _Line] = []

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> _Stream:
        stream = cls()
        for cell in cells:
            stream.add(cell)
        return stream

    def __len__(self) -> int:
        return len(self.texts)

    def add(self, cell: Cell) -> None:
        self.texts.append(cell.text)
        self.rows.append(cell.row)
        self.wheres.append(cell)

    def insert_break(self, at: int, block_index: int, block: Block) -> None:
        """A break before cell ``at`` (prose came between the cells before and after it)."""
        row = (-1, at)
        self.texts.insert(at, _BREAK)
        self.rows.insert(at, row)
        self.wheres.insert(at, Cell(_BREAK, block_index, block, row))

    def truncate(self, n: int) -> None:
        del self.texts[n:], self.rows[n:], self.wheres[n:]

    def place(self, i: int) -> tuple[int, Block, Location | None]:
        """Cell ``i``'s block index, block and (a table cell's) location, without building its ``Cell``."""
        where = self.wheres[i]
        if type(where) is Cell:
            return where.block_index, where.block, where.location
        return where.block_index, where.block, None

    def cell(self, i: int) -> Cell:
        where = self.wheres[i]
        if type(where) is Cell:
            return where
        # The cell's place in its row: the row's cells are the same _Line's, one after another.
        k = 0
        while k < i and self.wheres[i - k - 1] is where:
            k += 1
        parts = where.text.split("\t")
        pos = sum(len(part) + 1 for part in parts[:k])
        text = self.texts[i]
        column = pos + parts[k].index(text) + 1  # an empty cell's is where its part starts
        return Cell(text, where.block_index, where.block, self.rows[i], where.line, column)

    def cells(self) -> list[Cell]:
        return [self.cell(i) for i in range(len(self.texts))]


# --- claims ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorRow(Claim):
    """One indicator row: target (operator, number, unit), actual, weight, score, and whether its row gives
    a reason for a deviation (``reason``: the text; None when the row's end cannot be seen)."""

    name: str
    op: str  # "≥" "≤" "=" ">" "<"
    target: Figure
    actual: Figure
    weight: Figure | None
    score: Figure
    reason: str | None
    line: ScoreLine
    kind: str = "indicator-row"


@dataclass(frozen=True, slots=True)
class UnweightedRow(Claim):
    """A row of a form whose header has no 分值 (目标值(A) | 实际完成值(B) | 得分): target, actual, score."""

    name: str
    target: Figure
    actual: Figure
    score: Figure
    kind: str = "unweighted-row"


@dataclass(frozen=True, slots=True)
class QualitativeRow(Claim):
    """A qualitative row: its stated result (``band``: "达成", "部分达成", "未达成"), 分值 and 得分."""

    name: str
    band: str
    result: str  # the actual cell as written
    weight: Figure
    score: Figure
    kind: str = "qualitative-row"


@dataclass(frozen=True, slots=True)
class MoneyRow:
    label: str
    scope: str  # "总" or a source
    values: dict[str, Figure]  # role -> figure ("年初预算", "全年预算", "执行数", "weight", "rate", "score")
    blank: bool = False  # the row is there and states no amount ("—", nothing)


@dataclass(frozen=True, slots=True)
class MoneyBlock(Claim):
    total: MoneyRow | None
    sources: tuple[MoneyRow, ...]
    kind: str = "money-block"


@dataclass(frozen=True, slots=True)
class ArrivalScore(Claim):
    """The 到位率 indicator's 分值 and 得分 with the table's own 计划投资额 and 实际到位资金: the common
    indicator framework scores it as 到位率 (实际到位 ÷ 计划) × 分值."""

    planned: Figure
    arrived: Figure
    weight: Figure
    score: Figure
    kind: str = "arrival-score"


def target_met(row: IndicatorRow) -> bool | None:
    """True when the actual meets the target as written ("100%" meets "≥100%"), False when it certainly
    misses it (its whole rounding interval on the wrong side), None in between."""
    return _met(row.op, row.target, row.actual)


def _met(op: str, target: Figure, actual: Figure) -> bool | None:
    """``target_met`` of a row's parts (the reader asks it before the row is built)."""
    t = target.value
    a = actual.value
    lo, hi = actual.quantity.interval.lo, actual.quantity.interval.hi
    if op in ("≥", ">"):
        if a > t or (op == "≥" and a == t):
            return True
        return False if hi is not None and hi < t else None
    if op in ("≤", "<"):
        if a < t or (op == "≤" and a == t):
            return True
        return False if lo is not None and lo > t else None
    if a == t:
        return True
    return False if not actual.quantity.interval.contains(t) else None


# --- words ---------------------------------------------------------------------------------------------

# Traditional forms of the characters the header and row words use (mirror pages publish 繁体), and the
# pinyin such pages put after a character ("指標(biāo)"): folded for recognising words only.
_TRAD = str.maketrans("標際實數預執資額結轉撥財總當級據値顯輸齊", "标际实数预执资额结转拨财总当级据值显输齐")
_PINYIN = lazy_compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}[）)]")
_SPACE = lazy_compile(r"\s+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` for word matching: pinyin annotations and spaces out, traditional characters folded."""
    if "(" in text or "（" in text:
        text = _PINYIN.sub("", text)
    return _SPACE.sub("", text).translate(_TRAD)


def shown(text: str) -> str:
    """A cell's text as a finding names it: as written, less spaces and pinyin annotations."""
    if "(" in text or "（" in text:
        text = _PINYIN.sub("", text)
    return _SPACE.sub("", text)


_OPS = {
    "≥": "≥",
    "≧": "≥",
    ">=": "≥",
    "＞＝": "≥",
    "≤": "≤",
    "≦": "≤",
    "<=": "≤",
    "＜＝": "≤",
    "=": "=",
    "＝": "=",
    "═": "=",
    "﹦": "=",
    "==": "=",
    ">": ">",
    "＞": ">",
    "<": "<",
    "＜": "<",
}
_OP_CHARS = frozenset("≥≧≤≦=＝═﹦>＞<＜")
_OP_RE = lazy_compile(r"^(>=|<=|＞＝|＜＝|==|[≥≧≤≦=＝═﹦>＞<＜])\s*")
_UNIT_CELL = lazy_compile(r"^(?:%|％|[\u4e00-\u9fff]{1,3}|万[\u4e00-\u9fff]{1,2}|km|m2|㎡|m³|kg|t)$")
_BLANKS = frozenset({"—", "-", "－", "/", "／", "——", "\\", "–", "无"})
_DATE_WORDS = lazy_compile(r"年|月|日|前|底|季度")

# Money header words -> role, recognised by meaning (the longer words first).
_MONEY_HEAD: tuple[tuple[str, str], ...] = (
    ("年初预算", "年初预算"),
    ("全年预算", "全年预算"),
    ("调整后预算", "全年预算"),
    ("调整预算", "全年预算"),
    ("全年执行", "执行数"),
    ("执行数", "执行数"),
    ("执行率", "rate"),
    ("分值", "weight"),
    ("得分", "score"),
    ("预算数", "全年预算"),
)
_AMOUNT_ROLES = ("年初预算", "全年预算", "执行数")
_TOTAL_LABEL = lazy_compile(r"^(?:年度)?(?:预算|财政)?(?:预算)?资金总额[)）]?[:：]?$")
_SOURCE_LABEL = lazy_compile(
    r"^(?:其中[:：]?)?(?:当年|本年)?(?:财政拨款|财政拨款资金|上年结转(?:资金)?|其他资金|其它资金"
    r"|(?:中央|地方|省级|市级|州级|县级|区级|本级)(?:财政)?(?:资金|补助|补助资金))"
    r"(?:[（(][^）)]{1,12}[）)])?[:：]?$"
)

# Indicator header words -> role.
_IND_HEAD: tuple[tuple[str, str], ...] = (
    ("年度指标值", "target"),
    ("指标值", "target"),
    ("目标值", "target"),
    ("实际完成值", "actual"),
    ("实际值", "actual"),
    ("完成值", "actual"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("偏差原因", "reason"),
)


@lru_cache(maxsize=4096)
def _money_role(word: str) -> str | None:
    for key, role in _MONEY_HEAD:
        if key in word:
            return role
    return None


@lru_cache(maxsize=4096)
def _ind_role(word: str) -> str | None:
    for key, role in _IND_HEAD:
        if key in word:
            return role
    return None


# --- the two ways in -----------------------------------------------------------------------------------


def cells_from_table(table: Table, block_index: int, block: Block) -> list[Cell]:
    """The stream of a ``Table`` (docx, html, pipe text, or a spreadsheet's sheet): its non-empty cells row
    by row, each keeping its own location (sheet!cell for a spreadsheet)."""
    out: list[Cell] = []
    for r, row in enumerate(table.rows):
        for c in row:
            text = c.text.strip()
            if text:
                out.append(Cell(text, block_index, block, (block_index, r), location=c.location))
    return out


_SENTENCE_PUNCT = lazy_compile(r"[。，；,;！？]")
_BREAK = "\x00"
# A block worth splitting into cells: it has a cell separator and a digit, or a 自评表 word.
_MAYBE_TABLE = lazy_compile(r"\d|指标|预算|执行|分值|得分|標|預|執")
_NUMERIC_TOKEN = lazy_compile(r"^[≥≧≤≦=＝═﹦><＞＜]*\s*-?\d")
# Any word of a money or indicator header (or a one-column source list's total), split cells included.
_ANY_HEADER = lazy_compile(
    r"预算数|預算數|指标值|指標值|目标值|目標值|执行数|執行數|资金总额|資金總額|实际到位资金|實際到位資金"
)
_HEADER_WORDS = lazy_compile(r"年初预算|全年预算|指标值|实际完成值|年初預算|指標值")


def _line_cells(line: str) -> list[tuple[int, str]] | None:
    """The cells of one text line with their offsets, or None when the line is prose."""
    if "\t" in line or "|" in line or "｜" in line:
        # A tab row keeps its empty cells (its columns are the header's); flattened "|" rows do not (their
        # empty cells are the page's layout, not the table's).
        keep_empty = "\t" in line and "|" not in line
        cells: list[tuple[int, str]] = []
        pos = 0
        parts = line.split("\t") if keep_empty and "｜" not in line else re.split(r"[\t|｜]", line)
        for part in parts:
            text = part.strip()
            if text:
                cells.append((pos + part.index(text), text))
            elif keep_empty:
                cells.append((pos, ""))
            pos += len(part) + 1
        while keep_empty and cells and not cells[-1][1]:
            cells.pop()  # trailing empties say nothing
        return cells
    stripped = line.strip()
    if not stripped:
        return []
    if len(stripped) <= 40 and " " not in stripped and "\u3000" not in stripped:
        # One cell on its own line (the usual short line): no tokenising needed.
        if _SENTENCE_PUNCT.search(stripped) is not None:
            return None
        return [(line.index(stripped), stripped)]
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    if len(tokens) == 1 and len(stripped) <= 40 and _SENTENCE_PUNCT.search(stripped) is None:
        return tokens  # one cell per line
    numeric = sum(1 for _, t in tokens if _NUMERIC_TOKEN.match(t))
    if numeric >= 2 and numeric * 4 >= len(tokens) and all(len(t) <= 40 for _, t in tokens):
        return tokens  # a row flattened into space-separated cells
    if (
        numeric >= 1
        and _NUMERIC_TOKEN.match(tokens[-1][1])
        and len(tokens) <= 4
        and _SENTENCE_PUNCT.search(stripped) is None
        and all(len(t) <= 30 for _, t in tokens)
    ):
        return tokens  # "label value" ("市级资金 136.00")
    if numeric >= 3 and len(tokens) >= 8 and _HEADER_WORDS.search(line) is not None:
        return tokens  # a whole table flattened into one line (its prose cells read as cells too)
    return None


def cells_from_text(block: Block, block_index: int) -> list[Cell] | None:
    """The stream of a paragraph block's table-like source lines (``Block.raw``: the reader joins a
    paragraph's lines in ``.text``), each cell at its line and column; None when no line is table-like.
    A prose line inside the block is a break no row is read across."""
    stream = _Stream()
    return stream.cells() if _text_cells(stream, block, block_index) else None


def _text_cells(stream: _Stream, block: Block, block_index: int) -> bool:
    """``cells_from_text`` added to ``stream``: whether the block has a table-like line (when it has none,
    the stream is left as it was)."""
    raw = block.raw or block.text
    if "\t" not in raw and "|" not in raw and "｜" not in raw:
        # One stretch of text without a space (a sentence, or nothing): ``_line_cells`` reads it as one
        # cell only when it is short and has no sentence punctuation, so the rest (most paragraphs)
        # need no splitting. Asked first: a split and a length say it of most prose blocks, where the
        # word tests below take three regex searches.
        words = raw.split(None, 1)
        if not words or (len(words) == 1 and (len(words[0]) > 40 or _SENTENCE_PUNCT.search(words[0]))):
            return False
        if len(words) == 1 and len(raw) <= 40 and "\n" not in raw:
            # One short word on one line (a heading, a label, a figure): what ``_line_cells`` reads of
            # such a line, one cell, read without the tests for longer lines.
            return _one_cell(stream, raw, words[0], block, block_index)
    if len(raw) > 40 and (
        not _MAYBE_TABLE.search(raw)
        or (
            "\t" not in raw
            and "|" not in raw
            and "｜" not in raw
            and _SENTENCE_PUNCT.search(raw) is not None
            and _HEADER_WORDS.search(raw) is None
        )
    ):
        return False  # prose: no line of it is a row
    texts = stream.texts
    mark = len(texts)
    first = block.location.line or 1
    any_row = False
    # Normalising a cell can only change it where the whole block could change (normalize.cells_may_change);
    # asked once a line has cells (None: not asked yet), and a one-line block is its own line.
    block_changes: bool | None = None
    one_line = "\n" not in raw
    for n, line in enumerate(raw.split("\n")):
        if "\t" in line and "|" not in line and "｜" not in line:
            # A tab row (the usual plain-text 自评表): its cells straight from the split.
            if block_changes is None:
                block_changes = cells_may_change(raw)
            if not (block_changes and (one_line or cells_may_change(line))):
                where = _new_tuple(_Line, (block_index, block, first + n, line))
                if _tab_row(stream, line, (block_index, n), where):
                    any_row = True
                continue
        cells = _line_cells(line)
        if cells is None:
            if len(texts) > mark and texts[-1] != _BREAK:
                stream.add(Cell(_BREAK, block_index, block, (block_index, n)))
            continue
        if not cells:
            continue
        any_row = True
        if block_changes is None:
            block_changes = cells_may_change(raw)
        changes = block_changes and (one_line or cells_may_change(line))
        row, line_number = (block_index, n), first + n  # shared by the line's cells
        for off, cell in cells:
            text = normalize_text(cell).strip() if changes else cell
            stream.add(Cell(text, block_index, block, row, line_number, off + 1))
    if not any_row:
        stream.truncate(mark)
    return any_row


def _one_cell(stream: _Stream, line: str, word: str, block: Block, block_index: int) -> bool:
    """A one-line block that is one cell, ``word`` (no space in it, no sentence punctuation, at most 40
    characters), added to ``stream`` as ``_text_cells`` adds it."""
    text = normalize_text(word).strip() if cells_may_change(line) else word
    cell = (text, block_index, block, (block_index, 0), block.location.line or 1, line.index(word) + 1, None)
    stream.add(_new_tuple(Cell, cell))
    return True


# A NamedTuple without its own ``__new__`` (a Python function): the same tuple, of the same class, built
# in C.
_new_tuple = tuple.__new__


def _tab_row(stream: _Stream, line: str, row: tuple[int, int], where: _Line) -> bool:
    """The cells of a tab row that normalising leaves as they are, added to ``stream``: what
    ``_line_cells`` gives such a line (every cell, the empty ones too, less the trailing empties).
    Whether the row has any."""
    texts = list(map(str.strip, line.split("\t")))
    while texts and not texts[-1]:
        texts.pop()  # trailing empties say nothing
    if not texts:
        return False
    n = len(texts)
    stream.texts.extend(texts)
    stream.rows.extend([row] * n)
    stream.wheres.extend([where] * n)
    return True


# --- figures -------------------------------------------------------------------------------------------


def _excerpt(stream: _Stream, i: int, j: int, mark: int) -> str:
    """Cells i..j-1 joined by " | ", cell ``mark`` in 【】: what a finding shows of a flattened row."""
    texts = [("【" + t + "】" if k == mark else t) for k, t in enumerate(stream.texts[i:j], start=i)]
    return " | ".join(texts)


def _figure(span: _Span, at: int, q: Quantity, label: str, exact: bool) -> Figure:
    """The figure ``q`` of cell ``at``, shown with the cells of ``span``."""
    block_index, block, location = span.stream.place(at)
    return make_figure(
        q,
        block_index,
        block,
        label=label,
        exact=exact,
        location=location,  # a table cell's own; a text cell's is built when first read (few are)
        source=span,
        key=at,
    )


class _Span:
    """The place source of the figures read from one row's cells start..end-1 of ``stream`` (a figure's
    key: its cell): a text cell's location, built when first asked for, and the row's cells as the
    excerpt, the figure's cell marked. One per row, not one per figure: a report reads a few dozen."""

    __slots__ = ("end", "start", "stream", "weight_at")

    def __init__(self, stream: _Stream, start: int, end: int, weight_at: int = -1) -> None:
        self.stream = stream
        self.start = start
        self.end = end
        # An indicator row's weight is marked at the first cell of the row equal to it (a table cell
        # repeated whole, a merged one, at its first copy), as ``list.index`` of the Cells found it.
        self.weight_at = weight_at

    def place_location(self, key: int) -> Location:
        cell = self.stream.cell(key)
        return new_location(path=cell.block.location.path, line=cell.line, column=cell.column)

    def place_excerpt(self, key: int) -> str:
        mark = _first_equal(self.stream, key, self.start) if key == self.weight_at else key
        return _excerpt(self.stream, self.start, self.end, mark)


# A cell's text is asked for again as a name, a target, a reason and a band by the row readers (the answer
# depends on the text alone, and a Quantity is immutable): kept for the cells of the last reports.
@lru_cache(maxsize=2048)
def _number(text: str) -> Quantity | None:
    """A cell that is one plain number (with or without a unit), not a date."""
    if _DATE_WORDS.search(text):
        return None
    q = parse_quantity(text)
    if q is None or q.kind != "number" or q.approximate or q.end - q.start < len(text.strip()):
        return None
    return q


def _plain(text: str) -> Quantity | None:
    """A weight or score cell: a number with no unit but 分."""
    q = _number(text.replace("分", "")) if text.endswith("分") else _number(text)
    if q is None or q.unit not in ("", "分"):
        return None
    return q


# --- the reader ----------------------------------------------------------------------------------------


class _Texts:
    """The texts of a stream's cells, and all of them run together.

    The readers look for the few cells that hold a word (a header's 预算 or 指标值, 总额, 达成): a search of
    the run-together text, at C speed, finds them where a Python test of each of a stream's few hundred
    cells costs more than reading the cells found."""

    __slots__ = ("_ends", "_joined", "texts")

    def __init__(self, stream: _Stream) -> None:
        self.texts = stream.texts
        self._joined = "".join(self.texts)
        self._ends = list(accumulate(map(len, self.texts)))  # where each cell's text ends in _joined

    def holding(self, word: str) -> list[int]:
        """The indices of the cells whose text holds ``word``, in order."""
        joined, ends = self._joined, self._ends
        found: list[int] = []
        at = joined.find(word)
        while at != -1:
            k = bisect_right(ends, at)  # the cell the match starts in (an empty cell holds no position)
            if at + len(word) <= ends[k]:
                found.append(k)
                at = joined.find(word, ends[k])  # on from the next cell
            else:
                at = joined.find(word, at + 1)  # the match runs into the next cell: not a cell's own
        return found


@dataclass
class _Layout:
    ind_order: tuple[str, ...] = ()  # ("target", "actual", "weight", "score") in the header's order
    has_reason: bool = False
    money_roles: tuple[str, ...] = ()


# More cells than a 自评表 row has (三级指标 to 偏差原因, with split targets): a whole table on one line,
# where a row's end — and so whether a reason follows — cannot be seen.
_ROW_CELLS = 30


def _row_is_short(stream: _Stream, k: int) -> bool:
    """Whether the row of ``stream[k]`` has at most _ROW_CELLS cells. A row's cells follow one another in
    a stream (a line or a table row enters it whole), so they are counted from ``k`` both ways, and no
    further than the bound: the few rows asked about, not every cell of the stream."""
    rows = stream.rows
    row = rows[k]
    size = 1
    j = k - 1
    while j >= 0 and size <= _ROW_CELLS and rows[j] == row:
        size += 1
        j -= 1
    j = k + 1
    while j < len(rows) and size <= _ROW_CELLS and rows[j] == row:
        size += 1
        j += 1
    return size <= _ROW_CELLS


_HEAD_START = lazy_compile(r"预算|指标值|目标值|年初|全年")
# A cell whose folded text ``_HEAD_START`` matches holds one of these as written (``fold`` turns 預 into
# 预 and takes spaces and pinyin out, nothing else): the cells without any are not folded at all.
_HEAD_CHARS = "预預指目年"
_FRAGMENTS = ("年初", "全年", "调整后", "调整", "年度", "实际")


class _Folded:
    """``fold`` of each cell's text, worked out when first asked for: a header is looked for only from the
    few cells that may start one, and most cells of a stream (figures, names) are never read as a word."""

    __slots__ = ("_texts", "_words")

    def __init__(self, stream: _Stream) -> None:
        self._texts = stream.texts
        self._words: list[str | None] = [None] * len(stream)

    def __len__(self) -> int:
        return len(self._words)

    def __getitem__(self, j: int) -> str:
        word = self._words[j]
        if word is None:
            word = self._words[j] = fold(self._texts[j])
        return word


def _money_word(folded: _Folded, j: int) -> tuple[str | None, int]:
    """The money column role a header cell (or a cell split in two: "年初" | "预算数") names, and the cells used."""
    word = folded[j]
    if word in _FRAGMENTS and j + 1 < len(folded):
        role = _money_role(word + folded[j + 1])
        if role is not None:
            return role, 2
    return (_money_role(word) if len(word) <= 20 else None), 1


def _header_starts(texts: _Texts, folded: _Folded) -> list[int]:
    """The cells a header may start at, in order: those naming a budget or a target ("年初" of a split
    "年初 | 预算数" included). Only those cells are tried, and only those holding one of _HEAD_CHARS are
    folded to tell."""
    holding = sorted({k for ch in _HEAD_CHARS for k in texts.holding(ch)})
    return [k for k in holding if _HEAD_START.search(folded[k]) is not None]


def _header_layouts(stream: _Stream, texts: _Texts) -> Iterator[tuple[int, int, str, tuple[str, ...], bool]]:
    """(index, end, "money"|"indicator", roles in order, has_reason column) for each header run."""
    folded = _Folded(stream)
    n = len(stream)
    starts = _header_starts(texts, folded)
    pos = 0
    i = 0
    while pos < len(starts):
        i = max(i, starts[pos])
        pos += 1
        if i >= n:
            break
        word = folded[i]
        m_role, used = _money_word(folded, i)
        if m_role in ("年初预算", "全年预算"):
            roles: list[str] = []
            j = i
            while j < n:
                role, used = _money_word(folded, j)
                if role is None or role in roles:
                    break
                roles.append(role)
                j += used
            if len([r for r in roles if r in _AMOUNT_ROLES]) >= 2:
                yield i, j, "money", tuple(roles), False
                i = j
                continue
        if "指标值" in word or "目标值" in word:
            roles = []
            reason = False
            j = i
            while j < n and j < i + 8 and len(folded[j]) <= 20:
                role = _ind_role(folded[j])
                if role == "reason":
                    reason = True
                    j += 1
                    break
                if role is None or role in roles:
                    break  # the header ends at the first cell that names no (new) column
                roles.append(role)
                j += 1
            if "actual" in roles and "score" in roles:
                yield i, j, "indicator", tuple(roles), reason
                i = j
                continue
        i += 1


def _target(texts: list[str], i: int) -> tuple[str, int, Quantity, int] | None:
    """(op, cell, quantity, cells used) of a target starting at cell ``i``: "≥95%" in one cell, or
    "≥" | "95" | "%" over two or three (its cell: the number's)."""
    text = texts[i]
    m = _OP_RE.match(text)
    if m is None:
        return None
    op = _OPS[m.group(1)]
    rest = text[m.end() :]
    if rest:
        q = _number(rest)
        return None if q is None else (op, i, q, 1)
    if i + 1 >= len(texts):
        return None
    q = _number(texts[i + 1])
    if q is None:
        return None
    used = 2
    if q.unit == "" and i + 2 < len(texts) and _UNIT_CELL.match(texts[i + 2]):
        unit = texts[i + 2].replace("％", "%")
        if _number(texts[i + 2]) is None and unit not in ("分",):
            q = q._replace(unit=unit)
            used = 3
    return op, i + 1, q, used


def _comparable(target: Quantity, actual: Quantity) -> Quantity | None:
    """The actual in the target's unit (a bare actual takes the target's); None when the units differ."""
    if actual.unit == target.unit:
        return actual
    if actual.unit == "":
        return actual._replace(unit=target.unit)
    if target.unit == "" and actual.unit == "%":
        return None
    return None


def _indicator_rows(stream: _Stream, start: int, end: int, layout: _Layout) -> Iterator[IndicatorRow]:
    texts = stream.texts
    order = layout.ind_order
    weight_first = order[:1] == ("weight",)
    i = start
    while i < end:
        if not weight_first:
            # Only a cell starting with an operator can start a target: skip to the next one.
            while i < end and texts[i][:1] not in _OP_CHARS:
                i += 1
            if i >= end:
                break
        j0 = i
        weight_q: tuple[int, Quantity] | None = None
        if weight_first:
            wq = _plain(texts[i])
            if wq is None or i + 1 >= end:
                i += 1
                continue
            weight_q = (i, wq)
            i += 1
        t = _target(texts, i)
        if t is None:
            i = j0 + 1
            continue
        op, t_at, t_q, used = t
        k = i + used
        need = 2 if weight_first or "weight" not in order else 3
        if k + need > len(texts):
            i = j0 + 1
            continue
        a_q = _number(texts[k])
        if a_q is None:
            i = j0 + 1
            continue
        a_q = _comparable(t_q, a_q)
        if a_q is None:
            i = j0 + 1
            continue
        if weight_first or "weight" not in order:
            s_q = _plain(texts[k + 1])
            w_pair = weight_q
            last = k + 1
        else:
            wq = _plain(texts[k + 1])
            s_q = _plain(texts[k + 2])
            w_pair = (k + 1, wq) if wq is not None else None
            last = k + 2
            if wq is None:
                i = j0 + 1
                continue
        if s_q is None:
            i = j0 + 1
            continue
        if w_pair is not None and not (0 < w_pair[1].value <= 100 and s_q.value <= w_pair[1].value):
            i = j0 + 1
            continue
        name_at = j0 - 1
        name = shown(texts[name_at]) if name_at >= 0 and _number(texts[name_at]) is None else ""
        span_start = max(name_at, 0)
        span = _Span(stream, span_start, last + 1, -1 if w_pair is None else w_pair[0])
        # What follows the score in the same row is its reason; a row that ends at the score has none.
        reason = None
        if layout.has_reason and _row_is_short(stream, last):
            reason = _reason(stream, last, span_start)
        target = _figure(span, t_at, t_q, f"{name}年度指标值", True)
        actual = _figure(span, k, a_q, f"{name}实际完成值", False)
        weight = _figure(span, w_pair[0], w_pair[1], f"{name}分值", True) if w_pair is not None else None
        score = _figure(span, last, s_q, f"{name}得分", s_q.decimals == 0)
        # A met target deducted without a reason is S262's (the score, not the reason, is in question).
        has_reason = reason is None or bool(reason) or _met(op, target, actual) is True
        line = anchored_line(name or "指标", score, weight, score, has_reason=has_reason, source="table")
        yield IndicatorRow(name, op, target, actual, weight, score, reason, line)
        i = last + 1


def _first_equal(stream: _Stream, at: int, start: int) -> int:
    """The first cell from ``start`` equal to cell ``at`` (what ``list.index`` gives on a list of Cells): a
    table cell repeated whole (a merged cell) is marked at its first copy."""
    texts = stream.texts
    for k in range(start, at):
        if texts[k] == texts[at] and stream.cell(k) == stream.cell(at):
            return k
    return at


# A qualitative row's result, as 自评表 write it, by band (the framework's tiers in order).
_BANDS = {
    "达成": "达成",
    "已达成": "达成",
    "达成预期指标": "达成",
    "达成年度指标": "达成",
    "达到预期": "达成",
    "部分达成": "部分达成",
    "部分达成年度指标并具有一定效果": "部分达成",
    "未达成": "未达成",
    "未达成年度指标且效果较差": "未达成",
}


def _qualitative_rows(stream: _Stream, start: int, end: int, texts: _Texts) -> Iterator[QualitativeRow]:
    """Rows "name | target text | 达成… | 分值 | 得分" of a header in the order 指标值, 实际完成值, 分值, 得分."""
    # Every result in _BANDS holds 达; most cells (figures, names) do not.
    for k in texts.holding("达"):
        if not max(start, 2) <= k < end - 2:
            continue
        text = stream.texts[k]
        band = _BANDS.get(text.strip().rstrip("。"))
        if band is None:
            continue
        w_q, s_q = _plain(stream.texts[k + 1]), _plain(stream.texts[k + 2])
        target_text = stream.texts[k - 1]
        if (
            w_q is None
            or s_q is None
            or not (0 < w_q.value <= 100)
            or s_q.value > w_q.value
            or _number(target_text) is not None
            or _OP_RE.match(target_text)
            or _number(stream.texts[k - 2]) is not None
        ):
            continue
        name = shown(stream.texts[k - 2])
        span = _Span(stream, k - 2, k + 3)
        yield QualitativeRow(
            name,
            band,
            stream.texts[k],
            _figure(span, k + 1, w_q, f"{name}分值", True),
            _figure(span, k + 2, s_q, f"{name}得分", False),
        )


def _unweighted_rows(stream: _Stream, start: int, end: int) -> Iterator[UnweightedRow]:
    """Rows of a form without a 分值 column (目标值(A) | 实际完成值(B) | 得分): a name, then three numbers."""
    i = start + 1
    while i + 2 < end:
        t_q, a_q, s_q = _number(stream.texts[i]), _number(stream.texts[i + 1]), _plain(stream.texts[i + 2])
        name_text = stream.texts[i - 1]
        if (
            t_q is None
            or a_q is None
            or s_q is None
            or _number(name_text) is not None
            or len(name_text) < 2
            or t_q.value <= 0
            or _comparable(t_q, a_q) is None
        ):
            i += 1
            continue
        name = shown(name_text)
        span = _Span(stream, i - 1, i + 3)
        yield UnweightedRow(
            name,
            _figure(span, i, t_q, f"{name}目标值", True),
            _figure(span, i + 1, a_q, f"{name}实际完成值", False),
            _figure(span, i + 2, s_q, f"{name}得分", False),
        )
        i += 3


def _reason(stream: _Stream, last: int, first: int) -> str | None:
    """The row's 偏差原因 after its score at ``last``: "" when the row ends there (or the cell is a blank
    mark), its text when a text cell follows in the same row, None when that cannot be told (a whole
    table flattened into one line, where the next cell may be the next indicator's name)."""
    rows = stream.rows
    row_id = rows[last]
    if rows[first] != row_id:
        return None
    after = [stream.texts[k] for k in range(last + 1, min(last + 4, len(rows))) if rows[k] == row_id]
    if not after:
        return ""
    if not after[0] or after[0] in _BLANKS:
        return ""
    if _number(after[0]) is not None or any(_OP_RE.match(t) for t in after):
        return None
    word = fold(after[0])
    if word.endswith("指标") or "指标(" in word or "指标（" in word or len(word) < 4:
        return None
    return after[0]


def _money_values(stream: _Stream, i: int, end: int) -> tuple[list[tuple[int, Quantity | None]], int]:
    """The values after a row label at ``i``: (index, quantity or None for a blank) until a non-value."""
    out: list[tuple[int, Quantity | None]] = []
    k = i + 1
    while k < end and len(out) < 8:
        text = stream.texts[k].replace(",", "")
        if not text or text in _BLANKS:
            out.append((k, None))
        else:
            q = _number(text)
            if q is None:
                break
            out.append((k, q))
        k += 1
    return out, k


def _weight_before_rate(before: list[tuple[int, Quantity | None]], rate: tuple[int, Quantity | None]) -> bool:
    """Whether the value just before the 执行率 is the 分值 (a blank amount was lost in flattening) rather
    than the 执行数 (a blank 分值 was): a small whole number that is not the rate's numerator."""
    _, c = before[-1]
    _, b = before[-2]
    _, p = rate
    if c is None or p is None or c.unit != "" or not (0 < c.value <= 100) or c.decimals > 2:
        return False
    return not (b is not None and b.value > 0 and p.interval.contains(c.value / b.value * 100))


def _map_values(
    roles: tuple[str, ...], values: list[tuple[int, Quantity | None]], total: bool
) -> dict[str, tuple[int, Quantity]] | None:
    """The row's values by role, or None when they cannot be placed under the columns with confidence."""
    if not values:
        return {}
    if len(values) == len(roles):
        placed = dict(zip(roles, values, strict=True))
    else:
        rate_at = next((n for n, (_, q) in enumerate(values) if q is not None and q.unit == "%"), None)
        amounts = [r for r in roles if r in _AMOUNT_ROLES]
        if rate_at is None:
            if len(values) != len(amounts):
                return None
            placed = dict(zip(amounts, values, strict=True))
        elif "rate" not in roles:
            return None
        else:
            # The percentage is the 执行率: the columns after it take the values after it, the 分值 before it
            # the value just before it; the amounts only when there are exactly as many as their columns.
            r = roles.index("rate")
            after_roles, after_values = roles[r + 1 :], values[rate_at + 1 :]
            if len(after_values) > len(after_roles):
                return None
            placed = dict(zip(after_roles, after_values, strict=False))
            placed["rate"] = values[rate_at]
            before = values[:rate_at]
            if len(before) == r:
                placed.update(zip(roles[:r], before, strict=True))
            else:
                if (
                    r > 0
                    and roles[r - 1] == "weight"
                    and len(before) >= 2
                    and _weight_before_rate(before, values[rate_at])
                ):
                    placed["weight"] = before[-1]
                    before = before[:-1]
                if len(before) == len(amounts) and "weight" in placed:
                    placed.update(zip(amounts, before, strict=True))
                elif len(before) == len(amounts) and not total:
                    placed.update(zip(amounts, before, strict=True))  # a source row has no 分值
    out: dict[str, tuple[int, Quantity]] = {}
    for role, (k, q) in placed.items():
        if q is None:
            continue
        if role in ("weight", "score") and q.unit not in ("", "分"):
            return None
        if role in _AMOUNT_ROLES and q.unit == "%":
            return None
        out[role] = (k, q)
    return out


_ROLE_LABEL = {
    "年初预算": "年初预算数",
    "全年预算": "全年预算数",
    "执行数": "全年执行数",
    "weight": "分值",
    "rate": "执行率",
    "score": "得分",
}


def _money_block(
    stream: _Stream, start: int, end: int, roles: tuple[str, ...], unit: str
) -> tuple[MoneyBlock | None, int]:
    total: MoneyRow | None = None
    sources: list[MoneyRow] = []
    unreadable = False
    i = start
    last = start
    while i < end:
        label = fold(stream.texts[i])
        is_total = _TOTAL_LABEL.match(label) is not None
        is_source = not is_total and _SOURCE_LABEL.match(label) is not None
        if not (is_total or is_source):
            i += 1
            if i - last > 12:
                break  # the block is over
            continue
        values, k = _money_values(stream, i, end)
        placed = _map_values(roles, values, is_total)
        scope = "总" if is_total else _source_scope(label)
        if placed is None:
            unreadable = True
        else:
            figs: dict[str, Figure] = {}
            span = _Span(stream, i, k)
            for role, (at, q) in placed.items():
                if role in _AMOUNT_ROLES and q.unit == "":
                    q = q._replace(unit=unit)
                exact = role == "weight"
                figs[role] = _figure(span, at, q, f"{label.rstrip('：:')}{_ROLE_LABEL[role]}", exact)
            row = MoneyRow(label, scope, figs, blank=not figs)
            if is_total:
                if total is not None:
                    break  # a second block
                total = row
            else:
                sources.append(row)
        last = i = max(k, i + 1)
    if total is None and not sources:
        return None, last
    if unreadable:
        return MoneyBlock(total, ()), last  # the rows read cannot be said to be all the sources
    return MoneyBlock(total, tuple(sources)), last


def _source_scope(label: str) -> str:
    m = re.search(r"中央|地方|省级|市级|州级|县级|区级|本级", label)
    if m is not None:
        return m.group()
    if "结转" in label:
        return "上年结转"
    if "其他" in label or "其它" in label:
        return "其他资金"
    return "财政拨款"


def _money_claims(block: MoneyBlock) -> Iterator[Claim]:
    total = block.total
    if total is None:
        return
    t = total.values
    # Fund sources vs the total: every source row is read (a blank one counts as nothing).
    if block.sources and len({s.scope for s in block.sources}) == len(block.sources):
        for m in _AMOUNT_ROLES:
            if m not in t:
                continue
            parts = [s.values[m] for s in block.sources if m in s.values]
            if not parts:
                continue
            if any(m not in s.values and not s.blank and s.values for s in block.sources):
                continue  # a source row states other columns but not this one: cannot add up
            yield SumClaim(t[m], tuple(parts), True, "表格来源", f"年度资金总额{_ROLE_LABEL[m]}")
    if "rate" in t and "执行数" in t:
        dens = tuple(t[m] for m in ("全年预算", "年初预算") if m in t)
        if dens:
            rate = _as_percent(t["rate"], t["执行数"], dens[0])
            if rate is not None:
                yield RateClaim(rate, t["执行数"], dens, "执行率")
    if "weight" in t and "score" in t:
        line = anchored_line("预算执行率", t["score"], t["weight"], t["score"], source="table")
        yield ScoreGroup(line)
        rates: list[Figure] = []
        if "rate" in t:
            rate = _as_percent(t["rate"], t.get("执行数"), t.get("全年预算"))
            if rate is not None:
                rates.append(rate)
        if rates:
            yield ExecutionScore(line, tuple(rates))


def read_selfeval(stream: Sequence[Cell], unit: str = "万元") -> list[Claim]:
    """Every 自评表 claim of one stream of cells: money blocks (``MoneyBlock`` and the sums, rates and
    execution scores they state) and indicator rows (``IndicatorRow``, and a ``ScoreGroup`` of them so the
    score checks see their lines). Claims nothing where the header is not seen."""
    return _read(_Stream.of(stream), unit)


def _read(stream: _Stream, unit: str = "万元") -> list[Claim]:
    """``read_selfeval`` of a stream kept as columns."""
    out: list[Claim] = []
    texts = _Texts(stream)
    headers = list(_header_layouts(stream, texts))
    covered: list[tuple[int, int]] = []
    for n, (at, body, kind, roles, reason) in enumerate(headers):
        end = headers[n + 1][0] if n + 1 < len(headers) else len(stream)
        if kind == "money":
            head_text = "".join(stream.texts[max(0, at - 3) : body + 1])
            money_unit = "元" if re.search(r"[（(]元[）)]", head_text) else unit
            block, last = _money_block(stream, body, end, roles, money_unit)
            covered.append((at, last))
            if block is not None:
                out.append(block)
                out.extend(_money_claims(block))
        else:
            order = tuple(r for r in roles if r in ("target", "actual", "weight", "score"))
            if order == ("target", "actual", "score"):
                out.extend(_unweighted_rows(stream, body, end))
                continue
            if order not in (
                ("target", "actual", "weight", "score"),
                ("weight", "target", "actual", "score"),
            ):
                continue
            layout = _Layout(ind_order=order, has_reason=reason)
            rows = list(_indicator_rows(stream, body, end, layout))
            out.extend(rows)
            if order[0] == "target":
                out.extend(_qualitative_rows(stream, body, end, texts))
            if rows:
                first = rows[0].line
                head = ScoreLine("", first.block_index, first.place, source="table")
                out.append(ScoreGroup(head, tuple(r.line for r in rows)))
    out.extend(_arrival_scores(stream, unit, texts))
    listed = list(_listed_sources(stream, covered, unit, texts))
    out.extend(claim for _, _, claim in listed)
    out.extend(_sub_fund_sums(stream, listed))
    return out


_PLANNED = ("计划投资额", "计划投入资金", "计划投资", "计划投入")
_ARRIVED = ("实际到位资金", "实际到位")


def _labelled_amount(stream: _Stream, labels: tuple[str, ...], unit: str) -> tuple[int, Quantity] | None:
    """The amount right after the first cell that is one of ``labels`` (a "(万元)" cell may sit between)."""
    for i, text in enumerate(stream.texts):
        if fold(text).rstrip(":：") not in labels:
            continue
        for j in range(i + 1, min(i + 3, len(stream))):
            q = _number(stream.texts[j].replace(",", ""))
            if q is not None and q.unit in ("", "万元", "元"):
                return j, (q._replace(unit=unit) if q.unit == "" else q)
            if not re.fullmatch(r"[（(]?万?元[)）]?", stream.texts[j].strip()):
                break
        return None
    return None


def _arrival_scores(stream: _Stream, unit: str, texts: _Texts) -> Iterator[ArrivalScore]:
    """The 到位率 row ("到位率 | 3 | 3": 分值, 得分) of a table that states 计划投资额 and 实际到位资金 once each."""
    if "到位率" not in texts.texts:
        return
    planned, arrived = _labelled_amount(stream, _PLANNED, unit), _labelled_amount(stream, _ARRIVED, unit)
    if planned is None or arrived is None or planned[1].value <= 0:
        return
    rows = [i for i, t in enumerate(stream.texts) if t == "到位率" and i + 2 < len(stream)]
    if len(rows) != 1:
        return  # none, or several 到位率 rows (several projects): which amounts are whose is not known
    i = rows[0]
    w, sc = _plain(stream.texts[i + 1]), _plain(stream.texts[i + 2])
    if w is None or sc is None or not (0 < w.value <= 100) or sc.value > w.value:
        return
    span = _Span(stream, i, i + 3)

    def amount(found: tuple[int, Quantity], label: str) -> Figure:
        at, q = found
        return _figure(_Span(stream, at, at + 1), at, q, label, False)  # shown as its own cell

    yield ArrivalScore(
        amount(planned, "计划投资额"),
        amount(arrived, "实际到位资金"),
        _figure(span, i + 1, w, "到位率分值", True),
        _figure(span, i + 2, sc, "到位率得分", sc.decimals == 0),
    )


def _sub_fund_sums(stream: _Stream, listed: list[tuple[int, int, SumClaim]]) -> Iterator[SumClaim]:
    """A fund's 合计 list followed by the lists of its sub-funds (a 转移支付 form: "…资金合计(万元) 年度预算资金
    总额 1084.25 / 其中:中央补助 668 / 市级资金 343 …", then each programme's list): each source of the 合计
    against the same source summed over the sub-funds. Read only when the sub-funds' totals add up to the
    合计's total (then every sub-fund is there), and only as a warning (``how="分表合计"``): the lists'
    relation is read from their order and titles, not stated by a row."""
    for n, (start, end, parent) in enumerate(listed):
        title = "".join(stream.texts[max(0, start - 2) : start + 1])
        if "合计" not in title:
            continue
        children: list[SumClaim] = []
        names: list[str] = []  # each sub-fund's title, to name its amounts
        at = end
        for s2, e2, child in listed[n + 1 :]:
            between = stream.texts[at:s2]
            if len(between) > 6 or any(t == _BREAK or "合计" in t or _number(t) for t in between):
                break  # other content, or the next 合计: the sub-funds end here
            titles = [shown(t) for t in between if fold(t).rstrip(":：") != "其中"]
            names.append(re.sub(r"[（(]万?元[)）]$", "", titles[-1]) if titles else "")
            children.append(child)
            at = e2
        if len(children) < 2:
            continue
        totals = [c.total for c in children]
        if not parent.total.interval.overlaps(sum_intervals([f.interval for f in totals])):
            continue  # a sub-fund is missing or unread: nothing certain about the sources
        by_label = [{p.label: p for p in c.parts} for c in children]
        for part in parent.parts:
            pieces = [labels.get(part.label) for labels in by_label]
            if all(p is not None for p in pieces):
                found = tuple(
                    replace(p, label=f"{name}{p.label}")
                    for p, name in zip(pieces, names, strict=True)
                    if p is not None
                )
                yield SumClaim(part, found, True, "分表合计", part.label)


def _listed_sources(
    stream: _Stream, covered: list[tuple[int, int]], unit: str, texts: _Texts
) -> Iterator[tuple[int, int, SumClaim]]:
    """A one-column money list without a header ("年度预算资金总额: 321.25 / 其中:中央补助 166.00 / 市级资金
    136.00 / 本级资金 20.25"): the total and its sources, each a label with one amount; read when every
    source row has exactly one amount and there are two or more of them. With the cells it spans."""
    n = len(stream)
    for i in sorted({*texts.holding("总额"), *texts.holding("總額")}):
        if i >= n - 3:
            break
        if any(a <= i < b for a, b in covered) or _TOTAL_LABEL.match(fold(stream.texts[i])) is None:
            continue
        total_q = _number(stream.texts[i + 1].replace(",", ""))
        if total_q is None or total_q.unit not in ("", "万元", "元"):
            continue
        sources: list[tuple[int, int, Quantity]] = []
        k = i + 2
        while k + 1 < n:
            label = fold(stream.texts[k])
            if label in ("其中:", "其中：", "其中"):
                k += 1
                continue
            if _SOURCE_LABEL.match(label) is None:
                break
            q = _number(stream.texts[k + 1].replace(",", ""))
            if q is None or (k + 2 < n and _number(stream.texts[k + 2]) is not None):
                sources = []
                break
            sources.append((k, k + 1, q))
            k += 2
        if len(sources) < 2 or len({fold(stream.texts[a]) for a, _, _ in sources}) < len(sources):
            continue
        span = _Span(stream, i, k)

        def money(q: Quantity) -> Quantity:
            return q._replace(unit=unit) if q.unit == "" else q

        total = _figure(span, i + 1, money(total_q), "年度资金总额", False)
        parts = tuple(
            _figure(span, v, money(q), shown(stream.texts[a]).removeprefix("其中:").rstrip(":："), False)
            for a, v, q in sources
        )
        yield i, k, SumClaim(total, parts, True, "表格来源", "年度资金总额")


_HEADER_REACH = 4


def extract_selfeval_claims(document: Document) -> list[Claim]:
    """The 自评表 claims of a document. Table blocks and table-like lines that follow one another are read as
    one stream (the readers split a flattened table over several blocks); prose between them is a break
    no row is read across."""
    first = next(
        (i for i, block in enumerate(document.blocks) if _ANY_HEADER.search(block.raw or block.text)), None
    )
    if first is None:
        return []  # no 自评表 header anywhere: nothing to read
    # Rows follow their header: nothing before the first header word is read (but a header split one
    # cell per block may start a few blocks earlier: "年初" | "预算数").
    stream = _document_stream(document, max(0, first - _HEADER_REACH))
    return _read(stream) if len(stream) else []


def _document_stream(document: Document, start: int) -> _Stream:
    """The document from block ``start`` on as one stream of runs of cells (each table block, each run of
    table-like paragraph lines), a break before a run that prose came between it and the run before."""
    stream = _Stream()
    texts = stream.texts
    in_run = False  # the last block added text cells: the next one's continue its run
    prose = False  # prose came since the last table (a run of text cells does not reset it)
    for index in range(start, len(document.blocks)):
        block = document.blocks[index]
        mark = len(texts)  # (the list's own length: ``len(stream)`` is a Python call, asked per block)
        if block.table is not None:
            if in_run:
                in_run, prose = False, False
            for cell in cells_from_table(block.table, index, block):
                stream.add(cell)
            if len(texts) > mark:
                if mark and prose:
                    stream.insert_break(mark, index, block)
                prose = False
            continue
        if not _text_cells(stream, block, index):
            in_run = False
            prose = prose or bool(block.text.strip())
            continue
        if not in_run:
            in_run = True
            if mark and prose:
                stream.insert_break(mark, index, block)  # before the run's first cells
    return stream
