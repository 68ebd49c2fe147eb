"""What the units × years table shows of a checked report, worked out from its claims: the stated total
score and grade, the score recomputed from the indicator scores it states, the execution rate recomputed
from its budget figures, and the budget figures themselves (for the Fiscal Data Package). Where the report
does not say, nothing is claimed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Budget measures as the claims name them → the Fiscal Data Package's phase.
PHASES = {"年初预算": "年初", "全年预算": "调整", "执行数": "执行"}
SCOPES = ("总", "基本", "项目", "人员", "公用", "一般公共预算", "政府性基金", "非税收入")


def _value(figure: Any) -> Decimal | None:
    if figure is None:
        return None
    value = figure.quantity.value
    return value if isinstance(value, Decimal) else None


def scores(claims: list[Any]) -> tuple[str | None, str | None, str | None]:
    """(stated total, recomputed total, stated grade) from the first score-total claim."""
    total = next((c for c in claims if c.kind == "score-total"), None)
    if total is None:
        return None, None, None
    stated = _value(total.total)
    parts: list[Decimal] = []
    for group in total.groups:
        items = [_value(i.score) for i in group.items]
        if items and all(v is not None for v in items):
            parts.append(sum((v for v in items if v is not None), Decimal(0)))
        elif (head := _value(group.head.score)) is not None:
            parts.append(head)
        else:
            parts = []
            break
    recomputed = sum(parts, Decimal(0)) if parts else None
    return (
        None if stated is None else str(stated),
        None if recomputed is None else str(recomputed),
        total.grade or None,
    )


def figures(claims: list[Any]) -> dict[tuple[str, str], str]:
    """(phase, scope) → amount in 万元, the first the report states for each."""
    out: dict[tuple[str, str], str] = {}
    for c in claims:
        if c.kind != "budget" or c.measure not in PHASES or c.scope not in SCOPES:
            continue
        value = _value(c.figure)
        unit = c.figure.quantity.unit
        if value is None:
            continue
        if unit == "元":
            value = value / 10000
        elif unit == "亿元":
            value = value * 10000
        elif unit != "万元":
            continue
        out.setdefault((PHASES[c.measure], c.scope), str(value))
    return out


def execution_rate(found: dict[tuple[str, str], str]) -> str | None:
    """执行数 / 全年预算数 of the whole budget, in per cent to two places (half up)."""
    executed, annual = found.get(("执行", "总")), found.get(("调整", "总"))
    if executed is None or annual is None or Decimal(annual) == 0:
        return None
    rate = Decimal(executed) / Decimal(annual) * 100
    return str(rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
