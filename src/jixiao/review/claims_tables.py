"""Claims in 自评表-like tables: the money block and the indicator block.

Tables come from table blocks (docx, html, markdown pipes) or, in plain text, from runs of
tab-separated lines (read from ``Block.raw``, which keeps the tabs). Columns are recognised by their
header text, never by position: 年初预算数 全年预算数 全年执行数 分值 执行率 得分 for money;
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因… for indicators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from jixiao.decimals import HUNDRED
from jixiao.findings import Location
from jixiao.review.claims_model import (
    BudgetFact,
    Claim,
    ExecutionScore,
    Figure,
    IndicatorTarget,
    RateClaim,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    SumClaim,
    anchored_line,
    make_figure,
)
from jixiao.review.claims_scores import GRADE_RE, GRADE_WORDS
from jixiao.review.document import Block, Document, new_location
from jixiao.review.normalize import may_change, normalize_text
from jixiao.review.quantities import new_quantity, parse_quantity

__all__ = ["extract_table_claims"]


class _Cell:
    """One cell's text and place. A plain-text row's cell builds its ``Location`` only when asked: most
    cells never become a figure, and a frozen dataclass per cell was a fifth of the table reader's time."""

    __slots__ = ("_location", "_where", "block_index", "text")

    def __init__(
        self,
        text: str,
        location: Location | None,
        block_index: int,
        where: tuple[str, int, int, int, int] | None = None,
    ) -> None:
        self.text = text
        self.block_index = block_index
        self._location = location
        self._where = where  # (path, line, table, row, col) when the location is built lazily

    @property
    def location(self) -> Location:
        if self._location is None:
            path, line, table, row, col = self._where or ("", 0, 0, 0, 0)
            self._location = new_location(path=path, line=line, table=table, row=row, col=col)
        return self._location


_Row = list[_Cell]

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
_TOTAL_ROW = re.compile(r"年度资金总额|资金总额|^合计$|^总计$|^总额$|资金合计")  # 总额: Sichuan's 自评表
_SOURCE_ROW: tuple[tuple[str, str], ...] = (
    ("财政拨款", "财政拨款"),
    ("一般公共预算", "一般公共预算"),
    ("政府性基金", "政府性基金"),
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
_SUBTOTAL = re.compile(r"^(?:小计|合计)[:：]?$")  # a first-level indicator's own row after its items
_L1_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[）)]")


# Stands for the tab between cells in the test above: a control character no normalisation pass touches,
# so a match can only lie inside one cell, never across two.
_CELL_GAP = "\x1f"


def _tables(document: Document) -> list[list[_Row]]:
    grids: list[list[_Row]] = []
    run: list[_Row] = []
    number = 0
    for index, block in enumerate(document.blocks):
        if block.table is not None:
            if run:
                grids.append(run)
                run = []
            grids.append([[_Cell(c.text, c.location, index) for c in row] for row in block.table.rows])
            continue
        raw_lines = (block.raw or block.text).split("\n")
        first = block.location.line or 1
        for i, raw in enumerate(raw_lines):
            cells = raw.split("\t")
            if len(cells) >= 3 and sum(1 for c in cells if c.strip()) >= 2:
                if not run:
                    number += 1
                r = len(run) + 1
                path = block.location.path
                # A cell is a stretch of its line: when nothing in the line (tabs aside) could be
                # rewritten, no cell can be, and normalising each one would return it unchanged.
                texts = (
                    [c.strip() for c in cells]
                    if not may_change(raw.replace("\t", _CELL_GAP))
                    else [normalize_text(c).strip() for c in cells]
                )
                run.append(
                    [
                        _Cell(text, None, index, (path, first + i, number, r, j))
                        for j, text in enumerate(texts, start=1)
                    ]
                )
            elif raw.strip() and run:
                grids.append(run)
                run = []
    if run:
        grids.append(run)
    return grids


# Any column word of either kind: a row holding none (most rows: figures and names) is no header row.
_ANY_COLUMN = re.compile("|".join(re.escape(w) for w, _ in _MONEY_COLS + _INDICATOR_COLS))


def _roles(row: _Row, columns: tuple[tuple[str, str], ...], texts: list[str] | None = None) -> dict[str, int]:
    """Column index of each role named in ``row``. ``texts``: the cells' texts without spaces."""
    found: dict[str, int] = {}
    if texts is None:
        texts = [cell.text.replace(" ", "") for cell in row]
    for j, text in enumerate(texts):
        for word, role in columns:
            if word in text and role not in found:
                found[role] = j
                break
    return found


def _excerpt(row: _Row, j: int) -> str:
    return " | ".join([("【" + c.text + "】") if k == j else c.text for k, c in enumerate(row) if c.text])


def _fig(
    row: _Row, j: int | None, document: Document, label: str, *, unit: str = "", exact: bool = False
) -> Figure | None:
    if j is None or j >= len(row):
        return None
    cell = row[j]
    text = cell.text.strip()
    if text in _BLANK:
        return None
    q = parse_quantity(text)
    if q is None or q.kind != "number":
        return None
    if unit and q.unit == "":
        # The header's unit; built directly (dataclasses.replace is several times slower).
        q = new_quantity(
            q.value,
            q.text,
            q.start,
            q.end,
            unit,
            q.decimals,
            q.approximate,
            q.qualifier,
            q.interval,
            q.comparator,
            q.kind,
            q.upper,
        )
    block: Block = document.blocks[cell.block_index]
    return make_figure(
        q,
        cell.block_index,
        block,
        label=label,
        exact=exact or (label.endswith("得分") and q.decimals == 0),
        location_of=lambda: cell.location,
        excerpt_of=lambda: _excerpt(row, j),
    )


def extract_table_claims(document: Document) -> list[Claim]:
    out: list[Claim] = []
    for grid in _tables(document):
        out.extend(_one_table(grid, document))
    return out


def _one_table(grid: list[_Row], document: Document) -> Iterable[Claim]:
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
        texts = [cell.text.replace(" ", "") for cell in row]
        if _ANY_COLUMN.search("\t".join(texts)) is None:
            money_roles: dict[str, int] = {}
            ind_roles: dict[str, int] = {}
        else:
            money_roles = _roles(row, _MONEY_COLS, texts)
            ind_roles = _roles(row, _INDICATOR_COLS, texts)
        if len([r for r in ind_roles if r in ("l1", "l2", "l3", "target", "actual")]) >= 2:
            mode, roles = "indicator", ind_roles
            continue
        if len([r for r in money_roles if r in ("年初预算", "全年预算", "执行数")]) >= 2:
            mode, roles = "money", money_roles
            money_header = money_roles
            if any("（元）" in c.text or "(元)" in c.text for c in row):
                unit = "元"
            continue
        if mode == "money":
            first_num = min(roles.values())
            label = "".join(c.text for c in row[:first_num]).replace(" ", "")
            label = re.sub(r"^其中[:：]?", "", label)
            kind, scope = _row_kind(label)
            if kind:
                money_rows.append((kind, scope, row))
            if kind == "total" and "weight" in roles and "score" in roles:
                w = _fig(row, roles.get("weight"), document, "预算执行率分值", exact=True)
                s = _fig(row, roles.get("score"), document, "预算执行率得分")
                if w is not None or s is not None:
                    anchor = s or w
                    assert anchor is not None
                    head = anchored_line("预算执行率", anchor, w, s, source="table")
                    exec_group = ScoreGroup(head)
                    stated_rate = _fig(row, roles.get("rate"), document, "预算执行率")
                    rate = None
                    if stated_rate is not None:
                        done = _fig(row, roles.get("执行数"), document, "执行数", unit=unit)
                        budget = _fig(row, roles.get("全年预算"), document, "全年预算", unit=unit)
                        rate = _as_percent(stated_rate, done, budget)
                    if rate is not None and w is not None and s is not None:
                        yield ExecutionScore(head, (rate,))
        elif mode == "indicator":
            cell_l1 = row[roles["l1"]].text if "l1" in roles and roles["l1"] < len(row) else ""
            first_text = next((c.text for c in row if c.text), "")
            if re.match(r"^(总分|合计|总计)", first_text.replace(" ", "")):
                total = _fig(row, roles.get("score"), document, "总分")
                total_weight = _fig(row, roles.get("weight"), document, "总分分值", exact=True)
                grade = _grade(row, roles.get("grade"))
                continue
            if cell_l1:
                l1 = cell_l1
                weight_m = _L1_WEIGHT.search(cell_l1)
                head_w = None
                if weight_m is not None:
                    q = parse_quantity(weight_m.group(1))
                    cell = row[roles["l1"]]
                    if q is not None:
                        head_w = make_figure(
                            q,
                            cell.block_index,
                            document.blocks[cell.block_index],
                            label=f"{_l1_name(l1)}分值",
                            exact=True,
                            location=cell.location,
                            excerpt=_excerpt(row, roles["l1"]),
                        )
                groups.append((_l1_name(l1), None, [], head_w))
            name_col = roles.get("l3", roles.get("l2"))
            name = row[name_col].text if name_col is not None and name_col < len(row) else ""
            w = _fig(row, roles.get("weight"), document, f"{name}分值", exact=True)
            s = _fig(row, roles.get("score"), document, f"{name}得分")
            if w is None and s is None:
                continue
            if not groups:
                groups.append(("", None, [], None))
            reason_col = roles.get("reason")
            has_reason = True
            if reason_col is not None:
                has_reason = reason_col < len(row) and row[reason_col].text.strip() not in _BLANK
            anchor = s or w
            assert anchor is not None
            line = anchored_line(name or l1, anchor, w, s, has_reason=has_reason, source="table")
            g_name, _, items, head_w = groups[-1]
            subtotal = any(_SUBTOTAL.match(c.text.replace(" ", "")) for c in row)
            if subtotal:
                line = replace(line, name=g_name or line.name)
            if (not name and cell_l1) or subtotal:
                groups[-1] = (g_name, line, items, head_w)  # the first-level row's own subtotal
            else:
                items.append(line)
            target_col = roles.get("target")
            if target_col is not None and target_col < len(row):
                target = _target(row, target_col, name)
                if target is not None:
                    yield target
    yield from _money_claims(money_rows, money_header, document, unit)
    built: list[ScoreGroup] = [exec_group] if exec_group is not None else []
    for g_name, stated_head, items, head_w in groups:
        if stated_head is None:
            anchor = head_w or (items[0].weight if items else None)
            loc = anchor.location if anchor else Location()
            head = ScoreLine(
                g_name,
                anchor.block_index if anchor else 0,
                loc,
                anchor.excerpt if anchor else "",
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
    for j, cell in enumerate(row):
        m = GRADE_RE.search(cell.text)
        if m is not None:
            return m.group("g"), cell.location, _excerpt(row, j)
    if grade_col is not None and grade_col < len(row):
        word = row[grade_col].text.strip().strip('“”"')
        if word in GRADE_WORDS:
            return word, row[grade_col].location, _excerpt(row, grade_col)
    return None


def _l1_name(text: str) -> str:
    return _L1_WEIGHT.sub("", text).strip()


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
        return replace(rate, quantity=replace(q, unit="%"))
    exponent = q.value.as_tuple().exponent
    assert isinstance(exponent, int)
    as_percent = replace(
        q,
        value=q.value.scaleb(2),
        unit="%",
        decimals=max(0, -(exponent + 2)),
        interval=q.interval.scale(HUNDRED),
    )
    return replace(rate, quantity=as_percent, interval=as_percent.interval)


def _money_claims(
    rows: list[tuple[str, str, _Row]], roles: dict[str, int], document: Document, unit: str
) -> Iterable[Claim]:
    if not rows:
        return
    measures = [m for m in ("年初预算", "全年预算", "执行数") if m in roles]
    figs: dict[tuple[str, str], Figure] = {}
    kinds: dict[str, list[str]] = {"source": [], "nature": []}
    for kind, scope, row in rows:
        if kind in kinds and scope not in kinds[kind]:
            kinds[kind].append(scope)
        for m in measures:
            f = _fig(row, roles[m], document, f"{_SCOPE_LABEL.get(scope, scope)}{m}", unit=unit)
            if f is not None and (m, scope) not in figs:
                figs[(m, scope)] = f
                yield BudgetFact(m, scope, f, source="table")
        if "rate" in roles:
            rate = _fig(row, roles["rate"], document, f"{scope}执行率")
            num = _fig(row, roles.get("执行数"), document, f"{scope}执行数", unit=unit)
            dens = [
                f
                for f in (
                    _fig(row, roles.get("全年预算"), document, f"{scope}全年预算", unit=unit),
                    _fig(row, roles.get("年初预算"), document, f"{scope}年初预算", unit=unit),
                )
                if f is not None
            ]
            rate = _as_percent(rate, num, dens[0] if dens else None) if rate is not None else None
            if rate is not None and num is not None and dens:
                yield RateClaim(rate, num, tuple(dens), "执行率")
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


def _target(row: _Row, j: int, name: str) -> IndicatorTarget | None:
    text = row[j].text.strip()
    q = parse_quantity(text)
    if q is None or q.kind != "number":
        return None
    return IndicatorTarget(
        name=name,
        target=text,
        location=row[j].location,
        excerpt=_excerpt(row, j),
        missing_unit=q.unit == "",
        missing_nature=q.comparator == "" and not q.approximate,
    )
