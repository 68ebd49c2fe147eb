"""What a 自评表's own note fixes about its scoring, against what the table then states.

The 项目支出绩效自评表 of 财预〔2020〕10号 and the provincial forms built on it end with a note that fixes
the first-level weights: "一级指标分值统一设置为：产出指标50分、效益指标30分、满意度指标10分、预算执行率
10分". A table whose headings then give 产出指标(70分) contradicts its own form. The note and the headings are
read here; the check (S269) compares them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.core.patterns import lazy_compile
from jixiao.review.claims.glued import INDICATOR_HEADING
from jixiao.review.claims.model import Claim, Figure, make_figure
from jixiao.review.document import Document
from jixiao.review.quantities import parse_quantity

__all__ = ["MandatedWeight", "extract_form_note_claims"]


@dataclass(frozen=True, slots=True)
class MandatedWeight(Claim):
    """The first-level indicators whose 分值 both the form's note fixes and the table's headings state:
    (name, mandated, stated) in the table's order. One claim per table: one note, one finding."""

    pairs: tuple[tuple[str, Figure, Figure], ...]
    kind: str = "mandated-weight"


_NOTE = lazy_compile(r"(?:一级指标)?(?:分值|权重)统一(?:设置|设定|规定)?为[:：]?(?P<list>[^。；;]{8,120})")
_ITEM = lazy_compile(r"(?P<name>产出|效益|(?:服务对象)?满意度)指标\s*(?P<w>\d{1,3})\s*分")


def extract_form_note_claims(document: Document) -> list[Claim]:
    """One claim per first-level indicator whose heading's 分值 and the note's are both written."""
    if not any("统一" in b.text for b in document.blocks):
        return []  # no note fixing the weights: nothing to compare (most reports; checked at C speed)
    note: dict[str, Figure] = {}
    headings: dict[str, Figure] = {}
    for index, block in enumerate(document.blocks):
        text = block.text
        if "分" not in text:
            continue
        for m in _NOTE.finditer(text):
            for item in _ITEM.finditer(m.group("list")):
                name = item.group("name").removeprefix("服务对象")
                figure = _figure(document, index, m.start("list") + item.start("w"), item.group("w"))
                if figure is not None:
                    note.setdefault(name, figure)
        for h in INDICATOR_HEADING.finditer(text):
            if _NOTE.search(text, max(0, h.start() - 40), h.start()) is not None:
                continue  # a heading-like item inside the note itself
            figure = _figure(document, index, h.start("w"), h.group("w"))
            if figure is not None:
                headings.setdefault(h.group("name"), figure)
    if len(note) < 2:
        return []  # one weight is not the form's list
    pairs = tuple(_pairs(note, headings))
    return [MandatedWeight(pairs)] if pairs else []


def _pairs(note: dict[str, Figure], headings: dict[str, Figure]) -> Iterator[tuple[str, Figure, Figure]]:
    for name, stated in headings.items():
        mandated = note.get(name)
        if mandated is not None:
            yield f"{name}指标", mandated, stated


def _figure(document: Document, index: int, at: int, written: str) -> Figure | None:
    q = parse_quantity(written)
    if q is None:
        return None
    return make_figure(q, index, document.blocks[index], offset=at - q.start, label="分值", exact=True)
