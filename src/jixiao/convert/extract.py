"""`jixiao extract`: an existing report → the author path's YAML, as far as the report allows.

The review pipeline reads the report (``check_file``); this module only maps what it found — headings,
budget facts, score groups and lines, counts — onto the ``Evaluation`` model. Every figure keeps the
digits the report printed (Decimals from the text). What cannot be recovered is listed, in Chinese, so
the user knows what to fill in by hand; the YAML always loads (a placeholder stands in for a missing
unit name or year, and the list says so).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.decimals import dec
from jixiao.model.evaluation import SOURCES, Evaluation, Nature, Tier
from jixiao.model.frameworks import Framework, builtin_names, load_framework
from jixiao.report.placeholders import EVIDENCE_LABEL, REPLACED_NOTE, is_placeholder
from jixiao.review.claims.model import BudgetFact, CountFact, ScoreGroup, ScoreLine, ShareClaim
from jixiao.review.document import Block, Document
from jixiao.review.pipeline import FileReport, check_file
from jixiao.review.structure import Heading, match_heading, outline_matches, section_blocks, section_of

__all__ = ["Extracted", "extract_evaluation", "extract_yaml"]

PLACEHOLDER_NAME = "（未能识别单位名称）"

# ---------------------------------------------------------------- small parsers

_TITLE_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年度?")
_TITLE_TAIL = re.compile(r"(?:部门整体支出|整体支出|项目支出|部门|单位)?(?:绩效)?(?:自评|评价)")
_OPS = {
    "≥": "≥", ">=": "≥", "＞＝": "≥", "大于等于": "≥", ">": "≥", "＞": "≥", "不低于": "≥",
    "≤": "≤", "<=": "≤", "＜＝": "≤", "小于等于": "≤", "<": "≤", "＜": "≤", "不高于": "≤", "不超过": "≤",
    "=": "=", "＝": "=", "等于": "=",
}  # fmt: skip
_OP_RE = "|".join(re.escape(op) for op in sorted(_OPS, key=len, reverse=True))
_VALUE = re.compile(
    rf"^(?P<op>{_OP_RE})?\s*(?P<num>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s，,。；;：:]{{0,6}})$"
)
_PROSE_TARGET = re.compile(
    r"(?:年度)?指标值[：:]\s*(?P<t>.*?)[，,；;]\s*实际(?:完成)?值[：:]\s*(?P<a>.*?)[，,；;]\s*(?:分值|权重|得分)"
)
_REASON = re.compile(r"(?:偏差原因(?:分析)?|扣分原因|原因分析)[：:]\s*(?P<r>.+)")
_IMPROVE = re.compile(r"(?:改进措施|整改措施)[：:]\s*(?P<r>.+)")
_INTERNAL = re.compile(
    r"内设(?:机构)?(?:包括|有|为|设)?[：:]?\s*(?P<list>[^。；，：:]+?(?:、[^。；，：:]+)+)(?:[，,]\s*共\s*\d+\s*个)?[。；，]"
)
_UNITS_LINE = re.compile(
    r"(?:决算单位|单位构成|决算的单位|范围的单位|汇总公开单位)[^：:。]*?[：:为]\s*(?P<list>[^。；]+)"
)
_BLANK = {"", "-", "—", "——", "/", "／", "无", "\\"}
_NARRATIVE_KEYS = ("problems", "measures", "results_use", "other")
_SOURCE_OF_SCOPE = {
    "一般公共预算": "一般公共预算",
    "财政拨款": "一般公共预算",
    "政府性基金": "政府性基金",
    "国有资本经营": "国有资本经营",
    "非税收入": "纳入专户管理的非税收入",
    "其他资金": "其他",
}
_NATURE_OF_SCOPE = {"总": "total", "基本": "basic", "项目": "project", "人员": "personnel", "公用": "public"}
_MEASURE_FIELD = {"年初预算": "initial", "全年预算": "annual", "执行数": "executed"}
_FUNDS_NAMES = {
    "total": "年度资金总额",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "日常公用经费",
}
_FIELD_NAMES = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数"}


def _clean(text: str) -> str:
    """Cell or clause text without Markdown escapes and outer spaces."""
    return text.replace("\\", "").strip().strip("，,。；;")


def _prose(text: str) -> str:
    """A sentence as written (its full stop kept): reasons, measures, evidence."""
    return text.replace("\\", "").strip().strip("，,；;").strip()


def _value(text: str) -> tuple[str, Decimal, str] | None:
    """ "≥90%" → ("≥", 90, "%"); "3420人次" → ("", 3420, "人次"); None when not a plain figure."""
    m = _VALUE.match(_clean(text).replace(" ", ""))
    if m is None or m.group("unit").startswith(("余", "多", "以上", "左右")):
        return None  # "30余个": an approximate figure is not a value to score against
    try:
        number = dec(m.group("num"))
    except ValueError:
        return None
    return _OPS.get(m.group("op") or "", ""), number, m.group("unit")


def _split_list(text: str) -> list[str]:
    items = [re.sub(r"^(?:包括|有|为|设)", "", part).strip() for part in re.split(r"[、，,]", text)]
    return [i for i in items if i and not re.fullmatch(r"共\s*\d+\s*个", i) and len(i) <= 30]


def _rest(heading: Heading) -> str:
    marker = match_heading(heading.text)
    return (marker.rest if marker is not None else heading.text).strip()


def _l1_name(text: str) -> str:
    """ "产出指标(分值50分，得49分，扣1分)" → "产出指标"; "投入（16分）" → "投入"."""
    return re.split(r"[（(]", text, maxsplit=1)[0].strip().strip("：:")


# ---------------------------------------------------------------- the result


@dataclass
class Extracted:
    evaluation: Evaluation
    missing: list[str] = field(default_factory=list)
    framework: str = "mof-2020"
    source: str = ""


@dataclass
class _Ind:
    level1: str
    level2: str
    line: ScoreLine
    name: str
    target: str = ""
    actual: str = ""
    reason: str = ""
    improvement: str = ""
    evidence: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- unit


def _title_blocks(doc: Document, headings: Sequence[Heading]) -> list[Block]:
    first = headings[0].block_index if headings else len(doc.blocks)
    return [b for b in doc.blocks[: min(first, 4)] if b.kind == "paragraph"][:3]


def unit_name_year(doc: Document, headings: Sequence[Heading]) -> tuple[str, int | None]:
    """The unit and year a report's title names (the workspace files a report under them too)."""
    for block in _title_blocks(doc, headings):
        text = re.sub(r"\s+", "", block.text)
        m = _TITLE_YEAR.search(text)
        if m is None:
            continue
        year = int(m.group("year"))
        if not 1990 <= year <= 2100:  # the model's range; an older "year" is something else
            continue
        name = text[: m.start()].removeprefix("关于")
        if not name:  # "2024年度某某局部门整体支出绩效自评报告"
            tail = _TITLE_TAIL.search(text, m.end())
            name = text[m.end() : tail.start() if tail else len(text)]
        return name.strip("《》“”\"'：: "), year
    return "", None


def year_fallback(doc: Document) -> int | None:
    """The year written most often in the text, when the title names none."""
    years = re.findall(r"((?:19|20)\d{2})\s*年", doc.text())
    if not years:
        return None
    year = int(max(set(years), key=years.count))
    return year if 1990 <= year <= 2100 else None


def _functions(doc: Document, headings: Sequence[Heading]) -> list[str]:
    for h in headings:
        if h.item or "职能" not in h.title:
            continue
        items = [_rest(c) for c in headings if c.parent == h.index]
        if items:
            return [i for i in items if i]
        body = [
            b.text.strip() for b in section_blocks(doc, headings, h, direct=True) if b.kind == "paragraph"
        ]
        return [t for t in body if t]
    return []


def _section_text(doc: Document, headings: Sequence[Heading], word: str) -> str:
    """Text of the sections whose title holds ``word`` (with their own block), or ''."""
    parts: list[str] = []
    for h in headings:
        if word in h.title:
            parts.append(h.text)
            parts.extend(b.text for b in section_blocks(doc, headings, h) if b.kind == "paragraph")
    return "\n".join(parts)


def _internal_bodies(doc: Document, headings: Sequence[Heading]) -> list[str]:
    for text in (_section_text(doc, headings, "机构"), doc.text()):
        m = _INTERNAL.search(text)
        if m:
            return _split_list(m.group("list"))
    return []


def _budget_units(doc: Document, headings: Sequence[Heading]) -> list[str]:
    text = _section_text(doc, headings, "决算单位") or _section_text(doc, headings, "机构")
    m = _UNITS_LINE.search(text)
    return _split_list(m.group("list")) if m else []


def _staff(claims: Iterable[Any], doc: Document) -> tuple[int | None, int | None]:
    quota: int | None = None
    actual: int | None = None
    for c in claims:
        if not isinstance(c, CountFact) or c.figure.quantity.unit not in ("人", "名") or c.figure.approximate:
            continue
        if c.figure.value != c.figure.value.to_integral_value():
            continue
        n = int(c.figure.value)
        if "编制" in c.key and quota is None:
            quota = n
        elif re.search(r"在职|实有|在编|现有", c.key) and actual is None:
            actual = n
    for row in _table_rows(doc):  # 基础数据表: 编制数（人） | 1860
        label = "".join(row[:2])
        nums = [v for v in (_value(cell) for cell in row[1:]) if v is not None and v[2] in ("", "人", "名")]
        if not nums or nums[0][1] != nums[0][1].to_integral_value():
            continue
        if "编制数" in label and quota is None:
            quota = int(nums[0][1])
        elif re.search(r"实际在职|实有人数|在职人数", label) and actual is None:
            actual = int(nums[0][1])
    return quota, actual


# ---------------------------------------------------------------- tables


def _grid(block: Block) -> list[list[str]]:
    def cell(text: str) -> str:
        return text.replace("\\", "").strip()

    if block.table is not None:
        return [[cell(c) for c in row] for row in block.table.texts()]
    # A plain-text table keeps its tabs only in the raw text (normalising turns them into spaces).
    return [[cell(c) for c in line.split("\t")] for line in (block.raw or block.text).split("\n")]


def _table_blocks(doc: Document) -> list[Block]:
    from jixiao.review.claims.model import is_table_like

    return [b for b in doc.blocks if is_table_like(b)]


def _table_rows(doc: Document) -> list[list[str]]:
    return [row for b in _table_blocks(doc) for row in _grid(b)]


def _find_col(header: list[str], *words: str) -> int | None:
    for i, cell in enumerate(header):
        if any(w in cell for w in words):
            return i
    return None


def _indicator_rows(doc: Document) -> list[dict[str, str]]:
    """Rows of an indicator table (一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因…)."""
    out: list[dict[str, str]] = []
    for block in _table_blocks(doc):
        cols: dict[str, int] = {}
        l1 = l2 = ""
        for row in _grid(block):
            if _find_col(row, "三级指标") is not None and _find_col(row, "分值", "权重") is not None:
                found = {
                    "l1": _find_col(row, "一级指标"),
                    "l2": _find_col(row, "二级指标"),
                    "name": _find_col(row, "三级指标"),
                    "target": _find_col(row, "年度指标值", "指标值", "目标值"),
                    "actual": _find_col(row, "实际完成值", "实际值", "完成值"),
                    "reason": _find_col(row, "偏差原因", "原因"),
                }
                cols = {k: v for k, v in found.items() if v is not None}
                l1 = l2 = ""
                continue
            if not cols or "name" not in cols:
                continue

            def cell(key: str, row: list[str] = row, cols: dict[str, int] = cols) -> str:
                i = cols.get(key)
                return row[i] if i is not None and i < len(row) else ""

            if cell("l1"):
                l1 = _l1_name(cell("l1"))
            if cell("l2"):
                l2 = cell("l2")
            if cell("name") and not re.match(r"^(?:总分|合计|总计)", cell("name")):
                out.append(
                    {
                        "l1": l1,
                        "l2": l2,
                        "name": cell("name"),
                        "target": cell("target"),
                        "actual": cell("actual"),
                        "reason": cell("reason"),
                    }
                )
    return out


def _basic_data(doc: Document) -> list[dict[str, Any]]:
    """基础数据表 rows (类别 | 项目 | 上年决算数 | 本年预算数 | 本年决算数), people rows left out."""
    out: list[dict[str, Any]] = []
    for block in _table_blocks(doc):
        cols: dict[str, int] = {}
        category = ""
        for row in _grid(block):
            prev, bud, fin = (_find_col(row, w) for w in ("上年决算", "本年预算", "本年决算"))
            if prev is not None and bud is not None and fin is not None:
                cols = {"previous": prev, "budget": bud, "final": fin}
                category = ""
                continue
            if not cols or len(row) <= max(cols.values()):
                continue
            first = min(cols.values())
            labels = [c for c in row[:first] if c]
            if len(row[:first]) >= 2 and row[0]:
                category = row[0]
            name = labels[-1] if labels else ""
            if not name or category.startswith("人员") or re.search(r"（人）|\(人\)|控制率", name):
                continue
            line: dict[str, Any] = {"name": name}
            if category and category != name:
                line["category"] = category
            for key, i in cols.items():
                v = _value(row[i])
                if v is not None and not v[0] and v[2] in ("", "万元", "元"):
                    line[key] = v[1]
            if len(line) > 2 or (len(line) == 2 and "category" not in line):
                out.append(line)
    return out


def _money_rows(doc: Document) -> dict[str, dict[str, Decimal]]:
    """Rows of the 自评表 money block by label: 年初预算数 | 全年预算数 | 全年执行数."""
    out: dict[str, dict[str, Decimal]] = {}
    for block in _table_blocks(doc):
        cols: dict[str, int] = {}
        for row in _grid(block):
            found = {
                k: _find_col(row, w)
                for k, w in (("initial", "年初预算"), ("annual", "全年预算"), ("executed", "全年执行"))
            }
            if all(v is not None for v in found.values()):
                cols = {k: v for k, v in found.items() if v is not None}
                continue
            if not cols or len(row) <= max(cols.values()):
                continue
            labels = [c for c in row[: min(cols.values())] if c]
            if not labels:
                continue
            funds: dict[str, Decimal] = {}
            for key, i in cols.items():
                v = _value(row[i])
                if v is not None and not v[0] and v[2] in ("", "万元"):
                    funds[key] = v[1]
            out.setdefault(labels[-1], funds)
    return out


def _goals_from_tables(doc: Document) -> tuple[str, str]:
    for block in _table_blocks(doc):
        grid = _grid(block)
        for i, row in enumerate(grid[:-1]):
            e, a = _find_col(row, "预期目标"), _find_col(row, "实际完成情况")
            if e is not None and a is not None:
                nxt = grid[i + 1]
                return (nxt[e] if e < len(nxt) else ""), (nxt[a] if a < len(nxt) else "")
    return "", ""


# ---------------------------------------------------------------- budget


def _budget(
    claims: Sequence[Any], doc: Document, headings: Sequence[Heading], missing: list[str]
) -> dict[str, Any]:
    facts = [c for c in claims if isinstance(c, BudgetFact)]
    # The 自评表 is the authority a reader checks against: table figures win, then the first prose one.
    facts.sort(key=lambda f: 0 if f.source == "table" else 1)
    natures: dict[str, dict[str, Decimal]] = {}
    sources: dict[str, dict[str, Decimal]] = {}
    vague: list[BudgetFact] = []
    projects: dict[int, dict[str, Any]] = {}
    for f in facts:
        if f.figure.approximate:
            continue
        amount = f.figure.wan
        if f.measure == "预算":
            vague.append(f)
            continue
        key = _MEASURE_FIELD.get(f.measure)
        if key is None:
            continue
        if f.scope in _NATURE_OF_SCOPE:
            natures.setdefault(_NATURE_OF_SCOPE[f.scope], {}).setdefault(key, amount)
        elif f.scope in _SOURCE_OF_SCOPE:
            src = _SOURCE_OF_SCOPE[f.scope]
            if f.scope == "财政拨款" and "一般公共预算" in {s.scope for s in facts}:
                continue
            sources.setdefault(src, {}).setdefault(key, amount)
        elif f.scope == "条目":
            heading = section_of(headings, f.figure.block_index)
            if heading is None or not heading.item:
                continue
            parents = [headings[heading.parent].title] if heading.parent is not None else []
            if not any("项目" in t for t in parents):
                continue
            project = projects.setdefault(heading.index, {"name": heading.title})
            project.setdefault(key, amount)
    # "其中：人员经费X万元，占基本支出的Y%": the part of a share is an executed amount of its scope.
    for c in claims:
        if (
            isinstance(c, ShareClaim)
            and c.part_scope in ("人员", "公用")
            and c.part.is_money
            and not c.part.approximate
        ):
            natures.setdefault(_NATURE_OF_SCOPE[c.part_scope], {}).setdefault("executed", c.part.wan)
    # Source rows the claim reader does not name (a bare "其他" row): read the money table directly.
    for label, funds in _money_rows(doc).items():
        if label in SOURCES and label not in sources and funds:
            sources[label] = funds
    for f in vague:  # "预算" alone: the annual budget when nothing better was stated
        target = natures.get(_NATURE_OF_SCOPE.get(f.scope, ""))
        if target is not None:
            target.setdefault("annual", f.figure.wan)
    budget: dict[str, Any] = {"total": natures.pop("total", {})}
    if sources:
        budget["by_source"] = sources
    budget.update(natures)
    if projects:
        budget["projects"] = list(projects.values())
    for key in ("total", "basic", "project"):
        got = budget.get(key) or {}
        lacking = [_FIELD_NAMES[k] for k in ("initial", "annual", "executed") if k not in got]
        if lacking:
            missing.append(f"{_FUNDS_NAMES[key]}：{'、'.join(lacking)}")
    if not sources:
        missing.append("按资金来源的金额（一般公共预算、政府性基金等）")
    for line in (b.text.strip() for b in doc.blocks if b.kind == "paragraph"):
        for prefix, key in (("年中预算调整情况", "adjustment_note"), ("执行偏差说明", "execution_note")):
            if line.startswith(prefix) and key not in budget:
                budget[key] = re.sub(rf"^{prefix}[：:]\s*", "", line)
    return budget


_ROW_KEYS = {label: key for key, label in _FUNDS_NAMES.items()}
_COLUMN_KEYS = {label: key for key, label in _FIELD_NAMES.items()}


def _restore_stated(budget: dict[str, Any], doc: Document) -> None:
    """A figure jixiao printed as the sum of its parts goes back to the figure the data stated.

    The 自评表 note names it ("…按分项之和列示为391.36（填报数391.39，与分项之和不符）"): the data's own
    difference must survive the round trip, or extracting the report would silently mend it (B102 lost).
    """
    for block in doc.blocks:
        text = block.text.replace("\\", "")
        in_yuan = re.search(r"金额单位[：:]\s*元", text) is not None
        for m in REPLACED_NOTE.finditer(text):
            key = _ROW_KEYS.get(m.group("row").strip())
            column = _COLUMN_KEYS.get(m.group("column"))
            if key is None or column is None:
                continue
            try:
                typed = dec(m.group("typed").replace(",", ""))
            except ValueError:
                continue
            budget.setdefault(key, {})[column] = typed.scaleb(-4) if in_yuan else typed


# ---------------------------------------------------------------- indicators


def _prose_details(ind: _Ind, doc: Document, headings: Sequence[Heading]) -> None:
    block = doc.blocks[ind.line.block_index]
    text = block.text
    m = _PROSE_TARGET.search(text)
    if m:
        ind.target, ind.actual = _clean(m.group("t")), _clean(m.group("a"))
        head = text[: m.start()].strip()
        marker = match_heading(head)
        name = _clean(marker.rest if marker is not None else head)
        if name and len(name) <= 40:
            ind.name = name
    inline = _REASON.search(text)
    if inline and not is_placeholder(inline.group("r")):
        ind.reason = _prose(inline.group("r"))
    # Paragraphs after the line, up to the next heading or item, explain it.
    nxt = next((h.block_index for h in headings if h.block_index > ind.line.block_index), len(doc.blocks))
    for b in doc.blocks[ind.line.block_index + 1 : nxt]:
        if b.kind != "paragraph" or not b.text.strip() or re.match(r"^附(?:表|件)", b.text.strip()):
            continue
        line = b.text.strip()
        if is_placeholder(line):
            continue
        if (r := _REASON.match(line)) is not None:
            # "偏差原因：未填写。" is what jixiao prints for a missing reason: never a reason itself.
            if not is_placeholder(r.group("r")):
                ind.reason = _prose(r.group("r"))
        elif (r := _IMPROVE.match(line)) is not None:
            if not is_placeholder(r.group("r")):
                ind.improvement = _prose(r.group("r"))
        elif not match_heading(line):
            ind.evidence.append(line.removeprefix(EVIDENCE_LABEL))


def _table_details(ind: _Ind, row: dict[str, str]) -> None:
    ind.target, ind.actual = ("" if is_placeholder(row[k]) else row[k] for k in ("target", "actual"))
    reason = "" if row["reason"] in _BLANK else row["reason"]
    if reason:
        # The 自评表 column holds "原因；措施" (jixiao's own tables join them so); "偏差原因未填写" is jixiao's
        # placeholder for a missing reason and stays missing.
        first, _, rest = reason.partition("；")
        ind.reason = "" if is_placeholder(first) else _prose(first)
        ind.improvement = "" if is_placeholder(rest) else _prose(rest)


def _tier(score: Decimal | None, weight: Decimal, fw: Framework) -> Tier | None:
    if score is None or weight <= 0:
        return None
    share = score / weight
    for tier in Tier:  # best tier first: the first band the score share reaches
        if share >= fw.tiers[tier].low:
            return tier
    return Tier.NOT_MET


def _indicator_dict(ind: _Ind, fw: Framework, missing: list[str]) -> dict[str, Any] | None:
    line = ind.line
    if line.weight is None:
        missing.append(f"指标“{ind.name}”的分值")
        return None
    weight = line.weight.value
    score = line.score.value if line.score is not None else None
    out: dict[str, Any] = {"name": ind.name, "weight": weight}
    target = _value(ind.target) if ind.target else None
    actual = _value(ind.actual) if ind.actual else None
    quantitative = (
        target is not None and actual is not None and not actual[0] and actual[2] in ("", target[2])
    )
    if quantitative and target is not None and actual is not None:
        out["nature"] = target[0] or "="
        out["target"] = target[1]
        if target[2]:
            out["unit"] = target[2]
        out["actual"] = actual[1]
        if ind.name in fw.methods:
            out["method"] = ind.name
    else:
        out["nature"] = Nature.QUALITATIVE.value
        if ind.target:
            out["target_text"] = ind.target
        if ind.actual:
            out["actual_text"] = ind.actual
        tier = _tier(score, weight, fw)
        if tier is not None:
            out["tier"] = tier.value
        if not ind.target or not ind.actual:
            missing.append(f"指标“{ind.name}”的年度指标值或实际完成值")
    if score is not None:
        out["score"] = score
    else:
        missing.append(f"指标“{ind.name}”的得分")
    if ind.evidence:
        out["evidence"] = "\n".join(ind.evidence)
    if ind.reason:
        out["deviation_reason"] = ind.reason
    if ind.improvement:
        out["improvement"] = ind.improvement
    return out


def _indicators(
    claims: Sequence[Any], doc: Document, headings: Sequence[Heading], fw: Framework, missing: list[str]
) -> list[dict[str, Any]]:
    groups = [c for c in claims if isinstance(c, ScoreGroup)]
    exec_name = fw.execution.name if fw.execution is not None else "预算执行率"
    groups = [g for g in groups if _l1_name(g.head.name) != exec_name and g.items]
    prose = [g for g in groups if g.head.source != "table"]
    table = [g for g in groups if g.head.source == "table"]
    rows = _indicator_rows(doc)

    def n_items(gs: list[ScoreGroup]) -> int:
        return sum(len(g.items) for g in gs)

    chosen = table if table and n_items(table) >= n_items(prose) else prose
    if not chosen:
        missing.append("绩效指标（一级、二级、三级指标及分值、得分）")
        return []
    prose_weights = {_l1_name(g.head.name): g.head.weight for g in prose if g.head.weight is not None}
    prose_lines = {_clean(line.name): line for g in prose for line in g.items}
    used_rows: set[int] = set()
    level1: list[dict[str, Any]] = []
    no_level2: list[str] = []
    for g in chosen:
        name = _l1_name(g.head.name)
        inds: list[_Ind] = []
        for line in g.items:
            ind = _Ind(name, "", line, _clean(line.name))
            row_index = next(
                (i for i, r in enumerate(rows) if i not in used_rows and r["name"] == ind.name),
                None,
            )
            if line.source == "table" and row_index is not None:
                used_rows.add(row_index)
                ind.level2 = rows[row_index]["l2"]
                _table_details(ind, rows[row_index])
                # The prose line for the same indicator may add what a table cell cannot hold.
                twin = prose_lines.get(ind.name)
                if twin is not None:
                    extra = _Ind(name, "", twin, ind.name)
                    _prose_details(extra, doc, headings)
                    ind.evidence = extra.evidence
                    ind.reason = ind.reason or extra.reason
                    ind.improvement = ind.improvement or extra.improvement
            else:
                _prose_details(ind, doc, headings)
            inds.append(ind)
        stated = prose_weights.get(name) or g.head.weight
        items = [d for d in (_indicator_dict(i, fw, missing) for i in inds) if d is not None]
        if stated is not None:
            weight = stated.value
        else:
            weight = sum((Decimal(d["weight"]) for d in items), Decimal(0))
            missing.append(f"一级指标“{name}”的分值（已按三级指标分值之和 {weight} 填写）")
        level2: dict[str, list[dict[str, Any]]] = {}
        for ind, d in zip((i for i in inds if i.line.weight is not None), items, strict=True):
            key = ind.level2
            if not key:
                spec = next((s for s in fw.level1 if s.name == name), None)
                key = spec.level2[0] if spec is not None and len(spec.level2) == 1 else "二级指标未列明"
                if key == "二级指标未列明":
                    no_level2.append(name)
            level2.setdefault(key, []).append(d)
        level1.append(
            {
                "name": name,
                "weight": weight,
                "groups": [{"name": k, "indicators": v} for k, v in level2.items()],
            }
        )
    if no_level2:
        names = "、".join(dict.fromkeys(no_level2))
        missing.append(f"二级指标（报告未列出，{names}下的三级指标暂归入“二级指标未列明”）")
    return level1


def _pick_framework(level1: Sequence[dict[str, Any]]) -> str:
    """The built-in framework whose first-level names (and weights) fit the report best."""
    best, best_score = "mof-2020", 0
    for name in builtin_names():
        fw = load_framework(name)
        spec = {s.name: s.weight for s in fw.level1}
        score = 0
        for l1 in level1:
            if l1["name"] in spec:
                score += 2 + (1 if spec[l1["name"]] == l1["weight"] else 0)
        if score > best_score:
            best, best_score = name, score
    return best


# ---------------------------------------------------------------- narrative


def _body(doc: Document, blocks: Iterable[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        text = b.text.strip()
        if b.kind != "paragraph" or re.match(r"^附(?:表|件)\s*\d*", text):
            if lines:
                break
            continue
        if text and not is_placeholder(text):
            lines.append(text)
    return "\n".join(lines)


def _narrative(
    doc: Document, headings: Sequence[Heading], fw: Framework, missing: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    narrative: dict[str, str] = {}
    goals: dict[str, str] = {}
    for heading, index in outline_matches(headings, fw):
        key = fw.outline[index].key
        if key in _NARRATIVE_KEYS and key not in narrative:
            body = _body(doc, section_blocks(doc, headings, heading))
            if heading.inline and not body:
                body = heading.inline
            if body:
                narrative[key] = body
        elif key == "performance" and "overview" not in narrative:
            lines = []
            for b in section_blocks(doc, headings, heading, direct=True):
                text = b.text.strip()
                if b.kind != "paragraph" or not text:
                    continue
                if is_placeholder(text):
                    continue
                if (m := re.match(r"^年度总体目标[：:]\s*(.+)", text)) is not None:
                    goals["expected"] = m.group(1)
                elif (m := re.match(r"^实际完成情况[：:]\s*(.+)", text)) is not None:
                    goals["achieved"] = m.group(1)
                elif not text.startswith("经自评"):
                    lines.append(text)
            if lines:
                narrative["overview"] = "\n".join(lines)
    if not goals:
        expected, achieved = _goals_from_tables(doc)
        if expected:
            goals["expected"] = expected
        if achieved:
            goals["achieved"] = achieved
    names = {
        "problems": "存在的问题及原因分析",
        "measures": "下一步改进措施",
        "results_use": "自评结果应用和公开情况",
    }
    for key, title in names.items():
        if key not in narrative:
            missing.append(title)
    if not goals:
        missing.append("年度总体目标（预期目标与实际完成情况）")
    return narrative, goals


# ---------------------------------------------------------------- assembly


def extract_evaluation(report_path: str | Path, framework: str | None = None) -> Extracted:
    """Read and review ``report_path``; build the best Evaluation its text supports."""
    report: FileReport = check_file(report_path, framework or "mof-2020")
    missing: list[str] = []
    doc = report.document
    ctx = report.context
    if doc is None or ctx is None or not doc.blocks:
        reasons = "；".join(f"{f.code} {f.message}" for f in report.findings) or "没有可读的文字"
        missing.append(f"报告无法读取（{reasons}），未提取任何内容")
        ev = Evaluation.model_validate(
            {
                "framework": framework or "mof-2020",
                "unit": {"name": PLACEHOLDER_NAME, "year": date.today().year},
            }
        )
        missing.extend(["单位名称", "年度"])
        return Extracted(ev, missing, ev.framework, str(report_path))
    headings: list[Heading] = list(ctx.sections)
    claims = list(ctx.claims)

    name, year = unit_name_year(doc, headings)
    if not name:
        missing.append("单位名称（报告标题中未找到，已填占位文字）")
    if year is None:
        year = year_fallback(doc)
        missing.append(
            "年度（标题中未找到" + ("，已按正文中最常见的年份填写）" if year else "，已填今年，请改正）")
        )
    unit: dict[str, Any] = {"name": name or PLACEHOLDER_NAME, "year": year or date.today().year}
    for key, values, label in (
        ("functions", _functions(doc, headings), "职能职责"),
        ("internal_bodies", _internal_bodies(doc, headings), "内设机构"),
        ("budget_units", _budget_units(doc, headings), "决算单位构成"),
    ):
        if values:
            unit[key] = values
        else:
            missing.append(label)
    quota, actual = _staff(claims, doc)
    if quota is not None:
        unit["staff_quota"] = quota
    if actual is not None:
        unit["staff_actual"] = actual
    if quota is None or actual is None:
        missing.append(
            "人员编制（"
            + "、".join(w for w, v in (("编制数", quota), ("实有人数", actual)) if v is None)
            + "）"
        )

    # Claims do not depend on the framework; the indicators are read with the default one first, then
    # again with the framework that fits them (its execution item and methods matter).
    probe: list[str] = []
    level1 = _indicators(claims, doc, headings, ctx.framework, probe)
    fw_name = framework or _pick_framework(level1)
    fw = load_framework(fw_name)
    if fw_name != ctx.framework.name:
        probe = []
        level1 = _indicators(claims, doc, headings, fw, probe)
    budget = _budget(claims, doc, headings, missing)
    _restore_stated(budget, doc)
    narrative, goals = _narrative(doc, headings, fw, missing)
    missing.extend(probe)
    data: dict[str, Any] = {
        "framework": fw_name,
        "amount_unit": "万元",
        "unit": unit,
        "budget": budget,
        "goals": goals,
        "indicators": level1,
        "narrative": narrative,
    }
    basic = _basic_data(doc)
    if basic:
        data["basic_data"] = basic
    return Extracted(_validated(data, missing), missing, fw_name, str(report_path))


def _validated(data: dict[str, Any], missing: list[str]) -> Evaluation:
    """The Evaluation; a part the model rejects (odd figures in an odd report) is left out and listed."""
    from pydantic import ValidationError

    labels = {
        "basic_data": "基础数据表",
        "indicators": "绩效指标",
        "goals": "年度总体目标",
        "budget": "资金情况",
    }
    for drop in ("", "basic_data", "indicators", "goals", "budget", "narrative"):
        if drop:
            data.pop(drop, None)
            missing.append(f"{labels.get(drop, drop)}（提取结果不合数据格式，已略去）")
        try:
            return Evaluation.model_validate(data)
        except ValidationError:
            continue
    unit = data.get("unit", {})
    return Evaluation.model_validate(
        {
            "framework": data.get("framework", "mof-2020"),
            "unit": {
                "name": unit.get("name") or PLACEHOLDER_NAME,
                "year": unit.get("year") or date.today().year,
            },
        }
    )


def _header(extracted: Extracted) -> str:
    shown = "".join(ch if ch.isprintable() else " " for ch in extracted.source)
    lines = [
        f"由 `jixiao extract` 从报告 {shown} 提取（尽力而为：请逐项与原报告核对）。",
        f"评价框架 {extracted.framework} 是按一级指标名称和分值推断的；金额单位统一为万元。",
    ]
    if extracted.missing:
        lines.append("未能提取（请手工补充）：")
        lines.extend(f"  - {m}" for m in extracted.missing)
    return "".join(f"# {line}\n" for line in lines) + "\n"


def extract_yaml(report_path: str | Path, framework: str | None = None) -> tuple[str, list[str]]:
    """YAML text (loadable by ``load_yaml_evaluation``) and the list of what could not be recovered."""
    from jixiao.report.yaml_out import dump_evaluation

    extracted = extract_evaluation(report_path, framework)
    return _header(extracted) + dump_evaluation(extracted.evaluation), extracted.missing
