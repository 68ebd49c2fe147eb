"""PDF review speed against ``pdftotext``: the time to check a report PDF on one process, and its ratio
to the time poppler's ``pdftotext`` takes to extract the text of the same file.

Usage: python bench/bench_pdf.py [--repeat 15] [--keep DIR]

The PDFs are made here, through LibreOffice: the author path's reports of the examples (``jixiao report
examples/X.yaml --pdf``: prose, headings and the 自评表/基础数据表 annexes as ruled tables) and the plain
text reports of examples/reports and tests/fixtures/review (``soffice --convert-to pdf``). For each file:
the median wall time of ``pdftotext FILE -`` (a process started per run, as a user would run it), of
``read_document`` (reading alone) and of ``check_file`` (reading, claims and checks), in this process
after one warm-up run. Target (issue 11): check ≤ 3 × pdftotext.
Needs LibreOffice (soffice), fonts-noto-cjk and poppler-utils (pdftotext, pdfinfo).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jixiao.review.pipeline import check_file
from jixiao.review.read import read_document

ROOT = Path(__file__).resolve().parent.parent


def median_time(run: Callable[[], object], repeat: int) -> float:
    run()  # warm-up: imports, caches, the file in the page cache
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def make_pdfs(out: Path) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit(
            "需要 LibreOffice（soffice）来生成 PDF：apt-get install libreoffice-writer-nogui fonts-noto-cjk"
        )
    made: list[Path] = []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        target = out / example.stem
        command = [sys.executable, "-c", "from jixiao.cli import main; main()", "report", str(example)]
        subprocess.run(
            [*command, "-o", str(target), "--format", "docx", "--pdf", "--force"],
            check=False,  # exits 1 when the data has errors (the seed's example does, on purpose)
            capture_output=True,
        )
        made.extend(sorted(target.glob("*.pdf")))
    texts = sorted((ROOT / "examples" / "reports").glob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures" / "review").glob("*.txt")
    )
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, texts)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    made.extend(out / f"{t.stem}.pdf" for t in texts)
    return [p for p in made if p.exists()]


def pages(pdf: Path) -> str:
    if not shutil.which("pdfinfo"):
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="make the PDFs in this folder (kept), or reuse them")
    args = parser.parse_args()
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        sys.exit("需要 pdftotext：apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        pdfs = sorted(out.rglob("*.pdf")) if args.keep and any(out.rglob("*.pdf")) else make_pdfs(out)
        print(f"{'file':<44} {'pages':>5} {'pdftotext':>10} {'read':>8} {'check':>8} {'ratio':>6}")
        ratios = []
        total_ref = total_check = 0.0
        for pdf in pdfs:
            ref = median_time(
                lambda p=pdf: subprocess.run([pdftotext, "-q", str(p), "-"], capture_output=True, check=True),
                args.repeat,
            )
            read = median_time(lambda p=pdf: read_document(p), args.repeat)
            check = median_time(lambda p=pdf: check_file(p), args.repeat)
            ratios.append(check / ref)
            total_ref += ref
            total_check += check
            name = pdf.name if len(pdf.name) <= 44 else pdf.name[:20] + "…" + pdf.name[-23:]
            print(
                f"{name:<44} {pages(pdf):>5} {ref * 1000:>8.1f}ms {read * 1000:>6.1f}ms "
                f"{check * 1000:>6.1f}ms {check / ref:>5.2f}×"
            )
        print(
            f"all {len(pdfs)} files: pdftotext {total_ref * 1000:.1f} ms, check {total_check * 1000:.1f} ms, "
            f"ratio of sums {total_check / total_ref:.2f}×, median ratio {statistics.median(ratios):.2f}×, "
            f"worst {max(ratios):.2f}× (target ≤ 3×)"
        )


if __name__ == "__main__":
    main()
