"""Read a report file into a ``Document``. Never raises for bad input: each problem is one R5xx finding.

The order of the guards matters: the size comes from ``stat`` before a byte is read; the kind of file
comes from its first bytes (and its extension); a .docx is checked as a zip archive before it is opened.
Files are opened read-only; nothing is ever written to the input.
"""

from __future__ import annotations

import stat
from pathlib import Path

from jixiao.core.findings import Finding
from jixiao.review.document import Document, Format
from jixiao.review.read.guard import MiB, ReadLimits, make_finding, sniff, zip_problem
from jixiao.review.read.plausible import outside_gb2312, suspect_text
from jixiao.review.read.text import blocks_from_text, decode_text
from jixiao.review.read.traditional import is_traditional, simplified_blocks, traditional_finding

__all__ = ["ReadLimits", "document_from_text", "read_document"]

_EXTENSIONS: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".docm": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    # Converted by LibreOffice (read.office) unless their bytes say they are something readable as is.
    ".doc": "docx",
    ".wps": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xlsx",
    ".et": "xlsx",
}
# Old binary formats, converted by LibreOffice before reading: (what they are, the format to convert to).
_CONVERTED = {
    ".doc": ("旧版 Word 文档（.doc）", "docx"),
    ".wps": ("WPS 文字文档（.wps）", "docx"),
    ".et": ("WPS 表格（.et）", "xlsx"),
    ".xls": ("Excel 97-2003 表格（.xls）", "xlsx"),
}
# Formats people will try; each gets a specific hint instead of being read as garbage.
_UNSUPPORTED = {
    ".rtf": "RTF 文档",
    ".odt": "OpenDocument 文档",
    ".ofd": "OFD 版式文件",
    ".png": "图片",
    ".jpg": "图片",
    ".jpeg": "图片",
    ".tif": "图片",
    ".tiff": "图片",
    ".zip": "压缩包",
    ".rar": "压缩包",
    ".7z": "压缩包",
}


DEFAULT_LIMITS = ReadLimits()


def read_document(path: str | Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """Read .txt/.md/.docx/.pdf/.html, spreadsheets (.xlsx/.xls/.et) and, through LibreOffice, .doc/.wps
    (others are sniffed). Problems come back in ``Document.findings``."""
    file = Path(path)
    shown = str(path)
    suffix = file.suffix.lower()
    fmt: Format = _EXTENSIONS.get(suffix, "txt")
    doc = Document(path=shown, format=fmt, encoding=None)
    try:
        info = file.stat()
    except OSError as exc:
        doc.findings.append(make_finding("R513", f"无法打开文件：{exc.strerror or exc}", shown))
        return doc
    doc.size = info.st_size
    if not stat.S_ISREG(info.st_mode):
        doc.findings.append(make_finding("R513", "不是普通文件（可能是目录或设备），无法读取。", shown))
        return doc
    if info.st_size > limits.max_bytes:
        doc.findings.append(
            make_finding(
                "R505",
                f"文件大小 {info.st_size / MiB:.1f} MB 超过上限 {limits.max_bytes / MiB:.0f} MB，未读取。",
                shown,
                values={"bytes": str(info.st_size), "limit": str(limits.max_bytes)},
            )
        )
        return doc
    if info.st_size == 0:
        doc.findings.append(make_finding("R503", "文件是空的（0 字节）。", shown))
        return doc
    if suffix in _DATA_FILES:
        # jixiao's own .json output (or a data file) given to `check`: say what it is, not "no outline found".
        doc.findings.append(
            make_finding(
                "R509",
                f"这是数据文件（{_DATA_FILES[suffix]}），不是自评报告，无法审查。jixiao 生成的报告请审查同名的"
                " .docx/.md/.html 文件；检查数据文件请用 `jixiao validate`。",
                shown,
                values={"format": _DATA_FILES[suffix]},
            )
        )
        return doc
    if suffix in _UNSUPPORTED:
        doc.findings.append(_unsupported(shown, _UNSUPPORTED[suffix]))
        return doc
    try:
        with open(file, "rb") as handle:
            head = handle.read(4096)
            # A text file is read whole anyway: read it on this opening, not on a second one.
            data = head + handle.read() if _EXTENSIONS.get(suffix) in ("txt", "md") else None
    except OSError as exc:
        doc.findings.append(make_finding("R513", f"无法打开文件：{exc.strerror or exc}", shown))
        return doc
    except MemoryError:
        doc.findings.append(_too_big(shown))
        return doc
    try:
        _read_into(doc, file, head, suffix, limits, data)
    except MemoryError:
        doc.blocks.clear()
        doc.findings.append(_too_big(shown))
    except Exception as exc:
        doc.findings.append(
            make_finding("R502", f"文件无法解析（{type(exc).__name__}: {exc}），可能已损坏。", shown)
        )
    if not doc.blocks and not any(f.severity.rank >= 2 for f in doc.findings):
        doc.findings.append(make_finding("R503", "文件中没有可读的文字内容。", shown))
    elif doc.blocks:
        text = doc.text()
        outside = outside_gb2312(text)  # one pass, for both questions
        if _simplify_traditional(doc, text, outside):
            text = doc.text()
            outside = outside_gb2312(text)
        garbled = suspect_text(doc, text, outside)
        if garbled is not None:
            doc.findings.append(garbled)
    return doc


_DATA_FILES = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}


def _too_big(shown: str) -> Finding:
    return make_finding("R505", "文件内容过大，读取时内存不足，未读取。", shown)


def _simplify_traditional(doc: Document, text: str, outside: str | None = None) -> bool:
    """A traditional-character text is read in simplified characters, and said so (R515)."""
    if not is_traditional(text, outside):
        return False
    doc.blocks[:] = simplified_blocks(doc.blocks)
    doc.findings.append(traditional_finding(doc.path, doc.blocks))
    return True


def _unsupported(shown: str, what: str) -> Finding:
    return make_finding(
        "R509",
        f"不支持的文件格式：{what}。请另存为 .docx、.xlsx、.pdf、.txt 或 .html 后再审查。",
        shown,
        values={"format": what},
    )


def _read_into(
    doc: Document, file: Path, head: bytes, suffix: str, limits: ReadLimits, data: bytes | None = None
) -> None:
    """Read ``file`` into ``doc``; ``data``: its bytes, when already read."""
    shown = doc.path
    kind = sniff(head)
    if suffix not in _EXTENSIONS:  # unknown extension: trust the content
        doc.format = {"zip": "docx", "pdf": "pdf", "html": "html"}.get(kind, "txt")  # type: ignore[assignment]
    elif kind in ("html", "pdf") and (suffix in _CONVERTED or doc.format == "xlsx"):
        doc.format = kind  # a web page or PDF saved under an Office name
    if doc.format == "xlsx":
        _read_sheets(doc, file, kind, suffix, limits)
        return
    if kind == "ole" and suffix in _CONVERTED:  # .doc / .wps: Word's binary format
        _read_converted(doc, file, suffix, limits)
        return
    if kind == "ole" and doc.format in ("docx", "txt", "md"):
        doc.findings.append(
            make_finding(
                "R509",
                "这是旧版 Word（.doc/.wps）文件，或是设置了打开密码的 Office 文件；请另存为 .docx（取消密码）后再审查。",
                shown,
            )
        )
        return
    if doc.format == "docx":
        _read_docx(doc, file, kind, limits)
    elif doc.format == "pdf":
        from jixiao.review.read.pdf import blocks_from_pdf

        if kind != "pdf":
            doc.findings.append(make_finding("R502", "文件扩展名是 .pdf，但内容不是 PDF，无法读取。", shown))
            return
        blocks, findings = blocks_from_pdf(file, shown, limits)
        doc.blocks.extend(blocks)
        doc.findings.extend(findings)
    elif doc.format == "html":
        from jixiao.review.read.html import blocks_from_html, decode_html

        page, page_codec, page_findings = decode_html(file.read_bytes(), shown)
        doc.encoding = page_codec
        doc.findings.extend(page_findings)
        doc.blocks.extend(blocks_from_html(page, shown))
    else:
        _read_plain(doc, file, data)


def _read_plain(doc: Document, file: Path, data: bytes | None = None) -> None:
    decoded, codec, findings = decode_text(file.read_bytes() if data is None else data, doc.path)
    doc.encoding = codec
    doc.findings.extend(findings)
    if decoded is not None:
        doc.blocks.extend(blocks_from_text(decoded, doc.path, markdown=doc.format == "md"))


def _read_sheets(doc: Document, file: Path, kind: str, suffix: str, limits: ReadLimits) -> None:
    """.xlsx/.xls/.et by what the bytes are: a zip is read as .xlsx, an OLE file as .xls (a WPS .et
    xlrd cannot read is converted by LibreOffice), anything else as text. (A web page or PDF saved as
    .xls never gets here: ``_read_into`` reads it as what it is.)"""
    shown = doc.path
    if kind == "zip":
        problem = zip_problem(file, limits)
        if problem is not None:
            code, message, values = problem
            doc.findings.append(make_finding(code, message, shown, values=values))
            return
        from jixiao.review.read.xlsx import blocks_from_xlsx

        blocks, findings = blocks_from_xlsx(file, shown, limits)
        doc.blocks.extend(blocks)
        doc.findings.extend(findings)
    elif kind == "ole":
        from jixiao.review.read.xls import XlsUnreadable, blocks_from_xls

        try:
            blocks, findings = blocks_from_xls(file, shown, limits)
        except XlsUnreadable as exc:
            if "encrypt" in str(exc).lower():
                doc.findings.append(
                    make_finding(
                        "R509", "表格设置了打开密码，无法读取；请取消密码后另存为 .xlsx 再审查。", shown
                    )
                )
                return
            _read_converted(doc, file, suffix if suffix in _CONVERTED else ".xls", limits)
            return
        doc.blocks.extend(blocks)
        doc.findings.extend(findings)
    else:  # tab-separated text saved as .xls by some systems' "export to Excel"
        doc.format = "txt"
        _read_plain(doc, file)


def _read_converted(doc: Document, file: Path, suffix: str, limits: ReadLimits) -> None:
    """A .doc/.wps/.et/.xls converted by LibreOffice, then read as the .docx/.xlsx it became."""
    from jixiao.review.read.office import converted

    what, target = _CONVERTED[suffix]
    with converted(file, target, doc.path, what, limits.max_convert_seconds) as (copy, problem):
        if copy is None:
            assert problem is not None
            doc.findings.append(problem)
            return
        if target == "docx":
            _read_docx(doc, copy, "zip", limits)
        else:
            _read_sheets(doc, copy, "zip", ".xlsx", limits)


def _read_docx(doc: Document, file: Path, kind: str, limits: ReadLimits) -> None:
    shown = doc.path
    if kind != "zip":
        doc.findings.append(
            make_finding("R502", "文件已损坏或不是有效的 .docx 文件（不是 ZIP 压缩格式），无法读取。", shown)
        )
        return
    problem = zip_problem(file, limits)
    if problem is not None:
        code, message, values = problem
        doc.findings.append(make_finding(code, message, shown, values=values))
        return
    from jixiao.review.read.docx import blocks_from_docx

    try:
        doc.blocks.extend(blocks_from_docx(file, shown))
    except Exception as exc:
        doc.findings.append(
            make_finding(
                "R502", f"文件已损坏或不是有效的 .docx 文件，无法读取：{type(exc).__name__}: {exc}", shown
            )
        )


def document_from_text(text: str, *, path: str = "<text>", format: Format = "txt") -> Document:
    """A Document from a string, as if read from a .txt/.md file (for tests and pasted text)."""
    doc = Document(path=path, format=format, encoding="utf-8", size=len(text.encode("utf-8")))
    doc.blocks.extend(blocks_from_text(text, path, markdown=format == "md"))
    _simplify_traditional(doc, doc.text())
    return doc
