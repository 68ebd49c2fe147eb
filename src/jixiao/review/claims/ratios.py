"""Rates stated with both of their terms in one sentence, in the phrasings other than a budget's 执行率 (B156):

- 支付率/拨付率/到位率/兑付率/发放率/完成率 = done ÷ whole: "下达资金120万元，已拨付108万元，拨付率90%";
  or done ÷ (done + not done): "已支付860万元，未支付40万元，支付率95.56%";
- 执行率 of an amount owed: "应配套200万元，实际到位260万元，超规模配套60万元，执行率130%" (an excess term
  is kept only when it is done − whole, which confirms both roles);
- 增长/增加/下降/减少 X% against last year: "本年支出560万元，上年支出500万元，增长12%";
- 超任务/超计划 X%: "计划改造80户，实际改造96户，超任务20%";
- a 完成率 that names its amount ("年初预算收入完成率"), with that amount and its outturn in the rate's
  sentence or an earlier one of the block.

Only where the sentence names each term by its role (done, not done, whole, last year) and each role
once, and not both sides of the account (收入, 支出): a rate whose roles are ambiguous gives no claim.
A table cell written as sentences is read alone (``span``). Rates whose terms stand in an earlier
sentence: ratio_context.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import MONEY_UNITS, Figure, StatedRatio, make_figure, sentence_bounds
from jixiao.review.claims.roles import is_change
from jixiao.review.document import Block
from jixiao.review.quantities import Quantity

__all__ = ["DONE", "WHOLE", "nearest_role", "stated_ratios", "term_figure"]

_RATE = lazy_compile(r"(支付率|拨付率|到位率|兑付率|发放率|完成率|执行率)[为达是:：]?\s*$")
_GROWTH = lazy_compile(r"(?:比上年|较上年|同比)?(增长|增加|下降|减少)(?:了)?[为达:：]?\s*$")
_OVER = lazy_compile(r"(超任务|超计划|超额完成|超出计划)(?:了)?[为达:：]?\s*$")
_NOT_DONE = lazy_compile(r"未支付?|未拨付?|未到位|未兑付|未发放|未完成|尚未|剩余")
DONE = re.compile(r"已?支付|已?拨付|到位|兑付|发放|完成|实际")
_OWED = r"应(?:到位|拨付|支付|发放|配套|落实|筹集)"
WHOLE = re.compile(rf"下达|{_OWED}|计划|任务|预算|安排|批复")
# 执行率 of an amount owed ("应配套…，实际到位…，执行率…") is read here; of a budget, by B155, which knows
# the budget's measures and scopes (基本支出, 项目支出).
_OWED_WHOLE = lazy_compile(_OWED)
# The amount by which done exceeds whole ("超规模配套60万元", "超出计划5户"): named first, whatever
# role word follows (计划 in 超出计划 names what is exceeded, not the figure).
_EXCESS = lazy_compile(r"超(?:规模|额|出|支)|多出")
_LAST_YEAR = lazy_compile(r"上年|上一年|去年")
_ROLE_WORDS = 10  # the words just before a figure that name its role


def stated_ratios(
    index: int,
    block: Block,
    quantities: list[Quantity],
    span: tuple[int, int] | None = None,
    *,
    starts: Sequence[int] | None = None,
) -> Iterable[StatedRatio]:
    """The rates of ``block`` stated with both terms in their sentence (quantities: the block's, in order).

    ``span``: the part of ``block.text`` read (a table cell written as prose, whose quantities alone are
    given): no sentence, and no term, reaches past it. ``starts``: the start of each quantity's sentence,
    when the caller has them already."""
    text = block.text
    floor = span[0] if span is not None else 0
    completion = "完成率" in text  # what _NAMED_RATE needs: most blocks state none
    owed = "应" in text  # what every _OWED_WHOLE word starts with
    for i, q in enumerate(quantities):
        if q.unit != "%" or q.approximate or q.upper is not None:
            continue
        s = max(sentence_bounds(text, q.start)[0] if starts is None else starts[i], floor)
        lead = text[max(s, q.start - 12) : q.start]
        named = _named_completion(text, quantities, q, s, floor) if completion else None
        if named is not None:
            done_term, whole_term, label = named
            rate = make_figure(q, index, block, label=label)
            yield StatedRatio(
                rate, (term_figure(done_term, index, block),), (term_figure(whole_term, index, block),), label
            )
            continue
        # The rate's own word first: a % without one (a share, 控制率) gives nothing, whatever its terms.
        m = _RATE.search(lead)
        g = _GROWTH.search(lead) if m is None else None
        o = _OVER.search(lead) if m is None else None
        if m is None and g is None and o is None:
            continue
        if (
            m is not None
            and m.group(1) == "执行率"
            and (not owed or _OWED_WHOLE.search(text, s, q.start) is None)
        ):
            continue  # a budget's 执行率 (B155's): read below only with an amount owed before it (_owed)
        terms = [t for t in quantities[:i] if t.start >= s and t.unit != "%" and t.kind == "number"]
        if not terms or any(t.approximate for t in terms):
            continue
        roles = _roles(text, terms, s)
        if roles is None or len(set(_OBJECT.findall(text, s, q.start))) > 1:
            continue  # no roles, or terms of both sides of the account (收入预算…，实际支出…)
        excess = roles.pop("excess", None)
        if m is not None:
            found = _ratio(roles)
            if found is not None and m.group(1) == "执行率" and not _owed(text, found[1], s):
                found = None
            if found is not None:
                done_terms, whole_terms = found
                rate = make_figure(q, index, block, label=m.group(1))
                yield StatedRatio(
                    rate,
                    _figs(done_terms, index, block),
                    _figs(whole_terms, index, block),
                    m.group(1),
                    excess=None if excess is None else term_figure(excess, index, block),
                )
            continue
        if g is not None and "last" in roles and "level" in roles and len(roles) == 2:
            this, last = roles["level"], roles["last"]
            if this.unit != last.unit:
                continue
            rate = make_figure(q, index, block, label=f"{g.group(1)}率")
            # A rise of X%: this ÷ last = 100 + X; a fall (下降/减少) of X%: this ÷ last = 100 − X (B156).
            yield StatedRatio(
                rate,
                (term_figure(this, index, block),),
                (term_figure(last, index, block),),
                f"{g.group(1)}率",
                change=True,
            )
            continue
        if o is not None and "done" in roles and "whole" in roles and len(roles) == 2:
            done, whole = roles["done"], roles["whole"]
            if done.unit != whole.unit:
                continue
            rate = make_figure(q, index, block, label=o.group(1))
            yield StatedRatio(
                rate,
                (term_figure(done, index, block),),
                (term_figure(whole, index, block),),
                o.group(1),
                change=True,
            )


# "年初预算收入完成率为100%": the rate names the amount it completes; the amount and the outturn
# (决算/实际) stand together in the rate's sentence or an earlier one of the block: "年初预算收入500万元，
# 决算数为540万元". The outturn is of the same object: 收入 is not completed by 支出.
_NAMED_RATE = lazy_compile(r"([\u4e00-\u9fa5]{2,8}(?:收入|支出|预算|资金))完成率[为达是:：]?\s*$")
_OUTTURN = lazy_compile(r"决算|实际")
_OBJECTS = ("收入", "支出")
_OBJECT = lazy_compile("|".join(_OBJECTS))


def _named_completion(
    text: str, quantities: list[Quantity], rate: Quantity, start: int, floor: int = 0
) -> tuple[Quantity, Quantity, str] | None:
    """(outturn, named amount, label) of a 完成率 that names its amount, when the rate's sentence (else
    the block) states that amount once, as a plain level of this year, with one outturn of the same
    object after it in the same sentence."""
    m = _NAMED_RATE.search(text, max(start, rate.start - 16), rate.start)
    if m is None:
        return None
    name = m.group(1)
    places = [
        p.end()
        for p in re.compile(re.escape(name)).finditer(text, floor, m.start())
        if not _LAST_YEAR.search(text, max(floor, p.start() - 3), p.start())  # "上年年初预算收入"
    ]
    wholes = [
        q
        for q in quantities
        if q.unit in MONEY_UNITS and any(0 <= q.start - end <= 3 for end in places) and not q.approximate
    ]
    # The amount in the rate's own sentence is the one it names; else the block's only one.
    wholes = [q for q in wholes if q.start >= start] or wholes
    if len(wholes) != 1:
        return None
    whole = wholes[0]
    _, end = sentence_bounds(text, whole.start)
    after = [q for q in quantities if whole.end <= q.start < end and q.unit in MONEY_UNITS]
    if not after or after[0].unit != whole.unit or after[0].approximate:
        return None
    done = after[0]
    words = text[whole.end : done.start]
    if not _OUTTURN.search(words) or is_change(words) or _LAST_YEAR.search(words):
        return None
    if any(
        name.endswith(o) and other in words for o, other in zip(_OBJECTS, reversed(_OBJECTS), strict=True)
    ):
        return None  # "年初预算收入…，决算支出…": the outturn of the other side of the account
    return done, whole, f"{name}完成率"


def _owed(text: str, wholes: tuple[Quantity, ...], start: int) -> bool:
    """Is the whole an amount owed (应配套, 应到位…), named just before it?"""
    return (
        len(wholes) == 1
        and _OWED_WHOLE.search(text, max(start, wholes[0].start - _ROLE_WORDS), wholes[0].start) is not None
    )


def _figs(terms: tuple[Quantity, ...], index: int, block: Block) -> tuple[Figure, ...]:
    return tuple(term_figure(t, index, block) for t in terms)


def term_figure(q: Quantity, index: int, block: Block) -> Figure:
    # A whole number of things (96户) is counted, exact; an amount stands for its rounding interval.
    return make_figure(q, index, block, label="", exact=q.decimals == 0 and q.unit not in MONEY_UNITS)


def _roles(text: str, terms: list[Quantity], start: int) -> dict[str, Quantity] | None:
    """Each term's role from the words just before it: done, not done, whole, last year, or a level of
    this year; None when a role is named twice, a term is a change, or a term has no role."""
    roles: dict[str, Quantity] = {}
    prev = start
    for t in terms:
        words = text[max(prev, t.start - _ROLE_WORDS) : t.start]
        prev = t.end
        if _EXCESS.search(words):
            role = "excess"
        elif is_change(words):
            return None  # "比上年增加58万元": a change amount, not a level
        else:
            role = nearest_role(words)
        if role in roles:
            return None
        roles[role] = t
    return _checked_excess(roles)


def _checked_excess(roles: dict[str, Quantity]) -> dict[str, Quantity] | None:
    """The roles, when an excess term among them is what done exceeds whole by ("应配套200万元，实际到位
    260万元，超规模配套60万元" confirms both roles); None for an excess that does not fit, or without both."""
    excess = roles.get("excess")
    if excess is None:
        return roles
    done, whole = roles.get("done"), roles.get("whole")
    if done is None or whole is None or not done.unit == whole.unit == excess.unit:
        return None
    if not (done.interval - whole.interval).overlaps(excess.interval):
        return None
    return roles


_ROLE_PATTERNS = (("not_done", _NOT_DONE), ("last", _LAST_YEAR), ("whole", WHOLE), ("done", DONE))


@lru_cache(maxsize=256)
def nearest_role(words: str) -> str:
    """The role named closest before the figure ("任务资金支付1850万元": done, not whole); a tie (one
    word inside another, 未支付 and 支付) goes to the earlier pattern; "level" when none is named.

    Kept for recent words: the few words before a figure ("，全年预算", "，实际支出") recur in a report."""
    best, best_end = "level", -1
    for role, pattern in _ROLE_PATTERNS:
        for m in pattern.finditer(words):
            if m.end() > best_end:
                best, best_end = role, m.end()
    return best


def _ratio(roles: dict[str, Quantity]) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]] | None:
    """(done terms, whole terms) of a done ÷ whole rate, when the roles say exactly that."""
    done = roles.get("done")
    if done is None or "last" in roles or "level" in roles:
        return None
    if set(roles) == {"done", "not_done"} and roles["not_done"].unit == done.unit:
        return (done,), (done, roles["not_done"])
    if set(roles) == {"done", "whole"} and roles["whole"].unit == done.unit:
        return (done,), (roles["whole"],)
    return None
