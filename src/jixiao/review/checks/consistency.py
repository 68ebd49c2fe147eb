"""Consistency checks (Q40x): one figure stated twice with different values, a source that differs
from the total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.decimals import fmt
from jixiao.core.findings import Finding, Severity
from jixiao.core.rules.registry import check, rule
from jixiao.review.checks.common import (
    _all_lines,
    _line_objects,
    _of,
    _related,
    _severity,
)
from jixiao.review.claims.model import (
    BudgetFact,
    CountFact,
    Figure,
    ScoreLine,
    ScoreTotal,
    sentence_bounds,
)
from jixiao.review.claims.roles import batch_of, entity_of, year_of
from jixiao.review.context import ReviewContext

__all__: list[str] = []  # checks register themselves; nothing here is imported by name


# --- Q401/Q402: one figure stated twice ------------------------------------------------------------

_OTHER_SOURCES = {
    "其他资金",
    "上年结转",
    "政府性基金",
    "非税收入",
    "国有资本经营",
    "社会保险基金",
    "事业收入",
}


def _rough(f: Figure, as_written: bool = False) -> tuple[Decimal, Decimal, bool] | None:
    """The range a figure may stand for, as (lo, hi, hi_open). 30余 → [30, 40): 余 stops short of the next
    step in the last written digit; 近/以内 mirror it. 约/左右 have no range and are not compared.
    ``as_written``: a whole-number score stands for its rounding ("97" for 96.5) rather than exactly."""
    q = f.quantity
    if not q.approximate:
        iv = q.interval if as_written else f.interval
        if iv.lo is None or iv.hi is None:
            return None
        return iv.lo, iv.hi, False
    if q.upper is not None or q.interval.bounded or (q.interval.lo is None and q.interval.hi is None):
        return None
    digits = q.value.normalize()
    exponent = digits.as_tuple().exponent
    assert isinstance(exponent, int)
    step = Decimal(1).scaleb(max(exponent, 0))
    if q.interval.lo is not None:
        return q.value, q.value + step, True
    return q.value - step, q.value, False


def _disjoint(a: tuple[Decimal, Decimal, bool], b: tuple[Decimal, Decimal, bool]) -> bool:
    lo_a, hi_a, open_a = a
    lo_b, hi_b, open_b = b
    return hi_a < lo_b or hi_b < lo_a or (hi_a == lo_b and open_a) or (hi_b == lo_a and open_b)


_MARKED = re.compile(r"【[^】]*】")


def _around(ctx: ReviewContext, f: Figure) -> tuple[str, str, str]:
    """The words of a figure's paragraph before it, of its sentence before it, and just after it. The
    paragraph names the place or year a sentence inherits ("青阳县申请…；…实际支出239.53万元")."""
    blocks = ctx.document.blocks
    q = f.quantity
    if 0 <= f.block_index < len(blocks):
        text = blocks[f.block_index].text
        if text[q.start : q.end] == q.text:
            s, _ = sentence_bounds(text, q.start)
            return text[: q.start], text[s : q.start], text[q.end : q.end + 8]
    excerpt = f.excerpt or ""
    m = _MARKED.search(excerpt)
    if m is None:
        return "", "", ""
    pre = excerpt[: m.start()].lstrip("…")
    return pre, pre, excerpt[m.end() :]


def _same_subject(ctx: ReviewContext, a: Figure, b: Figure, *, counted: bool) -> bool | None:
    """Do two figures of one label speak of one thing? None: they do not (different year, batch, place;
    a member of a 其中 list; for counts, a different thing counted after the number). True: the same
    place (or none) named in both. False: may be the same, not shown (one names a place, the other not)."""
    para_a, pre_a, post_a = _around(ctx, a)
    para_b, pre_b, post_b = _around(ctx, b)
    for read in (year_of, batch_of):
        x, y = read(para_a), read(para_b)
        if x and y and x != y:
            return None
    if _IN_LIST.search(pre_a) or _IN_LIST.search(pre_b):
        return None
    place_a, place_b = entity_of(para_a), entity_of(para_b)
    if place_a and place_b and place_a != place_b:
        return None  # two places
    if counted:
        named_a, named_b = _QUOTED.findall(para_a), _QUOTED.findall(para_b)
        if named_a and named_b and named_a[-1] != named_b[-1]:
            return None  # the audience of two named events ("“…邀请展”一场，服务人次…")
        if len(a.label) <= _BARE_KEY:
            return None  # a bare "调入2名": too loose to call one figure
        thing_a, thing_b = _THING.match(post_a), _THING.match(post_b)
        if thing_a and thing_b and thing_a.group() != thing_b.group():
            return None
    return place_a == place_b


_QUOTED = re.compile(r"“([^”]{2,40})”")  # an event's name in quotes (not a cited 《document》)
_BARE_KEY = 2  # a count named by two characters or fewer ("调入", "人数") says too little of what it counts
# A figure after 其中 in its sentence with no stop between: one member of an enumeration.
_IN_LIST = re.compile(r"其中[^。；;]*$")
# What a count counts, written after the number ("352个村卫生室"): the first few characters.
_THING = re.compile(r"[\u4e00-\u9fa5]{2,4}")


@check("Q401", target="document")
def repeated_figure_conflict(ctx: ReviewContext) -> Iterable[Finding]:
    groups: dict[tuple[str, ...], list[Figure]] = {}
    for fact in _of(ctx, BudgetFact):
        if fact.scope in ("项目", "条目"):
            continue  # many projects each state their own 项目 amounts
        groups.setdefault(("money", fact.measure, fact.scope), []).append(fact.figure)
    for count in _of(ctx, CountFact):
        # A target is never the same quantity as an actual; a plain statement reads as an actual.
        stage = "target" if count.stage == "target" else "actual"
        groups.setdefault(("count", count.key, count.unit, stage), []).append(count.figure)
    totals = [t.total for t in _of(ctx, ScoreTotal) if t.total is not None]
    totals += [again for t in _of(ctx, ScoreTotal) for again in t.restated]
    if totals:
        groups[("score", "总分")] = totals
    for key, figures in groups.items():
        if len(figures) < 2:
            continue
        first = figures[0]
        first_range = _rough(first)  # the same for every other figure but a score total's (below)
        scores = key == ("score", "总分")
        for other in figures[1:]:
            # The total written twice to different precisions: "96.5" and then "97" is the same total
            # rounded, while "98" and "99" are two totals (S252 checks the first against the indicators).
            as_written = scores and first.quantity.decimals != other.quantity.decimals
            a = _rough(first, as_written) if as_written else first_range
            b = _rough(other, as_written)
            if a is None or b is None or not _disjoint(a, b):
                continue
            if other.location == first.location:
                continue  # one statement read twice; asked second, as places are worked out lazily
            same = _same_subject(ctx, first, other, counted=key[0] == "count")
            if same is None:
                continue  # another year, batch, place or thing, or a member of a 其中 list
            what = other.label or first.label
            unit = other.quantity.unit
            message = f"{what}前后不一致：此处为{other.text}，{first.location.line or '前文'}行为{first.text}"
            # Error only when both statements name the same subject the same way; else a warning.
            inferred = key[0] == "count" or (key[0] == "money" and not same)
            severity = Severity.WARNING if inferred else _severity([first, other])
            yield rule("Q401").finding(
                message,
                other.location,
                excerpt=other.excerpt,
                values={"stated": fmt(other.value), "other": fmt(first.value), "unit": unit},
                related=_related([first]),
                severity=severity,
            )
            break
    yield from _score_line_conflicts(ctx)


def _score_line_conflicts(ctx: ReviewContext) -> Iterable[Finding]:
    """An indicator scored in the prose and in the 自评表: one score stated twice. Paired only when the
    name occurs once on each side (reports that append several project tables repeat generic names)
    and both state the same weight (a different weight may be a different indicator)."""
    # Asked first of every line object: the lines of _all_lines are among them, so when no prose and
    # table line of one name conflict, none of _all_lines do, and no line's place is worked out.
    prose, table = _by_side(_line_objects(ctx))
    if not any(
        _conflict(t, p) for key, in_table in table.items() for t in in_table for p in prose.get(key, [])
    ):
        return
    prose, table = _by_side(_all_lines(ctx))
    for key, in_table in table.items():
        in_prose = prose.get(key, [])
        if len(in_table) != 1 or len(in_prose) != 1:
            continue
        t, p = in_table[0], in_prose[0]
        if not _conflict(t, p):
            continue
        assert t.score is not None and p.score is not None
        where = f"第{p.score.location.line}行" if p.score.location.line else "正文"
        yield rule("Q401").finding(
            f"{t.name}得分前后不一致：自评表为{fmt(t.score.value)}分，正文（{where}）为{fmt(p.score.value)}分",
            t.score.location,
            excerpt=t.score.excerpt,
            values={"stated": fmt(t.score.value), "other": fmt(p.score.value), "unit": "分"},
            related=_related([p.score]),
            severity=_severity([t.score, p.score]),
        )


def _by_side(lines: Iterable[ScoreLine]) -> tuple[dict[str, list[ScoreLine]], dict[str, list[ScoreLine]]]:
    """The scored lines (weight and score stated, named) of the prose and of the tables, by name
    without spaces."""
    prose: dict[str, list[ScoreLine]] = {}
    table: dict[str, list[ScoreLine]] = {}
    for line in lines:
        if line.score is None or line.weight is None or not line.name:
            continue
        side = table if line.source == "table" else prose
        side.setdefault("".join(line.name.split()), []).append(line)
    return prose, table


def _conflict(t: ScoreLine, p: ScoreLine) -> bool:
    """The same weight and scores that cannot be the same (both stated: see _by_side)."""
    assert t.score is not None and p.score is not None and t.weight is not None and p.weight is not None
    return t.weight.interval.overlaps(p.weight.interval) and not t.score.interval.overlaps(p.score.interval)


@check("Q402", target="document")
def source_differs_from_total(ctx: ReviewContext) -> Iterable[Finding]:
    facts = _of(ctx, BudgetFact)
    scopes = {f.scope for f in facts}
    if scopes & _OTHER_SOURCES:
        return  # the report names other funds: the difference is explained by them
    totals: dict[str, BudgetFact] = {}
    for f in facts:
        if f.scope == "总":
            totals.setdefault(f.measure, f)
    reported: set[str] = set()
    for f in facts:
        if f.scope not in ("财政拨款", "一般公共预算") or f.measure not in totals or f.scope in reported:
            continue
        total = totals[f.measure]
        if f.figure.interval.overlaps(total.figure.interval):
            continue
        reported.add(f.scope)  # once per source: its 预算数 and 执行数 usually differ for one reason
        diff = total.figure.wan - f.figure.wan
        above = diff < 0
        message = (
            f"{f.scope}{f.measure}{fmt(f.figure.wan)}万元与{f.measure}总额{fmt(total.figure.wan)}万元"
            + (f"相差{fmt(diff)}万元，报告未说明其余资金来源" if not above else "，来源资金超过总额")
        )
        yield rule("Q402").finding(
            message,
            f.figure.location,
            excerpt=f.figure.excerpt,
            values={"stated": fmt(f.figure.wan), "other": fmt(total.figure.wan), "difference": fmt(diff)},
            related=_related([total.figure]),
            severity=Severity.ERROR if above and not f.figure.approximate else None,
        )
