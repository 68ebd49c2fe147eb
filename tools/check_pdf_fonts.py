"""Render a .docx to PDF and check that its Chinese text came out in Chinese fonts.

Usage: python tools/check_pdf_fonts.py REPORT.docx [--outdir DIR] [--page N]

Prints the fonts on the page (pdffonts), how many Chinese characters each font set (PDFium), writes a
60 dpi PNG of the page (pdftoppm) for a look, and exits 1 when any Chinese character is set in a font that is
not a CJK font (the symptom of a missing eastAsia font: LibreOffice or Word picks a Latin font and the
glyphs come out as boxes or from a random fallback).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from jixiao.report.pdf import (
    PdfConversionError,
    PdfUnavailable,
    chinese_glyph_fonts,
    docx_to_pdf,
    is_cjk_font,
    pdffonts,
    render_page_png,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 .docx 转 PDF 后中文是否使用中文字体")
    parser.add_argument("docx", type=Path)
    parser.add_argument("--outdir", type=Path, default=None, help="PDF 和 PNG 的输出目录（默认临时目录）")
    parser.add_argument("--page", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.docx.is_file():
        print(f"找不到文件：{args.docx}", file=sys.stderr)
        return 2
    outdir = args.outdir or Path(tempfile.mkdtemp(prefix="jixiao-fonts-"))
    try:
        pdf = docx_to_pdf(args.docx, outdir)
        fonts = pdffonts(pdf, args.page, args.page)
        glyphs = chinese_glyph_fonts(pdf, args.page)
        png = render_page_png(pdf, outdir / f"{pdf.stem}-p{args.page}", page=args.page)
    except (PdfUnavailable, PdfConversionError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"PDF: {pdf}")
    print(f"PNG: {png}")
    print(f"第 {args.page} 页字体（pdffonts）：")
    for font in fonts:
        kind = "CJK" if is_cjk_font(font.name) else "非CJK"
        print(f"  {font.name:<45} {font.type:<14} 嵌入={'是' if font.embedded else '否'}  {kind}")
    print("中文字符所用字体：")
    for name, count in sorted(glyphs.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<45} {count:>6} 字  {'CJK' if is_cjk_font(name) else '非CJK ←'}")
    bad = {name: n for name, n in glyphs.items() if not is_cjk_font(name)}
    if not glyphs:
        print("失败：该页没有可提取的中文字符（字形可能未渲染或文本层不可读）。", file=sys.stderr)
        return 1
    if bad:
        print(f"失败：{sum(bad.values())} 个中文字符使用了非中文字体：{', '.join(bad)}", file=sys.stderr)
        return 1
    print("通过：中文字符均使用中文字体。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
