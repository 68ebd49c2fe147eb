"""Outline checks (T30x): heading numbering, required sections and their order, empty sections."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.patterns import lazy_compile
from jixiao.core.rules.registry import check, rule
from jixiao.review.context import ReviewContext
from jixiao.review.doctype import document_type, matched_sections, outline_applies, sections_present
from jixiao.review.document import Block
from jixiao.review.structure import (
    _NONE_SAID,
    _RANK,
    Heading,
    match_heading,
    render_marker,
)

__all__: list[str] = []  # checks register themselves; nothing here is imported by name


# ---------------------------------------------------------------- checks


def _excerpt(heading: Heading) -> str:
    first = heading.text.splitlines()[0] if heading.text else ""
    return first if len(first) <= 80 else first[:79] + "…"


def _sibling_runs(ctx: ReviewContext) -> list[list[Heading]]:
    """Siblings that share a parent and a numbering family, in document order (do not modify); worked
    out once per run of the checks: five checks ask."""
    return ctx.derive("structure.sibling_runs", ctx.sections, _runs_of)


def _runs_of(headings: Sequence[Heading]) -> list[list[Heading]]:
    groups: dict[tuple[int | None, str], list[Heading]] = {}
    for h in headings:
        groups.setdefault((h.parent, h.family), []).append(h)
    return list(groups.values())


def _deep(h: Heading) -> bool:
    # Items and arabic/circled lists are where a reader is likeliest to have merged or split a line,
    # so their numbering findings are warnings, while a broken 一、/（一）/第X部分 sequence is an error.
    return h.item or _RANK[h.family.split(":")[0]] > _RANK["pcn"]


@dataclass(frozen=True, slots=True)
class _Step:
    kind: str  # "gap", "duplicate", "back"
    prev: Heading
    here: Heading
    expected: int


def _steps(run: Sequence[Heading]) -> Iterator[_Step]:
    length = 1
    ends: list[int] = []  # last numbers of the earlier lists in this run
    for prev, here in pairwise(run):
        if here.number == prev.number + 1:
            length += 1
            continue
        if here.number == 1 and (length > 1 or prev.number > 1):
            ends.append(prev.number)  # a new list under the same parent (two lists in one section)
            length = 1
            continue
        if here.number - 1 in ends:
            # The earlier list goes on: what came between was a list written in the same style
            # ("八、下一步改进措施" holding "一、…二、…" items, then "九、").
            ends.remove(here.number - 1)
            ends.append(prev.number)
            length = 2
            continue
        if here.number == prev.number:
            yield _Step("duplicate", prev, here, prev.number + 1)
        else:
            yield _Step("gap" if here.number > prev.number else "back", prev, here, prev.number + 1)
        length += 1


# ---------------------------------------------------------------- headings read with confidence

# A heading marker inside a line, where a flattened page put the next heading ("…完成。 二、项目资金…").
_INNER_MARKER = lazy_compile(
    r"(?:^|(?<=[\s。；;：:，,！!？?|]))(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+部分)"
)
_AFTER_STOP = r"(?:(?<=[\s。；;：:，,！!？?|]))"
_CN_MARK = r"[一二三四五六七八九十]{1,3}、"
_PCN_MARK = r"[（(][一二三四五六七八九十]{1,3}[）)]"
_AR_MARK = r"\d{1,2}[、.．](?!\d)"
# Mid-line markers of a family and of the families above it, by family: a step of that family is not
# read across a line holding one of them.
_OUTER_MARKERS = {
    "cn": lazy_compile(_AFTER_STOP + f"(?:{_CN_MARK})"),
    "pcn": lazy_compile(_AFTER_STOP + f"(?:{_CN_MARK}|{_PCN_MARK})"),
    "ar": lazy_compile(_AFTER_STOP + f"(?:{_CN_MARK}|{_PCN_MARK}|{_AR_MARK})"),
}
_DECIMAL_OUTLINE = lazy_compile(r"^\s*\d{1,2}\.\d{1,2}(?!\d)\s*[^\d.%％]")  # "1.2部门支出描述"
# A heading whose number the extraction lost: the line starts with the number's leftover bracket or
# delimiter (")总体情况"), or is a short title-like line without sentence punctuation ("总体情况分析").
_NUMBER_LOST = lazy_compile(r"^\s*(?:[)）、．]\s*\S|[^\s\d。；;，,：:！!？?|]{4,24}\s*$)")


def _flattened(h: Heading) -> bool:
    """Does the heading's block hold another heading marker after its own (several headings or list
    items on one line, as web and PDF extraction leave them)? Its numbering then says nothing."""
    return _INNER_MARKER.search(h.text, len(h.label)) is not None


def _marker_re(label: str) -> re.Pattern[str]:
    """``label`` ("（二）", "3．") written anywhere a heading could start: a line start or after a space or
    a stop; brackets and delimiters in either width."""
    parts = []
    for ch in label:
        if ch in "（(":
            parts.append(r"[（(]\s*")
        elif ch in "）)":
            parts.append(r"\s*[）)]")
        elif ch in "、.．":
            parts.append(r"\s*[、.．]")
        else:
            parts.append(re.escape(ch))
    return re.compile(r"(?:^|(?<=[\s。；;：:，,！!？?|]))" + "".join(parts), re.MULTILINE)


def _said_in(blocks: Sequence[Block], start: int, end: int, labels: Sequence[str], skip: int = 0) -> bool:
    """Is one of ``labels`` written in ``blocks[start:end]`` (after the first ``skip`` characters of
    the first block: its own marker)? A missing number found there sits mid-line or is glued to a
    figure ("2.164个书屋"): the list is complete, only flattened."""
    patterns = [_marker_re(label) for label in labels]
    for i in range(start, end):
        text = blocks[i].text
        offset = skip if i == start else 0
        if any(p.search(text, offset) for p in patterns):
            return True
    return False


def _confident(ctx: ReviewContext, step: _Step) -> bool:
    """May this numbering step be reported: both headings stand on their own line, and the numbers
    it says are missing are not written mid-line in between?"""
    if _flattened(step.prev) or _flattened(step.here):
        return False
    blocks = ctx.document.blocks
    lo, hi = step.prev.block_index, step.here.block_index
    outer = _OUTER_MARKERS.get(step.here.family.split(":")[0])
    if outer is not None and any(outer.search(blocks[i].text, 1) for i in range(lo + 1, hi)):
        return False  # a heading of this level or above flattened into a line in between
    if step.kind == "duplicate":
        return not any(_DECIMAL_OUTLINE.match(blocks[i].text) for i in range(lo + 1, hi))
    if step.kind == "gap":
        missing = [render_marker(step.here.style, n) for n in range(step.expected, step.here.number)]
        if _said_in(blocks, lo, hi, missing[:5], skip=len(step.prev.label)):
            return False
        # As many title-like lines in between as numbers missing: the headings are there, their
        # numbers were lost in extraction (web pages drop "(二" and keep ")"), not skipped by the author.
        lost = sum(
            1
            for i in range(lo + 1, hi)
            if _NUMBER_LOST.match(blocks[i].text) and match_heading(blocks[i].text) is None
        )
        return lost < len(missing)
    return True


def _numbering_values(step: _Step) -> dict[str, str]:
    return {
        "expected": str(step.expected),
        "found": str(step.here.number),
        "previous": step.prev.label,
        "previous_line": str(step.prev.location.line or ""),
    }


@check("T301", target="document")
def numbering_gap(ctx: ReviewContext) -> Iterator[Finding]:
    for run in _sibling_runs(ctx):
        for step in _steps(run):
            if step.kind == "duplicate" or not _confident(ctx, step):
                continue
            expected = render_marker(step.here.style, step.expected)
            how = "跳号" if step.kind == "gap" else "序号倒退"
            message = (
                f"序号不连续（{how}）：“{step.prev.label}”之后应为“{expected}”，实为“{step.here.label}”。"
            )
            if step.kind == "gap":
                missing = [render_marker(step.here.style, n) for n in range(step.expected, step.here.number)]
                message += f"可能缺少{'、'.join(f'“{m}”' for m in missing[:5])}部分，或编号有误。"
            yield rule("T301").finding(
                message,
                step.here.location,
                excerpt=_excerpt(step.here),
                values=_numbering_values(step),
                related=[("上一个同级标题", step.prev.location)],
                severity=Severity.WARNING if _deep(step.here) else None,
            )


@check("T302", target="document")
def numbering_duplicate(ctx: ReviewContext) -> Iterator[Finding]:
    for run in _sibling_runs(ctx):
        for step in _steps(run):
            if step.kind != "duplicate" or not _confident(ctx, step):
                continue
            yield rule("T302").finding(
                f"序号重复：“{step.here.label}”与上一个同级标题（第{step.prev.location.line}行）编号相同，"
                f"应为“{render_marker(step.here.style, step.expected)}”。",
                step.here.location,
                excerpt=_excerpt(step.here),
                values=_numbering_values(step),
                related=[("编号相同的标题", step.prev.location)],
                severity=Severity.WARNING if _deep(step.here) else None,
            )


@check("T303", target="document")
def numbering_not_from_one(ctx: ReviewContext) -> Iterator[Finding]:
    blocks = ctx.document.blocks
    headings: list[Heading] = ctx.sections
    for run in _sibling_runs(ctx):
        first = run[0]
        if first.number == 1 or _deep(first) or _flattened(first):
            continue  # lists and items start anywhere in a cut or flattened text; only headings count
        start = headings[first.parent].block_index if first.parent is not None else 0
        if _said_in(blocks, start, first.block_index + 1, [render_marker(first.style, 1)]):
            continue  # the first one sits mid-line earlier
        yield rule("T303").finding(
            f"同级编号没有从 1 开始：第一个是“{first.label}”，应为“{render_marker(first.style, 1)}”。",
            first.location,
            excerpt=_excerpt(first),
            values={"expected": "1", "found": str(first.number)},
        )


@check("T304", target="document")
def required_section_missing(ctx: ReviewContext) -> Iterator[Finding]:
    outline = ctx.framework.outline
    if not outline or not outline_applies(ctx):
        return  # a cut excerpt or another kind of document: T308 or nothing, not one finding per section
    matched = matched_sections(ctx)
    found = sections_present(ctx)
    present = [i for i in range(len(outline)) if i in found]
    path = ctx.document.path
    if not present:
        # Nothing of the outline is there: a different kind of document, or unnumbered headings we
        # cannot see. One finding says so instead of one per section.
        titles = "、".join(s.title for s in outline if s.required)
        yield rule("T304").finding(
            f"未识别出评价框架“{ctx.framework.name}”提纲中的任何部分（{titles}）；"
            "文件可能不是该类报告，或标题没有按“一、……”编号。",
            Location(path=path),
            values={"expected": titles, "found": ""},
            severity=Severity.WARNING,
        )
        return
    for i, section in enumerate(outline):
        if not section.required or i in present:
            continue
        # Point at the heading it should precede, or else the one it should follow.
        after = next((h for h, index in matched if index > i), None)
        before = next((h for h, index in reversed(matched) if index < i), None)
        anchor = after or before
        if after is not None:
            place = f"，应位于“{after.label}{after.title}”之前"
        elif before is not None:
            place = f"，应位于“{before.label}{before.title}”之后"
        else:
            place = ""
        yield rule("T304").finding(
            f"缺少必备部分“{section.title}”（标题中应含 {'、'.join(section.match)} 之一）{place}。",
            anchor.location if anchor else Location(path=path),
            excerpt=_excerpt(anchor) if anchor else "",
            values={"expected": section.title, "section": section.key, "found": ""},
        )


@check("T305", target="document")
def section_order(ctx: ReviewContext) -> Iterator[Finding]:
    outline = ctx.framework.outline
    if not outline_applies(ctx):
        return
    matched = matched_sections(ctx)
    if len(matched) < 2:
        return
    keep = _longest_ordered([index for _, index in matched])
    kept = [matched[i] for i in sorted(keep)]
    # Where each section would stand if the found ones were in outline order (stable for equal indices).
    rank = {pos: r for r, pos in enumerate(sorted(range(len(matched)), key=lambda p: matched[p][1]), start=1)}
    for pos, (h, index) in enumerate(matched):
        if pos in keep:
            continue
        # The first in-order section that, by the outline, should come after this one.
        later = next((k for k in kept if k[1] > index), None)
        where = f"应位于“{later[0].label}{later[0].title}”之前" if later else "应更靠后"
        yield rule("T305").finding(
            f"部分顺序与提纲不符：“{h.label}{h.title}”（提纲第{index + 1}部分“{outline[index].title}”）{where}。",
            h.location,
            excerpt=_excerpt(h),
            values={"expected": str(rank[pos]), "found": str(pos + 1), "section": outline[index].key},
            related=[("应排在其后的部分", later[0].location)] if later else [],
        )


def _longest_ordered(seq: Sequence[int]) -> set[int]:
    """Positions of one longest non-decreasing subsequence (O(n²); outlines have a dozen entries)."""
    if not seq:
        return set()
    best = [1] * len(seq)
    prev = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] <= seq[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(len(seq)), key=lambda k: (best[k], -k))
    out = set()
    while i != -1:
        out.add(i)
        i = prev[i]
    return out


_LISTED = lazy_compile(r"[，,、；;]")
# A figure with its unit in a title: a statement ("成本指标…实际完成值为100%"), not a section title.
_FIGURE = lazy_compile(r"\d(?:\.\d+)?\s*(?:%|％|万元|元|人|户|个|次|场|分)")
_LISTED_LONG = 15  # a title this long with no body is a listed statement rather than a heading


def _section_ends(headings: Sequence[Heading], n_blocks: int) -> list[int]:
    """``section_end`` of every heading, in one pass: a heading's section ends at the first later heading
    of the same or a higher level. The open headings form a stack of strictly rising levels, so the ones a
    new heading ends are the top of it."""
    ends = [n_blocks] * len(headings)
    open_: list[Heading] = []
    for h in headings:
        while open_ and open_[-1].level >= h.level:
            ends[open_.pop().index] = h.block_index
        open_.append(h)
    return ends


def _has_body(blocks: Sequence[Block], heading: Heading, end: int) -> bool:
    """Is there any text in the section's body, ``blocks[heading.block_index + 1 : end]``?"""
    return any(blocks[i].text.strip() for i in range(heading.block_index + 1, end))


def _bare_lists(ctx: ReviewContext, ends: list[int]) -> set[int]:
    """Indices of headings in runs that are plain lists: every sibling is bodiless and childless, and
    every one reads as a statement ("1．负责全县道路养护、桥梁检测和路政管理"), not a title. Such runs are
    enumerations (a unit's duties), not a row of empty sections. ``ends``: from _section_ends."""
    out: set[int] = set()
    parents = {h.parent for h in ctx.sections}
    blocks = ctx.document.blocks
    for run in _sibling_runs(ctx):
        if len(run) < 2:
            continue
        if not all(_LISTED.search(h.title) or len(h.title) >= _LISTED_LONG for h in run):
            continue
        bare = all(h.index not in parents and not _has_body(blocks, h, ends[h.index]) for h in run)
        if bare:
            out.update(h.index for h in run)
    return out


_BARE_FIGURE = lazy_compile(r"^[\d.,%％\s-]+$")


def _after_bare_figure(blocks: Sequence[Block], index: int) -> bool:
    """Is the last non-empty block before ``index`` a bare figure (a table cell on its own line)?"""
    for i in range(index - 1, -1, -1):
        text = blocks[i].text.strip()
        if text:
            return _BARE_FIGURE.match(text) is not None
    return False


@check("T306", target="document")
def empty_section(ctx: ReviewContext) -> Iterator[Finding]:
    headings: list[Heading] = ctx.sections
    document = ctx.document
    ends = _section_ends(headings, len(document.blocks))
    listed = _bare_lists(ctx, ends)
    cut = document_type(ctx).truncated
    for h in headings:
        # The body first: most headings have one, and the two title patterns are asked of the rest.
        if h.item or h.inline or h.index in listed or _has_body(document.blocks, h, ends[h.index]):
            continue
        if _NONE_SAID.search(h.title) or _FIGURE.search(h.title):
            continue
        if cut and not _has_body(document.blocks, h, len(document.blocks)):
            continue  # the text stops here: T308 says so once
        if _after_bare_figure(document.blocks, h.block_index):
            continue  # a row label of a table flattened one cell per line ("2.74" / "2、出国经费" / "")
        nxt = next((o for o in headings[h.index + 1 :] if o.level <= h.level), None)
        until = f"，下一个同级或上级标题是“{nxt.label}{nxt.title}”" if nxt else "，其后已无正文"
        yield rule("T306").finding(
            f"“{h.label}{h.title}”下没有正文{until}。没有内容时请写明“无”及原因。",
            h.location,
            excerpt=_excerpt(h),
            values={
                "expected": "正文",
                "found": "",
                "next_line": str(nxt.location.line or "") if nxt else "",
            },
        )


@check("T307", target="document")
def mixed_numbering_style(ctx: ReviewContext) -> Iterator[Finding]:
    for run in _sibling_runs(ctx):
        first = run[0]
        other = next((h for h in run if h.style != first.style), None)
        if other is None:
            continue
        yield rule("T307").finding(
            f"同级编号格式不一致：前面用“{first.label}”，这里用“{other.label}”。",
            other.location,
            excerpt=_excerpt(other),
            values={"expected": first.style, "found": other.style},
            related=[("同级的第一个标题", first.location)],
        )


@check("T308", target="document")
def looks_truncated(ctx: ReviewContext) -> Iterator[Finding]:
    found = document_type(ctx)
    if not found.truncated:
        return
    yield rule("T308").finding(
        f"全文看起来不完整（{'；'.join(found.signs)}），可能只是报告的一部分；"
        "缺少的部分和没有正文的标题因此不再逐一报告。",
        Location(path=ctx.document.path, line=found.line),
        values={"kind": found.kind, "title": found.title, "signs": "；".join(found.signs)},
    )
