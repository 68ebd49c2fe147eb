"""Reading claims from report text: names of figures, sums, shares, rates, scores, tables."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Location
from jixiao.review.claims.collect import (
    BudgetFact,
    CountFact,
    RateClaim,
    ScoreGroup,
    ScoreTotal,
    ShareClaim,
    ShareSet,
    SumClaim,
    extract_claims,
)
from jixiao.review.claims.prose import count_key, measure_in, scope_in
from jixiao.review.document import Block, Document


def doc_of(*paragraphs: str) -> Document:
    """One block per paragraph, numbered from line 1; raw keeps tabs for table rows."""
    blocks = []
    line = 1
    for text in paragraphs:
        rows = text.split("\n")
        blocks.append(
            Block(
                kind="paragraph",
                text=text.replace("\t", " ").replace("\n", ""),
                location=Location(path="t.txt", line=line),
                raw=text,
            )
        )
        line += len(rows)
    return Document(path="t.txt", format="txt", encoding="utf-8", blocks=blocks)


def of(claims: list, kind: type) -> list:
    return [c for c in claims if isinstance(c, kind)]


def test_measure_and_scope_words() -> None:
    assert measure_in("基本支出预算安排") == "年初预算"
    assert measure_in("全年预算安排") == "全年预算"
    assert measure_in("全年预算执行数") == "执行数"
    assert measure_in("全年支出") == "执行数"
    assert measure_in("人员经费支出") == "执行数"
    assert measure_in("调整后预算") == "全年预算"
    assert measure_in("网络租赁费") == ""
    assert scope_in("基本支出预算安排") == "基本"
    assert scope_in("日常公用经费支出") == "公用"
    assert scope_in("2024年年初预算") == ""


def test_budget_facts_take_scope_from_their_sentence() -> None:
    doc = doc_of(
        "2024年年初预算391.39万元，全年预算安排775.18万元。基本支出预算安排111.01万元，全年预算数279.12万元，"
        "实际支出279.12万元。人员经费支出95.47万元，占基本支出的34.2%。"
    )
    facts = {(f.measure, f.scope): f.figure.value for f in of(extract_claims(doc), BudgetFact)}
    assert facts[("年初预算", "总")] == Decimal("391.39")
    assert facts[("全年预算", "总")] == Decimal("775.18")
    assert facts[("年初预算", "基本")] == Decimal("111.01")
    assert facts[("执行数", "基本")] == Decimal("279.12")
    # "占基本支出的" names the whole of the share, not the 95.47: it stays 人员经费.
    assert facts[("执行数", "人员")] == Decimal("95.47")


def test_composition_sum_from_named_facts() -> None:
    doc = doc_of(
        "2024年年初预算391.39万元。",
        "基本支出预算安排111.01万元。",
        "2024年度项目预算安排280.35万元。",
    )
    sums = [s for s in of(extract_claims(doc), SumClaim) if s.how == "预算构成"]
    assert len(sums) == 1
    assert sums[0].total.value == Decimal("391.39")
    assert [p.value for p in sums[0].parts] == [Decimal("111.01"), Decimal("280.35")]
    assert sums[0].exhaustive
    assert sums[0].total.location.line == 1
    assert sums[0].parts[1].location.line == 3


def test_qizhong_list_is_not_exhaustive_and_heji_is() -> None:
    doc = doc_of(
        "本年支出合计1248.16万元，其中：基本支出862.40万元，项目支出385.76万元。",
        "办公费12.5万元、印刷费3.2万元，合计15.7万元。",
    )
    sums = of(extract_claims(doc), SumClaim)
    hows = {s.how: s for s in sums}
    # a total named as one (合计) with a closed 其中 list: an explicit relation
    assert not hows["其中·总额"].exhaustive
    assert hows["其中·总额"].total.value == Decimal("1248.16")
    assert hows["合计"].exhaustive
    assert [p.value for p in hows["合计"].parts] == [Decimal("12.5"), Decimal("3.2")]


def test_share_resolves_whole_by_name_and_builds_a_set() -> None:
    doc = doc_of(
        "基本支出全年预算数279.12万元，实际支出279.12万元。人员经费支出95.47万元，占基本支出的34.2%；"
        "日常公用经费支出183.64万元，占基本支出的63.8%。"
    )
    claims = extract_claims(doc)
    shares = of(claims, ShareClaim)
    assert [s.share.value for s in shares] == [Decimal("34.2"), Decimal("63.8")]
    assert all(s.wholes[0].value == Decimal("279.12") for s in shares)
    assert shares[1].part.label == "日常公用经费"
    assert len(of(claims, ShareSet)) == 1


def test_rate_uses_amounts_of_the_same_scope() -> None:
    doc = doc_of("财政拨款全年预算数691.74万元，全年执行数691.74万元，预算执行率100%。")
    rates = of(extract_claims(doc), RateClaim)
    assert len(rates) == 1
    assert rates[0].numerator.value == Decimal("691.74")
    assert rates[0].denominators[0].value == Decimal("691.74")


def test_count_key_skips_listed_examples() -> None:
    text = "开设“聚焦两会”“全民禁毒月”等专题专栏20余个"
    assert count_key(text, text.index("20")) == "专题专栏"
    text2 = "实际完成值：完成相关专题专栏30余个"
    assert count_key(text2, text2.index("30")) == "专题专栏"
    doc = doc_of(text2 + "。", text + "。")
    counts = of(extract_claims(doc), CountFact)
    assert [c.figure.value for c in counts] == [Decimal(30), Decimal(20)]


def test_score_lines_nest_by_marker_and_total_and_grade() -> None:
    doc = doc_of(
        "部门整体支出绩效得分99分，评价等级为“优”。",
        "（一）预算执行率（分值10分，得10分）",
        "（二）产出指标（分值50分，得49分，扣1分）",
        "1、甲，分值30分，得分30分。",
        "2、乙，分值20分，得分19分。",
        "（三）满意度指标（分值10分，得10分）",
        "群众满意度，分值10分，得分10分。",
    )
    claims = extract_claims(doc)
    groups = of(claims, ScoreGroup)
    assert [g.head.name for g in groups] == ["产出指标", "满意度指标"]
    g = groups[0]
    assert g.head.deduction is not None and g.head.deduction.value == 1
    assert [i.name for i in g.items] == ["甲", "乙"]
    # An unnumbered score line is an item of the heading above it.
    assert [i.name for i in groups[1].items] == ["群众满意度"]
    total = of(claims, ScoreTotal)[0]
    assert total.total is not None and total.total.value == 99
    assert total.grade == "优"
    assert [x.head.name for x in total.groups] == ["预算执行率", "产出指标", "满意度指标"]


def test_unnumbered_line_after_numbered_items_is_their_sibling() -> None:
    doc = doc_of(
        "（二）产出指标（分值30分，得30分）", "1、甲，分值20分，得分20分。", "乙，分值10分，得分10分。"
    )
    groups = of(extract_claims(doc), ScoreGroup)
    assert len(groups) == 1
    assert [i.name for i in groups[0].items] == ["甲", "乙"]


def test_score_written_in_the_body_under_its_heading() -> None:
    doc = doc_of(
        "（一）预算执行情况（10分）",
        "全年预算数100万元，执行数99万元，预算执行率99%，该项得9.9分。",
        "（二）产出指标（90分）",
        "1.数量指标（90分）：完成，得90分。",
    )
    groups = next(c for c in extract_claims(doc) if isinstance(c, ScoreTotal)).groups
    head = groups[0].head
    assert head.weight is not None and head.weight.value == 10
    assert head.score is not None and head.score.value == Decimal("9.9")
    # A score written with decimals stands for its interval; whole-number weights are exact.
    assert head.score.interval.lo == Decimal("9.85")
    assert head.weight.interval.lo == Decimal(10)


def test_tab_separated_table_rows() -> None:
    table = "\n".join(
        [
            "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
            "年度资金总额\t100\t120\t118\t10\t98.33%\t9.83",
            "其中：财政拨款\t100\t110\t108\t—\t—\t—",
            "其他资金\t0\t10\t10\t—\t—\t—",
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析",
            "产出指标（50分）\t数量指标\t甲\t≥10个\t10个\t50\t50\t",
            "效益指标（40分）\t社会效益指标\t乙\t≥90%\t85%\t40\t38\t宣传不足",
            "总分\t\t\t\t\t100\t97.83\t",
        ]
    )
    claims = extract_claims(doc_of(table))
    sums = of(claims, SumClaim)
    assert {s.how for s in sums} == {"表格来源"}
    assert len(sums) == 3  # one per money column
    rates = of(claims, RateClaim)
    assert rates[0].rate.value == Decimal("98.33")
    total = of(claims, ScoreTotal)[0]
    assert total.total is not None and total.total.value == Decimal("97.83")
    assert [g.head.name for g in total.groups] == ["预算执行率", "产出指标", "效益指标"]
    assert total.groups[2].items[0].has_reason
    assert total.groups[0].head.location.table == 1
    assert total.groups[0].head.location.line == 2


def test_no_claims_from_nothing() -> None:
    assert extract_claims(doc_of("本年度无政府性基金预算支出。")) == []
    assert extract_claims(Document(path="e.txt", format="txt", encoding=None)) == []


_PIECES = st.sampled_from(
    [
        "其中：",
        "合计",
        "包括",
        "占基本支出的",
        "预算执行率",
        "分值",
        "得分",
        "得",
        "扣",
        "分",
        "万元",
        "%",
        "余个",
        "，",
        "。",
        "；",
        "（一）",
        "1、",
        "\t",
        "\n",
        "年初预算",
        "全年预算数",
        "实际支出",
        "人员经费",
        "等",
        "评价等级为优",
        "总分",
        "0",
        "7",
        "12.5",
        "100",
        "391.39",
        "—",
        "（",
        "）",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.lists(_PIECES, max_size=40))
def test_claims_never_raise_on_scrambled_text(a: list[str], b: list[str]) -> None:
    from jixiao.review.claims import prose as claims_prose
    from jixiao.review.claims import scores as claims_scores
    from jixiao.review.claims import tables as claims_tables

    doc = doc_of("".join(a), "".join(b))
    # Call the readers directly: the safety net in extract_claims must not hide a defect here.
    for reader in (
        claims_prose.extract_prose_claims,
        claims_scores.extract_score_claims,
        claims_tables.extract_table_claims,
    ):
        assert isinstance(reader(doc), list)


# --- gaps closed after the accuracy harness --------------------------------------------------------


def test_money_table_reads_a_row_labelled_just_other() -> None:
    # "其他" alone names the fourth source; "其他支出说明" is no source row.
    table = "\n".join(
        [
            "项目\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
            "年度资金总额\t500.00\t640.50\t630.10\t10\t98.38%\t9.84",
            "一般公共预算\t420.00\t560.00\t552.30\t—\t98.63%\t—",
            "纳入专户管理的非税收入\t50.00\t50.50\t48.00\t—\t95.05%\t—",
            "其他\t30.00\t30.00\t29.80\t—\t99.33%\t—",
            "其他支出说明\t1\t2\t3\t—\t—\t—",
        ]
    )
    sums = of(extract_claims(doc_of(table)), SumClaim)
    assert len(sums) == 3
    assert all(len(s.parts) == 3 and s.exhaustive for s in sums)
    assert [p.label for p in sums[0].parts][-1] == "其他资金年初预算"


def test_bare_share_takes_its_whole_from_the_sentence_before() -> None:
    doc = doc_of(
        "（一）基本支出",
        "基本支出年初预算150.00万元，全年预算162.40万元，全年执行160.00万元。",
        "其中：人员经费120.00万元，占比75.00%；日常公用经费40.00万元，占比25.00%。",
    )
    claims = extract_claims(doc)
    shares = of(claims, ShareClaim)
    assert [s.share.value for s in shares] == [Decimal("75.00"), Decimal("25.00")]
    assert all(s.whole_scope == "基本" for s in shares)
    assert shares[0].wholes[0].value == Decimal("160.00")
    assert shares[0].whole_name == "基本支出"
    assert len(of(claims, ShareSet)) == 1
    # No amount of the enclosing scope stated anywhere: no share claim (nothing to divide by).
    assert of(extract_claims(doc_of("其中：人员经费120.00万元，占比75.00%。")), ShareClaim) == []


def test_score_line_name_runs_to_the_target_label() -> None:
    doc = doc_of(
        "（二）产出指标（分值20分，得分20分）",
        "1．整合站点，搭建统一服务平台，年度指标值：≥3个，实际完成值：3个，分值12分，得分12分。",
        "2．站点巡检（2），年度指标值：≥12次，实际完成值：12次，分值8分，得分8分。",
        "3．资料归档，分值0分，得分0分。",
    )
    groups = of(extract_claims(doc), ScoreGroup)
    assert [i.name for i in groups[0].items] == ["整合站点，搭建统一服务平台", "站点巡检（2）", "资料归档"]


def test_count_keys_drop_dates_and_the_unit_as_subject() -> None:
    text = "核定编制数52人，截至2024年12月31日实有人数49人。年末本单位实有人数47人，本部门编制人数52人。日常巡查120次。"
    keys = [(c.key, c.figure.value) for c in of(extract_claims(doc_of(text)), CountFact)]
    assert keys == [
        ("编制数", Decimal(52)),
        ("实有人数", Decimal(49)),
        ("实有人数", Decimal(47)),
        ("编制数", Decimal(52)),
        ("日常巡查", Decimal(120)),
    ]
    # Qualifying words stay: 行政编制 and 事业编制 are different counts.
    split = "其中行政编制数12人，事业编制数40人。"
    assert [c.key for c in of(extract_claims(doc_of(split)), CountFact)] == ["行政编制数", "事业编制数"]


def _sentence_bounds_reference(text: str, offset: int) -> tuple[int, int]:
    """The plain reading sentence_bounds must keep: nearest end mark before and at/after ``offset``."""
    marks = "。；;！？!?\n"
    start = max((text.rfind(ch, 0, offset) for ch in marks), default=-1) + 1
    ends = [i for i in (text.find(ch, offset) for ch in marks) if i != -1]
    return start, min(ends) + 1 if ends else len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="。；;！？!?\n，,预算万元12.5", max_size=40), st.integers(min_value=-3, max_value=45))
def test_sentence_bounds_match_the_plain_reading(text: str, offset: int) -> None:
    from jixiao.review.claims.model import sentence_bounds

    assert sentence_bounds(text, offset) == _sentence_bounds_reference(text, offset)


def test_make_figure_builds_an_ordinary_equal_figure() -> None:
    # make_figure's place works out the location and excerpt when first read: the figure must equal,
    # hash, print and pickle like one built with them given, and stay immutable.
    import dataclasses
    import pickle

    import pytest

    from jixiao.review.claims.model import Figure, Place, make_figure
    from jixiao.review.quantities import find_quantities

    block = Block(kind="paragraph", text="全年预算775.18万元。", location=Location(path="p", line=1))
    q = find_quantities(block.text)[0]
    fig = make_figure(q, 0, block, label="全年预算")
    assert pickle.loads(pickle.dumps(fig)) == fig
    assert dataclasses.replace(fig, label="x").excerpt == "全年预算【775.18万元】。"
    same = Figure(
        q,
        0,
        Place(None, location=block.location, excerpt="全年预算【775.18万元】。"),
        fig.interval,
        "全年预算",
    )
    assert fig == same and hash(fig) == hash(same) and repr(fig) == repr(same)
    assert fig.excerpt == "全年预算【775.18万元】。"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fig.label = "x"  # type: ignore[misc]


def test_table_figures_keep_their_cell_and_row_when_read_late() -> None:
    from jixiao.review.read import document_from_text

    text = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n产出指标\t数量指标\t报道\t≥300篇\t320篇\t10\t9\n"
    claims = extract_claims(document_from_text(text))
    lines = [line for c in claims if isinstance(c, ScoreGroup) for line in (c.head, *c.items)]
    score = next(line.score for line in lines if line.score is not None)
    assert (score.location.line, score.location.row, score.location.col) == (2, 2, 7)
    assert score.excerpt == "产出指标 | 数量指标 | 报道 | ≥300篇 | 320篇 | 10 | 【9】"
    # Claims cross process boundaries pickled: a table figure (its place worked out by its row) too.
    import pickle

    fresh = extract_claims(document_from_text(text))
    assert pickle.loads(pickle.dumps(fresh)) == fresh
