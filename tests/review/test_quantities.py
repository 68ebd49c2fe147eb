"""Quantity tokenizer: numbers, units, qualifiers and the intervals they stand for."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.core.decimals import Interval
from jixiao.review.quantities import Quantity, find_quantities, parse_quantity
from jixiao.review.quantities.chinese import _D
from jixiao.review.quantities.patterns import (
    _AR,
    _CN,
    _DATE,
    _DOCNO,
    _POST,
    _POST_FIRST,
    _PRE,
    _PRE_LAST,
    _PRE_WORDS,
    _RANGE_OR_TAIL_FIRST,
    _RANGE_SEP,
    _SCAN,
    _TAIL,
    _TIME_CTX,
    _UNIT_AT,
    _UNIT_RE,
    UnitWords,
    _lookahead_per_char,
)
from jixiao.review.quantities.plain import (
    _EXACT,
    _PLAIN_NUMBER,
    _TIME_LAST,
    _exact,
    _plain_cell,
    _read_plain,
)
from jixiao.review.quantities.quantity import _HALVES, _half
from jixiao.review.quantities.read import _read
from jixiao.review.quantities.scan import _scan_text
from jixiao.review.quantities.units import _UNITS
from jixiao.review.quantities.width import _FULLWIDTH, _NEEDS_FW, _fw_char

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_e908e985cae8175b.txt"


def one(text: str, **kw: bool) -> Quantity:
    found = find_quantities(text, **kw)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def summary(text: str) -> list[tuple[str, str, str]]:
    return [(q.text, format(q.value, "f"), q.unit) for q in find_quantities(text)]


# --- Chinese numeral renderers (for property tests) --------------------------------------------

LOWER_DIGITS = "零一二三四五六七八九"
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
LOWER_UNITS = ("", "十", "百", "千")
UPPER_UNITS = ("", "拾", "佰", "仟")


def _group(g: int, digits: str, units: tuple[str, ...]) -> str:
    out = ""
    pending_zero = False
    for i, p in enumerate((1000, 100, 10, 1)):
        d = g // p % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out += digits[0]
            pending_zero = False
        out += digits[d] + units[3 - i]
    return out


def render_cn(n: int, *, upper: bool = False, short_ten: bool = True) -> str:
    """0..99,999,999 as a Chinese numeral, zeros written the way people write them."""
    digits, units = (UPPER_DIGITS, UPPER_UNITS) if upper else (LOWER_DIGITS, LOWER_UNITS)
    if n == 0:
        return digits[0]
    out = ""
    need_zero = False
    for g, u in ((n // 10**4, "万"), (n % 10**4, "")):
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out += digits[0]
        out += _group(g, digits, units) + u
        need_zero = False
    if short_ten and not upper and out.startswith("一十"):
        out = out[1:]  # "十二", not "一十二"
    return out


def test_renderer_examples() -> None:
    assert render_cn(105) == "一百零五"
    assert render_cn(12) == "十二"
    assert render_cn(35_000_000) == "三千五百万"
    assert render_cn(10_001) == "一万零一"
    assert render_cn(120, upper=True) == "壹佰贰拾"


# --- whole cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "unit", "decimals", "approximate", "comparator"),
    [
        ("≥90%", "90", "%", 0, True, ">="),
        ("100%", "100", "%", 0, False, ""),
        ("391.39", "391.39", "", 2, False, ""),
        ("279.10", "279.10", "", 2, False, ""),
        ("30余个", "30", "个", 0, True, ""),
        ("三千五百万元", "3500", "万元", 0, False, ""),
        ("壹佰贰拾万元整", "120", "万元", 0, False, ""),
        ("壹佰贰拾叁元肆角伍分", "123.45", "元", 2, False, ""),
        ("10万+", "100000", "", 0, True, ""),
        ("1,234.50万元", "1234.50", "万元", 2, False, ""),
        ("1，234.50万元", "1234.50", "万元", 2, False, ""),
        ("十二", "12", "", 0, False, ""),
        ("一百零五", "105", "", 0, False, ""),
        ("5千", "5000", "", 0, False, ""),
        ("1.2亿元", "1.2", "亿元", 1, False, ""),
        ("3.5万", "35000", "", 0, False, ""),
        ("百分之九十", "90", "%", 0, False, ""),
        ("百分之百", "100", "%", 0, False, ""),
        ("二十余人", "20", "人", 0, True, ""),
        ("-5.5%", "-5.5", "%", 1, False, ""),
        ("=100%", "100", "%", 0, False, "="),
        ("不低于85%", "85", "%", 0, True, ">="),
        ("≤5天", "5", "天", 0, True, "<="),
        ("10万人次", "10", "万人次", 0, False, ""),
        ("３４．２％", "34.2", "%", 1, False, ""),
        ("2个百分点", "2", "百分点", 0, False, ""),
    ],
)
def test_parse_cell(
    cell: str, value: str, unit: str, decimals: int, approximate: bool, comparator: str
) -> None:
    q = parse_quantity(cell)
    assert q is not None
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.decimals == decimals
    assert q.approximate is approximate
    assert q.comparator == comparator
    assert q.text == cell


@pytest.mark.parametrize("cell", ["", "  ", "正常运行", "完成", "达成预期指标", "90%，95%", "一是", "十四五"])
def test_parse_cell_rejects(cell: str) -> None:
    assert parse_quantity(cell) is None


@pytest.mark.parametrize(
    ("cell", "value"), [("一百五", 150), ("三千五", 3500), ("一万五", 15000), ("一百零五", 105)]
)
def test_spoken_shorthand(cell: str, value: int) -> None:
    q = parse_quantity(cell)
    assert q is not None and q.value == value


def test_magnitude_keeps_precision_written() -> None:
    q = parse_quantity("3.5万")
    assert q is not None
    assert q.interval == Interval(Decimal(34500), Decimal(35500))


# --- intervals and qualifiers -------------------------------------------------------------------


def test_exact_interval_is_half_unit_in_last_place() -> None:
    q = one("占基本支出的34.2%。")
    assert q.interval == Interval(Decimal("34.15"), Decimal("34.25"))
    assert not q.approximate


@pytest.mark.parametrize(
    ("text", "lo", "hi", "qualifier"),
    [
        ("发稿5000余篇。", "5000", None, "余"),
        ("专栏20多个，", "20", None, "多"),
        ("超过300人。", "300", None, "超过"),
        ("满意度90%以上。", "90", None, "以上"),
        ("播放量突破10万+，", "100000", None, "突破…+"),
        ("逾百分之八十", "80", None, "逾"),
        ("其中近20个。", None, "20", "近"),
        ("控制在5%以内。", None, "5", "以内"),
        ("不超过3天。", None, "3", "不超过"),
        ("其中约12.5%。", None, None, "约"),
        ("共10个左右。", None, None, "左右"),
    ],
)
def test_approximate_intervals(text: str, lo: str | None, hi: str | None, qualifier: str) -> None:
    q = one(text)
    assert q.approximate
    assert q.qualifier == qualifier
    assert q.interval.lo == (None if lo is None else Decimal(lo))
    assert q.interval.hi == (None if hi is None else Decimal(hi))
    assert q.interval.contains(q.value)


def test_daodao_is_an_exact_figure() -> None:
    q = one("满意度达到95%。")
    assert not q.approximate and q.value == Decimal(95)


def test_yue_in_jieyue_is_not_about() -> None:
    q = one("全年节约3.2万元。")
    assert not q.approximate
    assert q.text == "3.2万元"


def test_ranges_are_one_quantity() -> None:
    q = one("每期20-30个。")
    assert (q.value, q.upper, q.unit) == (Decimal(20), Decimal(30), "个")
    assert q.interval == Interval(Decimal("19.5"), Decimal("30.5"))
    assert q.approximate
    q = one("工期三至五天。")
    assert (q.value, q.upper, q.unit) == (Decimal(3), Decimal(5), "天")
    q = one("补助3-5万元。")
    assert (q.value, q.upper, q.unit) == (Decimal(3), Decimal(5), "万元")
    q = one("受众3-5万人。")
    assert (q.value, q.upper, q.unit) == (Decimal(30000), Decimal(50000), "人")
    assert [q.upper for q in find_quantities("比分5~3个")] == [None, None]  # high end below low end: no range


def test_in_unit_money_and_percent() -> None:
    q = parse_quantity("391.39万元")
    assert q is not None
    assert q.in_unit("元") == Decimal(3913900)
    assert q.in_unit("亿元") == Decimal("0.0391390")
    assert q.in_unit("万元") == Decimal("391.39")
    assert q.in_unit("%") is None
    assert q.interval_in("元") == Interval(Decimal(3913850), Decimal(3913950))
    p = parse_quantity("50%")
    assert p is not None and p.in_unit("") == Decimal("0.50")
    assert p.in_unit("‰") == Decimal(500)
    c = parse_quantity("3个")
    assert c is not None and c.in_unit("元") is None and c.in_unit("个") == Decimal(3)


# --- what is not a quantity --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "一、基本情况",
        "（一）部门职能职责",
        "一是进一步提高预算执行率。",
        "一年来，我们持续推进。",
        "实行一次性补助。",
        "认真贯彻党的二十大精神。",
        "依据财预〔2020〕10号文件。",
        "第一季度影响力排名上升。",
        "第三届旅发大会。",
        "三湘四水，相约湖南。",
        "发挥三大功能。",
        "这一点十分重要。",
        "开辟了一条具有特色的道路。",
        "实行一户一策。",
        "1．贯彻落实方针政策",
        "（1）项目概况",
        "建设5G基站。",
        "联系电话0734-8888888。",
        "执行十四五规划。",
        "统一部署。",
        "三分之一。",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == [], summary(text)


def test_table_row_flattened_to_text_is_not_a_heading() -> None:
    assert summary("6 8 100%") == [("6", "6", ""), ("8", "8", ""), ("100%", "100", "%")]
    assert summary("1 基本情况") == []


def test_dates_and_years_only_on_request() -> None:
    text = "2024年12月31日止我办在职人员6人，2023-2024年度，二〇二四年。"
    assert summary(text) == [("6人", "6", "人")]
    kinds = [(q.text, q.kind) for q in find_quantities(text, include_dates=True)]
    assert kinds == [
        ("2024年12月31日", "date"),
        ("6人", "number"),
        ("2023-2024年", "year"),
        ("二〇二四年", "year"),
    ]


@pytest.mark.parametrize("date", ["2024-12-31", "2024.12.31", "2024/1/5"])
def test_a_date_with_one_separator_twice_is_read_whole(date: str) -> None:
    # The separator is matched again by name: a numbered back-reference inside the scan pattern pointed at
    # another group, and these dates were cut to "2024-12" or read as the number 2024.12.
    found = find_quantities(f"截至{date}，", include_dates=True)
    assert [(q.text, q.kind) for q in found] == [(date, "date")]
    assert find_quantities(f"截至{date}，") == []
    q = parse_quantity(date)
    assert q is not None and q.kind == "date" and q.text == date


def test_a_date_with_two_separators_is_not_one_date() -> None:
    assert [q.text for q in find_quantities("2024-12.31", include_dates=True)] != ["2024-12.31"]


def test_scores() -> None:
    text = "（分值10分，得10分，扣1分）得分十分。"
    assert [(q.value, q.unit) for q in find_quantities(text)] == [
        (Decimal(10), "分"),
        (Decimal(10), "分"),
        (Decimal(1), "分"),
        (Decimal(10), "分"),
    ]


def test_spans_point_into_the_input() -> None:
    text = "年初预算３９１．３９万元，执行率１００％。"
    found = find_quantities(text)
    assert [text[q.start : q.end] for q in found] == ["３９１．３９万元", "１００％"]
    assert [q.value for q in found] == [Decimal("391.39"), Decimal(100)]


# --- sentences modelled on the seed report (own wording) ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "人员经费支出95.47万元，占基本支出的34.2%；",
            [("95.47万元", "95.47", "万元"), ("34.2%", "34.2", "%")],
        ),
        ("已制作播发240期，", [("240期", "240", "期")]),
        ("共开设专题专栏20余个。", [("20余个", "20", "个")]),
        ("截至12月底在职人员6人。", [("6人", "6", "人")]),
        ("播发公益信息400余条次。", [("400余条次", "400", "条次")]),
        ("累计发布视频683个，", [("683个", "683", "个")]),
        ("保障早中晚三个时段播出。", [("三个", "3", "个")]),
        ("预算执行率100%，得10分。", [("100%", "100", "%"), ("10分", "10", "分")]),
    ],
)
def test_seed_like_phrases(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert summary(text) == expected


def test_seed_report() -> None:
    if not SEED.exists():
        pytest.skip(f"seed report not available at {SEED} (../shared is absent)")
    text = SEED.read_text(encoding="utf-8")
    found = find_quantities(text)
    by_text: dict[str, list[Quantity]] = {}
    for q in found:
        by_text.setdefault(q.text, []).append(q)
        assert text[q.start : q.end] == q.text
        assert q.kind == "number"

    i = text.index("人员经费支出95.47万元，占基本支出的34.2%")
    near = [q for q in found if i <= q.start < i + 30]
    assert [(q.value, q.unit) for q in near] == [(Decimal("95.47"), "万元"), (Decimal("34.2"), "%")]
    (q20,) = by_text["20余个"]
    assert q20.approximate and q20.value == 20
    assert [q.value for q in by_text["240期"]] == [240]
    plays = by_text["突破10万+"]
    assert plays and all(q.approximate and q.interval == Interval.at_least(Decimal(100000)) for q in plays)
    j = text.index("2024年12月31日止")
    assert [(q.value, q.unit) for q in found if j <= q.start < j + 20] == [(Decimal(6), "人")]
    # Every "x.xx万元" figure in the report is found, and nothing else is read as 万元.
    written = re.findall(r"\d+\.\d+万元", text)
    assert sorted(q.text for q in found if q.unit == "万元") == sorted(written)
    # Headings, years and 二十大 are not amounts.
    assert not any(q.text in ("二十大", "2024", "一", "1") for q in found)


# --- property tests -----------------------------------------------------------------------------

UNITS = ["", "万元", "元", "亿元", "%", "个", "篇", "人次", "分", "期", "人", "项"]


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    whole = draw(st.integers(min_value=0, max_value=10**14))
    places = draw(st.integers(min_value=0, max_value=4))
    frac = "".join(str(draw(st.integers(0, 9))) for _ in range(places))
    grouped = draw(st.booleans())
    head = f"{whole:,}" if grouped else str(whole)
    text = head + ("." + frac if places else "")
    return text, Decimal(text.replace(",", ""))


@settings(max_examples=300)
@given(written_numbers(), st.sampled_from(UNITS), st.booleans())
def test_exact_figures_round_trip(num: tuple[str, Decimal], unit: str, negative: bool) -> None:
    written, value = num
    if negative:
        written, value = "-" + written, -value
    text = f"其中{written}{unit}，"
    q = one(text)
    assert q.value == value
    assert q.value.as_tuple().exponent == value.as_tuple().exponent
    assert q.decimals == max(0, -int(value.as_tuple().exponent))
    assert q.unit == unit
    assert q.text == written + unit
    assert not q.approximate
    assert q.interval.bounded and q.interval.contains(q.value)


def _to_fullwidth(s: str) -> str:
    return s.translate(str.maketrans("0123456789.%", "０１２３４５６７８９．％"))


@given(written_numbers(), st.sampled_from(UNITS))
def test_fullwidth_digits_round_trip(num: tuple[str, Decimal], unit: str) -> None:
    written, value = num
    fw = _to_fullwidth(written + unit)
    q = one(f"其中{fw}。")
    assert q.value == value and q.unit == unit and q.text == fw


APPROX = [
    ("{n}余{u}", "ge"),
    ("{n}多{u}", "ge"),
    ("超过{n}{u}", "ge"),
    ("{n}{u}以上", "ge"),
    ("不少于{n}{u}", "ge"),
    ("≥{n}{u}", "ge"),
    ("近{n}{u}", "le"),
    ("不超过{n}{u}", "le"),
    ("{n}{u}以下", "le"),
    ("约{n}{u}", "around"),
    ("{n}{u}左右", "around"),
]


@settings(max_examples=300)
@given(written_numbers(), st.sampled_from([u for u in UNITS if u]), st.sampled_from(APPROX))
def test_approximate_figures_are_open(num: tuple[str, Decimal], unit: str, template: tuple[str, str]) -> None:
    written, value = num
    pattern, direction = template
    phrase = pattern.format(n=written, u=unit)
    q = one(f"其中{phrase}。")
    assert q.value == value and q.unit == unit
    assert q.approximate
    assert q.text == phrase
    assert not q.interval.bounded
    if direction == "ge":
        assert q.interval == Interval.at_least(value)
    elif direction == "le":
        assert q.interval == Interval.at_most(value)
    else:
        assert q.interval == Interval(None, None)


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=99_999_999), st.booleans())
def test_chinese_numerals_round_trip(n: int, upper: bool) -> None:
    numeral = render_cn(n, upper=upper)
    q = parse_quantity(numeral)
    assert q is not None, numeral
    assert q.value == n and q.decimals == 0


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=99_999_999), st.booleans(), st.sampled_from(["元", "人", "个"]))
def test_chinese_numerals_with_units_in_text(n: int, upper: bool, unit: str) -> None:
    numeral = render_cn(n, upper=upper, short_ten=False)
    q = one(f"共计{numeral}{unit}。")
    if unit == "元":
        assert q.unit in ("元", "万元")
        assert q.in_unit("元") == n
    else:
        assert (q.value, q.unit) == (Decimal(n), unit)


FUZZ_ALPHABET = "0123456789０１．％一二两十百千万亿壹拾佰圆角余多几约近以上下左右超过%.,，-~至年月日号第个元分人次是、（）〔〕+≥= \n点之"


@settings(max_examples=300)
@given(st.text(alphabet=FUZZ_ALPHABET, max_size=50))
def test_never_raises_and_spans_are_consistent(text: str) -> None:
    for q in find_quantities(text, include_dates=True):
        assert text[q.start : q.end] == q.text
        assert 0 <= q.start < q.end <= len(text)
        if q.kind == "number" and not q.approximate:
            assert q.interval.contains(q.value)
        if q.kind == "number" and q.upper is not None and q.interval.bounded:
            assert q.value < q.upper and q.interval.contains(q.upper)
    parse_quantity(text)


# --- the fast reader agrees with the general one -------------------------------------------------

_PLAIN_PIECES = st.sampled_from(
    [
        *list("0123456789.,-~ \t\n、（）()第约近余多+号年月日时点万亿元人分个%ABkg"),
        "万元",
        "亿元",
        "人次",
        "分值",
        "得分",
        "至",
        "以上",
        "左右",
        "个月",
        "月份",
        "9时30分",
        "1、",
        "（1）",
        "5G",
        "0734",
        "，",
        "。",
        "执行率",
        "全年预算",
        "≥",
        "≤",
        "≥ ",
        ">",
        "<",
        ">=",
        "=",
        "约",
        "逾",
        "不低于",
        "2024年度",
        "1.2.3",
        "1.",
        "12月31",
        "第",
    ]
)


def _both_readers(text: str, cell: bool, include_dates: bool) -> None:
    t = _NEEDS_FW.sub(_fw_char, text)
    for m in _SCAN.finditer(t):
        if m.lastgroup != "ar":
            continue
        fast = _read_plain(t, text, m, cell, include_dates)
        if fast is None:
            continue  # handed to the general reader
        general, goes_on = _read(t, text, m, cell, include_dates)
        if isinstance(fast, int):
            # no quantity here, and the scan goes on where _scan_text goes on after _read
            assert general is None and fast == max(goes_on, m.start() + 1), (text, m.group())
        else:
            assert fast == general, (text, m.group())


@settings(max_examples=1500)
@given(st.lists(_PLAIN_PIECES, max_size=30).map("".join), st.booleans(), st.booleans())
@example("1、基本情况", False, False)
@example("（2）项目支出12万元左右", False, False)
@example("9时30分开会，得分9.5分", False, True)
@example("指标值≥95%，≤3个月，≥1.5万元", False, False)
@example("2024年度1.2.3版，12月31日", False, False)
@example("12.0月，3.0日，≥12.0月，1.00月份，0.5月，2024.0年", False, False)
@example("12.0月，3.0日，1.00月份", True, True)
@example("第3名，0734，1.提高", False, False)
@example(">95%，<3个月，>=1.5万元，=12，逾20人", False, False)
def test_fast_reader_gives_what_the_general_reader_gives(text: str, cell: bool, dates: bool) -> None:
    _both_readers(text, cell, dates)


@pytest.mark.parametrize(
    "path", sorted(Path(__file__).parents[1].glob("fixtures/**/*.txt")), ids=lambda p: p.name
)
def test_fast_reader_agrees_on_every_figure_of_the_fixtures(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        for cell in line.split("\t"):
            _both_readers(cell, True, True)
        _both_readers(line, False, False)


_AFTER_PIECES = st.sampled_from(
    [
        *[frag.split("(")[0] for frag, _ in _UNITS],
        *list(" \t余多几百千万亿萬億-—–~至到及以左上整+，。、；)）A1"),
        "以上",
        "左右",
        "上下",
        "及以下",
        "——",
        "分析",
        "人员",
    ]
)


@settings(max_examples=1500)
@given(st.lists(_AFTER_PIECES, max_size=6).map("".join))
def test_first_character_sets_cover_what_follows_a_figure(text: str) -> None:
    # _read_plain skips _POST, _RANGE_SEP and _TAIL when the next character is not in these sets:
    # a pattern that matches something must start with a character of its set.
    post = _POST.match(text)
    assert post is not None
    if post.end() > 0:
        assert text[:1] in _POST_FIRST
    if _RANGE_SEP.match(text) or _TAIL.match(text):
        assert text[:1] in _RANGE_OR_TAIL_FIRST


@settings(max_examples=1500)
@given(st.lists(_AFTER_PIECES, min_size=1, max_size=6).map("".join))
@example("元素")
@example("分析")
@example("个百分点")
def test_unit_words_by_first_character_read_as_post_reads_them(text: str) -> None:
    # _read_plain reads a unit from _UNIT_AT when the character after a figure is one of its keys: the
    # same unit word _POST reads there, and nothing else of _POST can match before it.
    unit_at = _UNIT_AT.get(text[0])
    if unit_at is None:
        return
    post = _POST.match(text)
    assert post is not None and post.group("q1", "mag", "q2") == (None, None, None)
    if isinstance(unit_at, str):
        found = text[0] if text.startswith(unit_at) else None
    else:
        found = unit_at.word_at(text, 0)
    assert found == post.group("unit") and post.end() == len(found or "")


def _unit_fragments() -> dict[str, list[str]]:
    by_first: dict[str, list[str]] = {}
    for frag, _ in _UNITS:
        by_first.setdefault(frag[0], []).append(_lookahead_per_char(frag))
    return by_first


@settings(max_examples=1500)
@given(st.sampled_from(sorted(_UNIT_AT)), st.lists(_AFTER_PIECES, max_size=4).map("".join), st.integers(0, 2))
@example("元", "素", 0)
@example("个", "月", 0)
@example("k", "mA", 0)
def test_unit_words_match_as_their_regex(first: str, after: str, lead: int) -> None:
    # UnitWords reads the words of one first character without a regex call: the same word the regex of
    # those alternatives matches (or none), at any offset.
    unit_at = _UNIT_AT[first]
    if isinstance(unit_at, str):
        return
    regex = re.compile("|".join(_unit_fragments()[first]))
    for text in (first + after, "得" * lead + first + after, after):
        m = regex.match(text, lead if text.startswith("得") else 0)
        pos = lead if text.startswith("得") else 0
        assert unit_at.word_at(text, pos) == (m.group() if m is not None else None), text


def test_unit_words_match_as_their_regex_after_every_character_they_name() -> None:
    # Every word of every first character, followed by nothing or by each character a lookahead names.
    for first, fragments in _unit_fragments().items():
        unit_at = _UNIT_AT.get(first)
        if not isinstance(unit_at, UnitWords):
            continue
        regex = re.compile("|".join(fragments))
        named = {ch for frag in fragments for ch in frag} | set("Az 素")
        for word, _ in unit_at.words:
            for text in (word + ch for ch in ["", *sorted(named)]):
                m = regex.match(text)
                assert unit_at.word_at(text, 0) == (m.group() if m is not None else None), text


@settings(max_examples=500)
@given(st.lists(st.sampled_from(list("0123456789时点分 \t日得")), max_size=6).map("".join))
def test_time_context_ends_with_a_character_the_plain_reader_looks_for(text: str) -> None:
    # _read_plain searches _TIME_CTX before a figure only after a character of _TIME_LAST.
    if _TIME_CTX.search(text, max(0, len(text) - 4)):
        assert text[-1] in _TIME_LAST


def test_unit_pattern_reads_as_the_unit_table_writes_it() -> None:
    # _UNIT_RE writes each "(?!a|b)" of the table as "(?!a)(?!b)" (faster to compile): the same matches
    # for every unit word followed by any character the table names (or by nothing).
    table = re.compile("|".join(frag for frag, _ in _UNITS))
    ours = re.compile(_UNIT_RE)
    after = sorted({ch for frag, _ in _UNITS for ch in frag if ch not in "()?!|[]-"} | set("素化分析 A"))
    words = {re.sub(r"\(\?.*\)$", "", frag).replace("\\", "") for frag, _ in _UNITS}
    for text in (w + ch for w in words for ch in ["", *after]):
        found, expected = ours.match(text), table.match(text)
        assert (found and found.group()) == (expected and expected.group()), text


@settings(max_examples=1000)
@given(st.sampled_from(["%", "万元"]), st.lists(_AFTER_PIECES, max_size=4).map("".join))
def test_usual_units_read_as_the_unit_pattern_reads_them(unit: str, rest: str) -> None:
    # _read_plain reads the usual units "%" and "万元" (not followed by 素, 旦…) as _read does.
    text = "12" + unit + rest
    m = _SCAN.match(text)
    assert m is not None
    fast = _read_plain(text, text, m, False)
    general, _ = _read(text, text, m, False, False)
    if fast is not None:  # None hands the figure to the general reader (a range, a qualifier after it)
        assert fast == general
    yuan = next(frag for frag, _ in _UNITS if frag.startswith("元(?!"))
    not_after_yuan = frozenset(yuan[len("元(?!") : -1].split("|"))
    if not rest[:1] or rest[0] not in _RANGE_OR_TAIL_FIRST | not_after_yuan:
        assert fast is not None and fast.unit == ("%" if unit == "%" else "万元")


@settings(max_examples=500)
@given(st.lists(st.sampled_from([*_PRE_WORDS, " ", "\t", "余", "元"]), max_size=4).map("".join))
def test_qualifier_words_end_with_a_character_the_plain_reader_hands_over(text: str) -> None:
    # _read_plain hands a figure after any character of _PRE_LAST to _read: every _PRE match ends in one.
    m = _PRE.search(text)
    if m is not None and m.end() > m.start():
        assert text[-1] in _PRE_LAST


@settings(max_examples=300)
@given(st.text(alphabet=FUZZ_ALPHABET, max_size=12))
@example(" ≥95% ")
@example("3-5个")
def test_a_cell_is_the_one_quantity_that_fills_it_however_often_read(text: str) -> None:
    # parse_quantity keeps its answer per cell text: the same as scanning the cell afresh, read twice.
    stripped = text.strip()
    found = _scan_text(stripped, True, True) if stripped else ()
    expected = found[0] if len(found) == 1 and (found[0].start, found[0].end) == (0, len(stripped)) else None
    assert parse_quantity(text) == expected
    assert parse_quantity(text) == expected


def test_quantities_built_in_one_call_are_the_named_tuples_the_class_builds() -> None:
    # The readers build a Quantity with tuple.__new__ (new_quantity, _read_plain): the same object as
    # Quantity(...) with its defaults, a Quantity in every way a caller can tell.
    for q in find_quantities("预算12.5万元，≥95%，约3个，3-5天，10分"):
        again = Quantity(
            q.value, q.text, q.start, q.end, q.unit, q.decimals, q.approximate, q.qualifier, q.interval
        )
        again = again._replace(comparator=q.comparator, kind=q.kind, upper=q.upper)
        assert type(q) is Quantity and q == again and hash(q) == hash(again) and repr(q) == repr(again)
        assert q._replace(unit="元").unit == "元" and q._asdict()["text"] == q.text


@settings(max_examples=1500)
@given(
    st.from_regex(r"[0-9]{1,26}(\.[0-9]{1,12})?", fullmatch=True),
    st.lists(_AFTER_PIECES, max_size=3).map("".join),
)
@example("0", "")
@example("0734", "")
@example("0734", "个百分点")
@example("0.50", "%")
@example("2024", "年")
@example("12", "月份")
@example("3", "个月")
@example("5", "km")
@example("5", "G")
@example("1" * 16, "")
@example("1" * 15 + "." + "1" * 9, "元")
@example("1" * 15 + "." + "1" * 10, "")
def test_a_number_and_unit_cell_reads_as_the_scan_reads_it(number: str, rest: str) -> None:
    # parse_quantity reads a cell that is one plain number and at most one unit word with _plain_cell,
    # without the scan: the same answer, and False (the scan reads it) for any other cell.
    cell = number + rest
    found = _scan_text(cell, True, True)
    expected = found[0] if len(found) == 1 and (found[0].start, found[0].end) == (0, len(cell)) else None
    fast = _plain_cell(cell)
    if fast is not False:
        assert fast == expected, cell
    if rest in ("", "%", "亩", "个", "人次", "元"):
        assert fast is not False  # the usual cells take the fast path


def test_full_width_map_has_no_ascii_keys() -> None:
    # _scan_text skips the full-width replacement for ASCII text: that is exact only if no key is ASCII.
    assert all(code > 0x7F for code in _FULLWIDTH)


@settings(max_examples=1500)
@given(st.text(alphabet="0123456789０１٣.,，-+ 元%万", max_size=20))
def test_plain_number_test_agrees_with_its_pattern(text: str) -> None:
    # _read_plain tells a plain number from what _AR matched by str tests instead of _PLAIN_NUMBER.
    for m in re.finditer(_AR, text):
        raw = m.group()
        plain = raw.isascii() and "-" not in raw and "," not in raw
        assert plain == (_PLAIN_NUMBER.fullmatch(raw) is not None), raw


@given(st.from_regex(r"[1-9][0-9]{0,14}(\.[0-9]{1,8})?|0\.[0-9]{1,8}", fullmatch=True))
def test_remembered_plain_numbers_equal_a_fresh_reading(raw: str) -> None:
    # _read_plain takes a plain number's value, decimals and interval from _EXACT once read: the same as
    # reading the digits afresh, however often asked.
    value = Decimal(raw)
    expected = (value, max(0, -int(value.as_tuple().exponent)), Interval.stated(value))
    for _ in range(2):
        found = _EXACT.get(raw) or _exact(raw, raw.find("."))
        assert found == expected and str(found[0]) == raw
        assert (str(found[2].lo), str(found[2].hi)) == (str(expected[2].lo), str(expected[2].hi))


def test_precomputed_halves_equal_the_function() -> None:
    from jixiao.core.decimals import half_ulp

    for exponent in range(-12, 3):
        half = _half(exponent)
        # the remembered value is the one the plain reader looks up, and it is decimals.half_ulp
        assert _HALVES[exponent] is half
        expected = half_ulp(Decimal(1).scaleb(exponent))
        assert half == expected and str(half) == str(expected)


# --- the scan pattern, rewritten for speed, matches as first written --------------------------------

_AR_AS_WRITTEN = (
    r"(?:(?<![0-9A-Za-z.])-)?(?<![\d.])"
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d{1,3}(?:，\d{3})+\.\d+|\d+(?:\.\d+)?)"
)
_SCAN_AS_WRITTEN = re.compile(
    rf"(?=[-\d{_D}十拾〔［【\[(（百])"
    rf"(?:(?P<docno>{_DOCNO})|(?P<date>{_DATE})|(?P<full>百分之百)|(?P<pct>百分之)?"
    rf"(?:(?P<ar>{_AR_AS_WRITTEN})|(?P<cn>{_CN})))"
)


def _matches(
    pattern: re.Pattern[str], text: str
) -> list[tuple[int, int, str | None, tuple[str | None, ...]]]:
    """Every match the scan could ask for: a search from each offset of ``text``."""
    out = []
    for pos in range(len(text) + 1):
        m = pattern.search(text, pos)
        if m is not None:
            out.append((m.start(), m.end(), m.lastgroup, m.groups()))
    return out


_SCAN_PIECES = st.sampled_from(
    [
        *list("0123456789.,，-~ \t、（）()〔〕［］【】[]第号年月日百分之一二三十万元%A"),
        "百分之",
        "百分之百",
        "2024",
        "1,234",
        "1，234.5",
        "12,345,678.90",
        "12月31日",
        "2024年5月",
        "2024-05",
        "2024.12.31",
        "〔2024〕3号",
        "（2023）第12号",
    ]
)


@settings(max_examples=1500)
@given(st.lists(_SCAN_PIECES, max_size=20).map("".join))
@example("百分之九十五，1,234.5万元，1，234.56元，-3.5%，a-3，2024年12月31日")
def test_scan_pattern_matches_as_first_written(text: str) -> None:
    assert _matches(_SCAN, text) == _matches(_SCAN_AS_WRITTEN, text)


@pytest.mark.parametrize(
    "path", sorted(Path(__file__).parents[1].glob("fixtures/**/*.txt")), ids=lambda p: p.name
)
def test_scan_pattern_matches_as_first_written_on_the_fixtures(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        t = _NEEDS_FW.sub(_fw_char, line)
        assert _matches(_SCAN, t) == _matches(_SCAN_AS_WRITTEN, t)
