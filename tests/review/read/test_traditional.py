"""Traditional-character texts (mirror pages): recognised, read in simplified characters, places kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.review.read import document_from_text, read_document
from jixiao.review.read.hant_table import SIMPLIFIED, TRADITIONAL
from jixiao.review.read.traditional import _count_traditional, is_traditional, simplify

REAL = Path(__file__).resolve().parents[4] / "shared" / "real"

# Our own sentences, written the way mirror sites print them: traditional forms, some with pinyin.
REPORT = (
    "二、績效目標(biāo)完成情況\n"
    "全年預(yù)算數(shù)775.18萬元，全年執(zhí)行數(shù)760.02萬元，預算執行率98.04%。\n"
    "項(xiàng)目資金已全部撥付到位，產出指標均已完成。\n"
)


def codes(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return [f.code for f in read_document(path).findings]


def test_traditional_text_is_read_in_simplified_with_its_places(tmp_path: Path) -> None:
    path = tmp_path / "mirror.txt"
    path.write_text(REPORT, encoding="utf-8")
    doc = read_document(path)
    assert [(f.code, f.severity.value) for f in doc.findings] == [("R515", "info")]
    assert [b.text for b in doc.blocks] == [
        "二、绩效目标完成情况",
        "全年预算数775.18万元，全年执行数760.02万元，预算执行率98.04%。",
        "项目资金已全部拨付到位，产出指标均已完成。",
    ]
    block = doc.blocks[1]
    assert block.raw == REPORT.splitlines()[1]  # the text as written stays the raw text
    at = block.text.index("760.02")
    column = block.location_at(at).column
    assert column is not None and block.raw[column - 1 :].startswith("760.02")
    assert block.location_at(at).line == 2


def test_simplified_text_is_left_alone(tmp_path: Path) -> None:
    text = "一、基本情况\n全年预算数775.18万元，执行率100%。负责人：王堃，联系人：钟鍾。\n" * 5
    assert not is_traditional(text)
    assert codes(text, tmp_path) == []
    assert "鍾" in document_from_text(text).text()  # a name is not converted in a simplified report


def test_wrong_encoding_is_not_taken_for_traditional(tmp_path: Path) -> None:
    source = (
        "全年预算数775.18万元，全年执行数775.18万元，预算执行率100%，完成全年目标。部门整体支出绩效自评报告"
    )
    mojibake = source.encode("utf-8").decode("gbk", errors="replace")
    assert not is_traditional(mojibake * 3)
    assert codes(mojibake * 3, tmp_path) == ["R514"]


def test_a_few_traditional_characters_are_not_a_traditional_page() -> None:
    text = "一、基本情况\n本单位2024年度全年预算数775.18万元，執行率100%。\n" * 3
    assert not is_traditional(text)


def test_table_gives_a_one_for_one_map() -> None:
    assert len(TRADITIONAL) == len(SIMPLIFIED) == len(set(TRADITIONAL))
    for ch in TRADITIONAL:  # never a character a simplified text may use
        with pytest.raises(UnicodeEncodeError):
            ch.encode("gb2312")
    for ch in SIMPLIFIED:
        ch.encode("gb2312")


@given(
    st.lists(
        st.sampled_from(
            ["預", "算", "數", "(yù)", "(shù)", "（xiàng）", "(A)", "(1)", "(b/a)", "x", "7", "萬元", "("]
        ),
        max_size=30,
    )
)
def test_simplify_keeps_an_exact_offset_map(pieces: list[str]) -> None:
    text = "".join(pieces)
    out, kept = simplify(text)
    assert len(out) == len(kept)
    assert kept == sorted(set(kept)) and all(0 <= i < len(text) for i in kept)
    table = str.maketrans(TRADITIONAL, SIMPLIFIED)
    assert all(out[j] == text[i].translate(table) for j, i in enumerate(kept))
    dropped = "".join(text[i] for i in range(len(text)) if i not in set(kept))
    assert all(ch in "()（）abcdefghijklmnopqrstuvwxyzüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ" for ch in dropped)
    assert "(A)" not in text or "(A)" in out  # brackets that are not pinyin stay


@pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/real (the labelled development set) is not beside this clone"
)
def test_real_mirror_pages_are_recognised_and_no_others() -> None:
    for labels in sorted(REAL.glob("r*.json")):
        traditional = json.loads(labels.read_text(encoding="utf-8")).get("traditional", False)
        doc = read_document(labels.with_suffix(".txt"))
        found = [f.code for f in doc.findings]
        assert ("R515" in found) == traditional, labels.name
        assert "R514" not in found, labels.name


_TRADITIONAL_CLASS = re.compile(f"[{TRADITIONAL}]")


@given(st.text(alphabet=st.sampled_from(TRADITIONAL[::7] + SIMPLIFIED[::11] + "报告ab 1，。\u00e9")))
def test_traditional_characters_counted_as_the_character_class_finds_them(text):
    # The count deletes them with str.translate (a 2,552-character regex class is slow to compile).
    assert _count_traditional(text) == len(_TRADITIONAL_CLASS.findall(text))
