"""Claims stated in prose: named budget amounts, totals with their parts, shares, rates, counts.

How a figure gets a name. For every money figure we look at the words just before it (back to the
previous figure or clause mark) for the *measure* (年初预算 / 全年预算 / 执行数), and at the sentence
before it for the *scope* (基本支出, 项目支出, 人员经费, 财政拨款…; none stated = the whole unit, "总").
"基本支出预算安排111.01万元，全年预算数279.12万元，实际支出279.12万元" gives three facts of scope 基本.
Scope words inside "占…的" name the whole of a share, not the figure, and are skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from jixiao.core.decimals import Interval
from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import (
    MONEY_UNITS,
    BudgetFact,
    Claim,
    CountFact,
    Figure,
    IndicatorTarget,
    Place,
    RateClaim,
    ShareClaim,
    ShareSet,
    SumClaim,
    is_table_like,
    make_figure,
    sentence_bounds,
    unit_in_name,
)
from jixiao.review.claims.ratio_context import earlier_term_ratios
from jixiao.review.claims.ratios import stated_ratios
from jixiao.review.claims.roles import TOTAL_NAME, is_change, is_flow, year_of
from jixiao.review.document import Block, Document
from jixiao.review.quantities import Quantity, find_quantities, parse_quantity, unit_words, written_forms

__all__ = ["MEASURES", "SCOPE_NAMES", "extract_prose_claims", "measure_in", "scope_in"]

# (word, scope). Longest first so 日常公用经费 wins over 公用经费, 基本支出 over 支出.
_SCOPE_WORDS: tuple[tuple[str, str], ...] = (
    ("日常公用经费", "公用"),
    ("公用经费", "公用"),
    ("人员经费", "人员"),
    ("基本支出", "基本"),
    ("项目支出", "项目"),
    ("项目预算", "项目"),
    ("项目经费", "项目"),
    ("项目资金", "项目"),
    ("财政拨款", "财政拨款"),
    ("一般公共预算", "一般公共预算"),
    ("政府性基金", "政府性基金"),
    ("国有资本经营", "国有资本经营"),
    ("社会保险基金", "社会保险基金"),
    ("其他资金", "其他资金"),
    ("非税收入", "非税收入"),
    ("上年结转", "上年结转"),
    ("事业收入", "事业收入"),
    ("年度资金总额", "总"),
    ("资金总额", "总"),
    ("部门整体", "总"),
    ("支出总额", "总"),
    ("总支出", "总"),
    ("总预算", "总"),
    ("项目", "项目"),
)
_SCOPE_RE = lazy_compile("|".join(re.escape(w) for w, _ in _SCOPE_WORDS))
_SCOPE_OF = dict(_SCOPE_WORDS)
SCOPE_NAMES = {
    "总": "全部支出",
    "基本": "基本支出",
    "项目": "项目支出",
    "人员": "人员经费",
    "公用": "公用经费",
}
MEASURES = ("年初预算", "全年预算", "执行数", "预算")
_EXEC_WORDS = lazy_compile(
    r"执行数|执行金额|已执行|实际执行|实际支出|支出数|决算|实际使用|已支付|支付|拨付|执行"
)
_SPEND_WORDS = lazy_compile(r"支出|使用|开支")
# A scope's parts that make all of it (by definition of the budget classification).
COMPLEMENTS: dict[str, frozenset[str]] = {
    "总": frozenset({"基本", "项目"}),
    "基本": frozenset({"人员", "公用"}),
}
_CLAUSE_MARKS = "，,：:、（(；;。\n"
_ITEM_START = lazy_compile(r"^\s*(?:\d{1,2}\s*[、.．]|[（(]\s*\d{1,2}\s*[）)]|[①-⑳])")
_SHARE_WORD = lazy_compile(r"占(?P<whole>[^，,。；;%]{0,24}?)(?:的)?(?:比重|比例|比)?(?:为|达到|达|是)?\s*$")
_RATE_WORD = lazy_compile(
    r"(执行率|完成率|执行进度|支出进度|完成(?:了)?(?P<which>年初|全年)?预算(?:安排)?(?:数)?的)[为达是:：]?\s*$"
)
_COUNT_SKIP_UNITS = frozenset(
    {
        "%",
        "‰",
        "分",
        "百分点",
        "元",
        "千元",
        "万元",
        "亿元",
        "年",
        "月",
        "日",
        "天",
        "小时",
        "分钟",
        "周",
        "岁",
        "倍",
        "工作日",
        "",
    }
)
_LEAD_FILLER = lazy_compile(
    r"^(?:完成|相关|开设|累计|共计|合计|共|已经|已|全年|新增|实际|其中|另有|在|达到|了|各类|各种)+"
)
_TRAIL_FILLER = lazy_compile(r"(?:共计|累计|合计|达到|共|达|为|约|近|计|超过|突破|逾)+$")
_TARGET_RE = lazy_compile(r"(?:年度指标值|指标值|目标值)[:：]\s*(?P<t>[^，,。；;]+)")

# --- which blocks can hold a claim --------------------------------------------------------------
# Every prose claim starts from a figure in 元 (money facts, sums, shares, rates), in % (shares, rates)
# or in a unit things are counted in (counts), or from an indicator target (年度指标值：…). The scanner
# (quantities.py) gives a figure a unit only when a unit word follows its last digit or numeral right
# away, with at most a space, 余/多/几 and a magnitude between (its _POST pattern); a range takes the unit
# of its high end, read the same way; "百分之" gives %. So a block in which no digit or numeral is
# followed that way by one of the words below, and without "百分之", holds no such figure, and scanning
# it finds nothing a reader uses. The words are every unit of the scanner's that is money, % or
# counted (not a time, a date or 分), without their lookaheads (matching more is safe), in every written
# form the scanner reads (ｋｍ, ％): taken from its own table, so a unit added there is seen here.
# tests/test_prose_speed_equivalence.py checks the pattern against the scanner.


def _unit_forms() -> set[str]:
    """The unit words above, in every written form."""
    return {
        form
        for word, unit in unit_words().items()
        if unit in MONEY_UNITS or unit == "%" or unit not in _COUNT_SKIP_UNITS
        for form in written_forms(word)
    }


def _counted_units() -> tuple[str, str]:
    """The unit words above as one regex: single characters in a class, then the longer words that do
    not start with one of them (人次 and 条次 start with 人 and 条, which already match); and the
    characters the words start with."""
    words = _unit_forms()
    chars = "".join(sorted(w for w in words if len(w) == 1))
    longer = sorted((w for w in words if len(w) > 1 and w[0] not in chars), key=lambda w: (-len(w), w))
    firsts = "".join(sorted({w[0] for w in words}))
    return f"[{re.escape(chars)}]|" + "|".join(map(re.escape, longer)), firsts


_NUMERAL_END = r"\d〇零一壹二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億"
_SPACES = " \t\u3000\u00a0"  # the scanner reads 　 and a no-break space as a space
_SPACE = f"[{_SPACES}]?"
_UNITS, _UNIT_FIRSTS = _counted_units()
# What may stand right after the numeral: a space, 余/多/几, a magnitude or a unit's first character. Looked
# ahead for at once, it passes over most numerals (the digits of a year or a date) without trying the rest.
_AFTER_NUMERAL = "[" + re.escape(_SPACES + "余多几百千万亿萬億" + _UNIT_FIRSTS) + "]"
# One pattern with no alternation at its top: the regex engine then skips quickly to the next numeral.
_COUNTED_FIGURE = lazy_compile(
    rf"[{_NUMERAL_END}](?={_AFTER_NUMERAL}){_SPACE}(?:余|多|几)?(?:百万|千万|万亿|[百千万亿萬億])?(?:余|多)?"
    rf"{_SPACE}(?:{_UNITS})"
)


def _may_hold_figures(text: str) -> bool:
    """False only when the scanner finds no money, % or counted figure in ``text`` (see above)."""
    if "元" in text or "%" in text or "百分之" in text:
        return True  # most blocks with figures: no need to look closer
    return _COUNTED_FIGURE.search(text) is not None


def _may_hold_target(text: str) -> bool:
    """False only when ``text`` holds no indicator target label (_TARGET_RE: each ends in 值)."""
    return "值" in text and _TARGET_RE.search(text) is not None


# --- blocks whose figures are all the values of labels ------------------------------------------
# An indicator written as a line ("1．维修改造设施，年度指标值：≥147处，实际完成值：165处，分值15分，得分15分。")
# holds % or counted figures, but each stands right after "值：": no word before it names a count
# (count_key stops at the colon), a rate (every rate pattern of stated_ratios and ratio_context ends
# in its rate word, an optional colon and blanks; "值" ends none of them) or a share; an amount there
# has no measure word in its _window, so it is no budget fact (and without one no rate), and a block
# without the words a sum is read from gives no sum. Such a block gives its targets alone, and the
# scanner is needed for them only to say "a figure is found" (targets are kept only then): a plain
# number right after "值：" with its unit, then a clause mark, is one the scanner always reads. The
# pairs of ratio_context still need the block's figures: it scans such a block itself, and only for a
# report with a rate to read from earlier terms.
# Figures are found as for _may_hold_figures (the scanner's unit rule): every money, % or counted
# figure's last numeral is where a _COUNTED_FIGURE match starts, or lies inside an earlier match, which
# is excluded by allowing no numeral after the first character of a match (but the 万 of 万元: a figure
# ending there is money, which no reader here takes from a label's value).
# tests/review/claims/test_prose_labelled.py compares the reading with and without this path.

_MONEY_WORDS = tuple(
    sorted(
        {form for word, unit in unit_words().items() if unit in MONEY_UNITS for form in written_forms(word)}
    )
)
_CN_NUMERALS = frozenset(_NUMERAL_END.replace(r"\d", ""))
_RUN = frozenset("0123456789.")  # what may stand before a value's last digit, back to its label
_LABELS = ("值：", "值:")
_SIGNS = frozenset("≥≤<>＜＞")
# A value the scanner always reads: a plain number right after its label, its unit word (longest first;
# any but a date's) right after it, then a clause mark or the end.
_SURE_UNITS = {
    form
    for word, unit in unit_words().items()
    if unit not in ("年", "月", "日")
    for form in written_forms(word)
}
_SURE_VALUE = lazy_compile(
    r"值[:：](?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?(?:"
    + "|".join(map(re.escape, sorted({*_SURE_UNITS, "万元", "亿元"}, key=lambda w: (-len(w), w))))
    + r")(?:[，,。；;]|$)"
)


def _labelled_values(text: str) -> bool | None:
    """For a block whose every money, % or counted figure is the value of a label "…值：" (an optional
    sign between), without 占 or 百分之, and without the words of a sum when it holds money: whether the
    scanner surely finds a figure in it (_surely_found). None for any other block (see above)."""
    if "值" not in text or "占" in text or "百分之" in text:
        return None
    if any(w in text for w in _MONEY_WORDS) and (
        "其中" in text or "包括" in text or any(w in text for w in _HEJI_WORDS)
    ):
        return None  # the words a sum is read from (_sums)
    for m in _COUNTED_FIGURE.finditer(text):
        last, end = m.start(), m.end()
        if text[last] not in _RUN:
            return None  # a Chinese numeral or another script's digit: left to the scanner
        if text[end - 1] not in _MONEY_WORDS and not _CN_NUMERALS.isdisjoint(text[last + 1 : end]):
            return None  # a magnitude, or a unit word with a numeral, before a % or counted unit
        first = last
        while first > 0 and text[first - 1] in _RUN:
            first -= 1
        if first >= 2 and text[first - 2 : first] in _LABELS:
            continue
        if not (first >= 3 and text[first - 1] in _SIGNS and text[first - 3 : first - 1] in _LABELS):
            return None
    return _surely_found(text)


def _surely_found(text: str) -> bool:
    """Does the scanner surely find a figure in ``text``: a value as _SURE_VALUE reads it?"""
    return _SURE_VALUE.search(text) is not None


def scope_in(text: str) -> str:
    """The last scope word in ``text`` ('' when none)."""
    found = _SCOPE_RE.findall(text)
    return _SCOPE_OF[found[-1]] if found else ""


@lru_cache(maxsize=256)
def measure_in(text: str) -> str:
    """The measure named in ``text`` (scope words removed first: 基本支出 is not 支出).

    Kept for recent texts: the readers ask it of the few words before each amount, and a report says
    "年初预算数" or "实际支出" many times over."""
    stripped = _SCOPE_RE.sub("", text)
    if _EXEC_WORDS.search(stripped):
        return "执行数"
    if "预算" in stripped or "安排" in stripped or "批复" in stripped:
        if "全年" in stripped or "调整" in stripped:
            return "全年预算"
        if "年初" in stripped or "安排" in stripped or "批复" in stripped:
            return "年初预算"
        return "预算"
    if _SPEND_WORDS.search(stripped):
        return "执行数"  # "全年支出", "人员经费支出": money spent
    return ""


# Everything up to the last clause mark of the span (greedy, so one linear match finds the last one).
_UP_TO_LAST_MARK = lazy_compile(".*[" + re.escape(_CLAUSE_MARKS) + "]", re.S)


def _window(text: str, start: int, prev_end: int) -> str:
    """Words just before a figure: back to the previous figure or a clause mark."""
    m = _UP_TO_LAST_MARK.match(text, prev_end, start)
    return text[m.end() if m else prev_end : start]


_SHARE_TARGET = lazy_compile(r"占[^，,。；;%\d]{0,24}?的")


def _strip_share_targets(text: str) -> str:
    """Remove "占…的" so the whole of a share does not become the scope of later figures."""
    return _SHARE_TARGET.sub("", text) if "占" in text else text


def _is_money(q: Quantity) -> bool:
    return q.unit in MONEY_UNITS and q.kind == "number"


def extract_prose_claims(document: Document) -> list[Claim]:
    claims: list[Claim] = []
    facts: list[BudgetFact] = []
    # Each prose block is scanned once; the share and rate readers below reuse its quantities, and the
    # start of each quantity's sentence (``starts``, in the same order).
    scanned: dict[int, list[Quantity]] = {}
    starts: dict[int, list[int]] = {}
    taken: set[tuple[int, int]] = set()  # (block, offset) of the rates read in their own sentence
    # Every prose block with figures, in order, with its quantities: None for a block of labelled values
    # (_labelled_values), which ratio_context scans only if it needs its figures.
    prose: list[tuple[int, Block, list[Quantity] | None]] = []
    for index, block in enumerate(document.blocks):
        text = block.text
        if block.kind != "paragraph" or is_table_like(block):
            if block.table is not None and ("率" in text or "超" in text):
                claims.extend(_cell_ratios(index, block))
            continue
        targets: list[IndicatorTarget] | None = None
        if not _may_hold_figures(text):
            # No figure any reader uses: only an indicator target can be read here, and targets are kept
            # only in a block where the scanner finds some figure (a score, a day count). Most target
            # blocks of a self-evaluation table written as prose ("年度指标值：按时完成") give no target:
            # read the targets first and scan only when there is one to keep. Leaving such a block out
            # of ``scanned`` changes nothing: shares and rates read only its % figures (it has none).
            if not _may_hold_target(text):
                continue
            targets = list(_targets(index, block))
            if not targets:
                continue
            if _surely_found(text):
                # A figure is found ("实际完成值：195天，"): the targets are kept, and no reader but
                # ratio_context's pairs uses the figures (as for labelled values, below).
                prose.append((index, block, None))
                claims.extend(targets)
                continue
        else:
            labelled = _labelled_values(text)
            if labelled is not None:
                # Its targets are all it gives, when the scanner finds a figure: surely, or else scan.
                targets = list(_targets(index, block))
                if not targets or labelled:
                    prose.append((index, block, None))
                    claims.extend(targets)
                    continue
        quantities = find_quantities(text)
        scanned[index] = quantities
        prose.append((index, block, quantities))
        starts[index] = sentence_starts = _sentence_starts(text, quantities)
        if not quantities:
            continue
        money = [q for q in quantities if _is_money(q)]
        if money:
            facts.extend(_budget_facts(index, block, quantities, sentence_starts))
            claims.extend(_sums(index, block, money))
        claims.extend(_counts(index, block, quantities))
        if "率" in text or "增" in text or "超" in text or "降" in text or "减" in text:
            for ratio in stated_ratios(index, block, quantities, starts=sentence_starts):
                taken.add((index, ratio.rate.quantity.start))
                claims.append(ratio)
        if targets is not None:
            claims.extend(targets)
        elif "值" in text:  # every target label ends in 值 (_may_hold_target)
            claims.extend(_targets(index, block))
    claims.extend(facts)
    claims.extend(_composition(facts))
    shares = list(_shares(document, facts, scanned, starts))
    claims.extend(shares)
    claims.extend(_share_sets(shares))
    claims.extend(_rates(document, facts, scanned, starts))
    claims.extend(earlier_term_ratios(prose, taken))
    return claims


# A table cell written as prose: a flattened report puts whole paragraphs ("单位年初预算收入…万元，
# 决算数为…万元。…完成率为100%。") in one cell of a one-column or two-column layout table.
_CELL_SENTENCE = lazy_compile(r"[，,。；;]")
_CELL_PROSE_MARKS = 2  # clause marks a cell needs to read as sentences rather than a label or a value


def _cell_ratios(index: int, block: Block) -> Iterable[Claim]:
    """The stated rates (B156) of the table cells of ``block`` that are written as sentences, each
    cell read alone: no sentence or term runs from one cell into the next."""
    assert block.table is not None
    pos = 0
    for row in block.table.rows:
        for cell in row:
            start, pos = pos, pos + len(cell.text) + 1  # the "\t" or "\n" after the cell
            cell_text = cell.text
            if "率" not in cell_text and "超" not in cell_text:
                continue
            if len(_CELL_SENTENCE.findall(cell_text)) < _CELL_PROSE_MARKS:
                continue
            quantities = [
                q._replace(start=q.start + start, end=q.end + start) for q in find_quantities(cell_text)
            ]
            yield from stated_ratios(index, block, quantities, (start, start + len(cell_text)))


def _sentence_starts(text: str, quantities: list[Quantity]) -> list[int]:
    """The start of each quantity's sentence (``sentence_bounds(text, q.start)[0]``), in order. Several
    figures share a sentence, and every reader asks for it: looked up once per sentence, not per figure
    and reader. (``sentence_bounds`` gives the same bounds for every offset in ``[start, end)``.)"""
    out: list[int] = []
    start = end = -1
    for q in quantities:
        if not start <= q.start < end:
            start, end = sentence_bounds(text, q.start)
        out.append(start)
    return out


def _label(measure: str, scope: str) -> str:
    name = "" if scope == "总" else SCOPE_NAMES.get(scope, scope)
    return f"{name}{measure}" if measure else name or SCOPE_NAMES["总"]


# The classes of the government's economic classification of spending (政府支出经济分类): an amount named
# by one of them is a part of the spending, never the unit's total.
_ECONOMIC_CLASS = lazy_compile(
    r"工资福利|商品和服务|对个人和家庭的补助|对企业补助|资本性支出|债务利息|机关工资福利|机关商品和服务"
)


def _budget_facts(
    index: int, block: Block, quantities: list[Quantity], starts: list[int]
) -> list[BudgetFact]:
    """The named amounts of a block: every exact money figure whose words name a measure (``starts``: the
    start of each quantity's sentence)."""
    text = block.text
    out: list[BudgetFact] = []
    numbered: bool | None = None  # the block opens a numbered item; asked only when needed
    prev_end = 0
    for q, s in zip(quantities, starts, strict=True):
        window_start = prev_end
        prev_end = q.end
        # An approximate amount, or one whose words name no measure, is no budget fact.
        if q.approximate or not _is_money(q):
            continue
        words = _window(text, q.start, max(window_start, s))
        measure = measure_in(words)
        if not measure or is_change(words[-_ROLE_WORDS:]):
            continue  # "比年初预算增加758.97万元", "超出预算金额1.19万元": a change, not that amount
        scope = scope_in(_strip_share_targets(text[s : q.start]))
        if not scope and _ECONOMIC_CLASS.search(words):
            scope = "条目"  # "商品和服务支出80万元": one class of the spending, not the unit's whole
        if not scope:
            # A numbered item without a scope word is usually one project among many, not the unit;
            # so is an amount after "其中" that names no scope ("其中：民生支出980.10万元").
            if numbered is None:
                numbered = _ITEM_START.match(text) is not None
            scope = "条目" if numbered or _QIZHONG.search(text, s, q.start) else "总"
        out.append(BudgetFact(measure, scope, make_figure(q, index, block, label=_label(measure, scope))))
    return out


# The parts of each whole in the order a sum lists them.
_PARTS_IN_ORDER = {
    whole: tuple(p for p in ("基本", "项目", "人员", "公用") if p in parts)
    for whole, parts in COMPLEMENTS.items()
}


def _composition(facts: list[BudgetFact]) -> Iterable[SumClaim]:
    """年初/全年/执行 total = 基本 + 项目; 基本 = 人员 + 公用 (first prose statement of each)."""
    first: dict[tuple[str, str], BudgetFact] = {}
    for f in facts:
        if f.source == "prose":
            first.setdefault((f.measure, f.scope), f)
    for measure in ("年初预算", "全年预算", "执行数"):
        for whole, parts in _PARTS_IN_ORDER.items():
            total = first.get((measure, whole))
            if total is None:
                continue
            members = [first.get((measure, p)) for p in parts]
            if any(m is None for m in members):
                continue
            figures = tuple(m.figure for m in members if m is not None)
            yield SumClaim(total.figure, figures, True, "预算构成", _label(measure, whole))


# --- totals and parts in one sentence ----------------------------------------------------------

_QIZHONG = lazy_compile(r"其中[:：]?")
_HEJI_WORDS = ("合计", "共计", "总计", "累计")
_HEJI = lazy_compile(rf"(?:{'|'.join(_HEJI_WORDS)})(?:为|达|支出|金额)?[:：]?")
_BAOKUO = lazy_compile(r"包括[:：]?")


def _in_parens(text: str, pos: int) -> bool:
    opened = max(text.rfind("（", 0, pos), text.rfind("(", 0, pos))
    if opened < 0:
        return False  # no bracket opened before: most figures (no need to look for one closed)
    closed = max(text.rfind("）", 0, pos), text.rfind(")", 0, pos))
    return opened > closed


def _sums(index: int, block: Block, money: list[Quantity]) -> Iterable[SumClaim]:
    """``money``: the block's money figures, in order."""
    text = block.text
    if len(money) < 2:
        return
    # Each reading below starts at its words (其中; 合计/共计/总计/累计; 包括): a block without them is not
    # searched for them (most blocks have none of the three).
    for m in _QIZHONG.finditer(text) if "其中" in text else ():
        found = _listed_parts(text, m, money)
        if found is not None:
            total, parts, explicit = found
            # "其中" may list only some parts: never exhaustive (B152 tells over from under). ``how``
            # says whether the total is named as one (合计/共计/总额…) in a closed list: only then is a
            # sum over it an error.
            yield _sum(index, block, total, parts, False, "其中·总额" if explicit else "其中")
    for m in _HEJI.finditer(text) if any(w in text for w in _HEJI_WORDS) else ():
        s, e = sentence_bounds(text, m.start())
        after = [q for q in money if m.end() <= q.start < e]
        if not after or after[0].start - m.end() > 4:
            continue
        total = after[0]
        parts = [q for q in money if s <= q.start and q.end <= m.start() and not _in_parens(text, q.start)]
        if "其中" in text[s : m.start()]:
            continue  # "…其中A、B，合计…": left to the 其中 reading
        if len(parts) < 2 or not _same_measure(text, total, parts):
            continue
        yield _sum(index, block, total, parts, True, "合计")
    for m in _BAOKUO.finditer(text) if "包括" in text else ():
        s, e = sentence_bounds(text, m.start())
        before = [q for q in money if s <= q.start and q.end <= m.start()]
        parts = [q for q in money if m.end() <= q.start < e and not _in_parens(text, q.start)]
        if not before or len(parts) < 2 or before[-1].end < m.start() - 3:
            continue
        if not _same_measure(text, before[-1], parts):
            continue
        exhaustive = "等" not in text[m.end() : e]
        yield _sum(index, block, before[-1], parts, exhaustive, "包括")


# Where a 其中 list stops besides 。: a year right after an amount (a missing 。 merged two sentences,
# "…859.6万元2023年支出…"), a new numbered item, a new section's number glued into the text when the
# page lost its line breaks ("…正常运转二、项目资金…"), an amount with its own 共计/合计 (a new total, not
# a part), or a nested list (分别为, 一是, 1.).
_LIST_BREAK = lazy_compile(
    r"(?<=[元\d])\s*(?:19|20)\d{2}年|[，,；;]\s*(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[）)])"
    r"|(?<=[\u4e00-\u9fff，,])[二三四五六七八九十]、|[，,][^，,。；;]{0,12}?(?:共计|合计|总计)"
)
_NESTED = lazy_compile(
    r"分别为|分别是|一是|二是|即[:：]|[：:]\s*\d{1,2}[.、．](?!\d)|[：:]\s*[（(][一二三1-9][）)]"
)
_UNREADABLE = lazy_compile(r"点击查看|>>|\d[A-Za-z]{2,}|[A-Za-z]{2,}\d")
_ROLE_WORDS = 12  # the words just before a figure that say its role (a flattened table has no stops)
_NAMELESS = lazy_compile(r"^[\s\d一二三四五六七八九十、.．,，:：()（）]*$")


def _listed_parts(
    text: str, m: re.Match[str], money: list[Quantity]
) -> tuple[Quantity, list[Quantity], bool] | None:
    """The total before a "其中" and the parts listed after it, when their roles agree: every part a
    level of the same measure (no change, no amount paid or left over), all in the one sentence and
    readable; with whether the total is named as a total in a closed list. None where unsure."""
    s, e = sentence_bounds(text, m.start())
    inside = _in_parens(text, m.start())
    if inside:
        # "总额X（其中A、B）": the parts are those in the brackets, the total the amount before them.
        opened = max(text.rfind("（", 0, m.start()), text.rfind("(", 0, m.start()))
        closes = [i for i in (text.find("）", m.end()), text.find(")", m.end())) if i != -1]
        stop = min(closes) if closes else e
        before = [q for q in money if s <= q.start and q.end <= opened and not _in_parens(text, q.start)]
        parts = [q for q in money if m.end() <= q.start < stop]
    else:
        before = [q for q in money if q.end <= m.start() and q.start >= s and not _in_parens(text, q.start)]
        if not before and s > 0:
            ps, _ = sentence_bounds(text, s - 1)
            before = [q for q in money if ps <= q.start < s and not _in_parens(text, q.start)]
        # Parts run to the end of the sentence (。; ； too unless the list opens with a colon and its
        # items are ；-separated), or to a nested 其中.
        colon = text[m.end() - 1 : m.end()] in "：:"
        stop = len(text)
        for mark in ("。", "！", "？") if colon else ("。", "；", ";", "！", "？"):
            at = text.find(mark, m.end())
            if at != -1:
                stop = min(stop, at)
        nested = text.find("其中", m.end())
        if nested != -1:
            stop = min(stop, nested)
        broken = _LIST_BREAK.search(text, m.end(), stop)
        if broken is not None:
            stop = broken.start()
        parts = [q for q in money if m.end() <= q.start < stop and not _in_parens(text, q.start)]
    if not before or len(parts) < 2:
        return None
    total = before[-1]
    listed = text[m.start() : parts[-1].end]
    if _NESTED.search(listed) or _UNREADABLE.search(text[total.start : parts[-1].end]):
        return None
    total_start = max(s, text.rfind("其中", 0, total.start) + 1)
    total_words = _window(text, total.start, total_start)[-_ROLE_WORDS:]
    if _NAMELESS.match(text[total_start : total.start]) or is_change(total_words) or is_flow(total_words):
        return None  # a total with no name ("2、7万元" cut by a page break), or a change, or a flow
    prev = m.end()
    for q in parts:
        words = _window(text, q.start, prev)[-_ROLE_WORDS:]
        if is_change(words) or is_flow(words) or not text[prev : q.start].strip(" \u3000"):
            return None  # a change, an amount paid or left over, or cells of a flattened row
        if year_of(words) and year_of(words) != year_of(text[s : total.start]):
            return None  # another year's amount
        prev = q.end
    if len(before) > 1 and not text[before[-2].end : total.start].strip(" \u3000"):
        return None  # "620.82万元 620.82万元 …其中": cells of a flattened table row, not a total
    if not _same_measure(text, total, parts):
        return None
    explicit = TOTAL_NAME.search(text[s : total.start]) is not None and "等" not in listed
    return total, parts, explicit


def _same_measure(text: str, total: Quantity, parts: list[Quantity]) -> bool:
    """Parts naming different measures (预算 and 支出 of one item) are not a breakdown."""
    measures = set()
    prev = 0
    for q in parts:
        measures.add(measure_in(_window(text, q.start, prev)))
        prev = q.end
    measures.discard("")
    measures.discard("预算")
    return len(measures) <= 1


def _sum(
    index: int, block: Block, total: Quantity, parts: list[Quantity], exhaustive: bool, how: str
) -> SumClaim:
    return SumClaim(
        make_figure(total, index, block, label="总数"),
        tuple(make_figure(q, index, block, label="分项") for q in parts),
        exhaustive,
        how,
    )


# --- shares ------------------------------------------------------------------------------------


def _shares(
    document: Document,
    facts: list[BudgetFact],
    scanned: dict[int, list[Quantity]],
    starts: dict[int, list[int]],
) -> Iterable[ShareClaim]:
    """``scanned``: the quantities of every prose block (block index → quantities); ``starts``: the start
    of each one's sentence."""
    by_scope: dict[str, list[BudgetFact]] = {}
    for f in facts:
        by_scope.setdefault(f.scope, []).append(f)
    for index, quantities in scanned.items():
        block = document.blocks[index]
        if "占" not in block.text:
            continue
        text = block.text
        for q, s in zip(quantities, starts[index], strict=True):
            if q.unit != "%":
                continue
            m = _SHARE_WORD.search(text, max(s, q.start - 30), q.start)
            if m is None:
                continue
            part_q = [p for p in quantities if _is_money(p) and s <= p.start and p.end <= m.start()]
            if not part_q:
                continue
            part = part_q[-1]
            inline = [w for w in quantities if _is_money(w) and m.start() < w.start and w.end <= q.start]
            whole_text = m.group("whole")
            # The part's scope words, read once for its scope (scope_in) and its label.
            words = _SCOPE_RE.findall(_strip_share_targets(text[s : part.start]))
            part_scope = (_SCOPE_OF[words[-1]] if words else "") or "总"
            whole_scope = scope_in(whole_text) or ("总" if _WHOLE_WORDS.search(whole_text) else "")
            share = make_figure(q, index, block, label="占比")
            part_fig = make_figure(part, index, block, label=words[-1] if words else _label("", part_scope))
            whole_scopes = [whole_scope]
            if not inline and not whole_text.strip():
                # "人员经费X万元，占比Y%": the whole is not named; it is the scope the text is about (the
                # 基本支出 sentence or heading just before), or else the scope the part belongs to.
                whole_scopes = _enclosing_scopes(document, index, s, part_scope)
                whole_scope = whole_scopes[0] if whole_scopes else ""
            if inline:
                wholes: tuple[Figure, ...] = (make_figure(inline[-1], index, block, label=whole_text),)
            else:
                if not whole_scope or whole_scope == part_scope:
                    continue
                hint = measure_in(whole_text) or measure_in(_window(text, part.start, s))
                order = [hint] + [m_ for m_ in ("执行数", "全年预算", "年初预算", "预算") if m_ != hint]
                candidates = sorted(
                    (f for ws in whole_scopes for f in by_scope.get(ws, []) if f.measure in order),
                    key=lambda f: (
                        whole_scopes.index(f.scope),
                        order.index(f.measure),
                        abs(f.figure.block_index - index),
                    ),
                )
                wholes = tuple(f.figure for f in candidates)
                if not wholes:
                    continue
            yield ShareClaim(
                part_fig,
                share,
                whole_text.strip() or SCOPE_NAMES.get(whole_scope, whole_scope),
                whole_scope,
                part_scope,
                wholes,
            )


_WHOLE_WORDS = lazy_compile(r"总|全部|整体|全年")
_PARENT = {part: whole for whole, parts in COMPLEMENTS.items() for part in parts}
_CONTEXT_BLOCKS = 3  # how far back a bare "占比" looks for the scope it is about


def _ancestors(scope: str) -> list[str]:
    """Scopes that hold ``scope``, nearest first: 人员 → [基本, 总]; a source (财政拨款) → [总]."""
    out: list[str] = []
    while scope in _PARENT:
        scope = _PARENT[scope]
        out.append(scope)
    return out if out or scope == "总" else ["总"]


def _enclosing_scopes(document: Document, index: int, sentence_start: int, part_scope: str) -> list[str]:
    """Scopes a bare "占比" may be a share of, likeliest first: the last scope named before the part's
    sentence (in its block, else in the few blocks before) that can hold the part, then the scopes that
    hold it by definition. Sibling scopes named before ("人员经费…；日常公用经费…占比") are passed over."""
    holders = _ancestors(part_scope)
    texts = [document.blocks[index].text[:sentence_start]]
    texts += [document.blocks[b].text for b in range(index - 1, max(-1, index - 1 - _CONTEXT_BLOCKS), -1)]
    for text in texts:
        named = [_SCOPE_OF[w] for w in _SCOPE_RE.findall(_strip_share_targets(text))]
        found = next((w for w in reversed(named) if w in holders), None)
        if found is not None:
            return [found] + [h for h in holders if h != found]
    return holders


def _share_sets(shares: list[ShareClaim]) -> Iterable[ShareSet]:
    groups: dict[tuple[str, Location | None], list[ShareClaim]] = {}
    for s in shares:
        if not s.whole_scope:
            continue
        key = (s.whole_scope, s.wholes[0].location if s.wholes else None)
        groups.setdefault(key, []).append(s)
    for (whole_scope, _), members in groups.items():
        seen: dict[str, ShareClaim] = {}
        for s in members:
            seen.setdefault(s.part_scope, s)
        distinct = list(seen.values())
        if len(distinct) < 2:
            continue
        complete = frozenset(seen) == COMPLEMENTS.get(whole_scope)
        if not complete:
            # Otherwise the parts must visibly make up the whole: their amounts add up to it.
            total: Interval = distinct[0].part.interval
            for s in distinct[1:]:
                total = total + s.part.interval
            complete = total.overlaps(distinct[0].wholes[0].interval)
        if complete:
            yield ShareSet(distinct[0].whole_name, tuple(distinct))


# --- rates -------------------------------------------------------------------------------------


# Last year's amounts ("上年年初预算收入…，决算收入…") are no terms of this year's rate; 上年结转 (funds carried
# into this year) is this year's money.
_LAST_YEARS = lazy_compile(r"上年(?!结转|结余)|上一年|去年")


def _rates(
    document: Document,
    facts: list[BudgetFact],
    scanned: dict[int, list[Quantity]],
    starts: dict[int, list[int]],
) -> Iterable[RateClaim]:
    by_block: dict[int, list[BudgetFact]] = {}
    for f in facts:
        by_block.setdefault(f.figure.block_index, []).append(f)
    # Blocks in order (facts come block by block); a rate needs an amount spent in its own block.
    for index, block_facts in by_block.items():
        if not any(f.measure == "执行数" for f in block_facts):
            continue  # no numerator: every rate of the block would be passed over below
        block = document.blocks[index]
        text = block.text
        # Most blocks name no other year: no need to look (every _LAST_YEARS word holds 上 or 去年).
        last_year = ("上" in text or "去年" in text) and _LAST_YEARS.search(text) is not None
        terms: list[BudgetFact] | None = None  # read at the block's first rate: the same for each
        for q, s in zip(scanned[index], starts[index], strict=True):
            if q.unit != "%" or q.approximate:
                continue
            m = _RATE_WORD.search(text, max(s, q.start - 16), q.start)
            if m is None or "收入" in text[max(s, m.start() - 4) : m.start()]:
                continue  # none, or a rate of income ("年初预算收入完成率"): not the spending's (B156 reads it)
            scope = scope_in(_strip_share_targets(text[s : q.start])) or (
                "条目" if _ITEM_START.match(text) else "总"
            )
            if terms is None:
                terms = _rate_terms(text, block_facts, last_year)
            local = [f for f in terms if f.scope == scope]
            in_sentence = [f for f in local if s <= f.figure.quantity.start < q.start]
            pool = in_sentence or [f for f in local if f.figure.quantity.start < q.start]
            numerators = [f for f in pool if f.measure == "执行数"]
            if not numerators:
                continue
            which = m.group("which")
            wanted = ["年初预算"] if which == "年初" else ["全年预算", "年初预算", "预算"]
            denominators = [f for w in wanted for f in reversed(pool or local) if f.measure == w]
            if not denominators:
                continue
            rate = make_figure(q, index, block, label="执行率")
            yield RateClaim(rate, numerators[-1].figure, tuple(f.figure for f in denominators), m.group(1))


def _rate_terms(text: str, facts: list[BudgetFact], last_year: bool) -> list[BudgetFact]:
    """The facts of a block a rate may be of: a member of a 其中 list or of a bracketed aside is not what
    a rate after the list is of, nor is last year's amount (``last_year``: the block names another year)."""
    # Most blocks have no bracket, no 其中 and no other year: then every fact is a term, and none needs
    # its sentence read.
    brackets = "（" in text or "(" in text
    in_list = "其中" in text  # what _QIZHONG needs to match
    if not (brackets or in_list or last_year):
        return list(facts)
    out: list[BudgetFact] = []
    for f in facts:
        start = f.figure.quantity.start
        if brackets and _in_parens(text, start):
            continue
        if not (in_list or last_year):
            out.append(f)
            continue
        s, _ = sentence_bounds(text, start)
        if last_year and _LAST_YEARS.search(text, s, start):
            continue
        if _QIZHONG.search(text, s, start) is None:
            out.append(f)
    return out


# --- counted things ----------------------------------------------------------------------------


def count_key(text: str, start: int) -> str:
    """The name of what a count counts: the words before it, after any 等 (examples listed before)."""
    s = start
    for i in range(start - 1, max(-1, start - 40), -1):
        ch = text[i]
        if ch in "，,。；;：:（(\n" or ch.isdigit():
            s = i + 1
            break
        if ch == "等" or ch in '”"」』》':
            s = i + 1
            break
        s = i
    key = text[s:start].strip()
    if not key:
        return ""  # nothing before the figure (a target "：≥5个"): no filler to strip, no name
    if s > 0 and text[s - 1].isdigit():
        key = _DATE_TAIL.sub("", key)  # "截至2024年12月31日实有人数": the date is no part of the name
    key = _TRAIL_FILLER.sub("", key)
    key = _LEAD_FILLER.sub("", key)
    return _measure_noun(key)


_DATE_TAIL = lazy_compile(r"^[年月日号](?:底|末)?")
# What may stand before a staff measure without changing it: the tail of a date ("截至12月31日实有人数"),
# the unit as subject ("本单位编制数"), approval words ("核定编制数"). Qualifiers (行政/事业) are kept.
_COUNT_SUBJECT = lazy_compile(
    r"^(?:本单位|本部门|本局|本中心|全单位|单位|部门|年末|年底|期末|现有|共有|核定|批复|实际)+"
)
_COUNT_SYNONYMS = {
    "编制人数": "编制数",
    "编制": "编制数",
    "实有人员": "实有人数",
    "在职人员": "在职人数",
    "在编人员": "在编人数",
}


def _measure_noun(key: str) -> str:
    """One name per staff measure, however the sentence leads into it ("本单位编制数" → "编制数")."""
    bare = _COUNT_SUBJECT.sub("", key)
    if len(bare) >= 2 and bare != key:
        key = bare
    return _COUNT_SYNONYMS.get(key, key)


# Labels that open a target or an actual: the last one before a figure in its block says which it is.
# Bare "目标" counts only as a label ("年度目标为…", "目标："), not inside "完成了年度目标".
_STAGE_RE = lazy_compile(
    r"(?P<target>预期目标|年度指标值|指标值|目标值|计划数|(?:年度|总体|绩效)?目标(?:任务)?(?=[:：为是]))"
    r"|(?P<actual>实际完成|完成值|实际值|完成情况|实际)"
)


def _stages(text: str) -> list[tuple[int, str]]:
    """(offset, "target"|"actual") of every stage label in a block, in order."""
    return [(m.start(), m.lastgroup or "") for m in _STAGE_RE.finditer(text)]


def _stage_at(stages: list[tuple[int, str]], offset: int) -> str:
    i = bisect_right(stages, (offset, "~")) - 1
    return stages[i][1] if i >= 0 else ""


def _counts(index: int, block: Block, quantities: list[Quantity]) -> Iterable[CountFact]:
    text = block.text
    stages: list[tuple[int, str]] | None = None
    for q in quantities:
        if q.kind != "number" or q.unit in _COUNT_SKIP_UNITS or q.upper is not None:
            continue
        key = count_key(text, q.start)
        if not 2 <= len(key) <= 12 or not all("\u4e00" <= ch <= "\u9fff" for ch in key):
            continue
        # "、" joins a list whose first item names the subject ("文旅稿件央媒50余篇、省媒180余篇"): a count
        # right after such a list item is not a free-standing total.
        if text[q.start - len(key) - 1 : q.start - len(key)] == "、":
            continue
        if stages is None:
            stages = _stages(text)
        # A whole number of things (62人, 36个) is counted, not measured: 62 and 63 differ.
        exact = q.decimals == 0
        figure = make_figure(q, index, block, label=key, exact=exact)
        yield CountFact(key, q.unit, figure, _stage_at(stages, q.start))


_TARGET_NUMBER = lazy_compile(r"^\s*(?:\d{1,2}\s*[、.．]|[（(]\s*\d{1,2}\s*[）)])")


def _targets(index: int, block: Block) -> Iterable[IndicatorTarget]:
    text = block.text
    if "值" not in text:
        return  # every target label ends in 值: most blocks are passed over without running the regex
    for m in _TARGET_RE.finditer(text):
        target = m.group("t").strip()
        q = parse_quantity(target)
        if q is None or q.kind != "number":
            continue
        s = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        lead = text[s : m.start()]
        number = _TARGET_NUMBER.match(lead)  # anchored at the start: what .sub would remove
        name = (lead[number.end() :] if number else lead).strip("，,：: ")
        yield IndicatorTarget(
            name=name,
            target=target,
            place=Place(block, m.start("t"), m.end("t")),
            missing_unit=q.unit == "" and not unit_in_name(name),
            missing_nature=q.comparator == "" and not q.approximate and q.unit != "%",
        )
