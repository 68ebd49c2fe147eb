"""A worksheet as blocks: its table(s) as Table blocks with sheet!cell locations, its title and note rows
as paragraphs. Shared by the .xlsx and .xls readers, which hand over a grid of cell texts.

A 自评表 sheet is a title ("项目支出绩效自评表"), a line or two ("（2023年度）", "单位名称：…"), the table,
and notes under it ("填表人：…", "说明：…"). Rows with at most one filled cell before the first row with
two, and after the last, are paragraphs; the rows between are one table, merged title rows inside it
("年度绩效目标1") included, as a Word reader would keep them. Two or more empty rows end a table: a
department's workbook may put several tables on one sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from openpyxl.utils import get_column_letter

from jixiao.core.findings import Finding
from jixiao.review.document import Block, new_location
from jixiao.review.read.guard import ReadLimits, make_finding
from jixiao.review.read.lines import SourceLine, build_block, build_table

__all__ = ["Grid", "blocks_from_grid", "cell_name", "clear_merged", "cut_short"]

# Rows of one sheet: each a list of cell texts from column A; a merged span's text at its top-left only.
Grid = list[list[str]]

_GAP_ROWS = 2  # this many empty rows in a row end a table


def cell_name(row: int, col: int) -> str:
    """A1 name of a 0-based (row, col)."""
    return f"{get_column_letter(col + 1)}{row + 1}"


def clear_merged(grid: Grid, ranges: Iterable[tuple[int, int, int, int]]) -> None:
    """Empty the cells a merged range covers but its top-left; ranges as 0-based (first_row, end_row,
    first_col, end_col), ends exclusive (xlrd's form). Some writers repeat the text in every covered cell."""
    for r0, r1, c0, c1 in ranges:
        for r in range(r0, min(r1, len(grid))):
            row = grid[r]
            for c in range(c0, min(c1, len(row))):
                if (r, c) != (r0, c0):
                    row[c] = ""


def cut_short(shown: str, sheet: str, limits: ReadLimits) -> Finding:
    return make_finding(
        "R512",
        f"工作表“{sheet}”超过 {limits.max_sheet_rows} 行或 {limits.max_sheet_cols} 列（或工作簿超过 "
        f"{limits.max_cells} 个单元格），只读取了前面的部分。",
        shown,
        sheet=sheet,
    )


def _filled(row: Sequence[str]) -> int:
    return sum(1 for text in row if text.strip())


def _segments(grid: Grid) -> Iterable[tuple[int, int]]:
    """(first, end) row ranges separated by at least ``_GAP_ROWS`` empty rows, without the empty edges."""
    start: int | None = None
    last_filled = -1
    for r, row in enumerate(grid):
        if not _filled(row):
            continue
        if start is None:
            start = r
        elif r - last_filled - 1 >= _GAP_ROWS:
            yield start, last_filled + 1
            start = r
        last_filled = r
    if start is not None:
        yield start, last_filled + 1


def blocks_from_grid(grid: Grid, sheet: str, shown: str, table_no: int) -> tuple[list[Block], int]:
    """The sheet's blocks in reading order, and the number of the last table made (counting from
    ``table_no``, the count of tables before this sheet)."""
    blocks: list[Block] = []
    for first, end in _segments(grid):
        body = [r for r in range(first, end) if _filled(grid[r]) >= 2]
        if len(body) < 2:  # no table here: every filled row is a line of text
            head, table_rows, tail = list(range(first, end)), [], []
        else:
            head = list(range(first, body[0]))
            table_rows = list(range(body[0], body[-1] + 1))
            tail = list(range(body[-1] + 1, end))
        for r in head:
            blocks.extend(_paragraphs(grid[r], r, sheet, shown))
        if table_rows:
            table_no += 1
            block = _table(grid, table_rows, sheet, shown, table_no)
            if block is not None:
                blocks.append(block)
        for r in tail:
            blocks.extend(_paragraphs(grid[r], r, sheet, shown))
    return blocks, table_no


def _paragraphs(row: Sequence[str], r: int, sheet: str, shown: str) -> Iterable[Block]:
    for c, text in enumerate(row):
        if not text.strip():
            continue
        lines = [SourceLine(text=part, number=r + 1) for part in text.split("\n")]
        block = build_block(lines, shown)
        if block is not None:
            yield replace(block, location=new_location(shown, r + 1, sheet=sheet, cell=cell_name(r, c)))


def _table(grid: Grid, rows: list[int], sheet: str, shown: str, table_no: int) -> Block | None:
    used = [c for r in rows for c, text in enumerate(grid[r]) if text.strip()]
    left, right = min(used), max(used) + 1
    raw_rows = []
    names = []
    for r in rows:
        cells = grid[r][left:right]
        raw_rows.append([(text, None) for text in cells] + [("", None)] * (right - left - len(cells)))
        names.append([cell_name(r, c) for c in range(left, right)])
    return build_table(raw_rows, shown, table_no, sheet=sheet, cell_names=names)
