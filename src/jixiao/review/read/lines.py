"""From source lines to blocks: paragraph joining, heading detection, normalisation with a line map.

A paragraph is a run of non-blank lines that one sentence was broken across by hard line breaks. A line
is joined to the previous one when the previous does not end a sentence (。；！？：: …) and the line does
not start a heading (一、 （一） (一) 1． 1. 1、 （1） ① 第一 一是 and markdown markers). A heading line takes
no continuation unless it is as wide as the widest lines (a hard-wrapped heading): "（三）人员编制情况"
followed by body text stays its own block. For PDFs the layout decides: a line continues only when the
previous line reaches the right margin and the next is not indented.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from jixiao.core.findings import Location
from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Block, Cell, Table, new_location
from jixiao.review.normalize import Mapped, Normalizer, may_change, normalize_map, normalize_text

__all__ = [
    "HEADING_RE",
    "SourceLine",
    "build_block",
    "build_table",
    "group_lines",
    "is_heading",
    "normalized_text_blocks",
    "plain_blocks",
    "source_lines",
]

_CN_NUM = "一二三四五六七八九十百零〇"
HEADING_RE = re.compile(
    rf"""^\s*(?:
        [{_CN_NUM}]+[、.．]                       # 一、
      | [（(]\s*[{_CN_NUM}]+\s*[）)]              # （一） (一)
      | [（(]\s*\d{{1,2}}\s*[）)]                 # （1） (1)
      | \d{{1,2}}(?:[、]|[.．](?!\d))             # 1、 1. 1．  (not 1.5)
      | \d{{1,2}}[）)]                            # 1） 1)
      | [\u2460-\u2473\u2474-\u2487\u2488-\u249b]  # ① ⑴ ⒈
      | 第[{_CN_NUM}\d]+                           # 第一（部分、章、条…）
      | [{_CN_NUM}]+是                             # 一是 二是
    )""",
    re.VERBOSE,
)
_MD_BLOCK = lazy_compile(r"^\s*(?:#{1,6}\s|>|[-*+]\s|\||```|~~~)")
# Markdown markup removed from a line's text (positions are tracked, so offsets still map to columns).
_MD_MARKUP = lazy_compile(r"^\s*#{1,6}\s+|^\s*>\s?|^\s*[-*+]\s+|\*\*|__|\\(?=[\\`*_{}\[\]()#+\-.!|])")
_FINAL = "。；！？：:;!?…"
_CLOSERS = "”’」』\"'"


# The characters the alternatives of HEADING_RE start with, besides digits (\d: str.isdecimal) and the
# whitespace before them (\s: str.isspace): a line starting with anything else, most lines of prose,
# is answered without the regex.
_HEADING_FIRST = frozenset(_CN_NUM + "（(第" + "".join(map(chr, range(0x2460, 0x249C))))


def is_heading(text: str) -> bool:
    """Does this (normalised) line start like a numbered heading or list item?"""
    first = text[:1]
    if first not in _HEADING_FIRST and not first.isdecimal() and not first.isspace():
        return False
    return bool(HEADING_RE.match(text))


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _FINAL


class SourceLine(NamedTuple):
    """A line as read (immutable; a named tuple, built in one call: a .txt report has one per line)."""

    text: str  # the line as in the source, without its line ending
    number: int  # 1-based line (docx: paragraph number; pdf: line on the page; html: source line)
    page: int | None = None
    full: bool | None = None  # pdf: reaches the right margin; None = layout unknown (plain text)
    indented: bool = False  # pdf: starts right of the left margin


_new_tuple = tuple.__new__


def source_lines(text: str) -> list[SourceLine]:
    """``SourceLine(line, n)`` for each line of ``text`` (numbered from 1), each built in one C call: a
    named tuple's own constructor is a Python function, and a report has a line every few dozen
    characters (tests/review/read/test_reading_shortcuts.py compares the two)."""
    return [
        _new_tuple(SourceLine, (line, n, None, None, False)) for n, line in enumerate(text.splitlines(), 1)
    ]


def _kept_spans(text: str, markdown: bool) -> list[tuple[int, int]]:
    """Stretches ``[start, end)`` of ``text`` that stay: markup removed, outer whitespace trimmed.

    Same characters as walking the line one by one, in slices: ``str.strip`` and ``str.isspace`` agree
    on what whitespace is."""
    if not markdown:  # no markup: the one stretch left is the stripped line, or nothing
        end = len(text.rstrip())
        return [(len(text) - len(text.lstrip()), end)] if end else []
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _MD_MARKUP.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    while spans:  # leading whitespace, possibly across several stretches
        a, b = spans[0]
        lead = len(text[a:b]) - len(text[a:b].lstrip())
        if a + lead < b:
            spans[0] = (a + lead, b)
            break
        spans.pop(0)
    while spans:
        a, b = spans[-1]
        kept = len(text[a:b].rstrip())
        if kept:
            spans[-1] = (a, a + kept)
            break
        spans.pop()
    return spans


def _kept_text(text: str, markdown: bool) -> str:
    if not markdown or _MD_MARKUP.search(text) is None:
        return text.strip()
    return "".join(text[a:b] for a, b in _kept_spans(text, markdown))


def _probe(line: SourceLine, markdown: bool) -> str:
    return normalize_text(_kept_text(line.text, markdown)).strip()


def _joiner(before: str, after: str) -> str:
    """Chinese lines join with nothing; two pieces of Latin text join with a space; digits join tight."""
    if before.isascii() and after.isascii() and not (before.isdigit() and after.isdigit()):
        return " "
    return ""


def group_lines(lines: Sequence[SourceLine], *, markdown: bool = False) -> list[list[SourceLine]]:
    """Split lines into paragraphs (see the module doc). Blank lines end a paragraph and are dropped."""
    return _group(lines, [_probe(line, markdown) for line in lines], markdown)


def plain_blocks(
    lines: Sequence[SourceLine], path: str, normalise: Normalizer = normalize_map
) -> list[Block]:
    """``build_block`` of each group of ``group_lines`` for plain text (not markdown), in one pass: each
    line is normalised once, and a one-line paragraph (most of a report saved as text) is built from that
    same normalisation instead of normalising its line again. ``normalise``: ``normalize_map``, or
    ``normalizer_for`` the text the lines are from (the same results, sooner)."""
    probes: list[str] = []
    normalised: list[Mapped | None] = []
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            probes.append("")
            normalised.append(None)
            continue
        norm = normalise(stripped)
        normalised.append(norm)
        probes.append(norm[0].strip())
    blocks: list[Block] = []
    for group in _group_indices(lines, probes, False):
        if len(group) == 1:
            block = _one_line_block(lines[group[0]], path, normalised[group[0]])
        else:
            block = build_block([lines[i] for i in group], path)
        if block is not None:
            blocks.append(block)
    return blocks


def normalized_text_blocks(raws: Sequence[str], norms: Sequence[str], path: str) -> list[Block]:
    """``plain_blocks`` of the lines ``raws`` of a text (numbered from 1) whose normalised lines are
    ``norms``, each of the same length as its line (``normalized_lines``): the same blocks, without a
    ``SourceLine`` and a normalisation per line, and a one-line paragraph built here from its
    stripped normalised line (the whole text of its block; the offsets are the stripped line's own
    positions). tests/review/read/test_reading_shortcuts.py compares the two."""
    probes = [norm.strip() for norm in norms]
    blocks: list[Block] = []
    for group in _plain_group_indices(probes):
        first = group[0]
        if len(group) > 1:
            block = _joined_plain(raws, probes, group, path)
            if block is not None:
                blocks.append(block)
            continue
        raw, text, number = raws[first], probes[first], first + 1
        a = len(raw) - len(raw.lstrip())
        end = a + len(text)
        location = _new_tuple(Location, (path, number, None, None, None, None, None, None, None))
        offsets = range(a, end + 1) if end == len(raw) else (*range(a, end), len(raw))
        blocks.append(Block("paragraph", text, location, raw, ((0, number),), None, offsets))
    return blocks


def _joined_plain(raws: Sequence[str], probes: Sequence[str], group: list[int], path: str) -> Block | None:
    """``_joined_block`` of the plain-text lines ``group`` (positions in ``raws``, all non-blank) whose
    stripped normalised lines are ``probes``: the same block, from those lines. Each stripped line is a
    run of its raw characters, a joiner stands for the line break before it, and when the joined text
    holds nothing for the passes after the character map (``may_change``) it is the normalised joined
    text itself, trimmed already; otherwise (figures brought together across lines) the general path."""
    pieces: list[str] = []
    offsets: list[int] = []
    line_map: list[tuple[int, int]] = []
    base = 0  # offset in the joined raw text of the line's start
    at = 0  # length of the joined text so far
    last = ""  # the raw line's last character kept
    for i in group:
        raw, piece = raws[i], probes[i]
        a = len(raw) - len(raw.lstrip())
        if last:
            sep = _joiner(last, raw[a])
            if sep:
                pieces.append(sep)
                offsets.append(base - 1)  # stands for the line break
                at += 1
        line_map.append((at, i + 1))
        pieces.append(piece)
        offsets.extend(range(base + a, base + a + len(piece)))
        at += len(piece)
        last = raw[a + len(piece) - 1]
        base += len(raw) + 1
    text = "".join(pieces)
    if may_change(text):
        return _joined_block(
            [_new_tuple(SourceLine, (raws[i], i + 1, None, None, False)) for i in group], path, False
        )
    offsets.append(base - 1)  # len(raw): the sentinel
    first = group[0] + 1
    location = _new_tuple(Location, (path, first, None, None, None, None, None, None, None))
    raw_text = "\n".join([raws[i] for i in group])
    return Block("paragraph", text, location, raw_text, tuple(line_map), None, tuple(offsets))


def _plain_group_indices(probes: list[str]) -> list[list[int]]:
    """``_group_indices`` of plain-text lines (no page, no layout, no markdown) from their probes alone."""
    wrap = max(map(len, probes), default=0)
    wrapped = 20 <= wrap <= 100
    groups: list[list[int]] = []
    prev = ""  # the previous line's probe, "" after a blank line
    prev_heading = False
    for i, probe in enumerate(probes):
        if not probe:
            prev = ""
            continue
        heading = is_heading(probe)
        if (
            prev
            and not heading
            and not ends_sentence(prev)
            and (not prev_heading or (wrapped and len(prev) >= 0.9 * wrap))
        ):
            groups[-1].append(i)
        else:
            groups.append([i])
        prev, prev_heading = probe, heading
    return groups


def _group(lines: Sequence[SourceLine], probes: list[str], markdown: bool) -> list[list[SourceLine]]:
    return [[lines[i] for i in group] for group in _group_indices(lines, probes, markdown)]


def _group_indices(lines: Sequence[SourceLine], probes: list[str], markdown: bool) -> list[list[int]]:
    """The paragraphs of ``lines`` as lists of positions in ``lines``."""
    widths = [len(p) for p in probes if p]
    # A hard-wrapped file has lines of a modest width (GB/T 9704: 28 characters); a file with one
    # paragraph per line (docx saved as text) has very long lines. Only in the first can a heading wrap,
    # and only a heading line as wide as the widest lines is taken to be wrapped.
    wrap = max(widths, default=0)
    groups: list[list[int]] = []
    # The previous non-blank line, its probe and whether that probe is a heading (read once per line).
    prev: tuple[SourceLine, str, bool] | None = None
    for i, (line, probe) in enumerate(zip(lines, probes, strict=True)):
        if not probe:
            prev = None
            continue
        heading = is_heading(probe)
        starts_block = heading or (markdown and bool(_MD_BLOCK.match(line.text)))
        if prev is not None and not starts_block and _continues(*prev, line, wrap, markdown):
            groups[-1].append(i)
        else:
            groups.append([i])
        prev = (line, probe, heading)
    return groups


def _continues(
    prev: SourceLine, prev_probe: str, prev_heading: bool, line: SourceLine, wrap: int, markdown: bool
) -> bool:
    if ends_sentence(prev_probe) or prev.page != line.page:
        return False
    if markdown and _MD_BLOCK.match(prev.text) and not prev.text.lstrip().startswith(("-", "*", "+", ">")):
        return False  # a markdown heading, table row or fence never takes a continuation
    if prev.full is not None:  # PDF: trust the layout
        return prev.full and not line.indented
    if prev_heading:
        return 20 <= wrap <= 100 and len(prev_probe) >= 0.9 * wrap
    return True


def _trim(text: str, offsets: Sequence[int]) -> tuple[str, Sequence[int]]:
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == 0 and end == len(text):
        return text, offsets
    return text[start:end], [*offsets[start:end], offsets[end]]


def build_block(group: Sequence[SourceLine], path: str, *, markdown: bool = False) -> Block | None:
    """One paragraph block from its lines; None when nothing is left after normalisation."""
    if len(group) == 1 and not markdown:
        return _one_line_block(group[0], path)
    return _joined_block(group, path, markdown)


def _joined_block(group: Sequence[SourceLine], path: str, markdown: bool) -> Block | None:
    """``build_block`` in general: lines joined, markup dropped, the whole normalised, offsets mapped."""
    raw = "\n".join(line.text for line in group)
    pieces: list[str] = []
    pre_map: list[int] = []  # offset in raw of each char of the joined, trimmed text
    line_starts: list[int] = []
    base = 0
    last = ""  # the last character kept so far
    for line in group:
        line_starts.append(base)
        spans = _kept_spans(line.text, markdown)
        if last and spans:
            sep = _joiner(last, line.text[spans[0][0]])
            if sep:
                pieces.append(sep)
                pre_map.append(base - 1)  # stands for the line break
        for a, b in spans:
            pieces.append(line.text[a:b])
            pre_map.extend(range(base + a, base + b))
        if spans:
            last = line.text[spans[-1][1] - 1]
        base += len(line.text) + 1
    pre_map.append(len(raw))
    norm_text, inner = normalize_map("".join(pieces))
    mapped: Sequence[int] = pre_map if inner is None else [pre_map[j] for j in inner]
    text, offsets = _trim(norm_text, mapped)
    if not text:
        return None
    line_map: list[tuple[int, int]] = []
    for line, start in zip(group, line_starts, strict=True):
        at = bisect_left(offsets, start, hi=len(text))
        if at >= len(text):
            continue
        if line_map and line_map[-1][0] == at:
            line_map[-1] = (at, line.number)  # the earlier line left no text here
        else:
            line_map.append((at, line.number))
    first_line = line_map[0][1] if line_map else group[0].number
    return Block(
        kind="paragraph",
        text=text,
        location=new_location(path=path, line=first_line, page=group[0].page),
        raw=raw,
        line_map=tuple(line_map),
        raw_offsets=tuple(offsets),
    )


def _one_line_block(line: SourceLine, path: str, norm: Mapped | None = None) -> Block | None:
    """``build_block`` of a single plain-text line, the usual paragraph of a report saved as text: the
    same block, without the general path's per-line bookkeeping (the text is the stripped line; the
    offsets are a run of the line's own positions unless normalisation changed the length)."""
    raw = line.text
    stripped = raw.strip()
    if not stripped:
        return None
    a = len(raw) - len(raw.lstrip())
    norm_text, inner = normalize_map(stripped) if norm is None else norm
    if inner is None:
        if norm_text[0].isspace() or norm_text[-1].isspace():
            text = norm_text.strip()
            if not text:
                return None
            lead = len(norm_text) - len(norm_text.lstrip())
            tail = lead + len(text)
            offsets: Sequence[int] = (
                *range(a + lead, a + tail),
                a + tail if tail < len(norm_text) else len(raw),
            )
        else:
            text = norm_text
            end = a + len(stripped)
            # A range is the same sequence as the tuple of its positions, without building it; it is
            # one only when nothing trails the text (the sentinel len(raw) then follows on).
            offsets = range(a, end + 1) if end == len(raw) else (*range(a, end), len(raw))
    else:
        pre_map = [*range(a, a + len(stripped)), len(raw)]
        trimmed, mapped = _trim(norm_text, [pre_map[j] for j in inner])
        if not trimmed:
            return None
        text, offsets = trimmed, tuple(mapped)
    number = line.number
    # The constructors themselves, not new_block/new_location: one call each for most blocks of a report
    # (the Location in one C call: a named tuple's own constructor is a Python function).
    location = _new_tuple(Location, (path, number, None, line.page, None, None, None, None, None))
    return Block("paragraph", text, location, raw, ((0, number),), None, offsets)


def clean_cell(raw: str) -> str:
    """A cell's text on one line, normalised."""
    flat = re.sub(r"\s*[\r\n]+\s*", " ", raw)
    return normalize_text(flat).strip()


def build_table(
    raw_rows: Iterable[Sequence[tuple[str, int | None]]],
    path: str,
    table_no: int,
    *,
    line: int | None = None,
    page: int | None = None,
    sheet: str | None = None,
    cell_names: Sequence[Sequence[str]] | None = None,
) -> Block | None:
    """A table block from rows of (raw cell text, source line or None); rows padded to equal length.

    Callers put "" at positions covered by a merged cell, so a span appears once, at its top-left.
    A spreadsheet's table gives its ``sheet`` and each cell's A1 name (``cell_names[row][col]``, the
    rows as passed, unpadded): the cells' and the table's locations then carry ``sheet!cell``.
    """
    rows_in = [list(r) for r in raw_rows]
    width = max((len(r) for r in rows_in), default=0)
    if width == 0:
        return None
    rows: list[tuple[Cell, ...]] = []
    raw_lines: list[str] = []
    for r, row_in in enumerate(rows_in, start=1):
        padded = row_in + [("", None)] * (width - len(row_in))
        names = cell_names[r - 1] if cell_names is not None else ()
        cells = tuple(
            Cell(
                clean_cell(text),
                Location(
                    path=path,
                    line=cell_line,
                    page=page,
                    sheet=sheet,
                    cell=names[c - 1] if c <= len(names) else None,
                    table=table_no,
                    row=r,
                    col=c,
                ),
            )
            for c, (text, cell_line) in enumerate(padded, start=1)
        )
        rows.append(cells)
        raw_lines.append("\t".join(re.sub(r"\s+", " ", text).strip() for text, _ in padded))
    corner = cell_names[0][0] if cell_names and cell_names[0] else None
    table = Table(
        rows=tuple(rows),
        location=Location(path=path, line=line, page=page, sheet=sheet, cell=corner, table=table_no),
    )
    if not any(cell.text for row in rows for cell in row):
        return None
    text, line_map = table_text(rows)
    return Block(
        kind="table",
        text=text,
        location=table.location,
        raw="\n".join(raw_lines),
        line_map=line_map,
        table=table,
    )


def table_text(rows: Sequence[Sequence[Cell]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A table block's text (cells joined by tabs, rows by newlines) and its line map."""
    text = "\n".join("\t".join(cell.text for cell in row) for row in rows)
    line_map: list[tuple[int, int]] = []
    pos = 0
    for row in rows:
        row_line = next((c.location.line for c in row if c.location.line is not None), None)
        if row_line is not None and (not line_map or line_map[-1][1] != row_line):
            line_map.append((pos, row_line))
        pos += sum(len(c.text) for c in row) + len(row)
    return text, tuple(line_map)
