"""A pattern compiled at first use answers as re.compile's does, and is not compiled before."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core import patterns
from jixiao.core.patterns import lazy_compile

_SOURCE = r"(?P<n>\d+)(?P<unit>万元|元(?!素|化))?"


def test_not_compiled_until_first_used(monkeypatch):
    compiled: list[str] = []
    real = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(patterns.re, "compile", counting)
    lazy = lazy_compile(_SOURCE)
    assert compiled == []
    assert lazy.search("共12万元") is not None
    assert lazy.fullmatch("3元") is not None
    assert compiled == [_SOURCE]  # once, then the pattern's own methods


@given(st.text(alphabet="0123456789万元素化 ,", max_size=12))
def test_answers_as_the_compiled_pattern(text):
    lazy, real = lazy_compile(_SOURCE, re.ASCII), re.compile(_SOURCE, re.ASCII)
    assert [m.groupdict() for m in lazy.finditer(text)] == [m.groupdict() for m in real.finditer(text)]
    assert lazy.sub("#", text) == real.sub("#", text)
    assert lazy.findall(text) == real.findall(text)
    assert (lazy.pattern, lazy.flags, lazy.groupindex) == (real.pattern, real.flags, real.groupindex)
