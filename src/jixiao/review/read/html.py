"""A government web page: decode by its declared charset, find the article, read paragraphs and tables.

lxml's HTML parser gives each element its source line, which becomes ``Location.line``. It does not load
external resources (no_network) and HTML has no external entities to resolve.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import lxml.html

from jixiao.core.findings import Finding, Severity
from jixiao.review.document import Block
from jixiao.review.read.guard import make_finding
from jixiao.review.read.lines import SourceLine, build_block, build_table

__all__ = ["blocks_from_html", "decode_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_GB_LABELS = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "gb18030", "cp936", "x-euc-cn", "euc-cn", "csgb2312"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "iframe",
    "select",
    "button",
    "head",
    "object",
    "svg",
)
# Where Chinese government CMSs (TRS, Hanweb, UCAP…) put the article body, most specific first.
_MAIN_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='zoom' or @id='Zoom' or @id='UCAP-CONTENT' or @id='fontzoom' or @id='artibody']",
    "//*[contains(@class, 'article-content') or contains(@class, 'article_con') or @id='article']",
    "//article",
    "//*[@id='content' or contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
    "//main",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "address",
    "figure",
    "figcaption",
    "hr",
    "br",
    "tr",
    "caption",
    "form",
    "body",
}


def decode_html(data: bytes, path: str) -> tuple[str, str, list[Finding]]:
    """Text, the codec used, findings. BOM first, then the page's own declaration, then UTF-8/GB18030."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec, []
    declared = None
    m = _META_CHARSET.search(data[:8192])
    if m:
        label = m.group(1).decode("ascii", "replace").lower()
        declared = "gb18030" if label in _GB_LABELS else label
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    candidates = [c for c in (declared, "utf-8", "gb18030") if c]
    for codec in dict.fromkeys(candidates):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        findings = []
        if codec != (declared or "utf-8"):
            what = f"声明的编码 {declared} 不对" if declared else "页面没有声明编码"
            findings.append(
                make_finding("R510", f"{what}，已按 {codec} 解码。", path, values={"encoding": codec})
            )
        return text, codec, findings
    codec = declared or "utf-8"
    text = data.decode(codec, errors="replace")
    count = text.count("\ufffd")
    return (
        text,
        codec,
        [
            make_finding(
                "R510",
                f"按 {codec} 解码时有 {count} 处无法识别的字节，已替换为 �，相关文字可能有误。",
                path,
                values={"encoding": codec, "replaced": str(count)},
                severity=Severity.WARNING,
            )
        ],
    )


def _cjk(el: Any) -> int:
    return len(_CJK.findall(el.text_content()))


def _direct_score(el: Any) -> int:
    """Chinese characters in the element's own text and in its direct paragraph-like children."""
    score = len(_CJK.findall(el.text or ""))
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in (
            "p",
            "span",
            "font",
            "strong",
            "b",
            "h1",
            "h2",
            "h3",
            "h4",
            "table",
            "ul",
            "ol",
            "br",
        ):
            score += _cjk(child)
        score += len(_CJK.findall(child.tail or ""))
    return score


def _main_element(root: Any) -> Any:
    body = root.find("body")
    body = body if body is not None else root
    total = _cjk(body)
    for xpath in _MAIN_XPATHS:
        matches = [el for el in root.xpath(xpath) if isinstance(el.tag, str)]
        if matches:
            best = max(matches, key=_cjk)
            if _cjk(best) >= max(20, total // 5):
                return best
    # No known container: go down from <body> while one child holds most of the Chinese text
    # (page chrome — navigation, footer — falls away; a report split into <section>s stays whole).
    current = body
    while True:
        inner = _cjk(current)
        kids = [k for k in current if isinstance(k.tag, str)]
        best = max(kids, key=_cjk, default=None)
        if best is None or inner == 0 or _cjk(best) * 10 < inner * 7:
            return current
        current = best


def _collapse(text: str) -> str:
    """HTML whitespace rules; a line break between two Chinese characters is no space at all."""
    text = re.sub(
        r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r\f]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text
    )
    return re.sub(r"[ \t\r\n\f]+", " ", text)


def _table_rows(table: Any) -> list[list[tuple[str, int | None]]]:
    """Cells placed on a grid; a colspan/rowspan cell shows its text once, at its top-left."""
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    grid: dict[tuple[int, int], tuple[str, int | None]] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td | ./th"):
            while (r, c) in grid:
                c += 1
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ("", None)
            grid[(r, c)] = (_collapse(cell.text_content()).strip(), cell.sourceline)
            c += colspan
            width = max(width, c)
    return [[grid.get((r, c), ("", None)) for c in range(width)] for r in range(len(rows))]


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 1000)
    except ValueError:
        return 1


def blocks_from_html(text: str, shown: str) -> list[Block]:
    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(text, parser=parser)
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    main = _main_element(root)
    blocks: list[Block] = []
    tables = 0
    buffer: list[str] = []
    buffer_line: list[int | None] = [None]

    def flush() -> None:
        joined = _collapse("".join(buffer)).strip()
        if joined:
            line = buffer_line[0] or 1
            block = build_block([SourceLine(text=joined, number=line)], shown)
            if block is not None:
                blocks.append(block)
        buffer.clear()
        buffer_line[0] = None

    def add(piece: str | None, line: int | None) -> None:
        if piece:
            if buffer_line[0] is None and piece.strip():
                buffer_line[0] = line
            buffer.append(piece)

    def walk(el: Any) -> None:
        nonlocal tables
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table":
            flush()
            tables += 1
            block = build_table(_table_rows(el), shown, tables, line=el.sourceline)
            if block is not None:
                blocks.append(block)
            return
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
        add(el.text, el.sourceline)
        for child in el:
            walk(child)
            add(child.tail, child.sourceline)
        if is_block:
            flush()

    walk(main)
    flush()
    return blocks
