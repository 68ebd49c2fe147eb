"""Instructions per .txt report under callgrind: a speed figure that does not move with the machine.

Usage: python bench/bench_instructions.py [--n 40] [--seed 1]

Wall time on a shared 2-core machine varies by ±20% from hour to hour; the instruction count of the
same work barely does. This runs ``check_file`` over ``--n`` generated .txt reports under
``valgrind --tool=callgrind`` and again over none (imports, warm-up), and prints the difference per
report. Compare two versions by running it in each checkout. Needs valgrind (Debian: valgrind); the
run takes about a minute for 40 reports.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_check import write_txt_reports

_CHILD = """
import sys
from pathlib import Path
from jixiao.review.pipeline import check_file
files = sorted(Path(sys.argv[1]).iterdir())
check_file(files[-1])  # imports, catalogs and caches warmed in both runs
for f in files[: int(sys.argv[2])]:
    check_file(f)
"""


def instructions(folder: Path, n: int) -> int:
    proc = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            _CHILD,
            str(folder),
            str(n),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict and set orders in every run
    )
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if m is None:
        raise SystemExit(f"callgrind gave no count:\n{proc.stderr[-2000:]}")
    return int(m.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="reports checked under callgrind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_txt_reports(folder, args.n + 1, args.seed, distinct=args.n + 1)
        base = instructions(folder, 0)
        total = instructions(folder, args.n)
    print(f"{(total - base) / args.n / 1e6:.1f} M instructions per .txt report ({args.n} reports, callgrind)")


if __name__ == "__main__":
    main()
