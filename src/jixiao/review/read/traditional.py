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

from bisect import bisect_left
from collections.abc import Sequence

from jixiao.core.findings import Finding
from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Block, Cell, Table, new_block
from jixiao.review.read.guard import make_finding
from jixiao.review.read.hant_table import SIMPLIFIED, TRADITIONAL
from jixiao.review.read.lines import table_text
from jixiao.review.read.plausible import implausible, outside_gb2312

__all__ = ["is_traditional", "simplified_blocks", "simplify", "traditional_finding", "traditional_share"]

_TO_SIMPLIFIED = str.maketrans(TRADITIONAL, SIMPLIFIED)
# Counted by deleting them and comparing lengths (in C): a regex class of 2,552 characters costs Python
# about 8 ms to compile, at every start.
_DROP_TRADITIONAL = dict.fromkeys(_TO_SIMPLIFIED)


def _count_traditional(text: str) -> int:
    return len(text) - len(text.translate(_DROP_TRADITIONAL))


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# "(biāo)" right after a Chinese character: a syllable with a tone mark, in half- or full-width brackets.
_PINYIN = lazy_compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（](?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
)

MIN_CHARACTERS = 10  # fewer traditional-only characters: a name or two, not a traditional page
MIN_SHARE = 0.03  # of the visible characters
OF_UNCOMMON = 0.6  # of the characters GB 2312 lacks (a wrong-encoding page: well under half)


def traditional_share(text: str) -> tuple[int, int, int]:
    """(traditional-only characters, characters a simplified report hardly uses, visible characters)."""
    odd, visible = implausible(text)
    return _count_traditional(outside_gb2312(text)), odd, visible


def is_traditional(text: str, outside: str | None = None) -> bool:
    """Is ``text`` (whose ``outside_gb2312`` is ``outside``, when known) a traditional-character text?"""
    if outside is None:
        outside = outside_gb2312(text)
    # Traditional-only characters are all outside GB 2312: count them among the few that are.
    traditional = _count_traditional(outside)
    if traditional < MIN_CHARACTERS:
        return False
    odd, visible = implausible(text)
    return traditional >= MIN_SHARE * visible and traditional >= OF_UNCOMMON * odd


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
    line_map, raw_offsets = block.line_map, block.raw_offsets
    if len(kept) != len(block.text):  # annotations dropped: offsets and line starts move up
        line_map = tuple((bisect_left(kept, at), line) for at, line in block.line_map)
        raw_offsets = _remap(block.raw_offsets, kept, len(block.text))
    return new_block(block.kind, text, block.location, block.raw, line_map, block.table, raw_offsets)


def _table(block: Block) -> Block:
    assert block.table is not None
    rows = tuple(
        tuple(Cell(simplify(cell.text)[0], cell.location) for cell in row) for row in block.table.rows
    )
    text, line_map = table_text(rows)
    table = Table(rows=rows, location=block.table.location)
    return new_block("table", text, block.location, block.raw, line_map or block.line_map, table)


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
