"""Run the accuracy harness: clean reports (false alarms, recovery) and one-error reports (detection).

For each of ``n`` random clean evaluations (``jixiao_dev.synth``) the report is rendered in every layout and
reviewed: every error-level finding on a clean report is a false alarm. Then, for every error kind, one
copy of the report in one layout (round-robin over the layouts, so each kind meets each layout) gets
exactly one error typed in, and is reviewed again.

Detected = a *new* finding (absent from the clean review of the same rendering) whose code is one the
kind accepts, at the kind's severity or above, that points at the injected figure: its location (line,
or table and row) is where the injected text was read, or one of its related locations is, or its
values or its 【excerpt】 name the injected figure. "Flagged" counts a matching new finding anywhere.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.core.findings import Finding, Location, Severity
from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import Scored, score
from jixiao.report.numbers import rate2
from jixiao.review.document import Document
from jixiao.review.pipeline import FileReport, review_document
from jixiao_dev.harness.inject import KINDS, Injection, inject
from jixiao_dev.harness.layouts import LAYOUTS, Rendered, money_view, render
from jixiao_dev.synth import random_evaluation

__all__ = ["CleanStats", "HarnessResult", "KindStats", "Recovery", "run_harness"]

_EXAMPLES = 6  # misses and false alarms kept per kind / layout, for the report


@dataclass
class CleanStats:
    n: int = 0
    errors: int = 0
    reports_with_error: int = 0
    warnings: int = 0
    error_codes: Counter[str] = field(default_factory=Counter)
    warning_codes: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    error_findings: list[tuple[str, str]] = field(default_factory=list)  # (code, message) of every error


@dataclass
class KindStats:
    n: int = 0
    detected: int = 0
    flagged: int = 0
    not_placed: int = 0  # the rendering had no place for this kind of error
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.detected / self.n if self.n else None


@dataclass
class Recovery:
    n: int = 0
    recovered: int = 0  # some claim of this kind states the model's value
    wrong: int = 0  # claims of this kind exist, none with the model's value
    missing: int = 0  # no claim of this kind
    conflicting: int = 0  # recovered, but another claim of the same kind reads a different value


@dataclass
class HarnessResult:
    n: int
    seed: int
    layouts: tuple[str, ...]
    clean: dict[str, CleanStats]
    kinds: dict[str, KindStats]
    by_layout: dict[tuple[str, str], KindStats]
    recovery: dict[str, Recovery]
    seconds: float
    crashes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- locating


def _diff_location(clean: Document, dirty: Document) -> Location | None:
    """Where the injected text was read: the first character that differs between the two readings."""
    for a, b in zip(clean.blocks, dirty.blocks, strict=False):
        if a.text != b.text:
            offset = next((k for k, (x, y) in enumerate(zip(a.text, b.text, strict=False)) if x != y), None)
            if offset is None:
                offset = min(len(a.text), len(b.text)) - 1
            return b.location_at(max(offset, 0))
    if len(dirty.blocks) > len(clean.blocks):
        return dirty.blocks[len(clean.blocks)].location
    return None


def _same_place(a: Location, b: Location) -> bool:
    if a.table is not None and b.table is not None:
        return a.table == b.table and a.row == b.row
    return a.line is not None and a.line == b.line and a.page == b.page


def _numbers_in(values: Iterable[str]) -> list[Decimal]:
    """Every number in the values, including each term of a "a + b + c" parts list."""
    out = []
    for v in values:
        for token in re.split(r"[\s+、，,（）()=]+", str(v)):
            try:
                out.append(Decimal(token.rstrip("%分万元")))
            except (InvalidOperation, ValueError):
                continue
    return out


def _names_figure(f: Finding, inj: Injection, scale: Decimal) -> bool:
    if f"【{inj.new}" in f.excerpt:
        return True
    if inj.new_value is None:
        return False
    wanted = {inj.new_value, inj.new_value / scale}
    return any(v in wanted for v in _numbers_in(f.values.values()))


def _severity_ok(f: Finding, required: str) -> bool:
    return f.severity.rank >= Severity(required).rank


def _key(f: Finding) -> tuple[str, str]:
    return (f.code, f.message)


# --------------------------------------------------------------------------- recovery


def _claims_of(report: FileReport, name: str) -> list[Any]:
    claims = report.context.claims if report.context is not None else []
    return [c for c in claims if type(c).__name__ == name]


def _fig_value(fig: Any, money: bool = False) -> Decimal | None:
    if fig is None:
        return None
    try:
        return fig.wan if money else fig.value  # type: ignore[no-any-return]
    except AttributeError:
        return None


def _recovery(scored: Scored, report: FileReport) -> dict[str, str]:
    """For each figure kind: 'ok' (a claim states the model's value), 'wrong' (claims, none right), 'missing'."""
    out: dict[str, str] = {}
    view = money_view(scored.evaluation)

    def status(found: list[Decimal | None], truth: Decimal | None) -> str:
        if truth is None:
            return ""
        vals = [v for v in found if v is not None]
        if not vals:
            return "missing"
        if all(v == truth for v in vals):
            return "ok"
        return "conflicting" if any(v == truth for v in vals) else "wrong"

    facts = _claims_of(report, "BudgetFact")
    for label, scope, row in (
        ("总额", "总", "total"),
        ("基本支出", "基本", "basic"),
        ("项目支出", "项目", "project"),
    ):
        for measure, column in (("年初预算", "initial"), ("全年预算", "annual"), ("执行数", "executed")):
            found = [_fig_value(c.figure, True) for c in facts if c.scope == scope and c.measure == measure]
            out[f"{label}·{measure}"] = status(found, view.rows[row].get(column))
    rate = scored.execution_rate
    # The execution rate is the rate whose numerator is the total executed (other rows state theirs too).
    executed = view.rows["total"].executed
    rates = [
        _fig_value(c.rate)
        for c in _claims_of(report, "RateClaim")
        if _fig_value(getattr(c, "numerator", None), True) in (executed, None)
    ]
    out["预算执行率"] = status(rates, rate2(rate) if rate is not None else None)
    totals = _claims_of(report, "ScoreTotal")
    out["总分"] = status([_fig_value(c.total) for c in totals], scored.total)
    grades = [c.grade for c in totals if getattr(c, "grade", "")]
    out["等级"] = ("ok" if scored.grade in grades else "wrong") if grades else "missing"
    groups = _claims_of(report, "ScoreGroup")
    for g in scored.level1:
        heads = [c.head for c in groups if getattr(c.head, "name", "") == g.name]
        out[f"一级指标分值（{g.name}）"] = status([_fig_value(h.weight) for h in heads], g.weight)
        out[f"一级指标得分（{g.name}）"] = status([_fig_value(h.score) for h in heads], g.score)
    return {k: v for k, v in out.items() if v}


def _recovery_kind(name: str) -> str:
    return (
        "一级指标分值"
        if name.startswith("一级指标分值")
        else "一级指标得分"
        if name.startswith("一级指标得分")
        else name
    )


# --------------------------------------------------------------------------- the run


def run_harness(
    n: int = 200,
    seed: int = 1,
    *,
    layouts: Sequence[str] = LAYOUTS,
    kinds: Sequence[str] = tuple(KINDS),
    progress: Callable[[int], None] | None = None,
) -> HarnessResult:
    """Generate, render, review, inject, review again; every figure of the result is a count."""
    started = time.perf_counter()
    fw = load_framework("mof-2020")
    models = random.Random(seed)
    rng = random.Random(seed * 7919 + 1)
    clean = {layout: CleanStats() for layout in layouts}
    stats = {k: KindStats() for k in kinds}
    by_layout: dict[tuple[str, str], KindStats] = {}
    recovery: dict[str, Recovery] = {}
    crashes: list[str] = []
    for i in range(n):
        scored = score(random_evaluation(models, index=i), fw)  # synth money adds up: nothing to reconcile
        rendered: dict[str, tuple[Rendered, Document, FileReport]] = {}
        for layout in layouts:
            try:
                r = render(scored, layout, rng)
                doc = r.document([], name=f"r{i}-{layout}")
                report = review_document(doc, "mof-2020")
            except Exception as exc:
                crashes.append(f"report {i} layout {layout}: {type(exc).__name__}: {exc}")
                continue
            rendered[layout] = (r, doc, report)
            _count_clean(clean[layout], report, layout, i)
            for name, st in _recovery(scored, report).items():
                rec = recovery.setdefault(f"{layout}|{_recovery_kind(name)}", Recovery())
                rec.n += 1
                rec.recovered += st in ("ok", "conflicting")
                rec.conflicting += st == "conflicting"
                rec.wrong += st == "wrong"
                rec.missing += st == "missing"
        for j, kind in enumerate(kinds):
            layout = layouts[(i + j) % len(layouts)]
            if layout not in rendered:
                continue
            r, doc, report = rendered[layout]
            cell = by_layout.setdefault((kind, layout), KindStats())
            inj = inject(kind, r, scored, rng)
            if inj is None:
                stats[kind].not_placed += 1
                cell.not_placed += 1
                continue
            try:
                dirty = r.document(list(inj.edits), name=f"r{i}-{layout}-{kind}")
                after = review_document(dirty, "mof-2020")
            except Exception as exc:
                crashes.append(f"report {i} layout {layout} kind {kind}: {type(exc).__name__}: {exc}")
                continue
            detected, flagged = _judge(kind, inj, r, doc, dirty, report, after)
            for s in (stats[kind], cell):
                s.n += 1
                s.detected += detected
                s.flagged += flagged
            if not detected and len(stats[kind].misses) < _EXAMPLES:
                got = [
                    f"{f.code}@{f.location.line}"
                    for f in after.findings
                    if _key(f) not in {_key(g) for g in report.findings}
                ]
                stats[kind].misses.append(f"{layout} 报告{i}: {inj.note}；新增发现：{', '.join(got) or '无'}")
        if progress is not None:
            progress(i + 1)
    return HarnessResult(
        n, seed, tuple(layouts), clean, stats, by_layout, recovery, time.perf_counter() - started, crashes
    )


def _count_clean(st: CleanStats, report: FileReport, layout: str, i: int) -> None:
    st.n += 1
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    warnings = [f for f in report.findings if f.severity is Severity.WARNING]
    st.errors += len(errors)
    st.reports_with_error += bool(errors)
    st.warnings += len(warnings)
    st.error_codes.update(f.code for f in errors)
    st.error_findings.extend((f.code, f.message) for f in errors)
    st.warning_codes.update(f.code for f in warnings)
    for f in errors:
        if len(st.examples) < _EXAMPLES and not any(e.startswith(f"{f.code} ") for e in st.examples):
            st.examples.append(f"{f.code} 报告{i} {f.location}: {f.message}（原文：{f.excerpt[:80]}）")


def _judge(
    kind: str,
    inj: Injection,
    r: Rendered,
    doc: Document,
    dirty: Document,
    before: FileReport,
    after: FileReport,
) -> tuple[bool, bool]:
    spec = KINDS[kind]
    old = {_key(f) for f in before.findings}
    matching = [
        f
        for f in after.findings
        if _key(f) not in old and f.code in spec.codes and _severity_ok(f, spec.severity)
    ]
    flagged = bool(matching)
    if not spec.located:
        return flagged, flagged
    where = _diff_location(doc, dirty)
    for f in matching:
        if where is not None and (
            _same_place(f.location, where) or any(_same_place(loc, where) for _, loc in f.related)
        ):
            return True, flagged
        if _names_figure(f, inj, r.amount_scale):
            return True, flagged
    return False, flagged
