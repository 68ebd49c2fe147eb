"""Reports per second on the author path: score → compose → .docx → .xlsx for random units.

Usage: python bench/bench_report.py [--n 100] [--seed 1]

Prints the time of each stage summed over all units and the complete reports (docx + xlsx) per second
on one core. Units come from ``jixiao_dev.synth`` (seeded). When ``workbook/report.py`` is not there yet,
only the .docx is timed and a note says so.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1] / "tools")
)  # jixiao_dev: test tooling, not in the wheel

from jixiao_dev.synth import random_evaluations

from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import score
from jixiao.report.compose import compose
from jixiao.report.docx import write_docx


def _workbook_writer() -> Callable[[Any, Path], None] | None:
    try:
        from jixiao.report.xlsx import write_report_workbook
    except ImportError:
        return None
    return write_report_workbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    evaluations = random_evaluations(args.seed, args.n)
    fw = load_framework("mof-2020")
    xlsx = _workbook_writer()
    stages = {"score": 0.0, "compose": 0.0, "docx": 0.0, "xlsx": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        for i, ev in enumerate(evaluations):
            t0 = time.perf_counter()
            scored = score(ev, fw)
            t1 = time.perf_counter()
            doc = compose(scored)
            t2 = time.perf_counter()
            write_docx(doc, out / f"r{i}.docx")
            t3 = time.perf_counter()
            if xlsx is not None:
                xlsx(scored, out / f"r{i}.xlsx")
            t4 = time.perf_counter()
            stages["score"] += t1 - t0
            stages["compose"] += t2 - t1
            stages["docx"] += t3 - t2
            stages["xlsx"] += t4 - t3
        wall = time.perf_counter() - started
    what = "docx + xlsx" if xlsx is not None else "docx only"
    print(f"{args.n} random units (seed {args.seed}), {what}, one core")
    if xlsx is None:
        print("note: jixiao.report.xlsx.write_report_workbook is not available; the .xlsx was not timed")
    print(f"reports/second: {args.n / wall:.1f}  (wall {wall:.2f} s)")
    for name, seconds in stages.items():
        if name == "xlsx" and xlsx is None:
            continue
        print(f"  {name:8s} {seconds:7.3f} s total  {1000 * seconds / args.n:7.2f} ms/report")


if __name__ == "__main__":
    main()
