"""Compose the report once (a ReportDoc) from a Scored evaluation; every writer only lays it out.

Where figures come from
-----------------------
Every total, rate, share, score and grade printed is computed here or in ``scoring.py``; nothing typed as
a total is trusted blindly. The money block is reconciled first (``money_view``):

* 基本支出 = 人员经费 + 日常公用经费, 项目支出 = Σ 项目明细, 年度资金总额 = 基本支出 + 项目支出,
  column by column (年初预算数, 全年预算数, 全年执行数), whenever every part of that column is given.
* A typed total that agrees with the sum of its parts *within rounding* (the interval rule of
  domain.md §8: the stated figure's interval overlaps the sum of the parts' intervals) is printed as
  typed: it is then the more precise figure and the one in the final accounts, and the parts carry the
  rounding. A typed total that does NOT agree, or is missing, is replaced by the computed sum; the
  difference itself is reported by the rules as a finding, and a note under the 自评表 names each
  replaced figure with the value that was typed.
* By-source rows (一般公共预算, 政府性基金…) are printed as typed and never used to replace the total:
  units often list only their main source (the seed lists 一般公共预算 alone).
* Scoring itself rates the reconciled 年度资金总额 (``jixiao.model.money``), so the printed execution rate,
  its score, the total score and the grade follow from the printed money, and `jixiao score` agrees.

Rates and shares print with 2 decimals (half up); scores with at most 2 (see ``numbers.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.core.decimals import ZERO
from jixiao.model.evaluation import Nature
from jixiao.model.frameworks import Section, load_framework
from jixiao.model.measures import staff_control
from jixiao.model.money import COLUMNS, MoneyRow, MoneyView, money_view, typed_row
from jixiao.model.scoring import IndicatorScore, Scored
from jixiao.report.content import (
    Item,
    Paragraph,
    ReportDoc,
    SectionContent,
    TableCell,
    TableContent,
)
from jixiao.report.numbers import fmt_amount, fmt_rate, fmt_score, heading_number
from jixiao.report.placeholders import (
    EMPTY_SECTIONS,
    EVIDENCE_LABEL,
    MISSING,
    MISSING_REASON,
    NOTHING,
    replaced_note,
    weight_mismatch_note,
)

__all__ = [
    "COLUMNS",
    "MoneyRow",
    "MoneyView",
    "compose",
    "money_view",
    "report_file_stem",
]

COLUMN_LABELS = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数"}

# outline key → by_source key, for the one-paragraph sections of the other budgets.
_SOURCE_SECTIONS = {
    "fund_budget": "政府性基金",
    "capital_budget": "国有资本经营",
    "social_budget": "社会保险基金",
}
_SOURCE_NAMES = {
    "政府性基金": "政府性基金预算",
    "国有资本经营": "国有资本经营预算",
    "社会保险基金": "社会保险基金预算",
}


# --------------------------------------------------------------------------- money


# --------------------------------------------------------------------------- helpers


def _sec(
    key: str, title: str, level: int, items: Sequence[Item] = (), children: Sequence[SectionContent] = ()
) -> SectionContent:
    return SectionContent(key, title, level, list(items), list(children))


def report_file_stem(scored: Scored) -> str:
    u = scored.evaluation.unit
    return f"{u.name}{u.year}年度部门整体支出绩效"


def _lines(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def _money_sentence(row: MoneyRow, unit: str, subject: str) -> str:
    """'<subject>年初预算X万元，全年预算Y万元，全年执行Z万元，执行率R%。' skipping absent figures."""
    parts = []
    for column, label in (("initial", "年初预算"), ("annual", "全年预算"), ("executed", "全年执行")):
        value = row.get(column)
        if value is None:
            continue
        text = f"{label}{fmt_amount(value)}{unit}"
        if column in row.replaced and row.typed is not None:
            # Both figures, as the 自评表 note: the sum of the parts is printed, the data's own figure named.
            text += (
                f"（按分项之和列示；填报数{fmt_amount(getattr(row.typed, column))}{unit}，与分项之和不符）"
            )
        parts.append(text)
    if row.rate is not None:
        parts.append(f"执行率{fmt_rate(row.rate)}%")
    if not parts:
        return f"{subject}未填写预算和执行数。"
    return subject + "，".join(parts) + "。"


def target_text(item: IndicatorScore, missing: str = MISSING) -> str:
    """年度指标值 as every output prints it (the docx/md/html text and the .xlsx 自评表)."""
    ind = item.indicator
    if ind.nature is Nature.QUALITATIVE or ind.target is None:
        return ind.target_text or missing
    # The sign is always written, "=" included: a reader (and the review path) needs the nature.
    return f"{ind.nature.value}{fmt_amount(ind.target)}{ind.unit}"


def actual_text(item: IndicatorScore, missing: str = MISSING) -> str:
    """实际完成值 as every output prints it; a value computed from a measure is printed like a rate."""
    ind = item.indicator
    if ind.nature is Nature.QUALITATIVE:
        return ind.actual_text or missing
    if item.actual is None:
        return ind.actual_text or missing
    # A value computed from a measure is a percentage with many digits: print it like a rate.
    value = fmt_rate(item.actual) if ind.measure and ind.actual != item.actual else fmt_amount(item.actual)
    return f"{value}{ind.unit}"


def _score_phrase(weight: Decimal, got: Decimal) -> str:
    """'分值X分，得Y分' plus '，扣Z分' when marks were lost."""
    text = f"分值{fmt_score(weight)}分，得{fmt_score(got)}分"
    if got < weight:
        text += f"，扣{fmt_score(weight - got)}分"
    return text


# --------------------------------------------------------------------------- sections


def _basic(scored: Scored, key: str, title: str) -> SectionContent:
    u = scored.evaluation.unit
    functions = [Paragraph(f"{heading_number(3, i)}{f}") for i, f in enumerate(u.functions, 1)]
    org: list[Paragraph] = []
    if u.internal_bodies:
        org.append(
            Paragraph(
                f"1．内设机构。{u.name}内设{'、'.join(u.internal_bodies)}，共{len(u.internal_bodies)}个。"
            )
        )
    if u.budget_units:
        n = len(org) + 1
        org.append(
            Paragraph(
                f"{n}．决算单位构成。纳入{u.year}年度部门决算编制范围的单位：{'、'.join(u.budget_units)}。"
            )
        )
    staff: list[str] = []
    if u.staff_quota is not None:
        staff.append(f"编制数{u.staff_quota}人")
    if u.staff_actual is not None:
        staff.append(f"截至{u.year}年12月31日实有人数{u.staff_actual}人")
    control = staff_control(scored.evaluation)  # None unless both figures are given
    if control is not None:
        staff.append(f"在职人员控制率{fmt_rate(control)}%")
    return _sec(
        key,
        title,
        1,
        children=[
            _sec("", "部门职能职责", 2, functions or [Paragraph(EMPTY_SECTIONS["functions"])]),
            _sec("", "机构设置及决算单位构成", 2, org or [Paragraph(EMPTY_SECTIONS["org"])]),
            _sec(
                "",
                "人员编制情况",
                2,
                [Paragraph("，".join(staff) + "。" if staff else EMPTY_SECTIONS["staff"])],
            ),
        ],
    )


def _general_budget(scored: Scored, view: MoneyView, key: str, title: str) -> SectionContent:
    ev = scored.evaluation
    unit, year = ev.amount_unit, ev.unit.year
    total = view.rows["total"]
    general = view.row("by_source.一般公共预算")
    items: list[Paragraph] = []
    if general is not None and general.has_money:
        items.append(Paragraph(_money_sentence(general, unit, f"{year}年度一般公共预算")))
    if total.has_money:
        items.append(Paragraph(_money_sentence(total, unit, "部门年度资金总额")))
    if not items:
        return _sec(key, title, 1, [Paragraph("本年度无一般公共预算支出。")])
    if ev.budget.adjustment_note.strip():
        items.append(Paragraph(f"年中预算调整情况：{ev.budget.adjustment_note.strip()}"))

    basic, personnel, public = view.rows["basic"], view.rows["personnel"], view.rows["public"]
    basic_items: list[Paragraph] = []
    if basic.empty and personnel.empty and public.empty:
        basic_items.append(Paragraph("本年度无基本支出。"))
    else:
        basic_items.append(Paragraph(_money_sentence(basic, unit, "基本支出")))
        shares = []
        for row, share_key in ((personnel, "personnel"), (public, "public")):
            if row.executed is None:
                continue
            text = f"{row.label}{fmt_amount(row.executed)}{unit}"
            share = view.shares.get(share_key)
            if share is not None:
                text += f"，占基本支出的{fmt_rate(share)}%"
            shares.append(text)
        if shares:
            basic_items.append(Paragraph("其中：" + "；".join(shares) + "。"))

    project = view.rows["project"]
    project_items: list[Paragraph] = []
    if project.empty and not ev.budget.projects:
        project_items.append(Paragraph("本年度无项目支出。"))
    else:
        project_items.append(Paragraph(_money_sentence(project, unit, "项目支出")))
        for i, p in enumerate(ev.budget.projects, 1):
            row = typed_row(f"projects.{i - 1}", p.name, p)
            project_items.append(Paragraph(_money_sentence(row, unit, f"{heading_number(3, i)}{p.name}：")))
    return _sec(
        key,
        title,
        1,
        items,
        [
            _sec("", "基本支出", 2, basic_items),
            _sec("", "项目支出", 2, project_items),
        ],
    )


def _source_budget(scored: Scored, view: MoneyView, key: str, title: str) -> SectionContent:
    ev = scored.evaluation
    source = _SOURCE_SECTIONS[key]
    name = _SOURCE_NAMES[source]
    row = view.row(f"by_source.{source}")
    if row is None or not row.has_money:
        return _sec(key, title, 1, [Paragraph(f"本年度无{name}支出。")])
    return _sec(key, title, 1, [Paragraph(_money_sentence(row, ev.amount_unit, f"{ev.unit.year}年度{name}"))])


def _indicator_paragraphs(n: int, item: IndicatorScore) -> list[Paragraph]:
    ind = item.indicator
    line = (
        f"{heading_number(3, n)}{ind.name}，年度指标值：{target_text(item)}，实际完成值：{actual_text(item)}，"
        f"分值{fmt_score(item.weight)}分，得分{fmt_score(item.score)}分"
    )
    if item.score < item.weight:
        line += f"，扣{fmt_score(item.weight - item.score)}分"
    out = [Paragraph(line + "。")]
    evidence = _lines(ind.evidence)
    if evidence:  # labelled, so it does not read as a stray sentence between two indicators
        out.append(Paragraph(f"{EVIDENCE_LABEL}{evidence[0].text}"))
        out.extend(evidence[1:])
    if not item.full:
        reason = ind.deviation_reason.strip() or f"{MISSING}。"
        out.append(Paragraph(f"偏差原因：{reason}"))
        if ind.improvement.strip():
            out.append(Paragraph(f"改进措施：{ind.improvement.strip()}"))
    return out


def _performance(scored: Scored, view: MoneyView, key: str, title: str) -> SectionContent:
    ev = scored.evaluation
    fw = scored.framework
    items = _lines(ev.narrative.overview)
    if ev.goals.expected.strip():
        items.append(Paragraph(f"年度总体目标：{ev.goals.expected.strip()}"))
    if ev.goals.achieved.strip():
        items.append(Paragraph(f"实际完成情况：{ev.goals.achieved.strip()}"))
    items.append(
        Paragraph(
            f"经自评，{ev.unit.name}{ev.unit.year}年度部门整体支出绩效自评得分{fmt_score(scored.total)}分，"
            f"等级为“{scored.grade}”。具体情况如下："
        )
    )
    children: list[SectionContent] = []
    if fw.execution is not None:
        total = view.rows["total"]
        lines = []
        if total.annual is not None and total.executed is not None:
            lines.append(
                Paragraph(
                    f"年度资金全年预算数{fmt_amount(total.annual)}{ev.amount_unit}，"
                    f"全年执行数{fmt_amount(total.executed)}{ev.amount_unit}，"
                    f"预算执行率{fmt_rate(scored.execution_rate)}%。"
                )
            )
        else:
            lines.append(Paragraph("未填写年度资金的全年预算数或全年执行数，无法计算预算执行率。"))
        if ev.budget.execution_note.strip():
            lines.append(Paragraph(f"执行偏差说明：{ev.budget.execution_note.strip()}"))
        children.append(
            _sec(
                "",
                f"{fw.execution.name}（{_score_phrase(scored.execution_weight, scored.execution_score)}）",
                2,
                lines,
            )
        )
    for i, group in enumerate(scored.level1):
        path = f"indicators.{i}."
        members = [s for s in scored.indicators if s.path.startswith(path)]
        paras: list[Paragraph] = []
        for n, item in enumerate(members, 1):
            paras.extend(_indicator_paragraphs(n, item))
        if not paras:
            paras.append(Paragraph(EMPTY_SECTIONS["level3"]))
        parts = sum((m.weight for m in members), ZERO)
        phrase = _score_phrase(group.weight, group.score)
        if members and parts != group.weight:
            # The data's own weight does not add up: no "扣X分" (50 − 44 would say 6 where the items lose 1),
            # and a note says what does not add up, in every format alike.
            phrase = f"分值{fmt_score(group.weight)}分，得{fmt_score(group.score)}分"
            paras.insert(0, Paragraph(weight_mismatch_note(group.name, group.weight, parts)))
        children.append(_sec("", f"{group.name}（{phrase}）", 2, paras))
    return _sec(key, title, 1, items, children)


def _narrative(scored: Scored, key: str, title: str) -> SectionContent:
    narrative = scored.evaluation.narrative
    text = getattr(narrative, key, "") if key in type(narrative).model_fields else ""
    paras = _lines(text)
    return _sec(key, title, 1, paras or [Paragraph(NOTHING.get(key, EMPTY_SECTIONS[""]))])


def _section(scored: Scored, view: MoneyView, sec: Section) -> SectionContent | None:
    """One outline section; None for an optional section with nothing to say."""
    key, title = sec.key, sec.title
    if key == "basic":
        return _basic(scored, key, title)
    if key == "general_budget":
        return _general_budget(scored, view, key, title)
    if key in _SOURCE_SECTIONS:
        row = view.row(f"by_source.{_SOURCE_SECTIONS[key]}")
        if not sec.required and (row is None or not row.has_money):
            return None
        return _source_budget(scored, view, key, title)
    if key == "performance":
        return _performance(scored, view, key, title)
    narrative = scored.evaluation.narrative
    has_text = key in type(narrative).model_fields and bool(str(getattr(narrative, key)).strip())
    if not sec.required and not has_text:
        return None
    return _narrative(scored, key, title)


# --------------------------------------------------------------------------- annexes


def _c(text: str, colspan: int = 1, rowspan: int = 1) -> TableCell:
    return TableCell(text, colspan=colspan, rowspan=rowspan)


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> TableCell:
    return TableCell(text, colspan=colspan, rowspan=rowspan, header=True, align="center")


def _num(text: str) -> TableCell:
    return TableCell(text or "—", align="right" if text else "center")


def self_evaluation_table(scored: Scored, view: MoneyView) -> TableContent:
    """自评表 (domain.md §5): money block, 年度总体目标, indicator rows, 总分. 8 columns."""
    ev = scored.evaluation
    fw = scored.framework
    rows: list[list[TableCell]] = [[_h("单位名称"), _c(ev.unit.name, colspan=7)]]

    money = [view.rows["total"]]
    money += [r for k, r in view.rows.items() if k.startswith("by_source.")]
    money += [view.rows[k] for k in ("basic", "project") if not view.rows[k].empty]
    rows.append(
        [_h(f"年度资金情况（{ev.amount_unit}）", rowspan=len(money) + 1), _h("项目")]
        + [_h(COLUMN_LABELS[c]) for c in COLUMNS]
        + [_h("分值"), _h("执行率"), _h("得分")]
    )
    for row in money:
        is_total = row.key == "total"
        rate = scored.execution_rate if is_total else row.rate
        cells = [_c(row.label)] + [_num(fmt_amount(row.get(c))) for c in COLUMNS]
        if is_total and fw.execution is not None:
            cells += [
                _num(fmt_score(scored.execution_weight)),
                _num(f"{fmt_rate(rate)}%" if rate is not None else ""),
            ]
            cells.append(_num(fmt_score(scored.execution_score)))
        else:
            cells += [_num(""), _num(f"{fmt_rate(rate)}%" if rate is not None else ""), _num("")]
        rows.append(cells)

    rows.append([_h("年度总体目标", rowspan=2), _h("预期目标", colspan=3), _h("实际完成情况", colspan=4)])
    rows.append([_c(ev.goals.expected or "—", colspan=3), _c(ev.goals.achieved or "—", colspan=4)])

    rows.append(
        [_h(t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")]
        + [_h("偏差原因分析及改进措施")]
    )
    for i, l1 in enumerate(scored.level1):
        members = [s for s in scored.indicators if s.path.startswith(f"indicators.{i}.")]
        if not members:
            rows.append(
                [
                    _c(l1.name),
                    _c("—", colspan=4),
                    _num(fmt_score(l1.weight)),
                    _num(fmt_score(l1.score)),
                    _c("—"),
                ]
            )
            continue
        for n, item in enumerate(members):
            line: list[TableCell] = []
            if n == 0:
                line.append(_c(l1.name, rowspan=len(members)))
            group_prefix = item.path.rsplit(".indicators.", 1)[0]
            siblings = [s for s in members if s.path.startswith(group_prefix + ".indicators.")]
            if siblings[0] is item:
                line.append(_c(item.level2, rowspan=len(siblings)))
            ind = item.indicator
            note = "—"
            if not item.full:
                note = "；".join(
                    t
                    for t in (
                        (ind.deviation_reason.strip() or MISSING_REASON).rstrip("。；;"),
                        ind.improvement.strip(),
                    )
                    if t
                )
            line += [
                _c(ind.name),
                _c(target_text(item)),
                _c(actual_text(item)),
                _num(fmt_score(item.weight)),
                _num(fmt_score(item.score)),
                _c(note),
            ]
            rows.append(line)
    total_weight = scored.execution_weight + sum((g.weight for g in scored.level1), ZERO)
    rows.append(
        [
            _h("总分", colspan=5),
            _num(fmt_score(total_weight)),
            _num(fmt_score(scored.total)),
            _c(f"等级：{scored.grade}"),
        ]
    )
    notes = [f"金额单位：{ev.amount_unit}"]
    for row in view.rows.values():
        for column in row.replaced:
            typed = getattr(row.typed, column) if row.typed is not None else None
            notes.append(replaced_note(row.label, COLUMN_LABELS[column], row.get(column), typed))
    return TableContent(
        title=f"{ev.unit.name}{ev.unit.year}年度部门整体支出绩效自评表",
        rows=rows,
        columns=8,
        widths=[1.2, 1.4, 2.0, 1.4, 1.4, 0.8, 0.9, 2.4],
        note="；".join(notes) + "。",
    )


def basic_data_table(scored: Scored) -> TableContent | None:
    """基础数据表: staff figures and the 基础数据 lines (上年决算 | 本年预算 | 本年决算). 5 columns."""
    ev = scored.evaluation
    u = ev.unit
    if not ev.basic_data and u.staff_quota is None and u.staff_actual is None:
        return None
    rows: list[list[TableCell]] = [
        [_h("类别"), _h("项目"), _h("上年决算数"), _h("本年预算数"), _h("本年决算数")]
    ]
    staff: list[tuple[str, str]] = []
    if u.staff_quota is not None:
        staff.append(("编制数（人）", str(u.staff_quota)))
    if u.staff_actual is not None:
        staff.append(("实际在职人数（人）", str(u.staff_actual)))
    if u.staff_quota is not None and u.staff_actual is not None:
        control = staff_control(ev)
        staff.append(("在职人员控制率", f"{fmt_rate(control)}%" if control is not None else ""))
    for n, (label, value) in enumerate(staff):
        cells = [_c("人员情况", rowspan=len(staff))] if n == 0 else []
        # This year's figures: under 本年决算数 in every format (a span over the three columns read as
        # 上年决算数 in Markdown, which has no spans).
        rows.append([*cells, _c(label), _num(""), _num(""), _num(value)])
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(ev.basic_data):
        groups.setdefault(line.category or "其他", []).append(i)
    for category, indexes in groups.items():
        for n, i in enumerate(indexes):
            line = ev.basic_data[i]
            cells = [_c(category, rowspan=len(indexes))] if n == 0 else []
            rows.append(
                [
                    *cells,
                    _c(line.name),
                    _num(fmt_amount(line.previous)),
                    _num(fmt_amount(line.budget)),
                    _num(fmt_amount(line.final)),
                ]
            )
    return TableContent(
        title=f"{u.name}{u.year}年度部门整体支出绩效基础数据表",
        rows=rows,
        columns=5,
        widths=[1.2, 2.4, 1.2, 1.2, 1.2],
        note=f"金额单位：{ev.amount_unit}。",
    )


# --------------------------------------------------------------------------- compose


def compose(scored: Scored) -> ReportDoc:
    """The whole report, from the scored evaluation and its reconciled money block (see module doc)."""
    view = scored.money or money_view(scored.evaluation)
    ev = scored.evaluation
    u = ev.unit
    preamble = [
        Paragraph(
            f"按照预算绩效管理的有关规定，{u.name}对本单位{u.year}年度部门整体支出绩效情况开展了自评，"
            "现将有关情况报告如下。"
        )
    ]
    # A custom framework without an outline still gets the standard one (domain.md §5).
    outline = scored.framework.outline or load_framework("mof-2020").outline
    sections = [s for sec in outline if (s := _section(scored, view, sec)) is not None]
    annexes = [self_evaluation_table(scored, view)]
    basic = basic_data_table(scored)
    if basic is not None:
        annexes.append(basic)
    return ReportDoc(
        title=f"{u.name}{u.year}年度部门整体支出绩效自评报告",
        preamble=preamble,
        sections=sections,
        annexes=annexes,
        unit_name=u.name,
        year=u.year,
    )
