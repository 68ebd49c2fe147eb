"""Document checks: clean reports in several provincial styles give no finding; each broken variant
gives exactly the finding it should; rounding never raises a sum or share finding (property tests)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.findings import Finding, Severity
from jixiao.review.pipeline import check_file
from jixiao.rulesets import every_rule as all_rules

FIXTURES = Path(__file__).parent / "fixtures" / "review"
CLEAN = sorted(FIXTURES.glob("*_clean.txt"))


def _codes() -> set[str]:
    """The codes of the money, scores and consistency catalogs (this module's rules), each with a registered document check."""
    from importlib import resources

    from ruamel.yaml import YAML

    catalog: dict[str, object] = {}
    for name in ("money.yaml", "scores.yaml", "consistency.yaml"):
        catalog |= YAML(typ="safe").load(
            (resources.files("jixiao.core.rules") / name).read_text(encoding="utf-8")
        )
    return {r.code for r in all_rules() if r.code in catalog and "document" in r.checks}


MINE = _codes()


def review(tmp_path: Path, text: str, name: str = "r.txt") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [f for f in check_file(path).findings if f.code in MINE]


def test_rules_registered() -> None:
    assert {
        "B151",
        "B152",
        "B153",
        "B154",
        "B155",
        "Q401",
        "Q402",
        "S251",
        "S252",
        "S253",
        "S254",
        "S255",
        "S256",
        "S257",
        "S258",
        "S259",
        "S260",
    } <= MINE


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_reports_have_no_finding(path: Path) -> None:
    report = check_file(path)
    mine = [f.render() for f in report.findings if f.code in MINE]
    assert mine == []
    # The checks had something to check: the report's figures were read as claims.
    assert report.context is not None and len(report.context.claims) >= 5


def test_at_least_four_provinces() -> None:
    assert len({p.stem.split("_")[0] for p in CLEAN}) >= 4


# (fixture, text to replace, replacement, expected codes, text on the line of the first finding, words in
# its message)
BROKEN = [
    (
        "hunan_dept_clean",
        "基本支出年初预算302.40万元",
        "基本支出年初预算312.40万元",
        ["B151"],
        "2024年年初预算",
        "年初预算512.40万元不等于基本支出年初预算、项目支出年初预算之和522.40万元（312.40 + 210.00）",
    ),
    (
        "hunan_dept_clean",
        "占基本支出的19.31%",
        "占基本支出的18.31%",
        ["B153", "B154"],
        "18.31%",
        "日常公用经费61.45万元占基本支出的比例应为19.31%（61.45 ÷ 318.25），报告写18.31%",
    ),
    (
        "hunan_dept_clean",
        "（分值50分，得49分，扣1分）",
        "（分值50分，得48分，扣2分）",
        ["S251"],
        "得48分",
        "产出指标得分48分不等于其下各项得分之和49分（15 + 14 + 10 + 10）",
    ),
    (
        "hunan_dept_clean",
        "绩效得分96.87分",
        "绩效得分97.87分",
        ["S252"],
        "97.87分",
        "总分97.87分不等于各指标得分之和96.87分（9.87 + 49 + 29 + 9）",
    ),
    (
        "hunan_dept_clean",
        "评价等级为“优”",
        "评价等级为“良”",
        ["S258"],
        "评价等级",
        "总分96.87分应评为“优”，报告写“良”",
    ),
    (
        "hunan_dept_clean",
        "得分14分。扣分原因：年底集中办件较多，部分资料归档延后。",
        "得分14分。",
        ["S257"],
        "2．登记资料",
        "登记资料归档及时率分值15分、得分14分，扣1分，未见扣分原因说明",
    ),
    (
        "hunan_dept_clean",
        "（分值30分，得29分，扣1分）",
        "（分值30分，得29分，扣2分）",
        ["S256"],
        "扣2分",
        "效益指标写明扣2分，但分值30分减得分29分为1分",
    ),
    (
        "hunan_dept_clean",
        "分值15分，得分15分。",
        "分值15分，得分16分。",
        ["S251", "S252", "S255"],
        "（二）产出指标",
        "",
    ),
    (
        "hunan_dept_clean",
        "年度指标值：≥6000件",
        "年度指标值：≥6000",
        ["S259"],
        "≥6000，",
        "年度指标值“≥6000”没有计量单位",
    ),
    (
        "hubei_dept_clean",
        "预算执行率99.35%",
        "预算执行率99.53%",
        ["B155"],
        "99.53%",
        "执行率99.53%与执行数1248.16万元 ÷ 预算数1256.38万元 = 99.35%不符",
    ),
    (
        "hubei_dept_clean",
        "其他收入75.88万元",
        "其他收入95.88万元",
        ["B152"],
        "95.88",
        "“其中”所列各项之和1276.38万元（1180.50 + 95.88）超过总数1256.38万元",
    ),
    (
        "hubei_dept_clean",
        "得9.5分。扣分原因：巡查信息化手段仍不足。",
        "得9.5分。",
        ["S257"],
        "2.可持续影响",
        "可持续影响",
    ),
    (
        "yunnan_project_clean",
        "年度资金总额\t120.00\t135.60\t131.20",
        "年度资金总额\t120.00\t135.60\t113.20",
        ["B151", "B155"],
        "113.20",
        "年度资金总额执行数113.20万元不等于财政拨款执行数、上年结转执行数、其他资金执行数之和131.20万元（131.20 + 0 + 0）",
    ),
    (
        "yunnan_project_clean",
        "100\t98.48",
        "100\t97.48",
        ["Q401", "S252"],
        "97.48",
        "总分前后不一致：此处为97.48",
    ),
    (
        "sichuan_project_clean",
        "3.效益指标：分值30分",
        "3.效益指标：分值35分",
        ["S253", "S254"],
        "分值35分",
        "效益指标分值35分不等于其下各项分值之和30分（15 + 15）",
    ),
    (
        "guangdong_dept_clean",
        "基本支出\t1,150.00",
        "基本支出\t1,160.00",
        ["B151"],
        "合计\t1,650.00",
        "年度资金总额年初预算1650.00万元不等于基本支出年初预算、项目支出年初预算之和1660.00万元",
    ),
    (
        "guangdong_dept_clean",
        "满意度指标得分9分",
        "满意度指标得分8分",
        ["S252"],
        "综合得分",
        "总分93.6分不等于各指标得分之和92.60分（9.85 + 46.75 + 28 + 8）",
    ),
    (
        "hunan_dept_clean",
        "（一）预算执行率（分值10分，得9.87分）",
        "（一）预算执行率（分值10分，得9.5分）",
        ["S252", "S260"],
        "经自评，部门整体支出绩",
        "总分96.87分不等于各指标得分之和96.5分",
    ),
    (
        "sichuan_project_clean",
        "执行率100%，得分10",
        "执行率90%，得分10",
        ["B155", "S260"],
        "执行率90%",
        "执行率90%与执行数86.00万元",
    ),
    (
        "yunnan_project_clean",
        "10\t96.76%\t9.68",
        "10\t96.76%\t9.90",
        ["S252", "S260"],
        "总分\t",
        "总分98.48分不等于各指标得分之和98.70分（9.90 + 48.8 + 30 + 10）",
    ),
]


@pytest.mark.parametrize(
    ("fixture", "old", "new", "codes", "anchor", "words"),
    BROKEN,
    ids=[f"{b[0]}-{'-'.join(b[3])}" for b in BROKEN],
)
def test_broken_variant(
    tmp_path: Path, fixture: str, old: str, new: str, codes: list[str], anchor: str, words: str
) -> None:
    text = (FIXTURES / f"{fixture}.txt").read_text(encoding="utf-8")
    assert text.count(old) == 1, "the replaced text must be unique in the fixture"
    broken = text.replace(old, new)
    found = review(tmp_path, broken)
    assert sorted(f.code for f in found) == codes, [f.render() for f in found]
    first = next(f for f in found if f.code == codes[0])
    lines = [n for n, line in enumerate(broken.splitlines(), start=1) if anchor in line]
    assert len(lines) == 1, f"anchor {anchor!r} must be on one line"
    assert first.location.line == lines[0]
    assert words in first.message
    assert "【" in first.excerpt or first.location.table is not None


def test_finding_carries_values_and_related(tmp_path: Path) -> None:
    text = (FIXTURES / "hunan_dept_clean.txt").read_text(encoding="utf-8")
    (f,) = review(tmp_path, text.replace("基本支出年初预算302.40万元", "基本支出年初预算312.40万元"))
    assert f.severity is Severity.ERROR
    assert f.values["stated"] == "512.40" and f.values["recomputed"] == "522.40"
    assert f.values["parts"] == "312.40 + 210.00"
    assert f.values["stated_interval"] == "[512.395, 512.405]"
    assert [loc.line for _, loc in f.related] == [13, 15]
    assert "【512.40万元】" in f.excerpt


def test_rounding_is_not_an_error(tmp_path: Path) -> None:
    # 95.47 + 183.64 = 279.11 against 279.12: within what two decimals can hide.
    found = review(
        tmp_path,
        "基本支出全年预算数279.12万元，实际支出279.12万元。"
        "人员经费支出95.47万元，日常公用经费支出183.64万元。\n",
    )
    assert found == []


def test_approximate_figures_only_warn(tmp_path: Path) -> None:
    found = review(tmp_path, "实际完成值：完成相关专题专栏30余个。\n另开设“甲”“乙”等专题专栏20余个。\n")
    assert [(f.code, f.severity) for f in found] == [("Q401", Severity.WARNING)]
    found = review(tmp_path, "实际完成值：完成相关专题专栏30余个。\n另开设“甲”“乙”等专题专栏36个。\n")
    assert found == []  # 36 lies in 30余


def test_source_differing_from_total_is_a_warning_unless_explained(tmp_path: Path) -> None:
    text = "全年预算安排775.18万元，全年预算执行数775.18万元。\n财政拨款全年预算数691.74万元，全年执行数691.74万元。\n"
    found = review(tmp_path, text)
    assert [(f.code, f.severity) for f in found] == [("Q402", Severity.WARNING)]
    assert "相差83.44万元" in found[0].message
    explained = text + "其他资金全年预算数83.44万元。\n"
    assert review(tmp_path, explained) == []


# --- property tests ---------------------------------------------------------------------------

NAMES = ["办公费", "印刷费", "水电费", "差旅费", "会议费"]


def _render(cents: int, decimals: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


parts_st = st.lists(st.integers(min_value=1_00, max_value=5_000_00), min_size=2, max_size=5)
decimals_st = st.lists(st.integers(min_value=0, max_value=2), min_size=6, max_size=6)


def _sum_sentence(parts: list[Decimal], total: Decimal) -> str:
    listed = "，".join(f"{NAMES[i]}{p}万元" for i, p in enumerate(parts))
    return f"本年商品和服务支出{total}万元，其中：{listed}。\n"


@settings(max_examples=60, deadline=None)
@given(
    parts=parts_st,
    decimals=decimals_st,
    bump=st.integers(min_value=7, max_value=500),
    which=st.integers(0, 4),
)
def test_property_sums(
    tmp_path_factory: pytest.TempPathFactory, parts: list[int], decimals: list[int], bump: int, which: int
) -> None:
    tmp = tmp_path_factory.mktemp("sum")
    total = _render(sum(parts), decimals[0])
    shown = [_render(p, decimals[i + 1]) for i, p in enumerate(parts)]
    assert review(tmp, _sum_sentence(shown, total)) == []
    # One part off by more than every rounding interval together (at most 6 × 0.5): exactly one finding.
    k = which % len(shown)
    shown[k] = shown[k] + bump
    found = review(tmp, _sum_sentence(shown, total))
    assert [f.code for f in found] == ["B152"]


@settings(max_examples=60, deadline=None)
@given(
    part=st.integers(min_value=100_00, max_value=50_000_00),
    rest=st.integers(min_value=100_00, max_value=50_000_00),
    decimals=decimals_st,
    shift=st.integers(min_value=5, max_value=40),
)
def test_property_shares(
    tmp_path_factory: pytest.TempPathFactory, part: int, rest: int, decimals: list[int], shift: int
) -> None:
    tmp = tmp_path_factory.mktemp("share")
    whole = part + rest
    share = (Decimal(part) / Decimal(whole) * 100).quantize(
        Decimal(1).scaleb(-decimals[0]), rounding=ROUND_HALF_UP
    )
    w, p = _render(whole, decimals[1]), _render(part, decimals[2])

    def text(s: Decimal) -> str:
        return f"基本支出全年预算数{w}万元，实际支出{w}万元。人员经费支出{p}万元，占基本支出的{s}%。\n"

    assert review(tmp, text(share)) == []
    # Amounts ≥ 100 written to whole 万元 move the quotient by under 1 point; 5 points is always wrong.
    moved = share + shift if share + shift <= 100 else share - shift
    found = review(tmp, text(moved))
    assert [f.code for f in found] == ["B153"]


# --- gaps closed after the accuracy harness ------------------------------------------------------


def test_target_and_actual_counts_are_not_one_figure(tmp_path: Path) -> None:
    text = (
        "年度总体目标：完成12所校舍维修，组织送教下乡2000人次。\n"
        "实际完成情况：完成校舍维修12所，组织送教下乡2315人次。\n"
        "年度指标值：≥1500份，实际完成值：1620份问卷回收。\n"
    )
    assert review(tmp_path, text) == []
    # Two actuals (or an actual and a plain statement) that differ are still one figure stated twice.
    restated = text + "全年共组织送教下乡2350人次。\n"
    found = review(tmp_path, restated)
    assert [(f.code, f.severity) for f in found] == [("Q401", Severity.WARNING)]
    assert found[0].values["stated"] == "2350" and found[0].values["other"] == "2315"
    # Two targets that differ are one target stated twice.
    targets = text + "年度目标：组织送教下乡2200人次。\n"
    assert [f.values["stated"] for f in review(tmp_path, targets)] == ["2200"]


def test_bare_share_is_checked_against_the_enclosing_whole(tmp_path: Path) -> None:
    text = (
        "基本支出全年预算162.40万元，全年执行160.00万元。\n"
        "其中：人员经费120.00万元，占比75.00%；日常公用经费40.00万元，占比25.00%。\n"
    )
    assert review(tmp_path, text) == []
    found = review(tmp_path, text.replace("占比75.00%", "占比72.00%"))
    assert [f.code for f in found] == ["B153", "B154"]
    assert "应为75.00%（120.00 ÷ 160.00），报告写72.00%" in found[0].message
    assert found[0].location.line == 2


SCORED_PROSE_AND_TABLE = (
    "经自评，本单位部门整体支出绩效自评得分95分，等级为“优”。\n"
    "（一）产出指标（分值60分，得分55分）\n"
    "1．建设便民服务站点，年度指标值：≥8个，实际完成值：7个，分值40分，得分35分，扣5分。\n"
    "偏差原因：一个站点选址调整，年底未能完工。\n"
    "2．资料归档完整率，年度指标值：≥95%，实际完成值：97%，分值20分，得分20分。\n"
    "（二）满意度指标（分值40分，得分40分）\n"
    "1．群众满意度，年度指标值：≥90%，实际完成值：93%，分值40分，得分40分。\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "产出指标\t数量指标\t建设便民服务站点\t≥8个\t7个\t40\t35\t一个站点选址调整\n"
    "\t质量指标\t资料归档完整率\t≥95%\t97%\t20\t20\t—\n"
    "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t93%\t40\t40\t—\n"
    "总分\t\t\t\t\t100\t95\t等级：优\n"
)


def test_table_score_differing_from_prose_points_at_the_cell(tmp_path: Path) -> None:
    assert review(tmp_path, SCORED_PROSE_AND_TABLE) == []
    broken = SCORED_PROSE_AND_TABLE.replace("\t20\t20\t—", "\t20\t18\t—")
    found = review(tmp_path, broken)
    conflict = [f for f in found if f.code == "Q401"]
    assert len(conflict) == 1 and conflict[0].severity is Severity.ERROR
    assert conflict[0].location.table == 1 and conflict[0].location.row == 3
    assert conflict[0].values["stated"] == "18" and conflict[0].values["other"] == "20"
    assert "资料归档完整率得分" in conflict[0].message
    assert {f.code for f in found} == {"Q401", "S252", "S262"}


def test_table_subtotal_rows_are_checked_against_their_items(tmp_path: Path) -> None:
    table = (
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
        "产出指标\t\t\t\t\t60\t58\t\n"
        "\t数量指标\t维修校舍面积\t≥2000平方米\t1900平方米\t30\t28\t两处工程延期\n"
        "\t质量指标\t工程验收合格率\t=100%\t100%\t30\t30\t—\n"
        "满意度指标\t服务对象满意度指标\t师生满意度\t≥90%\t92%\t40\t40\t—\n"
        "\t小计\t\t\t\t40\t40\t\n"
        "总分\t\t\t\t\t100\t98\t\n"
    )
    assert review(tmp_path, table) == []
    found = review(tmp_path, table.replace("\t30\t30\t—", "\t30\t29\t—"))
    s251 = [f for f in found if f.code == "S251"]
    assert len(s251) == 1 and s251[0].location.row == 2
    assert "产出指标得分58分不等于其下各项得分之和57分（28 + 29）" in s251[0].message
    found = review(tmp_path, table.replace("\t40\t40\t—", "\t40\t38\t—"))
    s251 = [f for f in found if f.code == "S251"]
    assert len(s251) == 1 and s251[0].location.row == 6


def test_every_stated_grade_is_checked(tmp_path: Path) -> None:
    # The prose grade is right; the 自评表 总分 row says otherwise.
    found = review(tmp_path, SCORED_PROSE_AND_TABLE.replace("等级：优", "等级：良"))
    assert [f.code for f in found] == ["S258"]
    assert found[0].location.table == 1 and found[0].location.row == 5
    assert "总分95分应评为“优”，报告写“良”" in found[0].message
    # The table's grade is right; the prose says otherwise.
    found = review(tmp_path, SCORED_PROSE_AND_TABLE.replace("等级为“优”", "等级为“中”"))
    assert [f.code for f in found] == ["S258"]
    assert found[0].location.line == 1


def test_two_grades_without_a_total_must_agree(tmp_path: Path) -> None:
    text = (
        "本单位部门整体支出绩效评价等级为“优”。\n"
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
        "总分\t\t\t\t\t100\t\t等级：良\n"
    )
    found = review(tmp_path, text)
    assert [f.code for f in found] == ["S258"]
    assert "等级前后不一致" in found[0].message and found[0].location.row == 2
    assert review(tmp_path, text.replace("等级：良", "等级：优")) == []


def test_staff_count_restated_in_other_words(tmp_path: Path) -> None:
    text = "（三）人员编制情况\n编制数62人，截至2024年12月31日实有人数56人。\n"
    assert review(tmp_path, text + "年末本单位实有人数56人。\n") == []
    found = review(tmp_path, text + "截至2024年12月31日，本单位实有人数55人。\n")
    assert [(f.code, f.severity) for f in found] == [("Q401", Severity.WARNING)]
    assert found[0].location.line == 3 and "实有人数前后不一致" in found[0].message


def test_checks_read_an_edited_claim_list_anew() -> None:
    """The checks share what they derive from one claim list; a list edited in place is read again."""
    from jixiao.core.rules.registry import run_checks
    from jixiao.model.frameworks import load_framework
    from jixiao.review.claims.collect import extract_claims
    from jixiao.review.context import ReviewContext
    from jixiao.review.read import document_from_text

    text = (FIXTURES / "hunan_dept_clean.txt").read_text(encoding="utf-8")
    broken = text.replace("基本支出年初预算302.40万元", "基本支出年初预算312.40万元")
    clean_doc = document_from_text(text, path="a.txt", format="txt")
    broken_doc = document_from_text(broken, path="a.txt", format="txt")
    ctx = ReviewContext(document=clean_doc, framework=load_framework("mof-2020"))
    ctx.claims = extract_claims(clean_doc)
    assert not [f for f in run_checks("document", ctx) if f.code == "B151"]
    # The same list object, as long as before, holding other claims: the B151 error must now be seen.
    broken_claims = extract_claims(broken_doc)
    assert len(broken_claims) == len(ctx.claims)
    ctx.claims[:] = broken_claims
    assert [f.code for f in run_checks("document", ctx) if f.code == "B151"] == ["B151"]
    ctx.claims[:] = extract_claims(clean_doc)
    assert not [f for f in run_checks("document", ctx) if f.code == "B151"]


def test_execution_score_follows_weight_times_rate(tmp_path: Path) -> None:
    base = "（一）预算执行率（分值10分，得{score}分）\n\n全年预算数200.00万元，全年执行数{done}万元，预算执行率{rate}。\n"

    def s260(score: str, done: str, rate: str) -> list[Finding]:
        return [
            f for f in review(tmp_path, base.format(score=score, done=done, rate=rate)) if f.code == "S260"
        ]

    found = s260("9.5", "180.00", "90%")
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].values["recomputed"] == "9.00" and found[0].values["parts"] == "10 × 90%"
    assert found[0].location.line == 1 and "【9.5】" in found[0].excerpt
    assert [r[0] for r in found[0].related] == ["预算执行率分值：10", "执行率：90%"]
    assert s260("9", "180.00", "90%") == []  # right
    assert s260("9.87", "197.44", "98.72%") == []  # 9.872 written to two decimals
    assert s260("10", "197.44", "98.72%") == []  # a whole-number score stands for [9.5, 10.5]
    assert s260("10", "210.00", "105%") == []  # capped: over 100% counts as 100% under mof-2020


def test_execution_score_is_not_checked_where_the_framework_has_no_such_indicator(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "（一）预算执行率（分值10分，得9.5分）\n\n全年预算数200.00万元，全年执行数180.00万元，预算执行率90%。\n"
    )
    assert [f for f in check_file(path).findings if f.code == "S260"]
    assert not [f for f in check_file(path, framework="mof-2013-dept").findings if f.code == "S260"]


def test_a_total_stated_again_must_agree_with_the_first(tmp_path: Path) -> None:
    text = (
        "一、绩效情况\n经自评，本单位部门整体支出绩效自评得分95.5分，等级为“优”。\n"
        "（一）预算执行率（分值10分，得10分）\n（二）产出指标（分值50分，得46分）\n"
        "（三）效益指标（分值30分，得29.5分）\n（四）满意度指标（分值10分，得10分）\n"
        "二、结论\n综上，本单位自评得分为{again}分。\n"
    )
    found = [f for f in review(tmp_path, text.format(again="97")) if f.code == "Q401"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].location.line == 8 and "【97】" in found[0].excerpt
    assert (found[0].values["stated"], found[0].values["other"]) == ("97", "95.5")
    for same in ("95.5", "95.50"):  # the same figure (a whole-number score is exact: "96" is not 95.5)
        assert not [f for f in review(tmp_path, text.format(again=same)) if f.code == "Q401"], same


def test_scores_of_projects_and_indicators_are_not_the_total_again(tmp_path: Path) -> None:
    head = "一、绩效情况\n经自评，本单位部门整体支出绩效自评得分95.5分，等级为“优”。\n"
    for later in (
        "其中：乡村道路维护项目自评得分92分，农村饮水安全项目自评得分88分。",
        "（四）满意度指标，评价得分10分。",
    ):
        assert not [f for f in review(tmp_path, head + later + "\n") if f.code == "Q401"], later


def test_execution_score_may_follow_any_rate_stated_with_it(tmp_path: Path) -> None:
    # The 基本支出 rate comes first; the score follows the whole budget's rate, stated later or apart.
    line = "（一）预算执行率（分值10分，得9.5分）\n\n"
    for rest in (
        "基本支出全年预算数120.00万元，全年执行数108.00万元，执行率90%；全年预算数200.00万元，"
        "全年执行数190.00万元，预算执行率95%。\n",
        "全年预算数200.00万元，全年执行数190.00万元。其中：基本支出全年预算数120.00万元，"
        "全年执行数108.00万元，执行率90%。\n\n总体预算执行率95%。\n",
    ):
        assert not [f for f in review(tmp_path, line + rest) if f.code == "S260"], rest
    wrong = [f for f in review(tmp_path, line + "基本支出执行率90%，预算执行率93%。\n") if f.code == "S260"]
    assert len(wrong) == 1 and wrong[0].values["recomputed"] == "9.30"  # the whole budget's rate is shown


def test_execution_score_cut_off_instead_of_rounded_only_warns(tmp_path: Path) -> None:
    text = "（一）预算执行率（分值10分，得{score}分）\n\n全年预算数200.00万元，全年执行数197.44万元，预算执行率98.72%。\n"
    cut = [f for f in review(tmp_path, text.format(score="9.8")) if f.code == "S260"]
    assert len(cut) == 1 and cut[0].severity is Severity.WARNING and "截去" in cut[0].message
    wrong = [f for f in review(tmp_path, text.format(score="9.7")) if f.code == "S260"]
    assert len(wrong) == 1 and wrong[0].severity is Severity.ERROR


def test_a_rate_written_as_a_fraction_in_the_table_is_not_read_as_percent(tmp_path: Path) -> None:
    text = (FIXTURES / "yunnan_project_clean.txt").read_text(encoding="utf-8")
    assert text.count("10\t96.76%\t9.68") == 1
    found = review(tmp_path, text.replace("10\t96.76%\t9.68", "10\t0.9676\t9.68"))
    assert not [f for f in found if f.code in ("S260", "B155")], [f.render() for f in found]


_EXEC = "（一）预算执行率（分值10分，得{score}分）\n\n"


@pytest.mark.parametrize(
    "rest",
    [
        # right (10 × 95% = 9.5); a nearby percentage is a formula, a change or another thing's rate
        "全年预算数200.00万元，全年执行数190.00万元，预算执行率=执行数/预算数×100%=95%。\n",
        "全年预算数200.00万元，全年执行数190.00万元，占全年预算的95.00%，预算执行率同比提高5%。\n",
        "全年预算数200.00万元，全年执行数190.00万元，预算执行率95%（上年预算执行率为90%）。\n",
        "评分标准：预算执行率100%得满分，按比例扣分。\n\n全年预算数200.00万元，全年执行数190.00万元，预算执行率95%。\n",
        "项目\t全年预算数\t全年执行数\t执行率\n合计\t200.00\t190.00\t95.00%\n基本支出\t120.00\t120.00\t100.00%\n"
        "项目支出\t80.00\t70.00\t87.50%\n其中基本支出执行率100%，项目支出执行率87.50%。\n",
    ],
)
def test_execution_score_right_reports_are_quiet(tmp_path: Path, rest: str) -> None:
    assert not [f for f in review(tmp_path, _EXEC.format(score="9.5") + rest) if f.code == "S260"]


@pytest.mark.parametrize(
    ("name", "rest"),
    [
        (
            "预算执行率",
            "全年预算数200.00万元，全年执行数180.00万元，预算执行率90%，其中基本支出执行率100%。\n",
        ),
        ("预算执行率", "全年预算数200.00万元，全年执行数180.00万元，预算执行率90%。政府采购执行率100%。\n"),
        ("项目资金执行率", "全年预算数200.00万元，全年执行数180.00万元，预算执行率90%。\n"),
        ("项目预算执行率", "项目全年预算数200.00万元，全年执行数180.00万元，执行率90%。\n"),
        ("财政拨款执行率", "财政拨款全年预算数200.00万元，全年执行数180.00万元，执行率90%。\n"),
    ],
)
def test_execution_score_wrong_reports_are_found(tmp_path: Path, name: str, rest: str) -> None:
    text = f"（一）{name}（分值10分，得10分）\n\n{rest}"
    found = [f for f in review(tmp_path, text) if f.code == "S260"]
    assert len(found) == 1 and found[0].values["recomputed"] == "9.00", [f.render() for f in found]


def test_other_rates_named_execution_are_not_the_indicator(tmp_path: Path) -> None:
    text = (
        "（一）预算执行率（分值10分，得10分）\n全年预算数200.00万元，全年执行数200.00万元，预算执行率100%。\n"
        "1.“三公”经费预算执行率（分值5分，得5分）\n“三公”经费预算执行率为85%，控制在预算以内（≤100%）。\n"
        "2.政府采购执行率（分值5分，得5分）\n政府采购执行率92%，达到年度指标值（≥90%）。\n"
    )
    assert not [f for f in review(tmp_path, text) if f.code == "S260"]


def test_a_score_a_full_step_short_is_an_error_not_a_cut(tmp_path: Path) -> None:
    text = _EXEC.format(score="8") + "全年预算数200.00万元，全年执行数180.00万元，预算执行率90%。\n"
    found = [f for f in review(tmp_path, text) if f.code == "S260"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR and "截去" not in found[0].message


@pytest.mark.parametrize(
    ("cells", "codes"),
    [
        ("138.79\t10\t1.0235\t10", []),  # 102.35% written as a fraction, capped: full marks are right
        ("131.20\t10\t0.9676\t9.68", []),  # 96.76% as a fraction
        ("131.20\t10\t0.9676\t9.90", ["S260"]),
        ("131.20\t10\t96.76\t9.90", ["S260"]),  # a percentage without its sign
    ],
)
def test_table_rates_as_fractions_or_percentages(tmp_path: Path, cells: str, codes: list[str]) -> None:
    text = (FIXTURES / "yunnan_project_clean.txt").read_text(encoding="utf-8")
    old = "131.20\t10\t96.76%\t9.68"
    assert text.count(old) == 1
    broken = text.replace(old, cells)
    if cells.startswith("138.79"):
        broken = broken.replace("120.00\t135.60\t131.20\t—", "120.00\t135.60\t138.79\t—")
    found = [f.code for f in review(tmp_path, broken) if f.code in ("S260", "B155")]
    assert found == codes


@pytest.mark.parametrize(
    "later",
    [
        "本次评价采用百分制，总分100分。",
        "评分办法：总分100分，90分以上为优。",
        "本单位上年绩效评价得分92分，本年得分95.5分。",
        "与上年相比，本单位上年度自评得分为90分。",
        "本部门下属二级单位县农技站自评得分88分。",
    ],
)
def test_other_years_units_and_full_marks_are_not_the_total(tmp_path: Path, later: str) -> None:
    text = "一、绩效情况\n经自评，本单位部门整体支出绩效自评得分95.5分，等级为“优”。\n" + later + "\n"
    assert not [f for f in review(tmp_path, text) if f.code == "Q401"]
    first = "一、评价方法\n本次自评指标体系总分100分，其中预算执行率10分。\n二、绩效情况\n经自评，本单位自评得分95.5分。\n"
    assert not [f for f in review(tmp_path, first) if f.code == "Q401"]


@pytest.mark.parametrize(
    ("again", "found"),
    [("97", False), ("96.5", False), ("96.50", False), ("98", True), ("97.5", True)],
)
def test_a_restated_total_may_round_the_first(tmp_path: Path, again: str, found: bool) -> None:
    text = (
        "一、绩效情况\n经自评，本单位部门整体支出绩效自评得分96.5分，等级为“优”。\n"
        f"二、结论\n综上，本单位自评得分为{again}分，评价等级为优。\n"
    )
    assert bool([f for f in review(tmp_path, text) if f.code == "Q401"]) is found


def test_a_project_report_restating_its_own_total(tmp_path: Path) -> None:
    text = "一、自评结论\n该项目自评得分97.87分，等级为优。\n二、其他\n综上，本项目自评得分为93分。\n"
    assert [f.code for f in review(tmp_path, text) if f.code == "Q401"] == ["Q401"]
    same = "一、自评结论\n该项目综合评分为97分，等级为优。\n二、其他\n综上，本项目综合评分为93分。\n"
    assert [f.code for f in review(tmp_path, same) if f.code == "Q401"] == ["Q401"]


def test_an_unnamed_part_after_qizhong_is_not_the_whole_again(tmp_path: Path) -> None:
    text = "一、基本情况\n2023年度部门支出决算1250.30万元，其中：民生支出980.10万元。\n"
    assert not [f for f in review(tmp_path, text) if f.code in ("Q401", "Q402")]


def test_sichuan_total_row_is_read(tmp_path: Path) -> None:
    text = (
        "部门预算项目支出绩效自评表（2023年度）\n"
        "预算执行情况（10分）\t年初预算\t调整后预算数\t预算执行数\t预算执行率\t权重\t得分\n"
        "总额\t100.00\t120.00\t113.40\t94.50%\t10\t{score}\n"
        "其中：财政资金\t100.00\t120.00\t113.40\t94.50%\t/\t/\n"
    )
    assert [f.code for f in review(tmp_path, text.format(score="8")) if f.code == "S260"] == ["S260"]
    assert not [f for f in review(tmp_path, text.format(score="9.45")) if f.code == "S260"]
