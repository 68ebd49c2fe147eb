"""Write every requested output of `jixiao report`, each atomically, none over an existing file.

The report is composed once; every writer gets the same ReportDoc (or the same reconciled Scored for the
workbook), so the figures agree across .docx, .md, .html, .json and .xlsx. Writers owned by other
modules are imported late: a missing one becomes a note ("未能生成…"), not a crash.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from jixiao.core.findings import Finding
from jixiao.core.output import OutputExists, atomic_path
from jixiao.model.scoring import Scored
from jixiao.report.compose import compose, report_file_stem
from jixiao.report.content import ReportDoc

__all__ = ["output_paths", "write_outputs"]

ORDER = ("docx", "pdf", "xlsx", "md", "html", "json")


def output_paths(scored: Scored, outdir: Path) -> dict[str, Path]:
    """File name per format: <单位名称><年度>年度部门整体支出绩效自评报告.docx …, 自评表.xlsx."""
    stem = _safe(report_file_stem(scored))
    return {
        "docx": outdir / f"{stem}自评报告.docx",
        "pdf": outdir / f"{stem}自评报告.pdf",
        "md": outdir / f"{stem}自评报告.md",
        "html": outdir / f"{stem}自评报告.html",
        "json": outdir / f"{stem}自评报告.json",
        "xlsx": outdir / f"{stem}自评表.xlsx",
    }


def _safe(name: str) -> str:
    """A unit name is free text: keep it readable but never let it leave the output directory."""
    bad = '/\\:*?"<>|\0'
    cleaned = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in name).strip(" .")
    # File systems allow 255 bytes per name; leave room for the suffix (…自评报告.docx) in UTF-8.
    while len(cleaned.encode("utf-8")) > 150:
        cleaned = cleaned[:-1]
    return cleaned or "报告"


def _write_text(target: Path, text: str, force: bool) -> None:
    with atomic_path(target, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _with_module(
    what: str, load: Callable[[], Callable[..., None]], notes: list[str]
) -> Callable[..., None] | None:
    try:
        return load()
    except ImportError as exc:
        notes.append(f"未能生成{what}：缺少模块（{exc}）")
        return None


def _docx_writer() -> Callable[..., None]:
    from jixiao.report.docx import write_docx

    return write_docx


def _xlsx_writer() -> Callable[..., None]:
    from jixiao.report.xlsx import write_report_workbook

    return write_report_workbook


def _pdf(docx: Path, target: Path, force: bool, notes: list[str]) -> bool:
    try:
        from jixiao.report import pdf as pdfmod
    except ImportError as exc:
        notes.append(f"未能生成 PDF：缺少模块（{exc}）")
        return False
    # Both "LibreOffice missing" and "conversion failed" are the user's environment, not a bug: a note.
    expected = tuple(
        e for e in (getattr(pdfmod, "PdfUnavailable", None), getattr(pdfmod, "PdfConversionError", None)) if e
    )
    # LibreOffice writes <stem>.pdf into the directory it is given: convert in a private temporary
    # directory beside the target, then move the result into place atomically.
    with tempfile.TemporaryDirectory(prefix=".jixiao-pdf-", dir=target.parent) as work:
        try:
            produced = pdfmod.docx_to_pdf(docx, Path(work))
        except expected as exc:
            notes.append(f"未能生成 PDF：{exc}")
            return False
        with atomic_path(target, force=force) as tmp:
            shutil.move(str(produced), tmp)
    return True


def write_outputs(
    scored: Scored,
    findings: list[Finding],
    outdir: Path,
    formats: Sequence[str],
    *,
    pdf: bool = False,
    force: bool = False,
) -> tuple[list[Path], list[str]]:
    """Write the requested formats to ``outdir``; returns (paths written, notes for the user).

    Raises OutputExists before writing anything if any target exists and ``force`` is false.
    """
    outdir = Path(outdir)
    wanted = [f for f in ORDER if f in formats or (f == "pdf" and pdf)]
    if pdf and "docx" not in wanted:
        wanted.insert(0, "docx")  # the PDF is converted from the .docx
    paths = output_paths(scored, outdir)
    if not force:
        for fmt in wanted:
            if paths[fmt].exists():
                raise OutputExists(paths[fmt])

    doc: ReportDoc = compose(scored)  # composes from the data as typed (notes replaced totals)
    written: list[Path] = []
    notes: list[str] = []
    for fmt in wanted:
        target = paths[fmt]
        if fmt == "docx":
            write_docx = _with_module(".docx", _docx_writer, notes)
            if write_docx is None:
                continue
            with atomic_path(target, force=force) as tmp:
                write_docx(doc, tmp)
        elif fmt == "pdf":
            if paths["docx"] not in written or not _pdf(paths["docx"], target, force, notes):
                continue
        elif fmt == "xlsx":
            write_book = _with_module(" .xlsx 自评表", _xlsx_writer, notes)
            if write_book is None:
                continue
            with atomic_path(target, force=force) as tmp:
                write_book(scored, tmp)
        elif fmt == "md":
            from jixiao.report.markdown import render_markdown

            _write_text(target, render_markdown(doc), force)
        elif fmt == "html":
            from jixiao.report.html import render_html

            _write_text(target, render_html(doc), force)
        elif fmt == "json":
            from jixiao.report.jsonout import render_json

            _write_text(target, render_json(scored, findings), force)
        written.append(target)
    return written, notes
