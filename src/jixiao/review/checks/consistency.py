"""Consistency checks (Q40x): one figure stated twice with different values, a source that differs
from the total; (Q41x) a report and its own 自评表 that disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from jixiao.core.decimals import fmt
from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.patterns import lazy_compile
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
from jixiao.review.quantities import parse_quantity
from jixiao.review.submission import Indicator, Pair, money_of

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


_MARKED = lazy_compile(r"【[^】]*】")


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


_QUOTED = lazy_compile(r"“([^”]{2,40})”")  # an event's name in quotes (not a cited 《document》)
_BARE_KEY = 2  # a count named by two characters or fewer ("调入", "人数") says too little of what it counts
# A figure after 其中 in its sentence with no stop between: one member of an enumeration.
_IN_LIST = lazy_compile(r"其中[^。；;]*$")
# What a count counts, written after the number ("352个村卫生室"): the first few characters.
_THING = lazy_compile(r"[\u4e00-\u9fa5]{2,4}")


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


# --- Q410–Q415: a report against its own 自评表 (target "bundle": review.submission.Pair) ------------
# Each finding sits in the report and names the 自评表's cell as related. Only what each file states once
# (its first total, its first 执行数 of all funds…) is compared, and a figure is wrong only when its interval
# cannot meet the other's: the report may round what the table states ("96分" for 95.8).

_MONEY_NAMES = {"年初预算": "年初预算数", "全年预算": "全年预算数", "执行数": "全年执行数"}


def _apart(a: Figure, b: Figure) -> bool:
    """Two statements of one figure that cannot both hold (each as written, with its rounding)."""
    return not a.quantity.interval.overlaps(b.quantity.interval) and not a.interval.overlaps(b.interval)


def _where(pair: Pair) -> str:
    return Path(pair.sheet.path).name


def _both(what: str, mine: Figure, theirs: Figure, pair: Pair) -> list[tuple[str, Location]]:
    return [(f"报告{what}：{mine.text}", mine.location), (f"自评表{what}：{theirs.text}", theirs.location)]


@check("Q410", target="bundle")
def bundle_total_score(pair: Pair) -> Iterable[Finding]:
    mine, theirs = pair.report.total, pair.sheet.total
    if mine is None or theirs is None or not _apart(mine, theirs):
        return
    yield rule("Q410").finding(
        f"报告的总分{mine.printed}分与自评表（{_where(pair)}）的总分{theirs.printed}分不一致",
        mine.location,
        excerpt=mine.excerpt,
        values={"stated": fmt(mine.value), "other": fmt(theirs.value), "unit": "分"},
        related=_both("总分", mine, theirs, pair),
        severity=_severity([mine, theirs]),
    )


@check("Q411", target="bundle")
def bundle_grade(pair: Pair) -> Iterable[Finding]:
    mine, theirs = pair.report.grade, pair.sheet.grade
    if mine is None or theirs is None or mine[0] == theirs[0]:
        return
    yield rule("Q411").finding(
        f"报告的评价等级“{mine[0]}”与自评表（{_where(pair)}）的等级“{theirs[0]}”不一致",
        mine[1],
        excerpt=mine[2],
        values={"stated": mine[0], "other": theirs[0]},
        related=[(f"报告等级：{mine[0]}", mine[1]), (f"自评表等级：{theirs[0]}", theirs[1])],
    )


@check("Q412", target="bundle")
def bundle_money(pair: Pair) -> Iterable[Finding]:
    for measure, name in _MONEY_NAMES.items():
        mine, theirs = money_of(pair.report, measure, pair.sheet), money_of(pair.sheet, measure, pair.report)
        if mine is None or theirs is None or not _apart(mine, theirs):
            continue
        yield rule("Q412").finding(
            f"报告的{name}{fmt(mine.wan)}万元与自评表（{_where(pair)}）的{name}{fmt(theirs.wan)}万元不一致",
            mine.location,
            excerpt=mine.excerpt,
            values={"stated": fmt(mine.wan), "other": fmt(theirs.wan), "unit": "万元", "measure": name},
            related=_both(name, mine, theirs, pair),
            severity=_severity([mine, theirs]),
        )


@check("Q413", target="bundle")
def bundle_rate(pair: Pair) -> Iterable[Finding]:
    mine, theirs = pair.report.rate, pair.sheet.rate
    if mine is None or theirs is None or not _apart(mine, theirs):
        return
    yield rule("Q413").finding(
        f"报告的预算执行率{mine.printed}%与自评表（{_where(pair)}）的执行率{theirs.printed}%不一致",
        mine.location,
        excerpt=mine.excerpt,
        values={"stated": fmt(mine.value), "other": fmt(theirs.value), "unit": "%"},
        related=_both("执行率", mine, theirs, pair),
        severity=_severity([mine, theirs]),
    )


def _once(rows: dict[str, list[Indicator]]) -> dict[str, Indicator]:
    """Indicators named once (a report with several project tables repeats generic names)."""
    return {key: found[0] for key, found in rows.items() if len(found) == 1}


@check("Q414", target="bundle")
def bundle_indicator_value(pair: Pair) -> Iterable[Finding]:
    theirs_all = _once(pair.sheet.indicators)
    mine_all = _once(pair.report.indicators)
    for key, prose in _once(pair.report.prose_scores).items():
        mine_all.setdefault(key, prose)
    for key, mine in mine_all.items():
        theirs = theirs_all.get(key)
        if theirs is None:
            continue
        if mine.target and theirs.target and mine.target_location is not None:
            a, b = parse_quantity(mine.target), parse_quantity(theirs.target)
            if (
                a is not None
                and b is not None
                and a.unit == b.unit
                and not any(q.approximate and not q.comparator for q in (a, b))  # 约/左右: not compared
                and (a.value != b.value or a.comparator != b.comparator)  # "≥120" and "≥ 120.0" agree
            ):
                yield rule("Q414").finding(
                    f"指标“{mine.name}”的年度指标值：报告为“{mine.target}”，自评表（{_where(pair)}）为“{theirs.target}”",
                    mine.target_location,
                    excerpt=mine.excerpt,
                    values={"stated": mine.target, "other": theirs.target, "what": "年度指标值"},
                    related=[
                        (f"报告年度指标值：{mine.target}", mine.target_location),
                        (f"自评表年度指标值：{theirs.target}", theirs.target_location or theirs.location),
                    ],
                    severity=Severity.WARNING,
                )
        ms, ts, mw, tw = mine.score, theirs.score, mine.weight, theirs.weight
        if ms is None or ts is None or mw is None or tw is None:
            continue
        if not mw.interval.overlaps(tw.interval) or not _apart(ms, ts):
            continue  # another weight may be another indicator of the same name
        yield rule("Q414").finding(
            f"指标“{mine.name}”的得分：报告为{ms.printed}分，自评表（{_where(pair)}）为{ts.printed}分",
            ms.location,
            excerpt=ms.excerpt,
            values={"stated": fmt(ms.value), "other": fmt(ts.value), "unit": "分", "what": "得分"},
            related=_both(f"“{mine.name}”得分", ms, ts, pair),
            severity=_severity([ms, ts]),
        )


# Below this many indicators on either side a table is too short to say one is missing from the other.
_MIN_INDICATORS = 3


@check("Q415", target="bundle")
def bundle_indicator_missing(pair: Pair) -> Iterable[Finding]:
    mine, theirs = pair.report.indicators, pair.sheet.indicators
    if len(mine) < _MIN_INDICATORS or len(theirs) < _MIN_INDICATORS:
        return  # the report has no indicator table of its own: prose names indicators loosely
    only_sheet = [theirs[k][0] for k in theirs if k not in mine]
    only_report = [mine[k][0] for k in mine if k not in theirs]
    anchor = next(iter(mine.values()))[0]
    if only_sheet:
        names = "、".join(f"“{i.name}”" for i in only_sheet)
        yield rule("Q415").finding(
            f"自评表（{_where(pair)}）有而报告的指标表没有的指标：{names}",
            anchor.location,
            excerpt=anchor.excerpt,
            values={"missing": "、".join(i.name for i in only_sheet), "where": "报告"},
            related=[(f"自评表：{i.name}", i.location) for i in only_sheet],
        )
    if only_report:
        names = "、".join(f"“{i.name}”" for i in only_report)
        yield rule("Q415").finding(
            f"报告的指标表有而自评表（{_where(pair)}）没有的指标：{names}",
            only_report[0].location,
            excerpt=only_report[0].excerpt,
            values={"missing": "、".join(i.name for i in only_report), "where": "自评表"},
            related=[(f"报告：{i.name}", i.location) for i in only_report],
        )
