"""A digest of everything the review path finds, for showing that a refactor changed nothing.

Usage: python tools/jixiao_dev/digest.py [--n 40] [--seed 1] [--repo DIR] [--shared DIR]

Reviews the review fixtures (tests/fixtures/**.txt), the development seed (../shared/seeds/000_*.txt,
skipped when absent) and ``--n`` generated reports in every harness layout, each clean and with each
injected error kind, and prints for every part a sha256 over every finding (all fields), every section
(the heading tree) and every claim (field by field, recursively), with their counts. A last line digests
the parts. Run it in two checkouts and compare: the first differing line names the part.

Works with the layout before the move (``jixiao.review.harness``, ``jixiao.synth``) and after it
(``jixiao_dev``): point PYTHONPATH at the checkout's ``src`` (and ``tools``) to digest that checkout.
Claims are digested by field values, not by repr, so a changed repr or constructor does not count.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import hashlib
import importlib.util
import os
import random
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

if importlib.util.find_spec("jixiao.core") is not None:  # after the move
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from jixiao_dev.harness import KINDS, LAYOUTS, inject, render
    from jixiao_dev.synth import random_evaluation

    from jixiao.model.frameworks import load_framework
    from jixiao.model.scoring import score
else:  # before the move: everything inside the package
    from jixiao.frameworks import load_framework  # type: ignore[no-redef]
    from jixiao.review.harness import KINDS, LAYOUTS, inject, render  # type: ignore[no-redef]
    from jixiao.scoring import score  # type: ignore[no-redef]
    from jixiao.synth import random_evaluation  # type: ignore[no-redef]

from jixiao.review.pipeline import FileReport, check_file, review_document


# The harness reads its .docx renderings from a fresh temporary folder: that folder is no part of a result.
_TEMP_DIR = re.compile(re.escape(tempfile.gettempdir()) + r"/[^/\s]+/")


# A Figure's public attributes, in the order of its fields before its location and excerpt moved into a
# ``Place`` (worked out when first read): digested by attribute, the digest compares across that change.
_ATTRIBUTES = {
    "Figure": ("quantity", "block_index", "location", "excerpt", "interval", "label"),
    # ScoreLine's and IndicatorTarget's location and excerpt moved into a Place the same way.
    "ScoreLine": (
        *("name", "block_index", "location", "excerpt", "weight", "score", "deduction", "has_reason"),
        "source",
    ),
    "IndicatorTarget": ("name", "target", "location", "excerpt", "missing_unit", "missing_nature", "kind"),
}


def canon(value: Any) -> Any:
    """A plain, printable form of a finding, heading or claim: field names and values, recursively."""
    if isinstance(value, str):
        return _TEMP_DIR.sub("", value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)  # keeps the exponent: 1.50 and 1.5 differ
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _ATTRIBUTES.get(type(value).__name__) or [f.name for f in dataclasses.fields(value)]
        return [type(value).__name__, [(name, canon(getattr(value, name))) for name in names]]
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return [
            type(value).__name__,
            [(name, canon(v)) for name, v in zip(value._fields, value, strict=True)],
        ]
    if isinstance(value, dict):
        return [(canon(k), canon(v)) for k, v in value.items()]
    if isinstance(value, list | tuple | range):
        return [canon(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(repr(canon(v)) for v in value)
    raise TypeError(f"cannot digest {type(value).__name__}: {value!r}")


class Part:
    """One digest: findings, sections and claims of several reports, in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.hash = hashlib.sha256()
        self.findings = self.sections = self.claims = self.reports = 0

    def add(self, report: FileReport) -> None:
        self.reports += 1
        self.hash.update(f"report {canon(report.path)}\n".encode())
        for f in report.findings:
            self.findings += 1
            self.hash.update(("F" + repr(canon(f)) + "\n").encode())
        ctx = report.context
        for h in ctx.sections if ctx is not None else ():
            self.sections += 1
            self.hash.update(("S" + repr(canon(h)) + "\n").encode())
        for c in ctx.claims if ctx is not None else ():
            self.claims += 1
            self.hash.update(("C" + repr(canon(c)) + "\n").encode())

    def line(self) -> str:
        return (
            f"{self.hash.hexdigest()[:16]}  {self.name:<28} reports={self.reports} findings={self.findings} "
            f"sections={self.sections} claims={self.claims}"
        )


@contextmanager
def _in(folder: Path) -> Iterator[None]:
    """Files are checked by their bare name from their own folder: locations carry no checkout path."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def _files(part: Part, paths: Iterable[Path]) -> Part:
    for path in paths:
        with _in(path.parent):
            part.add(check_file(path.name))
    return part


def harness_parts(n: int, seed: int) -> list[Part]:
    """Every layout clean, and every layout with every error kind, over ``n`` reports (fixed seeds)."""
    fw = load_framework("mof-2020")
    models = random.Random(seed)
    rng = random.Random(seed * 7919 + 1)
    clean = {layout: Part(f"harness clean {layout}") for layout in LAYOUTS}
    dirty = {kind: Part(f"harness inject {kind}") for kind in KINDS}
    for i in range(n):
        scored = score(random_evaluation(models, index=i), fw)
        for layout in LAYOUTS:
            r = render(scored, layout, rng)
            clean[layout].add(review_document(r.document([], name=f"r{i}-{layout}"), "mof-2020"))
            for kind in KINDS:
                inj = inject(kind, r, scored, rng)
                if inj is None:
                    dirty[kind].hash.update(f"none {i} {layout}\n".encode())
                    continue
                doc = r.document(list(inj.edits), name=f"r{i}-{layout}-{kind}")
                dirty[kind].add(review_document(doc, "mof-2020"))
    return [*clean.values(), *dirty.values()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="generated reports (each in every layout)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="checkout whose tests/fixtures to read")
    parser.add_argument("--shared", type=Path, help="the shared folder (default: ../shared of --repo)")
    args = parser.parse_args()
    parts = [
        _files(Part(f"fixture {p.parent.name}/{p.name}"), [p])
        for p in sorted(args.repo.glob("tests/fixtures/**/*.txt"))
    ]
    seed_file = (args.shared or args.repo / ".." / "shared") / "seeds" / "000_e908e985cae8175b.txt"
    if seed_file.exists():
        parts.append(_files(Part("seed 000"), [seed_file.resolve()]))
    else:
        print("seed 000: absent, skipped")
    parts += harness_parts(args.n, args.seed)
    total = hashlib.sha256()
    for part in parts:
        print(part.line())
        total.update(part.line().encode())
    print(f"{total.hexdigest()}  ALL ({len(parts)} parts)")


if __name__ == "__main__":
    main()
