"""Traditional-character pages: recognised, and read in simplified characters.

Mirror sites re-host mainland reports converted to traditional characters, often with the pinyin of
some characters in brackets after them ("績效目標(biāo)", "項(xiàng)目"). The claim readers look for
simplified words (预算, 执行率, 万元); on such a page they find none, and R514 took the text for a wrong
encoding. A document is traditional when traditional-only characters (the keys of ``hant_table``) make
up most of what GB 2312 lacks and a fair share of the text: a wrong-encoding page is full of characters
GB 2312 lacks too, but few of them are traditional forms. Its blocks are then read with the pinyin
annotations dropped and each traditional character replaced by its simplified one (one for one, so
offsets into the raw text keep their meaning); ``raw`` keeps the text as written. R515 (info) says so.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from jixiao.core.findings import Finding
from jixiao.review.document import Block, Cell, Table
from jixiao.review.read.guard import make_finding
from jixiao.review.read.hant_table import SIMPLIFIED, TRADITIONAL
from jixiao.review.read.plausible import implausible

__all__ = ["is_traditional", "simplified_blocks", "simplify", "traditional_finding", "traditional_share"]

_TO_SIMPLIFIED = str.maketrans(TRADITIONAL, SIMPLIFIED)
_TRADITIONAL_RE = re.compile(f"[{TRADITIONAL}]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# "(biāo)" right after a Chinese character: a syllable with a tone mark, in half- or full-width brackets.
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（](?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
)

MIN_CHARACTERS = 20  # fewer traditional-only characters: a name or two, not a traditional page
MIN_SHARE = 0.03  # of the visible characters
OF_UNCOMMON = 0.6  # of the characters GB 2312 lacks (a wrong-encoding page: well under half)


def traditional_share(text: str) -> tuple[int, int, int]:
    """(traditional-only characters, characters a simplified report hardly uses, visible characters)."""
    odd, visible = implausible(text)
    return len(_TRADITIONAL_RE.findall(text)), odd, visible


def is_traditional(text: str) -> bool:
    if _TRADITIONAL_RE.search(text) is None:  # the usual answer, in one pass in C
        return False
    traditional, odd, visible = traditional_share(text)
    return (
        traditional >= MIN_CHARACTERS
        and traditional >= MIN_SHARE * visible
        and traditional >= OF_UNCOMMON * odd
    )


def simplify(text: str) -> tuple[str, list[int]]:
    """(text without pinyin annotations, in simplified characters; kept[i] = offset in ``text`` of its
    character i)."""
    kept: list[int] = []
    pos = 0
    for m in _PINYIN.finditer(text):
        kept.extend(range(pos, m.start()))
        pos = m.end()
    kept.extend(range(pos, len(text)))
    if len(kept) == len(text):
        return text.translate(_TO_SIMPLIFIED), kept
    return "".join(text[i] for i in kept).translate(_TO_SIMPLIFIED), kept


def _remap(offsets: Sequence[int], kept: list[int], length: int) -> tuple[int, ...]:
    """Raw offsets of the kept characters, and the sentinel."""
    if not offsets:
        return ()
    return (*(offsets[i] for i in kept), offsets[length])


def _paragraph(block: Block) -> Block:
    text, kept = simplify(block.text)
    if len(kept) == len(block.text):  # no annotation: offsets and line map stand as they are
        return Block(
            kind=block.kind,
            text=text,
            location=block.location,
            raw=block.raw,
            line_map=block.line_map,
            table=block.table,
            raw_offsets=block.raw_offsets,
        )
    line_map = tuple((bisect_left(kept, at), line) for at, line in block.line_map)
    return Block(
        kind=block.kind,
        text=text,
        location=block.location,
        raw=block.raw,
        line_map=line_map,
        table=block.table,
        raw_offsets=_remap(block.raw_offsets, kept, len(block.text)),
    )


def _table(block: Block) -> Block:
    assert block.table is not None
    rows = tuple(
        tuple(Cell(simplify(cell.text)[0], cell.location) for cell in row) for row in block.table.rows
    )
    table = Table(rows=rows, location=block.table.location)
    text = "\n".join("\t".join(cell.text for cell in row) for row in rows)
    # The line map counts positions cell by cell, as build_table does.
    line_map: list[tuple[int, int]] = []
    pos = 0
    for row in rows:
        line = next((c.location.line for c in row if c.location.line is not None), None)
        if line is not None and (not line_map or line_map[-1][1] != line):
            line_map.append((pos, line))
        pos += sum(len(c.text) for c in row) + len(row)
    return Block(
        kind="table",
        text=text,
        location=block.location,
        raw=block.raw,
        line_map=tuple(line_map) if line_map else block.line_map,
        table=table,
    )


def simplified_blocks(blocks: Sequence[Block]) -> list[Block]:
    return [_table(b) if b.table is not None else _paragraph(b) for b in blocks]


def traditional_finding(path: str, blocks: Sequence[Block]) -> Finding:
    where = blocks[0].location if blocks else None
    return make_finding(
        "R515",
        "文件是繁体字文本（可能来自转载网站，字后括注的拼音已略去）；已按简体字读取后审查，"
        "引文和位置仍对应原文。个别简繁一对多的字可能读错，请以原文核对。",
        path,
        line=where.line if where else None,
        page=where.page if where else None,
    )
