"""The prose reader's shortcuts give what the plain reading gives.

``_may_hold_figures`` and ``_may_hold_target`` let the prose reader skip scanning a block for figures:
together they must never say no to a block in which the scanner finds a figure a reader uses (money, %,
a counted unit) or an indicator target. Checked against the scanner's own unit table, on the test
reports and on random text.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review.claims.model import MONEY_UNITS
from jixiao.review.claims.prose import (
    _CLAUSE_MARKS,
    _COUNT_SKIP_UNITS,
    _COUNTED_FIGURE,
    _TARGET_RE,
    _may_hold_figures,
    _may_hold_target,
    _window,
    extract_prose_claims,
)
from jixiao.review.quantities import Quantity, find_quantities, written_forms
from jixiao.review.quantities.units import _UNITS
from tests.review.claims.test_claims import doc_of

_FIXTURES = Path(__file__).parents[2] / "fixtures"


def _may_hold_claims(text: str) -> bool:
    """What the prose reader asks before scanning a block (extract_prose_claims)."""
    return _may_hold_figures(text) or _may_hold_target(text)


def _used_by_a_reader(q: Quantity) -> bool:
    if q.unit in MONEY_UNITS or q.unit == "%":
        return True
    return q.kind == "number" and q.unit not in _COUNT_SKIP_UNITS


def _relevant_units() -> list[str]:
    """Every unit word of the scanner (lookahead dropped) whose figures a prose reader uses."""
    words = []
    for fragment, unit in _UNITS:
        if unit in MONEY_UNITS or unit == "%" or unit not in _COUNT_SKIP_UNITS:
            words.append(re.sub(r"\(\?.*\)$", "", fragment).replace("\\", ""))
    return words


def test_every_unit_a_reader_uses_is_seen_after_a_number() -> None:
    words = _relevant_units()
    assert "个" in words and "元" in words and "%" in words and "km" in words
    assert "年" not in words and "分" not in words  # dates and scores are never counted
    for word in words:
        for form in written_forms(word):
            for number in ("3", "３", "12.5", "三", "十二"):
                for between in ("", " ", "　", "余", "万", "百万余", " 多 "):
                    text = f"共{number}{between}{form}"
                    assert _COUNTED_FIGURE.search(text) is not None, text


def test_the_filter_answers_no_only_without_figures() -> None:
    assert not _may_hold_claims("一是加强组织领导，二是完善制度建设。")
    assert not _may_hold_claims("于2024年3月完成验收")
    assert _may_hold_claims("完成培训3期")
    assert _may_hold_claims("资金100万元")
    assert _may_hold_claims("百分之九十")
    assert _may_hold_claims("年度指标值：按时完成")


def _check(text: str) -> None:
    if _may_hold_claims(text):
        return
    used = [q for q in find_quantities(text) if _used_by_a_reader(q)]
    assert used == [], (text, used)
    assert _TARGET_RE.search(text) is None, text
    assert extract_prose_claims(doc_of(text)) == [], text


def test_the_filter_passes_every_block_of_the_test_reports_that_holds_claims() -> None:
    files = sorted(_FIXTURES.rglob("*.txt"))
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            _check(line)


_PIECES = st.sampled_from(
    [
        "3",
        "12.5",
        "2024",
        "０",
        "三",
        "十",
        "一",
        "百分之",
        "余",
        "多",
        "万",
        "亿",
        " ",
        "　",
        "-",
        "至",
        "约",
        "≥",
        "超过",
        "个",
        "人",
        "人次",
        "项目",
        "元",
        "圆满",
        "%",
        "％",
        "ｋｍ",
        "年",
        "月",
        "日",
        "分",
        "号",
        "第",
        "（",
        "）",
        "，",
        "。",
        "、",
        "：",
        "年度指标值：",
        "目标值",
        "完成",
        "培训",
        "人员",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=16))
def test_the_filter_passes_every_random_text_that_holds_claims(pieces: list[str]) -> None:
    _check("".join(pieces))


def _window_by_walking_back(text: str, start: int, prev_end: int) -> str:
    """The plain reading of ``_window``: walk back from the figure to a clause mark."""
    s = prev_end
    for i in range(start - 1, prev_end - 1, -1):
        if text[i] in _CLAUSE_MARKS:
            s = i + 1
            break
    return text[s:start]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="基本支出预算万元12.，,：:、（(；;。\n ", max_size=30), st.data())
def test_window_is_the_words_back_to_a_clause_mark(text: str, data: st.DataObject) -> None:
    prev_end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(prev_end, len(text)))
    assert _window(text, start, prev_end) == _window_by_walking_back(text, start, prev_end)
