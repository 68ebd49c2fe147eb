"""Rates whose two terms stand together in an earlier sentence, named by the rate's own words (B156,
warning): "计划新建12座，实际建成15座。……全年新建数超计划20%" — the rate's clause names what is counted
(新建), its phrase names the whole (超计划: a 计划 figure) and the done (实际 / the rate's verb).

The relation is read, not stated, so it can only warn, and only where nothing else could be meant:
- the earlier sentence gives exactly one whole and one done figure of one unit, each named by its role
  word (计划/任务/下达… and 实际/完成/到位…), neither a change;
- the rate's phrase names the whole's role word (超任务 → 任务, 超计划 → 计划) or the done's verb (到位率 →
  到位), and its clause shares a word of what is counted (two characters, not a role word) with the
  earlier sentence;
- no year, place or other pair says otherwise: another year named on either side, a place the rate's
  clause names ("我县…") missing from the earlier sentence, or two earlier pairs with different figures
  that fit, give nothing.
执行率 is left to B155, which reads the budget's own measures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import StatedRatio, make_figure, sentence_bounds
from jixiao.review.claims.ratios import DONE, WHOLE, nearest_role, term_figure
from jixiao.review.claims.roles import entity_of, is_change, year_of
from jixiao.review.document import Block
from jixiao.review.quantities import Quantity, find_quantities

__all__ = ["earlier_term_ratios"]

# The rates read from earlier terms: 超任务/超计划 name their whole's role word (_OVER_WHOLE), the others
# their done's verb (到位率 → 到位).
_PHRASE = lazy_compile(
    r"(?P<label>超任务|超计划|超出计划|到位率|支付率|拨付率|兑付率|发放率|完成率)(?:了)?[为达是:：]?\s*$"
)
_OVER_WHOLE = {"超任务": "任务", "超计划": "计划", "超出计划": "计划"}
_CLAUSE_START = lazy_compile(r".*[，,。；;：:！？!?\n]", re.S)
_ROLE_WORDS = 10
# Words that say nothing about what is counted: role words, the speaker ("我市", "本单位"), fillers.
_NOT_OBJECT = lazy_compile(
    rf"{DONE.pattern}|{WHOLE.pattern}|[我本全该各][省市县区镇乡村局委厅部处所站]|本单位|本部门|单位|部门|年度|全年|数|的|为|是|了"
)


@dataclass(frozen=True, slots=True)
class _Pair:
    """One whole and one done figure of one unit in one sentence, with the words naming each."""

    index: int
    block: Block
    whole: Quantity
    done: Quantity
    whole_words: str
    done_words: str
    year: str
    sentence: str  # up to the done figure: where a place the rate names must appear


def earlier_term_ratios(
    blocks: Sequence[tuple[int, Block, list[Quantity] | None]], taken: set[tuple[int, int]]
) -> Iterable[StatedRatio]:
    """The rates of the prose ``blocks`` (index, block, its quantities; in order) read from an earlier
    sentence's terms. ``taken``: (block index, offset) of the rates already read in their own sentence.

    Quantities None: a block the caller has not scanned, known to hold no rate this reads (its figures
    are the values of labels, "年度指标值：95%"); it is scanned here only when its terms may be needed."""
    wanted = [
        (pos, q)
        for pos, (_, block, quantities) in enumerate(blocks)
        if quantities is not None
        for q in _candidates(block, quantities)
    ]
    wanted = [(pos, q) for pos, q in wanted if (blocks[pos][0], q.start) not in taken]
    if not wanted:
        return
    pairs: list[_Pair] = []
    read_up_to = 0  # blocks whose pairs are collected
    for pos, q in wanted:
        index, block, _ = blocks[pos]
        while read_up_to <= pos:
            at, earlier, quantities = blocks[read_up_to]
            if quantities is None:
                quantities = find_quantities(earlier.text)
            pairs.extend(_pairs(at, earlier, quantities))
            read_up_to += 1
        text = block.text
        s, _ = sentence_bounds(text, q.start)
        m = _PHRASE.search(text, max(s, q.start - 12), q.start)
        if m is None:
            continue
        label = m.group("label")
        clause = text[s : m.start()]
        cm = _CLAUSE_START.match(clause)
        subject = clause[cm.end() :] if cm else clause
        objects = _object_words(subject)
        if not objects:
            continue
        year, entity = year_of(text[s : q.start]), entity_of(subject)
        fits = {
            (p.whole.value, p.done.value, p.whole.unit): p
            for p in pairs
            if (p.index, p.whole.start) < (index, s)
            and _named_by(label, p)
            and any(w in p.sentence for w in objects)
            and (not year or not p.year or year == p.year)
            and (not entity or entity in p.sentence)
        }
        if len(fits) != 1:
            continue
        (pair,) = fits.values()
        rate = make_figure(q, index, block, label=label)
        yield StatedRatio(
            rate,
            (term_figure(pair.done, pair.index, pair.block),),
            (term_figure(pair.whole, pair.index, pair.block),),
            label,
            change=label in _OVER_WHOLE,
            inferred=True,
        )


def _candidates(block: Block, quantities: list[Quantity]) -> Iterable[Quantity]:
    text = block.text
    if "率" not in text and "超" not in text:
        return
    for i, q in enumerate(quantities):
        if q.unit != "%" or q.approximate or q.upper is not None:
            continue
        if _PHRASE.search(text, max(0, q.start - 12), q.start) is None:
            continue
        s, _ = sentence_bounds(text, q.start)
        if any(t.start >= s and t.unit != "%" and t.kind == "number" for t in quantities[:i]):
            continue  # the sentence has figures of its own: its reading (or its silence) stands
        yield q


def _named_by(label: str, pair: _Pair) -> bool:
    """Does the rate's phrase name the pair's roles: 超任务 a 任务 whole, 到位率 a 到位 done?"""
    whole_word = _OVER_WHOLE.get(label)
    if whole_word is not None:
        return whole_word in pair.whole_words[-_ROLE_WORDS:]
    return label[:-1] in pair.done_words[-_ROLE_WORDS:]


def _object_words(subject: str) -> set[str]:
    """Two-character words of what the rate's clause counts ("全市实际改造数" → 改造)."""
    rest = _NOT_OBJECT.sub("|", subject)
    return {
        part[i : i + 2]
        for part in rest.split("|")
        for i in range(len(part) - 1)
        if all("\u4e00" <= ch <= "\u9fff" for ch in part[i : i + 2])
    }


def _pairs(index: int, block: Block, quantities: list[Quantity]) -> Iterable[_Pair]:
    """Sentences of ``block`` holding exactly one whole and one done figure of some unit (other figures of
    other units may stand beside them: "任务数40座，实际建成52座，拨付资金96万元")."""
    text = block.text
    by_sentence: dict[int, list[Quantity]] = {}
    for q in quantities:
        if q.kind == "number" and q.unit not in ("", "%"):
            by_sentence.setdefault(sentence_bounds(text, q.start)[0], []).append(q)
    for s, terms in by_sentence.items():
        if len(terms) < 2:
            continue
        roles: dict[str, dict[str, list[tuple[Quantity, str]]]] = {}
        prev = s
        for t in terms:
            words = text[max(prev, t.start - _ROLE_WORDS) : t.start]
            prev = t.end
            role = "change" if is_change(words) or t.approximate else nearest_role(words)
            cm = _CLAUSE_START.match(text, s, t.start)
            roles.setdefault(t.unit, {}).setdefault(role, []).append(
                (t, text[cm.end() if cm else s : t.start])
            )
        for by_role in roles.values():
            if set(by_role) != {"whole", "done"} or len(by_role["whole"]) != 1 or len(by_role["done"]) != 1:
                continue
            (whole, whole_words), (done, done_words) = by_role["whole"][0], by_role["done"][0]
            if whole.start > done.start:
                continue  # the whole is stated first, as reports do; the other order is left alone
            yield _Pair(
                index,
                block,
                whole,
                done,
                whole_words,
                done_words,
                year_of(text[s : done.start]),
                text[s : done.start],
            )
