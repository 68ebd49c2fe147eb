"""The 自评表 workbook: report output (``report.py``), fill-in template (``template.py``), reader (``reader.py``).

Positions live in ``layout.py``. This module holds what writer and template share: fonts and borders,
numbers written so their decimals survive Excel, and formulas stored WITH their computed values.

Formulas and cached values: openpyxl writes a formula cell as ``<f>…</f><v></v>`` (no value), so any viewer
that does not recalculate (previewers, Python readers, LibreOffice set to "never recalculate") shows an
empty cell or 0. We record each formula's value — computed in Decimal from the same figures we write — and,
after openpyxl has saved the file, put that value into the ``<v>`` element of the sheet XML. Excel itself
still recalculates on open (openpyxl sets ``fullCalcOnLoad``), so the formula stays the truth in Excel and
the cached value is what the program computed; they agree except where Excel's binary floating point
rounds a value at an exact ``.005`` boundary differently from Decimal (documented limit).
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from posixpath import join as posix_join
from posixpath import normpath

from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.core.decimals import decimals_of, fmt
from jixiao.report.layout import display_width

__all__ = [
    "FormulaCache",
    "body_font",
    "excel_number",
    "fit_row_heights",
    "number_format",
    "put_formula",
    "put_number",
    "put_text",
    "save_with_cache",
]

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# xlsx fonts have no separate eastAsia slot as Word runs do: the font name is used for every script, and
# charset 134 (GB2312) tells Excel/WPS the face is Chinese. No theme ``scheme`` is set, so the theme's
# Latin minor font (Calibri) can never take over Chinese text.
GB2312_CHARSET = 134
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
GREY = PatternFill("solid", fgColor="F2F2F2")  # computed cells: the user does not type here
HEAD = PatternFill("solid", fgColor="DDEBF7")


def body_font(*, bold: bool = False, size: float = 11, name: str = "仿宋") -> Font:
    return Font(name=name, size=size, bold=bold, charset=GB2312_CHARSET)


def title_font(size: float = 16) -> Font:
    return Font(name="宋体", size=size, bold=True, charset=GB2312_CHARSET)


def number_format(value: Decimal) -> str:
    """An Excel format showing exactly the decimals written: 279.10 → ``0.00``, 90 → ``0``."""
    d = decimals_of(value)
    return "0." + "0" * d if d else "0"


def excel_number(value: Decimal) -> Decimal | str:
    """The value to store: the Decimal when a double plus ``number_format`` gives it back exactly, else text.

    Excel keeps numbers as doubles (about 15 significant digits) and drops trailing zeros; the format keeps
    the zeros. A figure a double cannot carry (``1E+2``, 17 digits) is stored as text, which the reader
    parses as written.
    """
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent > 0:
        return str(value)  # "1E+2": written with a positive exponent, kept as typed
    # Excel shows and keeps at most 15 significant digits (and writers may print a double with 16).
    if len(value.normalize().as_tuple().digits) > 15 or Decimal(repr(float(value))) != value:
        return str(value)
    return value


@dataclass
class FormulaCache:
    """Values of the formula cells, per (sheet title, A1 reference): Decimal, text, or None for ``""``."""

    values: dict[tuple[str, str], Decimal | str | None] = field(default_factory=dict)

    def get(self, sheet: str, ref: str) -> Decimal | str | None:
        return self.values.get((sheet, ref))


def put_text(ws: Worksheet, ref: str, text: str) -> None:
    """Write text as text: a leading ``=`` must not turn a user's sentence into a formula."""
    cell = ws[ref]
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters cannot be stored in xlsx XML
    cell.data_type = "s"


def put_number(ws: Worksheet, ref: str, value: Decimal | None) -> None:
    cell = ws[ref]
    if value is None:
        cell.value = None
        return
    stored = excel_number(value)
    if isinstance(stored, str):
        put_text(ws, ref, stored)
        cell.number_format = "@"
    else:
        cell.value = stored
        cell.number_format = number_format(value)


def put_formula(
    ws: Worksheet, ref: str, formula: str, value: Decimal | str | None, cache: FormulaCache
) -> None:
    """Write ``formula`` and remember the value it evaluates to (``None`` stands for the empty string)."""
    ws[ref].value = formula if formula.startswith("=") else "=" + formula
    cache.values[(ws.title, ref)] = value


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → part name inside the zip, read from workbook.xml and its relationships."""
    wb = etree.fromstring(z.read("xl/workbook.xml"))
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{{{_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        if target:
            part = target.lstrip("/") if target.startswith("/") else normpath(posix_join("xl", target))
            out[str(sheet.get("name"))] = part
    return out


def _fill_values(xml: bytes, values: dict[str, Decimal | str | None]) -> bytes:
    root = etree.fromstring(xml)
    for c in root.iter(f"{{{_NS}}}c"):
        ref = c.get("r")
        if ref not in values or c.find(f"{{{_NS}}}f") is None:
            continue
        value = values[ref]
        v = c.find(f"{{{_NS}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{_NS}}}v")
        if isinstance(value, Decimal):
            c.attrib.pop("t", None)
            v.text = fmt(value)
        else:
            c.set("t", "str")  # a formula whose result is text
            v.text = value or ""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def save_with_cache(wb: Workbook, cache: FormulaCache) -> bytes:
    """Save ``wb`` and return the .xlsx bytes with every recorded formula value in place."""
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    parts = _sheet_parts(src)
    by_part: dict[str, dict[str, Decimal | str | None]] = {}
    for (sheet, ref), value in cache.values.items():
        if sheet in parts:
            by_part.setdefault(parts[sheet], {})[ref] = value
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in by_part:
                data = _fill_values(data, by_part[item.filename])
            dst.writestr(item, data)
    return out.getvalue()


def style_range(
    ws: Worksheet,
    cells: str,
    *,
    font: Font | None = None,
    align: Alignment | None = None,
    fill: PatternFill | None = None,
    border: bool = True,
) -> None:
    """Style every cell of a range (borders must be set on each cell of a merged block, not only the first)."""
    for row in ws[cells] if ":" in cells else ((ws[cells],),):
        for cell in row:
            if font is not None:
                cell.font = font
            if align is not None:
                cell.alignment = align
            if fill is not None:
                cell.fill = fill
            if border:
                cell.border = BORDER


_DEFAULT_WIDTH = 8.43  # Excel's default column width, in widths of "0" of the default font
_LINE = 1.35  # line height as a multiple of the font size


def _text_lines(text: str, width: float, size: float) -> int:
    """Lines ``text`` takes in a cell ``width`` characters wide (CJK counting two) at font ``size``."""
    usable = max(width - 1.0, 1.0)  # the cell's own padding
    scale = size / 11
    return sum(max(1, math.ceil(display_width(part) * scale / usable)) for part in text.split("\n"))


def fit_row_heights(ws: Worksheet) -> None:
    """Give every row the height its wrapped text needs; Excel and LibreOffice do not grow rows that hold
    merged cells, so without it "纳入专户管理的非税收入" prints over the row below and long text is cut off.

    A merged block counts the widths of all its columns; a block over several rows shares its lines among
    them. Heights only ever grow: a row given a height on purpose keeps it when its text needs less.
    """
    spans: dict[str, tuple[list[str], list[int]]] = {}
    covered: set[str] = set()
    for rng in ws.merged_cells.ranges:
        letters = [get_column_letter(c) for c in range(rng.min_col, rng.max_col + 1)]
        rows = list(range(rng.min_row, rng.max_row + 1))
        spans[f"{letters[0]}{rng.min_row}"] = (letters, rows)
        covered.update(f"{col}{r}" for col in letters for r in rows)
    needed: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value or cell.value.startswith("="):
                continue
            ref = cell.coordinate
            if ref in covered and ref not in spans:
                continue
            letters, rows = spans.get(ref, ([cell.column_letter], [cell.row]))
            width = sum(ws.column_dimensions[col].width or _DEFAULT_WIDTH for col in letters)
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            if cell.alignment is None or not cell.alignment.wrap_text:
                continue
            lines = _text_lines(cell.value, width, size)
            height = (lines * size * _LINE + 6) / len(rows)
            for r in rows:
                needed[r] = max(needed.get(r, 0.0), height)
    for r, height in needed.items():
        current = ws.row_dimensions[r].height
        if current is None and height <= 15 * 1.05:
            continue  # one line of the default size: the default height holds it
        if current is None or current < height:
            ws.row_dimensions[r].height = round(height, 1)


def a4_landscape(ws: Worksheet, *, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed, one page wide
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
