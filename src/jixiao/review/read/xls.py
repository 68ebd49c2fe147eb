"""Excel 97–2003 .xls (and WPS .et saved in the same BIFF format) for review, through xlrd.

xlrd gives a formula's value as last saved, the merged ranges (with ``formatting_info``) and each cell's
number format, so a sheet becomes the same grid as an .xlsx sheet (``read.sheets``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.core.findings import Finding
from jixiao.review.document import Block
from jixiao.review.read.guard import ReadLimits
from jixiao.review.read.sheets import Grid, blocks_from_grid, clear_merged, cut_short
from jixiao.review.read.xlsx import cell_text

__all__ = ["XlsUnreadable", "blocks_from_xls"]


class XlsUnreadable(Exception):
    """xlrd cannot read the file (encrypted, or not BIFF 8): the caller may convert it instead."""


def blocks_from_xls(path: Path, shown: str, limits: ReadLimits) -> tuple[list[Block], list[Finding]]:
    import xlrd
    from xlrd.compdoc import CompDocError

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, CompDocError) as exc:
        raise XlsUnreadable(str(exc)) from exc
    blocks: list[Block] = []
    findings: list[Finding] = []
    tables = 0
    budget = [limits.max_cells]  # cells left to read in the whole workbook
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if getattr(sheet, "visibility", 0) != 0:
                continue  # hidden sheets hold lookup lists and workings
            grid, cut = _grid(book, sheet, limits, budget)
            clear_merged(grid, sheet.merged_cells)
            if cut:
                findings.append(cut_short(shown, sheet.name, limits))
            sheet_blocks, tables = blocks_from_grid(grid, sheet.name, shown, tables)
            blocks.extend(sheet_blocks)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return blocks, findings


def _grid(book: Any, sheet: Any, limits: ReadLimits, budget: list[int]) -> tuple[Grid, bool]:
    import xlrd

    cut = sheet.nrows > limits.max_sheet_rows or sheet.ncols > limits.max_sheet_cols
    grid: Grid = []
    for r in range(min(sheet.nrows, limits.max_sheet_rows)):
        budget[0] -= sheet.row_len(r)
        if budget[0] < 0:
            cut = True
            break
        texts: list[str] = []
        for c in range(min(sheet.row_len(r), limits.max_sheet_cols)):
            kind = sheet.cell_type(r, c)
            value = sheet.cell_value(r, c)
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                texts.append("")
            elif kind == xlrd.XL_CELL_TEXT:
                texts.append(value)
            elif kind == xlrd.XL_CELL_NUMBER:
                texts.append(cell_text(value, _number_format(book, sheet, r, c)))
            elif kind == xlrd.XL_CELL_DATE:
                try:
                    texts.append(cell_text(xlrd.xldate_as_datetime(value, book.datemode), ""))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    texts.append(str(value))
            elif kind == xlrd.XL_CELL_BOOLEAN:
                texts.append("是" if value else "否")
            elif kind == xlrd.XL_CELL_ERROR:
                texts.append(xlrd.error_text_from_code.get(value, "#错误"))
            else:
                texts.append(str(value))
        while texts and not texts[-1]:
            texts.pop()
        grid.append(texts)
    return grid, cut


def _number_format(book: Any, sheet: Any, r: int, c: int) -> str:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return str(book.format_map[xf.format_key].format_str)
    except (IndexError, KeyError, AttributeError):
        return "General"
