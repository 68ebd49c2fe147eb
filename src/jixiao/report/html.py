"""One standalone, printable HTML page for a composed report (no external assets: intranet users).

Layout follows GB/T 9704-2012 as far as CSS allows: A4, top margin 37 mm, left (binding) 28 mm, text
block 156 mm wide; body 仿宋 3号 (16 pt), 一、 headings 黑体, （一） 楷体, 1． and （1） 仿宋; 28.95 pt line
spacing (22 lines a page). Tables keep real rowspan/colspan. Every text is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from jixiao.report.content import Paragraph, ReportDoc, SectionContent, TableContent, annex_label
from jixiao.report.numbers import heading_number

__all__ = ["CSS", "render_html"]

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { background: #fff; }
body { font-family: FangSong, 仿宋, FangSong_GB2312, 仿宋_GB2312, STFangsong, serif; font-size: 16pt;
  line-height: 28.95pt; color: #000; max-width: 156mm; margin: 2em auto; }
h1.title { font-family: "FZXiaoBiaoSong-B05S", 方正小标宋简体, "Source Han Serif SC", SimSun, 宋体, serif;
  font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0 0 1em; }
h2 { font-family: SimHei, 黑体, "Heiti SC", STHeiti, sans-serif; font-size: 16pt; font-weight: normal;
  margin: 0; text-indent: 2em; }
h3 { font-family: KaiTi, 楷体, KaiTi_GB2312, 楷体_GB2312, STKaiti, serif; font-size: 16pt; font-weight: normal;
  margin: 0; text-indent: 2em; }
h4, h5, h6 { font-family: inherit; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
section.annex { break-before: page; page-break-before: always; }
section.annex h2 { text-indent: 0; text-align: center; }
p.note { text-indent: 0; font-size: 12pt; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.4; margin: 0.5em 0 1em; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
th { font-weight: bold; text-align: center; }
td.left { text-align: left; } td.center { text-align: center; } td.right { text-align: right; }
@media print { body { margin: 0; max-width: none; } }
"""


def _table(table: TableContent) -> list[str]:
    out = ["<table>"]
    if table.widths and len(table.widths) == table.columns:
        total = sum(table.widths) or 1.0
        out.append("<colgroup>")
        out += [f'<col style="width:{w / total * 100:.1f}%">' for w in table.widths]
        out.append("</colgroup>")
    for row in table.rows:
        cells = []
        for cell in row:
            tag = "th" if cell.header else "td"
            attrs = ""
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if not cell.header:
                attrs += f' class="{cell.align}"'
            cells.append(f"<{tag}{attrs}>{escape(cell.text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def _section(sec: SectionContent, number: str, out: list[str]) -> None:
    tag = f"h{min(6, sec.level + 1)}"
    key = f' data-key="{escape(sec.key)}"' if sec.key else ""
    out.append(f"<section{key}>")
    out.append(f"<{tag}>{escape(number)}{escape(sec.title)}</{tag}>")
    for item in sec.items:
        if isinstance(item, Paragraph):
            out.append(f"<p>{escape(item.text)}</p>")
        else:
            if item.title:
                out.append(f'<p class="note">{escape(item.title)}</p>')
            out += _table(item)
    for i, child in enumerate(sec.children, 1):
        _section(child, heading_number(child.level, i), out)
    out.append("</section>")


def render_html(doc: ReportDoc) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<h1 class="title">{escape(doc.title)}</h1>',
    ]
    out += [f"<p>{escape(p.text)}</p>" for p in doc.preamble]
    for i, sec in enumerate(doc.sections, 1):
        _section(sec, heading_number(sec.level, i), out)
    for i, table in enumerate(doc.annexes, 1):
        out.append('<section class="annex">')
        out.append(f"<h2>{annex_label(i)}　{escape(table.title)}</h2>")
        if table.note:
            out.append(f'<p class="note">{escape(table.note)}</p>')
        out += _table(table)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
