"""The 自评表 read from text where extraction glued the cells together with nothing between them.

PDF and OCR exports of a 自评表 often come out as one run of characters: "…安装坡面水标尺10≥266米≥266米10水标尺
宽度…", "年度资金总额:202010100.00%10". With no separator the cells' borders are lost; what survives is
enough to read some rows without guessing:

- **echo rows**: an indicator whose 实际完成值 is written exactly as its 年度指标值 reads as
  分值 · value · the same value · 得分 — the repetition marks both borders ("10≥266米≥266米10").
- **the money row**: 年度资金总额 followed by its amounts, 分值, 执行率 and 得分 glued; read only when exactly
  one split of the digits gives amounts whose quotient is the stated 执行率.
- **the execution indicator** of the 项目自评表's second form: "预算执行率10—100%9" (分值, blank target,
  rate, 得分).
- **first-level headings** with their 分值 ("产出指标(70分)") and the 总分 row ("总分100100": 分值 100, 得分 100).

A first-level indicator's items are kept only when the echo rows under it add up exactly to its stated
分值 (then every row of it was read); otherwise it claims nothing about its items. Every figure read here
may only warn (``source="glued"``): the reading is sound but rests on a guess about borders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.decimals import half_ulp
from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import (
    Claim,
    ExecutionScore,
    Figure,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    make_figure,
)
from jixiao.review.document import Block, Document
from jixiao.review.quantities import Quantity, parse_quantity

__all__ = [
    "INDICATOR_HEADING",
    "SOURCE",
    "EchoRow",
    "ScoreCeiling",
    "extract_glued_claims",
    "split_money_run",
]

SOURCE = "glued"


@dataclass(frozen=True, slots=True)
class EchoRow(Claim):
    """An indicator row whose actual is written exactly as its target: met as written."""

    name: str
    written: str  # the target (and the actual) as written
    weight: Figure
    score: Figure
    reason: str  # what follows the score before the next row ("" when the next row follows at once)
    kind: str = "echo-row"


@dataclass(frozen=True, slots=True)
class ScoreCeiling(Claim):
    """A stated total score and the deductions the table's own rows show (分值 − 得分 > 0, each row read
    once): the total can be at most full marks less their sum, however the unread rows scored."""

    total: Figure
    deductions: tuple[ScoreLine, ...]
    kind: str = "score-ceiling"


# A block is a glued 自评表 when it holds the indicator header's words run together and few spaces.
_HEADER = lazy_compile(
    r"一级指标二级指标|三级指标(?:分值|指标值|年度指标值)|指标值全年实际值|指标值实际完成值|年度指标值全年"
)
_NUM = r"(?:0|[1-9]\d*)(?:\.\d+)?"
# 分值 · target · the same again · 得分. The target ends in a non-digit (a unit, %, words: a bare number
# would blur into the score after it; a full stop only after a word) and has no other punctuation; the
# 分值 is one or two digits not glued to a digit before it.
_ECHO = lazy_compile(
    r"(?<![\d.])(?P<w>[1-9]\d?)(?P<t>[^\s。；;，,|%]{1,29}?(?:[^\s\d。；;，,|.]|(?<=[\u4e00-\u9fff])[.。]))(?P=t)"
    r"(?P<s>[1-9]\d?(?:\.\d{1,2})?|0)(?![\d.%])"
)
_LEVEL1 = lazy_compile(
    r"(?P<name>产出指标|效益指标|满意度指标|项目决策|项目管理|项目产出|项目效益|项目过程|决策指标|过程指标)"
    r"[（(](?P<w>\d{1,3})分[)）]"
)
_TOTAL = lazy_compile(r"总分(?P<w>100)(?P<s>" + _NUM + r")(?![\d.%])")
_EXEC_ROW = lazy_compile(
    r"(?:预算|资金)执行率(?P<w>[1-9]\d?)(?:[一—\-－]+)?(?P<r>(?:100|[1-9]?\d)(?:\.\d+)?)%(?P<s>[1-9]\d?(?:\.\d{1,2})?|0)(?![\d.%])"
)
_MONEY_ROW = lazy_compile(
    r"(?:年度)?资金总额[:：]?(?P<run>[\d.]{4,40})%(?P<s>[1-9]\d?(?:\.\d{1,2})?|0)?(?![\d.%])"
)
_MONEY_HEADER = lazy_compile(
    r"(?:年初预算数|全年预算数|全年执行数|分值|执行率|得分|\(A\)|\(B\)|（A）|（B）|\(B/A\)|（B/A）)+"
)
# Words that begin a reason (偏差原因), as opposed to the next row's name.
_REASON_WORDS = lazy_compile(r"原因|由于|因为|因|未|改进|措施|加强|将|拟|偏差")
_NEXT_ROW = lazy_compile(r"指标\d|数量指标|质量指标|时效指标|成本指标|效益指标|满意度|服务对象|总分|……|…")


def extract_glued_claims(document: Document) -> list[Claim]:
    """Claims of every glued 自评表 block of ``document`` (see the module doc)."""
    claims: list[Claim] = list(_parent_groups(document))
    total: Figure | None = None
    header_seen = False  # a table glued over several lines (pages) has its header on the first only
    for index, block in enumerate(document.blocks):
        text = block.text
        if len(text) < (40 if header_seen else 60) or block.kind != "paragraph":
            continue
        if text.count(" ") * 40 > len(text) or "|" in text or "\t" in text:
            continue  # cells with separators: the cell readers' (claims/selfeval.py)
        header_seen = header_seen or ("指标" in text and _HEADER.search(text) is not None)
        if header_seen:
            claims.extend(_read_block(index, block))
        if header_seen and total is None:
            total = _stated_total(index, block)
    if total is not None:
        lost = tuple(_deducted(claims))
        if lost:
            claims.append(ScoreCeiling(total, lost))
    return claims


# A form that splits 100 points into 预算执行 and 年度绩效目标 writes the latter's 分值 as a heading above the
# first-level indicators: "年度绩效目标(80分) … 产出指标(60分) … 效益指标(40分) … 总分". Flattening may put
# spaces inside the words; the indicator headings between it and 总分 are all of its children.
_PARENT = lazy_compile(r"年\s*度\s*绩\s*效\s*目\s*标\s*[(（]\s*(?P<w>\d{1,3})\s*分\s*[)）]")
# A first-level indicator heading with its 分值 ("产出指标(60分)", spaces a flattening put inside included);
# the form note reader (claims/form_note.py) reads the same headings.
INDICATOR_HEADING = lazy_compile(
    r"(?P<name>产出|效益|满意度)\s*指\s*标\s*[(（]\s*(?P<w>\d{1,3})\s*分\s*[)）]"
)
_TOTAL_WORD = lazy_compile(r"总\s*分")


def _parent_groups(document: Document) -> Iterator[ScoreGroup]:
    """年度绩效目标 with the first-level indicators under it, from a flattened 自评表's headings."""
    for index, block in enumerate(document.blocks):
        text = block.text
        if block.kind != "paragraph" or "分" not in text or "目" not in text:
            continue
        parent = _PARENT.search(text)
        if parent is None:
            continue
        end = _TOTAL_WORD.search(text, parent.end())
        if end is None:
            continue  # the table's end is not in sight: more children may follow
        children = list(INDICATOR_HEADING.finditer(text, parent.end(), end.start()))
        names = [c.group("name") for c in children]
        if len(children) < 2 or len(set(names)) < len(names):
            continue  # one heading, or the same one twice: not the list of its children
        pq = _number(parent.group("w"))
        if pq is None:
            continue
        head_w = _figure(pq, index, block, parent.start("w"), "年度绩效目标分值")
        head = ScoreLine("年度绩效目标", index, head_w.place, head_w, None, source=SOURCE)
        items = []
        for c in children:
            cq = _number(c.group("w"))
            if cq is None:
                break
            w = _figure(cq, index, block, c.start("w"), f"{c.group('name')}指标分值")
            items.append(ScoreLine(f"{c.group('name')}指标", index, w.place, w, None, source=SOURCE))
        else:
            yield ScoreGroup(head, tuple(items))


# "自评得分98", "项目总得分99分": the table's own total, written in its head.
_STATED_TOTAL = lazy_compile(
    r"(?:自评得分|自评总分|总得分)[:：]?(?P<s>[1-9]\d(?:\.\d{1,2})?|100)分?(?![\d.%])"
)


def _stated_total(index: int, block: Block) -> Figure | None:
    m = _STATED_TOTAL.search(block.text)
    q = _number(m.group("s")) if m else None
    return None if m is None or q is None else _figure(q, index, block, m.start("s"), "自评得分")


def _deducted(claims: list[Claim]) -> Iterator[ScoreLine]:
    """Every row read with fewer points than its 分值, as a score line."""
    for c in claims:
        if isinstance(c, EchoRow) and c.score.value < c.weight.value:
            yield ScoreLine(c.name, c.score.block_index, c.score.place, c.weight, c.score)
        elif isinstance(c, ExecutionScore):
            w, s = c.line.weight, c.line.score
            if w is not None and s is not None and s.value < w.value:
                yield c.line


def _figure(q: Quantity, index: int, block: Block, at: int, label: str) -> Figure:
    """The figure of ``q`` read at offset ``at`` of the block (its excerpt: the usual window around it)."""
    return make_figure(q, index, block, offset=at - q.start, label=label, exact=True)


def _number(text: str) -> Quantity | None:
    q = parse_quantity(text)
    return q if q is not None and q.kind == "number" and q.unit in ("", "分", "%") else None


def _read_block(index: int, block: Block) -> Iterator[Claim]:
    rows = list(_echo_rows(index, block))
    yield from (row for row, _ in rows)
    execution = _execution(index, block)
    if execution is not None:
        yield execution
    total = _total(index, block, rows, execution)
    if total is not None:
        yield total


def _echo_rows(index: int, block: Block) -> Iterator[tuple[EchoRow, int]]:
    """Each echo row with the offset of its 分值 in the block's text."""
    text = block.text
    matches = list(_ECHO.finditer(text))
    for n, m in enumerate(matches):
        w, s = _number(m.group("w")), _number(m.group("s"))
        if w is None or s is None or s.value > w.value:
            continue
        written = m.group("t")
        name = _name_before(text, m.start())
        end_next = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        after = text[m.end() : min(end_next, m.end() + 40)]
        reason = "" if not after or _NEXT_ROW.match(after) or _REASON_WORDS.search(after) is None else after
        yield (
            EchoRow(
                name,
                written,
                _figure(w, index, block, m.start("w"), f"{name}分值"),
                _figure(s, index, block, m.start("s"), f"{name}得分"),
                reason,
            ),
            m.start("w"),
        )


def _name_before(text: str, at: int) -> str:
    """The indicator's name: the words before its 分值, back to the previous digit or heading mark."""
    m = re.search(r"[^\d%。；;，,、:：)）】…]{1,24}$", text[max(0, at - 24) : at])
    return m.group() if m else "指标"


def _execution(index: int, block: Block) -> ExecutionScore | None:
    """The execution indicator: its own row ("预算执行率10—100%9"), else the 年度资金总额 money row."""
    text = block.text
    m = _EXEC_ROW.search(text)
    if m is not None:
        w, r, s = _number(m.group("w")), _number(m.group("r") + "%"), _number(m.group("s"))
        if w is None or r is None or s is None or s.value > w.value:
            return None
        weight = _figure(w, index, block, m.start("w"), "预算执行率分值")
        score = _figure(s, index, block, m.start("s"), "预算执行率得分")
        rate = _figure(r, index, block, m.start("r"), "执行率")
        line = ScoreLine("预算执行率", index, score.place, weight, score, source=SOURCE)
        return ExecutionScore(line, (rate,))
    money = _MONEY_ROW.search(text)
    if money is None or money.group("s") is None:
        return None
    header = _MONEY_HEADER.search(text, max(0, money.start() - 80), money.start())
    if header is None or "分值" not in header.group() or "执行率" not in header.group():
        return None
    split = split_money_run(money.group("run"))
    if split is None:
        return None
    _, _, (w_at, w_text), (r_at, r_text) = split
    sq, wq, rq = _number(money.group("s")), _number(w_text), _number(r_text + "%")
    if sq is None or wq is None or rq is None or sq.value > wq.value:
        return None
    base = money.start("run")
    weight = _figure(wq, index, block, base + w_at, "预算执行率分值")
    score = _figure(sq, index, block, money.start("s"), "预算执行率得分")
    rate = _figure(rq, index, block, base + r_at, "执行率")
    line = ScoreLine("预算执行率", index, score.place, weight, score, source=SOURCE)
    return ExecutionScore(line, (rate,))


_PIECE = lazy_compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")


def split_money_run(run: str) -> tuple[tuple[int, str], ...] | None:
    """Split a glued "全年预算数 全年执行数 分值 执行率" run ("202010100.00" → 20, 20, 10, 100.00) the one way
    that holds: the rate is the quotient of the amounts, as written (its rounding), the 分值 a whole number
    up to 100, something spent at a rate above 0. None when no split or more than one holds."""
    found: list[tuple[tuple[int, str], ...]] = []

    def pieces(at: int, k: int) -> Iterator[list[tuple[int, str]]]:
        if k == 0:
            if at == len(run):
                yield []
            return
        for end in range(at + 1, len(run) + 1):
            piece = run[at:end]
            if _PIECE.fullmatch(piece) is None:
                continue
            for rest in pieces(end, k - 1):
                yield [(at, piece), *rest]

    if len(run) > 24:
        return None
    for parts in pieces(0, 4):
        (_, a), (_, b), (_, w), (_, r) = parts
        if "." in w or not (0 < int(w) <= 100):
            continue
        budget, spent, rate = Decimal(a), Decimal(b), Decimal(r)
        if budget <= 0 or spent <= 0 or rate <= 0 or rate > 200:
            # nothing spent reads "0" glued to anything; such a row is left to the reader's eye
            continue
        ratio = spent / budget * 100
        if abs(ratio - rate) <= half_ulp(rate):
            found.append(tuple(parts))
    return found[0] if len(found) == 1 else None


def _total(
    index: int, block: Block, rows: list[tuple[EchoRow, int]], execution: ExecutionScore | None
) -> ScoreTotal | None:
    """The 总分 row with the first-level indicators it adds up from (the execution indicator first)."""
    text = block.text
    m = _TOTAL.search(text)
    heads = list(_LEVEL1.finditer(text))
    if m is None or len(heads) < 2 or execution is None:
        return None
    tw, ts = _number(m.group("w")), _number(m.group("s"))
    if tw is None or ts is None:
        return None
    groups = [ScoreGroup(execution.line)]
    for n, h in enumerate(heads):
        if h.start() > m.start():
            return None  # a heading after the 总分 row: not one table
        end = heads[n + 1].start() if n + 1 < len(heads) else m.start()
        items = [r for r, at in rows if h.end() <= at < end]
        wq = _number(h.group("w"))
        if wq is None or not items:
            return None
        if sum((r.weight.value for r in items), Decimal(0)) != wq.value:
            return None  # not every row of it was read: its items (and so the total) are unknown
        weight = _figure(wq, index, block, h.start("w"), f"{h.group('name')}分值")
        head = ScoreLine(h.group("name"), index, weight.place, weight, None, source=SOURCE)
        lines = tuple(
            ScoreLine(r.name, index, r.score.place, r.weight, r.score, source=SOURCE) for r in items
        )
        groups.append(ScoreGroup(head, lines))
    total = _figure(ts, index, block, m.start("s"), "总分")
    total_weight = _figure(tw, index, block, m.start("w"), "总分分值")
    return ScoreTotal(total, tuple(groups), total_weight=total_weight)
