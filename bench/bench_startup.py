"""Start-up: ``jixiao check one.txt`` as a whole process against a bare ``python -c pass``.

Usage: python bench/bench_startup.py [--runs 15] [FILE]

Both are run ``--runs`` times, alternating, and the median wall time of each is printed with their
ratio (target, issue 9: at most 15×), for wall time and for CPU time (user + system; on a busy shared
machine the wall time also counts the turns of other processes). FILE defaults to a review fixture
(tests/fixtures/review); the command's exit code (0 clean, 1 findings) does not matter here.

Bytecode: with PYTHONDONTWRITEBYTECODE set, a module edited since its .pyc was written is compiled
again at every run, which the figures would count; the script compiles the package first.
"""

from __future__ import annotations

import argparse
import compileall
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

_FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "review" / "hunan_dept_clean.txt"


def run(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("file", nargs="?", type=Path, default=_FIXTURE)
    args = parser.parse_args()
    exe = shutil.which("jixiao") or str(Path(sys.executable).with_name("jixiao"))
    bare_cmd = [sys.executable, "-c", "pass"]
    check_cmd = [exe, "check", str(args.file)]
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "src", quiet=1)  # see the docstring
    run(bare_cmd), run(check_cmd)  # warm the file cache
    bare, check = [], []
    for _ in range(args.runs):
        bare.append(run(bare_cmd))
        check.append(run(check_cmd))
    for i, what in ((0, "wall"), (1, "CPU")):
        b = statistics.median(r[i] for r in bare)
        c = statistics.median(r[i] for r in check)
        print(
            f"{what:4s}: python -c pass {1000 * b:.1f} ms, jixiao check {args.file.name} {1000 * c:.1f} ms "
            f"(medians of {args.runs}): ratio {c / b:.1f}× (target ≤ 15×)"
        )


if __name__ == "__main__":
    main()
