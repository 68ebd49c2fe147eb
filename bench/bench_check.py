"""Review-path speed: one 10-page .docx, .txt reports per second, and a 10,000-file folder via the CLI.

Usage: python bench/bench_check.py [--n 10000] [--txt 1000] [--repeat 30] [--jobs 2] [--stages]

(a) median time of ``check_file`` on one ~10-page .docx (a synth report with long 完成情况说明), on one
    core, and its ratio to the bare floor: unzip + parse word/document.xml with lxml.
(b) .txt reports per second: ``check_file`` over ``--txt`` generated plain-text reports, with CPython's
    collector settings and with those ``jixiao check`` uses (``batch_collector``); then the whole
    ``jixiao check DIR --jobs 1`` command over the same folder, start-up and JSON output included.
(c) ``jixiao check DIR --jobs J --format json > /dev/null`` on a folder of ``--n`` .txt reports: wall
    time and peak memory (``/usr/bin/time -v`` when present: peak RSS of the largest process;
    otherwise ``getrusage(RUSAGE_CHILDREN)``, which also reports the largest single process).
Targets (issue): ≤ 50 ms per .docx; ≥ 200 .txt reports/s; 10,000 reports in under 2 minutes, under 500 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1] / "tools")
)  # jixiao_dev: test tooling, not in the wheel

from jixiao_dev.harness.layouts import markdown_to_text
from jixiao_dev.synth import random_evaluation
from lxml import etree

from jixiao.collector import batch_collector
from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import score
from jixiao.report.compose import compose
from jixiao.report.docx import write_docx
from jixiao.report.markdown import render_markdown
from jixiao.review.pipeline import check_file

CHARS_PER_PAGE = 22 * 28  # GB/T 9704: 22 lines of 28 characters
ROWS_PER_PAGE = 18  # annex table rows with wrapped text, roughly


def estimated_pages(md: str) -> float:
    rows = sum(1 for line in md.splitlines() if line.startswith("|"))
    chars = sum(len(line) for line in md.splitlines() if not line.startswith("|"))
    return chars / CHARS_PER_PAGE + rows / ROWS_PER_PAGE


def ten_page_docx(path: Path, seed: int) -> float:
    """Write a synth report of about 10 pages to ``path``; returns its estimated page count."""
    fw = load_framework("mof-2020")
    for sentences in range(0, 40):
        ev = random_evaluation(random.Random(seed), evidence_sentences=sentences)
        doc = compose(score(ev, fw))
        pages = estimated_pages(render_markdown(doc))
        if pages >= 10:
            break
    write_docx(doc, path)
    return pages


def floor(path: Path) -> float:
    t = time.perf_counter()
    with zipfile.ZipFile(path) as z:
        etree.fromstring(z.read("word/document.xml"))
    return time.perf_counter() - t


def bench_docx(repeat: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten-pages.docx"
        pages = ten_page_docx(path, seed)
        check_file(path)  # warm the imports and caches
        times, floors = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            report = check_file(path)
            times.append(time.perf_counter() - t)
            floors.append(floor(path))
        med, base = statistics.median(times), statistics.median(floors)
        print(
            f"(a) one ~{pages:.1f}-page .docx ({path.stat().st_size // 1024} KB, {len(report.findings)} findings):"
        )
        print(f"    median check_file {1000 * med:.1f} ms over {repeat} runs (target ≤ 50 ms)")
        print(f"    floor (unzip + lxml parse) {1000 * base:.2f} ms; ratio {med / base:.0f}×")


def write_txt_reports(folder: Path, n: int, seed: int, distinct: int = 500) -> None:
    """``n`` .txt reports; ``distinct`` different ones, copied under new names (generation is not timed).

    The review path's caches (normalize, quantities) hold a few reports' worth of lines, far fewer than
    ``distinct``, so a copy never finds its original's lines still cached."""
    fw = load_framework("mof-2020")
    rng = random.Random(seed)
    texts = []
    for i in range(min(n, distinct)):
        ev = random_evaluation(rng, index=i)
        texts.append(markdown_to_text(render_markdown(compose(score(ev, fw)))))
    for i in range(n):
        (folder / f"report-{i:05d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")


def jixiao_executable() -> str:
    return shutil.which("jixiao") or str(Path(sys.executable).with_name("jixiao"))


def bench_txt(count: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_txt_reports(folder, count, seed, distinct=count)
        files = sorted(folder.iterdir())
        check_file(files[0])
        for how, collector in (
            ("check_file, CPython's collector settings", contextlib.nullcontext),
            ("check_file, as `jixiao check` runs it", batch_collector),
        ):
            with collector():
                t, cpu = time.perf_counter(), time.process_time()
                for f in files:
                    check_file(f)
                wall, cpu = time.perf_counter() - t, time.process_time() - cpu
            print(f"(b) {count} .txt reports, {how}: {count / wall:.0f} reports/s on one core (target ≥ 200)")
            # CPU time as well: on a shared machine the wall figure also counts other processes' turns.
            print(
                f"    CPU {1000 * cpu / count:.1f} ms per report ({count / cpu:.0f} reports per CPU-second)"
            )
        # The whole command on one core: start-up, imports and the JSON written out included.
        command = [jixiao_executable(), "check", str(folder), "--jobs", "1", "--format", "json"]
        t = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - t
        print(f"    `jixiao check DIR --jobs 1 --format json`: {wall:.2f} s, {count / wall:.0f} reports/s")


def bench_stages(count: int, seed: int) -> None:
    """CPU per report in each stage of the review pipeline, over ``count`` generated .txt reports."""
    from jixiao.core.rules.registry import run_checks
    from jixiao.review.claims.prose import extract_prose_claims
    from jixiao.review.claims.scores import extract_score_claims
    from jixiao.review.claims.tables import extract_table_claims
    from jixiao.review.context import ReviewContext
    from jixiao.review.read import ReadLimits, read_document
    from jixiao.review.structure import parse_sections

    fw = load_framework("mof-2020")
    names = ("reading", "sections", "prose claims", "score lines", "tables", "checks")
    spent = dict.fromkeys(names, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_txt_reports(folder, count, seed, distinct=count)
        files = sorted(folder.iterdir())
        check_file(files[0])
        clock = time.process_time
        for f in files:
            t0 = clock()
            doc = read_document(f, limits=ReadLimits())
            t1 = clock()
            sections = parse_sections(doc)
            t2 = clock()
            prose = extract_prose_claims(doc)
            t3 = clock()
            scores = extract_score_claims(doc)
            t4 = clock()
            tables = extract_table_claims(doc)
            t5 = clock()
            ctx = ReviewContext(document=doc, framework=fw)
            ctx.sections, ctx.claims = sections, prose + scores + tables
            run_checks("document", ctx)
            t6 = clock()
            for name, a, b in zip(names, (t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6), strict=True):
                spent[name] += b - a
    print(f"(stages) CPU per report over {count} .txt reports:")
    for name in names:
        print(f"    {name:13s} {1000 * spent[name] / count:.2f} ms")


def bench_folder(n: int, jobs: int, seed: int) -> None:
    exe = jixiao_executable()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        write_txt_reports(folder, n, seed)
        cmd = [exe, "check", str(folder), "--jobs", str(jobs), "--format", "json"]
        timer = Path("/usr/bin/time")
        t = time.perf_counter()
        if timer.exists():
            proc = subprocess.run(
                [str(timer), "-v", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            wall = time.perf_counter() - t
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
            peak_mb = int(m.group(1)) / 1024 if m else float("nan")
            cpu = sum(
                float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr)
            )
            how = "/usr/bin/time -v"
        else:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            peak_mb = after.ru_maxrss / 1024
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            how = "getrusage(RUSAGE_CHILDREN)"
        print(
            f"(c) jixiao check DIR --jobs {jobs} --format json on {n} .txt reports (exit {proc.returncode}):"
        )
        print(f"    wall {wall:.1f} s ({n / wall:.0f} reports/s; target 10,000 in < 120 s)")
        print(f"    peak RSS of the largest process {peak_mb:.0f} MB ({how}; target < 500 MB)")
        print(f"    CPU {cpu:.1f} s in all processes ({1000 * cpu / n:.1f} ms per report)")
        print("    note: with --jobs > 1 this is the largest single process; workers run side by side")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="reports in the folder of (c); 0 skips (c)")
    parser.add_argument("--txt", type=int, default=1000, help="reports timed in (b)")
    parser.add_argument("--repeat", type=int, default=30, help="runs of (a)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stages", action="store_true", help="also print CPU per pipeline stage for (b)")
    args = parser.parse_args()
    bench_docx(args.repeat, args.seed)
    bench_txt(args.txt, args.seed)
    if args.stages:
        bench_stages(min(args.txt, 300), args.seed)
    if args.n:
        bench_folder(args.n, args.jobs, args.seed)


if __name__ == "__main__":
    main()
