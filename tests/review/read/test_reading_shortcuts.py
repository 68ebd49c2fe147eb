"""The reading shortcuts give what the general paths give."""

from __future__ import annotations

import contextlib

from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.core.findings import Location
from jixiao.review import normalize as nm
from jixiao.review.document import Block
from jixiao.review.read.lines import (
    HEADING_RE,
    SourceLine,
    _group_indices,
    _kept_spans,
    _one_line_block,
    _plain_group_indices,
    is_heading,
    normalized_text_blocks,
    plain_blocks,
    source_lines,
)
from jixiao.review.read.text import _control_share

_CHARS = st.sampled_from(list("0123456789０１,， .．\t\u3000[(bookmark:cid)]年度万元%％\n一、"))
_TEXTS = st.text(_CHARS, max_size=40)


@given(_TEXTS)
def test_stripped_span_is_kept_spans_without_markup(text: str) -> None:
    # Plain text takes the stripped line at once; the markdown walk, on text without markup (none of
    # these characters is markup), gives the reference.
    assert _kept_spans(text, False) == _kept_spans(text, True)


@given(_TEXTS)
def test_has_group_is_the_group_search(text: str) -> None:
    assert nm._has_group(text) == (nm._GROUP.search(text) is not None)


@given(_TEXTS)
def test_guarded_passes_are_the_passes(text: str) -> None:
    unguarded = (
        lambda t: nm._rewrite(t, nm._ARTEFACT, nm._artefact),
        nm._map_chars,
        lambda t: nm._rewrite(t, nm._FW_POINT, lambda m: [(".", 0)]),
        lambda t: nm._rewrite(t, nm._POINT_SPACE, nm._point_space),
        lambda t: nm._rewrite(t, nm._THOUSANDS, nm._thousands),
    )
    for guarded, plain in zip(nm._PASSES, unguarded, strict=True):
        assert guarded(text) == plain(text)


def test_a_guard_skips_nothing_that_matches() -> None:
    assert nm.normalize_text("共1，234.5万元") == "共1234.5万元"
    assert nm.normalize_text("共775. 18万元") == "共775.18万元"
    assert nm.normalize_text("1．5万元(cid:12)") == "1.5万元\ufffd"


# Bytes rich in what matters to the control count: ASCII controls, GB18030 lead and trail bytes, UTF-8
# lead and continuation bytes, and ordinary text.
_BYTES = st.lists(
    st.one_of(
        st.integers(0, 0x2F),
        st.sampled_from([0x30, 0x39, 0x40, 0x7E, 0x80, 0x81, 0xA1, 0xBF, 0xC3, 0xE4, 0xF0, 0xFE, 0xFF]),
        st.sampled_from(["年".encode(), "年".encode("gb18030"), "\u3000".encode(), b"a1"]).map(list),
    ),
    max_size=60,
).map(lambda items: bytes(b for item in items for b in (item if isinstance(item, list) else [item])))


@given(_BYTES)
def test_control_share_from_bytes_is_the_share_in_the_decoded_text(data: bytes) -> None:
    # The byte count stands for the regex count over the text, for every decoding decode_text uses on
    # bytes without a BOM (strict UTF-8, strict GB18030, UTF-8 with replacement characters).
    decoded = []
    for codec in ("utf-8", "gb18030"):
        with contextlib.suppress(UnicodeDecodeError):
            decoded.append(data.decode(codec))
    decoded.append(data.decode("utf-8", errors="replace"))
    for text in decoded:
        assert _control_share(text, data) == _control_share(text)


@given(st.text(st.sampled_from(list("ab 年\n\r\x0b\x0c\x1c\u2028\t")), max_size=30))
def test_source_lines_are_the_named_tuples_the_class_builds(text: str) -> None:
    built = source_lines(text)
    assert built == [SourceLine(line, n) for n, line in enumerate(text.splitlines(), start=1)]
    assert all(type(line) is SourceLine and line.indented is False for line in built)


@given(_TEXTS, st.integers(1, 500), st.one_of(st.none(), st.integers(1, 50)))
def test_one_line_block_location_is_the_named_tuple_the_class_builds(
    text: str, number: int, page: int | None
) -> None:
    block = _one_line_block(SourceLine(text, number, page), "a.txt")
    if block is not None:
        assert block.location == Location("a.txt", number, None, page)
        assert type(block.location) is Location and block.location.col is None


# Lines of a report saved as text: headings, sentences broken across lines, tab-separated rows, wide
# spaces, blank lines, and what makes the one-go normalisation step aside (\v, \f, "2. 5").
_LINE_PIECES = st.sampled_from(
    [
        "一、",
        "（一）",
        "1．",
        "2.",
        "①",
        "一是",
        "第一",
        "年度",
        "预算",
        "万元",
        "。",
        "；",
        "：",
        "，",
        "\t",
        "\u3000",
        "\xa0",
        " ",
        "ａ",
        "５",
        "％",
        "12",
        "99.5",
        "\x0b",
        "\x0c",
        "\r",
        "abc",
        "x" * 25,
        "年" * 30,
    ]
)
_REPORT_TEXTS = st.lists(st.lists(_LINE_PIECES, max_size=6).map("".join), max_size=12).map("\n".join)


# A heading exactly 0.9 times as wide as the widest line is a wrapped one: it takes the next line.
_WRAPPED_HEADING = "\n".join(["一、" + "年" * 25, "年年", "年" * 30, "  年。 \t"])


def test_mapped_characters_keep_whether_they_are_whitespace() -> None:
    # normalized_lines strips a normalised line for the normalised stripped line.
    for code, replacement in nm._CHAR_MAP.items():
        if replacement:
            assert chr(code).isspace() == replacement.isspace(), hex(code)


@given(_REPORT_TEXTS)
def test_normalized_lines_are_the_lines_normalised_one_by_one(text: str) -> None:
    norms, normalise = nm.normalized_lines(text)
    lines = text.splitlines()
    for line in lines:  # the normaliser given with them, for a text that takes the general path
        assert normalise(line) == nm.normalize_map(line)
        assert normalise(line.strip()) == nm.normalize_map(line.strip())
    if norms is None:
        return
    assert len(norms) == len(lines)
    for line, norm in zip(lines, norms, strict=True):
        assert nm.normalize_map(line) == (norm, None)
        assert nm.normalize_map(line.strip()) == (norm.strip(), None)


def test_normalized_lines_leave_what_changes_more_to_the_lines() -> None:
    assert nm.normalized_lines("第一行\t１\n第二行\u3000")[0] == ["第一行 1", "第二行 "]
    assert nm.normalized_lines("共1,234万元") == (None, nm.normalize_map)
    assert nm.normalized_lines("a\x0bb")[0] is None  # \v breaks the line and becomes a space


def _blocks_as_values(blocks: list[Block]) -> list[tuple[object, ...]]:
    return [(b, tuple(b.raw_offsets)) for b in blocks]


# Paragraphs broken across lines: Latin and digits meet at line breaks (joined with a space, or tight),
# and figures brought together across lines ("775." + "18") send the block to the general path.
_BROKEN_LINES = st.lists(
    st.lists(
        st.sampled_from(["abc", "12", "775.", "18", "年", "，", "\t", " ", "\u3000", "ａ", "。"]), max_size=5
    ).map("".join),
    min_size=2,
    max_size=8,
).map("\n".join)


@given(st.one_of(_REPORT_TEXTS, _BROKEN_LINES))
@example(_WRAPPED_HEADING)
@example("年度abc\n\tabc年 \n12\n34。")
@example("共775.\n18万元")
def test_normalized_text_blocks_are_the_plain_blocks(text: str) -> None:
    norms, _ = nm.normalized_lines(text)
    if norms is None:
        return
    assert norms == [nm.normalize_text(line) for line in text.splitlines()]
    fast = normalized_text_blocks(text.splitlines(), norms, "r.txt")
    general = plain_blocks(source_lines(text), "r.txt", nm.normalize_map)
    assert _blocks_as_values(fast) == _blocks_as_values(general)


@given(_REPORT_TEXTS)
@example(_WRAPPED_HEADING)
def test_plain_grouping_is_the_general_grouping(text: str) -> None:
    lines = source_lines(text)
    probes = [nm.normalize_text(line.text.strip()).strip() for line in lines]
    assert _plain_group_indices(probes) == _group_indices(lines, probes, False)


@given(st.text(st.sampled_from(list("一十〇（(（)第是、.．1٣５\u3000 \t①⑴⒈⒛\u249c年a")), max_size=6))
def test_heading_first_character_test_is_the_regex(text: str) -> None:
    assert is_heading(text) == bool(HEADING_RE.match(text))
