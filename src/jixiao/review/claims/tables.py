"""Claims in 自评表-like tables: the money block and the indicator block.

Tables come from table blocks (docx, html, markdown pipes) or, in plain text, from runs of
tab-separated lines (read from ``Block.raw``, which keeps the tabs). Columns are recognised by their
header text, never by position: 年初预算数 全年预算数 全年执行数 分值 执行率 得分 for money;
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因… for indicators.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache

from jixiao.core.decimals import HUNDRED
from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import (
    BudgetFact,
    Claim,
    ExecutionScore,
    Figure,
    IndicatorTarget,
    Place,
    RateClaim,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    SumClaim,
    anchored_line,
    fixed_place,
    make_figure,
    unit_in_name,
)
from jixiao.review.claims.scores import GRADE_RE, GRADE_WORDS
from jixiao.review.document import Block, Document, new_location
from jixiao.review.normalize import cells_may_change, normalize_text
from jixiao.review.quantities import Quantity, parse_quantity

__all__ = ["extract_table_claims"]


# A cell's text and the unit its column gives → the cell read as a number (see ``_read_number``): one
# per document, shared by its rows, so a text is read once however many cells and readers hold it (the
# money block reads 执行数 and 预算数 both as budget facts and as the parts of each row's 执行率).
_Numbers = dict[tuple[str, str], Quantity | None]


class _Row:
    """One table row: its cells' texts, the block it lies in, and each cell's place.

    A row, not an object per cell: most cells never become a figure, so a plain-text row keeps only
    what its cells' ``Location`` is made of and builds one when a figure's place is first read."""

    __slots__ = ("_locations", "_numbers", "_where", "block", "block_index", "texts")

    def __init__(
        self,
        texts: list[str],
        block_index: int,
        block: Block,
        numbers: _Numbers,
        locations: list[Location | None] | None,
        where: tuple[str, int, int, int] | None,
    ) -> None:
        self.texts = texts
        self.block_index = block_index
        self.block = block
        self._numbers = numbers
        self._locations = locations  # a table block's cells carry their own
        self._where = where  # (path, line, table, row) of a plain-text row; the column is the cell's

    def location(self, j: int) -> Location:
        """Where cell ``j`` is (built on first use and kept, so every figure of a cell shares it)."""
        locations = self._locations
        if locations is None:
            locations = self._locations = [None] * len(self.texts)
        location = locations[j]
        if location is None:
            path, line, table, row = self._where or ("", 0, 0, 0)
            location = locations[j] = new_location(path=path, line=line, table=table, row=row, col=j + 1)
        return location

    # A row is the place source of the figures read from its cells (``Place``).
    place_location = location

    def place_excerpt(self, j: int) -> str:
        return _excerpt(self, j)

    def number(self, j: int, unit: str) -> Quantity | None:
        """Cell ``j`` read as one number (None for a blank or anything else), in ``unit`` when it has none."""
        key = (self.texts[j], unit)
        numbers = self._numbers
        if key not in numbers:
            numbers[key] = _read_number(key[0], unit)
        return numbers[key]


def _read_number(text: str, unit: str) -> Quantity | None:
    text = text.strip()
    if text in _BLANK:
        return None
    q = parse_quantity(text)
    if q is None or q.kind != "number":
        return None
    if unit and q.unit == "":
        q = q._replace(unit=unit)  # the header's unit
    return q


_MONEY_COLS: tuple[tuple[str, str], ...] = (
    ("年初预算", "年初预算"),
    ("全年预算", "全年预算"),
    ("调整后预算", "全年预算"),
    ("全年执行", "执行数"),
    ("执行数", "执行数"),
    ("实际支出", "执行数"),
    ("决算数", "执行数"),
    ("执行率", "rate"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
)
_INDICATOR_COLS: tuple[tuple[str, str], ...] = (
    ("一级指标", "l1"),
    ("二级指标", "l2"),
    ("三级指标", "l3"),
    ("指标名称", "l3"),
    ("年度指标值", "target"),
    ("指标值", "target"),
    ("目标值", "target"),
    ("实际完成值", "actual"),
    ("完成值", "actual"),
    ("实际值", "actual"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("偏差原因", "reason"),
    ("原因分析", "reason"),
    ("扣分原因", "reason"),
    ("等级", "grade"),
    ("等次", "grade"),
)
_TOTAL_ROW = lazy_compile(r"年度资金总额|资金总额|^合计$|^总计$|^总额$|资金合计")  # 总额: Sichuan's 自评表
_SOURCE_ROW: tuple[tuple[str, str], ...] = (
    ("财政拨款", "财政拨款"),
    ("一般公共预算", "一般公共预算"),
    ("政府性基金", "政府性基金"),
    ("国有资本经营", "国有资本经营"),
    ("社会保险基金", "社会保险基金"),
    ("非税", "非税收入"),
    ("专户", "非税收入"),
    ("上年结转", "上年结转"),
    ("其他资金", "其他资金"),
    ("其他收入", "其他资金"),
    ("事业收入", "事业收入"),
    ("经营收入", "事业收入"),
)
# Labels that name a source only when they are the whole label: "其他" is the 自评表's fourth source
# row in many provinces, while "其他" inside a longer label ("其他支出说明") is not.
_SOURCE_EXACT = {"其他": "其他资金", "其它": "其他资金", "其他资金来源": "其他资金"}
_NATURE_ROW = (("基本支出", "基本"), ("项目支出", "项目"))
_SCOPE_LABEL = {"总": "年度资金总额", "基本": "基本支出", "项目": "项目支出"}
_BLANK = {"", "-", "—", "——", "/", "／", "无", "\\"}
_SUBTOTAL = lazy_compile(r"^(?:小计|合计)[:：]?$")  # a first-level indicator's own row after its items
_L1_WEIGHT = lazy_compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[）)]")


def _tables(document: Document) -> list[list[_Row]]:
    grids: list[list[_Row]] = []
    run: list[_Row] = []
    number = 0
    numbers: _Numbers = {}
    last_table = -2
    for index, block in enumerate(document.blocks):
        if block.table is not None:
            if run:
                grids.append(run)
                run = []
            rows = [
                _Row([c.text for c in row], index, block, numbers, [c.location for c in row], None)
                for row in block.table.rows
            ]
            if last_table == index - 1 and grids:
                # A table laid out in parts with nothing between them (jixiao's 自评表 gives its indicator
                # part a table of its own so the header repeats on every page) is still one table.
                grids[-1].extend(rows)
            else:
                grids.append(rows)
            last_table = index
            continue
        raw = block.raw or block.text
        if "\t" not in raw:
            # No line of it is a row (a row has tabs): the block only ends a run, when it has any text.
            if run and raw.strip():
                grids.append(run)
                run = []
            continue
        first = block.location.line or 1
        path = block.location.path
        block_may_change = cells_may_change(raw)
        for i, line in enumerate(raw.split("\n")):
            cells = line.split("\t")
            stripped = list(map(str.strip, cells)) if len(cells) >= 3 else None
            if stripped is not None and len(stripped) - stripped.count("") >= 2:
                if not run:
                    number += 1
                if block_may_change and cells_may_change(line):
                    stripped = [normalize_text(c).strip() for c in cells]
                run.append(
                    _Row(stripped, index, block, numbers, None, (path, first + i, number, len(run) + 1))
                )
            elif run and line.strip():
                grids.append(run)
                run = []
    if run:
        grids.append(run)
    return grids


# Any column word of either kind: a row holding none (most rows: figures and names) is no header row.
_ANY_COLUMN = lazy_compile("|".join(re.escape(word) for word, _ in _MONEY_COLS + _INDICATOR_COLS))


# The roles whose words a header cell's text holds, in the columns' order. Kept across reports: header
# cells read the same in report after report ("一级指标", "全年预算数"), and the lookup walks every word.
@lru_cache(maxsize=1024)
def _money_roles_named(text: str) -> tuple[str, ...]:
    return tuple([role for word, role in _MONEY_COLS if word in text])


@lru_cache(maxsize=1024)
def _indicator_roles_named(text: str) -> tuple[str, ...]:
    return tuple([role for word, role in _INDICATOR_COLS if word in text])


def _roles(texts: list[str], named: Callable[[str], tuple[str, ...]]) -> dict[str, int]:
    """Column index of each role named in a header row: a cell names the first role its text holds a
    word of that no cell before it named. ``texts``: the cells' texts without spaces."""
    found: dict[str, int] = {}
    for j, text in enumerate(texts):
        for role in named(text):
            if role not in found:
                found[role] = j
                break
    return found


def _excerpt(row: _Row, j: int) -> str:
    """The row's non-empty cells joined by " | ", cell ``j`` in 【】 (when it is not empty)."""
    texts = row.texts.copy()
    if texts[j]:
        texts[j] = "【" + texts[j] + "】"
    return " | ".join(filter(None, texts))


def _fig(row: _Row, j: int | None, label: str, *, unit: str = "", exact: bool = False) -> Figure | None:
    if j is None or j >= len(row.texts):
        return None
    q = row.number(j, unit)
    if q is None:
        return None
    return make_figure(
        q,
        row.block_index,
        row.block,
        label=label,
        exact=exact or (label.endswith("得分") and q.decimals == 0),
        source=row,
        key=j,
    )


def extract_table_claims(document: Document) -> list[Claim]:
    out: list[Claim] = []
    for grid in _tables(document):
        out.extend(_one_table(grid))
    return out


def _one_table(grid: list[_Row]) -> Iterable[Claim]:
    mode = ""
    roles: dict[str, int] = {}
    money_header: dict[str, int] = {}
    money_rows: list[tuple[str, str, _Row]] = []  # (kind, scope, row)
    exec_group: ScoreGroup | None = None
    groups: list[tuple[str, ScoreLine | None, list[ScoreLine], Figure | None]] = []
    total: Figure | None = None
    total_weight: Figure | None = None
    unit = "万元"
    l1 = ""
    grade: tuple[str, Location, str] | None = None
    for row in grid:
        cells = row.texts
        # The row's texts without spaces, joined by tabs (taking the spaces out never touches a tab).
        compact = "\t".join(cells).replace(" ", "")
        if _ANY_COLUMN.search(compact) is not None:
            texts = [text.replace(" ", "") for text in cells]
            ind_roles = _roles(texts, _indicator_roles_named)
            if len([r for r in ind_roles if r in ("l1", "l2", "l3", "target", "actual")]) >= 2:
                mode, roles = "indicator", ind_roles
                continue
            money_roles = _roles(texts, _money_roles_named)
            if len([r for r in money_roles if r in ("年初预算", "全年预算", "执行数")]) >= 2:
                mode, roles = "money", money_roles
                money_header = money_roles
                if any("（元）" in text or "(元)" in text for text in cells):
                    unit = "元"
                continue
        if mode == "money":
            label = "".join(cells[: min(roles.values())]).replace(" ", "")
            kind, scope = _row_kind(_without_qizhong(label))
            if kind:
                money_rows.append((kind, scope, row))
            if kind == "total" and "weight" in roles and "score" in roles:
                w = _fig(row, roles.get("weight"), "预算执行率分值", exact=True)
                s = _fig(row, roles.get("score"), "预算执行率得分")
                if w is not None or s is not None:
                    anchor = s or w
                    assert anchor is not None
                    head = anchored_line("预算执行率", anchor, w, s, source="table")
                    exec_group = ScoreGroup(head)
                    stated_rate = _fig(row, roles.get("rate"), "预算执行率")
                    if stated_rate is not None and w is not None and s is not None:
                        done = _fig(row, roles.get("执行数"), "执行数", unit=unit)
                        budget = _fig(row, roles.get("全年预算"), "全年预算", unit=unit)
                        rate = _as_percent(stated_rate, done, budget)
                        if rate is not None:
                            yield ExecutionScore(head, (rate,))
        elif mode == "indicator":
            cell_l1 = cells[roles["l1"]] if "l1" in roles and roles["l1"] < len(cells) else ""
            first_text = next(filter(None, cells), "")  # the first non-empty cell
            if first_text.replace(" ", "").startswith(("总分", "合计", "总计")):
                total = _fig(row, roles.get("score"), "总分")
                total_weight = _fig(row, roles.get("weight"), "总分分值", exact=True)
                grade = _grade(row, roles.get("grade"))
                continue
            if cell_l1:
                l1 = cell_l1
                weight_m = _L1_WEIGHT.search(cell_l1)
                head_w = None
                if weight_m is not None:
                    q = parse_quantity(weight_m.group(1))
                    if q is not None:
                        head_w = make_figure(
                            q,
                            row.block_index,
                            row.block,
                            label=f"{_l1_name(l1)}分值",
                            exact=True,
                            location=row.location(roles["l1"]),
                            excerpt=_excerpt(row, roles["l1"]),
                        )
                groups.append((_l1_name(l1), None, [], head_w))
            name_col = roles.get("l3", roles.get("l2"))
            name = cells[name_col] if name_col is not None and name_col < len(cells) else ""
            w = _fig(row, roles.get("weight"), f"{name}分值", exact=True)
            s = _fig(row, roles.get("score"), f"{name}得分")
            if w is None and s is None:
                continue
            if not groups:
                groups.append(("", None, [], None))
            reason_col = roles.get("reason")
            has_reason = True
            if reason_col is not None:
                has_reason = reason_col < len(cells) and cells[reason_col].strip() not in _BLANK
            anchor = s or w
            assert anchor is not None
            line = anchored_line(name or l1, anchor, w, s, has_reason=has_reason, source="table")
            g_name, _, items, head_w = groups[-1]
            # A subtotal cell reads 小计 or 合计: a row without 计 anywhere has none.
            subtotal = "计" in compact and any(_SUBTOTAL.match(text.replace(" ", "")) for text in cells)
            if subtotal:
                line = replace(line, name=g_name or line.name)
            if (not name and cell_l1) or subtotal:
                groups[-1] = (g_name, line, items, head_w)  # the first-level row's own subtotal
            else:
                items.append(line)
            target_col = roles.get("target")
            if target_col is not None and target_col < len(cells):
                target = _target(row, target_col, name)
                if target is not None:
                    yield target
    yield from _money_claims(money_rows, money_header, unit)
    built: list[ScoreGroup] = [exec_group] if exec_group is not None else []
    for g_name, stated_head, items, head_w in groups:
        if stated_head is None:
            anchor = head_w or (items[0].weight if items else None)
            head = ScoreLine(
                g_name,
                anchor.block_index if anchor else 0,
                anchor.place if anchor else fixed_place(Location(), ""),
                head_w,
                None,
                source="table",
            )
        else:
            head = (
                stated_head
                if stated_head.weight is not None or head_w is None
                else replace(stated_head, weight=head_w)
            )
        group = ScoreGroup(head, tuple(items))
        built.append(group)
        if items:
            yield group
    if total is not None or len(built) > 1 or grade is not None:
        g, g_loc, g_excerpt = grade if grade is not None else ("", Location(), "")
        yield ScoreTotal(total, tuple(built), g, g_loc, g_excerpt, total_weight=total_weight)


def _grade(row: _Row, grade_col: int | None) -> tuple[str, Location, str] | None:
    """The grade written on a 总分 row: "等级：优" in any cell, or a bare grade word under a 等级 header."""
    for j, text in enumerate(row.texts):
        m = GRADE_RE.search(text)
        if m is not None:
            return m.group("g"), row.location(j), _excerpt(row, j)
    if grade_col is not None and grade_col < len(row.texts):
        word = row.texts[grade_col].strip().strip('“”"')
        if word in GRADE_WORDS:
            return word, row.location(grade_col), _excerpt(row, grade_col)
    return None


def _l1_name(text: str) -> str:
    return _L1_WEIGHT.sub("", text).strip()


def _without_qizhong(label: str) -> str:
    """``label`` without a leading 其中 ("其中：财政拨款"), as ``re.sub(r"^其中[:：]?", "", label)``."""
    if not label.startswith("其中"):
        return label
    return label[3:] if label[2:3] in (":", "：") else label[2:]


def _row_kind(label: str) -> tuple[str, str]:
    if _TOTAL_ROW.search(label):
        return "total", "总"
    for word, scope in _NATURE_ROW:
        if word in label:
            return "nature", scope
    for word, scope in _SOURCE_ROW:
        if word in label:
            return "source", scope
    exact = _SOURCE_EXACT.get(label.strip("：:"))
    if exact is not None:
        return "source", exact
    return "", ""


def _as_percent(rate: Figure, num: Figure | None, den: Figure | None) -> Figure | None:
    """A 执行率 cell as a percentage figure, or None when it cannot be told what it is.

    "98.72%" is one. A bare number under a 执行率 header may be a percentage ("98.72") or a fraction
    ("0.9872", "1.0235" for 102.35%): the row's own amounts decide which reading is nearer to 执行数 ÷
    预算数; without them a number above 1 is read as a percentage and one of 1 or less is not read."""
    q = rate.quantity
    if q.unit == "%":
        return rate
    if q.unit != "" or q.kind != "number":
        return None
    fraction = q.value <= 1
    if num is not None and den is not None and den.wan != 0:
        ratio = num.wan / den.wan * HUNDRED
        fraction = abs(q.value * HUNDRED - ratio) < abs(q.value - ratio)
    elif fraction:
        return None
    if not fraction:
        return replace(rate, quantity=q._replace(unit="%"))
    exponent = q.value.as_tuple().exponent
    assert isinstance(exponent, int)
    as_percent = q._replace(
        value=q.value.scaleb(2),
        unit="%",
        decimals=max(0, -(exponent + 2)),
        interval=q.interval.scale(HUNDRED),
    )
    return replace(rate, quantity=as_percent, interval=as_percent.interval)


def _money_claims(rows: list[tuple[str, str, _Row]], roles: dict[str, int], unit: str) -> Iterable[Claim]:
    if not rows:
        return
    measures = [m for m in ("年初预算", "全年预算", "执行数") if m in roles]
    figs: dict[tuple[str, str], Figure] = {}
    kinds: dict[str, list[str]] = {"source": [], "nature": []}
    for kind, scope, row in rows:
        if kind in kinds and scope not in kinds[kind]:
            kinds[kind].append(scope)
        for m in measures:
            if (m, scope) in figs:
                continue  # only a scope's first row counts
            f = _fig(row, roles[m], f"{_SCOPE_LABEL.get(scope, scope)}{m}", unit=unit)
            if f is not None:
                figs[(m, scope)] = f
                yield BudgetFact(m, scope, f, source="table")
        if "rate" in roles:
            rate_claim = _rate_claim(row, roles, scope, unit)
            if rate_claim is not None:
                yield rate_claim
    for m in measures:
        total = figs.get((m, "总"))
        if total is None:
            continue
        for kind in ("source", "nature"):
            present = [figs[(m, s)] for s in kinds[kind] if (m, s) in figs]
            if not present:
                continue
            exhaustive = len(kinds[kind]) >= 2
            if len(present) < 2 and not exhaustive:
                continue
            how = "表格来源" if kind == "source" else "表格性质"
            yield SumClaim(total, tuple(present), exhaustive, how, f"年度资金总额{m}")


def _rate_claim(row: _Row, roles: dict[str, int], scope: str, unit: str) -> RateClaim | None:
    """The row's 执行率 with the 执行数 and 预算数 it is the ratio of; None unless all are there."""
    rate = _fig(row, roles["rate"], f"{scope}执行率")
    if rate is None:
        return None
    num = _fig(row, roles.get("执行数"), f"{scope}执行数", unit=unit)
    if num is None:
        return None
    dens = [
        f
        for f in (
            _fig(row, roles.get("全年预算"), f"{scope}全年预算", unit=unit),
            _fig(row, roles.get("年初预算"), f"{scope}年初预算", unit=unit),
        )
        if f is not None
    ]
    if not dens:
        return None
    percent = _as_percent(rate, num, dens[0])
    return None if percent is None else RateClaim(percent, num, tuple(dens), "执行率")


def _target(row: _Row, j: int, name: str) -> IndicatorTarget | None:
    text = row.texts[j].strip()
    q = parse_quantity(text)
    if q is None or q.kind != "number":
        return None
    return IndicatorTarget(
        name=name,
        target=text,
        place=Place(None, source=row, key=j),
        missing_unit=q.unit == "" and not unit_in_name(name),
        missing_nature=q.comparator == "" and not q.approximate,
    )
