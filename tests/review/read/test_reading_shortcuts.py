"""The reading shortcuts give what the general paths give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao.review import normalize as nm
from jixiao.review.read.lines import _kept_spans

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
