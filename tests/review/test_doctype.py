"""What a document is (review/doctype.py): the kind of report, whether the text looks cut, and how the
outline checks (T304/T305/T306) and T308 follow from that."""

from __future__ import annotations

import pytest

import jixiao.review.checks  # noqa: F401  (registers the checks)
from jixiao.core.findings import Finding
from jixiao.core.rules.registry import run_checks
from jixiao.model.frameworks import load_framework
from jixiao.review.context import ReviewContext
from jixiao.review.doctype import detect, document_type, outline_applies
from jixiao.review.pipeline import review_document
from jixiao.review.read import document_from_text
from jixiao.review.structure import parse_sections

OUTLINE = ["T301", "T302", "T303", "T304", "T305", "T306", "T307", "T308"]

COMPLETE = (
    "某县林业站2024年度部门整体支出绩效自评报告\n\n"
    "一、基本情况\n\n本站负责全县林业技术推广。\n\n"
    "二、一般公共预算支出情况\n\n全年支出85.20万元。\n\n"
    "三、政府性基金预算支出情况：无\n\n"
    "四、国有资本经营预算支出情况：无\n\n"
    "五、部门整体支出绩效情况\n\n各项指标均已完成。\n\n"
    "六、存在的问题及原因分析\n\n预算编制不够细。\n\n"
    "七、下一步改进措施\n\n细化预算编制。\n\n"
    "八、部门整体支出绩效自评结果拟应用和公开情况\n\n自评结果在县政府网站公开。\n"
)


def paragraphs(*lines: str) -> str:
    """Plain text with a blank line between paragraphs (the reader joins lines that follow each other)."""
    return "\n\n".join(lines) + "\n"


def context(text: str) -> ReviewContext:
    document = document_from_text(text, path="t.txt")
    ctx = ReviewContext(document=document, framework=load_framework("mof-2020"))
    ctx.sections = parse_sections(document)
    return ctx


def outline_findings(text: str) -> list[Finding]:
    return run_checks("document", context(text), enabled=OUTLINE)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("某县林业站2024年度部门整体支出绩效自评报告", "部门整体"),
        ("某市档案馆2023年整体支出绩效评价报告", "部门整体"),
        ("某镇2023年度部门整体和项目支出绩效自评报告", "部门整体"),
        ("某县2023年度农村公路养护项目支出绩效自评报告", "项目"),
        ("某区2022年度城乡居民医疗救助补助资金绩效自评报告", "项目"),
        ("某县残联中央转移支付2023年度绩效自评报告", "转移支付"),
        ("某区2023年度市级项目绩效自评结果汇总", "汇总通知"),
    ],
)
def test_kind_from_the_title(title: str, kind: str) -> None:
    document = document_from_text(paragraphs(title, "一、基本情况", "全年完成了各项工作。"), path="t.txt")
    assert detect(document, parse_sections(document)).kind == kind


def test_a_title_split_over_two_lines_and_web_chrome_before_it() -> None:
    text = paragraphs(
        "首页 > 信息公开 > 财政资金",
        "发布时间：2024-03-01",
        "某县水利局2023年度部门",
        "整体支出绩效自评报告",
        "一、基本情况",
        "正文。",
    )
    document = document_from_text(text, path="t.txt")
    found = detect(document, parse_sections(document))
    assert found.kind == "部门整体" and found.title.endswith("整体支出绩效自评报告")


def test_a_sentence_saying_report_is_no_title_and_no_title_means_unknown() -> None:
    text = paragraphs(
        "为加强资金管理，本局开展了自评工作，现将绩效评价情况报告如下：", "一、基本情况", "正文。"
    )
    document = document_from_text(text, path="t.txt")
    assert detect(document, parse_sections(document)).kind == "未知"


def test_a_table_alone_is_a_selfeval_table() -> None:
    text = "项目支出绩效自评表\n\n项目名称\t道路养护\n年度资金总额\t120\t120\t118\t10\t98.33%\t9.8\n"
    document = document_from_text(text, path="t.txt")
    assert detect(document, parse_sections(document)).kind == "自评表"


def test_an_attachment_list_names_reports_but_is_a_notice() -> None:
    text = paragraphs(
        "根据有关要求，我厅开展了自评工作，结果如下。",
        "附件：1.某厅2023年度部门整体支出绩效自评报告",
        "2.某专项资金2023年度绩效自评报告",
    )
    document = document_from_text(text, path="t.txt")
    assert detect(document, parse_sections(document)).kind == "汇总通知"


@pytest.mark.parametrize(
    "sentence",
    [
        "项目建立了定期通报和监督检查制度，自评得3分。",
        "定量指标完成数汇总原则：绝对值直接累加，相对值按资金额度加权平均。",
        "评价组在单位自评的基础上，对项目现场进行了抽查。",
    ],
)
def test_notice_words_in_a_report_body_do_not_make_it_a_notice(sentence: str) -> None:
    text = paragraphs(
        "为加强资金管理，本局开展了自评工作。",
        "一、项目基本情况",
        "本项目资金120万元，用于村道养护。",
        "（一）项目概况",
        "养护里程35公里。",
        "二、绩效目标完成情况",
        sentence,
    )
    document = document_from_text(text, path="t.txt")
    assert detect(document, parse_sections(document)).kind != "汇总通知"


def test_notice_words_at_the_head_make_a_notice() -> None:
    text = paragraphs("关于2024年度项目支出绩效自评抽查情况的说明", "现将抽查情况说明如下。", "一、总体情况")
    document = document_from_text(text, path="t.txt")
    assert detect(document, parse_sections(document)).kind == "汇总通知"


def test_a_complete_report_is_not_cut_and_gets_the_outline_checks() -> None:
    ctx = context(COMPLETE)
    assert not document_type(ctx).truncated and outline_applies(ctx)
    assert outline_findings(COMPLETE) == []
    dropped = (
        COMPLETE.replace("六、存在的问题及原因分析\n\n预算编制不够细。\n\n", "")
        .replace("七、", "六、")
        .replace("八、", "七、")
    )
    assert [f.code for f in outline_findings(dropped)] == ["T304"]


@pytest.mark.parametrize(
    ("ending", "sign"),
    [
        (
            "八、部门整体支出绩效自评结果拟应用和公开情况\n\n自评结果将在县政府网站公开，并作为下年度",
            "句子中间",
        ),
        ("八、部门整体支出绩效自评结果拟应用和公开情况\n", "标题"),
    ],
)
def test_a_cut_report_says_so_once_instead_of_missing_and_empty_sections(ending: str, sign: str) -> None:
    text = COMPLETE[: COMPLETE.index("八、")] + ending
    ctx = context(text)
    assert document_type(ctx).truncated and not outline_applies(ctx)
    findings = outline_findings(text)
    assert [(f.code, f.severity.value) for f in findings] == [("T308", "info")]
    assert sign in findings[0].message


def test_closing_lines_do_not_look_cut() -> None:
    for ending in (
        "某县林业站\n\n2025年3月20日\n",
        "某县林业站（盖章）\n",
        "来源：https://example.gov.cn/a.html\n",
    ):
        assert not document_type(context(COMPLETE + "\n" + ending)).truncated, ending


def test_an_excerpt_without_the_closing_sections_is_cut() -> None:
    text = COMPLETE[: COMPLETE.index("六、")]
    found = document_type(context(text))
    assert found.truncated and "提纲末尾" in found.signs[0]
    assert [f.code for f in outline_findings(text)] == ["T308"]


def test_a_project_report_is_not_checked_against_the_department_outline() -> None:
    text = paragraphs(
        "某县2023年度农村公路养护项目支出绩效自评报告",
        "一、项目基本情况",
        "全年养护道路42公里。",
        "二、绩效目标完成情况",
        "已完成。",
    )
    assert not outline_applies(context(text))
    assert outline_findings(text) == []


def test_a_table_of_contents_without_page_numbers_is_not_a_row_of_empty_sections() -> None:
    contents = paragraphs(
        "目录", "一、基本情况", "（一）职能", "（二）人员", "二、一般公共预算支出情况", "三、绩效情况"
    )
    text = COMPLETE.replace("一、基本情况\n\n本站", contents + "\n一、基本情况\n\n（一）职能\n\n本站", 1)
    text = text.replace("林业技术推广。\n", "林业技术推广。\n\n（二）人员\n\n在编12人。\n", 1)
    headings = parse_sections(document_from_text(text, path="t.txt"))
    assert [h.label for h in headings if h.level == 1][:2] == ["一、", "二、"]
    assert outline_findings(text) == []


def test_a_heading_with_a_figure_is_a_statement_not_an_empty_section() -> None:
    statements = paragraphs(
        "（一）产出指标", "1．培训覆盖率为100%", "2．开展巡护320次", "（二）效益指标", "良好。"
    )
    text = COMPLETE.replace("各项指标均已完成。\n", statements)
    assert [f.code for f in outline_findings(text)] == []


def test_weights_of_a_part_cut_off_by_the_end_of_the_text_are_not_summed() -> None:
    head = paragraphs(
        "某县2023年度学前教育项目支出绩效自评报告",
        "一、决策(20分)",
        "（一）项目立项(10分)",
        "1．立项依据(5分)：依据充分，得5分。",
        "2．立项程序(5分)：程序规范，得5分。",
        "（二）绩效目标(10分)",
        "1．目标合理(5分)：得5分。",
        "2．目标明确(5分)：得5分。",
        "二、过程(30分)",
        "（一）资金管理(15分)",
        "1．资金到位(5分)：资金到位及时，得5分。",
        "2．预算执行(5分)：全年执行率达到",
    )
    report = review_document(document_from_text(head, path="t.txt"))
    assert report.context is not None and document_type(report.context).truncated
    assert [f for f in report.findings if f.code == "S253"] == []


def test_a_row_label_of_a_table_flattened_one_cell_per_line_is_no_empty_section() -> None:
    cells = paragraphs(
        "1、公务接待费", "3.33", "7", "2.74", "2、出国经费", " ", "3、公务用车运行费", "5.10", "4", "4.86"
    )
    text = COMPLETE.replace("全年支出85.20万元。\n", "全年支出85.20万元。\n\n" + cells)
    assert [f.code for f in outline_findings(text) if f.code == "T306"] == []
