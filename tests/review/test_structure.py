"""Section tree of a report (parse_sections) and the outline checks T301–T307."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import jixiao.review.checks  # noqa: F401  (registers the checks when this file runs alone)
from jixiao.core.findings import Finding, Location, Severity
from jixiao.core.rules.registry import get_rule, run_checks
from jixiao.model.frameworks import Framework, Section, load_framework
from jixiao.review.context import ReviewContext
from jixiao.review.document import Block, Document
from jixiao.review.read import document_from_text
from jixiao.review.structure import (
    Heading,
    ancestors,
    children,
    cn_to_int,
    int_to_cn,
    match_heading,
    parse_sections,
    render_marker,
    section_blocks,
    section_of,
    section_path,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "structure"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_e908e985cae8175b.txt"
T_CODES = [f"T30{i}" for i in range(1, 9)]


def doc(text: str, path: str = "t.txt") -> Document:
    return document_from_text(text, path=path)


def fixture(name: str) -> Document:
    return doc((FIXTURES / name).read_text(encoding="utf-8"), path=name)


def check(document: Document, framework: Framework | None = None) -> list[Finding]:
    ctx = ReviewContext(document=document, framework=framework or load_framework("mof-2020"))
    ctx.sections = parse_sections(document)
    return run_checks("document", ctx, enabled=T_CODES)


def summary(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return sorted((f.code, f.location.line, f.severity.value) for f in findings)


def tree(headings: list[Heading]) -> list[tuple[int, str, str]]:
    return [(h.level, h.label, h.title) for h in headings]


# ---------------------------------------------------------------- numerals and markers


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百", 100), ("一百零五", 105),
     ("一百一十", 110), ("九百九十九", 999), ("", None), ("一一", None), ("十十", None), ("百", None), ("是", None)],
)  # fmt: skip
def test_cn_to_int(text: str, value: int | None) -> None:
    assert cn_to_int(text) == value


@given(st.integers(min_value=1, max_value=999))
def test_cn_numerals_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize(
    ("text", "family", "style", "number", "rest"),
    [
        ("一、基本情况", "cn", "一、", 1, "基本情况"),
        ("十一、其他需要说明的情况", "cn", "一、", 11, "其他需要说明的情况"),
        ("三 、 政府性基金", "cn", "一、", 3, "政府性基金"),
        ("二．一般公共预算", "cn", "一．", 2, "一般公共预算"),
        ("（一）部门职能职责", "pcn", "（一）", 1, "部门职能职责"),
        ("(二)产出指标(分值50分)", "pcn", "(一)", 2, "产出指标(分值50分)"),
        ("（ 三 ）人员", "pcn", "（三）".replace("三", "一"), 3, "人员"),
        ("(十二）混用括号", "pcn", "(一）", 12, "混用括号"),
        ("1．贯彻落实", "ar", "1．", 1, "贯彻落实"),
        ("2. 2024年度预算", "ar", "1.", 2, "2024年度预算"),
        ("3、擦亮品牌", "ar", "1、", 3, "擦亮品牌"),
        ("（1）数量指标", "par", "（1）", 1, "数量指标"),
        ("(4)时效指标", "par", "(1)", 4, "时效指标"),
        ("2）垃圾清运", "arc", "1）", 2, "垃圾清运"),
        ("③质量指标", "circ", "①", 3, "质量指标"),
        ("⑵成本指标", "par", "⑴", 2, "成本指标"),
        ("⒊时效", "ar", "⒈", 3, "时效"),
        ("第一部分 部门基本情况", "part", "第一部分", 1, "部门基本情况"),
        ("第三章　绩效分析", "chapter", "第一章", 3, "绩效分析"),
        ("第2节 附表", "section", "第1节", 2, "附表"),
    ],
)
def test_match_heading(text: str, family: str, style: str, number: int, rest: str) -> None:
    marker = match_heading(text)
    assert marker is not None
    assert (marker.family, marker.style, marker.number, marker.rest) == (family, style, number, rest)
    assert render_marker(marker.style, marker.number) in text.replace(" ", "").replace("　", "")


@pytest.mark.parametrize(
    "text",
    [
        "一是进一步提高预算执行率。",  # an enumeration inside a paragraph
        "二是加强绩效管理",
        "一、二季度集中完成采购。",  # two numerals, not a heading
        "一、二级指标均已设置。",
        "3、4月份开展专项检查。",
        "1.5万元用于培训。",  # a decimal
        "2024年度无政府性基金预算支出。",
        "第一，加强预算管理。",
        "十、",  # a marker with nothing after it
        "基本情况",
    ],
)
def test_not_a_heading(text: str) -> None:
    assert match_heading(text) is None


def test_full_width_dot_before_a_year_is_still_a_heading() -> None:
    # normalisation turns "1．2024年" into "1.2024年"; the raw text shows the heading marker
    marker = match_heading("1.2024年完成情况", raw="1．2024年完成情况")
    assert marker is not None and (marker.style, marker.number, marker.rest) == ("1．", 1, "2024年完成情况")
    assert match_heading("1.2024年完成情况", raw="1.2024年完成情况") is None


# ---------------------------------------------------------------- the seed report


def test_seed_report_structure() -> None:
    if not SEED.exists():
        pytest.skip(f"shared seed report not found at {SEED} (run from the project checkout with ../shared)")
    document = doc(SEED.read_text(encoding="utf-8"), path=SEED.name)
    headings = parse_sections(document)
    top = [(h.label, h.title) for h in headings if h.level == 1]
    assert [label for label, _ in top] == ["一、", "二、", "三、", "四、", "五、", "七、", "八、"]
    # indicator lines are level-3 items under (二)产出指标, with their content kept inline
    output = next(h for h in headings if h.title.startswith("产出指标"))
    items = children(headings, output)
    assert [(h.level, h.number, h.item) for h in items] == [(3, n, True) for n in range(1, 6)]
    assert items[0].title == "全区网络租赁及运行" and items[0].inline.startswith("年度指标值：正常运行")
    assert all(h.title != "进一步提高预算执行率" for h in headings)  # 一是… is not a heading

    findings = check(document)
    assert summary(findings) == [("T301", 53, "error"), ("T304", 55, "warning")]
    gap = next(f for f in findings if f.code == "T301")
    assert gap.values["expected"] == "6" and gap.values["found"] == "7"
    assert gap.excerpt == "七、存在的问题及原因分析" and "六、" in gap.message
    missing = next(f for f in findings if f.code == "T304")
    assert missing.values["section"] == "results_use"  # 社会保险基金 is optional in mof-2020: not reported
    assert missing.excerpt == "八、下一步改进措施"


# ---------------------------------------------------------------- fixtures in other styles


def test_clean_report_has_no_structure_findings() -> None:
    document = fixture("clean_dept.txt")
    headings = parse_sections(document)
    assert [h.number for h in headings if h.level == 1] == list(range(1, 11))
    # "三、政府性基金预算支出情况：无" says 无 on its own line; "十、…" has "无。" as its only body
    fund = next(h for h in headings if "政府性基金" in h.title)
    assert (fund.title, fund.inline) == ("政府性基金预算支出情况", "无")
    assert check(document) == []


def test_part_style_report() -> None:
    document = fixture("part_style.txt")
    headings = parse_sections(document)
    assert tree(headings)[:4] == [
        (1, "第一部分", "部门基本情况"),
        (2, "一、", "主要职能"),
        (2, "二、", "机构和人员"),
        (1, "第二部分", "部门预算收支情况"),
    ]
    findings = check(document)
    assert summary(findings) == [
        ("T302", 21, "error"),  # (二)效益指标 then (二)满意度指标
        ("T306", 11, "warning"),  # 二、政府性基金预算支出情况 with nothing under it
        ("T307", 18, "info"),  # "1." then "2、"
    ]
    mixed = next(f for f in findings if f.code == "T307")
    assert mixed.values == {"expected": "1.", "found": "1、"}


def test_half_width_report_out_of_order() -> None:
    document = fixture("halfwidth_order.txt")
    headings = parse_sections(document)
    assert [h.label for h in headings if h.level == 1] == [f"{int_to_cn(n)}." for n in range(1, 9)]
    assert [h.label for h in headings if h.style == "1)"] == ["1)", "2)"]
    findings = check(document)
    assert summary(findings) == [("T305", 14, "warning"), ("T306", 11, "warning")]
    order = next(f for f in findings if f.code == "T305")
    assert order.values["section"] == "performance"
    assert "五.存在的问题及原因分析" in order.message


def project_framework() -> Framework:
    outline = [
        Section(key="targets", title="绩效目标分解下达情况", match=["目标分解", "分解下达"]),
        Section(key="completion", title="绩效目标完成情况分析", match=["完成情况分析", "绩效目标完成情况"]),
        Section(
            key="deviation", title="偏离绩效目标的原因和下一步改进措施", match=["偏离绩效目标", "改进措施"]
        ),
        Section(key="results_use", title="绩效自评结果拟应用和公开情况", match=["结果拟应用", "应用和公开"]),
    ]
    return replace(load_framework("mof-2020"), kind="project", outline=outline)


def test_project_report() -> None:
    findings = check(fixture("project.txt"), project_framework())
    assert summary(findings) == [
        ("T301", 11, "warning"),  # ② then ④ in an indicator list
        ("T302", 8, "error"),  # two （二）
        ("T303", 3, "warning"),  # the report starts at 二、
        ("T304", 3, "warning"),  # 绩效目标分解下达情况 is missing
    ]
    missing = next(f for f in findings if f.code == "T304")
    assert missing.values["expected"] == "绩效目标分解下达情况"


def test_table_of_contents_lines_are_not_headings() -> None:
    document = fixture("toc.txt")
    headings = parse_sections(document)
    assert [h.location.line for h in headings] == [7, 9, 11]
    findings = check(document)
    assert {f.code for f in findings} == {"T304"}  # a short report, but no duplicate numbering


# ---------------------------------------------------------------- nesting


def test_levels_follow_order_of_appearance() -> None:
    text = "一、甲\n\n1．乙\n\n（1）丙\n\n2．丁\n\n二、戊\n\n（一）己\n\n1．庚\n"
    assert tree(parse_sections(doc(text))) == [
        (1, "一、", "甲"),
        (2, "1．", "乙"),  # no （一） in this section: 1． is level 2 here
        (3, "（1）", "丙"),
        (2, "2．", "丁"),
        (1, "二、", "戊"),
        (2, "（一）", "己"),
        (3, "1．", "庚"),
    ]


def test_inverted_low_families_nest_when_the_list_starts_at_one() -> None:
    text = "一、甲\n\n1．乙\n\n（一）丙\n\n（二）丁\n\n2．戊\n"
    assert [h.level for h in parse_sections(doc(text))] == [1, 2, 3, 3, 2]


def test_a_list_before_the_first_heading_does_not_swallow_the_report() -> None:
    text = "说明如下：\n\n1．甲\n\n2．乙\n\n一、基本情况\n\n（一）职责\n"
    assert [h.level for h in parse_sections(doc(text))] == [1, 1, 1, 2]
    assert check(doc(text), load_framework("mof-2020"))  # still checked, but no numbering finding:
    assert not [f for f in check(doc(text)) if f.code in ("T301", "T302", "T303")]


def test_variant_list_inside_an_item() -> None:
    text = "一、甲\n\n1．乙：说明如下\n\n1、子一\n\n2、子二\n\n2．丙\n"
    headings = parse_sections(doc(text))
    assert [(h.level, h.number) for h in headings] == [(1, 1), (2, 1), (3, 1), (3, 2), (2, 2)]
    assert not [f for f in check(doc(text)) if f.code in ("T301", "T302", "T303", "T307")]


def test_second_list_in_one_section_restarts_at_one() -> None:
    text = "一、甲\n\n1．a\n\n2．b\n\n3．c\n\n中间一段正文。\n\n1．d\n\n2．e\n"
    assert not [f for f in check(doc(text)) if f.code in ("T301", "T302")]


def test_a_list_in_the_same_style_does_not_break_the_outer_numbering() -> None:
    text = (
        "七、存在的问题\n\n正文。\n\n八、下一步改进措施\n\n一、加强预算编制。\n\n二、规范资金支付。\n\n"
        "九、其他需要说明的情况\n\n无。\n\n十一、附件\n\n附表一份。\n"
    )
    found = [(f.code, f.location.line) for f in check(doc(text)) if f.code in ("T301", "T302")]
    assert found == [("T301", 15)]  # 十 is missing; 九 continues 八 across the inner 一、二、


def test_backwards_numbering_is_a_gap_finding() -> None:
    text = "一、甲\n\n正文。\n\n二、乙\n\n正文。\n\n三、丙\n\n正文。\n\n二、丁\n\n正文。\n"
    found = [f for f in check(doc(text)) if f.code.startswith("T30") and f.code in ("T301", "T302")]
    assert [(f.code, f.location.line, f.values["expected"]) for f in found] == [("T301", 13, "4")]


# ---------------------------------------------------------------- navigation


def test_section_blocks_and_section_of() -> None:
    document = fixture("clean_dept.txt")
    headings = parse_sections(document)
    basic = headings[0]
    duties = children(headings, basic)[0]
    assert [b.text for b in section_blocks(document, headings, duties)] == [
        "本中心负责全县农业技术推广、动植物疫病防控和农产品质量抽检等工作。"
    ]
    whole = section_blocks(document, headings, basic)
    assert whole[0].text == "（一）部门职能职责" and whole[-1].text.startswith("核定事业编制")
    assert section_blocks(document, headings, basic, direct=True) == []
    body = next(i for i, b in enumerate(document.blocks) if b.text.startswith("核定事业编制"))
    inner = section_of(headings, body)
    assert inner is not None and inner.title == "人员编制情况"
    assert [h.title for h in section_path(headings, body)] == ["基本情况", "人员编制情况"]
    assert ancestors(headings, inner) == [basic]
    assert section_of(headings, 0) is None  # the report title comes before any heading
    assert section_path(headings, 0) == []


# ---------------------------------------------------------------- empty sections


@pytest.mark.parametrize(
    ("text", "empty_lines"),
    [
        ("一、甲\n\n二、乙\n\n正文。\n", [1]),
        ("一、甲\n\n正文。\n\n二、乙\n", []),  # the last heading, nothing after it: T308 instead
        ("一、甲\n\n（一）子\n\n正文。\n", []),  # a heading with a sub-heading is not empty
        ("一、甲\n\n（一）子\n\n二、乙\n\n正文。\n", [3]),  # …but the empty sub-heading is
        ("一、政府性基金预算支出情况：无\n\n二、乙\n\n正文。\n", []),
        ("一、政府性基金预算支出情况（无）\n\n二、乙\n\n正文。\n", []),
        ("一、无国有资本经营预算支出\n\n二、乙\n\n正文。\n", []),
        ("一、甲\n\n1．一项带内容的条目。\n\n二、乙\n\n正文。\n", []),  # an item is never empty
    ],
)
def test_empty_section(text: str, empty_lines: list[int]) -> None:
    found = [f for f in check(doc(text)) if f.code == "T306"]
    assert [f.location.line for f in found] == empty_lines


# ---------------------------------------------------------------- bad input and the catalog


def test_odd_documents_do_not_raise() -> None:
    cell = Location(path="x", table=1, row=1, col=1)
    table = Block(kind="table", text="一、甲\t1", location=cell)
    for document in (
        Document(path="x", format="txt", encoding=None),
        Document(path="x", format="docx", encoding=None, blocks=[table]),
        doc("十、\n\n（）\n\n①\n\n第部分\n\n一、\n"),
    ):
        headings = parse_sections(document)
        assert headings == []
        findings = check(document)
        # no title, nothing recognised: not a report the outline is for, so nothing is claimed
        assert [f for f in findings if f.severity is not Severity.INFO] == []


def test_every_structure_rule_has_a_complete_doc() -> None:
    for code in T_CODES:
        found = get_rule(code)
        assert found is not None, code
        assert all(found.doc.get(section, "").strip() for section in ("作用", "为何重要", "应当怎样", "依据"))


# ---------------------------------------------------------------- generated trees

STYLES = {
    "part": ["第一部分", "第一章"],
    "cn": ["一、", "一．"],
    "pcn": ["（一）", "(一)"],
    "ar": ["1．", "1.", "1、"],
    "par": ["（1）", "(1)"],
    "circ": ["①"],
}
WORDS = ["资金管理", "项目实施", "绩效目标", "服务质量", "设备购置", "人员培训", "宣传推广", "制度建设"]


@dataclass
class Node:
    title: str
    body: bool
    number: int = 0
    children: list[Node] = field(default_factory=list)
    line: int = 0


@st.composite
def outlines(draw: st.DrawFn) -> tuple[list[str], list[Node], list[str]]:
    top = draw(st.sampled_from(["cn", "part"]))
    families = [top, *(["cn"] if top == "part" and draw(st.booleans()) else [])]
    families += draw(st.permutations(["pcn", "ar", "par", "circ"]))
    families = families[: draw(st.integers(1, 4))]
    styles = [draw(st.sampled_from(STYLES[f])) for f in families]

    def level(depth: int) -> list[Node]:
        if depth >= len(styles):
            return []
        nodes = []
        for number in range(1, draw(st.integers(1 if depth == 0 else 0, 4)) + 1):
            node = Node(draw(st.sampled_from(WORDS)), draw(st.booleans()), number)
            node.children = level(depth + 1)
            nodes.append(node)
        return nodes

    return styles, level(0), families


def render(styles: list[str], nodes: list[Node]) -> str:
    lines: list[str] = []

    def emit(node: Node, depth: int) -> None:
        gap = " " if styles[depth].startswith("第") else ""
        node.line = len(lines) + 1
        lines.extend([render_marker(styles[depth], node.number) + gap + node.title, ""])
        if node.body:
            lines.extend(["这一部分写明了有关的情况和数字。", ""])
        for child in node.children:
            emit(child, depth + 1)

    for node in nodes:
        emit(node, 0)
    return "\n".join(lines)


def preorder(nodes: list[Node], depth: int = 1) -> list[tuple[int, int, str, int]]:
    out = []
    for node in nodes:
        out.append((depth, node.number, node.title, node.line))
        out.extend(preorder(node.children, depth + 1))
    return out


def groups(nodes: list[Node], depth: int = 0) -> list[tuple[int, list[Node]]]:
    """Sibling lists with their depth (0 = top)."""
    out = [(depth, nodes)] if nodes else []
    for node in nodes:
        out.extend(groups(node.children, depth + 1))
    return out


# Conventional order of the families; a sub-list against it is recognised only when it starts at 1.
CONVENTIONAL = ["part", "cn", "pcn", "ar", "par", "circ"]


NUMBERING = ("T301", "T302", "T303")
HEADING_FAMILIES = ("part", "chapter", "section", "cn", "pcn")  # T303 looks at these only


@settings(max_examples=150, deadline=None)
@given(outlines())
def test_generated_trees_parse_back(outline: tuple[list[str], list[Node], list[str]]) -> None:
    styles, nodes, _ = outline
    document = doc(render(styles, nodes))
    headings = parse_sections(document)
    assert [(h.level, h.number, h.title, h.location.line) for h in headings] == preorder(nodes)
    findings = check(document)
    assert not [f for f in findings if f.code in (*NUMBERING, "T307")]
    empty = sorted(line for _, _, _, line in preorder(_empty_leaves(nodes)))
    ends_bare = bool(empty) and empty[-1] == preorder(nodes)[-1][3]
    if ends_bare:
        # The text stops on a heading with nothing under it: it looks cut, and T308 says so once
        # instead of an empty-section finding on the last heading.
        empty = empty[:-1]
        assert [f.location.line for f in findings if f.code == "T308"] == [preorder(nodes)[-1][3]]
    assert sorted(f.location.line or 0 for f in findings if f.code == "T306") == empty


def _empty_leaves(nodes: list[Node]) -> list[Node]:
    out = []
    for node in nodes:
        if not node.body and not node.children:
            out.append(Node(node.title, node.body, node.number, [], node.line))
        out.extend(_empty_leaves(node.children))
    return out


@settings(max_examples=150, deadline=None)
@given(outlines(), st.data())
def test_injected_gap_is_found(outline: tuple[list[str], list[Node], list[str]], data: st.DataObject) -> None:
    styles, nodes, families = outline
    depth, group = data.draw(st.sampled_from(groups(nodes)))
    k = data.draw(st.integers(0, len(group) - 1))
    # A list nested against the conventional order (（一） inside 1．) that does not start at 1 is read as
    # a sibling of its parent: documented limit, so no first-item gap is injected there.
    inverted = depth > 0 and CONVENTIONAL.index(families[depth]) < CONVENTIONAL.index(families[depth - 1])
    assume(k > 0 or not inverted)
    for node in group[k:]:
        node.number += 1
    findings = [f for f in check(doc(render(styles, nodes))) if f.code in NUMBERING]
    if k == 0 and families[depth] not in HEADING_FAMILIES:
        # A list (1．, （1）, ①) may start anywhere in a cut or flattened text: only headings are checked.
        assert findings == []
        return
    expected = "T303" if k == 0 else "T301"
    assert [(f.code, f.location.line) for f in findings] == [(expected, group[k].line)]
    assert findings[0].values["found"] == str(group[k].number)
    assert findings[0].values["expected"] == str(1 if k == 0 else group[k - 1].number + 1)


@settings(max_examples=150, deadline=None)
@given(outlines(), st.data())
def test_injected_duplicate_is_found(
    outline: tuple[list[str], list[Node], list[str]], data: st.DataObject
) -> None:
    styles, nodes, _ = outline
    _, group = data.draw(st.sampled_from(groups(nodes)))
    k = data.draw(st.integers(0, len(group) - 1))
    copy = Node(group[k].title, True, group[k].number)
    group.insert(k + 1, copy)
    findings = [f for f in check(doc(render(styles, nodes))) if f.code in NUMBERING]
    assert [(f.code, f.location.line) for f in findings] == [("T302", copy.line)]
    assert findings[0].values["expected"] == str(copy.number + 1)


def test_a_label_line_does_not_stand_for_a_missing_section() -> None:
    # "改进措施：…" under an indicator is a labelled line, not the 下一步改进措施 section.
    text = (FIXTURES / "clean_dept.txt").read_text(encoding="utf-8")
    start, end = text.index("八、下一步改进措施"), text.index("九、")
    dropped = text[:start] + text[end:].replace("九、", "八、", 1).replace("十、", "九、", 1)
    dropped = dropped.replace(
        "实际完成值：5230亩。\n", "实际完成值：5230亩。\n偏差原因：无\n改进措施：按季度开展抽查复核\n"
    )
    findings = check(doc(dropped))
    assert [(f.code, f.values.get("section")) for f in findings] == [("T304", "measures")]
    # A short unnumbered title line still counts (Word's automatic numbering is not in the text).
    titled = dropped.replace("八、部门整体", "下一步改进措施\n\n按季度开展抽查复核。\n\n八、部门整体")
    assert titled != dropped
    assert [f.code for f in check(doc(titled)) if f.code == "T304"] == []


def test_a_bare_list_of_duties_is_not_a_row_of_empty_sections() -> None:
    duties = (
        "一、基本情况\n（一）部门职能职责\n1．负责全县道路养护、桥梁检测和路政管理\n"
        "2．组织编制农村公路建设计划，并监督实施\n3．承担交通运输安全生产监督管理工作\n"
        "（二）人员编制情况\n编制数30人。\n"
    )
    assert [f for f in check(doc(duties)) if f.code == "T306"] == []
    # Short titles with nothing under them are still empty sections, listed or not.
    headings = "一、基本情况\n（一）部门职能\n（二）人员编制\n二、支出情况\n正文。\n"
    assert [f.location.line for f in check(doc(headings)) if f.code == "T306"] == [2, 3]
    # One duty-like line among sections that have bodies is still reported.
    mixed = "一、基本情况\n（一）负责全县道路养护、桥梁检测和路政管理\n（二）人员编制\n编制数30人。\n"
    assert [f.location.line for f in check(doc(mixed)) if f.code == "T306"] == [2]


@settings(max_examples=600)
@given(
    st.lists(
        st.sampled_from([*list("一二十第（()）、.．1２①⑴⒈㉑部分章是 \u3000预算"), "", "12", "1．2024年"]),
        max_size=8,
    ).map("".join)
)
def test_no_marker_starts_outside_the_first_character_test(text: str) -> None:
    # match_heading skips its patterns when the first character cannot start a marker: that shortcut
    # must never hide a marker one of the patterns would find.
    from jixiao.review import structure

    stripped = text.lstrip(" \u3000")
    if structure._MARKER_START.match(stripped) is None:
        assert not any(p.match(stripped) for _, p in structure._PATTERNS)
        assert structure.re.match(r"^(\d{1,3})\.(?=\d)", stripped) is None
