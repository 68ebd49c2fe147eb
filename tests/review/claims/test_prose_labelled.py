"""A block whose figures are all the values of labels ("年度指标值：≥147处，实际完成值：165处") is not scanned
for figures: the prose reader gives what it gives when it scans every block.

``_labelled_values`` must say a block is such only when no reader but the targets' uses its figures, and
that the scanner finds a figure in it only when it does. Each is compared with the scan on random text
made of the labels, signs, numbers and units such lines hold, and of the words the readers look for.
"""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review.claims import prose as claims_prose
from jixiao.review.claims.model import Claim, IndicatorTarget
from jixiao.review.claims.prose import _labelled_values, _surely_found, extract_prose_claims
from jixiao.review.quantities import Quantity, find_quantities, unit_words, written_forms
from tests.review.claims.test_claims import doc_of


def _scanning_every_block(*texts: str) -> list[Claim]:
    """The prose reader with the labelled-values paths off: every block with figures is scanned."""
    with (
        mock.patch.object(claims_prose, "_labelled_values", lambda text: None),
        mock.patch.object(claims_prose, "_surely_found", lambda text: False),
    ):
        return extract_prose_claims(doc_of(*texts))


_LINE = "1．维修改造设施，年度指标值：≥147处，实际完成值：165处，分值15.5分，得分15.5分。"


def test_an_indicator_line_is_read_without_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []

    def counting_scan(text: str) -> list[Quantity]:
        scanned.append(text)
        return find_quantities(text)

    monkeypatch.setattr(claims_prose, "find_quantities", counting_scan)
    money = "基本支出年初预算111.01万元，全年预算279.12万元。"
    claims = extract_prose_claims(doc_of(_LINE, money))
    assert [(c.kind, c.target) for c in claims if isinstance(c, IndicatorTarget)] == [("target", "≥147处")]
    assert scanned == [money]
    assert claims == _scanning_every_block(_LINE, money)


def test_the_labelled_path_answers() -> None:
    assert _labelled_values(_LINE) is True
    assert _labelled_values("政策知晓率，年度指标值：≥98%，实际完成值：98.3%。") is True
    # Only signed values: a figure is not surely found without the scan.
    assert _labelled_values("年度指标值：≥98%，实际完成值：≥98%") is False
    assert _labelled_values("开展业务培训，年度指标值：≥363人次，实际完成值：345人次。") is True
    assert _labelled_values("人均培训成本，年度指标值：≤500元，实际完成值：625元。") is True
    assert _labelled_values("项目成本控制，年度指标值：≤3630万元，实际完成值：4501万元。") is True
    for other in (
        "编制数40人，实有人数36人。",  # a count named by its words
        "执行率：98%，年度指标值：≥95%",  # a rate's label
        "年度指标值：≤500元，实际完成值：625元，合计1125元",  # money with a sum's word
        "年度指标值：≤5万元，全年预算5万元",  # an amount named by its measure
        # Amounts that are all values of labels, with a sum's words: a sum is read from them.
        "甲目标值：100元，乙目标值：200元，合计值：300元。",
        "总目标值：300万元，其中：甲目标值：100万元，乙目标值：200万元。",
        "目标值：300万元，包括：甲值：100万元，乙值：200万元。",
        "人员经费占比，年度指标值：30%",  # a share's word
        "群众办事一次办结率，年度指标值：≥95%",  # a Chinese numeral before a unit
        "年度指标值：10-20个",  # a range
        "年度指标值：5万人",  # a magnitude
        "培训人员50人次",
        "实有人数≥36人，年度指标值：5人",  # a sign after a count's words
        "完成率≥95%，目标值：95%",  # after a rate's words
    ):
        assert _labelled_values(other) is None, other
        assert extract_prose_claims(doc_of(other)) == _scanning_every_block(other), other


def test_a_sure_value_is_found_by_the_scanner() -> None:
    units = {form for word in unit_words() for form in written_forms(word)} | {"万元", "亿元"}
    checked = 0
    for value in ("0", "0.5", "7", "98.3", "100", "363", "123456789012"):
        for unit in sorted(units):
            for after in ("", "，", "。", "；", ",", ";", "时"):
                for before in ("", "1．", "9时", "任务（3），", "年度指标值：≥5个，实际完成"):
                    text = f"{before}指标值：{value}{unit}{after}"
                    if _surely_found(text):
                        checked += 1
                        assert find_quantities(text), text
    assert checked > 1000


def test_a_target_block_with_a_sure_value_is_read_without_a_scan() -> None:
    text = "4．投诉办结时长，年度指标值：≤191天，实际完成值：195天，分值5分，得分4.9分。"
    assert _surely_found(text)
    claims = extract_prose_claims(doc_of(text))
    assert [c.kind for c in claims] == ["target"]
    assert claims == _scanning_every_block(text)


_PIECES = st.sampled_from(
    [
        "年度指标值：",
        "实际完成值：",
        "目标值:",
        "值：",
        "计划值：",
        "完成值",
        "：",
        "≥",
        "≤",
        "＞",
        "约",
        "超过",
        "147",
        "0",
        "05",
        "12.5",
        ".5",
        "1,000",
        "１２",
        "2024",
        "三",
        "一",
        "十二",
        "万",
        "余",
        "多",
        " ",
        "-",
        "至",
        "处",
        "人",
        "人次",
        "个",
        "个月",
        "%",
        "％",
        "km",
        "千米",
        "分",
        "天",
        "年",
        "号",
        "第",
        "元",
        "万元",
        "圆",
        "其中",
        "合计",
        "包括",
        "年初预算",
        "执行率",
        "占",
        "百分之",
        "，",
        "。",
        "；",
        "、",
        "（",
        "）",
        "\n",
        "1．",
        "分值",
        "得分",
        "完成率",
        "到位率",
        "超计划",
        "增长",
        "实际",
        "计划",
        "任务",
        "培训",
        "人数",
        "按时完成",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=18))
def test_a_labelled_block_reads_as_when_scanned(pieces: list[str]) -> None:
    text = "".join(pieces)
    if _surely_found(text):
        assert find_quantities(text), text
    assert extract_prose_claims(doc_of(text)) == _scanning_every_block(text), text


_INDICATOR = st.tuples(
    st.sampled_from(["1．", "（3）", ""]),
    st.sampled_from(["维修改造设施", "政策知晓率", "开展业务培训", "计划完成数", "到位率", "一次办结率"]),
    st.sampled_from(["年度指标值：", "目标值：", "计划值：", "指标值:"]),
    st.sampled_from(["", "≥", "≤", "约"]),
    st.sampled_from(["147", "0.5", "05", "98.3", "三", "10-20"]),
    st.sampled_from(["处", "%", "人次", "个", "天", "个月", "km", "元", "万元", "亿元"]),
    st.sampled_from(["实际完成值：", "完成值：", "实际完成", "实际"]),
    st.sampled_from(["165", "100", "12.5"]),
    st.sampled_from(
        ["，分值15.5分，得分15.5分。", "。", "", "；超计划20%。", "，完成率为110%。", "，合计300万元。"]
    ),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_INDICATOR, min_size=1, max_size=4))
def test_indicator_lines_read_as_when_scanned(lines: list[tuple[str, ...]]) -> None:
    texts = []
    for number, name, label, sign, value, unit, actual, done, tail in lines:
        texts.append(f"{number}{name}，{label}{sign}{value}{unit}，{actual}{done}{unit}{tail}")
    # A later rate read from an earlier sentence's terms makes ratio_context scan the labelled blocks.
    texts.append("全年新建数超计划20%。")
    assert extract_prose_claims(doc_of(*texts)) == _scanning_every_block(*texts), texts
