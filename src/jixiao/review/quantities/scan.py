"""The scan: every quantity in a text, or the one that fills a table cell."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from jixiao.core.decimals import Interval
from jixiao.review.quantities.patterns import _DIGITS, _SCAN
from jixiao.review.quantities.plain import _plain_cell, _read_plain
from jixiao.review.quantities.quantity import Quantity
from jixiao.review.quantities.read import _read
from jixiao.review.quantities.width import _NEEDS_FW, _fw_char


def find_quantities(text: str, *, include_dates: bool = False) -> list[Quantity]:
    """Every quantity in ``text``, in order. Dates and years only with ``include_dates``."""
    if not isinstance(text, str) or not text:
        return []
    # The claim readers scan the same sentence more than once (prose, scores and tables each read a
    # block); a Quantity is immutable, so a small cache of recent short scans serves the repeats.
    # Small on purpose: it is for repeats inside one report, not across a folder.
    scan = _scan_cached if len(text) <= _CACHED_CHARS else _scan_text
    return list(scan(text, False, include_dates))


def parse_quantity(text: str) -> Quantity | None:
    """Read a whole cell ("≥90%", "391.39", "30余个", "壹佰贰拾万元整"); None unless one quantity fills it."""
    stripped = text.strip()
    if not stripped:
        return None
    # Cells repeat too (the table and 自评表 readers read the same rows): the answer itself is kept.
    return _cell_cached(stripped) if len(stripped) <= _CACHED_CHARS else _cell(stripped)


def _cell(stripped: str) -> Quantity | None:
    plain = _plain_cell(stripped)  # a number alone or with its unit, read without the scan
    if plain is not False:
        return plain
    found = _scan_text(stripped, True, True)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0]
    return None


_CACHED_CHARS = 256


def _scan_text(text: str, cell: bool, include_dates: bool) -> tuple[Quantity, ...]:
    if not text:
        return ()
    # Replace only the few full-width characters present (str.translate walks every character: 7x slower);
    # none of them is ASCII, and a table cell often is.
    t = text if text.isascii() else _NEEDS_FW.sub(_fw_char, text)
    out: list[Quantity] = []
    pos = 0
    n = len(t)
    search = _SCAN.search
    while pos < n:
        m = search(t, pos)
        if m is None:
            break
        group = m.lastgroup
        if group == "docno":
            pos = m.end()
            continue
        if group == "full":
            # "百分之百": the one percent numeral that starts with 百
            h = Decimal(100)
            q = Quantity(
                h, text[m.start() : m.end()], m.start(), m.end(), "%", 0, False, "", Interval.stated(h)
            )
            out.append(q)
            pos = m.end()
            continue
        if group == "date":
            if include_dates:
                first = _DIGITS.match(t, m.start())
                v = Decimal(first.group()) if first else Decimal(0)
                out.append(
                    Quantity(
                        v,
                        text[m.start() : m.end()],
                        m.start(),
                        m.end(),
                        "",
                        0,
                        False,
                        "",
                        Interval.exact(v),
                        "",
                        "date",
                    )
                )
            pos = m.end()
            continue
        found = _read_plain(t, text, m, cell, include_dates) if group == "ar" else None
        if found is not None:
            if isinstance(found, int):  # no quantity here; the scan goes on past it
                pos = found
                continue
            out.append(found)
            pos = found.end  # always past m.start()
            continue
        found, nxt = _read(t, text, m, cell, include_dates)
        pos = max(nxt, m.start() + 1)
        if found is not None:
            out.append(found)
    return tuple(out)


_scan_cached = lru_cache(maxsize=512)(_scan_text)
_cell_cached = lru_cache(maxsize=512)(_cell)
