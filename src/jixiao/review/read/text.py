"""Plain text and markdown: decode the bytes, split lines, join paragraphs, read pipe tables (in markdown,
rows starting with "|"; in plain text, lines with two or more bars, as text copied from a web table has)."""

from __future__ import annotations

import codecs
import re

from jixiao.core.findings import Finding, Severity
from jixiao.core.patterns import lazy_compile
from jixiao.review.document import Block
from jixiao.review.normalize import normalize_map, normalized_lines, normalizer_for
from jixiao.review.read.guard import make_finding
from jixiao.review.read.lines import (
    SourceLine,
    build_block,
    build_table,
    group_lines,
    normalized_text_blocks,
    plain_blocks,
    source_lines,
)

__all__ = ["blocks_from_text", "decode_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than \t \n \v \f \r and \x1a (the DOS end-of-file mark).
_CONTROLS = lazy_compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
# The same characters as bytes. In UTF-8 and GB18030 no byte below 0x30 is part of a longer sequence
# (UTF-8 with errors="replace" too: a replacement stops before such a byte), so a text decoded from
# ``data`` holds as many of them as ``data`` does, and bytes are counted in one C pass where the
# regex tests every character.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1a")


def _control_share(text: str, data: bytes | None = None) -> float:
    """The share of control characters in ``text``; ``data``: the UTF-8 or GB18030 bytes it was decoded from."""
    if not text:
        return 0.0
    if data is not None:
        return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(text)
    return len(_CONTROLS.findall(text)) / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """Most ASCII/CJK UTF-16 text has a zero in every other byte for ASCII; decode if it works cleanly."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    codec = "utf-16-le" if odd > 0.3 and even < 0.05 else "utf-16-be" if even > 0.3 and odd < 0.05 else None
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes, path: str) -> tuple[str | None, str | None, list[Finding]]:
    """(text, encoding, findings). text is None when the bytes are not text at all (R504)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, []
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace")
                return text, codec, [_replaced(path, codec, text)]
    if b"\x00" in data:
        text16 = _utf16_without_bom(data)
        if text16 is not None and _control_share(text16) < 0.01:
            info = make_finding(
                "R510", "文件没有字节顺序标记，按 UTF-16 解码。", path, values={"encoding": "utf-16"}
            )
            return text16, "utf-16", [info]
        return None, None, [_binary(path, "含有 NUL 字节")]
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _control_share(text, data) > 0.01:
            return None, None, [_binary(path, "含有大量控制字符")]
        findings = []
        if codec == "gb18030":
            findings.append(
                make_finding(
                    "R510",
                    "文件不是 UTF-8 编码，已按 GB18030（兼容 GBK/GB2312）解码。",
                    path,
                    values={"encoding": "gb18030"},
                )
            )
        return text, codec, findings
    # Neither decodes cleanly: mostly UTF-8 with a few bad bytes is still a text; otherwise it is binary.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 100) or _control_share(text, data) > 0.01:
        return None, None, [_binary(path, "无法按 UTF-8 或 GB18030 解码")]
    return text, "utf-8", [_replaced(path, "utf-8", text)]


def _replaced(path: str, codec: str, text: str) -> Finding:
    count = text.count("\ufffd")
    return make_finding(
        "R510",
        f"按 {codec} 解码时有 {count} 处无法识别的字节，已替换为 �，相关文字可能有误。",
        path,
        values={"encoding": codec, "replaced": str(count)},
        severity=Severity.WARNING,
    )


def _binary(path: str, why: str) -> Finding:
    return make_finding(
        "R504", f"文件不是文本文件（{why}），无法读取；请确认文件类型或另存为 .txt/.docx。", path
    )


_MD_TABLE_RULE = lazy_compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def blocks_from_text(text: str, path: str, *, markdown: bool = False) -> list[Block]:
    """Blocks of a decoded text file; line numbers count every line of the file, from 1."""
    if not markdown and "|" not in text and "｜" not in text:  # no table row (see table_row): one run of text
        norms, normalise = normalized_lines(text)
        if norms is not None:  # the usual report: lines normalised in one go
            return normalized_text_blocks(text.splitlines(), norms, path)
        return plain_blocks(source_lines(text), path, normalise)
    lines = source_lines(text)
    normalise = normalize_map if markdown else normalizer_for(text)  # every line is a piece of the text
    blocks: list[Block] = []
    pending: list[SourceLine] = []
    tables = 0

    def flush_text() -> None:
        if not markdown:
            blocks.extend(plain_blocks(pending, path, normalise))
            pending.clear()
            return
        for group in group_lines(pending, markdown=markdown):
            block = build_block(group, path, markdown=markdown)
            if block is not None:
                blocks.append(block)
        pending.clear()

    def table_row(text: str) -> bool:
        if markdown:
            return text.lstrip().startswith("|")
        # Plain text copied from a web page or a PDF keeps table rows as "总额 | 100.00 | 94.50% | 10":
        # two or more bars make a row (Chinese prose has none).
        if "|" not in text and "｜" not in text:
            return False  # the usual line, answered without counting
        return text.count("|") + text.count("｜") >= 2

    i = 0
    while i < len(lines):
        if table_row(lines[i].text):
            rows: list[list[tuple[str, int | None]]] = []
            while i < len(lines) and table_row(lines[i].text):
                line_text = lines[i].text.replace("｜", "|")
                if not _MD_TABLE_RULE.match(line_text):
                    rows.append([(cell, lines[i].number) for cell in _split_row(line_text)])
                i += 1
            flush_text()
            table = build_table(rows, path, tables + 1, line=rows[0][0][1] if rows else None)
            if table is not None:
                tables += 1
                blocks.append(table)
            continue
        pending.append(lines[i])
        i += 1
    flush_text()
    return blocks
