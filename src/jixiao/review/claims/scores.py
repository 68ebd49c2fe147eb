"""Score lines in prose: "（二）产出指标（分值50分，得49分，扣1分）", "分值10分，得分9分", "得X分".

A score line is a numbered heading or item stating a weight (分值/权重/满分, or "（50分）" after the name)
and/or a score (得分/得). Its outline marker gives its depth: 一、 < （一） < 1、 < （1） < no marker.
Lines nest by depth: a line's items are the deeper lines after it up to the next line at its depth or
shallower. The total ("部门整体支出绩效得分99分", "自评得分95.5分") is a line with a total word and no
weight; the grade is "等级为优" and the like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.model import (
    Claim,
    Figure,
    Place,
    ScoreGroup,
    ScoreLine,
    ScoreTotal,
    anchored_line,
    is_table_like,
    make_figure,
    mark,
)
from jixiao.review.document import Block, Document
from jixiao.review.quantities import Quantity, find_quantities, new_quantity

__all__ = ["GRADE_RE", "GRADE_WORDS", "REASON_RE", "extract_score_claims", "find_grade"]

_CN = "一二三四五六七八九十"
_BREAK = r"[。；;\s]"  # a marker starts a text or follows one of these
_MARKER_BODY = (
    rf"\s*(?:(?P<a>[{_CN}]+、)|(?P<b>[（(]\s*[{_CN}]+\s*[）)])"
    r"|(?P<c>\d{1,2}\s*[、．.](?!\d))|(?P<d>[（(]\s*\d{1,2}\s*[）)]))"
)
_MARKER = lazy_compile(rf"(?:^|(?<={_BREAK})){_MARKER_BODY}")
# The same markers after a break, the break included: a pattern starting with a character class, which
# the regex engine searches for quickly, while _MARKER's lookbehind has it try every position.
_MARKER_AFTER_BREAK = lazy_compile(rf"{_BREAK}{_MARKER_BODY}")
_NUMBER_POINTS = lazy_compile(r"\d\s*分")  # what _has_number_points looks for


def _has_number_points(text: str) -> bool:
    """``_NUMBER_POINTS.search(text) is not None``: a digit, blanks, then 分. Found from each 分 back (a
    block names 分 a few times), as a regex search tries every character of the block (\\d and \\s are
    str.isdecimal and str.isspace)."""
    at = text.find("分")
    while at != -1:
        before = at - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before >= 0 and text[before].isdecimal():
            return True
        at = text.find("分", at + 1)
    return False


_RANK = {"a": 0, "b": 1, "c": 2, "d": 3}
_NO_MARKER = 9
_NUM = r"(\d+(?:\.\d+)?)"
_WEIGHT = lazy_compile(rf"(?:分值|权重|满分|标准分|指标分值)[为是:：]?\s*{_NUM}\s*分")
_WEIGHT_AFTER_NAME = lazy_compile(
    rf"^\s*(?:[（(]\s*[{_CN}\d]+\s*[）)]|[{_CN}]+、|\d{{1,2}}\s*[、．.])?\s*[^，,。；;：:（(\d]{{2,30}}[（(]\s*{_NUM}\s*分\s*[）)]"
)
_SCORE = lazy_compile(rf"(?:自评得分|实际得分|得分|得)[为是:：]?\s*{_NUM}\s*分")
_DEDUCT = lazy_compile(rf"扣(?:除|减)?\s*{_NUM}\s*分")
_NO_DEDUCT = lazy_compile(r"未扣分|不扣分|无扣分|没有扣分")
_TOTAL = lazy_compile(
    rf"(?:总分|总得分|综合得分|综合评分|自评得分|绩效得分|评价得分|最终得分|合计得分|得分合计)[为是:：]?\s*{_NUM}\s*分"
)
REASON_RE = re.compile(
    r"扣分原因|扣分理由|扣分说明|扣分依据|偏差原因|原因(?:是|为|在于|主要|分析)|主要是|主要原因|由于|因为|未达|未完成|未能"
    r"|没有|不足|欠缺|有待|偏差|差距|不够|滞后|延迟|推迟|受[^，。]{0,12}影响|存在[^，。]{0,8}问题"
)
GRADE_WORDS = {
    "优秀": 0,
    "优": 0,
    "一等": 0,
    "良好": 1,
    "良": 1,
    "二等": 1,
    "中等": 2,
    "中": 2,
    "合格": 2,
    "三等": 2,
    "较差": 3,
    "差": 3,
    "不合格": 3,
    "四等": 3,
}
GRADE_RE = re.compile(
    r"(?:评价等级|自评等级|绩效等级|评价等次|等级|等次|评价结果|评定为|评为|定为|结果为)[为是属于:：\s]*[“\"「『（(]?"
    r"(?P<g>优秀|良好|中等|不合格|合格|较差|一等|二等|三等|四等|优|良|中|差)"
)


@dataclass
class _Line:
    """A score line as read. Its ScoreLine is built once (``_build_lines``), when the score that may follow
    in the body and the reason for a deduction are known."""

    rank: int
    name: str
    block_index: int
    start: int  # offset of the segment in its block
    end: int
    weight: Figure | None
    score: Figure | None
    deduction: Figure | None
    anchor: Figure | None  # the line is shown where this is: its own score, else its weight
    has_reason: bool = True
    line: ScoreLine = field(init=False)
    children: list[_Line] = field(default_factory=list)


@lru_cache(maxsize=1024)
def _plain_number(number: str) -> Quantity | None:
    """The number ``number`` (digits as matched: "10", "9.85") reads as. The same few weights and scores
    recur in every report, so each is read once."""
    return next((q for q in find_quantities(number) if q.kind == "number"), None)


def _figure(block: Block, index: int, offset: int, number: str, label: str, *, weight: bool) -> Figure | None:
    """The figure of ``number``, a substring of ``block.text`` at ``offset``, pointing at its place there."""
    found = _plain_number(number)
    if found is None:
        return None
    # Re-anchored at its place in the block; built directly (dataclasses.replace is several times slower).
    # ``number`` is block.text[offset : offset + len(number)] (every caller matched it there).
    q = new_quantity(
        found.value,
        number,
        offset,
        offset + len(number),
        found.unit,
        found.decimals,
        found.approximate,
        found.qualifier,
        found.interval,
        found.comparator,
        found.kind,
        found.upper,
    )
    # A weight is a definition and a whole-number score an assigned number: both exact. A score written
    # with decimals was rounded, so it stands for its interval.
    exact = weight or q.decimals == 0
    return make_figure(q, index, block, label=label, exact=exact)


def _markers(text: str) -> list[re.Match[str]]:
    """The markers of ``text``: ``_MARKER.finditer(text)`` (the same groups, group spans and ends; a later
    match starts at the break before its marker).

    The one at 0 is matched there; each later one is found with the break before it. No marker ends with
    a break character (they end in 、．.）)), so the break before a marker never lies inside the one
    before it: searching on from the end of a match finds the same next marker as finditer."""
    first = _MARKER.match(text)
    found = [] if first is None else [first]
    pos = 0 if first is None else first.end()
    # A later marker has two or more characters, none blank, after its break: so the break lies in
    # text[pos : last non-blank character]. Most blocks have none there and need no search.
    if _has_break(text[pos : len(text.rstrip()) - 1]):
        found.extend(_MARKER_AFTER_BREAK.finditer(text, pos))
    return found


def _has_sentence_end(text: str) -> bool:
    """Does ``text`` hold one of 。；; (_SENTENCE_END)?"""
    return "。" in text or "；" in text or ";" in text


def _has_break(text: str) -> bool:
    """Does ``text`` hold a break (_BREAK: 。；; or a blank)? The blanks are what str.split() splits at, the
    characters regex \\s matches."""
    return _has_sentence_end(text) or text.split(None, 1) != [text]


def _segments(text: str) -> list[tuple[int, int, int]]:
    """(start, end, rank) of each marked segment; text before the first marker has rank _NO_MARKER."""
    cuts: list[tuple[int, int]] = []
    for m in _markers(text):
        kind = m.lastgroup or ""
        cuts.append((m.start(kind), _RANK.get(kind, _NO_MARKER)))
    marked: list[tuple[int, int, int]] = []
    if not cuts or cuts[0][0] > 0:
        marked.append((0, cuts[0][0] if cuts else len(text), _NO_MARKER))
    for i, (start, rank) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        marked.append((start, end, rank))
    # Sentences after the first in a segment ("…得分9.85分（分值10分）；产出指标得分…") are lines of their
    # own, nested under the marked line (rank _NO_MARKER is deeper than any marker).
    out: list[tuple[int, int, int]] = []
    for start, end, rank in marked:
        if not _has_sentence_end(text[start:end].rstrip()[:-1]):
            # No 。；; with anything but blanks after it: one sentence (the loop below would find no cut).
            out.append((start, end, rank))
            continue
        pos = start
        for m in _SENTENCE_END.finditer(text, start, end):
            cut = m.end()
            if cut < end and text[cut:end].strip():
                out.append((pos, cut, rank if pos == start else _NO_MARKER))
                pos = cut
        out.append((pos, end, rank if pos == start else _NO_MARKER))
    return out


_SENTENCE_END = lazy_compile(r"[。；;]")
_LEAD_WORD = lazy_compile(r"^(?:其中|综上)[:：，,]?")
_NAME_END = lazy_compile(r"[，,（(：:。；;]")
_SCORE_WORDS_ON = lazy_compile(r"(?:自评|实际)?得分.*$|(?:分值|权重).*$")
_TARGET_LABEL = lazy_compile(r"[，,]\s*(?:年度指标值|指标值|目标值)\s*[:：]")
_NAME_MAX = 40


def _name(segment: str) -> str:
    # The marker is usually where the segment starts: matched there, else searched for (what sub does).
    marker = _MARKER.match(segment)
    body = (segment[marker.end() :] if marker else _MARKER.sub("", segment, count=1)).strip()
    if body.startswith(("其中", "综上")):  # _LEAD_WORD matches nothing else
        body = _LEAD_WORD.sub("", body)
    # "聚合资源，建设新型宣传平台，年度指标值：…": an indicator's name may hold a comma; when the line
    # states a target, the name is everything before it (what the 自评表 row calls the indicator).
    # _TARGET_LABEL and _SCORE_WORDS_ON are searched only where their words are (most names hold neither).
    target = _TARGET_LABEL.search(body) if "指标值" in body or "目标值" in body else None
    if target is not None and 0 < target.start() <= _NAME_MAX:
        return body[: target.start()].strip()
    name = _NAME_END.split(body, maxsplit=1)[0].strip()
    if "得分" in name or "分值" in name or "权重" in name:
        name = _SCORE_WORDS_ON.sub("", name)
    return name[:30]


# A later "…得分N分" is the unit's total again only when it says so: a total word (总分, 综合得分…), or a
# score word with the whole unit named before it; never when a project or an indicator is named.
_TOTAL_WORDS = lazy_compile(r"总分|总得分|综合得分|综合评分|最终得分|合计得分|得分合计")
_WHOLE_UNIT = lazy_compile(r"本单位|本部门|部门整体|单位整体|整体支出|本项目|该项目|综上|总体|最终")
_SOMETHING_ELSE = lazy_compile(r"(?<![本该])项目|指标|子项|任务|活动|资金")  # 本项目/该项目: the report's own
# Not this year's total of this unit: another year or a subordinate unit named in the same clause, or the
# scoring rules' full marks ("本次评价采用百分制，总分100分", "指标体系总分100分").
_OTHER_YEAR_OR_UNIT = lazy_compile(r"上年|去年|以前年度|同比|较上|下属|所属|二级单位")
_RULES = lazy_compile(r"体系|百分制|满分|评分办法|评分标准|采用|设置|设定")
_CLAUSE_MARK = lazy_compile(r"[，,；;：:]")


def _is_total_statement(before: str, number: str) -> bool:
    """Can "…得分``number``分" after ``before`` (its sentence up to the score word) be this report's
    total score?"""
    clause = _CLAUSE_MARK.split(before)[-1]
    if _OTHER_YEAR_OR_UNIT.search(clause):
        return False
    return not (number.strip() in ("100", "100.0", "100.00") and _RULES.search(before))


def _restates_total(before: str, matched: str) -> bool:
    if _SOMETHING_ELSE.search(before):
        return False
    return _TOTAL_WORDS.search(matched) is not None or _WHOLE_UNIT.search(before) is not None


def extract_score_claims(document: Document) -> list[Claim]:
    lines: list[_Line] = []
    total: Figure | None = None
    restated: list[Figure] = []
    for index, block in enumerate(document.blocks):
        text = block.text
        # Every weight, score and total pattern ends "<digit>\s*分": a block without one has no score line.
        if (
            block.kind != "paragraph"
            or "分" not in text
            or not _has_number_points(text)
            or is_table_like(block)
        ):
            continue
        for start, end, rank in _segments(text):
            seg = text[start:end]
            if "分" not in seg:
                continue  # every pattern below ends in 分
            wm = _WEIGHT.search(seg) or _WEIGHT_AFTER_NAME.search(seg)
            sm = _SCORE.search(seg)
            tm = _TOTAL.search(seg) if wm is None else None  # a total is read only from a line without weight
            if wm is None and tm is not None and _is_total_statement(seg[: tm.start()], tm.group(1)):
                stated = _figure(block, index, start + tm.start(1), tm.group(1), "总分", weight=False)
                if total is None:
                    total = stated
                    continue
                if stated is not None and _restates_total(seg[: tm.start()], tm.group()):
                    restated.append(stated)  # compared with the first statement (Q401)
            if wm is None and (sm is None or rank == _NO_MARKER):
                continue
            name = _name(seg)
            weight = score = deduction = None
            if wm is not None:
                w_off = start + wm.start(1)
                weight = _figure(block, index, w_off, wm.group(1), f"{name}分值", weight=True)
            if sm is not None:
                s_off = start + sm.start(1)
                score = _figure(block, index, s_off, sm.group(1), f"{name}得分", weight=False)
            dm = _DEDUCT.search(seg) if "扣" in seg else None
            if dm is not None:
                d_off = start + dm.start(1)
                deduction = _figure(block, index, d_off, dm.group(1), f"{name}扣分", weight=True)
            lines.append(_Line(rank, name, index, start, end, weight, score, deduction, score or weight))
    _scores_from_body(document, lines)
    _mark_reasons(document, lines)
    _build_lines(document, lines)
    groups = _nest(lines)
    out: list[Claim] = []
    top: list[ScoreGroup] = []
    for node in groups:
        group = _group(node)
        top.append(group)
        out.extend(_subgroups(node, group))
    grade, grade_loc, grade_excerpt = find_grade(document)
    if top or total is not None or grade:
        out.append(ScoreTotal(total, tuple(top), grade, grade_loc, grade_excerpt, restated=tuple(restated)))
    return out


def _scores_from_body(document: Document, lines: list[_Line]) -> None:
    """ "（一）预算执行情况（10分）" followed by a paragraph ending "该项得9.94分": the score is in the body."""
    for i, ln in enumerate(lines):
        if ln.score is not None or ln.weight is None:
            continue
        stop = lines[i + 1].block_index if i + 1 < len(lines) else ln.block_index + 3
        for index in range(ln.block_index + 1, min(stop, ln.block_index + 3) + 1):
            if index >= len(document.blocks) or (i + 1 < len(lines) and index >= lines[i + 1].block_index):
                break
            block = document.blocks[index]
            if block.kind != "paragraph" or _MARKER.match(block.text) or is_table_like(block):
                break
            m = _SCORE.search(block.text)
            if m is None:
                continue
            fig = _figure(block, index, m.start(1), m.group(1), f"{ln.name}得分", weight=False)
            if fig is not None:
                ln.score = fig  # the line is still shown at its weight
            break


def _build_lines(document: Document, lines: list[_Line]) -> None:
    for ln in lines:
        if ln.anchor is not None:
            # Place and excerpt are read from the anchor figure, and only when asked for.
            ln.line = anchored_line(
                ln.name, ln.anchor, ln.weight, ln.score, ln.deduction, has_reason=ln.has_reason
            )
        else:
            # The line's own words are its place: worked out, like a figure's, only when shown.
            place = Place(document.blocks[ln.block_index], ln.start, ln.end)
            ln.line = ScoreLine(
                ln.name, ln.block_index, place, ln.weight, ln.score, ln.deduction, ln.has_reason
            )


def _nest(lines: list[_Line]) -> list[_Line]:
    """Nest lines by rank: each line's children are the deeper lines after it."""
    roots: list[_Line] = []
    stack: list[_Line] = []
    for ln in lines:
        # An unnumbered line is an item of the nearest first-level heading (the seed's lone 群众满意度
        # under 满意度指标), a sibling of numbered items rather than a child of the last one.
        floor = 2 if ln.rank == _NO_MARKER else ln.rank
        while stack and stack[-1].rank >= floor:
            stack.pop()
        if stack:
            stack[-1].children.append(ln)
        else:
            roots.append(ln)
        stack.append(ln)
    return roots


def _group(node: _Line) -> ScoreGroup:
    return ScoreGroup(node.line, tuple(c.line for c in node.children))


def _subgroups(node: _Line, group: ScoreGroup | None = None) -> Iterable[ScoreGroup]:
    """Every line with children is a group to check; top-level ones are yielded here too (``group``: the
    node's group, when already built: groups are immutable, so the total and this list share it)."""
    if node.children:
        yield group if group is not None else _group(node)
    for c in node.children:
        yield from _subgroups(c)


def _mark_reasons(document: Document, lines: list[_Line]) -> None:
    """A deduction needs a reason: in the line itself after its score, or before the next score line."""
    for i, ln in enumerate(lines):
        if ln.weight is None or ln.score is None:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        block = document.blocks[ln.block_index]
        text = block.text[ln.start : ln.end]
        if nxt is not None and nxt.block_index == ln.block_index:
            text = block.text[ln.start : nxt.start]
        elif nxt is not None:
            parts = [block.text[ln.start :]]
            parts += [b.text for b in document.blocks[ln.block_index + 1 : nxt.block_index]]
            parts.append(document.blocks[nxt.block_index].text[: nxt.start])
            text = "\n".join(parts)
        else:
            parts = [block.text[ln.start :]]
            parts += [b.text for b in document.blocks[ln.block_index + 1 : ln.block_index + 3]]
            text = "\n".join(parts)
        # The words "扣1分" themselves are not a reason.
        ln.has_reason = bool(REASON_RE.search(_DEDUCT.sub("", text) if "扣" in text else text))


def find_grade(document: Document) -> tuple[str, Location, str]:
    for block in document.blocks:
        text = block.text
        # Every GRADE_RE label holds 等, 评, 定 or 结果: most paragraphs are passed over without a search.
        if block.kind != "paragraph" or not ("等" in text or "评" in text or "定" in text or "结果" in text):
            continue
        m = GRADE_RE.search(text)
        if m is not None and not is_table_like(block):
            return m.group("g"), block.location_at(m.start("g")), mark(block.text, m.start("g"), m.end("g"))
    return "", Location(), ""
