"""Figures get a role from their clause before a relation (review/claims/roles.py and the 其中 reading of
claims/prose.py): changes, amounts paid out, other years, nameless totals and flattened rows are never
summed; an error is kept for a total named as one with a closed list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.findings import Severity
from jixiao.review.claims.collect import extract_claims
from jixiao.review.claims.model import SumClaim
from jixiao.review.claims.roles import entity_of, is_change, is_flow, year_of
from jixiao.review.pipeline import review_document
from jixiao.review.read import document_from_text


def sums(text: str) -> list[SumClaim]:
    document = document_from_text(text, path="t.txt")
    return [c for c in extract_claims(document, []) if isinstance(c, SumClaim) and c.how.startswith("其中")]


def b152(text: str) -> list[tuple[str, str]]:
    report = review_document(document_from_text(text, path="t.txt"))
    return [(f.severity.value, f.values["stated"]) for f in report.findings if f.code == "B152"]


def test_role_words() -> None:
    assert is_change("比上年增加") and is_change("同比") and is_change("年内调减")
    assert not is_change("调整后预算") and not is_change("年初预算")
    assert is_flow("目前已拨付") and is_flow("实际使用") and is_flow("年末结余")
    assert not is_flow("项目管理费")
    assert year_of("2022年收到资金") == "2022" and year_of("年底") == ""
    assert entity_of("青阳县实际支出") == "青阳县" and entity_of("基础养老金") == ""


@pytest.mark.parametrize(
    "text",
    [
        # the second figure after 其中 is an amount disbursed, not a part
        "下达乡镇道路维修资金86.40万元，其中设计费2.10万元，截至年底已拨付80.00万元。",
        # the total is a change against last year, not a level
        "本年收入比上年增加45.60万元，其中财政拨款30.00万元，其他收入20.00万元。",
        # parts that are reductions
        "全年安排资金12.00万元，其中调减公用经费3.00万元，追加专项资金11.00万元。",
        # a nested list under the parts
        "项目预算合计300.00万元，其中：一是道路工程200.00万元，二是桥梁工程120.00万元。",
        # cells of a flattened table row
        "年度资金总额：52.00万元 52.00万元 50.00万元 其中：财政拨款 52.00万元 52.00万元",
        # a total with no name (a page break cut the number in two)
        "3、5万元，其中人员经费40.10万元，公用经费18.20万元。",
        # one part is unreadable on the page
        "下达资金合计9.00万元，其中：造林补助 点击查看>> 万元，抚育补助6.00万元，管护补助4.00万元。",
    ],
)
def test_no_sum_where_the_roles_do_not_agree(text: str) -> None:
    assert sums(text) == []
    assert b152(text) == []


def test_a_missing_stop_before_a_year_ends_the_list() -> None:
    text = "2023年到位资金共150.0万元，其中中央资金90.0万元，省级资金60.0万元2024年支出148.0万元，其中中央资金90.0万元"
    assert [[p.value for p in c.parts] for c in sums(text)] == [[Decimal("90.0"), Decimal("60.0")]]
    assert b152(text) == []


def test_parts_inside_brackets_belong_to_the_amount_before_them() -> None:
    text = "年度总支出为600.00万元，一般公共预算支出为165.16万元（其中社保支出156.88万元，卫生支出8.28万元），完成率100%。"
    found = sums(text)
    assert [(c.total.value, [p.value for p in c.parts]) for c in found] == [
        (Decimal("165.16"), [Decimal("156.88"), Decimal("8.28")])
    ]
    assert b152(text) == []


def test_an_explicit_total_over_its_parts_is_an_error() -> None:
    text = "本年项目资金总额为120.00万元，其中：设备购置80.00万元，人员培训45.00万元。"
    assert b152(text) == [("error", "120.00")]


def test_a_plain_amount_over_its_parts_is_a_warning_at_most() -> None:
    text = "乡村道路项目安排资金120.00万元，其中设备购置80.00万元，人员培训45.00万元。"
    assert b152(text) == [("warning", "120.00")]


def test_a_shortfall_is_reported_for_a_named_total_or_a_slip() -> None:
    named = "本年项目资金共计200.00万元，其中设备购置80.00万元，人员培训45.00万元。"
    assert b152(named) == [("warning", "200.00")]
    slip = "乡村道路项目安排资金200.00万元，其中设备购置120.00万元，人员培训79.50万元。"
    assert b152(slip) == [("warning", "200.00")]
    partial = "乡村道路项目安排资金200.00万元，其中设备购置80.00万元，人员培训45.00万元。"
    assert b152(partial) == []  # a 其中 list may name only some parts


def test_a_semicolon_list_after_a_colon_is_one_list() -> None:
    text = "部门全年预算合计500.00万元，其中：基本支出320.00万元；项目支出200.00万元。"
    assert [len(c.parts) for c in sums(text)] == [2]
    assert b152(text) == [("error", "500.00")]


@given(
    st.integers(1, 99999).map(lambda n: Decimal(n) / 100),
    st.integers(1, 99999).map(lambda n: Decimal(n) / 100),
)
def test_parts_that_add_up_never_give_a_finding(a: Decimal, b: Decimal) -> None:
    text = f"本年项目资金总额为{a + b}万元，其中设备购置{a}万元，人员培训{b}万元。"
    assert b152(text) == []
    assert Severity.ERROR  # the enum is importable: the finding levels above are its values


def q401(*paragraphs: str) -> list[tuple[str, str]]:
    text = "\n\n".join(paragraphs) + "\n"
    report = review_document(document_from_text(text, path="t.txt"))
    return [(f.severity.value, f.values["stated"]) for f in report.findings if f.code == "Q401"]


def test_a_figure_restated_with_another_value_is_still_found() -> None:
    assert q401("本单位年初预算数为860.00万元。", "经核对，本单位年初预算数为806.00万元。") == [
        ("error", "806.00")
    ]


def test_an_increase_over_the_budget_is_not_the_budget() -> None:
    assert q401("本单位年初预算数为860.00万元。", "全年支出比年初预算增加75.30万元。") == []


def test_two_counties_in_their_own_paragraphs_are_not_one_figure() -> None:
    assert (
        q401(
            "甲县申请补助资金120.00万元；全年实际支出118.60万元，结余1.40万元。",
            "乙县申请补助资金80.00万元；全年实际支出79.20万元，结余0.80万元。",
        )
        == []
    )


def test_two_batches_are_not_one_count() -> None:
    assert (
        q401("第一批项目共修建道路16公里，惠及农户420户。", "第二批项目共修建道路9公里，惠及农户260户。")
        == []
    )


def test_members_of_one_list_are_not_one_figure() -> None:
    text = "基本支出合计520.00万元，其中：工资福利支出410.00万元，商品和服务支出110.00万元。"
    assert q401(text, "基本支出中商品和服务支出96.00万元用于日常运转。") == []


def test_counts_of_different_things_are_not_one_count() -> None:
    assert q401("全年完成村级站点建设48个。", "全年完成乡镇站点建设12个。") == []


def test_a_rate_after_a_bracketed_list_is_of_the_amount_before_the_list() -> None:
    # 16.00 (the last amount before the rate) is a member of the bracketed list: 216.00 ÷ 240.00 = 90%.
    text = "项目支出全年预算240.00万元，实际支出216.00万元（其中设备购置支出200.00万元，培训支出16.00万元），执行率{}%。\n"
    right = review_document(document_from_text(text.format("90"), path="t.txt")).findings
    assert [f for f in right if f.code == "B155"] == []
    wrong = review_document(document_from_text(text.format("80"), path="t.txt")).findings
    assert [(f.code, f.values.get("stated")) for f in wrong if f.code == "B155"] == [("B155", "80")]


def test_a_bare_verb_count_is_not_one_figure_across_categories() -> None:
    assert q401("本年事业编调出1名，调入2名。", "本年公务员调出4名，调入13名。") == []


def test_a_fund_level_is_no_place() -> None:
    # 市级 names where the money comes from, not whose count it is: the two paragraphs are one place.
    assert q401("全年享受市级补贴人数为1820人。", "经复核，全年享受市级补贴人数为1802人。") == [
        ("warning", "1802")
    ]


def test_counts_of_two_named_events_are_not_one_count() -> None:
    assert (
        q401("举办“乡村少儿合唱节”一场，服务人次3200人。", "举办“非遗剪纸作品展”一场，服务人次800人。") == []
    )
    assert q401("举办“乡村少儿合唱节”一场，服务人次3200人。", "“乡村少儿合唱节”服务人次2300人。") == [
        ("warning", "2300")
    ]
