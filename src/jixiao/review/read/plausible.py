"""Text that reads but is wrong: characters a mainland budget report does not use (R514).

A PDF whose fonts map glyphs to the wrong Unicode characters, or a text saved through a wrong
encoding ("鍏ㄥ勾棰勭畻" for "全年预算"), gives text that is not ``(cid:N)`` or U+FFFD (R501) but is
still garbage: its figures may be read, its words are not, and the review silently finds nothing.
Such text is full of characters outside GB 2312 (rare and traditional characters, private-use code
points), which a simplified-Chinese report hardly uses; common signs outside it (· ㎡ ℃ ☑ ⑪) are not
counted. The seed report has 1 such character in 3,296 (迴); the mojibake above has half its
characters so.
"""

from __future__ import annotations

import codecs
import threading
from functools import lru_cache

from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.patterns import lazy_compile
from jixiao.core.rules.registry import rule
from jixiao.review.document import Document

__all__ = ["SUSPECT_SHARE", "implausible", "outside_gb2312", "suspect_text"]

SUSPECT_SHARE = 0.15  # of the visible characters of a page (PDF) or document
MIN_VISIBLE = 50  # too little text to judge


# Characters outside GB 2312 that ordinary reports do use: spaces, Latin-1 signs (· ² °), punctuation,
# super/subscripts, letterlike and number forms (℃ № Ⅻ), arrows and mathematical signs, enclosed numbers
# (⑪–⑳), box drawing, shapes and ticks (☑ ✓), CJK punctuation, enclosed CJK and units (㈠ ㎡), vertical
# forms, full-width forms, and U+FFFD (R501 counts those).
_ELSEWHERE = (
    "\u00a0-\u00ff\u2000-\u209f\u2100-\u23ff\u2460-\u27bf\u3000-\u303f\u3200-\u33ff"
    "\ufe30-\ufe4f\uff00-\uffef\ufffd"
)
_PLAUSIBLE_ELSEWHERE = lazy_compile(f"[\\s{_ELSEWHERE}]+")


@lru_cache(maxsize=4096)
def _plausible(ch: str) -> bool:
    """The per-character definition (``implausible`` counts the same in bulk)."""
    if ch <= "~" or _PLAUSIBLE_ELSEWHERE.fullmatch(ch):
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def implausible(text: str) -> tuple[int, int]:
    """(characters a simplified-Chinese report hardly uses, visible characters) of ``text``."""
    visible = sum(map(len, text.split()))  # str.split() splits at exactly the str.isspace() characters
    return sum(1 for ch in outside_gb2312(text) if not _plausible(ch)), visible


def outside_gb2312(text: str) -> str:
    """The characters of ``text`` that GB 2312 lacks, in order."""
    found = _local.found = []
    text.encode("gb2312", errors=_COLLECT)  # one pass in C; the handler sees only what GB 2312 lacks
    return "".join(found)


_local = threading.local()
_COLLECT = "jixiao-collect-unencodable"


def _collect(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    _local.found.append(exc.object[exc.start : exc.end])
    return "?", exc.end


codecs.register_error(_COLLECT, _collect)


def suspect_text(document: Document, text: str | None = None, outside: str | None = None) -> Finding | None:
    """R514 when too much of the document (of a page, for a PDF) is in unlikely characters.

    ``text`` is ``document.text()`` and ``outside`` its ``outside_gb2312``, when the caller has them."""
    if document.format != "pdf":
        # One count over the whole text decides for a document judged as a whole (the usual answer,
        # "no", without a count per block); the blocks are gone through only to place a finding.
        if text is None:
            text = document.text()
        if outside is None:
            outside = outside_gb2312(text)
        odd = sum(1 for ch in outside if not _plausible(ch))
        visible = sum(map(len, text.split()))
        if visible < MIN_VISIBLE or odd <= SUSPECT_SHARE * visible:
            return None
    by_page: dict[int | None, list[int]] = {}
    first: dict[int | None, int] = {}
    for index, block in enumerate(document.blocks):
        page = block.location.page if document.format == "pdf" else None
        odd, visible = implausible(block.text)
        counts = by_page.setdefault(page, [0, 0])
        counts[0] += odd
        counts[1] += visible
        if odd and page not in first and odd > SUSPECT_SHARE * visible:
            first[page] = index
    flagged = [
        page
        for page, (odd, visible) in by_page.items()
        if visible >= MIN_VISIBLE and odd > SUSPECT_SHARE * visible
    ]
    if not flagged:
        return None
    odd = sum(by_page[p][0] for p in flagged)
    visible = sum(by_page[p][1] for p in flagged)
    share = f"{100 * odd / visible:.0f}"
    where = document.blocks[first[flagged[0]]] if flagged[0] in first else document.blocks[0]
    pages = [p for p in flagged if p is not None]
    place = f"第 {'、'.join(map(str, pages[:10]))}{' 等' if len(pages) > 10 else ''} 页的" if pages else ""
    values = {"characters": str(odd), "share": share}
    if pages:
        values["pages"] = ",".join(map(str, pages))
    return rule("R514").finding(
        f"{place}文字中有 {odd} 个字符（占 {share}%）不是简体中文报告常用的字符，文字层或编码可能有误"
        "（看似文字、实为乱码），数字和文字可能读错；请用原始 Word 文件或可复制文字的 PDF 核对。",
        Location(path=document.path, page=where.location.page, line=where.location.line),
        excerpt=where.text[:60],
        values=values,
        severity=Severity.WARNING,
    )
