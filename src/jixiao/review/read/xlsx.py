"""Excel .xlsx for review: every visible sheet as blocks (``read.sheets``), cells as the user sees them.

openpyxl in read-only mode streams each sheet's rows, and ``data_only`` gives a formula's value as Excel
last saved it (a formula never calculated reads as an empty cell: jixiao computes nothing a spreadsheet
program did not). Read-only mode does not read merged ranges, so they are taken from the sheet's
``<mergeCells>`` part directly; a merged span keeps its text at its top-left cell and the cells it
covers are empty (some writers, WPS among them, repeat the text there). Numbers are shown as their
number format shows them (``core.excel``): 0.9 in a ``0.00%`` cell is "90.00%".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from jixiao.core.decimals import fmt
from jixiao.core.excel import decimal_from_number, is_percent_format
from jixiao.core.findings import Finding
from jixiao.review.document import Block
from jixiao.review.read.guard import ReadLimits
from jixiao.review.read.sheets import Grid, blocks_from_grid, clear_merged, cut_short

__all__ = ["blocks_from_xlsx", "cell_text"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def cell_text(value: Any, number_format: str) -> str:
    """A cell's value as text, the way its number format shows it (without thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        text = fmt(decimal_from_number(value, number_format))
        return text + "%" if is_percent_format(number_format) else text
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _merged_ranges(archive: Any, part: str) -> list[tuple[int, int, int, int]]:
    """Each merged range of a sheet part as 0-based (first_row, end_row, first_col, end_col), ends
    exclusive."""
    ranges: list[tuple[int, int, int, int]] = []
    try:
        handle = archive.open(part)
    except KeyError:
        return ranges
    with handle:
        # resolve_entities off: a sheet part must not pull in anything outside the archive.
        for _, el in etree.iterparse(
            handle, tag=_MAIN + "mergeCell", resolve_entities=False, no_network=True
        ):
            min_col, min_row, max_col, max_row = range_boundaries(el.get("ref", ""))
            if min_col and min_row and max_col and max_row:
                ranges.append((min_row - 1, max_row, min_col - 1, max_col))
            el.clear()
    return ranges


def blocks_from_xlsx(path: Path, shown: str, limits: ReadLimits) -> tuple[list[Block], list[Finding]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    blocks: list[Block] = []
    findings: list[Finding] = []
    tables = 0
    budget = [limits.max_cells]  # cells left to read in the whole workbook
    try:
        archive = getattr(wb, "_archive", None)
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue  # hidden sheets hold lookup lists and workings, not what the unit submits
            grid, cut = _grid(ws, limits, budget)
            part = getattr(ws, "_worksheet_path", None)
            if archive is not None and part:
                clear_merged(grid, _merged_ranges(archive, part))
            if cut:
                findings.append(cut_short(shown, ws.title, limits))
            sheet_blocks, tables = blocks_from_grid(grid, ws.title, shown, tables)
            blocks.extend(sheet_blocks)
    finally:
        wb.close()
    return blocks, findings


def _grid(ws: Any, limits: ReadLimits, budget: list[int]) -> tuple[Grid, bool]:
    """The sheet's cell texts, row by row from row 1; True when the limits cut it short. ``budget[0]``:
    the cells the workbook may still have read (counted down)."""
    # A sheet's declared dimension may be wrong or huge (A1:XFD1048576); without it openpyxl yields each
    # row only as far as its last stored cell.
    ws.reset_dimensions()
    grid: Grid = []
    cut = False
    for row in ws.iter_rows():
        if not row:
            continue
        r = row[0].row - 1 if getattr(row[0], "row", None) else len(grid)
        budget[0] -= len(row)
        if r >= limits.max_sheet_rows or budget[0] < 0:
            cut = True
            break
        while len(grid) < r:
            grid.append([])
        texts: list[str] = []
        for cell in row:
            value = cell.value
            if value is None:
                texts.append("")
                continue
            c = getattr(cell, "column", len(texts) + 1) - 1
            if c >= limits.max_sheet_cols:
                cut = True
                break
            texts.extend([""] * (c - len(texts)))
            texts.append(cell_text(value, cell.number_format))
        while texts and not texts[-1]:
            texts.pop()
        grid.append(texts)
    return grid, cut
