"""Limits and sniffing done before a parser touches the bytes: size, zip bombs, what a file really is."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.rules.registry import rule

__all__ = ["ReadLimits", "ReadTimeout", "deadline", "make_finding", "sniff", "zip_problem"]

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_bytes: int = 50 * MiB  # larger files are refused from their size on disk, unread
    max_unzipped_bytes: int = 200 * MiB  # sum of the sizes a .docx declares for its parts
    max_ratio: float = 100.0  # uncompressed / compressed, over the whole archive or one large part
    max_seconds: float = 30.0  # per PDF file
    max_pages: int = 1000  # per PDF file
    max_zip_entries: int = 10_000
    max_sheet_rows: int = 10_000  # per worksheet: a 自评表 has tens of rows; the rest is not read (R512)
    max_sheet_cols: int = 256  # per worksheet row
    max_cells: int = 1_000_000  # per workbook, stored cells (empty or not) read over all sheets
    max_convert_seconds: float = 120.0  # per LibreOffice conversion (.doc/.wps/.et)


def make_finding(
    code: str,
    message: str,
    path: str,
    *,
    values: dict[str, str] | None = None,
    severity: Severity | None = None,
    **where: Any,
) -> Finding:
    """A reading finding at file level (or at ``where``: page=, line=...)."""
    return rule(code).finding(message, Location(path=path, **where), values=values, severity=severity)


Kind = Literal["txt", "docx", "pdf", "html", "ole", "zip", "empty"]


def sniff(head: bytes) -> Kind:
    """What the first bytes say the file is (extensions lie: a .txt may be a renamed .doc)."""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # legacy .doc/.wps/.xls, or an Office file encrypted with a password
    if b"%PDF-" in head[:1024]:
        return "pdf"
    probe = head[:2048].lower()
    if b"<html" in probe or b"<!doctype html" in probe:
        return "html"
    return "txt"


def zip_problem(path: Path, limits: ReadLimits) -> tuple[str, str, dict[str, str]] | None:
    """(code, message, values) when the archive must not be opened; None when it looks sane.

    Only the central directory is read: the sizes it declares are what zipfile will inflate to at most,
    so checking them is enough and nothing is decompressed here.
    """
    import zipfile  # here: only a .docx or .xlsx is an archive (start-up of a .txt check)

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return "R502", f"文件已损坏或不是有效的 .docx（ZIP）文件：{exc}", {}
    if len(infos) > limits.max_zip_entries:
        return (
            "R506",
            f"压缩包内文件数 {len(infos)} 超过上限 {limits.max_zip_entries}，疑为压缩炸弹，未解压。",
            {"entries": str(len(infos))},
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    values = {"unzipped_bytes": str(total), "zipped_bytes": str(packed)}
    if total > limits.max_unzipped_bytes:
        return (
            "R506",
            f"解压后大小 {total // MiB} MB 超过上限 {limits.max_unzipped_bytes // MiB} MB，疑为压缩炸弹，未解压。",
            values,
        )
    # Tiny archives cannot hurt whatever their ratio (an empty XML part compresses very well).
    worst = max(
        (i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > MiB),
        default=0.0,
    )
    overall = total / max(packed, 1) if total > MiB else 0.0
    ratio = max(worst, overall)
    if ratio > limits.max_ratio:
        values["ratio"] = f"{ratio:.0f}"
        return (
            "R506",
            f"压缩比 {ratio:.0f}:1 超过上限 {limits.max_ratio:.0f}:1，疑为压缩炸弹，未解压。",
            values,
        )
    return None


class ReadTimeout(Exception):
    """Raised inside a parser when the per-file time is up (caught by the reader, never escapes)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt a runaway parser after ``seconds`` where the OS allows it (POSIX, main thread).

    Elsewhere (worker threads, Windows) the readers still check the elapsed time between pages.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ReadTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
