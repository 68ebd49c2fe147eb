"""Exports of the review: the 复核表 (.xlsx, every finding with its decision and reason), the same as CSV,
and the budget figures as a Fiscal Data Package (``datapackage.json`` + CSV, amounts in 万元)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.findings import values_text
from jixiao.store import schema

REVIEW_COLUMNS = (
    "单位",
    "年度",
    "文件",
    "规则",
    "级别",
    "位置",
    "说明",
    "摘录",
    "数值",
    "复核结论",
    "理由",
    "复核人",
    "复核时间",
)
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_VERDICT = {"confirmed": "确认", "dismissed": "不采纳"}


def _where(location: dict[str, object]) -> str:
    parts = []
    for key, label in (
        ("page", "第{}页"),
        ("line", "第{}行"),
        ("table", "表{}"),
        ("row", "行{}"),
        ("col", "列{}"),
    ):
        if location.get(key) is not None:
            parts.append(label.format(location[key]))
    if location.get("sheet"):
        parts.append(f"{location['sheet']}!{location.get('cell') or ''}")
    return " ".join(parts)


def review_rows(documents: Iterable[schema.Document]) -> list[list[str]]:
    rows = []
    for doc in documents:
        for f in doc.findings:
            d = f.decision
            rows.append(
                [
                    doc.unit.name if doc.unit else "",
                    str(doc.year or ""),
                    doc.filename,
                    f.code,
                    _SEVERITY.get(f.severity, f.severity),
                    _where(json.loads(f.location)),
                    f.message,
                    f.excerpt,
                    values_text(json.loads(f.values)),
                    _VERDICT.get(d.decision, d.decision) if d else "待复核",
                    d.reason if d else "",
                    d.user.name if d and d.user else "",
                    d.decided_at.strftime("%Y-%m-%d %H:%M") if d else "",
                ]
            )
    return rows


def review_xlsx(documents: Iterable[schema.Document]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "复核表"
    sheet.append(list(REVIEW_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in review_rows(documents):
        sheet.append(row)
    for letter, width in zip("ABCDEFGHIJKLM", (22, 6, 30, 7, 6, 16, 50, 40, 30, 8, 30, 10, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def review_csv(documents: Iterable[schema.Document]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(REVIEW_COLUMNS)
    writer.writerows(review_rows(documents))
    return buf.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 CSV as such only with the BOM


BUDGET_FIELDS = ("unit", "parent", "year", "scope", "phase", "amount")


def budget_csv(documents: Iterable[schema.Document]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(BUDGET_FIELDS)
    for doc in documents:
        unit = doc.unit.name if doc.unit else ""
        parent = doc.unit.parent.name if doc.unit and doc.unit.parent else ""
        for fig in sorted(doc.figures, key=lambda f: (f.scope, "年初调整执行".index(f.phase))):
            writer.writerow([unit, parent, doc.year or "", fig.scope, fig.phase, str(Decimal(fig.amount))])
    return buf.getvalue()


def datapackage(title: str = "部门整体支出预算与执行") -> dict[str, object]:
    """Fiscal Data Package descriptor for ``budget.csv``: one measure (万元, factor 10,000) and the
    dimensions unit, year, scope and phase (年初 = proposed budget, 调整 = adjusted, 执行 = executed)."""
    return {
        "name": "jixiao-budget",
        "title": title,
        "profile": "fiscal-data-package",
        "resources": [
            {
                "name": "budget",
                "path": "budget.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": [
                        {"name": "unit", "type": "string", "title": "单位"},
                        {"name": "parent", "type": "string", "title": "主管部门"},
                        {"name": "year", "type": "year", "title": "年度"},
                        {
                            "name": "scope",
                            "type": "string",
                            "title": "口径（总/基本/项目/人员/公用/资金来源）",
                        },
                        {
                            "name": "phase",
                            "type": "string",
                            "title": "阶段",
                            "constraints": {"enum": ["年初", "调整", "执行"]},
                        },
                        {"name": "amount", "type": "number", "title": "金额（万元）", "decimalChar": "."},
                    ]
                },
            }
        ],
        "model": {
            "measures": {
                "amount": {
                    "source": "amount",
                    "currency": "CNY",
                    "factor": 10000,
                    "direction": "expenditure",
                }
            },
            "dimensions": {
                "administrative-classification": {
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                    "attributes": {
                        "unit": {"source": "unit"},
                        "parent": {"source": "parent", "parent": "unit"},
                    },
                    "primaryKey": ["unit"],
                },
                "date": {
                    "dimensionType": "datetime",
                    "attributes": {"year": {"source": "year"}},
                    "primaryKey": ["year"],
                },
                "scope": {
                    "dimensionType": "classification",
                    "classificationType": "economic",
                    "attributes": {"scope": {"source": "scope"}},
                    "primaryKey": ["scope"],
                },
                "phase": {
                    "dimensionType": "other",
                    "description": "年初 = proposed（年初预算数）；调整 = adjusted（全年预算数）；执行 = executed（全年执行数）",
                    "attributes": {"phase": {"source": "phase"}},
                    "primaryKey": ["phase"],
                },
            },
        },
    }


def datapackage_zip(documents: Iterable[schema.Document]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(datapackage(), ensure_ascii=False, indent=2))
        z.writestr("budget.csv", budget_csv(documents))
    return buf.getvalue()
