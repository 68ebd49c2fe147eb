"""Reference styles for GB/T 9704-2012 documents, generated in code on python-docx's default template.

Why styles and not run-by-run formatting: a reader who edits the report in Word or WPS keeps the right fonts
when typing new text, outline/TOC works from real heading styles, and our runs stay plain text.

Why every rFonts is written out and every theme attribute removed: Word resolves ``w:asciiTheme`` /
``w:eastAsiaTheme`` *before* the explicit names, so a style that still carries a theme reference shows Chinese
text in the theme's East Asian font (often 等线/宋体) whatever ``w:eastAsia`` says.

Font names. Word takes exactly one name per slot and has no fallback list. We use the names Windows ships
since Vista — 仿宋, 楷体, 黑体 — rather than 仿宋_GB2312 / 楷体_GB2312, which exist only on machines where
someone installed them; a missing name makes Word substitute by the font table's charset, which we declare as
GB2312 (86) so the substitute is at least a Chinese font. 方正小标宋简体 is the title font named by local
practice; it is not on stock Windows, and the same charset hint keeps its substitute Chinese.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

LATIN = "Times New Roman"
FANGSONG = "仿宋"
KAITI = "楷体"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

# Font sizes in points (Chinese 号 sizes).
SIZE_2 = 22.0  # 二号: title
SIZE_XIAO2 = 18.0  # 小二
SIZE_3 = 16.0  # 三号: body and headings
SIZE_4 = 14.0  # 四号: page numbers
SIZE_XIAO4 = 12.0  # 小四: tables

LINE_TWIPS = 579  # exact line pitch 28.95 pt: 22 lines in the 225 mm text block
# 28 characters per line: the 156 mm text block is 442.2 pt, so each 16 pt character may take 15.79 pt.
# Official Word templates get this from a character grid (w:docGrid linesAndChars, charSpace -842), but
# LibreOffice lays such a grid out with far wider cells; tightening every body run by 0.25 pt gives
# 28 × 15.75 pt = 441 pt and renders the same everywhere.
BODY_TRACKING = -5

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)  # binding side
MARGIN_RIGHT = Mm(26)
# The page number's top sits 7 mm below the text block (GB/T 9704 §7.5); Word measures the footer distance
# from the page edge to the footer's bottom, so subtract one 4号 line (about 5 mm).
FOOTER_DISTANCE = Mm(23)
HEADER_DISTANCE = Mm(15)

THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")

# Names of the styles we add (python-docx looks styles up by name; the id is the name without spaces).
TABLE_TEXT = "Table Text"
TABLE_HEADER = "Table Header"
TABLE_CAPTION = "Table Caption"
TABLE_NOTE = "Table Note"
TABLE_JOIN = "Table Join"  # the hairline paragraph between the parts of one table
ANNEX_LABEL = "Annex Label"
ANNEX_TITLE = "Annex Title"


def _twips(pt: float) -> int:
    return round(pt * 20)


def _half_points(pt: float) -> int:
    return round(pt * 2)


def rfonts_xml(east_asia: str, latin: str = LATIN) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'


def _rpr(east_asia: str, size: float, *, bold: bool = False, tracking: int = 0) -> str:
    """Run properties; ``tracking`` is extra character spacing in twentieths of a point."""
    hp = _half_points(size)
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    spacing = f'<w:spacing w:val="{tracking}"/>' if tracking else ""
    return (
        f"<w:rPr {nsdecls('w')}>{rfonts_xml(east_asia)}{b}"
        f'<w:i w:val="0"/><w:iCs w:val="0"/><w:color w:val="000000"/>{spacing}'
        f'<w:kern w:val="2"/><w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
    )


def _ppr(
    *,
    jc: str = "both",
    first_line_chars: int = 0,
    first_line_pt: float = 0.0,
    line_twips: int = LINE_TWIPS,
    line_rule: str = "exact",
    before: int = 0,
    after: int = 0,
    outline: int | None = None,
    keep_next: bool = False,
    page_break_before: bool = False,
    snap_to_grid: bool = True,
) -> str:
    parts = []
    if keep_next:
        parts.append("<w:keepNext/><w:keepLines/>")
    if page_break_before:
        parts.append("<w:pageBreakBefore/>")
    parts.append('<w:widowControl w:val="1"/>')
    if not snap_to_grid:
        parts.append('<w:snapToGrid w:val="0"/>')
    parts.append(
        f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line_twips}" w:lineRule="{line_rule}"/>'
    )
    if first_line_chars:
        parts.append(
            f'<w:ind w:left="0" w:right="0" w:firstLineChars="{first_line_chars}" '
            f'w:firstLine="{_twips(first_line_pt)}"/>'
        )
    else:
        parts.append('<w:ind w:left="0" w:right="0" w:firstLineChars="0" w:firstLine="0"/>')
    parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return f"<w:pPr {nsdecls('w')}>{''.join(parts)}</w:pPr>"


def _replace_child(parent: etree._Element, new: etree._Element, after_tags: tuple[str, ...]) -> None:
    """Swap ``parent``'s child with new's tag for ``new``, keeping schema order (after the given tags)."""
    old = parent.find(new.tag)
    if old is not None:
        old.addprevious(new)
        parent.remove(old)
        return
    anchor = None
    for child in parent:
        if child.tag in after_tags:
            anchor = child
    if anchor is not None:
        anchor.addnext(new)
    else:
        parent.insert(0, new)


_STYLE_HEAD = tuple(
    qn(f"w:{t}")
    for t in (
        "name",
        "aliases",
        "basedOn",
        "next",
        "link",
        "autoRedefine",
        "hidden",
        "uiPriority",
        "semiHidden",
        "unhideWhenUsed",
        "qFormat",
        "locked",
        "personal",
        "personalCompose",
        "personalReply",
        "rsid",
    )
)


def _set_style(
    document: DocumentObject,
    style_id: str,
    name: str,
    ppr: str,
    rpr: str,
    *,
    based_on: str = "Normal",
    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH,
) -> None:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        style.element.set(qn("w:styleId"), style_id)
    if based_on and name != "Normal":
        style.base_style = styles[based_on]
    el = style.element
    _replace_child(el, parse_xml(ppr), _STYLE_HEAD)
    _replace_child(el, parse_xml(rpr), (*_STYLE_HEAD, qn("w:pPr")))
    style.quick_style = True
    style.hidden = False


def _strip_theme_fonts(root: etree._Element) -> None:
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            key = qn(f"w:{attr}")
            if key in rfonts.attrib:
                del rfonts.attrib[key]


def _set_doc_defaults(document: DocumentObject) -> None:
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    new = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault>{_rpr(FANGSONG, SIZE_3)}</w:rPrDefault>"
        f"<w:pPrDefault>{_ppr()}</w:pPrDefault></w:docDefaults>"
    )
    if defaults is not None:
        defaults.addprevious(new)
        styles_el.remove(defaults)
    else:
        styles_el.insert(0, new)


def _set_table_style(document: DocumentObject) -> None:
    style = document.styles["Table Grid"]
    el = style.element
    _replace_child(el, parse_xml(_ppr(jc="left", line_twips=360, snap_to_grid=False)), _STYLE_HEAD)
    _replace_child(el, parse_xml(_rpr(FANGSONG, SIZE_XIAO4)), (*_STYLE_HEAD, qn("w:pPr")))


def _drop_styles_with_effects(document: DocumentObject) -> None:
    """The template's Word 2010 ``stylesWithEffects`` part still names theme fonts; Word 2010 may read it."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rid)


def _font_table(document: DocumentObject) -> None:
    """Declare our Chinese fonts with charset 86 (GB2312) so Word substitutes a Chinese font when one is missing."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            root = etree.fromstring(part.blob)
            names = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
            for font, alt in (
                (FANGSONG, "FangSong"),
                (KAITI, "KaiTi"),
                (HEITI, "SimHei"),
                (XIAOBIAOSONG, "SimSun"),
                (SONGTI, "SimSun"),
            ):
                if font in names:
                    continue
                root.append(
                    parse_xml(
                        f'<w:font {nsdecls("w")} w:name="{font}"><w:altName w:val="{alt}"/>'
                        '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                    )
                )
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            return


_KEEP = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "TableGrid",
    "Title",
    "Heading1",
    "Heading2",
    "Heading3",
    "Heading4",
    "Header",
    "Footer",
    *(
        name.replace(" ", "")
        for name in (
            TABLE_TEXT,
            TABLE_HEADER,
            TABLE_NOTE,
            TABLE_JOIN,
            TABLE_CAPTION,
            ANNEX_LABEL,
            ANNEX_TITLE,
        )
    ),
}


def _prune_styles(document: DocumentObject) -> None:
    """Drop the template's ~150 unused styles (list/shading/accent variants, all with theme fonts).

    A short style list is what a user editing the report should pick from, and python-docx resolves styles
    by scanning the list, so it also makes writing faster. Character styles linked to a kept style stay.
    """
    root = document.styles.element
    keep = set(_KEEP)
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in keep:
            link = style.find(qn("w:link"))
            if link is not None:
                keep.add(link.get(qn("w:val")) or "")
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep:
            root.remove(style)


def apply_styles(document: DocumentObject) -> None:
    """Turn python-docx's default template into a GB/T 9704 reference: fonts, sizes, spacing, headings."""
    _set_doc_defaults(document)
    body = _ppr(first_line_chars=200, first_line_pt=2 * SIZE_3)
    _set_style(document, "Normal", "Normal", body, _rpr(FANGSONG, SIZE_3, tracking=BODY_TRACKING))
    _set_style(
        document,
        "Title",
        "Title",
        _ppr(jc="center", after=LINE_TWIPS, keep_next=True, snap_to_grid=False),
        _rpr(XIAOBIAOSONG, SIZE_2),
    )
    heading = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}
    for level, font in heading.items():
        _set_style(
            document,
            f"Heading{level}",
            f"Heading {level}",
            _ppr(
                first_line_chars=200,
                first_line_pt=2 * SIZE_3,
                outline=level - 1,
                keep_next=True,
            ),
            _rpr(font, SIZE_3, tracking=BODY_TRACKING),
        )
    _set_style(
        document,
        "Footer",
        "Footer",
        _ppr(jc="right", line_twips=240, line_rule="auto", snap_to_grid=False),
        _rpr(SONGTI, SIZE_4),
    )
    table_ppr = _ppr(jc="left", line_twips=360, snap_to_grid=False)
    _set_style(document, "TableText", TABLE_TEXT, table_ppr, _rpr(FANGSONG, SIZE_XIAO4))
    _set_style(
        document,
        "TableHeader",
        TABLE_HEADER,
        _ppr(jc="center", line_twips=360, snap_to_grid=False),
        _rpr(HEITI, SIZE_XIAO4),
    )
    _set_style(
        document,
        "TableNote",
        TABLE_NOTE,
        _ppr(jc="right", line_twips=360, keep_next=True, snap_to_grid=False),
        _rpr(FANGSONG, SIZE_XIAO4),
    )
    _set_style(
        document,
        "TableJoin",
        TABLE_JOIN,
        _ppr(jc="left", line_twips=20, keep_next=True, snap_to_grid=False),
        _rpr(FANGSONG, 1.0),
    )
    _set_style(
        document,
        "TableCaption",
        TABLE_CAPTION,
        _ppr(jc="center", keep_next=True),
        _rpr(HEITI, SIZE_3),
    )
    _set_style(
        document,
        "AnnexLabel",
        ANNEX_LABEL,
        _ppr(jc="left", keep_next=True, page_break_before=True),
        _rpr(HEITI, SIZE_3),
    )
    _set_style(
        document,
        "AnnexTitle",
        ANNEX_TITLE,
        _ppr(jc="center", after=LINE_TWIPS // 2, keep_next=True, snap_to_grid=False),
        _rpr(XIAOBIAOSONG, SIZE_XIAO2),
    )
    _set_table_style(document)
    _prune_styles(document)
    _strip_theme_fonts(document.styles.element)
    _drop_styles_with_effects(document)
    _font_table(document)
