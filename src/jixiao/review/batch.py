"""`jixiao check`: many files, one run. A bad file is one finding; the run goes on to the next.

Files are checked in worker processes when ``jobs > 1`` (each file is independent and the work is
CPU-bound Python). Results stream back in input order so output is deterministic.
"""

from __future__ import annotations

import gc
import glob
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from jixiao.core.config import RuleSelection
from jixiao.core.findings import Finding, Location, Severity, values_text
from jixiao.core.rules.registry import finding_dict
from jixiao.review.pipeline import FileReport, check_file

SUFFIXES = {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}


# Documents people save reports as that we cannot read: listed from folders too, so each gets its
# R509 finding ("save as .docx") instead of being skipped without a word.
UNREADABLE_SUFFIXES = {".doc", ".wps", ".docm", ".rtf", ".odt"}


def expand(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files from files, folders (recursively) and globs; plus a message for each argument that gave none."""
    files: list[Path] = []
    problems: list[str] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = _folder(p)
            files.extend(found)
            if not found:
                problems.append(f"{arg}: 目录中没有可审查的报告（支持 {_supported()}）")
        elif p.is_file():
            files.append(p)
        else:
            matched: list[Path] = []
            for m in sorted(glob.glob(arg, recursive=True)):
                # A glob may name folders too ("reports/2024*"): take their report files.
                matched.extend(_folder(Path(m)) if Path(m).is_dir() else [Path(m)])
            if matched:
                files.extend(matched)
            elif glob.has_magic(arg):
                problems.append(f"{arg}: 没有匹配的文件")
            else:
                problems.append(f"{arg}: 文件或目录不存在")
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique, problems


def _supported() -> str:
    return " ".join(sorted(SUFFIXES))


def _folder(folder: Path) -> list[Path]:
    wanted = SUFFIXES | UNREADABLE_SUFFIXES
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in wanted)


# The youngest generation is collected after this many new container objects instead of CPython's 700.
_GEN0_THRESHOLD = 10_000


def _fewer_collections() -> None:
    """Collector settings for a process that checks files: fewer, cheaper collections.

    Checking one report makes tens of thousands of short-lived objects (quantities, figures, locations)
    and next to no reference cycles: over 1,500 reports the collector finds about 200 cyclic objects to
    free. At the default threshold it runs every 700 allocations and each time walks the young objects,
    and now and then everything the imports, frameworks and caches made. Freezing that (``gc.freeze``:
    the collector no longer walks it) and collecting the young every 10,000 allocations takes about 8%
    off the CPU time of a check with the same peak memory (bench/bench_check.py prints both figures).
    A process that froze objects itself keeps them as they are: nothing more is frozen."""
    if not gc.get_freeze_count():
        gc.freeze()
    gc.set_threshold(_GEN0_THRESHOLD, *gc.get_threshold()[1:])


# The settings batch_collector found, kept while any run is under way: runs may overlap (two threads of
# a program, a run inside a run), and the settings come back only when the last of them ends.
_collector_lock = threading.Lock()
_collector_runs = 0
_collector_saved: tuple[tuple[int, int, int], bool] = ((0, 0, 0), False)


@contextmanager
def batch_collector() -> Iterator[None]:
    """``_fewer_collections`` for the duration of a run, then the caller's settings again (a library
    caller, a test, keeps its process as it was): the threshold, and nothing left frozen that was not."""
    global _collector_runs, _collector_saved
    with _collector_lock:
        if not _collector_runs:
            _collector_saved = (gc.get_threshold(), not gc.get_freeze_count())
            _fewer_collections()
        _collector_runs += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_runs -= 1
            if not _collector_runs:
                threshold, froze = _collector_saved
                gc.set_threshold(*threshold)
                if froze:
                    gc.unfreeze()


def _unusable(report: FileReport) -> bool:
    """The file could not be read: a reading error (R5xx) and no finding about its content."""
    reading = [f for f in report.findings if f.code.startswith("R")]
    return any(f.severity is Severity.ERROR for f in reading) and len(reading) == len(report.findings)


def _check_one(args: tuple[str, str, int, float, bool, RuleSelection]) -> FileReport:
    path, framework, max_bytes, max_seconds, keep_document, rules = args
    from jixiao.review.read import ReadLimits

    try:
        limits = ReadLimits(max_bytes=max_bytes, max_seconds=max_seconds)
        report = check_file(path, framework, limits, enabled=rules.codes())
    except Exception as exc:  # one bad file must not stop a batch
        report = FileReport(path, [_defect(path, exc)])
    if not rules.is_everything:  # reading findings come from a stage, not a check: filtered here
        report.findings = rules.keep(report.findings)
    # Worker results cross a process boundary: drop what output does not need (the HTML page needs the
    # document; nothing needs the claims).
    report.context = None
    if not keep_document:
        report.document = None
    return report


def _defect(path: str, exc: BaseException) -> Finding:
    return Finding(
        "R502",
        Severity.ERROR,
        f"处理此文件时程序出错（请报告此缺陷）：{type(exc).__name__}: {exc}",
        Location(path=path),
    )


def iter_reports(
    files: list[Path],
    framework: str,
    jobs: int,
    max_bytes: int,
    max_seconds: float,
    *,
    keep_document: bool = False,
    rules: RuleSelection | None = None,
) -> Iterator[FileReport]:
    chosen = rules or RuleSelection()
    tasks = [(str(f), framework, max_bytes, max_seconds, keep_document, chosen) for f in files]
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield _check_one(t)
        return
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_fewer_collections) as pool:
            chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
            for report in pool.map(_check_one, tasks, chunksize=chunk):
                done += 1
                yield report
    except BrokenProcessPool:
        # A worker died (out of memory, killed): finish the rest here, one file at a time, so the
        # file that killed it gets its own finding instead of the whole run stopping.
        for t in tasks[done:]:
            yield _check_one(t)


def _html_name(report: FileReport, used: set[str]) -> str:
    """``name.check.html``; files of the same name from different folders get ``name.2.check.html``…"""
    base = Path(report.path).name
    name, n = f"{base}.check.html", 1
    while name in used:
        n += 1
        name = f"{base}.{n}.check.html"
    used.add(name)
    return name


# Below this many files one process does the work: starting a worker (importing jixiao in it) costs about
# as much as checking a dozen .txt reports.
AUTO_JOBS_MIN_FILES = 16


# ProcessPoolExecutor refuses more than 61 workers on Windows.
_MAX_WORKERS = 61 if sys.platform == "win32" else 256


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def worker_count(jobs: int, files: int) -> int:
    """Processes for ``files`` files. ``jobs`` 0 = automatic: every usable core for a folder of reports,
    one process for a few files; otherwise ``jobs``. Never more than the cores or the files."""
    cores = min(usable_cores(), _MAX_WORKERS)
    if jobs <= 0:
        jobs = cores if files >= AUTO_JOBS_MIN_FILES else 1
    return max(1, min(jobs, cores, files))


def run_check(
    paths: Iterable[str],
    *,
    fmt: str = "text",
    output: str | None = None,
    framework: str = "mof-2020",
    jobs: int = 0,
    max_bytes: int = 50 * 1024 * 1024,
    max_seconds: float = 30.0,
    force: bool = False,
    echo: Callable[[str], Any] = print,
    warn: Callable[[str], Any] | None = None,
    rules: RuleSelection | None = None,
) -> int:
    """Check every file; print text, one JSON document, or write HTML pages. Returns the exit code:
    0 clean, 1 error-level findings, 2 nothing to check (or an HTML page could not be written)."""
    # Diagnostics go to stderr so that `--format json` keeps stdout one parseable document.
    say = warn or (lambda message: print(message, file=sys.stderr))
    from jixiao.model.frameworks import FrameworkError, load_framework

    try:
        load_framework(framework)  # once, here: a wrong name is the user's mistake, not each file's
    except FrameworkError as exc:
        for f in exc.findings:
            say(f.render())
        return 2
    files, problems = expand(paths)
    for message in problems:
        say(message)
    if not files:
        if fmt == "json":
            echo(json.dumps({"files": []}, ensure_ascii=False, indent=2))
        return 2
    jobs = worker_count(jobs, len(files))
    outdir = Path(output or "jixiao-check")
    reports = iter_reports(
        files, framework, jobs, max_bytes, max_seconds, keep_document=fmt == "html", rules=rules
    )
    with batch_collector():
        return _write_reports(reports, files, fmt, outdir, force, echo, say)


def _write_reports(
    reports: Iterable[FileReport],
    files: list[Path],
    fmt: str,
    outdir: Path,
    force: bool,
    echo: Callable[[str], Any],
    say: Callable[[str], Any],
) -> int:
    any_error = False
    all_unusable = True
    unwritten = False
    # The parent keeps no report once it is written out: JSON is streamed file by file (the same text as
    # one json.dumps of the whole run), and the text summary keeps one row of counts per file.
    summary: list[_Row] = []
    pending_json: str | None = None  # the previous file's JSON, written once we know whether a comma follows
    used_names: set[str] = set()
    for report in reports:
        any_error = any_error or report.errors > 0
        all_unusable = all_unusable and _unusable(report)
        if fmt == "json":
            if pending_json is None:
                echo('{\n  "files": [')
            else:
                echo(pending_json + ",")
            pending_json = _json_entry(report)
        elif fmt == "html":
            from jixiao.core.output import OutputExists
            from jixiao.review.render import write_html_report

            name = _html_name(report, used_names)
            try:
                out = write_html_report(report, outdir, force=force, name=name)
            except OutputExists as exc:
                say(str(exc))
                unwritten = True
            except OSError as exc:
                say(f"{outdir / name}: 无法写出（{exc.strerror or exc}）")
                unwritten = True
            else:
                echo(f"{report.path}: {report.errors} 个错误，{report.warnings} 个警告 → {out}")
        else:
            _print_text(report, echo)
        if fmt != "json" and len(files) > 1:
            summary.append(_row(report))
    if fmt == "json":
        if pending_json is None:
            echo(json.dumps({"files": []}, ensure_ascii=False, indent=2))
        else:
            echo(pending_json)
            echo("  ]\n}")
    elif len(files) > 1:
        _print_summary(summary, echo)
    if unwritten or all_unusable:
        return 2  # nothing could be written, or no file could be read at all: input unusable
    return 1 if any_error else 0


def _json_entry(report: FileReport) -> str:
    """One file's entry, indented as it stands inside ``{"files": [...]}`` dumped with indent=2 (JSON
    strings hold no raw newline, so indenting every line is exact)."""
    entry = {
        "path": report.path,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [finding_dict(f) for f in report.findings],
    }
    return "    " + json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")


class _Row(NamedTuple):
    path: str
    errors: int
    warnings: int
    infos: int
    clean: bool


def _row(report: FileReport) -> _Row:
    infos = sum(1 for f in report.findings if f.severity is Severity.INFO)
    return _Row(report.path, report.errors, report.warnings, infos, not report.findings)


def _print_text(report: FileReport, echo: Callable[[str], Any]) -> None:
    if not report.findings:
        echo(f"{report.path}: 未发现问题")
        return
    for f in report.findings:
        echo(f.render())
        if f.excerpt:
            echo(f"    | {f.excerpt}")
        if f.values:
            echo("    = " + values_text(f.values))


def _print_summary(rows: list[_Row], echo: Callable[[str], Any]) -> None:
    echo("")
    echo("文件\t错误\t警告\t提示")
    for r in rows:
        echo(f"{r.path}\t{r.errors}\t{r.warnings}\t{r.infos}")
    total_e = sum(r.errors for r in rows)
    total_w = sum(r.warnings for r in rows)
    clean = sum(1 for r in rows if r.clean)
    echo(f"共 {len(rows)} 个文件：{total_e} 个错误，{total_w} 个警告；{clean} 个文件未发现问题。")
