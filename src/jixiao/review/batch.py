"""`jixiao check`: many files, one run. A bad file is one finding; the run goes on to the next.

Files are checked in worker processes when ``jobs > 1`` (each file is independent and the work is
CPU-bound Python). Results stream back in input order so output is deterministic.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from jixiao.findings import Finding, Location, Severity
from jixiao.review.pipeline import FileReport, check_file

SUFFIXES = {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}


def expand(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files from files, folders (recursively, known suffixes) and globs; plus arguments that matched nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        elif p.is_file():
            files.append(p)
        else:
            matched = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
            if matched:
                files.extend(matched)
            else:
                missing.append(arg)
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique, missing


def _check_one(args: tuple[str, str, int, float]) -> FileReport:
    path, framework, max_bytes, max_seconds = args
    from jixiao.review.readers import ReadLimits

    try:
        limits = ReadLimits(max_bytes=max_bytes, max_seconds=max_seconds)
        report = check_file(path, framework, limits)
    except Exception as exc:  # one bad file must not stop a batch
        report = FileReport(
            path,
            [
                Finding(
                    "R502",
                    Severity.ERROR,
                    f"处理此文件时程序出错（请报告此缺陷）：{type(exc).__name__}: {exc}",
                    Location(path=path),
                )
            ],
        )
    # Worker results cross a process boundary: drop the heavy document, keep what output needs.
    if report.context is not None:
        report.context = None
    return report


def iter_reports(
    files: list[Path], framework: str, jobs: int, max_bytes: int, max_seconds: float
) -> Iterator[FileReport]:
    tasks = [(str(f), framework, max_bytes, max_seconds) for f in files]
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield _check_one(t)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_check_one, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 8) or 1)))


def run_check(
    paths: Iterable[str],
    *,
    fmt: str = "text",
    output: str | None = None,
    framework: str = "mof-2020",
    jobs: int = 1,
    max_bytes: int = 50 * 1024 * 1024,
    max_seconds: float = 30.0,
    force: bool = False,
    echo: Callable[[str], Any] = print,
) -> int:
    files, missing = expand(paths)
    for m in missing:
        echo(f"{m}: 没有匹配的文件")
    if not files:
        return 2
    jobs = max(1, min(jobs, os.cpu_count() or 1))
    any_error = False
    summary: list[FileReport] = []
    json_files: list[dict[str, Any]] = []
    for report in iter_reports(files, framework, jobs, max_bytes, max_seconds):
        any_error = any_error or report.errors > 0
        if fmt == "json":
            json_files.append(
                {
                    "path": report.path,
                    "errors": report.errors,
                    "warnings": report.warnings,
                    "findings": [f.to_dict() for f in report.findings],
                }
            )
        elif fmt == "html":
            from jixiao.review.render import write_html_report

            out = write_html_report(report, Path(output or "jixiao-check"), force=force)
            echo(f"{report.path}: {report.errors} 个错误，{report.warnings} 个警告 → {out}")
        else:
            _print_text(report, echo)
        summary.append(_light(report))
    if fmt == "json":
        echo(json.dumps({"files": json_files}, ensure_ascii=False, indent=2))
    elif len(files) > 1:
        _print_summary(summary, echo)
    return 1 if any_error else 0


def _light(report: FileReport) -> FileReport:
    return FileReport(report.path, report.findings)


def _print_text(report: FileReport, echo: Callable[[str], Any]) -> None:
    for f in report.findings:
        echo(f.render())
        if f.excerpt:
            echo(f"    | {f.excerpt}")
        if f.values:
            echo("    = " + "；".join(f"{k}: {v}" for k, v in f.values.items()))


def _print_summary(reports: list[FileReport], echo: Callable[[str], Any]) -> None:
    echo("")
    echo("文件\t错误\t警告\t提示")
    for r in reports:
        infos = sum(1 for f in r.findings if f.severity is Severity.INFO)
        echo(f"{r.path}\t{r.errors}\t{r.warnings}\t{infos}")
    total_e = sum(r.errors for r in reports)
    total_w = sum(r.warnings for r in reports)
    clean = sum(1 for r in reports if not r.findings)
    echo(f"共 {len(reports)} 个文件：{total_e} 个错误，{total_w} 个警告；{clean} 个文件未发现问题。")
