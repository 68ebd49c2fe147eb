"""CPU per .txt report for two or more checkouts, back to back on the same generated reports.

Usage: python bench/bench_versions.py CHECKOUT [CHECKOUT ...] [--txt 200] [--rounds 3]

Each checkout (a directory with ``src/jixiao``, e.g. a ``git worktree`` of an older commit) runs in its
own process over the same folder of reports, once with CPython's collector settings and once as
``jixiao check`` runs (``batch_collector``); the best of ``--rounds`` rounds is printed, with the ratio
to the first checkout. Wall time on a shared machine moves by ±20% from hour to hour; checkouts measured
in the same rounds are comparable with each other.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_check import write_txt_reports

_CHILD = r"""
import contextlib, sys, time
from pathlib import Path
from jixiao.review.pipeline import check_file
try:
    from jixiao.collector import batch_collector
except ImportError:  # older checkouts kept it in review.batch
    from jixiao.review.batch import batch_collector
files = sorted(Path(sys.argv[1]).iterdir())
for f in files[:30]:
    check_file(f)  # imports, lazy patterns and caches warmed
for how, collector in (("cpython", contextlib.nullcontext), ("cli", batch_collector)):
    with collector():
        t = time.process_time()
        for f in files:
            check_file(f)
        print(how, (time.process_time() - t) / len(files) * 1000)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--txt", type=int, default=200, help="generated .txt reports")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best: dict[Path, dict[str, float]] = {c: {} for c in args.checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        write_txt_reports(Path(tmp), args.txt, 1, distinct=args.txt)
        for _ in range(args.rounds):
            for checkout in args.checkouts:
                env = {**os.environ, "PYTHONPATH": str(checkout.resolve() / "src"), "PYTHONHASHSEED": "0"}
                proc = subprocess.run(
                    [sys.executable, "-c", _CHILD, tmp], capture_output=True, text=True, env=env, check=False
                )
                if proc.returncode:
                    raise SystemExit(f"{checkout}: {proc.stderr[-2000:]}")
                for line in proc.stdout.splitlines():
                    how, ms = line.split()
                    best[checkout][how] = min(best[checkout].get(how, float("inf")), float(ms))
    first = best[args.checkouts[0]]
    for checkout, figures in best.items():
        shown = "  ".join(
            f"{how}: {ms:.2f} ms/report ({1000 / ms:.0f}/s, {ms / first[how]:.2f}×)"
            for how, ms in figures.items()
        )
        print(f"{checkout}: {shown}")


if __name__ == "__main__":
    main()
