"""Year on year for one unit: figures across years, and the paragraphs of a report copied verbatim or
nearly from the year before (reviewers call such reports 千篇一律)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from jixiao.store import schema

# Paragraphs shorter than this are headings and stock phrases: alike every year and telling nothing.
MIN_CHARS = 30
NEAR = 0.9  # difflib ratio from which a paragraph counts as copied


@dataclass
class Copied:
    this: str
    last: str
    ratio: float

    @property
    def verbatim(self) -> bool:
        return self.this == self.last


def copied(this_year: list[str], last_year: list[str]) -> list[Copied]:
    """Each long paragraph of this year's report with its closest paragraph of last year's, when they are
    at least ``NEAR`` alike."""
    old = [p for p in last_year if len(p) >= MIN_CHARS]
    exact = set(old)
    found = []
    for p in this_year:
        if len(p) < MIN_CHARS:
            continue
        if p in exact:
            found.append(Copied(p, p, 1.0))
            continue
        best, best_ratio = "", 0.0
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(p)
        for q in old:
            if abs(len(q) - len(p)) > (1 - NEAR) * max(len(p), len(q)) * 2:
                continue
            matcher.set_seq1(q)
            if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = q, ratio
        if best_ratio >= NEAR:
            found.append(Copied(p, best, best_ratio))
    return found


def diff_marks(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts cut into (piece, changed) runs, to show what was edited."""
    a: list[tuple[str, bool]] = []
    b: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if i2 > i1:
            a.append((old[i1:i2], tag != "equal"))
        if j2 > j1:
            b.append((new[j1:j2], tag != "equal"))
    return a, b


def latest_by_year(documents: list[schema.Document]) -> dict[int, schema.Document]:
    """The last imported report of each year."""
    out: dict[int, schema.Document] = {}
    for d in sorted(documents, key=lambda d: d.id):
        if d.year is not None:
            out[d.year] = d
    return dict(sorted(out.items()))


def paragraphs(doc: schema.Document) -> list[str]:
    return list(json.loads(doc.reading or "[]"))
