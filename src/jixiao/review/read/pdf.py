"""PDF via pdfplumber: text lines per page joined into paragraphs by layout, ruled tables as tables.

A text layer that cannot be read is reported, never returned silently empty: ``(cid:N)`` glyphs or
U+FFFD (fonts without a Unicode map) → R501; pages with images but no text (scans) → R511.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from statistics import median
from typing import Any

import pdfplumber

from jixiao.core.findings import Finding, Severity
from jixiao.review.document import Block
from jixiao.review.read.guard import ReadLimits, ReadTimeout, deadline, make_finding
from jixiao.review.read.lines import SourceLine, build_block, build_table, group_lines

__all__ = ["blocks_from_pdf", "garbled_share"]

_CID = re.compile(r"\(cid:\d+\)")
# Page furniture: "— 3 —", "- 3 -", "第 3 页", "3 / 10", a bare number.
_PAGE_NUMBER = re.compile(r"^[\s\-—–]*(?:第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[\s\-—–]*$")


class EncryptedPdf(Exception):
    pass


def garbled_share(text: str) -> tuple[int, float]:
    """(unreadable glyphs, their share of all non-space characters) in extracted page text."""
    cids = _CID.findall(text)
    bad = len(cids) + text.count("\ufffd")
    visible = len(re.sub(r"\s", "", _CID.sub("x", text)))
    return bad, (bad / visible if visible else 0.0)


def _is_encryption_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        err = stack.pop()
        if id(err) in seen:
            continue
        seen.add(id(err))
        if "Password" in type(err).__name__ or "Encrypt" in type(err).__name__:
            return True
        stack.extend(a for a in err.args if isinstance(a, BaseException))
        stack.extend(e for e in (err.__cause__, err.__context__) if e is not None)
    return False


def _inside(obj: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _page_blocks(page: Any, page_no: int, shown: str, first_table: int) -> tuple[list[Block], str, int]:
    """(blocks in reading order, all extracted text for diagnostics, tables found)."""
    raw_lines = page.extract_text_lines(strip=True, return_chars=False)
    try:
        found = page.find_tables()
    except Exception:
        found = []
    bboxes = [t.bbox for t in found]
    all_text = "\n".join(line["text"] for line in raw_lines)

    numbered = list(enumerate(raw_lines, start=1))
    # Drop page numbers standing alone on the first or last line.
    if numbered and _PAGE_NUMBER.match(numbered[-1][1]["text"]):
        numbered.pop()
    if numbered and _PAGE_NUMBER.match(numbered[0][1]["text"]):
        numbered.pop(0)
    body = [(n, line) for n, line in numbered if not any(_inside(line, b) for b in bboxes)]

    placed: list[tuple[float, Block]] = []
    if body:
        left = min(line["x0"] for _, line in body)
        right = max(line["x1"] for _, line in body)
        em = median((line["x1"] - line["x0"]) / max(len(line["text"]), 1) for _, line in body)
        # A wrapped line reaches the right margin and spans at least half the page: on a page of short
        # lines (a cover, a last page) the longest line is not thereby "full".
        min_span = 0.5 * float(page.width)
        lines = [
            SourceLine(
                text=line["text"],
                number=n,
                page=page_no,
                full=line["x1"] >= right - 1.5 * em and line["x1"] - left >= min_span,
                indented=line["x0"] > left + 1.5 * em,
            )
            for n, line in body
        ]
        tops = {n: line["top"] for n, line in body}
        for group in group_lines(lines):
            block = build_block(group, shown)
            if block is not None:
                placed.append((tops[group[0].number], block))

    for index, table in enumerate(found):
        rows = [[(cell or "", None) for cell in row] for row in table.extract()]
        first_line = next((n for n, line in enumerate(raw_lines, start=1) if _inside(line, table.bbox)), None)
        block = build_table(rows, shown, first_table + index, line=first_line, page=page_no)
        if block is not None:
            placed.append((table.bbox[1], block))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], all_text, len(found)


def blocks_from_pdf(path: Path, shown: str, limits: ReadLimits) -> tuple[list[Block], list[Finding]]:
    blocks: list[Block] = []
    findings: list[Finding] = []
    garbled_pages: list[int] = []
    bad_total = 0
    visible_total = 0
    image_pages: list[int] = []
    started = time.monotonic()
    tables = 0
    try:
        with deadline(limits.max_seconds), pdfplumber.open(path) as pdf:
            n_pages = len(pdf.pages)
            for page_no, page in enumerate(pdf.pages, start=1):
                if page_no > limits.max_pages:
                    findings.append(
                        make_finding(
                            "R512",
                            f"PDF 共 {n_pages} 页，超过上限 {limits.max_pages} 页；只读取了前 {limits.max_pages} 页。",
                            shown,
                            values={"pages": str(n_pages), "read": str(limits.max_pages)},
                        )
                    )
                    break
                page_blocks, text, n_tables = _page_blocks(page, page_no, shown, tables + 1)
                tables += n_tables
                blocks.extend(page_blocks)
                bad, share = garbled_share(text)
                visible_total += len(re.sub(r"\s", "", text))
                if bad and share > 0.02:
                    garbled_pages.append(page_no)
                    bad_total += bad
                # A scan may carry a stray text line (a stamp, a page number): judge by how little text.
                if len(text.strip()) < 10 and page.images:
                    image_pages.append(page_no)
                page.close()
                elapsed = time.monotonic() - started
                if elapsed > limits.max_seconds and page_no < n_pages:
                    findings.append(_timeout(shown, limits, page_no, n_pages))
                    break
    except ReadTimeout:
        findings.append(_timeout(shown, limits, None, None))
    except Exception as exc:
        if _is_encryption_error(exc):
            findings.append(
                make_finding("R507", "PDF 已加密，需要密码才能读取文字；请提供未加密的文件。", shown)
            )
        else:
            findings.append(
                make_finding(
                    "R502", f"PDF 文件已损坏或格式不正确，无法读取：{type(exc).__name__}: {exc}", shown
                )
            )
        return blocks, findings
    if garbled_pages:
        # A few stray glyphs (a symbol font) only make some words doubtful; a mostly garbled layer
        # makes every figure doubtful.
        severity = Severity.WARNING if bad_total < 0.1 * max(visible_total, 1) else None
        findings.append(
            make_finding(
                "R501",
                f"第 {_pages(garbled_pages)} 页的文字层无法识别（共 {bad_total} 个乱码字形，"
                "字体缺少 Unicode 映射），这些页上的数字和文字可能读错；请用原始 Word 文件或可复制文字的 PDF。",
                shown,
                values={"pages": ",".join(map(str, garbled_pages)), "glyphs": str(bad_total)},
                severity=severity,
                page=garbled_pages[0],
            )
        )
    if image_pages:
        findings.append(
            make_finding(
                "R511",
                f"第 {_pages(image_pages)} 页只有图像、没有文字层（扫描件），无法审查其内容；"
                "请提供可复制文字的 PDF 或 Word 原文件，或先做文字识别（OCR）。",
                shown,
                values={"pages": ",".join(map(str, image_pages))},
                page=image_pages[0],
            )
        )
    return blocks, findings


def _pages(pages: list[int]) -> str:
    listed = "、".join(map(str, pages[:10]))
    return listed + (f" 等（共 {len(pages)} 页）" if len(pages) > 10 else "")


def _timeout(shown: str, limits: ReadLimits, page_no: int | None, n_pages: int | None) -> Finding:
    where = f"读到第 {page_no} 页（共 {n_pages} 页）时" if page_no else ""
    return make_finding(
        "R508",
        f"读取 PDF {where}超过时限 {limits.max_seconds:g} 秒，已停止；后面的内容没有审查。",
        shown,
        values={"seconds": f"{limits.max_seconds:g}", **({"page": str(page_no)} if page_no else {})},
    )
