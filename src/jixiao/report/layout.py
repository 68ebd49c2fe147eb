"""Text widths for laying out the .docx and .xlsx: column widths from content, where a title breaks.

Widths are counted in half-em units: a CJK or full-width character counts 2, a Latin letter, digit or
half-width sign 1 (the proportions of 仿宋/宋体 beside Times New Roman at one size). That is enough to
size a column so that "100.00%" or "年度资金总额" never wraps, and to find where a title line ends.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["column_weights", "display_width", "min_width", "title_lines"]


def display_width(text: str) -> int:
    """Half-em units of ``text`` on one line (CJK and full-width characters count double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A cell that must never wrap: a figure ("100.00%", "1,234.56", "—") or a short label of a few words
# ("年度资金总额", "一般公共预算", "满意度指标"): breaking those mid-word is what a reader notices first.
_FIGURE = re.compile(r"^[-+−]?[\d,，.]+\s*[%％]?$|^[—-]+$")
_SHORT_LABEL = 12  # half-em units: six CJK characters ("年度资金总额", "一般公共预算")


def min_width(text: str, label: bool = True) -> int:
    """The narrowest a cell holding ``text`` may be without breaking a figure or (``label``) a short label."""
    text = text.strip()
    if not text:
        return 0
    if _FIGURE.match(text) or (label and display_width(text) <= _SHORT_LABEL):
        return display_width(text)
    # Longer text wraps; its longest run of Latin letters or digits ("2024", "30余个" → "30") stays whole.
    runs = re.findall(r"[A-Za-z0-9.,%％+\-]+", text)
    return max([4, *(display_width(r) for r in runs)])


def column_weights(
    cells: Sequence[tuple[int, int, str, bool]], n_cols: int, available: float, padding: float = 2
) -> list[float]:
    """Widths (in half-em units, summing to ``available``) for ``n_cols`` columns from their cells.

    ``cells`` are (column, colspan, text, label); only single-column cells size a column, and a short
    text is kept whole only where ``label`` says it is a label (a header, a row's name), not body text. Every column first
    gets the narrowest width its cells allow (figures and short labels whole, plus ``padding``); what is
    left goes to the columns whose text would still wrap, in proportion to how much wider they want to be.
    When even the minimums do not fit, they are scaled down together.
    """
    natural = [padding + 2] * n_cols
    least = [padding + 2] * n_cols
    for col, span, text, label in cells:
        if span != 1 or not 0 <= col < n_cols:
            continue
        lines = text.split("\n") or [""]
        natural[col] = max(natural[col], padding + max(display_width(line) for line in lines))
        least[col] = max(least[col], padding + max(min_width(line, label) for line in lines))
    if sum(least) >= available:
        scale = available / sum(least)
        return [w * scale for w in least]
    if sum(natural) <= available:
        extra = available - sum(natural)
        return [w + extra * w / sum(natural) for w in natural]
    # Water-filling: one level L such that every column gets its natural width capped at L (but never less
    # than its least) and the widths fill the table; short columns then never wrap and the long ones
    # share what is left evenly.
    lo, hi = 0.0, max(natural)
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(max(m, min(n, mid)) for n, m in zip(natural, least, strict=True)) > available:
            hi = mid
        else:
            lo = mid
    widths = [max(m, min(n, lo)) for n, m in zip(natural, least, strict=True)]
    spare = available - sum(widths)
    wrapped = [i for i, (w, n) in enumerate(zip(widths, natural, strict=True)) if w < n] or list(
        range(n_cols)
    )
    for i in wrapped:
        widths[i] += spare / len(wrapped)
    return widths


def title_lines(title: str, breaks: Sequence[str], capacity: int) -> list[str]:
    """``title`` cut into lines of at most ``capacity`` half-em units at one of the ``breaks``.

    GB/T 9704: a title that needs more than one line breaks where the sense allows (after the unit's
    name, after the year), keeps words whole and is balanced. The candidate giving the most even pair of
    lines wins; a title that fits stays one line, and one that no break can fit is left to wrap.
    """
    if display_width(title) <= capacity:
        return [title]
    best: tuple[int, list[str]] | None = None
    for piece in breaks:
        at = title.find(piece)
        if not piece or at < 0:
            continue
        cut = at + len(piece)
        first, second = title[:cut], title[cut:]
        if not first or not second:
            continue
        widths = (display_width(first), display_width(second))
        if max(widths) > capacity:
            continue
        score = abs(widths[0] - widths[1])
        if best is None or score < best[0]:
            best = (score, [first, second])
    return best[1] if best is not None else [title]
