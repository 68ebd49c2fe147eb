"""What a report claims: figures with their place, and the relations the text states between them.

A ``Figure`` is one stated number (a ``Quantity``) plus where it is (block, location) and the
sentence it sits in. Claims are relations between figures: a total and its parts, a share, a rate,
the scores of an indicator tree, one measure stated twice. The checks in ``checks.py`` only do
interval arithmetic on claims; everything about reading Chinese prose lives in ``claims_*.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Protocol, TypeVar

from jixiao.core.decimals import Interval, fmt, new_interval
from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Block
from jixiao.review.quantities import Quantity, parse_quantity

__all__ = [
    "MONEY_UNITS",
    "BudgetFact",
    "Claim",
    "CountFact",
    "ExecutionScore",
    "Figure",
    "IndicatorTarget",
    "Place",
    "PlaceSource",
    "RateClaim",
    "ScoreGroup",
    "ScoreLine",
    "ScoreTotal",
    "ShareClaim",
    "ShareSet",
    "StatedRatio",
    "SumClaim",
    "anchored_line",
    "fixed_place",
    "is_table_like",
    "make_figure",
    "mark",
    "sentence_bounds",
]

_T = TypeVar("_T")
MONEY_UNITS = frozenset({"元", "千元", "万元", "亿元"})
_SENTENCE_END = "。；;！？!?\n"
_SENTENCE_END_RE = lazy_compile("[" + re.escape(_SENTENCE_END) + "]")
_EXCERPT_SPAN = 60  # characters kept either side of a figure in long sentences


@lru_cache(maxsize=64)
def _sentence_ends(text: str) -> tuple[int, ...]:
    """Offsets of every sentence-ending character of ``text``, in order.

    The readers ask for the sentence around many figures of one block: one scan per block text, then a
    bisect per question, instead of twenty find/rfind over the block each time. Small on purpose: the
    readers go block by block, so a few recent texts serve every repeat."""
    return tuple(m.start() for m in _SENTENCE_END_RE.finditer(text))


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end of the sentence around ``offset`` (ends at 。；！？ or a line break)."""
    if offset < 0:
        # str.rfind reads a negative end from the back of the text: keep that reading exactly.
        start = max((text.rfind(ch, 0, offset) for ch in _SENTENCE_END), default=-1) + 1
        ends = [i for i in (text.find(ch, offset) for ch in _SENTENCE_END) if i != -1]
        return start, min(ends) + 1 if ends else len(text)
    marks = _sentence_ends(text)
    i = bisect_left(marks, offset)
    start = marks[i - 1] + 1 if i else 0
    end = marks[i] + 1 if i < len(marks) else len(text)
    return start, end


def mark(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], with the figure wrapped in 【】 (trimmed when long)."""
    s, e = sentence_bounds(text, start)
    s = max(s, start - _EXCERPT_SPAN)
    e = min(max(e, end), end + _EXCERPT_SPAN)
    return (text[s:start] + "【" + text[start:end] + "】" + text[end:e]).strip()


class PlaceSource(Protocol):
    """What works out the place of a figure read from a table cell or a flattened row: ``key`` tells
    which of its cells (a table row's column, a 自评表 row's cell)."""

    def place_location(self, key: int) -> Location: ...

    def place_excerpt(self, key: int) -> str: ...


class Place:
    """Where a figure was read, and the sentence (or table row) around it, each worked out when first
    asked for and kept: a report states about 135 figures and only those in a finding are shown.
    ``location``/``excerpt`` given are used as they are; a ``source`` (a table row) works out the ones
    not given for its cell ``key``. Places are equal when their location and excerpt are.

    A source and a key rather than two closures: a closure is a function and a cell per captured name,
    each an object the garbage collector walks while the report is read."""

    __slots__ = ("_block", "_end", "_excerpt", "_key", "_location", "_source", "_start")

    def __init__(
        self,
        block: Block | None,
        start: int = 0,
        end: int = 0,
        location: Location | None = None,
        excerpt: str | None = None,
        source: PlaceSource | None = None,
        key: int = 0,
    ) -> None:
        self._block = block
        self._start = start
        self._end = end
        self._location = location
        self._excerpt = excerpt
        self._source = source
        self._key = key

    @property
    def location(self) -> Location:
        if self._location is None:
            if self._source is not None:
                self._location = self._source.place_location(self._key)
            else:
                assert self._block is not None  # a place without a block is given its location
                self._location = self._block.location_at(self._start)
        return self._location

    @property
    def excerpt(self) -> str:
        if self._excerpt is None:
            if self._source is not None:
                self._excerpt = self._source.place_excerpt(self._key)
            else:
                assert self._block is not None  # a place without a block is given its excerpt
                self._excerpt = mark(self._block.text, self._start, self._end)
        return self._excerpt

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Place):
            return NotImplemented
        return self.location == other.location and self.excerpt == other.excerpt

    def __hash__(self) -> int:
        return hash((self.location, self.excerpt))

    def __repr__(self) -> str:
        return f"Place(location={self.location!r}, excerpt={self.excerpt!r})"

    def __getstate__(self) -> tuple[Location, str]:
        return self.location, self.excerpt  # pickled finished: no block, no functions

    def __setstate__(self, state: tuple[Location, str]) -> None:
        self._location, self._excerpt = state
        self._block = self._source = None
        self._start = self._end = self._key = 0


class Placed:
    """What has a ``place`` (a figure, a score line, a target) reads its location and excerpt from it."""

    __slots__ = ()
    place: Place

    @property
    def location(self) -> Location:
        return self.place.location

    @property
    def excerpt(self) -> str:
        """The sentence (or table row) it stands in, the figure in 【】."""
        return self.place.excerpt


@dataclass(frozen=True, slots=True)
class Figure(Placed):
    """One stated figure. ``interval`` is what the checks compare (see ``make_figure``); ``place`` where
    it was read (``location`` and ``excerpt``)."""

    quantity: Quantity
    block_index: int
    place: Place
    interval: Interval
    label: str = ""  # what the figure is, in Chinese ("基本支出全年预算数", "产出指标分值")

    @property
    def value(self) -> Decimal:
        return self.quantity.value

    @property
    def text(self) -> str:
        return self.quantity.text

    @property
    def printed(self) -> str:
        """The number as printed (no qualifier, no unit): what messages quote."""
        return fmt(self.quantity.value)

    @property
    def approximate(self) -> bool:
        return self.quantity.approximate

    @property
    def is_money(self) -> bool:
        return self.quantity.unit in MONEY_UNITS

    @property
    def wan(self) -> Decimal:
        """The value in 万元 for money (as written otherwise): what recomputed sums are printed in."""
        if self.is_money:
            converted = self.quantity.in_unit("万元")
            if converted is not None:
                return converted
        return self.quantity.value


def make_figure(
    quantity: Quantity,
    block_index: int,
    block: Block,
    *,
    offset: int = 0,
    label: str = "",
    exact: bool = False,
    location: Location | None = None,
    excerpt: str | None = None,
    source: PlaceSource | None = None,
    key: int = 0,
) -> Figure:
    """A figure for a quantity found at ``offset + quantity.start`` of ``block.text``.

    ``exact``: the figure is a definition, not a rounded measurement (a weight, a whole-number score).
    ``location``/``excerpt`` default to the block's place and sentence, worked out when first read
    (``Place``); a ``source`` gives them some other way, for its cell ``key`` (a table cell).
    """
    start = offset + quantity.start
    end = offset + quantity.end
    unit = quantity.unit
    if exact and not quantity.approximate:
        interval = new_interval(quantity.value, quantity.value)  # Interval.exact
    elif unit in MONEY_UNITS and unit != "万元":
        # Money is compared in 万元 whatever unit it was written in; the written precision is kept.
        interval = quantity.interval_in("万元") or quantity.interval
    else:
        interval = quantity.interval
    # Positional: keyword arguments cost a Place more than its seven slots do.
    place = Place(block, start, end, location, excerpt, source, key)
    # Figure(quantity, block_index, place, interval, label), filled through its slots: a frozen dataclass's
    # __init__ sets each field with object.__setattr__ from Python, twice the cost, and a report reads
    # a few hundred figures. The figure is as frozen as one built by Figure(...).
    figure = _new_figure(Figure)
    _set_quantity(figure, quantity)
    _set_block_index(figure, block_index)
    _set_place(figure, place)
    _set_interval(figure, interval)
    _set_label(figure, label)
    return figure


_new_figure = object.__new__
_set_quantity, _set_block_index, _set_place, _set_interval, _set_label = (
    Figure.__dict__[name].__set__ for name in ("quantity", "block_index", "place", "interval", "label")
)


def is_table_like(block: Block) -> bool:
    """A block holding tab-separated table rows (plain text 自评表): read as a table, not as prose."""
    if block.table is not None or block.kind == "table":
        return True
    raw = block.raw
    return bool(raw) and "\t" in raw and _has_table_row(raw)


@lru_cache(maxsize=256)
def _has_table_row(raw: str) -> bool:
    """Every reader asks this of every block; the answer depends on the raw text alone, so it is kept
    for the few hundred blocks of the report being read."""
    return any(
        len(cells) >= 3 and sum(1 for c in cells if c.strip()) >= 2
        for cells in (line.split("\t") for line in raw.split("\n"))
    )


# The claim kinds below and ScoreLine are not frozen dataclasses: a frozen one sets each field through
# object.__setattr__, about four times the cost of a plain one, and a report states a few hundred claims
# and lines. Equal and hashed by value as before (unsafe_hash); the readers never change one once built.
# Figure stays frozen (tests/review/claims/test_claims.py holds it to that).
class Claim:
    """Marker base: every claim kind below derives from it (ReviewContext.claims holds them)."""

    __slots__ = ()
    kind: str = ""


@dataclass(slots=True, unsafe_hash=True)
class BudgetFact(Claim):
    """A named amount: measure (年初预算/全年预算/执行数/预算) of a scope (总/基本/项目/人员/公用/财政拨款...)."""

    measure: str
    scope: str
    figure: Figure
    source: str = "prose"  # or "table"
    kind: str = "budget"


@dataclass(slots=True, unsafe_hash=True)
class SumClaim(Claim):
    """A stated total and the parts the text says make it up.

    exhaustive: the parts are all of it (合计, 分别, a table's 合计 row, 基本 + 项目); otherwise (其中…)
    the parts may be a selection, so only parts exceeding the total is certain.
    """

    total: Figure
    parts: tuple[Figure, ...]
    exhaustive: bool
    how: str  # "其中" "合计" "包括" "预算构成" "表格"
    label: str = ""
    kind: str = "sum"


@dataclass(slots=True, unsafe_hash=True)
class ShareClaim(Claim):
    """ "A万元，占B的X%": ``wholes`` are the stated amounts B may be (the first is the most likely)."""

    part: Figure
    share: Figure
    whole_name: str
    whole_scope: str
    part_scope: str
    wholes: tuple[Figure, ...]
    kind: str = "share"


@dataclass(slots=True, unsafe_hash=True)
class ShareSet(Claim):
    """Shares of one whole whose parts make up the whole: they must add up to 100%."""

    whole_name: str
    shares: tuple[ShareClaim, ...]
    kind: str = "share-set"


@dataclass(slots=True, unsafe_hash=True)
class RateClaim(Claim):
    """A stated rate (执行率) and the amounts it should follow from: numerator / one of denominators."""

    rate: Figure
    numerator: Figure
    denominators: tuple[Figure, ...]
    label: str = "预算执行率"
    kind: str = "rate"


@dataclass(slots=True, unsafe_hash=True)
class ExecutionScore(Claim):
    """The budget execution indicator's stated weight and score (``line``) and the execution rates stated
    with it (score = weight × rate, the rate capped at 100% where the framework caps it). Several rates
    may stand near the indicator (the whole budget's, 基本支出's…): the score must follow from one."""

    line: ScoreLine
    rates: tuple[Figure, ...]  # the rates it may follow from, the likeliest first
    kind: str = "execution-score"


@dataclass(slots=True, unsafe_hash=True)
class ScoreLine(Placed):
    """One indicator's stated weight, score and deduction (prose line or table row). ``place``: where it
    is stated (``location`` and ``excerpt``), usually its score's or weight's own place, shared with that
    figure and worked out only if a finding shows the line."""

    name: str
    block_index: int
    place: Place
    weight: Figure | None = None
    score: Figure | None = None
    deduction: Figure | None = None
    has_reason: bool = True  # a reason for any deduction is stated nearby
    source: str = "prose"


def fixed_place(location: Location, excerpt: str) -> Place:
    """A place given as it is (not read from a block)."""
    return Place(None, location=location, excerpt=excerpt)


def anchored_line(
    name: str,
    anchor: Figure,
    weight: Figure | None,
    score: Figure | None,
    deduction: Figure | None = None,
    *,
    has_reason: bool = True,
    source: str = "prose",
) -> ScoreLine:
    """The line of an indicator, at the place and with the excerpt of ``anchor`` (its score or weight)."""
    return ScoreLine(
        name,
        anchor.block_index,
        anchor.place,
        weight,
        score,
        deduction,
        has_reason,
        source,
    )


@dataclass(slots=True, unsafe_hash=True)
class ScoreGroup(Claim):
    """A first-level indicator (head) with its items; ``items`` empty when none are listed."""

    head: ScoreLine
    items: tuple[ScoreLine, ...] = ()
    kind: str = "score-group"


@dataclass(slots=True, unsafe_hash=True)
class ScoreTotal(Claim):
    """The stated total score, the groups it should add up from, and the stated grade."""

    total: Figure | None
    groups: tuple[ScoreGroup, ...]
    grade: str = ""
    grade_location: Location = field(default_factory=Location)
    grade_excerpt: str = ""
    total_weight: Figure | None = None  # a table's 总分 row may state 100
    kind: str = "score-total"
    restated: tuple[Figure, ...] = ()  # the total stated again further on ("综上，自评得分96分")


@dataclass(slots=True, unsafe_hash=True)
class CountFact(Claim):
    """A counted thing ("专题专栏30余个"): key = the thing's name, unit = its unit.

    ``stage`` keeps a target apart from an actual: "目标：培训3000人次" and "实际完成：培训3420人次" are two
    quantities, not one stated twice."""

    key: str
    unit: str
    figure: Figure
    stage: str = (
        ""  # "target" (预期目标/年度指标值 context), "actual" (实际完成/完成值), "" (plain statement)
    )
    kind: str = "count"


@dataclass(slots=True, unsafe_hash=True)
class IndicatorTarget(Claim, Placed):
    """An indicator's target as written (年度指标值), with what it lacks; ``place`` where (worked out only
    when a finding shows it: most targets lack nothing)."""

    name: str
    target: str
    place: Place
    missing_unit: bool
    missing_nature: bool
    kind: str = "target"


# A unit written in brackets at the end of an indicator's name: "满意度(%)", "补助资金（万元）".
_NAME_UNIT = lazy_compile(r"[(（]\s*([^()（）\s]{1,4})\s*[)）]\s*$")


def unit_in_name(name: str) -> bool:
    """Does the indicator's name give its unit ("满意度(%)" with a target of "90")? A table often puts the
    unit in the name column and leaves the 年度指标值 a bare number: that target lacks no unit. A number in
    brackets ("维修改造（3）") is no unit."""
    m = _NAME_UNIT.search(name)
    if m is None:
        return False
    q = parse_quantity("1" + m.group(1))
    return q is not None and q.unit != ""


@dataclass(slots=True, unsafe_hash=True)
class StatedRatio(Claim):
    """A rate stated with both of its terms (支付率, 到位率, 拨付率, 完成率, 执行率, 增长率): in its sentence,
    or named by the rate's own words in its paragraph or an earlier one (``inferred``):
    rate = sum(done) ÷ sum(whole) × 100, less 100 when ``change`` (增长/超出 a base)."""

    rate: Figure
    done: tuple[Figure, ...]
    whole: tuple[Figure, ...]
    label: str
    change: bool = False
    excess: Figure | None = None  # the stated amount by which done exceeds whole, when the sentence gives it
    inferred: bool = False  # the terms stand in another paragraph: the relation is read, not stated (warning)
    kind: str = "stated-ratio"
