"""The 自评表 (and 基础数据表) as an .xlsx report: what a unit prints and files (domain.md §5).

Every figure the program computes that Excel can recompute is a formula — 执行率, 预算执行率得分, 小计,
总分, 等级 — and carries its computed value as well (see ``jixiao.report.xlsx_cells``), so the file shows the same
numbers in Excel, in WPS, in a previewer that never recalculates, and to ``openpyxl`` with
``data_only=True``. Indicator scores stay plain values: the framework's scoring methods (steps,
reverse ratios, tiers chosen by the unit) are not Excel formulas a reviewer could follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.decimals import ZERO, decimals_of, fmt
from jixiao.core.output import write_bytes
from jixiao.model import sheet_layout as L
from jixiao.model.evaluation import Evaluation, Funds
from jixiao.model.money import MoneyRow, money_view
from jixiao.model.scoring import IndicatorScore, Scored
from jixiao.report.compose import actual_text, target_text
from jixiao.report.placeholders import weight_mismatch_note
from jixiao.report.xlsx_cells import (
    CENTER,
    HEAD,
    LEFT,
    RIGHT,
    FormulaCache,
    a4_landscape,
    body_font,
    fit_row_heights,
    number_format,
    put_formula,
    put_number,
    put_text,
    save_with_cache,
    style_range,
    title_font,
)


def write_report_workbook(scored: Scored, path: Path) -> None:
    """Write the report workbook to ``path`` (atomically; the caller decides whether replacing is allowed)."""
    write_bytes(path, report_workbook_bytes(scored), force=True)


REPORT_KEYWORD = "jixiao:report"  # marks an output workbook, so reading it as input can say what it is


def report_workbook_bytes(scored: Scored) -> bytes:
    wb = Workbook()
    wb.properties.keywords = REPORT_KEYWORD
    cache = FormulaCache()
    ws = wb.active
    assert ws is not None
    ws.title = L.SELF_EVAL
    _self_eval(ws, scored, cache)
    ev = scored.evaluation
    if ev.basic_data or ev.unit.staff_quota is not None or ev.unit.staff_actual is not None:
        _basic_data(wb.create_sheet(L.BASIC_DATA), ev, cache)
    for sheet in wb.worksheets:
        fit_row_heights(sheet)
    return save_with_cache(wb, cache)


# ---------------------------------------------------------------- helpers


def _rate(funds: Funds | MoneyRow | None) -> Decimal | None:
    """执行率 as a fraction (the cell is formatted 0.00%); None when Excel's formula gives ""."""
    if funds is None or funds.executed is None or funds.annual is None or funds.annual == 0:
        return None
    return funds.executed / funds.annual


def _rate_formula(executed: str, annual: str) -> str:
    return f'=IF(OR({executed}="",{annual}="",{annual}=0),"",{executed}/{annual})'


def _height(text: str, chars_per_line: int, base: float = 20) -> float:
    lines = sum(max(1, -(-len(part) // max(chars_per_line, 1))) for part in text.split("\n")) if text else 1
    return max(base, 15.0 * lines + 4)


def _merge(ws: Worksheet, cells: str, value: object, **style: object) -> None:
    first = cells.split(":")[0]
    if isinstance(value, str):
        put_text(ws, first, value)
    else:
        ws[first].value = value
    if ":" in cells and cells.split(":")[0] != cells.split(":")[1]:
        ws.merge_cells(cells)
    style_range(ws, cells, **style)  # type: ignore[arg-type]


def remark_text(item: IndicatorScore) -> str:
    ind = item.indicator
    parts = []
    if ind.deviation_reason:
        parts.append(f"偏差原因：{ind.deviation_reason}")
    if ind.improvement:
        parts.append(f"改进措施：{ind.improvement}")
    return "\n".join(parts)


# ---------------------------------------------------------------- 自评表


def _self_eval(ws: Worksheet, scored: Scored, cache: FormulaCache) -> None:
    ev = scored.evaluation
    font, bold = body_font(size=10), body_font(size=10, bold=True)
    for col in L.REPORT_COLUMNS:
        ws.column_dimensions[col.letter].width = col.width
    _merge(
        ws,
        "A1:H1",
        f"{ev.unit.name}{ev.unit.year}年度部门整体支出绩效自评表",
        font=title_font(16),
        align=CENTER,
        border=False,
    )
    ws.row_dimensions[1].height = 36
    _merge(ws, "A2:E2", f"单位名称（盖章）：{ev.unit.name}", font=font, align=LEFT, border=False)
    _merge(ws, "F2:H2", f"金额单位：{ev.amount_unit}", font=font, align=RIGHT, border=False)

    # money block
    h = 3
    _merge(ws, f"A{h}:B{h}", "项目", font=bold, align=CENTER, fill=HEAD)
    for letter, text in zip(L.REPORT_MONEY_LETTERS, L.REPORT_MONEY_HEADERS, strict=True):
        _merge(ws, f"{letter}{h}", text, font=bold, align=CENTER, fill=HEAD)
    budget = ev.budget
    total_row = h + 1
    _merge(ws, f"A{total_row}:B{total_row}", "年度资金总额", font=bold, align=CENTER)
    # The total as every other format prints it: the sum of the parts where the typed figure does not
    # add up (model/money.py), the typed figure kept in a cell comment (the .docx says it in the text).
    shown = money_view(ev).row("total")
    _money_values(ws, total_row, shown if shown is not None else budget.total, cache, font)
    if shown is not None and shown.typed is not None:
        for column in shown.replaced:
            letter = dict(zip(("initial", "annual", "executed"), ("C", "D", "E"), strict=True))[column]
            typed = getattr(shown.typed, column)
            ws[f"{letter}{total_row}"].comment = Comment(
                f"按分项之和列示；填报数{fmt(typed)}{ev.amount_unit}，与分项之和不符", "jixiao"
            )
    fw = scored.framework
    if fw.execution is not None:
        put_number(ws, f"F{total_row}", scored.execution_weight)
        cap = "MIN(MAX(G{r},0),1)" if fw.execution.cap else "MAX(G{r},0)"
        formula = f'=IF(G{total_row}="",0,ROUND({cap.format(r=total_row)}*F{total_row},2))'
        put_formula(ws, f"H{total_row}", formula, scored.execution_score, cache)
        ws[f"H{total_row}"].number_format = L.SCORE_FORMAT
    r = total_row + 1
    sources = [s for s in L.REPORT_SOURCES] + [s for s in budget.by_source if s not in L.REPORT_SOURCES]
    groups: list[tuple[str, list[tuple[str, Funds | None]]]] = [
        ("其中：按来源", [(s, budget.by_source.get(s)) for s in sources]),  # type: ignore[call-overload]
        (
            "按性质",
            [("基本支出", budget.basic)]
            + ([("其中：人员经费", budget.personnel)] if budget.personnel is not None else [])
            + ([("其中：日常公用经费", budget.public)] if budget.public is not None else [])
            + [("项目支出", budget.project)],
        ),
    ]
    for head, rows in groups:
        _merge(ws, f"A{r}:A{r + len(rows) - 1}", head, font=bold, align=CENTER)
        for label, funds in rows:
            _merge(ws, f"B{r}", label, font=font, align=LEFT)
            _money_values(ws, r, funds, cache, font)
            r += 1
    style_range(ws, f"C{h + 1}:H{r - 1}", font=font, align=RIGHT)

    # goals
    g = r
    _merge(ws, f"A{g}:A{g + 1}", "年度总体目标", font=bold, align=CENTER)
    _merge(ws, f"B{g}:E{g}", "预期目标", font=bold, align=CENTER, fill=HEAD)
    _merge(ws, f"F{g}:H{g}", "实际完成情况", font=bold, align=CENTER, fill=HEAD)
    _merge(ws, f"B{g + 1}:E{g + 1}", ev.goals.expected, font=font, align=LEFT)
    _merge(ws, f"F{g + 1}:H{g + 1}", ev.goals.achieved, font=font, align=LEFT)
    ws.row_dimensions[g + 1].height = max(_height(ev.goals.expected, 30), _height(ev.goals.achieved, 30))

    # indicators
    hdr = g + 2
    for col in L.REPORT_COLUMNS:
        _merge(ws, f"{col.letter}{hdr}", col.header, font=bold, align=CENTER, fill=HEAD)
    r = hdr + 1
    subtotal_rows: list[int] = []
    weight_total = (scored.execution_weight if fw.execution is not None else ZERO) + sum(
        (l1.weight for l1 in ev.indicators), ZERO
    )
    by_group: dict[str, list[IndicatorScore]] = {}
    for item in scored.indicators:
        by_group.setdefault(item.path.rsplit(".indicators.", 1)[0], []).append(item)
    for i, l1 in enumerate(ev.indicators):
        first1 = r
        for j, l2 in enumerate(l1.groups):
            items = by_group.get(f"indicators.{i}.groups.{j}", [])
            first2 = r
            for item in items:
                _indicator_row(ws, r, item, font)
                r += 1
            if not items:
                style_range(ws, f"C{r}:H{r}", font=font)
                r += 1
            _merge(ws, f"B{first2}:B{r - 1}", l2.name, font=font, align=CENTER)
        if not l1.groups:
            style_range(ws, f"B{r}:H{r}", font=font)
            r += 1
        # 小计: sums of what is printed above, as formulas
        _merge(ws, f"B{r}:E{r}", "小计", font=bold, align=CENTER)
        weights = sum(
            (
                it.weight
                for j in range(len(l1.groups))
                for it in by_group.get(f"indicators.{i}.groups.{j}", [])
            ),
            ZERO,
        )
        if weights == l1.weight:
            put_formula(ws, f"F{r}", f"=SUM(F{first1}:F{r - 1})", weights, cache)
        else:
            # The data's own 分值 does not add up (S201): print it as stated, as every other format does
            # (the total 分值 then agrees across formats), and say what the items add up to.
            put_number(ws, f"F{r}", l1.weight)
            put_text(ws, f"H{r}", weight_mismatch_note(l1.name, l1.weight, weights))
        put_formula(ws, f"G{r}", f"=SUM(G{first1}:G{r - 1})", scored.level1[i].score, cache)
        ws[f"F{r}"].number_format = ws[f"G{r}"].number_format = L.SCORE_FORMAT
        style_range(ws, f"F{r}:G{r}", font=bold, align=RIGHT)
        style_range(ws, f"H{r}", font=body_font(size=9), align=LEFT)
        if weights != l1.weight:
            ws.row_dimensions[r].height = _height(str(ws[f"H{r}"].value), 18)
        subtotal_rows.append(r)
        _merge(ws, f"A{first1}:A{r}", l1.name, font=bold, align=CENTER)
        r += 1

    # 总分 and 等级
    total = r
    _merge(ws, f"A{total}:E{total}", "总分", font=bold, align=CENTER)
    parts_f = ([f"F{total_row}"] if fw.execution is not None else []) + [f"F{x}" for x in subtotal_rows]
    parts_g = ([f"H{total_row}"] if fw.execution is not None else []) + [f"G{x}" for x in subtotal_rows]
    put_formula(ws, f"F{total}", "=SUM(" + ",".join(parts_f) + ")" if parts_f else "=0", weight_total, cache)
    put_formula(ws, f"G{total}", "=SUM(" + ",".join(parts_g) + ")" if parts_g else "=0", scored.total, cache)
    ws[f"F{total}"].number_format = ws[f"G{total}"].number_format = L.SCORE_FORMAT
    style_range(ws, f"F{total}:H{total}", font=bold, align=RIGHT)
    grade = total + 1
    _merge(ws, f"A{grade}:E{grade}", "等级", font=bold, align=CENTER)
    _merge(ws, f"F{grade}:H{grade}", None, font=bold, align=CENTER)
    put_formula(
        ws,
        f"F{grade}",
        _grade_formula(f"G{total}", [(g.name, g.min) for g in fw.grades]),
        scored.grade,
        cache,
    )
    note = total + 3
    _merge(
        ws,
        f"A{note}:H{note}",
        f"注：评价框架 {fw.title}（{fw.name}）。执行率、得分合计、总分和等级为公式，数值由 jixiao 计算并一并写入。",
        font=body_font(size=9),
        align=LEFT,
        border=False,
    )
    a4_landscape(ws, title_rows=f"{hdr}:{hdr}")


def _money_values(
    ws: Worksheet, r: int, funds: Funds | MoneyRow | None, cache: FormulaCache, font: object
) -> None:
    for key, letter in zip(("initial", "annual", "executed"), ("C", "D", "E"), strict=True):
        put_number(ws, f"{letter}{r}", getattr(funds, key) if funds else None)
    put_formula(ws, f"G{r}", _rate_formula(f"E{r}", f"D{r}"), _rate(funds), cache)
    ws[f"G{r}"].number_format = L.RATE_FORMAT


def _indicator_row(ws: Worksheet, r: int, item: IndicatorScore, font: object) -> None:
    ind = item.indicator
    put_text(ws, f"C{r}", ind.name)
    put_text(ws, f"D{r}", target_text(item, missing=""))
    put_text(ws, f"E{r}", actual_text(item, missing=""))
    put_number(ws, f"F{r}", item.weight)
    ws[f"G{r}"].value = item.score  # always two decimals (scoring rounds once, half up)
    ws[f"G{r}"].number_format = L.SCORE_FORMAT
    remark = remark_text(item)
    put_text(ws, f"H{r}", remark)
    style_range(ws, f"C{r}:E{r}", font=font, align=LEFT)
    style_range(ws, f"F{r}:G{r}", font=font, align=RIGHT)
    style_range(ws, f"H{r}", font=font, align=LEFT)
    ws.row_dimensions[r].height = max(_height(ind.name, 12), _height(remark, 18))


def _grade_formula(score_ref: str, grades: Sequence[tuple[str, Decimal]]) -> str:
    """Nested IF from the framework's grade bands (highest first; the last band has min 0)."""
    expr = f'"{grades[-1][0]}"'
    for name, low in reversed(grades[:-1]):
        expr = f'IF({score_ref}>={fmt(low)},"{name}",{expr})'
    return "=" + expr


# ---------------------------------------------------------------- 基础数据表


def _basic_data(ws: Worksheet, ev: Evaluation, cache: FormulaCache) -> None:
    font, bold = body_font(size=10), body_font(size=10, bold=True)
    widths = {"A": 14, "B": 30, "C": 14, "D": 14, "E": 14, "F": 16}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    _merge(
        ws,
        "A1:F1",
        f"{ev.unit.name}{ev.unit.year}年度基础数据表",
        font=title_font(16),
        align=CENTER,
        border=False,
    )
    ws.row_dimensions[1].height = 36
    _merge(ws, "A2:F2", f"金额单位：{ev.amount_unit}", font=font, align=RIGHT, border=False)
    q, a = ev.unit.staff_quota, ev.unit.staff_actual
    _merge(ws, "A3", "编制数", font=bold, align=CENTER, fill=HEAD)
    _merge(ws, "B3", q, font=font, align=RIGHT)
    _merge(ws, "C3", "实际在职人数", font=bold, align=CENTER, fill=HEAD)
    _merge(ws, "D3", a, font=font, align=RIGHT)
    _merge(ws, "E3", "在职人员控制率", font=bold, align=CENTER, fill=HEAD)
    control = None if q in (None, 0) or a is None else Decimal(a) / Decimal(q)
    put_formula(ws, "F3", _rate_formula("D3", "B3"), control, cache)
    style_range(ws, "F3", font=font, align=RIGHT)
    ws["F3"].number_format = L.RATE_FORMAT
    h = 5
    headers = ("类别", "项目", "上年决算数", "本年预算数", "本年决算数", "本年决算较上年增减")
    for letter, text in zip("ABCDEF", headers, strict=True):
        _merge(ws, f"{letter}{h}", text, font=bold, align=CENTER, fill=HEAD)
    r = h + 1
    runs: list[tuple[str, list[int]]] = []
    for line in ev.basic_data:
        if not runs or runs[-1][0] != line.category or not line.category:
            runs.append((line.category, []))
        runs[-1][1].append(len(runs[-1][1]))
    idx = 0
    for category, members in runs:
        first = r
        lines = ev.basic_data[idx : idx + len(members)]
        idx += len(members)
        for line in lines:
            put_text(ws, f"B{r}", line.name)
            for key, letter in (("previous", "C"), ("budget", "D"), ("final", "E")):
                put_number(ws, f"{letter}{r}", getattr(line, key))
            change = None
            if line.final is not None and line.previous is not None and line.previous != 0:
                change = (line.final - line.previous) / line.previous
            put_formula(ws, f"F{r}", f'=IF(OR(C{r}="",E{r}="",C{r}=0),"",(E{r}-C{r})/C{r})', change, cache)
            ws[f"F{r}"].number_format = L.RATE_FORMAT
            style_range(ws, f"B{r}", font=font, align=LEFT)
            style_range(ws, f"C{r}:F{r}", font=font, align=RIGHT)
            r += 1
        if category and len(lines) > 1:
            _merge(ws, f"B{r}", "小计", font=bold, align=CENTER)
            for key, letter in (("previous", "C"), ("budget", "D"), ("final", "E")):
                values = [getattr(x, key) for x in lines if getattr(x, key) is not None]
                if values:  # SUM of blank cells would print 0 where nothing was stated
                    subtotal = sum(values, ZERO)
                    put_formula(ws, f"{letter}{r}", f"=SUM({letter}{first}:{letter}{r - 1})", subtotal, cache)
                    ws[f"{letter}{r}"].number_format = number_format(max(values, key=decimals_of))
            style_range(ws, f"C{r}:F{r}", font=bold, align=RIGHT)
            r += 1
        _merge(ws, f"A{first}:A{r - 1}", category, font=bold, align=CENTER)
    a4_landscape(ws, title_rows=f"{h}:{h}")


__all__ = ["report_workbook_bytes", "write_report_workbook"]
