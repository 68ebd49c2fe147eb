"""Start-up: ``jixiao check one.txt`` as a whole process against a bare ``python -c pass``.

Usage: python bench/bench_startup.py [--runs 15] [FILE]

Both are run ``--runs`` times, alternating, and the median wall time of each is printed with their
ratio (target, issue 9: at most 15×). FILE defaults to a review fixture (tests/fixtures/review); the
command's exit code (0 clean, 1 findings) does not matter here. On a shared machine the ratio moves
less than either time: both are paid in the same CPU-bound currency.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

_FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "review" / "hunan_dept_clean.txt"


def wall(command: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("file", nargs="?", type=Path, default=_FIXTURE)
    args = parser.parse_args()
    exe = shutil.which("jixiao") or str(Path(sys.executable).with_name("jixiao"))
    bare_cmd = [sys.executable, "-c", "pass"]
    check_cmd = [exe, "check", str(args.file)]
    wall(bare_cmd), wall(check_cmd)  # warm the file cache
    bare, check = [], []
    for _ in range(args.runs):
        bare.append(wall(bare_cmd))
        check.append(wall(check_cmd))
    b, c = statistics.median(bare), statistics.median(check)
    print(f"python -c pass: {1000 * b:.1f} ms (median of {args.runs})")
    print(f"jixiao check {args.file.name}: {1000 * c:.1f} ms (median of {args.runs})")
    print(f"ratio {c / b:.1f}× (target ≤ 15×)")


if __name__ == "__main__":
    main()
