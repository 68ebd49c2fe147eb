"""Score checks on a report's claims (S25x/S260): subtotals, totals, weights, deductions, grades,
the execution indicator's score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_DOWN, Decimal

from jixiao.core.decimals import HUNDRED, ZERO, Interval, fmt, sum_intervals
from jixiao.core.findings import Finding, Severity
from jixiao.core.rules.registry import check, rule
from jixiao.review.checks.common import (
    _all_lines,
    _figures_interval,
    _first_per_key,
    _index,
    _line_objects,
    _of,
    _pct,
    _point_sum,
    _related,
    _row_key,
    _severity,
    _show,
    execution_score_interval,
)
from jixiao.review.claims.form_note import MandatedWeight
from jixiao.review.claims.glued import SOURCE as GLUED
from jixiao.review.claims.glued import ScoreCeiling
from jixiao.review.claims.model import (
    ExecutionScore,
    Figure,
    IndicatorTarget,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
)
from jixiao.review.claims.scores import GRADE_WORDS
from jixiao.review.claims.selfeval import IndicatorRow, target_met
from jixiao.review.context import ReviewContext
from jixiao.review.doctype import document_type
from jixiao.review.structure import section_end, section_of

__all__: list[str] = []  # checks register themselves; nothing here is imported by name


# --- S260: the execution indicator's score -------------------------------------------------------


@check("S260", target="document")
def execution_score_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    execution = ctx.framework.execution
    if execution is None:
        return  # this framework scores execution inside another indicator, by its own rule
    scored = [c for c in _of(ctx, ExecutionScore) if c.line.weight is not None and c.line.score is not None]
    for i, claim in enumerate(scored):
        weight, score = claim.line.weight, claim.line.score
        assert weight is not None and score is not None  # as filtered above
        stated = score.quantity.interval  # the score as written, rounding included ("10" for 9.87)
        computed = [
            (rate, execution_score_interval(weight.interval, rate.quantity.interval, execution.cap))
            for rate in claim.rates
        ]
        options = [(rate, interval) for rate, interval in computed if interval is not None]
        if not options or any(stated.overlaps(interval) for _, interval in options):
            continue  # no bounded rate to compute with, or one of the rates stated with it fits
        if any(e.line.score is not None and e.line.score.location == score.location for e in scored[:i]):
            continue  # one score read twice: reported once, at its first reading (places asked only here)
        rate, found = options[0]
        assert found is not None
        recomputed = found
        counted = min(rate.value, HUNDRED) if execution.cap else rate.value
        value = weight.value * counted / HUNDRED
        capped = "，执行率超过100%按100%计" if execution.cap and rate.value > HUNDRED else ""
        # 9.872 written 9.87 is rounding; written 9.8 it is cut off, a habit rather than a wrong score.
        step = Decimal(1).scaleb(-score.quantity.decimals)
        cut = score.value == value.quantize(step, rounding=ROUND_DOWN)
        note = "；所写得分是应得分直接截去尾数的结果，应四舍五入" if cut else ""
        yield rule("S260").finding(
            f"{claim.line.name}得分应为{_pct(value)}分（分值{weight.printed} × 执行率{rate.printed}%{capped}），"
            f"报告写{score.printed}分{note}",
            score.location,
            excerpt=score.excerpt,
            values={
                "stated": score.printed,
                "recomputed": _pct(value),
                "parts": f"{weight.printed} × {rate.printed}%",
                "stated_interval": _show(stated),
                "recomputed_interval": _show(recomputed),
            },
            related=_related([weight, rate]),
            severity=Severity.WARNING
            if cut or claim.line.source == GLUED
            else _severity([weight, score, rate]),
        )


# --- S251–S258: scores -----------------------------------------------------------------------------


def _item_figures(items: Sequence[ScoreLine], attr: str) -> list[Figure] | None:
    """Every item's ``attr`` figure ("score" or "weight"); None when there are no items or one lacks it."""
    figures = [getattr(i, attr) for i in items]
    # all() in C: a Figure is always true (no __bool__ or __len__), so only a None is false.
    return figures if figures and all(figures) else None


def _groups(ctx: ReviewContext) -> tuple[ScoreGroup, ...]:
    """The score groups, the first of each head (place and name) only."""
    index = _index(ctx)
    if index.groups is None:
        groups = index.of(ScoreGroup)
        kept = {id(head) for head in _first_per_key([g.head for g in groups])}
        out = []
        for g in groups:
            if id(g.head) in kept:
                kept.discard(id(g.head))  # a later group with this very head has its key: not kept
                out.append(g)
        index.groups = tuple(out)
    return index.groups


def _groups_where(ctx: ReviewContext, test: Callable[[ScoreGroup], bool]) -> list[ScoreGroup]:
    """The groups of ``_groups`` that pass ``test``. Every group is asked first: those of ``_groups`` are
    among them, so when none passes (a report without that mistake) no head's place is worked out."""
    if not any(map(test, _of(ctx, ScoreGroup))):
        return []
    return [g for g in _groups(ctx) if test(g)]


def _subtotal_differs(g: ScoreGroup, attr: str) -> bool:
    """The head's ``attr`` ("score" or "weight") cannot be the sum of its items' (all stated)."""
    head = getattr(g.head, attr)
    figures = _item_figures(g.items, attr)
    return head is not None and figures is not None and not head.interval.overlaps(_figures_interval(figures))


def _score_subtotal_differs(g: ScoreGroup) -> bool:
    return _subtotal_differs(g, "score")


def _weight_subtotal_differs(g: ScoreGroup) -> bool:
    return _subtotal_differs(g, "weight")


@check("S251", target="document")
def subtotal_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for g in _groups_where(ctx, _score_subtotal_differs):
        head = g.head.score
        figures = _item_figures(g.items, "score")
        assert head is not None and figures is not None
        interval = _figures_interval(figures)
        total, parts = _point_sum(figures, figures[0].quantity.unit)
        yield rule("S251").finding(
            f"{g.head.name}得分{fmt(head.value)}分不等于其下各项得分之和{fmt(total)}分（{parts}）",
            head.location,
            excerpt=head.excerpt,
            values={
                "stated": fmt(head.value),
                "recomputed": fmt(total),
                "parts": parts,
                "stated_interval": _show(head.interval),
                "recomputed_interval": _show(interval),
            },
            related=_related(figures),
        )


def _group_interval(g: ScoreGroup) -> Interval | None:
    """A first-level indicator's score from its items when all are stated, else its own stated score."""
    figures = _item_figures(g.items, "score")
    if figures is not None:
        return _figures_interval(figures)
    if g.head.score is not None:
        return g.head.score.interval
    return None


def _group_value(g: ScoreGroup) -> Decimal:
    """The point value of ``_group_interval`` (for a message: asked only when the total is wrong)."""
    figures = _item_figures(g.items, "score")
    if figures is not None:
        return _point_sum(figures, figures[0].quantity.unit)[0]
    assert g.head.score is not None
    return g.head.score.value


def _glued(t: ScoreTotal) -> Severity | None:
    """A total read from glued cells (claims/glued.py) rests on a guess about cell borders: it only warns."""
    return Severity.WARNING if any(g.head.source == GLUED for g in t.groups) else None


@check("S252", target="document")
def total_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, ScoreTotal):
        if t.total is None or not t.groups:
            continue
        intervals = [_group_interval(g) for g in t.groups]
        if any(v is None for v in intervals):
            continue
        interval = sum_intervals([v for v in intervals if v is not None])
        if t.total.interval.overlaps(interval):
            continue
        values = [_group_value(g) for g in t.groups]
        recomputed = sum(values, ZERO)
        parts = " + ".join(fmt(v) for v in values)
        # One finding for the whole chain: say whether the stated subtotals explain the gap.
        heads = [g.head.score for g in t.groups]
        note = ""
        if all(h is not None for h in heads):
            stated_sum = sum((h.value for h in heads if h is not None), Decimal(0))
            if stated_sum != recomputed:
                note = f"；各一级指标所报小计之和为{fmt(stated_sum)}分，小计与其明细不符"
        yield rule("S252").finding(
            f"总分{fmt(t.total.value)}分不等于各指标得分之和{fmt(recomputed)}分（{parts}）{note}",
            t.total.location,
            excerpt=t.total.excerpt,
            values={
                "stated": fmt(t.total.value),
                "recomputed": fmt(recomputed),
                "parts": parts,
                "stated_interval": _show(t.total.interval),
                "recomputed_interval": _show(interval),
            },
            related=[(g.head.name, (g.head.score or g.head.weight or t.total).location) for g in t.groups],
            severity=_glued(t),
        )


@check("S253", target="document")
def weight_subtotal_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for g in _groups_where(ctx, _weight_subtotal_differs):
        head = g.head.weight
        figures = _item_figures(g.items, "weight")
        assert head is not None and figures is not None
        if _cut_under(ctx, head.block_index):
            continue  # the text stops inside this part: its items are cut off, not missing (T308)
        total, parts = _point_sum(figures, figures[0].quantity.unit)
        yield rule("S253").finding(
            f"{g.head.name}分值{fmt(head.value)}分不等于其下各项分值之和{fmt(total)}分（{parts}）",
            head.location,
            excerpt=head.excerpt,
            values={"stated": fmt(head.value), "recomputed": fmt(total), "parts": parts},
            related=_related(figures),
            severity=Severity.WARNING if g.head.source == GLUED else None,
        )


def _cut_under(ctx: ReviewContext, block_index: int) -> bool:
    """Does a cut text (doctype) stop inside the section holding ``block_index``?"""
    if not document_type(ctx).truncated:
        return False
    inner = section_of(ctx.sections, block_index)
    return inner is not None and section_end(ctx.sections, inner, len(ctx.document.blocks)) == len(
        ctx.document.blocks
    )


@check("S254", target="document")
def weights_not_total(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, ScoreTotal):
        weights = [g.head.weight for g in t.groups]
        if len(weights) < 3 or any(w is None for w in weights):
            continue
        present = [w for w in weights if w is not None]
        interval = _figures_interval(present)
        expected = t.total_weight.value if t.total_weight is not None else ctx.framework.total_weight
        if interval.overlaps(Interval.exact(expected)):
            continue
        total, parts = _point_sum(present, "分")
        anchor = t.total_weight or t.total or present[0]
        yield rule("S254").finding(
            f"一级指标分值之和为{fmt(total)}分（{parts}），应为{fmt(expected)}分",
            anchor.location,
            excerpt=anchor.excerpt,
            values={"stated": fmt(expected), "recomputed": fmt(total), "parts": parts},
            related=_related(present),
            severity=_glued(t),
        )


def _lines_where(ctx: ReviewContext, test: Callable[[ScoreLine], bool]) -> list[ScoreLine]:
    """The lines of ``_all_lines`` that pass ``test``. Every line object is asked first: those of
    ``_all_lines`` are among them, so when none passes (a report without that mistake) no line's place
    is worked out."""
    if not any(map(test, _line_objects(ctx))):
        return []
    return [line for line in _all_lines(ctx) if test(line)]


def _is_one_of(line: ScoreLine, lines: Sequence[ScoreLine]) -> bool:
    """Whether ``line`` has the key (place and name) of one of ``lines``; places compared only between
    distinct lines of one name (see _first_per_key)."""
    namesakes = [other for other in lines if other.name == line.name]
    if not namesakes:
        return False
    if any(other is line for other in namesakes):
        return True
    return (line.location, line.name) in {(other.location, other.name) for other in namesakes}


def _score_above_weight(line: ScoreLine) -> bool:
    if line.weight is None or line.score is None:
        return False
    lo = line.score.interval.lo
    return not (lo is None or lo <= line.weight.value)


@check("S255", target="document")
def score_exceeds_weight(ctx: ReviewContext) -> Iterable[Finding]:
    for line in _lines_where(ctx, _score_above_weight):
        assert line.weight is not None and line.score is not None
        yield rule("S255").finding(
            f"{line.name}得分{fmt(line.score.value)}分超过分值{fmt(line.weight.value)}分",
            line.score.location,
            excerpt=line.score.excerpt,
            values={"stated": fmt(line.score.value), "weight": fmt(line.weight.value)},
            related=_related([line.weight]),
        )


def _deduction_differs(line: ScoreLine) -> bool:
    if line.weight is None or line.score is None or line.deduction is None:
        return False
    return not (line.weight.interval - line.score.interval).overlaps(line.deduction.interval)


@check("S256", target="document")
def deduction_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    for line in _lines_where(ctx, _deduction_differs):
        assert line.weight is not None and line.score is not None and line.deduction is not None
        diff = line.weight.value - line.score.value
        yield rule("S256").finding(
            f"{line.name}写明扣{fmt(line.deduction.value)}分，但分值{fmt(line.weight.value)}分减得分"
            f"{fmt(line.score.value)}分为{fmt(diff)}分",
            line.deduction.location,
            excerpt=line.deduction.excerpt,
            values={
                "stated": fmt(line.deduction.value),
                "recomputed": fmt(diff),
                "parts": f"{fmt(line.weight.value)} - {fmt(line.score.value)}",
            },
            related=_related([line.weight, line.score]),
        )


def _deducted_without_reason(line: ScoreLine) -> bool:
    if line.weight is None or line.score is None or line.has_reason:
        return False
    if "执行" in line.name:
        return False  # the execution score follows from the stated rate: the rate is its reason
    hi = line.score.interval.hi
    return not (hi is None or hi >= line.weight.value)


@check("S257", target="document")
def deduction_without_reason(ctx: ReviewContext) -> Iterable[Finding]:
    heads_with_items = [g.head for g in _of(ctx, ScoreGroup) if g.items]
    # A met target's deduction is S262's (the score is in question, not only its reason): one finding a row.
    met = [r.score for r in _of(ctx, IndicatorRow) if target_met(r) is True]

    def unexplained(line: ScoreLine) -> bool:
        # A subtotal's deduction is explained at its items (asked last: it may need places).
        if not _deducted_without_reason(line) or _is_one_of(line, heads_with_items):
            return False
        return not met or line.score is None or _row_key(line.score) not in {_row_key(f) for f in met}

    for line in _lines_where(ctx, unexplained):
        assert line.weight is not None and line.score is not None
        lost = line.weight.value - line.score.value
        yield rule("S257").finding(
            f"{line.name}分值{fmt(line.weight.value)}分、得分{fmt(line.score.value)}分，扣{fmt(lost)}分，未见扣分原因说明",
            line.score.location,
            excerpt=line.score.excerpt,
            values={"weight": fmt(line.weight.value), "stated": fmt(line.score.value), "deducted": fmt(lost)},
            related=_related([line.weight]),
        )


@check("S258", target="document")
def grade_mismatch(ctx: ReviewContext) -> Iterable[Finding]:
    """Every stated grade (the prose one and each 自评表 总分 row's) against the total beside it, or the
    first stated total when none is beside it; with no total anywhere, stated grades must agree."""
    grades = ctx.framework.grades
    totals = [t for t in _of(ctx, ScoreTotal) if t.grade in GRADE_WORDS]
    fallback = next((t.total for t in _of(ctx, ScoreTotal) if t.total is not None), None)
    for t in totals:
        total = t.total or fallback
        if total is None:
            continue
        stated_rank = GRADE_WORDS[t.grade]
        if stated_rank >= len(grades):
            continue
        lo = total.interval.lo if total.interval.lo is not None else total.value
        hi = total.interval.hi if total.interval.hi is not None else total.value
        possible = {ctx.framework.grade_for(lo), ctx.framework.grade_for(hi)}
        if grades[stated_rank].name in possible:
            continue
        expected = ctx.framework.grade_for(total.value)
        bands = "，".join(f"{g.name}≥{fmt(g.min)}" for g in grades)
        yield rule("S258").finding(
            f"总分{fmt(total.value)}分应评为“{expected}”，报告写“{t.grade}”（等级：{bands}）",
            t.grade_location,
            excerpt=t.grade_excerpt,
            values={"stated": t.grade, "recomputed": expected, "total": fmt(total.value)},
            related=_related([total]),
        )
    if fallback is None and len(totals) >= 2:
        first = totals[0]
        for other in totals[1:]:
            if GRADE_WORDS[other.grade] == GRADE_WORDS[first.grade]:
                continue
            where = f"第{first.grade_location.line}行" if first.grade_location.line else "前文"
            yield rule("S258").finding(
                f"评价等级前后不一致：此处写“{other.grade}”，{where}写“{first.grade}”；报告未写总分，无法判断哪一处正确",
                other.grade_location,
                excerpt=other.grade_excerpt,
                values={"stated": other.grade, "other": first.grade},
                related=[(f"等级：{first.grade}", first.grade_location)],
            )
            break


@check("S259", target="document")
def target_incomplete(ctx: ReviewContext) -> Iterable[Finding]:
    for t in _of(ctx, IndicatorTarget):
        if t.missing_unit:
            message = f"指标“{t.name}”的年度指标值“{t.target}”没有计量单位"
            severity = None
        elif t.missing_nature:
            message = f"指标“{t.name}”的年度指标值“{t.target}”未写明性质（≥、≤ 或 =）"
            severity = Severity.INFO
        else:
            continue
        yield rule("S259").finding(
            message, t.location, excerpt=t.excerpt, values={"target": t.target}, severity=severity
        )


# --- S268: a total above what the table's own deductions leave -------------------------------------


@check("S268", target="document")
def total_above_ceiling(ctx: ReviewContext) -> Iterable[Finding]:
    full = ctx.framework.total_weight
    for c in _of(ctx, ScoreCeiling):
        lost = [
            (line.weight.value - line.score.value, line)
            for line in c.deductions
            if line.weight and line.score
        ]
        ceiling = full - sum((d for d, _ in lost), ZERO)
        lo = c.total.quantity.interval.lo
        if lo is None or lo <= ceiling:
            continue
        parts = "、".join(f"{line.name}扣{fmt(d)}分" for d, line in lost)
        yield rule("S268").finding(
            f"自评得分{c.total.printed}分高于满分{fmt(full)}分减去表中已扣分数后的上限{fmt(ceiling)}分（{parts}）",
            c.total.location,
            excerpt=c.total.excerpt,
            values={"stated": c.total.printed, "recomputed": f"≤{fmt(ceiling)}", "parts": parts},
            related=[(line.name, line.location) for _, line in lost],
        )


# --- S269: a first-level weight against the form's own note ------------------------------------


@check("S269", target="document")
def weight_against_form_note(ctx: ReviewContext) -> Iterable[Finding]:
    for c in _of(ctx, MandatedWeight):
        wrong = [(name, m, s) for name, m, s in c.pairs if s.value != m.value]
        if not wrong:
            continue
        first = wrong[0][2]
        listed = "、".join(f"{name}写{s.printed}分（表注{m.printed}分）" for name, m, s in wrong)
        yield rule("S269").finding(
            f"一级指标分值与表注规定的不符：{listed}",
            first.location,
            excerpt=first.excerpt,
            values={
                "stated": "、".join(s.printed for _, _, s in wrong),
                "recomputed": "、".join(m.printed for _, m, _ in wrong),
            },
            related=[(name, s.location) for name, _, s in wrong[1:]] + [("表注", wrong[0][1].location)],
        )
