"""Ruled tables on a PDF page: the grids that ruling lines draw, read cell by cell through PDFium.

A table in a report PDF is drawn with lines: Word and LibreOffice draw each border as a thin line or a
thin filled rectangle, fpdf2 strokes a rectangle per cell. The horizontal and vertical segments are
collected, joined where they meet, and each connected set of at least two of each is a grid; a slot of
the grid without a border on its left (top) is part of the cell to its left (above): a merged cell. Its
text is read once, at its top-left slot, and the slots it covers are "" (``build_table``'s contract).

Coordinates here are those of the page as shown (``Frame``): top-down (``top`` < ``bottom``), PDF points.
"""

from __future__ import annotations

from bisect import bisect
from ctypes import c_float, c_int
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["Frame", "Grid", "find_grids"]

_TOL = 2.0  # points: a border drawn twice, or stroked a little past a corner, is still one line
_THIN = 3.0  # a path this thin or thinner is a line, whatever it is made of
_MIN_LENGTH = 4.0  # shorter axis-parallel strokes are glyph-like marks (a tick, an underline's end)


@dataclass(frozen=True, slots=True)
class Frame:
    """From PDF user space (y up, the page as drawn) to the page as shown: top-down, turned by the page's
    /Rotate. PDFium orders a page's text as shown; the boxes it gives are in user space."""

    rotation: int  # clockwise degrees: 0, 90, 180 or 270
    width: float  # of the page as drawn (user space)
    height: float

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> Frame:
        rotation = page.get_rotation() % 360
        shown_width, shown_height = page.get_size()
        if rotation in (90, 270):
            return cls(rotation, shown_height, shown_width)
        return cls(rotation, shown_width, shown_height)

    @property
    def shown_width(self) -> float:
        return self.height if self.rotation in (90, 270) else self.width

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return self.width - x, y
        if self.rotation == 270:
            return self.height - y, self.width - x
        return x, self.height - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) as shown, of a box (left, bottom, right, top) in user space."""
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


@dataclass(frozen=True, slots=True)
class _Edge:
    """A horizontal (``at`` = y, ``lo``..``hi`` in x) or vertical (``at`` = x, span in y) ruling line."""

    at: float
    lo: float
    hi: float

    def covers(self, value: float) -> bool:
        return self.lo - _TOL <= value <= self.hi + _TOL


@dataclass(frozen=True, slots=True)
class Grid:
    xs: tuple[float, ...]  # column borders, left to right
    ys: tuple[float, ...]  # row borders, top to bottom
    # owner[r][c]: the top-left slot (row, column) of the cell that slot (r, c) belongs to
    owner: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def top(self) -> float:
        return self.ys[0]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The top-left slot of the cell holding the point, None outside the grid."""
        if not self.contains(x, y):
            return None
        r = min(max(bisect(self.ys, y) - 1, 0), len(self.owner) - 1)
        c = min(max(bisect(self.xs, x) - 1, 0), len(self.owner[0]) - 1)
        return self.owner[r][c]

    def rows(self, texts: dict[tuple[int, int], str]) -> list[list[str]]:
        """Rows of cell texts from the texts of cells by top-left slot; "" where a merged cell spans."""
        return [
            [texts.get(own, "") if own == (r, c) else "" for c, own in enumerate(row)]
            for r, row in enumerate(self.owner)
        ]


def _segments(obj: Any, frame: Frame) -> list[tuple[float, float, float, float]]:
    """The straight strokes of a raw path object, as (x0, y0, x1, y1) on the page as shown."""
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return []
    if right.value - left.value <= _THIN or top.value - bottom.value <= _THIN:
        # a line, or a thin filled rectangle
        x0, top0, x1, bottom0 = frame.box(left.value, bottom.value, right.value, top.value)
        return [(x0, top0, x1, bottom0)]
    fill, stroke = c_int(), c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
        return []  # a filled area (cell shading) draws no border
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return []
    out: list[tuple[float, float, float, float]] = []
    x, y = c_float(), c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = frame.point(m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
            out.append((*prev, *point))
        prev = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            out.append((*point, *start))
            prev = start
    return out


def _edges(page: pdfium.PdfPage, frame: Frame) -> tuple[list[_Edge], list[_Edge]]:
    horizontal: list[_Edge] = []
    vertical: list[_Edge] = []
    # Top-level objects only (an object inside a form XObject has its bounds in the form's space), read
    # through the C API: wrapping each of a page's thousands of text objects costs more than the page.
    raw = page.raw
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        for x0, y0, x1, y1 in _segments(obj, frame):
            if abs(y1 - y0) <= _THIN and abs(x1 - x0) >= _MIN_LENGTH:
                horizontal.append(_Edge((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) <= _THIN and abs(y1 - y0) >= _MIN_LENGTH:
                vertical.append(_Edge((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    return _merge(horizontal), _merge(vertical)


def _merge(edges: list[_Edge]) -> list[_Edge]:
    """Collinear edges (within the tolerance) that touch or overlap, joined."""
    lines: list[list[_Edge]] = []  # edges by position, each run of positions within the tolerance
    for edge in sorted(edges, key=lambda e: e.at):
        if lines and edge.at - lines[-1][-1].at <= _TOL:
            lines[-1].append(edge)
        else:
            lines.append([edge])
    merged: list[_Edge] = []
    for line in lines:
        at = sum(e.at for e in line) / len(line)
        run: _Edge | None = None
        for edge in sorted(line, key=lambda e: e.lo):
            if run is not None and edge.lo <= run.hi + _TOL:
                run = _Edge(at, run.lo, max(run.hi, edge.hi))
                continue
            if run is not None:
                merged.append(run)
            run = _Edge(at, edge.lo, edge.hi)
        if run is not None:
            merged.append(run)
    return merged


def _clusters(values: list[float]) -> list[float]:
    """Positions within the tolerance of each other, as one (their mean), sorted."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= _TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def find_grids(page: pdfium.PdfPage, frame: Frame) -> list[Grid]:
    """The ruled tables of a page, top to bottom."""
    horizontal, vertical = _edges(page, frame)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    n_h = len(horizontal)
    parent = list(range(n_h + len(vertical)))
    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if h.covers(v.at) and v.covers(h.at):
                a, b = _find(parent, i), _find(parent, n_h + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[_Edge], list[_Edge]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(_find(parent, i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(_find(parent, n_h + j), ([], []))[1].append(v)
    grids = [g for hs, vs in groups.values() if (g := _grid(hs, vs)) is not None]
    return sorted(grids, key=lambda g: g.top)


def _grid(hs: list[_Edge], vs: list[_Edge]) -> Grid | None:
    ys = _clusters([h.at for h in hs])
    xs = _clusters([v.at for v in vs])
    if len(ys) < 3 or len(xs) < 3:
        return None  # not two rows and two columns: a frame around text, an underline, a box
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    slots = n_rows * n_cols
    parent = list(range(slots))
    for r in range(n_rows):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols):
            mid_x = (xs[c] + xs[c + 1]) / 2
            here = r * n_cols + c
            if c > 0 and not any(abs(v.at - xs[c]) <= _TOL and v.covers(mid_y) for v in vs):
                parent[_find(parent, here)] = _find(parent, here - 1)
            if r > 0 and not any(abs(h.at - ys[r]) <= _TOL and h.covers(mid_x) for h in hs):
                a, b = _find(parent, here), _find(parent, here - n_cols)
                if a != b:
                    parent[a] = b
    # The owner of a cell is its top-left slot: the smallest index of its group.
    first: dict[int, int] = {}
    for i in range(slots):
        root = _find(parent, i)
        first[root] = min(first.get(root, i), i)
    owner = tuple(
        tuple(divmod(first[_find(parent, r * n_cols + c)], n_cols) for c in range(n_cols))
        for r in range(n_rows)
    )
    return Grid(tuple(xs), tuple(ys), owner)
