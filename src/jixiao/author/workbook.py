"""Read a filled-in 自评表 workbook (``template.py``'s layout) into an Evaluation, with sheet!cell locations.

Never raises for a bad workbook: a file that is not an .xlsx gives I601, a cell that cannot be read gives
I604 at that cell, and model validation (I602–I604) points at the cells via the source map.

Numbers and their decimals — the policy:
- Text cells are read as written (``'279.10`` stays 279.10): the surest way to keep decimals.
- Number cells: Excel stores a double and forgets trailing zeros, so the decimals shown by the cell's
  number format are taken as the decimals written: 279.1 in a ``0.00`` cell is 279.10. The double is
  turned into text with ``repr`` (the shortest text that gives the same double, i.e. what was typed, up
  to 15 significant digits) — never by binary arithmetic. Digits beyond the format are kept (275.126 in a
  ``0.00`` cell stays 275.126: nothing the user typed is dropped). ``General`` shows what was typed.
- Percent formats (``0.00%``): the cell shows 90.00%, so it is read as 90.00 (a percentage figure).
- A formula in an input cell: its cached value, rounded to the decimals its format shows (what the user
  sees); a formula without a cached value (never opened in Excel) is an I604 finding.
- A row of a table with a name and no figures (a line the blank template offers) is not data.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.author.loaded import Loaded
from jixiao.core.decimals import dec, fmt
from jixiao.core.excel import decimal_from_number
from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.rules.registry import rule
from jixiao.core.validate import validate
from jixiao.core.yamlio import SourceMap
from jixiao.model import sheet_layout as L
from jixiao.model.evaluation import Evaluation


class _Bad:
    """A cell that could not be read (already reported)."""


BAD = _Bad()


class _Reader:
    def __init__(self, file: str, wb: Any, wbv: Any):
        self.file = file
        self.wb = wb
        self.wbv = wbv  # the same workbook with formulas replaced by their cached values
        self.smap: SourceMap = {}
        self.findings: list[Finding] = []
        self.bad_cells: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ cells

    def loc(self, ws: Worksheet, ref: str) -> Location:
        return Location(path=self.file, sheet=ws.title, cell=ref)

    def bad(self, ws: Worksheet, ref: str, what: str, found: object) -> _Bad:
        self.bad_cells.add((ws.title, ref))
        shown = found if isinstance(found, str) else str(found)
        self.findings.append(
            rule("I604").finding(
                f"{ws.title}!{ref}（{what}）无法读取：读到的是“{shown}”",
                self.loc(ws, ref),
                excerpt=shown[:200],
                values={"cell": f"{ws.title}!{ref}", "found": shown[:200]},
            )
        )
        return BAD

    def raw(self, ws: Worksheet, ref: str) -> tuple[Any, str, bool]:
        """(value, number format, is formula); a formula's value is its cached result."""
        cell: Cell = ws[ref]
        value = cell.value
        if cell.data_type == "f":
            return self.wbv[ws.title][ref].value, cell.number_format, True
        return value, cell.number_format, False

    def text(self, ws: Worksheet, ref: str) -> str:
        value, number_format, _ = self.raw(ws, ref)
        if value is None:
            return ""
        if isinstance(value, str):
            return value if value.strip() else ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, (int, float)):
            return fmt(decimal_from_number(value, number_format))
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            return value.isoformat()
        return str(value)

    def number(self, ws: Worksheet, ref: str, what: str) -> Decimal | _Bad | None:
        value, number_format, formula = self.raw(ws, ref)
        if formula and value is None:
            return self.bad(
                ws, ref, what, f"公式 {ws[ref].value}（没有计算结果：请在 Excel 中打开并保存，或直接填数字）"
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (bool, dt.datetime, dt.date, dt.time, dt.timedelta)):
            return self.bad(ws, ref, what + "，应为数字", value)
        if isinstance(value, (int, float)):
            if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
                return self.bad(ws, ref, what + "，应为数字", value)
            return decimal_from_number(value, number_format, formula=formula)
        try:
            return dec(str(value))
        except ValueError:
            return self.bad(ws, ref, what + "，应为阿拉伯数字", value)

    def integer(self, ws: Worksheet, ref: str, what: str) -> int | _Bad | None:
        value = self.number(ws, ref, what)
        if value is None or isinstance(value, _Bad):
            return value
        if value != value.to_integral_value():
            return self.bad(ws, ref, what + "，应为整数", fmt(value))
        return int(value)

    def put(self, data: dict[str, Any], path: str, key: str, value: Any, ws: Worksheet, ref: str) -> None:
        """Set ``data[key]`` (unless empty or unreadable) and remember where ``path`` was typed."""
        self.smap[path] = self.loc(ws, ref)
        if value is None or value == "" or isinstance(value, _Bad):
            return
        data[key] = value

    # ------------------------------------------------------------ sheets

    def label_rows(self, ws: Worksheet, first: int, last: int) -> dict[str, int]:
        rows: dict[str, int] = {}
        for r in range(first, last + 1):
            label = L.norm_label(ws[f"A{r}"].value)
            if label and label not in rows:
                rows[label] = r
        return rows

    def find_label(self, ws: Worksheet, label: str, max_row: int, expected: str = "") -> Cell | None:
        """The label's cell: where the template put it, else the first cell of the top rows that reads so."""
        want = L.norm_label(label)
        if expected and L.norm_label(ws[expected].value) == want:
            return ws[expected]
        for row in ws.iter_rows(min_row=1, max_row=max_row):
            for cell in row:
                if isinstance(cell.value, str) and L.norm_label(cell.value) == want:
                    return cell
        return None

    def read(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if L.SELF_EVAL not in self.wb.sheetnames:
            self.findings.append(
                rule("I601").finding(
                    f"工作簿中没有“{L.SELF_EVAL}”工作表：请用 `jixiao template` 生成的模板填写"
                    f"（现有工作表：{'、'.join(self.wb.sheetnames)}）",
                    Location(path=self.file),
                )
            )
            return data
        ws = self.wb[L.SELF_EVAL]
        self.smap[""] = self.loc(ws, "A1")
        self.header(ws, data)
        header_row = self.indicator_header_row(ws)
        end = (header_row or ws.max_row + 1) - 1
        labels = self.label_rows(ws, 1, end)
        self.money(ws, data, labels)
        self.goals(ws, data, labels)
        if header_row is None:
            self.findings.append(
                rule("I603").finding(
                    f"{L.SELF_EVAL} 中找不到绩效指标表（A 列为“{L.INDICATOR_HEADER_LABEL}”的表头行）",
                    self.loc(ws, "A1"),
                )
            )
        else:
            self.indicators(ws, data, header_row)
        if L.BASIC_DATA in self.wb.sheetnames:
            self.basic_data(self.wb[L.BASIC_DATA], data)
        if L.PROJECTS in self.wb.sheetnames:
            self.projects(self.wb[L.PROJECTS], data)
        if L.NARRATIVE in self.wb.sheetnames:
            self.narrative(self.wb[L.NARRATIVE], data)
        return data

    def header(self, ws: Worksheet, data: dict[str, Any]) -> None:
        for f in L.HEADER_FIELDS:
            cell = self.find_label(ws, f.label, L.HEADER_SCAN_ROWS, f.ref)
            if cell is None:
                continue
            ref = f"{get_column_letter(cell.column + 1)}{cell.row}"
            value: Any
            if f.kind == "int":
                value = self.integer(ws, ref, f.label)
            elif f.kind == "amount":
                value = self.number(ws, ref, f.label)
            else:
                value = self.text(ws, ref)
            owner = data
            parts = f.path.split(".")
            for part in parts[:-1]:
                owner = owner.setdefault(part, {})
            self.put(owner, f.path, parts[-1], value, ws, ref)

    def money(self, ws: Worksheet, data: dict[str, Any], labels: dict[str, int]) -> None:
        budget = data.setdefault("budget", {})
        for mrow in L.MONEY_ROWS:
            r = labels.get(L.norm_label(mrow.label))
            if not mrow.path or r is None:
                continue
            funds: dict[str, Any] = {}
            for key, letter in zip(L.MONEY_COLUMNS, L.MONEY_LETTERS, strict=True):
                ref = f"{letter}{r}"
                value = self.number(
                    ws, ref, f"{mrow.label}·{L.MONEY_HEADERS[1 + L.MONEY_COLUMNS.index(key)]}"
                )
                self.put(funds, f"{mrow.path}.{key}", key, value, ws, ref)
            self.smap[mrow.path] = self.loc(ws, f"A{r}")
            if not funds and not any((ws.title, f"{x}{r}") in self.bad_cells for x in L.MONEY_LETTERS):
                continue  # an empty row is “not given”
            key = mrow.path.removeprefix("budget.")
            if key.startswith("by_source."):
                budget.setdefault("by_source", {})[key.removeprefix("by_source.")] = funds
            else:
                budget[key] = funds
        if not budget:
            del data["budget"]

    def goals(self, ws: Worksheet, data: dict[str, Any], labels: dict[str, int]) -> None:
        goals: dict[str, Any] = {}
        for label, path in L.GOAL_FIELDS:
            r = labels.get(L.norm_label(label))
            if r is not None:
                self.put(goals, path, path.removeprefix("goals."), self.text(ws, f"B{r}"), ws, f"B{r}")
        if goals:
            data["goals"] = goals

    def indicator_header_row(self, ws: Worksheet) -> int | None:
        want = L.norm_label(L.INDICATOR_HEADER_LABEL)
        second = L.norm_label(L.IND["level2"].header)
        for r in range(1, ws.max_row + 1):
            if L.norm_label(ws[f"A{r}"].value) == want and L.norm_label(ws[f"B{r}"].value) == second:
                return r
        return None

    def indicators(self, ws: Worksheet, data: dict[str, Any], header: int) -> None:
        c = L.IND
        level1: list[dict[str, Any]] = []
        cur1: dict[str, Any] | None = None
        cur2: dict[str, Any] | None = None
        self.smap["indicators"] = self.loc(ws, f"A{header}")
        for r in range(header + 1, ws.max_row + 1):
            a, b, name = (self.text(ws, f"{c[k].letter}{r}") for k in ("level1", "level2", "name"))
            filled = [col for col in L.INDICATOR_COLUMNS if str(ws[f"{col.letter}{r}"].value or "").strip()]
            if not filled:
                continue
            deepest = "name" if name else "level2" if b else "level1" if a else ""
            if not deepest:
                first = filled[0]
                self.bad(
                    ws,
                    f"{first.letter}{r}",
                    "该行填了内容但没有一级、二级或三级指标名称",
                    self.text(ws, f"{first.letter}{r}"),
                )
                continue
            wref = f"{c['weight'].letter}{r}"
            # An outline row (一级 or 二级 alone) always opens a group, even under a repeated name;
            # names repeated on 三级 rows (filled down by the user) open one only when they change.
            if deepest == "level1" or (a and (cur1 is None or a != cur1["name"])):
                i = len(level1)
                cur1 = {"name": a, "groups": []}
                level1.append(cur1)
                cur2 = None
                path = f"indicators.{i}"
                self.smap[path] = self.smap[f"{path}.name"] = self.loc(ws, f"A{r}")
                if deepest == "level1":
                    self.put(
                        cur1, f"{path}.weight", "weight", self.number(ws, wref, "一级指标分值"), ws, wref
                    )
            if cur1 is None:
                self.bad(ws, f"{c['name'].letter if name else 'B'}{r}", "此行之前没有一级指标行", name or b)
                continue
            i = len(level1) - 1
            if deepest == "level2" or (b and (cur2 is None or b != cur2["name"])):
                j = len(cur1["groups"])
                cur2 = {"name": b, "indicators": []}
                cur1["groups"].append(cur2)
                path = f"indicators.{i}.groups.{j}"
                self.smap[path] = self.smap[f"{path}.name"] = self.loc(ws, f"B{r}")
                if deepest == "level2":
                    self.put(
                        cur2, f"{path}.weight", "weight", self.number(ws, wref, "二级指标分值"), ws, wref
                    )
            if deepest != "name":
                continue
            if cur2 is None:
                self.bad(ws, f"{c['name'].letter}{r}", "此三级指标之前没有二级指标行", name)
                continue
            j = len(cur1["groups"]) - 1
            k = len(cur2["indicators"])
            path = f"indicators.{i}.groups.{j}.indicators.{k}"
            cur2["indicators"].append(self.indicator(ws, r, path))
        if level1:
            data["indicators"] = level1

    def indicator(self, ws: Worksheet, r: int, path: str) -> dict[str, Any]:
        c = L.IND
        ind: dict[str, Any] = {}
        name_ref = f"{c['name'].letter}{r}"
        self.smap[path] = self.loc(ws, name_ref)
        self.put(ind, f"{path}.name", "name", self.text(ws, name_ref), ws, name_ref)
        for key in ("weight", "score"):
            ref = f"{c[key].letter}{r}"
            self.put(ind, f"{path}.{key}", key, self.number(ws, ref, c[key].header), ws, ref)
        for key in (
            "nature",
            "unit",
            "tier",
            "evidence",
            "deviation_reason",
            "improvement",
            "method",
            "measure",
        ):
            ref = f"{c[key].letter}{r}"
            self.put(ind, f"{path}.{key}", key, self.text(ws, ref), ws, ref)
        for num_key, text_key in (("target", "target_text"), ("actual", "actual_text")):
            main = f"{c[num_key].letter}{r}"
            extra = f"{c[text_key].letter}{r}"
            value, _, formula = self.raw(ws, main)
            extra_text = self.text(ws, extra)
            number: Decimal | _Bad | None = None
            main_text = ""
            if isinstance(value, str) and not formula:
                try:
                    number = dec(value) if value.strip() else None
                except ValueError:
                    main_text = value  # a qualitative value: text, not a number
            else:
                number = self.number(ws, main, c[num_key].header)
            if main_text and extra_text:
                self.bad(ws, main, f"{c[num_key].header}：“文字”列已填写时此列只能填数字", main_text)
            self.put(ind, f"{path}.{num_key}", num_key, number, ws, main)
            text = extra_text or main_text
            self.put(ind, f"{path}.{text_key}", text_key, text, ws, extra if extra_text else main)
        return ind

    def table_rows(self, ws: Worksheet, header_label: str) -> Iterator[int]:
        header = None
        for r in range(1, min(ws.max_row, 50) + 1):
            if L.norm_label(ws[f"A{r}"].value) == L.norm_label(header_label):
                header = r
                break
        if header is None:
            return
        yield from range(header + 1, ws.max_row + 1)

    def basic_data(self, ws: Worksheet, data: dict[str, Any]) -> None:
        unit = data.setdefault("unit", {})
        for f in L.STAFF_FIELDS:
            cell = self.find_label(ws, f.label, L.HEADER_SCAN_ROWS, f.ref)
            if cell is not None:
                ref = f"{get_column_letter(cell.column + 1)}{cell.row}"
                self.put(unit, f.path, f.path.removeprefix("unit."), self.integer(ws, ref, f.label), ws, ref)
        lines: list[dict[str, Any]] = []
        b = L.BASIC
        for r in self.table_rows(ws, L.BASIC_HEADER_LABEL):
            path = f"basic_data.{len(lines)}"
            line: dict[str, Any] = {}
            smap_before = dict(self.smap)
            bad_before = len(self.bad_cells)
            for key in ("previous", "budget", "final"):
                ref = f"{b[key].letter}{r}"
                self.put(
                    line, f"{path}.{key}", key, self.number(ws, ref, f"基础数据·{b[key].header}"), ws, ref
                )
            if not line and len(self.bad_cells) == bad_before:
                self.smap = smap_before  # a row with no figures is not data
                continue
            for key in ("category", "name"):
                ref = f"{b[key].letter}{r}"
                self.put(line, f"{path}.{key}", key, self.text(ws, ref), ws, ref)
            self.smap[path] = self.loc(ws, f"B{r}")
            lines.append(line)  # a line with figures and no name: validation reports the missing name
        if lines:
            data["basic_data"] = lines

    def projects(self, ws: Worksheet, data: dict[str, Any]) -> None:
        out: list[dict[str, Any]] = []
        p = L.PROJ
        for r in self.table_rows(ws, L.PROJECT_HEADER_LABEL):
            path = f"budget.projects.{len(out)}"
            name = self.text(ws, f"{p['name'].letter}{r}")
            proj: dict[str, Any] = {}
            for key in ("initial", "annual", "executed"):
                ref = f"{p[key].letter}{r}"
                self.put(proj, f"{path}.{key}", key, self.number(ws, ref, f"项目·{p[key].header}"), ws, ref)
            if not name and not proj:
                continue
            ref = f"{p['name'].letter}{r}"
            self.put(proj, f"{path}.name", "name", name, ws, ref)
            self.smap[path] = self.loc(ws, ref)
            kref = f"{p['key'].letter}{r}"
            flag = self.text(ws, kref).strip()
            if flag in L.YES:
                proj["key"] = True
            elif flag not in L.NO:
                self.bad(ws, kref, "重点项目，应填“是”或“否”", flag)
            self.smap[f"{path}.key"] = self.loc(ws, kref)
            out.append(proj)
        if out:
            data.setdefault("budget", {})["projects"] = out

    def narrative(self, ws: Worksheet, data: dict[str, Any]) -> None:
        items = {L.norm_label(item.label): item for item in L.NARRATIVE_ITEMS}
        for r in self.table_rows(ws, L.NARRATIVE_HEADER_LABEL):
            label = L.norm_label(ws[f"A{r}"].value)
            text = self.text(ws, f"B{r}")
            if not label:
                if text:
                    self.bad(ws, f"A{r}", "叙述：B 列有内容但 A 列没有项目名称", text[:40])
                continue
            item = items.get(label)
            if item is None:
                known = "、".join(i.label for i in L.NARRATIVE_ITEMS)
                self.findings.append(
                    rule("I602").finding(
                        f"叙述表中未知的项目“{ws[f'A{r}'].value}”（可用：{known}）",
                        self.loc(ws, f"A{r}"),
                        values={"key": str(ws[f"A{r}"].value)},
                    )
                )
                continue
            parts = item.path.split(".")
            owner = data
            for part in parts[:-1]:
                owner = owner.setdefault(part, {})
            if item.many:
                if text:
                    seq = owner.setdefault(parts[-1], [])
                    self.smap[f"{item.path}.{len(seq)}"] = self.loc(ws, f"B{r}")
                    seq.append(text)
                self.smap.setdefault(item.path, self.loc(ws, f"B{r}"))
            else:
                if parts[-1] in owner and text:
                    self.bad(ws, f"B{r}", f"“{item.label}”只能填一行，此前已填写", text[:40])
                    continue
                if text or item.path not in self.smap:
                    self.put(owner, item.path, parts[-1], text, ws, f"B{r}")


def _unreadable(file: str, why: str) -> Loaded:
    return Loaded(
        file,
        None,
        {},
        [
            rule("I601").finding(
                f"无法读取工作簿：{why}（请用 Excel 或 WPS 另存为 .xlsx 后重试）", Location(path=file)
            )
        ],
    )


def load_workbook_evaluation(path: Path) -> Loaded:
    """Read the 自评表 workbook. Never raises for bad input: problems come back as findings."""
    file = str(path)
    try:
        wb = load_workbook(path, data_only=False)
        wbv = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        return _unreadable(file, f"不是有效的 .xlsx 文件（{type(exc).__name__}）")
    except Exception as exc:  # openpyxl raises many kinds for damaged parts; none must become a traceback
        return _unreadable(file, f"{type(exc).__name__}: {exc}")
    if wb.properties.keywords == "jixiao:report":  # see report.REPORT_KEYWORD
        message = (
            "这是 jixiao 生成的自评表（报告输出），不是填报工作簿：请改原数据后重新生成，"
            "或用 `jixiao template 填报.xlsx --from 原数据.yaml` 生成可填写的工作簿"
        )
        return Loaded(file, None, {}, [rule("I601").finding(message, Location(path=file))])
    reader = _Reader(file, wb, wbv)
    data = reader.read()
    findings = list(reader.findings)
    if any(f.code == "I601" for f in findings):
        return Loaded(file, None, reader.smap, findings)
    ev, vfindings = validate(Evaluation, data, reader.smap, file)
    for f in vfindings:
        # a cell already reported as unreadable is left out of the data; do not report it twice
        if (f.location.sheet, f.location.cell) not in reader.bad_cells:
            findings.append(f)
    if any(f.severity is Severity.ERROR for f in findings):
        ev = None
    return Loaded(file, ev, reader.smap, findings)
