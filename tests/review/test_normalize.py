"""Normalisation of report text: half-width figures, artefacts removed, offsets mapped back to the raw text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.review.normalize import (
    _ANY_CHANGE,
    may_change,
    normalize,
    normalize_map,
    normalize_text,
    normalizer_for,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[bookmark: _GoBack]3、贴近民生", "3、贴近民生"),
        ("全年预算数７７５．１８万元", "全年预算数775.18万元"),
        ("执行率１００％", "执行率100%"),
        ("＋５％，－３", "+5%，-3"),
        ("ＡＢＣ指标ｘｙｚ", "ABC指标xyz"),
        ("（一）部门职能职责", "（一）部门职能职责"),  # full-width brackets are kept
        ("１．贯彻落实", "1．贯彻落实"),  # ． only becomes . between digits
        ("共1,234,567.89元", "共1234567.89元"),
        ("共１，２３４人", "共1234人"),
        ("分别为1，2，3项", "分别为1，2，3项"),  # a list, not thousands
        ("2023，2024年", "2023，2024年"),  # four digits before the comma: two years
        ("1,23,456", "1,23,456"),  # irregular groups: left alone
        ("1,234,56", "1,234,56"),
        ("共1 234.5万元", "共1234.5万元"),
        ("10 775.18", "10 775.18"),  # score and amount in a table row
        ("合计775. 18万元", "合计775.18万元"),
        ("1. 2024年度预算", "1. 2024年度预算"),  # a numbered heading, not 1.2024
        ("a\u00a0b\u3000c\td", "a b c d"),
        ("预\u200b算\u00ad执\ufeff行", "预算执行"),
        ("(cid:12)(cid:345)元", "\ufffd\ufffd元"),
        ("⼀、基本情况", "一、基本情况"),  # Kangxi radical from a PDF text layer
        ("≥90%", "≥90%"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_offsets_point_at_the_source_characters() -> None:
    raw = "[bookmark: _GoBack]全年预算数７７５．１８万元，共1,234人"
    text, offsets = normalize(raw)
    assert text == "全年预算数775.18万元，共1234人"
    assert raw[offsets[text.index("全")]] == "全"
    assert raw[offsets[text.index("775")]] == "７"
    assert raw[offsets[text.index(".18")]] == "．"
    # "1234": the digits map to the digits, the dropped comma maps nowhere
    start = text.index("1234")
    assert [raw[offsets[start + i]] for i in range(4)] == list("1234")
    assert offsets[-1] == len(raw)


def test_artefact_inside_a_number_is_removed_and_number_rejoined() -> None:
    assert normalize_text("共1[bookmark: x],234人") == "共1234人"


_alphabet = st.sampled_from(
    [
        *list("0123456789０１２３４５６７８９.,，．% ％ \u3000\xa0\u200b\xad\tab万元共\n（）一、"),
        "[bookmark: _GoBack]",
        "(cid:7)",
        "⼀",
    ]
)
_texts = st.lists(_alphabet, max_size=40).map("".join)


@settings(max_examples=400)
@given(_texts)
def test_offsets_monotonic_and_in_range(raw: str) -> None:
    text, offsets = normalize(raw)
    assert len(offsets) == len(text) + 1
    assert offsets[-1] == len(raw)
    assert all(0 <= o <= len(raw) for o in offsets)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    assert all(o < len(raw) for o in offsets[:-1])


@settings(max_examples=400)
@given(_texts)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["Lo"]), max_size=30))
def test_plain_chinese_text_is_unchanged(raw: str) -> None:
    # Letters of other scripts (Lo) outside the look-alike ranges pass through untouched.
    folded = {ch for ch in raw if 0x2E80 <= ord(ch) <= 0x2FDF or 0xF900 <= ord(ch) <= 0xFAFF}
    if not folded:
        text, offsets = normalize(raw)
        assert text == raw
        assert offsets == list(range(len(raw) + 1))


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from([",", "，"]))
def test_thousands_separators_removed(value: int, sep: str) -> None:
    grouped = f"{value:,}".replace(",", sep)
    assert normalize_text(f"共{grouped}元") == f"共{value}元"


@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_digits_become_ascii(value: int) -> None:
    full = "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    assert normalize_text(f"金额{full}元") == f"金额{value}元"


# --- the fast paths against the plain per-character definition ------------------------------------------


def _reference(raw: str) -> tuple[str, list[int]]:
    """``normalize`` as first written: every pass over every character, maps composed each time."""
    from jixiao.review import normalize as nz

    def rewrite(
        text: str, pattern: re.Pattern[str], fn: Callable[[re.Match[str]], Any]
    ) -> tuple[str, list[int]]:
        out: list[str] = []
        offsets: list[int] = []
        pos = 0
        for m in pattern.finditer(text):
            out.append(text[pos : m.start()])
            offsets.extend(range(pos, m.start()))
            pieces = fn(m)
            if pieces is None:
                out.append(m.group())
                offsets.extend(range(m.start(), m.end()))
            else:
                for piece, index in pieces:
                    out.append(piece)
                    offsets.extend([m.start() + index] * len(piece))
            pos = m.end()
        out.append(text[pos:])
        offsets.extend(range(pos, len(text) + 1))
        return "".join(out), offsets

    def map_chars(text: str) -> tuple[str, list[int]]:
        out: list[str] = []
        offsets: list[int] = []
        for i, ch in enumerate(text):
            repl = nz._CHAR_MAP.get(ord(ch), ch)
            if repl:
                out.append(repl)
                offsets.append(i)
        offsets.append(len(text))
        return "".join(out), offsets

    passes: list[Callable[[str], tuple[str, list[int]]]] = [
        lambda t: rewrite(t, nz._ARTEFACT, nz._artefact),
        map_chars,
        lambda t: rewrite(t, nz._FW_POINT, lambda m: [(".", 0)]),
        lambda t: rewrite(t, nz._POINT_SPACE, nz._point_space),
        lambda t: rewrite(t, nz._THOUSANDS, nz._thousands),
    ]

    def once(text: str) -> tuple[str, list[int]]:
        offsets = list(range(len(text) + 1))
        for step in passes:
            text, inner = step(text)
            offsets = [offsets[j] for j in inner]
        return text, offsets

    text, offsets = raw, list(range(len(raw) + 1))
    for _ in range(4):
        new, inner = once(text)
        if new == text:
            break
        text, offsets = new, [offsets[j] for j in inner]
    return text, offsets


_tricky = st.sampled_from(
    [
        *list(
            "0123456789０１２３４５６７８９.,，．% ％ \u3000\xa0\u200b\u200c\xad\ufeff\t−ａＺ万元共\n（）一、"
        ),
        "[bookmark: _GoBack]",
        "[bookmark:",
        "(cid:7)",
        "(cid:",
        "⼀",
        "\uf900",
        "1. ",
        " 234",
        "，567",
    ]
)


@settings(max_examples=1500)
@given(st.lists(_tricky, max_size=60).map("".join))
def test_same_text_and_map_as_the_per_character_definition(raw: str) -> None:
    text, offsets = normalize(raw)
    assert (text, offsets) == _reference(raw)
    assert normalize(raw) == (text, offsets)  # the second call (cached) gives the same answer
    assert normalize_text(raw) == text


@given(st.text(max_size=80))
def test_any_text_matches_the_per_character_definition(raw: str) -> None:
    assert tuple(normalize(raw)) == _reference(raw)


@settings(max_examples=1500)
@given(st.one_of(st.lists(_tricky, max_size=60).map("".join), st.text(max_size=80)))
def test_quick_change_test_agrees_with_the_one_regex(raw: str) -> None:
    # may_change is the fast form of "_ANY_CHANGE matches somewhere": a difference would let a line
    # that needs rewriting through untouched, or rewrite one that does not.
    assert may_change(raw) == (_ANY_CHANGE.search(raw) is not None)


def test_no_replacement_is_itself_replaced() -> None:
    # _translated replaces one distinct character after another; that equals str.translate only if no
    # replacement brings in a character that a later replacement would change again.
    from jixiao.review import normalize as nz

    for repl in nz._CHAR_MAP.values():
        assert all(ord(ch) not in nz._CHAR_MAP for ch in repl), repl


@settings(max_examples=1500)
@given(st.one_of(st.lists(_tricky, max_size=60).map("".join), st.text(max_size=80)))
def test_fast_translation_equals_str_translate(raw: str) -> None:
    from jixiao.review import normalize as nz

    assert nz._translated(raw) == raw.translate(nz._TRANSLATE)


_report_piece = st.sampled_from(
    ["预算执行率", "（一）", "1．", "合计", "万元", "。", "\n", "\r\n", "\x0b", "\u2028"]
)


@settings(max_examples=1000)
@given(st.lists(st.one_of(_tricky, _report_piece), max_size=60).map("".join), st.data())
def test_normalizer_for_a_text_equals_normalize_map_on_its_pieces(text: str, data: st.DataObject) -> None:
    # The whole-text shortcut must give every line, and any other piece, what normalize_map gives it.
    normalise = normalizer_for(text)
    for line in text.splitlines():
        assert normalise(line) == normalize_map(line)
        assert normalise(line.strip()) == normalize_map(line.strip())
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert normalise(text[start:end]) == normalize_map(text[start:end])


@pytest.mark.parametrize(
    "text",
    [
        "一、基本情况\n预算执行率99.47%。",  # nothing to change: the identity
        "单位名称\t某局\n附件1\u3000自评表",  # tabs and wide spaces only
        "合计\t1，234\n共12 345人",  # groups: the general path
        "全年预算７７５．１８万元",
        "预\u200b算",
        "[bookmark: _GoBack]1、",
    ],
)
def test_normalizer_for_typical_texts(text: str) -> None:
    normalise = normalizer_for(text)
    for line in text.splitlines():
        assert normalise(line) == normalize_map(line)


def test_cells_may_change_looks_inside_cells_not_across_tabs() -> None:
    from jixiao.review.normalize import cells_may_change

    assert may_change("95\t100")  # the tab itself is rewritten
    assert not cells_may_change("95\t100")  # but no cell of the row is
    assert cells_may_change("指标\t１０\t5")  # a full-width digit inside a cell
    assert cells_may_change("预算\t1,234")  # a thousands group inside a cell
    assert not cells_may_change("合计 1\t234")  # a group is never read across two cells
