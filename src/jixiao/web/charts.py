"""Dashboard figures over the documents a user may see: findings by rule, grades, stated against
recomputed score, execution rates, units with most errors. Numbers go to the page as JSON strings of
Decimals (ECharts reads them as numbers)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from jixiao.store import schema

GRADES = ("优", "良", "中", "差")
RATE_BINS = ("<80%", "80–85%", "85–90%", "90–95%", "95–98%", "98–100%", "100%")


def _rate_bin(rate: Decimal) -> str:
    for bound, label in ((80, 0), (85, 1), (90, 2), (95, 3), (98, 4), (100, 5)):
        if rate < bound:
            return RATE_BINS[label]
    return RATE_BINS[6]


def dashboard(documents: list[schema.Document], findings: list[tuple[str, str]]) -> dict[str, Any]:
    """``findings``: (code, severity) of every finding of ``documents``."""
    by_rule = Counter(code for code, _ in findings).most_common(20)
    grades = Counter(d.grade for d in documents if d.grade)
    scatter = [
        [d.stated_score, d.recomputed_score, d.unit.name if d.unit else d.filename, d.year]
        for d in documents
        if d.stated_score and d.recomputed_score
    ]
    rates = Counter(_rate_bin(Decimal(d.execution_rate)) for d in documents if d.execution_rate)
    errors: Counter[str] = Counter()
    for d in documents:
        if d.errors and d.unit:
            errors[d.unit.name] += d.errors
    return {
        "rules": {"codes": [c for c, _ in by_rule], "counts": [n for _, n in by_rule]},
        "grades": [
            {"name": g, "value": grades.get(g, 0)} for g in (*GRADES, *sorted(set(grades) - set(GRADES)))
        ],
        "scatter": scatter,
        "rates": {"bins": list(RATE_BINS), "counts": [rates.get(b, 0) for b in RATE_BINS]},
        "errors": {
            "units": [u for u, _ in errors.most_common(10)][::-1],
            "counts": [n for _, n in errors.most_common(10)][::-1],
        },
        "documents": len(documents),
    }
