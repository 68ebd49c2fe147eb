"""Regular expressions compiled at their first use, not at import.

Python compiles a pattern in Python code, and a character class of Chinese characters costs it about
0.2 ms (a map over the whole BMP); the review modules hold a few hundred patterns, many needed only by
some documents (a traditional-character page, a 自评表, a selected rule). ``lazy_compile`` stands in for
``re.compile`` at module level: the pattern is compiled when one of its attributes is first asked for,
and from then on its methods are the compiled pattern's own, found in the stand-in's ``__dict__``.

A stand-in is not a ``re.Pattern``: pass its methods around, never the stand-in to ``re.sub`` & co.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["lazy_compile"]

_KEPT = (
    *("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner"),
    *("pattern", "flags", "groups", "groupindex"),
)


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not in __dict__ yet: compile once and keep the pattern's own.
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attr in _KEPT:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source[0]!r})"


def lazy_compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return cast(re.Pattern[str], _LazyPattern(pattern, int(flags)))
