"""What a document is, before any outline check: the kind of report, and whether the text looks cut.

Published reports reach a reviewer as web pages, mirror-site copies and excerpts. Many are not the kind
of report the outline describes (a project or transfer-payment report checked against the 部门整体
outline, a 自评表 with no prose, a notice summarising many reports), and many are cut: the text stops
mid-sentence, or ends on a heading with nothing under it. Missing or empty sections in such a document
say nothing about the author, so the outline checks (T304/T305) ask ``outline_applies`` first and one
finding (T308) says the text looks incomplete instead.

The kind is read from the title (the first line naming a 绩效…报告/自评表 before the first top heading);
the signs of a cut from the first and last lines. Where the title cannot be found the kind is 未知 and
the outline checks claim nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Document
from jixiao.review.structure import _outline_words, _titles_elsewhere, outline_matches

__all__ = [
    "KINDS",
    "DocumentType",
    "detect",
    "document_type",
    "matched_sections",
    "outline_applies",
    "sections_present",
]

# 部门整体 / 项目 / 转移支付: a self-evaluation report on that subject; 自评表: the table alone;
# 汇总通知: a notice or summary about several reports; 非报告: nothing about 绩效 at all.
KINDS = ("部门整体", "项目", "转移支付", "自评表", "汇总通知", "非报告", "未知")

# The framework kinds and the report kinds their outline is written for.
_OUTLINE_FOR = {"dept": ("部门整体",), "project": ("项目", "转移支付")}

# A few traditional forms, so that a mirror page in 繁体 reads like the original title.
_TRADITIONAL = str.maketrans("門體項轉撥績評報彙總計資財預結對", "门体项转拨绩评报汇总计资财预结对")

_CLOSING = 3  # the last required sections of an outline, one of which a complete report has
_HEAD_BLOCKS = 30  # a title is looked for in this many blocks before the first top heading
_TITLE = lazy_compile(
    r"[^。；;]{0,60}?绩效[^。；;]{0,40}?(?:报告|自评表|评价表|目标表|自评结果|情况表)(?:汇总表?|的?通报|公示)?"
)
_TITLE_PART = 40  # a line this short may be the first half of a title split over two lines
_LISTED = lazy_compile(r"^(?:附件|附表)?[:：]?\d{1,2}[.．、]")
_NOTICE = lazy_compile(r"汇总|抽查|抽审|通报|公示|审核结果|复核结果")
# In the body (no title found) "汇总" and "公示" say little: a 自评表's note explains how figures are
# 汇总 ("汇总原则", "汇总时"), and a site's menu says 公告公示. A notice says what it reports on in its first
# lines; a report may mention 抽查 or 通报 anywhere as part of its own work.
_NOTICE_BODY = lazy_compile(r"抽查|抽审|通报|审核结果|复核结果|汇总表")
_TABLE_TITLE = lazy_compile(r"(?:自评表|评价表|目标表|情况表)$")

# How a last line may end without being cut: a sentence end, a closing bracket or quote, a table row.
_CLOSED_END = tuple("。.!！?？;；…)）】」』”\"'>|")
# Closing lines of a complete report: a date, a seal, an address, an attachment list entry.
_CLOSING_LINE = lazy_compile(
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|盖章|公章|(?:https?://|www\.)\S*|附件|附表"
    r"|(?:报告|表)》?|[局委办院会所站馆厅室部队校处科组]|中心|政府|公司)$"
)
# Pinyin glosses of a traditional-character mirror page: "績效目標(biāo)".
_PINYIN = lazy_compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_FLAT_ROW_END = lazy_compile(r"\s[\d.,%％-]*\d[%％]?\s*$")
_MID_START = tuple("，,。、；;：:）)】」”%")


@dataclass(frozen=True, slots=True)
class DocumentType:
    kind: str  # one of KINDS
    subject: str  # what a 自评表 or report is about: 部门整体 / 项目 / 转移支付, "" unknown
    title: str  # the title it was read from ("" when none was found)
    signs: tuple[str, ...] = ()  # why the text looks cut, in Chinese; empty: looks complete
    line: int | None = None  # line of the sign at the end (or start), for the finding

    @property
    def truncated(self) -> bool:
        return bool(self.signs)


def detect(document: Document, headings: Sequence[Any] = ()) -> DocumentType:
    """The kind of ``document`` and the signs that it is cut. ``headings``: parse_sections(document)."""
    title = _title(document, headings)
    kind, subject = _kind(document, title)
    signs, line = _cut_signs(document, headings)
    return DocumentType(kind, subject, title, tuple(signs), line)


def document_type(ctx: Any) -> DocumentType:
    """``ctx.doctype``, worked out on first use (a check called outside the pipeline).

    A report of the outline's kind that names none of the outline's closing sections (problems,
    measures, use of the results) is taken as cut as well: one section left out is the author's, the
    whole end of the outline missing is the excerpt's."""
    found = getattr(ctx, "doctype", None)
    if isinstance(found, DocumentType):
        return found
    value: DocumentType = ctx.derive("doctype", ctx.sections, lambda sections: _with_outline(ctx, sections))
    return value


def _with_outline(ctx: Any, sections: Sequence[Any]) -> DocumentType:
    found = detect(ctx.document, sections)
    outline = ctx.framework.outline
    if found.truncated or found.kind not in _OUTLINE_FOR.get(ctx.framework.kind, ()) or not outline:
        return found
    closing = [i for i, s in enumerate(outline) if s.required][-_CLOSING:]
    present = sections_present(ctx)
    if not closing or any(i in present for i in closing):
        return found
    titles = "、".join(outline[i].title for i in closing)
    return replace(found, signs=(f"没有提纲末尾的任何一部分（{titles}）",))


def matched_sections(ctx: Any) -> list[tuple[Any, int]]:
    """``outline_matches`` of the context's sections, worked out once per run of the checks (the
    document type, T304 and T305 ask; do not modify)."""
    value: list[tuple[Any, int]] = ctx.derive(
        "outline.matches", ctx.sections, lambda sections: outline_matches(sections, ctx.framework)
    )
    return value


def sections_present(ctx: Any) -> set[int]:
    """Indices of the outline sections the document has: as a top heading, a level-2 heading or a
    short unnumbered title line (see structure._titles_elsewhere). Worked out once per run of the
    checks (the document type and T304 ask; do not modify)."""
    value: set[int] = ctx.derive("outline.present", ctx.sections, lambda _: _present(ctx))
    return value


def _present(ctx: Any) -> set[int]:
    outline = ctx.framework.outline
    words = _outline_words(outline)
    matched = matched_sections(ctx)
    found = {index for _, index in matched}
    for h, _ in matched:  # a heading may cover several sections: "存在的问题及下一步改进措施"
        found.update(words.sections_in(h.title))
    if len(found) < len(outline):
        elsewhere = _titles_elsewhere(ctx.document, ctx.sections)
        found.update(i for i in range(len(outline)) if i not in found and words.said_in_any(i, elsewhere))
    return found


def outline_applies(ctx: Any) -> bool:
    """Is the framework's outline meant for this document: a complete report of the outline's kind?"""
    found = document_type(ctx)
    return not found.truncated and found.kind in _OUTLINE_FOR.get(ctx.framework.kind, ())


# ---------------------------------------------------------------- the kind


def _title(document: Document, headings: Sequence[Any]) -> str:
    first_top = next((h.block_index for h in headings if h.level == 1), len(document.blocks))
    head = document.blocks[: min(first_top, _HEAD_BLOCKS)]
    # A title split over two lines ("…2024年度部门" / "整体支出绩效自评报告") is read joined.
    lines: list[str] = []
    for block in head:
        for line in block.text.splitlines():
            text = re.sub(r"\s+", "", line.translate(_TRADITIONAL))
            if text:
                lines.append(text)
    for i, line in enumerate(lines):
        if _LISTED.match(line):
            continue  # an attachment list ("附件：1.…报告"), not this document's title
        m = _title_in(line)
        if (
            m is None
            and len(line) <= _TITLE_PART
            and not line.endswith(_CLOSED_END)
            and i + 1 < len(lines)
            and not _LISTED.match(lines[i + 1])
        ):
            m = _title_in(line + lines[i + 1])  # "…2024年度部门" / "整体支出绩效自评报告"
        if m is not None:
            return m
    return ""


def _title_in(text: str) -> str | None:
    if "绩效" not in text:
        return None  # every _TITLE match holds it; the pattern itself is tried at every character
    for m in _TITLE.finditer(text):
        if "现将" not in m.group() and not text.startswith("如下", m.end()):
            return m.group()  # not "现将绩效评价情况报告如下", a sentence
    return None


def _kind(document: Document, title: str) -> tuple[str, str]:
    subject = ""
    if "整体" in title:
        subject = "部门整体"
    elif "转移支付" in title:
        subject = "转移支付"
    elif re.search(r"项目|专项|资金|经费|补助|补贴", title):
        subject = "项目"
    if title and _NOTICE.search(title):
        return "汇总通知", subject
    if _TABLE_TITLE.search(title) and not _has_prose(document):
        return "自评表", subject
    if title:
        return subject or "未知", subject
    text = "\n".join(b.text for b in document.blocks[:200])
    if not re.search("绩效|预算|资金", text.translate(_TRADITIONAL)):
        return "非报告", ""
    head = "\n".join(b.text for b in document.blocks[:5])  # where a notice says what it is
    if _NOTICE_BODY.search(head) or len(re.findall(r"\d[.．、][^。\n]{0,60}?报告", text)) >= 2:
        return "汇总通知", ""
    return "未知", ""


def _has_prose(document: Document) -> bool:
    """Does the document hold several paragraphs of sentences (not a table flattened into lines)?"""
    sentences = sum(
        1
        for b in document.blocks
        if b.kind == "paragraph" and "|" not in b.text and len(b.text) > 40 and "。" in b.text
    )
    return sentences >= 3


# ---------------------------------------------------------------- signs of a cut


def _cut_signs(document: Document, headings: Sequence[Any]) -> tuple[list[str], int | None]:
    signs: list[str] = []
    line: int | None = None
    blocks = document.blocks
    # The first and the last block with text (looked for from each end: the rest is not needed).
    first_filled = next((i for i, b in enumerate(blocks) if b.text.strip()), None)
    if first_filled is None:
        return signs, line
    last_filled = next(i for i in range(len(blocks) - 1, first_filled - 1, -1) if blocks[i].text.strip())
    last = blocks[last_filled]
    last_line = last.text.strip().splitlines()[-1].strip()
    last_heading = headings[-1] if headings else None
    if (
        last_heading is not None
        and last_heading.block_index == last_filled
        and not last_heading.item
        and not last_heading.inline
    ):
        signs.append(f"全文以标题“{last_heading.label}{last_heading.title}”结尾，其后没有正文")
        line = last.location.line
    elif last.kind == "paragraph" and _cut_short(last_line):
        signs.append(f"全文结尾“{last_line[-12:]}”停在句子中间")
        line = last.line_at(len(last.text) - 1) or last.location.line
    elif last.kind == "table" and _row_cut(last.text):
        signs.append("全文在表格中间结束")
        line = last.location.line
    first = blocks[first_filled]
    if first.text.strip().startswith(_MID_START):
        signs.append(f"全文开头“{first.text.strip()[:12]}”从句子中间开始")
        line = line or first.location.line
    return signs, line


def _cut_short(line: str) -> bool:
    """Does this last line stop mid-sentence (not a closing line: a date, a seal, a unit's name, a title)?"""
    line = _PINYIN.sub("", line).strip()
    if not line or line.endswith(_CLOSED_END):
        return False
    # A table row (tabs, pipes, or a flattened row ending in figures "167.10 322.80 244.97") says nothing.
    # Asked before the closing line (the same answer: either makes it False), the cheap tests first:
    # both patterns are tried at every character, and a flattened row's must end in a digit or %.
    if "\t" in line or line.count("|") >= 2:
        return False
    if (line[-1].isdecimal() or line[-1] in "%％") and _FLAT_ROW_END.search(line) is not None:
        return False
    return _CLOSING_LINE.search(line) is None


def _row_cut(table: str) -> bool:
    """Does a table (cells joined by tabs, rows by line breaks) end in a row cut short: its last filled
    cell stops mid-sentence, or it fills fewer leading cells than the row before and nothing after?"""
    rows = [row.split("\t") for row in table.splitlines() if row.strip()]
    if not rows:
        return False
    last = [cell.strip() for cell in rows[-1]]
    filled = [i for i, cell in enumerate(last) if cell]
    if not filled:
        return False
    if len(last[filled[-1]]) > 12 and _cut_short(last[filled[-1]]):
        return True
    if len(rows) < 2:
        return False
    before = sum(1 for cell in rows[-2] if cell.strip())
    return len(filled) < before and filled[-1] == len(filled) - 1 and len(filled) < len(last)
