"""What the readers match around a number: qualifier and comparator words, the regexes built from
the word and unit tables, and the character sets that let a reader skip a regex call."""

from __future__ import annotations

import re

from jixiao.core.patterns import lazy_compile
from jixiao.review.quantities.chinese import _D, _M
from jixiao.review.quantities.units import _UNITS, _word

# Written for the regex engine's speed, the same matches as "(?:(?<![0-9A-Za-z.])-)?(?<![\d.])(?:\d{1,3}
# (?:,\d{3})+(?!\d)(?:\.\d+)?|\d{1,3}(?:，\d{3})+\.\d+|\d+(?:\.\d+)?)": an optional group "(?:x)?" costs the
# engine a repeat context each time it is tried, "(?:x|)" a branch; and the two thousands forms are tried
# only where a separator follows the first digits (most numbers have none). tests/review/test_quantities.py
# compares the scan with the pattern as first written.
_AR = (
    r"(?:(?<![0-9A-Za-z.])-|)(?<![\d.])"
    r"(?:(?=\d{1,3}[,，]\d)(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+|)|\d{1,3}(?:，\d{3})+\.\d+)|\d+(?:\.\d+|))"
)
_CN = rf"[{_D}十拾][{_D}{_M}]*(?:点[{_D}]+)?"
_MONTH = r"(?:1[0-2]|0?[1-9])(?!\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?<!\d)(?:19|20)\d{2}"
_DATE = (
    rf"{_YEAR}\s*年\s*{_MONTH}\s*月(?:\s*{_DAY}\s*[日号])?"
    rf"|(?<!\d){_MONTH}\s*月\s*{_DAY}\s*[日号]"
    rf"|{_YEAR}(?P<sep>[-/.]){_MONTH}(?P=sep){_DAY}"
    rf"|{_YEAR}[-/]{_MONTH}(?![\d.])"
)
_DOCNO = r"[〔［【\[]\s*\d{4}\s*[〕］】\]](?:\s*第?\s*\d+\s*号)?|[(（]\s*\d{4}\s*[)）]\s*第?\s*\d+\s*号"
# The leading lookahead lets the regex engine skip non-candidate characters quickly: the
# alternatives start with lookbehinds, which defeat its own first-character optimisation (6x slower).
_SCAN = re.compile(
    rf"(?=[-\d{_D}十拾〔［【\[(（百])"
    rf"(?:(?P<docno>{_DOCNO})|(?P<date>(?=\d)(?:{_DATE}))|(?P<full>百分之百)|(?:(?P<pct>百分之)|)"
    rf"(?:(?P<ar>{_AR})|(?P<cn>{_CN})))"
)
_NUM_ONLY = lazy_compile(
    rf"(?P<ar>(?<![\d.])(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?))|(?P<cn>{_CN})"
)

# "(?!a|b|c)" of single characters, written "(?!a)(?!b)(?!c)": the same test, but Python compiles a set of
# Chinese characters slowly (a map over the whole BMP, about 0.2 ms each), and the unit table holds some
# seventy of them (_POST: 9 ms at start-up, 2 ms this way).
_ONE_CHAR_LOOKAHEAD = re.compile(r"\(\?!((?:[^()|\\]\|)*[^()|\\])\)")


def _lookahead_per_char(fragment: str) -> str:
    def split(m: re.Match[str]) -> str:
        alternatives = m.group(1).split("|")
        if any(len(a) != 1 for a in alternatives):
            return m.group()
        return "".join(f"(?!{a})" for a in alternatives)

    return _ONE_CHAR_LOOKAHEAD.sub(split, fragment)


_UNIT_RE = "|".join(_lookahead_per_char(frag) for frag, _ in _UNITS)
_POST = re.compile(
    r"[ \t]?(?P<q1>余|多|几)?(?P<mag>百万|千万|万亿|百(?!分)|[千万亿萬億])?(?P<q2>余|多)?[ \t]?"
    rf"(?P<unit>{_UNIT_RE})?"
)

_NOT_UNIT_ONLY = frozenset(" \t余多几百千万亿萬億")  # what else _POST can read first


_LOOKAHEAD = re.compile(r"\(\?!(\[A-Za-z\]|[^\\()\[\]])\)")
_LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class UnitWords:
    """The unit alternatives of _POST that start with one character, matched as the regex of those
    alternatives matches, without a regex call (each costs the engine some two thousand instructions to
    set up, and a report asks this for most of its figures): the first word, in table order, that is
    there and is not followed by one of the characters its "(?!x)" lookaheads exclude.
    tests/review/test_quantities.py compares it with the regex."""

    __slots__ = ("words",)

    def __init__(self, fragments: list[str]) -> None:
        words: list[tuple[str, frozenset[str]]] = []
        for fragment in fragments:
            # Each fragment is a literal word, then one-character lookaheads (see _lookahead_per_char).
            excluded = _LOOKAHEAD.findall(fragment)
            word = _LOOKAHEAD.sub("", fragment)
            if any(c in "\\.^$*+?{}[]|()" for c in word):
                raise ValueError(f"a unit word the plain matcher cannot read: {fragment!r}")
            chars = frozenset(c for x in excluded if x != "[A-Za-z]" for c in x)
            if "[A-Za-z]" in excluded:
                chars |= _LATIN_LETTERS
            words.append((word, chars))
        self.words = tuple(words)

    def word_at(self, text: str, pos: int) -> str | None:
        """The unit word at ``text[pos:]``, or None."""
        for word, excluded in self.words:
            if text.startswith(word, pos):
                after = text[pos + len(word) : pos + len(word) + 1]
                if not after or after not in excluded:
                    return word
        return None


def _units_by_first_character() -> dict[str, str | UnitWords]:
    """The unit alternatives of _POST that start with each character, in table order (so the first that
    matches is _POST's): the word itself when it is one character with no lookahead and starts no other
    word ("%", "套"), else a ``UnitWords`` of those alternatives. Characters that may also start a
    qualifier, a magnitude or a space (百分点, 千米) are left out: there _POST's other groups come first."""
    by_first: dict[str, list[str]] = {}
    for frag, _ in _UNITS:
        if frag[0] not in _NOT_UNIT_ONLY:
            by_first.setdefault(frag[0], []).append(frag)
    return {
        first: frags[0] if frags == [first] else UnitWords([_lookahead_per_char(f) for f in frags])
        for first, frags in by_first.items()
    }


# The plain reader looks up the character after a figure here instead of matching _POST, which tries
# its hundred unit words one by one: most figures are followed by a unit word, and "%", "分" or "个"
# need a word or two compared and no regex.
_UNIT_AT = _units_by_first_character()
_JIAOFEN = lazy_compile(rf"(?:零?(?P<jiao>[{_D}])角)?(?:零?(?P<fen>[{_D}])分)?")
# Word tables: each pattern below is built from one, and the plain-figure reader's shortcuts
# (_RANGE_OR_TAIL_FIRST, _PRE_LAST, _SIGN_BEFORE) are worked out from the same tables, so the two
# readers cannot drift apart.
_TAIL_WORDS = (
    "及以上",
    "及以下",
    "以上",
    "以下",
    "以内",
    "左右",
    "上下(?!游|级|班|联|功)",
    "整",
    r"\+(?!\d)",
    "余(?=[，。；、,;\\s)）]|$)",
    "多(?=[，。；、,;\\s)）]|$)",
)
_PRE_WORDS = (
    *("大于等于", "小于等于", "大于或等于", "小于或等于", "不低于", "不少于", "不高于", "不超过", "不多于"),
    *("不足", "不到", "超过", "高于", "低于", "大于", "小于", "多于", "少于", "等于", "约为", "大约", "大概"),
    *("约", "将近", "接近", "近", "逾", "突破", "≥", "≤", ">=", "<=", ">", "<", "="),
)
_RANGE_SEP_WORDS = ("-", "——", "—", "–", "~", "至", "到")
_TAIL = re.compile(r"[ \t]?(?P<tail>" + "|".join(_TAIL_WORDS) + ")")
_PRE = re.compile("(?P<pre>" + "|".join(map(re.escape, _PRE_WORDS)) + r")[ \t]*$")
_RANGE_SEP = re.compile(r"[ \t]*(?:" + "|".join(_RANGE_SEP_WORDS) + r")[ \t]*")
_CN_FIXED = re.compile("一(?:年来|次性|条龙|揽子|把手|份子|刀切|系列|体化|站式|起)")
_SCORE_CTX = lazy_compile(r"(?:得|扣|加|减|值|为|计|共|满|分|：|:)[ \t]*$")
_TIME_CTX = re.compile(r"\d[ \t]*[时点][ \t]*$")

_GE = {"大于等于", "大于或等于", "不低于", "不少于", "≥", ">=", "以上", "及以上"}
_LE = {"小于等于", "小于或等于", "不高于", "不超过", "不多于", "≤", "<=", "以下", "及以下", "以内"}
_GT = {"大于", "高于", "多于", "超过", ">"}
_LT = {"小于", "低于", "少于", "不足", "不到", "<"}
_EQ = {"=", "等于"}
_COMPARATOR = {w: c for ws, c in ((_GE, ">="), (_LE, "<="), (_GT, ">"), (_LT, "<"), (_EQ, "=")) for w in ws}
_AT_LEAST = _GE | _GT | {"余", "多", "几", "+", "逾", "突破"}
_AT_MOST = _LE | _LT | {"近", "将近", "接近"}
_AROUND = {"约", "约为", "大约", "大概", "左右", "上下"}
# What the characters right after a figure can start. _POST (magnitude, qualifier, unit) matches nothing,
# and _RANGE_SEP and _TAIL do not match, unless that character is in these sets; most figures are
# followed by "，" or "。", and one set test there saves the regex calls (tests/review/test_quantities.py
# checks the sets against the patterns).
_POST_FIRST = frozenset(" \t余多几百千万亿萬億") | {frag[0] for frag, _ in _UNITS}
_RANGE_OR_TAIL_FIRST = frozenset(" \t") | {_word(w)[0] for w in _RANGE_SEP_WORDS + _TAIL_WORDS}

_DIGITS = re.compile(r"\d+")
_MAX_WHOLE_DIGITS = 15  # more integer digits: an ID-card or account number, not an amount
_MAX_DIGITS = 24  # keeps intervals inside Decimal's 28 digits
_YEAR_UNIT = "年"
_DAY_UNITS = frozenset({"月", "日", "月份"})  # a whole number before these is a calendar date
_PRE_LAST = frozenset(" \t") | {w[-1] for w in _PRE_WORDS}  # _PRE can end only after one of these
_AFTER_CN = frozenset({_word(frag)[:1] for frag, _ in _UNITS} | set("余多几百千万亿萬億点 \t-—–~至到角元"))
_NOT_YUE = set("节制签合预公简履违契相条特邀集婚守")  # 节约 is "saved", not "about"
_NOT_JIN = set("最附临亲靠")  # 最近 is "recent"
_LONE_YI_BEFORE = set("统同唯单万初逐划专均合归整之其任另每")
_LATIN = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_OPEN_PAREN = set("(（")
_CLOSE_PAREN = set(")）")
_LIST_END = set("、.")
_BEFORE_PAREN_HEADING = set(" \t\n\r。；;：:，,")
