"""`jixiao check`: many files, one run. A bad file is one finding; the run goes on to the next.

Files are checked in worker processes when ``jobs > 1`` (each file is independent and the work is
CPU-bound Python). Results stream back in input order so output is deterministic.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from jixiao.core.config import RuleSelection
from jixiao.core.findings import Finding, Location, Severity, sort_findings, values_text
from jixiao.core.rules.registry import finding_dict, run_checks
from jixiao.review.pipeline import FileReport, check_file
from jixiao.review.submission import group_files

SUFFIXES = {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".xlsx", ".xlsm", ".xls", ".et", ".doc", ".wps"}


# Documents people save reports as that we cannot read: listed from folders too, so each gets its
# R509 finding ("save as .docx") instead of being skipped without a word.
UNREADABLE_SUFFIXES = {".docm", ".rtf", ".odt"}


class Expanded(NamedTuple):
    files: list[Path]
    problems: list[str]  # an argument that named no file
    skipped: list[tuple[Path, str]]  # a file in a folder that is not checked, and why


def expand(paths: Iterable[str]) -> Expanded:
    """Files from files, folders (recursively) and globs; a message for each argument that gave none; and
    each file of a folder that is not checked, with the reason (no file is left out without a word)."""
    files: list[Path] = []
    problems: list[str] = []
    skipped: list[tuple[Path, str]] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = _folder(p, skipped)
            files.extend(found)
            if not found:
                problems.append(f"{arg}: 目录中没有可审查的报告（支持 {_supported()}）")
        elif p.is_file():
            files.append(p)
        else:
            matched: list[Path] = []
            for m in sorted(glob.glob(arg, recursive=True)):
                # A glob may name folders too ("reports/2024*"): take their report files.
                matched.extend(_folder(Path(m), skipped) if Path(m).is_dir() else [Path(m)])
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
    return Expanded(unique, problems, skipped)


def _supported() -> str:
    return " ".join(sorted(SUFFIXES))


def _skip_reason(f: Path) -> str | None:
    """Why a file found in a folder is not checked; None when it is."""
    name = f.name
    if name.startswith("~$") or name.startswith(".~lock."):
        return "Office/WPS 打开文件时留下的临时锁文件"
    if name.startswith("."):
        return "隐藏文件"
    suffix = f.suffix.lower()
    if suffix in SUFFIXES or suffix in UNREADABLE_SUFFIXES:
        return None
    return f"不是可审查的报告或自评表格式（{suffix or '无扩展名'}）"


def _folder(folder: Path, skipped: list[tuple[Path, str]]) -> list[Path]:
    """The files to check under ``folder`` (recursively, sorted); every other file goes to ``skipped``
    with its reason, and a hidden folder (.git, .svn…) once, as a whole."""
    found: list[Path] = []
    passed: list[tuple[Path, str]] = []
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        for d in [d for d in dirs if d.startswith(".")]:
            dirs.remove(d)
            passed.append((here / d, "隐藏目录，其中的文件未审查"))
        for name in names:
            f = here / name
            if not f.is_file():
                continue
            reason = _skip_reason(f)
            if reason is None:
                found.append(f)
            else:
                passed.append((f, reason))
    skipped.extend(sorted(passed))
    return sorted(found)


def _unusable(report: FileReport) -> bool:
    """The file could not be read: a reading error (R5xx) and no finding about its content."""
    reading = [f for f in report.findings if f.code.startswith("R")]
    return any(f.severity is Severity.ERROR for f in reading) and len(reading) == len(report.findings)


def _check_one(args: tuple[str, str, int, float, bool, RuleSelection, bool]) -> FileReport:
    path, framework, max_bytes, max_seconds, keep_document, rules, facts = args
    from jixiao.review.read import ReadLimits

    try:
        limits = ReadLimits(max_bytes=max_bytes, max_seconds=max_seconds)
        report = check_file(path, framework, limits, enabled=rules.codes())
        if facts and report.context is not None:
            from jixiao.review.submission import submission_facts

            report.facts = submission_facts(report.context, path)
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
    facts: frozenset[int] = frozenset(),
    initializer: Callable[[], object] | None = None,
) -> Iterator[FileReport]:
    """One report per file, in input order; those whose index is in ``facts`` carry their SubmissionFacts.
    ``initializer`` runs first in each worker process (the ``check`` command sets its collector there)."""
    chosen = rules or RuleSelection()
    tasks = [
        (str(f), framework, max_bytes, max_seconds, keep_document, chosen, i in facts)
        for i, f in enumerate(files)
    ]
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield _check_one(t)
        return
    # Imported here: multiprocessing costs a one-file check about a tenth of its start-up.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=initializer) as pool:
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
    bundle: bool = True,
    echo: Callable[[str], Any] = print,
    warn: Callable[[str], Any] | None = None,
    rules: RuleSelection | None = None,
    initializer: Callable[[], object] | None = None,
) -> int:
    """Check every file; print text, one JSON document, or write HTML pages. Returns the exit code:
    0 clean, 1 error-level findings, 2 nothing to check (or an HTML page could not be written).
    ``bundle``: a report and its 自评表 (``submission.group_files``) are also compared with each other.
    ``initializer`` runs first in each worker process, if any."""
    # Diagnostics go to stderr so that `--format json` keeps stdout one parseable document.
    say = warn or (lambda message: print(message, file=sys.stderr))
    from jixiao.model.frameworks import FrameworkError, load_framework

    try:
        load_framework(framework)  # once, here: a wrong name is the user's mistake, not each file's
    except FrameworkError as exc:
        for f in exc.findings:
            say(f.render())
        return 2
    files, problems, skipped = expand(paths)
    for message in problems:
        say(message)
    if not files:
        if fmt == "json":
            echo(json.dumps({"files": [], **_skipped_json(skipped)}, ensure_ascii=False, indent=2))
        else:
            _print_skipped(skipped, echo)
        return 2
    jobs = worker_count(jobs, len(files))
    outdir = Path(output or "jixiao-check")
    groups = group_files(files) if bundle else []
    members = frozenset(i for g in groups for i in g)
    reports: Iterable[FileReport] = iter_reports(
        files,
        framework,
        jobs,
        max_bytes,
        max_seconds,
        keep_document=fmt == "html",
        rules=rules,
        facts=members,
        initializer=initializer,
    )
    if groups:
        reports = with_bundles(reports, groups, rules or RuleSelection())
    return _write_reports(reports, files, skipped, fmt, outdir, force, echo, say)


def with_bundles(
    reports: Iterable[FileReport], groups: list[list[int]], rules: RuleSelection | None = None
) -> Iterator[FileReport]:
    """The reports in their order, each group's held back until its last member is in; then every report
    of the group gets the findings of comparing it with the group's 自评表 (Q41x)."""
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    got: dict[int, FileReport] = {}
    complete: set[int] = set()
    next_out = 0
    for i, report in enumerate(reports):
        got[i] = report
        g = group_of.get(i)
        if g is not None and all(m in got for m in groups[g]):
            complete.add(g)
            _compare([got[m] for m in groups[g]], rules or RuleSelection())
        while next_out in got and group_of.get(next_out, -1) in complete | {-1}:
            yield got.pop(next_out)
            next_out += 1
    for i in sorted(got):  # not reached unless a group index is wrong: never drop a report
        yield got[i]


def _compare(members: list[FileReport], rules: RuleSelection) -> None:
    from jixiao.review.submission import Pair

    sheets = [r for r in members if r.facts is not None and r.facts.sheet]
    for report in members:
        if report.facts is None or report.facts.sheet:
            continue
        added = []
        for sheet in sheets:
            assert sheet.facts is not None
            added.extend(run_checks("bundle", Pair(report.facts, sheet.facts), enabled=rules.codes()))
        if added and not rules.is_everything:
            added = rules.keep(added)  # per-file ignores too
        if added:
            report.findings = sort_findings(report.findings + added)
    for report in members:
        report.facts = None  # the output needs none of it


def _write_reports(
    reports: Iterable[FileReport],
    files: list[Path],
    skipped: list[tuple[Path, str]],
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
            echo(json.dumps({"files": [], **_skipped_json(skipped)}, ensure_ascii=False, indent=2))
        elif skipped:
            echo(pending_json)
            tail = json.dumps(_skipped_json(skipped), ensure_ascii=False, indent=2)
            echo("  ],\n" + tail[2:])  # the "skipped" entry, at the level of "files"
        else:
            echo(pending_json)
            echo("  ]\n}")
    else:
        if len(files) > 1:
            _print_summary(summary, echo)
        _print_skipped(skipped, echo)
    if unwritten or all_unusable:
        return 2  # nothing could be written, or no file could be read at all: input unusable
    return 1 if any_error else 0


def _skipped_json(skipped: list[tuple[Path, str]]) -> dict[str, Any]:
    """``{"skipped": [{"path", "reason"}…]}`` when a folder held files that are not checked, else {}."""
    if not skipped:
        return {}
    return {"skipped": [{"path": str(p), "reason": why} for p, why in skipped]}


def _print_skipped(skipped: list[tuple[Path, str]], echo: Callable[[str], Any]) -> None:
    if not skipped:
        return
    echo("")
    echo(f"未审查的文件（{len(skipped)} 个）：")
    for p, why in skipped:
        echo(f"{p}\t{why}")


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
