"""Instructions per .txt report under callgrind: a speed figure that does not move with the machine.

Usage: python bench/bench_instructions.py [--n 40] [--warm 40] [--seed 1] [--stage STAGE] [--src DIR]

Wall time on a shared 2-core machine varies by ±20% from hour to hour; the instruction count of the
same work barely does. This runs ``check_file`` over ``--n`` generated .txt reports under
``valgrind --tool=callgrind`` and again over none, both after checking ``--warm`` other reports (imports,
caches as in a long batch), and prints the difference per report. Compare two versions on the same
reports with ``--src OTHER/src``. Needs valgrind (Debian: valgrind); about two minutes.

``--stage reading|sections|prose|scores|tables|selfeval|checks`` counts one stage of the pipeline alone: both
runs read and extract every report first, and one of them then repeats that stage over them.
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
import gc
import sys
from pathlib import Path
from jixiao.review.pipeline import check_file
files = sorted(Path(sys.argv[1]).iterdir())
n, warm = int(sys.argv[2]), int(sys.argv[3])
# Both runs first check the last ``warm`` reports (other reports than the counted ones): imports,
# catalogs, and the readers' caches as full as in a long batch, where the bench's reports/s are taken.
for f in files[len(files) - warm :]:
    check_file(f)
# The collector's first full pass walks every object the imports made (some 18,000). Left to itself it
# falls inside the counted run or not depending on how many objects the reports before it kept, a jump
# of about 0.5 M per report over 40 reports that measures where a threshold falls, not the work; done
# here it is in both runs, and the later passes are those of a long batch.
gc.collect()
for f in files[:n]:
    check_file(f)
"""


_STAGE_CHILD = """
import gc
import sys
from pathlib import Path
from jixiao.model.frameworks import load_framework
from jixiao.review.claims.prose import extract_prose_claims
from jixiao.review.claims.scores import extract_score_claims
from jixiao.review.claims.selfeval import extract_selfeval_claims
from jixiao.review.claims.tables import extract_table_claims
from jixiao.review.context import ReviewContext
from jixiao.review.pipeline import check_file
from jixiao.review.read import ReadLimits, read_document
from jixiao.review.structure import parse_sections
from jixiao.core.rules.registry import run_checks

stage, n = sys.argv[3], int(sys.argv[2])
files = sorted(Path(sys.argv[1]).iterdir())[:-1]
fw = load_framework("mof-2020")
check_file(files[-1])
gc.collect()  # as in _CHILD
contexts = []
for f in files:
    doc = read_document(f, limits=ReadLimits())
    ctx = ReviewContext(document=doc, framework=fw)
    ctx.sections = parse_sections(doc)
    ctx.claims = extract_prose_claims(doc) + extract_score_claims(doc) + extract_table_claims(doc)
    contexts.append(ctx)
# Read again, so that the small caches of the readers hold the last reports, not the first.
docs = [read_document(f, limits=ReadLimits()) for f in files]
for f, doc, ctx in list(zip(files, docs, contexts))[:n]:
    if stage == "reading":
        read_document(f, limits=ReadLimits())
    elif stage == "sections":
        parse_sections(doc)
    elif stage == "prose":
        extract_prose_claims(doc)
    elif stage == "scores":
        extract_score_claims(doc)
    elif stage == "tables":
        extract_table_claims(doc)
    elif stage == "selfeval":
        extract_selfeval_claims(doc)
    elif stage == "checks":
        again = ReviewContext(document=ctx.document, framework=fw)
        again.sections, again.claims = ctx.sections, ctx.claims
        run_checks("document", again)
"""
STAGES = ("reading", "sections", "prose", "scores", "tables", "selfeval", "checks")


def instructions(
    folder: Path, n: int, stage: str | None = None, warm: int = 1, src: str | None = None
) -> int:
    child = _CHILD if stage is None else _STAGE_CHILD
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict and set orders in every run
    if src:
        env["PYTHONPATH"] = src  # another checkout's jixiao, measured on the same reports
    proc = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            child,
            str(folder),
            str(n),
            stage or str(warm),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    m = re.search(r"Collected : (\d+)", proc.stderr)
    if m is None:
        raise SystemExit(f"callgrind gave no count:\n{proc.stderr[-2000:]}")
    return int(m.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="reports checked under callgrind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stage", choices=STAGES, help="count one pipeline stage alone")
    parser.add_argument(
        "--warm", type=int, default=40, help="other reports checked first in both runs (not counted)"
    )
    parser.add_argument(
        "--src", help="the src/ folder of another checkout to measure instead of this one (same reports)"
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = 1 if args.stage else max(1, args.warm)
        count = args.n + (1 if args.stage else warm)
        write_txt_reports(folder, count, args.seed, distinct=count)
        base = instructions(folder, 0, args.stage, warm, args.src)
        total = instructions(folder, args.n, args.stage, warm, args.src)
    what = f"in stage {args.stage} " if args.stage else ""
    print(
        f"{(total - base) / args.n / 1e6:.2f} M instructions {what}per .txt report ({args.n} reports, callgrind)"
    )


if __name__ == "__main__":
    main()
