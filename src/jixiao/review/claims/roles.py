"""What a prose figure stands for, read from the words of its own clause: a level or a change, an amount
planned or an amount paid out, the year, the entity.

Real reports put many amounts in one sentence: a total and its parts, last year's figure and the
increase, the sum allocated and the sum disbursed so far, a county's figure next to the city's. Two
figures are related (a sum, a repeated statement) only when their roles agree; a figure whose role is
a change or a flow is never a part of a level, and where the role cannot be read nothing is claimed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.core.patterns import lazy_compile

__all__ = [
    "CHANGE",
    "FLOW",
    "TOTAL_NAME",
    "batch_of",
    "entity_of",
    "is_change",
    "is_flow",
    "year_of",
]

# A change against another amount (比上年增加, 同比增长, 调减, 追加, 超出预算): not a level.
CHANGE = re.compile(
    r"增加|减少|增长|下降|降低|上升|调减|调增|调整(?!后)|追加|核减|同比|环比|比上年|较上年|比年初|较年初|超出|超支|节约|少支|多支"
)
# An amount moved or left over (已拨付, 已支付, 实际使用, 结余): not a part of what was allocated.
FLOW = lazy_compile(r"拨付|支付|已使用|实际使用|使用了|结余|结转|剩余|未支|尚未|收回|退回")
# Words that name a total explicitly: with a closed 其中 list, a sum over the total is certain.
TOTAL_NAME = lazy_compile(
    r"合计|共计|总计|总额|总数|总收入|总支出|总投资|总预算|总规模|共(?:安排|下达|投入|收到|拨付)?"
)
_YEAR = lazy_compile(r"((?:19|20)\d{2})\s*年(?!度?\s*[内底末初])")
# A place or body that owns a figure: "青阳县", "全区", "市本级", "中央" (not a fund level: 市级资金).
# A place name opens its clause ("青阳县申请…", "：万泉镇…"): a 乡 or 镇 inside a phrase (送教下乡, 城乡居民)
# is no place.
_ENTITY = lazy_compile(
    r"(?:^|(?<=[^\u4e00-\u9fa5]))(?!城乡|下乡)[\u4e00-\u9fa5]{1,4}?(?:省|市|县|区|州|旗|镇|乡|街道|村|社区)(?!级|委|政府|域|内|间|别|划|分)(?:本级)?"
    r"|全[省市县区州]|中央|局本级"
)
_BATCH = lazy_compile(r"(?<![分每])第?[一二三四五六七八九十\d]{1,3}批(?![复准次])")  # "第三批", "二批项目"


@lru_cache(maxsize=256)
def is_change(words: str) -> bool:
    """Do the words just before a figure say it is a change (增加/减少/调减…), not a level?

    Kept for recent words: the readers ask it of the few words before each amount, and a report says
    "，全年预算" or "，实际支出" many times over."""
    return CHANGE.search(words) is not None


def is_flow(words: str) -> bool:
    """Do the words just before a figure say it is an amount paid out, used or left over?"""
    return FLOW.search(words) is not None


def year_of(words: str) -> str:
    """The last year named in ``words`` ("2023年收到…" → "2023"), "" when none."""
    found = _YEAR.findall(words)
    return found[-1] if found else ""


def batch_of(words: str) -> str:
    """The last batch named in ``words`` ("第三批"), "" when none."""
    found = _BATCH.findall(words)
    return found[-1] if found else ""


def entity_of(words: str) -> str:
    """The last place or body named in ``words``, "" when none."""
    found = _ENTITY.findall(words)
    return found[-1] if found else ""
