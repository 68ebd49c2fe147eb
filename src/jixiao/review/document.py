"""A report as read: blocks of normalised text, each knowing where it came from.

Locations, by format (``Location`` fields; all numbers 1-based):
- .txt/.md: ``line`` = line in the file; ``column`` (via ``Block.location_at``) = character in that line.
- .docx: ``line`` = paragraph number: the count of ``w:p`` elements that are direct children of the body
  (or of a block-level content control), in document order, *including empty paragraphs*; paragraphs
  inside tables are not counted. Tables carry ``table`` (count of top-level tables) and no line.
- .pdf: ``page`` and ``line`` = text line on that page, counted over all lines PDFium finds on it.
- .html: ``line`` = source line of the element the block starts in.
- .xlsx/.xls/.et: ``sheet`` and ``cell`` (A1) of the cell a paragraph or table cell comes from; ``line`` =
  the sheet row for paragraphs. (.doc/.wps are read as the .docx LibreOffice converts them to.)
Table cells carry ``table``/``row``/``col`` (grid positions, so merged cells keep columns aligned).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Literal

from jixiao.core.findings import Finding, Location

__all__ = ["Block", "Cell", "Document", "Format", "Table", "new_block", "new_location"]

_start = itemgetter(0)

Format = Literal["txt", "md", "docx", "pdf", "html", "xlsx"]  # xlsx: any spreadsheet (.xlsx .xls .et)


def new_location(
    path: str = "",
    line: int | None = None,
    column: int | None = None,
    page: int | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    table: int | None = None,
    row: int | None = None,
    col: int | None = None,
) -> Location:
    """``Location(...)``: kept so the readers that name it need not change."""
    return Location(path, line, column, page, sheet, cell, table, row, col)


# Blocks, tables and cells are not frozen dataclasses (a frozen one sets each field through
# object.__setattr__, about four times the cost): equal and hashed by value as before, never changed once built.
@dataclass(slots=True, unsafe_hash=True)
class Cell:
    text: str  # normalised, on one line (newlines and tabs inside a cell become spaces)
    location: Location


@dataclass(slots=True, unsafe_hash=True)
class Table:
    """Rows of equal length. A merged span appears once, at its top-left position; the other positions it
    covers hold ``Cell(text="")`` so column indices stay aligned with the grid."""

    rows: tuple[tuple[Cell, ...], ...]
    location: Location

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


@dataclass(slots=True, unsafe_hash=True)
class Block:
    kind: Literal["paragraph", "table"]
    text: str  # normalised text; for a table: cells joined by "\t", rows by "\n"
    location: Location  # where the block starts
    raw: str = ""  # the source text before normalisation (source lines joined by "\n")
    line_map: tuple[tuple[int, int], ...] = ()  # (offset in .text, source line) where each source line starts
    table: Table | None = None
    # raw_offsets[i] = offset in .raw of .text[i]; one extra entry = len(raw). Empty when not tracked.
    # A tuple, or a range when the text is a run of the raw characters.
    raw_offsets: Sequence[int] = field(default=(), repr=False, compare=False)

    def line_at(self, offset: int) -> int | None:
        """Source line (docx: paragraph number; pdf: line on the page) of character ``offset`` in ``.text``."""
        if not self.line_map:
            return self.location.line
        index = bisect_right(self.line_map, offset, key=_start) - 1
        return self.line_map[max(index, 0)][1]

    def column_at(self, offset: int) -> int | None:
        """1-based character position inside its source line, when the raw offsets are known."""
        if not self.raw_offsets or not 0 <= offset < len(self.raw_offsets):
            return None
        raw_offset = self.raw_offsets[offset]
        return raw_offset - (self.raw.rfind("\n", 0, raw_offset) + 1) + 1

    def cell_at(self, offset: int) -> Cell | None:
        """The table cell holding character ``offset`` of ``.text`` (None for paragraphs)."""
        if self.table is None:
            return None
        pos = 0
        for row in self.table.rows:
            for cell in row:
                end = pos + len(cell.text)
                if offset <= end:
                    return cell
                pos = end + 1  # the "\t" or "\n" after the cell
        return None

    def location_at(self, offset: int) -> Location:
        """Best location of one character: the cell for tables, line and column for paragraphs."""
        cell = self.cell_at(offset)
        if cell is not None:
            return cell.location
        line = self.line_at(offset)
        column = self.column_at(offset) if self.kind == "paragraph" else None
        loc = self.location
        if line == loc.line and column == loc.column:
            return loc  # frozen: the block's own location serves
        # Spelled out rather than dataclasses.replace, which is several times slower (hot in the claim readers).
        return new_location(
            path=loc.path,
            line=line,
            column=column,
            page=loc.page,
            sheet=loc.sheet,
            cell=loc.cell,
            table=loc.table,
            row=loc.row,
            col=loc.col,
        )


@dataclass
class Document:
    path: str
    format: Format
    encoding: str | None
    blocks: list[Block] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    size: int = 0  # bytes on disk

    def text(self) -> str:
        """All block texts joined by "\\n"."""
        return "\n".join(block.text for block in self.blocks)

    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]


def new_block(
    kind: Literal["paragraph", "table"],
    text: str,
    location: Location,
    raw: str = "",
    line_map: tuple[tuple[int, int], ...] = (),
    table: Table | None = None,
    raw_offsets: Sequence[int] = (),
) -> Block:
    """``Block(...)``, positional: kept so the readers that name it need not change."""
    return Block(kind, text, location, raw, line_map, table, raw_offsets)
