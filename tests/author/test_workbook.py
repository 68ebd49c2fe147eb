"""The 自评表 workbook: template → reader round trips, the decimal policy, bad cells, the report workbook."""

from __future__ import annotations

import copy
import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import example as hypothesis_example
from hypothesis import strategies as st

from jixiao.author.load import Loaded, load_evaluation
from jixiao.author.pipeline import evaluate, evaluate_loaded
from jixiao.author.workbook import load_workbook_evaluation
from jixiao.core.excel import decimal_from_number, format_decimals
from jixiao.core.output import OutputExists
from jixiao.model import sheet_layout as L
from jixiao.model.evaluation import Evaluation
from jixiao.model.frameworks import load_framework
from jixiao.model.money import money_view
from jixiao.model.scoring import Scored, score
from jixiao.report.xlsx import write_report_workbook
from jixiao.report.xlsx_cells import excel_number
from jixiao.report.xlsx_template import template_bytes, write_template
from tests.report.test_yaml_out import EXAMPLE, exact, example
from tests.strategies import evaluations, odd_decimals

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def via_template(ev: Evaluation | None, tmp: Path, name: str = "t.xlsx") -> Loaded:
    path = tmp / name
    path.write_bytes(template_bytes(ev))
    return load_workbook_evaluation(path)


def errors(loaded: Loaded) -> list[str]:
    return [f.render() for f in loaded.findings]


# ---------------------------------------------------------------- template → reader


def test_example_round_trip(tmp_path: Path) -> None:
    ev = example()
    back = via_template(ev, tmp_path)
    assert back.evaluation is not None, errors(back)
    assert exact(back.evaluation) == exact(ev)
    assert back.findings == []


@SLOW
@given(evaluations())
def test_random_evaluations_round_trip(tmp_path_factory: pytest.TempPathFactory, ev: Evaluation) -> None:
    back = via_template(ev, tmp_path_factory.mktemp("wb"))
    assert back.evaluation is not None, errors(back)
    assert exact(back.evaluation) == exact(ev)


@SLOW
@given(
    amount=odd_decimals(),
    weight=odd_decimals(non_negative=True),
    target=odd_decimals(),
    number_text=st.from_regex(r"\A-?[0-9]{1,4}(\.[0-9]{1,3})?\Z"),
    # control characters cannot be stored in .xlsx XML and "\r" is read back as "\n" (documented limits)
    name=st.text(min_size=1, max_size=20).filter(
        lambda s: bool(s.strip()) and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]", s)
    ),
)
# 18 significant digits: a double printed with 16 digits loses the last ones (found by hypothesis).
@hypothesis_example(
    amount=Decimal(0), weight=Decimal(0), target=Decimal("22205347.6239449460"), number_text="0", name="0"
)
def test_awkward_numbers_and_texts_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    amount: Decimal,
    weight: Decimal,
    target: Decimal,
    number_text: str,
    name: str,
) -> None:
    """1E+2, 17-digit figures, -0.000, a target text that reads like a number, '=' in a name."""
    data = copy.deepcopy(example().model_dump())
    data["budget"]["total"]["annual"] = amount
    ind = data["indicators"][2]["groups"][0]["indicators"][0]
    ind.update(weight=weight, target=target, target_text=number_text, name="=" + name)
    qual = data["indicators"][0]["groups"][0]["indicators"][0]
    qual.update(target_text=number_text)
    ev = Evaluation.model_validate(data)
    back = via_template(ev, tmp_path_factory.mktemp("wb"))
    assert back.evaluation is not None, errors(back)
    assert exact(back.evaluation) == exact(ev)


def test_blank_template_asks_for_name_and_year_at_their_cells(tmp_path: Path) -> None:
    loaded = via_template(None, tmp_path)
    assert loaded.evaluation is None
    missing = {f.values.get("path"): f.location for f in loaded.findings if f.code == "I603"}
    assert set(missing) == {"unit.name", "unit.year"}
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    for path, label in (("unit.name", "单位名称"), ("unit.year", "年度")):
        loc = missing[path]
        assert loc.sheet == L.SELF_EVAL and loc.cell is not None
        row = wb[loc.sheet][loc.cell].row
        col = wb[loc.sheet][loc.cell].column
        assert wb[loc.sheet].cell(row, col - 1).value == label  # the value cell sits right of its label


def test_source_map_points_at_the_cells_holding_the_values(tmp_path: Path) -> None:
    ev = example()
    loaded = via_template(ev, tmp_path)
    assert loaded.evaluation is not None
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    checks: list[tuple[str, Any]] = [
        ("budget.total.annual", ev.budget.total.annual),
        ("budget.by_source.一般公共预算.executed", ev.budget.by_source["一般公共预算"].executed),
        ("indicators.2.groups.0.indicators.0.actual", ev.indicators[2].groups[0].indicators[0].actual),
        ("indicators.0.groups.0.indicators.3.score", ev.indicators[0].groups[0].indicators[3].score),
        ("indicators.1.weight", ev.indicators[1].weight),
        ("unit.name", ev.unit.name),
        ("narrative.problems", ev.narrative.problems),
        ("unit.functions.2", ev.unit.functions[2]),
    ]
    for path, value in checks:
        loc = loaded.locate(path)
        assert loc.sheet is not None and loc.cell is not None, path
        cell = wb[loc.sheet][loc.cell].value
        assert (Decimal(str(cell)) if isinstance(value, Decimal) else cell) == value, path
        assert str(loc).endswith(f"{loc.sheet}!{loc.cell}")


def test_model_checks_point_at_sheet_cells(tmp_path: Path) -> None:
    """The example's by-source rows do not add up to the total: that finding must name a cell."""
    yaml_result = evaluate(EXAMPLE)
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_bytes(example()))
    wb_result = evaluate(path)
    assert wb_result.scored is not None and yaml_result.scored is not None
    assert wb_result.scored.total == yaml_result.scored.total
    assert sorted(f.code for f in wb_result.findings) == sorted(f.code for f in yaml_result.findings)
    located = [f for f in wb_result.findings if f.location.line is None and f.location.path]
    assert yaml_result.findings, "the example is known to contain errors"
    assert all(f.location.sheet is not None for f in located)


def test_rows_added_by_the_user_in_fill_down_style(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_bytes(example()))
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SELF_EVAL]
    last = max(r for r in range(1, ws.max_row + 1) if ws[f"C{r}"].value)
    r = last + 1
    # a user copies the group names down and types a new quantitative indicator as floats
    ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = "满意度指标", "服务对象满意度指标", "投诉办结率"
    ws[f"D{r}"], ws[f"E{r}"], ws[f"F{r}"], ws[f"G{r}"], ws[f"H{r}"] = 2.5, "≥", 95, "%", 96.5
    ws[f"H{r}"].number_format = "0.00"
    wb.save(path)
    loaded = load_workbook_evaluation(path)
    assert loaded.evaluation is not None, errors(loaded)
    group = loaded.evaluation.indicators[2].groups[0]
    assert [i.name for i in group.indicators] == ["群众满意度", "投诉办结率"]
    new = group.indicators[1]
    assert (new.weight, new.target, new.actual) == (Decimal("2.5"), Decimal(95), Decimal("96.50"))
    assert str(new.actual) == "96.50"


# ---------------------------------------------------------------- decimal policy


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (279.1, "0.00", "279.10"),
        (279.1, "General", "279.1"),
        (90, "0.00", "90.00"),
        (90.0, "General", "90"),
        (275.126, "0.00", "275.126"),  # digits beyond the format are kept, never cut
        (0.9, "0.00%", "90.00"),
        (0.905, "0%", "90.5"),
        (1234.5, "#,##0.00", "1234.50"),
        (12.0, "0.0", "12.0"),
    ],
)
def test_decimal_from_number(value: float, number_format: str, expected: str) -> None:
    got = decimal_from_number(value, number_format)
    assert str(got) == expected


def test_formula_results_take_the_decimals_shown() -> None:
    assert str(decimal_from_number(0.1 + 0.2, "0.00", formula=True)) == "0.30"
    assert str(decimal_from_number(0.1 + 0.2, "0.00")) == "0.30000000000000004"


def test_format_decimals() -> None:
    assert [
        format_decimals(f) for f in ("General", "@", "0", "0.000", "#,##0.00;[Red]-#,##0.00", '0.0"万元"')
    ] == [
        None,
        None,
        0,
        3,
        2,
        1,
    ]


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12))
def test_two_decimal_amounts_survive_excel_doubles(value: Decimal) -> None:
    """What Excel stores for a typed amount (a double) and the cell format give back the amount as typed."""
    stored = excel_number(value)
    assert isinstance(stored, Decimal)  # a 2-decimal amount under 10^12 always fits a double
    back = decimal_from_number(float(stored), "0.00")
    assert back == value and back.as_tuple().exponent == -2


def test_excel_number_falls_back_to_text_for_what_a_double_cannot_hold() -> None:
    assert excel_number(Decimal("1E+2")) == "1E+2"
    assert excel_number(Decimal("12345678901234567.1")) == "12345678901234567.1"
    assert excel_number(Decimal("279.10")) == Decimal("279.10")


# ---------------------------------------------------------------- bad input


def test_bad_cells_become_findings_at_their_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_bytes(example()))
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SELF_EVAL]
    money_row = next(r for r in range(1, 40) if ws[f"A{r}"].value == "年度资金总额")
    ind_row = next(r for r in range(1, ws.max_row + 1) if ws[f"C{r}"].value == "群众满意度")
    ws[f"C{money_row}"] = "七百万"
    ws[f"D{ind_row}"] = dt.datetime(2024, 1, 5)
    ws[f"E{ind_row}"] = "大于"
    wb.save(path)
    loaded = load_evaluation(path)
    assert loaded.evaluation is None
    where = {(f.code, f.location.sheet, f.location.cell) for f in loaded.findings}
    assert ("I604", L.SELF_EVAL, f"C{money_row}") in where
    assert ("I604", L.SELF_EVAL, f"D{ind_row}") in where
    assert ("I604", L.SELF_EVAL, f"E{ind_row}") in where
    assert any("七百万" in f.message for f in loaded.findings)
    # one finding per bad cell
    cells = [(f.location.sheet, f.location.cell) for f in loaded.findings]
    assert len(cells) == len(set(cells))


@pytest.mark.parametrize(
    "content",
    [b"", b"not a workbook at all", b"PK\x03\x04garbage"],
)
def test_corrupt_files_are_i601(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    loaded = load_evaluation(path)
    assert loaded.evaluation is None
    assert [f.code for f in loaded.findings] == ["I601"]


def test_zip_without_workbook_parts_is_i601(tmp_path: Path) -> None:
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    loaded = load_evaluation(path)
    assert [f.code for f in loaded.findings] == ["I601"]


def test_workbook_without_the_sheet_is_i601(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.active.title = "Sheet1"
    wb.save(path)
    loaded = load_evaluation(path)
    assert [f.code for f in loaded.findings] == ["I601"] and "自评表" in loaded.findings[0].message


def test_template_does_not_clobber(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExists):
        write_template(path, None)
    assert path.read_text(encoding="utf-8") == "mine"
    write_template(path, example(), force=True)
    assert load_workbook_evaluation(path).evaluation is not None


def test_template_validations_and_computed_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, example())
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SELF_EVAL]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert '"≥,≤,=,定性"' in lists
    assert '"' + ",".join(L.TIER_CHOICES) + '"' in lists
    assert any(dv.type == "decimal" for dv in ws.data_validations.dataValidation)
    values = openpyxl.load_workbook(path, data_only=True)[L.SELF_EVAL]
    total = next(r for r in range(1, 40) if ws[f"A{r}"].value == "年度资金总额")
    assert str(ws[f"E{total}"].value).startswith("=IF(")
    assert values[f"E{total}"].value == 1  # 775.18 / 775.18, stored with the formula
    src = next(r for r in range(1, 40) if str(ws[f"A{r}"].value).startswith("按来源合计"))
    assert str(ws[f"C{src}"].value).startswith("=SUM(")
    assert Decimal(repr(values[f"C{src}"].value)) == Decimal("691.74")


# ---------------------------------------------------------------- report workbook


def scored_example() -> Scored:
    result = evaluate(EXAMPLE)
    assert result.scored is not None
    return result.scored


def _num(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def check_report(scored: Scored, path: Path) -> None:
    """Every figure of the workbook, cached values read with data_only=True, against the Scored view."""
    write_report_workbook(scored, path)
    formulas = openpyxl.load_workbook(path)[L.SELF_EVAL]
    values = openpyxl.load_workbook(path, data_only=True)[L.SELF_EVAL]
    ev = scored.evaluation

    def row_of(label: str, col: str = "A", start: int = 1) -> int:
        return next(r for r in range(start, formulas.max_row + 1) if formulas[f"{col}{r}"].value == label)

    t = row_of("年度资金总额")
    shown = money_view(ev).row("total")  # the sum of the parts where the typed total does not add up
    assert shown is not None
    for letter, key in (("C", "initial"), ("D", "annual"), ("E", "executed")):
        assert _num(values[f"{letter}{t}"].value) == shown.get(key)
    rate = scored.rates["total"]
    assert str(formulas[f"G{t}"].value).startswith("=IF(")
    if rate is None:
        assert values[f"G{t}"].value in (None, "")
    else:
        assert abs(Decimal(repr(values[f"G{t}"].value)) * 100 - rate) < Decimal("1e-9")
    assert str(formulas[f"H{t}"].value).startswith("=IF(")
    assert _num(values[f"H{t}"].value) == scored.execution_score
    assert _num(values[f"F{t}"].value) == scored.execution_weight

    for source, funds in ev.budget.by_source.items():
        r = row_of(source, "B")
        assert _num(values[f"E{r}"].value) == funds.executed
        assert _num(values[f"D{r}"].value) == funds.annual

    header = row_of("一级指标")
    total = row_of("总分", start=header)
    rows = [r for r in range(header + 1, total) if formulas[f"C{r}"].value]
    assert len(rows) == len(scored.indicators)
    for r, item in zip(rows, scored.indicators, strict=True):
        assert formulas[f"C{r}"].value == item.indicator.name
        assert _num(values[f"F{r}"].value) == item.weight
        assert _num(values[f"G{r}"].value) == item.score
    subtotals = [r for r in range(header + 1, total) if formulas[f"B{r}"].value == "小计"]
    assert len(subtotals) == len(scored.level1)
    for r, group in zip(subtotals, scored.level1, strict=True):
        assert str(formulas[f"G{r}"].value).startswith("=SUM(")
        assert _num(values[f"G{r}"].value) == group.score
    assert _num(values[f"G{total}"].value) == scored.total
    # The total 分值 is the stated first-level weights' (as in the .docx/.md/.html), not the items' sum:
    # the seed's 产出 is 50 while its items add up to 45 (issue 10).
    assert _num(values[f"F{total}"].value) == scored.execution_weight + sum(g.weight for g in scored.level1)
    assert values[f"F{total + 1}"].value == scored.grade
    assert str(formulas[f"F{total + 1}"].value).startswith("=IF(")
    # every 执行率 formula's stored value is 执行数 / 预算数 of the stored values on its row
    rate_rows = 0
    for r in range(1, header):
        m = re.fullmatch(
            r'=IF\(OR\((E\d+)="",(D\d+)="",D\d+=0\),"",E\d+/D\d+\)', str(formulas[f"G{r}"].value or "")
        )
        if m:
            rate_rows += 1
            part, whole = _num(values[m.group(1)].value), _num(values[m.group(2)].value)
            if part is None or not whole:
                assert values[f"G{r}"].value in (None, "")
            else:
                assert abs(Decimal(repr(values[f"G{r}"].value)) - part / whole) < Decimal("1e-12")
    assert rate_rows >= 1 + len(L.REPORT_SOURCES)
    # every SUM's stored value is the sum of the stored values it names
    for row in formulas.iter_rows():
        for cell in row:
            m = re.fullmatch(r"=SUM\((.+)\)", str(cell.value or ""))
            if not m:
                continue
            parts: list[Decimal] = []
            for ref in m.group(1).split(","):
                block = values[ref]
                cells = [c for line in block for c in line] if isinstance(block, tuple) else [block]
                parts += [v for c in cells if (v := _num(c.value)) is not None]
            assert _num(values[cell.coordinate].value) == sum(parts, Decimal(0)), cell.coordinate


def test_report_workbook_example(tmp_path: Path) -> None:
    s = scored_example()
    path = tmp_path / "r.xlsx"
    check_report(s, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SELF_EVAL]
    assert wb.sheetnames == [L.SELF_EVAL, L.BASIC_DATA]  # the example states its staff number
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws["C16"].font.name == "仿宋" and ws["C16"].font.charset == 134
    assert ws["A1"].font.name == "宋体"
    assert "A1:H1" in {str(m) for m in ws.merged_cells.ranges}


@SLOW
@given(evaluations())
def test_report_workbook_random(tmp_path_factory: pytest.TempPathFactory, ev: Evaluation) -> None:
    s = score(ev, load_framework(ev.framework))
    check_report(s, tmp_path_factory.mktemp("rep") / "r.xlsx")


def test_no_basic_data_sheet_without_its_data(tmp_path: Path) -> None:
    data = example().model_dump()
    data["unit"]["staff_actual"] = None
    ev = Evaluation.model_validate(data)
    path = tmp_path / "r.xlsx"
    write_report_workbook(score(ev, load_framework(ev.framework)), path)
    assert openpyxl.load_workbook(path).sheetnames == [L.SELF_EVAL]


def test_report_basic_data_sheet(tmp_path: Path) -> None:
    data = example().model_dump()
    data["unit"]["staff_quota"] = 8
    data["basic_data"] = [
        {"category": "三公经费", "name": "公务接待费", "previous": Decimal("1.20"), "final": Decimal("0.80")},
        {
            "category": "三公经费",
            "name": "公务用车运行维护费",
            "previous": Decimal("3.5"),
            "final": Decimal("3.10"),
        },
        {"category": "政府采购", "name": "政府采购金额", "final": Decimal("42")},
    ]
    ev = Evaluation.model_validate(data)
    path = tmp_path / "r.xlsx"
    loaded = Loaded(str(path), ev)
    result = evaluate_loaded(loaded)
    assert result.scored is not None
    write_report_workbook(result.scored, path)
    formulas = openpyxl.load_workbook(path)[L.BASIC_DATA]
    values = openpyxl.load_workbook(path, data_only=True)[L.BASIC_DATA]
    sub = next(r for r in range(1, 20) if formulas[f"B{r}"].value == "小计")
    assert formulas[f"E{sub}"].value.startswith("=SUM(")
    assert _num(values[f"E{sub}"].value) == Decimal("3.90")
    assert _num(values[f"C{sub}"].value) == Decimal("4.70")
    assert values[f"D{sub}"].value is None  # nothing stated: no 0 printed
    assert abs(Decimal(repr(values["F3"].value)) - Decimal(6) / Decimal(8)) < Decimal("1e-12")


def test_reading_a_generated_report_workbook_says_what_it_is(tmp_path: Path) -> None:
    from jixiao.author.load import load_evaluation
    from jixiao.model.frameworks import load_framework
    from jixiao.model.scoring import score
    from jixiao.report.xlsx import write_report_workbook

    ev = example()
    target = tmp_path / "report.xlsx"
    write_report_workbook(score(ev, load_framework(ev.framework)), target)
    loaded = load_evaluation(target)
    assert loaded.evaluation is None
    (finding,) = loaded.findings
    assert finding.code == "I601" and "不是填报工作簿" in finding.message
