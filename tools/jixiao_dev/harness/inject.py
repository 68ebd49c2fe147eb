"""Type exactly one error into a rendered report, as an officer editing the text would.

Each kind finds the places (sites) in the rendered lines where its figure is written — prose sentences
and 自评表 rows alike, whatever the phrasing — picks one at random and changes it by more than its
rounding interval (or renames the grade, drops a section, breaks the numbering, restates a figure).
The truth (what the figure should be) comes from the Scored model, so a site is only used when the
written figure equals the model's value: the injection changes *that* quantity and nothing else.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.decimals import decimals_of, fmt, round2
from jixiao.model.scoring import Scored
from jixiao.report.numbers import cn_numeral
from jixiao_dev.harness.layouts import Edit, Rendered, money_view

__all__ = ["KINDS", "Injection", "Kind", "inject"]

_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_HALF = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_TOP = re.compile(r"^([一二三四五六七八九十]+)、")
_CN = {cn_numeral(i): i for i in range(1, 40)}
_GRADES = ("优", "良", "中", "差")


@dataclass(frozen=True)
class Kind:
    """An error kind: the codes that count as detecting it, and the severity they must reach."""

    name: str
    codes: frozenset[str]
    severity: str  # "error" or "warning"
    arithmetic: bool  # a sum/rate/score error the interval checks should always catch
    located: bool = True  # detection needs the finding to point at the injected figure


@dataclass(frozen=True)
class Injection:
    kind: str
    edits: tuple[Edit, ...]
    line: int  # index in Rendered.lines of the changed (or first dropped / inserted-after) line
    old: str
    new: str
    new_value: Decimal | None  # the injected figure as a value (in the unit it was written in)
    note: str  # what was done, in a few words (for the report of misses)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("amount-total", frozenset({"B151", "B152", "B155", "Q401"}), "error", True),
        Kind("amount-part", frozenset({"B151", "B152", "B153", "B154", "B155", "Q401"}), "error", True),
        Kind("share", frozenset({"B153", "B154"}), "error", True),
        Kind("rate", frozenset({"B155", "Q401", "S260"}), "error", True),
        Kind("indicator-score", frozenset({"S251", "S252", "S255", "S256", "S260", "Q401"}), "error", True),
        Kind("subtotal", frozenset({"S251", "S252", "S253", "S254", "S255", "S256", "Q401"}), "error", True),
        Kind("total-score", frozenset({"S252", "S258", "Q401"}), "error", True),
        Kind("grade", frozenset({"S258"}), "error", False),
        Kind("drop-section", frozenset({"T304"}), "warning", False, located=False),
        Kind("numbering", frozenset({"T301", "T302"}), "error", False),
        # Q401 reports a conflicting *count* as a warning (checks.py), money and scores as errors.
        Kind("repeat", frozenset({"Q401"}), "warning", False),
    )
}


# --------------------------------------------------------------------------- sites


@dataclass(frozen=True)
class _Site:
    line: int
    cell: int | None  # index of the cell in a table row, None for prose
    start: int  # span inside the line (prose) or the cell (table)
    end: int
    value: Decimal


def _value(text: str) -> Decimal:
    return Decimal(text.translate(_HALF))


def _numbers(text: str) -> list[tuple[int, int, Decimal]]:
    return [(m.start(), m.end(), _value(m.group(0))) for m in _NUMBER.finditer(text)]


def _after(text: str, end: int, n: int = 2) -> str:
    return text[end : end + n]


def _before(text: str, start: int, n: int = 6) -> str:
    return text[max(0, start - n) : start]


def _is_row(line: str) -> bool:
    return "\t" in line


def _label(cells: list[str]) -> str:
    return next((c for c in cells[:3] if c.strip()), "")


def _money_sites(
    r: Rendered, values: set[Decimal], prose_ok: Callable[[str], bool], labels: set[str]
) -> list[_Site]:
    sites = []
    for i, line in enumerate(r.lines):
        if _is_row(line):
            cells = line.split("\t")
            if len(cells) < 6 or not any(c.strip() in labels for c in cells[:3]):
                continue
            for c in range(len(cells) - 6, len(cells) - 3):
                text = cells[c].strip()
                if _NUMBER.fullmatch(text) and _value(text) in values:
                    off = cells[c].index(text)
                    sites.append(_Site(i, c, off, off + len(text), _value(text)))
        elif prose_ok(line):
            for s, e, v in _numbers(line):
                unit = _after(line, e, 2)
                if (unit == "万元" and v in values) or (
                    unit[:1] == "元" and r.amount_scale != 1 and v / r.amount_scale in values
                ):
                    sites.append(_Site(i, None, s, e, v))
    return sites


def _total_sites(r: Rendered, scored: Scored) -> list[_Site]:
    t = money_view(scored.evaluation).rows["total"]
    values = {v for v in (t.initial, t.annual, t.executed) if v is not None}
    return _money_sites(
        r,
        values,
        lambda line: any(w in line for w in ("资金总额", "年度资金全年", "预算合计")),
        {"年度资金总额"},
    )


_PART_ROWS = ("basic", "personnel", "public", "project")


def _part_sites(r: Rendered, scored: Scored) -> list[_Site]:
    view = money_view(scored.evaluation)
    rows = [view.rows[k] for k in _PART_ROWS] + [
        v for k, v in view.rows.items() if k.startswith("by_source.")
    ]
    values = {v for row in rows for v in (row.initial, row.annual, row.executed) if v is not None}
    total = view.rows["total"]
    values -= {total.initial, total.annual, total.executed}  # ambiguous: that figure is also the total
    labels = {row.label for row in rows}
    heads = ("基本支出", "项目支出", "其中", "一般公共预算", "政府性基金", "人员经费", "日常公用经费")
    return _money_sites(
        r,
        values,
        lambda line: not any(w in line for w in ("资金总额", "合计")) and any(h in line for h in heads),
        labels,
    )


def _percent_sites(r: Rendered, lead: Callable[[str], bool], table: bool) -> list[_Site]:
    sites = []
    for i, line in enumerate(r.lines):
        if _is_row(line):
            if not table:
                continue
            cells = line.split("\t")
            if len(cells) >= 8 and cells[-2].strip().endswith("%"):
                text = cells[-2].strip()[:-1]
                if _NUMBER.fullmatch(text):
                    off = cells[-2].index(text)
                    sites.append(_Site(i, len(cells) - 2, off, off + len(text), _value(text)))
            continue
        for s, e, v in _numbers(line):
            if _after(line, e, 1) in ("%", "％") and lead(_before(line, s, 8)):
                sites.append(_Site(i, None, s, e, v))
    return sites


def _rate_sites(r: Rendered, scored: Scored) -> list[_Site]:
    return _percent_sites(r, lambda b: b.endswith(("执行率", "执行率为")), table=True)


def _share_sites(r: Rendered, scored: Scored) -> list[_Site]:
    return _percent_sites(r, lambda b: "占" in b, table=False)


_SCORE_WORD = re.compile(r"(?:自评)?得分?[：:为]?$")
_WEIGHT_WORD = re.compile(r"(?:分值为?|权重)$")


def _indicator_rows(r: Rendered) -> list[int]:
    """Indexes of the 自评表's indicator rows: after the header naming 三级指标, before 总分."""
    out, inside = [], False
    for i, line in enumerate(r.lines):
        if not _is_row(line):
            inside = False
            continue
        cells = [c.strip() for c in line.split("\t")]
        if "三级指标" in cells:
            inside = True
        elif cells and cells[0] == "总分":
            inside = False
        elif inside:
            out.append(i)
    return out


def _score_sites(r: Rendered, scored: Scored) -> list[_Site]:
    truth = {round2(s.score) for s in scored.indicators}
    sites = []
    for i in _indicator_rows(r):
        cells = r.lines[i].split("\t")
        text = cells[-2].strip()
        if _NUMBER.fullmatch(text) and _value(text) in truth:
            off = cells[-2].index(text)
            sites.append(_Site(i, len(cells) - 2, off, off + len(text), _value(text)))
    for i, line in enumerate(r.lines):
        if _is_row(line) or "年度指标值" not in line:
            continue
        for s, e, v in _numbers(line):
            if _SCORE_WORD.search(_before(line, s, 5)) and _after(line, e, 1) == "分" and v in truth:
                sites.append(_Site(i, None, s, e, v))
    return sites


def _subtotal_sites(r: Rendered, scored: Scored) -> list[_Site]:
    names = tuple(g.name for g in scored.level1)
    sites = []
    for i, line in enumerate(r.lines):
        m = re.match(r"^[（(][一二三四五六七八九十]+[）)](.+?)[（(]", line)
        if _is_row(line) or not m or m.group(1) not in names:
            continue
        for s, e, v in _numbers(line):
            before = _before(line, s, 4)
            if _WEIGHT_WORD.search(before) or re.search(r"得分?[：:]?$", before):
                sites.append(_Site(i, None, s, e, v))
    return sites


def _total_score_sites(r: Rendered, scored: Scored) -> list[_Site]:
    total = round2(scored.total)
    sites = []
    for i, line in enumerate(r.lines):
        if _is_row(line):
            cells = line.split("\t")
            text = cells[-2].strip() if len(cells) >= 3 else ""
            if cells[0].strip() == "总分" and _NUMBER.fullmatch(text) and _value(text) == total:
                off = cells[-2].index(text)
                sites.append(_Site(i, len(cells) - 2, off, off + len(text), total))
        elif "经自评" in line:
            for s, e, v in _numbers(line):
                if _before(line, s, 4).endswith(("得分", "得分为", "得分：")) and v == total:
                    sites.append(_Site(i, None, s, e, v))
    return sites


# --------------------------------------------------------------------------- changing a figure


def _changed(value: Decimal, old_text: str, kind: str, rng: random.Random) -> str:
    """A new figure that differs by clearly more than the old one's rounding interval."""
    places = decimals_of(_value(old_text))
    step = Decimal(1).scaleb(-places)
    if kind in ("indicator-score", "subtotal", "total-score"):
        delta = Decimal(rng.choice(("0.5", "1", "1.5", "2", "3", "4")))
    elif kind in ("rate", "share"):
        delta = Decimal(rng.randint(50, 600)) / 100
    else:
        delta = max(abs(value) * Decimal(rng.uniform(0.02, 0.15)), 10 * step)
    delta = max(
        delta.quantize(step) if places else delta.to_integral_value(),
        10 * step if kind in ("amount-total", "amount-part") else step,
    )
    new = value - delta if rng.random() < 0.5 and value - delta >= 0 else value + delta
    if kind in ("rate", "share") and new > 100 and value - delta >= 0:
        new = value - delta
    text = fmt(new.quantize(step)) if places else fmt(new)
    fullwidth = any(ch in old_text for ch in "０１２３４５６７８９")
    return text.translate(_FULL) if fullwidth else text


def _apply(r: Rendered, site: _Site, new: str) -> tuple[Edit, str, str]:
    line = r.lines[site.line]
    if site.cell is None:
        old = line[site.start : site.end]
        return Edit("replace", site.line, line[: site.start] + new + line[site.end :]), old, new
    cells = line.split("\t")
    cell = cells[site.cell]
    old = cell[site.start : site.end]
    cells[site.cell] = cell[: site.start] + new + cell[site.end :]
    return Edit("replace", site.line, "\t".join(cells)), old, new


_SITES: dict[str, Callable[[Rendered, Scored], list[_Site]]] = {
    "amount-total": _total_sites,
    "amount-part": _part_sites,
    "share": _share_sites,
    "rate": _rate_sites,
    "indicator-score": _score_sites,
    "subtotal": _subtotal_sites,
    "total-score": _total_score_sites,
}


def _figure(kind: str, r: Rendered, scored: Scored, rng: random.Random) -> Injection | None:
    sites = _SITES[kind](r, scored)
    if not sites:
        return None
    site = rng.choice(sites)
    line = r.lines[site.line]
    old_text = (
        line[site.start : site.end]
        if site.cell is None
        else line.split("\t")[site.cell][site.start : site.end]
    )
    new = _changed(site.value, old_text, kind, rng)
    edit, old, new = _apply(r, site, new)
    where = "表格" if site.cell is not None else "正文"
    return Injection(
        kind, (edit,), site.line, old, new, _value(new), f"{where}第{site.line + 1}行 {old}→{new}"
    )


# --------------------------------------------------------------------------- words and structure


def _grade(r: Rendered, scored: Scored, rng: random.Random) -> Injection | None:
    sites = []
    for i, line in enumerate(r.lines):
        for m in re.finditer(r"等级(?:为“|：)([优良中差])", line):
            sites.append((i, m.start(1)))
    if not sites:
        return None
    i, pos = rng.choice(sites)
    line = r.lines[i]
    old = line[pos]
    new = rng.choice([g for g in _GRADES if g != old and g != scored.grade])
    return Injection("grade", (Edit("replace", i, line[:pos] + new + line[pos + 1 :]),), i, old, new, None, f"第{i + 1}行 等级{old}→{new}")  # fmt: skip


def _tops(r: Rendered) -> list[tuple[int, int]]:
    """(line index, number) of the top-level headings 一、二、… of the body (annexes excluded)."""
    out = []
    for i, line in enumerate(r.lines):
        if line.startswith(("附表", "附件")):
            break
        m = _TOP.match(line)
        if m and m.group(1) in _CN:
            out.append((i, _CN[m.group(1)]))
    return out


def _renumber(line: str, n: int) -> str:
    return _TOP.sub(f"{cn_numeral(n)}、", line, count=1)


def _body_end(r: Rendered, tops: list[tuple[int, int]], k: int) -> int:
    if k + 1 < len(tops):
        return tops[k + 1][0]
    for i in range(tops[k][0] + 1, len(r.lines)):
        if r.lines[i].startswith(("附表", "附件", "## 附表")):
            return i
    return len(r.lines)


def _drop_section(r: Rendered, scored: Scored, rng: random.Random) -> Injection | None:
    tops = _tops(r)
    required = [s for s in scored.framework.outline if s.required]
    candidates = []
    for k, (i, _n) in enumerate(tops):
        title = _TOP.sub("", r.lines[i])
        if any(any(m in title for m in s.match) for s in required):
            candidates.append(k)
    if not candidates:
        return None
    k = rng.choice(candidates)
    start, end = tops[k][0], _body_end(r, tops, k)
    edits = [Edit("delete", start, count=end - start)]
    edits += [Edit("replace", i, _renumber(r.lines[i], n - 1)) for i, n in tops[k + 1 :]]
    title = r.lines[start]
    return Injection("drop-section", tuple(edits), start, title, "", None, f"删去“{title}”并顺次调整后续序号")


def _numbering(r: Rendered, scored: Scored, rng: random.Random) -> Injection | None:
    tops = _tops(r)
    if len(tops) < 3:
        return None
    k = rng.randint(1, len(tops) - 1)
    i, n = tops[k]
    if rng.random() < 0.5:
        edits = [Edit("replace", j, _renumber(r.lines[j], m + 1)) for j, m in tops[k:]]
        note = f"“{r.lines[i][:12]}”起序号跳过{cn_numeral(n)}"
    else:
        edits = [Edit("replace", i, _renumber(r.lines[i], n - 1))]
        note = f"“{r.lines[i][:12]}”序号与上一节重复"
    return Injection("numbering", tuple(edits), i, r.lines[i], edits[0].text, None, note)


def _repeat(r: Rendered, scored: Scored, rng: random.Random) -> Injection | None:
    """Restate the staff count in another place with a different value (a paragraph pasted from a draft)."""
    for _i, line in enumerate(r.lines):
        if _is_row(line):
            continue
        found = list(re.finditer(r"(实有人数|编制数)([0-9０-９]+)人", line))
        if not found:
            continue
        m = rng.choice(found)
        value = _value(m.group(2))
        new_value = (
            value + rng.randint(1, 9) if rng.random() < 0.5 or value < 12 else value - rng.randint(1, 9)
        )
        new = str(new_value)
        if any(ch in m.group(2) for ch in "０１２３４５６７８９"):
            new = new.translate(_FULL)
        year = scored.evaluation.unit.year
        # Half the time the officer's own words (a copied sentence), half the time re-worded.
        sentence = (
            f"截至{year}年12月31日{m.group(1)}{new}人。"
            if rng.random() < 0.5
            else f"截至{year}年12月31日，本单位{m.group(1)}{new}人。"
        )
        # Put it after the first paragraph of the performance section, far from the first statement.
        target = next((j for j, text in enumerate(r.lines) if "经自评" in text), len(r.lines) - 1)
        return Injection("repeat", (Edit("insert", target, sentence),), target + 1, m.group(0), sentence, new_value, f"第{target + 2}行插入“{sentence}”（原为{m.group(0)}）")  # fmt: skip
    return None


_WORDS: dict[str, Callable[[Rendered, Scored, random.Random], Injection | None]] = {
    "grade": _grade,
    "drop-section": _drop_section,
    "numbering": _numbering,
    "repeat": _repeat,
}


def inject(kind: str, r: Rendered, scored: Scored, rng: random.Random) -> Injection | None:
    """One error of ``kind`` typed into ``r``; None when the report has no place for it."""
    if kind in _SITES:
        return _figure(kind, r, scored, rng)
    if kind in _WORDS:
        return _WORDS[kind](r, scored, rng)
    raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
