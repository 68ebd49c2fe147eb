"""PDF through LibreOffice, plus the checks that Chinese text really came out in Chinese fonts.

LibreOffice runs headless with a private, throw-away profile per call: two conversions sharing one profile
block each other (or one silently does nothing), and a private profile lets us give LibreOffice a font
replacement table. The .docx names the fonts Windows users have (仿宋, 黑体, 楷体, 方正小标宋简体); on a
Linux server none of them exist, and fontconfig's first guess for an unknown name is a Latin font, so every
Chinese glyph would come from whatever fallback LibreOffice finds. The table maps each name to the closest
installed free font (serif CJK for 仿宋/宋体, sans CJK for 黑体, a Kai font for 楷体). Entries are written
only for names fontconfig does not know, so machines that have the real fonts use them; each entry is marked
"Always" because headless LibreOffice (checked with 7.x here) ignored the "only when missing" entries.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.core.locks import PDFIUM

INSTALL_HINT = "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk"


class PdfUnavailable(Exception):
    """LibreOffice (soffice) is not installed, so no PDF can be made."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "生成 PDF 需要 LibreOffice，但本机未找到 soffice 命令。"
            f"请先安装 LibreOffice 和中文字体，例如：{INSTALL_HINT}"
        )
        super().__init__(message + (f"（{detail}）" if detail else ""))


class PdfConversionError(Exception):
    """LibreOffice ran but produced no PDF (timeout, crash, unreadable input)."""


# Preferred installed stand-ins for the Windows font names, best first.
_SERIF = ["Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN", "SimSun"]
_SANS = ["Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei", "SimHei"]
_KAI = ["AR PL UKai CN", "KaiTi", "AR PL KaitiM GB", *_SERIF]
_FANG = ["FangSong", "FangSong_GB2312", *_SERIF]
_STAND_INS: dict[str, list[str]] = {
    "仿宋": _FANG,
    "仿宋_GB2312": _FANG,
    "FangSong": _SERIF,
    "FangSong_GB2312": _SERIF,
    "楷体": _KAI,
    "楷体_GB2312": _KAI,
    "KaiTi": _SERIF,
    "KaiTi_GB2312": _SERIF,
    "黑体": _SANS,
    "SimHei": _SANS,
    "宋体": _SERIF,
    "SimSun": _SERIF,
    "方正小标宋简体": _SERIF,
    "方正小标宋_GBK": _SERIF,
    "FZXiaoBiaoSong-B05S": _SERIF,
    "Times New Roman": ["Liberation Serif", "Tinos", "DejaVu Serif"],
}


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def installed_families() -> set[str]:
    """Font family names fontconfig knows (every localized name of a family counts)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    try:
        out = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return set()
    families: set[str] = set()
    for line in out.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return families


def font_substitutions(installed: set[str]) -> list[tuple[str, str]]:
    """(name in the document, installed stand-in) for each document font that is missing here."""
    pairs = []
    for name, candidates in _STAND_INS.items():
        if name in installed:
            continue
        for candidate in candidates:
            if candidate in installed:
                pairs.append((name, candidate))
                break
    return pairs


def _seed_profile(profile: Path, pairs: list[tuple[str, str]]) -> None:
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    nodes = []
    for i, (name, stand_in) in enumerate(pairs):
        nodes.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(name)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(stand_in)}</value></prop>'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            "</node></item>"
        )
    xcu = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Common/Misc">'
        '<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>\n'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>\n'
        + "\n".join(nodes)
        + "\n</oor:items>\n"
    )
    (user / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")


def docx_to_pdf(docx: Path, outdir: Path, timeout: float = 120) -> Path:
    """Convert ``docx`` to ``outdir/<stem>.pdf`` with headless LibreOffice; return the PDF's path.

    Raises PdfUnavailable when LibreOffice is not installed and PdfConversionError when it fails.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable()
    docx = Path(docx).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / (docx.stem + ".pdf")
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        profile = Path(tmp) / "profile"
        _seed_profile(profile, font_substitutions(installed_families()))
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        # Own session so a timeout can stop soffice and the helper processes it starts, and nothing else.
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfConversionError(f"LibreOffice 转换 PDF 超时（{timeout:g} 秒）：{docx.name}") from None
    if proc.returncode != 0 or not target.exists():
        detail = (err or out).decode("utf-8", "replace").strip().splitlines()
        raise PdfConversionError(
            f"LibreOffice 未能把 {docx.name} 转换为 PDF（退出码 {proc.returncode}）"
            + (f"：{detail[-1]}" if detail else "")
        )
    return target


# ---------------------------------------------------------------------------------------------- checks

# Substrings of PostScript/family names of fonts that carry Chinese glyphs.
CJK_FONT_MARKERS = (
    "CJK",
    "Han",  # Source Han Serif/Sans
    "UKai",
    "UMing",
    "Kai",
    "FangSong",
    "Fang",
    "Song",
    "Hei",
    "Ming",
    "SimSun",
    "WenQuanYi",
    "WQY",
    "DroidSansFallback",
    "FZ",
    "STSong",
    "STKaiti",
)


def is_cjk_font(name: str) -> bool:
    base = name.split("+", 1)[-1]  # drop the subset tag "BAAAAA+"
    return any(marker.lower() in base.lower() for marker in CJK_FONT_MARKERS) or bool(
        re.search(r"[\u4e00-\u9fff]", base)
    )


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    embedded: bool


def pdffonts(pdf: Path, first: int = 1, last: int = 1) -> list[PdfFont]:
    """Fonts used on pages first..last, as listed by poppler's ``pdffonts``."""
    exe = shutil.which("pdffonts")
    if exe is None:
        raise PdfUnavailable("缺少 pdffonts（poppler-utils）")
    out = subprocess.run(
        [exe, "-f", str(first), "-l", str(last), str(pdf)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        # name type... encoding emb sub uni objectID gen; the type may contain spaces ("Type 1", "CID TrueType").
        m = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        if m:
            fonts.append(PdfFont(name=m.group(1), type=m.group(2), embedded=m.group(4) == "yes"))
    return fonts


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_glyph_fonts(pdf: Path, page: int = 1) -> dict[str, int]:
    """How many Chinese characters on a page each font set (font name → count), read with PDFium."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    counts: dict[str, int] = {}
    with PDFIUM:  # PDFium is not thread-safe
        doc = pdfium.PdfDocument(str(pdf))
        try:
            if page < 1 or page > len(doc):
                return counts
            textpage = doc[page - 1].get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count)
            if len(text) != count:  # characters and indices out of step: count nothing
                return counts
            buffer = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            for index, char in enumerate(text):
                if _HAN.match(char):
                    size = pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), flags)
                    font = buffer.value.decode("utf-8", "replace") if 0 < size <= len(buffer) else ""
                    counts[font] = counts.get(font, 0) + 1
        finally:
            doc.close()
    return counts


def page_text(pdf: Path, page: int = 1) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise PdfUnavailable("缺少 pdftotext（poppler-utils）")
    return subprocess.run(
        [exe, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def render_page_png(pdf: Path, out_prefix: Path, page: int = 1, dpi: int = 60) -> Path:
    """Render one page with ``pdftoppm``; return the PNG's path."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PdfUnavailable("缺少 pdftoppm（poppler-utils）")
    subprocess.run(
        [
            exe,
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(out_prefix),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    return out_prefix.with_name(out_prefix.name + ".png")
