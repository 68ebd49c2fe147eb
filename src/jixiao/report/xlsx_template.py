"""The fill-in workbook (``jixiao template FILE.xlsx``): what a unit types in Excel, read back by ``reader.py``.

Sheets: 自评表 (header fields, money block, goals, indicator table), 基础数据表, 项目明细, 叙述 (one row per
narrative item), 说明 (how to fill). Cells the program computes (执行率, 合计) are formulas on a grey
background, stored with their values (see ``jixiao.report.xlsx_cells``). Given an Evaluation, every field is
prefilled so that reading the workbook back gives the same Evaluation, decimals included.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.decimals import ZERO, dec
from jixiao.core.output import write_bytes
from jixiao.model import sheet_layout as L
from jixiao.model.evaluation import BasicLine, Evaluation, Funds, Indicator, Project
from jixiao.report.xlsx_cells import (
    CENTER,
    GREY,
    HEAD,
    LEFT,
    FormulaCache,
    a4_landscape,
    body_font,
    fit_row_heights,
    put_formula,
    put_number,
    put_text,
    save_with_cache,
    style_range,
    title_font,
)

AMOUNT_FORMAT = "0.00"  # blank money cells: 万元 amounts are usually written with two decimals


def write_template(path: str | Path, evaluation: Evaluation | None = None, *, force: bool = False) -> Path:
    """Write the fill-in workbook atomically; refuses to replace an existing file unless ``force``."""
    return write_bytes(path, template_bytes(evaluation), force=force)


def template_bytes(evaluation: Evaluation | None = None) -> bytes:
    wb = Workbook()
    cache = FormulaCache()
    ws = wb.active
    assert ws is not None
    ws.title = L.SELF_EVAL
    _self_eval(ws, evaluation, cache)
    _basic_data(wb.create_sheet(L.BASIC_DATA), evaluation, cache)
    _projects(wb.create_sheet(L.PROJECTS), evaluation, cache)
    _narrative(wb.create_sheet(L.NARRATIVE), evaluation)
    _help(wb.create_sheet(L.HELP))
    for sheet in wb.worksheets:
        fit_row_heights(sheet)
    return save_with_cache(wb, cache)


# ---------------------------------------------------------------- helpers


def numberlike(text: str) -> bool:
    """Text the reader would take for a number (so it must not sit in a number-or-text cell)."""
    try:
        dec(text)
    except (ValueError, ArithmeticError):
        return False
    return bool(text.strip())


def _decimal_validation(ws: Worksheet, cells: str) -> None:
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E+15",
        formula2="1E+15",
        allow_blank=True,
        errorStyle="warning",  # a warning, not a stop: typing '279.10 as text is allowed on purpose
        errorTitle="应填数字",
        error="这里应填阿拉伯数字（金额单位见表头）。",
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _list_validation(ws: Worksheet, cells: str, choices: tuple[str, ...], title: str) -> None:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        errorStyle="stop",
        errorTitle=title,
        error="请从下拉列表中选择：" + "、".join(choices),
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _rate_formula(part: str, whole: str) -> str:
    return f'=IF(OR({part}="",{whole}="",{whole}=0),"",{part}/{whole})'


def _rate_value(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _widths(ws: Worksheet, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _title(ws: Worksheet, text: str, last_col: str) -> None:
    ws["A1"] = text
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = title_font()
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30


def _funds(ev: Evaluation | None, path: str) -> Funds | None:
    if ev is None:
        return None
    budget = ev.budget
    key = path.removeprefix("budget.")
    if key.startswith("by_source."):
        return budget.by_source.get(key.removeprefix("by_source."))  # type: ignore[call-overload,no-any-return]
    value = getattr(budget, key)
    return value if isinstance(value, Funds) else None


# ---------------------------------------------------------------- 自评表


def _self_eval(ws: Worksheet, ev: Evaluation | None, cache: FormulaCache) -> None:
    font = body_font()
    _title(ws, L.TEMPLATE_TITLE, "M")
    values: dict[str, object] = {
        "unit.name": ev.unit.name if ev else "",
        "unit.year": ev.unit.year if ev else None,
        "unit.level": ev.unit.level if ev else "",
        "amount_unit": ev.amount_unit if ev else "万元",
        "framework": ev.framework if ev else "mof-2020",
        "budget.carry_over": ev.budget.carry_over if ev else None,
    }
    for f in L.HEADER_FIELDS:
        label = ws[f.ref]
        label.value = f.label
        style_range(ws, f.ref, font=body_font(bold=True), align=CENTER, fill=HEAD)
        row = label.row
        value_ref = f"{get_column_letter(label.column + 1)}{row}"
        value = values[f.path]
        if f.kind == "amount":
            put_number(ws, value_ref, value if isinstance(value, Decimal) else None)
            if value is None:
                ws[value_ref].number_format = AMOUNT_FORMAT
            _decimal_validation(ws, value_ref)
        elif f.kind == "int":
            ws[value_ref].value = value
        else:
            put_text(ws, value_ref, str(value or ""))
        last = value_ref
        if f.path in ("unit.name", "framework"):
            last = f"E{row}"
            ws.merge_cells(f"{value_ref}:{last}")
        style_range(ws, f"{value_ref}:{last}", font=font, align=LEFT)
        if f.path == "amount_unit":
            _list_validation(ws, value_ref, L.AMOUNT_UNITS, "金额单位")

    # money block
    r0 = L.MONEY_TITLE_ROW
    ws[f"A{r0}"] = "一、资金情况（金额单位见表头；执行率与合计自动计算，不必填写）"
    ws[f"A{r0}"].font = body_font(bold=True)
    h = L.MONEY_HEADER_ROW
    for letter, text in zip(("A", *L.MONEY_LETTERS, L.MONEY_RATE_LETTER), L.MONEY_HEADERS, strict=True):
        ws[f"{letter}{h}"] = text
    style_range(ws, f"A{h}:E{h}", font=body_font(bold=True), align=CENTER, fill=HEAD)
    rows: dict[str, int] = {}
    sums: dict[str, list[Decimal]] = {}
    for i, mrow in enumerate(L.MONEY_ROWS):
        r = h + 1 + i
        put_text(ws, f"A{r}", mrow.label)
        style_range(ws, f"A{r}", font=font, align=LEFT)
        if mrow.path:
            rows[mrow.path] = r
            funds = _funds(ev, mrow.path)
            for key, letter in zip(L.MONEY_COLUMNS, L.MONEY_LETTERS, strict=True):
                ref = f"{letter}{r}"
                put_number(ws, ref, getattr(funds, key) if funds else None)
                if ws[ref].value is None:
                    ws[ref].number_format = AMOUNT_FORMAT
            style_range(ws, f"B{r}:D{r}", font=font)
            rate = _rate_value(funds.executed, funds.annual) if funds else None
        else:
            parts = [rows[p] for p in mrow.sums]
            col_sums: list[Decimal] = []
            for key, letter in zip(L.MONEY_COLUMNS, L.MONEY_LETTERS, strict=True):
                refs = ",".join(f"{letter}{p}" for p in parts)
                total = sum(
                    (
                        v
                        for p in mrow.sums
                        if (fu := _funds(ev, p)) is not None and (v := getattr(fu, key)) is not None
                    ),
                    ZERO,
                )
                col_sums.append(total)
                put_formula(ws, f"{letter}{r}", f"=SUM({refs})", total, cache)
                ws[f"{letter}{r}"].number_format = AMOUNT_FORMAT
            sums[mrow.label] = col_sums
            style_range(ws, f"A{r}:D{r}", font=font, fill=GREY)
            rate = _rate_value(col_sums[2], col_sums[1])
        rref = f"{L.MONEY_RATE_LETTER}{r}"
        put_formula(ws, rref, _rate_formula(f"D{r}", f"C{r}"), rate, cache)
        ws[rref].number_format = L.RATE_FORMAT
        style_range(ws, rref, font=font, fill=GREY)
    first_money = h + 1
    last_money = h + len(L.MONEY_ROWS)
    _decimal_validation(ws, f"B{first_money}:D{last_money}")

    # goals
    g = last_money + 2
    ws[f"A{g}"] = f"二、{L.GOALS_TITLE}"
    ws[f"A{g}"].font = body_font(bold=True)
    for i, (label, path) in enumerate(L.GOAL_FIELDS):
        r = g + 1 + i
        put_text(ws, f"A{r}", label)
        text = getattr(ev.goals, path.removeprefix("goals.")) if ev else ""
        put_text(ws, f"B{r}", text)
        ws.merge_cells(f"B{r}:M{r}")
        style_range(ws, f"A{r}", font=body_font(bold=True), align=CENTER, fill=HEAD)
        style_range(ws, f"B{r}:M{r}", font=font, align=LEFT)
        ws.row_dimensions[r].height = 45

    # indicators
    t = g + len(L.GOAL_FIELDS) + 2
    ws[f"A{t}"] = f"三、{L.INDICATOR_TITLE}（一级、二级指标各占一行，分值写在“分值”列；三级指标逐行填写）"
    ws[f"A{t}"].font = body_font(bold=True)
    hdr = t + 1
    for col in L.INDICATOR_COLUMNS:
        ws[f"{col.letter}{hdr}"] = col.header
        ws.column_dimensions[col.letter].width = col.width
    style_range(ws, f"A{hdr}:Q{hdr}", font=body_font(bold=True), align=CENTER, fill=HEAD)
    r = hdr + 1
    weight_sum = ZERO
    for l1 in ev.indicators if ev else []:
        put_text(ws, f"A{r}", l1.name)
        put_number(ws, f"D{r}", l1.weight)
        style_range(ws, f"A{r}:Q{r}", font=body_font(bold=True), align=LEFT, fill=HEAD)
        r += 1
        for l2 in l1.groups:
            put_text(ws, f"B{r}", l2.name)
            put_number(ws, f"D{r}", l2.weight)
            style_range(ws, f"A{r}:Q{r}", font=body_font(bold=True), align=LEFT)
            r += 1
            for ind in l2.indicators:
                _indicator_row(ws, r, ind)
                style_range(ws, f"A{r}:Q{r}", font=font, align=LEFT)
                weight_sum += ind.weight
                r += 1
    for blank in range(r, r + L.EXTRA_ROWS):
        style_range(ws, f"A{blank}:Q{blank}", font=font, align=LEFT)
    last_row = L.VALIDATION_LAST_ROW
    first = hdr + 1
    ws.merge_cells(f"H{t}:L{t}")
    ws[f"H{t}"] = L.INDICATOR_TOTAL_LABEL
    style_range(ws, f"H{t}:L{t}", font=body_font(bold=True), align=CENTER, fill=HEAD)
    put_formula(ws, f"M{t}", f'=SUMIF(C{first}:C{last_row},"<>",D{first}:D{last_row})', weight_sum, cache)
    style_range(ws, f"M{t}", font=font, fill=GREY)
    _list_validation(ws, f"E{first}:E{last_row}", L.NATURE_CHOICES, "指标性质")
    _list_validation(ws, f"I{first}:I{last_row}", L.TIER_CHOICES, "定性指标档次")
    _decimal_validation(ws, f"D{first}:D{last_row}")
    _decimal_validation(ws, f"J{first}:J{last_row}")
    ws.freeze_panes = f"D{first}"
    a4_landscape(ws, title_rows=f"{hdr}:{hdr}")


def _indicator_row(ws: Worksheet, r: int, ind: Indicator) -> None:
    c = L.IND
    put_text(ws, f"{c['name'].letter}{r}", ind.name)
    put_number(ws, f"{c['weight'].letter}{r}", ind.weight)
    put_text(ws, f"{c['nature'].letter}{r}", ind.nature.value)
    # 年度指标值 / 实际完成值 hold a number or a short text; text the reader would take for a number,
    # or text that comes with a number, goes to the optional “文字” column instead.
    for num_key, text_key in (("target", "target_text"), ("actual", "actual_text")):
        number: Decimal | None = getattr(ind, num_key)
        text: str = getattr(ind, text_key)
        main = f"{c[num_key].letter}{r}"
        extra = f"{c[text_key].letter}{r}"
        if number is not None:
            put_number(ws, main, number)
            if text:
                put_text(ws, extra, text)
        elif text and not numberlike(text) and text.strip():
            put_text(ws, main, text)
        elif text:
            put_text(ws, extra, text)
    for key in ("unit", "evidence", "deviation_reason", "improvement", "method", "measure"):
        value = getattr(ind, key)
        if value:
            put_text(ws, f"{c[key].letter}{r}", value)
    if ind.tier is not None:
        put_text(ws, f"{c['tier'].letter}{r}", ind.tier.value)
    put_number(ws, f"{c['score'].letter}{r}", ind.score)


# ---------------------------------------------------------------- 基础数据表


def _basic_data(ws: Worksheet, ev: Evaluation | None, cache: FormulaCache) -> None:
    font = body_font()
    _title(ws, "基础数据表（金额单位同自评表；没有任何数字的行视为未填写）", "F")
    quota = ev.unit.staff_quota if ev else None
    actual = ev.unit.staff_actual if ev else None
    for f, value in zip(L.STAFF_FIELDS, (quota, actual), strict=True):
        ws[f.ref] = f.label
        style_range(ws, f.ref, font=body_font(bold=True), align=CENTER, fill=HEAD)
        value_ref = f"{get_column_letter(ws[f.ref].column + 1)}{ws[f.ref].row}"
        ws[value_ref] = value
        style_range(ws, value_ref, font=font)
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.add(value_ref)
        ws.add_data_validation(dv)
    lab = L.STAFF_RATE_LABEL_REF
    ws[lab] = "在职人员控制率（自动计算）"
    style_range(ws, lab, font=body_font(bold=True), align=CENTER, fill=HEAD)
    row = ws[lab].row
    rate = None if quota in (None, 0) or actual is None else Decimal(actual) / Decimal(quota)
    put_formula(ws, f"F{row}", _rate_formula(f"D{row}", f"B{row}"), rate, cache)
    ws[f"F{row}"].number_format = L.RATE_FORMAT
    style_range(ws, f"F{row}", font=font, fill=GREY)

    h = L.BASIC_HEADER_ROW
    for col in (*L.BASIC_COLUMNS, L.BASIC_CHANGE):
        ws[f"{col.letter}{h}"] = col.header
        ws.column_dimensions[col.letter].width = col.width
    style_range(ws, f"A{h}:F{h}", font=body_font(bold=True), align=CENTER, fill=HEAD)
    lines = (
        list(ev.basic_data)
        if ev and ev.basic_data
        else [BasicLine(category=cat, name=name) for cat, name in L.BASIC_DEFAULT_LINES]
    )
    r = h + 1
    b = L.BASIC
    for line in lines:
        put_text(ws, f"{b['category'].letter}{r}", line.category)
        put_text(ws, f"{b['name'].letter}{r}", line.name)
        for key in ("previous", "budget", "final"):
            ref = f"{b[key].letter}{r}"
            put_number(ws, ref, getattr(line, key))
            if ws[ref].value is None:
                ws[ref].number_format = AMOUNT_FORMAT
        r += 1
    for row_i in range(h + 1, r + L.EXTRA_ROWS):
        prev = _rate_value(None, None)
        if row_i < r:
            line = lines[row_i - h - 1]
            if line.final is not None and line.previous not in (None, ZERO):
                assert line.previous is not None
                prev = (line.final - line.previous) / line.previous
        ref = f"F{row_i}"
        formula = f'=IF(OR(C{row_i}="",E{row_i}="",C{row_i}=0),"",(E{row_i}-C{row_i})/C{row_i})'
        put_formula(ws, ref, formula, prev, cache)
        ws[ref].number_format = L.RATE_FORMAT
        style_range(ws, f"A{row_i}:E{row_i}", font=font, align=LEFT)
        style_range(ws, ref, font=font, fill=GREY)
    _decimal_validation(ws, f"C{h + 1}:E{L.VALIDATION_LAST_ROW}")
    ws.freeze_panes = f"A{h + 1}"
    a4_landscape(ws, title_rows=f"{h}:{h}")


# ---------------------------------------------------------------- 项目明细


def _projects(ws: Worksheet, ev: Evaluation | None, cache: FormulaCache) -> None:
    font = body_font()
    _title(ws, "项目支出明细（选填；重点项目用于计算重点支出安排率）", "F")
    h = L.PROJECT_HEADER_ROW
    for col in (*L.PROJECT_COLUMNS, L.PROJECT_RATE):
        ws[f"{col.letter}{h}"] = col.header
        ws.column_dimensions[col.letter].width = col.width
    style_range(ws, f"A{h}:F{h}", font=body_font(bold=True), align=CENTER, fill=HEAD)
    projects: list[Project] = list(ev.budget.projects) if ev else []
    p = L.PROJ
    for i in range(len(projects) + L.EXTRA_ROWS):
        r = h + 1 + i
        proj = projects[i] if i < len(projects) else None
        if proj is not None:
            put_text(ws, f"{p['name'].letter}{r}", proj.name)
            put_text(ws, f"{p['key'].letter}{r}", "是" if proj.key else "否")
        for key in ("initial", "annual", "executed"):
            ref = f"{p[key].letter}{r}"
            put_number(ws, ref, getattr(proj, key) if proj else None)
            if ws[ref].value is None:
                ws[ref].number_format = AMOUNT_FORMAT
        rate = _rate_value(proj.executed, proj.annual) if proj else None
        put_formula(ws, f"F{r}", _rate_formula(f"E{r}", f"D{r}"), rate, cache)
        ws[f"F{r}"].number_format = L.RATE_FORMAT
        style_range(ws, f"A{r}:E{r}", font=font, align=LEFT)
        style_range(ws, f"F{r}", font=font, fill=GREY)
    last = L.VALIDATION_LAST_ROW
    _list_validation(ws, f"B{h + 1}:B{last}", ("是", "否"), "重点项目")
    _decimal_validation(ws, f"C{h + 1}:E{last}")
    ws.freeze_panes = f"A{h + 1}"
    a4_landscape(ws, title_rows=f"{h}:{h}")


# ---------------------------------------------------------------- 叙述


def _narrative(ws: Worksheet, ev: Evaluation | None) -> None:
    font = body_font()
    _title(ws, "叙述部分（每项一行；职能职责、内设机构等每条占一行，项目名称重复填写）", "B")
    h = L.NARRATIVE_HEADER_ROW
    ws[f"A{h}"], ws[f"B{h}"] = L.NARRATIVE_HEADER_LABEL, "内容"
    style_range(ws, f"A{h}:B{h}", font=body_font(bold=True), align=CENTER, fill=HEAD)
    _widths(ws, {"A": 26, "B": 100})
    r = h + 1
    for item in L.NARRATIVE_ITEMS:
        value: object = ""
        if ev is not None:
            owner: object = ev
            for part in item.path.split("."):
                owner = getattr(owner, part)
            value = owner
        texts = list(value) if isinstance(value, list) else [str(value)]
        for text in texts or [""]:
            put_text(ws, f"A{r}", item.label)
            put_text(ws, f"B{r}", str(text))
            style_range(ws, f"A{r}", font=body_font(bold=True), align=CENTER)
            style_range(ws, f"B{r}", font=font, align=LEFT)
            r += 1
    a4_landscape(ws)


# ---------------------------------------------------------------- 说明

HELP_TEXT = (
    "怎样填写本工作簿",
    "1. 只填白色单元格；灰色单元格（执行率、合计）是公式，由 Excel 和 jixiao 自动计算，不必也不要填写。",
    "2. 金额一律填阿拉伯数字，单位见“自评表”表头的“金额单位”（默认万元）。",
    "3. 小数位数按单元格显示为准：金额格默认显示两位小数，填 279.1 会按 279.10 读取。"
    "若要保留与显示不同的位数，请把单元格格式改为相应位数，或在数字前加英文单引号按文字输入（如 '279.1）。"
    "多于显示位数的数字不会被截断，按实际输入读取。",
    "4. 绩效指标：一级指标单独占一行（填“一级指标”列和“分值”列），二级指标单独占一行（填“二级指标”列，分值可空，"
    "空则取下级之和），其下每个三级指标一行（填“三级指标”列起的各列）。增加指标时在表尾或中间插入行即可。",
    "5. 性质从下拉列表选择：≥（正向）、≤（反向）、=（等于）、定性。定量指标的“年度指标值”“实际完成值”填数字，"
    "计量单位填在“单位”列；定性指标这两列填文字，并选择档次、填写得分（须在档次区间内）。",
    "6. 未得满分的指标须填写偏差原因和改进措施。",
    "7. 预算执行率、各项得分、总分和等级由 jixiao 按评价框架计算：运行 `jixiao report 本文件.xlsx -o 输出目录`。",
    "8. 基础数据表、项目明细中只有名称而没有任何数字的行视为未填写；叙述表每项一行，可重复项目名称以填写多条。",
    "9. 运行 `jixiao validate 本文件.xlsx` 可检查填写问题，提示会指出工作表和单元格（如 自评表!D7）。",
)


def _help(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 120
    for i, text in enumerate(HELP_TEXT, start=1):
        put_text(ws, f"A{i}", text)
        ws[f"A{i}"].font = title_font(14) if i == 1 else body_font()
        ws[f"A{i}"].alignment = LEFT
