"""Composing the report: outline, figures from Scored, money reconciliation, numbering and number formats."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.author.load import load_evaluation
from jixiao.model.evaluation import Evaluation
from jixiao.model.frameworks import Section, load_framework
from jixiao.model.scoring import Scored, score
from jixiao.report.compose import compose, money_view
from jixiao.report.content import Paragraph, ReportDoc, SectionContent, TableContent
from jixiao.report.numbers import cn_numeral, fmt_rate, fmt_score, heading_number, sum_amounts

ROOT = Path(__file__).resolve().parents[2]
SEED_EXAMPLE = ROOT / "examples" / "yanfeng-media-2024.yaml"


def seed_scored() -> Scored:
    """The seed report's figures as claimed (examples/), scored without the rule checks."""
    loaded = load_evaluation(SEED_EXAMPLE)
    assert loaded.evaluation is not None, [f.render() for f in loaded.findings]
    return score(loaded.evaluation, load_framework(loaded.evaluation.framework))


def clean_evaluation() -> Evaluation:
    """A fictional archive whose money adds up exactly; figures are ours."""
    return Evaluation.model_validate(
        {
            "unit": {
                "name": "示例县档案馆",
                "year": 2023,
                "functions": ["收集、保管本县档案。", "提供档案查阅利用服务。"],
                "internal_bodies": ["办公室", "业务股"],
                "budget_units": ["示例县档案馆本级"],
                "staff_quota": 12,
                "staff_actual": 11,
            },
            "budget": {
                "total": {"initial": "300.5", "annual": "420.75", "executed": "401.20"},
                "by_source": {
                    "一般公共预算": {"initial": "280.5", "annual": "390.75", "executed": "372.20"},
                    "政府性基金": {"initial": "20", "annual": "30", "executed": "29"},
                },
                "basic": {"initial": "200.5", "annual": "210.25", "executed": "208.00"},
                "personnel": {"initial": "150", "annual": "158.25", "executed": "157.30"},
                "public": {"initial": "50.5", "annual": "52", "executed": "50.70"},
                "project": {"initial": "100", "annual": "210.5", "executed": "193.2"},
                "projects": [
                    {"name": "档案数字化", "initial": "60", "annual": "150.5", "executed": "140.2"},
                    {"name": "库房改造", "initial": "40", "annual": "60", "executed": "53"},
                ],
                "execution_note": "库房改造尾款次年支付。",
            },
            "goals": {"expected": "完成馆藏档案数字化二期。", "achieved": "完成数字化九成。"},
            "indicators": [
                {
                    "name": "产出指标",
                    "weight": "50",
                    "groups": [
                        {
                            "name": "数量指标",
                            "indicators": [
                                {"name": "数字化页数", "weight": "20", "nature": "≥", "target": "120",
                                 "unit": "万页", "actual": "108", "deviation_reason": "扫描设备故障停工两周。",
                                 "improvement": "签订设备维保合同。"},
                                {"name": "接收进馆档案", "weight": "15", "nature": "≥", "target": "3000",
                                 "unit": "卷", "actual": "3200", "evidence": "全年接收3200卷。"},
                            ],
                        },
                        {
                            "name": "时效指标",
                            "indicators": [
                                {"name": "查档办结时长", "weight": "15", "nature": "≤", "target": "3",
                                 "unit": "天", "actual": "4", "deviation_reason": "查档高峰期人手不足。"},
                            ],
                        },
                    ],
                },
                {
                    "name": "效益指标",
                    "weight": "30",
                    "groups": [
                        {
                            "name": "社会效益指标",
                            "indicators": [
                                {"name": "档案利用效果", "weight": "20", "nature": "定性", "target_text": "明显",
                                 "actual_text": "较明显", "tier": "部分达成", "score": "15.5",
                                 "deviation_reason": "线上查档尚未开通。"},
                                {"name": "在职人员控制", "weight": "10", "nature": "≤", "target": "100",
                                 "unit": "%", "measure": "在职人员控制率"},
                            ],
                        }
                    ],
                },
                {
                    "name": "满意度指标",
                    "weight": "10",
                    "groups": [
                        {
                            "name": "服务对象满意度指标",
                            "indicators": [
                                {"name": "查档群众满意度", "weight": "10", "nature": "≥", "target": "95",
                                 "unit": "%", "actual": "96.5"},
                            ],
                        }
                    ],
                },
            ],
            "basic_data": [
                {"name": "公务接待费", "category": "三公经费", "previous": "1.2", "budget": "1.5", "final": "0.98"},
                {"name": "办公费", "category": "公用经费", "previous": "8", "budget": "9", "final": "8.6"},
            ],
            "narrative": {
                "overview": "全年围绕档案数字化开展工作。",
                "problems": "数字化进度偏慢。",
                "measures": "一是加强设备维护。\n二是优化查档流程。",
            },
        }
    )  # fmt: skip


def clean_scored() -> Scored:
    return score(clean_evaluation(), load_framework("mof-2020"))


def all_text(doc: ReportDoc) -> list[str]:
    out = [doc.title, *(p.text for p in doc.preamble)]

    def walk(sec: SectionContent) -> None:
        out.append(sec.title)
        out.extend(i.text for i in sec.items if isinstance(i, Paragraph))
        for c in sec.children:
            walk(c)

    for s in doc.sections:
        walk(s)
    return out


def section(doc: ReportDoc, key: str) -> SectionContent:
    return next(s for s in doc.sections if s.key == key)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (105, "一百零五"), (110, "一百一十")],
)
def test_cn_numeral(n: int, text: str) -> None:
    assert cn_numeral(n) == text


def test_heading_numbers() -> None:
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3．", "（3）"]


def test_score_and_rate_formats() -> None:
    assert fmt_score(Decimal("10.00")) == "10"
    assert fmt_score(Decimal("9.50")) == "9.5"
    assert fmt_score(Decimal("100")) == "100"
    assert fmt_score(Decimal("8.125")) == "8.13"  # half up, 2 decimals at most
    assert fmt_rate(Decimal("34.205")) == "34.21"
    assert fmt_rate(Decimal("99.9949")) == "99.99"
    assert fmt_rate(Decimal("100")) == "100.00"


@given(
    st.lists(
        st.integers(0, 2).flatmap(
            lambda places: st.decimals(
                min_value=0, max_value=Decimal("99999"), places=places, allow_nan=False
            )
        ),
        min_size=1,
        max_size=6,
    )
)
def test_sum_keeps_max_decimals(parts: list[Decimal]) -> None:
    total = sum_amounts(parts)
    assert total == sum(parts)
    assert -total.as_tuple().exponent == max(-p.as_tuple().exponent for p in parts)  # type: ignore[operator]


# --------------------------------------------------------------------------- outline and figures


def test_outline_follows_framework_and_empty_sources_say_so() -> None:
    doc = compose(seed_scored())
    keys = [s.key for s in doc.sections]
    outline = [s.key for s in load_framework("mof-2020").outline]
    assert keys == [k for k in outline if k in keys]
    # Required sections are all there; optional ones without content are left out.
    assert {"basic", "general_budget", "fund_budget", "capital_budget", "performance", "problems"} <= set(
        keys
    )
    assert "social_budget" not in keys and "other" not in keys
    assert section(doc, "fund_budget").items == [Paragraph("本年度无政府性基金预算支出。")]
    assert section(doc, "capital_budget").items == [Paragraph("本年度无国有资本经营预算支出。")]
    assert section(doc, "results_use").items[0].text == "本年度无需要报告的自评结果应用和公开情况。"  # type: ignore[union-attr]


def test_custom_outline_unknown_key_says_nothing_to_report() -> None:
    s = seed_scored()
    outline = [
        Section(key="problems", title="问题", match=["问题"]),
        Section(key="lessons", title="经验做法", match=["经验"]),
    ]
    fw = replace(s.framework, outline=outline)
    doc = compose(score(s.evaluation, fw))
    assert [x.title for x in doc.sections] == ["问题", "经验做法"]
    assert doc.sections[0].items[0].text == s.evaluation.narrative.problems  # type: ignore[union-attr]
    assert doc.sections[1].items == [Paragraph("无。")]


def test_basic_section_lists_functions_and_staff() -> None:
    doc = compose(clean_scored())
    basic = section(doc, "basic")
    functions = [i.text for i in basic.children[0].items]  # type: ignore[union-attr]
    assert functions == ["1．收集、保管本县档案。", "2．提供档案查阅利用服务。"]
    staff = basic.children[2].items[0].text  # type: ignore[union-attr]
    assert "编制数12人" in staff and "实有人数11人" in staff
    assert "在职人员控制率91.67%" in staff  # 11 / 12


def test_shares_and_rates_are_computed() -> None:
    text = "\n".join(all_text(compose(clean_scored())))
    # 157.30 / 208.00 = 75.625 → 75.63 (half up); 50.70 / 208.00 = 24.375 → 24.38
    assert "人员经费157.30万元，占基本支出的75.63%" in text
    assert "日常公用经费50.70万元，占基本支出的24.38%" in text
    # 401.20 / 420.75 = 95.3535… → 95.35
    assert "预算执行率95.35%" in text
    # A source with money gets its sentence; 29 / 30 = 96.666… → 96.67.
    assert "2023年度政府性基金预算年初预算20万元，全年预算30万元，全年执行29万元，执行率96.67%。" in text
    assert "执行偏差说明：库房改造尾款次年支付。" in text


def test_performance_lines_follow_scores() -> None:
    s = clean_scored()
    doc = compose(s)
    perf = section(doc, "performance")
    titles = [c.title for c in perf.children]
    assert (
        titles[0]
        == f"预算执行率（分值10分，得{fmt_score(s.execution_score)}分，扣{fmt_score(10 - s.execution_score)}分）"
    )
    for group, title in zip(s.level1, titles[1:], strict=True):
        assert title.startswith(
            f"{group.name}（分值{fmt_score(group.weight)}分，得{fmt_score(group.score)}分"
        )
        assert ("扣" in title) == (group.score < group.weight)
    out = perf.children[1].items
    first = out[0].text  # type: ignore[union-attr]
    # 108 / 120 × 20 = 18
    assert first == "1．数字化页数，年度指标值：≥120万页，实际完成值：108万页，分值20分，得分18分，扣2分。"
    assert out[1].text == "偏差原因：扫描设备故障停工两周。"  # type: ignore[union-attr]
    assert out[2].text == "改进措施：签订设备维保合同。"  # type: ignore[union-attr]
    measured = next(i for i in s.indicators if i.indicator.name == "在职人员控制")
    assert measured.actual is not None
    assert f"实际完成值：{fmt_rate(measured.actual)}%" in "\n".join(all_text(doc))


def test_total_and_grade_come_from_scored() -> None:
    s = clean_scored()
    text = "\n".join(all_text(compose(s)))
    assert f"自评得分{fmt_score(s.total)}分，等级为“{s.grade}”" in text
    expected = s.execution_score + sum((g.score for g in s.level1), Decimal(0))
    assert s.total == expected


def test_nothing_to_report_sentences() -> None:
    ev = clean_evaluation().model_copy(
        update={"narrative": clean_evaluation().narrative.model_copy(update={"problems": ""})}
    )
    doc = compose(score(ev, load_framework("mof-2020")))
    assert section(doc, "problems").items == [Paragraph("本年度无需要报告的问题。")]


def test_section_without_money() -> None:
    ev = clean_evaluation()
    budget = ev.budget.model_copy(update={"by_source": {}})
    doc = compose(score(ev.model_copy(update={"budget": budget}), load_framework("mof-2020")))
    assert section(doc, "fund_budget").items == [Paragraph("本年度无政府性基金预算支出。")]


# --------------------------------------------------------------------------- money reconciliation


def test_consistent_totals_printed_as_typed() -> None:
    view = money_view(clean_evaluation())
    assert all(not row.replaced for row in view.rows.values())
    assert view.rows["total"].executed == Decimal("401.20")


def test_seed_rounding_kept_and_real_difference_replaced() -> None:
    s = seed_scored()
    view = money_view(s.evaluation)
    # 95.47 + 183.64 = 279.11 against a typed 279.12: within rounding, the typed figure stays.
    assert view.rows["basic"].executed == Decimal("279.12")
    # 111.01 + 280.35 = 391.36 against a typed 391.39: outside rounding, the sum is printed.
    assert view.rows["total"].initial == Decimal("391.36")
    assert view.rows["total"].replaced == ("initial",)
    doc = compose(s)
    assert "填报数391.39" in doc.annexes[0].note


def test_score_rates_the_reconciled_total() -> None:
    """A typed total that disagrees with its parts is replaced before rating, so `jixiao score` and the
    report show the same execution rate (the typed figure is reported by B102)."""
    ev = clean_evaluation()
    wrong = ev.budget.model_copy(
        update={"total": ev.budget.total.model_copy(update={"executed": Decimal("420.75")})}
    )
    s = score(ev.model_copy(update={"budget": wrong}), load_framework("mof-2020"))
    assert s.money is not None
    assert s.money.rows["total"].executed == Decimal("401.20")  # 208.00 + 193.2
    assert s.money.rows["total"].replaced == ("executed",)
    assert s.execution_rate == Decimal("401.20") * 100 / Decimal("420.75")
    clean = clean_scored()
    assert clean.money is not None and clean.money.rows["total"].replaced == ()
    typed = clean_evaluation().budget.total
    assert typed.executed is not None and typed.annual is not None
    assert clean.execution_rate == typed.executed * 100 / typed.annual


@given(
    parts=st.lists(
        st.decimals(min_value=0, max_value=Decimal(9999), places=2, allow_nan=False), min_size=2, max_size=2
    ),
    delta=st.decimals(min_value=Decimal("-50"), max_value=Decimal("50"), places=2, allow_nan=False),
)
def test_total_replaced_iff_outside_rounding(parts: list[Decimal], delta: Decimal) -> None:
    personnel, public = parts
    typed = personnel + public + delta
    ev = clean_evaluation()
    budget = ev.budget.model_copy(
        update={
            "basic": ev.budget.basic.model_copy(update={"executed": typed}),  # type: ignore[union-attr]
            "personnel": ev.budget.personnel.model_copy(update={"executed": personnel}),  # type: ignore[union-attr]
            "public": ev.budget.public.model_copy(update={"executed": public}),  # type: ignore[union-attr]
        }
    )
    row = money_view(ev.model_copy(update={"budget": budget})).rows["basic"]
    # Two parts with 2 decimals: the sum's interval is ±0.01, the typed figure's ±0.005.
    within = abs(delta) <= Decimal("0.015")
    assert row.executed == (typed if within else personnel + public)
    assert ("executed" in row.replaced) == (not within)


def test_annex_table_shape() -> None:
    doc = compose(clean_scored())
    table = doc.annexes[0]
    assert isinstance(table, TableContent)
    # Every row covers exactly `columns` positions once spans are counted.
    covered: dict[int, int] = {}
    for r, row in enumerate(table.rows):
        for cell in row:
            for dr in range(cell.rowspan):
                covered[r + dr] = covered.get(r + dr, 0) + cell.colspan
    assert set(covered.values()) == {table.columns}
    assert len(doc.annexes) == 2 and "基础数据表" in doc.annexes[1].title
