"""Quantities in report text: numbers with their unit, qualifier and the interval they stand for.

Our own Decimal tokenizer (cn2an works in binary floats and reads "一是" as a number). One compiled
regex finds candidate numbers; small per-match code reads the unit, magnitude and qualifiers around
each one. Everything is Decimal built from the digits as written, so "279.10" keeps two decimals.

Choices (documented here because callers rely on them):

- Money keeps the written magnitude in its unit: "391.39万元" is 391.39 万元, "1.2亿元" is 1.2 亿元,
  "三千五百万元" is 3500 万元; ``in_unit("元")`` converts. Likewise "10万人次" is 10 万人次. Any other
  magnitude is folded into the value: "5千" is 5000, "10万+" is 100000 (value kept as ``Decimal('1.0E+5')``
  so its interval reflects the precision written: "3.5万" stands for [34500, 35500]).
- Intervals: an exact figure stands for ``Interval.stated`` (half a unit in the last place written).
  余/多/几/+/以上/超过/逾/突破/≥/不低于/不少于 give ``Interval.at_least(value)``; 近/将近/以下/以内/
  不超过/不高于/≤/不足/不到 give ``Interval.at_most(value)``; 约/大约/左右/上下 give an interval unbounded on
  both sides: such a figure may still be compared by ``value`` to raise a warning, but never an error.
- A range "20-30个" / "三至五天" is ONE Quantity: ``value`` is the low end, ``upper`` the high end, the
  interval spans both stated ends, and it counts as approximate (qualifier is the separator). The
  high end must exceed the low end and carry the unit (or both be bare Arabic numbers: "20-30");
  otherwise the two numbers stand alone. A number after "<digit>-" that is no range's high end is
  part of a code ("0734-8888888") and is skipped.
- "达到95%" is an exact figure: 达到 reports a measured value as often as it states a target.
- Dates and years ("2024年", "2024年12月31日", "12月", "二〇二四年") are not amounts: they are left out
  unless ``include_dates=True``, then tagged ``kind="date"``/``"year"``. Document numbers ("〔2020〕10号"),
  numbers followed by 号, ordinals (第一, 第3届), heading markers ("一、", "1．", "（1）"), numbers glued
  to Latin letters ("5G", "H5") and identifiers with a leading zero ("0734") are never returned.
- A Chinese numeral counts only when a unit (or 百分之) goes with it ("三个", "二十余人"), so "一是",
  "二十大", "三湘四水" are not quantities. A lone 一 after 统/唯/每…, slogans "一户一策", and fixed
  phrases (一年来, 一次性, 一条龙) are skipped. ``parse_quantity`` (a whole table cell) accepts a bare
  numeral ("十二").
- Overlong digit runs (more than 15 integer digits: ID-card, account numbers) are identifiers, not amounts.
- "，" (full-width comma) is taken as a thousands separator only when a decimal part follows
  ("1，234.50"): in prose it separates list items, and "100，200个" must not become 100200.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Literal, NamedTuple

from jixiao.core.decimals import Interval, new_interval

__all__ = ["Quantity", "find_quantities", "new_quantity", "parse_quantity", "unit_words", "written_forms"]

Kind = Literal["number", "date", "year"]

# --- character normalisation -------------------------------------------------------------------
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

# --- Chinese numerals --------------------------------------------------------------------------
_CN_DIGITS: dict[str, int] = {}
for _chars, _val in (
    ("〇零", 0),
    ("一壹", 1),
    ("二两贰貳", 2),
    ("三叁參", 3),
    ("四肆", 4),
    ("五伍", 5),
    ("六陆陸", 6),
    ("七柒", 7),
    ("八捌", 8),
    ("九玖", 9),
):
    for _ch in _chars:
        _CN_DIGITS[_ch] = _val
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_D = "".join(_CN_DIGITS)
_M = "".join(_CN_SMALL) + "".join(_CN_BIG)

_MAG_EXP = {"百": 2, "千": 3, "万": 4, "亿": 8, "萬": 4, "億": 8}
# Every magnitude _POST can read ("百万", "千万", "万亿" or one character), with its power of ten.
_MAG_SUM = {
    **_MAG_EXP,
    **{w: sum(_MAG_EXP[ch] for ch in w) for w in ("百万", "千万", "万亿")},
}


def _cn_int(s: str) -> int | None:
    """Value of a Chinese integer numeral, or None when malformed ("十四五")."""
    if not any(ch in _CN_SMALL or ch in _CN_BIG for ch in s):
        # Digit by digit: "二〇二四", "一".
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0  # committed at 亿
    wan = 0  # committed at 万 inside the current 亿 group
    section = 0
    digit: int | None = None
    last_small = 10**5
    last_mult = 1
    zero = False
    for ch in s:
        if ch in _CN_DIGITS:
            v = _CN_DIGITS[ch]
            if digit is not None:
                return None
            if v == 0:
                zero = True
                continue
            digit = v
        elif ch in _CN_SMALL:
            m = _CN_SMALL[ch]
            if digit is None:
                # "十二" = 12: a leading 十 means one ten.
                if m == 10 and section == 0 and not zero:
                    digit = 1
                else:
                    return None
            if m >= last_small:
                return None
            section += digit * m
            digit = None
            last_small = m
            last_mult = m
            zero = False
        else:
            b = _CN_BIG[ch]
            if digit is not None:
                section += digit
                digit = None
            if b == 10**4:
                if section == 0 or wan:
                    return None
                wan = section * b
            else:
                group = wan + section
                if group == 0 or total:
                    return None
                total = group * b
                wan = 0
            section = 0
            last_small = 10**5
            last_mult = b
            zero = False
    if digit is not None:
        # Spoken shorthand: "一百五" = 150, "三千五" = 3500, "一万五" = 15000.
        if not zero and last_mult >= 100:
            digit *= last_mult // 10
        section += digit
    return total + wan + section


def _cn_value(s: str) -> Decimal | None:
    head, sep, tail = s.partition("点")
    whole = _cn_int(head)
    if whole is None:
        return None
    if not sep:
        return Decimal(whole)
    return Decimal(f"{whole}.{''.join(str(_CN_DIGITS[ch]) for ch in tail)}")


# --- units -------------------------------------------------------------------------------------
# (regex fragment, normalised unit). Lookaheads keep words such as 人员, 项目, 部门, 分析 out.
_UNITS: tuple[tuple[str, str], ...] = (
    ("个百分点", "百分点"),
    ("百分点", "百分点"),
    ("个工作日", "工作日"),
    ("工作日", "工作日"),
    ("平方公里", "平方公里"),
    ("平方米", "平方米"),
    ("平米", "平方米"),
    ("立方米", "立方米"),
    ("人/次", "人次"),
    ("人次", "人次"),
    ("条次", "条次"),
    ("户次", "户次"),
    ("场次", "场次"),
    ("篇次", "篇次"),
    ("批次", "批次"),
    ("架次", "架次"),
    ("车次", "车次"),
    ("班次", "班次"),
    ("个月", "月"),
    ("月份", "月"),
    ("小时", "小时"),
    ("分钟", "分钟"),
    ("课时", "课时"),
    ("学时", "学时"),
    ("公里", "公里"),
    ("千米", "公里"),
    ("公顷", "公顷"),
    ("千克", "千克"),
    ("公斤", "千克"),
    ("km(?![A-Za-z])", "公里"),
    ("kg(?![A-Za-z])", "千克"),
    ("m²", "平方米"),
    ("㎡", "平方米"),
    ("m³", "立方米"),
    ("GB(?![A-Za-z])", "GB"),
    ("TB(?![A-Za-z])", "TB"),
    ("MB(?![A-Za-z])", "MB"),
    ("%", "%"),
    ("‰", "‰"),
    ("元(?!素|化|旦|宵|首|老|件|器|年)", "元"),
    ("圆(?!满|形|桌|梦)", "元"),
    ("个(?!体|性|别|案)", "个"),
    ("篇(?!章|幅)", "篇"),
    ("人(?!员|民|才|大|事|社|口|力|文|工|均|防|群|们|选|类|间|格|身|生|性|物|像|脸|气|心|居|情|道|权)", "人"),
    ("名(?!称|单|义|额|录|字|牌|胜|列|誉|次)", "名"),
    ("位(?!置|于|数|次)", "位"),
    ("期(?!间|限|望|满|末|初|中|刊|待|货|盼)", "期"),
    (
        "分(?!析|别|类|配|管|局|享|布|散|工|解|级|批|担|化|队|摊|之|数|值|点|期|行|支|会|红|流|区|段|成|开|拆|包|项|组|档|层)",
        "分",
    ),
    ("条(?!件|例|款|线|理|约|幅)", "条"),
    ("项(?!目)", "项"),
    ("家(?!庭|园|人|长|属|乡|具|电|风)", "家"),
    ("户(?!籍|口|外|型)", "户"),
    ("场(?!所|地|馆|景|合|面|域|内|外)", "场"),
    ("天(?!然|津|下|空|气|地)", "天"),
    ("年(?!级|龄|纪)", "年"),
    ("月", "月"),
    ("日", "日"),
    ("周(?!边|围|末|岁|转|知|全|密)", "周"),
    ("台(?!账|阶|湾|风|州|上|前|下)", "台"),
    ("套", "套"),
    ("所(?!有|属|在|以|得|谓|需|长|述|称|辖|处)", "所"),
    ("件", "件"),
    ("册", "册"),
    ("部(?!门|署|分|位|长|委|队|级|落|件|属|局|室)", "部"),
    ("辆", "辆"),
    ("次(?!性|年|日|月|要|序|数|级|生)", "次"),
    ("份(?!额|子)", "份"),
    ("批(?!准|复|示|评|判|发|量)", "批"),
    ("座(?!谈|位|次)", "座"),
    ("张(?!贴|家|力)", "张"),
    ("处(?!理|置|室|罚|分|长|于|在)", "处"),
    ("块", "块"),
    ("种(?!植|类|子|养|苗)", "种"),
    ("类(?!别|型|似)", "类"),
    ("支(?!出|付|持|部|撑|援|行|线|配|柱)", "支"),
    ("组(?!织|建|成|长|合|委|别)", "组"),
    ("队(?!伍|员|长)", "队"),
    ("村(?!民|级|委|庄|镇|组|干|集|里)", "村"),
    ("栋", "栋"),
    ("间(?!隔|断|接)", "间"),
    ("岁", "岁"),
    ("倍", "倍"),
    ("笔(?!记|者)", "笔"),
    ("宗(?!旨|教)", "宗"),
    ("幅(?!度)", "幅"),
    ("亩", "亩"),
    ("吨", "吨"),
    ("米", "米"),
)


def _word(fragment: str) -> str:
    """The word a pattern fragment of the tables above reads: its trailing lookaround dropped."""
    return re.sub(r"\(\?.*\)$", "", fragment).replace("\\", "")


_UNIT_NORM = {_word(frag): norm for frag, norm in _UNITS}


def unit_words() -> dict[str, str]:
    """Each unit word the scanner reads after a number (its lookahead dropped) → the unit it gives."""
    return dict(_UNIT_NORM)


def written_forms(word: str) -> list[str]:
    """``word`` with each character also in every full-width form the scanner reads as it (ｋｍ, ％)."""
    forms: dict[str, list[str]] = {}
    for code, ch in _FULLWIDTH.items():
        forms.setdefault(ch, []).append(chr(code))
    return ["".join(p) for p in itertools.product(*([ch, *forms.get(ch, [])] for ch in word))]


# Units that keep a trailing 万/亿 instead of folding it into the value.
_COMPOUND = {
    "元": {"万": "万元", "萬": "万元", "亿": "亿元", "億": "亿元"},
    "人次": {"万": "万人次", "萬": "万人次"},
}
# unit -> (dimension, power of ten of one unit); for in_unit().
_SCALE: dict[str, tuple[str, int]] = {
    "元": ("money", 0),
    "千元": ("money", 3),
    "万元": ("money", 4),
    "亿元": ("money", 8),
    "人次": ("visits", 0),
    "万人次": ("visits", 4),
    "%": ("ratio", -2),
    "‰": ("ratio", -3),
    "百分点": ("ratio", -2),
}

# --- regexes (compiled once) -------------------------------------------------------------------
_AR = (
    r"(?:(?<![0-9A-Za-z.])-)?(?<![\d.])"
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d{1,3}(?:，\d{3})+\.\d+|\d+(?:\.\d+)?)"
)
_CN = rf"[{_D}十拾][{_D}{_M}]*(?:点[{_D}]+)?"
_MONTH = r"(?:1[0-2]|0?[1-9])(?!\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?<!\d)(?:19|20)\d{2}"
_DATE = (
    rf"{_YEAR}\s*年\s*{_MONTH}\s*月(?:\s*{_DAY}\s*[日号])?"
    rf"|(?<!\d){_MONTH}\s*月\s*{_DAY}\s*[日号]"
    rf"|{_YEAR}([-/.]){_MONTH}\1{_DAY}"
    rf"|{_YEAR}[-/]{_MONTH}(?![\d.])"
)
_DOCNO = r"[〔［【\[]\s*\d{4}\s*[〕］】\]](?:\s*第?\s*\d+\s*号)?|[(（]\s*\d{4}\s*[)）]\s*第?\s*\d+\s*号"
# The leading lookahead lets the regex engine skip non-candidate characters quickly: the
# alternatives start with lookbehinds, which defeat its own first-character optimisation (6x slower).
_SCAN = re.compile(
    rf"(?=[-\d{_D}十拾〔［【\[(（百])"
    rf"(?:(?P<docno>{_DOCNO})|(?P<date>{_DATE})|(?P<full>百分之百)|(?P<pct>百分之)?(?:(?P<ar>{_AR})|(?P<cn>{_CN})))"
)
_NUM_ONLY = re.compile(
    rf"(?P<ar>(?<![\d.])(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?))|(?P<cn>{_CN})"
)

_UNIT_RE = "|".join(frag for frag, _ in _UNITS)
_POST = re.compile(
    r"[ \t]?(?P<q1>余|多|几)?(?P<mag>百万|千万|万亿|百(?!分)|[千万亿萬億])?(?P<q2>余|多)?[ \t]?"
    rf"(?P<unit>{_UNIT_RE})?"
)
_JIAOFEN = re.compile(rf"(?:零?(?P<jiao>[{_D}])角)?(?:零?(?P<fen>[{_D}])分)?")
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
_SCORE_CTX = re.compile(r"(?:得|扣|加|减|值|为|计|共|满|分|：|:)[ \t]*$")
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
# followed by "，" or "。", and one set test there saves the regex calls (tests/test_quantities.py
# checks the sets against the patterns).
_POST_FIRST = frozenset(" \t余多几百千万亿萬億") | {frag[0] for frag, _ in _UNITS}
_RANGE_OR_TAIL_FIRST = frozenset(" \t") | {_word(w)[0] for w in _RANGE_SEP_WORDS + _TAIL_WORDS}
_NEEDS_FW = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULLWIDTH) + "]")
_FW_CHARS = {chr(k): v for k, v in _FULLWIDTH.items()}


def _fw_char(m: re.Match[str]) -> str:
    return _FW_CHARS[m.group()]


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


class Quantity(NamedTuple):
    """One figure found in text (immutable; a named tuple, so that the scanner builds one in a single C
    call — a report has a few hundred — where a frozen dataclass sets its twelve fields one by one).

    value      the number in the written unit ("391.39万元" -> 391.39, unit 万元; "5千" -> 5E+3)
    text       the exact substring, qualifiers included ("≥90%", "30余个")
    start/end  offsets in the input string
    unit       normalised unit ("" when none)
    decimals   decimals as written (0 for Chinese numerals without 点)
    approximate  余/多/约/近/以上/+/… or a range
    qualifier  the qualifier words, "…" between a prefix and a suffix ("突破…+")
    interval   what the figure stands for (see module doc)
    comparator "", ">=", "<=", ">", "<", "="
    kind       "number", or "date"/"year" (returned only with include_dates=True)
    upper      high end of a range "20-30个", else None
    """

    value: Decimal
    text: str
    start: int
    end: int
    unit: str
    decimals: int
    approximate: bool
    qualifier: str
    interval: Interval
    comparator: str = ""
    kind: Kind = "number"
    upper: Decimal | None = None

    def in_unit(self, unit: str) -> Decimal | None:
        """The value in another unit of the same dimension (元/万元/亿元, 人次/万人次, %/‰/fraction "").

        The precision written is kept in the exponent: 391.39万元 in 元 is Decimal('3.9139E+6').
        None when the units are not convertible.
        """
        factor = self._factor(unit)
        return None if factor is None else self.value.scaleb(factor)

    def interval_in(self, unit: str) -> Interval | None:
        if unit == self.unit:
            # Scaling by 1 would give an equal interval (its ends have at most 25 digits, within
            # Decimal's 28): most money is written in the unit it is compared in (万元).
            return self.interval
        factor = self._factor(unit)
        return None if factor is None else self.interval.scale(Decimal(1).scaleb(factor))

    def _factor(self, unit: str) -> int | None:
        if unit == self.unit:
            return 0
        src = _SCALE.get(self.unit)
        dst = ("ratio", 0) if unit == "" else _SCALE.get(unit)
        if src is None or dst is None or src[0] != dst[0]:
            return None
        return src[1] - dst[1]


def new_quantity(
    value: Decimal,
    text: str,
    start: int,
    end: int,
    unit: str,
    decimals: int,
    approximate: bool,
    qualifier: str,
    interval: Interval,
    comparator: str = "",
    kind: Kind = "number",
    upper: Decimal | None = None,
) -> Quantity:
    """``Quantity(...)``, positional."""
    return Quantity(
        value, text, start, end, unit, decimals, approximate, qualifier, interval, comparator, kind, upper
    )


def find_quantities(text: str, *, include_dates: bool = False) -> list[Quantity]:
    """Every quantity in ``text``, in order. Dates and years only with ``include_dates``."""
    if not isinstance(text, str) or not text:
        return []
    return list(_scan(text, cell=False, include_dates=include_dates))


def parse_quantity(text: str) -> Quantity | None:
    """Read a whole cell ("≥90%", "391.39", "30余个", "壹佰贰拾万元整"); None unless one quantity fills it."""
    stripped = text.strip()
    if not stripped:
        return None
    found = _scan(stripped, cell=True, include_dates=True)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0]
    return None


# --- the scanner -------------------------------------------------------------------------------


class _Tok(NamedTuple):
    """A number read with its unit, before qualifiers and ranges are resolved."""

    value: Decimal
    start: int
    end: int
    unit: str
    kind: Kind
    mid: str  # 余/多/几 between number and unit
    year_like: bool
    folded: int  # power of ten folded into value from 千/万/亿
    needs_unit: bool  # a bare Chinese numeral: only a quantity as the low end of a range


def _scan(text: str, *, cell: bool, include_dates: bool) -> tuple[Quantity, ...]:
    # The claim readers scan the same sentence or cell more than once (prose, scores and tables each
    # read a block); a Quantity is immutable, so a small cache of recent short scans serves the repeats.
    # Small on purpose: it is for repeats inside one report, not across a folder.
    if len(text) <= _CACHED_CHARS:
        return _scan_cached(text, cell, include_dates)
    return _scan_text(text, cell, include_dates)


_CACHED_CHARS = 256


def _scan_text(text: str, cell: bool, include_dates: bool) -> tuple[Quantity, ...]:
    if not text:
        return ()
    # Replace only the few full-width characters present (str.translate walks every character: 7x slower);
    # none of them is ASCII, and a table cell often is.
    t = text if text.isascii() else _NEEDS_FW.sub(_fw_char, text)
    out: list[Quantity] = []
    pos = 0
    n = len(t)
    search = _SCAN.search
    while pos < n:
        m = search(t, pos)
        if m is None:
            break
        group = m.lastgroup
        if group == "docno":
            pos = m.end()
            continue
        if group == "full":
            # "百分之百": the one percent numeral that starts with 百
            h = Decimal(100)
            q = Quantity(
                h, text[m.start() : m.end()], m.start(), m.end(), "%", 0, False, "", Interval.stated(h)
            )
            out.append(q)
            pos = m.end()
            continue
        if group == "date":
            if include_dates:
                first = _DIGITS.match(t, m.start())
                v = Decimal(first.group()) if first else Decimal(0)
                out.append(
                    Quantity(
                        v,
                        text[m.start() : m.end()],
                        m.start(),
                        m.end(),
                        "",
                        0,
                        False,
                        "",
                        Interval.exact(v),
                        "",
                        "date",
                    )
                )
            pos = m.end()
            continue
        found = _read_plain(t, text, m, cell, include_dates) if group == "ar" else None
        if found is not None:
            if isinstance(found, int):  # no quantity here; the scan goes on past it
                pos = found
                continue
            out.append(found)
            pos = found.end  # always past m.start()
            continue
        found, nxt = _read(t, text, m, cell, include_dates)
        pos = max(nxt, m.start() + 1)
        if found is not None:
            out.append(found)
    return tuple(out)


_scan_cached = lru_cache(maxsize=512)(_scan_text)


def _read_tok(t: str, m: re.Match[str], cell: bool, *, bare_ok: bool, high_end: bool = False) -> _Tok | None:
    """Number at ``m`` plus magnitude and unit; None when it is not a quantity."""
    start = m.start()
    ar = m.group("ar")
    pct = m.re is _SCAN and m.group("pct") is not None
    prev = t[start - 1] if start else ""
    if prev == "第":
        return None
    if ar is not None:
        if prev in _LATIN:
            return None
        if not high_end and prev == "-" and start >= 2 and t[start - 2].isdigit():
            return None  # the tail of "0734-8888888": a hyphenated code, not a range (ranges are read whole)
        raw = ar.replace(",", "").replace("，", "") if ("," in ar or "，" in ar) else ar
        negative = raw.startswith("-")
        digits = raw.lstrip("-")
        if len(digits) > 1 and digits[0] == "0" and "." not in digits:
            return None  # "0734": an identifier, not an amount
        if len(digits.partition(".")[0]) > _MAX_WHOLE_DIGITS or len(digits) > _MAX_DIGITS:
            return None  # ID-card and account numbers; also keeps intervals inside Decimal's 28 digits
        value = Decimal(raw)
        cn_text = ""
    else:
        cn_text = m.group("cn")
        if not cell and not pct and t[m.end() : m.end() + 1] not in _AFTER_CN:
            return None  # fast path: most Chinese numerals in prose are words ("一是", "三湘")
        cv = _cn_value(cn_text)
        if cv is None:
            return None
        value = cv
        negative = False
    end = m.end()
    if pct:
        return _Tok(value, start, end, "%", "number", "", False, 0, False)
    if ar is not None and end < len(t) and t[end] == "." and end + 1 < len(t) and t[end + 1].isdigit():
        return None  # "1.2.3": a section number or version
    post = _POST.match(t, end)
    assert post is not None  # every group is optional
    mid = post.group("q1") or post.group("q2") or ""
    mag = post.group("mag") or ""
    unit_raw = post.group("unit") or ""
    if mid in ("多", "几") and not (mag or unit_raw):
        mid = ""  # "10多" alone is not read as approximate; stop before it
    if unit_raw or mag or mid:
        end = post.end()
    unit = _UNIT_NORM.get(unit_raw, unit_raw)
    year_like = False
    needs_unit = False
    kind: Kind = "number"

    if ar is not None:
        if unit == "" and end < len(t) and t[end] in _LATIN:
            return None  # "5G", "4K"
        if end < len(t) and t[end] == "号" and not unit:
            return None
        is_int = "." not in raw and "," not in ar and "，" not in ar and not negative
        year_like = is_int and _year_digits(raw)
        if not unit and not mag and not cell and is_int and _is_heading(t, start, end):
            return None
    else:
        # A Chinese numeral without a unit is a word ("一是", "二十大"), unless a range follows ("三至五天").
        needs_unit = not unit and not cell
        if needs_unit and not bare_ok:
            return None
        year_like = len(cn_text) == 4 and all(ch in _CN_DIGITS for ch in cn_text)
        if cn_text == "一" and not cell:
            if prev in _LONE_YI_BEFORE or _CN_FIXED.match(t, start):
                return None
            nxt = t[end] if end < len(t) else ""
            if "\u4e00" <= nxt <= "\u9fff" and not mid:
                # "一条具有…之路", "一户一策": 一 + measure word inside a phrase is an article or a slogan;
                # only a phrase that ends there ("建成一个。") is read as a count.
                return None
        if unit == "分" and not cell and not _SCORE_CTX.search(t, max(0, start - 3), start):
            return None  # "十分重要": the adverb
    if unit == "分" and _TIME_CTX.search(t, max(0, start - 4), start):
        kind = "date"  # "9时30分"
    elif unit == _YEAR_UNIT and year_like and not mag and not mid:
        kind = "year"
    elif unit_raw in _DAY_UNITS and not mag and not mid and value == value.to_integral() and value >= 1:
        kind = "date"  # "12月", "31日": a calendar date; durations are written 个月 / 天

    # Magnitudes: money and 人次 keep a trailing 万/亿 in the unit; anything else is folded in.
    exp = _MAG_SUM[mag] if mag else 0
    compound = _COMPOUND.get(unit)
    if compound is not None:
        last = mag[-1:] if mag else (cn_text[-1:] if cn_text else "")
        if last in compound:
            unit = compound[last]
            if mag:
                exp -= _MAG_EXP[last]
            else:
                with localcontext() as ctx:
                    ctx.prec = 50
                    value = value / Decimal(10 ** _MAG_EXP[last])
    if exp:
        value = value.scaleb(exp)
    # 大写 money: 壹佰贰拾叁元肆角伍分
    if unit == "元" and cn_text:
        jf = _JIAOFEN.match(t, end)
        if jf is not None and jf.end() > end:
            jiao = _CN_DIGITS[jf.group("jiao")] if jf.group("jiao") else 0
            if jf.group("fen"):
                value = Decimal(f"{int(value)}.{jiao}{_CN_DIGITS[jf.group('fen')]}")
            else:
                value = Decimal(f"{int(value)}.{jiao}")
            end = jf.end()
    return _Tok(value, start, end, unit, kind, mid, year_like, exp, needs_unit)


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Characters before a figure that send it to the general reader: an ordinal, a code, a qualifier.
_NOT_PLAIN_BEFORE = frozenset("第-") | _LATIN | _PRE_LAST
_DATE_UNITS = frozenset({_YEAR_UNIT, *_DAY_UNITS})


# A figure right after one of these signs takes it as its qualifier ("≥95%"): one-character _PRE words
# that end no longer word, bound the figure on one side and give a comparator (no 约/近 exceptions),
# so the plain reader reads them as _read would.
_SIGN_BEFORE = frozenset(
    w
    for w in _PRE_WORDS
    if len(w) == 1
    and w in _COMPARATOR
    and (w in _AT_LEAST) != (w in _AT_MOST)
    and not any(o != w and o.endswith(w) for o in _PRE_WORDS)
)


def _year_digits(raw: str) -> bool:
    """A whole number written as a year: four digits, 1900 to 2100 ("2024年" is a year, "3000年" a count)."""
    return len(raw) == 4 and 1900 <= int(raw) <= 2100


def _read_plain(
    t: str, orig: str, m: re.Match[str], cell: bool, include_dates: bool = False
) -> Quantity | int | None:
    """The usual figure read in one step: an Arabic number as written ("81641.63", "12", "≥95%"), then
    a unit or nothing; no range, word qualifier or percent word around it. The same Quantity ``_read``
    gives (tests/test_quantities.py compares the two on every figure of the test texts and on random
    text). An int when ``_read`` would find no quantity there ("第3", "0734", "1.2.3", a "1、" heading,
    a year or date without ``include_dates``): the offset where the scan goes on, the one ``_read``
    gives. None for anything else, which ``_read`` then reads. Most figures of a report take this path,
    and it skips the general reader's branches for ranges, qualifiers and Chinese numerals."""
    pct, raw = m.group("pct", "ar")
    if pct is not None:
        return None
    start, end = m.span()
    sign: str | None = None
    if start:
        prev = t[start - 1]
        if prev in _NOT_PLAIN_BEFORE:
            if prev == "第" or prev in _LATIN:
                return end  # an ordinal or a code: _read_tok refuses it before anything else
            if prev not in _SIGN_BEFORE:
                return None
            sign = prev
    # The same test as _PLAIN_NUMBER.fullmatch(raw) for what _AR matches: an ASCII _AR match without a
    # sign or a "," separator is digits with at most one point (tests/test_quantities.py).
    if not raw.isascii() or "-" in raw or "," in raw:
        return None  # separators, a sign, other scripts' digits
    point = raw.find(".")
    whole = raw if point < 0 else raw[:point]
    if (
        (len(raw) > 1 and raw[0] == "0" and point < 0)
        or len(whole) > _MAX_WHOLE_DIGITS
        or len(raw) > _MAX_DIGITS
    ):
        return end  # an identifier ("0734") or an ID-card or account number
    after = t[end : end + 1]
    if after in _POST_FIRST:
        post = _POST.match(t, end)
        assert post is not None  # every group is optional
        q1, mag, q2, unit_raw = post.group("q1", "mag", "q2", "unit")
        if q1 or q2:
            return None
        unit_raw = unit_raw or ""
        post_end = post.end()
    else:  # _POST would match the empty string here
        if after == "." and t[end + 1 : end + 2].isdigit():
            return end  # "1.2.3": a section number or a version
        mag, unit_raw, post_end = None, "", end
    unit = _UNIT_NORM.get(unit_raw, unit_raw)
    if mag:
        if unit != "元" or mag not in ("万", "亿"):
            return None
        unit = _COMPOUND["元"][mag]  # 万元 / 亿元: the magnitude stays in the unit
    elif unit_raw in _DATE_UNITS:
        if unit_raw == _YEAR_UNIT:  # a year is four digits without a point, as _read_tok's year_like
            is_date = point < 0 and _year_digits(raw)
        elif point >= 0:
            return None  # "12.0月" is a date to _read_tok (a whole value), "0.5月" is not: left to it
        else:
            is_date = raw != "0"
        if is_date:
            # "2024年", "12月": a year or a date, which _read skips unless dates are asked for
            if include_dates or sign or t[post_end : post_end + 1] in _RANGE_OR_TAIL_FIRST:
                return None
            return post_end
    if unit_raw or mag:
        end = post_end
    else:
        if end < len(t) and (t[end] in _LATIN or t[end] == "号"):
            return end  # "5G", "3号"
        if not cell and point < 0 and _is_heading(t, start, end):
            return end  # "1、" at the start of a line
    if unit == "分" and _TIME_CTX.search(t, max(0, start - 4), start):
        return None
    if t[end : end + 1] in _RANGE_OR_TAIL_FIRST and (
        _RANGE_SEP.match(t, end) is not None or _TAIL.match(t, end) is not None
    ):
        return None
    value = Decimal(raw)
    exponent = point - len(raw) + 1 if point >= 0 else 0
    if sign is not None:
        # What _read makes of the one qualifier word: its comparator, and a bound on one side.
        interval = Interval.at_least(value) if sign in _AT_LEAST else Interval.at_most(value)
        begin = start - 1  # the sign is part of the figure's text
        return new_quantity(
            value, orig[begin:end], begin, end, unit, -exponent, True, sign, interval, _COMPARATOR[sign]
        )
    h = _HALVES.get(exponent) or _half(exponent)
    interval = new_interval(value - h, value + h)
    return Quantity(value, orig[start:end], start, end, unit, -exponent, False, "", interval)


def _is_heading(t: str, start: int, end: int) -> bool:
    """ "1、" "1．" "（1）" "1 概况" at the start of a line are outline markers, not amounts."""
    nxt = t[end] if end < len(t) else ""
    if nxt == "、" and not (end + 1 < len(t) and t[end + 1].isdigit()):
        return True  # "3、贴近民生" even after a stray prefix; "3、5个" is a list of numbers
    before = t[start - 1] if start else ""
    if before in _OPEN_PAREN and nxt in _CLOSE_PAREN:
        b2 = t[start - 2] if start >= 2 else "\n"
        return b2 in _BEFORE_PAREN_HEADING
    if nxt == " ":
        # "1 概况" is a heading; "6 8 100%" (a table row flattened to text) is not.
        after = t[end : end + 8].lstrip(" ")[:1]
        if not ("\u4e00" <= after <= "\u9fff"):
            return False
        nxt = after
    if nxt in _LIST_END or nxt in _CLOSE_PAREN or ("\u4e00" <= nxt <= "\u9fff"):
        line_start = t.rfind("\n", 0, start) + 1
        return t[line_start:start].strip(" \t(（[【") == ""
    return False


def _read(
    t: str, orig: str, m: re.Match[str], cell: bool, include_dates: bool
) -> tuple[Quantity | None, int]:
    tok = _read_tok(t, m, cell, bare_ok=True)
    if tok is None:
        return None, m.end()
    start, end = tok.start, tok.end

    # A range "20-30个", "三至五天", "2023-2024年": one Quantity from the low end to the high end.
    upper: _Tok | None = None
    sep_text = ""
    if not tok.mid:
        sep = _RANGE_SEP.match(t, end)
        if sep is not None:
            m2 = _NUM_ONLY.match(t, sep.end())
            if m2 is not None and (m2.group("ar") is None) == (m.group("ar") is None):
                tok2 = _read_tok(t, m2, cell, bare_ok=False, high_end=True)
                if tok2 is not None and not tok2.mid:
                    bare = not tok.unit and not tok2.unit and m2.group("ar") is not None
                    low = tok.value.scaleb(tok2.folded) if not tok.unit and tok2.folded else tok.value
                    same_unit = bare or (tok2.unit and tok.unit in ("", tok2.unit))
                    if same_unit and tok2.value > low:  # "1-0" or "5~3" is no range
                        upper = tok2
                        sep_text = sep.group().strip()
    if upper is None and tok.needs_unit:
        return None, m.end()

    low_value = tok.value
    if upper is not None:
        unit = upper.unit
        both_years = tok.year_like and upper.year_like and (upper.kind == "year" or not upper.unit)
        kind: Kind = "year" if both_years else upper.kind
        end = upper.end
        if not tok.unit and upper.folded:
            # The low end shares the high end's magnitude: "3-5万人" is 3万 to 5万.
            low_value = low_value.scaleb(upper.folded)
    else:
        unit = tok.unit
        kind = tok.kind
    if kind != "number" and not include_dates:
        return None, end

    # Qualifiers before and after.
    pre_words: list[str] = []
    pm = _PRE.search(t, max(0, start - 6), start) if start and t[start - 1] in _PRE_LAST else None
    if pm is not None:
        word = pm.group("pre")
        b = t[pm.start() - 1] if pm.start() else ""
        if not ((word == "约" and b in _NOT_YUE) or (word == "近" and b in _NOT_JIN)):
            pre_words.append(word)
            start = pm.start()
    tail_word = ""
    tm = _TAIL.match(t, end)
    if tm is not None:
        tail_word = tm.group("tail")
        if tail_word != "整" or unit.endswith("元"):
            end = tm.end()
        if tail_word == "整":
            tail_word = ""
    exponent = low_value.as_tuple().exponent
    assert isinstance(exponent, int)
    decimals = -exponent if exponent < 0 else 0
    upper_value = upper.value if upper is not None else None
    if not (pre_words or tok.mid or tail_word or upper is not None):
        # The common case: an exact figure, standing for ± half a unit in its last place.
        if kind != "number":
            interval = new_interval(low_value, low_value)
        else:
            h = _half(exponent)
            interval = new_interval(low_value - h, low_value + h)
        q = new_quantity(
            low_value, orig[start:end], start, end, unit, decimals, False, "", interval, "", kind
        )
        return q, end

    words = pre_words + ([tok.mid] if tok.mid else []) + ([tail_word] if tail_word else [])
    if pre_words and (tok.mid or tail_word):
        qualifier = pre_words[0] + "…" + tok.mid + tail_word
    else:
        qualifier = "".join(words)
    comparator = next((_COMPARATOR[w] for w in words if w in _COMPARATOR), "")
    around = any(w in _AROUND for w in words)
    ge = any(w in _AT_LEAST for w in words)
    le = any(w in _AT_MOST for w in words)
    if kind != "number":
        interval = Interval(low_value, upper_value if upper_value is not None else low_value)
    elif around or (ge and le):
        interval = Interval(None, None)
    elif upper_value is not None:
        lo = low_value - _half(exponent)
        up_exp = upper_value.as_tuple().exponent
        assert isinstance(up_exp, int)
        hi = upper_value + _half(up_exp)
        interval = Interval(None, hi) if le else Interval(lo, None) if ge else Interval(lo, hi)
    elif ge:
        interval = Interval.at_least(low_value)
    elif le:
        interval = Interval.at_most(low_value)
    else:
        interval = Interval.stated(low_value)
    approximate = bool(around or ge or le or upper is not None)
    if upper is not None and not qualifier:
        qualifier = sep_text
    q = new_quantity(
        value=low_value,
        text=orig[start:end],
        start=start,
        end=end,
        unit=unit,
        decimals=decimals,
        approximate=approximate,
        qualifier=qualifier,
        interval=interval,
        comparator=comparator,
        kind=kind,
        upper=upper_value,
    )
    return q, end


# Half a unit for each exponent met so far: a handful of exponents (figures carry up to a dozen
# decimals), read with a dict lookup, which the plain-figure reader makes inline.
_HALVES: dict[int, Decimal] = {}


def _half(exponent: int) -> Decimal:
    """Half a unit in the last place of a figure with this exponent (decimals.half_ulp, remembered)."""
    half = _HALVES.get(exponent)
    if half is None:
        half = _HALVES[exponent] = Decimal(5).scaleb(exponent - 1)
    return half
