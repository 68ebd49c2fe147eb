"""How a composed report is laid out for the harness: plain text, .docx, prose only, other provinces' wording.

A layout turns a Scored evaluation into a ``Rendered``: a list of lines (a paragraph, or a table row
whose cells are joined by "\\t") plus a way to turn edited lines back into a ``Document`` the review
pipeline reads. Injections (``inject.py``) edit the lines, so an error is typed into the text the way an
officer would type it, whatever the layout.

Phrasings are functions ``(Scored, rng) -> str``: they re-word the composed report's sentences with the
habits of other provinces (分值为10分，自评得分10分; 得分：9.5分; 权重; 执行率为; 占比; 合计; amounts in 元;
full-width digits; "(一)" for "（一）").
"""

from __future__ import annotations

import copy
import io
import random
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from lxml import etree

from jixiao.core.decimals import fmt
from jixiao.model.money import money_view
from jixiao.model.scoring import Scored
from jixiao.report.compose import compose
from jixiao.report.markdown import render_markdown
from jixiao.report.numbers import fmt_amount
from jixiao.review.document import Document
from jixiao.review.read import document_from_text, read_document

__all__ = [
    "LAYOUTS",
    "PHRASINGS",
    "Edit",
    "Rendered",
    "markdown_to_text",
    "money_view",
    "render",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


@dataclass(frozen=True)
class Edit:
    """One change to a rendered report: replace line ``index`` with ``text``; delete lines
    ``index .. index + count - 1``; or insert ``text`` as a new line after line ``index``."""

    op: str  # "replace" | "delete" | "insert"
    index: int
    text: str = ""
    count: int = 1


@dataclass
class Rendered:
    """A report as lines of text, and how to read it back after edits."""

    layout: str
    lines: list[str]
    build: Callable[[list[Edit], str], Document] = field(repr=False)
    amount_scale: Decimal = Decimal(1)  # prose amounts are written ×10000 (元) in the yuan phrasing

    def document(self, edits: list[Edit] = (), name: str = "report") -> Document:  # type: ignore[assignment]
        return self.build(list(edits), name)


def apply_edits(lines: list[str], edits: list[Edit]) -> list[str]:
    """Edits applied from the last index down, so earlier indexes stay valid."""
    out = list(lines)
    for e in sorted(edits, key=lambda e: e.index, reverse=True):
        if e.op == "replace":
            out[e.index] = e.text
        elif e.op == "delete":
            del out[e.index : e.index + e.count]
        elif e.op == "insert":
            out.insert(e.index + 1, e.text)
    return out


# --------------------------------------------------------------------------- plain text

_MD_RULE = re.compile(r"^\|(\s*-{3,}\s*\|)+\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_UNESCAPE = re.compile(r"\\([\\`*_\[\]<>|#+\-=.)])")


def _md_cells(line: str) -> list[str]:
    body = line.strip()[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [_MD_UNESCAPE.sub(r"\1", c.strip()) for c in re.split(r"(?<!\\)\|", body)]


def markdown_to_text(md: str, *, tables: bool = True) -> str:
    """The Markdown report as an officer's plain text: no '#', tables as tab-separated rows.

    ``tables=False`` drops the annexes (everything from the first 附表 heading on): the prose-only layout.
    """
    out: list[str] = []
    for line in md.splitlines():
        if line.startswith("## 附表") and not tables:
            break
        if line.lstrip().startswith("|"):
            if not _MD_RULE.match(line.strip()):
                out.append("\t".join(_md_cells(line)))
            continue
        out.append(_MD_UNESCAPE.sub(r"\1", _MD_HEADING.sub("", line)))
    return "\n".join(out).rstrip("\n") + "\n"


def _text_rendered(layout: str, text: str, scale: Decimal = Decimal(1)) -> Rendered:
    lines = text.split("\n")

    def build(edits: list[Edit], name: str) -> Document:
        body = "\n".join(apply_edits(lines, edits))
        return document_from_text(body, path=f"{name}.txt", format="txt")

    return Rendered(layout, lines, build, scale)


# --------------------------------------------------------------------------- docx


def _text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{_W}}}t"))


def _set_text(p: etree._Element, text: str) -> None:
    """Put ``text`` in the paragraph's first w:t (adding a run if it has none) and empty the others."""
    ts = list(p.iter(f"{{{_W}}}t"))
    if not ts:
        r = etree.SubElement(p, f"{{{_W}}}r")
        ts = [etree.SubElement(r, f"{{{_W}}}t")]
    ts[0].text = text
    ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for t in ts[1:]:
        t.text = ""


def _docx_rendered(scored: Scored) -> Rendered:
    from jixiao.report.docx import write_docx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.docx"
        write_docx(compose(scored), path)
        data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
        others = {n: z.read(n) for n in z.namelist() if n != "word/document.xml"}
    root = etree.fromstring(xml)
    body = root.find("w:body", _NS)
    assert body is not None
    # Lines: each body paragraph, and each table row (cells = the w:tc of the row, joined by "\t").
    units: list[etree._Element] = []
    lines: list[str] = []
    for child in body:
        if child.tag == f"{{{_W}}}p":
            units.append(child)
            lines.append(_text_of(child))
        elif child.tag == f"{{{_W}}}tbl":
            for tr in child.findall("w:tr", _NS):
                units.append(tr)
                lines.append("\t".join(_text_of(tc) for tc in tr.findall("w:tc", _NS)))

    def build(edits: list[Edit], name: str) -> Document:
        tree = copy.deepcopy(root)
        body2 = tree.find("w:body", _NS)
        assert body2 is not None
        # The same walk on the copy, so unit i of the copy is line i.
        mine: list[etree._Element] = []
        for child in body2:
            if child.tag == f"{{{_W}}}p":
                mine.append(child)
            elif child.tag == f"{{{_W}}}tbl":
                mine.extend(child.findall("w:tr", _NS))
        for e in sorted(edits, key=lambda e: e.index, reverse=True):
            el = mine[e.index]
            if e.op == "replace":
                if el.tag == f"{{{_W}}}tr":
                    for tc, text in zip(el.findall("w:tc", _NS), e.text.split("\t"), strict=False):
                        ps = tc.findall("w:p", _NS)
                        if ps:
                            _set_text(ps[0], text)
                            for p in ps[1:]:
                                _set_text(p, "")
                else:
                    _set_text(el, e.text)
            elif e.op == "delete":
                for victim in mine[e.index : e.index + e.count]:
                    parent = victim.getparent()
                    if parent is not None:
                        parent.remove(victim)
            elif e.op == "insert":
                new = copy.deepcopy(el if el.tag == f"{{{_W}}}p" else mine[e.index])
                _set_text(new, e.text)
                el.addnext(new)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n, content in others.items():
                z.writestr(n, content)
            z.writestr("word/document.xml", etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{name}.docx"
            out.write_bytes(buf.getvalue())
            return read_document(out)

    return Rendered("docx", lines, build)


# --------------------------------------------------------------------------- phrasings

_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_NUM = r"\d+(?:\.\d+)?"


def _each(pattern: str, text: str, rng: random.Random, p: float, repl: Callable[[re.Match[str]], str]) -> str:
    """Apply ``repl`` to each match with probability ``p`` (1 → always)."""
    return re.sub(pattern, lambda m: repl(m) if p >= 1 or rng.random() < p else m.group(0), text)


def _prose_lines(text: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to prose lines only: table rows (tab-separated) keep the 自评表's own conventions."""
    return "\n".join(line if "\t" in line else fn(line) for line in text.split("\n"))


def _base(scored: Scored, tables: bool = True) -> str:
    return markdown_to_text(render_markdown(compose(scored)), tables=tables)


def _heji(scored: Scored, text: str) -> str:
    """'部门年度资金总额…' re-said as '全年预算合计X万元，其中：基本支出a万元；项目支出b万元。…'."""
    ev = scored.evaluation
    view = money_view(ev)
    total, basic, project = view.rows["total"], view.rows["basic"], view.rows["project"]
    if total.annual is None or basic.annual is None or project.annual is None:
        return text
    unit = ev.amount_unit
    said = (
        f"部门全年预算合计{fmt_amount(total.annual)}{unit}，其中：基本支出{fmt_amount(basic.annual)}{unit}；"
        f"项目支出{fmt_amount(project.annual)}{unit}。"
    )
    return re.sub(r"^部门年度资金总额[^\n]*$", lambda m: said + m.group(0), text, count=1, flags=re.M)


def phrase_province(scored: Scored, rng: random.Random) -> str:
    """分值为10分，自评得分10分；执行率为98.25%；占比；合计 with 其中：…；…"""
    text = _heji(scored, _base(scored))

    def fn(line: str) -> str:
        line = re.sub(rf"分值({_NUM})分，得分({_NUM})分", r"分值为\1分，自评得分\2分", line)
        line = re.sub(rf"执行率({_NUM})%", r"执行率为\1%", line)
        return re.sub(rf"，占基本支出的({_NUM})%", r"，占比\1%", line)

    return _prose_lines(text, fn)


def phrase_colon(scored: Scored, rng: random.Random) -> str:
    """得分：9.5分; 权重10分; "(一)" headings; 等级：优."""
    text = _base(scored)

    def fn(line: str) -> str:
        line = re.sub(rf"得分({_NUM})分", r"得分：\1分", line)
        line = re.sub(rf"得({_NUM})分", r"得分\1分", line)
        line = re.sub(rf"分值({_NUM})分", r"权重\1分", line)
        line = re.sub(r"^（([一二三四五六七八九十]+)）", r"(\1)", line)
        return re.sub(r"等级为“(.)”", r"等级：\1", line)

    return _prose_lines(text, fn)


def _yuan(m: re.Match[str]) -> str:
    value = Decimal(m.group(1)) * 10000
    return f"{fmt(value.quantize(Decimal(1)) if value == value.to_integral() else value)}元"


def phrase_yuan(scored: Scored, rng: random.Random) -> str:
    """Prose amounts in 元 (the 自评表 keeps 万元 with its 金额单位 note)."""
    return _prose_lines(_base(scored), lambda line: re.sub(rf"({_NUM})万元", _yuan, line))


def phrase_fullwidth(scored: Scored, rng: random.Random) -> str:
    """Full-width digits in prose, "(一)" headings in half-width brackets."""

    def fn(line: str) -> str:
        line = re.sub(r"^（([一二三四五六七八九十]+)）", r"(\1)", line)
        return _each(rf"{_NUM}%?", line, rng, 1, lambda m: m.group(0).translate(_FULL))

    return _prose_lines(_base(scored), fn)


def phrase_mixed(scored: Scored, rng: random.Random) -> str:
    """Every habit above, each occurrence by a coin toss: one report mixes them as hand-edited ones do."""
    text = _base(scored)
    if rng.random() < 0.5:
        text = _heji(scored, text)

    def fn(line: str) -> str:
        line = _each(
            rf"分值({_NUM})分，得分({_NUM})分", line, rng, 0.5, lambda m: f"分值为{m[1]}分，自评得分{m[2]}分"
        )
        line = _each(rf"得分({_NUM})分", line, rng, 0.3, lambda m: f"得分：{m[1]}分")
        line = _each(rf"执行率({_NUM})%", line, rng, 0.5, lambda m: f"执行率为{m[1]}%")
        line = _each(rf"，占基本支出的({_NUM})%", line, rng, 0.5, lambda m: f"，占比{m[1]}%")
        line = _each(r"^（([一二三四五六七八九十]+)）", line, rng, 0.3, lambda m: f"({m[1]})")
        return _each(rf"{_NUM}%?", line, rng, 0.1, lambda m: m.group(0).translate(_FULL))

    return _prose_lines(text, fn)


PHRASINGS: dict[str, Callable[[Scored, random.Random], str]] = {
    "phrase-province": phrase_province,
    "phrase-colon": phrase_colon,
    "phrase-yuan": phrase_yuan,
    "phrase-fullwidth": phrase_fullwidth,
    "phrase-mixed": phrase_mixed,
}

# --------------------------------------------------------------------------- all layouts

LAYOUTS = ("md-text", "docx", "prose", *PHRASINGS)


def render(scored: Scored, layout: str, rng: random.Random) -> Rendered:
    """The report of ``scored`` in ``layout`` (one of ``LAYOUTS``)."""
    if layout == "md-text":
        return _text_rendered(layout, _base(scored))
    if layout == "prose":
        return _text_rendered(layout, _base(scored, tables=False))
    if layout == "docx":
        return _docx_rendered(scored)
    if layout in PHRASINGS:
        scale = Decimal(10000) if layout == "phrase-yuan" else Decimal(1)
        return _text_rendered(layout, PHRASINGS[layout](scored, rng), scale)
    raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
