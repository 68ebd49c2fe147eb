"""JSON output: the model as typed, every computed figure, and the findings.

Decimals are strings (exact, as computed); rates also come rounded as printed ("rate_printed"), so a
consumer can check a report against this file without re-implementing the rounding.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from jixiao.core.findings import Finding, sort_findings
from jixiao.core.rules.registry import finding_dict
from jixiao.model.money import COLUMNS, money_view
from jixiao.model.scoring import GroupScore, Scored
from jixiao.report.numbers import fmt_rate, fmt_score

__all__ = ["render_json", "scored_dict"]


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _rate(value: Decimal | None) -> dict[str, str | None]:
    return {"exact": _s(value), "printed": fmt_rate(value) or None}


def _group(g: GroupScore) -> dict[str, Any]:
    return {
        "path": g.path,
        "name": g.name,
        "weight": _s(g.weight),
        "children_weight": _s(g.children_weight),
        "score": _s(g.score),
        "score_printed": fmt_score(g.score),
    }


def scored_dict(scored: Scored) -> dict[str, Any]:
    """Every figure the framework computed, for `jixiao score --format json` (no reconciliation)."""
    ev = scored.evaluation
    fw = scored.framework
    indicators = [
        {
            "path": s.path,
            "level1": s.level1,
            "level2": s.level2,
            "name": s.indicator.name,
            "nature": s.indicator.nature.value,
            "weight": _s(s.weight),
            "score": _s(s.score),
            "score_printed": fmt_score(s.score),
            "full": s.full,
            "actual": _s(s.actual),
            "ratio": _s(s.ratio),
            "method": s.method,
            "note": s.note,
        }
        for s in scored.indicators
    ]
    groups = [_group(g) for g in scored.level2]
    level1 = [
        {**_group(g), "deducted": _s(g.weight - g.score) if g.score < g.weight else "0"}
        for g in scored.level1
    ]
    return {
        "unit": ev.unit.name,
        "year": ev.unit.year,
        "framework": fw.name,
        "amount_unit": ev.amount_unit,
        "execution": {
            "name": fw.execution.name if fw.execution else None,
            "rate": _rate(scored.execution_rate),
            "weight": _s(scored.execution_weight),
            "score": _s(scored.execution_score),
        },
        "rates": {key: _rate(value) for key, value in scored.rates.items()},
        "indicators": indicators,
        "level2": groups,
        "level1": level1,
        "total_weight": _s(scored.execution_weight + sum((g.weight for g in scored.level1), Decimal(0))),
        "total": _s(scored.total),
        "total_printed": fmt_score(scored.total),
        "grade": scored.grade,
    }


def _money(scored: Scored) -> dict[str, Any]:
    view = money_view(scored.evaluation)
    rows = {
        key: {
            "label": row.label,
            **{c: _s(row.get(c)) for c in COLUMNS},
            "typed": None if row.typed is None else {c: _s(getattr(row.typed, c)) for c in COLUMNS},
            "replaced": list(row.replaced),
            "rate": _rate(row.rate),
        }
        for key, row in view.rows.items()
    }
    return {"rows": rows, "shares": {k: _rate(v) for k, v in view.shares.items()}}


def render_json(scored: Scored, findings: list[Finding]) -> str:
    """model (as typed) + money (as printed, with what was typed) + figures (of the report) + findings."""
    report = scored
    data = {
        "model": scored.evaluation.model_dump(mode="json"),
        "money": _money(scored),
        "figures": scored_dict(report),
        "reconciled": any(row.replaced for row in money_view(scored.evaluation).rows.values()),
        "findings": [finding_dict(f) for f in sort_findings(list(findings))],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
