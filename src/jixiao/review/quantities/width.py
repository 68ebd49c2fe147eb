"""Full-width characters read as their ASCII forms: same length, so offsets keep their meaning."""

from __future__ import annotations

import itertools
import re

# Same-length replacements only, so offsets in the translated string are offsets in the input.
_FULLWIDTH: dict[int, str] = {0xFF10 + i: str(i) for i in range(10)}
_FULLWIDTH.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})
_FULLWIDTH.update(
    {
        ord("．"): ".",
        ord("％"): "%",
        ord("﹪"): "%",
        ord("＋"): "+",
        ord("－"): "-",
        ord("−"): "-",
        ord("～"): "~",
        ord("＜"): "<",
        ord("＞"): ">",
        ord("＝"): "=",
        ord("／"): "/",
        ord("　"): " ",
        ord("\u00a0"): " ",
    }
)


def written_forms(word: str) -> list[str]:
    """``word`` with each character also in every full-width form the scanner reads as it (ｋｍ, ％)."""
    forms: dict[str, list[str]] = {}
    for code, ch in _FULLWIDTH.items():
        forms.setdefault(ch, []).append(chr(code))
    return ["".join(p) for p in itertools.product(*([ch, *forms.get(ch, [])] for ch in word))]


_NEEDS_FW = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]")
_FW_CHARS = {chr(k): v for k, v in _FULLWIDTH.items()}


def _fw_char(m: re.Match[str]) -> str:
    return _FW_CHARS[m.group()]
